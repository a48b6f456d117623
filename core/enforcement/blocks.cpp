// Blocks (docs/enforcement.md §3): kept by the client key or user they target, so that the hot
// path only looks at them for identifiers flagged as having one.
#include "engineimpl.h"

namespace qc::enforcement {

using namespace detail;

namespace {

IpAddress clientKeyOf(const IpAddress& address)
{
    return address.isV4() ? address : address.masked(64);
}

// Whether a network is no wider than one client key, i.e. lies inside a single key's range.
bool isNarrow(const Cidr& network)
{
    return network.base.isV4() ? network.prefix128 == 128 : network.prefix128 >= 64;
}

} // namespace

void Engine::Impl::addBlock(const Block& block, std::uint32_t user)
{
    BlockRecord record;
    record.block = block;
    switch (block.target) {
    case BlockTarget::Ip: {
        const auto address = IpAddress::parse(block.value);
        if (!address)
            return;
        record.network = Cidr { *address, 128 };
        break;
    }
    case BlockTarget::Network: {
        const auto network = Cidr::parse(block.value);
        if (!network)
            return;
        record.network = *network;
        break;
    }
    case BlockTarget::User:
        break;
    }
    const auto index = static_cast<std::uint32_t>(blocks.size());
    blocks.push_back(std::move(record));
    const BlockRecord& stored = blocks.back();

    if (block.target == BlockTarget::User) {
        // Interned here only when the caller does not know the id: during a simulation the
        // dictionary may be growing on another thread, and only that thread interns.
        if (user == 0)
            user = dictionary->intern(Field::User, block.value);
        userBlocks[user].push_back(index);
        userOf(user).flags |= FlagHasBlocks;
        return;
    }
    if (isNarrow(stored.network)) {
        const IpAddress key = clientKeyOf(stored.network.base);
        narrowBlocks[key].push_back(index);
        if (const std::uint32_t slot = findSlot(key); slot != UINT32_MAX)
            reinterpret_cast<ClientHeader*>(clients.at(slot))->flags |= FlagHasBlocks;
        return;
    }
    wideBlocks.push_back(index);
    for (std::uint32_t slot = 0; slot < slotKeys.size(); ++slot) {
        if (stored.network.contains(slotKeys[slot]))
            reinterpret_cast<ClientHeader*>(clients.at(slot))->flags |= FlagHasBlocks;
    }
}

void Engine::Impl::markSlotBlocks(std::uint32_t slot)
{
    const IpAddress& key = slotKeys[slot];
    bool blocked = narrowBlocks.find(key) != narrowBlocks.end();
    for (std::uint32_t index : wideBlocks)
        blocked = blocked || blocks[index].network.contains(key);
    if (blocked)
        reinterpret_cast<ClientHeader*>(clients.at(slot))->flags |= FlagHasBlocks;
}

int Engine::Impl::unblock(BlockTarget target, std::string_view value, TimeMs at)
{
    std::optional<Cidr> network;
    if (target == BlockTarget::Ip) {
        if (const auto address = IpAddress::parse(value))
            network = Cidr { *address, 128 };
    } else if (target == BlockTarget::Network) {
        network = Cidr::parse(value);
    }
    int ended = 0;
    for (BlockRecord& record : blocks) {
        if (record.block.target != target || !record.active(at))
            continue;
        const bool same = target == BlockTarget::User ? record.block.value == value
                                                      : (network && record.network == *network);
        if (same) {
            record.unblockedAt = at;
            ++ended;
        }
    }
    return ended;
}

bool Engine::Impl::checkBlocks(const EncodedRequest& request, std::uint32_t slot, TimeMs ts)
{
    const auto& client = *reinterpret_cast<const ClientHeader*>(clients.at(slot));
    if (client.flags & FlagHasBlocks) {
        // Rare: re-derive the exact address, since an ip block names one address of a /64.
        const auto address = clientAddressOf(policy, dictionary->text(Field::Ip, request.ip),
            dictionary->text(Field::ForwardedFor, request.forwardedFor));
        if (address) {
            if (const auto it = narrowBlocks.find(slotKeys[slot]); it != narrowBlocks.end()) {
                for (std::uint32_t index : it->second) {
                    const BlockRecord& record = blocks[index];
                    if (record.active(ts) && record.network.contains(*address))
                        return true;
                }
            }
            for (std::uint32_t index : wideBlocks) {
                const BlockRecord& record = blocks[index];
                if (record.active(ts) && record.network.contains(*address))
                    return true;
            }
        }
    }
    if (request.user != 0 && request.user < users.size()) {
        const auto& user = *reinterpret_cast<const UserHeader*>(users.at(request.user));
        if (user.flags & FlagHasBlocks) {
            for (std::uint32_t index : userBlocks[request.user]) {
                if (blocks[index].active(ts))
                    return true;
            }
        }
    }
    return false;
}

} // namespace qc::enforcement
