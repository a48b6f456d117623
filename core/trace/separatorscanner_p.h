#pragma once

// Finding the separators and quotes of CSV bytes (csvreader_p.h). Two implementations of the
// same thing, chosen at compile time: 16 bytes at a time with SSE2 (the baseline of x86-64), and
// a byte at a time for other architectures. Both are templates over kSimd, so that a test
// compiles both and checks that they find the same bytes (tests/trace/tst_separatorscanner).

#include <algorithm>
#include <cstddef>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace qc::trace::detail {

#if defined(__SSE2__)
inline constexpr bool kSimdScan = true;

// One bit per byte of the 16 at p that is c, '\n' or '\r'.
inline unsigned matchOrLineBreak16(const char* p, char c)
{
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, _mm_set1_epi8(c)),
                                         _mm_cmpeq_epi8(chunk, _mm_set1_epi8('\n'))),
        _mm_cmpeq_epi8(chunk, _mm_set1_epi8('\r')));
    return static_cast<unsigned>(_mm_movemask_epi8(hit));
}
#else
inline constexpr bool kSimdScan = false;
#endif

inline bool isOrLineBreak(char b, char c)
{
    return b == c || b == '\n' || b == '\r';
}

// Finds the next ',', '\n' or '\r' in the buffer, a 64-byte block at a time: one bit per
// byte of the block, so that the separators of a row (a dozen cells in a few blocks) cost a few
// instructions each instead of a vector setup and a scalar tail per cell.
template<bool kSimd> class BasicSeparatorScanner {
public:
    BasicSeparatorScanner(const char* begin, const char* end)
        : m_begin(begin)
        , m_end(end)
    {
    }

    /// The first separator at or after p, or the end.
    const char* next(const char* p)
    {
        for (;;) {
            const auto offset = static_cast<std::size_t>(p - m_block);
            if (offset >= 64) [[unlikely]] {
                if (p >= m_end)
                    return m_end;
                load(p);
                continue;
            }
            const std::uint64_t mask = m_mask & (~std::uint64_t(0) << offset);
            if (mask != 0)
                return m_block + __builtin_ctzll(mask);
            if (m_block + 64 >= m_end)
                return m_end;
            load(m_block + 64);
            p = m_block;
        }
    }

private:
    void load(const char* p)
    {
        // Blocks are aligned to the buffer start, so that moving on after a quoted cell reuses
        // the block it ends in.
        m_block = m_begin + ((p - m_begin) & ~std::ptrdiff_t(63));
#if defined(__SSE2__)
        if constexpr (kSimd) {
            if (m_end - m_block >= 64) [[likely]] {
                std::uint64_t mask = 0;
                for (int i = 0; i < 4; ++i)
                    mask |= std::uint64_t(matchOrLineBreak16(m_block + 16 * i, ',')) << (16 * i);
                m_mask = mask;
                return;
            }
        }
#endif
        std::uint64_t mask = 0;
        const std::ptrdiff_t n = std::min<std::ptrdiff_t>(64, m_end - m_block);
        for (std::ptrdiff_t i = 0; i < n; ++i) {
            if (isOrLineBreak(m_block[i], ','))
                mask |= std::uint64_t(1) << i;
        }
        m_mask = mask;
    }

    const char* m_begin;
    const char* m_end;
    const char* m_block = nullptr;
    std::uint64_t m_mask = 0;
};

using SeparatorScanner = BasicSeparatorScanner<kSimdScan>;

/// The first '"', '\n' or '\r' in [p, end), or end: where a quoted cell that starts before p
/// closes, unless a line break comes first.
template<bool kSimd> const char* findQuoteOrBreak(const char* p, const char* end)
{
#if defined(__SSE2__)
    if constexpr (kSimd) {
        for (; end - p >= 16; p += 16) {
            if (const unsigned mask = matchOrLineBreak16(p, '"'); mask != 0)
                return p + __builtin_ctz(mask);
        }
    }
#endif
    for (; p < end; ++p) {
        if (isOrLineBreak(*p, '"'))
            return p;
    }
    return end;
}

} // namespace qc::trace::detail
