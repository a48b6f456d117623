#pragma once

// Internal to the engine: an open-addressing hash map from 64-bit keys to trivially copyable
// values, for the hot path (idempotency ledger, chain slots, keyed counters).

#include "pagebuffer.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>

namespace qc::enforcement::detail {

/// Power-of-two table, linear probing, keys and values inline, at most three quarters full
/// (the ledger of millions of idempotency keys is the biggest table of an engine). Deletion
/// shifts the following run back, so there are no tombstones. New values are all-zero bytes
/// (callers treat zero as "absent"/"never seen"). Pointers to values stay valid until the next
/// insertion into the same map or any erase.
template<typename V> class FlatMap64 {
    static_assert(std::is_trivially_copyable_v<V>);

    // A key is stored as key + 1 so that zero-filled memory is an empty table; the one key whose
    // successor wraps to zero lives outside the table.
    struct Slot {
        std::uint64_t storedKey;
        V value;
    };

public:
    std::size_t size() const { return m_size + (m_hasMax ? 1 : 0); }
    std::size_t capacityBytes() const { return m_slots.capacityBytes(); }

    static std::size_t hash(std::uint64_t key)
    {
        key ^= key >> 33;
        key *= 0xff51afd7ed558ccdULL;
        key ^= key >> 33;
        return static_cast<std::size_t>(key);
    }

    V* find(std::uint64_t key) const
    {
        if (key == UINT64_MAX) [[unlikely]]
            return m_hasMax ? const_cast<V*>(&m_max) : nullptr;
        if (m_slots.empty())
            return nullptr;
        const std::uint64_t stored = key + 1;
        for (std::size_t i = hash(key) & m_mask;; i = (i + 1) & m_mask) {
            Slot& slot = m_slots[i];
            if (slot.storedKey == stored)
                return &slot.value;
            if (slot.storedKey == 0)
                return nullptr;
        }
    }

    /// The value of key, inserted as zero bytes when absent.
    V& operator[](std::uint64_t key)
    {
        if (key == UINT64_MAX) [[unlikely]] {
            if (!m_hasMax) {
                m_hasMax = true;
                m_max = zero();
            }
            return m_max;
        }
        if ((m_size + 1) * 4 > m_slots.size() * 3) [[unlikely]]
            grow();
        const std::uint64_t stored = key + 1;
        for (std::size_t i = hash(key) & m_mask;; i = (i + 1) & m_mask) {
            Slot& slot = m_slots[i];
            if (slot.storedKey == stored)
                return slot.value;
            if (slot.storedKey == 0) {
                slot.storedKey = stored;
                ++m_size;
                return slot.value; // zero bytes: fresh or left so by erase()
            }
        }
    }

    void erase(std::uint64_t key)
    {
        if (key == UINT64_MAX) [[unlikely]] {
            m_hasMax = false;
            return;
        }
        if (m_slots.empty())
            return;
        const std::uint64_t stored = key + 1;
        std::size_t i = hash(key) & m_mask;
        while (m_slots[i].storedKey != stored) {
            if (m_slots[i].storedKey == 0)
                return;
            i = (i + 1) & m_mask;
        }
        // Backward shift: move later members of the run into the hole when that keeps them
        // reachable from their home slot.
        for (std::size_t j = (i + 1) & m_mask; m_slots[j].storedKey != 0; j = (j + 1) & m_mask) {
            const std::size_t home = hash(m_slots[j].storedKey - 1) & m_mask;
            if (((j - home) & m_mask) >= ((j - i) & m_mask)) {
                m_slots[i] = m_slots[j];
                i = j;
            }
        }
        std::memset(static_cast<void*>(&m_slots[i]), 0, sizeof(Slot));
        --m_size;
    }

    void prefetch(std::uint64_t key) const
    {
        if (!m_slots.empty())
            __builtin_prefetch(&m_slots[hash(key) & m_mask], 0, 3);
    }

private:
    static V zero()
    {
        V v;
        std::memset(static_cast<void*>(&v), 0, sizeof(V));
        return v;
    }

    void grow()
    {
        const std::size_t capacity = m_slots.size() < 64 ? 64 : m_slots.size() * 2;
        FlatArray<Slot> fresh;
        fresh.growTo(capacity);
        const std::size_t mask = capacity - 1;
        for (const Slot& slot : m_slots) {
            if (slot.storedKey == 0)
                continue;
            std::size_t i = hash(slot.storedKey - 1) & mask;
            while (fresh[i].storedKey != 0)
                i = (i + 1) & mask;
            fresh[i] = slot;
        }
        m_slots = std::move(fresh);
        m_mask = mask;
    }

    FlatArray<Slot> m_slots;
    std::size_t m_mask = 0;
    std::size_t m_size = 0;
    bool m_hasMax = false;
    V m_max {};
};

} // namespace qc::enforcement::detail
