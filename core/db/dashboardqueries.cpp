#include "dashboardqueries.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlField>
#include <QSqlQuery>
#include <QVariant>

#include <cmath>

namespace qc::db {

using namespace Qt::StringLiterals;

namespace {

// The summed latency histogram of a group of rollup rows, cumulative (element i: the
// observations in buckets 1..i, element 13 the total), summed in double precision (exact for
// counts below 2^53; numeric sums and casts cost several times more): per-element sums,
// an order of magnitude faster than quota.array_sum, which calls a SQL function per row.
QString cumulativeHistogramSum()
{
    QString out = u"ARRAY["_s;
    QString running;
    for (int i = 1; i <= 13; ++i) {
        running += (i > 1 ? u" + "_s : QString()) + u"sum(latency_buckets[%1]::float8)"_s.arg(i);
        out += (i > 1 ? u",\n        "_s : QString()) + running;
    }
    return out + u"]"_s;
}

// p95 of a cumulative histogram, interpolated as Prometheus' histogram_quantile does
// (quota.latency_quantile_cumulative, inlined by the planner; NULL when the histogram is empty).
QString p95Of(const QString& hist)
{
    return u"quota.latency_quantile_cumulative("_s + hist + u", 0.95)"_s;
}

qint64 toInt(const QVariant& v)
{
    return v.isNull() ? 0 : v.toLongLong();
}

double toDouble(const QVariant& v)
{
    return v.isNull() ? 0.0 : v.toDouble();
}

std::optional<double> toOptional(const QVariant& v)
{
    if (v.isNull())
        return std::nullopt;
    const double d = v.toDouble();
    return std::isfinite(d) ? std::optional<double>(d) : std::nullopt;
}

QDateTime toUtc(const QVariant& v)
{
    return v.isNull() ? QDateTime() : v.toDateTime().toUTC();
}

QString intervalText(std::chrono::seconds step)
{
    return QString::number(step.count()) + u" seconds"_s;
}

// The name under which `sql` stays prepared in a session: the same text gets the same name in
// every session, so a statement is prepared once per connection and planned once (generic plans,
// see RollupReadSettings) instead of parsed, analysed and planned on every refresh.
QString preparedName(const QString& sql)
{
    const QByteArray digest = QCryptographicHash::hash(sql.toUtf8(), QCryptographicHash::Sha1);
    return u"qc_dashboard_"_s + QString::fromLatin1(digest.toHex().left(16));
}

// SQLSTATE invalid_sql_statement_name: the session has no statement of that name (a new
// connection, or one that ran DISCARD ALL).
constexpr auto kNoSuchStatement = "26000";

// One statement with positional $n parameters, kept prepared in the session under
// preparedName(sql) and run with EXECUTE; `what` names it in error messages. The values are
// written as literals by the driver (as QSqlQuery's own prepared statements do in QPSQL).
class Statement {
public:
    Statement(QSqlDatabase db, const QString& what, const QString& sql, const QVariantList& params)
        : m_query(db)
        , m_what(what)
    {
        m_query.setForwardOnly(true);
        const QString name = preparedName(sql);
        QStringList values;
        for (const QVariant& v : params) {
            QSqlField field(QString(), v.metaType());
            field.setValue(v);
            values.append(db.driver()->formatValue(field));
        }
        const QString execute = values.isEmpty()
            ? u"EXECUTE "_s + name
            : u"EXECUTE %1 (%2)"_s.arg(name, values.join(u", "_s));
        if (m_query.exec(execute))
            return;
        if (m_query.lastError().nativeErrorCode() != QLatin1StringView(kNoSuchStatement)) {
            m_error = describe(m_query);
            return;
        }
        QSqlQuery prepare(db);
        if (!prepare.exec(u"PREPARE %1 AS %2"_s.arg(name, sql))) {
            m_error = describe(prepare);
            return;
        }
        if (!m_query.exec(execute))
            m_error = describe(m_query);
    }

    bool ok() const { return m_error.isEmpty(); }
    const QString& error() const { return m_error; }
    bool next() { return ok() && m_query.next(); }
    QVariant value(int column) const { return m_query.value(column); }

private:
    QString describe(const QSqlQuery& query) const
    {
        const QSqlError e = query.lastError();
        QString reason = e.databaseText().trimmed();
        if (reason.isEmpty())
            reason = e.text().trimmed();
        return u"dashboard query '%1' failed: %2"_s.arg(m_what, reason);
    }

    QSqlQuery m_query;
    QString m_what;
    QString m_error;
};

// While alive, the session plans prepared statements once for any parameters (generic plans):
// the rollup functions' ranges are computed at run time (quota.grain_bounds), so a plan for one
// range serves every range, and planning the tier unions on each refresh cost more than reading
// them. Without parallel workers: generic plans of small rollup reads are costed high enough to
// be given workers, whose start costs more than the whole read. Restored on destruction, since
// the connection serves other pages too.
class RollupReadSettings {
public:
    explicit RollupReadSettings(QSqlDatabase db)
        : m_db(db)
    {
        QSqlQuery q(m_db);
        m_set = q.exec(u"SET plan_cache_mode = force_generic_plan; "
                       u"SET max_parallel_workers_per_gather = 0"_s);
    }
    ~RollupReadSettings()
    {
        if (m_set) {
            QSqlQuery q(m_db);
            q.exec(u"RESET plan_cache_mode; RESET max_parallel_workers_per_gather"_s);
        }
    }
    RollupReadSettings(const RollupReadSettings&) = delete;
    RollupReadSettings& operator=(const RollupReadSettings&) = delete;

private:
    QSqlDatabase m_db;
    bool m_set = false;
};

KpiFigures readKpis(Statement& s, const DashboardRange& range)
{
    KpiFigures k;
    k.minutes = double(range.lengthSeconds()) / 60.0;
    if (!s.next())
        return k;
    k.requests = toInt(s.value(0));
    k.denied = toInt(s.value(1));
    k.collisions = toInt(s.value(3));
    k.p95Ms = toOptional(s.value(5));
    k.slowChecks = toInt(s.value(6));
    k.rateLimited = toInt(s.value(7));
    k.failOpen = toInt(s.value(8));
    k.costUsd = toDouble(s.value(9));
    return k;
}

QList<TopRow> readTop(Statement& s, bool withP95)
{
    QList<TopRow> rows;
    while (s.next()) {
        TopRow r;
        r.identifier = s.value(0).toString();
        r.requests = toInt(s.value(1));
        r.denials = toInt(s.value(2));
        r.denialPercent = toDouble(s.value(3));
        r.costUsd = toDouble(s.value(4));
        if (withP95)
            r.p95Ms = toOptional(s.value(5));
        rows.append(r);
    }
    return rows;
}

BlockCounts readBlocks(Statement& s)
{
    BlockCounts b;
    if (s.next()) {
        b.ip = toInt(s.value(0));
        b.network = toInt(s.value(1));
        b.user = toInt(s.value(2));
        b.total = toInt(s.value(3));
    }
    return b;
}

} // namespace

namespace dashboardsql {

QString kpis()
{
    return uR"(SELECT requests, denied, denied::float8 / nullif(requests, 0) AS denial_rate,
       collisions, collisions::float8 / nullif(requests, 0) AS collision_rate, )"_s
        + p95Of(u"r.hist"_s) + uR"( AS p95_ms,
       coalesce(r.hist[13] - r.hist[10], 0)::bigint AS slow_checks,
       rate_limited, fail_open, cost_usd
FROM (SELECT coalesce(sum(requests), 0) AS requests, coalesce(sum(denied), 0) AS denied,
             coalesce(sum(collisions), 0) AS collisions,
             coalesce(sum(rate_limited), 0) AS rate_limited,
             coalesce(sum(fail_open), 0) AS fail_open,
             coalesce(sum(cost_usd), 0) AS cost_usd, )"_s
        + cumulativeHistogramSum() + uR"( AS hist
      FROM quota.total_rows($1, $2)) r)"_s;
}

QString costTodayAndMonth()
{
    return uR"(SELECT coalesce(sum(cost_usd) FILTER (WHERE bucket >= date_trunc('day', $2, 'UTC')), 0)
           AS today, coalesce(sum(cost_usd), 0) AS month_to_date
FROM quota.total_rows(date_trunc('month', $2::timestamptz, 'UTC'), $2)
WHERE $1 <= $2)"_s;
}

QString series()
{
    return uR"(SELECT t, requests, denied, cost_usd, )"_s + p95Of(u"s.hist"_s)
        + uR"( AS p95_ms, collisions
FROM (SELECT date_bin($3, bucket, timestamptz '2000-01-01') AS t, sum(requests) AS requests,
             sum(denied) AS denied, sum(cost_usd) AS cost_usd, sum(collisions) AS collisions, )"_s
        + cumulativeHistogramSum() + uR"( AS hist
      FROM quota.total_rows($1, $2, $3)
      GROUP BY 1) s
ORDER BY t)"_s;
}

QString denialsByReason()
{
    return uR"(SELECT date_bin($3, bucket, timestamptz '2000-01-01') AS t, reason, sum(denials)
FROM quota.denial_rows($1, $2, $3)
GROUP BY 1, 2 ORDER BY 1, 2)"_s;
}

QString topIdentifiers(const QString& kind)
{
    // `kind` is one of two literals, never user input.
    const QString k = kind == u"user" ? u"user"_s : u"ip"_s;
    return uR"(SELECT identifier, requests, denials, denial_pct, cost_usd
FROM quota.top_identifiers(')"_s
        + k + uR"(', $1, $2, $3))"_s;
}

QString topEndpoints()
{
    return uR"(SELECT endpoint, requests, denied, round(100.0 * denied / requests, 2) AS denial_pct,
       cost_usd, )"_s
        + p95Of(u"e.hist"_s) + uR"( AS p95_ms
FROM (SELECT endpoint, sum(requests) AS requests,
             sum(denied) AS denied, sum(cost_usd) AS cost_usd, )"_s
        + cumulativeHistogramSum() + uR"( AS hist
      FROM quota.endpoint_rows($1, $2)
      GROUP BY endpoint) e
ORDER BY requests DESC, endpoint)"_s;
}

QString activeBlocks()
{
    return uR"(SELECT count(*) FILTER (WHERE target = 'ip'), count(*) FILTER (WHERE target = 'network'),
       count(*) FILTER (WHERE target = 'user'), count(*)
FROM quota.blocked_identifiers
WHERE blocked_from <= $1 AND (blocked_until IS NULL OR blocked_until > $1)
  AND (unblocked_at IS NULL OR unblocked_at > $1))"_s;
}

QString openAlerts()
{
    return uR"(SELECT count(*) FILTER (WHERE state = 'firing'),
       count(*) FILTER (WHERE state = 'acknowledged')
FROM quota.alerts WHERE state <> 'resolved')"_s;
}

QString alertsStarted()
{
    return uR"(SELECT id, rule, severity, state, starts_at, ends_at FROM quota.alerts
WHERE starts_at >= $1 AND starts_at < $2 ORDER BY starts_at, id LIMIT 500)"_s;
}

} // namespace dashboardsql

DashboardRange DashboardRange::previous() const
{
    const qint64 length = lengthSeconds();
    return { start.addSecs(-length), start, step };
}

std::optional<double> KpiFigures::denialRate() const
{
    return requests > 0 ? std::optional<double>(double(denied) / double(requests)) : std::nullopt;
}

std::optional<double> KpiFigures::collisionRate() const
{
    return requests > 0 ? std::optional<double>(double(collisions) / double(requests))
                        : std::nullopt;
}

std::optional<double> KpiFigures::requestsPerMinute() const
{
    return minutes > 0 ? std::optional<double>(double(requests) / minutes) : std::nullopt;
}

std::optional<double> KpiFigures::rateLimitedPerMinute() const
{
    return minutes > 0 ? std::optional<double>(double(rateLimited) / minutes) : std::nullopt;
}

std::chrono::seconds defaultStep(std::chrono::seconds length)
{
    using namespace std::chrono_literals;
    if (length <= 1h)
        return 1min;
    if (length <= 24h)
        return 5min;
    if (length <= 7 * 24h)
        return 1h;
    return 6h;
}

DashboardResult readDashboard(QSqlDatabase db, const DashboardRange& range, int topLimit)
{
    DashboardResult result;
    DashboardData& d = result.data;
    d.range = range;
    QElapsedTimer timer;
    timer.start();
    const QDateTime start = range.start.toUTC();
    const QDateTime end = range.end.toUTC();
    const DashboardRange before = range.previous();
    const QVariantList span { start, end };
    const QString step = intervalText(range.step);

    const RollupReadSettings settings(db);
    auto fail = [&](const Statement& s) {
        result.error = s.error();
        return result;
    };

    {
        Statement s(db, u"kpis"_s, dashboardsql::kpis(), span);
        if (!s.ok())
            return fail(s);
        d.current = readKpis(s, range);
    }
    {
        Statement s(db, u"kpis of the previous range"_s, dashboardsql::kpis(),
            { before.start.toUTC(), before.end.toUTC() });
        if (!s.ok())
            return fail(s);
        d.previous = readKpis(s, before);
    }
    {
        Statement s(db, u"cost today and month to date"_s, dashboardsql::costTodayAndMonth(), span);
        if (!s.ok())
            return fail(s);
        if (s.next()) {
            d.cost.todayUsd = toDouble(s.value(0));
            d.cost.monthToDateUsd = toDouble(s.value(1));
        }
        const QDate day = end.date();
        const QDateTime monthStart(QDate(day.year(), day.month(), 1), QTime(0, 0), Qt::UTC);
        const double elapsed = double(monthStart.secsTo(end));
        const double month = double(monthStart.secsTo(monthStart.addMonths(1)));
        d.cost.monthProjectionUsd = elapsed > 0 ? d.cost.monthToDateUsd * month / elapsed : 0;
    }
    {
        Statement s(db, u"series"_s, dashboardsql::series(), { start, end, step });
        if (!s.ok())
            return fail(s);
        while (s.next()) {
            SeriesPoint p;
            p.t = toUtc(s.value(0));
            p.requests = toInt(s.value(1));
            p.denied = toInt(s.value(2));
            p.costUsd = toDouble(s.value(3));
            p.p95Ms = toOptional(s.value(4));
            p.collisions = toInt(s.value(5));
            d.series.append(p);
        }
    }
    {
        Statement s(
            db, u"denials by reason"_s, dashboardsql::denialsByReason(), { start, end, step });
        if (!s.ok())
            return fail(s);
        while (s.next())
            d.denialsByReason.append(
                { toUtc(s.value(0)), s.value(1).toString(), toInt(s.value(2)) });
    }
    {
        Statement s(
            db, u"top IPs"_s, dashboardsql::topIdentifiers(u"ip"_s), { start, end, topLimit });
        if (!s.ok())
            return fail(s);
        d.topIps = readTop(s, false);
    }
    {
        Statement s(
            db, u"top users"_s, dashboardsql::topIdentifiers(u"user"_s), { start, end, topLimit });
        if (!s.ok())
            return fail(s);
        d.topUsers = readTop(s, false);
    }
    {
        Statement s(db, u"top endpoints"_s, dashboardsql::topEndpoints(), span);
        if (!s.ok())
            return fail(s);
        d.topEndpoints = readTop(s, true);
    }
    {
        Statement s(db, u"active blocks"_s, dashboardsql::activeBlocks(), { end });
        if (!s.ok())
            return fail(s);
        d.blocksNow = readBlocks(s);
    }
    {
        Statement s(
            db, u"blocks at the start of the range"_s, dashboardsql::activeBlocks(), { start });
        if (!s.ok())
            return fail(s);
        d.blocksBefore = readBlocks(s);
    }
    {
        Statement s(db, u"open alerts"_s, dashboardsql::openAlerts(), {});
        if (!s.ok())
            return fail(s);
        if (s.next()) {
            d.firingAlerts = toInt(s.value(0));
            d.acknowledgedAlerts = toInt(s.value(1));
        }
    }
    {
        Statement s(db, u"alerts in the range"_s, dashboardsql::alertsStarted(), span);
        if (!s.ok())
            return fail(s);
        while (s.next()) {
            AlertMarker m;
            m.id = toInt(s.value(0));
            m.rule = s.value(1).toString();
            m.severity = s.value(2).toString();
            m.state = s.value(3).toString();
            m.startsAt = toUtc(s.value(4));
            m.endsAt = toUtc(s.value(5));
            d.alerts.append(m);
        }
    }
    d.fetchedAt = QDateTime::currentDateTimeUtc();
    d.queryMs = timer.elapsed();
    return result;
}

} // namespace qc::db
