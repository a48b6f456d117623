#include "changeplandialog.h"

#include "models/displayformat.h"
#include "services/databaseworker.h"
#include "services/session.h"
#include "ui/roleguard.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QJsonValue>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace qc::ui {

using namespace Qt::StringLiterals;
namespace display = models::display;

namespace {

qint64 quotaOf(const db::PlanQuota& plan, const QString& metric)
{
    const QJsonValue v = plan.quotas.value(metric);
    return v.isUndefined() || v.isNull() ? -1 : v.toInteger(-1);
}

QString quotaText(qint64 limit)
{
    return limit < 0 ? ChangePlanDialog::tr("unlimited") : QString::number(limit);
}

} // namespace

ChangePlanDialog::ChangePlanDialog(
    services::Session* session, const QString& userId, QWidget* parent)
    : QDialog(parent)
    , m_session(session)
    , m_userId(userId)
    , m_runner(new services::ActionRunner(session, this))
    , m_current(new QLabel(this))
    , m_plan(new QComboBox(this))
    , m_usage(new QTableWidget(this))
    , m_effect(new QLabel(this))
    , m_reason(new QPlainTextEdit(this))
    , m_message(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(u"changePlanDialog"_s);
    setWindowTitle(tr("Change plan of %1").arg(userId));
    m_current->setWordWrap(true);
    m_current->setTextFormat(Qt::RichText);
    m_current->setText(tr("Reading the subscription of %1…").arg(userId.toHtmlEscaped()));
    m_plan->setObjectName(u"newPlan"_s);
    m_plan->setEnabled(false);
    m_usage->setObjectName(u"usageTable"_s);
    m_usage->setAccessibleName(tr("Usage against quota"));
    m_usage->setColumnCount(5);
    m_usage->setHorizontalHeaderLabels({ tr("Metric"), tr("Used this cycle"), tr("Quota now"),
        tr("Quota on new plan"), tr("After") });
    m_usage->verticalHeader()->hide();
    m_usage->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_usage->verticalHeader()->setDefaultSectionSize(m_usage->fontMetrics().height() + 8);
    m_usage->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_usage->setSelectionMode(QAbstractItemView::NoSelection);
    m_usage->setWordWrap(false);
    m_usage->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_effect->setObjectName(u"planEffect"_s);
    m_effect->setWordWrap(true);
    m_effect->setTextFormat(Qt::PlainText);
    m_reason->setObjectName(u"planReason"_s);
    m_reason->setPlaceholderText(tr("Why (required; recorded in the audit log)"));
    m_reason->setTabChangesFocus(true);
    m_reason->setFixedHeight(m_reason->fontMetrics().lineSpacing() * 3 + 12);
    m_message->setObjectName(u"planMessage"_s);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    QPushButton* ok = m_buttons->button(QDialogButtonBox::Ok);
    ok->setText(tr("Change plan"));
    ok->setObjectName(u"changePlanOk"_s);
    ok->setEnabled(false);
    if (session)
        RoleGuard::require(ok, session, db::QuotaRole::Admin, tr("Change the plan now"));
    connect(ok, &QPushButton::clicked, this, &ChangePlanDialog::apply);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ChangePlanDialog::reject);
    connect(m_plan, &QComboBox::currentIndexChanged, this, &ChangePlanDialog::updateEffect);

    auto* form = new QFormLayout;
    form->addRow(tr("New &plan:"), m_plan);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_current);
    layout->addLayout(form);
    layout->addWidget(m_usage);
    layout->addWidget(m_effect);
    auto* reasonLabel = new QLabel(tr("&Reason:"), this);
    reasonLabel->setBuddy(m_reason);
    layout->addWidget(reasonLabel);
    layout->addWidget(m_reason);
    layout->addWidget(m_message);
    layout->addStretch(1);
    layout->addWidget(m_buttons);
    resize(680, 480);
    reload();
}

ChangePlanDialog::~ChangePlanDialog() = default;

void ChangePlanDialog::reload()
{
    if (!m_session || !m_session->primary())
        return;
    const QString user = m_userId;
    const QDateTime now = m_session->now();
    // From the primary: the version the form sends must be the latest one.
    m_session->primary()->post<db::PlanOverview>(
        u"changeplan/"_s + QString::number(quintptr(this), 16), this,
        [user, now](QSqlDatabase& db) { return db::readPlanOverview(db, user, now); },
        [this](const services::JobOutcome<db::PlanOverview>& o) {
            if (!o.ran()) {
                setMessage(tr("Cannot read the subscription: %1").arg(o.error), true);
                return;
            }
            if (!o.value.ok()) {
                setMessage(tr("Cannot read the subscription: %1").arg(o.value.error), true);
                return;
            }
            m_overview = o.value;
            showOverview();
            Q_EMIT loaded();
        });
}

std::optional<db::PlanQuota> ChangePlanDialog::planNamed(const QString& name) const
{
    if (!m_overview)
        return std::nullopt;
    for (const db::PlanQuota& p : m_overview->plans)
        if (p.plan == name)
            return p;
    return std::nullopt;
}

void ChangePlanDialog::showOverview()
{
    const db::PlanOverview& o = *m_overview;
    const db::PlanInfo& c = o.current;
    QString text;
    if (c.hasSubscription) {
        text = tr("<b>%1</b> is on <b>%2</b> (subscription version %3, last changed by %4 at %5 "
                  "UTC).")
                   .arg(m_userId.toHtmlEscaped(), c.plan.toHtmlEscaped())
                   .arg(c.version)
                   .arg(c.updatedBy.isEmpty() ? tr("unknown") : c.updatedBy.toHtmlEscaped(),
                       display::time(c.updatedAt));
        if (!c.previousPlan.isEmpty() && c.graceEnd.isValid()
            && c.graceEnd > (m_session ? m_session->now() : QDateTime::currentDateTimeUtc()))
            text += u"<br>"_s
                + tr("Downgraded from <b>%1</b>: its quotas apply until %2 UTC.")
                      .arg(c.previousPlan.toHtmlEscaped(), display::time(c.graceEnd));
    } else {
        text = tr("<b>%1</b> has no subscription yet and is on the default plan <b>%2</b>.")
                   .arg(m_userId.toHtmlEscaped(), c.plan.toHtmlEscaped());
    }
    m_current->setText(text);
    const QString keep = m_plan->currentData().toString();
    {
        const QSignalBlocker block(m_plan);
        m_plan->clear();
        for (const db::PlanQuota& p : o.plans)
            m_plan->addItem(p.paid ? tr("%1 (paid, rank %2)").arg(p.plan).arg(p.rank)
                                   : tr("%1 (rank %2)").arg(p.plan).arg(p.rank),
                p.plan);
        const int i = m_plan->findData(keep.isEmpty() ? c.plan : keep);
        m_plan->setCurrentIndex(i >= 0 ? i : 0);
    }
    m_plan->setEnabled(true);
    updateEffect();
}

void ChangePlanDialog::updateEffect()
{
    if (!m_overview)
        return;
    const db::PlanOverview& o = *m_overview;
    const QString to = m_plan->currentData().toString();
    const auto target = planNamed(to);
    const auto current = planNamed(o.current.plan);
    const bool noSubscription = !o.current.hasSubscription;
    const bool downgrade = !noSubscription && target && current && target->rank < current->rank;
    const QDateTime now = m_session ? m_session->now() : QDateTime::currentDateTimeUtc();
    const QDateTime graceEnd = now.addMSecs(o.downgradeGraceMs);

    m_usage->setRowCount(int(o.usage.size()));
    // As tall as its rows: the form, not the table, takes the room.
    m_usage->setFixedHeight(m_usage->horizontalHeader()->sizeHint().height()
        + int(qMax<qsizetype>(1, o.usage.size())) * m_usage->verticalHeader()->defaultSectionSize()
        + 2 * m_usage->frameWidth() + 2);
    QStringList over;
    for (int r = 0; r < o.usage.size(); ++r) {
        const db::UsageRow& u = o.usage.at(r);
        const qint64 newLimit = target ? quotaOf(*target, u.metric) : -1;
        const bool isOver = newLimit >= 0 && u.used >= newLimit;
        if (isOver)
            over << tr("%1 (%2 used of %3)").arg(u.metric).arg(u.used).arg(newLimit);
        const QStringList cells { u.metric, QString::number(u.used),
            tr("%1 (%2)").arg(quotaText(u.limit), u.limitPlan), quotaText(newLimit),
            isOver ? tr("no requests left")
                   : (newLimit < 0 ? tr("unlimited")
                                   : tr("%n left", nullptr, int(newLimit - u.used))) };
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells.at(c));
            if (c == 4 && isOver)
                item->setForeground(display::severityColor(u"critical"_s));
            m_usage->setItem(r, c, item);
        }
    }

    QString effect;
    if (!target) {
        effect = tr("Choose a plan.");
    } else if (noSubscription) {
        effect = tr("%1 starts on %2 now, with no grace period. Usage this cycle is kept.")
                     .arg(m_userId, to);
    } else if (to == o.current.plan) {
        effect = tr("Nothing changes: %1 is already on %2.").arg(m_userId, to);
    } else if (downgrade) {
        effect = tr("Downgrade: %1 moves to %2 now, but keeps the quotas of %3 during the grace "
                    "period of %4, until %5 UTC; then %2's quotas apply to this cycle's usage, "
                    "which is not reset.")
                     .arg(m_userId, to, o.current.plan, display::duration(o.downgradeGraceMs),
                         display::time(graceEnd));
        if (!over.isEmpty())
            effect += u"\n"_s
                + tr("Already at or over %1's quota: %2 — such requests are denied "
                     "(quota_exceeded) once the grace ends.")
                      .arg(to, over.join(u", "_s));
    } else {
        effect = tr("Upgrade: %2's quotas apply to %1 at once, on this cycle's usage (not "
                    "reset); any downgrade grace ends.")
                     .arg(m_userId, to);
    }
    m_effect->setText(effect);
    QPushButton* ok = m_buttons->button(QDialogButtonBox::Ok);
    if (m_session && m_session->hasRole(db::QuotaRole::Admin))
        ok->setEnabled(!m_busy && target && (noSubscription || to != o.current.plan));
}

void ChangePlanDialog::setPlan(const QString& plan)
{
    const int i = m_plan->findData(plan);
    if (i >= 0)
        m_plan->setCurrentIndex(i);
}

QString ChangePlanDialog::plan() const
{
    return m_plan->currentData().toString();
}

void ChangePlanDialog::setReason(const QString& reason)
{
    m_reason->setPlainText(reason);
}

QString ChangePlanDialog::message() const
{
    return m_message->text();
}

QString ChangePlanDialog::effectText() const
{
    return m_effect->text();
}

void ChangePlanDialog::setMessage(const QString& text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? u"color: #c62828"_s : QString());
}

void ChangePlanDialog::apply()
{
    if (m_busy)
        return;
    if (!m_overview) {
        setMessage(tr("The subscription has not been read yet."), true);
        return;
    }
    const QString reason = m_reason->toPlainText().trimmed();
    if (reason.isEmpty()) {
        setMessage(tr("A reason is required: it goes to the audit log."), true);
        return;
    }
    const QString to = plan();
    const QString user = m_userId;
    const std::optional<qint64> expected
        = m_overview->current.hasSubscription ? m_overview->current.version : 0;
    // A retry after an unknown outcome is the same intended action (same id) when the form
    // is unchanged; anything else is a new one.
    const QString key = to + u'\n' + reason + u'\n' + QString::number(expected.value_or(0));
    if (!m_pending || m_pendingKey != key) {
        m_pendingKey = key;
        m_pending = services::ActionRunner::prepare(tr("Change plan of %1 to %2").arg(user, to),
            [user, to, expected, reason](db::AdminActions& a, const QString& id) {
                return a.changePlan(id, user, to, expected, reason);
            });
    }
    m_busy = true;
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    setMessage(tr("Changing the plan…"), false);
    m_runner->run(*m_pending, this, [this](const services::ActionOutcome& o) {
        m_busy = false;
        if (o.status != services::ActionOutcome::Status::Unknown)
            m_pending.reset();
        if (o.applied()) {
            setMessage(o.message, false);
            Q_EMIT applied(o);
            accept();
            return;
        }
        setMessage(o.message, true);
        Q_EMIT failed(o);
        if (o.result.isConflict())
            reload(); // show what is there now; the admin decides again
        else
            updateEffect();
    });
}

} // namespace qc::ui
