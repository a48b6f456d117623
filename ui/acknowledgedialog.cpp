#include "acknowledgedialog.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace qc::ui {

using namespace Qt::StringLiterals;

AcknowledgeDialog::AcknowledgeDialog(
    const QString& alertText, bool alertmanager, const QDateTime& now, QWidget* parent)
    : QDialog(parent)
    , m_now(now.toUTC())
    , m_note(new QPlainTextEdit(this))
    , m_duration(new QComboBox(this))
    , m_until(new QDateTimeEdit(this))
    , m_problem(new QLabel(this))
{
    setObjectName(u"acknowledgeDialog"_s);
    setWindowTitle(tr("Acknowledge alert"));
    auto* what = new QLabel(alertText, this);
    what->setWordWrap(true);
    what->setTextFormat(Qt::PlainText);
    auto* how = new QLabel(alertmanager
            ? tr("The alert is marked acknowledged in the quota database (when it is there) "
                 "and silenced in Alertmanager with your note as the silence's comment.")
            : tr("The alert is marked acknowledged in the quota database with your note."),
        this);
    how->setWordWrap(true);
    m_note->setObjectName(u"ackNote"_s);
    m_note->setPlaceholderText(tr("What is being done about it (required; the team sees it)"));
    m_note->setTabChangesFocus(true);
    m_note->setFixedHeight(m_note->fontMetrics().lineSpacing() * 4);
    m_duration->setObjectName(u"ackDuration"_s);
    m_duration->addItem(tr("Until it resolves"), u"resolved"_s);
    m_duration->addItem(tr("1 hour"), u"1h"_s);
    m_duration->addItem(tr("4 hours"), u"4h"_s);
    m_duration->addItem(tr("24 hours"), u"24h"_s);
    m_duration->addItem(tr("Until…"), u"until"_s);
    m_until->setTimeSpec(Qt::UTC);
    m_until->setDisplayFormat(u"yyyy-MM-dd HH:mm 'UTC'"_s);
    m_until->setCalendarPopup(true);
    m_until->setDateTime(m_now.addSecs(3600));
    m_until->setEnabled(false);
    m_duration->setEnabled(alertmanager);
    m_duration->setToolTip(alertmanager ? tr("How long the Alertmanager silence lasts; it ends "
                                             "when the alert resolves in any case")
                                        : tr("Needs an Alertmanager in the connection profile"));
    connect(m_duration, &QComboBox::currentIndexChanged, this,
        [this] { m_until->setEnabled(m_duration->currentData().toString() == u"until"); });
    m_problem->setStyleSheet(u"color: #c62828"_s);

    auto* form = new QFormLayout;
    form->addRow(tr("&Note:"), m_note);
    form->addRow(tr("&Silence:"), m_duration);
    form->addRow(tr("Until:"), m_until);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Acknowledge"));
    connect(buttons, &QDialogButtonBox::accepted, this, &AcknowledgeDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &AcknowledgeDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(what);
    layout->addWidget(how);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    resize(500, sizeHint().height());
}

AcknowledgeDialog::~AcknowledgeDialog() = default;

QString AcknowledgeDialog::note() const
{
    return m_note->toPlainText().trimmed();
}

QDateTime AcknowledgeDialog::until() const
{
    const QString d = m_duration->currentData().toString();
    if (d == u"1h")
        return m_now.addSecs(3600);
    if (d == u"4h")
        return m_now.addSecs(4 * 3600);
    if (d == u"24h")
        return m_now.addDays(1);
    if (d == u"until")
        return m_until->dateTime().toUTC();
    return {};
}

void AcknowledgeDialog::setNote(const QString& note)
{
    m_note->setPlainText(note);
}

void AcknowledgeDialog::setDuration(const QString& choice)
{
    const int i = m_duration->findData(choice);
    if (i >= 0)
        m_duration->setCurrentIndex(i);
}

void AcknowledgeDialog::setUntil(const QDateTime& until)
{
    setDuration(u"until"_s);
    m_until->setDateTime(until.toUTC());
}

void AcknowledgeDialog::accept()
{
    if (note().isEmpty()) {
        m_problem->setText(tr("Write a note: it tells the team what is being done."));
        return;
    }
    const QDateTime u = until();
    if (u.isValid() && u <= m_now) {
        m_problem->setText(tr("The end must be in the future."));
        return;
    }
    QDialog::accept();
}

} // namespace qc::ui
