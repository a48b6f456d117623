#pragma once

#include "decision.h"
#include "policy.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace qc::enforcement {

/// Response headers for a decision (docs/enforcement.md §9); empty when it carries no limit.
std::vector<std::pair<std::string, std::string>> rateLimitHeaders(
    const Policy& policy, const Decision& decision, TimeMs ts);
/// As above; `endpoint` names the quota metric in RateLimit-Policy/RateLimit for quota limits.
std::vector<std::pair<std::string, std::string>> rateLimitHeaders(
    const Policy& policy, const Decision& decision, TimeMs ts, std::string_view endpoint);
/// The JSON body of a 429 (seed 001 form); empty for other statuses.
std::string tooManyRequestsBody(
    const Policy& policy, const Decision& decision, TimeMs ts, std::string_view endpoint);
/// RFC 3339 UTC with milliseconds: 2026-01-05T14:05:00.123Z
std::string formatTimestamp(TimeMs ts);
/// Parses RFC 3339 (Z or ±hh:mm offset, optional fraction) or integer epoch milliseconds.
std::optional<TimeMs> parseTimestamp(std::string_view text);

} // namespace qc::enforcement
