#include "startpage.h"

#include <QLabel>
#include <QVBoxLayout>

namespace qc::ui {

StartPage::StartPage(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    auto* title = new QLabel(tr("<h1>Quota Console</h1>"), this);
    auto* text = new QLabel(
        tr("<p>Watch, investigate and steer the rate limits, plan quotas, idempotency keys and "
           "abuse detection of your API.</p>"
           "<p>Connections to a quota database and the live dashboard arrive in a coming "
           "release. Today, <tt>quotactl simulate</tt> replays recorded traffic through a "
           "candidate policy with the same enforcement core the database uses.</p>"),
        this);
    text->setWordWrap(true);
    text->setTextFormat(Qt::RichText);
    // A fixed width lets the wrapped label compute its height; with only an alignment flag the
    // layout gives it one line's height and clips the rest.
    text->setFixedWidth(600);
    text->setMinimumHeight(text->heightForWidth(600) + text->fontMetrics().height());
    layout->addStretch(1);
    layout->addWidget(title, 0, Qt::AlignHCenter);
    layout->addWidget(text, 0, Qt::AlignHCenter);
    layout->addStretch(2);
}

} // namespace qc::ui
