// Identifier resolution (docs/enforcement.md §2): the client key of a request from the caches by
// ip and forwarded_for id, parsing each text once; client slots; user records by user id.
#include "engineimpl.h"

namespace qc::enforcement {

using namespace detail;

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
} // namespace qc::enforcement
