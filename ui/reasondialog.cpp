#include "reasondialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace qc::ui {

using namespace Qt::StringLiterals;

ReasonDialog::ReasonDialog(const QString& title, const QString& explanation, const QString& okText,
    bool required, QWidget* parent)
    : QDialog(parent)
    , m_reason(new QPlainTextEdit(this))
    , m_problem(new QLabel(this))
    , m_required(required)
{
    setObjectName(u"reasonDialog"_s);
    setWindowTitle(title);
    auto* text = new QLabel(explanation, this);
    text->setWordWrap(true);
    m_reason->setObjectName(u"reason"_s);
    m_reason->setPlaceholderText(required ? tr("Reason (required; recorded in the audit log)")
                                          : tr("Note (optional; recorded in the audit log)"));
    m_reason->setTabChangesFocus(true);
    m_reason->setFixedHeight(m_reason->fontMetrics().lineSpacing() * 4);
    m_problem->setStyleSheet(u"color: #c62828"_s);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(okText);
    connect(buttons, &QDialogButtonBox::accepted, this, &ReasonDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ReasonDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addWidget(m_reason);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    resize(460, sizeHint().height());
}

ReasonDialog::~ReasonDialog() = default;

QString ReasonDialog::reason() const
{
    return m_reason->toPlainText().trimmed();
}

void ReasonDialog::setReason(const QString& reason)
{
    m_reason->setPlainText(reason);
}

void ReasonDialog::accept()
{
    if (m_required && reason().isEmpty()) {
        m_problem->setText(tr("A reason is required: it goes to the audit log."));
        return;
    }
    QDialog::accept();
}

} // namespace qc::ui
