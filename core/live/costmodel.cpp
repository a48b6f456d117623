#include "costmodel.h"

#include <vector>

namespace qc::live {

namespace ef = qc::enforcement;

ef::MicroUsd modelCost(const ef::Policy& policy, std::string_view endpoint, std::string_view model,
    std::int64_t tokens, std::int64_t responseMs)
{
    ef::MicroUsd base = 0;
    std::int64_t memoryMb = policy.cost.defaultMemoryMb;
    for (const ef::CostEndpoint& entry : policy.cost.endpoints) {
        if (ef::anyGlobMatches(entry.endpoints, endpoint)) {
            base = entry.baseMicroUsd;
            memoryMb = entry.memoryMb;
            break;
        }
    }
    ef::MicroUsd perThousand = 0;
    if (!model.empty()) {
        for (const ef::ModelPrice& price : policy.cost.models) {
            if (price.model == model) {
                perThousand = price.per1kTokensMicroUsd;
                break;
            }
        }
    }
    return base + responseMs * memoryMb * policy.cost.gbHourMicroUsd / (3600000LL * 1024)
        + tokens * perThousand / 1000;
}

std::optional<std::string_view> metricOf(const ef::Policy& policy, std::string_view endpoint)
{
    for (const ef::EndpointMetric& entry : policy.endpointMetrics) {
        if (ef::anyGlobMatches(entry.endpoints, endpoint))
            return std::string_view(entry.metric);
    }
    return std::nullopt;
}

std::optional<ef::IpAddress> clientAddressOf(
    const ef::Policy& policy, std::string_view ip, std::string_view forwardedFor)
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
    if (chain.empty())
        return std::nullopt;
    std::optional<ef::IpAddress> rightmost;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        const auto address = ef::IpAddress::parse(*it);
        if (!address)
            return std::nullopt;
        bool trusted = false;
        for (const ef::Cidr& proxy : policy.trustedProxies) {
            if (proxy.contains(*address)) {
                trusted = true;
                break;
            }
        }
        if (!trusted)
            return address;
        if (!rightmost)
            rightmost = address;
    }
    return rightmost;
}

} // namespace qc::live
