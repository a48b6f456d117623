#include "trafficsource.h"

#include <algorithm>
#include <limits>

namespace ef = qc::enforcement;

namespace qc::live {

namespace {

std::uint64_t mix64(std::uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

constexpr ef::TimeMs kEndless = std::numeric_limits<ef::TimeMs>::max() / 4;

qc::trace::GeneratorOptions baseOptions(const TrafficOptions& o)
{
    qc::trace::GeneratorOptions g;
    g.seed = o.seed;
    g.users = o.users;
    g.ips = o.ips;
    g.diurnal = o.diurnal;
    g.requestIds = false; // made by TrafficSource, without a dictionary entry each
    return g;
}

} // namespace

// A source of requests in time order with a one-request look-ahead.
class TrafficSource::Stream {
public:
    virtual ~Stream() = default;
    /// The next request's time, or nullopt when the stream is over.
    virtual std::optional<ef::TimeMs> peek() = 0;
    virtual LiveRequest take() = 0;
};

// One Generator over a whole scenario window: state such as the buggy client's reused keys
// lives as long as the window.
class TrafficSource::WindowStream final : public Stream {
public:
    explicit WindowStream(const qc::trace::GeneratorOptions& options)
        : m_generator(options)
    {
    }
    std::optional<ef::TimeMs> peek() override
    {
        if (!m_primed) {
            m_primed = true;
            m_has = m_generator.next(m_next);
        }
        return m_has ? std::optional<ef::TimeMs>(m_next.ts) : std::nullopt;
    }
    LiveRequest take() override
    {
        m_primed = false;
        return LiveRequest::fromEncoded(*m_generator.dictionary(), m_next);
    }
    const qc::trace::Generator& generator() const { return m_generator; }

private:
    qc::trace::Generator m_generator;
    ef::EncodedRequest m_next;
    bool m_primed = false;
    bool m_has = false;
};

// Normal traffic over a long or endless window, one fresh Generator per segment.
class TrafficSource::SegmentedStream final : public Stream {
public:
    SegmentedStream(qc::trace::GeneratorOptions options, ef::TimeMs begin, ef::TimeMs end,
        ef::TimeMs segment, std::uint64_t seed)
        : m_options(std::move(options))
        , m_begin(begin)
        , m_end(end)
        , m_segment(std::max<ef::TimeMs>(segment, ef::kSecond))
        , m_seed(seed)
    {
    }
    std::optional<ef::TimeMs> peek() override
    {
        while (true) {
            if (m_current) {
                if (const auto ts = m_current->peek())
                    return ts;
                m_current.reset();
            }
            const ef::TimeMs from = m_begin + ef::TimeMs(m_index) * m_segment;
            if (from >= m_end)
                return std::nullopt;
            qc::trace::GeneratorOptions o = m_options;
            o.startMs = from;
            o.durationMs = std::min(m_segment, m_end - from);
            o.streamSeed = mix64(m_seed + m_index);
            ++m_index;
            m_current = std::make_unique<WindowStream>(o);
        }
    }
    LiveRequest take() override { return m_current->take(); }

private:
    qc::trace::GeneratorOptions m_options;
    ef::TimeMs m_begin;
    ef::TimeMs m_end;
    ef::TimeMs m_segment;
    std::uint64_t m_seed;
    std::uint64_t m_index = 0;
    std::unique_ptr<WindowStream> m_current;
};

TrafficSource::TrafficSource(const TrafficOptions& options)
    : m_options(options)
{
    const ef::TimeMs runEnd = options.durationMs ? options.startMs + *options.durationMs : kEndless;
    const qc::trace::GeneratorOptions base = baseOptions(options);
    if (options.normalRate > 0) {
        qc::trace::GeneratorOptions o = base;
        o.scenarios = { qc::trace::Scenario {
            qc::trace::ScenarioKind::Normal, 0, std::nullopt, options.normalRate } };
        m_streams.push_back(std::make_unique<SegmentedStream>(
            o, options.startMs, runEnd, options.segmentMs, mix64(options.streamSeed)));
    }
    std::uint64_t index = 0;
    for (const LiveScenario& scenario : options.scenarios) {
        ++index;
        const auto kind = scenario.traceKind();
        if (!kind)
            continue;
        const ef::TimeMs begin = options.startMs + scenario.offsetMs;
        const ef::TimeMs length = scenario.durationMs.value_or(defaultDurationMs(scenario.kind));
        const ef::TimeMs end = std::min(runEnd, length > 0 ? begin + length : runEnd);
        if (begin >= end)
            continue;
        const double rate = scenario.rate > 0          ? scenario.rate
            : *kind == qc::trace::ScenarioKind::Normal ? options.normalRate
                                                       : defaultRate(scenario.kind);
        if (rate <= 0)
            continue;
        qc::trace::GeneratorOptions o = base;
        o.scenarios = { qc::trace::Scenario { *kind, 0, end - begin, rate } };
        const std::uint64_t seed = mix64(options.streamSeed ^ (index * 0x9e3779b97f4a7c15ULL));
        if (*kind == qc::trace::ScenarioKind::Normal) {
            m_streams.push_back(
                std::make_unique<SegmentedStream>(o, begin, end, options.segmentMs, seed));
            continue;
        }
        o.startMs = begin;
        o.durationMs = end - begin;
        o.streamSeed = seed;
        auto stream = std::make_unique<WindowStream>(o);
        if (*kind == qc::trace::ScenarioKind::PlanChange) {
            for (const qc::trace::PlanChange& change : stream->generator().planChanges()) {
                if (change.ts >= begin && change.ts < end)
                    m_planChanges.push_back(change);
            }
        }
        m_streams.push_back(std::move(stream));
    }
    std::stable_sort(m_planChanges.begin(), m_planChanges.end(),
        [](const qc::trace::PlanChange& a, const qc::trace::PlanChange& b) { return a.ts < b.ts; });
}

TrafficSource::~TrafficSource() = default;

bool TrafficSource::next(TrafficEvent& event)
{
    Stream* best = nullptr;
    ef::TimeMs bestTs = 0;
    for (const auto& stream : m_streams) {
        const auto ts = stream->peek();
        if (ts && (!best || *ts < bestTs)) {
            best = stream.get();
            bestTs = *ts;
        }
    }
    // A plan change comes before the requests of its moment.
    if (m_nextPlanChange < m_planChanges.size()
        && (!best || m_planChanges[m_nextPlanChange].ts <= bestTs)) {
        event.type = TrafficEvent::Type::PlanChange;
        event.planChange = m_planChanges[m_nextPlanChange++];
        event.at = event.planChange.ts;
        return true;
    }
    if (!best)
        return false;
    event.type = TrafficEvent::Type::Request;
    event.request = best->take();
    event.at = event.request.at;
    char id[24] = { 'r', 'e', 'q', '-' };
    std::uint64_t v = mix64(m_options.streamSeed ^ mix64(++m_sequence));
    static constexpr char kHex[] = "0123456789abcdef";
    for (int i = 19; i >= 4; --i) {
        id[i] = kHex[v & 0xf];
        v >>= 4;
    }
    event.request.requestId.assign(id, 20);
    return true;
}

} // namespace qc::live
