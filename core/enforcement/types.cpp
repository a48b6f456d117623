#include "types.h"

#include <array>
#include <utility>

namespace qc::enforcement {

namespace {

template<typename E, std::size_t N>
std::string_view nameOf(const std::array<std::pair<E, std::string_view>, N>& table, E value)
{
    for (const auto& [v, name] : table) {
        if (v == value)
            return name;
    }
    return {};
}

template<typename E, std::size_t N>
std::optional<E> valueOf(
    const std::array<std::pair<E, std::string_view>, N>& table, std::string_view name)
{
    for (const auto& [v, n] : table) {
        if (n == name)
            return v;
    }
    return std::nullopt;
}

constexpr std::array<std::pair<Reason, std::string_view>, kReasonCount> kReasons { {
    { Reason::Admitted, "admitted" },
    { Reason::Skipped, "skipped" },
    { Reason::InvalidIdentifier, "invalid_identifier" },
    { Reason::Blocked, "blocked" },
    { Reason::IdempotentReplay, "idempotent_replay" },
    { Reason::IdempotencyConflict, "idempotency_conflict" },
    { Reason::RateLimited, "rate_limited" },
    { Reason::QuotaExceeded, "quota_exceeded" },
    { Reason::FailOpen, "fail_open" },
} };
constexpr std::array<std::pair<Scope, std::string_view>, 5> kScopes { {
    { Scope::Ip, "ip" },
    { Scope::User, "user" },
    { Scope::UserEndpoint, "user_endpoint" },
    { Scope::IpEndpoint, "ip_endpoint" },
    { Scope::Global, "global" },
} };
constexpr std::array<std::pair<Algorithm, std::string_view>, 3> kAlgorithms { {
    { Algorithm::FixedWindow, "fixed_window" },
    { Algorithm::SlidingWindow, "sliding_window" },
    { Algorithm::TokenBucket, "token_bucket" },
} };
constexpr std::array<std::pair<Mode, std::string_view>, 2> kModes { {
    { Mode::Enforce, "enforce" },
    { Mode::Shadow, "shadow" },
} };
constexpr std::array<std::pair<FailMode, std::string_view>, 2> kFailModes { {
    { FailMode::Open, "open" },
    { FailMode::Closed, "closed" },
} };
constexpr std::array<std::pair<OnConflict, std::string_view>, 2> kOnConflict { {
    { OnConflict::Reject, "reject" },
    { OnConflict::Process, "process" },
} };
constexpr std::array<std::pair<AbuseKind, std::string_view>, 4> kAbuseKinds { {
    { AbuseKind::Rate, "rate" },
    { AbuseKind::Cost, "cost" },
    { AbuseKind::UserAgent, "user_agent" },
    { AbuseKind::Country, "country" },
} };
constexpr std::array<std::pair<AbuseScope, std::string_view>, 2> kAbuseScopes { {
    { AbuseScope::Ip, "ip" },
    { AbuseScope::User, "user" },
} };
constexpr std::array<std::pair<Severity, std::string_view>, 4> kSeverities { {
    { Severity::Low, "low" },
    { Severity::Medium, "medium" },
    { Severity::High, "high" },
    { Severity::Critical, "critical" },
} };
constexpr std::array<std::pair<AbuseAction, std::string_view>, 4> kActions { {
    { AbuseAction::Log, "log" },
    { AbuseAction::Alert, "alert" },
    { AbuseAction::Block, "block" },
    { AbuseAction::Escalate, "escalate" },
} };
constexpr std::array<std::pair<BlockTarget, std::string_view>, 3> kBlockTargets { {
    { BlockTarget::Ip, "ip" },
    { BlockTarget::Network, "network" },
    { BlockTarget::User, "user" },
} };

} // namespace

std::string_view toString(Reason v)
{
    return nameOf(kReasons, v);
}
std::string_view toString(Scope v)
{
    return nameOf(kScopes, v);
}
std::string_view toString(Algorithm v)
{
    return nameOf(kAlgorithms, v);
}
std::string_view toString(Mode v)
{
    return nameOf(kModes, v);
}
std::string_view toString(FailMode v)
{
    return nameOf(kFailModes, v);
}
std::string_view toString(OnConflict v)
{
    return nameOf(kOnConflict, v);
}
std::string_view toString(AbuseKind v)
{
    return nameOf(kAbuseKinds, v);
}
std::string_view toString(AbuseScope v)
{
    return nameOf(kAbuseScopes, v);
}
std::string_view toString(Severity v)
{
    return nameOf(kSeverities, v);
}
std::string_view toString(AbuseAction v)
{
    return nameOf(kActions, v);
}
std::string_view toString(BlockTarget v)
{
    return nameOf(kBlockTargets, v);
}

std::optional<Reason> reasonFromString(std::string_view s)
{
    return valueOf(kReasons, s);
}
std::optional<Scope> scopeFromString(std::string_view s)
{
    return valueOf(kScopes, s);
}
std::optional<Algorithm> algorithmFromString(std::string_view s)
{
    return valueOf(kAlgorithms, s);
}
std::optional<Mode> modeFromString(std::string_view s)
{
    return valueOf(kModes, s);
}
std::optional<FailMode> failModeFromString(std::string_view s)
{
    return valueOf(kFailModes, s);
}
std::optional<OnConflict> onConflictFromString(std::string_view s)
{
    return valueOf(kOnConflict, s);
}
std::optional<AbuseKind> abuseKindFromString(std::string_view s)
{
    return valueOf(kAbuseKinds, s);
}
std::optional<AbuseScope> abuseScopeFromString(std::string_view s)
{
    return valueOf(kAbuseScopes, s);
}
std::optional<Severity> severityFromString(std::string_view s)
{
    return valueOf(kSeverities, s);
}
std::optional<AbuseAction> abuseActionFromString(std::string_view s)
{
    return valueOf(kActions, s);
}
std::optional<BlockTarget> blockTargetFromString(std::string_view s)
{
    return valueOf(kBlockTargets, s);
}

std::string_view collisionKind(std::uint8_t flags)
{
    if (flags & CollisionUserAgent)
        return "user_agent";
    if (flags & CollisionLate)
        return "late";
    if (flags & CollisionParameters)
        return "parameters";
    return {};
}

std::uint16_t statusOf(Reason reason)
{
    switch (reason) {
    case Reason::Admitted:
    case Reason::Skipped:
    case Reason::IdempotentReplay:
    case Reason::FailOpen:
        return 200;
    case Reason::InvalidIdentifier:
        return 400;
    case Reason::Blocked:
        return 403;
    case Reason::IdempotencyConflict:
        return 409;
    case Reason::RateLimited:
    case Reason::QuotaExceeded:
        return 429;
    }
    return 500;
}

bool allowedOf(Reason reason)
{
    return statusOf(reason) < 300;
}

} // namespace qc::enforcement
