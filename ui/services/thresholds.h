#pragma once

// The alert thresholds the dashboard colours its tiles and draws on its charts with, from
// DESIGN.md §3 (seed 000/004): p95 quota check > 150 ms for 5 m, any check > 300 ms, collision
// rate > 5 %, denial rate > 20 %, rate-limit hits > 100/min, DB errors > 10/min.
//
// TODO(alerting): core/alerting will hold the rule set in code (also used by simulation and
// `quotactl alerts evaluate`); once it lands these constants are to be read from it so that the
// dashboard can never disagree with the alerts. Until then this header is the one copy.

#include <optional>

namespace qc::services::thresholds {

inline constexpr double kP95Ms = 150; // critical above
inline constexpr double kAnyCheckMs = 300; // any check above is critical
inline constexpr double kCollisionRate = 0.05;
inline constexpr double kDenialRate = 0.20;
inline constexpr double kRateLimitHitsPerMinute = 100;
inline constexpr double kDbErrorsPerMinute = 10;
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
