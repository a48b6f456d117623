#pragma once

// The rows a backfill loads with COPY, and the rollups it computes on the way, exactly as
// quota.log_requests would have computed them from the same rows (docs/database.md).

#include "enforcement/types.h"
#include "metricsregistry.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace qc::live {

/// "2026-01-05 14:05:00.123+00": a timestamptz literal that does not depend on the session.
void appendTimestamp(std::string& out, qc::enforcement::TimeMs ms);
std::string timestampText(qc::enforcement::TimeMs ms);
/// "20260105": the day of `ms` (UTC) as request_logs partitions name it.
std::string dayName(qc::enforcement::TimeMs ms);
/// Micro-dollars as an exact decimal ("0.001234").
void appendMicroUsd(std::string& out, qc::enforcement::MicroUsd micro);
void appendInteger(std::string& out, long long value);

/// Writes PostgreSQL's binary COPY format (the header on construction, the trailer on
/// finish()): no text to parse on the server, which is most of a text COPY's cost.
class CopyWriter {
public:
    explicit CopyWriter(std::string& out);
    void beginRow(int fields);
    void null();
    void text(std::string_view value);
    /// Empty = NULL.
    void textOrNull(std::string_view value);
    void int2(std::int16_t value);
    void int4(std::int32_t value);
    void int8(std::int64_t value);
    void float8(double value);
    void boolean(bool value);
    void timestamptz(qc::enforcement::TimeMs ms);
    /// A numeric with scale 6 holding micro-dollars exactly.
    void numericMicro(qc::enforcement::MicroUsd micro);
    void int8Array(const std::int64_t* values, int count);
    void finish();
    std::size_t rows() const { return m_rows; }

private:
    void put16(std::uint16_t v);
    void put32(std::uint32_t v);
    void put64(std::uint64_t v);

    std::string& m_out;
    std::size_t m_rows = 0;
};

/// One request_logs row (the columns of kRequestLogColumns, in that order). Views must stay
/// valid as long as the DayRollups they are added to.
struct LogRow {
    qc::enforcement::TimeMs ts = 0;
    std::string_view requestId;
    std::string_view endpoint;
    std::string_view method;
    std::string_view userId; // empty = NULL
    std::string_view plan; // empty = NULL (anonymous)
    std::string_view ip;
    std::string_view forwardedFor;
    std::string_view userAgent;
    std::string_view country;
    std::string_view idempotencyKey;
    std::string_view requestHash;
    double quotaCheckMs = 0;
    std::int64_t responseMs = 0;
    int status = 200;
    bool allowed = true;
    std::string_view reason;
    std::string_view rule;
    qc::enforcement::MicroUsd costMicroUsd = 0;
    std::int64_t tokens = 0; // 0 = NULL
    std::string_view model;
    bool failOpen = false;
    int collision = 0;
    std::string_view wouldDeny;
};

inline constexpr const char* kRequestLogColumns
    = "ts, request_id, endpoint, method, user_id, plan, ip, forwarded_for, user_agent, country, "
      "idempotency_key, request_hash, quota_check_ms, response_ms, status, decision, reason, "
      "rule, cost_usd, tokens, model, fail_open, collision, would_deny";

void writeLogRow(CopyWriter& out, const LogRow& row);

/// Small integer keys of a row's rollup groups (ids of the texts in some dictionary; the
/// caller guarantees equal ids for equal texts): endpoint, plan (0 = anonymous), reason code,
/// socket address (0 = none) and user (0 = anonymous).
struct RollupKeys {
    std::uint32_t endpoint = 0;
    std::uint32_t plan = 0;
    std::uint32_t reason = 0;
    std::uint32_t ip = 0;
    std::uint32_t user = 0;
};

/// rollup_minute and rollup_identifier_hour of one UTC day, added up row by row as
/// quota.log_requests does. Rows must come in time order: a minute's (an hour's) groups are
/// written out as soon as the next minute (hour) begins, so only the current ones are held.
class DayRollups {
public:
    explicit DayRollups(qc::enforcement::TimeMs dayStart);
    void add(const LogRow& row, const RollupKeys& keys);
    /// Writes out what is held; the data below is complete afterwards.
    void finish();
    /// Binary COPY data of rollup_minute (columns of kRollupMinuteColumns), by minute.
    std::string& minuteRows() { return m_minuteData; }
    /// Binary COPY data of rollup_identifier_hour (kRollupIdentifierColumns), by hour, then
    /// kind and identifier.
    std::string& identifierRows() { return m_identifierData; }
    std::size_t minuteCount() const { return m_minuteWriter.rows(); }
    std::size_t identifierCount() const { return m_identifierWriter.rows(); }

private:
    struct MinuteValues {
        std::uint64_t key = 0;
        std::string_view endpoint;
        std::string_view plan;
        std::string_view reason;
        bool allowed = true;
        std::int64_t requests = 0;
        std::array<std::int64_t, kCheckBucketCount> buckets {};
        std::int64_t latencyCount = 0;
        double latencySumMs = 0;
        std::int64_t responseMsSum = 0;
        qc::enforcement::MicroUsd cost = 0;
        std::int64_t tokens = 0;
        std::int64_t collisions = 0;
        std::int64_t failOpen = 0;
    };
    struct IdentifierValues {
        std::uint64_t key = 0; // kind << 32 | id
        std::string_view identifier;
        std::int64_t requests = 0;
        std::int64_t denials = 0;
        qc::enforcement::MicroUsd cost = 0;
    };

    void flushMinute();
    void flushHour();

    qc::enforcement::TimeMs m_dayStart;
    std::string m_minuteData;
    std::string m_identifierData;
    CopyWriter m_minuteWriter;
    CopyWriter m_identifierWriter;
    std::int64_t m_minute = -1;
    std::vector<MinuteValues> m_minuteGroups; // a minute has few groups: searched linearly
    std::int64_t m_hour = -1;
    // The hour's identifiers: open addressing over m_identifiers (slot = index + 1, 0 = free),
    // cleared each hour without freeing anything.
    std::vector<IdentifierValues> m_identifiers;
    std::vector<std::uint32_t> m_identifierSlots;
};

inline constexpr const char* kRollupMinuteColumns
    = "bucket, endpoint, plan, decision, reason, requests, latency_buckets, latency_count, "
      "latency_sum_ms, response_ms_sum, cost_usd, tokens, collisions, fail_open";
inline constexpr const char* kRollupIdentifierColumns
    = "bucket, kind, identifier, requests, denials, cost_usd";

} // namespace qc::live
