#include "simulator.h"

#include "alerting/minuteseries.h"
#include "clientkey.h"
#include "enforcement/engine.h"
#include "enforcement/ipaddress.h"
#include "eventplayer.h"
#include "trace/trace.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <unordered_map>

using namespace Qt::StringLiterals;

namespace qc::simulation {

using enforcement::Decision;
using enforcement::Dictionary;
using enforcement::EncodedRequest;
using enforcement::Field;
using enforcement::kMinute;
using enforcement::MicroUsd;
using enforcement::Policy;
using enforcement::Reason;
using enforcement::TimeMs;

namespace {

// What the comparison needs of one decision, kept for every reported request: 4 bytes, so a
// 10-million-row trace costs 40 MB per policy instead of the 56-byte Decision.
struct Outcome {
    std::uint8_t reason = 0;
    std::uint8_t allowed = 0;
    std::int16_t rule = -1;
};
static_assert(sizeof(Outcome) == 4);

// Counters of one minute of the decision stream; only minutes with requests are kept.
struct MinuteRow {
    TimeMs start = 0;
    std::uint32_t requests = 0;
    std::uint32_t denied = 0;
    std::uint32_t rateLimited = 0;
    std::uint32_t idempotency = 0;
    std::uint32_t collisions = 0;
};

struct RawDisagreement {
    std::size_t index = 0;
    std::uint32_t requestId = 0;
    qint64 line = 0;
    trace::RecordedDecision recorded;
    std::string recordedRule;
    Outcome simulated;
};

// Everything one worker aggregates while deciding; indexed by enum values and policy
// indices only, names are resolved once at the end.
struct PolicyRun {
    const Policy* policy = nullptr;
    DecisionSink* sink = nullptr;

    std::array<std::uint64_t, enforcement::kReasonCount> byReason {};
    std::vector<std::uint64_t> deniedByRule; // index rule + 1 (0 = no rule)
    std::vector<std::uint64_t> wouldDeny; // index rule
    std::vector<std::uint64_t> incidentsByPattern;
    std::uint64_t reported = 0;
    std::uint64_t allowed = 0;
    std::uint64_t idempotency = 0;
    std::uint64_t collisions = 0;
    std::uint64_t incidents = 0;
    MicroUsd cost = 0;
    std::vector<MinuteRow> minutes;
    MinuteRow minute;
    TimeMs nextMinute = std::numeric_limits<TimeMs>::min();

    std::atomic<std::uint64_t> done { 0 };
    bool cancelled = false;
    std::exception_ptr error;
};

TimeMs floorTo(TimeMs ts, TimeMs unit)
{
    const TimeMs q = ts / unit;
    return ((ts % unit != 0 && ts < 0) ? q - 1 : q) * unit;
}

QString fromStd(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

QString ruleText(const Policy& policy, int rule)
{
    if (rule < 0 || rule >= static_cast<int>(policy.rules.size()))
        return {};
    return QString::fromStdString(policy.rules[static_cast<std::size_t>(rule)].id);
}

// Whether a recorded decision says something, and whether the simulated one agrees with it.
struct FidelityCheck {
    bool recorded = false;
    bool agrees = true;
};

std::string_view ruleId(const Policy& policy, int rule)
{
    return rule >= 0 && static_cast<std::size_t>(rule) < policy.rules.size()
        ? std::string_view(policy.rules[static_cast<std::size_t>(rule)].id)
        : std::string_view();
}

std::string_view recordedRuleName(
    const std::vector<std::string>& ruleNames, const trace::RecordedDecision& recorded)
{
    return recorded.rule < ruleNames.size() ? std::string_view(ruleNames[recorded.rule])
                                            : std::string_view();
}

// Compares only what was recorded: a trace with a status column but no rule column is judged
// on the status alone. The engine's status follows from its reason (docs/enforcement.md §10:
// a replay returns a stored admission, 200).
FidelityCheck checkRecorded(const std::vector<std::string>& ruleNames,
    const trace::RecordedDecision& recorded, const Outcome& outcome, const Policy& policy)
{
    if (!recorded.present)
        return {};
    FidelityCheck check;
    check.recorded = true;
    const auto reason = static_cast<Reason>(outcome.reason);
    if (recorded.allowed != (outcome.allowed != 0))
        check.agrees = false;
    else if (recorded.status != 0 && recorded.status != enforcement::statusOf(reason))
        check.agrees = false;
    else if (recorded.hasReason && recorded.reason != reason)
        check.agrees = false;
    else if (recorded.rule != 0)
        check.agrees = recordedRuleName(ruleNames, recorded) == ruleId(policy, outcome.rule);
    return check;
}

DecisionText recordedText(const RawDisagreement& raw)
{
    DecisionText text;
    text.allowed = raw.recorded.allowed;
    text.status = raw.recorded.status;
    if (raw.recorded.hasReason)
        text.reason = fromStd(enforcement::toString(raw.recorded.reason));
    text.rule = QString::fromStdString(raw.recordedRule);
    return text;
}

// ---- names at the end --------------------------------------------------------------------

QList<NamedCount> topCounts(std::vector<NamedCount> counts, std::size_t limit)
{
    const auto order = [](const NamedCount& a, const NamedCount& b) {
        return a.count != b.count ? a.count > b.count : a.name < b.name;
    };
    const std::size_t keep = std::min(limit, counts.size());
    std::partial_sort(
        counts.begin(), counts.begin() + static_cast<std::ptrdiff_t>(keep), counts.end(), order);
    counts.resize(keep);
    return QList<NamedCount>(counts.begin(), counts.end());
}

/// Counts of dictionary ids (index = id) to named counts, zero counts left out.
std::vector<NamedCount> namedIds(
    const std::vector<std::uint64_t>& counts, const Dictionary& dictionary, Field field)
{
    std::vector<NamedCount> out;
    for (std::size_t id = 0; id < counts.size(); ++id) {
        if (counts[id] != 0)
            out.push_back(
                { fromStd(dictionary.text(field, static_cast<std::uint32_t>(id))), counts[id] });
    }
    return out;
}

// Accumulates one direction of change (newly denied or newly admitted) on ids.
struct ChangeCounter {
    const Policy* denyingPolicy = nullptr;
    std::uint64_t total = 0;
    std::array<std::uint64_t, enforcement::kReasonCount> byReason {};
    std::vector<std::uint64_t> byRule; // rule + 1
    std::vector<std::uint64_t> byTier;
    std::vector<std::uint64_t> byEndpoint;
    std::vector<std::uint64_t> byUser; // allocated on first use: users can be millions
    std::vector<std::uint64_t> byIp; // requests without a forwarded-for chain, by ip id
    std::vector<std::uint64_t> forwardedPairs; // (ip << 32 | forwarded_for), sorted at the end

    // Counts by dictionary id; the dictionary may still be growing (a trace being read).
    static void bump(std::vector<std::uint64_t>& counts, std::uint32_t id,
        const Dictionary& dictionary, Field field)
    {
        if (id >= counts.size()) [[unlikely]]
            counts.resize(std::max<std::size_t>({ id + 1U, dictionary.size(field),
                              counts.size() + counts.size() / 2 }),
                0);
        ++counts[id];
    }

    void add(const EncodedRequest& request, const Outcome& outcome, std::size_t tier,
        const Dictionary& dictionary)
    {
        ++total;
        ++byReason[outcome.reason];
        ++byRule[static_cast<std::size_t>(outcome.rule + 1)];
        ++byTier[tier];
        bump(byEndpoint, request.endpoint, dictionary, Field::Endpoint);
        if (request.user != 0)
            bump(byUser, request.user, dictionary, Field::User);
        if (request.forwardedFor == 0) {
            bump(byIp, request.ip, dictionary, Field::Ip);
        } else {
            forwardedPairs.push_back((std::uint64_t { request.ip } << 32) | request.forwardedFor);
        }
    }

    ChangeBreakdown finish(
        const Dictionary& dictionary, const QStringList& tierNames, std::size_t topN)
    {
        ChangeBreakdown out;
        out.total = total;
        std::vector<NamedCount> reasons;
        for (int r = 0; r < enforcement::kReasonCount; ++r) {
            if (byReason[static_cast<std::size_t>(r)] != 0)
                reasons.push_back({ fromStd(enforcement::toString(static_cast<Reason>(r))),
                    byReason[static_cast<std::size_t>(r)] });
        }
        out.byReason = topCounts(std::move(reasons), SIZE_MAX);
        std::vector<NamedCount> rules;
        for (std::size_t r = 0; r < byRule.size(); ++r) {
            if (byRule[r] != 0)
                rules.push_back({ ruleText(*denyingPolicy, static_cast<int>(r) - 1), byRule[r] });
        }
        out.byRule = topCounts(std::move(rules), SIZE_MAX);
        std::vector<NamedCount> tiers;
        for (std::size_t t = 0; t < byTier.size(); ++t) {
            if (byTier[t] != 0)
                tiers.push_back({ tierNames[static_cast<qsizetype>(t)], byTier[t] });
        }
        out.byPlan = topCounts(std::move(tiers), SIZE_MAX);
        out.byEndpoint = topCounts(namedIds(byEndpoint, dictionary, Field::Endpoint), SIZE_MAX);
        out.topUsers = topCounts(namedIds(byUser, dictionary, Field::User), topN);

        // Different addresses can share a client key (an IPv6 /64, proxies): merge by key.
        std::unordered_map<std::string, std::uint64_t> clients;
        for (std::size_t id = 0; id < byIp.size(); ++id) {
            if (byIp[id] == 0)
                continue;
            std::string key = clientKeyOf(
                dictionary.text(Field::Ip, static_cast<std::uint32_t>(id)), {}, *denyingPolicy);
            clients[key.empty() ? std::string("(invalid)") : std::move(key)] += byIp[id];
        }
        std::sort(forwardedPairs.begin(), forwardedPairs.end());
        for (std::size_t i = 0; i < forwardedPairs.size();) {
            std::size_t j = i;
            while (j < forwardedPairs.size() && forwardedPairs[j] == forwardedPairs[i])
                ++j;
            const auto ip = static_cast<std::uint32_t>(forwardedPairs[i] >> 32);
            const auto forwarded = static_cast<std::uint32_t>(forwardedPairs[i] & 0xffffffffU);
            std::string key = clientKeyOf(dictionary.text(Field::Ip, ip),
                dictionary.text(Field::ForwardedFor, forwarded), *denyingPolicy);
            clients[key.empty() ? std::string("(invalid)") : std::move(key)] += j - i;
            i = j;
        }
        std::vector<NamedCount> clientCounts;
        clientCounts.reserve(clients.size());
        for (const auto& [key, count] : clients)
            clientCounts.push_back({ QString::fromStdString(key), count });
        out.topClients = topCounts(std::move(clientCounts), topN);
        return out;
    }
};

PolicyTotals totalsOf(const PolicyRun& run, const QString& name)
{
    const Policy& policy = *run.policy;
    PolicyTotals totals;
    totals.name = name;
    totals.requests = run.reported;
    totals.allowed = run.allowed;
    totals.denied = totals.requests - run.allowed;
    totals.byReason = run.byReason;
    for (std::size_t r = 0; r < policy.rules.size(); ++r) {
        totals.deniedByRule.push_back(
            { QString::fromStdString(policy.rules[r].id), run.deniedByRule[r + 1] });
        if (policy.rules[r].mode == enforcement::Mode::Shadow)
            totals.wouldDenyByRule.push_back(
                { QString::fromStdString(policy.rules[r].id), run.wouldDeny[r] });
    }
    totals.costAdmitted = run.cost;
    totals.idempotencyRequests = run.idempotency;
    totals.collisions = run.collisions;
    totals.incidents = run.incidents;
    for (std::size_t p = 0; p < policy.abuse.size(); ++p)
        totals.incidentsByPattern.push_back(
            { QString::fromStdString(policy.abuse[p].id), run.incidentsByPattern[p] });
    return totals;
}

// The alert rules of core/alerting (docs/alerting.md), replayed over the minutes of one
// policy's decision stream as Prometheus would evaluate them with a 1-minute interval. The
// stream has no latencies, database errors or per-minute incidents: those rules have no data.
void evaluateAlerts(
    const std::vector<MinuteRow>& minutes, const QString& policyName, QList<AlertFiring>& out)
{
    static const std::vector<alerting::Signal> measured { alerting::Signal::Decisions,
        alerting::Signal::Denied, alerting::Signal::RateLimitHits,
        alerting::Signal::IdempotencyRequests, alerting::Signal::IdempotencyCollisions };
    std::vector<alerting::MinuteCounts> counts(minutes.size());
    for (std::size_t i = 0; i < minutes.size(); ++i) {
        const MinuteRow& m = minutes[i];
        counts[i].startMs = m.start;
        counts[i].decisions = m.requests;
        counts[i].denied = m.denied;
        counts[i].rateLimitHits = m.rateLimited;
        counts[i].idempotencyRequests = m.idempotency;
        counts[i].collisions = m.collisions;
    }
    for (const alerting::FiringSummary& summary : alerting::replayMinutes(counts, measured)) {
        AlertFiring firing;
        firing.rule = summary.rule;
        firing.policy = policyName;
        firing.condition = summary.condition;
        firing.firstMinute = summary.firstMinuteMs;
        firing.minutes = summary.minutes;
        firing.peak = summary.peak;
        out.push_back(firing);
    }
}

QList<TimeBucket> timeSeries(const std::vector<MinuteRow>& baseline,
    const std::vector<MinuteRow>& candidate, TimeMs bucketMs)
{
    // Both policies saw the same requests, so their minute rows line up one to one.
    QList<TimeBucket> out;
    if (baseline.empty())
        return out;
    const TimeMs first = floorTo(baseline.front().start, bucketMs);
    const TimeMs last = floorTo(baseline.back().start, bucketMs);
    const TimeMs count = (last - first) / bucketMs + 1;
    constexpr TimeMs kMaxDenseBuckets = 100000;
    const bool dense = count <= kMaxDenseBuckets; // sparse only for absurdly long traces
    for (std::size_t i = 0; i < baseline.size(); ++i) {
        const TimeMs start = floorTo(baseline[i].start, bucketMs);
        if (out.isEmpty() || out.constLast().start != start) {
            while (dense && !out.isEmpty() && out.constLast().start + bucketMs < start)
                out.push_back({ out.constLast().start + bucketMs, 0, 0, 0 });
            out.push_back({ start, 0, 0, 0 });
        }
        TimeBucket& bucket = out.last();
        bucket.requests += baseline[i].requests;
        bucket.baselineDenied += baseline[i].denied;
        bucket.candidateDenied += i < candidate.size() ? candidate[i].denied : 0;
    }
    return out;
}

DecisionText simulatedText(const Outcome& outcome, const Policy& policy)
{
    const auto reason = static_cast<Reason>(outcome.reason);
    return { outcome.allowed != 0, enforcement::statusOf(reason),
        fromStd(enforcement::toString(reason)), ruleText(policy, outcome.rule) };
}

// ---- the run ----------------------------------------------------------------------------

// A piece of the trace on its way through both policies: rows of a file being read, or a slice
// of a trace in memory.
struct Chunk {
    std::optional<trace::Trace> owned;
    std::span<const EncodedRequest> requests;
    std::span<const trace::RecordedDecision> recorded; // empty or parallel to requests
    std::span<const qint64> lines; // empty (line = index + 2) or parallel
    const std::vector<std::string>* ruleNames = nullptr;
    std::size_t first = 0; // trace index of requests[0]
    std::vector<Outcome> outcomes[2];
    std::atomic<int> finished { 0 }; // policies done with it
};

// Both policies decide the chunks in trace order, one thread each; the thread that finishes a
// chunk second compares the two over it (so comparisons happen one at a time and in order) and
// lets it go, so that a trace file is never held in memory whole.
class Pipeline {
public:
    /// `events`: the state events of the whole trace (sorted by ts), applied to both engines
    /// before the first request at or after each one's ts.
    Pipeline(const Policy& baseline, const Policy& candidate,
        std::shared_ptr<Dictionary> dictionary, const std::vector<trace::StateEvent>& events,
        const Options& options, std::size_t maxInFlight)
        : m_baseline(baseline)
        , m_candidate(candidate)
        , m_dictionary(std::move(dictionary))
        , m_events(events)
        , m_options(options)
        , m_maxInFlight(maxInFlight)
        , m_forward(options.stopToken, Stopper { this })
    {
        m_runs[0].policy = &baseline;
        m_runs[0].sink = options.baselineSink;
        m_runs[1].policy = &candidate;
        m_runs[1].sink = options.candidateSink;
        for (PolicyRun& run : m_runs) {
            run.deniedByRule.assign(run.policy->rules.size() + 1, 0);
            run.wouldDeny.assign(run.policy->rules.size(), 0);
            run.incidentsByPattern.assign(run.policy->abuse.size(), 0);
        }
        m_changes[0].denyingPolicy = &candidate;
        m_changes[1].denyingPolicy = &baseline;
        // Plan tier of a request: its plan when the candidate knows it, else the default plan;
        // requests without a user are "anonymous" (docs/enforcement.md §2).
        for (const enforcement::Plan& plan : candidate.plans) {
            m_tierNames.push_back(QString::fromStdString(plan.name));
            m_tierPaid.push_back(plan.paid);
        }
        m_anonymousTier = static_cast<std::size_t>(m_tierNames.size());
        m_tierNames.push_back(u"anonymous"_s);
        m_tierPaid.push_back(0);
        m_defaultTier = std::max(0, candidate.planIndex(candidate.defaultPlan));
        for (ChangeCounter& change : m_changes) {
            change.byRule.assign(change.denyingPolicy->rules.size() + 1, 0);
            change.byTier.assign(static_cast<std::size_t>(m_tierNames.size()), 0);
        }
        m_started = std::chrono::steady_clock::now();
        for (int p = 0; p < 2; ++p)
            m_workers.emplace_back([this, p] { work(p); });
    }

    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    ~Pipeline()
    {
        stop();
        for (std::jthread& worker : m_workers) {
            if (worker.joinable())
                worker.join();
        }
    }

    /// Hands a chunk to both policies; waits while too many are on their way. False once the
    /// run stops (cancelled or failed): the caller stops producing.
    bool push(std::unique_ptr<Chunk> chunk)
    {
        if (chunk->requests.empty())
            return !stopped();
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return m_chunks.size() < m_maxInFlight || stopped(); });
        if (stopped())
            return false;
        if (m_total == 0) {
            m_traceStart = chunk->requests.front().ts;
            if (m_options.warmupMs > 0)
                m_warmupTs = m_traceStart + m_options.warmupMs;
        }
        chunk->first = m_total;
        m_total += chunk->requests.size();
        m_traceEnd = chunk->requests.back().ts;
        m_chunks.push_back(std::move(chunk));
        ++m_pushed;
        lock.unlock();
        m_changed.notify_all();
        return true;
    }

    bool stopped() const { return m_stop.stop_requested(); }

    void stop()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stop.request_stop();
        }
        m_changed.notify_all();
    }

    /// No more chunks: waits for both policies, calling Options::progress about ten times a
    /// second, and builds the report. `whole`: the trace when it is in memory.
    Report finish(const trace::Trace* whole);

private:
    struct Stopper {
        Pipeline* pipeline;
        void operator()() const { pipeline->stop(); }
    };

    void work(int p);
    void decideChunk(PolicyRun& run, enforcement::Engine& engine, EventPlayer& events, Chunk& chunk,
        int p, std::vector<Decision>& decisions);
    void compare(Chunk& chunk);
    void releaseCompared();

    const Policy& m_baseline;
    const Policy& m_candidate;
    std::shared_ptr<Dictionary> m_dictionary;
    const std::vector<trace::StateEvent>& m_events;
    const Options& m_options;
    std::size_t m_maxInFlight;

    std::stop_source m_stop;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    // The caller's token and a false from progress() both end the run through m_stop.
    std::stop_callback<Stopper> m_forward;
    std::deque<std::unique_ptr<Chunk>> m_chunks; // pushed, not yet compared
    std::uint64_t m_pushed = 0; // chunks pushed so far
    std::uint64_t m_released = 0; // chunks compared and let go
    bool m_closed = false;
    int m_finishedWorkers = 0;
    std::size_t m_total = 0; // requests pushed
    TimeMs m_traceStart = 0;
    TimeMs m_traceEnd = 0;
    TimeMs m_warmupTs = std::numeric_limits<TimeMs>::min(); // requests before it: warm-up
    std::chrono::steady_clock::time_point m_started;

    PolicyRun m_runs[2];

    // The comparison, touched by one thread at a time (the one finishing a chunk second).
    ChangeCounter m_changes[2]; // 0: newly denied (candidate denies), 1: newly admitted
    QStringList m_tierNames;
    std::vector<std::uint8_t> m_tierPaid;
    std::size_t m_anonymousTier = 0;
    int m_defaultTier = 0;
    std::vector<std::int32_t> m_tierOfPlan; // per plan id; -1 = not computed yet
    std::uint64_t m_warmupRequests = 0;
    std::uint64_t m_paidRequests = 0;
    std::uint64_t m_paidNewlyDenied = 0;
    bool m_recorded = false; // some chunk carries recorded decisions
    std::uint64_t m_compared = 0;
    std::uint64_t m_agreed = 0;
    std::vector<RawDisagreement> m_disagreements;

    std::vector<std::jthread> m_workers;
};

void Pipeline::work(int p)
{
    PolicyRun& run = m_runs[p];
    try {
        enforcement::Engine engine(*run.policy, m_dictionary);
        EventPlayer events(m_events, engine); // blocks and plan changes between requests
        std::vector<Decision> decisions(1024);
        for (std::uint64_t k = 0;; ++k) {
            Chunk* chunk = nullptr;
            {
                std::unique_lock lock(m_mutex);
                m_changed.wait(lock, [&] { return k < m_pushed || m_closed || stopped(); });
                if (stopped()) {
                    run.cancelled = true;
                    break;
                }
                if (k >= m_pushed)
                    break; // closed and all decided
                chunk = m_chunks[static_cast<std::size_t>(k - m_released)].get();
            }
            decideChunk(run, engine, events, *chunk, p, decisions);
            if (stopped()) {
                run.cancelled = true;
                break;
            }
            if (chunk->finished.fetch_add(1, std::memory_order_acq_rel) == 1) {
                compare(*chunk);
                releaseCompared();
            }
        }
    } catch (...) {
        run.error = std::current_exception();
        m_stop.request_stop(); // no point finishing the other policy
    }
    {
        std::lock_guard lock(m_mutex);
        ++m_finishedWorkers;
    }
    m_changed.notify_all();
}

void Pipeline::decideChunk(PolicyRun& run, enforcement::Engine& engine, EventPlayer& events,
    Chunk& chunk, int p, std::vector<Decision>& decisions)
{
    const std::size_t n = chunk.requests.size();
    std::vector<Outcome>& outcomes = chunk.outcomes[p];
    outcomes.resize(n);
    const TimeMs warmupTs = m_warmupTs;
    std::vector<std::uint64_t> dropped;
    for (std::size_t i = 0; i < n;) {
        if (stopped())
            return;
        // A batch is all warm-up or all reported, so that its incidents are all dropped or
        // all counted, and no state event falls due inside it: events apply between batches.
        events.advanceTo(chunk.requests[i].ts);
        const bool warm = chunk.requests[i].ts < warmupTs;
        const TimeMs batchEndTs = warm ? std::min(warmupTs, events.nextTs()) : events.nextTs();
        std::size_t end = std::min(n, i + decisions.size());
        if (chunk.requests[end - 1].ts >= batchEndTs) {
            std::size_t j = i + 1; // requests[i].ts < batchEndTs
            while (j < end && chunk.requests[j].ts < batchEndTs)
                ++j;
            end = j;
        }
        const std::span<const EncodedRequest> batch = chunk.requests.subspan(i, end - i);
        engine.decide(batch, std::span(decisions).first(batch.size()));
        for (std::size_t k = 0; k < batch.size(); ++k) {
            const Decision& decision = decisions[k];
            outcomes[i + k] = { static_cast<std::uint8_t>(decision.reason),
                static_cast<std::uint8_t>(decision.allowed), decision.rule };
        }
        if (warm) {
            // Warm-up: decided for their state, incidents included (blocks carry over), not
            // counted.
            engine.countIncidents(dropped);
        } else {
            for (std::size_t k = 0; k < batch.size(); ++k) {
                const EncodedRequest& request = batch[k];
                const Decision& decision = decisions[k];
                ++run.reported;
                ++run.byReason[static_cast<std::size_t>(decision.reason)];
                run.allowed += decision.allowed;
                if (!decision.allowed)
                    ++run.deniedByRule[static_cast<std::size_t>(decision.rule + 1)];
                if (decision.wouldDeny >= 0)
                    ++run.wouldDeny[static_cast<std::size_t>(decision.wouldDeny)];
                run.cost += decision.allowed ? decision.costMicroUsd : 0;
                const bool hasKey = request.idempotencyKey != 0;
                const bool collided = decision.collision != 0;
                run.idempotency += hasKey;
                run.collisions += collided;

                MinuteRow& minute = run.minute;
                if (request.ts >= run.nextMinute) {
                    if (minute.requests != 0)
                        run.minutes.push_back(minute);
                    minute = {};
                    minute.start = floorTo(request.ts, kMinute);
                    run.nextMinute = minute.start + kMinute;
                }
                ++minute.requests;
                minute.denied += !decision.allowed;
                minute.rateLimited += decision.reason == Reason::RateLimited;
                minute.idempotency += hasKey;
                minute.collisions += collided;
                if (run.sink)
                    run.sink->decided(chunk.first + i + k, request, decision);
            }
            run.incidents += engine.countIncidents(run.incidentsByPattern);
        }
        i = end;
        run.done.store(chunk.first + i, std::memory_order_relaxed);
    }
}

void Pipeline::compare(Chunk& chunk)
{
    const Dictionary& dictionary = *m_dictionary;
    const std::size_t n = chunk.requests.size();
    const Outcome* base = chunk.outcomes[0].data();
    const Outcome* cand = chunk.outcomes[1].data();
    const bool fidelity = chunk.recorded.size() == n;
    m_recorded = m_recorded || (fidelity && n != 0);
    const auto maxDisagreements = static_cast<std::size_t>(std::max(0, m_options.maxDisagreements));
    for (std::size_t k = 0; k < n; ++k) {
        const EncodedRequest& request = chunk.requests[k];
        if (request.ts < m_warmupTs) {
            ++m_warmupRequests;
            continue;
        }
        std::size_t tier = m_anonymousTier;
        if (request.user != 0) {
            if (request.plan >= m_tierOfPlan.size()) [[unlikely]]
                m_tierOfPlan.resize(
                    std::max<std::size_t>(request.plan + 1U, dictionary.size(Field::Plan)), -1);
            std::int32_t& cached = m_tierOfPlan[request.plan];
            if (cached < 0) {
                const int index = request.plan == 0
                    ? -1
                    : m_candidate.planIndex(dictionary.text(Field::Plan, request.plan));
                cached = index >= 0 ? index : m_defaultTier;
            }
            tier = static_cast<std::size_t>(cached);
        }
        const bool paid = m_tierPaid[tier] != 0;
        m_paidRequests += paid;
        if (base[k].allowed != cand[k].allowed) {
            if (base[k].allowed) {
                m_paidNewlyDenied += paid;
                m_changes[0].add(request, cand[k], tier, dictionary);
            } else {
                m_changes[1].add(request, base[k], tier, dictionary);
            }
        }
        if (!fidelity)
            continue;
        const trace::RecordedDecision& recorded = chunk.recorded[k];
        const FidelityCheck check = checkRecorded(*chunk.ruleNames, recorded, base[k], m_baseline);
        if (!check.recorded)
            continue;
        ++m_compared;
        if (check.agrees) {
            ++m_agreed;
        } else if (m_disagreements.size() < maxDisagreements) {
            RawDisagreement raw;
            raw.index = chunk.first + k;
            raw.requestId = request.requestId;
            raw.line
                = chunk.lines.size() == n ? chunk.lines[k] : static_cast<qint64>(raw.index) + 2;
            raw.recorded = recorded;
            raw.recordedRule = std::string(recordedRuleName(*chunk.ruleNames, recorded));
            raw.simulated = base[k];
            m_disagreements.push_back(std::move(raw));
        }
    }
}

void Pipeline::releaseCompared()
{
    std::unique_ptr<Chunk> done;
    {
        std::lock_guard lock(m_mutex);
        // Chunks are compared in order, so the one just compared is the oldest.
        done = std::move(m_chunks.front());
        m_chunks.pop_front();
        ++m_released;
    }
    m_changed.notify_all();
    done.reset(); // frees the rows of a file outside the lock
}

Report Pipeline::finish(const trace::Trace* whole)
{
    {
        std::unique_lock lock(m_mutex);
        m_closed = true;
        m_changed.notify_all();
        while (!m_changed.wait_for(
            lock, std::chrono::milliseconds(100), [this] { return m_finishedWorkers == 2; })) {
            if (!m_options.progress)
                continue;
            const std::uint64_t done = std::min(m_runs[0].done.load(std::memory_order_relaxed),
                m_runs[1].done.load(std::memory_order_relaxed));
            const std::uint64_t total = m_total;
            lock.unlock();
            const bool goOn = m_options.progress(done, total);
            lock.lock();
            if (!goOn)
                m_stop.request_stop();
        }
    }
    for (std::jthread& worker : m_workers)
        worker.join();
    const auto decided = std::chrono::steady_clock::now();
    for (PolicyRun& run : m_runs) {
        if (run.error)
            std::rethrow_exception(run.error);
    }
    Report report;
    const std::size_t n = m_total;
    report.traceRequests = n;
    report.warmupMs = m_options.warmupMs;
    if (n != 0) {
        report.traceStart = m_traceStart;
        report.traceEnd = m_traceEnd;
    }
    const double decideS = std::chrono::duration<double>(decided - m_started).count();
    if (m_runs[0].cancelled || m_runs[1].cancelled || stopped()) {
        report.cancelled = true;
        report.elapsedS = decideS;
        return report;
    }
    if (m_options.progress)
        m_options.progress(n, n);
    for (PolicyRun& run : m_runs) {
        if (run.minute.requests != 0)
            run.minutes.push_back(run.minute);
    }
    report.warmupRequests = m_warmupRequests;
    report.reportedRequests = n - m_warmupRequests;

    const Dictionary& dictionary = *m_dictionary;
    report.baseline = totalsOf(m_runs[0], m_options.baselineName);
    report.candidate = totalsOf(m_runs[1], m_options.candidateName);
    report.costSaved = report.baseline.costAdmitted - report.candidate.costAdmitted;

    report.paidRequests = m_paidRequests;
    report.paidNewlyDenied = m_paidNewlyDenied;
    const auto topN = static_cast<std::size_t>(std::max(0, m_options.topN));
    report.newlyDenied = m_changes[0].finish(dictionary, m_tierNames, topN);
    report.newlyAdmitted = m_changes[1].finish(dictionary, m_tierNames, topN);
    report.paidDeniedPct = report.paidRequests == 0
        ? 0.0
        : 100.0 * static_cast<double>(report.paidNewlyDenied)
            / static_cast<double>(report.paidRequests);

    evaluateAlerts(m_runs[0].minutes, u"baseline"_s, report.alerts);
    evaluateAlerts(m_runs[1].minutes, u"candidate"_s, report.alerts);
    if (!m_runs[0].minutes.empty()) {
        const TimeMs span = m_runs[0].minutes.back().start - m_runs[0].minutes.front().start;
        report.bucketMs = span < enforcement::kDay ? kMinute : enforcement::kHour;
    }
    report.timeSeries = timeSeries(m_runs[0].minutes, m_runs[1].minutes, report.bucketMs);

    if (m_recorded) {
        Fidelity& fidelity = report.fidelity;
        fidelity.compared = m_compared;
        fidelity.available = fidelity.compared != 0;
        fidelity.agreed = m_agreed;
        fidelity.agreementPct = fidelity.compared == 0
            ? 0.0
            : 100.0 * static_cast<double>(fidelity.agreed) / static_cast<double>(fidelity.compared);
        for (const RawDisagreement& raw : m_disagreements) {
            Disagreement d;
            d.index = raw.index;
            d.requestId = fromStd(dictionary.text(Field::RequestId, raw.requestId));
            d.line = raw.line;
            d.recorded = recordedText(raw);
            d.simulated = simulatedText(raw.simulated, m_baseline);
            fidelity.disagreements.push_back(d);
        }
    } else if (whole != nullptr && !whole->recorded.empty()) {
        report.warnings.push_back(u"the trace's recorded decisions do not line up with its "
                                  u"requests; fidelity is not reported"_s);
    }

    QStringList globalRules;
    for (const enforcement::Rule& rule : m_candidate.rules) {
        if (rule.scope == enforcement::Scope::Global)
            globalRules.push_back(QString::fromStdString(rule.id));
    }
    if (!globalRules.isEmpty()) {
        report.warnings.push_back(u"candidate rules with global scope ("_s
            % globalRules.join(u", "_s)
            % u") keep one counter for all traffic: this policy cannot be sharded by "
              u"identifier (across cores or database shards)"_s);
    }

    const auto ended = std::chrono::steady_clock::now();
    report.elapsedS = std::chrono::duration<double>(ended - m_started).count();
    report.eventsPerS = decideS > 0 ? static_cast<double>(n) / decideS : 0.0;
    return report;
}

} // namespace

Report simulate(const Policy& baseline, const Policy& candidate, const trace::Trace& trace,
    const Options& options)
{
    // The trace is in memory: chunks are slices of it, all handed over at once.
    constexpr std::size_t kChunk = 16384;
    const std::size_t n = trace.requests.size();
    Pipeline pipeline(baseline, candidate, trace.dictionary, trace.events, options, SIZE_MAX);
    const bool recordedLinesUp = trace.recorded.size() == n;
    for (std::size_t first = 0; first < n; first += kChunk) {
        const std::size_t count = std::min(kChunk, n - first);
        auto chunk = std::make_unique<Chunk>();
        chunk->requests = std::span(trace.requests).subspan(first, count);
        if (recordedLinesUp)
            chunk->recorded = std::span(trace.recorded).subspan(first, count);
        if (trace.lines.size() == n)
            chunk->lines = std::span(trace.lines).subspan(first, count);
        chunk->ruleNames = &trace.ruleNames;
        if (!pipeline.push(std::move(chunk)))
            break;
    }
    return pipeline.finish(&trace);
}

FileSimulation simulateFile(const Policy& baseline, const Policy& candidate, const QString& path,
    const trace::ReadOptions& readOptions, const Options& options,
    std::shared_ptr<Dictionary> dictionary, const std::function<bool()>& started)
{
    FileSimulation out;
    if (!dictionary)
        dictionary = std::make_shared<Dictionary>();
    // A few chunks in flight bound the memory, and are enough that neither side waits long.
    constexpr std::size_t kChunkRows = 32768;
    constexpr std::size_t kInFlight = 8;
    const auto startedAt = std::chrono::steady_clock::now();
    static const std::vector<trace::StateEvent> kNoEvents; // files carry no state events
    Pipeline pipeline(baseline, candidate, dictionary, kNoEvents, options, kInFlight);
    bool calledStarted = false;
    auto start = [&]() {
        calledStarted = true;
        return !started || started();
    };
    out.read = trace::readTraceChunks(
        path, readOptions, dictionary,
        [&](trace::Trace&& rows) {
            if (!calledStarted && !start())
                return false;
            auto chunk = std::make_unique<Chunk>();
            chunk->owned = std::move(rows);
            const trace::Trace& owned = *chunk->owned;
            chunk->requests = owned.requests;
            chunk->recorded = owned.recorded;
            chunk->lines = owned.lines;
            chunk->ruleNames = &owned.ruleNames;
            return pipeline.push(std::move(chunk));
        },
        kChunkRows);
    out.readS = std::chrono::duration<double>(std::chrono::steady_clock::now() - startedAt).count();
    if (out.read.fatal.isEmpty() && !out.read.cancelled && !calledStarted && !start())
        out.read.cancelled = true;
    if (!out.read.fatal.isEmpty() || out.read.cancelled)
        pipeline.stop();
    out.report = pipeline.finish(nullptr);
    return out;
}

} // namespace qc::simulation
