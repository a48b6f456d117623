#pragma once

// The alert thresholds the dashboard colours its tiles and draws on its charts with, from
// DESIGN.md §3 (seed 000/004): p95 quota check > 150 ms for 5 m, any check > 300 ms, collision
// rate > 5 %, denial rate > 20 %, rate-limit hits > 100/min, DB errors > 10/min.
// The numbers are read from core/alerting's rule set (alerting::standardRules()), the one the
// evaluator, the simulation and the Prometheus rules file use, so the dashboard cannot disagree
// with the alerts.

#include <optional>

namespace qc::services::thresholds {

/// HighQuotaCheckLatency: p95 quota-check latency in ms, critical above.
double p95Ms();
/// ImmediateHighLatency: any check slower than this many ms is critical.
double anyCheckMs();
/// ExcessiveIdempotencyCollisions: collisions / idempotent requests.
double collisionRate();
/// HighDenialRate: denied / all decisions.
double denialRate();
/// RateLimitViolations: rate-limit hits per minute (the rule's window is one minute).
double rateLimitHitsPerMinute();
/// DatabaseConnectionIssues: database errors per minute.
double dbErrorsPerMinute();
/// A value above this share of its threshold is a warning (amber) before it is critical.
inline constexpr double kWarningShare = 0.8;

enum class Level { None, Ok, Warning, Critical };

/// Level of `value` against an upper `threshold` (None when there is no value).
inline Level levelOf(std::optional<double> value, double threshold)
{
    if (!value)
        return Level::None;
    if (*value > threshold)
        return Level::Critical;
    if (*value > threshold * kWarningShare)
        return Level::Warning;
    return Level::Ok;
}

inline Level worst(Level a, Level b)
{
    return static_cast<int>(a) > static_cast<int>(b) ? a : b;
}

} // namespace qc::services::thresholds
