// Live check under load: N libpq clients call quota.quota_check as fast as they can against a
// private PostgreSQL (tests/support TestCluster), side by side with a SERIALIZABLE
// check-then-consume of the same per-IP limits (the design seed 000 shipped), defined here.
// Reports decisions/s, p50/p95 latency, over-admissions (must be 0) and, for SERIALIZABLE,
// the serialization-retry rate. The *CheckComplete* runs make every request what a service
// does per request: quota_check, then quota_complete (abuse detection, the request log and
// its rollups), two transactions; their rate and latency are per request (both calls).
//
//   bench_live_check                                   # full run: 16 clients, 10 s each
//   bench_live_check --benchmark_filter=Smoke          # what CTest runs (label bench)

#include "policy/policyjson.h"
#include "support/testcluster.h"

#include <QCoreApplication>

#include <algorithm>
#include <atomic>
#include <benchmark/benchmark.h>
#include <chrono>
#include <cstring>
#include <latch>
#include <libpq-fe.h>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

using qc::testsupport::TestCluster;

namespace {

enum class Mode { Live, LiveDefaultPolicy, Serializable };

// Whether each request also calls quota_complete after quota_check.
enum class Complete { No, Yes };

// The same check both ways: 20/min, 100/h, 300/day per client IP (seed 001's limits).
constexpr const char* kIpPolicy = R"({"version": 1,
  "plans": [{"name": "free"}],
  "rules": [
    {"id": "ip_per_minute", "scope": "ip", "algorithm": "fixed_window", "window": "1m", "limit": 20},
    {"id": "ip_per_hour", "scope": "ip", "algorithm": "fixed_window", "window": "1h", "limit": 100},
    {"id": "ip_per_day", "scope": "ip", "algorithm": "fixed_window", "window": "1d", "limit": 300}]})";

constexpr const char* kSerializableSql = R"(
CREATE TABLE public.bench_rate_limits (
    identifier text NOT NULL,
    window_ms bigint NOT NULL,
    window_start bigint NOT NULL,
    request_count int NOT NULL,
    PRIMARY KEY (identifier, window_ms, window_start));
CREATE FUNCTION public.bench_serializable_check(p_ip text, p_ts bigint) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    v_windows bigint[] := ARRAY[60000, 3600000, 86400000];
    v_limits int[] := ARRAY[20, 100, 300];
    v_count int;
BEGIN
    -- Check every window first, then consume: correct only because the transaction is
    -- SERIALIZABLE, and paid for with serialization failures the caller must retry.
    FOR i IN 1..3 LOOP
        SELECT request_count INTO v_count FROM public.bench_rate_limits
        WHERE identifier = p_ip AND window_ms = v_windows[i]
          AND window_start = p_ts / v_windows[i] * v_windows[i];
        IF coalesce(v_count, 0) >= v_limits[i] THEN
            RETURN false;
        END IF;
    END LOOP;
    FOR i IN 1..3 LOOP
        INSERT INTO public.bench_rate_limits AS r VALUES
            (p_ip, v_windows[i], p_ts / v_windows[i] * v_windows[i], 1)
        ON CONFLICT (identifier, window_ms, window_start)
        DO UPDATE SET request_count = r.request_count + 1;
    END LOOP;
    RETURN true;
END $$;)";

struct Sample {
    int ip = 0;
    long long ts = 0;
    bool admitted = false;
};

struct LoadResult {
    double seconds = 0;
    long long decisions = 0;
    long long admitted = 0;
    long long retries = 0;
    long long errors = 0;
    long long overAdmissions = 0;
    double p50Ms = 0;
    double p95Ms = 0;
    std::string firstError;
};

std::string setupDatabase(const char* policyJson)
{
    TestCluster& cluster = TestCluster::instance();
    if (!cluster.isRunning())
        return {};
    const QString name = cluster.createDatabase();
    if (name.isEmpty())
        return {};
    QString error = cluster.execAsSuperuser(name,
        QStringLiteral("INSERT INTO quota.policy_versions (policy, active, reason) "
                       "VALUES ('%1', true, 'bench_live_check')")
            .arg(QString::fromUtf8(policyJson)));
    if (error.isEmpty())
        error = cluster.execAsSuperuser(name, QString::fromUtf8(kSerializableSql));
    if (!error.isEmpty()) {
        std::fprintf(stderr, "bench_live_check: setting up %s failed: %s\n", qPrintable(name),
            qPrintable(error));
        return {};
    }
    return cluster.conninfo(name).toStdString();
}

std::string ipText(int ip)
{
    return "198." + std::to_string(18 + ip / 65536) + "." + std::to_string(ip / 256 % 256) + "."
        + std::to_string(ip % 256);
}

bool isSerializationFailure(PGresult* res)
{
    const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    return state && (std::strcmp(state, "40001") == 0 || std::strcmp(state, "40P01") == 0);
}

LoadResult runLoad(const std::string& conninfo, Mode mode, Complete complete, int clients,
    double seconds, int identifiers)
{
    using Clock = std::chrono::steady_clock;
    LoadResult result;
    std::vector<std::vector<Sample>> samples(static_cast<std::size_t>(clients));
    std::vector<std::vector<double>> latencies(static_cast<std::size_t>(clients));
    std::atomic<long long> retries { 0 };
    std::atomic<long long> errors { 0 };
    std::string firstError;
    std::mutex errorMutex;
    std::latch ready(clients + 1);
    // Synthetic request time: one fixed start plus real elapsed milliseconds, so windows roll
    // as they would live while every run starts from empty windows.
    const long long baseTs = 1767225600000 + 30 * 60000LL;
    Clock::time_point start;
    Clock::time_point deadline;

    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
        threads.emplace_back([&, c] {
            PGconn* conn = PQconnectdb(conninfo.c_str());
            const int params = mode == Mode::Serializable ? 2 : 3; // the same check has no user
            PGresult* prep = PQprepare(conn, "q",
                mode == Mode::Serializable
                    ? "SELECT public.bench_serializable_check($1, $2::bigint)"
                    : "SELECT allowed, status, reason, rule FROM quota.quota_check(timestamptz "
                      "'epoch' + $2::bigint * interval '1 millisecond', NULL, $1, NULL, $3, NULL, "
                      "'/api/items', 'GET', 'bench/1', 'US', NULL, NULL)",
                params, nullptr);
            if (PQresultStatus(prep) != PGRES_COMMAND_OK) {
                std::lock_guard lock(errorMutex);
                if (firstError.empty())
                    firstError = PQerrorMessage(conn);
            }
            PQclear(prep);
            if (complete == Complete::Yes) {
                // The request as the service logs it: its decision, a response time, the
                // check's own latency; the cost comes from the policy's cost model.
                prep = PQprepare(conn, "c",
                    "SELECT count(*) FROM quota.quota_complete(timestamptz 'epoch' + $2::bigint * "
                    "interval '1 millisecond', NULL, $1, NULL, $3, NULL, '/api/items', 'GET', "
                    "'bench/1', 'US', NULL, NULL, $4::boolean, $5::int, $6, $7, NULL, 0, NULL, "
                    "$8::int, $9::float8, false)",
                    9, nullptr);
                if (PQresultStatus(prep) != PGRES_COMMAND_OK) {
                    std::lock_guard lock(errorMutex);
                    if (firstError.empty())
                        firstError = PQerrorMessage(conn);
                }
                PQclear(prep);
            }
            std::mt19937_64 rng(static_cast<unsigned long long>(c) * 7919 + 1);
            auto& mine = samples[static_cast<std::size_t>(c)];
            auto& lat = latencies[static_cast<std::size_t>(c)];
            mine.reserve(200000);
            lat.reserve(200000);
            ready.arrive_and_wait();
            while (Clock::now() < deadline) {
                // One in ten requests comes from a handful of hot clients that hit every limit.
                const int ip = rng() % 10 == 0 ? static_cast<int>(rng() % 8)
                                               : static_cast<int>(rng() % identifiers);
                const std::string ipString = ipText(ip);
                const std::string user = "user" + std::to_string(rng() % 5000);
                const auto t0 = Clock::now();
                const long long ts = baseTs
                    + std::chrono::duration_cast<std::chrono::milliseconds>(t0 - start).count();
                const std::string tsString = std::to_string(ts);
                const char* values[3] = { ipString.c_str(), tsString.c_str(), user.c_str() };
                bool admitted = false;
                bool ok = false;
                std::string status;
                std::string reason;
                std::string rule;
                bool ruleNull = true;
                for (int attempt = 0; attempt < 1000 && !ok; ++attempt) {
                    if (mode == Mode::Serializable)
                        PQclear(PQexec(conn, "BEGIN ISOLATION LEVEL SERIALIZABLE"));
                    PGresult* res = PQexecPrepared(conn, "q", params, values, nullptr, nullptr, 0);
                    const bool selected = PQresultStatus(res) == PGRES_TUPLES_OK;
                    if (selected) {
                        admitted = std::strcmp(PQgetvalue(res, 0, 0), "t") == 0;
                        if (complete == Complete::Yes) {
                            status = PQgetvalue(res, 0, 1);
                            reason = PQgetvalue(res, 0, 2);
                            ruleNull = PQgetisnull(res, 0, 3) != 0;
                            rule = PQgetvalue(res, 0, 3);
                        }
                    }
                    bool retry = !selected && isSerializationFailure(res);
                    if (!selected && !retry) {
                        std::lock_guard lock(errorMutex);
                        if (firstError.empty())
                            firstError = PQresultErrorMessage(res);
                    }
                    PQclear(res);
                    if (mode == Mode::Serializable) {
                        PGresult* commit = PQexec(conn, selected ? "COMMIT" : "ROLLBACK");
                        if (selected && PQresultStatus(commit) != PGRES_COMMAND_OK)
                            retry = isSerializationFailure(commit);
                        PQclear(commit);
                    }
                    if (retry) {
                        ++retries;
                        continue;
                    }
                    ok = selected;
                    if (!selected)
                        break;
                }
                if (ok && complete == Complete::Yes) {
                    const std::string checkMs = std::to_string(
                        std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
                    const std::string responseMs = std::to_string(20 + rng() % 200);
                    const char* completeValues[9] = { ipString.c_str(), tsString.c_str(),
                        user.c_str(), admitted ? "true" : "false", status.c_str(), reason.c_str(),
                        ruleNull ? nullptr : rule.c_str(), responseMs.c_str(), checkMs.c_str() };
                    PGresult* res
                        = PQexecPrepared(conn, "c", 9, completeValues, nullptr, nullptr, 0);
                    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
                        ok = false;
                        std::lock_guard lock(errorMutex);
                        if (firstError.empty())
                            firstError = PQresultErrorMessage(res);
                    }
                    PQclear(res);
                }
                if (!ok) {
                    ++errors;
                    continue;
                }
                lat.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
                mine.push_back({ ip, ts, admitted });
            }
            PQfinish(conn);
        });
    }
    start = Clock::now();
    deadline = start + std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
    ready.arrive_and_wait();
    for (std::thread& t : threads)
        t.join();
    result.seconds = std::chrono::duration<double>(Clock::now() - start).count();

    std::vector<double> all;
    std::map<std::pair<int, long long>, int> perWindow[3];
    const long long windows[3] = { 60000, 3600000, 86400000 };
    const int limits[3] = { 20, 100, 300 };
    for (int c = 0; c < clients; ++c) {
        all.insert(all.end(), latencies[static_cast<std::size_t>(c)].begin(),
            latencies[static_cast<std::size_t>(c)].end());
        for (const Sample& s : samples[static_cast<std::size_t>(c)]) {
            ++result.decisions;
            if (!s.admitted)
                continue;
            ++result.admitted;
            for (int w = 0; w < 3; ++w)
                ++perWindow[w][{ s.ip, s.ts / windows[w] }];
        }
    }
    for (int w = 0; w < 3; ++w) {
        for (const auto& [key, count] : perWindow[w])
            result.overAdmissions += std::max(0, count - limits[w]);
    }
    std::sort(all.begin(), all.end());
    if (!all.empty()) {
        result.p50Ms = all[all.size() / 2];
        result.p95Ms = all[std::min(all.size() - 1, all.size() * 95 / 100)];
    }
    result.retries = retries;
    result.errors = errors;
    result.firstError = firstError;
    return result;
}

void report(benchmark::State& state, const LoadResult& r)
{
    state.counters["decisions_per_s"] = static_cast<double>(r.decisions) / r.seconds;
    state.counters["p50_ms"] = r.p50Ms;
    state.counters["p95_ms"] = r.p95Ms;
    state.counters["admitted"] = static_cast<double>(r.admitted);
    state.counters["over_admissions"] = static_cast<double>(r.overAdmissions);
    state.counters["retries_per_decision"]
        = r.decisions ? static_cast<double>(r.retries) / static_cast<double>(r.decisions) : 0;
    state.counters["errors"] = static_cast<double>(r.errors);
    if (!r.firstError.empty() || r.decisions == 0)
        state.SkipWithError(("no decisions: " + r.firstError).c_str());
    else if (r.overAdmissions != 0)
        state.SkipWithError("over-admission: a limit let more requests through than it allows");
}

void runMode(benchmark::State& state, Mode mode, double seconds, Complete complete = Complete::No)
{
    const std::string conninfo = setupDatabase(
        mode == Mode::LiveDefaultPolicy ? qc::policy::defaultPolicyJson().constData() : kIpPolicy);
    if (conninfo.empty()) {
        state.SkipWithError(
            qPrintable(QStringLiteral("no database: ") + TestCluster::instance().errorString()));
        return;
    }
    const int clients = static_cast<int>(state.range(0));
    for (auto _ : state) {
        const LoadResult r = runLoad(conninfo, mode, complete, clients, seconds, 20000);
        state.SetIterationTime(r.seconds);
        report(state, r);
    }
}

void BM_LiveCheck(benchmark::State& state)
{
    runMode(state, Mode::Live, 10);
}
void BM_LiveCheckDefaultPolicy(benchmark::State& state)
{
    runMode(state, Mode::LiveDefaultPolicy, 10);
}
void BM_SerializableCheckThenConsume(benchmark::State& state)
{
    runMode(state, Mode::Serializable, 10);
}
void BM_LiveCheckComplete(benchmark::State& state)
{
    runMode(state, Mode::Live, 10, Complete::Yes);
}
void BM_LiveCheckCompleteDefaultPolicy(benchmark::State& state)
{
    runMode(state, Mode::LiveDefaultPolicy, 10, Complete::Yes);
}
void BM_LiveCheckSmoke(benchmark::State& state)
{
    runMode(state, Mode::Live, 1);
}
void BM_LiveCheckCompleteSmoke(benchmark::State& state)
{
    runMode(state, Mode::LiveDefaultPolicy, 1, Complete::Yes);
}
void BM_SerializableSmoke(benchmark::State& state)
{
    runMode(state, Mode::Serializable, 1);
}

} // namespace

BENCHMARK(BM_LiveCheck)->Arg(16)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);
BENCHMARK(BM_SerializableCheckThenConsume)
    ->Arg(16)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);
BENCHMARK(BM_LiveCheckDefaultPolicy)
    ->Arg(16)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);
BENCHMARK(BM_LiveCheckComplete)->Arg(16)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);
BENCHMARK(BM_LiveCheckCompleteDefaultPolicy)
    ->Arg(16)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);
BENCHMARK(BM_LiveCheckSmoke)->Arg(4)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);
BENCHMARK(BM_LiveCheckCompleteSmoke)
    ->Arg(4)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);
BENCHMARK(BM_SerializableSmoke)->Arg(4)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (!TestCluster::instance().isRunning()) {
        std::fprintf(
            stderr, "bench_live_check: %s\n", qPrintable(TestCluster::instance().errorString()));
        return 1;
    }
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    TestCluster::instance().stop();
    return 0;
}
