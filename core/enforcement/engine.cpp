#include "engine.h"

#include "engineimpl.h"

#include <stdexcept>

namespace qc::enforcement {

using namespace detail;

namespace {

constexpr std::uint64_t kComputed = 1ULL << 63;

char upper(char c)
{
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (upper(a[i]) != upper(b[i]))
            return false;
    }
    return true;
}

template<typename T>
void growTo(
    std::vector<T>& cache, std::uint32_t id, const Dictionary& dictionary, Field field, T fill)
{
    if (id >= cache.size()) [[unlikely]]
        cache.resize(
            std::max<std::size_t>({ id + 1U, dictionary.size(field), cache.size() * 2 }), fill);
}

} // namespace

Engine::Impl::Impl(Policy p, std::shared_ptr<Dictionary> dict)
    : policy(std::move(p))
    , dictionary(dict ? std::move(dict) : std::make_shared<Dictionary>())
{
    // Rule and pattern sets are bit masks in the hot path.
    if (policy.rules.size() > 63)
        throw std::invalid_argument(
            "policy.rules: the engine supports at most 63 rules, this policy has "
            + std::to_string(policy.rules.size()));
    if (policy.abuse.size() > 32)
        throw std::invalid_argument(
            "policy.abuse: the engine supports at most 32 patterns, this policy has "
            + std::to_string(policy.abuse.size()));

    defaultPlan = policy.planIndex(policy.defaultPlan);
    if (defaultPlan < 0 && !policy.plans.empty())
        defaultPlan = 0;
    planRuleMask.assign(policy.plans.size(), 0);
    for (std::size_t i = 0; i < policy.rules.size(); ++i) {
        const Rule& rule = policy.rules[i];
        RuleInfo info;
        info.scope = rule.scope;
        info.algorithm = rule.algorithm;
        info.enforce = rule.mode == Mode::Enforce;
        info.windowMs = std::max<TimeMs>(1, rule.windowMs);
        info.limit = rule.limit;
        if (rule.algorithm == Algorithm::TokenBucket) {
            info.emissionUs = std::max<std::int64_t>(
                1, rule.periodMs * 1000 / std::max<std::int64_t>(1, rule.rate));
            info.burst = std::max<std::int64_t>(1, rule.burst);
            info.tauUs = info.emissionUs * (info.burst - 1);
        }
        if (rule.scope == Scope::Ip || rule.scope == Scope::User) {
            info.userRecord = rule.scope == Scope::User;
            info.kind = rule.algorithm == Algorithm::FixedWindow
                ? (info.windowMs >= kCompactWindowMs && info.limit <= kCompactLimit
                        ? CounterKind::Compact
                        : CounterKind::Fixed)
                : (rule.algorithm == Algorithm::SlidingWindow ? CounterKind::Sliding
                                                              : CounterKind::Bucket);
        }
        rules.push_back(info);

        const std::uint64_t bit = 1ULL << i;
        for (std::size_t plan = 0; plan < policy.plans.size(); ++plan) {
            const auto& plans = rule.match.plans;
            if (plans.empty()
                || std::find(plans.begin(), plans.end(), policy.plans[plan].name) != plans.end())
                planRuleMask[plan] |= bit;
        }
        if (rule.match.plans.empty()) {
            if (rule.scope == Scope::Ip || rule.scope == Scope::IpEndpoint
                || rule.scope == Scope::Global)
                anonymousRuleMask |= bit;
            defaultPlanRuleMask |= bit;
        }
    }
    if (defaultPlan >= 0)
        defaultPlanRuleMask = planRuleMask[static_cast<std::size_t>(defaultPlan)];

    for (const EndpointMetric& entry : policy.endpointMetrics) {
        auto it = std::find(metrics.begin(), metrics.end(), entry.metric);
        if (it == metrics.end()) {
            metrics.push_back(entry.metric);
            it = metrics.end() - 1;
        }
        endpointMetricIndex.push_back(static_cast<std::int16_t>(it - metrics.begin()));
    }
    planLimits.assign(policy.plans.size() * metrics.size(), -1);
    for (std::size_t plan = 0; plan < policy.plans.size(); ++plan) {
        for (const PlanQuota& quota : policy.plans[plan].quotas) {
            const auto it = std::find(metrics.begin(), metrics.end(), quota.metric);
            if (it != metrics.end())
                planLimits[plan * metrics.size() + static_cast<std::size_t>(it - metrics.begin())]
                    = quota.limit;
        }
    }

    // Records: the header, the 4-byte compact counters, then 8-byte fields, the 12-byte sliding
    // counters last, so that little needs padding. The default policy's client record and its
    // user record fill one cache line each.
    std::size_t clientStride = sizeof(ClientHeader);
    std::size_t userStride = sizeof(UserHeader);
    auto place = [&](CounterKind kind, std::size_t size) {
        for (RuleInfo& info : rules) {
            if (info.kind != kind)
                continue;
            std::size_t& stride = info.userRecord ? userStride : clientStride;
            info.offset = static_cast<std::uint32_t>(stride);
            stride += size;
        }
    };
    auto align8 = [&] {
        clientStride = (clientStride + 7) & ~std::size_t(7);
        userStride = (userStride + 7) & ~std::size_t(7);
    };
    place(CounterKind::Compact, sizeof(CompactCounter));
    align8();
    place(CounterKind::Fixed, sizeof(FixedCounter));
    place(CounterKind::Bucket, sizeof(std::int64_t));
    userQuotaOffset = userStride;
    userStride += metrics.size() * sizeof(QuotaUsage);
    layoutPatterns(clientStride, userStride);
    place(CounterKind::Sliding, sizeof(SlidingCounter));
    align8();
    layoutIncidents(clientStride, userStride);
    // A record never straddles more cache lines than its size needs: the smallest stride (a
    // multiple of 8) at which every record, wherever it falls in a line, touches only that many.
    // 80 bytes: records start 0, 16, 32 or 48 bytes into a line and end within the next one.
    auto lines = [](std::size_t size) {
        if (size <= 32)
            return size;
        const std::size_t span = (size + 63) & ~std::size_t(63);
        for (std::size_t stride = (size + 7) & ~std::size_t(7);; stride += 8) {
            const std::size_t grain
                = stride & (~stride + 1); // the largest power of two dividing it
            if (64 - std::min<std::size_t>(grain, 64) + stride <= span)
                return stride;
        }
    };
    clients.setStride(lines(clientStride));
    users.setStride(lines(userStride));
    keyedCounters.resize(policy.rules.size());
    globalCounters.resize(policy.rules.size());
    windows.resize(policy.rules.size());
    fixedRules.resize(rules.size());
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const RuleInfo& info = rules[i];
        if (info.kind != CounterKind::Compact)
            continue;
        fixedRecordMask |= 1ULL << i;
        fixedRules[i] = FixedRule { info.offset, static_cast<std::int32_t>(info.limit), 0,
            info.userRecord, info.enforce, 0 };
    }
}

Engine::Impl::~Impl() = default;

const EndpointFacts& Engine::Impl::computeEndpointFacts(std::uint32_t endpoint)
{
    growTo(endpointFacts, endpoint, *dictionary, Field::Endpoint, EndpointFacts {});
    EndpointFacts& facts = endpointFacts[endpoint];
    if (facts.known)
        return facts;
    const std::string_view text = dictionary->text(Field::Endpoint, endpoint);
    facts.known = true;
    for (const std::string& glob : policy.skipEndpoints) {
        if (globMatch(glob, text))
            facts.skip = true;
    }
    for (std::size_t i = 0; i < policy.rules.size(); ++i) {
        if (anyGlobMatches(policy.rules[i].match.endpoints, text))
            facts.ruleMask |= 1ULL << i;
    }
    for (std::size_t i = 0; i < policy.endpointMetrics.size(); ++i) {
        if (anyGlobMatches(policy.endpointMetrics[i].endpoints, text)) {
            facts.metric = endpointMetricIndex[i];
            break;
        }
    }
    std::int64_t memoryMb = policy.cost.defaultMemoryMb;
    for (const CostEndpoint& entry : policy.cost.endpoints) {
        if (anyGlobMatches(entry.endpoints, text)) {
            facts.costBase = entry.baseMicroUsd;
            memoryMb = entry.memoryMb;
            break;
        }
    }
    facts.costMemoryRate = memoryMb * policy.cost.gbHourMicroUsd;
    for (std::size_t i = 0; i < policy.abuse.size(); ++i) {
        const AbusePattern& pattern = policy.abuse[i];
        if (pattern.kind != AbuseKind::Rate || anyGlobMatches(pattern.endpoints, text))
            facts.patternMask |= 1U << i;
    }
    return facts;
}

std::uint64_t Engine::Impl::computeMethodMask(std::uint32_t method)
{
    growTo(methodMask, method, *dictionary, Field::Method, std::uint64_t(0));
    std::uint64_t& mask = methodMask[method];
    if (mask & kComputed)
        return mask;
    const std::string_view text = dictionary->text(Field::Method, method);
    mask = kComputed;
    for (std::size_t i = 0; i < policy.rules.size(); ++i) {
        const auto& methods = policy.rules[i].match.methods;
        bool matches = methods.empty();
        for (const std::string& m : methods)
            matches = matches || equalsIgnoringCase(m, text);
        if (matches)
            mask |= 1ULL << i;
    }
    return mask;
}

int Engine::Impl::planOf(std::uint32_t planId)
{
    growTo(planOfId, planId, *dictionary, Field::Plan, std::int16_t(-2));
    std::int16_t& plan = planOfId[planId];
    if (plan == -2)
        plan = static_cast<std::int16_t>(policy.planIndex(dictionary->text(Field::Plan, planId)));
    return plan;
}

MicroUsd Engine::Impl::modelPriceOf(std::uint32_t model)
{
    growTo(modelPrice, model, *dictionary, Field::Model, MicroUsd(-1));
    MicroUsd& price = modelPrice[model];
    if (price < 0) {
        price = 0;
        const std::string_view text = dictionary->text(Field::Model, model);
        for (const ModelPrice& entry : policy.cost.models) {
            if (entry.model == text) {
                price = entry.per1kTokensMicroUsd;
                break;
            }
        }
    }
    return price;
}

Engine::Engine(Policy policy, std::shared_ptr<Dictionary> dictionary)
    : d(std::make_unique<Impl>(std::move(policy), std::move(dictionary)))
{
}

Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

const Policy& Engine::policy() const
{
    return d->policy;
}

Dictionary& Engine::dictionary()
{
    return *d->dictionary;
}

const std::shared_ptr<Dictionary>& Engine::sharedDictionary() const
{
    return d->dictionary;
}

std::vector<Incident> Engine::takeIncidents()
{
    const Impl& e = *d;
    std::vector<Incident> out;
    out.reserve(e.incidents.size());
    for (const RaisedIncident& raised : e.incidents) {
        const AbusePattern& pattern = e.policy.abuse[raised.pattern];
        Incident& incident = out.emplace_back();
        incident.ts = raised.ts;
        incident.pattern = raised.pattern;
        incident.scope = pattern.scope;
        incident.identifier = pattern.scope == AbuseScope::User
            ? std::string(e.dictionary->text(Field::User, raised.identifier))
            : clientKey(e.slotKeys[raised.identifier]);
        incident.severity = pattern.severity;
        incident.action = pattern.action;
        incident.blockedUntil = raised.blockedUntil;
        incident.requestId = std::string(e.dictionary->text(Field::RequestId, raised.requestId));
    }
    d->incidents.clear();
    return out;
}

std::size_t Engine::countIncidents(std::vector<std::uint64_t>& byPattern)
{
    Impl& e = *d;
    if (byPattern.size() < e.policy.abuse.size())
        byPattern.resize(e.policy.abuse.size(), 0);
    const std::size_t count = e.incidents.size();
    for (const RaisedIncident& raised : e.incidents)
        ++byPattern[raised.pattern];
    e.incidents.clear();
    return count;
}

void Engine::addBlock(const Block& block)
{
    d->addBlock(block);
}

int Engine::unblock(BlockTarget target, std::string_view value, TimeMs at)
{
    return d->unblock(target, value, at);
}

} // namespace qc::enforcement
