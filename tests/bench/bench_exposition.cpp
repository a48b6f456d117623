// Throughput of the exposition parser on a realistic /metrics page of a quota service: many
// series of quota_check_duration_seconds buckets and quota_decisions_total{decision,reason,
// endpoint}. Target: at least 250 MB/s of exposition text (docs/metrics.md).

#include "metrics/expositionparser.h"
#include "metrics/gzip.h"

#include <benchmark/benchmark.h>
#include <cstdio>

namespace {

using qc::metrics::ExpositionFormat;

// `endpoints` × 4 plans × 5 regions latency histograms plus the decision counters;
// 100 endpoints give a page of about 3.5 MB.
QByteArray quotaPage(int endpoints, ExpositionFormat format)
{
    const bool om = format == ExpositionFormat::OpenMetrics;
    static const char* const plans[] = { "free", "starter", "pro", "enterprise" };
    static const char* const regions[]
        = { "eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-south-1" };
    static const char* const bounds[] = { "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05",
        "0.1", "0.15", "0.3", "1", "+Inf" };
    static const char* const reasons[] = { "admitted", "skipped", "invalid_identifier", "blocked",
        "idempotent_replay", "idempotency_conflict", "rate_limited", "quota_exceeded" };
    QByteArray page;
    page.reserve(4 << 20);
    char line[512];
    page += "# HELP quota_check_duration_seconds Time spent deciding whether a request is within "
            "quota.\n"
            "# TYPE quota_check_duration_seconds histogram\n";
    if (om)
        page += "# UNIT quota_check_duration_seconds seconds\n";
    long long seed = 12345;
    for (int e = 0; e < endpoints; ++e) {
        for (const char* plan : plans) {
            for (const char* region : regions) {
                long long cumulative = 0;
                for (const char* le : bounds) {
                    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
                    cumulative += seed % 5000;
                    std::snprintf(line, sizeof line,
                        "quota_check_duration_seconds_bucket{endpoint=\"/v1/models/m%02d/"
                        "generate\","
                        "plan=\"%s\",region=\"%s\",le=\"%s\"} %lld\n",
                        e, plan, region, le, cumulative);
                    page += line;
                }
                std::snprintf(line, sizeof line,
                    "quota_check_duration_seconds_sum{endpoint=\"/v1/models/m%02d/"
                    "generate\",plan=\"%s\","
                    "region=\"%s\"} %.6f\nquota_check_duration_seconds_count{endpoint=\"/v1/models/"
                    "m%02d/generate\",plan=\"%s\",region=\"%s\"} %lld\n",
                    e, plan, region, double(cumulative) * 0.0173, e, plan, region, cumulative);
                page += line;
            }
        }
    }
    page += om
        ? "# HELP quota_decisions Decisions of the quota check.\n# TYPE quota_decisions counter\n"
        : "# HELP quota_decisions_total Decisions of the quota check.\n# TYPE "
          "quota_decisions_total counter\n";
    for (int e = 0; e < endpoints; ++e) {
        for (const char* reason : reasons) {
            for (const char* decision : { "allowed", "denied", "would_deny" }) {
                seed = (seed * 1103515245 + 12345) & 0x7fffffff;
                std::snprintf(line, sizeof line,
                    "quota_decisions_total{decision=\"%s\",reason=\"%s\",endpoint=\"/v1/models/"
                    "m%02d/generate\"} %lld\n",
                    decision, reason, e, seed % 1000000);
                page += line;
            }
        }
    }
    if (om)
        page += "# EOF\n";
    return page;
}

void parse(benchmark::State& state, const QByteArray& page, ExpositionFormat format)
{
    for (auto _ : state) {
        const qc::metrics::ParseResult result = qc::metrics::parseExposition(page, format);
        if (!result.ok()) {
            state.SkipWithError(result.error->toString().toStdString().c_str());
            break;
        }
        benchmark::DoNotOptimize(result.families.data());
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * page.size());
    state.counters["page_MB"] = double(page.size()) / 1e6;
}

void BM_ParseText(benchmark::State& state)
{
    static const QByteArray page = quotaPage(100, ExpositionFormat::PrometheusText);
    parse(state, page, ExpositionFormat::PrometheusText);
}

void BM_ParseOpenMetrics(benchmark::State& state)
{
    static const QByteArray page = quotaPage(100, ExpositionFormat::OpenMetrics);
    parse(state, page, ExpositionFormat::OpenMetrics);
}

// What a scrape of a gzip-encoded page costs end to end; bytes counted are the inflated ones.
void BM_GunzipAndParseText(benchmark::State& state)
{
    static const QByteArray plain = quotaPage(100, ExpositionFormat::PrometheusText);
    static const QByteArray compressed = qc::metrics::gzip(plain);
    for (auto _ : state) {
        const qc::metrics::DecodedBody body = qc::metrics::gunzip(compressed);
        const qc::metrics::ParseResult result
            = qc::metrics::parseExposition(body.bytes, ExpositionFormat::PrometheusText);
        benchmark::DoNotOptimize(result.families.data());
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * plain.size());
}

// A small page for the CTest smoke run: exercises the same code in milliseconds.
void BM_ParseSmoke(benchmark::State& state)
{
    static const QByteArray page = quotaPage(2, ExpositionFormat::OpenMetrics);
    parse(state, page, ExpositionFormat::OpenMetrics);
}

} // namespace

BENCHMARK(BM_ParseText)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseOpenMetrics)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GunzipAndParseText)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseSmoke)->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
