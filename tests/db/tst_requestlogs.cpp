#include "support/sqlcall.h"
#include "support/testcluster.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

#include <array>
#include <cmath>
#include <thread>
#include <tuple>
#include <utility>

using namespace Qt::StringLiterals;
using qc::testsupport::sqlCall;
using qc::testsupport::SqlResult;
using qc::testsupport::TestCluster;

namespace {

const QDateTime kStart(QDate(2026, 1, 5), QTime(23, 30), Qt::UTC);

QJsonObject request(const QDateTime& ts, const QString& endpoint, const QString& decision,
    const QString& ip, const QString& user = {})
{
    QJsonObject o { { u"ts"_s, ts.toString(Qt::ISODateWithMs) }, { u"endpoint"_s, endpoint },
        { u"decision"_s, decision }, { u"ip"_s, ip }, { u"method"_s, u"POST"_s } };
    if (!user.isEmpty())
        o.insert(u"user_id"_s, user);
    return o;
}

QString json(const QJsonArray& rows)
{
    return QString::fromUtf8(QJsonDocument(rows).toJson(QJsonDocument::Compact));
}

qint64 scalar(QSqlDatabase db, const QString& sql)
{
    return sqlCall(db, sql).value().toLongLong();
}

// Mixed traffic over two UTC days: anonymous and signed-in users, every latency bucket, costs
// with micro-dollar digits, collisions and fail-open rows.
QJsonArray traffic(int count, quint32 seed)
{
    QRandomGenerator rng(seed);
    const std::array endpoints { u"/api/chat"_s, u"/api/generate"_s, u"/api/items"_s };
    const std::array plans { u"free"_s, u"pro"_s, u"team"_s };
    const std::array reasons { u"rate_limited"_s, u"quota_exceeded"_s, u"blocked"_s };
    QJsonArray rows;
    for (int i = 0; i < count; ++i) {
        const QDateTime ts = kStart.addMSecs(qint64(i) * 45'000 + rng.bounded(1000));
        const bool denied = rng.bounded(4) == 0;
        const bool anonymous = rng.bounded(5) == 0;
        QJsonObject o = request(ts, endpoints[rng.bounded(3)], denied ? u"denied"_s : u"allowed"_s,
            u"198.51.100.%1"_s.arg(rng.bounded(8)),
            anonymous ? QString() : u"user-%1"_s.arg(rng.bounded(12)));
        if (!anonymous)
            o.insert(u"plan"_s, plans[rng.bounded(3)]);
        o.insert(u"reason"_s, denied ? reasons[rng.bounded(3)] : u"admitted"_s);
        o.insert(u"status"_s, denied ? 429 : 200);
        if (rng.bounded(10) != 0)
            o.insert(u"quota_check_ms"_s, rng.bounded(1500.0));
        o.insert(u"response_ms"_s, int(rng.bounded(3000)));
        if (!denied)
            o.insert(u"cost_usd"_s, rng.bounded(100000) / 1e6);
        if (rng.bounded(20) == 0)
            o.insert(u"collision"_s, 1 + int(rng.bounded(7)));
        if (rng.bounded(50) == 0)
            o.insert(u"fail_open"_s, true);
        o.insert(u"tokens"_s, int(rng.bounded(2000)));
        rows.append(o);
    }
    return rows;
}

} // namespace

class RequestLogsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QC_REQUIRE_CLUSTER(); }
    void cleanup() { TestCluster::instance().cleanup(); }

    void partitionsAreCreatedOnDemandAndDroppedForRetention()
    {
        QC_TEST_DATABASE(name);
        QSqlDatabase db = TestCluster::instance().open(name);
        QJsonArray rows;
        for (int day = 0; day < 3; ++day) {
            const QDateTime midnight(QDate(2026, 3, 1 + day), QTime(0, 0), Qt::UTC);
            // The first and the last millisecond of each day land in that day's partition.
            rows.append(request(midnight, u"/api/chat"_s, u"allowed"_s, u"192.0.2.1"_s));
            rows.append(request(
                midnight.addMSecs(86'399'999), u"/api/chat"_s, u"allowed"_s, u"192.0.2.1"_s));
        }
        const SqlResult logged
            = sqlCall(db, u"SELECT quota.log_requests(?::jsonb)"_s, { json(rows) });
        QVERIFY2(logged.ok, logged.describe().constData());
        QCOMPARE(logged.value().toInt(), 6);
        QCOMPARE(sqlCall(db,
                     u"SELECT string_agg(tableoid::regclass::text || '=' || n, ',' ORDER BY "
                     u"tableoid::regclass::text) "
                     "FROM (SELECT tableoid, count(*) AS n FROM quota.request_logs "
                     "GROUP BY tableoid) t"_s)
                     .value()
                     .toString(),
            u"quota.request_logs_p20260301=2,quota.request_logs_p20260302=2,"
            "quota.request_logs_p20260303=2"_s);

        // Logging into an existing day adds no partition.
        QVERIFY(sqlCall(db, u"SELECT quota.log_request(?::jsonb)"_s,
            { QString::fromUtf8(QJsonDocument(rows[0].toObject()).toJson()) })
                    .ok);
        QCOMPARE(scalar(db,
                     u"SELECT count(*) FROM pg_inherits "
                     "WHERE inhparent = 'quota.request_logs'::regclass"_s),
            3);

        const SqlResult dropped = sqlCall(
            db, u"SELECT string_agg(d, ',') FROM quota.drop_request_logs_before('2026-03-03') d"_s);
        QVERIFY2(dropped.ok, dropped.describe().constData());
        QCOMPARE(dropped.value().toString(), u"request_logs_p20260301,request_logs_p20260302"_s);
        QCOMPARE(scalar(db, u"SELECT count(*) FROM quota.request_logs"_s), 2);
        QCOMPARE(
            scalar(db, u"SELECT count(*) FROM quota.request_logs WHERE ts < '2026-03-03'"_s), 0);
        // Rollups outlive the raw rows: dashboards keep their history.
        QCOMPARE(scalar(db, u"SELECT sum(requests) FROM quota.rollup_minute"_s), 7);
        // Nothing more to drop.
        QCOMPARE(
            scalar(db, u"SELECT count(*) FROM quota.drop_request_logs_before('2026-03-03')"_s), 0);
    }

    void rollupsAgreeWithTheRawLogs()
    {
        QC_TEST_DATABASE(name);
        QSqlDatabase db = TestCluster::instance().open(name);
        const QJsonArray rows = traffic(3000, 20260105);
        // In batches, as a gateway would send them; the same minute spans several batches.
        for (qsizetype from = 0; from < rows.size(); from += 700) {
            QJsonArray batch;
            for (qsizetype i = from; i < qMin(from + 700, rows.size()); ++i)
                batch.append(rows[i]);
            const SqlResult r
                = sqlCall(db, u"SELECT quota.log_requests(?::jsonb)"_s, { json(batch) });
            QVERIFY2(r.ok, r.describe().constData());
        }
        QCOMPARE(scalar(db, u"SELECT count(*) FROM quota.request_logs"_s), 3000);

        // Minute rollup == the same aggregation over the raw rows, row for row.
        // The histogram bucket of a latency: the first bound it does not exceed.
        const QString minuteFromRaw = uR"(
            WITH raw AS (
                SELECT date_trunc('minute', ts, 'UTC') AS bucket, endpoint,
                       coalesce(plan, '') AS plan, decision, coalesce(reason, '') AS reason,
                       (SELECT count(*) FROM unnest(quota.latency_bucket_bounds()) le
                        WHERE le < quota_check_ms) + 1 AS li,
                       quota_check_ms, response_ms, cost_usd, tokens, collision, fail_open
                FROM quota.request_logs),
            counts AS (
                SELECT bucket, endpoint, plan, decision, reason, li, count(*) AS n
                FROM raw WHERE quota_check_ms IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6),
            totals AS (
                SELECT bucket, endpoint, plan, decision, reason, count(*) AS requests,
                       count(quota_check_ms) AS latency_count,
                       round(coalesce(sum(quota_check_ms), 0)::numeric, 6) AS latency_sum_ms,
                       coalesce(sum(response_ms), 0) AS response_ms_sum,
                       coalesce(sum(cost_usd), 0) AS cost_usd, coalesce(sum(tokens), 0) AS tokens,
                       count(*) FILTER (WHERE collision <> 0) AS collisions,
                       count(*) FILTER (WHERE fail_open) AS fail_open
                FROM raw GROUP BY 1, 2, 3, 4, 5)
            SELECT t.bucket, t.endpoint, t.plan, t.decision, t.reason, t.requests,
                   (SELECT array_agg(coalesce(c.n, 0) ORDER BY i)
                    FROM generate_series(1, cardinality(quota.latency_bucket_bounds())) AS i
                    LEFT JOIN counts c ON (c.bucket, c.endpoint, c.plan, c.decision, c.reason, c.li)
                                        = (t.bucket, t.endpoint, t.plan, t.decision, t.reason, i)),
                   t.latency_count, t.latency_sum_ms, t.response_ms_sum, t.cost_usd, t.tokens,
                   t.collisions, t.fail_open
            FROM totals t)"_s;
        const QString minuteRollup = uR"(
            SELECT bucket, endpoint, plan, decision, reason, requests, latency_buckets, latency_count,
                   round(latency_sum_ms::numeric, 6), response_ms_sum, cost_usd, tokens, collisions, fail_open
            FROM quota.rollup_minute)"_s;
        const QString compareMinute = u"SELECT (SELECT count(*) FROM ((%1) EXCEPT (%2)) a) + "
                                      "(SELECT count(*) FROM ((%2) EXCEPT (%1)) b)"_s;
        const SqlResult minuteDiff = sqlCall(db, compareMinute.arg(minuteFromRaw, minuteRollup));
        QVERIFY2(minuteDiff.ok, minuteDiff.describe().constData());
        QCOMPARE(minuteDiff.value().toInt(), 0);

        // Histogram totals, counted independently here.
        int withLatency = 0;
        for (const QJsonValue& v : rows)
            withLatency += v.toObject().contains(u"quota_check_ms"_s) ? 1 : 0;
        QCOMPARE(scalar(db, u"SELECT sum(b) FROM quota.rollup_minute, unnest(latency_buckets) b"_s),
            withLatency);
        QCOMPARE(scalar(db, u"SELECT sum(latency_count) FROM quota.rollup_minute"_s), withLatency);

        // Identifier rollup == raw, for IPs and users.
        const QString identFromRaw = uR"(
            SELECT date_trunc('hour', ts, 'UTC'), kind, identifier, count(*),
                   count(*) FILTER (WHERE decision = 'denied'), coalesce(sum(cost_usd), 0)
            FROM (SELECT ts, 'ip' AS kind, ip AS identifier, decision, cost_usd FROM quota.request_logs
                  UNION ALL
                  SELECT ts, 'user', user_id, decision, cost_usd FROM quota.request_logs
                  WHERE user_id IS NOT NULL) x
            GROUP BY 1, 2, 3)"_s;
        const QString identRollup = u"SELECT bucket, kind, identifier, requests, denials, cost_usd "
                                    "FROM quota.rollup_identifier_hour"_s;
        const SqlResult identDiff = sqlCall(db, compareMinute.arg(identFromRaw, identRollup));
        QVERIFY2(identDiff.ok, identDiff.describe().constData());
        QCOMPARE(identDiff.value().toInt(), 0);
        QVERIFY(
            scalar(db, u"SELECT count(*) FROM quota.rollup_identifier_hour WHERE kind = 'user'"_s)
            > 0);

        // The hour tier and the minute totals are the sums of the minute rows (latency sums are
        // floating point, added in another order: compared rounded).
        const QString hourFromMinutes = uR"(
            SELECT date_trunc('hour', bucket, 'UTC'), endpoint, plan, decision, reason,
                   sum(requests), quota.array_sum(latency_buckets), sum(latency_count),
                   round(sum(latency_sum_ms)::numeric, 6), sum(response_ms_sum), sum(cost_usd),
                   sum(tokens), sum(collisions), sum(fail_open)
            FROM quota.rollup_minute GROUP BY 1, 2, 3, 4, 5)"_s;
        const QString hourRollup = uR"(
            SELECT bucket, endpoint, plan, decision, reason, requests, latency_buckets,
                   latency_count, round(latency_sum_ms::numeric, 6), response_ms_sum, cost_usd,
                   tokens, collisions, fail_open
            FROM quota.rollup_hour)"_s;
        const SqlResult hourDiff = sqlCall(db, compareMinute.arg(hourFromMinutes, hourRollup));
        QVERIFY2(hourDiff.ok, hourDiff.describe().constData());
        QCOMPARE(hourDiff.value().toInt(), 0);
        const QString totalFromMinutes = uR"(
            SELECT bucket, sum(requests), coalesce(sum(requests) FILTER (WHERE decision = 'denied'), 0),
                   coalesce(sum(requests) FILTER (WHERE reason = 'rate_limited'), 0),
                   quota.array_sum(latency_buckets), sum(latency_count),
                   round(sum(latency_sum_ms)::numeric, 6), sum(cost_usd), sum(collisions),
                   sum(fail_open)
            FROM quota.rollup_minute GROUP BY 1)"_s;
        const QString totalRollup = uR"(
            SELECT bucket, requests, denied, rate_limited, latency_buckets, latency_count,
                   round(latency_sum_ms::numeric, 6), cost_usd, collisions, fail_open
            FROM quota.rollup_minute_total)"_s;
        const SqlResult totalDiff = sqlCall(db, compareMinute.arg(totalFromMinutes, totalRollup));
        QVERIFY2(totalDiff.ok, totalDiff.describe().constData());
        QCOMPARE(totalDiff.value().toInt(), 0);

        // The dashboard tiers == the raw rows per 5 minutes and hour (totals), per minute,
        // 5 minutes and hour (endpoints, denials by reason); the identifier day tier == raw per
        // UTC day.
        const QString grains = u"(VALUES (1, interval '1 minute'), (5, interval '5 minutes'), "
                               "(60, interval '1 hour')) AS k(grain, step)"_s;
        const QString oneHot = u"quota.array_sum(quota.latency_one_hot(quota_check_ms))"_s;
        const QString tierPairs[][2] = {
            { uR"(SELECT k.grain, date_bin(k.step, ts, timestamptz '2000-01-01'), count(*),
                     count(*) FILTER (WHERE decision = 'denied'),
                     count(*) FILTER (WHERE reason = 'rate_limited'), %1, count(quota_check_ms),
                     round(coalesce(sum(quota_check_ms), 0)::numeric, 6), coalesce(sum(cost_usd), 0),
                     count(*) FILTER (WHERE collision <> 0), count(*) FILTER (WHERE fail_open)
              FROM quota.request_logs CROSS JOIN %2 WHERE k.grain <> 1 GROUP BY 1, 2)"_s.arg(
                  oneHot, grains),
                uR"(SELECT grain, bucket, requests, denied, rate_limited, latency_buckets,
                     latency_count, round(latency_sum_ms::numeric, 6), cost_usd, collisions,
                     fail_open FROM quota.rollup_totals)"_s },
            { uR"(SELECT k.grain, date_bin(k.step, ts, timestamptz '2000-01-01'), endpoint, count(*),
                     count(*) FILTER (WHERE decision = 'denied'), coalesce(sum(cost_usd), 0), %1
              FROM quota.request_logs CROSS JOIN %2 GROUP BY 1, 2, 3)"_s.arg(oneHot, grains),
                uR"(SELECT grain, bucket, endpoint, requests, denied, cost_usd, latency_buckets
                    FROM quota.rollup_endpoints)"_s },
            { uR"(SELECT k.grain, date_bin(k.step, ts, timestamptz '2000-01-01'),
                     coalesce(reason, ''), count(*)
              FROM quota.request_logs CROSS JOIN %1 WHERE decision = 'denied' GROUP BY 1, 2, 3)"_s
                    .arg(grains),
                u"SELECT grain, bucket, reason, denials FROM quota.rollup_denials"_s },
            { QString(identFromRaw).replace(u"date_trunc('hour'"_s, u"date_trunc('day'"_s),
                u"SELECT bucket, kind, identifier, requests, denials, cost_usd FROM "
                "quota.rollup_identifier_day"_s },
        };
        for (const auto& [raw, tier] : tierPairs) {
            const SqlResult diff = sqlCall(db, compareMinute.arg(raw, tier));
            QVERIFY2(diff.ok, diff.describe().constData());
            QCOMPARE(diff.value().toInt(), 0);
            QVERIFY(scalar(db, u"SELECT count(*) FROM (%1) t"_s.arg(tier)) > 0);
        }

        // total_rows, endpoint_rows, denial_rows: the coarsest grain that fits inside the range
        // (and divides the step), minutes at the edges; the same sums as the minute rows, and
        // every row inside one step.
        for (const auto& [from, to, step] :
            { std::tuple { u"2026-01-05 23:37"_s, u"2026-01-07 00:12:30"_s, u""_s },
                std::tuple { u"2026-01-05 23:37"_s, u"2026-01-06 10:02"_s, u"5 minutes"_s },
                std::tuple { u"2026-01-06 00:00"_s, u"2026-01-06 05:00"_s, u"1 hour"_s },
                std::tuple { u"2026-01-06 03:11"_s, u"2026-01-06 03:14"_s, u""_s },
                std::tuple { u"2026-01-06 03:10"_s, u"2026-01-06 05:50"_s, u"1 minute"_s },
                std::tuple { u"2026-01-06 03:10"_s, u"2026-01-06 05:50"_s, u"10 minutes"_s } }) {
            const QString args = u"'%1+00'::timestamptz, '%2+00'::timestamptz, %3"_s.arg(
                from, to, step.isEmpty() ? u"NULL"_s : u"'%1'::interval"_s.arg(step));
            const QString minutes
                = u"quota.rollup_minute_total WHERE bucket >= '%1+00' AND bucket < '%2+00'"_s.arg(
                    from, to);
            const QString checks[][2] = {
                { u"SELECT sum(requests), sum(denied), sum(cost_usd), "
                  u"quota.array_sum(latency_buckets) "
                  "FROM quota.total_rows(%1)"_s.arg(args),
                    u"SELECT sum(requests), sum(denied), sum(cost_usd), "
                    "quota.array_sum(latency_buckets) FROM %1"_s.arg(minutes) },
                { u"SELECT sum(requests), sum(denied), sum(cost_usd), "
                  u"quota.array_sum(latency_buckets) "
                  "FROM quota.endpoint_rows(%1)"_s.arg(args),
                    u"SELECT sum(requests), sum(denied), sum(cost_usd), "
                    "quota.array_sum(latency_buckets) FROM %1"_s.arg(minutes) },
                { u"SELECT sum(denials) FROM quota.denial_rows(%1)"_s.arg(args),
                    u"SELECT sum(denied) FROM %1"_s.arg(minutes) },
            };
            for (const auto& [tiers, plain] : checks) {
                const SqlResult a = sqlCall(db, tiers);
                const SqlResult b = sqlCall(db, plain);
                QVERIFY2(a.ok, a.describe().constData());
                QVERIFY2(b.ok, b.describe().constData());
                QCOMPARE(a.row, b.row);
            }
            QVERIFY(scalar(db, u"SELECT sum(requests) FROM %1"_s.arg(minutes)) > 0);
            // Grouped by the step, the tiers give the minute rows' figures point by point.
            if (!step.isEmpty()) {
                const QString byStep = u"SELECT date_bin('%1', bucket, timestamptz '2000-01-01') "
                                       "AS t, sum(requests) AS n FROM %2 GROUP BY 1"_s;
                const SqlResult d = sqlCall(db,
                    compareMinute.arg(byStep.arg(step, u"quota.total_rows(%1)"_s.arg(args)),
                        byStep.arg(step, minutes)));
                QVERIFY2(d.ok, d.describe().constData());
                QCOMPARE(d.value().toInt(), 0);
            }
        }

        // rollup_rows: whole hours from the hour tier, the rest from minute rows, the same sums
        // as the minute rows of the range (not on whole hours, on whole hours, within an hour).
        for (const auto& [from, to, step] :
            { std::tuple { u"2026-01-05 23:37"_s, u"2026-01-07 00:12"_s, u""_s },
                std::tuple { u"2026-01-06 00:00"_s, u"2026-01-06 05:00"_s, u"1 hour"_s },
                std::tuple { u"2026-01-06 03:10"_s, u"2026-01-06 03:50"_s, u""_s },
                std::tuple { u"2026-01-05 23:37"_s, u"2026-01-06 10:00"_s, u"5 minutes"_s } }) {
            const QString sums = u"SELECT sum(requests), sum(cost_usd), sum(latency_count), "
                                 "quota.array_sum(latency_buckets) FROM %1"_s;
            const QString range = u"'%1+00'::timestamptz, '%2+00'::timestamptz"_s.arg(from, to);
            const SqlResult tiers = sqlCall(db,
                sums.arg(step.isEmpty() ? u"quota.rollup_rows(%1)"_s.arg(range)
                                        : u"quota.rollup_rows(%1, '%2')"_s.arg(range, step)));
            const SqlResult minutes = sqlCall(db,
                sums.arg(u"quota.rollup_minute WHERE bucket >= '%1+00' AND bucket < '%2+00'"_s.arg(
                    from, to)));
            QVERIFY2(tiers.ok, tiers.describe().constData());
            QVERIFY2(minutes.ok, minutes.describe().constData());
            QCOMPARE(tiers.row, minutes.row);
            QVERIFY(tiers.value().toLongLong() > 0);
        }
    }

    // Top lists from the identifier hour and day rows are exact: the same as summing the raw
    // rows, ties by identifier, for lists shorter and longer than the busiest identifiers of an
    // hour, over hours, one hour, one day, days with hours around them and partial days read as
    // their day row less the hours outside the range. Ranges of a few hours are proven from the
    // hour lists (the busy hours here), or, where many identifiers stay in question and the
    // range holds few rows (the flat hours), summed from all their hour rows.
    // (A range ends at now: the hour it ends in counts whole, so these end on whole hours.)
    void topIdentifiersAreExact()
    {
        QC_TEST_DATABASE(name);
        QSqlDatabase db = TestCluster::instance().open(name);
        QRandomGenerator rng(42);
        QJsonArray rows;
        bool logged = true;
        const auto flush = [&] {
            if (!rows.isEmpty())
                logged = sqlCall(db, u"SELECT quota.log_requests(?::jsonb)"_s, { json(rows) }).ok
                    && logged;
            rows = {};
        };
        // A request to /api/items, denied one time in `denyOneIn`, with a random cost; logged
        // 1,000 at a time.
        const auto add
            = [&](const QDateTime& ts, int denyOneIn, const QString& ip, const QString& user) {
                  const bool denied = rng.bounded(denyOneIn) == 0;
                  QJsonObject o
                      = request(ts, u"/api/items"_s, denied ? u"denied"_s : u"allowed"_s, ip, user);
                  o.insert(u"cost_usd"_s, rng.bounded(1000) / 1e6);
                  rows.append(o);
                  if (rows.size() == 1000)
                      flush();
              };
        for (int i = 0; i < 6000; ++i) {
            // Zipf-like: a few busy addresses and users, a long tail, many ties.
            const int ip = int(std::pow(400.0, rng.generateDouble()));
            const int user = int(std::pow(150.0, rng.generateDouble()));
            add(kStart.addSecs(i * 37), 6, u"203.0.113.%1"_s.arg(ip), u"u%1"_s.arg(user));
        }
        // Busy hours, 03:00-10:00 on the 6th: a flatter tail over many more addresses and users,
        // enough rows that the hour lists prove the shorter lists.
        const QDateTime busy(QDate(2026, 1, 6), QTime(3, 0), Qt::UTC);
        for (int i = 0; i < 4200; ++i) {
            const int ip = int(std::pow(4000.0, rng.generateDouble()));
            const int user = int(std::pow(2500.0, rng.generateDouble()));
            add(busy.addMSecs(qint64(i) * 6000), 5, u"10.1.%1.%2"_s.arg(ip / 250).arg(ip % 250),
                u"b%1"_s.arg(user));
        }
        // Quiet, flat hours, 12:00-18:00 on the 7th: thousands of addresses and users with a
        // request or two each, where proving a list identifier by identifier would probe most of
        // them, so the range's hour rows are summed at once.
        const QDateTime flat(QDate(2026, 1, 7), QTime(12, 0), Qt::UTC);
        for (int i = 0; i < 1800; ++i) {
            const int ip = int(rng.bounded(3000));
            const int user = int(rng.bounded(2000));
            add(flat.addMSecs(qint64(i) * 12000), 4, u"10.2.%1.%2"_s.arg(ip / 250).arg(ip % 250),
                u"f%1"_s.arg(user));
        }
        flush();
        QVERIFY(logged);
        for (const QString& kind : { u"ip"_s, u"user"_s }) {
            const QString column = kind == u"ip"_s ? u"ip"_s : u"user_id"_s;
            for (const int limit : { 1, 5, 20, 60, 200 }) {
                // Hours only, one hour, one whole day, whole days with hours around them.
                for (const auto& [from, to] :
                    { std::pair { u"2026-01-05 23:30"_s, u"2026-01-06 12:00"_s },
                        std::pair { u"2026-01-06 01:20"_s, u"2026-01-06 02:00"_s },
                        std::pair { u"2026-01-06 03:10"_s, u"2026-01-06 10:00"_s },
                        std::pair { u"2026-01-06 08:00"_s, u"2026-01-06 14:00"_s },
                        std::pair { u"2026-01-07 12:00"_s, u"2026-01-07 18:00"_s },
                        std::pair { u"2026-01-06 00:00"_s, u"2026-01-07 00:00"_s },
                        std::pair { u"2026-01-06 05:10"_s, u"2026-01-07 06:00"_s },
                        std::pair { u"2026-01-05 23:30"_s, u"2026-01-08 12:00"_s },
                        // partial days of more than 12 hours: their day row less the hours
                        // outside the range, which hold requests on either side
                        std::pair { u"2026-01-06 00:00"_s, u"2026-01-06 13:00"_s },
                        std::pair { u"2026-01-06 02:00"_s, u"2026-01-06 20:00"_s },
                        std::pair { u"2026-01-06 10:00"_s, u"2026-01-07 15:00"_s },
                        std::pair { u"2026-01-06 20:00"_s, u"2026-01-08 11:00"_s } }) {
                    const QString range
                        = u"'%1+00'::timestamptz, '%2+00'::timestamptz"_s.arg(from, to);
                    const QString top = u"SELECT string_agg(concat_ws(' ', identifier, requests, "
                                        "denials, denial_pct, cost_usd), ', ') FROM "
                                        "quota.top_identifiers('%1', %2, %3)"_s.arg(kind, range)
                                            .arg(limit);
                    const QString raw = uR"(SELECT string_agg(concat_ws(' ', id, n, d, p, c), ', ')
                        FROM (SELECT %1 AS id, count(*) AS n,
                                     count(*) FILTER (WHERE decision = 'denied') AS d,
                                     round(100.0 * count(*) FILTER (WHERE decision = 'denied')
                                           / count(*), 2) AS p,
                                     sum(cost_usd) AS c
                              FROM quota.request_logs
                              WHERE ts >= date_trunc('hour', '%2+00'::timestamptz, 'UTC')
                                AND ts < '%3+00'
                              GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT %4) t)"_s.arg(column, from, to)
                                            .arg(limit);
                    const SqlResult a = sqlCall(db, top);
                    const SqlResult b = sqlCall(db, raw);
                    QVERIFY2(a.ok, a.describe().constData());
                    QVERIFY2(b.ok, b.describe().constData());
                    QCOMPARE(a.value().toString(), b.value().toString());
                }
            }
        }
    }

    void latencyQuantileInterpolatesWithinItsBucket_data()
    {
        QTest::addColumn<QString>("histogram");
        QTest::addColumn<QString>("quantile");
        QTest::addColumn<QVariant>("expected");
        // bounds 1, 2.5, 5, 10, 25, 50, 100, 150, 250, 300, 500, 1000, +Inf
        QTest::newRow("empty") << u"{0,0,0,0,0,0,0,0,0,0,0,0,0}"_s << u"0.95"_s << QVariant();
        QTest::newRow("first bucket")
            << u"{10,0,0,0,0,0,0,0,0,0,0,0,0}"_s << u"0.5"_s << QVariant(0.5);
        QTest::newRow("middle of a bucket")
            << u"{0,0,0,10,0,0,0,0,0,0,0,0,0}"_s << u"0.5"_s << QVariant(7.5);
        QTest::newRow("across buckets")
            << u"{50,0,30,20,0,0,0,0,0,0,0,0,0}"_s << u"0.95"_s << QVariant(8.75);
        QTest::newRow("+Inf bucket gives the last bound")
            << u"{1,0,0,0,0,0,0,0,0,0,0,0,9}"_s << u"0.95"_s << QVariant(1000.0);
    }

    void latencyQuantileInterpolatesWithinItsBucket()
    {
        QFETCH(QString, histogram);
        QFETCH(QString, quantile);
        QFETCH(QVariant, expected);
        QC_TEST_DATABASE(name);
        QSqlDatabase db = TestCluster::instance().open(name);
        const SqlResult r = sqlCall(
            db, u"SELECT quota.latency_quantile('%1'::bigint[], %2)"_s.arg(histogram, quantile));
        QVERIFY2(r.ok, r.describe().constData());
        if (!expected.isValid())
            QVERIFY(r.value().isNull());
        else
            QCOMPARE(r.value().toDouble(), expected.toDouble());
    }

    void concurrentBatchesDoNotDeadlockOrLoseCounts()
    {
        QC_TEST_DATABASE(name);
        // Same minutes and identifiers from both writers, in opposite orders.
        const QJsonArray rows = traffic(800, 7);
        QJsonArray reversed;
        for (qsizetype i = rows.size() - 1; i >= 0; --i)
            reversed.append(rows[i]);
        QString errors[2];
        auto writer = [&](int w) {
            const QString connection = u"writer_%1"_s.arg(w);
            {
                QSqlDatabase db = TestCluster::instance().open(name, connection);
                for (int round = 0; round < 5 && errors[w].isEmpty(); ++round) {
                    const SqlResult r = sqlCall(db, u"SELECT quota.log_requests(?::jsonb)"_s,
                        { json(w == 0 ? rows : reversed) });
                    if (!r.ok)
                        errors[w] = QString::fromUtf8(r.describe());
                }
            }
            QSqlDatabase::removeDatabase(connection);
        };
        std::thread a(writer, 0), b(writer, 1);
        a.join();
        b.join();
        QVERIFY2(errors[0].isEmpty(), qPrintable(errors[0]));
        QVERIFY2(errors[1].isEmpty(), qPrintable(errors[1]));
        QSqlDatabase db = TestCluster::instance().open(name);
        QCOMPARE(scalar(db, u"SELECT count(*) FROM quota.request_logs"_s), 8000);
        QCOMPARE(scalar(db, u"SELECT sum(requests) FROM quota.rollup_minute"_s), 8000);
        QCOMPARE(scalar(db,
                     u"SELECT sum(requests) FROM quota.rollup_identifier_hour WHERE kind = 'ip'"_s),
            8000);
        QCOMPARE(scalar(db, u"SELECT sum(requests) FROM quota.rollup_hour"_s), 8000);
        QCOMPARE(scalar(db, u"SELECT sum(requests) FROM quota.rollup_minute_total"_s), 8000);
    }

    void malformedBatchesAreRefused_data()
    {
        QTest::addColumn<QString>("batch");
        QTest::addColumn<QString>("sqlState");
        QTest::newRow("not an array") << u"{\"ts\": \"2026-01-01T00:00:00Z\"}"_s << u"22023"_s;
        QTest::newRow("no decision")
            << u"[{\"ts\": \"2026-01-01T00:00:00Z\", \"endpoint\": \"/x\"}]"_s << u"23502"_s;
        QTest::newRow("unknown decision")
            << u"[{\"ts\": \"2026-01-01T00:00:00Z\", \"endpoint\": \"/x\", \"decision\": \"maybe\"}]"_s
            << u"23514"_s;
        QTest::newRow("bad time")
            << u"[{\"ts\": \"yesterday-ish\", \"endpoint\": \"/x\", \"decision\": \"allowed\"}]"_s
            << u"22007"_s;
    }

    void malformedBatchesAreRefused()
    {
        QFETCH(QString, batch);
        QFETCH(QString, sqlState);
        QC_TEST_DATABASE(name);
        QSqlDatabase db = TestCluster::instance().open(name);
        const SqlResult r = sqlCall(db, u"SELECT quota.log_requests(?::jsonb)"_s, { batch });
        QVERIFY(!r.ok);
        QCOMPARE(r.sqlState, sqlState);
        QCOMPARE(scalar(db, u"SELECT count(*) FROM quota.rollup_minute"_s), 0);
    }
};

QTEST_GUILESS_MAIN(RequestLogsTest)
#include "tst_requestlogs.moc"
