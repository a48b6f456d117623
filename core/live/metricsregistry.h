#pragma once

#include "enforcement/types.h"
#include "metrics/expositionparser.h"

#include <QByteArray>

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace qc::live {

/// Upper bounds in milliseconds of `quota_check_duration_seconds` (exposed in seconds): the
/// bounds of the database's latency histogram (`quota.latency_bucket_bounds()`), so that the
/// metric and the minute rollups agree bucket for bucket. The last bucket is +Inf.
inline constexpr std::array<double, 12> kCheckBoundsMs
    = { 1, 2.5, 5, 10, 25, 50, 100, 150, 250, 300, 500, 1000 };
inline constexpr int kCheckBucketCount = int(kCheckBoundsMs.size()) + 1;

/// The bucket of a duration: the first bound it does not exceed (a value equal to a bound
/// counts in that bucket, as in the database and as Prometheus' `le` says); the last = +Inf.
int checkBucketOf(double milliseconds);

/// What the middleware knows about one request once it is decided, for the metrics.
struct RequestOutcome {
    std::string_view endpoint;
    bool allowed = true;
    std::string_view reason; // docs/enforcement.md reason code, or fail_open
    std::string_view rule; // the denying rule of a rate_limited decision
    bool hasIdempotencyKey = false;
    std::string_view collisionKind; // "parameters", "late", "user_agent"; empty = none
    double checkMs = 0; // how long the quota check took (until its error, when it failed)
    qc::enforcement::MicroUsd costMicroUsd = 0; // of an allowed request
};

/// The values of every metric at one moment. Counters only grow.
struct MetricsSnapshot {
    std::array<std::uint64_t, kCheckBucketCount> checkBuckets {}; // not cumulative
    double checkSumSeconds = 0;
    std::uint64_t checkCount = 0;
    /// (decision, reason, endpoint) → requests.
    std::map<std::array<std::string, 3>, std::uint64_t> decisions;
    std::uint64_t idempotencyRequests = 0;
    std::map<std::string, std::uint64_t> collisions; // kind → collisions
    std::map<std::string, std::uint64_t> rateLimitHits; // rule → denials
    std::uint64_t dbErrors = 0;
    std::map<std::string, qc::enforcement::MicroUsd> costMicroUsd; // endpoint → µUSD
    /// (pattern, action) → abuse incidents raised.
    std::map<std::array<std::string, 2>, std::uint64_t> incidents;
};

/// The metrics of DESIGN §3 with exactly those names, as the quota middleware exposes them:
///
///   quota_check_duration_seconds                       histogram of the quota check's duration
///   quota_decisions_total{decision,reason,endpoint}    every decided request
///   quota_idempotency_requests_total                   requests that carried an idempotency key
///   quota_idempotency_collisions_total{kind}           key reused with another body
///   quota_rate_limit_hits_total{rule}                  rate_limited denials by denying rule
///   quota_db_errors_total                              failed calls to the quota database
///   quota_cost_usd_total{endpoint}                     cost of allowed requests
///   quota_abuse_incidents_total{pattern,action}        abuse incidents raised (docs/alerting.md)
///
/// Thread-safe: any number of workers record while the exposition server renders.
class MetricsRegistry {
public:
    MetricsRegistry();

    /// Creates the series that should read 0 before the first event (rate-limit rules of the
    /// policy, the three collision kinds), so that Prometheus sees every increase.
    void declareRules(const std::vector<std::string>& ruleIds);
    /// Likewise for the abuse patterns: (pattern id, action) pairs.
    void declarePatterns(const std::vector<std::array<std::string, 2>>& patterns);

    void record(const RequestOutcome& outcome);
    void countDbError(std::uint64_t count = 1);
    void countIncident(std::string_view pattern, std::string_view action);

    MetricsSnapshot snapshot() const;
    /// The page in text format 0.0.4 or OpenMetrics 1.0 (ending in `# EOF`).
    QByteArray render(qc::metrics::ExpositionFormat format) const;
    /// Renders a snapshot (for tests and for renderings of stored values).
    static QByteArray render(const MetricsSnapshot& snapshot, qc::metrics::ExpositionFormat format);

private:
    mutable std::mutex m_mutex;
    MetricsSnapshot m_values;
};

} // namespace qc::live
