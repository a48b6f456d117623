#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <type_traits>

namespace qc::enforcement {

/// A FIFO of trivially copyable entries that keeps up to N inline and spills to the heap only
/// when it must hold more. Abuse windows keep one per identifier and pattern: most identifiers
/// have a handful of events in a window, a few heavy hitters have many.
///
/// It is itself trivially copyable and all-zero bytes are an empty ring, so that the engine can
/// keep rings inside flat per-identifier records that grow by memcpy. The owner calls release().
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

    void pushBack(const T& value)
    {
        if (!onHeap() && count < N) [[likely]] {
            inlineEntries[(head + count) & (N - 1)] = value;
            ++count;
            return;
        }
        if (size() == capacity()) [[unlikely]]
            grow();
        heapData()[(head + size()) & (capacity() - 1)] = value;
        ++count;
    }

    std::size_t heapBytes() const { return onHeap() ? std::size_t(capacity()) * sizeof(T) : 0; }

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

    void release()
    {
        if (onHeap())
            ::operator delete(heapData(), std::align_val_t(kAlign));
        heapBits = 0;
        head = 0;
        count = 0;
    }

    std::uint32_t capacity() const
    {
        return onHeap() ? std::uint32_t(1) << (heapBits & (kAlign - 1)) : N;
    }

private:
    static constexpr std::uint32_t kOnHeap = 0x80000000U;
    static constexpr std::uint32_t kCountMask = 0x7fffffffU;
    static constexpr std::size_t kAlign = 64; // frees the low 6 bits of the pointer

    T* heapData() const { return reinterpret_cast<T*>(heapBits & ~std::uintptr_t(kAlign - 1)); }
    T* data() { return onHeap() ? heapData() : inlineEntries; }
    const T* data() const { return onHeap() ? heapData() : inlineEntries; }

#if defined(__GNUC__)
    [[gnu::noinline, gnu::cold]]
#endif
    void
    grow()
    {
        const std::uint32_t oldCapacity = capacity();
        std::uint32_t log2 = 0;
        while ((std::uint32_t(1) << log2) < oldCapacity * 2)
            ++log2;
        T* fresh = static_cast<T*>(
            ::operator new(std::size_t(oldCapacity) * 2 * sizeof(T), std::align_val_t(kAlign)));
        for (std::uint32_t i = 0; i < size(); ++i)
            std::memcpy(static_cast<void*>(fresh + i), &at(i), sizeof(T));
        if (onHeap())
            ::operator delete(heapData(), std::align_val_t(kAlign));
        heapBits = reinterpret_cast<std::uintptr_t>(fresh) | log2;
        head = 0;
        count |= kOnHeap;
    }
};

} // namespace qc::enforcement
