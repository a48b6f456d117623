// Rate-limit rule state (docs/enforcement.md §5): evaluating one rule on a counter, the window
// caches of fixed and sliding rules, moving a rule's window base, counters kept in maps.
#include "engineimpl.h"

namespace qc::enforcement {

using namespace detail;

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
        fixedRules[rule].rel = window.rel;
        fixedRules[rule].resetAt = window.resetAt;
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
    // A fixed window's counter, 16-bit (Compact) or 32-bit (Fixed): window index and count.
    const auto readWindow = [&](auto stored) {
        std::memcpy(&stored, where, sizeof(stored));
        counter.a = rule.indexBase + std::int64_t(stored.rel);
        counter.b = stored.count;
    };
    switch (rule.kind) {
    case CounterKind::Compact:
        readWindow(CompactCounter {});
        break;
    case CounterKind::Fixed:
        readWindow(FixedCounter {});
        break;
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

} // namespace qc::enforcement
