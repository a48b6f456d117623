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
    fixedRel.resize(rules.size());
    fixedReset.resize(rules.size());
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const RuleInfo& info = rules[i];
        if (info.kind != CounterKind::Compact)
            continue;
        fixedRecordMask |= 1ULL << i;
        fixedRules[i] = FixedRule { info.offset, static_cast<std::int32_t>(info.limit),
            info.userRecord, info.enforce };
    }
}

Engine::Impl::~Impl()
{
    releaseRings();
}

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

std::uint32_t Engine::Impl::ipEntry(std::uint32_t ip)
{
    if (ip >= ipSlot.size()) [[unlikely]]
        ipSlot.growTo(std::max<std::size_t>(ip + 1U, dictionary->size(Field::Ip)));
    std::uint32_t& entry = ipSlot[ip];
    if (entry == kSlotUnknown) {
        const auto address = IpAddress::parse(dictionary->text(Field::Ip, ip));
        if (!address)
            entry = kSlotInvalid;
        else if (isTrustedProxy(policy, *address))
            entry = kSlotFlag; // interned only if it turns out to be the client
        else
            entry = internClient(*address) + 2;
    }
    return entry;
}

std::uint32_t Engine::Impl::forwardedEntry(std::uint32_t forwardedFor)
{
    if (forwardedFor >= forwardedSlot.size()) [[unlikely]]
        forwardedSlot.growTo(
            std::max<std::size_t>(forwardedFor + 1U, dictionary->size(Field::ForwardedFor)));
    std::uint32_t& entry = forwardedSlot[forwardedFor];
    if (entry == kSlotUnknown) {
        const ChainWalk walk
            = walkForwardedFor(policy, dictionary->text(Field::ForwardedFor, forwardedFor));
        if (walk.kind == ChainWalk::Invalid)
            entry = kSlotInvalid;
        else if (walk.kind == ChainWalk::AllTrusted)
            entry = kSlotFlag;
        else
            entry = internClient(walk.address) + 2;
    }
    return entry;
}

std::uint32_t Engine::Impl::resolveClientSlot(const EncodedRequest& request)
{
    // docs/enforcement.md §2 from two caches: the socket address decides alone unless it is a
    // trusted proxy; then the chain decides, unless it is all trusted proxies too, in which
    // case the right-most address is the client.
    if (request.ip != 0) {
        const std::uint32_t entry = ipEntry(request.ip);
        if (entry == kSlotInvalid || (entry & kSlotFlag) == 0)
            return entry;
        if (request.forwardedFor != 0) {
            const std::uint32_t chain = forwardedEntry(request.forwardedFor);
            if (chain == kSlotInvalid || (chain & kSlotFlag) == 0)
                return chain;
        }
        if (entry == kSlotFlag) {
            const auto address = IpAddress::parse(dictionary->text(Field::Ip, request.ip));
            ipSlot[request.ip] = kSlotFlag | (internClient(*address) + 2);
        }
        return ipSlot[request.ip] & ~kSlotFlag;
    }
    if (request.forwardedFor == 0)
        return kSlotInvalid;
    const std::uint32_t chain = forwardedEntry(request.forwardedFor);
    if (chain == kSlotInvalid || (chain & kSlotFlag) == 0)
        return chain;
    if (chain == kSlotFlag) {
        const ChainWalk walk
            = walkForwardedFor(policy, dictionary->text(Field::ForwardedFor, request.forwardedFor));
        forwardedSlot[request.forwardedFor] = kSlotFlag | (internClient(walk.address) + 2);
    }
    return forwardedSlot[request.forwardedFor] & ~kSlotFlag;
}

UserHeader& Engine::Impl::addUser(std::uint32_t user)
{
    if (user >= users.size())
        users.resize(std::max<std::size_t>(user + 1, dictionary->size(Field::User)));
    auto& state = *reinterpret_cast<UserHeader*>(users.at(user));
    if (!(state.flags & FlagSeen)) {
        state.flags |= FlagSeen;
        state.plan = static_cast<std::int16_t>(defaultPlan);
        ++userCount;
    }
    return state;
}

void Engine::Impl::applyPlanChange(std::uint32_t user, int plan, TimeMs ts)
{
    UserHeader& state = *reinterpret_cast<UserHeader*>(users.at(user));
    if (plan < 0 || plan == state.plan)
        return;
    const int oldRank
        = state.plan >= 0 ? policy.plans[static_cast<std::size_t>(state.plan)].rank : INT32_MIN;
    const int newRank = policy.plans[static_cast<std::size_t>(plan)].rank;
    if (newRank >= oldRank) {
        if (state.flags & FlagGrace) {
            grace.erase(user);
            state.flags &= static_cast<std::uint16_t>(~FlagGrace);
        }
    } else {
        grace[user] = Grace { ts + policy.downgradeGraceMs, state.plan };
        state.flags |= FlagGrace;
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
        applyPlanChange(user, plan, ts);
    state.lastPlanId = planId;
}

int Engine::Impl::gracePlan(std::uint32_t user, int plan, TimeMs ts) const
{
    const Grace* g = grace.find(user);
    return g != nullptr && ts < g->end && g->previousPlan >= 0 ? g->previousPlan : plan;
}

void Engine::Impl::computeCycle(TimeMs ts)
{
    cycleFrom = cycleStart(policy, ts);
    cycleTo = cycleEnd(policy, ts);
}

Counter* Engine::Impl::keyedCounter(
    std::uint32_t rule, std::uint32_t slot, std::uint32_t user, std::uint32_t endpoint)
{
    switch (rules[rule].scope) {
    case Scope::UserEndpoint:
        return &keyedCounters[rule][(std::uint64_t(user) << 32) | endpoint];
    case Scope::IpEndpoint:
        return &keyedCounters[rule][(std::uint64_t(slot) << 32) | endpoint];
    case Scope::Global:
        return &globalCounters[rule];
    case Scope::Ip:
    case Scope::User:
        break;
    }
    return nullptr;
}

namespace {

// One applicable rule, evaluated and not yet committed.
struct Pending {
    std::byte* where; // the counter: in a record, or a Counter in a map (CounterKind::Keyed)
    std::int64_t remaining; // after admission
    TimeMs resetAt;
    union {
        CompactCounter compact;
        FixedCounter fixed;
        SlidingCounter sliding;
        std::int64_t tat;
        Counter wide;
    } next;
    std::uint32_t rule;
    CounterKind kind;
    bool admits;
};

} // namespace

const WindowCache& Engine::Impl::refreshWindow(std::uint32_t rule, TimeMs ts)
{
    const RuleInfo& info = rules[rule];
    const TimeMs w = info.windowMs;
    const std::int64_t index = ts / w;
    if (info.kind != CounterKind::Keyed
        && (index < info.indexBase || index - info.indexBase > info.relMax())) [[unlikely]]
        rebaseWindows(rule, index);
    WindowCache& window = windows[rule];
    window.index = index;
    window.rel = static_cast<std::uint32_t>(index - info.indexBase);
    window.resetAt = (index + 1) * w;
    // Only non-negative ts are cached: for those ts / w is the floor.
    window.from = ts >= 0 ? index * w : 1;
    window.to = ts >= 0 ? window.resetAt : 0;
    return window;
}

void Engine::Impl::refreshFixedWindows(TimeMs ts)
{
    fixedFrom = INT64_MIN;
    fixedTo = INT64_MAX;
    for (std::uint64_t m = fixedRecordMask; m != 0; m &= m - 1) {
        const auto rule = static_cast<std::uint32_t>(__builtin_ctzll(m));
        const WindowCache& window = windowOf(rule, ts);
        fixedRel[rule] = window.rel;
        fixedReset[rule] = window.resetAt;
        fixedFrom = std::max(fixedFrom, window.from);
        fixedTo = std::min(fixedTo, window.to);
    }
    if (ts < 0) { // not cached
        fixedFrom = 1;
        fixedTo = 0;
    }
}

void Engine::Impl::rebaseWindows(std::uint32_t rule, std::int64_t index)
{
    fixedFrom = 1; // the fast path's copies of relative indices are stale
    fixedTo = 0;
    // Centre the range on the new index; a stored index that then falls outside it is more
    // than half the range (2^31 windows, 68 years of 1-second windows; compact counters: 2^15
    // windows of at least a minute, 22 days) away from any ts to come, i.e. an expired window:
    // the same as never seen.
    RuleInfo& info = rules[rule];
    const std::int64_t relMax = info.relMax();
    const std::int64_t half = (relMax + 1) / 2;
    const std::int64_t newBase = index < INT64_MIN + half ? INT64_MIN
        : index - half > INT64_MAX - relMax               ? INT64_MAX - relMax
                                                          : index - half;
    RecordArray& records = info.userRecord ? users : clients;
    const bool compact = info.kind == CounterKind::Compact;
    const std::size_t size = compact      ? sizeof(CompactCounter)
        : info.kind == CounterKind::Fixed ? sizeof(FixedCounter)
                                          : sizeof(SlidingCounter);
    for (std::size_t i = 0; i < records.size(); ++i) {
        std::byte* where = records.at(i) + info.offset;
        std::uint32_t rel = 0;
        if (compact) {
            std::uint16_t narrow = 0;
            std::memcpy(&narrow, where, sizeof(narrow));
            rel = narrow;
        } else {
            std::memcpy(&rel, where, sizeof(rel));
        }
        const std::int64_t stored = info.indexBase + std::int64_t(rel);
        if (stored < newBase || stored - newBase > relMax) {
            std::memset(where, 0, size);
        } else if (compact) {
            const auto narrow = static_cast<std::uint16_t>(stored - newBase);
            std::memcpy(where, &narrow, sizeof(narrow));
        } else {
            rel = static_cast<std::uint32_t>(stored - newBase);
            std::memcpy(where, &rel, sizeof(rel));
        }
    }
    info.indexBase = newBase;
    windows[rule] = WindowCache {};
}

Counter Engine::Impl::recordCounter(const RuleInfo& rule, const std::byte* where) const
{
    Counter counter {};
    switch (rule.kind) {
    case CounterKind::Compact: {
        CompactCounter stored;
        std::memcpy(&stored, where, sizeof(stored));
        counter.a = rule.indexBase + std::int64_t(stored.rel);
        counter.b = stored.count;
        break;
    }
    case CounterKind::Fixed: {
        FixedCounter stored;
        std::memcpy(&stored, where, sizeof(stored));
        counter.a = rule.indexBase + std::int64_t(stored.rel);
        counter.b = stored.count;
        break;
    }
    case CounterKind::Sliding: {
        SlidingCounter stored;
        std::memcpy(&stored, where, sizeof(stored));
        counter.a = rule.indexBase + std::int64_t(stored.rel);
        counter.b = stored.previous;
        counter.c = stored.current;
        break;
    }
    case CounterKind::Bucket:
        std::memcpy(&counter.a, where, sizeof(counter.a));
        break;
    case CounterKind::Keyed:
        std::memcpy(&counter, where, sizeof(counter));
        break;
    }
    return counter;
}

inline Decision Engine::Impl::decide(const EncodedRequest& request)
{
    ++decisions;
    lastTs = request.ts;
    const TimeMs ts = request.ts;
    const std::uint32_t user = request.user;
    if (user != 0 && request.plan != 0) {
        // The plan of most requests is the one their user already has: one compare.
        const bool same = user < users.size()
            && reinterpret_cast<const UserHeader*>(users.at(user))->lastPlanId == request.plan
            && (reinterpret_cast<const UserHeader*>(users.at(user))->flags & FlagSeen);
        if (!same)
            trackPlan(user, request.plan, ts);
    }

    const EndpointFacts& facts = endpointFactsOf(request.endpoint);
    if (facts.skip) [[unlikely]] {
        Decision out;
        out.reason = Reason::Skipped;
        out.costMicroUsd = costOf(request, facts);
        return out;
    }
    const std::uint32_t encodedSlot = clientSlotOf(request);
    if (encodedSlot == kSlotInvalid) [[unlikely]]
        return denial(Reason::InvalidIdentifier);
    const std::uint32_t slot = encodedSlot - 2;
    UserHeader* userState = user != 0 ? &userOf(user) : nullptr;

    Decision out;
    if (isBlocked(request, slot, ts)) [[unlikely]] {
        out = denial(Reason::Blocked);
        runAbuse(request, slot, facts, out);
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
            out.limit = headerLimit(entry.headerRule);
            out.remaining = entry.remaining;
            out.resetAt = entry.resetAt;
            out.costMicroUsd = costOf(request, facts);
            runAbuse(request, slot, facts, out);
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
                runAbuse(request, slot, facts, out);
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
    std::byte* const records[2]
        = { clients.at(slot), userState != nullptr ? users.at(user) : nullptr };
    // The fast path: every applicable rule a fixed window in a record.
    const bool fast = (mask & ~fixedRecordMask) == 0;
    struct FastPending {
        CompactCounter* where;
        std::int32_t count; // before this request
        std::uint32_t rule;
    };
    FastPending fastPending[64];
    Pending pending[64];
    int pendingCount = 0;
    int denying = -1;
    if (fast) {
        if (ts < fixedFrom || ts >= fixedTo) [[unlikely]]
            refreshFixedWindows(ts);
        for (std::uint64_t m = mask; m != 0; m &= m - 1) {
            const auto rule = static_cast<std::uint32_t>(__builtin_ctzll(m));
            const FixedRule& info = fixedRules[rule];
            auto* where = reinterpret_cast<CompactCounter*>(records[info.userRecord] + info.offset);
            const std::int32_t count = where->rel == fixedRel[rule] ? where->count : 0;
            fastPending[pendingCount++] = { where, count, rule };
            if (count >= info.limit) {
                if (info.enforce) {
                    if (denying < 0)
                        denying = static_cast<int>(rule);
                } else if (out.wouldDeny < 0) {
                    out.wouldDeny = static_cast<std::int16_t>(rule);
                }
            }
        }
        if (denying >= 0) {
            const auto rule = static_cast<std::uint32_t>(denying);
            const std::int16_t wouldDeny = out.wouldDeny;
            const std::uint8_t collision = out.collision;
            out = denial(Reason::RateLimited);
            out.wouldDeny = wouldDeny;
            out.collision = collision;
            out.rule = static_cast<std::int16_t>(rule);
            out.headerRule = out.rule;
            out.limit = fixedRules[rule].limit;
            out.remaining = 0;
            out.resetAt = fixedReset[rule];
            out.retryAfterS = std::max<std::int64_t>(1, ceilDiv(out.resetAt - ts, 1000));
            runAbuse(request, slot, facts, out);
            return out;
        }
    }
    for (std::uint64_t m = fast ? 0 : mask; m != 0; m &= m - 1) {
        const auto rule = static_cast<std::uint32_t>(__builtin_ctzll(m));
        const RuleInfo& info = rules[rule];
        Pending& p = pending[pendingCount++];
        p.rule = rule;
        p.kind = info.kind;
        switch (info.kind) {
        case CounterKind::Compact: {
            const WindowCache& window = windowOf(rule, ts);
            p.where = records[info.userRecord] + info.offset;
            CompactCounter stored;
            std::memcpy(&stored, p.where, sizeof(stored));
            const std::int64_t count = stored.rel == window.rel ? stored.count : 0;
            p.admits = count < info.limit;
            p.next.compact
                = { static_cast<std::uint16_t>(window.rel), static_cast<std::uint16_t>(count + 1) };
            p.remaining = info.limit - (count + 1);
            p.resetAt = window.resetAt;
            break;
        }
        case CounterKind::Fixed: {
            const WindowCache& window = windowOf(rule, ts);
            p.where = records[info.userRecord] + info.offset;
            FixedCounter stored;
            std::memcpy(&stored, p.where, sizeof(stored));
            const std::int64_t count = stored.rel == window.rel ? stored.count : 0;
            p.admits = count < info.limit;
            p.next.fixed = { window.rel, static_cast<std::int32_t>(count + 1) };
            p.remaining = info.limit - (count + 1);
            p.resetAt = window.resetAt;
            break;
        }
        case CounterKind::Sliding: {
            const WindowCache& window = windowOf(rule, ts);
            p.where = records[info.userRecord] + info.offset;
            SlidingCounter stored;
            std::memcpy(&stored, p.where, sizeof(stored));
            std::int64_t previous = 0;
            std::int64_t current = 0;
            if (stored.rel == window.rel) {
                previous = stored.previous;
                current = stored.current;
            } else if (stored.rel == window.rel - 1 && window.rel != 0) {
                previous = stored.current;
            }
            const std::int64_t elapsed = ts - window.index * info.windowMs;
            const std::int64_t estimate
                = previous * (info.windowMs - elapsed) / info.windowMs + current;
            p.admits = estimate < info.limit;
            p.next.sliding = { window.rel, static_cast<std::int32_t>(previous),
                static_cast<std::int32_t>(current + 1) };
            p.remaining = std::max<std::int64_t>(0, info.limit - (estimate + 1));
            p.resetAt = window.resetAt;
            break;
        }
        case CounterKind::Bucket: {
            p.where = records[info.userRecord] + info.offset;
            Counter counter {};
            std::memcpy(&counter.a, p.where, sizeof(counter.a));
            const Evaluation e = evaluate(info, counter, ts);
            p.admits = e.admits;
            p.next.tat = e.next.a;
            p.remaining = e.remaining;
            p.resetAt = e.resetAt;
            break;
        }
        case CounterKind::Keyed: {
            Counter* counter = keyedCounter(rule, slot, user, request.endpoint);
            p.where = reinterpret_cast<std::byte*>(counter);
            if (info.algorithm == Algorithm::TokenBucket) {
                const Evaluation e = evaluate(info, *counter, ts);
                p.admits = e.admits;
                p.next.wide = e.next;
                p.remaining = e.remaining;
                p.resetAt = e.resetAt;
                break;
            }
            // The same as evaluate(), with the window from the cache.
            const WindowCache& window = windowOf(rule, ts);
            const std::int64_t index = window.index;
            if (info.algorithm == Algorithm::FixedWindow) {
                const std::int64_t count = counter->a == index ? counter->b : 0;
                p.admits = count < info.limit;
                p.next.wide = { index, static_cast<std::int32_t>(count + 1), 0 };
                p.remaining = info.limit - (count + 1);
            } else {
                std::int64_t previous = 0;
                std::int64_t current = 0;
                if (counter->a == index) {
                    previous = counter->b;
                    current = counter->c;
                } else if (counter->a == index - 1) {
                    previous = counter->c;
                }
                const std::int64_t elapsed = ts - index * info.windowMs;
                const std::int64_t estimate
                    = previous * (info.windowMs - elapsed) / info.windowMs + current;
                p.admits = estimate < info.limit;
                p.next.wide = { index, static_cast<std::int32_t>(previous),
                    static_cast<std::int32_t>(current + 1) };
                p.remaining = std::max<std::int64_t>(0, info.limit - (estimate + 1));
            }
            p.resetAt = window.resetAt;
            break;
        }
        }
        if (!p.admits) {
            if (info.enforce) {
                if (denying < 0)
                    denying = pendingCount - 1;
            } else if (out.wouldDeny < 0) {
                out.wouldDeny = static_cast<std::int16_t>(rule);
            }
        }
    }
    if (denying >= 0) {
        const Pending& p = pending[denying];
        const RuleInfo& info = rules[p.rule];
        const std::int16_t wouldDeny = out.wouldDeny;
        const std::uint8_t collision = out.collision;
        out = denial(Reason::RateLimited);
        out.wouldDeny = wouldDeny;
        out.collision = collision;
        out.rule = static_cast<std::int16_t>(p.rule);
        out.headerRule = out.rule;
        out.limit = info.algorithm == Algorithm::TokenBucket ? info.burst : info.limit;
        out.remaining = 0;
        out.resetAt = p.resetAt;
        out.retryAfterS = std::max<std::int64_t>(1, ceilDiv(out.resetAt - ts, 1000));
        runAbuse(request, slot, facts, out);
        return out;
    }

    // Plan quota (§6).
    QuotaUsage* usage = nullptr;
    if (userState != nullptr && facts.metric >= 0) {
        refreshCycle(ts);
        usage = userQuota(user) + facts.metric;
        const std::int64_t used = usage->cycle == cycleFrom ? usage->used : 0;
        const std::int64_t limit = effectiveLimit(user, facts.metric, ts);
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
            runAbuse(request, slot, facts, out);
            return out;
        }
    }

    // Admission (§7): everything moves.
    if (fast) {
        for (int i = 0; i < pendingCount; ++i) {
            const FastPending& p = fastPending[i];
            const FixedRule& info = fixedRules[p.rule];
            if (p.count >= info.limit)
                continue; // a shadow rule that would deny stays as it is
            *p.where = CompactCounter { static_cast<std::uint16_t>(fixedRel[p.rule]),
                static_cast<std::uint16_t>(p.count + 1) };
            const std::int64_t remaining = std::int64_t(info.limit) - (p.count + 1);
            if (info.enforce && (out.headerRule < 0 || remaining < out.remaining)) {
                out.headerRule = static_cast<std::int16_t>(p.rule);
                out.limit = info.limit;
                out.remaining = remaining;
                out.resetAt = fixedReset[p.rule];
            }
        }
        pendingCount = 0;
    }
    for (int i = 0; i < pendingCount; ++i) {
        const Pending& p = pending[i];
        if (!p.admits)
            continue; // a shadow rule that would deny stays as it is
        switch (p.kind) {
        case CounterKind::Compact:
            std::memcpy(p.where, &p.next.compact, sizeof(CompactCounter));
            break;
        case CounterKind::Fixed:
            std::memcpy(p.where, &p.next.fixed, sizeof(FixedCounter));
            break;
        case CounterKind::Sliding:
            std::memcpy(p.where, &p.next.sliding, sizeof(SlidingCounter));
            break;
        case CounterKind::Bucket:
            std::memcpy(p.where, &p.next.tat, sizeof(std::int64_t));
            break;
        case CounterKind::Keyed:
            std::memcpy(p.where, &p.next.wide, sizeof(Counter));
            break;
        }
        const RuleInfo& info = rules[p.rule];
        if (info.enforce && (out.headerRule < 0 || p.remaining < out.remaining)) {
            out.headerRule = static_cast<std::int16_t>(p.rule);
            out.limit = info.algorithm == Algorithm::TokenBucket ? info.burst : info.limit;
            out.remaining = p.remaining;
            out.resetAt = p.resetAt;
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
        entry.remaining = out.remaining;
        entry.resetAt = out.resetAt;
        ledgerExpiry.emplace_back(ts + policy.idempotencyTtlMs, ledgerKey);
    }
    runAbuse(request, slot, facts, out);
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

namespace {

void touch(const std::byte* record, std::size_t stride)
{
    // A record spans as many lines as its size needs (see the strides in Impl::Impl), so one
    // address per 64 bytes hits each of them.
    for (std::size_t offset = 0; offset < stride; offset += 64)
        __builtin_prefetch(record + offset, 1, 3);
}

} // namespace

void Engine::Impl::prefetchSlots(const EncodedRequest& request) const
{
    if (request.user < users.size()) // user 0 (none) is a valid, unused record
        touch(users.at(request.user), users.stride());
    if (request.ip < ipSlot.size())
        __builtin_prefetch(&ipSlot[request.ip], 0, 3);
    if (request.forwardedFor != 0 && request.forwardedFor < forwardedSlot.size()) [[unlikely]]
        __builtin_prefetch(&forwardedSlot[request.forwardedFor], 0, 3);
}

void Engine::Impl::prefetchClient(const EncodedRequest& request) const
{
    // The socket address's slot; behind a trusted proxy the chain's (whose entry the first
    // stage fetched too).
    std::uint32_t encoded = request.ip < ipSlot.size() ? ipSlot[request.ip] : kSlotUnknown;
    if ((encoded & kSlotFlag) != 0) [[unlikely]] {
        if (request.forwardedFor != 0 && request.forwardedFor < forwardedSlot.size()
            && (forwardedSlot[request.forwardedFor] & kSlotFlag) == 0)
            encoded = forwardedSlot[request.forwardedFor];
        encoded &= ~kSlotFlag;
    }
    const bool known = encoded >= 2 && encoded - 2 < clients.size();
    if (known)
        touch(clients.at(encoded - 2), clients.stride());
    if (request.idempotencyKey != 0 && (request.user != 0 || known)) [[unlikely]] {
        const std::uint64_t scope
            = request.user != 0 ? (std::uint64_t(request.user) | 0x80000000ULL) : encoded - 2;
        ledger.prefetch((scope << 32) | request.idempotencyKey);
    }
}

void Engine::decide(std::span<const EncodedRequest> requests, std::span<Decision> out)
{
    // Far enough ahead to cover a memory miss, near enough that the lines are still there.
    // Two stages, the second reading what the first fetched: the slot cache entries and the
    // user record, then the client record (and the ledger's slot).
    constexpr std::size_t kAhead = 8;
    Impl& e = *d;
    const std::size_t n = std::min(requests.size(), out.size());
    const std::size_t head = std::min(n, 2 * kAhead);
    for (std::size_t i = 0; i < head; ++i)
        e.prefetchSlots(requests[i]);
    for (std::size_t i = 0; i < std::min(n, kAhead); ++i)
        e.prefetchClient(requests[i]);
    // The body without bounds checks, then the tail.
    std::size_t i = 0;
    for (; i + 2 * kAhead < n; ++i) {
        e.prefetchSlots(requests[i + 2 * kAhead]);
        e.prefetchClient(requests[i + kAhead]);
        out[i] = e.decide(requests[i]);
    }
    for (; i < n; ++i) {
        if (i + kAhead < n)
            e.prefetchClient(requests[i + kAhead]);
        out[i] = e.decide(requests[i]);
    }
}

void Engine::prefetch(const EncodedRequest& request) const
{
    // Two stages, because the client record's address is itself in memory (the slot caches by
    // ip and forwarded_for id): now the cache entries of this request, and the records of the
    // request hinted prefetchLag.size() calls ago, whose entries have had time to arrive.
    Impl& e = *d;
    e.prefetchSlots(request);
    PrefetchHint& lagging = e.prefetchLag[e.prefetchHead];
    const PrefetchHint earlier = lagging;
    lagging = PrefetchHint { request.ip, request.forwardedFor, request.user, request.idempotencyKey,
        true };
    e.prefetchHead = (e.prefetchHead + 1) % e.prefetchLag.size();
    if (!earlier.valid)
        return;
    EncodedRequest hinted;
    hinted.ip = earlier.ip;
    hinted.forwardedFor = earlier.forwardedFor;
    hinted.user = earlier.user;
    hinted.idempotencyKey = earlier.idempotencyKey;
    e.prefetchClient(hinted);
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

void Engine::changePlan(std::string_view userId, std::string_view plan, TimeMs ts)
{
    if (userId.empty())
        return;
    const std::uint32_t user = d->dictionary->intern(Field::User, userId);
    const std::uint32_t planId = d->dictionary->intern(Field::Plan, plan);
    d->userOf(user);
    const int known = d->planOf(planId);
    d->applyPlanChange(user, known >= 0 ? known : d->defaultPlan, ts);
    reinterpret_cast<UserHeader*>(d->users.at(user))->lastPlanId = planId;
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
    return { used, d->effectiveLimit(user, index, ts) };
}

} // namespace qc::enforcement
