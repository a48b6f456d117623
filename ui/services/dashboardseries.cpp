#include "dashboardseries.h"

#include "services/thresholds.h"

#include <QCoreApplication>
#include <QHash>
#include <QMap>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <limits>

namespace qc::services {

using namespace Qt::StringLiterals;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One translation context for the file (lupdate reads Tr::tr with it).
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(qc::services::DashboardSeries)
};

TimeSeriesTable base(
    const db::DashboardData& d, const QString& id, const QString& title, const QString& unit)
{
    TimeSeriesTable t;
    t.id = id;
    t.title = title;
    t.unit = unit;
    t.step = d.range.step;
    t.rangeStart = d.range.start;
    t.rangeEnd = d.range.end;
    t.markers = d.alerts;
    t.times = stepTimes(d.range);
    return t;
}

QHash<qint64, const db::SeriesPoint*> byTime(const db::DashboardData& d)
{
    QHash<qint64, const db::SeriesPoint*> out;
    for (const db::SeriesPoint& p : d.series)
        out.insert(p.t.toMSecsSinceEpoch(), &p);
    return out;
}

// Adds a column from (time, value) points that do not fall on the table's rows: the rows
// become the union of both time sets, other columns NaN on the new rows.
void mergeColumn(
    TimeSeriesTable& t, SeriesColumn column, const QList<std::pair<QDateTime, double>>& points)
{
    if (points.isEmpty())
        return;
    QMap<qint64, int> rows; // time → index in the merged table
    for (const QDateTime& time : std::as_const(t.times))
        rows.insert(time.toMSecsSinceEpoch(), -1);
    for (const auto& [time, value] : points)
        rows.insert(time.toMSecsSinceEpoch(), -1);
    QList<QDateTime> times;
    for (auto it = rows.begin(); it != rows.end(); ++it) {
        it.value() = int(times.size());
        times << QDateTime::fromMSecsSinceEpoch(it.key(), Qt::UTC);
    }
    for (SeriesColumn& c : t.columns) {
        QList<double> values(times.size(), kNaN);
        for (int i = 0; i < t.times.size(); ++i)
            values[rows.value(t.times.at(i).toMSecsSinceEpoch())] = c.values.value(i, kNaN);
        c.values = values;
    }
    column.values = QList<double>(times.size(), kNaN);
    for (const auto& [time, value] : points)
        column.values[rows.value(time.toMSecsSinceEpoch())] = value;
    t.times = times;
    t.columns << column;
}

// Live figures are newer than the database's answer: they may extend the range to the right.
QList<std::pair<QDateTime, double>> livePoints(TimeSeriesTable& t, const QList<LiveMetrics>& live,
    const db::DashboardRange& range, std::optional<double> LiveMetrics::*field)
{
    QList<std::pair<QDateTime, double>> out;
    for (const LiveMetrics& m : live) {
        if (m.at < range.start || !(m.*field))
            continue;
        out.append({ m.at, *(m.*field) });
        if (m.at > t.rangeEnd)
            t.rangeEnd = m.at;
    }
    return out;
}

// Minutes of the step starting at `t` that lie inside the range: the last step is usually
// still running, and its count must not read as a drop.
double coveredMinutes(const QDateTime& t, const db::DashboardRange& range)
{
    const qint64 step = range.step.count();
    const qint64 covered = std::clamp<qint64>(t.secsTo(range.end), 0, step);
    return covered > 0 ? double(covered) / 60.0 : double(step) / 60.0;
}

QList<std::pair<QDateTime, double>> promPoints(
    const std::vector<metrics::Point>& points, const db::DashboardRange& range)
{
    QList<std::pair<QDateTime, double>> out;
    for (const metrics::Point& p : points) {
        const QDateTime t = QDateTime::fromMSecsSinceEpoch(p.timestampMs, Qt::UTC);
        if (t < range.start || t > range.end || !std::isfinite(p.value))
            continue;
        out.append({ t, p.value });
    }
    return out;
}

} // namespace

QList<QDateTime> stepTimes(const db::DashboardRange& range)
{
    QList<QDateTime> out;
    const qint64 step = qint64(range.step.count()) * 1000;
    if (step <= 0 || !range.start.isValid() || !range.end.isValid())
        return out;
    const qint64 origin = QDateTime(QDate(2000, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    const qint64 start = range.start.toMSecsSinceEpoch();
    const qint64 first = origin + (start - origin) / step * step; // the range is after 2000
    for (qint64 t = first; t < range.end.toMSecsSinceEpoch(); t += step)
        out << QDateTime::fromMSecsSinceEpoch(t, Qt::UTC);
    return out;
}

QList<QList<int>> lineRuns(const TimeSeriesTable& table, int column)
{
    QList<QList<int>> runs;
    if (column < 0 || column >= table.columns.size())
        return runs;
    const SeriesColumn& c = table.columns.at(column);
    QList<int> rows;
    for (int row = 0; row < table.times.size(); ++row) {
        if (std::isfinite(c.values.value(row, kNaN)))
            rows << row;
    }
    if (rows.isEmpty())
        return runs;
    const auto ms = [&](int row) { return table.times.at(row).toMSecsSinceEpoch(); };
    qint64 allowedMs = 0;
    if (c.source == SeriesColumn::Source::Database) {
        // Database columns have a row per step: a missing step is a gap. Rows that other
        // columns brought in (merged live points) lie between steps and break nothing.
        allowedMs = qint64(table.step.count()) * 1000 * 3 / 2;
    } else {
        QList<qint64> spacings;
        for (int i = 1; i < rows.size(); ++i)
            spacings << ms(rows.at(i)) - ms(rows.at(i - 1));
        if (!spacings.isEmpty()) {
            std::nth_element(
                spacings.begin(), spacings.begin() + spacings.size() / 2, spacings.end());
            allowedMs = spacings.at(spacings.size() / 2) * 5 / 2;
        }
    }
    QList<int> run { rows.first() };
    for (int i = 1; i < rows.size(); ++i) {
        if (ms(rows.at(i)) - ms(rows.at(i - 1)) > allowedMs) {
            runs << run;
            run.clear();
        }
        run << rows.at(i);
    }
    runs << run;
    return runs;
}

TimeSeriesTable latencyTable(
    const db::DashboardData& d, const QList<LiveMetrics>& live, const PrometheusHistory* history)
{
    TimeSeriesTable t = base(d, u"latency"_s, Tr::tr("p95 quota-check latency"), u"ms"_s);
    t.threshold = thresholds::p95Ms();
    const auto points = byTime(d);
    SeriesColumn db;
    db.id = u"db"_s;
    db.name = Tr::tr("p95 (database rollups)");
    for (const QDateTime& time : std::as_const(t.times)) {
        const db::SeriesPoint* p = points.value(time.toMSecsSinceEpoch());
        db.values << (p && p->p95Ms ? *p->p95Ms : kNaN);
    }
    t.columns << db;
    mergeColumn(t, { u"live"_s, Tr::tr("p95 (live scrapes)"), SeriesColumn::Source::Live, {} },
        livePoints(t, live, d.range, &LiveMetrics::p95Ms));
    if (history)
        mergeColumn(t,
            { u"prometheus"_s, Tr::tr("p95 (Prometheus)"), SeriesColumn::Source::Prometheus, {} },
            promPoints(history->p95Ms, d.range));
    return t;
}

TimeSeriesTable denialsByReasonTable(const db::DashboardData& d)
{
    TimeSeriesTable t = base(d, u"denials"_s, Tr::tr("Denial rate by reason"), u"%"_s);
    t.threshold = thresholds::denialRate() * 100;
    const auto points = byTime(d);
    QStringList reasons;
    QHash<QString, QHash<qint64, qint64>> denials;
    for (const db::ReasonPoint& r : d.denialsByReason) {
        const QString reason = r.reason.isEmpty() ? u"unknown"_s : r.reason;
        if (!reasons.contains(reason))
            reasons << reason;
        denials[reason][r.t.toMSecsSinceEpoch()] += r.denials;
    }
    reasons.sort();
    SeriesColumn total;
    total.id = u"all"_s;
    total.name = Tr::tr("all reasons");
    for (const QDateTime& time : std::as_const(t.times)) {
        const db::SeriesPoint* p = points.value(time.toMSecsSinceEpoch());
        total.values << (p && p->requests > 0 ? 100.0 * double(p->denied) / double(p->requests)
                                              : kNaN);
    }
    t.columns << total;
    for (const QString& reason : std::as_const(reasons)) {
        SeriesColumn c;
        c.id = reason;
        c.name = reason;
        for (const QDateTime& time : std::as_const(t.times)) {
            const db::SeriesPoint* p = points.value(time.toMSecsSinceEpoch());
            const qint64 n = denials.value(reason).value(time.toMSecsSinceEpoch());
            c.values << (p && p->requests > 0 ? 100.0 * double(n) / double(p->requests) : kNaN);
        }
        t.columns << c;
    }
    return t;
}

TimeSeriesTable collisionTable(const db::DashboardData& d)
{
    TimeSeriesTable t = base(d, u"collisions"_s, Tr::tr("Idempotency collision rate"), u"%"_s);
    t.threshold = thresholds::collisionRate() * 100;
    const auto points = byTime(d);
    SeriesColumn c;
    c.id = u"db"_s;
    c.name = Tr::tr("collisions per request");
    for (const QDateTime& time : std::as_const(t.times)) {
        const db::SeriesPoint* p = points.value(time.toMSecsSinceEpoch());
        c.values << (p && p->requests > 0 ? 100.0 * double(p->collisions) / double(p->requests)
                                          : kNaN);
    }
    t.columns << c;
    return t;
}

TimeSeriesTable requestsTable(
    const db::DashboardData& d, const QList<LiveMetrics>& live, const PrometheusHistory* history)
{
    TimeSeriesTable t = base(d, u"requests"_s, Tr::tr("Requests"), Tr::tr("/min"));
    const auto points = byTime(d);
    SeriesColumn all { u"db"_s, Tr::tr("requests/min"), SeriesColumn::Source::Database, {} };
    SeriesColumn denied { u"denied"_s, Tr::tr("denied/min"), SeriesColumn::Source::Database, {} };
    for (const QDateTime& time : std::as_const(t.times)) {
        const db::SeriesPoint* p = points.value(time.toMSecsSinceEpoch());
        const double minutes = coveredMinutes(time, d.range);
        // A step without rollup rows had no requests: zero, not unknown.
        all.values << (p ? double(p->requests) / minutes : 0.0);
        denied.values << (p ? double(p->denied) / minutes : 0.0);
    }
    t.columns << all << denied;
    mergeColumn(t,
        { u"live"_s, Tr::tr("requests/min (live scrapes)"), SeriesColumn::Source::Live, {} },
        livePoints(t, live, d.range, &LiveMetrics::requestsPerMinute));
    if (history)
        mergeColumn(t,
            { u"prometheus"_s, Tr::tr("requests/min (Prometheus)"),
                SeriesColumn::Source::Prometheus, {} },
            promPoints(history->requestsPerMinute, d.range));
    return t;
}

TimeSeriesTable costTable(const db::DashboardData& d)
{
    TimeSeriesTable t = base(d, u"cost"_s, Tr::tr("Cost"), Tr::tr("$/h"));
    const auto points = byTime(d);
    SeriesColumn c { u"db"_s, Tr::tr("cost per hour"), SeriesColumn::Source::Database, {} };
    for (const QDateTime& time : std::as_const(t.times)) {
        const db::SeriesPoint* p = points.value(time.toMSecsSinceEpoch());
        const double hours = coveredMinutes(time, d.range) / 60.0;
        c.values << (p ? p->costUsd / hours : 0.0);
    }
    t.columns << c;
    return t;
}

} // namespace qc::services
