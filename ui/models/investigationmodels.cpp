#include "investigationmodels.h"

#include "models/displayformat.h"

#include <QBrush>

namespace qc::models {

using namespace Qt::StringLiterals;

namespace {
const Qt::Alignment kRight = Qt::AlignRight | Qt::AlignVCenter;
} // namespace

RateLimitModel::RateLimitModel(QObject* parent)
    : ValueTableModel<db::RateLimitState>(parent)
{
    using R = db::RateLimitState;
    addColumn({ tr("Rule"),
        [](const R& r) -> QVariant {
            return r.shadow ? tr("%1 (shadow)").arg(r.ruleId) : r.ruleId;
        },
        [](const R& r) -> QVariant { return r.order; }, {}, {}, {} });
    addColumn({ tr("Scope"), [](const R& r) -> QVariant { return r.scope; }, {}, {}, {}, {} });
    addColumn({ tr("Algorithm"),
        [](const R& r) -> QVariant {
            if (r.algorithm == u"token_bucket")
                return tr("token bucket, a token per %1").arg(display::duration(r.windowMs));
            if (r.algorithm == u"sliding_window")
                return tr("sliding window of %1").arg(display::duration(r.windowMs));
            return tr("fixed window of %1").arg(display::duration(r.windowMs));
        },
        {}, {}, {}, {} });
    addColumn({ tr("Identifier"),
        [](const R& r) -> QVariant {
            QString id
                = r.identifier.isEmpty() && r.scope == u"global" ? tr("(everyone)") : r.identifier;
            if (!r.endpoint.isEmpty())
                id += u" · "_s + r.endpoint;
            return id;
        },
        {}, {}, {}, {} });
    addColumn({ tr("Used"),
        [](const R& r) -> QVariant { return tr("%1 / %2").arg(r.used).arg(r.limit); },
        [](const R& r) -> QVariant { return r.limit > 0 ? double(r.used) / double(r.limit) : 0.0; },
        {}, kRight, tr("Count (fixed window), estimate (sliding window) or tokens taken") });
    addColumn({ tr("Remaining"), [](const R& r) -> QVariant { return r.remaining; }, {}, {}, kRight,
        tr("Requests this rule would still admit now") });
    addColumn({ tr("Resets"),
        [this](const R& r) -> QVariant {
            return r.resetAt.isValid() ? display::relative(r.resetAt, m_now) : QString();
        },
        [](const R& r) -> QVariant { return r.resetAt; },
        [](const R& r, int role) -> QVariant {
            return role == Qt::ToolTipRole ? QVariant(display::time(r.resetAt)) : QVariant();
        },
        {}, {} });
    addColumn({ tr("Next request"),
        [](const R& r) -> QVariant {
            if (r.admits)
                return tr("admitted");
            return r.shadow ? tr("would be denied") : tr("denied");
        },
        {},
        [](const R& r, int role) -> QVariant {
            if (role == Qt::ForegroundRole)
                return QBrush(display::decisionColor(r.admits ? u"allowed"_s : u"denied"_s));
            return {};
        },
        {}, tr("What this rule decides for a request now (as quota_check would)") });
    addColumn({ tr("Note"), [](const R& r) -> QVariant { return r.note; }, {}, {}, {}, {} });
}

void RateLimitModel::resetData(const QList<db::RateLimitState>& rows, const QDateTime& now)
{
    m_now = now;
    ValueTableModel<db::RateLimitState>::resetData(rows);
}

ReasonCountModel::ReasonCountModel(QObject* parent)
    : ValueTableModel<db::ReasonCount>(parent)
{
    using R = db::ReasonCount;
    addColumn({ tr("Reason"), [](const R& r) -> QVariant { return r.reason; }, {}, {}, {}, {} });
    addColumn(
        { tr("Denials"), [](const R& r) -> QVariant { return r.count; }, {}, {}, kRight, {} });
    addColumn({ tr("Share"),
        [this](const R& r) -> QVariant {
            return m_total > 0 ? display::percent(double(r.count) / double(m_total)) : QString();
        },
        [](const R& r) -> QVariant { return r.count; }, {}, kRight, {} });
}

void ReasonCountModel::resetData(const QList<db::ReasonCount>& rows)
{
    m_total = 0;
    for (const db::ReasonCount& r : rows)
        m_total += r.count;
    ValueTableModel<db::ReasonCount>::resetData(rows);
}

CollisionModel::CollisionModel(QObject* parent)
    : ValueTableModel<db::CollisionRow>(parent)
{
    using R = db::CollisionRow;
    addColumn({ tr("Time (UTC)"), [](const R& r) -> QVariant { return display::time(r.ts); },
        [](const R& r) -> QVariant { return r.ts; }, {}, {}, {} });
    addColumn({ tr("Kind"), [](const R& r) -> QVariant { return r.kind; }, {}, {}, {},
        tr("parameters, late (over 5 min after the first) or user agent") });
    addColumn({ tr("Classification"), [](const R& r) -> QVariant { return r.classification(); }, {},
        {}, {}, tr("Every way the request differs from the first one with its key") });
    addColumn({ tr("Key"), [](const R& r) -> QVariant { return r.key; }, {}, {}, {}, {} });
    addColumn(
        { tr("Endpoint"), [](const R& r) -> QVariant { return r.endpoint; }, {}, {}, {}, {} });
    addColumn({ tr("User"), [](const R& r) -> QVariant { return r.userId; }, {}, {}, {}, {} });
    addColumn({ tr("Client"), [](const R& r) -> QVariant { return r.clientKey; }, {}, {}, {}, {} });
    addColumn({ tr("After first"),
        [](const R& r) -> QVariant { return display::duration(r.msSinceFirst); },
        [](const R& r) -> QVariant { return r.msSinceFirst; }, {}, kRight, {} });
    addColumn({ tr("Request"), [](const R& r) -> QVariant { return r.requestId; }, {},
        [](const R& r, int role) -> QVariant {
            if (role == Qt::ToolTipRole)
                return tr("First request: %1\nUser agent then: %2\nUser agent now: %3")
                    .arg(r.firstRequestId, r.storedUserAgent, r.userAgent);
            return {};
        },
        {}, {} });
}

PlanChangeModel::PlanChangeModel(QObject* parent)
    : ValueTableModel<db::PlanChangeRow>(parent)
{
    using R = db::PlanChangeRow;
    addColumn({ tr("Effective (UTC)"),
        [](const R& r) -> QVariant { return display::time(r.effectiveAt); },
        [](const R& r) -> QVariant { return r.effectiveAt; }, {}, {}, {} });
    addColumn({ tr("Kind"), [](const R& r) -> QVariant { return r.kind; }, {}, {}, {}, {} });
    addColumn({ tr("From"), [](const R& r) -> QVariant { return r.fromPlan; }, {}, {}, {}, {} });
    addColumn({ tr("To"), [](const R& r) -> QVariant { return r.toPlan; }, {}, {}, {}, {} });
    addColumn({ tr("Grace until"), [](const R& r) -> QVariant { return display::time(r.graceEnd); },
        [](const R& r) -> QVariant { return r.graceEnd; }, {}, {},
        tr("After a downgrade the previous plan's quota applies until then") });
    addColumn({ tr("By"), [](const R& r) -> QVariant { return r.changedBy; }, {}, {}, {}, {} });
    addColumn({ tr("Reason"), [](const R& r) -> QVariant { return r.reason; }, {}, {}, {}, {} });
}

UsageModel::UsageModel(QObject* parent)
    : ValueTableModel<db::UsageRow>(parent)
{
    using R = db::UsageRow;
    addColumn({ tr("Metric"), [](const R& r) -> QVariant { return r.metric; }, {}, {}, {}, {} });
    addColumn({ tr("Used"), [](const R& r) -> QVariant { return r.used; }, {}, {}, kRight, {} });
    addColumn({ tr("Quota"),
        [](const R& r) -> QVariant {
            return r.limit < 0 ? tr("unlimited") : QString::number(r.limit);
        },
        [](const R& r) -> QVariant { return r.limit; }, {}, kRight, {} });
    addColumn({ tr("Used %"),
        [](const R& r) -> QVariant {
            if (r.limit < 0)
                return {};
            if (r.limit == 0)
                return r.used > 0 ? tr("over") : QString();
            return display::percent(double(r.used) / double(r.limit));
        },
        [](const R& r) -> QVariant { return r.limit > 0 ? double(r.used) / double(r.limit) : 0.0; },
        [](const R& r, int role) -> QVariant {
            if (role == Qt::ForegroundRole && r.limit >= 0 && r.used >= r.limit)
                return QBrush(display::severityColor(u"critical"_s));
            return {};
        },
        kRight, {} });
    addColumn({ tr("Quota of plan"), [](const R& r) -> QVariant { return r.limitPlan; }, {}, {}, {},
        tr("The plan whose quota applies (the previous one during a downgrade's grace)") });
    addColumn({ tr("Cycle since"),
        [](const R& r) -> QVariant { return display::time(r.cycleStart); }, {}, {}, {}, {} });
}

RelatedModel::RelatedModel(QObject* parent)
    : ValueTableModel<db::RelatedIdentifier>(parent)
{
    using R = db::RelatedIdentifier;
    addColumn({ tr("Kind"), [](const R& r) -> QVariant { return r.kind; }, {}, {}, {}, {} });
    addColumn(
        { tr("Identifier"), [](const R& r) -> QVariant { return r.identifier; }, {}, {}, {}, {} });
    addColumn(
        { tr("Requests"), [](const R& r) -> QVariant { return r.requests; }, {}, {}, kRight, {} });
    addColumn(
        { tr("Denials"), [](const R& r) -> QVariant { return r.denials; }, {}, {}, kRight, {} });
}

SpanTopModel::SpanTopModel(const QString& title, QObject* parent)
    : ValueTableModel<db::TopRow>(parent)
{
    using R = db::TopRow;
    addColumn({ title, [](const R& r) -> QVariant { return r.identifier; }, {}, {}, {}, {} });
    addColumn(
        { tr("Requests"), [](const R& r) -> QVariant { return r.requests; }, {}, {}, kRight, {} });
    addColumn(
        { tr("Denials"), [](const R& r) -> QVariant { return r.denials; }, {}, {}, kRight, {} });
    addColumn({ tr("Denied %"),
        [](const R& r) -> QVariant { return QString::number(r.denialPercent, 'f', 1); },
        [](const R& r) -> QVariant { return r.denialPercent; }, {}, kRight, {} });
    addColumn({ tr("Cost"), [](const R& r) -> QVariant { return display::money(r.costUsd); },
        [](const R& r) -> QVariant { return r.costUsd; }, {}, kRight, {} });
}

} // namespace qc::models
