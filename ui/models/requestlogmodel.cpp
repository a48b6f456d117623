#include "requestlogmodel.h"

#include "models/displayformat.h"

#include <QBrush>

namespace qc::models {

using namespace Qt::StringLiterals;
using Row = db::RequestLogRow;

namespace {

QString collisionText(int flags)
{
    QStringList parts;
    if (flags & 1)
        parts << RequestLogModel::tr("parameters");
    if (flags & 2)
        parts << RequestLogModel::tr("late");
    if (flags & 4)
        parts << RequestLogModel::tr("user agent");
    return parts.join(u", "_s);
}

QVariant optionalNumber(const std::optional<qint64>& v)
{
    return v ? QVariant(*v) : QVariant();
}

} // namespace

RequestLogModel::RequestLogModel(QObject* parent)
    : ValueTableModel<Row>(parent)
{
    const Qt::Alignment right = Qt::AlignRight | Qt::AlignVCenter;
    addColumn({ tr("Time (UTC)"), [](const Row& r) -> QVariant { return display::timeMs(r.ts); },
        [](const Row& r) -> QVariant { return r.tsMicros; }, {}, {}, {} });
    addColumn({ tr("Decision"), [](const Row& r) -> QVariant { return r.decision; }, {},
        [](const Row& r, int role) -> QVariant {
            if (role == Qt::ForegroundRole)
                return QBrush(display::decisionColor(r.decision));
            if (role == Qt::ToolTipRole && r.failOpen)
                return tr("Failed open: the quota check did not answer, the request was let "
                          "through without limits.");
            return {};
        },
        {}, {} });
    addColumn(
        { tr("Status"), [](const Row& r) { return optionalNumber(r.status); }, {}, {}, right, {} });
    addColumn({ tr("Reason"), [](const Row& r) -> QVariant { return r.reason; }, {}, {}, {}, {} });
    addColumn({ tr("Rule"),
        [](const Row& r) -> QVariant {
            return r.wouldDeny.isEmpty() ? r.rule
                                         : (r.rule.isEmpty() ? QString() : r.rule + u" · "_s)
                    + tr("would deny: %1").arg(r.wouldDeny);
        },
        {}, {}, {}, tr("The rule that denied the request; shadow rules that would have") });
    addColumn(
        { tr("Endpoint"), [](const Row& r) -> QVariant { return r.endpoint; }, {}, {}, {}, {} });
    addColumn({ tr("Method"), [](const Row& r) -> QVariant { return r.method; }, {}, {}, {}, {} });
    addColumn({ tr("User"), [](const Row& r) -> QVariant { return r.userId; }, {}, {}, {}, {} });
    addColumn({ tr("Plan"), [](const Row& r) -> QVariant { return r.plan; }, {}, {}, {}, {} });
    addColumn({ tr("IP"), [](const Row& r) -> QVariant { return r.ip; }, {},
        [](const Row& r, int role) -> QVariant {
            if (role == Qt::ToolTipRole && !r.forwardedFor.isEmpty())
                return tr("Forwarded for: %1").arg(r.forwardedFor);
            return {};
        },
        {}, {} });
    addColumn(
        { tr("Country"), [](const Row& r) -> QVariant { return r.country; }, {}, {}, {}, {} });
    addColumn({ tr("Cost"), [](const Row& r) -> QVariant { return display::money(r.costUsd); },
        [](const Row& r) -> QVariant { return r.costUsd ? QVariant(*r.costUsd) : QVariant(); }, {},
        right, {} });
    addColumn({ tr("Check ms"),
        [](const Row& r) -> QVariant {
            return r.quotaCheckMs ? QVariant(QString::number(*r.quotaCheckMs, 'f', 1)) : QVariant();
        },
        [](const Row& r) -> QVariant {
            return r.quotaCheckMs ? QVariant(*r.quotaCheckMs) : QVariant();
        },
        {}, right, tr("Time the quota check took") });
    addColumn({ tr("Response ms"), [](const Row& r) { return optionalNumber(r.responseMs); }, {},
        {}, right, {} });
    addColumn(
        { tr("Collision"), [](const Row& r) -> QVariant { return collisionText(r.collision); }, {},
            {}, {}, tr("Idempotency-key collision: different parameters, late, user agent") });
    addColumn(
        { tr("Request id"), [](const Row& r) -> QVariant { return r.requestId; }, {}, {}, {}, {} });
    addColumn({ tr("User agent"), [](const Row& r) -> QVariant { return r.userAgent; }, {},
        [](const Row& r, int role) -> QVariant {
            return role == Qt::ToolTipRole ? QVariant(r.userAgent) : QVariant();
        },
        {}, {} });
    addColumn({ tr("Idempotency key"), [](const Row& r) -> QVariant { return r.idempotencyKey; },
        {}, {}, {}, {} });
}

int RequestLogModel::defaultWidth(int column)
{
    switch (column) {
    case Time:
        return 170;
    case Decision:
    case Status:
    case Method:
    case Country:
    case Plan:
        return 70;
    case Reason:
    case Rule:
        return 130;
    case Endpoint:
    case User:
    case Ip:
        return 140;
    case UserAgent:
        return 220;
    default:
        return 100;
    }
}

void RequestLogModel::resetPage(const db::RequestLogPage& page, quint64 generation)
{
    m_generation = generation;
    m_hasMore = page.hasMore;
    m_next = page.next;
    m_fetching = false;
    m_pages = 1;
    resetData(page.rows);
}

void RequestLogModel::appendPage(const db::RequestLogPage& page, quint64 generation)
{
    if (generation != m_generation || !m_fetching)
        return;
    m_fetching = false;
    m_hasMore = page.hasMore;
    m_next = page.next;
    ++m_pages;
    appendRows(page.rows);
}

void RequestLogModel::fetchFailed(quint64 generation)
{
    if (generation == m_generation)
        m_fetching = false;
}

void RequestLogModel::clear(quint64 generation)
{
    m_generation = generation;
    m_hasMore = false;
    m_fetching = false;
    m_next = {};
    m_pages = 0;
    resetData({});
}

bool RequestLogModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && m_hasMore && !m_fetching;
}

void RequestLogModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent))
        return;
    m_fetching = true;
    Q_EMIT fetchRequested(m_next, m_generation);
}

} // namespace qc::models
