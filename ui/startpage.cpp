#include "startpage.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace qc::ui {

using namespace Qt::StringLiterals;

StartPage::StartPage(QWidget* parent)
    : QWidget(parent)
    , m_manage(new QPushButton(tr("Connect…"), this))
    , m_new(new QPushButton(tr("New connection profile…"), this))
{
    setObjectName(u"startPage"_s);
    auto* layout = new QVBoxLayout(this);
    auto* title = new QLabel(tr("<h1>Quota Console</h1>"), this);
    auto* text = new QLabel(
        tr("<p>Watch, investigate and steer the rate limits, plan quotas, idempotency keys and "
           "abuse detection of your API.</p>"
           "<p>Connect to a quota database with a connection profile (File → Connect). A profile "
           "names the database, optionally a read-only replica, the services' metrics endpoints "
           "and Prometheus; its passwords stay in the system keychain.</p>"
           "<p>Without a database, <tt>quotactl simulate</tt> replays recorded traffic through a "
           "candidate policy with the same enforcement core the database uses.</p>"),
        this);
    text->setWordWrap(true);
    text->setTextFormat(Qt::RichText);
    // A fixed width lets the wrapped label compute its height; with only an alignment flag the
    // layout gives it one line's height and clips the rest.
    text->setFixedWidth(600);
    text->setMinimumHeight(text->heightForWidth(600) + text->fontMetrics().height());
    m_manage->setObjectName(u"startConnect"_s);
    m_new->setObjectName(u"startNewProfile"_s);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_manage);
    buttons->addWidget(m_new);
    buttons->addStretch(1);
    layout->addStretch(1);
    layout->addWidget(title, 0, Qt::AlignHCenter);
    layout->addWidget(text, 0, Qt::AlignHCenter);
    layout->addLayout(buttons);
    layout->addStretch(2);
    connect(m_manage, &QPushButton::clicked, this, &StartPage::manageProfilesRequested);
    connect(m_new, &QPushButton::clicked, this, &StartPage::newProfileRequested);
    setHasProfiles(false);
}

void StartPage::setHasProfiles(bool hasProfiles)
{
    m_manage->setVisible(hasProfiles);
    m_new->setDefault(!hasProfiles);
    m_manage->setDefault(hasProfiles);
}

} // namespace qc::ui
