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

} // namespace qc::live
