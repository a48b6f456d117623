#include "clientkey.h"

#include "enforcement/ipaddress.h"

#include <algorithm>
#include <optional>
#include <vector>

namespace qc::simulation {

std::string clientKeyOf(
    std::string_view ip, std::string_view forwardedFor, const enforcement::Policy& policy)
{
    std::vector<std::string_view> chain;
    std::size_t start = 0;
    while (!forwardedFor.empty() && start <= forwardedFor.size()) {
        std::size_t comma = forwardedFor.find(',', start);
        if (comma == std::string_view::npos)
            comma = forwardedFor.size();
        std::string_view part = forwardedFor.substr(start, comma - start);
        while (!part.empty() && (part.front() == ' ' || part.front() == '\t'))
            part.remove_prefix(1);
        while (!part.empty() && (part.back() == ' ' || part.back() == '\t'))
            part.remove_suffix(1);
        chain.push_back(part);
        start = comma + 1;
    }
    if (!ip.empty())
        chain.push_back(ip);
    std::optional<enforcement::IpAddress> rightmost;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        const std::optional<enforcement::IpAddress> address = enforcement::IpAddress::parse(*it);
        if (!address)
            return {};
        if (!rightmost)
            rightmost = address;
        const bool trusted = std::any_of(policy.trustedProxies.begin(), policy.trustedProxies.end(),
            [&](const enforcement::Cidr& cidr) { return cidr.contains(*address); });
        if (!trusted)
            return enforcement::clientKey(*address);
    }
    return rightmost ? enforcement::clientKey(*rightmost) : std::string();
}

} // namespace qc::simulation
