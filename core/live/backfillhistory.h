#pragma once

// The rows and the end state of a backfill, from the engine's decisions.

#include "backfillcommit.h"
#include "backfillloader.h"
#include "backfillrows.h"
#include "enforcement/engine.h"

#include <array>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace qc::live {

/// Turns the decisions of one Engine, request by request in time order, into the rows of each
/// UTC day (request logs, rollups), the incidents and idempotency collisions, and keeps what the
/// end state needs: quota usage per cycle, the requests of the last fixed window (for the rate
/// counters) and the live idempotency ledger. The dictionary must be the engine's.
class History {
public:
    History(const qc::enforcement::Policy& policy, qc::enforcement::Dictionary& dictionary,
        qc::enforcement::TimeMs endMs, quint64 seed);
    ~History();

    bool hasBatch() const { return m_batch != nullptr; }
    /// `reuse` (may be null): a loaded day whose buffers are reused.
    void startDay(qc::enforcement::TimeMs dayStart, std::size_t expectedRows,
        std::unique_ptr<DayBatch> reuse = {});
    /// The day so far, with its rollups, ready to load.
    std::unique_ptr<DayBatch> takeBatch();

    void add(const qc::enforcement::EncodedRequest& request,
        const qc::enforcement::Decision& decision, qc::enforcement::Engine& engine);

    std::uint64_t requests() const { return m_requests; }
    std::uint64_t denied() const { return m_denied; }
    std::uint64_t collisions() const { return m_collisionCount; }
    /// Rows of each rollup in the batches taken so far.
    std::uint64_t minuteRows() const { return m_minuteRows; }
    std::uint64_t identifierRows() const { return m_identifierRows; }
    /// Every incident so far, and the text COPY of every collision (they are few).
    std::vector<IncidentRow>& incidents() { return m_incidents; }
    std::string& collisionRows() { return m_collisions; }

    /// Text COPY rows of quota_usage (user_id, metric, cycle_start, used, updated_at).
    std::string usageRows(std::uint64_t* count) const;
    /// Text COPY rows of rate_counters for the fixed windows that contain the end.
    std::string counterRows(const qc::enforcement::Engine& engine, std::uint64_t* count) const;
    /// Text COPY rows of idempotency_ledger for the entries still live at the end.
    std::string ledgerRows(std::uint64_t* count) const;

private:
    struct LedgerEntry {
        std::uint32_t scope = 0; // index into m_scopes
        std::uint32_t key = 0;
        qc::enforcement::TimeMs firstSeen = 0;
        std::array<char, 20> requestId {};
        std::uint32_t requestHash = 0;
        std::uint32_t userAgent = 0;
        std::uint32_t endpoint = 0;
        int collisions = 0;
        std::int64_t limit = -1;
        std::int64_t remaining = -1;
        qc::enforcement::TimeMs resetAt = 0;
    };
    struct Usage {
        qc::enforcement::TimeMs cycleStart = 0;
        qc::enforcement::TimeMs cycleEnd = std::numeric_limits<qc::enforcement::TimeMs>::min();
        std::int64_t used = 0;
        qc::enforcement::TimeMs last = 0;
    };
    struct PastUsage {
        std::uint32_t user = 0;
        int metric = 0;
        Usage usage;
    };
    struct ShapeHash {
        std::size_t operator()(const std::array<std::uint32_t, 6>& a) const;
    };

    std::string_view nextRequestId();
    double simulatedCheckMs();
    // The plan quota_complete logs for an authenticated request and its rollup key (1 + the
    // plan's index in the policy).
    std::pair<std::string_view, std::uint32_t> loggedPlan(std::uint32_t planId);
    int metricIndexOf(std::uint32_t endpointId);
    std::uint32_t clientKeyIdOf(const qc::enforcement::EncodedRequest& r);
    void trackIdempotency(const qc::enforcement::EncodedRequest& r,
        const qc::enforcement::Request& text, const qc::enforcement::Decision& d);
    void appendCollision(const qc::enforcement::EncodedRequest& r,
        const qc::enforcement::Request& text, const qc::enforcement::Decision& d,
        const LedgerEntry& e);

    const qc::enforcement::Policy& m_policy;
    qc::enforcement::Dictionary& m_dict;
    qc::enforcement::TimeMs m_endMs;
    std::uint64_t m_idSeed;
    std::uint64_t m_sequence = 0;
    std::array<char, 20> m_requestId {};
    std::uint64_t m_latencyState;
    qc::enforcement::TimeMs m_maxFixedWindow = 0;
    std::unique_ptr<DayBatch> m_batch;
    std::unique_ptr<DayRollups> m_rollups;
    std::unique_ptr<CopyWriter> m_logWriter;
    std::uint64_t m_requests = 0;
    std::uint64_t m_denied = 0;
    std::vector<IncidentRow> m_incidents;
    std::string m_collisions;
    std::uint64_t m_collisionCount = 0;
    std::vector<std::optional<std::pair<std::string_view, std::uint32_t>>> m_planOf;
    std::vector<int> m_metricOfEndpoint;
    std::vector<std::string> m_metricNames;
    // Client keys ("203.0.113.7", "2001:db8:1:2::/64") by (ip, forwarded-for) ids, and the
    // idempotency scopes ("user:<id>", "ip:<client key>") by id.
    std::unordered_map<std::uint64_t, std::uint32_t> m_clientKeyOf;
    std::vector<std::string> m_clientKeys;
    std::unordered_map<std::string, std::uint32_t> m_clientKeyIds;
    std::unordered_map<std::uint64_t, std::uint32_t> m_scopeOf;
    std::vector<std::string> m_scopes;
    std::vector<Usage> m_usage; // by user id × metric: the current cycle
    std::vector<PastUsage> m_pastUsage; // finished cycles
    std::vector<double> m_latencyTable;
    std::uint64_t m_minuteRows = 0;
    std::uint64_t m_identifierRows = 0;
    std::unordered_set<std::array<std::uint32_t, 6>, ShapeHash> m_shapes;
    std::unordered_map<std::uint64_t, LedgerEntry> m_ledger; // scope << 32 | key
    std::deque<std::pair<qc::enforcement::TimeMs, std::uint64_t>> m_expiry;
};

} // namespace qc::live
