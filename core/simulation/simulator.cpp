#include "simulator.h"

#include "alerting/minuteseries.h"
#include "enforcement/engine.h"
#include "enforcement/ipaddress.h"
#include "eventplayer.h"
#include "trace/trace.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <limits>
#include <mutex>
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
    Decision simulated;
};

// Everything one worker aggregates while deciding; indexed by enum values and policy
// indices only, names are resolved once at the end.
struct PolicyRun {
    const Policy* policy = nullptr;
    DecisionSink* sink = nullptr;
    bool checkFidelity = false;

    std::vector<Outcome> outcomes;
    std::array<std::uint64_t, enforcement::kReasonCount> byReason {};
    std::vector<std::uint64_t> deniedByRule; // index rule + 1 (0 = no rule)
    std::vector<std::uint64_t> wouldDeny; // index rule
    std::vector<std::uint64_t> incidentsByPattern;
    std::uint64_t allowed = 0;
    std::uint64_t idempotency = 0;
    std::uint64_t collisions = 0;
    std::uint64_t incidents = 0;
    MicroUsd cost = 0;
    std::vector<MinuteRow> minutes;

    std::uint64_t compared = 0;
    std::uint64_t agreed = 0;
    std::vector<RawDisagreement> disagreements;
    std::size_t maxDisagreements = 100;

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

// Compares only what was recorded: a trace with a status column but no rule column is judged
// on the status alone.
FidelityCheck checkRecorded(const trace::Trace& trace, const trace::RecordedDecision& recorded,
    const Decision& decision, const Policy& policy)
{
    if (!recorded.present)
        return {};
    FidelityCheck check;
    check.recorded = true;
    if (recorded.allowed != decision.allowed)
        check.agrees = false;
    else if (recorded.status != 0 && recorded.status != decision.status)
        check.agrees = false;
    else if (recorded.hasReason && recorded.reason != decision.reason)
        check.agrees = false;
    else if (recorded.rule != 0) {
        const std::string_view simulatedRule
            = decision.rule >= 0 && static_cast<std::size_t>(decision.rule) < policy.rules.size()
            ? std::string_view(policy.rules[static_cast<std::size_t>(decision.rule)].id)
            : std::string_view();
        check.agrees = trace.ruleName(recorded.rule) == simulatedRule;
    }
    return check;
}

DecisionText recordedText(const trace::Trace& trace, const trace::RecordedDecision& recorded)
{
    DecisionText text;
    text.allowed = recorded.allowed;
    text.status = recorded.status;
    if (recorded.hasReason)
        text.reason = fromStd(enforcement::toString(recorded.reason));
    text.rule = fromStd(trace.ruleName(recorded.rule));
    return text;
}

void runPolicy(
    PolicyRun& run, const trace::Trace& trace, std::size_t warmupEnd, std::stop_token stop)
{
    try {
        const Policy& policy = *run.policy;
        enforcement::Engine engine(policy, trace.dictionary);
        EventPlayer events(trace.events, engine); // blocks and plan changes between requests
        const std::vector<EncodedRequest>& requests = trace.requests;
        const std::size_t n = requests.size();
        const bool fidelity = run.checkFidelity && trace.recorded.size() == n;
        constexpr std::size_t kAhead = 8; // hides a cache miss, yet the lines are still there
        constexpr std::size_t kCheckEvery = 4096;

        run.deniedByRule.assign(policy.rules.size() + 1, 0);
        run.wouldDeny.assign(policy.rules.size(), 0);
        run.incidentsByPattern.assign(policy.abuse.size(), 0);
        run.outcomes.resize(n - warmupEnd);

        // Warm-up: decided for their state, incidents included (blocks carry over), not counted.
        for (std::size_t i = 0; i < warmupEnd; ++i) {
            if (i % kCheckEvery == 0) {
                run.done.store(i, std::memory_order_relaxed);
                if (stop.stop_requested()) {
                    run.cancelled = true;
                    return;
                }
            }
            if (i + kAhead < n)
                engine.prefetch(requests[i + kAhead]);
            events.advanceTo(requests[i].ts);
            if (engine.decide(requests[i]).incidents != 0)
                engine.takeIncidents();
        }

        MinuteRow minute;
        TimeMs nextMinute = std::numeric_limits<TimeMs>::min();
        Outcome* outcome = run.outcomes.data();
        for (std::size_t i = warmupEnd; i < n; ++i, ++outcome) {
            if (i % kCheckEvery == 0) {
                run.done.store(i, std::memory_order_relaxed);
                if (stop.stop_requested()) {
                    run.cancelled = true;
                    return;
                }
            }
            if (i + kAhead < n)
                engine.prefetch(requests[i + kAhead]);
            const EncodedRequest& request = requests[i];
            events.advanceTo(request.ts);
            const Decision decision = engine.decide(request);

            *outcome = { static_cast<std::uint8_t>(decision.reason),
                static_cast<std::uint8_t>(decision.allowed), decision.rule };
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

            if (request.ts >= nextMinute) {
                if (minute.requests != 0)
                    run.minutes.push_back(minute);
                minute = {};
                minute.start = floorTo(request.ts, kMinute);
                nextMinute = minute.start + kMinute;
            }
            ++minute.requests;
            minute.denied += !decision.allowed;
            minute.rateLimited += decision.reason == Reason::RateLimited;
            minute.idempotency += hasKey;
            minute.collisions += collided;

            if (decision.incidents != 0) {
                for (const enforcement::Incident& incident : engine.takeIncidents()) {
                    ++run.incidents;
                    if (incident.pattern >= 0
                        && static_cast<std::size_t>(incident.pattern)
                            < run.incidentsByPattern.size())
                        ++run.incidentsByPattern[static_cast<std::size_t>(incident.pattern)];
                }
            }
            if (fidelity) {
                const FidelityCheck check
                    = checkRecorded(trace, trace.recorded[i], decision, policy);
                if (check.recorded) {
                    ++run.compared;
                    if (check.agrees)
                        ++run.agreed;
                    else if (run.disagreements.size() < run.maxDisagreements)
                        run.disagreements.push_back({ i, decision });
                }
            }
            if (run.sink)
                run.sink->decided(i, request, decision);
        }
        if (minute.requests != 0)
            run.minutes.push_back(minute);
        run.done.store(n, std::memory_order_relaxed);
    } catch (...) {
        run.error = std::current_exception();
    }
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

/// The client key of docs/enforcement.md §2 for an ip / forwarded-for pair; empty if invalid.
std::string clientKeyOf(std::string_view ip, std::string_view forwardedFor, const Policy& policy)
{
    std::vector<std::string_view> chain;
    std::size_t start = 0;
    while (!forwardedFor.empty() && start <= forwardedFor.size()) {
        std::size_t comma = forwardedFor.find(',', start);
        if (comma == std::string_view::npos)
            comma = forwardedFor.size();
        std::string_view part = forwardedFor.substr(start, comma - start);
        while (!part.empty() && (part.front() == ' ' || part.front() == '\t'))
            part.remove_prefix(1);
        while (!part.empty() && (part.back() == ' ' || part.back() == '\t'))
            part.remove_suffix(1);
        chain.push_back(part);
        start = comma + 1;
    }
    if (!ip.empty())
        chain.push_back(ip);
    std::optional<enforcement::IpAddress> rightmost;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        const std::optional<enforcement::IpAddress> address = enforcement::IpAddress::parse(*it);
        if (!address)
            return {};
        if (!rightmost)
            rightmost = address;
        const bool trusted = std::any_of(policy.trustedProxies.begin(), policy.trustedProxies.end(),
            [&](const enforcement::Cidr& cidr) { return cidr.contains(*address); });
        if (!trusted)
            return enforcement::clientKey(*address);
    }
    return rightmost ? enforcement::clientKey(*rightmost) : std::string();
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

    void add(const EncodedRequest& request, const Outcome& outcome, std::size_t tier,
        const Dictionary& dictionary)
    {
        ++total;
        ++byReason[outcome.reason];
        ++byRule[static_cast<std::size_t>(outcome.rule + 1)];
        ++byTier[tier];
        ++byEndpoint[request.endpoint];
        if (request.user != 0) {
            if (byUser.empty())
                byUser.assign(dictionary.size(Field::User), 0);
            ++byUser[request.user];
        }
        if (request.forwardedFor == 0) {
            if (byIp.empty())
                byIp.assign(dictionary.size(Field::Ip), 0);
            ++byIp[request.ip];
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
    totals.requests = run.outcomes.size();
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

DecisionText simulatedText(const Decision& decision, const Policy& policy)
{
    return { decision.allowed, decision.status, fromStd(enforcement::toString(decision.reason)),
        ruleText(policy, decision.rule) };
}

} // namespace

Report simulate(const Policy& baseline, const Policy& candidate, const trace::Trace& trace,
    const Options& options)
{
    const auto started = std::chrono::steady_clock::now();
    Report report;
    const std::vector<EncodedRequest>& requests = trace.requests;
    const std::size_t n = requests.size();
    report.traceRequests = n;
    report.warmupMs = options.warmupMs;
    if (n != 0) {
        report.traceStart = requests.front().ts;
        report.traceEnd = requests.back().ts;
    }
    std::size_t warmupEnd = 0;
    if (options.warmupMs > 0 && n != 0) {
        const TimeMs end = report.traceStart + options.warmupMs;
        warmupEnd = static_cast<std::size_t>(
            std::lower_bound(requests.begin(), requests.end(), end,
                [](const EncodedRequest& r, TimeMs ts) { return r.ts < ts; })
            - requests.begin());
    }
    report.warmupRequests = warmupEnd;
    report.reportedRequests = n - warmupEnd;

    PolicyRun runs[2];
    runs[0].policy = &baseline;
    runs[0].sink = options.baselineSink;
    runs[0].checkFidelity = !trace.recorded.empty();
    runs[0].maxDisagreements = static_cast<std::size_t>(std::max(0, options.maxDisagreements));
    runs[1].policy = &candidate;
    runs[1].sink = options.candidateSink;

    // The caller's token and a false from progress() both end the run through one source.
    std::stop_source stopSource;
    std::stop_callback forward(options.stopToken, [&stopSource] { stopSource.request_stop(); });
    std::mutex mutex;
    std::condition_variable finishedChanged;
    int finished = 0;
    {
        std::vector<std::jthread> workers;
        for (PolicyRun& run : runs) {
            workers.emplace_back([&, token = stopSource.get_token()] {
                runPolicy(run, trace, warmupEnd, token);
                if (run.error)
                    stopSource.request_stop(); // no point finishing the other policy
                {
                    std::lock_guard lock(mutex);
                    ++finished;
                }
                finishedChanged.notify_all();
            });
        }
        std::unique_lock lock(mutex);
        while (!finishedChanged.wait_for(
            lock, std::chrono::milliseconds(100), [&] { return finished == 2; })) {
            if (!options.progress)
                continue;
            const std::uint64_t done = std::min(runs[0].done.load(std::memory_order_relaxed),
                runs[1].done.load(std::memory_order_relaxed));
            lock.unlock();
            const bool goOn = options.progress(done, n);
            lock.lock();
            if (!goOn)
                stopSource.request_stop();
        }
    } // joins
    for (PolicyRun& run : runs) {
        if (run.error)
            std::rethrow_exception(run.error);
    }
    const auto decided = std::chrono::steady_clock::now();
    const double decideS = std::chrono::duration<double>(decided - started).count();
    if (runs[0].cancelled || runs[1].cancelled) {
        report.cancelled = true;
        report.elapsedS = decideS;
        return report;
    }
    if (options.progress)
        options.progress(n, n);

    const Dictionary& dictionary = *trace.dictionary;
    report.baseline = totalsOf(runs[0], options.baselineName);
    report.candidate = totalsOf(runs[1], options.candidateName);
    report.costSaved = report.baseline.costAdmitted - report.candidate.costAdmitted;

    // Plan tier of a request: its plan when the candidate knows it, else the default plan;
    // requests without a user are "anonymous" (docs/enforcement.md §2).
    QStringList tierNames;
    std::vector<std::uint8_t> tierPaid;
    for (const enforcement::Plan& plan : candidate.plans) {
        tierNames.push_back(QString::fromStdString(plan.name));
        tierPaid.push_back(plan.paid);
    }
    const std::size_t anonymousTier = static_cast<std::size_t>(tierNames.size());
    tierNames.push_back(u"anonymous"_s);
    tierPaid.push_back(0);
    const int defaultTier = std::max(0, candidate.planIndex(candidate.defaultPlan));
    std::vector<std::uint16_t> tierOfPlan(dictionary.size(Field::Plan));
    for (std::uint32_t id = 0; id < tierOfPlan.size(); ++id) {
        const int index = id == 0 ? -1 : candidate.planIndex(dictionary.text(Field::Plan, id));
        tierOfPlan[id] = static_cast<std::uint16_t>(index >= 0 ? index : defaultTier);
    }

    ChangeCounter changes[2]; // 0: newly denied (candidate denies), 1: newly admitted
    changes[0].denyingPolicy = &candidate;
    changes[1].denyingPolicy = &baseline;
    for (int k = 0; k < 2; ++k) {
        changes[k].byRule.assign(changes[k].denyingPolicy->rules.size() + 1, 0);
        changes[k].byTier.assign(static_cast<std::size_t>(tierNames.size()), 0);
        changes[k].byEndpoint.assign(dictionary.size(Field::Endpoint), 0);
    }
    const Outcome* base = runs[0].outcomes.data();
    const Outcome* cand = runs[1].outcomes.data();
    const std::size_t reported = runs[0].outcomes.size();
    for (std::size_t k = 0; k < reported; ++k) {
        const EncodedRequest& request = requests[warmupEnd + k];
        const std::size_t tier = request.user == 0 ? anonymousTier : tierOfPlan[request.plan];
        const bool paid = tierPaid[tier] != 0;
        report.paidRequests += paid;
        if (base[k].allowed == cand[k].allowed)
            continue;
        if (base[k].allowed) {
            report.paidNewlyDenied += paid;
            changes[0].add(request, cand[k], tier, dictionary);
        } else {
            changes[1].add(request, base[k], tier, dictionary);
        }
    }
    const auto topN = static_cast<std::size_t>(std::max(0, options.topN));
    report.newlyDenied = changes[0].finish(dictionary, tierNames, topN);
    report.newlyAdmitted = changes[1].finish(dictionary, tierNames, topN);
    report.paidDeniedPct = report.paidRequests == 0
        ? 0.0
        : 100.0 * static_cast<double>(report.paidNewlyDenied)
            / static_cast<double>(report.paidRequests);

    evaluateAlerts(runs[0].minutes, u"baseline"_s, report.alerts);
    evaluateAlerts(runs[1].minutes, u"candidate"_s, report.alerts);
    if (!runs[0].minutes.empty()) {
        const TimeMs span = runs[0].minutes.back().start - runs[0].minutes.front().start;
        report.bucketMs = span < enforcement::kDay ? kMinute : enforcement::kHour;
    }
    report.timeSeries = timeSeries(runs[0].minutes, runs[1].minutes, report.bucketMs);

    if (runs[0].checkFidelity && trace.recorded.size() == n) {
        Fidelity& fidelity = report.fidelity;
        fidelity.compared = runs[0].compared;
        fidelity.available = fidelity.compared != 0;
        fidelity.agreed = runs[0].agreed;
        fidelity.agreementPct = fidelity.compared == 0
            ? 0.0
            : 100.0 * static_cast<double>(fidelity.agreed) / static_cast<double>(fidelity.compared);
        for (const RawDisagreement& raw : runs[0].disagreements) {
            Disagreement d;
            d.index = raw.index;
            d.requestId = fromStd(dictionary.text(Field::RequestId, requests[raw.index].requestId));
            d.line = trace.lineOf(raw.index);
            d.recorded = recordedText(trace, trace.recorded[raw.index]);
            d.simulated = simulatedText(raw.simulated, baseline);
            fidelity.disagreements.push_back(d);
        }
    } else if (!trace.recorded.empty()) {
        report.warnings.push_back(u"the trace's recorded decisions do not line up with its "
                                  u"requests; fidelity is not reported"_s);
    }

    QStringList globalRules;
    for (const enforcement::Rule& rule : candidate.rules) {
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
    report.elapsedS = std::chrono::duration<double>(ended - started).count();
    report.eventsPerS = decideS > 0 ? static_cast<double>(n) / decideS : 0.0;
    return report;
}

} // namespace qc::simulation
