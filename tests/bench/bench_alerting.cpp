// The rule set of core/alerting at work (docs/alerting.md):
// - BM_ReplayMinutes: the simulation's alert replay over 30 days of minutes (43,200), against
//   BM_InlineMinuteChecks, the three per-minute threshold checks the simulation had before
//   (no windows, no `for`): what evaluating the real rules costs a simulation;
// - BM_EvaluateRound: one 15 s round of `quotactl alerts evaluate` — a scrape of a realistic
//   page added to the series store, then every rule evaluated over 5 minutes of history —
//   against BM_ParsePage, parsing that page, which every round does anyway.

#include "alerting/evaluator.h"
#include "alerting/minuteseries.h"
#include "metrics/expositionparser.h"

#include <benchmark/benchmark.h>
#include <cstdio>

namespace {

using namespace qc::alerting;
namespace metrics = qc::metrics;

constexpr std::int64_t kMinuteMs = 60'000;
constexpr std::int64_t kT0 = 1'767'225'600'000;

// 30 days of minutes with a diurnal load, a denial burst every few hours and some collisions;
// with `denying`, more than a fifth of every minute is denied (the alert fires all month).
std::vector<MinuteCounts> month(bool denying = false)
{
    std::vector<MinuteCounts> minutes(30 * 24 * 60);
    unsigned seed = 42;
    for (std::size_t i = 0; i < minutes.size(); ++i) {
        seed = seed * 1103515245u + 12345u;
        MinuteCounts& m = minutes[i];
        m.startMs = kT0 + std::int64_t(i) * kMinuteMs;
        const double hour = double(i % 1440) / 60;
        m.decisions = 40 + 30 * (hour > 8 && hour < 20) + double(seed % 16);
        const bool burst = i % 300 < 6;
        m.denied = burst || denying ? m.decisions * 0.4 : double(seed % 3);
        m.rateLimitHits = burst ? 120 : m.denied;
        m.idempotencyRequests = m.decisions / 4;
        m.collisions = (seed >> 8) % 50 == 0 ? 3 : 0;
    }
    return minutes;
}

const std::vector<Signal> kSimulationSignals { Signal::Decisions, Signal::Denied,
    Signal::RateLimitHits, Signal::IdempotencyRequests, Signal::IdempotencyCollisions };

void BM_ReplayMinutes(benchmark::State& state)
{
    const std::vector<MinuteCounts> minutes = month(state.range(0) != 0);
    std::size_t fired = 0;
    for (auto _ : state) {
        const auto summaries = replayMinutes(minutes, kSimulationSignals);
        fired = summaries.size();
        benchmark::DoNotOptimize(summaries.data());
    }
    state.counters["minutes"] = double(minutes.size());
    state.counters["rules_fired"] = double(fired);
    state.SetItemsProcessed(state.iterations() * std::int64_t(minutes.size()));
}
// Arg 1: HighDenialRate fires the whole month (annotations rendered at every evaluation).
BENCHMARK(BM_ReplayMinutes)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void BM_InlineMinuteChecks(benchmark::State& state)
{
    const std::vector<MinuteCounts> minutes = month();
    for (auto _ : state) {
        std::uint64_t firing[3] = {};
        double peak[3] = {};
        for (const MinuteCounts& m : minutes) {
            const double values[3] = { 100 * m.denied / m.decisions, m.rateLimitHits,
                m.idempotencyRequests == 0 ? 0 : 100 * m.collisions / m.idempotencyRequests };
            const bool fires[3] = { m.denied * 5 > m.decisions, m.rateLimitHits > 100,
                m.collisions * 20 > m.idempotencyRequests };
            for (int r = 0; r < 3; ++r) {
                firing[r] += fires[r];
                peak[r] = fires[r] ? std::max(peak[r], values[r]) : peak[r];
            }
        }
        benchmark::DoNotOptimize(firing);
        benchmark::DoNotOptimize(peak);
    }
    state.SetItemsProcessed(state.iterations() * std::int64_t(minutes.size()));
}
BENCHMARK(BM_InlineMinuteChecks)->Unit(benchmark::kMillisecond);

void BM_ReplayMinutesSmoke(benchmark::State& state)
{
    std::vector<MinuteCounts> minutes = month();
    minutes.resize(1440);
    for (auto _ : state)
        benchmark::DoNotOptimize(replayMinutes(minutes, kSimulationSignals).data());
}
BENCHMARK(BM_ReplayMinutesSmoke)->Iterations(3);

// A quota service's page at scrape `n`: per endpoint a latency histogram and decisions by
// decision × reason, plus the other counters of DESIGN.md §3.
QByteArray servicePage(int endpoints, int n)
{
    static const char* const bounds[] = { "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05",
        "0.1", "0.15", "0.25", "0.3", "0.5", "1", "+Inf" };
    static const char* const reasons[] = { "admitted", "skipped", "invalid_identifier", "blocked",
        "idempotent_replay", "idempotency_conflict", "rate_limited", "quota_exceeded" };
    QByteArray page = "# TYPE quota_check_duration_seconds histogram\n";
    char line[256];
    for (int e = 0; e < endpoints; ++e) {
        long long cumulative = 0;
        for (int b = 0; b < 13; ++b) {
            cumulative += (b + 1) * 10LL * n;
            std::snprintf(line, sizeof line,
                "quota_check_duration_seconds_bucket{endpoint=\"/api/e%02d\",le=\"%s\"} %lld\n", e,
                bounds[b], cumulative);
            page += line;
        }
        std::snprintf(line, sizeof line,
            "quota_check_duration_seconds_sum{endpoint=\"/api/e%02d\"} %.3f\n"
            "quota_check_duration_seconds_count{endpoint=\"/api/e%02d\"} %lld\n",
            e, double(cumulative) * 0.004, e, cumulative);
        page += line;
    }
    page += "# TYPE quota_decisions_total counter\n";
    for (int e = 0; e < endpoints; ++e) {
        for (int r = 0; r < 8; ++r) {
            std::snprintf(line, sizeof line,
                "quota_decisions_total{decision=\"%s\",endpoint=\"/api/e%02d\",reason=\"%s\"} "
                "%lld\n",
                r == 0 || r == 1 || r == 4 ? "allowed" : "denied", e, reasons[r],
                (r + 1) * 7LL * n);
            page += line;
        }
        std::snprintf(line, sizeof line, "quota_cost_usd_total{endpoint=\"/api/e%02d\"} %.4f\n", e,
            0.013 * n);
        page += line;
    }
    for (const char* rule : { "per_ip_minute", "per_ip_hour", "per_ip_day", "free_2h" }) {
        std::snprintf(
            line, sizeof line, "quota_rate_limit_hits_total{rule=\"%s\"} %d\n", rule, 3 * n);
        page += line;
    }
    std::snprintf(line, sizeof line,
        "quota_idempotency_requests_total %d\n"
        "quota_idempotency_collisions_total{kind=\"parameters\"} %d\n"
        "quota_idempotency_collisions_total{kind=\"late\"} %d\n"
        "quota_idempotency_collisions_total{kind=\"user_agent\"} %d\n"
        "quota_db_errors_total %d\n",
        400 * n, n, n / 2, n / 3, n / 10);
    page += line;
    return page;
}

void BM_ParsePage(benchmark::State& state)
{
    const QByteArray page = servicePage(int(state.range(0)), 100);
    for (auto _ : state)
        benchmark::DoNotOptimize(
            metrics::parseExposition(page, metrics::ExpositionFormat::PrometheusText));
    state.SetBytesProcessed(state.iterations() * page.size());
}
BENCHMARK(BM_ParsePage)->Arg(20)->Unit(benchmark::kMicrosecond);

void BM_EvaluateRound(benchmark::State& state)
{
    const int endpoints = int(state.range(0));
    // Pre-parsed pages for 40 scrapes; the timed part is store + evaluation only.
    std::vector<std::vector<metrics::MetricFamily>> pages;
    for (int n = 1; n <= 40; ++n)
        pages.push_back(metrics::parseExposition(
            servicePage(endpoints, n), metrics::ExpositionFormat::PrometheusText)
                            .families);
    Evaluator evaluator;
    std::int64_t at = kT0;
    // Warm up: 5 minutes of history.
    for (int n = 0; n < 20; ++n, at += 15'000) {
        evaluator.addScrape(QStringLiteral("api-1:9464"), at, pages[std::size_t(n)]);
        evaluator.evaluate(at);
    }
    std::size_t n = 20;
    for (auto _ : state) {
        evaluator.addScrape(QStringLiteral("api-1:9464"), at, pages[n % pages.size()]);
        benchmark::DoNotOptimize(evaluator.evaluate(at));
        at += 15'000;
        ++n;
    }
    state.counters["series"] = double(evaluator.series().allSeries().size());
}
BENCHMARK(BM_EvaluateRound)->Arg(20)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
