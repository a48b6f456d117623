#include "engine.h"

#include "civildate.h"
#include "engineimpl.h"

#include <stdexcept>

namespace qc::enforcement {

using namespace detail;

namespace {

constexpr std::uint64_t kComputed = 1ULL << 63;

std::int64_t ceilDiv(std::int64_t a, std::int64_t b)
{
    return -floorDiv(-a, b);
}

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

Decision denial(Reason reason)
{
    Decision out;
    out.reason = reason;
    out.status = statusOf(reason);
    out.allowed = false;
    return out;
}

} // namespace

namespace detail {

Evaluation evaluate(const RuleInfo& rule, const Counter& counter, TimeMs ts)
{
    Evaluation e;
    switch (rule.algorithm) {
    case Algorithm::FixedWindow: {
        const std::int64_t index = ts / rule.windowMs;
        const std::int64_t count = counter.a == index ? counter.b : 0;
        e.admits = count < rule.limit;
        e.next = { index, static_cast<std::int32_t>(count + 1), 0 };
        e.limit = rule.limit;
        e.remaining = rule.limit - (count + 1);
        e.resetAt = (index + 1) * rule.windowMs;
        break;
    }
    case Algorithm::SlidingWindow: {
        const std::int64_t index = ts / rule.windowMs;
        std::int64_t previous = 0;
        std::int64_t current = 0;
        if (counter.a == index) {
            previous = counter.b;
            current = counter.c;
        } else if (counter.a == index - 1) {
            previous = counter.c;
        }
        const std::int64_t elapsed = ts - index * rule.windowMs;
        const std::int64_t estimate
            = previous * (rule.windowMs - elapsed) / rule.windowMs + current;
        e.admits = estimate < rule.limit;
        e.next = { index, static_cast<std::int32_t>(previous),
            static_cast<std::int32_t>(current + 1) };
        e.limit = rule.limit;
        e.remaining = std::max<std::int64_t>(0, rule.limit - (estimate + 1));
        e.resetAt = (index + 1) * rule.windowMs;
        break;
    }
    case Algorithm::TokenBucket: {
        const std::int64_t t = ts * 1000;
        const std::int64_t tat = std::max(counter.a, t);
        e.admits = tat - t <= rule.tauUs;
        e.next = { tat + rule.emissionUs, 0, 0 };
        e.limit = rule.burst;
        const std::int64_t numerator = t + rule.tauUs - (tat + rule.emissionUs);
        e.remaining = numerator < 0 ? 0 : numerator / rule.emissionUs + 1;
        e.resetAt
            = e.admits ? ceilDiv(tat + rule.emissionUs, 1000) : ceilDiv(tat - rule.tauUs, 1000);
        break;
    }
    }
    return e;
}

} // namespace detail

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
        if (rule.scope == Scope::Ip)
            info.slot = ipRuleCount++;
        else if (rule.scope == Scope::User)
            info.slot = userRuleCount++;
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

    std::size_t clientStride = sizeof(ClientHeader) + ipRuleCount * sizeof(Counter);
    userQuotaOffset = sizeof(UserHeader) + userRuleCount * sizeof(Counter);
    std::size_t userStride = userQuotaOffset + metrics.size() * sizeof(QuotaUsage);
    layoutPatterns(clientStride, userStride);
    // Whole cache lines per record: a record never straddles more lines than its size needs.
    auto lines = [](std::size_t stride) {
        return stride > 32 ? (stride + 63) & ~std::size_t(63) : stride;
    };
    clients.setStride(lines(clientStride));
    users.setStride(lines(userStride));
    keyedCounters.resize(policy.rules.size());
    globalCounters.resize(policy.rules.size());
}

Engine::Impl::~Impl()
{
    releaseRings();
}

const EndpointFacts& Engine::Impl::endpointFactsOf(std::uint32_t endpoint)
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
    for (std::size_t i = 0; i < policy.cost.endpoints.size(); ++i) {
        if (anyGlobMatches(policy.cost.endpoints[i].endpoints, text)) {
            facts.costEntry = static_cast<std::int16_t>(i);
            break;
        }
    }
    for (std::size_t i = 0; i < policy.abuse.size(); ++i) {
        const AbusePattern& pattern = policy.abuse[i];
        if (pattern.kind != AbuseKind::Rate || anyGlobMatches(pattern.endpoints, text))
            facts.patternMask |= 1U << i;
    }
    return facts;
}

std::uint64_t Engine::Impl::methodMaskOf(std::uint32_t method)
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

MicroUsd Engine::Impl::costOf(const EncodedRequest& request, const EndpointFacts& facts)
{
    if (request.costMicroUsd >= 0)
        return request.costMicroUsd;
    MicroUsd base = 0;
    std::int64_t memoryMb = policy.cost.defaultMemoryMb;
    if (facts.costEntry >= 0) {
        const CostEndpoint& entry
            = policy.cost.endpoints[static_cast<std::size_t>(facts.costEntry)];
        base = entry.baseMicroUsd;
        memoryMb = entry.memoryMb;
    }
    MicroUsd perThousand = 0;
    if (request.model != 0) {
        growTo(modelPrice, request.model, *dictionary, Field::Model, MicroUsd(-1));
        MicroUsd& price = modelPrice[request.model];
        if (price < 0) {
            price = 0;
            const std::string_view model = dictionary->text(Field::Model, request.model);
            for (const ModelPrice& entry : policy.cost.models) {
                if (entry.model == model) {
                    price = entry.per1kTokensMicroUsd;
                    break;
                }
            }
        }
        perThousand = price;
    }
    return base + request.responseMs * memoryMb * policy.cost.gbHourMicroUsd / (3600000LL * 1024)
        + request.tokens * perThousand / 1000;
}

std::optional<IpAddress> Engine::Impl::clientAddress(
    std::string_view forwardedFor, std::string_view ip) const
{
    // Walk the chain from the right: socket address first, then forwarded-for entries.
    std::optional<IpAddress> rightMost;
    auto consider = [&](std::string_view text, std::optional<IpAddress>& client) -> bool {
        const auto address = IpAddress::parse(text);
        if (!address)
            return false;
        if (!rightMost)
            rightMost = address;
        bool trusted = false;
        for (const Cidr& proxy : policy.trustedProxies)
            trusted = trusted || proxy.contains(*address);
        if (!trusted)
            client = address;
        return true;
    };
    std::optional<IpAddress> client;
    if (!ip.empty() && !consider(ip, client))
        return std::nullopt;
    std::size_t end = forwardedFor.size();
    while (!client && !forwardedFor.empty()) {
        const std::size_t comma = forwardedFor.rfind(',', end == 0 ? 0 : end - 1);
        const std::size_t start = (comma == std::string_view::npos || comma >= end) ? 0 : comma + 1;
        std::string_view part = forwardedFor.substr(start, end - start);
        while (!part.empty() && (part.front() == ' ' || part.front() == '\t'))
            part.remove_prefix(1);
        while (!part.empty() && (part.back() == ' ' || part.back() == '\t'))
            part.remove_suffix(1);
        if (!consider(part, client))
            return std::nullopt;
        if (start == 0)
            break;
        end = start - 1;
    }
    return client ? client : rightMost;
}

std::uint32_t Engine::Impl::findSlot(const IpAddress& key) const
{
    if (slotIndex.empty())
        return UINT32_MAX;
    const std::size_t mask = slotIndex.size() - 1;
    const std::size_t hash = IpHash {}(key);
    const auto tag = static_cast<std::uint32_t>(std::uint64_t(hash) >> 32);
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
        const SlotIndexEntry entry = slotIndex[i];
        if (entry.slotPlusOne == 0)
            return UINT32_MAX;
        if (entry.tag == tag && slotKeys[entry.slotPlusOne - 1] == key)
            return entry.slotPlusOne - 1;
    }
}

std::uint32_t Engine::Impl::internClient(const IpAddress& address)
{
    const IpAddress key = address.isV4() ? address : address.masked(64);
    const std::uint32_t found = findSlot(key);
    if (found != UINT32_MAX)
        return found;
    const auto slot = static_cast<std::uint32_t>(slotKeys.size());
    slotKeys.pushBack(key);
    clients.resize(slotKeys.size());
    auto insert = [this](std::uint32_t s) {
        const std::size_t mask = slotIndex.size() - 1;
        const std::size_t hash = IpHash {}(slotKeys[s]);
        std::size_t i = hash & mask;
        while (slotIndex[i].slotPlusOne != 0)
            i = (i + 1) & mask;
        slotIndex[i]
            = SlotIndexEntry { s + 1, static_cast<std::uint32_t>(std::uint64_t(hash) >> 32) };
    };
    // At most half full keeps probe runs short.
    if (slotKeys.size() * 2 > slotIndex.size()) {
        const std::size_t size = std::max<std::size_t>(4096, slotIndex.size() * 2);
        slotIndex.clear();
        slotIndex.growTo(size);
        for (std::uint32_t s = 0; s < slotKeys.size(); ++s)
            insert(s);
    } else {
        insert(slot);
    }
    markSlotBlocks(slot);
    return slot;
}

std::uint32_t Engine::Impl::clientSlotOf(const EncodedRequest& request)
{
    std::uint32_t* cached = nullptr;
    if (request.forwardedFor == 0) {
        if (request.ip >= ipSlot.size()) [[unlikely]]
            ipSlot.growTo(std::max<std::size_t>(request.ip + 1U, dictionary->size(Field::Ip)));
        cached = &ipSlot[request.ip];
    } else {
        cached = &chainSlot[(std::uint64_t(request.forwardedFor) << 32) | request.ip];
    }
    if (*cached == kSlotUnknown) {
        const auto address
            = clientAddress(dictionary->text(Field::ForwardedFor, request.forwardedFor),
                dictionary->text(Field::Ip, request.ip));
        *cached = address ? internClient(*address) + 2 : kSlotInvalid;
    }
    return *cached;
}

UserHeader& Engine::Impl::userOf(std::uint32_t user)
{
    if (user >= users.size())
        users.resize(std::max<std::size_t>(user + 1, dictionary->size(Field::User)));
    auto& state = *reinterpret_cast<UserHeader*>(users.at(user));
    if (!(state.flags & FlagSeen)) {
        state.flags |= FlagSeen;
        state.plan = static_cast<std::int16_t>(defaultPlan);
        state.previousPlan = -1;
        ++userCount;
    }
    return state;
}

void Engine::Impl::applyPlanChange(UserHeader& state, int plan, TimeMs ts)
{
    if (plan < 0 || plan == state.plan)
        return;
    const int oldRank
        = state.plan >= 0 ? policy.plans[static_cast<std::size_t>(state.plan)].rank : INT32_MIN;
    const int newRank = policy.plans[static_cast<std::size_t>(plan)].rank;
    if (newRank >= oldRank) {
        state.previousPlan = -1;
        state.graceEnd = 0;
    } else {
        state.previousPlan = state.plan;
        state.graceEnd = ts + policy.downgradeGraceMs;
    }
    state.plan = static_cast<std::int16_t>(plan);
}

void Engine::Impl::trackPlan(std::uint32_t user, std::uint32_t planId, TimeMs ts)
{
    UserHeader& state = userOf(user);
    if (state.lastPlanId == planId)
        return;
    const int known = planOf(planId);
    const int plan = known >= 0 ? known : defaultPlan;
    if (state.lastPlanId == 0)
        state.plan = static_cast<std::int16_t>(plan); // the first plan seen is the starting plan
    else
        applyPlanChange(state, plan, ts);
    state.lastPlanId = planId;
}

std::int64_t Engine::Impl::effectiveLimit(const UserHeader& state, int metric, TimeMs ts) const
{
    const int plan
        = (ts < state.graceEnd && state.previousPlan >= 0) ? state.previousPlan : state.plan;
    if (plan < 0)
        return -1;
    return planLimits[static_cast<std::size_t>(plan) * metrics.size()
        + static_cast<std::size_t>(metric)];
}

void Engine::Impl::refreshCycle(TimeMs ts)
{
    if (ts >= cycleFrom && ts < cycleTo)
        return;
    cycleFrom = cycleStart(policy, ts);
    cycleTo = cycleEnd(policy, ts);
}

Counter* Engine::Impl::counterFor(
    std::uint32_t rule, std::uint32_t slot, std::uint32_t user, std::uint32_t endpoint)
{
    const RuleInfo& info = rules[rule];
    switch (info.scope) {
    case Scope::Ip:
        return clientCounters(slot) + info.slot;
    case Scope::User:
        return userCounters(user) + info.slot;
    case Scope::UserEndpoint:
        return &keyedCounters[rule][(std::uint64_t(user) << 32) | endpoint];
    case Scope::IpEndpoint:
        return &keyedCounters[rule][(std::uint64_t(slot) << 32) | endpoint];
    case Scope::Global:
        return &globalCounters[rule];
    }
    return nullptr;
}

Decision Engine::Impl::decide(const EncodedRequest& request)
{
    ++decisions;
    lastTs = request.ts;
    const TimeMs ts = request.ts;
    const std::uint32_t user = request.user;
    if (user != 0 && request.plan != 0)
        trackPlan(user, request.plan, ts);

    const EndpointFacts& facts = endpointFactsOf(request.endpoint);
    if (facts.skip) {
        Decision out;
        out.reason = Reason::Skipped;
        out.costMicroUsd = costOf(request, facts);
        return out;
    }
    const std::uint32_t encodedSlot = clientSlotOf(request);
    if (encodedSlot == kSlotInvalid)
        return denial(Reason::InvalidIdentifier);
    const std::uint32_t slot = encodedSlot - 2;
    UserHeader* userState = user != 0 ? &userOf(user) : nullptr;

    Decision out;
    if (isBlocked(request, slot, ts)) {
        out = denial(Reason::Blocked);
        runAbuse(request, slot, out);
        return out;
    }

    // Idempotency (§4).
    std::uint64_t ledgerKey = 0;
    bool createEntry = false;
    if (request.idempotencyKey != 0) {
        while (!ledgerExpiry.empty() && ledgerExpiry.front().first <= ts) {
            const std::uint64_t expired = ledgerExpiry.front().second;
            const IdempotencyEntry* entry = ledger.find(expired);
            if (entry != nullptr && entry->firstSeen + policy.idempotencyTtlMs <= ts)
                ledger.erase(expired);
            ledgerExpiry.pop_front();
        }
        const std::uint64_t scope = user != 0 ? (std::uint64_t(user) | 0x80000000ULL) : slot;
        ledgerKey = (scope << 32) | request.idempotencyKey;
        IdempotencyEntry* const found = ledger.find(ledgerKey);
        if (found == nullptr || ts >= found->firstSeen + policy.idempotencyTtlMs) {
            createEntry = true;
        } else if (found->requestHash == request.requestHash) {
            const IdempotencyEntry& entry = *found;
            out.reason = Reason::IdempotentReplay;
            out.headerRule = entry.headerRule;
            out.limit = entry.limit;
            out.remaining = entry.remaining;
            out.resetAt = entry.resetAt;
            out.costMicroUsd = costOf(request, facts);
            runAbuse(request, slot, out);
            return out;
        } else {
            IdempotencyEntry& entry = *found;
            ++entry.collisions;
            std::uint8_t flags = CollisionParameters;
            if (ts - entry.firstSeen > 300000)
                flags |= CollisionLate;
            if (request.userAgent != entry.userAgent)
                flags |= CollisionUserAgent;
            if (policy.onConflict == OnConflict::Reject) {
                out = denial(Reason::IdempotencyConflict);
                out.collision = flags;
                runAbuse(request, slot, out);
                return out;
            }
            out.collision = flags;
        }
    }

    // Rate-limit rules (§5): evaluate every applicable rule, move nothing yet.
    std::uint64_t mask = facts.ruleMask & methodMaskOf(request.method);
    if (userState != nullptr)
        mask &= userState->plan >= 0 ? planRuleMask[static_cast<std::size_t>(userState->plan)]
                                     : defaultPlanRuleMask;
    else
        mask &= anonymousRuleMask;
    struct Pending {
        Counter* counter;
        Evaluation evaluation;
        std::uint32_t rule;
    };
    Pending pending[64];
    int pendingCount = 0;
    int denying = -1;
    for (std::uint64_t m = mask; m != 0; m &= m - 1) {
        const auto rule = static_cast<std::uint32_t>(__builtin_ctzll(m));
        Counter* counter = counterFor(rule, slot, user, request.endpoint);
        Pending& p = pending[pendingCount++];
        p.counter = counter;
        p.evaluation = evaluate(rules[rule], *counter, ts);
        p.rule = rule;
        if (!p.evaluation.admits) {
            if (rules[rule].enforce) {
                if (denying < 0)
                    denying = pendingCount - 1;
            } else if (out.wouldDeny < 0) {
                out.wouldDeny = static_cast<std::int16_t>(rule);
            }
        }
    }
    if (denying >= 0) {
        const Pending& p = pending[denying];
        const std::int16_t wouldDeny = out.wouldDeny;
        const std::uint8_t collision = out.collision;
        out = denial(Reason::RateLimited);
        out.wouldDeny = wouldDeny;
        out.collision = collision;
        out.rule = static_cast<std::int16_t>(p.rule);
        out.headerRule = out.rule;
        out.limit = p.evaluation.limit;
        out.remaining = 0;
        out.resetAt = p.evaluation.resetAt;
        out.retryAfterS = std::max<std::int64_t>(1, ceilDiv(out.resetAt - ts, 1000));
        runAbuse(request, slot, out);
        return out;
    }

    // Plan quota (§6).
    QuotaUsage* usage = nullptr;
    if (userState != nullptr && facts.metric >= 0) {
        refreshCycle(ts);
        usage = userQuota(user) + facts.metric;
        const std::int64_t used = usage->cycle == cycleFrom ? usage->used : 0;
        const std::int64_t limit = effectiveLimit(*userState, facts.metric, ts);
        if (limit >= 0 && used >= limit) {
            const std::int16_t wouldDeny = out.wouldDeny;
            const std::uint8_t collision = out.collision;
            out = denial(Reason::QuotaExceeded);
            out.wouldDeny = wouldDeny;
            out.collision = collision;
            out.limit = limit;
            out.remaining = 0;
            out.resetAt = cycleTo;
            out.retryAfterS = std::max<std::int64_t>(1, ceilDiv(cycleTo - ts, 1000));
            runAbuse(request, slot, out);
            return out;
        }
    }

    // Admission (§7): everything moves.
    for (int i = 0; i < pendingCount; ++i) {
        const Pending& p = pending[i];
        if (!p.evaluation.admits)
            continue; // a shadow rule that would deny stays as it is
        *p.counter = p.evaluation.next;
        if (rules[p.rule].enforce
            && (out.headerRule < 0 || p.evaluation.remaining < out.remaining)) {
            out.headerRule = static_cast<std::int16_t>(p.rule);
            out.limit = p.evaluation.limit;
            out.remaining = p.evaluation.remaining;
            out.resetAt = p.evaluation.resetAt;
        }
    }
    if (usage != nullptr) {
        if (usage->cycle != cycleFrom) {
            usage->cycle = cycleFrom;
            usage->used = 0;
        }
        ++usage->used;
    }
    out.costMicroUsd = costOf(request, facts);
    if (createEntry) {
        IdempotencyEntry& entry = ledger[ledgerKey];
        entry = IdempotencyEntry {};
        entry.requestHash = request.requestHash;
        entry.userAgent = request.userAgent;
        entry.firstSeen = ts;
        entry.headerRule = out.headerRule;
        entry.limit = out.limit;
        entry.remaining = out.remaining;
        entry.resetAt = out.resetAt;
        ledgerExpiry.emplace_back(ts + policy.idempotencyTtlMs, ledgerKey);
    }
    runAbuse(request, slot, out);
    return out;
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

Decision Engine::decide(const Request& request)
{
    return d->decide(encode(*d->dictionary, request));
}

Decision Engine::decide(const EncodedRequest& request)
{
    return d->decide(request);
}

void Engine::prefetch(const EncodedRequest& request) const
{
    // Two stages, because the client record's address is itself in memory (ip ids or the
    // (forwarded_for, ip) pair -> slot): now the slot entry of this request, and the records of
    // the request hinted prefetchLag.size() calls ago, whose slot entry has had time to arrive.
    Impl& e = *d;
    auto touch = [](const std::byte* record, std::size_t stride) {
        for (std::size_t offset = 0; offset < stride; offset += 64)
            __builtin_prefetch(record + offset, 1, 3);
    };
    if (request.user != 0 && request.user < e.users.size())
        touch(e.users.at(request.user), e.users.stride());
    PrefetchHint& lagging = e.prefetchLag[e.prefetchHead];
    const PrefetchHint earlier = lagging;
    lagging = PrefetchHint {};
    const std::uint64_t chainKey = (std::uint64_t(request.forwardedFor) << 32) | request.ip;
    if (request.forwardedFor == 0) {
        if (request.ip < e.ipSlot.size()) {
            __builtin_prefetch(&e.ipSlot[request.ip], 0, 3);
            lagging = PrefetchHint { chainKey, request.user, request.idempotencyKey };
        }
    } else {
        e.chainSlot.prefetch(chainKey);
        lagging = PrefetchHint { chainKey, request.user, request.idempotencyKey };
    }
    e.prefetchHead = (e.prefetchHead + 1) % e.prefetchLag.size();
    if (earlier.chainKey == UINT64_MAX)
        return;
    std::uint32_t encoded = kSlotUnknown;
    if ((earlier.chainKey >> 32) == 0) {
        encoded = e.ipSlot[static_cast<std::uint32_t>(earlier.chainKey)];
    } else if (const std::uint32_t* cached = e.chainSlot.find(earlier.chainKey)) {
        encoded = *cached;
    }
    if (encoded >= 2 && encoded - 2 < e.clients.size())
        touch(e.clients.at(encoded - 2), e.clients.stride());
    if (earlier.idempotencyKey != 0 && (earlier.user != 0 || encoded >= 2)) {
        const std::uint64_t scope
            = earlier.user != 0 ? (std::uint64_t(earlier.user) | 0x80000000ULL) : encoded - 2;
        e.ledger.prefetch((scope << 32) | earlier.idempotencyKey);
    }
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

void Engine::addBlock(const Block& block)
{
    d->addBlock(block);
}

int Engine::unblock(BlockTarget target, std::string_view value, TimeMs at)
{
    return d->unblock(target, value, at);
}

void Engine::changePlan(std::string_view userId, std::string_view plan, TimeMs ts)
{
    if (userId.empty())
        return;
    const std::uint32_t user = d->dictionary->intern(Field::User, userId);
    const std::uint32_t planId = d->dictionary->intern(Field::Plan, plan);
    UserHeader& state = d->userOf(user);
    const int known = d->planOf(planId);
    d->applyPlanChange(state, known >= 0 ? known : d->defaultPlan, ts);
    state.lastPlanId = planId;
}

std::pair<std::int64_t, std::int64_t> Engine::quotaUsage(
    std::string_view userId, std::string_view metric, TimeMs ts) const
{
    const auto it = std::find(d->metrics.begin(), d->metrics.end(), metric);
    const std::uint32_t user = d->dictionary->find(Field::User, userId);
    if (it == d->metrics.end() || user == UINT32_MAX || user == 0 || user >= d->users.size())
        return { 0, -1 };
    const auto& state = *reinterpret_cast<const UserHeader*>(d->users.at(user));
    if (!(state.flags & FlagSeen))
        return { 0, -1 };
    const int index = static_cast<int>(it - d->metrics.begin());
    const QuotaUsage& usage = d->userQuota(user)[index];
    const std::int64_t used = usage.cycle == cycleStart(d->policy, ts) ? usage.used : 0;
    return { used, d->effectiveLimit(state, index, ts) };
}

} // namespace qc::enforcement
