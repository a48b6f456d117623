#include "backfill.h"

#include "activepolicy.h"
#include "backfillcommit.h"
#include "backfillhistory.h"
#include "backfillloader.h"
#include "backfillrows.h"
#include "enforcement/civildate.h"
#include "enforcement/engine.h"
#include "pgsession.h"
#include "trace/generator.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <numbers>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

using namespace Qt::StringLiterals;
namespace ef = qc::enforcement;

namespace qc::live {

namespace {

using Clock = std::chrono::steady_clock;

std::uint64_t mix64(std::uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// What the history contains besides normal traffic: each scenario on some of the days, at
// hours of the day picked from the seed, so that every kind shows up in a history of any length.
QList<qc::trace::Scenario> historyScenarios(
    quint64 seed, ef::TimeMs lengthMs, double normalRatePerSecond)
{
    using qc::trace::Scenario;
    using qc::trace::ScenarioKind;
    QList<Scenario> out;
    out.append(Scenario { ScenarioKind::Normal, 0, std::nullopt, normalRatePerSecond });
    const int days = int(std::max<ef::TimeMs>(1, (lengthMs + ef::kDay - 1) / ef::kDay));
    struct Plan {
        ScenarioKind kind;
        int period; // every `period` days
        int phase;
        ef::TimeMs duration;
        double rate;
    };
    const Plan plans[] = {
        { ScenarioKind::BotBurst, 4, 1, 10 * ef::kMinute, 40 },
        { ScenarioKind::BuggyClient, 5, 2, 30 * ef::kMinute, 0.5 },
        { ScenarioKind::CostSpike, 6, 3, 20 * ef::kMinute, 0.5 },
    };
    std::uint64_t state = mix64(seed ^ 0x4157a11ULL);
    for (const Plan& plan : plans) {
        std::vector<int> chosen;
        for (int d = 0; d < days; ++d) {
            if (d % plan.period == plan.phase % plan.period)
                chosen.push_back(d);
        }
        if (chosen.empty())
            chosen.push_back(days / 2);
        for (const int d : chosen) {
            state = mix64(state);
            // Between 08:00 and 20:00 after the start of that day of the history.
            ef::TimeMs offset = ef::TimeMs(d) * ef::kDay + 8 * ef::kHour
                + ef::TimeMs(state % std::uint64_t(12 * ef::kHour));
            offset = std::min(offset, std::max<ef::TimeMs>(0, lengthMs - plan.duration));
            out.append(Scenario { plan.kind, offset, plan.duration, plan.rate });
        }
    }
    // Upgrades and downgrades mid-cycle, in windows of a week (each picks its own users).
    const ef::TimeMs window = std::min<ef::TimeMs>(7 * ef::kDay, lengthMs);
    for (ef::TimeMs from = 0; from + window <= lengthMs; from += window)
        out.append(Scenario { ScenarioKind::PlanChange, from, window, 0.02 });
    return out;
}

} // namespace

Backfill::Backfill(BackfillOptions options)
    : m_options(std::move(options))
{
}

BackfillSummary Backfill::run(
    const std::function<void(int, int)>& progress, const std::atomic<bool>* cancel)
{
    const Clock::time_point began = Clock::now();
    BackfillSummary summary;
    const auto finish = [&](QString error) {
        summary.error = std::move(error);
        summary.seconds = std::chrono::duration<double>(Clock::now() - began).count();
        return summary;
    };

    PgSession main;
    if (QString error = main.connect(m_options.conninfo, "quotactl loadgen backfill");
        !error.isEmpty())
        return finish(u"cannot connect to the quota database: "_s + error);
    const ActivePolicy active = readActivePolicy(main);
    if (!active.policy)
        return finish(active.error);
    const ef::Policy& policy = *active.policy;
    if (m_options.lengthMs <= 0)
        return finish(u"the backfill length must be positive"_s);
    const ef::TimeMs endMs = m_options.endMs > 0
        ? m_options.endMs
        : std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now().time_since_epoch())
              .count();
    const ef::TimeMs startMs = endMs - m_options.lengthMs;
    summary.startMs = startMs;
    summary.endMs = endMs;

    // One backfill at a time per database (they share the staging tables).
    PgResult locked = main.exec("SELECT pg_try_advisory_lock(1903326010)");
    if (!locked.ok())
        return finish(locked.error());
    if (!locked.boolean(0, 0))
        return finish(u"another backfill is running on this database"_s);
    // Released explicitly before the connection closes: a closed connection's backend may
    // still hold the lock for a moment while it exits, and a backfill that follows at once
    // (the next demo start, the next test) would find it taken.
    struct Unlock {
        PgSession& session;
        ~Unlock()
        {
            if (session.inTransaction())
                session.exec("ROLLBACK");
            session.exec("SELECT pg_advisory_unlock(1903326010)");
        }
    } const unlock { main };

    PgResult present = main.execParams(
        "SELECT count(*) FROM (SELECT 1 FROM quota.request_logs WHERE ts >= $1::timestamptz AND "
        "ts < $2::timestamptz LIMIT 1) x",
        { timestampText(startMs), timestampText(endMs) });
    if (!present.ok())
        return finish(u"checking for history: "_s + present.error());
    if (present.integer(0, 0) > 0) {
        if (m_options.skipWhenPresent) {
            summary.skipped = true;
            return finish({});
        }
        return finish(u"the database already has request logs between "_s
            + QString::fromStdString(timestampText(startMs)) + u" and "_s
            + QString::fromStdString(timestampText(endMs))
            + u"; a backfill writes history only where there is none (use a fresh database, or "
              u"--backfill-once to skip the backfill when history is there)"_s);
    }

    for (const ef::Rule& rule : policy.rules) {
        if (rule.algorithm != ef::Algorithm::FixedWindow) {
            summary.notes.append(u"sliding-window and token-bucket counters are not carried "
                                 u"over: those rules start empty for live traffic"_s);
            break;
        }
    }
    summary.notes.append(u"abuse-pattern windows (quota.abuse_events, abuse_state) are not "
                         u"carried over: patterns start armed and empty for live traffic"_s);

    PgResult indexes
        = main.exec("SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = "
                    "'quota.request_logs'::regclass ORDER BY indexrelid");
    if (!indexes.ok())
        return finish(u"reading the request log indexes: "_s + indexes.error());
    std::vector<std::string> indexDefs;
    for (int i = 0; i < indexes.rows(); ++i) {
        const std::string def(indexes.text(i, 0));
        const std::size_t using_ = def.find(" USING ");
        if (using_ != std::string::npos)
            indexDefs.push_back(def.substr(using_ + 7));
    }
    if (QString e = prepareStaging(main); !e.isEmpty())
        return finish(u"creating the staging tables: "_s + e);
    const auto abandon = [&](QString error) {
        dropStaging(main);
        return finish(std::move(error));
    };

    auto dictionary = std::make_shared<ef::Dictionary>();
    qc::trace::GeneratorOptions g;
    g.startMs = startMs;
    g.durationMs = m_options.lengthMs;
    g.seed = m_options.seed;
    g.users = m_options.users;
    g.ips = m_options.ips;
    g.requestsPerSecond = m_options.requestsPerDay / 86400.0;
    g.requestIds = false;
    g.streamSeed = mix64(m_options.seed ^ 0xbacf111ULL);
    g.scenarios = historyScenarios(m_options.seed, m_options.lengthMs, g.requestsPerSecond);
    qc::trace::Generator generator(g, dictionary);
    ef::Engine engine(policy, dictionary);

    // Loaders stage whole days while the next ones are generated.
    const int loaderCount = std::max(1, m_options.connections);
    std::vector<std::unique_ptr<DayLoader>> loaders;
    for (int i = 0; i < loaderCount; ++i) {
        loaders.push_back(std::make_unique<DayLoader>(indexDefs));
        if (QString e = loaders.back()->open(m_options.conninfo, i + 1); !e.isEmpty())
            return abandon(u"cannot open a loader connection: "_s + e);
    }
    const int totalDays
        = int(ef::floorDiv(endMs - 1, ef::kDay) - ef::floorDiv(startMs, ef::kDay) + 1);
    DayQueue queue { 1 }; // days are tens of MB: one waits while the loaders load theirs
    std::mutex resultMutex;
    QString loadError;
    int daysStaged = 0;
    std::vector<ef::TimeMs> days;
    std::vector<std::thread> threads;
    for (auto& loader : loaders) {
        threads.emplace_back([&, l = loader.get()] {
            while (std::unique_ptr<DayBatch> batch = queue.pop()) {
                const QString error = l->stage(*batch);
                std::lock_guard lock(resultMutex);
                if (!error.isEmpty()) {
                    if (loadError.isEmpty())
                        loadError = error;
                    queue.abort();
                    return;
                }
                ++daysStaged;
                days.push_back(batch->dayStart);
                queue.recycle(std::move(batch));
            }
        });
    }
    const auto reportProgress = [&] {
        if (!progress)
            return;
        int done = 0;
        {
            std::lock_guard lock(resultMutex);
            done = daysStaged;
        }
        progress(done, totalDays);
    };

    const Clock::time_point stagingStarted = Clock::now();
    History history(policy, *dictionary, endMs, m_options.seed);
    const double perDay = m_options.requestsPerDay * 1.15;
    ef::EncodedRequest request;
    std::int64_t currentDay = std::numeric_limits<std::int64_t>::min();
    bool cancelled = false;
    std::uint64_t n = 0;
    while (generator.next(request)) {
        if ((++n & 4095) == 0) {
            if (cancel && cancel->load()) {
                cancelled = true;
                break;
            }
            std::lock_guard lock(resultMutex);
            if (!loadError.isEmpty())
                break;
        }
        const std::int64_t day = ef::floorDiv(request.ts, ef::kDay);
        if (day != currentDay) {
            if (history.hasBatch()) {
                if (!queue.push(history.takeBatch()))
                    break;
                reportProgress();
            }
            currentDay = day;
            history.startDay(day * ef::kDay, std::size_t(perDay), queue.takeRecycled());
        }
        history.add(request, engine.decide(request), engine);
    }
    // A stop asked for after the last check still counts: nothing is committed.
    cancelled = cancelled || (cancel && cancel->load());
    if (!cancelled && history.hasBatch())
        queue.push(history.takeBatch());
    queue.close();
    for (std::thread& t : threads)
        t.join();
    reportProgress();
    summary.stagingSeconds = std::chrono::duration<double>(Clock::now() - stagingStarted).count();
    summary.requests = history.requests();
    summary.denied = history.denied();
    if (!loadError.isEmpty())
        return abandon(loadError);
    if (cancelled || (cancel && cancel->load()))
        return abandon(u"the backfill was interrupted; nothing of it was kept"_s);

    CommitInput input;
    std::sort(days.begin(), days.end());
    input.days = days;
    input.minuteRows = history.minuteRows();
    input.identifierRows = history.identifierRows();
    input.users = generator.users();
    input.startMs = startMs;
    input.incidents = std::move(history.incidents());
    input.collisions = std::move(history.collisionRows());
    for (const qc::trace::PlanChange& change : generator.planChanges()) {
        if (change.ts >= startMs && change.ts < endMs)
            input.planChanges.push_back(change);
    }
    input.usage = history.usageRows(&summary.usageRows);
    input.counters = history.counterRows(engine, &summary.counterRows);
    input.ledger = history.ledgerRows(&summary.ledgerRows);
    const Clock::time_point commitStarted = Clock::now();
    const CommitResult committed = commitBackfill(main, policy, active.versionId, input);
    summary.commitSeconds = std::chrono::duration<double>(Clock::now() - commitStarted).count();
    if (!committed.error.isEmpty())
        return abandon(committed.error);
    summary.days = int(days.size());
    summary.users = input.users.size();
    summary.incidents = input.incidents.size();
    summary.blocks = committed.blocks;
    summary.collisions = history.collisions();
    summary.planChanges = committed.planChanges;
    return finish({});
}

} // namespace qc::live
