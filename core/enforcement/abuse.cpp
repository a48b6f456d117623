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
        if (pattern.scope == AbuseScope::Ip) {
            ipPatternMask |= bit;
            if (windowed)
                windowedIpPatternMask |= bit;
        } else {
            userPatternMask |= bit;
            if (windowed)
                windowedUserPatternMask |= bit;
        }
        patterns.push_back(info);
    }
    // When each pattern last raised an incident, for its re-arm timer: read only while the
    // condition holds, so it goes last in the record.
    for (PatternInfo& info : patterns) {
        std::size_t& stride = info.scope == AbuseScope::Ip ? clientStride : userStride;
        info.incidentOffset = static_cast<std::uint32_t>(stride);
        stride += sizeof(TimeMs);
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

void Engine::Impl::runAbuse(const EncodedRequest& request, std::uint32_t slot, Decision& decision)
{
    if (patterns.empty())
        return;
    const TimeMs ts = request.ts;
    const std::uint32_t endpointMask = endpointFactsOf(request.endpoint).patternMask;
    std::uint64_t textMask = 0;
    if (request.userAgent != 0)
        textMask |= userAgentMaskOf(request.userAgent);
    if (request.country != 0)
        textMask |= countryMaskOf(request.country);

    for (int pass = 0; pass < 2; ++pass) {
        const bool userScope = pass == 1;
        if (userScope && request.user == 0)
            break;
        const std::uint32_t scopeMask = userScope ? userPatternMask : ipPatternMask;
        const std::uint32_t id = userScope ? request.user : slot;
        for (std::uint32_t m = scopeMask; m != 0; m &= m - 1) {
            const auto i = static_cast<std::uint32_t>(__builtin_ctz(m));
            const std::uint32_t bit = 1U << i;
            const PatternInfo& info = patterns[i];
            // Records may move when an incident's block interns a user: fetch them each time.
            std::byte* record = userScope ? users.at(id) : clients.at(id);
            std::uint32_t& disarmed = userScope ? reinterpret_cast<UserHeader*>(record)->disarmed
                                                : reinterpret_cast<ClientHeader*>(record)->disarmed;
            std::uint32_t& flags = userScope ? reinterpret_cast<UserHeader*>(record)->flags
                                             : reinterpret_cast<ClientHeader*>(record)->flags;
            // An empty window that this request adds nothing to holds nothing: leave its memory
            // (often another cache line of the record) alone.
            const std::uint32_t inUse = i < kMaxTrackedWindows ? FlagWindowInUse << i : 0;
            bool condition = false;
            switch (info.kind) {
            case AbuseKind::Rate: {
                const bool counted = (endpointMask & bit) != 0;
                if (inUse != 0 && !(flags & inUse) && !counted) {
                    condition = 0 > info.threshold;
                    break;
                }
                auto& ring = *reinterpret_cast<RateRing*>(record + info.ringOffset);
                const TimeMs horizon = ts - info.windowMs;
                while (!ring.empty() && ring.front() <= horizon)
                    ring.popFront();
                if (counted) {
                    // A count above the threshold needs only the newest threshold+1 events.
                    if (ring.size() >= info.maxEntries)
                        ring.popFront();
                    const bool wasInline = ring.heapCapacity == 0;
                    ring.pushBack(ts);
                    if (wasInline && ring.heapCapacity != 0) [[unlikely]]
                        spilledRings.pushBack({ id, i });
                }
                condition = ring.size() > info.threshold;
                flags = ring.empty() ? flags & ~inUse : flags | inUse;
                break;
            }
            case AbuseKind::Cost: {
                const bool counted = decision.costMicroUsd > 0;
                if (inUse != 0 && !(flags & inUse) && !counted) {
                    condition = 0 > info.threshold;
                    break;
                }
                auto& window = *reinterpret_cast<CostWindow*>(record + info.ringOffset);
                const TimeMs horizon = ts - info.windowMs;
                while (!window.ring.empty() && window.ring.front().ts <= horizon) {
                    window.sum -= window.ring.front().cost;
                    window.ring.popFront();
                }
                if (counted) {
                    const bool wasInline = window.ring.heapCapacity == 0;
                    window.ring.pushBack({ ts, decision.costMicroUsd });
                    if (wasInline && window.ring.heapCapacity != 0) [[unlikely]]
                        spilledRings.pushBack({ id, i });
                    window.sum += decision.costMicroUsd;
                }
                condition = window.sum > info.threshold;
                flags = window.ring.empty() ? flags & ~inUse : flags | inUse;
                break;
            }
            case AbuseKind::UserAgent:
            case AbuseKind::Country:
                condition = (textMask & bit) != 0;
                break;
            }
            if (!condition) {
                disarmed &= ~bit;
                continue;
            }
            if (disarmed & bit) {
                if (ts - *reinterpret_cast<const TimeMs*>(record + info.incidentOffset)
                    < info.rearmMs)
                    continue;
            }
            disarmed |= bit;
            *reinterpret_cast<TimeMs*>(record + info.incidentOffset) = ts;

            // Kept compact here; takeIncidents() spells identifiers and request ids out.
            const AbusePattern& pattern = policy.abuse[i];
            RaisedIncident incident { ts, 0, id, request.requestId, static_cast<std::uint8_t>(i) };
            if (pattern.action == AbuseAction::Block || pattern.action == AbuseAction::Escalate) {
                Block block;
                block.target = userScope
                    ? BlockTarget::User
                    : (slotKeys[id].isV4() ? BlockTarget::Ip : BlockTarget::Network);
                block.value = userScope ? std::string(dictionary->text(Field::User, id))
                                        : clientKey(slotKeys[id]);
                block.from = ts;
                block.until
                    = pattern.blockForMs >= kForever - ts ? kForever : ts + pattern.blockForMs;
                block.reason = pattern.name.empty() ? pattern.id : pattern.name;
                block.automatic = true;
                block.pattern = pattern.id;
                incident.blockedUntil = block.until;
                addBlock(block);
            }
            incidents.pushBack(incident);
            ++decision.incidents;
        }
    }
}

// Rings only ever spill in runAbuse(), which lists them: the records of the many identifiers
// whose windows stayed inline are not touched again.
void Engine::Impl::releaseRings()
{
    for (const SpilledRing& spilled : spilledRings) {
        const PatternInfo& info = patterns[spilled.pattern];
        std::byte* record
            = (info.scope == AbuseScope::Ip ? clients : users).at(spilled.id) + info.ringOffset;
        if (info.kind == AbuseKind::Rate)
            reinterpret_cast<RateRing*>(record)->release();
        else
            reinterpret_cast<CostWindow*>(record)->ring.release();
    }
    spilledRings.clear();
}

std::size_t Engine::Impl::ringHeapBytes() const
{
    std::size_t total = 0;
    for (const SpilledRing& spilled : spilledRings) {
        const PatternInfo& info = patterns[spilled.pattern];
        const std::byte* record
            = (info.scope == AbuseScope::Ip ? clients : users).at(spilled.id) + info.ringOffset;
        total += info.kind == AbuseKind::Rate
            ? reinterpret_cast<const RateRing*>(record)->heapBytes()
            : reinterpret_cast<const CostWindow*>(record)->ring.heapBytes();
    }
    return total;
}

} // namespace qc::enforcement
