#include "clientaddress.h"

namespace qc::enforcement {

bool isTrustedProxy(const Policy& policy, const IpAddress& address)
{
    for (const Cidr& proxy : policy.trustedProxies) {
        if (proxy.contains(address))
            return true;
    }
    return false;
}

ChainWalk walkForwardedFor(const Policy& policy, std::string_view forwardedFor)
{
    // From the right; the first address that does not parse makes the whole chain invalid.
    ChainWalk walk;
    walk.kind = ChainWalk::AllTrusted;
    bool haveRightMost = false;
    std::size_t end = forwardedFor.size();
    while (!forwardedFor.empty()) {
        const std::size_t comma = forwardedFor.rfind(',', end == 0 ? 0 : end - 1);
        const std::size_t start = (comma == std::string_view::npos || comma >= end) ? 0 : comma + 1;
        std::string_view part = forwardedFor.substr(start, end - start);
        while (!part.empty() && (part.front() == ' ' || part.front() == '\t'))
            part.remove_prefix(1);
        while (!part.empty() && (part.back() == ' ' || part.back() == '\t'))
            part.remove_suffix(1);
        const auto address = IpAddress::parse(part);
        if (!address) {
            walk.kind = ChainWalk::Invalid;
            return walk;
        }
        if (!haveRightMost) {
            walk.address = *address;
            haveRightMost = true;
        }
        if (!isTrustedProxy(policy, *address)) {
            walk.kind = ChainWalk::Client;
            walk.address = *address;
            return walk;
        }
        if (start == 0)
            break;
        end = start - 1;
    }
    return walk;
}

std::optional<IpAddress> clientAddressOf(
    const Policy& policy, std::string_view ip, std::string_view forwardedFor)
{
    // Walk the chain from the right: socket address first, then forwarded-for entries.
    std::optional<IpAddress> socket;
    if (!ip.empty()) {
        socket = IpAddress::parse(ip);
        if (!socket)
            return std::nullopt;
        if (!isTrustedProxy(policy, *socket))
            return socket;
    }
    if (forwardedFor.empty())
        return socket; // every address trusted: the right-most one; none at all: invalid
    const ChainWalk walk = walkForwardedFor(policy, forwardedFor);
    switch (walk.kind) {
    case ChainWalk::Invalid:
        return std::nullopt;
    case ChainWalk::Client:
        return walk.address;
    case ChainWalk::AllTrusted:
        break;
    }
    return socket ? socket : std::optional<IpAddress>(walk.address);
}

} // namespace qc::enforcement
