#include "blockdialog.h"

#include "db/investigation.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace qc::ui {

using namespace Qt::StringLiterals;

BlockDialog::BlockDialog(const QList<BlockTarget>& targets, const QDateTime& now, QWidget* parent)
    : QDialog(parent)
    , m_given(targets)
    , m_now(now.toUTC())
    , m_reason(new QPlainTextEdit(this))
    , m_duration(new QComboBox(this))
    , m_until(new QDateTimeEdit(this))
    , m_problem(new QLabel(this))
    , m_summary(new QLabel(this))
{
    setObjectName(u"blockDialog"_s);
    setWindowTitle(targets.size() > 1 ? tr("Block %n identifier(s)", nullptr, int(targets.size()))
                                      : tr("Block"));
    auto* form = new QFormLayout;
    if (targets.isEmpty()) {
        m_value = new QLineEdit(this);
        m_value->setObjectName(u"blockValue"_s);
        m_value->setPlaceholderText(
            tr("203.0.113.7, 198.51.100.0/24, 2001:db8:1:2::/64 or a user id"));
        m_kind = new QComboBox(this);
        m_kind->setObjectName(u"blockTarget"_s);
        m_kind->addItem(tr("IP address"), u"ip"_s);
        m_kind->addItem(tr("Network (CIDR)"), u"network"_s);
        m_kind->addItem(tr("User"), u"user"_s);
        form->addRow(tr("&Identifier:"), m_value);
        form->addRow(tr("&Kind:"), m_kind);
        connect(m_value, &QLineEdit::textEdited, this, [this](const QString& text) {
            const int i = m_kind->findData(guessTarget(text));
            if (i >= 0)
                m_kind->setCurrentIndex(i);
            updateState();
        });
        connect(m_kind, &QComboBox::currentIndexChanged, this, &BlockDialog::updateState);
    } else {
        QStringList lines;
        for (const BlockTarget& t : targets)
            lines << tr("%1 %2").arg(t.target, t.value);
        auto* list = new QLabel(lines.mid(0, 12).join(u'\n')
                + (lines.size() > 12 ? tr("\n… and %n more", nullptr, int(lines.size() - 12))
                                     : QString()),
            this);
        list->setTextInteractionFlags(Qt::TextSelectableByMouse);
        form->addRow(tr("Identifiers:"), list);
    }
    m_reason->setObjectName(u"blockReason"_s);
    m_reason->setPlaceholderText(tr("Why (required; recorded in the audit log)"));
    m_reason->setTabChangesFocus(true);
    m_reason->setFixedHeight(m_reason->fontMetrics().lineSpacing() * 4);
    form->addRow(tr("&Reason:"), m_reason);

    m_duration->setObjectName(u"blockDuration"_s);
    m_duration->addItem(tr("1 hour"), u"1h"_s);
    m_duration->addItem(tr("24 hours"), u"24h"_s);
    m_duration->addItem(tr("7 days"), u"7d"_s);
    m_duration->addItem(tr("30 days"), u"30d"_s);
    m_duration->addItem(tr("Permanent (until unblocked)"), u"permanent"_s);
    m_duration->addItem(tr("Until…"), u"until"_s);
    m_duration->setCurrentIndex(1);
    form->addRow(tr("&Duration:"), m_duration);
    m_until->setTimeSpec(Qt::UTC);
    m_until->setDisplayFormat(u"yyyy-MM-dd HH:mm 'UTC'"_s);
    m_until->setCalendarPopup(true);
    m_until->setDateTime(m_now.addDays(1));
    m_until->setMinimumDateTime(m_now.addSecs(60));
    m_until->setEnabled(false);
    form->addRow(tr("Until:"), m_until);

    m_summary->setWordWrap(true);
    m_problem->setObjectName(u"blockProblem"_s);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(u"color: #c62828"_s);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Block"));
    buttons->button(QDialogButtonBox::Ok)->setObjectName(u"blockOk"_s);
    connect(buttons, &QDialogButtonBox::accepted, this, &BlockDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &BlockDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_summary);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);

    connect(m_reason, &QPlainTextEdit::textChanged, this, &BlockDialog::updateState);
    connect(m_duration, &QComboBox::currentIndexChanged, this, [this] {
        m_until->setEnabled(m_duration->currentData().toString() == u"until");
        updateState();
    });
    connect(m_until, &QDateTimeEdit::dateTimeChanged, this, &BlockDialog::updateState);
    updateState();
    resize(520, sizeHint().height());
}

BlockDialog::~BlockDialog() = default;

QString BlockDialog::guessTarget(const QString& value)
{
    const auto subject = db::Subject::parse(value);
    if (!subject)
        return u"user"_s;
    switch (subject->kind) {
    case db::Subject::Kind::Ip:
        return u"ip"_s;
    case db::Subject::Kind::Network:
        return u"network"_s;
    default:
        return u"user"_s;
    }
}

QString BlockDialog::validateTarget(const BlockTarget& t)
{
    const QString v = t.value.trimmed();
    if (v.isEmpty())
        return tr("Type the address, network or user id to block.");
    if (t.target == u"user")
        return {};
    QString error;
    const auto subject = db::Subject::parse(v, &error);
    if (t.target == u"ip") {
        if (!subject || subject->kind != db::Subject::Kind::Ip)
            return subject && subject->kind == db::Subject::Kind::Network
                ? tr("%1 is a network: choose “Network (CIDR)”.").arg(v)
                : tr("%1 is not an IP address; use e.g. 203.0.113.7 or 2001:db8::1.").arg(v);
        return {};
    }
    if (t.target == u"network") {
        if (!subject || subject->kind != db::Subject::Kind::Network)
            return tr("%1 is not a network; use e.g. 198.51.100.0/24 or 2001:db8:1:2::/64.").arg(v);
        if (subject->value != v)
            return tr("%1 has bits set after the prefix; the network is %2.")
                .arg(v, subject->value);
        return {};
    }
    return tr("Unknown target “%1”.").arg(t.target);
}

BlockRequest BlockDialog::request() const
{
    BlockRequest r;
    if (m_value)
        r.targets = { { m_kind->currentData().toString(), m_value->text().trimmed() } };
    else
        r.targets = m_given;
    r.reason = m_reason->toPlainText().trimmed();
    const QString d = m_duration->currentData().toString();
    if (d == u"1h")
        r.until = m_now.addSecs(3600);
    else if (d == u"24h")
        r.until = m_now.addDays(1);
    else if (d == u"7d")
        r.until = m_now.addDays(7);
    else if (d == u"30d")
        r.until = m_now.addDays(30);
    else if (d == u"until")
        r.until = m_until->dateTime().toUTC();
    return r;
}

QString BlockDialog::problem() const
{
    const BlockRequest r = request();
    for (const BlockTarget& t : r.targets) {
        const QString p = validateTarget(t);
        if (!p.isEmpty())
            return p;
    }
    if (r.reason.isEmpty())
        return tr("A reason is required: it goes to the audit log.");
    if (r.until.isValid() && r.until <= m_now)
        return tr("The end must be in the future.");
    return {};
}

void BlockDialog::updateState()
{
    const QString p = problem();
    m_problem->setText(p);
    const BlockRequest r = request();
    m_summary->setText(r.until.isValid()
            ? tr("Requests from %n identifier(s) get 403 blocked until %1 UTC.", nullptr,
                int(r.targets.size()))
                  .arg(r.until.toString(u"yyyy-MM-dd HH:mm"_s))
            : tr("Requests from %n identifier(s) get 403 blocked until someone unblocks them.",
                nullptr, int(r.targets.size())));
}

void BlockDialog::setValue(const QString& value)
{
    if (!m_value)
        return;
    m_value->setText(value);
    const int i = m_kind->findData(guessTarget(value));
    if (i >= 0)
        m_kind->setCurrentIndex(i);
    updateState();
}

void BlockDialog::setTargetKind(const QString& target)
{
    if (m_kind && m_kind->findData(target) >= 0)
        m_kind->setCurrentIndex(m_kind->findData(target));
}

void BlockDialog::setReason(const QString& reason)
{
    m_reason->setPlainText(reason);
}

void BlockDialog::setDuration(const QString& choice)
{
    const int i = m_duration->findData(choice);
    if (i >= 0)
        m_duration->setCurrentIndex(i);
}

void BlockDialog::setUntil(const QDateTime& until)
{
    setDuration(u"until"_s);
    m_until->setDateTime(until.toUTC());
}

void BlockDialog::accept()
{
    updateState();
    if (!problem().isEmpty())
        return;
    QDialog::accept();
}

} // namespace qc::ui
