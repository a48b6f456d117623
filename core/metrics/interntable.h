#pragma once

// Internal to qc_metrics: the string interner of the exposition parser.

#include <QString>

#include <cstdint>
#include <cstring>
#include <deque>
#include <string_view>
#include <vector>

namespace qc::metrics::detail {

/// Maps byte strings to shared QStrings, so that a label name or value repeated on thousands of
/// lines is converted from UTF-8 once and then only shared. Keys are views into the text being
/// parsed, which must outlive the table. The returned references stay valid as long as the
/// table lives (the strings sit in a deque), so callers may keep pointers across lookups.
/// Open addressing with a cheap word-at-a-time hash: the keys are short and the lookups are
/// the parser's hottest path.
class InternTable {
public:
    /// How a key's bytes become its string: UTF-8 by default; the parser keeps a second table
    /// that unescapes label values, keyed by their escaped bytes.
    using Convert = QString (*)(std::string_view);

    explicit InternTable(Convert convert = &fromUtf8)
        : m_convert(convert)
    {
        m_slots.resize(1024);
    }

    const QString& get(std::string_view text)
    {
        const std::uint64_t hash = hashOf(text);
        std::size_t mask = m_slots.size() - 1;
        std::size_t index = std::size_t(hash) & mask;
        while (true) {
            const Slot& slot = m_slots[index];
            if (!slot.string)
                break;
            if (slot.hash == hash && slot.size == text.size()
                && std::memcmp(slot.key, text.data(), text.size()) == 0)
                return *slot.string;
            index = (index + 1) & mask;
        }
        if ((m_strings.size() + 1) * 4 > m_slots.size() * 3) {
            grow();
            mask = m_slots.size() - 1;
            index = std::size_t(hash) & mask;
            while (m_slots[index].string)
                index = (index + 1) & mask;
        }
        const QString& string = m_strings.emplace_back(m_convert(text));
        m_slots[index] = Slot { text.data(), text.size(), hash, &string };
        return string;
    }

private:
    struct Slot {
        const char* key = nullptr;
        std::size_t size = 0;
        std::uint64_t hash = 0;
        const QString* string = nullptr;
    };

    static QString fromUtf8(std::string_view text)
    {
        return QString::fromUtf8(text.data(), qsizetype(text.size()));
    }

    static std::uint64_t hashOf(std::string_view text)
    {
        std::uint64_t hash = 0x9E3779B97F4A7C15ull ^ text.size();
        const char* p = text.data();
        std::size_t left = text.size();
        while (left >= 8) {
            std::uint64_t word;
            std::memcpy(&word, p, 8);
            hash = (hash ^ word) * 0xFF51AFD7ED558CCDull;
            hash ^= hash >> 29;
            p += 8;
            left -= 8;
        }
        std::uint64_t tail = 0;
        std::memcpy(&tail, p, left);
        hash = (hash ^ tail) * 0xC4CEB9FE1A85EC53ull;
        hash ^= hash >> 32;
        return hash;
    }

    void grow()
    {
        std::vector<Slot> old(m_slots.size() * 2);
        old.swap(m_slots);
        const std::size_t mask = m_slots.size() - 1;
        for (const Slot& slot : old) {
            if (!slot.string)
                continue;
            std::size_t index = std::size_t(slot.hash) & mask;
            while (m_slots[index].string)
                index = (index + 1) & mask;
            m_slots[index] = slot;
        }
    }

    Convert m_convert;
    std::vector<Slot> m_slots;
    std::deque<QString> m_strings;
};

} // namespace qc::metrics::detail
