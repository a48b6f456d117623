#pragma once

#include "enforcement/policy.h"

#include <optional>
#include <string_view>

namespace qc::live {

/// The cost of an allowed request by the policy's cost model (docs/enforcement.md §7): the
/// first `cost.endpoints` entry matching the endpoint gives base and memory (none: 0 and
/// `cost.default_memory_mb`), plus response hours × memory GB × `gb_hour_usd`, plus tokens ×
/// the model's price. Integer micro-dollars, each term truncated, exactly as the C++ core and
/// `quota.quota_complete` compute it.
qc::enforcement::MicroUsd modelCost(const qc::enforcement::Policy& policy,
    std::string_view endpoint, std::string_view model, std::int64_t tokens,
    std::int64_t responseMs);

/// Which plan-quota metric an endpoint counts against (the first matching `endpoint_metrics`
/// entry), or nullopt.
std::optional<std::string_view> metricOf(
    const qc::enforcement::Policy& policy, std::string_view endpoint);

} // namespace qc::live
