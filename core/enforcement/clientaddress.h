#pragma once

#include "enforcement/ipaddress.h"
#include "enforcement/policy.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace qc::enforcement {

/// True when `address` is one of the policy's trusted proxies.
bool isTrustedProxy(const Policy& policy, const IpAddress& address);

/// Where walking a forwarded-for chain from the right ends (docs/enforcement.md §2).
struct ChainWalk {
    enum Kind : std::uint8_t { Invalid, Client, AllTrusted } kind = Invalid;
    IpAddress address; // Client: the first untrusted address; AllTrusted: the right-most one
};

/// Walks a forwarded-for header from the right; the first entry that does not parse makes the
/// whole chain invalid.
ChainWalk walkForwardedFor(const Policy& policy, std::string_view forwardedFor);

/// The client address of docs/enforcement.md §2: the right-most address of the socket address
/// `ip` and the forwarded-for chain before it that is not a trusted proxy (all trusted: the
/// right-most one), or nullopt when there is none or an address on the way does not parse.
/// The engine and everything that must agree with it (simulation, loadgen) use this one.
std::optional<IpAddress> clientAddressOf(
    const Policy& policy, std::string_view ip, std::string_view forwardedFor);

} // namespace qc::enforcement
