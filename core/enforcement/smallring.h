#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <type_traits>
#include <unordered_set>
#include <vector>

namespace qc::enforcement {

/// The heap blocks of spilled rings: power-of-two sizes from 32 bytes, 32-byte aligned. Small
/// blocks are carved from 256 KB chunks and recycled through one free list per size, so that a
/// spill costs a few instructions instead of an aligned operator new; larger ones come from
/// operator new. Everything still allocated is freed with the pool.
class RingPool {
public:
    static constexpr unsigned kMinLog2 = 5;
    RingPool() = default;
    RingPool(const RingPool&) = delete;
    RingPool& operator=(const RingPool&) = delete;
    ~RingPool()
    {
        for (void* chunk : m_chunks)
            ::operator delete(chunk, std::align_val_t(kChunkAlign));
        for (void* block : m_large)
            ::operator delete(block, std::align_val_t(kChunkAlign));
    }

    void* allocate(unsigned log2Bytes)
    {
        if (log2Bytes > kMaxSmallLog2) [[unlikely]] {
            void* block
                = ::operator new(std::size_t(1) << log2Bytes, std::align_val_t(kChunkAlign));
            m_large.insert(block);
            m_bytes += std::size_t(1) << log2Bytes;
            return block;
        }
        if (void* block = m_free[log2Bytes]) {
            std::memcpy(&m_free[log2Bytes], block, sizeof(void*));
            return block;
        }
        const std::size_t size = std::size_t(1) << log2Bytes;
        if (m_left < size) [[unlikely]] {
            m_next = static_cast<std::byte*>(
                ::operator new(kChunkBytes, std::align_val_t(kChunkAlign)));
            m_chunks.push_back(m_next);
            m_left = kChunkBytes;
            m_bytes += kChunkBytes;
        }
        // Every size is a multiple of 32 and chunks are 64-byte aligned: so is each block.
        void* block = m_next;
        m_next += size;
        m_left -= size;
        return block;
    }

    void deallocate(void* block, unsigned log2Bytes)
    {
        if (log2Bytes > kMaxSmallLog2) [[unlikely]] {
            m_large.erase(block);
            m_bytes -= std::size_t(1) << log2Bytes;
            ::operator delete(block, std::align_val_t(kChunkAlign));
            return;
        }
        std::memcpy(block, &m_free[log2Bytes], sizeof(void*));
        m_free[log2Bytes] = block;
    }

    /// Bytes taken from the system: chunks in full, and the large blocks.
    std::size_t bytes() const { return m_bytes; }

private:
    static constexpr unsigned kMaxSmallLog2 = 14; // 16 KB
    static constexpr std::size_t kChunkBytes = std::size_t(1) << 18;
    static constexpr std::size_t kChunkAlign = 64;
    void* m_free[kMaxSmallLog2 + 1] = {};
    std::byte* m_next = nullptr;
    std::size_t m_left = 0;
    std::size_t m_bytes = 0;
    std::vector<void*> m_chunks;
    std::unordered_set<void*> m_large;
};

/// A FIFO of trivially copyable entries that keeps up to N inline and spills to the heap only
/// when it must hold more. Abuse windows keep one per identifier and pattern: most identifiers
/// have a handful of events in a window, a few heavy hitters have many.
///
/// It is itself trivially copyable and all-zero bytes are an empty ring, so that the engine can
/// keep rings inside flat per-identifier records that grow by memcpy. Heap entries come from a
/// RingPool, which frees them all with itself.
/// Eight bytes of bookkeeping: a ring of one 8-byte entry takes 16 bytes, so that a client's
/// whole record stays within two cache lines.
template<typename T, std::uint32_t N> struct SmallRing {
    static_assert(std::is_trivially_copyable_v<T>);
    static_assert(N != 0 && (N & (N - 1)) == 0, "capacities are powers of two");
    static_assert(N * sizeof(T) >= sizeof(std::uintptr_t), "the heap pointer lives inline");

    union {
        T inlineEntries[N];
        std::uintptr_t heapBits; // heap pointer | log2(heap capacity) in the low 6 bits
    };
    std::uint32_t head;
    std::uint32_t count; // bit 31: the entries are on the heap

    std::uint32_t size() const { return count & kCountMask; }
    bool empty() const { return (count & kCountMask) == 0; }
    bool onHeap() const { return (count & kOnHeap) != 0; }
    const T& front() const { return onHeap() ? heapData()[head] : inlineEntries[head]; }
    /// The entry `i` places after the oldest.
    const T& at(std::uint32_t i) const { return data()[(head + i) & (capacity() - 1)]; }

    void popFront()
    {
        head = onHeap() ? (head + 1) & (capacity() - 1) : (head + 1) & (N - 1);
        if ((--count & kCountMask) == 0)
            head = 0;
    }

    void pushBack(const T& value, RingPool& pool)
    {
        if (!onHeap() && count < N) [[likely]] {
            inlineEntries[(head + count) & (N - 1)] = value;
            ++count;
            return;
        }
        if (size() == capacity()) [[unlikely]]
            grow(pool);
        heapData()[(head + size()) & (capacity() - 1)] = value;
        ++count;
    }

    /// Starts loading the heap entries the next pop and push touch (no-op when inline).
    void prefetch() const
    {
        if (!onHeap())
            return;
        const T* data = heapData();
        const std::uint32_t mask = capacity() - 1;
        __builtin_prefetch(data + head, 1, 3);
        __builtin_prefetch(data + ((head + size()) & mask), 1, 3);
    }

    /// Moves the entries back inline when they fit with `room` to spare; true if it did.
    bool unspill(RingPool& pool, std::uint32_t room)
    {
        if (!onHeap() || size() + room > N)
            return false;
        T entries[N];
        const std::uint32_t n = size();
        for (std::uint32_t i = 0; i < n; ++i)
            std::memcpy(static_cast<void*>(entries + i), &at(i), sizeof(T));
        pool.deallocate(heapData(), blockLog2(heapBits & (kAlign - 1)));
        std::memcpy(static_cast<void*>(inlineEntries), entries, n * sizeof(T));
        head = 0;
        count = n;
        return true;
    }

    std::uint32_t capacity() const
    {
        return onHeap() ? std::uint32_t(1) << (heapBits & (kAlign - 1)) : N;
    }

private:
    static constexpr std::uint32_t kOnHeap = 0x80000000U;
    static constexpr std::uint32_t kCountMask = 0x7fffffffU;
    static constexpr std::size_t kAlign = 32; // frees the low 5 bits of the pointer
    static_assert(kAlign == std::size_t(1) << RingPool::kMinLog2);
    static_assert(sizeof(T) <= kAlign && (sizeof(T) & (sizeof(T) - 1)) == 0,
        "a heap block of a power-of-two capacity has a power-of-two size");
    static constexpr unsigned kLog2Size = sizeof(T) == 1 ? 0
        : sizeof(T) == 2                                 ? 1
        : sizeof(T) == 4                                 ? 2
        : sizeof(T) == 8                                 ? 3
        : sizeof(T) == 16                                ? 4
                                                         : 5;
    /// log2 of the bytes of a heap block of 2^log2 entries, at least the pool's smallest.
    static unsigned blockLog2(unsigned log2)
    {
        return log2 + kLog2Size < RingPool::kMinLog2 ? RingPool::kMinLog2 : log2 + kLog2Size;
    }

    T* heapData() const { return reinterpret_cast<T*>(heapBits & ~std::uintptr_t(kAlign - 1)); }
    T* data() { return onHeap() ? heapData() : inlineEntries; }
    const T* data() const { return onHeap() ? heapData() : inlineEntries; }

#if defined(__GNUC__)
    [[gnu::noinline, gnu::cold]]
#endif
    void
    grow(RingPool& pool)
    {
        const std::uint32_t oldCapacity = capacity();
        std::uint32_t log2 = 0;
        while ((std::uint32_t(1) << log2) < oldCapacity * 2)
            ++log2;
        // A block holds as many entries as its size allows (32 bytes at least).
        const unsigned bytesLog2 = blockLog2(log2);
        log2 = bytesLog2 - kLog2Size;
        T* fresh = static_cast<T*>(pool.allocate(bytesLog2));
        for (std::uint32_t i = 0; i < size(); ++i)
            std::memcpy(static_cast<void*>(fresh + i), &at(i), sizeof(T));
        if (onHeap())
            pool.deallocate(heapData(), blockLog2(heapBits & (kAlign - 1)));
        heapBits = reinterpret_cast<std::uintptr_t>(fresh) | log2;
        head = 0;
        count |= kOnHeap;
    }
};

} // namespace qc::enforcement
