#pragma once

#include "db/dashboardqueries.h"
#include "metrics/prometheusclient.h"
#include "services/livemetrics.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <chrono>
#include <optional>

namespace qc::services {

/// One line of a chart: a value per row of its table (NaN where it has none).
struct SeriesColumn {
    enum class Source { Database, Live, Prometheus };
    QString id; // stable, e.g. "db", "live", "prometheus", or a reason code
    QString name; // legend text, translated
    Source source = Source::Database;
    QList<double> values;
};

/// What one chart shows: rows of time (UTC) with a value per column, the unit, an alert
/// threshold to draw, and the alerts that fired in the range as markers.
struct TimeSeriesTable {
    QString id; // "latency", "denials", "collisions", "requests", "cost"
    QString title;
    QString unit; // "ms", "%", "/min", "$/h"
    QList<QDateTime> times;
    QList<SeriesColumn> columns;
    std::optional<double> threshold;
    QList<db::AlertMarker> markers;
    std::chrono::seconds step { 60 };
    QDateTime rangeStart;
    QDateTime rangeEnd;

    bool isEmpty() const { return times.isEmpty(); }
};

/// Metrics history from the Prometheus HTTP API for the dashboard's range.
struct PrometheusHistory {
    std::vector<metrics::Point> p95Ms;
    std::vector<metrics::Point> requestsPerMinute;
    QString error; // of the last query, empty when fine
    QDateTime fetchedAt;
};

/// The chart tables of a dashboard answer, with the live figures (`live`, oldest first) and
/// Prometheus history (`history`) merged in where they apply (latency and requests).
TimeSeriesTable latencyTable(const db::DashboardData& data, const QList<LiveMetrics>& live = {},
    const PrometheusHistory* history = nullptr);
TimeSeriesTable denialsByReasonTable(const db::DashboardData& data);
TimeSeriesTable collisionTable(const db::DashboardData& data);
TimeSeriesTable requestsTable(const db::DashboardData& data, const QList<LiveMetrics>& live = {},
    const PrometheusHistory* history = nullptr);
TimeSeriesTable costTable(const db::DashboardData& data);

/// The rows of column `column` of `table` as the runs of a line with the gaps left open: each
/// run holds consecutive rows with a value, and a new run starts where data is missing — a
/// database bucket without a value (a step with no rollup), or for live and Prometheus columns,
/// whose points come at their own times, a pause of more than 2.5 times their usual spacing
/// (the median one). A run may hold a single row, drawn as a dot.
QList<QList<int>> lineRuns(const TimeSeriesTable& table, int column);

/// The start times of every step of `range` (date_bin from 2000-01-01 UTC, as the queries bin).
QList<QDateTime> stepTimes(const db::DashboardRange& range);

} // namespace qc::services
