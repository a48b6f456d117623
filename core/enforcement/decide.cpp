// The decision function (docs/enforcement.md §1-§8 in order) and its batch form with prefetching:
// the hot path.
#include "engineimpl.h"

#include <new>
#include <type_traits>

namespace qc::enforcement {

using namespace detail;

namespace {

Decision denial(Reason reason)
{
    Decision out;
    out.reason = reason;
    out.status = statusOf(reason);
    out.allowed = false;
    return out;
}

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

QC_ALWAYS_INLINE inline void touch(const std::byte* record, std::size_t stride)
{
    // A record spans as many lines as its size needs (see the strides in Impl::Impl), so one
    // address per 64 bytes hits each of them.
    for (std::size_t offset = 0; offset < stride; offset += 64)
        __builtin_prefetch(record + offset, 1, 3);
}

} // namespace

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

    // Every return returns `out`, so that it is constructed in place in the caller's.
    Decision out;
    const EndpointFacts& facts = endpointFactsOf(request.endpoint);
    if (facts.skip) [[unlikely]] {
        out.reason = Reason::Skipped;
        out.costMicroUsd = costOf(request, facts);
        return out;
    }
    const std::uint32_t encodedSlot = clientSlotOf(request);
    if (encodedSlot == kSlotInvalid) [[unlikely]] {
        out = denial(Reason::InvalidIdentifier);
        return out;
    }
    const std::uint32_t slot = encodedSlot - 2;
    UserHeader* userState = user != 0 ? &userOf(user) : nullptr;

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
    // The fast path: every applicable rule a fixed window in a record. The counters that move
    // on admission, and the header rule (the enforced rule with the least remaining, the first
    // of equals), are found in the same pass that checks the limits.
    const bool fast = (mask & ~fixedRecordMask) == 0;
    struct FastPending {
        CompactCounter* where;
        CompactCounter next;
    };
    FastPending fastPending[64];
    int fastCount = 0;
    int fastHeader = -1;
    std::int64_t fastRemaining = 0;
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
            const CompactCounter stored = *where;
            const std::int32_t count = stored.rel == info.rel ? stored.count : 0;
            if (count >= info.limit) [[unlikely]] {
                // Moves nothing: a denial, or a shadow rule that would deny and stays as it is.
                if (info.enforce) {
                    if (denying < 0)
                        denying = static_cast<int>(rule);
                } else if (out.wouldDeny < 0) {
                    out.wouldDeny = static_cast<std::int16_t>(rule);
                }
                continue;
            }
            fastPending[fastCount++] = { where,
                CompactCounter {
                    static_cast<std::uint16_t>(info.rel), static_cast<std::uint16_t>(count + 1) } };
            const std::int64_t remaining = std::int64_t(info.limit) - (count + 1);
            if (info.enforce && (fastHeader < 0 || remaining < fastRemaining)) {
                fastHeader = static_cast<int>(rule);
                fastRemaining = remaining;
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
            out.resetAt = fixedRules[rule].resetAt;
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
        // A fixed window's counter, 16-bit (Compact) or 32-bit (Fixed): the count of the window
        // `window` so far (0 when the stored one is older); admission, remaining and reset.
        const auto readFixedWindow = [&](auto stored, const WindowCache& window) {
            p.where = records[info.userRecord] + info.offset;
            std::memcpy(&stored, p.where, sizeof(stored));
            const std::int64_t count = stored.rel == window.rel ? stored.count : 0;
            p.admits = count < info.limit;
            p.remaining = info.limit - (count + 1);
            p.resetAt = window.resetAt;
            return count;
        };
        switch (info.kind) {
        case CounterKind::Compact: {
            const WindowCache& window = windowOf(rule, ts);
            const std::int64_t count = readFixedWindow(CompactCounter {}, window);
            p.next.compact
                = { static_cast<std::uint16_t>(window.rel), static_cast<std::uint16_t>(count + 1) };
            break;
        }
        case CounterKind::Fixed: {
            const WindowCache& window = windowOf(rule, ts);
            const std::int64_t count = readFixedWindow(FixedCounter {}, window);
            p.next.fixed = { window.rel, static_cast<std::int32_t>(count + 1) };
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
    for (int i = 0; i < fastCount; ++i)
        *fastPending[i].where = fastPending[i].next;
    if (fastHeader >= 0) {
        const FixedRule& info = fixedRules[static_cast<std::size_t>(fastHeader)];
        out.headerRule = static_cast<std::int16_t>(fastHeader);
        out.limit = info.limit;
        out.remaining = fastRemaining;
        out.resetAt = info.resetAt;
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

Decision Engine::decide(const Request& request)
{
    return d->decide(encode(*d->dictionary, request));
}

Decision Engine::decide(const EncodedRequest& request)
{
    return d->decide(request);
}

QC_ALWAYS_INLINE inline void Engine::Impl::prefetchSlots(const EncodedRequest& request) const
{
    if (request.user < users.size()) // user 0 (none) is a valid, unused record
        touch(users.at(request.user), users.stride());
    if (request.ip < ipSlot.size())
        __builtin_prefetch(&ipSlot[request.ip], 0, 3);
    if (request.forwardedFor != 0 && request.forwardedFor < forwardedSlot.size()) [[unlikely]]
        __builtin_prefetch(&forwardedSlot[request.forwardedFor], 0, 3);
}

QC_ALWAYS_INLINE inline void Engine::Impl::prefetchClient(const EncodedRequest& request) const
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
    // Each decision is made in place: constructing from the returned prvalue elides the copy
    // that assigning it would make (Decision is trivially destructible).
    static_assert(std::is_trivially_destructible_v<Decision>);
    auto decideInto = [&e](const EncodedRequest& request, Decision& slot) QC_ALWAYS_INLINE {
        ::new (static_cast<void*>(&slot)) Decision(e.decide(request));
    };
    // The body without bounds checks, then the tail.
    std::size_t i = 0;
    for (; i + 2 * kAhead < n; ++i) {
        e.prefetchSlots(requests[i + 2 * kAhead]);
        e.prefetchClient(requests[i + kAhead]);
        decideInto(requests[i], out[i]);
    }
    for (; i < n; ++i) {
        if (i + kAhead < n)
            e.prefetchClient(requests[i + kAhead]);
        decideInto(requests[i], out[i]);
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

} // namespace qc::enforcement
