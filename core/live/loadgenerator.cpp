#include "loadgenerator.h"

#include "activepolicy.h"
#include "costmodel.h"
#include "metricsregistry.h"
#include "pgsession.h"
#include "trafficsource.h"

#include <QUuid>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <thread>

using namespace Qt::StringLiterals;
namespace ef = qc::enforcement;

namespace qc::live {

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kCheckSql
    = "SELECT allowed, status, reason, rule, \"limit\", remaining, reset_at, retry_after_s, "
      "would_deny, collision, collision_flags FROM quota.quota_check(timestamptz 'epoch' + "
      "$1::bigint * interval '1 millisecond', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
constexpr const char* kCompleteSql
    = "SELECT pattern_id, action FROM quota.quota_complete(timestamptz 'epoch' + "
      "$1::bigint * interval '1 millisecond', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
      "$13::boolean, $14::int, $15, $16, $17::numeric, $18::int, $19, $20::int, "
      "$21::double precision, $22::boolean, $23::int, $24)";
constexpr int kCompleteParams = 24;
// Request logs a worker keeps for retrying while the database does not take them.
constexpr std::size_t kMaxPendingLogs = 20000;

ef::TimeMs wallNowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::optional<std::string> textOrNull(const std::string& s)
{
    return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

std::string microUsdText(ef::MicroUsd micro)
{
    char buffer[40];
    const int n = std::snprintf(buffer, sizeof buffer, "%lld.%06lld",
        static_cast<long long>(micro / 1000000), static_cast<long long>(micro % 1000000));
    return std::string(buffer, std::size_t(n));
}

std::string doubleText(double value)
{
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

// A bounded queue from the dispatcher to the workers.
class WorkQueue {
public:
    explicit WorkQueue(std::size_t capacity)
        : m_capacity(capacity)
    {
    }
    /// False when the queue stayed full until `deadline` (or is closed).
    bool push(LiveRequest&& request, Clock::time_point deadline)
    {
        std::unique_lock lock(m_mutex);
        if (!m_notFull.wait_until(
                lock, deadline, [&] { return m_closed || m_items.size() < m_capacity; }))
            return false;
        if (m_closed)
            return false;
        m_items.push_back(std::move(request));
        m_notEmpty.notify_one();
        return true;
    }
    std::optional<LiveRequest> pop()
    {
        std::unique_lock lock(m_mutex);
        m_notEmpty.wait(lock, [&] { return m_closed || !m_items.empty(); });
        if (m_items.empty())
            return std::nullopt;
        LiveRequest out = std::move(m_items.front());
        m_items.pop_front();
        m_notFull.notify_one();
        return out;
    }
    /// Ends the queue: requests not yet taken are dropped (never decided, never counted).
    std::size_t close()
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        const std::size_t dropped = m_items.size();
        m_items.clear();
        m_notEmpty.notify_all();
        m_notFull.notify_all();
        return dropped;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_notEmpty;
    std::condition_variable m_notFull;
    std::deque<LiveRequest> m_items;
    std::size_t m_capacity;
    bool m_closed = false;
};

struct Counters {
    std::atomic<std::uint64_t> decided { 0 };
    std::atomic<std::uint64_t> logged { 0 };
    std::atomic<std::uint64_t> denied { 0 };
    std::atomic<std::uint64_t> failOpen { 0 };
    std::atomic<std::uint64_t> shed { 0 };
    std::atomic<std::uint64_t> dbErrors { 0 };
    std::atomic<std::uint64_t> logRetries { 0 };
    std::atomic<std::uint64_t> incidents { 0 };
    std::atomic<std::uint64_t> planChanges { 0 };
    std::atomic<std::uint64_t> hiccups { 0 };
    std::atomic<long long> lagMs { 0 };
};

// Sets up a worker or control connection: timeouts, commit mode, prepared statements.
QString prepareSession(PgSession& session, ef::TimeMs checkTimeoutMs, bool worker)
{
    if (worker) {
        const std::string timeout
            = "SET statement_timeout = " + std::to_string(std::max<ef::TimeMs>(1, checkTimeoutMs));
        for (const std::string& sql : { timeout, std::string("SET synchronous_commit = off") }) {
            PgResult r = session.exec(sql);
            if (!r.ok())
                return r.error();
        }
        PgResult check = session.prepare("check", kCheckSql);
        if (!check.ok())
            return u"preparing quota.quota_check: "_s + check.error();
        PgResult complete = session.prepare("complete", kCompleteSql);
        if (!complete.ok())
            return u"preparing quota.quota_complete: "_s + complete.error();
    }
    return {};
}

} // namespace

int defaultConnections(const LoadOptions& options)
{
    if (options.asFastAsPossible)
        return 8;
    double total = options.rate;
    for (const LiveScenario& s : options.scenarios)
        total += s.rate > 0 ? s.rate : defaultRate(s.kind);
    return std::clamp(int(std::ceil(total / 100.0)), 4, 32);
}

struct LoadGenerator::Impl {
    struct PendingLog {
        std::array<std::optional<std::string>, kCompleteParams> params;
    };

    LoadOptions options;
    MetricsRegistry* registry = nullptr;
    ef::Policy policy;
    Counters counters;
    std::unique_ptr<WorkQueue> queue;
    std::vector<PgSession> workerSessions;
    PgSession control;
    PgSession hiccup;
    std::vector<std::thread> workers;
    std::thread dispatcher;
    std::atomic<bool> stop { false };
    std::atomic<bool> finished { false };
    std::mutex mutex; // guards the fields below and the stop wait
    std::condition_variable wake;
    QString fatalError;
    QStringList warnings;
    std::function<void()> finishedCallback;
    Clock::time_point startedAt;
    Clock::time_point endedAt;
    ef::TimeMs startWallMs = 0;
    bool hiccupActive = false;
    bool planChangesRefused = false;

    void warn(const QString& text)
    {
        std::lock_guard lock(mutex);
        // Distinct problems only, and not an unbounded list of them.
        if (warnings.size() < 20 && !warnings.contains(text))
            warnings.append(text);
    }

    // Sleeps until `until` or a stop request; true when stopped.
    bool sleepUntil(Clock::time_point until)
    {
        std::unique_lock lock(mutex);
        return wake.wait_until(lock, until, [&] { return stop.load(); });
    }

    void runWorker(std::size_t index);
    void runDispatcher();
    void applyPlanChange(const qc::trace::PlanChange& change);
    void beginHiccup();
    void endHiccup();
};

void LoadGenerator::Impl::runWorker(std::size_t index)
{
    PgSession& session = workerSessions[index];
    std::deque<PendingLog> pending;
    Clock::time_point retryAt = Clock::now();
    std::chrono::milliseconds backoff(100);
    Clock::time_point resetAt = Clock::now();

    const auto healthy = [&]() {
        if (session.isHealthy())
            return true;
        if (Clock::now() < resetAt)
            return false;
        resetAt = Clock::now() + std::chrono::seconds(1);
        if (!session.reset().isEmpty())
            return false;
        const QString error = prepareSession(session, options.checkTimeoutMs, true);
        if (!error.isEmpty()) {
            warn(u"reconnecting a worker: "_s + error);
            return false;
        }
        return true;
    };

    // Writes one request log; false when the database refused or is unreachable.
    const auto logRequest = [&](const PendingLog& log) {
        const char* values[kCompleteParams];
        for (int i = 0; i < kCompleteParams; ++i)
            values[i] = log.params[std::size_t(i)] ? log.params[std::size_t(i)]->c_str() : nullptr;
        PgResult result = session.execPrepared("complete", values, kCompleteParams);
        if (!result.ok()) {
            counters.dbErrors.fetch_add(1);
            counters.logRetries.fetch_add(1);
            registry->countDbError();
            warn(u"logging a request with quota.quota_complete failed (it is retried): "_s
                + result.error());
            return false;
        }
        counters.logged.fetch_add(1);
        counters.incidents.fetch_add(std::uint64_t(result.rows()));
        for (int row = 0; row < result.rows(); ++row)
            registry->countIncident(result.text(row, 0), result.text(row, 1));
        return true;
    };

    const auto retryPending = [&](bool force) {
        while (!pending.empty() && (force || Clock::now() >= retryAt)) {
            if (!healthy() || !logRequest(pending.front())) {
                retryAt = Clock::now() + backoff;
                backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
                return;
            }
            pending.pop_front();
            backoff = std::chrono::milliseconds(100);
        }
    };

    while (std::optional<LiveRequest> item = queue->pop()) {
        retryPending(false);
        const LiveRequest& r = *item;
        const std::string ts = std::to_string(wallNowMs());
        std::array<std::optional<std::string>, 12> request { ts, textOrNull(r.requestId),
            textOrNull(r.ip), textOrNull(r.forwardedFor), textOrNull(r.userId), textOrNull(r.plan),
            textOrNull(r.endpoint), textOrNull(r.method), textOrNull(r.userAgent),
            textOrNull(r.country), textOrNull(r.idempotencyKey), textOrNull(r.requestHash) };
        const char* values[12];
        for (std::size_t i = 0; i < request.size(); ++i)
            values[i] = request[i] ? request[i]->c_str() : nullptr;

        bool allowed = true;
        int status = 200;
        std::string reason;
        std::string rule;
        std::string wouldDeny;
        std::string collision;
        int collisionFlags = 0;
        bool failOpen = false;
        const Clock::time_point t0 = Clock::now();
        bool checked = false;
        if (healthy()) {
            PgResult result = session.execPrepared("check", values, 12);
            if (result.ok() && result.rows() == 1) {
                checked = true;
                allowed = result.boolean(0, 0);
                status = int(result.integer(0, 1));
                reason = std::string(result.text(0, 2));
                rule = std::string(result.text(0, 3));
                wouldDeny = std::string(result.text(0, 8));
                collision = std::string(result.text(0, 9));
                collisionFlags = int(result.integer(0, 10));
            } else if (!result.ok()) {
                // Timeouts are the expected failure during a db_hiccup; report others once.
                if (result.sqlState() != u"57014"_s)
                    warn(u"quota.quota_check failed (decided by fail_mode): "_s + result.error());
            }
        }
        const double checkMs = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        if (!checked) {
            counters.dbErrors.fetch_add(1);
            registry->countDbError();
            failOpen = true;
            if (policy.failMode == ef::FailMode::Open) {
                allowed = true;
                status = 200;
                reason = "fail_open";
            } else {
                allowed = false;
                status = 503;
                reason = "fail_closed";
            }
            counters.failOpen.fetch_add(1);
        }

        // "Handling": an allowed request takes the generator's response time and tokens and
        // costs what the policy's cost model says; a denied one is answered at once.
        const ef::MicroUsd cost
            = allowed ? modelCost(policy, r.endpoint, r.model, r.tokens, r.responseMs) : 0;
        PendingLog log;
        for (std::size_t i = 0; i < request.size(); ++i)
            log.params[i] = request[i];
        log.params[12] = allowed ? "t" : "f";
        log.params[13] = std::to_string(status);
        log.params[14] = reason;
        log.params[15] = textOrNull(rule);
        log.params[16] = allowed ? std::optional<std::string>(microUsdText(cost)) : std::nullopt;
        log.params[17] = allowed && r.tokens > 0
            ? std::optional<std::string>(std::to_string(r.tokens))
            : std::nullopt;
        log.params[18] = textOrNull(r.model);
        log.params[19] = std::to_string(allowed ? r.responseMs : 0);
        log.params[20] = doubleText(checkMs);
        log.params[21] = failOpen ? "t" : "f";
        log.params[22] = std::to_string(collisionFlags);
        log.params[23] = textOrNull(wouldDeny);

        counters.decided.fetch_add(1);
        if (!allowed)
            counters.denied.fetch_add(1);
        RequestOutcome outcome;
        outcome.endpoint = r.endpoint;
        outcome.allowed = allowed;
        outcome.reason = reason;
        outcome.rule = rule;
        outcome.hasIdempotencyKey = !r.idempotencyKey.empty();
        outcome.collisionKind = collision;
        outcome.checkMs = checkMs;
        outcome.costMicroUsd = cost;
        registry->record(outcome);

        if (!pending.empty() || !healthy() || !logRequest(log)) {
            // While the database is away the logs wait, up to a bound; past it the oldest are
            // given up (they stay counted as decided and not logged).
            if (pending.size() >= kMaxPendingLogs) {
                pending.pop_front();
                warn(u"the database has not taken request logs for a while; the oldest waiting "
                     u"ones are dropped"_s);
            }
            pending.push_back(std::move(log));
            retryAt = std::min(retryAt, Clock::now() + backoff);
        }
    }

    // Stopped: everything decided gets logged, if the database lets us within the drain time.
    const Clock::time_point deadline
        = Clock::now() + std::chrono::milliseconds(options.drainTimeoutMs);
    while (!pending.empty() && Clock::now() < deadline) {
        retryPending(true);
        if (!pending.empty())
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

void LoadGenerator::Impl::applyPlanChange(const qc::trace::PlanChange& change)
{
    if (planChangesRefused)
        return;
    if (!control.isHealthy() && !control.reset().isEmpty()) {
        warn(u"plan_change: the database is unreachable; a plan change was skipped"_s);
        return;
    }
    const std::string at = std::to_string(wallNowMs());
    // A user without a subscription first gets the plan it is on, so that the change is
    // recorded as the upgrade or downgrade it is (not as an initial plan).
    PgResult existing = control.execParams(
        "SELECT version FROM quota.subscriptions WHERE user_id = $1", { change.userId });
    if (!existing.ok()) {
        warn(u"plan_change: "_s + existing.error());
        return;
    }
    const char* kSql = "SELECT quota.change_plan($1, $2, $3, NULL, $4, timestamptz 'epoch' + "
                       "$5::bigint * interval '1 millisecond')";
    if (existing.rows() == 0) {
        PgResult initial = control.execParams(kSql,
            { QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString(), change.userId,
                change.fromPlan, std::string("loadgen plan_change scenario: the plan in use"),
                at });
        if (!initial.ok()) {
            if (initial.sqlState() == u"42501"_s) {
                planChangesRefused = true;
                warn(u"plan_change: the database role may not change plans ("_s + initial.error()
                    + u"); grant it quota_admin to play plan changes"_s);
            } else {
                warn(u"plan_change: "_s + initial.error());
            }
            return;
        }
    }
    const std::string reason
        = "loadgen plan_change scenario: " + change.fromPlan + " to " + change.plan + " mid-cycle";
    PgResult result = control.execParams(kSql,
        { QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString(), change.userId,
            change.plan, reason, at });
    if (!result.ok()) {
        if (result.sqlState() == u"42501"_s) {
            planChangesRefused = true;
            warn(u"plan_change: the database role may not change plans ("_s + result.error()
                + u"); grant it quota_admin to play plan changes"_s);
        } else {
            warn(u"plan_change: "_s + result.error());
        }
        return;
    }
    counters.planChanges.fetch_add(1);
}

void LoadGenerator::Impl::beginHiccup()
{
    if (hiccupActive)
        return;
    if (!hiccup.isOpen() || !hiccup.isHealthy()) {
        const QString error = hiccup.connect(options.conninfo, "quotactl loadgen db_hiccup");
        if (!error.isEmpty()) {
            warn(u"db_hiccup: cannot connect: "_s + error);
            return;
        }
    }
    PgResult begin = hiccup.exec("BEGIN");
    PgResult timeout = hiccup.exec("SET LOCAL lock_timeout = '10s'");
    // Checks lock their counter rows (ROW SHARE / ROW EXCLUSIVE): EXCLUSIVE makes them wait
    // while reads (dashboards) go on. The check's statement_timeout then fails them.
    PgResult lock = hiccup.exec("LOCK TABLE quota.rate_counters IN EXCLUSIVE MODE");
    if (!begin.ok() || !lock.ok()) {
        warn(u"db_hiccup: cannot stall the database: "_s
            + (lock.ok() ? begin.error() : lock.error())
            + u" (it needs a role that may lock quota.rate_counters, e.g. the owner)"_s);
        PgResult rollback = hiccup.exec("ROLLBACK");
        return;
    }
    hiccupActive = true;
    counters.hiccups.fetch_add(1);
}

void LoadGenerator::Impl::endHiccup()
{
    if (!hiccupActive)
        return;
    hiccupActive = false;
    PgResult commit = hiccup.exec("COMMIT");
    if (!commit.ok())
        warn(u"db_hiccup: ending it: "_s + commit.error());
}

void LoadGenerator::Impl::runDispatcher()
{
    TrafficOptions traffic;
    traffic.startMs = startWallMs;
    traffic.durationMs = options.durationMs;
    // As fast as possible: the normal stream's nominal rate is the traffic clock.
    traffic.normalRate = options.asFastAsPossible && options.rate <= 0 ? 1000 : options.rate;
    traffic.diurnal = options.diurnal;
    traffic.seed = options.seed;
    traffic.streamSeed = options.seed ^ (std::uint64_t(startWallMs) * 0x9e3779b97f4a7c15ULL);
    traffic.users = options.users;
    traffic.ips = options.ips;
    traffic.scenarios = options.scenarios;

    // db_hiccup windows, in wall time from the start of the run.
    std::vector<std::pair<ef::TimeMs, ef::TimeMs>> hiccups;
    for (const LiveScenario& s : options.scenarios) {
        if (s.kind == LiveScenarioKind::DbHiccup)
            hiccups.push_back(
                { s.offsetMs, s.offsetMs + s.durationMs.value_or(defaultDurationMs(s.kind)) });
    }
    const auto elapsedMs = [&] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - startedAt)
            .count();
    };
    const auto serviceHiccups = [&] {
        const ef::TimeMs now = elapsedMs();
        bool inside = false;
        for (const auto& [from, to] : hiccups)
            inside = inside || (now >= from && now < to);
        if (inside)
            beginHiccup();
        else
            endHiccup();
    };
    // The next moment a hiccup starts or ends, for sleeping no longer than that.
    const auto nextBoundary = [&]() -> Clock::time_point {
        const ef::TimeMs now = elapsedMs();
        ef::TimeMs next = std::numeric_limits<ef::TimeMs>::max() / 4;
        for (const auto& [from, to] : hiccups) {
            if (from > now)
                next = std::min(next, from);
            if (to > now)
                next = std::min(next, to);
        }
        if (options.durationMs)
            next = std::min(next, *options.durationMs);
        return startedAt + std::chrono::milliseconds(next);
    };
    const auto overTime = [&] { return options.durationMs && elapsedMs() >= *options.durationMs; };

    TrafficSource source(traffic);
    TrafficEvent event;
    bool haveEvent = source.next(event);
    const bool paced = !options.asFastAsPossible;
    while (!stop.load() && !overTime()) {
        serviceHiccups();
        if (!haveEvent) {
            // Nothing more to send: wait for the end (duration or stop), hiccups still play.
            if (!options.durationMs && hiccups.empty())
                break;
            if (sleepUntil(std::min(nextBoundary(), Clock::now() + std::chrono::seconds(1))))
                break;
            continue;
        }
        const Clock::time_point due
            = paced ? startedAt + std::chrono::milliseconds(event.at - startWallMs) : Clock::now();
        if (Clock::now() < due) {
            if (sleepUntil(std::min(due, nextBoundary())))
                break;
            continue;
        }
        const long long lag
            = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - due).count();
        counters.lagMs.store(lag);
        if (event.type == TrafficEvent::Type::PlanChange) {
            applyPlanChange(event.planChange);
        } else if (paced && lag > options.maxLagMs) {
            counters.shed.fetch_add(1);
        } else {
            LiveRequest request = std::move(event.request);
            bool pushed = false;
            while (!pushed && !stop.load() && !overTime()) {
                pushed
                    = queue->push(std::move(request), Clock::now() + std::chrono::milliseconds(50));
                if (!pushed) {
                    serviceHiccups();
                    if (paced && Clock::now() - due > std::chrono::milliseconds(options.maxLagMs)) {
                        counters.shed.fetch_add(1);
                        break;
                    }
                }
            }
        }
        haveEvent = source.next(event);
    }
    endHiccup();
    queue->close();
    for (std::thread& worker : workers)
        worker.join();
    endedAt = Clock::now();
    finished.store(true);
    std::function<void()> callback;
    {
        std::lock_guard lock(mutex);
        callback = finishedCallback;
    }
    if (callback)
        callback();
}

LoadGenerator::LoadGenerator(LoadOptions options, MetricsRegistry* registry)
    : d(std::make_unique<Impl>())
{
    d->options = std::move(options);
    d->registry = registry;
}

LoadGenerator::~LoadGenerator()
{
    requestStop();
    if (d->dispatcher.joinable())
        d->dispatcher.join();
}

QString LoadGenerator::start()
{
    Impl& e = *d;
    if (QString error = e.control.connect(e.options.conninfo, "quotactl loadgen"); !error.isEmpty())
        return u"cannot connect to the quota database: "_s + error;
    const ActivePolicy active = readActivePolicy(e.control);
    if (!active.policy)
        return active.error;
    e.policy = *active.policy;
    std::vector<std::string> ruleIds;
    for (const ef::Rule& rule : e.policy.rules) {
        if (rule.mode == ef::Mode::Enforce)
            ruleIds.push_back(rule.id);
    }
    e.registry->declareRules(ruleIds);
    std::vector<std::array<std::string, 2>> patterns;
    for (const ef::AbusePattern& pattern : e.policy.abuse)
        patterns.push_back({ pattern.id, std::string(ef::toString(pattern.action)) });
    e.registry->declarePatterns(patterns);

    const int connections
        = e.options.connections > 0 ? e.options.connections : defaultConnections(e.options);
    e.workerSessions.resize(std::size_t(connections));
    for (int i = 0; i < connections; ++i) {
        const std::string name = "quotactl loadgen worker " + std::to_string(i + 1);
        PgSession& session = e.workerSessions[std::size_t(i)];
        if (QString error = session.connect(e.options.conninfo, name.c_str()); !error.isEmpty())
            return u"cannot open connection "_s + QString::number(i + 1) + u": "_s + error;
        if (QString error = prepareSession(session, e.options.checkTimeoutMs, true);
            !error.isEmpty())
            return error;
    }
    e.queue = std::make_unique<WorkQueue>(std::size_t(connections) * 2);
    e.startedAt = Clock::now();
    e.startWallMs = wallNowMs();
    for (int i = 0; i < connections; ++i)
        e.workers.emplace_back([&e, i] { e.runWorker(std::size_t(i)); });
    e.dispatcher = std::thread([&e] { e.runDispatcher(); });
    return {};
}

void LoadGenerator::requestStop()
{
    {
        std::lock_guard lock(d->mutex);
        d->stop.store(true);
    }
    d->wake.notify_all();
}

bool LoadGenerator::isFinished() const
{
    return d->finished.load();
}

void LoadGenerator::setFinishedCallback(std::function<void()> callback)
{
    std::lock_guard lock(d->mutex);
    d->finishedCallback = std::move(callback);
}

LoadProgress LoadGenerator::progress() const
{
    const Counters& c = d->counters;
    LoadProgress p;
    p.decided = c.decided.load();
    p.logged = c.logged.load();
    p.denied = c.denied.load();
    p.failOpen = c.failOpen.load();
    p.shed = c.shed.load();
    p.dbErrors = c.dbErrors.load();
    p.logRetries = c.logRetries.load();
    p.incidents = c.incidents.load();
    p.planChanges = c.planChanges.load();
    p.hiccups = c.hiccups.load();
    p.lagMs = double(c.lagMs.load());
    const Clock::time_point end = d->finished.load() ? d->endedAt : Clock::now();
    p.seconds = d->startedAt == Clock::time_point {}
        ? 0
        : std::chrono::duration<double>(end - d->startedAt).count();
    return p;
}

LoadSummary LoadGenerator::wait()
{
    if (d->dispatcher.joinable())
        d->dispatcher.join();
    LoadSummary summary;
    summary.progress = progress();
    summary.connections = int(d->workerSessions.size());
    std::lock_guard lock(d->mutex);
    summary.error = d->fatalError;
    summary.warnings = d->warnings;
    return summary;
}

const ef::Policy& LoadGenerator::policy() const
{
    return d->policy;
}

} // namespace qc::live
