#pragma once

#include "enforcement/types.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <string>

namespace qc::live {

/// A history backfill (docs/loadgen.md "Backfill").
struct BackfillOptions {
    std::string conninfo;
    qc::enforcement::TimeMs endMs = 0; // the end of the history (exclusive); 0 = now
    qc::enforcement::TimeMs lengthMs = 30 * qc::enforcement::kDay;
    double requestsPerDay = 100000; // mean normal traffic; the scenarios add theirs
    quint64 seed = 1; // population: the same as the live run's with equal seed/users/ips
    int users = 5000;
    int ips = 20000;
    /// Loader connections (each loads whole days in parallel with generation).
    int connections = 2;
    /// When the range already holds request logs: false = error, true = do nothing.
    bool skipWhenPresent = false;
};

struct BackfillSummary {
    bool skipped = false; // skipWhenPresent and history was there
    qc::enforcement::TimeMs startMs = 0;
    qc::enforcement::TimeMs endMs = 0;
    std::uint64_t requests = 0;
    std::uint64_t denied = 0;
    int days = 0;
    std::uint64_t incidents = 0;
    std::uint64_t blocks = 0;
    std::uint64_t collisions = 0;
    std::uint64_t usageRows = 0;
    std::uint64_t counterRows = 0;
    std::uint64_t ledgerRows = 0;
    std::uint64_t planChanges = 0;
    std::uint64_t users = 0;
    double seconds = 0; // wall time of the whole backfill
    double stagingSeconds = 0; // generating and staging the days
    double commitSeconds = 0; // the transaction that makes them visible
    QString error; // empty on success
    QStringList notes; // what was not carried over for this policy
};

/// Generates history through the C++ enforcement core (qc::enforcement::Engine, the semantics
/// tests/db/tst_conformance proves equal to the SQL functions) and bulk-loads it with COPY:
/// one transaction per UTC day holding its request_logs partition and both rollups (so rollups
/// agree with the raw logs at every moment), its abuse incidents, auto blocks and idempotency
/// collisions. Then the engine's end state where live traffic reads it: subscriptions and plan
/// changes, quota usage per cycle, fixed-window rate counters, the idempotency ledger.
class Backfill {
public:
    explicit Backfill(BackfillOptions options);

    /// `progress(daysLoaded, totalDays)` is called from the calling thread; `cancel` (may be
    /// null) stops between days: the days loaded stay, complete, and the end state is not
    /// written.
    BackfillSummary run(const std::function<void(int, int)>& progress = {},
        const std::atomic<bool>* cancel = nullptr);

private:
    BackfillOptions m_options;
};

} // namespace qc::live
