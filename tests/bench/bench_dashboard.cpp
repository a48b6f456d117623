// Dashboard queries: every query the console's Watch page issues (KPIs, time series, top lists)
// for the last 1 h, 24 h and 7 d, answered from the rollups (quota.rollup_minute,
// quota.rollup_identifier_hour) and, in the same run, from raw quota.request_logs. The answers
// are compared (p95: the histogram estimate must lie in the bucket of the exact p95) and timed
// side by side, since this machine is shared: rollup ms (median), raw ms (median), ratio.
//
// Data: a private PostgreSQL (tests/support TestCluster), N request_logs rows over 30 days
// ending at 2026-01-15T14:00Z, made by SQL (generate_series + a deterministic hash), loaded
// day by day into the partitions (indexes built after the load), the rollups aggregated from
// each day with the expressions of quota.log_requests. The last rows (about one hour) go
// through quota.log_requests itself, so the 1 h range is answered from rollups the write path
// made; the bulk aggregation is checked against quota.log_requests' own aggregation too.
//
//   bench_dashboard                          # 1 million rows
//   bench_dashboard --full                   # 10 million rows (setup ~9 min at load 7 on 2 cores)
//   bench_dashboard --rows=N --runs=R --raw-runs=S
//   bench_dashboard --benchmark_filter=Smoke # what CTest runs: 200k rows, 3 runs
//
// Exit status 1 when an answer differs (a bug); missed time targets are only reported.

#include "support/testcluster.h"

#include <QCoreApplication>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <libpq-fe.h>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using qc::testsupport::TestCluster;

namespace {

// ---------------------------------------------------------------------------------------------
// The dashboard queries, as the console issues them. Parameters: $1 = range start, $2 = range
// end (now), both timestamptz, the start on a whole minute; $3 = the series step (interval, a
// whole number of minutes). A rollup_minute row covers [bucket, bucket + 1 min): the rows of
// [$1, $2) are those with bucket >= $1 AND bucket < $2. Top lists of identifiers come from
// hourly rows, so they cover [date_trunc('hour', $1), $2).

// The summed latency histogram of a group of rollup_minute rows (per-element sums: an order
// of magnitude faster than quota.array_sum, which calls a SQL function per row).
const std::string kHistogramSum = R"(ARRAY[
        sum(latency_buckets[1]), sum(latency_buckets[2]), sum(latency_buckets[3]),
        sum(latency_buckets[4]), sum(latency_buckets[5]), sum(latency_buckets[6]),
        sum(latency_buckets[7]), sum(latency_buckets[8]), sum(latency_buckets[9]),
        sum(latency_buckets[10]), sum(latency_buckets[11]), sum(latency_buckets[12]),
        sum(latency_buckets[13])])";

// p95 of a histogram (bucket counts per quota.latency_bucket_bounds(), not cumulative),
// interpolated as Prometheus' histogram_quantile does: rank = 0.95 · total, the first bucket
// whose cumulative count reaches it, linear within it (the first bucket starts at 0); a rank in
// the +Inf bucket gives the last finite bound. NULL when the histogram is empty.
std::string p95Of(const std::string& hist)
{
    return R"((SELECT CASE WHEN q.i = array_length(q.bounds, 1) THEN q.bounds[q.i - 1]
                 ELSE q.lo + (q.hi - q.lo) * ((q.rank - q.before) / nullif(q.cnt, 0))::float8 END
        FROM (SELECT u.i::int AS i, u.cnt, b.bounds, coalesce(b.bounds[u.i::int - 1], 0) AS lo,
                     b.bounds[u.i::int] AS hi, sum(u.cnt) OVER w - u.cnt AS before,
                     sum(u.cnt) OVER w AS cum, 0.95 * sum(u.cnt) OVER () AS rank
              FROM unnest()"
        + hist + R"() WITH ORDINALITY AS u(cnt, i),
                   quota.latency_bucket_bounds() AS b(bounds)
              WINDOW w AS (ORDER BY u.i)) q
        WHERE q.rank > 0 AND q.cum >= q.rank
        ORDER BY q.i LIMIT 1))";
}

struct DashboardQuery {
    std::string name;
    std::string rollupSql;
    std::string rawSql; // the same answer from request_logs (p95: the exact order statistic)
    std::vector<int> p95Columns; // compared by histogram bucket, every other column exactly
    bool series = false; // takes $3 = step
    bool rangeIndependent = false; // today / month-to-date: run once
};

std::vector<DashboardQuery> dashboardQueries()
{
    std::vector<DashboardQuery> q;
    // KPIs: requests, denials, denial rate, collisions, collision rate (per request: the
    // rollup has no count of requests with an idempotency key), p95 quota-check ms.
    q.push_back({ "kpi",
        R"(SELECT requests, denied, denied::float8 / nullif(requests, 0) AS denial_rate,
       collisions, collisions::float8 / nullif(requests, 0) AS collision_rate, )"
            + p95Of("r.hist") + R"( AS p95_ms
FROM (SELECT coalesce(sum(requests), 0) AS requests,
             coalesce(sum(requests) FILTER (WHERE decision = 'denied'), 0) AS denied,
             coalesce(sum(collisions), 0) AS collisions, )"
            + kHistogramSum + R"( AS hist
      FROM quota.rollup_minute WHERE bucket >= $1 AND bucket < $2) r)",
        R"(SELECT count(*) AS requests, count(*) FILTER (WHERE decision = 'denied') AS denied,
       (count(*) FILTER (WHERE decision = 'denied'))::float8 / nullif(count(*), 0),
       count(*) FILTER (WHERE collision <> 0),
       (count(*) FILTER (WHERE collision <> 0))::float8 / nullif(count(*), 0),
       percentile_disc(0.95) WITHIN GROUP (ORDER BY quota_check_ms)
FROM quota.request_logs WHERE ts >= $1 AND ts < $2)",
        { 5 } });
    // Cost today and month-to-date (UTC), for the same "now" ($2).
    q.push_back({ "kpi_cost_today_mtd",
        R"(SELECT coalesce(sum(cost_usd) FILTER (WHERE bucket >= date_trunc('day', $2, 'UTC')), 0)
           AS today, coalesce(sum(cost_usd), 0) AS month_to_date
FROM quota.rollup_minute
WHERE bucket >= date_trunc('month', $2::timestamptz, 'UTC') AND bucket < $2 AND $1 <= $2)",
        R"(SELECT coalesce(sum(cost_usd) FILTER (WHERE ts >= date_trunc('day', $2, 'UTC')), 0),
       coalesce(sum(cost_usd), 0)
FROM quota.request_logs
WHERE ts >= date_trunc('month', $2::timestamptz, 'UTC') AND ts < $2 AND $1 <= $2)",
        {}, false, true });
    // Time series: requests, denials, cost, p95 per step.
    q.push_back({ "series",
        R"(SELECT t, requests, denied, cost_usd, )" + p95Of("s.hist") + R"( AS p95_ms
FROM (SELECT date_bin($3, bucket, timestamptz '2000-01-01') AS t, sum(requests) AS requests,
             coalesce(sum(requests) FILTER (WHERE decision = 'denied'), 0) AS denied,
             sum(cost_usd) AS cost_usd, )"
            + kHistogramSum + R"( AS hist
      FROM quota.rollup_minute WHERE bucket >= $1 AND bucket < $2
      GROUP BY 1) s
ORDER BY t)",
        R"(SELECT date_bin($3, ts, timestamptz '2000-01-01') AS t, count(*),
       count(*) FILTER (WHERE decision = 'denied'), coalesce(sum(cost_usd), 0),
       percentile_disc(0.95) WITHIN GROUP (ORDER BY quota_check_ms)
FROM quota.request_logs WHERE ts >= $1 AND ts < $2
GROUP BY 1 ORDER BY 1)",
        { 4 }, true });
    // Time series: denials by reason per step.
    q.push_back({ "series_denials_by_reason",
        R"(SELECT date_bin($3, bucket, timestamptz '2000-01-01') AS t, reason, sum(requests)
FROM quota.rollup_minute WHERE bucket >= $1 AND bucket < $2 AND decision = 'denied'
GROUP BY 1, 2 ORDER BY 1, 2)",
        R"(SELECT date_bin($3, ts, timestamptz '2000-01-01') AS t, coalesce(reason, ''), count(*)
FROM quota.request_logs WHERE ts >= $1 AND ts < $2 AND decision = 'denied'
GROUP BY 1, 2 ORDER BY 1, 2)",
        {}, true });
    // Top lists: the 20 identifiers with the most requests (ties by name).
    for (const char* kind : { "ip", "user" }) {
        const std::string column = std::strcmp(kind, "ip") == 0 ? "ip" : "user_id";
        q.push_back({ std::string("top_") + kind + "s",
            std::string(R"(SELECT identifier, sum(requests) AS requests, sum(denials) AS denials,
       round(100.0 * sum(denials) / sum(requests), 2) AS denial_pct, sum(cost_usd) AS cost_usd
FROM quota.rollup_identifier_hour
WHERE kind = ')")
                + kind
                + R"(' AND bucket >= date_trunc('hour', $1::timestamptz, 'UTC') AND bucket < $2
GROUP BY identifier ORDER BY requests DESC, identifier LIMIT 20)",
            "SELECT " + column + R"(, count(*) AS requests,
       count(*) FILTER (WHERE decision = 'denied'),
       round(100.0 * count(*) FILTER (WHERE decision = 'denied') / count(*), 2),
       coalesce(sum(cost_usd), 0)
FROM quota.request_logs
WHERE ts >= date_trunc('hour', $1::timestamptz, 'UTC') AND ts < $2 AND coalesce()"
                + column + ", '') <> ''\nGROUP BY " + column + " ORDER BY requests DESC, " + column
                + " LIMIT 20",
            {} });
    }
    // Top endpoints (all of them): requests, denials, denial %, cost, p95.
    q.push_back({ "top_endpoints",
        R"(SELECT endpoint, requests, denied, round(100.0 * denied / requests, 2) AS denial_pct,
       cost_usd, )"
            + p95Of("e.hist") + R"( AS p95_ms
FROM (SELECT endpoint, sum(requests) AS requests,
             coalesce(sum(requests) FILTER (WHERE decision = 'denied'), 0) AS denied,
             sum(cost_usd) AS cost_usd, )"
            + kHistogramSum + R"( AS hist
      FROM quota.rollup_minute WHERE bucket >= $1 AND bucket < $2
      GROUP BY endpoint) e
ORDER BY requests DESC, endpoint)",
        R"(SELECT endpoint, count(*) AS requests, count(*) FILTER (WHERE decision = 'denied'),
       round(100.0 * count(*) FILTER (WHERE decision = 'denied') / count(*), 2),
       coalesce(sum(cost_usd), 0),
       percentile_disc(0.95) WITHIN GROUP (ORDER BY quota_check_ms)
FROM quota.request_logs WHERE ts >= $1 AND ts < $2
GROUP BY endpoint ORDER BY requests DESC, endpoint)",
        { 5 } });
    return q;
}

// ---------------------------------------------------------------------------------------------
// Synthetic traffic, deterministic: bench.u(i, s) is a uniform [0,1) number per row and stream.

constexpr const char* kGeneratorSql = R"SQL(
CREATE SCHEMA bench;
CREATE FUNCTION bench.u(i bigint, s integer) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ((hashint8extended(i, s) >> 11) & 9007199254740991)::float8 / 9007199254740992.0
$$;
-- Rows p_first .. p_first + p_count - 1 of one stretch [p_from, p_to) holding p_total rows,
-- in time order. ~5 endpoints, 4 plans + anonymous (25 %), ~50k users and ~200k IPs with
-- Zipf(1) skew, ~10 % denials (more for the 3 hottest IPs), idempotency keys on POSTs.
CREATE FUNCTION bench.gen(p_first bigint, p_count bigint, p_total bigint, p_from timestamptz,
                          p_to timestamptz, p_base bigint)
RETURNS SETOF quota.request_logs LANGUAGE sql VOLATILE AS $$
SELECT ts, 'req-' || (p_base + j), endpoint, method, user_id::text,
       CASE WHEN user_id IS NULL THEN NULL
            WHEN plan_pick < 60 THEN 'free' WHEN plan_pick < 85 THEN 'basic'
            WHEN plan_pick < 97 THEN 'pro' ELSE 'enterprise' END,
       ip, NULL::text, CASE WHEN u_ua < 0.03 THEN 'Googlebot/2.1' ELSE 'client/1.' || (ipn % 7) END,
       (ARRAY['US', 'DE', 'IR', 'IN', 'BR', 'GB', 'FR', 'JP'])[1 + ipn % 8],
       CASE WHEN method = 'POST' AND u_key < 0.5 THEN 'k-' || (p_base + j) END,
       CASE WHEN method = 'POST' AND u_key < 0.5 THEN 'h-' || (p_base + j) END,
       qms, CASE WHEN reason = 'admitted' THEN resp ELSE 2 END,
       CASE reason WHEN 'rate_limited' THEN 429 WHEN 'quota_exceeded' THEN 429
                   WHEN 'blocked' THEN 403 WHEN 'idempotency_conflict' THEN 409 ELSE 200 END::smallint,
       CASE WHEN reason IN ('admitted', 'idempotent_replay') THEN 'allowed' ELSE 'denied' END,
       reason,
       CASE reason WHEN 'rate_limited' THEN (ARRAY['ip_per_minute', 'ip_per_hour',
            'free_user_2h'])[1 + (ipn % 3)] END,
       CASE WHEN reason = 'admitted' THEN round((base_cost + coalesce(tokens, 0) * 0.000002)::numeric, 6)
            ELSE 0 END,
       CASE WHEN reason = 'admitted' THEN tokens END,
       CASE WHEN endpoint = '/v1/generate' THEN CASE WHEN u_key < 0.3 THEN 'large' ELSE 'small' END END,
       false,
       CASE WHEN reason = 'idempotency_conflict' THEN (ARRAY[1, 2, 4, 5])[1 + (p_base + j) % 4]
            WHEN u_coll < 0.003 THEN 1 ELSE 0 END::smallint,
       NULL::text, nextval('quota.request_logs_id_seq')
FROM (
    SELECT j, ts, endpoint, method, user_id, ip, ipn, plan_pick, u_ua, u_key, u_coll, qms, resp,
           tokens, base_cost,
           CASE WHEN d < deny_p THEN
                    CASE WHEN d2 < 0.60 OR user_id IS NULL THEN 'rate_limited'
                         WHEN d2 < 0.80 THEN 'quota_exceeded'
                         WHEN d2 < 0.92 THEN 'blocked' ELSE 'idempotency_conflict' END
                WHEN d2 < 0.015 THEN 'idempotent_replay' ELSE 'admitted' END AS reason
    FROM (
        SELECT j, p_from + (p_to - p_from) * ((j + bench.u(p_base + j, 1)) / p_total) AS ts,
               e.endpoint, e.method, e.resp, e.base_cost,
               CASE WHEN e.endpoint = '/v1/generate'
                    THEN 100 + floor(bench.u(p_base + j, 9) * 3900)::int END AS tokens,
               CASE WHEN bench.u(p_base + j, 3) >= 0.25 THEN 'u' || un END AS user_id,
               abs(hashint4(un)) % 100 AS plan_pick,
               '10.' || (ipn / 65536) || '.' || (ipn / 256 % 256) || '.' || (ipn % 256) AS ip, ipn,
               bench.u(p_base + j, 6) AS d, bench.u(p_base + j, 7) AS d2,
               CASE WHEN ipn <= 3 THEN 0.20 ELSE 0.08 END AS deny_p,
               bench.u(p_base + j, 10) AS u_ua, bench.u(p_base + j, 11) AS u_key,
               bench.u(p_base + j, 12) AS u_coll,
               round(CASE WHEN bench.u(p_base + j, 13) < 0.004
                          THEN 150 + 900 * bench.u(p_base + j, 14)
                          ELSE exp(ln(3.0) + 0.9 * sqrt(-2 * ln(1 - bench.u(p_base + j, 15)))
                                   * cos(2 * pi() * bench.u(p_base + j, 16))) END::numeric, 3)::float8 AS qms
        FROM generate_series(p_first, p_first + p_count - 1) AS j,
             LATERAL (SELECT floor(exp(bench.u(p_base + j, 4) * ln(50000.0)))::int AS un,
                             floor(exp(bench.u(p_base + j, 5) * ln(200000.0)))::int AS ipn,
                             bench.u(p_base + j, 2) AS pick) AS r,
             LATERAL (SELECT * FROM (VALUES
                 (0.40, '/v1/items', 'GET', 40, 0.0001), (0.65, '/v1/search', 'GET', 120, 0.0005),
                 (0.85, '/v1/generate', 'POST', 1800, 0.002), (0.95, '/v1/export', 'POST', 900, 0.01),
                 (1.01, '/v1/upload', 'POST', 400, 0.003)) AS v(upto, endpoint, method, resp, base_cost)
                 WHERE r.pick < v.upto ORDER BY v.upto LIMIT 1) AS e
    ) x
) y
$$;
)SQL";

// The rollups of a set of request_logs rows, aggregated like quota.log_requests does (same keys,
// same coalesces; a latency value equal to a bound counts in that bucket, NULL in none), with
// per-bucket FILTERs instead of quota.array_sum(quota.latency_one_hot(...)) for speed; checked
// against that aggregation in checkBulkAggregation().
std::string rollupMinuteInsert(const std::string& from)
{
    std::string buckets;
    const char* bounds[]
        = { "1", "2.5", "5", "10", "25", "50", "100", "150", "250", "300", "500", "1000" };
    std::string lower;
    for (const char* b : bounds) {
        buckets += "count(*) FILTER (WHERE quota_check_ms <= " + std::string(b)
            + (lower.empty() ? "" : " AND quota_check_ms > " + lower) + "), ";
        lower = b;
    }
    buckets += "count(*) FILTER (WHERE quota_check_ms > 1000)";
    return R"(INSERT INTO quota.rollup_minute
SELECT date_trunc('minute', ts, 'UTC'), endpoint, coalesce(plan, ''), decision, coalesce(reason, ''),
       count(*), ARRAY[)"
        + buckets + R"(],
       count(quota_check_ms), coalesce(sum(quota_check_ms), 0), coalesce(sum(response_ms), 0),
       coalesce(sum(cost_usd), 0), coalesce(sum(tokens), 0),
       count(*) FILTER (WHERE collision <> 0), count(*) FILTER (WHERE fail_open)
FROM )" + from
        + " GROUP BY 1, 2, 3, 4, 5";
}

std::string rollupIdentifierInsert(const std::string& from)
{
    return R"(INSERT INTO quota.rollup_identifier_hour
SELECT date_trunc('hour', ts, 'UTC'), kind, identifier, count(*),
       count(*) FILTER (WHERE decision = 'denied'), coalesce(sum(cost_usd), 0)
FROM (SELECT ts, 'ip' AS kind, ip AS identifier, decision, cost_usd FROM )"
        + from + R"( WHERE coalesce(ip, '') <> ''
      UNION ALL
      SELECT ts, 'user', user_id, decision, cost_usd FROM )"
        + from + R"( WHERE coalesce(user_id, '') <> '') AS x
GROUP BY 1, 2, 3)";
}

// ---------------------------------------------------------------------------------------------
// libpq helpers

using Rows = std::vector<std::vector<std::string>>;

struct Connection {
    PGconn* conn = nullptr;
    explicit Connection(const std::string& conninfo)
        : conn(PQconnectdb(conninfo.c_str()))
    {
        if (PQstatus(conn) != CONNECTION_OK)
            throw std::runtime_error(std::string("connect: ") + PQerrorMessage(conn));
    }
    ~Connection() { PQfinish(conn); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    Rows query(const std::string& sql, const std::vector<std::string>& params = {})
    {
        std::vector<const char*> values;
        for (const std::string& p : params)
            values.push_back(p.c_str());
        // Without parameters: the simple protocol, which also takes several statements.
        PGresult* res = values.empty()
            ? PQexec(conn, sql.c_str())
            : PQexecParams(conn, sql.c_str(), static_cast<int>(values.size()), nullptr,
                values.data(), nullptr, nullptr, 0);
        const ExecStatusType status = PQresultStatus(res);
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
            const std::string message = PQresultErrorMessage(res);
            PQclear(res);
            throw std::runtime_error(message + "in:\n" + sql.substr(0, 600));
        }
        Rows rows;
        for (int r = 0; r < PQntuples(res); ++r) {
            std::vector<std::string> row;
            for (int c = 0; c < PQnfields(res); ++c)
                row.emplace_back(PQgetisnull(res, r, c) ? "" : PQgetvalue(res, r, c));
            rows.push_back(std::move(row));
        }
        PQclear(res);
        return rows;
    }
    void exec(const std::string& sql) { query(sql); }
    std::string scalar(const std::string& sql, const std::vector<std::string>& params = {})
    {
        const Rows rows = query(sql, params);
        return rows.empty() || rows[0].empty() ? std::string() : rows[0][0];
    }
};

using Clock = std::chrono::steady_clock;
double msSince(Clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// ---------------------------------------------------------------------------------------------
// Loading

constexpr const char* kNow = "2026-01-15 14:00:00+00"; // the dashboard's "now" (a Thursday)
constexpr int kDays = 30;

struct Stretch { // one day partition (the first and the last are partial)
    std::string day; // YYYYMMDD
    std::string from, to; // timestamptz text
    long long first = 0; // global row number of its first row
    long long count = 0;
};

std::vector<Stretch> planStretches(Connection& c, long long rows)
{
    // Day boundaries between now - 30 days and now; rows spread evenly over time.
    const Rows days = c.query(R"(
        SELECT to_char(d, 'YYYYMMDD'), greatest(d, $1::timestamptz - interval '30 days'),
               least(d + interval '1 day', $1::timestamptz),
               extract(epoch FROM least(d + interval '1 day', $1::timestamptz)
                   - greatest(d, $1::timestamptz - interval '30 days'))
        FROM generate_series(date_trunc('day', $1::timestamptz - interval '30 days', 'UTC'),
                             $1::timestamptz - interval '1 microsecond', interval '1 day') AS d
        ORDER BY d)",
        { kNow });
    std::vector<Stretch> out;
    long long next = 0;
    const double total = kDays * 86400.0;
    double acc = 0;
    for (const auto& d : days) {
        acc += std::stod(d[3]);
        const long long end = static_cast<long long>(std::llround(rows * acc / total));
        out.push_back({ d[0], d[1], d[2], next, end - next });
        next = end;
    }
    return out;
}

std::string genCall(const Stretch& s, long long firstInStretch, long long count)
{
    return "bench.gen(" + std::to_string(firstInStretch) + ", " + std::to_string(count) + ", "
        + std::to_string(s.count) + ", '" + s.from + "', '" + s.to + "', " + std::to_string(s.first)
        + ")";
}

struct LoadReport {
    double seconds = 0;
    long long bulkRows = 0;
    long long writePathRows = 0;
    double writePathSeconds = 0;
};

// Bulk: each day into its own table (no indexes), rollups aggregated from it, indexes built,
// vacuumed, attached as the day's partition. The last `tail` rows of the last day then go
// through quota.log_requests in batches of 1000, as the live write path would log them.
LoadReport load(const std::string& conninfo, long long rows, long long tail, int workers)
{
    LoadReport report;
    const auto t0 = Clock::now();
    Connection main(conninfo);
    main.exec(kGeneratorSql);
    std::vector<Stretch> stretches = planStretches(main, rows);
    Stretch& last = stretches.back();
    tail = std::min(tail, last.count);
    const long long lastBulk = last.count - tail;

    std::atomic<std::size_t> next { 0 };
    std::mutex errorMutex;
    std::string error;
    auto worker = [&] {
        try {
            Connection c(conninfo);
            c.exec("SET maintenance_work_mem = '256MB'");
            c.exec("SET work_mem = '128MB'");
            c.exec("SET jit = off");
            for (std::size_t i = next++; i < stretches.size(); i = next++) {
                const Stretch& s = stretches[i];
                const long long n = &s == &last ? lastBulk : s.count;
                const std::string table = "quota.request_logs_p" + s.day;
                const std::string dayFrom = s.day.substr(0, 4) + "-" + s.day.substr(4, 2) + "-"
                    + s.day.substr(6, 2) + " 00:00:00+00";
                c.exec("CREATE TABLE " + table
                    + " (LIKE quota.request_logs INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
                c.exec("INSERT INTO " + table + " SELECT * FROM " + genCall(s, 0, n));
                c.exec(rollupMinuteInsert(table));
                c.exec(rollupIdentifierInsert(table));
                // The indexes of quota.request_logs, so that ATTACH adopts them instead of
                // building them; the CHECK spares it the validation scan.
                c.exec("CREATE INDEX ON " + table + " (ts)");
                c.exec("CREATE INDEX ON " + table + " (ip, ts)");
                c.exec("CREATE INDEX ON " + table + " (user_id, ts)");
                c.exec("CREATE INDEX ON " + table + " (request_id)");
                c.exec("ALTER TABLE " + table + " ADD CONSTRAINT bench_range CHECK (ts >= '"
                    + dayFrom + "' AND ts < timestamptz '" + dayFrom + "' + interval '1 day')");
                c.exec("VACUUM (ANALYZE) " + table);
                c.exec("ALTER TABLE quota.request_logs ATTACH PARTITION " + table
                    + " FOR VALUES FROM ('" + dayFrom + "') TO (timestamptz '" + dayFrom
                    + "' + interval '1 day')");
                c.exec("ALTER TABLE " + table + " DROP CONSTRAINT bench_range");
            }
        } catch (const std::exception& e) {
            std::lock_guard lock(errorMutex);
            if (error.empty())
                error = e.what();
        }
    };
    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w)
        threads.emplace_back(worker);
    for (auto& t : threads)
        t.join();
    if (!error.empty())
        throw std::runtime_error("loading: " + error);
    report.bulkRows = rows - tail;

    // The write path for the last rows: quota.log_requests, 1000 rows per call.
    const auto w0 = Clock::now();
    for (long long first = lastBulk; first < last.count; first += 1000) {
        const long long n = std::min<long long>(1000, last.count - first);
        main.exec("SELECT quota.log_requests(jsonb_agg(to_jsonb(g))) FROM "
            + genCall(last, first, n) + " AS g");
    }
    report.writePathRows = tail;
    report.writePathSeconds = msSince(w0) / 1000;
    main.exec("VACUUM (ANALYZE) quota.rollup_minute");
    main.exec("VACUUM (ANALYZE) quota.rollup_identifier_hour");
    main.exec("ANALYZE quota.request_logs");
    report.seconds = msSince(t0) / 1000;
    return report;
}

// The bulk aggregation above must equal quota.log_requests' own (quota.array_sum of
// quota.latency_one_hot, ...): both computed over the same raw hour, compared row by row.
bool checkBulkAggregation(Connection& c)
{
    const std::string from = R"((SELECT * FROM quota.request_logs
        WHERE ts >= $1::timestamptz - interval '2 hours' AND ts < $1::timestamptz - interval '1 hour') AS raw)";
    auto asSelect = [](std::string insert) { return insert.substr(insert.find("SELECT")); };
    const std::string writePath = R"(
SELECT date_trunc('minute', raw.ts, 'UTC'), raw.endpoint, coalesce(raw.plan, ''), raw.decision,
       coalesce(raw.reason, ''), count(*), quota.array_sum(quota.latency_one_hot(raw.quota_check_ms)),
       count(raw.quota_check_ms), coalesce(sum(raw.quota_check_ms), 0),
       coalesce(sum(raw.response_ms), 0), coalesce(sum(raw.cost_usd), 0)::numeric(20, 6),
       coalesce(sum(raw.tokens), 0), count(*) FILTER (WHERE raw.collision <> 0),
       count(*) FILTER (WHERE raw.fail_open)
FROM )" + from
        + " GROUP BY 1, 2, 3, 4, 5";
    const std::string bulk = asSelect(rollupMinuteInsert(from));
    const std::string sql = "SELECT (SELECT count(*) FROM (" + writePath + " EXCEPT " + bulk
        + ") a) + (SELECT count(*) FROM (" + bulk + " EXCEPT " + writePath
        + ") b), (SELECT count(*) FROM (" + bulk + ") c)";
    const Rows r = c.query(sql, { kNow });
    std::printf("bulk aggregation vs quota.log_requests' aggregation over one hour: %s rows, "
                "%s differ\n",
        r[0][1].c_str(), r[0][0].c_str());
    return r[0][0] == "0" && r[0][1] != "0";
}

// ---------------------------------------------------------------------------------------------
// Comparing answers

constexpr double kBounds[] = { 1, 2.5, 5, 10, 25, 50, 100, 150, 250, 300, 500, 1000 };
int bucketOf(double ms)
{
    int i = 0;
    while (i < 12 && ms > kBounds[i])
        ++i;
    return i; // 12 = +Inf
}

bool sameCell(const std::string& a, const std::string& b)
{
    if (a == b)
        return true;
    if (a.empty() || b.empty())
        return false;
    char* endA = nullptr;
    char* endB = nullptr;
    const double x = std::strtod(a.c_str(), &endA);
    const double y = std::strtod(b.c_str(), &endB);
    if (*endA || *endB)
        return false;
    return std::fabs(x - y) <= 1e-9 * std::max(1.0, std::fabs(x));
}

// The histogram estimate and the exact p95 (percentile_disc: the smallest value with at least
// 95 % of the values at or below it) must lie in the same bucket; a rank in the +Inf bucket
// reports the last finite bound.
bool sameP95(const std::string& estimate, const std::string& exact)
{
    if (estimate.empty() || exact.empty())
        return estimate == exact;
    const double e = std::stod(estimate);
    const double x = std::stod(exact);
    return bucketOf(e) == bucketOf(x) || (e == 1000 && x > 1000);
}

std::string compare(const Rows& rollup, const Rows& raw, const std::vector<int>& p95Columns)
{
    if (rollup.size() != raw.size())
        return "rows " + std::to_string(rollup.size()) + " vs " + std::to_string(raw.size());
    for (std::size_t r = 0; r < raw.size(); ++r) {
        if (rollup[r].size() != raw[r].size())
            return "columns differ";
        for (std::size_t c = 0; c < raw[r].size(); ++c) {
            const bool p95 = std::find(p95Columns.begin(), p95Columns.end(), static_cast<int>(c))
                != p95Columns.end();
            if (p95 ? !sameP95(rollup[r][c], raw[r][c]) : !sameCell(rollup[r][c], raw[r][c]))
                return "row " + std::to_string(r) + " column " + std::to_string(c) + ": rollup '"
                    + rollup[r][c] + "' raw '" + raw[r][c] + "'";
        }
    }
    return {};
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct Range {
    const char* name;
    const char* length;
    const char* step;
};

int usage()
{
    std::fprintf(stderr,
        "usage: bench_dashboard [--full | --rows=N] [--runs=N] [--raw-runs=N] [--workers=N]\n"
        "                       [--benchmark_filter=Smoke]\n");
    return 2;
}

} // namespace

int main(int argc, char** argv)
{
    long long rows = 1000000;
    int runs = 7;
    int rawRuns = 3;
    int workers = 2;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--full")
            rows = 10000000;
        else if (a.rfind("--rows=", 0) == 0)
            rows = std::atoll(a.c_str() + 7);
        else if (a.rfind("--runs=", 0) == 0)
            runs = std::atoi(a.c_str() + 7);
        else if (a.rfind("--raw-runs=", 0) == 0)
            rawRuns = std::atoi(a.c_str() + 11);
        else if (a.rfind("--workers=", 0) == 0)
            workers = std::atoi(a.c_str() + 10);
        else if (a.rfind("--benchmark_filter=", 0) == 0 && a.find("Smoke") != std::string::npos) {
            rows = 200000;
            runs = 3;
            rawRuns = 1;
        } else
            return usage();
    }
    if (rows < 10000 || runs < 1 || rawRuns < 1 || workers < 1)
        return usage();

    QCoreApplication app(argc, argv);
    TestCluster& cluster = TestCluster::instance();
    if (!cluster.isRunning()) {
        std::fprintf(stderr, "bench_dashboard: %s\n", qPrintable(cluster.errorString()));
        return 1;
    }
    const QString dbName = cluster.createDatabase();
    if (dbName.isEmpty()) {
        std::fprintf(stderr, "bench_dashboard: %s\n", qPrintable(cluster.errorString()));
        return 1;
    }
    const std::string conninfo = cluster.conninfo(dbName).toStdString();
    int status = 0;
    try {
        // About the last hour's rows through the write path.
        const long long tail = std::max<long long>(1000, rows / (kDays * 24));
        std::printf("loading %lld request_logs rows over %d days ending %s (%d workers)...\n", rows,
            kDays, kNow, workers);
        std::fflush(stdout);
        const LoadReport lr = load(conninfo, rows, tail, workers);
        Connection c(conninfo);
        c.exec("SET jit = off"); // the console's sessions too: JIT compiles cost more than they
                                 // save here
        c.exec("SET work_mem = '64MB'");
        std::printf(
            "setup %.1f s: %lld rows bulk, %lld rows through quota.log_requests (%.0f rows/s); "
            "rollup_minute %s rows, rollup_identifier_hour %s rows; request_logs %s, rollups %s\n",
            lr.seconds, lr.bulkRows, lr.writePathRows, lr.writePathRows / lr.writePathSeconds,
            c.scalar("SELECT count(*) FROM quota.rollup_minute").c_str(),
            c.scalar("SELECT count(*) FROM quota.rollup_identifier_hour").c_str(),
            c.scalar("SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) FROM pg_inherits i "
                     "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = "
                     "'quota.request_logs'::regclass")
                .c_str(),
            c.scalar("SELECT pg_size_pretty(pg_total_relation_size('quota.rollup_minute') + "
                     "pg_total_relation_size('quota.rollup_identifier_hour'))")
                .c_str());
        if (!checkBulkAggregation(c)) {
            std::printf("FAIL: the bulk rollups differ from quota.log_requests' aggregation\n");
            status = 1;
        }

        const Range ranges[] = { { "1h", "1 hour", "1 minute" }, { "24h", "24 hours", "5 minutes" },
            { "7d", "7 days", "1 hour" } };
        const auto queries = dashboardQueries();
        std::printf("\nmedian of %d rollup runs and %d raw runs (after one warm-up each, "
                    "alternating); target: rollup < 50 ms and >= 50x faster than raw\n\n",
            runs, rawRuns);
        std::printf("%-26s %-5s %6s %11s %11s %9s  %-6s %s\n", "query", "range", "rows",
            "rollup ms", "raw ms", "raw/rollup", "answer", "target");
        int missed = 0;
        // Times one query both ways (alternating, after a warm-up whose answers are compared).
        auto measure = [&](const std::string& name, const char* rangeName,
                           const std::string& rollupSql, const std::string& rawSql,
                           const std::vector<int>& p95Columns,
                           const std::vector<std::string>& params) {
            const Rows rollup = c.query(rollupSql, params);
            const Rows raw = c.query(rawSql, params);
            const std::string diff = compare(rollup, raw, p95Columns);
            std::vector<double> rollupMs;
            std::vector<double> rawMs;
            for (int r = 0; r < std::max(runs, rawRuns); ++r) {
                if (r < runs) {
                    const auto t0 = Clock::now();
                    c.query(rollupSql, params);
                    rollupMs.push_back(msSince(t0));
                }
                if (r < rawRuns) {
                    const auto t0 = Clock::now();
                    c.query(rawSql, params);
                    rawMs.push_back(msSince(t0));
                }
            }
            const double a = median(rollupMs);
            const double b = median(rawMs);
            const bool met = a < 50 && b / a >= 50;
            missed += met ? 0 : 1;
            std::printf("%-26s %-5s %6zu %11.2f %11.1f %9.0fx  %-6s %s\n", name.c_str(), rangeName,
                rollup.size(), a, b, b / a, diff.empty() ? "same" : "DIFF", met ? "met" : "MISSED");
            if (!diff.empty()) {
                std::printf("    %s\n", diff.c_str());
                status = 1;
            }
            std::fflush(stdout);
        };
        for (const Range& range : ranges) {
            const std::string from
                = c.scalar("SELECT $1::timestamptz - $2::interval", { kNow, range.length });
            const Rows counts = c.query(R"(SELECT
                (SELECT count(*) FROM quota.request_logs WHERE ts >= $1 AND ts < $2),
                (SELECT count(*) FROM quota.rollup_minute WHERE bucket >= $1 AND bucket < $2),
                (SELECT count(*) FROM quota.rollup_identifier_hour
                 WHERE bucket >= date_trunc('hour', $1::timestamptz, 'UTC') AND bucket < $2))",
                { from, kNow });
            std::printf(
                "-- %s: %s raw rows, %s rollup_minute rows, %s rollup_identifier_hour rows\n",
                range.name, counts[0][0].c_str(), counts[0][1].c_str(), counts[0][2].c_str());
            for (const DashboardQuery& q : queries) {
                if (q.rangeIndependent && std::strcmp(range.name, "1h") != 0)
                    continue;
                std::vector<std::string> params = { from, kNow };
                if (q.series)
                    params.emplace_back(range.step);
                measure(q.name, q.rangeIndependent ? "today" : range.name, q.rollupSql, q.rawSql,
                    q.p95Columns, params);
            }
        }
        std::printf("\n%d of the timed queries missed the target\n", missed);

        // Not in the schema, for the decision: the same queries on an hourly tier
        // (rollup_minute summed per hour, same key otherwise), hourly series steps.
        missed = 0;
        c.exec(R"(CREATE TABLE bench.rollup_hour AS
            SELECT date_trunc('hour', bucket, 'UTC') AS bucket, endpoint, plan, decision, reason,
                   sum(requests)::bigint AS requests, )"
            + kHistogramSum + R"(::bigint[] AS latency_buckets,
                   sum(collisions)::bigint AS collisions, sum(cost_usd)::numeric(20, 6) AS cost_usd
            FROM quota.rollup_minute GROUP BY 1, 2, 3, 4, 5)");
        c.exec("ALTER TABLE bench.rollup_hour ADD PRIMARY KEY (bucket, endpoint, plan, decision, "
               "reason)");
        c.exec("VACUUM (ANALYZE) bench.rollup_hour");
        std::printf("\nproposed hourly tier (bench.rollup_hour, %s rows; not in the schema):\n",
            c.scalar("SELECT count(*) FROM bench.rollup_hour").c_str());
        auto onHourTier = [](std::string sql) {
            const std::string from = "quota.rollup_minute";
            for (std::size_t at; (at = sql.find(from)) != std::string::npos;)
                sql.replace(at, from.size(), "bench.rollup_hour");
            return sql;
        };
        for (const Range& range : ranges) {
            if (std::strcmp(range.name, "1h") == 0)
                continue;
            const std::string from
                = c.scalar("SELECT $1::timestamptz - $2::interval", { kNow, range.length });
            for (const DashboardQuery& q : queries) {
                if (q.rollupSql.find("quota.rollup_minute") == std::string::npos
                    || q.name == "series_denials_by_reason")
                    continue;
                if (q.rangeIndependent && std::strcmp(range.name, "24h") != 0)
                    continue;
                std::vector<std::string> params = { from, kNow };
                if (q.series)
                    params.emplace_back("1 hour");
                measure(q.name + " (hour tier)", q.rangeIndependent ? "today" : range.name,
                    onHourTier(q.rollupSql), q.rawSql, q.p95Columns, params);
            }
        }

        std::printf("%d of the hourly-tier queries missed the target\n\n", missed);
        // Figures for the eye: the 24 h KPIs both ways.
        const std::string from24
            = c.scalar("SELECT $1::timestamptz - interval '24 hours'", { kNow });
        const Rows k1 = c.query(queries[0].rollupSql, { from24, kNow });
        const Rows k2 = c.query(queries[0].rawSql, { from24, kNow });
        std::printf("24 h KPIs (rollup | raw): requests %s | %s, denial rate %s | %s, collision "
                    "rate %s | %s, p95 ms %s (histogram) | %s (exact)\n",
            k1[0][0].c_str(), k2[0][0].c_str(), k1[0][2].c_str(), k2[0][2].c_str(),
            k1[0][4].c_str(), k2[0][4].c_str(), k1[0][5].c_str(), k2[0][5].c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_dashboard: %s\n", e.what());
        status = 1;
    }
    cluster.cleanup();
    cluster.stop();
    return status;
}
