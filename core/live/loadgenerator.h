#pragma once

#include "enforcement/policy.h"
#include "livescenario.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace qc::live {

class MetricsRegistry;

/// How `quotactl loadgen` plays the middleware (docs/loadgen.md).
struct LoadOptions {
    std::string conninfo; // libpq connection string; empty = environment
    /// Mean requests per second of normal traffic. With asFastAsPossible it only sets the mix
    /// (and the traffic clock scenarios are placed on).
    double rate = 50;
    bool asFastAsPossible = false;
    std::optional<qc::enforcement::TimeMs> durationMs; // nullopt = until stopped
    int connections = 0; // libpq connections, one worker thread each; 0 = from the rate
    QList<LiveScenario> scenarios;
    quint64 seed = 1; // population (users, plans, addresses): the backfill's when equal
    int users = 5000;
    int ips = 20000;
    bool diurnal = true;
    /// statement_timeout of the workers' connections: a quota check that takes longer fails
    /// and the request is decided by fail_mode, as a service with a query timeout does.
    qc::enforcement::TimeMs checkTimeoutMs = 500;
    /// A request more than this late (workers busy, database stalled) is dropped unsent, as
    /// a client that gave up; counted as shed.
    qc::enforcement::TimeMs maxLagMs = 2000;
    /// After a stop, how long workers keep retrying to log requests whose log failed.
    qc::enforcement::TimeMs drainTimeoutMs = 10000;
};

/// Counters of a run so far. `decided` = requests that got a decision (from the database or by
/// fail_mode); `logged` = those written by quota_complete. After a clean stop they are equal.
struct LoadProgress {
    std::uint64_t decided = 0;
    std::uint64_t logged = 0;
    std::uint64_t denied = 0;
    std::uint64_t failOpen = 0; // decided by fail_mode after a failed check
    std::uint64_t shed = 0;
    std::uint64_t dbErrors = 0; // failed checks (failOpen) + failed log calls (logRetries)
    std::uint64_t logRetries = 0; // log calls that failed and were retried
    std::uint64_t incidents = 0;
    std::uint64_t planChanges = 0;
    std::uint64_t hiccups = 0;
    double seconds = 0;
    double lagMs = 0; // how far behind schedule the dispatcher is
};

struct LoadSummary {
    LoadProgress progress;
    int connections = 0;
    QString error; // a fatal error that ended the run early (empty when it ran its course)
    QStringList warnings; // problems it worked around (e.g. plan changes not permitted)
    std::uint64_t unlogged() const { return progress.decided - progress.logged; }
};

/// The live load generator: a dispatcher thread turns the traffic (core/trace Generator
/// streams via TrafficSource) into requests at their times and hands them to worker threads,
/// each with its own libpq connection, that call quota.quota_check, "handle" the request
/// (response time and tokens from the generator, cost from the policy's cost model), log it
/// with quota.quota_complete and record the metrics. Plan changes go through the audited
/// quota.change_plan; a db_hiccup holds an EXCLUSIVE lock on quota.rate_counters so that
/// checks time out and the workers apply fail_mode.
class LoadGenerator {
public:
    /// `registry` must outlive the generator.
    LoadGenerator(LoadOptions options, MetricsRegistry* registry);
    ~LoadGenerator(); // stops and joins
    LoadGenerator(const LoadGenerator&) = delete;
    LoadGenerator& operator=(const LoadGenerator&) = delete;

    /// Connects, reads the active policy, starts the threads. Returns the error, empty when
    /// running.
    QString start();
    /// Asks the run to end: no new requests; the ones being handled finish and are logged.
    /// Thread-safe; may be called any number of times.
    void requestStop();
    bool isFinished() const;
    /// Called once, from the dispatcher thread, when the run has ended (all threads done).
    void setFinishedCallback(std::function<void()> callback);
    /// Waits for the end of the run.
    LoadSummary wait();
    LoadProgress progress() const;
    /// The active policy read by start().
    const qc::enforcement::Policy& policy() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

/// Connections for a rate when none are given: about one per 100 requests per second, 4 to 32.
int defaultConnections(const LoadOptions& options);

} // namespace qc::live
