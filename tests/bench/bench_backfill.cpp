// History backfill (`quotactl loadgen --backfill`, docs/loadgen.md): generated through the C++
// enforcement core and bulk-loaded with COPY into a private PostgreSQL (tests/support), side by
// side with the database's own write path for the same rows (quota.log_requests in batches of
// 1,000, which maintains both rollups per batch as live services do).
//
//   bench_backfill --benchmark_filter=Backfill30Days       # the figure of BENCHMARKS.md
//   bench_backfill --benchmark_filter='OneDay'             # COPY vs log_requests, one day
//   bench_backfill --benchmark_filter=Smoke                # what CTest runs (label bench)

#include "live/backfill.h"
#include "live/pgsession.h"
#include "policy/policyjson.h"
#include "support/testcluster.h"

#include <QCoreApplication>

#include <benchmark/benchmark.h>
#include <chrono>
#include <string>
#include <vector>

using qc::testsupport::TestCluster;
namespace ef = qc::enforcement;

namespace {

// A fixed end (2026-01-31 00:00 UTC) so that every run generates the same history.
constexpr ef::TimeMs kEndMs = 1769817600000;

std::string freshDatabase()
{
    TestCluster& cluster = TestCluster::instance();
    const QString name = cluster.createDatabase();
    if (name.isEmpty())
        return {};
    const QString error = cluster.execAsSuperuser(name,
        QStringLiteral("INSERT INTO quota.policy_versions (policy, active, reason) VALUES "
                       "('%1', true, 'bench_backfill')")
            .arg(QString::fromUtf8(qc::policy::defaultPolicyJson())
                     .replace(QStringLiteral("'"), QStringLiteral("''"))));
    if (!error.isEmpty()) {
        std::fprintf(stderr, "bench_backfill: %s\n", qPrintable(error));
        return {};
    }
    return cluster.conninfo(name).toStdString();
}

qc::live::BackfillSummary backfill(const std::string& conninfo, ef::TimeMs length, double perDay)
{
    qc::live::BackfillOptions options;
    options.conninfo = conninfo;
    options.endMs = kEndMs;
    options.lengthMs = length;
    options.requestsPerDay = perDay;
    return qc::live::Backfill(options).run();
}

void report(benchmark::State& state, const qc::live::BackfillSummary& s)
{
    state.SetIterationTime(s.seconds);
    state.counters["requests"] = double(s.requests);
    state.counters["requests_per_s"] = double(s.requests) / s.seconds;
    state.counters["days"] = s.days;
    state.counters["incidents"] = double(s.incidents);
    state.counters["staging_s"] = s.stagingSeconds;
    state.counters["commit_s"] = s.commitSeconds;
    if (!s.error.isEmpty())
        state.SkipWithError(qPrintable(s.error));
}

void runBackfill(benchmark::State& state, ef::TimeMs length, double perDay)
{
    for (auto _ : state) {
        state.PauseTiming();
        const std::string conninfo = freshDatabase();
        state.ResumeTiming();
        if (conninfo.empty()) {
            state.SkipWithError("no database");
            return;
        }
        report(state, backfill(conninfo, length, perDay));
    }
}

void BM_Backfill30Days(benchmark::State& state)
{
    runBackfill(state, 30 * ef::kDay, 100000);
}

void BM_BackfillOneDayCopy(benchmark::State& state)
{
    runBackfill(state, ef::kDay, 100000);
}

void BM_BackfillSmoke(benchmark::State& state)
{
    runBackfill(state, ef::kDay, 5000);
}

// The same rows as the COPY backfill of one day, written the way a live service writes them:
// quota.log_requests with JSON batches of 1,000 (rollups upserted per batch).
void BM_OneDayLogRequests(benchmark::State& state)
{
    const std::string source = freshDatabase();
    const qc::live::BackfillSummary loaded = backfill(source, ef::kDay, 100000);
    if (!loaded.error.isEmpty()) {
        state.SkipWithError(qPrintable(loaded.error));
        return;
    }
    qc::live::PgSession read;
    if (!read.connect(source, "bench_backfill").isEmpty()) {
        state.SkipWithError("cannot connect");
        return;
    }
    qc::live::PgResult batches = read.exec(
        "SELECT json_agg(to_jsonb(r) - 'batch' ORDER BY r.ts)::text FROM (SELECT *, "
        "(row_number() OVER (ORDER BY ts) - 1) / 1000 AS batch FROM quota.request_logs) r "
        "GROUP BY batch ORDER BY batch");
    if (!batches.ok()) {
        state.SkipWithError(qPrintable(batches.error()));
        return;
    }
    std::vector<std::string> json;
    for (int i = 0; i < batches.rows(); ++i)
        json.emplace_back(batches.text(i, 0));
    for (auto _ : state) {
        state.PauseTiming();
        const std::string target = freshDatabase();
        qc::live::PgSession write;
        const QString error = write.connect(target, "bench_backfill");
        state.ResumeTiming();
        if (!error.isEmpty()) {
            state.SkipWithError(qPrintable(error));
            return;
        }
        const auto t0 = std::chrono::steady_clock::now();
        for (const std::string& batch : json) {
            qc::live::PgResult r
                = write.execParams("SELECT quota.log_requests($1::jsonb)", { batch });
            if (!r.ok()) {
                state.SkipWithError(qPrintable(r.error()));
                return;
            }
        }
        const double seconds
            = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        state.SetIterationTime(seconds);
        state.counters["requests"] = double(loaded.requests);
        state.counters["requests_per_s"] = double(loaded.requests) / seconds;
    }
}

} // namespace

BENCHMARK(BM_Backfill30Days)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);
BENCHMARK(BM_BackfillOneDayCopy)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);
BENCHMARK(BM_OneDayLogRequests)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);
BENCHMARK(BM_BackfillSmoke)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (!TestCluster::instance().isRunning()) {
        std::fprintf(
            stderr, "bench_backfill: %s\n", qPrintable(TestCluster::instance().errorString()));
        return 1;
    }
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    TestCluster::instance().stop();
    return 0;
}
