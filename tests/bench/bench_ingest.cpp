// Ingest: logged requests per second through quota.log_requests (request_logs + both rollups
// upserted in the same statement) side by side with plain INSERTs of the same JSON batches into
// quota.request_logs without rollups, to show what maintaining the rollups costs. A private
// PostgreSQL (tests/support TestCluster); every run gets a fresh database; the two ways run
// back to back for each batch size and number of connections (this machine is shared: compare
// the ratio, not the absolute figures).
//
// Traffic is live-like: timestamps advance 50 µs per row across all clients (20,000 rows/s), so
// concurrent batches fall into the same minutes and upsert the same rollup rows, as several
// gateway instances logging at once would. Batches are built before the clock starts.
//
//   bench_ingest                              # batches 500,1000,2000 x clients 1,2,4, 5 s each
//   bench_ingest --seconds=10 --batches=1000 --clients=1,4
//   bench_ingest --benchmark_filter=Smoke     # what CTest runs: 1 s, batch 500, 2 clients

#include "support/testcluster.h"

#include <QCoreApplication>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <latch>
#include <libpq-fe.h>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

using qc::testsupport::TestCluster;

namespace {

enum class Mode { Rollups, Plain };

// The two statements compared: the write path, and the same rows without the rollups.
constexpr const char* kLogRequests = "SELECT quota.log_requests($1::jsonb)";
constexpr const char* kPlainInsert = R"(INSERT INTO quota.request_logs (ts, request_id, endpoint,
    method, user_id, plan, ip, forwarded_for, user_agent, country, idempotency_key, request_hash,
    quota_check_ms, response_ms, status, decision, reason, rule, cost_usd, tokens, model,
    fail_open, collision, would_deny)
SELECT r.ts, r.request_id, r.endpoint, r.method, r.user_id, r.plan, r.ip, r.forwarded_for,
       r.user_agent, r.country, r.idempotency_key, r.request_hash, r.quota_check_ms,
       r.response_ms, r.status, r.decision, r.reason, r.rule, r.cost_usd, r.tokens, r.model,
       coalesce(r.fail_open, false), coalesce(r.collision, 0), r.would_deny
FROM jsonb_populate_recordset(NULL::quota.request_logs, $1::jsonb) AS r)";

constexpr long long kBaseMs = 1768485600000; // 2026-01-15T14:00:00Z
constexpr long long kRowStepUs = 50; // 20,000 rows/s of simulated traffic

std::string isoTime(long long us)
{
    const long long ms = us / 1000;
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm {};
    gmtime_r(&secs, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03lldZ", tm.tm_year + 1900,
        tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms % 1000);
    return buf;
}

// One request as quota.log_requests takes it: ~5 endpoints, 4 plans + anonymous, ~200k IPs and
// ~50k users with a Zipf(1) skew, ~10 % denials.
std::string requestJson(long long seq, std::mt19937_64& rng)
{
    std::uniform_real_distribution<double> u(0.0, 1.0);
    struct Endpoint {
        double upto;
        const char* path;
        const char* method;
        double cost;
    };
    static const Endpoint endpoints[] = { { 0.40, "/v1/items", "GET", 0.0001 },
        { 0.65, "/v1/search", "GET", 0.0005 }, { 0.85, "/v1/generate", "POST", 0.002 },
        { 0.95, "/v1/export", "POST", 0.01 }, { 1.01, "/v1/upload", "POST", 0.003 } };
    const double pick = u(rng);
    const Endpoint* e = endpoints;
    while (pick >= e->upto)
        ++e;
    const int ipn = static_cast<int>(std::exp(u(rng) * std::log(200000.0)));
    const int un = static_cast<int>(std::exp(u(rng) * std::log(50000.0)));
    const bool anonymous = u(rng) < 0.25;
    static const char* plans[] = { "free", "free", "free", "basic", "basic", "pro", "enterprise" };
    const double d = u(rng);
    const double d2 = u(rng);
    const char* reason = "admitted";
    if (d < (ipn <= 3 ? 0.20 : 0.08))
        reason = d2 < 0.6 || anonymous ? "rate_limited"
            : d2 < 0.8                 ? "quota_exceeded"
            : d2 < 0.92                ? "blocked"
                                       : "idempotency_conflict";
    else if (d2 < 0.015)
        reason = "idempotent_replay";
    const std::string_view why = reason;
    const bool admitted = why == "admitted";
    const bool allowed = admitted || why == "idempotent_replay";
    const double qms
        = std::round(std::exp(std::log(3.0)
                         + 0.9 * std::sqrt(-2 * std::log(1 - u(rng))) * std::cos(2 * M_PI * u(rng)))
              * 1000)
        / 1000;
    std::string s;
    s.reserve(420);
    s += R"({"ts":")";
    s += isoTime(kBaseMs * 1000 + seq * kRowStepUs);
    s += R"(","request_id":"req-)" + std::to_string(seq) + R"(","endpoint":")" + e->path
        + R"(","method":")" + e->method + '"';
    if (!anonymous)
        s += R"(,"user_id":"u)" + std::to_string(un) + R"(","plan":")" + plans[un % 7] + '"';
    s += R"(,"ip":"10.)" + std::to_string(ipn / 65536) + '.' + std::to_string(ipn / 256 % 256) + '.'
        + std::to_string(ipn % 256) + R"(","user_agent":"client/1.)" + std::to_string(ipn % 7)
        + R"(","country":"US","quota_check_ms":)" + std::to_string(qms) + R"(,"response_ms":)"
        + std::to_string(admitted ? 120 : 2) + R"(,"status":)" + (allowed ? "200" : "429")
        + R"(,"decision":")" + (allowed ? "allowed" : "denied") + R"(","reason":")" + reason + '"';
    if (admitted) {
        char cost[32];
        std::snprintf(cost, sizeof cost, "%.6f", e->cost);
        s += R"(,"cost_usd":)";
        s += cost;
    }
    if (why == "idempotency_conflict")
        s += R"(,"collision":1)";
    s += '}';
    return s;
}

struct Result {
    double seconds = 0;
    long long rows = 0;
    long long calls = 0;
    double p50Ms = 0;
    double p95Ms = 0;
    std::string error;
};

Result run(const std::string& conninfo, Mode mode, int clients, int batch, double seconds)
{
    using Clock = std::chrono::steady_clock;
    // Batches per client, built up front; cycled when a run outlasts them (the rows repeat then,
    // which only adds to rollup rows that exist already).
    const int poolBatches = std::max(4, static_cast<int>(60000 * seconds / batch / clients));
    std::vector<std::vector<std::string>> pools(static_cast<std::size_t>(clients));
    std::atomic<long long> seq { 0 };
    {
        std::vector<std::thread> builders;
        for (int c = 0; c < clients; ++c)
            builders.emplace_back([&, c] {
                std::mt19937_64 rng(static_cast<unsigned long long>(c) * 7919 + 17);
                auto& pool = pools[static_cast<std::size_t>(c)];
                for (int b = 0; b < poolBatches; ++b) {
                    std::string json = "[";
                    for (int r = 0; r < batch; ++r) {
                        if (r)
                            json += ',';
                        json += requestJson(seq++, rng);
                    }
                    pool.push_back(json + ']');
                }
            });
        for (auto& t : builders)
            t.join();
    }

    Result result;
    std::mutex mutex;
    std::vector<double> latencies;
    std::atomic<long long> rows { 0 };
    std::atomic<long long> calls { 0 };
    std::latch ready(clients + 1);
    Clock::time_point deadline;
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c)
        threads.emplace_back([&, c] {
            PGconn* conn = PQconnectdb(conninfo.c_str());
            PQclear(PQprepare(
                conn, "q", mode == Mode::Rollups ? kLogRequests : kPlainInsert, 1, nullptr));
            std::vector<double> mine;
            const auto& pool = pools[static_cast<std::size_t>(c)];
            std::string error;
            ready.arrive_and_wait();
            for (std::size_t i = 0; Clock::now() < deadline && error.empty(); ++i) {
                const char* values[1] = { pool[i % pool.size()].c_str() };
                const auto t0 = Clock::now();
                PGresult* res = PQexecPrepared(conn, "q", 1, values, nullptr, nullptr, 0);
                const ExecStatusType status = PQresultStatus(res);
                if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
                    error = PQresultErrorMessage(res);
                PQclear(res);
                mine.push_back(
                    std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
                rows += batch;
                ++calls;
            }
            PQfinish(conn);
            std::lock_guard lock(mutex);
            latencies.insert(latencies.end(), mine.begin(), mine.end());
            if (result.error.empty())
                result.error = error;
        });
    const auto start = Clock::now();
    deadline = start
        + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    ready.arrive_and_wait();
    for (auto& t : threads)
        t.join();
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    result.rows = rows;
    result.calls = calls;
    std::sort(latencies.begin(), latencies.end());
    if (!latencies.empty()) {
        result.p50Ms = latencies[latencies.size() / 2];
        result.p95Ms = latencies[std::min(latencies.size() - 1, latencies.size() * 95 / 100)];
    }
    return result;
}

std::vector<int> parseList(const char* text)
{
    std::vector<int> out;
    for (const char* p = text; *p;) {
        out.push_back(std::atoi(p));
        while (*p && *p != ',')
            ++p;
        if (*p == ',')
            ++p;
    }
    return out;
}

} // namespace

int main(int argc, char** argv)
{
    double seconds = 5;
    std::vector<int> batches = { 500, 1000, 2000 };
    std::vector<int> clientCounts = { 1, 2, 4 };
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a.rfind("--seconds=", 0) == 0)
            seconds = std::atof(a.c_str() + 10);
        else if (a.rfind("--batches=", 0) == 0)
            batches = parseList(a.c_str() + 10);
        else if (a.rfind("--clients=", 0) == 0)
            clientCounts = parseList(a.c_str() + 10);
        else if (a.rfind("--benchmark_filter=", 0) == 0 && a.find("Smoke") != std::string::npos) {
            seconds = 1;
            batches = { 500 };
            clientCounts = { 2 };
        } else {
            std::fprintf(stderr,
                "usage: bench_ingest [--seconds=S] [--batches=N,...] [--clients=N,...] "
                "[--benchmark_filter=Smoke]\n");
            return 2;
        }
    }

    QCoreApplication app(argc, argv);
    TestCluster& cluster = TestCluster::instance();
    if (!cluster.isRunning()) {
        std::fprintf(stderr, "bench_ingest: %s\n", qPrintable(cluster.errorString()));
        return 1;
    }
    std::printf("rows/s logged for %.0f s per cell; rollups = quota.log_requests, plain = the same "
                "JSON into request_logs only; target >= 20,000 rows/s with rollups\n\n",
        seconds);
    std::printf("%6s %7s | %10s %8s %8s | %10s %8s %8s | %8s %s\n", "batch", "clients", "rollups/s",
        "p50 ms", "p95 ms", "plain/s", "p50 ms", "p95 ms", "rollups", "target");
    int status = 0;
    for (int batch : batches) {
        for (int clients : clientCounts) {
            Result r[2];
            for (Mode mode : { Mode::Rollups, Mode::Plain }) {
                const QString db = cluster.createDatabase();
                if (db.isEmpty()) {
                    std::fprintf(stderr, "bench_ingest: %s\n", qPrintable(cluster.errorString()));
                    return 1;
                }
                // Both ways start with today's and tomorrow's partitions made.
                cluster.execAsSuperuser(db,
                    QStringLiteral("SELECT quota.ensure_request_log_partition(d::date) FROM "
                                   "generate_series(date '2026-01-15', date '2026-01-16', "
                                   "interval '1 day') AS d"));
                const std::string conninfo = cluster.conninfo(db).toStdString();
                Result& res = r[mode == Mode::Rollups ? 0 : 1];
                res = run(conninfo, mode, clients, batch, seconds);
                if (!res.error.empty()) {
                    std::fprintf(stderr, "bench_ingest: %s\n", res.error.c_str());
                    status = 1;
                }
                if (mode == Mode::Rollups) {
                    // The rollups count every logged row.
                    PGconn* conn = PQconnectdb(conninfo.c_str());
                    PGresult* check = PQexec(conn,
                        "SELECT (SELECT count(*) FROM quota.request_logs) = (SELECT sum(requests) "
                        "FROM quota.rollup_minute) AND (SELECT count(*) FROM quota.request_logs "
                        "WHERE ip <> '') = (SELECT sum(requests) FROM quota.rollup_identifier_hour "
                        "WHERE kind = 'ip')");
                    if (PQresultStatus(check) != PGRES_TUPLES_OK
                        || std::string(PQgetvalue(check, 0, 0)) != "t") {
                        std::fprintf(stderr, "bench_ingest: rollups do not match request_logs\n");
                        status = 1;
                    }
                    PQclear(check);
                    PQfinish(conn);
                }
                cluster.cleanup();
            }
            const double a = r[0].rows / r[0].seconds;
            const double b = r[1].rows / r[1].seconds;
            std::printf("%6d %7d | %10.0f %8.1f %8.1f | %10.0f %8.1f %8.1f | %7.0f%% %s\n", batch,
                clients, a, r[0].p50Ms, r[0].p95Ms, b, r[1].p50Ms, r[1].p95Ms, 100 * a / b,
                a >= 20000 ? "met" : "MISSED");
            std::fflush(stdout);
        }
    }
    cluster.stop();
    return status;
}
