#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace qc::enforcement {

/// Milliseconds since the Unix epoch, UTC.
using TimeMs = std::int64_t;
/// Money in micro-dollars (1 USD = 1'000'000).
using MicroUsd = std::int64_t;

inline constexpr TimeMs kSecond = 1000;
inline constexpr TimeMs kMinute = 60 * kSecond;
inline constexpr TimeMs kHour = 60 * kMinute;
inline constexpr TimeMs kDay = 24 * kHour;
inline constexpr TimeMs kForever = INT64_MAX;

enum class Reason : std::uint8_t {
    Admitted,
    Skipped,
    InvalidIdentifier,
    Blocked,
    IdempotentReplay,
    IdempotencyConflict,
    RateLimited,
    QuotaExceeded,
    FailOpen,
};
inline constexpr int kReasonCount = 9;

enum class Scope : std::uint8_t { Ip, User, UserEndpoint, IpEndpoint, Global };
enum class Algorithm : std::uint8_t { FixedWindow, SlidingWindow, TokenBucket };
enum class Mode : std::uint8_t { Enforce, Shadow };
enum class FailMode : std::uint8_t { Open, Closed };
enum class OnConflict : std::uint8_t { Reject, Process };
enum class AbuseKind : std::uint8_t { Rate, Cost, UserAgent, Country };
enum class AbuseScope : std::uint8_t { Ip, User };
enum class Severity : std::uint8_t { Low, Medium, High, Critical };
enum class AbuseAction : std::uint8_t { Log, Alert, Block, Escalate };
enum class BlockTarget : std::uint8_t { Ip, Network, User };

/// Collision flags of an idempotency-key collision (docs/enforcement.md §4).
enum CollisionFlag : std::uint8_t {
    CollisionNone = 0,
    CollisionParameters = 1,
    CollisionLate = 2,
    CollisionUserAgent = 4,
};

// Stable text forms: reason codes, JSON values, SQL values and metric labels all use these.
std::string_view toString(Reason);
std::string_view toString(Scope);
std::string_view toString(Algorithm);
std::string_view toString(Mode);
std::string_view toString(FailMode);
std::string_view toString(OnConflict);
std::string_view toString(AbuseKind);
std::string_view toString(AbuseScope);
std::string_view toString(Severity);
std::string_view toString(AbuseAction);
std::string_view toString(BlockTarget);
/// Metric label of a collision: "user_agent", "late" or "parameters"; empty for none.
std::string_view collisionKind(std::uint8_t flags);

std::optional<Reason> reasonFromString(std::string_view);
std::optional<Scope> scopeFromString(std::string_view);
std::optional<Algorithm> algorithmFromString(std::string_view);
std::optional<Mode> modeFromString(std::string_view);
std::optional<FailMode> failModeFromString(std::string_view);
std::optional<OnConflict> onConflictFromString(std::string_view);
std::optional<AbuseKind> abuseKindFromString(std::string_view);
std::optional<AbuseScope> abuseScopeFromString(std::string_view);
std::optional<Severity> severityFromString(std::string_view);
std::optional<AbuseAction> abuseActionFromString(std::string_view);
std::optional<BlockTarget> blockTargetFromString(std::string_view);

/// HTTP status and whether the request is allowed, for the reasons that fix them.
std::uint16_t statusOf(Reason);
bool allowedOf(Reason);

} // namespace qc::enforcement
