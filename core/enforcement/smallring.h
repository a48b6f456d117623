#pragma once

#include <cstdint>
#include <cstring>
#include <type_traits>

namespace qc::enforcement {

/// A FIFO of trivially copyable entries that keeps up to N inline and spills to the heap only
/// when it must hold more. Abuse windows keep one per identifier and pattern: most identifiers
/// have a handful of events in a window, a few heavy hitters have many.
///
/// It is itself trivially copyable and all-zero bytes are an empty ring, so that the engine can
/// keep rings inside flat per-identifier records that grow by memcpy. The owner calls release().
template<typename T, std::uint32_t N> struct SmallRing {
    static_assert(std::is_trivially_copyable_v<T>);

    union {
        T inlineEntries[N];
        T* heap;
    };
    std::uint32_t head;
    std::uint32_t count;
    std::uint32_t heapCapacity; // 0 = inline

    std::uint32_t size() const { return count; }
    bool empty() const { return count == 0; }
    const T& front() const { return data()[head]; }
    /// The entry `i` places after the oldest.
    const T& at(std::uint32_t i) const
    {
        std::uint32_t slot = head + i;
        if (slot >= capacity())
            slot -= capacity();
        return data()[slot];
    }

    void popFront()
    {
        head = head + 1 == capacity() ? 0 : head + 1;
        if (--count == 0)
            head = 0;
    }

    void pushBack(const T& value)
    {
        if (count == capacity())
            grow();
        std::uint32_t slot = head + count;
        if (slot >= capacity())
            slot -= capacity();
        data()[slot] = value;
        ++count;
    }

    std::size_t heapBytes() const { return std::size_t(heapCapacity) * sizeof(T); }

    void release()
    {
        if (heapCapacity != 0)
            delete[] heap;
        heapCapacity = 0;
        head = 0;
        count = 0;
    }

private:
    std::uint32_t capacity() const { return heapCapacity != 0 ? heapCapacity : N; }
    T* data() { return heapCapacity != 0 ? heap : inlineEntries; }
    const T* data() const { return heapCapacity != 0 ? heap : inlineEntries; }

    void grow()
    {
        const std::uint32_t newCapacity = capacity() * 2;
        T* fresh = new T[newCapacity];
        for (std::uint32_t i = 0; i < count; ++i)
            fresh[i] = at(i);
        if (heapCapacity != 0)
            delete[] heap;
        heap = fresh;
        heapCapacity = newCapacity;
        head = 0;
    }
};

} // namespace qc::enforcement
