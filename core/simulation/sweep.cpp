#include "sweep.h"

#include "clientkey.h"
#include "enforcement/engine.h"
#include "eventplayer.h"
#include "policy/policyjson.h"
#include "sweepshortcut_p.h"
#include "trace/trace.h"

#include <QJsonArray>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

using namespace Qt::StringLiterals;

namespace qc::simulation {

using enforcement::Decision;
using enforcement::Dictionary;
using enforcement::EncodedRequest;
using enforcement::Field;
using enforcement::MicroUsd;
using enforcement::Policy;
using enforcement::TimeMs;

namespace {

constexpr std::size_t kCheckEvery = 4096;
constexpr std::size_t kAhead = 8;

// Per reported request, what every point is compared with.
enum RequestFlag : std::uint8_t {
    BaselineAllowed = 1,
    Abusive = 2,
    Paid = 4,
};

double pct(std::uint64_t part, std::uint64_t whole)
{
    return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

struct Shared {
    const trace::Trace* trace = nullptr;
    std::size_t warmupEnd = 0;
    std::stop_token stop;
};

// Runs `jobs` on `threads` workers (each job reports decisions into its slot of `done`),
// calling progress on this thread. Returns false when cancelled.
bool runJobs(int threads, std::size_t jobs, const std::function<void(std::size_t job)>& run,
    std::vector<std::atomic<std::uint64_t>>& done, std::uint64_t doneBefore, std::uint64_t total,
    const SweepOptions& options, std::stop_source& stopSource, std::exception_ptr& error)
{
    std::atomic<std::size_t> nextJob { 0 };
    std::mutex mutex;
    std::condition_variable finishedChanged;
    int finished = 0;
    const int workers
        = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(threads), jobs));
    {
        std::vector<std::jthread> pool;
        for (int w = 0; w < workers; ++w) {
            pool.emplace_back([&] {
                try {
                    for (std::size_t job = nextJob++; job < jobs && !stopSource.stop_requested();
                         job = nextJob++)
                        run(job);
                } catch (...) {
                    std::lock_guard lock(mutex);
                    if (!error)
                        error = std::current_exception();
                    stopSource.request_stop();
                }
                {
                    std::lock_guard lock(mutex);
                    ++finished;
                }
                finishedChanged.notify_all();
            });
        }
        std::unique_lock lock(mutex);
        while (!finishedChanged.wait_for(
            lock, std::chrono::milliseconds(100), [&] { return finished == workers; })) {
            if (!options.progress)
                continue;
            std::uint64_t sum = doneBefore;
            for (const auto& d : done)
                sum += d.load(std::memory_order_relaxed);
            lock.unlock();
            const bool goOn = options.progress(sum, total);
            lock.lock();
            if (!goOn)
                stopSource.request_stop();
        }
    }
    return !stopSource.stop_requested();
}

using detail::RequestOutcome;

detail::RequestOutcome outcomeOf(const Decision& d, std::size_t incidents)
{
    RequestOutcome o;
    o.cost = d.allowed ? d.costMicroUsd : 0;
    o.rule = d.rule;
    o.allowed = d.allowed;
    o.counted = d.reason == enforcement::Reason::Admitted;
    o.incidents = static_cast<std::uint8_t>(std::min<std::size_t>(incidents, 255));
    return o;
}

// Decides every request, or the `subset` (indices in trace order), with the trace's events;
// calls visit(index, decision, incidents) for each.
template<typename Visit>
void decideAll(const Policy& policy, const Shared& shared, const std::vector<std::uint32_t>* subset,
    std::atomic<std::uint64_t>& done, Visit&& visit)
{
    const trace::Trace& trace = *shared.trace;
    enforcement::Engine engine(policy, trace.dictionary);
    EventPlayer events(trace.events, engine);
    const std::vector<EncodedRequest>& requests = trace.requests;
    const std::size_t count = subset ? subset->size() : requests.size();
    const auto at = [subset](std::size_t j) -> std::size_t { return subset ? (*subset)[j] : j; };
    std::vector<enforcement::Incident> none;
    for (std::size_t j = 0; j < count; ++j) {
        if (j % kCheckEvery == 0) {
            done.store(j, std::memory_order_relaxed);
            if (shared.stop.stop_requested())
                return;
        }
        if (j + kAhead < count)
            engine.prefetch(requests[at(j + kAhead)]);
        const std::size_t k = at(j);
        events.advanceTo(requests[k].ts);
        const Decision decision = engine.decide(requests[k]);
        if (decision.incidents != 0)
            visit(k, decision, engine.takeIncidents());
        else
            visit(k, decision, none);
    }
    done.store(count, std::memory_order_relaxed);
}

// The baseline over the whole trace: its outcome per reported request and the identifiers
// that raised incidents (warm-up included).
struct BaselineRun {
    std::vector<RequestOutcome> outcomes; // per request of the trace (warm-up included)
    std::unordered_set<std::string> clients;
    std::unordered_set<std::string> users;
};

void runBaseline(
    const Policy& policy, const Shared& shared, BaselineRun& out, std::atomic<std::uint64_t>& done)
{
    out.outcomes.resize(shared.trace->size());
    decideAll(policy, shared, nullptr, done,
        [&](std::size_t k, const Decision& d, const std::vector<enforcement::Incident>& raised) {
            for (const enforcement::Incident& incident : raised)
                (incident.scope == enforcement::AbuseScope::User ? out.users : out.clients)
                    .insert(incident.identifier);
            out.outcomes[k] = outcomeOf(d, raised.size());
        });
}

// Flags of every reported request: baseline outcome, abusive, paid.
std::vector<std::uint8_t> requestFlags(const trace::Trace& trace, std::size_t warmupEnd,
    const BaselineRun& base, const Policy& baseline, const Policy& candidate)
{
    const Dictionary& dictionary = *trace.dictionary;
    std::vector<std::uint8_t> abusiveUser(dictionary.size(Field::User), 0);
    for (const std::string& user : base.users) {
        const std::uint32_t id = dictionary.find(Field::User, user);
        if (id != UINT32_MAX && id < abusiveUser.size())
            abusiveUser[id] = 1;
    }
    // Client keys are computed once per distinct address (and forwarded-for chain).
    std::vector<std::int8_t> ipAbusive(dictionary.size(Field::Ip), -1);
    std::unordered_map<std::uint64_t, bool> pairAbusive;
    const auto clientAbusive = [&](const EncodedRequest& r) {
        if (base.clients.empty())
            return false;
        if (r.forwardedFor == 0) {
            std::int8_t& cached = ipAbusive[r.ip];
            if (cached < 0) {
                const std::string key = clientKeyOf(dictionary.text(Field::Ip, r.ip), {}, baseline);
                cached = !key.empty() && base.clients.count(key) != 0;
            }
            return cached == 1;
        }
        const std::uint64_t pair = (std::uint64_t { r.ip } << 32) | r.forwardedFor;
        const auto it = pairAbusive.find(pair);
        if (it != pairAbusive.end())
            return it->second;
        const std::string key = clientKeyOf(dictionary.text(Field::Ip, r.ip),
            dictionary.text(Field::ForwardedFor, r.forwardedFor), baseline);
        const bool abusive = !key.empty() && base.clients.count(key) != 0;
        pairAbusive.emplace(pair, abusive);
        return abusive;
    };
    // Paid tiers exactly as simulate() computes them (from the candidate's plans).
    const int defaultTier = std::max(0, candidate.planIndex(candidate.defaultPlan));
    std::vector<std::uint8_t> paidPlan(dictionary.size(Field::Plan), 0);
    for (std::uint32_t id = 0; id < paidPlan.size(); ++id) {
        const int index = id == 0 ? -1 : candidate.planIndex(dictionary.text(Field::Plan, id));
        const int tier = index >= 0 ? index : defaultTier;
        paidPlan[id] = static_cast<std::size_t>(tier) < candidate.plans.size()
            && candidate.plans[static_cast<std::size_t>(tier)].paid;
    }
    const std::size_t reported = trace.requests.size() - warmupEnd;
    std::vector<std::uint8_t> flags(reported, 0);
    for (std::size_t k = 0; k < reported; ++k) {
        const EncodedRequest& r = trace.requests[warmupEnd + k];
        std::uint8_t f = base.outcomes[warmupEnd + k].allowed ? BaselineAllowed : 0;
        if ((r.user != 0 && abusiveUser[r.user]) || clientAbusive(r))
            f |= Abusive;
        if (r.user != 0 && paidPlan[r.plan])
            f |= Paid;
        flags[k] = f;
    }
    return flags;
}

// Adds (or takes away) one reported request's outcome to a point. Counters are unsigned: a
// point built as "reference + decided again − reference's share" wraps back to the right
// value.
void account(SweepPoint& p, const RequestOutcome& o, std::uint8_t f, int sweptRule, bool add)
{
    const std::uint64_t one = add ? 1 : static_cast<std::uint64_t>(-1);
    const MicroUsd cost = add ? o.cost : -o.cost;
    const bool abusive = f & Abusive;
    if (o.allowed) {
        p.allowed += one;
        p.costAdmitted += cost;
        if (abusive) {
            p.abusiveAdmitted += one;
            p.abusiveCostAdmitted += cost;
        }
        if (!(f & BaselineAllowed))
            p.newlyAdmitted += one;
    } else {
        p.denied += one;
        if (!abusive)
            p.legitimateDenied += one;
        if (sweptRule >= 0 && o.rule == sweptRule)
            p.sweptRuleDenied += one;
        if (f & BaselineAllowed) {
            p.newlyDenied += one;
            if (!abusive)
                p.legitimateNewlyDenied += one;
            if (f & Paid)
                p.paidNewlyDenied += one;
        }
    }
    p.incidents += add ? o.incidents : static_cast<std::uint64_t>(-std::int64_t { o.incidents });
}

void finishPoint(SweepPoint& point, const SweepResult& result, MicroUsd baselineCost)
{
    point.legitimateDeniedPct = pct(point.legitimateDenied, result.legitimateRequests);
    point.abusiveAdmittedPct = pct(point.abusiveAdmitted, result.abusiveRequests);
    point.paidDeniedPct = pct(point.paidNewlyDenied, result.paidRequests);
    point.costSaved = baselineCost - point.costAdmitted;
}

std::size_t warmupEndOf(const trace::Trace& trace, TimeMs warmupMs)
{
    const std::vector<EncodedRequest>& requests = trace.requests;
    if (warmupMs <= 0 || requests.empty())
        return 0;
    const TimeMs end = requests.front().ts + warmupMs;
    return static_cast<std::size_t>(
        std::lower_bound(requests.begin(), requests.end(), end,
            [](const EncodedRequest& r, TimeMs ts) { return r.ts < ts; })
        - requests.begin());
}

} // namespace

SweepResult sweep(const Policy& baseline, const QByteArray& candidateJson,
    const trace::Trace& trace, const SweepSpec& spec, const SweepOptions& options)
{
    const auto started = std::chrono::steady_clock::now();
    SweepResult result;
    result.parameter = spec.parameter;
    result.baselineName = options.baselineName;
    result.candidateName = options.candidateName;
    result.traceRequests = trace.size();

    policy::LoadResult candidate = policy::parsePolicy(candidateJson);
    if (!candidate.ok()) {
        result.error = u"the candidate policy is not valid: "_s % candidate.errorText();
        return result;
    }
    result.candidateValue = spec.parameter.valueIn(*candidate.policy).value_or(0);
    std::vector<Policy> policies;
    for (const std::int64_t value : spec.values) {
        QString error;
        std::optional<Policy> policy
            = policyWithValue(candidateJson, spec.parameter, value, &error);
        if (!policy) {
            result.error = error;
            return result;
        }
        policies.push_back(std::move(*policy));
    }
    const int sweptRule = spec.parameter.ruleIndex(*candidate.policy);
    // The shortcut's reference: a run in which the swept limit binds nowhere it matters. When
    // the baseline is the candidate at one of its values, the baseline run serves (it binds
    // nowhere its load stays below that value); else the candidate runs with the limit
    // unbounded.
    std::optional<Policy> unbounded;
    std::optional<std::int64_t> baselineValue;
    if (options.shortcut && detail::canShortcut(spec.parameter, *candidate.policy)) {
        QString error;
        if (const auto value = spec.parameter.valueIn(baseline)) {
            const auto same = policyWithValue(candidateJson, spec.parameter, *value, &error);
            if (same && policy::toJson(*same) == policy::toJson(baseline))
                baselineValue = value;
        }
        if (!baselineValue)
            unbounded = policyWithValue(
                candidateJson, spec.parameter, detail::unboundedValue(spec.parameter), &error);
    }
    result.shortcut = baselineValue.has_value() || unbounded.has_value();

    const std::size_t n = trace.size();
    Shared shared;
    shared.trace = &trace;
    shared.warmupEnd = warmupEndOf(trace, options.warmupMs);
    result.reportedRequests = n - shared.warmupEnd;

    std::stop_source stopSource;
    std::stop_callback forward(options.stopToken, [&stopSource] { stopSource.request_stop(); });
    shared.stop = stopSource.get_token();
    const unsigned hardware = std::max(1U, std::thread::hardware_concurrency());
    result.threads = options.threads > 0 ? options.threads : static_cast<int>(hardware);
    // While the baseline runs alone, a second worker decides the first value whole (it is the
    // likeliest to bind everywhere).
    const bool early = baselineValue && result.threads > 1 && !spec.values.empty();
    std::uint64_t first = static_cast<std::uint64_t>(n) * (unbounded || early ? 2 : 1);
    // Every value decides the whole trace at most; with the shortcut the total shrinks once the
    // components are known.
    std::uint64_t total
        = static_cast<std::uint64_t>(n) * (spec.values.size() + 1 + (unbounded ? 1 : 0));
    std::exception_ptr error;

    QList<SweepPoint> points(static_cast<qsizetype>(policies.size()));
    std::vector<std::uint8_t> flags;
    std::vector<RequestOutcome> reference;
    const auto reportedOutcome = [&](SweepPoint& point, std::size_t k, const Decision& d,
                                     std::size_t incidents, bool subtractReference) {
        if (k < shared.warmupEnd)
            return;
        const std::uint8_t f = flags[k - shared.warmupEnd];
        account(point, outcomeOf(d, incidents), f, sweptRule, true);
        if (subtractReference)
            account(point, reference[k], f, sweptRule, false);
    };
    // A whole run of one value, its outcomes kept until the flags are known.
    std::vector<RequestOutcome> earlyOutcomes;

    // 1. The baseline, once: its outcomes and the abusive identifiers; beside it the
    // unbounded reference, or the first value whole.
    BaselineRun base;
    {
        std::vector<std::atomic<std::uint64_t>> done(unbounded || early ? 2 : 1);
        const bool finished = runJobs(
            result.threads, done.size(),
            [&](std::size_t job) {
                if (job == 0) {
                    runBaseline(baseline, shared, base, done[0]);
                    return;
                }
                std::vector<RequestOutcome>& out = unbounded ? reference : earlyOutcomes;
                out.resize(n);
                decideAll(unbounded ? *unbounded : policies.front(), shared, nullptr, done[1],
                    [&](std::size_t k, const Decision& d,
                        const std::vector<enforcement::Incident>& raised) {
                        out[k] = outcomeOf(d, raised.size());
                    });
            },
            done, 0, total, options, stopSource, error);
        if (error)
            std::rethrow_exception(error);
        if (!finished) {
            result.cancelled = true;
            return result;
        }
    }
    flags = requestFlags(trace, shared.warmupEnd, base, baseline, *candidate.policy);
    result.abusiveClients = base.clients.size();
    result.abusiveUsers = base.users.size();
    SweepPoint& b = result.baseline;
    for (std::size_t k = 0; k < flags.size(); ++k) {
        result.abusiveRequests += (flags[k] & Abusive) != 0;
        result.paidRequests += (flags[k] & Paid) != 0;
        account(b, base.outcomes[shared.warmupEnd + k], flags[k], -1, true);
    }
    result.legitimateRequests = result.reportedRequests - result.abusiveRequests;
    finishPoint(b, result, b.costAdmitted);
    if (base.clients.empty() && base.users.empty())
        result.warnings.push_back(u"the baseline raises no abuse incident over this trace, so "
                                  u"no request counts as abusive"_s);
    if (early) {
        for (std::size_t k = shared.warmupEnd; k < n; ++k)
            account(points[0], earlyOutcomes[k], flags[k - shared.warmupEnd], sweptRule, true);
        points[0].decided = n;
        earlyOutcomes = {};
    }

    // 2. With the shortcut: the components, the reference point, and for each value the
    // requests of the components where it can bind.
    detail::Components components;
    SweepPoint referencePoint;
    if (result.shortcut) {
        if (baselineValue)
            reference = std::move(base.outcomes);
        components = detail::componentsOf(trace, *candidate.policy, spec.parameter, reference);
        if (baselineValue) {
            // Where the baseline's own limit may have bound, its decisions are no reference.
            for (std::int64_t& load : components.load) {
                if (load >= *baselineValue)
                    load = std::numeric_limits<std::int64_t>::max();
            }
        }
        for (std::size_t k = shared.warmupEnd; k < n; ++k)
            account(referencePoint, reference[k], flags[k - shared.warmupEnd], sweptRule, true);
        total = first;
        for (std::size_t i = early ? 1 : 0; i < spec.values.size(); ++i) {
            for (const std::uint32_t c : components.of)
                total += components.load[c] >= spec.values[i];
        }
    }
    base.outcomes = {};

    // 3. One run per value, as many at a time as there are workers.
    {
        const std::size_t skip = early ? 1 : 0;
        std::vector<std::atomic<std::uint64_t>> done(policies.size() - skip);
        const bool finished = runJobs(
            result.threads, policies.size() - skip,
            [&](std::size_t slot) {
                const std::size_t job = slot + skip;
                SweepPoint& point = points[static_cast<qsizetype>(job)];
                if (!result.shortcut) {
                    decideAll(policies[job], shared, nullptr, done[slot],
                        [&](std::size_t k, const Decision& d,
                            const std::vector<enforcement::Incident>& raised) {
                            reportedOutcome(point, k, d, raised.size(), false);
                        });
                    point.decided = n;
                    return;
                }
                std::vector<std::uint32_t> hot;
                const std::int64_t value = spec.values[job];
                for (std::size_t k = 0; k < n; ++k) {
                    if (components.load[components.of[k]] >= value)
                        hot.push_back(static_cast<std::uint32_t>(k));
                }
                point = referencePoint;
                decideAll(policies[job], shared, &hot, done[slot],
                    [&](std::size_t k, const Decision& d,
                        const std::vector<enforcement::Incident>& raised) {
                        reportedOutcome(point, k, d, raised.size(), true);
                    });
                point.decided = hot.size();
            },
            done, first, total, options, stopSource, error);
        if (error)
            std::rethrow_exception(error);
        if (!finished) {
            result.cancelled = true;
            return result;
        }
    }
    for (std::size_t i = 0; i < policies.size(); ++i) {
        SweepPoint& point = points[static_cast<qsizetype>(i)];
        point.value = spec.values[i];
        point.valueText = spec.parameter.formatValue(spec.values[i]);
        finishPoint(point, result, b.costAdmitted);
        result.decisions += point.decided;
    }
    result.decisions += first;
    result.points = std::move(points);
    if (options.progress)
        options.progress(total, total);
    result.elapsedS
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    result.decisionsPerS
        = result.elapsedS > 0 ? static_cast<double>(result.decisions) / result.elapsedS : 0;
    return result;
}

namespace {

QJsonObject pointJson(const SweepPoint& p, bool withValue)
{
    QJsonObject o {
        { u"allowed"_s, static_cast<qint64>(p.allowed) },
        { u"denied"_s, static_cast<qint64>(p.denied) },
        { u"legitimate_denied"_s, static_cast<qint64>(p.legitimateDenied) },
        { u"legitimate_denied_pct"_s, p.legitimateDeniedPct },
        { u"abusive_admitted"_s, static_cast<qint64>(p.abusiveAdmitted) },
        { u"abusive_admitted_pct"_s, p.abusiveAdmittedPct },
        { u"newly_denied"_s, static_cast<qint64>(p.newlyDenied) },
        { u"newly_admitted"_s, static_cast<qint64>(p.newlyAdmitted) },
        { u"legitimate_newly_denied"_s, static_cast<qint64>(p.legitimateNewlyDenied) },
        { u"paid_newly_denied"_s, static_cast<qint64>(p.paidNewlyDenied) },
        { u"paid_denied_pct"_s, p.paidDeniedPct },
        { u"swept_rule_denied"_s, static_cast<qint64>(p.sweptRuleDenied) },
        { u"cost_admitted_usd"_s, static_cast<double>(p.costAdmitted) / 1e6 },
        { u"cost_admitted_micro_usd"_s, static_cast<qint64>(p.costAdmitted) },
        { u"abusive_cost_admitted_usd"_s, static_cast<double>(p.abusiveCostAdmitted) / 1e6 },
        { u"abusive_cost_admitted_micro_usd"_s, static_cast<qint64>(p.abusiveCostAdmitted) },
        { u"cost_saved_usd"_s, static_cast<double>(p.costSaved) / 1e6 },
        { u"cost_saved_micro_usd"_s, static_cast<qint64>(p.costSaved) },
        { u"incidents"_s, static_cast<qint64>(p.incidents) },
    };
    if (withValue) {
        o.insert(u"decided"_s, static_cast<qint64>(p.decided));
        o.insert(u"value"_s, p.valueText);
        o.insert(u"value_number"_s, static_cast<qint64>(p.value));
    }
    return o;
}

QString unitName(SweepParameter::Unit unit)
{
    switch (unit) {
    case SweepParameter::Unit::Milliseconds:
        return u"ms"_s;
    case SweepParameter::Unit::MicroUsd:
        return u"micro_usd"_s;
    case SweepParameter::Unit::Count:
        break;
    }
    return u"count"_s;
}

} // namespace

QJsonObject toJson(const SweepResult& result)
{
    QJsonArray points;
    for (const SweepPoint& p : result.points)
        points.append(pointJson(p, true));
    return QJsonObject {
        { u"parameter"_s, result.parameter.path() },
        { u"unit"_s, unitName(result.parameter.unit()) },
        { u"baseline_name"_s, result.baselineName },
        { u"candidate_name"_s, result.candidateName },
        { u"candidate_value"_s, result.parameter.formatValue(result.candidateValue) },
        { u"trace_requests"_s, static_cast<qint64>(result.traceRequests) },
        { u"reported_requests"_s, static_cast<qint64>(result.reportedRequests) },
        { u"legitimate_requests"_s, static_cast<qint64>(result.legitimateRequests) },
        { u"abusive_requests"_s, static_cast<qint64>(result.abusiveRequests) },
        { u"paid_requests"_s, static_cast<qint64>(result.paidRequests) },
        { u"abusive_clients"_s, static_cast<qint64>(result.abusiveClients) },
        { u"abusive_users"_s, static_cast<qint64>(result.abusiveUsers) },
        { u"baseline"_s, pointJson(result.baseline, false) },
        { u"points"_s, points },
        { u"warnings"_s, QJsonArray::fromStringList(result.warnings) },
        { u"cancelled"_s, result.cancelled },
        { u"shortcut"_s, result.shortcut },
        { u"threads"_s, result.threads },
        { u"decisions"_s, static_cast<qint64>(result.decisions) },
        { u"elapsed_s"_s, result.elapsedS },
        { u"decisions_per_s"_s, result.decisionsPerS },
    };
}

namespace {

QString grouped(std::uint64_t value)
{
    QString digits = QString::number(value);
    for (qsizetype i = digits.size() - 3; i > 0; i -= 3)
        digits.insert(i, u',');
    return digits;
}

QString textRow(const QString& label, const SweepPoint& p)
{
    const QString legitimate = grouped(p.legitimateDenied) % u" ("_s
        % QString::number(p.legitimateDeniedPct, 'f', 2) % u"%)"_s;
    const QString abusive = grouped(p.abusiveAdmitted) % u" ("_s
        % QString::number(p.abusiveAdmittedPct, 'f', 2) % u"%)"_s;
    const QString cost = u"$"_s % policy::formatUsd(p.costAdmitted);
    return label.rightJustified(12) % grouped(p.denied).rightJustified(12)
        % legitimate.rightJustified(22) % abusive.rightJustified(22) % cost.rightJustified(16)
        % grouped(p.newlyDenied).rightJustified(12) % grouped(p.paidNewlyDenied).rightJustified(10)
        % u'\n';
}

} // namespace

QString toText(const SweepResult& result)
{
    if (result.cancelled)
        return u"Sweep cancelled; no result.\n"_s;
    if (!result.error.isEmpty())
        return u"Sweep failed: "_s % result.error % u'\n';
    QString text = u"Sweep of "_s % result.parameter.path() % u" over "_s
        % grouped(result.reportedRequests) % u" requests ("_s % grouped(result.legitimateRequests)
        % u" legitimate, "_s % grouped(result.abusiveRequests) % u" abusive: from "_s
        % grouped(result.abusiveClients) % u" clients and "_s % grouped(result.abusiveUsers)
        % u" users that raised abuse incidents under the baseline)\n"_s;
    text += u"Baseline: "_s % result.baselineName % u"; candidate: "_s % result.candidateName
        % u" ("_s % result.parameter.path() % u" = "_s
        % result.parameter.formatValue(result.candidateValue) % u")\n\n"_s;
    text += u"value"_s.rightJustified(12) % u"denied"_s.rightJustified(12)
        % u"legitimate denied"_s.rightJustified(22) % u"abusive admitted"_s.rightJustified(22)
        % u"cost admitted"_s.rightJustified(16) % u"newly den."_s.rightJustified(12)
        % u"paid"_s.rightJustified(10) % u'\n';
    text += textRow(u"baseline"_s, result.baseline);
    for (const SweepPoint& p : result.points)
        text += textRow(p.valueText, p);
    for (const QString& warning : result.warnings)
        text += u"Warning: "_s % warning % u'\n';
    text += u"\n"_s % QString::number(result.points.size()) % u" values on "_s
        % QString::number(result.threads) % u" threads in "_s
        % QString::number(result.elapsedS, 'f', 2) % u" s: "_s % grouped(result.decisions)
        % u" decisions ("_s % QString::number(result.decisionsPerS / 1e6, 'f', 1) % u" M/s)"_s
        % (result.shortcut ? u", each value deciding again only the traffic it can change"_s
                           : QString())
        % u"\n"_s;
    return text;
}

QByteArray toCsv(const SweepResult& result)
{
    QByteArray out = "value,allowed,denied,legitimate_denied,legitimate_denied_pct,"
                     "abusive_admitted,abusive_admitted_pct,newly_denied,newly_admitted,"
                     "legitimate_newly_denied,paid_newly_denied,paid_denied_pct,"
                     "swept_rule_denied,cost_admitted_usd,abusive_cost_admitted_usd,"
                     "cost_saved_usd,incidents\n";
    const auto row = [&out](const QString& value, const SweepPoint& p) {
        const QList<QString> cells {
            value,
            QString::number(p.allowed),
            QString::number(p.denied),
            QString::number(p.legitimateDenied),
            QString::number(p.legitimateDeniedPct, 'f', 4),
            QString::number(p.abusiveAdmitted),
            QString::number(p.abusiveAdmittedPct, 'f', 4),
            QString::number(p.newlyDenied),
            QString::number(p.newlyAdmitted),
            QString::number(p.legitimateNewlyDenied),
            QString::number(p.paidNewlyDenied),
            QString::number(p.paidDeniedPct, 'f', 4),
            QString::number(p.sweptRuleDenied),
            policy::formatUsd(p.costAdmitted),
            policy::formatUsd(p.abusiveCostAdmitted),
            policy::formatUsd(p.costSaved),
            QString::number(p.incidents),
        };
        out += QStringList(cells).join(u',').toUtf8() + '\n';
    };
    row(u"baseline"_s, result.baseline);
    for (const SweepPoint& p : result.points)
        row(p.valueText, p);
    return out;
}

} // namespace qc::simulation
