#include "sweep.h"

#include "clientkey.h"
#include "enforcement/engine.h"
#include "eventplayer.h"
#include "policy/policyjson.h"
#include "trace/trace.h"

#include <QJsonArray>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
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

// The baseline over the whole trace: its outcome per reported request and the identifiers
// that raised incidents (warm-up included).
struct BaselineRun {
    std::vector<std::uint8_t> allowed; // per reported request
    std::vector<MicroUsd> cost; // per reported request, 0 when denied
    std::uint64_t incidents = 0; // reported part
    std::unordered_set<std::string> clients;
    std::unordered_set<std::string> users;
};

void runBaseline(
    const Policy& policy, const Shared& shared, BaselineRun& out, std::atomic<std::uint64_t>& done)
{
    const trace::Trace& trace = *shared.trace;
    enforcement::Engine engine(policy, trace.dictionary);
    EventPlayer events(trace.events, engine);
    const std::vector<EncodedRequest>& requests = trace.requests;
    const std::size_t n = requests.size();
    out.allowed.resize(n - shared.warmupEnd);
    out.cost.resize(n - shared.warmupEnd);
    for (std::size_t i = 0; i < n; ++i) {
        if (i % kCheckEvery == 0) {
            done.store(i, std::memory_order_relaxed);
            if (shared.stop.stop_requested())
                return;
        }
        if (i + kAhead < n)
            engine.prefetch(requests[i + kAhead]);
        events.advanceTo(requests[i].ts);
        const Decision decision = engine.decide(requests[i]);
        if (i >= shared.warmupEnd) {
            out.allowed[i - shared.warmupEnd] = decision.allowed;
            out.cost[i - shared.warmupEnd] = decision.allowed ? decision.costMicroUsd : 0;
        }
        if (decision.incidents != 0) {
            for (const enforcement::Incident& incident : engine.takeIncidents()) {
                (incident.scope == enforcement::AbuseScope::User ? out.users : out.clients)
                    .insert(incident.identifier);
                out.incidents += i >= shared.warmupEnd;
            }
        }
    }
    done.store(n, std::memory_order_relaxed);
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
        std::uint8_t f = base.allowed[k] ? BaselineAllowed : 0;
        if ((r.user != 0 && abusiveUser[r.user]) || clientAbusive(r))
            f |= Abusive;
        if (r.user != 0 && paidPlan[r.plan])
            f |= Paid;
        flags[k] = f;
    }
    return flags;
}

void runPoint(const Policy& policy, int sweptRule, const Shared& shared,
    const std::vector<std::uint8_t>& flags, SweepPoint& point, std::atomic<std::uint64_t>& done)
{
    const trace::Trace& trace = *shared.trace;
    enforcement::Engine engine(policy, trace.dictionary);
    EventPlayer events(trace.events, engine);
    const std::vector<EncodedRequest>& requests = trace.requests;
    const std::size_t n = requests.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (i % kCheckEvery == 0) {
            done.store(i, std::memory_order_relaxed);
            if (shared.stop.stop_requested())
                return;
        }
        if (i + kAhead < n)
            engine.prefetch(requests[i + kAhead]);
        events.advanceTo(requests[i].ts);
        const Decision decision = engine.decide(requests[i]);
        const bool reported = i >= shared.warmupEnd;
        if (decision.incidents != 0) {
            const std::size_t raised = engine.takeIncidents().size();
            point.incidents += reported ? raised : 0;
        }
        if (!reported)
            continue;
        const std::uint8_t f = flags[i - shared.warmupEnd];
        const bool abusive = f & Abusive;
        if (decision.allowed) {
            ++point.allowed;
            point.costAdmitted += decision.costMicroUsd;
            if (abusive) {
                ++point.abusiveAdmitted;
                point.abusiveCostAdmitted += decision.costMicroUsd;
            }
            if (!(f & BaselineAllowed))
                ++point.newlyAdmitted;
        } else {
            ++point.denied;
            if (!abusive)
                ++point.legitimateDenied;
            if (sweptRule >= 0 && decision.rule == sweptRule)
                ++point.sweptRuleDenied;
            if (f & BaselineAllowed) {
                ++point.newlyDenied;
                point.legitimateNewlyDenied += !abusive;
                point.paidNewlyDenied += (f & Paid) != 0;
            }
        }
    }
    done.store(n, std::memory_order_relaxed);
}

void finishPoint(SweepPoint& point, const SweepResult& result, MicroUsd baselineCost)
{
    point.legitimateDeniedPct = pct(point.legitimateDenied, result.legitimateRequests);
    point.abusiveAdmittedPct = pct(point.abusiveAdmitted, result.abusiveRequests);
    point.paidDeniedPct = pct(point.paidNewlyDenied, result.paidRequests);
    point.costSaved = baselineCost - point.costAdmitted;
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

    const std::vector<EncodedRequest>& requests = trace.requests;
    const std::size_t n = requests.size();
    Shared shared;
    shared.trace = &trace;
    if (options.warmupMs > 0 && n != 0) {
        const TimeMs end = requests.front().ts + options.warmupMs;
        shared.warmupEnd = static_cast<std::size_t>(
            std::lower_bound(requests.begin(), requests.end(), end,
                [](const EncodedRequest& r, TimeMs ts) { return r.ts < ts; })
            - requests.begin());
    }
    result.reportedRequests = n - shared.warmupEnd;

    std::stop_source stopSource;
    std::stop_callback forward(options.stopToken, [&stopSource] { stopSource.request_stop(); });
    shared.stop = stopSource.get_token();
    const unsigned hardware = std::max(1U, std::thread::hardware_concurrency());
    result.threads = options.threads > 0 ? options.threads : static_cast<int>(hardware);
    const std::uint64_t total = static_cast<std::uint64_t>(n) * (spec.values.size() + 1);
    std::exception_ptr error;

    // 1. The baseline, once: its outcomes and the abusive identifiers.
    BaselineRun base;
    {
        std::vector<std::atomic<std::uint64_t>> done(1);
        const bool finished = runJobs(
            1, 1, [&](std::size_t) { runBaseline(baseline, shared, base, done[0]); }, done, 0,
            total, options, stopSource, error);
        if (error)
            std::rethrow_exception(error);
        if (!finished) {
            result.cancelled = true;
            return result;
        }
    }
    const std::vector<std::uint8_t> flags
        = requestFlags(trace, shared.warmupEnd, base, baseline, *candidate.policy);
    result.abusiveClients = base.clients.size();
    result.abusiveUsers = base.users.size();
    SweepPoint& b = result.baseline;
    b.incidents = base.incidents;
    for (std::size_t k = 0; k < flags.size(); ++k) {
        const std::uint8_t f = flags[k];
        const bool abusive = f & Abusive;
        result.abusiveRequests += abusive;
        result.paidRequests += (f & Paid) != 0;
        if (f & BaselineAllowed) {
            ++b.allowed;
            b.costAdmitted += base.cost[k];
            if (abusive) {
                ++b.abusiveAdmitted;
                b.abusiveCostAdmitted += base.cost[k];
            }
        } else {
            ++b.denied;
            b.legitimateDenied += !abusive;
        }
    }
    result.legitimateRequests = result.reportedRequests - result.abusiveRequests;
    finishPoint(b, result, b.costAdmitted);
    base.allowed = {};
    base.cost = {};
    if (base.clients.empty() && base.users.empty())
        result.warnings.push_back(u"the baseline raises no abuse incident over this trace, so "
                                  u"no request counts as abusive"_s);

    // 2. One run per value, as many at a time as there are workers.
    QList<SweepPoint> points(static_cast<qsizetype>(policies.size()));
    {
        std::vector<std::atomic<std::uint64_t>> done(policies.size());
        const bool finished = runJobs(
            result.threads, policies.size(),
            [&](std::size_t job) {
                runPoint(policies[job], sweptRule, shared, flags,
                    points[static_cast<qsizetype>(job)], done[job]);
            },
            done, n, total, options, stopSource, error);
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
    }
    result.points = std::move(points);
    if (options.progress)
        options.progress(total, total);
    result.elapsedS
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    result.decisionsPerS = result.elapsedS > 0 ? static_cast<double>(total) / result.elapsedS : 0;
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
        { u"threads"_s, result.threads },
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
    text += u"\n"_s % QString::number(result.points.size() + 1) % u" runs on "_s
        % QString::number(result.threads) % u" threads in "_s
        % QString::number(result.elapsedS, 'f', 2) % u" s ("_s
        % QString::number(result.decisionsPerS / 1e6, 'f', 1) % u" M decisions/s)\n"_s;
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
