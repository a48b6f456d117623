#include "dashboardload.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace qc::bench {

Connection::Connection(const std::string& conninfo)
    : conn(PQconnectdb(conninfo.c_str()))
{
    if (PQstatus(conn) != CONNECTION_OK)
        throw std::runtime_error(std::string("connect: ") + PQerrorMessage(conn));
}

Connection::~Connection()
{
    PQfinish(conn);
}

Rows Connection::query(const std::string& sql, const std::vector<std::string>& params)
{
    std::vector<const char*> values;
    for (const std::string& p : params)
        values.push_back(p.c_str());
    // Without parameters: the simple protocol, which also takes several statements.
    PGresult* res = values.empty()
        ? PQexec(conn, sql.c_str())
        : PQexecParams(conn, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
            nullptr, nullptr, 0);
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

Rows Connection::prepared(const std::string& sql, const std::vector<std::string>& params)
{
    auto it = m_statements.find(sql);
    if (it == m_statements.end()) {
        const std::string name = "q" + std::to_string(m_statements.size());
        PGresult* res = PQprepare(conn, name.c_str(), sql.c_str(), 0, nullptr);
        const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
        const std::string message = PQresultErrorMessage(res);
        PQclear(res);
        if (!ok)
            throw std::runtime_error(message + "in:\n" + sql.substr(0, 600));
        it = m_statements.emplace(sql, name).first;
    }
    std::vector<const char*> values;
    for (const std::string& p : params)
        values.push_back(p.c_str());
    PGresult* res = PQexecPrepared(conn, it->second.c_str(), static_cast<int>(values.size()),
        values.data(), nullptr, nullptr, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
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

std::string Connection::scalar(const std::string& sql, const std::vector<std::string>& params)
{
    const Rows rows = query(sql, params);
    return rows.empty() || rows[0].empty() ? std::string() : rows[0][0];
}

double msSince(Clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

namespace {
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
} // namespace

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

namespace {

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
// Loading

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

} // namespace

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
                // The hour tier and the minute totals of the day, from its minute rows, by the
                // function the backfill uses.
                c.exec("CREATE OR REPLACE TEMP VIEW day_minutes AS SELECT * FROM "
                       "quota.rollup_minute WHERE bucket >= '"
                    + dayFrom + "' AND bucket < timestamptz '" + dayFrom + "' + interval '1 day'");
                c.exec("SELECT quota.add_minutes_to_rollup_tiers('pg_temp.day_minutes')");
                // The identifier day tier from the day's identifier hours, likewise.
                c.exec("CREATE OR REPLACE TEMP VIEW day_identifiers AS SELECT * FROM "
                       "quota.rollup_identifier_hour WHERE bucket >= '"
                    + dayFrom + "' AND bucket < timestamptz '" + dayFrom + "' + interval '1 day'");
                c.exec("SELECT quota.add_identifier_hours_to_day_tier('pg_temp.day_identifiers')");
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
    main.exec("VACUUM (ANALYZE) quota.rollup_hour");
    main.exec("VACUUM (ANALYZE) quota.rollup_minute_total");
    main.exec("VACUUM (ANALYZE) quota.rollup_totals");
    main.exec("VACUUM (ANALYZE) quota.rollup_endpoints");
    main.exec("VACUUM (ANALYZE) quota.rollup_denials");
    main.exec("VACUUM (ANALYZE) quota.rollup_identifier_day");
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
    // The hour tier and the minute totals (bulk and write path) are the sums of the minute rows
    // (latency sums are floating point, added in another order: compared to the µs).
    const std::string hist = R"(ARRAY[
        sum(latency_buckets[1]), sum(latency_buckets[2]), sum(latency_buckets[3]),
        sum(latency_buckets[4]), sum(latency_buckets[5]), sum(latency_buckets[6]),
        sum(latency_buckets[7]), sum(latency_buckets[8]), sum(latency_buckets[9]),
        sum(latency_buckets[10]), sum(latency_buckets[11]), sum(latency_buckets[12]),
        sum(latency_buckets[13])]::bigint[])";
    const std::string hourSums = R"(SELECT date_trunc('hour', bucket, 'UTC'), endpoint, plan,
       decision, reason, sum(requests), )"
        + hist + R"(, sum(latency_count), round(sum(latency_sum_ms)::numeric, 3),
       sum(response_ms_sum), sum(cost_usd), sum(tokens), sum(collisions), sum(fail_open)
FROM quota.rollup_minute GROUP BY 1, 2, 3, 4, 5)";
    const std::string hours = R"(SELECT bucket, endpoint, plan, decision, reason, requests,
       latency_buckets, latency_count, round(latency_sum_ms::numeric, 3), response_ms_sum,
       cost_usd, tokens, collisions, fail_open FROM quota.rollup_hour)";
    const std::string totalSums = R"(SELECT bucket, sum(requests),
       coalesce(sum(requests) FILTER (WHERE decision = 'denied'), 0),
       coalesce(sum(requests) FILTER (WHERE reason = 'rate_limited'), 0), )"
        + hist + R"(, sum(latency_count), round(sum(latency_sum_ms)::numeric, 3), sum(cost_usd),
       sum(collisions), sum(fail_open)
FROM quota.rollup_minute GROUP BY 1)";
    const std::string totals = R"(SELECT bucket, requests, denied, rate_limited, latency_buckets,
       latency_count, round(latency_sum_ms::numeric, 3), cost_usd, collisions, fail_open
FROM quota.rollup_minute_total)";
    const Rows t = c.query("SELECT (SELECT count(*) FROM ((" + hours + " EXCEPT " + hourSums
        + ") UNION ALL (" + hourSums + " EXCEPT " + hours + ")) a), (SELECT count(*) FROM (("
        + totals + " EXCEPT " + totalSums + ") UNION ALL (" + totalSums + " EXCEPT " + totals
        + ")) b)");
    std::printf("rollup_hour vs the sums of rollup_minute: %s rows differ; rollup_minute_total: %s "
                "rows differ\n",
        t[0][0].c_str(), t[0][1].c_str());
    // The dashboard tiers: sums of rollup_minute per grain, the day tier sums of the identifier
    // hours.
    const std::string grains = R"((VALUES (1, interval '1 minute'), (5, interval '5 minutes'),
        (60, interval '1 hour')) AS k(grain, step))";
    const std::string tierSums
        = R"(SELECT k.grain, date_bin(k.step, bucket, timestamptz '2000-01-01') AS b,
       sum(requests), coalesce(sum(requests) FILTER (WHERE decision = 'denied'), 0),
       coalesce(sum(requests) FILTER (WHERE reason = 'rate_limited'), 0), )"
        + hist + R"(, sum(latency_count), round(sum(latency_sum_ms)::numeric, 3), sum(cost_usd),
       sum(collisions), sum(fail_open)
FROM quota.rollup_minute CROSS JOIN )"
        + grains + " WHERE k.grain <> 1 GROUP BY 1, 2";
    const std::string tier
        = R"(SELECT grain, bucket, requests, denied, rate_limited, latency_buckets,
       latency_count, round(latency_sum_ms::numeric, 3), cost_usd, collisions, fail_open
FROM quota.rollup_totals)";
    const std::string endpointSums
        = R"(SELECT k.grain, date_bin(k.step, bucket, timestamptz '2000-01-01'), endpoint,
       sum(requests), coalesce(sum(requests) FILTER (WHERE decision = 'denied'), 0), sum(cost_usd), )"
        + hist + " FROM quota.rollup_minute CROSS JOIN " + grains + " GROUP BY 1, 2, 3";
    const std::string endpoints = R"(SELECT grain, bucket, endpoint, requests, denied, cost_usd,
       latency_buckets FROM quota.rollup_endpoints)";
    const std::string denialSums
        = R"(SELECT k.grain, date_bin(k.step, bucket, timestamptz '2000-01-01'), reason,
       sum(requests) FROM quota.rollup_minute CROSS JOIN )"
        + grains + " WHERE decision = 'denied' GROUP BY 1, 2, 3";
    const std::string denials = "SELECT grain, bucket, reason, denials FROM quota.rollup_denials";
    const std::string daySums = R"(SELECT date_trunc('day', bucket, 'UTC'), kind, identifier,
       sum(requests), sum(denials), sum(cost_usd) FROM quota.rollup_identifier_hour GROUP BY 1, 2, 3)";
    const std::string days = R"(SELECT bucket, kind, identifier, requests, denials, cost_usd
FROM quota.rollup_identifier_day)";
    auto differ = [](const std::string& a, const std::string& b) {
        return "(SELECT count(*) FROM ((" + a + " EXCEPT " + b + ") UNION ALL (" + b + " EXCEPT "
            + a + ")) x)";
    };
    const Rows d
        = c.query("SELECT " + differ(tier, tierSums) + ", " + differ(endpoints, endpointSums) + ", "
            + differ(denials, denialSums) + ", " + differ(days, daySums));
    std::printf("rollup_totals vs the sums of rollup_minute: %s rows differ; rollup_endpoints: %s; "
                "rollup_denials: %s; rollup_identifier_day vs the sums of rollup_identifier_hour: "
                "%s\n",
        d[0][0].c_str(), d[0][1].c_str(), d[0][2].c_str(), d[0][3].c_str());
    return r[0][0] == "0" && r[0][1] != "0" && t[0][0] == "0" && t[0][1] == "0" && d[0][0] == "0"
        && d[0][1] == "0" && d[0][2] == "0" && d[0][3] == "0";
}

} // namespace qc::bench
