#pragma once

// Internal to qc_metrics: the distinct label sets of one metric family.

#include "metrics/metricfamily.h"

#include <cstdint>
#include <span>
#include <vector>

namespace qc::metrics::detail {

/// Gives each distinct label set of a family one index into MetricFamily::labelSets. A set is
/// looked up by its interned strings (name, value, name, value, ... sorted by name): equal text
/// is the same pointer, so hashing and comparing pointers is enough.
class LabelSetTable {
public:
    using Key = std::span<const QString* const>;

    /// The index of the set `key` in `sets`, appending it when it is new.
    std::uint32_t intern(Key key, std::vector<Labels>& sets)
    {
        if (m_slots.empty())
            m_slots.resize(64);
        const std::uint64_t hash = hashOf(key);
        std::size_t mask = m_slots.size() - 1;
        std::size_t index = std::size_t(hash) & mask;
        while (const std::uint32_t slot = m_slots[index]) {
            const std::uint32_t set = slot - 1;
            if (m_hashes[set] == hash && equal(set, key))
                return set;
            index = (index + 1) & mask;
        }
        const auto set = std::uint32_t(m_offsets.size());
        if ((set + 1) * 4 > m_slots.size() * 3) {
            grow();
            mask = m_slots.size() - 1;
            index = std::size_t(hash) & mask;
            while (m_slots[index])
                index = (index + 1) & mask;
        }
        m_slots[index] = set + 1;
        m_hashes.push_back(hash);
        m_offsets.push_back(std::uint32_t(m_keys.size()));
        m_keys.insert(m_keys.end(), key.begin(), key.end());
        Labels& labels = sets.emplace_back();
        labels.reserve(key.size() / 2);
        for (std::size_t i = 0; i + 1 < key.size(); i += 2)
            labels.emplace_back(*key[i], *key[i + 1]);
        return set;
    }

private:
    static std::uint64_t hashOf(Key key)
    {
        std::uint64_t hash = 0x9E3779B97F4A7C15ull ^ key.size();
        for (const QString* string : key) {
            hash = (hash ^ std::uint64_t(reinterpret_cast<std::uintptr_t>(string)))
                * 0xFF51AFD7ED558CCDull;
            hash ^= hash >> 29;
        }
        return hash ^ (hash >> 32);
    }

    bool equal(std::uint32_t set, Key key) const
    {
        const std::size_t from = m_offsets[set];
        const std::size_t to = set + 1 < m_offsets.size() ? m_offsets[set + 1] : m_keys.size();
        if (to - from != key.size())
            return false;
        for (std::size_t i = 0; i < key.size(); ++i) {
            if (m_keys[from + i] != key[i])
                return false;
        }
        return true;
    }

    void grow()
    {
        std::vector<std::uint32_t> slots(m_slots.size() * 2);
        const std::size_t mask = slots.size() - 1;
        for (std::size_t set = 0; set < m_hashes.size(); ++set) {
            std::size_t index = std::size_t(m_hashes[set]) & mask;
            while (slots[index])
                index = (index + 1) & mask;
            slots[index] = std::uint32_t(set + 1);
        }
        m_slots.swap(slots);
    }

    std::vector<std::uint32_t> m_slots; // set + 1; 0 is empty
    std::vector<std::uint64_t> m_hashes; // per set
    std::vector<std::uint32_t> m_offsets; // per set, into m_keys
    std::vector<const QString*> m_keys;
};

} // namespace qc::metrics::detail
