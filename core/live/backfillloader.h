#pragma once

// Staging a backfill's days in the quota database: each UTC day's request log becomes a table
// of its own, filled with COPY and indexed in bulk, and its rollup rows go to unlogged staging
// tables; backfillcommit.h then makes everything visible in one transaction.

#include "enforcement/types.h"
#include "pgsession.h"

#include <QString>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace qc::live {

/// Names of the staging tables (schema quota); leftovers of an interrupted run start with
/// kStagePrefix and are dropped by the next backfill.
inline constexpr const char* kStagePrefix = "backfill_stage_";
inline constexpr const char* kStageMinute = "quota.backfill_stage_rollup_minute";
inline constexpr const char* kStageIdentifier = "quota.backfill_stage_rollup_identifier_hour";
/// "backfill_stage_p20260105": the staged request log of a day.
std::string stagedDayTable(qc::enforcement::TimeMs dayStart);

/// One UTC day of history, as binary COPY data.
struct DayBatch {
    qc::enforcement::TimeMs dayStart = 0;
    std::string logs; // request_logs
    std::string minute; // rollup_minute
    std::string identifier; // rollup_identifier_hour
    std::uint64_t requests = 0;
};

/// A bounded queue of days from the generating thread to the loaders.
class DayQueue {
public:
    explicit DayQueue(std::size_t capacity);
    /// Waits for room; false when the queue was closed meanwhile.
    bool push(std::unique_ptr<DayBatch> batch);
    /// Waits for a day; null when the queue is closed and empty.
    std::unique_ptr<DayBatch> pop();
    void close();
    /// Ends the queue and drops what is waiting (after a loader failed).
    void abort();
    /// A loaded day handed back so that its buffers (tens of MB) serve a later day, which saves
    /// the page faults of fresh memory; takeRecycled() returns one or null.
    void recycle(std::unique_ptr<DayBatch> batch);
    std::unique_ptr<DayBatch> takeRecycled();

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<std::unique_ptr<DayBatch>> m_items;
    std::vector<std::unique_ptr<DayBatch>> m_recycled;
    std::size_t m_capacity;
    bool m_closed = false;
};

/// Stages whole days on its own connection, each in one committed transaction.
class DayLoader {
public:
    /// `indexes`: the parent's index definitions after USING ("btree (ts)").
    explicit DayLoader(std::vector<std::string> indexes);
    QString open(const std::string& conninfo, int index);
    /// Returns the error (the day's transaction is rolled back).
    QString stage(const DayBatch& batch);

private:
    QString exec(const std::string& sql);
    QString stageInTransaction(const DayBatch& batch);

    std::vector<std::string> m_indexes;
    PgSession m_session;
};

} // namespace qc::live
