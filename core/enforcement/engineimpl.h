#pragma once

// Internal to the engine: its state layout, shared by engine.cpp, abuse.cpp and blocks.cpp.

#include "civildate.h"
#include "clientaddress.h"
#include "engine.h"
#include "flatmap.h"
#include "pagebuffer.h"
#include "smallring.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <new>
#include <unordered_map>

// For the few helpers of the hot path that the compiler would otherwise call out of line.
#if defined(__GNUC__)
#define QC_ALWAYS_INLINE __attribute__((always_inline))
#else
#define QC_ALWAYS_INLINE
#endif

namespace qc::enforcement::detail {

inline std::int64_t ceilDiv(std::int64_t a, std::int64_t b)
{
    return -floorDiv(-a, b);
}

/// One rule's state for one identifier, in full. fixed: a = window index, b = count; sliding:
/// a = index, b = previous count, c = current count; token bucket: a = theoretical arrival
/// time in µs. All zero is the same as "never seen". Kept like this in the maps of
/// user_endpoint, ip_endpoint and global rules; the records of clients and users hold the
/// compact forms below. No member initializers: value-initialize (`Counter{}`) instead.
struct Counter {
    std::int64_t a;
    std::int32_t b;
    std::int32_t c;
};
static_assert(sizeof(Counter) == 16);

// Compact counters inside client and user records. A window index is stored relative to its
// rule's RuleInfo::indexBase, as 32 bits: every stored index lies in [base, base + 2^32), and
// the base moves (rebaseWindows) in the rare case that a window index leaves that range. All
// zero is "never seen", as for Counter.
struct FixedCounter {
    std::uint32_t rel;
    std::int32_t count;
};
static_assert(sizeof(FixedCounter) == 8);
// The fast path's form, for fixed windows of at least kCompactWindowMs whose limit fits 16 bits
// (a count never exceeds its limit): the index relative to the base in 16 bits too, so the base
// moves every 2^15 windows (22 days of 1-minute windows), each move one pass over the records.
struct CompactCounter {
    std::uint16_t rel;
    std::uint16_t count;
};
static_assert(sizeof(CompactCounter) == 4);
inline constexpr TimeMs kCompactWindowMs = 60000;
inline constexpr std::int64_t kCompactLimit = UINT16_MAX;
struct SlidingCounter {
    std::uint32_t rel;
    std::int32_t previous;
    std::int32_t current;
};
static_assert(sizeof(SlidingCounter) == 12);
// A token bucket in a record is its theoretical arrival time, std::int64_t µs.

enum class CounterKind : std::uint8_t { Compact, Fixed, Sliding, Bucket, Keyed };

struct Evaluation {
    bool admits;
    Counter next;
    std::int64_t limit;
    std::int64_t remaining; // after admission
    TimeMs resetAt;
};

struct RuleInfo {
    Scope scope = Scope::Ip;
    Algorithm algorithm = Algorithm::FixedWindow;
    bool enforce = true;
    TimeMs windowMs = 1;
    std::int64_t limit = 0;
    std::int64_t emissionUs = 1; // token bucket T
    std::int64_t tauUs = 0;
    std::int64_t burst = 1;
    CounterKind kind = CounterKind::Keyed; // where and how its counters are kept
    bool userRecord = false; // kind != Keyed: in the user's record, else in the client's
    std::uint32_t offset = 0; // byte offset of its counter in the record
    std::int64_t indexBase = 0; // Compact, Fixed, Sliding: see FixedCounter
    /// The largest relative index its counters can hold.
    std::int64_t relMax() const
    {
        return kind == CounterKind::Compact ? std::int64_t(UINT16_MAX) : std::int64_t(UINT32_MAX);
    }
};

/// A fixed-window rule kept in client or user records as a CompactCounter, the common case, as
/// decide()'s fast path reads it.
struct FixedRule {
    std::uint32_t offset = 0;
    std::int32_t limit = 0;
    std::uint32_t rel = 0; // the current window's index - RuleInfo::indexBase
    bool userRecord = false;
    bool enforce = true;
    TimeMs resetAt = 0; // of the current window
};
static_assert(sizeof(FixedRule) == 24);

/// The window of a fixed or sliding rule that contains the latest ts: requests come in time
/// order, so the division that finds the window is done once per window, not once per request.
struct WindowCache {
    TimeMs from = 1; // [from, to) holds the ts it was computed for; empty for a negative ts
    TimeMs to = 0;
    std::int64_t index = 0;
    TimeMs resetAt = 0; // (index + 1) * W
    std::uint32_t rel = 0; // index - RuleInfo::indexBase
};

Evaluation evaluate(const RuleInfo& rule, const Counter& counter, TimeMs ts);

struct CostEvent {
    TimeMs ts;
    MicroUsd cost;
};
using RateRing = SmallRing<TimeMs, 1>;
/// A cost pattern's trailing window and the sum of the costs in it, in 40 bytes: inline the ring
/// holds up to two events, whose costs add up to the sum; on the heap the ring's pointer takes
/// 8 of the 32 inline bytes and the sum lives in the next 8.
struct CostWindow {
    SmallRing<CostEvent, 2> ring;
    MicroUsd sum() const
    {
        if (!ring.onHeap()) {
            const std::uint32_t n = ring.size();
            return (n > 0 ? ring.at(0).cost : 0) + (n > 1 ? ring.at(1).cost : 0);
        }
        MicroUsd s;
        std::memcpy(&s, reinterpret_cast<const std::byte*>(&ring) + kSumOffset, sizeof(s));
        return s;
    }
    /// After the ring changed: records the sum of its events (implied while inline).
    void setSum(MicroUsd s)
    {
        if (ring.onHeap())
            std::memcpy(reinterpret_cast<std::byte*>(&ring) + kSumOffset, &s, sizeof(s));
    }
    static constexpr std::size_t kSumOffset = sizeof(std::uintptr_t);
};
static_assert(sizeof(RateRing) == 16 && sizeof(CostWindow) == 40);

struct PatternInfo {
    AbuseKind kind = AbuseKind::Rate;
    AbuseScope scope = AbuseScope::Ip;
    TimeMs windowMs = 0;
    std::int64_t threshold = 0; // requests (rate) or µUSD (cost)
    std::uint32_t maxEntries = 0; // rate: threshold + 1 is all a count ever needs
    std::uint32_t ringOffset = 0; // byte offset of its window in the identifier's record
    std::uint32_t incidentOffset = 0; // of the ts of its last incident; 0: in lastIncident
    TimeMs rearmMs = kHour;
};

/// A rate or cost pattern's trailing window, as runAbuse() walks them: one list per scope and
/// kind.
struct WindowInfo {
    std::uint32_t ringOffset = 0;
    std::uint32_t bit = 0; // 1 << pattern index
    TimeMs windowMs = 0;
    std::int64_t threshold = 0;
    std::uint32_t maxEntries = 0;
};

/// Flat per-identifier records of a fixed stride, all-zero when new, relocated by moving pages.
class RecordArray {
public:
    void setStride(std::size_t stride) { m_stride = (stride + 7) & ~std::size_t(7); }
    std::size_t stride() const { return m_stride; }
    std::size_t size() const { return m_size; }
    std::size_t capacityBytes() const { return m_buffer.capacity(); }
    std::byte* at(std::size_t index) const { return m_buffer.data() + index * m_stride; }
    void resize(std::size_t count)
    {
        if (count > m_size) {
            m_buffer.reserve(count * m_stride);
            m_size = count;
        }
    }

private:
    PageBuffer m_buffer;
    std::size_t m_size = 0;
    std::size_t m_stride = 8;
};

enum RecordFlag : std::uint16_t {
    FlagSeen = 1,
    FlagHasBlocks = 2, // some block targets this identifier: check the block tables
    FlagGrace = 4, // user: downgraded with grace, see Engine::Impl::grace
};

struct ClientHeader {
    std::uint32_t flags;
    std::uint32_t disarmed; // bit per abuse pattern
};
static_assert(sizeof(ClientHeader) == 8);

struct UserHeader {
    std::int16_t plan; // -1 = not known yet
    std::uint16_t flags;
    std::uint32_t lastPlanId; // dictionary id of the last plan text seen
    std::uint32_t disarmed;
};
static_assert(sizeof(UserHeader) == 12);

/// A downgrade's grace (docs/enforcement.md §6), rare, so kept out of the user records.
struct Grace {
    TimeMs end;
    std::int16_t previousPlan;
};

struct QuotaUsage {
    TimeMs cycle; // start of the cycle `used` belongs to
    std::int64_t used;
};

struct EndpointFacts {
    bool known = false;
    bool skip = false;
    std::int16_t metric = -1;
    std::uint32_t patternMask = 0; // abuse patterns whose endpoints match (all for non-rate)
    std::uint64_t ruleMask = 0;
    MicroUsd costBase = 0; // of the first matching cost.endpoints entry, else 0
    std::int64_t costMemoryRate = 0; // that entry's (else the default) memory_mb × gb_hour µUSD
};

/// A live idempotency key (docs/enforcement.md §4) with the admission it stored. The stored
/// limit is that of the header rule (-1 without one), so it is not kept.
struct IdempotencyEntry {
    std::uint32_t requestHash = 0;
    std::uint32_t userAgent = 0;
    TimeMs firstSeen = 0;
    std::uint32_t collisions = 0;
    std::int16_t headerRule = -1;
    std::int64_t remaining = -1;
    TimeMs resetAt = 0;
};
static_assert(sizeof(IdempotencyEntry) == 40);

struct RaisedIncident {
    TimeMs ts;
    TimeMs blockedUntil;
    std::uint32_t identifier; // client slot or user id, by the pattern's scope
    std::uint32_t requestId;
    std::uint8_t pattern;
};

struct BlockRecord {
    Block block;
    TimeMs unblockedAt = kForever;
    Cidr network; // ip: the address as a /128; network: the CIDR
    bool active(TimeMs ts) const
    {
        return block.from <= ts && ts < std::min(block.until, unblockedAt);
    }
};

struct IpHash {
    std::size_t operator()(const IpAddress& a) const
    {
        std::uint64_t h = a.hi * 0x9e3779b97f4a7c15ULL ^ a.lo;
        h ^= h >> 31;
        h *= 0xbf58476d1ce4e5b9ULL;
        return static_cast<std::size_t>(h ^ (h >> 29));
    }
};

/// An entry of the client-key index. The tag (high hash bits) settles almost every mismatch
/// without reading the key in slotKeys, another cache line.
struct SlotIndexEntry {
    std::uint32_t slotPlusOne; // 0 = empty
    std::uint32_t tag;
};

/// A request hinted by prefetch() whose client record is fetched a few hints later.
struct PrefetchHint {
    std::uint32_t ip = 0;
    std::uint32_t forwardedFor = 0;
    std::uint32_t user = 0;
    std::uint32_t idempotencyKey = 0;
    bool valid = false;
};

// Client slot caches, per ip id and per forwarded_for id: 0 = not computed yet, 1 = no valid
// client address, else (slot + 2), with kSlotFlag marking a trusted proxy (ip) or a chain of
// trusted proxies only (forwarded_for). A flagged entry may have no slot yet (low bits 0): the
// address is interned only once it turns out to be the client.
inline constexpr std::uint32_t kSlotUnknown = 0;
inline constexpr std::uint32_t kSlotInvalid = 1;
inline constexpr std::uint32_t kSlotFlag = 0x80000000U;

} // namespace qc::enforcement::detail

namespace qc::enforcement {

struct Engine::Impl {
    explicit Impl(Policy p, std::shared_ptr<Dictionary> dict);
    ~Impl();

    Policy policy;
    std::shared_ptr<Dictionary> dictionary;

    // Resolved policy.
    std::vector<detail::RuleInfo> rules;
    std::vector<std::uint64_t> planRuleMask; // per plan index: rules that match that plan
    std::uint64_t anonymousRuleMask = 0;
    std::uint64_t defaultPlanRuleMask = 0;
    int defaultPlan = -1;
    std::vector<std::string> metrics; // distinct metric names
    std::vector<std::int16_t> endpointMetricIndex; // per policy.endpointMetrics entry
    std::vector<std::int64_t> planLimits; // plan * metrics.size() + metric; -1 = unlimited
    std::vector<detail::PatternInfo> patterns;
    std::uint32_t ipPatternMask = 0;
    std::uint32_t userPatternMask = 0;
    std::uint32_t windowedIpPatternMask = 0;
    std::uint32_t windowedUserPatternMask = 0;
    std::uint32_t textPatternMask = 0; // user_agent and country patterns
    // The trailing windows of rate and cost patterns, by scope and kind.
    std::vector<detail::WindowInfo> ipRateWindows;
    std::vector<detail::WindowInfo> ipCostWindows;
    std::vector<detail::WindowInfo> userRateWindows;
    std::vector<detail::WindowInfo> userCostWindows;

    // Record layout.
    std::size_t userQuotaOffset = 0;

    // Per-id caches, grown on demand.
    std::vector<detail::EndpointFacts> endpointFacts;
    std::vector<std::uint64_t> methodMask; // bit 63 set = computed
    std::vector<std::int16_t> planOfId; // -2 = not computed, -1 = unknown plan
    std::vector<std::uint64_t> userAgentMask; // bit 63 = computed
    std::vector<std::uint64_t> countryMask; // bit 63 = computed
    std::vector<MicroUsd> modelPrice; // -1 = not computed
    detail::FlatArray<std::uint32_t> ipSlot; // per ip id, see kSlotFlag
    detail::FlatArray<std::uint32_t> forwardedSlot; // per forwarded_for id, see kSlotFlag
    std::vector<detail::WindowCache> windows; // per rule
    // The fast path: fixed windows in records as CompactCounter, with the current window of
    // each such rule, valid for every ts in [fixedFrom, fixedTo).
    std::uint64_t fixedRecordMask = 0;
    std::vector<detail::FixedRule> fixedRules; // per rule, for the rules of fixedRecordMask
    TimeMs fixedFrom = 1;
    TimeMs fixedTo = 0;

    // Identifiers.
    // Client keys (IPv4 address or IPv6 /64) by slot, and an open-addressing index over them.
    detail::FlatArray<IpAddress> slotKeys;
    detail::FlatArray<detail::SlotIndexEntry> slotIndex;
    std::uint32_t findSlot(const IpAddress& key) const; // UINT32_MAX when unknown
    detail::RecordArray clients;
    detail::RecordArray users; // indexed by dictionary user id
    std::uint64_t userCount = 0;

    // Counters kept in maps: user_endpoint, ip_endpoint (per rule), global.
    std::vector<detail::FlatMap64<detail::Counter>> keyedCounters;
    std::vector<detail::Counter> globalCounters;

    // Idempotency ledger; expiry order equals insertion order (ts never decreases).
    detail::FlatMap64<detail::IdempotencyEntry> ledger;
    std::deque<std::pair<TimeMs, std::uint64_t>> ledgerExpiry;

    // Blocks.
    std::vector<detail::BlockRecord> blocks;
    // Blocks no wider than one client key (an address, a network inside an IPv6 /64), by the
    // client key they fall in; wider networks are few and scanned.
    std::unordered_map<IpAddress, std::vector<std::uint32_t>, detail::IpHash> narrowBlocks;
    std::vector<std::uint32_t> wideBlocks;
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> userBlocks; // by user id

    // Downgrades in grace, by user id (users with FlagGrace).
    detail::FlatMap64<detail::Grace> grace;

    // Abuse.
    detail::FlatArray<detail::RaisedIncident> incidents;
    // When a pattern last raised an incident on an identifier, for its re-arm timer, for the
    // patterns whose records have no room for it (PatternInfo::incidentOffset 0).
    detail::FlatMap64<TimeMs> lastIncident;
    static std::uint64_t incidentKey(bool userScope, std::uint32_t id, std::uint32_t pattern)
    {
        return (std::uint64_t(userScope) << 40) | (std::uint64_t(id) << 8) | pattern;
    }
    RingPool ringPool; // the heap entries of spilled window rings

    // Calendar cycle cache.
    TimeMs cycleFrom = 1;
    TimeMs cycleTo = 0;

    std::uint64_t decisions = 0;
    TimeMs lastTs = 0;

    /// The limit a decision reports for its header rule (docs/enforcement.md §7).
    std::int64_t headerLimit(std::int16_t rule) const
    {
        if (rule < 0)
            return -1;
        const detail::RuleInfo& info = rules[static_cast<std::size_t>(rule)];
        return info.algorithm == Algorithm::TokenBucket ? info.burst : info.limit;
    }

    // prefetch(): ip ids hinted recently, whose client records are touched a few hints later.
    std::array<detail::PrefetchHint, 4> prefetchLag {};
    std::size_t prefetchHead = 0;

    Decision decide(const EncodedRequest& request);
    // Prefetching in two stages: the slot cache entries and the user record first, the client
    // record (whose address is in a slot cache entry) later.
    void prefetchSlots(const EncodedRequest& request) const;
    void prefetchClient(const EncodedRequest& request) const;

    // engine.cpp. The hot path reads caches indexed by dictionary id; each has an inline fast
    // path and an out-of-line one that fills it.
    const detail::EndpointFacts& endpointFactsOf(std::uint32_t endpoint)
    {
        if (endpoint < endpointFacts.size() && endpointFacts[endpoint].known) [[likely]]
            return endpointFacts[endpoint];
        return computeEndpointFacts(endpoint);
    }
    const detail::EndpointFacts& computeEndpointFacts(std::uint32_t endpoint);
    std::uint64_t methodMaskOf(std::uint32_t method)
    {
        if (method < methodMask.size() && (methodMask[method] >> 63) != 0) [[likely]]
            return methodMask[method];
        return computeMethodMask(method);
    }
    std::uint64_t computeMethodMask(std::uint32_t method);
    int planOf(std::uint32_t planId);
    MicroUsd costOf(const EncodedRequest& request, const detail::EndpointFacts& facts)
    {
        if (request.costMicroUsd >= 0)
            return request.costMicroUsd;
        MicroUsd cost
            = facts.costBase + request.responseMs * facts.costMemoryRate / (3600000LL * 1024);
        if (request.model != 0) {
            // Without a model the token term is 0: no division for it.
            const MicroUsd perThousand
                = request.model < modelPrice.size() && modelPrice[request.model] >= 0
                ? modelPrice[request.model]
                : modelPriceOf(request.model);
            cost += request.tokens * perThousand / 1000;
        }
        return cost;
    }
    MicroUsd modelPriceOf(std::uint32_t model);
    /// kSlotInvalid or slot + 2.
    std::uint32_t clientSlotOf(const EncodedRequest& request)
    {
        if (request.ip < ipSlot.size()) [[likely]] {
            const std::uint32_t entry = ipSlot[request.ip];
            if (entry > detail::kSlotInvalid && (entry & detail::kSlotFlag) == 0) [[likely]]
                return entry; // an untrusted client address: the chain does not matter
        }
        return resolveClientSlot(request);
    }
    std::uint32_t resolveClientSlot(const EncodedRequest& request);
    std::uint32_t ipEntry(std::uint32_t ip);
    std::uint32_t forwardedEntry(std::uint32_t forwardedFor);
    std::uint32_t internClient(const IpAddress& address);
    detail::UserHeader& userOf(std::uint32_t user)
    {
        if (user < users.size()) [[likely]] {
            auto& state = *reinterpret_cast<detail::UserHeader*>(users.at(user));
            if (state.flags & detail::FlagSeen) [[likely]]
                return state;
        }
        return addUser(user);
    }
    detail::UserHeader& addUser(std::uint32_t user);
    void trackPlan(std::uint32_t user, std::uint32_t planId, TimeMs ts);
    void applyPlanChange(std::uint32_t user, int plan, TimeMs ts);
    /// The plan quota limit of a user's metric at ts (-1 = none): its plan's, or during a
    /// downgrade's grace its previous plan's.
    std::int64_t effectiveLimit(std::uint32_t user, int metric, TimeMs ts) const
    {
        const auto& state = *reinterpret_cast<const detail::UserHeader*>(users.at(user));
        int plan = state.plan;
        if (state.flags & detail::FlagGrace) [[unlikely]]
            plan = gracePlan(user, plan, ts);
        if (plan < 0)
            return -1;
        return planLimits[static_cast<std::size_t>(plan) * metrics.size()
            + static_cast<std::size_t>(metric)];
    }
    int gracePlan(std::uint32_t user, int plan, TimeMs ts) const;
    void refreshCycle(TimeMs ts)
    {
        if (ts < cycleFrom || ts >= cycleTo) [[unlikely]]
            computeCycle(ts);
    }
    void computeCycle(TimeMs ts);
    /// The window of a fixed or sliding rule that contains ts, with the index relative to the
    /// rule's base.
    const detail::WindowCache& windowOf(std::uint32_t rule, TimeMs ts)
    {
        const detail::WindowCache& window = windows[rule];
        if (ts >= window.from && ts < window.to) [[likely]]
            return window;
        return refreshWindow(rule, ts);
    }
    const detail::WindowCache& refreshWindow(std::uint32_t rule, TimeMs ts);
    void refreshFixedWindows(TimeMs ts);
    void rebaseWindows(std::uint32_t rule, std::int64_t index);
    /// The counter of a record-kept rule in full form.
    detail::Counter recordCounter(const detail::RuleInfo& rule, const std::byte* where) const;
    detail::Counter* keyedCounter(
        std::uint32_t rule, std::uint32_t slot, std::uint32_t user, std::uint32_t endpoint);
    detail::QuotaUsage* userQuota(std::uint32_t user) const
    {
        return reinterpret_cast<detail::QuotaUsage*>(users.at(user) + userQuotaOffset);
    }

    // blocks.cpp
    /// `user`: the dictionary id of a user block's user when known, else 0.
    void addBlock(const Block& block, std::uint32_t user = 0);
    int unblock(BlockTarget target, std::string_view value, TimeMs at);
    bool isBlocked(const EncodedRequest& request, std::uint32_t slot, TimeMs ts)
    {
        const auto& client = *reinterpret_cast<const detail::ClientHeader*>(clients.at(slot));
        std::uint32_t flags = client.flags;
        if (request.user != 0 && request.user < users.size())
            flags |= reinterpret_cast<const detail::UserHeader*>(users.at(request.user))->flags;
        if (!(flags & detail::FlagHasBlocks)) [[likely]]
            return false;
        return checkBlocks(request, slot, ts);
    }
    bool checkBlocks(const EncodedRequest& request, std::uint32_t slot, TimeMs ts);
    void markSlotBlocks(std::uint32_t slot);

    // abuse.cpp
    void layoutPatterns(std::size_t& clientStride, std::size_t& userStride);
    void layoutIncidents(std::size_t& clientStride, std::size_t& userStride);
    void runAbuse(const EncodedRequest& request, std::uint32_t slot,
        const detail::EndpointFacts& facts, Decision& decision);
    void raiseIncident(const EncodedRequest& request, std::uint32_t pattern, bool userScope,
        std::uint32_t id, Decision& decision);
    std::uint64_t userAgentMaskOf(std::uint32_t userAgent);
    std::uint64_t countryMaskOf(std::uint32_t country);
};

} // namespace qc::enforcement
