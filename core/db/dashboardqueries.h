#pragma once

#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <chrono>
#include <optional>

namespace qc::db {

/// The dashboard's questions to the quota database, answered from the rollups so that no query
/// scans raw request logs (docs/database.md): KPIs, cost and series from quota.total_rows(),
/// denials by reason from quota.denial_rows(), endpoints from quota.endpoint_rows() (each the
/// hours, 5 minutes and minutes of a range that fit the series step), top lists from
/// quota.top_identifiers() over the hourly and daily identifier rows. The SQL text is public so
/// that tests/bench/bench_dashboard times exactly what the console runs. Parameters: $1 = range
/// start, $2 = range end, both timestamptz, the start on a whole minute; $3 = the series step
/// (interval) or, for top lists, the row limit. A rollup_minute row covers [bucket, bucket + 1
/// min); top lists of identifiers come from hourly rows and so cover [date_trunc('hour', $1), $2).
namespace dashboardsql {

/// requests, denied, denial_rate, collisions, collision_rate, p95_ms (column 5, a histogram
/// estimate), slow_checks (quota checks over 300 ms), rate_limited, fail_open, cost_usd.
QString kpis();
/// today, month_to_date: cost in USD for the UTC day and month of $2 ($1 only has to be <= $2).
QString costTodayAndMonth();
/// t, requests, denied, cost_usd, p95_ms (column 4), collisions — one row per step $3.
QString series();
/// t, reason, denials — per step $3, denied requests only.
QString denialsByReason();
/// identifier, requests, denials, denial_pct, cost_usd — the $3 busiest of `kind` ("ip" or
/// "user"), ties by identifier.
QString topIdentifiers(const QString& kind);
/// endpoint, requests, denied, denial_pct, cost_usd, p95_ms (column 5) — every endpoint.
QString topEndpoints();
/// ip, network, user, total — blocks in force at $1.
QString activeBlocks();
/// firing, acknowledged — alerts open now (independent of the range).
QString openAlerts();
/// id, rule, severity, state, starts_at, ends_at — alerts that started in [$1, $2).
QString alertsStarted();

} // namespace dashboardsql

/// A time range of the dashboard: [start, end), series points every `step`.
struct DashboardRange {
    QDateTime start;
    QDateTime end;
    std::chrono::seconds step { 60 };

    qint64 lengthSeconds() const { return start.secsTo(end); }
    /// The range of the same length right before this one (for trends).
    DashboardRange previous() const;
};

/// Headline figures of one range.
struct KpiFigures {
    qint64 requests = 0;
    qint64 denied = 0;
    qint64 collisions = 0;
    qint64 slowChecks = 0; // quota checks over 300 ms
    qint64 rateLimited = 0;
    qint64 failOpen = 0;
    double costUsd = 0;
    std::optional<double> p95Ms; // none without observations
    double minutes = 0; // length of the range

    std::optional<double> denialRate() const;
    std::optional<double> collisionRate() const;
    std::optional<double> requestsPerMinute() const;
    std::optional<double> rateLimitedPerMinute() const;
};

struct CostFigures {
    double todayUsd = 0;
    double monthToDateUsd = 0;
    /// The month's cost if the rest of it goes on as it went so far.
    double monthProjectionUsd = 0;
};

struct SeriesPoint {
    QDateTime t; // start of the step
    qint64 requests = 0;
    qint64 denied = 0;
    qint64 collisions = 0;
    double costUsd = 0;
    std::optional<double> p95Ms;
};

struct ReasonPoint {
    QDateTime t;
    QString reason;
    qint64 denials = 0;
};

/// One row of a top list (IPs, users or endpoints).
struct TopRow {
    QString identifier;
    qint64 requests = 0;
    qint64 denials = 0;
    double denialPercent = 0;
    double costUsd = 0;
    std::optional<double> p95Ms; // endpoints only
};

struct BlockCounts {
    qint64 ip = 0;
    qint64 network = 0;
    qint64 user = 0;
    qint64 total = 0;
};

struct AlertMarker {
    qint64 id = 0;
    QString rule;
    QString severity;
    QString state;
    QDateTime startsAt;
    QDateTime endsAt; // null while open
};

/// Everything the dashboard shows from the database for one range, as one value.
struct DashboardData {
    DashboardRange range;
    KpiFigures current;
    KpiFigures previous; // the range of the same length before
    CostFigures cost;
    BlockCounts blocksNow;
    BlockCounts blocksBefore; // in force at the start of the range
    qint64 firingAlerts = 0;
    qint64 acknowledgedAlerts = 0;
    QList<SeriesPoint> series;
    QList<ReasonPoint> denialsByReason;
    QList<TopRow> topIps;
    QList<TopRow> topUsers;
    QList<TopRow> topEndpoints;
    QList<AlertMarker> alerts;
    QDateTime fetchedAt; // UTC, when the answer was complete
    qint64 queryMs = 0;
};

struct DashboardResult {
    DashboardData data;
    QString error; // empty on success; names the query that failed and the server's reason
    bool ok() const { return error.isEmpty(); }
};

/// Runs every dashboard query for `range` on `database` (in that connection's thread).
/// `topLimit` rows per identifier top list.
DashboardResult readDashboard(
    QSqlDatabase database, const DashboardRange& range, int topLimit = 200);

/// The series step the dashboard uses for a range of this length (1 min up to 1 h, 5 min up to
/// 24 h, 1 h up to 7 d, 6 h beyond), so that a chart has at most about 300 points.
std::chrono::seconds defaultStep(std::chrono::seconds length);

} // namespace qc::db
