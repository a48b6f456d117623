// Read-only views of the engine's state for investigation screens and tests.
#include "engineimpl.h"

namespace qc::enforcement {

using namespace detail;

namespace {

bool methodMatches(const std::vector<std::string>& methods, std::string_view method)
{
    if (methods.empty())
        return true;
    for (const std::string& m : methods) {
        if (m.size() != method.size())
            continue;
        bool same = true;
        for (std::size_t i = 0; i < m.size() && same; ++i) {
            const auto a = static_cast<unsigned char>(m[i]);
            const auto b = static_cast<unsigned char>(method[i]);
            same = std::toupper(a) == std::toupper(b);
        }
        if (same)
            return true;
    }
    return false;
}

} // namespace

std::vector<RuleStatus> Engine::ruleStatus(const Request& request) const
{
    std::vector<RuleStatus> out;
    const Impl& e = *d;
    for (const std::string& glob : e.policy.skipEndpoints) {
        if (globMatch(glob, request.endpoint))
            return out;
    }
    const auto address = clientAddressOf(e.policy, request.ip, request.forwardedFor);
    if (!address)
        return out;
    const IpAddress key = address->isV4() ? *address : address->masked(64);
    const std::uint32_t found = e.findSlot(key);
    const bool hasSlot = found != UINT32_MAX;
    const std::uint32_t slot = hasSlot ? found : 0;

    const bool authenticated = !request.userId.empty();
    std::uint32_t user = authenticated ? e.dictionary->find(Field::User, request.userId) : 0;
    bool hasUser = authenticated && user != UINT32_MAX && user < e.users.size()
        && (reinterpret_cast<const UserHeader*>(e.users.at(user))->flags & FlagSeen);
    int plan = e.defaultPlan;
    if (hasUser) {
        plan = reinterpret_cast<const UserHeader*>(e.users.at(user))->plan;
    } else if (authenticated) {
        const int known = e.policy.planIndex(request.plan);
        if (known >= 0)
            plan = known;
    }
    const std::uint32_t endpoint = e.dictionary->find(Field::Endpoint, request.endpoint);

    for (std::size_t i = 0; i < e.policy.rules.size(); ++i) {
        const Rule& rule = e.policy.rules[i];
        const RuleInfo& info = e.rules[i];
        if (!anyGlobMatches(rule.match.endpoints, request.endpoint)
            || !methodMatches(rule.match.methods, request.method))
            continue;
        if (!rule.match.plans.empty()) {
            if (!authenticated || plan < 0)
                continue;
            const std::string& name = e.policy.plans[static_cast<std::size_t>(plan)].name;
            if (std::find(rule.match.plans.begin(), rule.match.plans.end(), name)
                == rule.match.plans.end())
                continue;
        }
        if (!authenticated && (rule.scope == Scope::User || rule.scope == Scope::UserEndpoint))
            continue;
        Counter counter {};
        std::string identifier;
        switch (rule.scope) {
        case Scope::Ip:
            identifier = clientKey(*address);
            if (hasSlot)
                counter = e.recordCounter(info, e.clients.at(slot) + info.offset);
            break;
        case Scope::User:
            identifier = std::string(request.userId);
            if (hasUser)
                counter = e.recordCounter(info, e.users.at(user) + info.offset);
            break;
        case Scope::UserEndpoint:
        case Scope::IpEndpoint: {
            const bool byUser = rule.scope == Scope::UserEndpoint;
            identifier = (byUser ? std::string(request.userId) : clientKey(*address)) + ' '
                + std::string(request.endpoint);
            const bool known = (byUser ? hasUser : hasSlot) && endpoint != UINT32_MAX;
            if (known) {
                const std::uint64_t mapKey = (std::uint64_t(byUser ? user : slot) << 32) | endpoint;
                if (const Counter* stored = e.keyedCounters[i].find(mapKey))
                    counter = *stored;
            }
            break;
        }
        case Scope::Global:
            identifier = "*";
            counter = e.globalCounters[i];
            break;
        }
        const Evaluation evaluation = evaluate(info, counter, request.ts);
        RuleStatus status;
        status.rule = static_cast<int>(i);
        status.identifier = std::move(identifier);
        status.limit = evaluation.limit;
        status.remaining = evaluation.admits ? evaluation.remaining + 1 : 0;
        status.resetAt = evaluation.resetAt;
        out.push_back(std::move(status));
    }
    return out;
}

EngineStats Engine::stats() const
{
    const Impl& e = *d;
    EngineStats s;
    s.decisions = e.decisions;
    s.clients = e.slotKeys.size();
    s.users = e.userCount;
    s.idempotencyEntries = e.ledger.size();
    for (const BlockRecord& record : e.blocks)
        s.activeBlocks += record.active(e.lastTs) ? 1 : 0;

    std::size_t bytes = sizeof(Impl);
    bytes += e.clients.capacityBytes() + e.users.capacityBytes() + e.ringPool.bytes();
    bytes += e.endpointFacts.capacity() * sizeof(EndpointFacts) + e.methodMask.capacity() * 8
        + e.planOfId.capacity() * 2 + e.userAgentMask.capacity() * 8 + e.countryMask.capacity() * 8
        + e.modelPrice.capacity() * 8 + e.ipSlot.capacityBytes() + e.slotKeys.capacityBytes()
        + e.slotIndex.capacityBytes() + e.incidents.capacityBytes();
    bytes += e.forwardedSlot.capacityBytes() + e.ledger.capacityBytes() + e.grace.capacityBytes()
        + e.lastIncident.capacityBytes();
    for (const auto& map : e.keyedCounters)
        bytes += map.capacityBytes();
    bytes += e.ledgerExpiry.size() * sizeof(std::pair<TimeMs, std::uint64_t>);
    bytes += e.blocks.capacity() * sizeof(BlockRecord);
    s.memoryBytes = bytes;
    return s;
}

} // namespace qc::enforcement
