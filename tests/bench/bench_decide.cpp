// The hot loop of simulation: Engine::decide over an in-memory encoded trace, default policy,
// one million distinct client addresses and users. Run:
//   build/tests/bench/bench_decide --benchmark_counters_tabular=true
// The engine is built and destroyed outside the timed part; its state starts empty each time.
#include "enforcement/engine.h"
#include "policy/policyjson.h"

#include <algorithm>
#include <benchmark/benchmark.h>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <tuple>
#include <vector>

namespace {

using namespace qc::enforcement;

// Far enough ahead to cover a memory miss on this class of machine (measured: 8 is too short).
constexpr std::size_t kPrefetchDistance = 16;

std::uint64_t splitmix(std::uint64_t& s)
{
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

struct Workload {
    std::shared_ptr<Dictionary> dictionary = std::make_shared<Dictionary>();
    std::vector<EncodedRequest> requests;
};

// `identifiers` distinct IPv4 clients and as many users (60 % of requests authenticated),
// requests spread evenly over one day; `hot` of the traffic goes to 1 % of the identifiers so
// that limits are actually reached.
const Workload& workload(std::int64_t count, std::int64_t identifiers, double hot)
{
    static std::map<std::tuple<std::int64_t, std::int64_t, double>, Workload> cache;
    auto& w = cache[{ count, identifiers, hot }];
    if (!w.requests.empty())
        return w;
    auto& dict = *w.dictionary;
    std::vector<std::uint32_t> ips(identifiers), users(identifiers);
    for (std::int64_t i = 0; i < identifiers; ++i) {
        const auto a = static_cast<std::uint32_t>(i);
        ips[i] = dict.intern(Field::Ip,
            std::to_string(11 + (a >> 16)) + '.' + std::to_string((a >> 8) & 255) + '.'
                + std::to_string(a & 255) + ".7");
        users[i] = dict.intern(Field::User, "user-" + std::to_string(i));
    }
    const char* endpoints[]
        = { "/api/chat", "/api/generate", "/api/search", "/api/items", "/health" };
    const char* plans[] = { "free", "free", "free", "pro", "team", "enterprise" };
    const char* agents[] = { "Mozilla/5.0 (X11; Linux x86_64)", "okhttp/4.12",
        "python-requests/2.31", "curl/8.4", "Googlebot/2.1" };
    const char* countries[] = { "US", "DE", "FR", "IN", "BR", "GB", "JP", "RU" };
    std::uint32_t ep[5], pl[6], ua[5], co[8];
    for (int i = 0; i < 5; ++i)
        ep[i] = dict.intern(Field::Endpoint, endpoints[i]);
    for (int i = 0; i < 6; ++i)
        pl[i] = dict.intern(Field::Plan, plans[i]);
    for (int i = 0; i < 5; ++i)
        ua[i] = dict.intern(Field::UserAgent, agents[i]);
    for (int i = 0; i < 8; ++i)
        co[i] = dict.intern(Field::Country, countries[i]);
    const auto get = dict.intern(Field::Method, "GET");
    const auto post = dict.intern(Field::Method, "POST");

    std::uint64_t seed = 42;
    const TimeMs start = 1767225600000; // 2026-01-01T00:00:00Z
    w.requests.resize(count);
    for (std::int64_t i = 0; i < count; ++i) {
        auto& r = w.requests[i];
        const auto x = splitmix(seed);
        const bool isHot = (x & 0xffff) < static_cast<std::uint64_t>(hot * 65536);
        const auto span = isHot ? std::max<std::int64_t>(1, identifiers / 100) : identifiers;
        const auto who = static_cast<std::int64_t>((x >> 16) % span);
        r.ts = start + i * kDay / count;
        r.ip = ips[who];
        const bool authenticated = ((x >> 48) % 10) < 6;
        r.user = authenticated ? users[who] : 0;
        r.plan = authenticated ? pl[who % 6] : 0;
        const auto e = (x >> 52) % 5;
        r.endpoint = ep[e];
        r.method = e < 2 ? post : get;
        // A client keeps its user agent and country, as real clients do; drawing them per
        // request would make the per-request abuse patterns re-fire on every change.
        r.userAgent = ua[who % 5];
        r.country = co[(who / 5) % 8];
        r.responseMs = 20 + static_cast<std::int64_t>((x >> 40) & 511);
        r.tokens = e == 0 ? 500 : 0;
    }
    return w;
}

// The batch call when the engine has one (the simulator's loop), else one call per request with
// prefetch hints: this file also builds against older engines, for before/after runs.
template<typename E>
std::uint64_t decideAll(E& engine, const std::vector<EncodedRequest>& requests, bool batch)
{
    std::uint64_t allowed = 0;
    const std::size_t n = requests.size();
    if constexpr (requires(E & e, std::span<const EncodedRequest> r, std::span<Decision> o) {
                      e.decide(r, o);
                  }) {
        if (batch) {
            constexpr std::size_t kChunk = 4096;
            static std::vector<Decision> out(kChunk);
            for (std::size_t i = 0; i < n; i += kChunk) {
                const std::size_t m = std::min(kChunk, n - i);
                engine.decide(std::span(requests).subspan(i, m), std::span(out).first(m));
                for (std::size_t k = 0; k < m; ++k)
                    allowed += out[k].allowed;
            }
            return allowed;
        }
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (i + kPrefetchDistance < n)
            engine.prefetch(requests[i + kPrefetchDistance]);
        allowed += engine.decide(requests[i]).allowed;
    }
    return allowed;
}

void run(benchmark::State& state, bool batch)
{
    const auto count = state.range(0);
    const auto identifiers = state.range(1);
    const double hot = static_cast<double>(state.range(2)) / 100.0;
    const auto& w = workload(count, identifiers, hot);
    const auto policy = qc::policy::defaultPolicy();
    std::uint64_t admitted = 0;
    EngineStats stats;
    for (auto _ : state) {
        state.PauseTiming();
        auto engine = std::make_unique<Engine>(policy, w.dictionary);
        state.ResumeTiming();
        admitted += decideAll(*engine, w.requests, batch);
        state.PauseTiming();
        engine->takeIncidents();
        stats = engine->stats();
        engine.reset();
        state.ResumeTiming();
    }
    benchmark::DoNotOptimize(admitted);
    state.SetItemsProcessed(state.iterations() * count);
    state.counters["decisions/s"] = benchmark::Counter(
        static_cast<double>(count), benchmark::Counter::kIsIterationInvariantRate);
    state.counters["clients"] = static_cast<double>(stats.clients);
    state.counters["users"] = static_cast<double>(stats.users);
    state.counters["bytes/identifier"]
        = static_cast<double>(stats.memoryBytes) / static_cast<double>(stats.clients + stats.users);
    // The texts of the identifiers (and of every other field), shared by all engines of a run.
    state.counters["dict bytes/identifier"] = static_cast<double>(w.dictionary->memoryBytes())
        / static_cast<double>(stats.clients + stats.users);
}

// The decision loop as the simulator runs it.
void BM_Decide(benchmark::State& state)
{
    run(state, true);
}

// One decide() call per request, with prefetch() hints ahead.
void BM_DecideEach(benchmark::State& state)
{
    run(state, false);
}

} // namespace

// 10 M requests over 1 M identifiers: uniform, and with 50 % of traffic on the hottest 1 %.
BENCHMARK(BM_Decide)
    ->Args({ 10'000'000, 1'000'000, 0 })
    ->Args({ 10'000'000, 1'000'000, 50 })
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);
BENCHMARK(BM_DecideEach)
    ->Args({ 10'000'000, 1'000'000, 0 })
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);
// The same ratio of requests to identifiers, small enough for callgrind's instruction counts.
BENCHMARK(BM_Decide)
    ->Args({ 1'000'000, 100'000, 0 })
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->Name("BM_DecideCounted");
// Small case for the CTest smoke run.
BENCHMARK(BM_Decide)
    ->Args({ 100'000, 10'000, 50 })
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->Name("BM_DecideSmoke");

BENCHMARK_MAIN();
