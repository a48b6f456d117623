// Abuse detection (docs/enforcement.md §8): trailing windows per identifier kept inside the
// identifier's record, so that the common case touches memory the decision already pulled in.
#include "engineimpl.h"

namespace qc::enforcement {

using namespace detail;

namespace {

constexpr std::uint64_t kComputed = 1ULL << 63;

char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool containsIgnoringCase(std::string_view haystack, std::string_view needle)
{
    if (needle.empty())
        return true;
    if (needle.size() > haystack.size())
        return false;
    for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
        std::size_t k = 0;
        while (k < needle.size() && lower(haystack[i + k]) == lower(needle[k]))
            ++k;
        if (k == needle.size())
            return true;
    }
    return false;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i]))
            return false;
    }
    return true;
}

} // namespace

void Engine::Impl::layoutPatterns(std::size_t& clientStride, std::size_t& userStride)
{
    for (std::size_t i = 0; i < policy.abuse.size(); ++i) {
        const AbusePattern& pattern = policy.abuse[i];
        PatternInfo info;
        info.kind = pattern.kind;
        info.scope = pattern.scope;
        info.windowMs = pattern.windowMs;
        info.threshold
            = pattern.kind == AbuseKind::Cost ? pattern.thresholdMicroUsd : pattern.threshold;
        info.maxEntries = static_cast<std::uint32_t>(std::min<std::int64_t>(
            std::max<std::int64_t>(pattern.threshold, 0) + 1, UINT32_MAX / 2));
        info.rearmMs = pattern.rearmMs;
        if (info.rearmMs <= 0) {
            const bool blocking
                = pattern.action == AbuseAction::Block || pattern.action == AbuseAction::Escalate;
            info.rearmMs
                = blocking ? pattern.blockForMs : (pattern.windowMs > 0 ? pattern.windowMs : kHour);
        }
        const std::uint32_t bit = 1U << i;
        const bool windowed = pattern.kind == AbuseKind::Rate || pattern.kind == AbuseKind::Cost;
        std::size_t& stride = pattern.scope == AbuseScope::Ip ? clientStride : userStride;
        if (windowed) {
            info.ringOffset = static_cast<std::uint32_t>(stride);
            stride += pattern.kind == AbuseKind::Rate ? sizeof(RateRing) : sizeof(CostWindow);
        }
        if (!windowed)
            textPatternMask |= bit;
        if (pattern.scope == AbuseScope::Ip) {
            ipPatternMask |= bit;
            if (windowed)
                windowedIpPatternMask |= bit;
        } else {
            userPatternMask |= bit;
            if (windowed)
                windowedUserPatternMask |= bit;
        }
        if (windowed) {
            WindowInfo window;
            window.ringOffset = info.ringOffset;
            window.bit = bit;
            window.windowMs = info.windowMs;
            window.threshold = info.threshold;
            window.maxEntries = info.maxEntries;
            const bool ip = pattern.scope == AbuseScope::Ip;
            if (pattern.kind == AbuseKind::Cost)
                (ip ? ipCostWindows : userCostWindows).push_back(window);
            else
                (ip ? ipRateWindows : userRateWindows).push_back(window);
        }
        patterns.push_back(info);
    }
}

void Engine::Impl::layoutIncidents(std::size_t& clientStride, std::size_t& userStride)
{
    // When each pattern last raised an incident, for its re-arm timer: read only while the
    // pattern is disarmed. In the record, last, when that adds no cache line to it (a client
    // record with the default policy: 80 + 32 bytes, two lines either way), else in
    // lastIncident (a user record: 64 + 8 bytes would take a second line).
    for (const AbuseScope scope : { AbuseScope::Ip, AbuseScope::User }) {
        std::size_t& stride = scope == AbuseScope::Ip ? clientStride : userStride;
        std::size_t count = 0;
        for (const PatternInfo& info : patterns)
            count += info.scope == scope ? 1 : 0;
        const std::size_t with = stride + count * sizeof(TimeMs);
        if (count == 0 || (with + 63) / 64 > (stride + 63) / 64)
            continue;
        for (PatternInfo& info : patterns) {
            if (info.scope != scope)
                continue;
            info.incidentOffset = static_cast<std::uint32_t>(stride);
            stride += sizeof(TimeMs);
        }
    }
}

std::uint64_t Engine::Impl::userAgentMaskOf(std::uint32_t userAgent)
{
    if (userAgent >= userAgentMask.size())
        userAgentMask.resize(std::max<std::size_t>({ userAgent + 1U,
                                 dictionary->size(Field::UserAgent), userAgentMask.size() * 2 }),
            0);
    std::uint64_t& mask = userAgentMask[userAgent];
    if (mask & kComputed)
        return mask;
    mask = kComputed;
    const std::string_view text = dictionary->text(Field::UserAgent, userAgent);
    for (std::size_t i = 0; i < policy.abuse.size(); ++i) {
        const AbusePattern& pattern = policy.abuse[i];
        if (pattern.kind != AbuseKind::UserAgent || text.empty())
            continue;
        for (const std::string& needle : pattern.userAgentContains) {
            if (containsIgnoringCase(text, needle)) {
                mask |= 1ULL << i;
                break;
            }
        }
    }
    return mask;
}

std::uint64_t Engine::Impl::countryMaskOf(std::uint32_t country)
{
    if (country >= countryMask.size())
        countryMask.resize(std::max<std::size_t>({ country + 1U, dictionary->size(Field::Country),
                               countryMask.size() * 2 }),
            0);
    std::uint64_t& mask = countryMask[country];
    if (mask & kComputed)
        return mask;
    mask = kComputed;
    const std::string_view text = dictionary->text(Field::Country, country);
    for (std::size_t i = 0; i < policy.abuse.size(); ++i) {
        const AbusePattern& pattern = policy.abuse[i];
        if (pattern.kind != AbuseKind::Country || text.empty())
            continue;
        for (const std::string& listed : pattern.countries) {
            if (equalsIgnoringCase(text, listed)) {
                mask |= 1ULL << i;
                break;
            }
        }
    }
    return mask;
}

static_assert(sizeof(RateRing::inlineEntries) == sizeof(TimeMs), "runAbuse: one inline event");
static_assert(sizeof(CostWindow::ring.inlineEntries) == 2 * sizeof(CostEvent), "and two here");

namespace {

// Moving a trailing window to ts; true when its condition holds. Expired events are dropped
// lazily: only when a full ring would otherwise grow, or when the events kept could meet the
// condition. The ring always holds every event of the window (and maybe a few older ones), so
// the condition, evaluated on the window alone when it could hold, is exact; and most requests
// touch no event but the one they add.

/// A rate pattern's window; `counted`: the request counts for the pattern (its endpoints).
QC_ALWAYS_INLINE inline bool moveRate(
    const WindowInfo w, std::byte* record, bool counted, TimeMs ts, RingPool& pool)
{
    const TimeMs horizon = ts - w.windowMs;
    RateRing& ring = *reinterpret_cast<RateRing*>(record + w.ringOffset);
    if (counted) {
        if (!ring.onHeap()
            && (ring.count == 0 || ring.inlineEntries[0] <= horizon || w.maxEntries <= 1))
            [[likely]] {
            // The common case, what the branch below does to an inline ring that is empty or
            // whose one event has expired (or is not needed): the new event replaces it.
            ring.inlineEntries[0] = ts;
            ring.head = 0;
            ring.count = 1;
            if (w.threshold >= 1) [[likely]]
                return false;
        } else {
            if (ring.onHeap()) [[unlikely]] {
                // Expired events go now, and the ring moves back inline when the new event
                // fits there: the expiry the lazy rule would do later, so no result changes.
                while (!ring.empty() && ring.front() <= horizon)
                    ring.popFront();
                ring.unspill(pool, 1);
            }
            // A count above the threshold needs only the newest threshold+1 events.
            if (ring.size() >= w.maxEntries) {
                ring.popFront();
            } else if (ring.size() == ring.capacity()) {
                while (!ring.empty() && ring.front() <= horizon)
                    ring.popFront();
            }
            ring.pushBack(ts, pool);
        }
    }
    if (ring.size() <= w.threshold)
        return false;
    while (!ring.empty() && ring.front() <= horizon)
        ring.popFront();
    return ring.size() > w.threshold;
}

/// A cost pattern's window; `cost`: the request's.
QC_ALWAYS_INLINE inline bool moveCost(
    const WindowInfo w, std::byte* record, MicroUsd cost, TimeMs ts, RingPool& pool)
{
    const TimeMs horizon = ts - w.windowMs;
    CostWindow& window = *reinterpret_cast<CostWindow*>(record + w.ringOffset);
    if (cost > 0 && !window.ring.onHeap() && w.windowMs > 0) {
        // The common case: an inline ring whose events have all expired (or none) holds just
        // the new one. Dropping expired events early changes no result: the sum is only
        // compared once they are dropped.
        const std::uint32_t n = window.ring.size();
        if (n == 0 || window.ring.inlineEntries[(window.ring.head + n - 1) & 1].ts <= horizon)
            [[likely]] {
            window.ring.inlineEntries[0] = CostEvent { ts, cost };
            window.ring.head = 0;
            window.ring.count = 1;
            return cost > w.threshold;
        }
    }
    MicroUsd sum = window.sum();
    auto expire = [&] {
        while (!window.ring.empty() && window.ring.front().ts <= horizon) {
            sum -= window.ring.front().cost;
            window.ring.popFront();
        }
    };
    if (window.ring.onHeap()) [[unlikely]] {
        // As for rate windows: expire now, and back inline when the new event fits.
        expire();
        window.ring.unspill(pool, cost > 0 ? 1 : 0);
    }
    if (cost > 0) {
        if (window.ring.size() == window.ring.capacity())
            expire();
        window.ring.pushBack({ ts, cost }, pool);
        sum += cost;
    }
    if (sum > w.threshold)
        expire();
    window.setSum(sum);
    return sum > w.threshold;
}

} // namespace

void Engine::Impl::runAbuse(const EncodedRequest& request, std::uint32_t slot,
    const EndpointFacts& facts, Decision& decision)
{
    if (patterns.empty())
        return;
    const TimeMs ts = request.ts;
    const bool hasUser = request.user != 0;

    // First every pattern's condition (windows move here), then arming and incidents: a
    // pattern's condition never depends on another pattern's incident, so this is the same as
    // evaluating them one after the other.
    std::uint32_t conditions = 0;
    if (textPatternMask != 0) {
        std::uint64_t text = 0;
        if (request.userAgent != 0)
            text |= request.userAgent < userAgentMask.size()
                    && (userAgentMask[request.userAgent] >> 63) != 0
                ? userAgentMask[request.userAgent]
                : userAgentMaskOf(request.userAgent);
        if (request.country != 0)
            text
                |= request.country < countryMask.size() && (countryMask[request.country] >> 63) != 0
                ? countryMask[request.country]
                : countryMaskOf(request.country);
        conditions = static_cast<std::uint32_t>(text) & textPatternMask;
    }
    const MicroUsd cost = decision.costMicroUsd;
    const std::uint32_t counted = facts.patternMask;
    // The windows are read by value and walked with local bounds: the stores into records
    // could otherwise alias them and force every field to be loaded again.
    auto rate = [&](const std::vector<WindowInfo>& list, std::byte* record) QC_ALWAYS_INLINE {
        for (const WindowInfo *w = list.data(), *end = w + list.size(); w != end; ++w) {
            const WindowInfo window = *w;
            if (moveRate(window, record, (counted & window.bit) != 0, ts, ringPool))
                conditions |= window.bit;
        }
    };
    auto costs = [&](const std::vector<WindowInfo>& list, std::byte* record) QC_ALWAYS_INLINE {
        for (const WindowInfo *w = list.data(), *end = w + list.size(); w != end; ++w) {
            const WindowInfo window = *w;
            if (moveCost(window, record, cost, ts, ringPool))
                conditions |= window.bit;
        }
    };
    std::byte* const client = clients.at(slot);
    rate(ipRateWindows, client);
    costs(ipCostWindows, client);
    std::byte* const user = hasUser ? users.at(request.user) : nullptr;
    if (hasUser) {
        rate(userRateWindows, user);
        costs(userCostWindows, user);
    }

    // A pattern whose condition is false re-arms.
    auto& clientDisarmed = reinterpret_cast<ClientHeader*>(client)->disarmed;
    clientDisarmed &= ~(ipPatternMask & ~conditions);
    if (hasUser)
        reinterpret_cast<UserHeader*>(user)->disarmed &= ~(userPatternMask & ~conditions);
    if (conditions == 0) [[likely]]
        return;
    for (std::uint32_t m = conditions & ipPatternMask; m != 0; m &= m - 1)
        raiseIncident(request, static_cast<std::uint32_t>(__builtin_ctz(m)), false, slot, decision);
    if (hasUser) {
        for (std::uint32_t m = conditions & userPatternMask; m != 0; m &= m - 1)
            raiseIncident(request, static_cast<std::uint32_t>(__builtin_ctz(m)), true, request.user,
                decision);
    }
}

void Engine::Impl::raiseIncident(const EncodedRequest& request, std::uint32_t i, bool userScope,
    std::uint32_t id, Decision& decision)
{
    const TimeMs ts = request.ts;
    const std::uint32_t bit = 1U << i;
    const PatternInfo& info = patterns[i];
    // Records may move when an earlier incident's block interned a user: fetch them here.
    std::byte* record = userScope ? users.at(id) : clients.at(id);
    std::uint32_t& disarmed = userScope ? reinterpret_cast<UserHeader*>(record)->disarmed
                                        : reinterpret_cast<ClientHeader*>(record)->disarmed;
    // Disarmed implies an entry in lastIncident: one probe either way.
    TimeMs& last = info.incidentOffset != 0
        ? *reinterpret_cast<TimeMs*>(record + info.incidentOffset)
        : lastIncident[incidentKey(userScope, id, i)];
    if ((disarmed & bit) && ts - last < info.rearmMs)
        return;
    disarmed |= bit;
    last = ts;

    // Kept compact here; takeIncidents() spells identifiers and request ids out.
    const AbusePattern& pattern = policy.abuse[i];
    RaisedIncident incident { ts, 0, id, request.requestId, static_cast<std::uint8_t>(i) };
    if (pattern.action == AbuseAction::Block || pattern.action == AbuseAction::Escalate) {
        Block block;
        block.target = userScope ? BlockTarget::User
                                 : (slotKeys[id].isV4() ? BlockTarget::Ip : BlockTarget::Network);
        block.value
            = userScope ? std::string(dictionary->text(Field::User, id)) : clientKey(slotKeys[id]);
        block.from = ts;
        block.until = pattern.blockForMs >= kForever - ts ? kForever : ts + pattern.blockForMs;
        block.reason = pattern.name.empty() ? pattern.id : pattern.name;
        block.automatic = true;
        block.pattern = pattern.id;
        incident.blockedUntil = block.until;
        addBlock(block, userScope ? id : 0);
    }
    incidents.pushBack(incident);
    ++decision.incidents;
}

} // namespace qc::enforcement
