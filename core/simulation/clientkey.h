#pragma once

#include "enforcement/policy.h"

#include <string>
#include <string_view>

namespace qc::simulation {

/// The client key of docs/enforcement.md §2 (IPv4 address, or IPv6 /64 with prefix) of a
/// socket address and forwarded-for chain, behind the policy's trusted proxies; empty when the
/// request has no valid client address.
std::string clientKeyOf(
    std::string_view ip, std::string_view forwardedFor, const enforcement::Policy& policy);

} // namespace qc::simulation
