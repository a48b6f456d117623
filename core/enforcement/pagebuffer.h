#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>

namespace qc::enforcement::detail {

/// Zero-filled, growable memory for the engine's large per-identifier arrays.
///
/// With millions of identifiers the first touch of fresh memory is a large part of the cost of a
/// decision (a page fault per 4 KiB, expensive under virtualization), and with 4 KiB pages
/// nearly every random access to a big array is also a TLB miss. On Linux the buffer is mapped
/// directly, on huge pages once it reaches 2 MiB, grown with mremap (the pages move, nothing is
/// copied) and faulted in in bulk as it is asked for, which costs a fraction of faulting page by
/// page. Elsewhere it is plain heap memory.
class PageBuffer {
public:
    PageBuffer() = default;
    PageBuffer(const PageBuffer&) = delete;
    PageBuffer& operator=(const PageBuffer&) = delete;
    PageBuffer(PageBuffer&& other) noexcept
        : m_data(std::exchange(other.m_data, nullptr))
        , m_capacity(std::exchange(other.m_capacity, 0))
        , m_populated(std::exchange(other.m_populated, 0))
    {
    }
    PageBuffer& operator=(PageBuffer&& other) noexcept
    {
        std::swap(m_data, other.m_data);
        std::swap(m_capacity, other.m_capacity);
        std::swap(m_populated, other.m_populated);
        return *this;
    }
    ~PageBuffer();

    std::byte* data() const { return m_data; }
    /// Bytes of memory in use (faulted in); the address range reserved may be larger.
    std::size_t capacity() const { return m_populated; }
    /// Makes at least `bytes` available; bytes past the old capacity are zero. Throws
    /// std::bad_alloc when the memory cannot be had.
    void reserve(std::size_t bytes);

private:
    std::byte* m_data = nullptr;
    std::size_t m_capacity = 0; // reserved
    std::size_t m_populated = 0; // faulted in, <= m_capacity
};

/// A growable array of trivially copyable elements whose new elements are all-zero bytes.
template<typename T> class FlatArray {
    static_assert(std::is_trivially_copyable_v<T>);

public:
    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    T* data() const { return reinterpret_cast<T*>(m_buffer.data()); }
    T& operator[](std::size_t i) const { return data()[i]; }
    T* begin() const { return data(); }
    T* end() const { return data() + m_size; }
    std::size_t capacityBytes() const { return m_buffer.capacity(); }

    /// Grows (never shrinks) to `count` elements; new elements are zero bytes.
    void growTo(std::size_t count)
    {
        if (count <= m_size)
            return;
        m_buffer.reserve(count * sizeof(T));
        m_size = count;
    }
    void pushBack(const T& value)
    {
        m_buffer.reserve((m_size + 1) * sizeof(T));
        std::memcpy(static_cast<void*>(data() + m_size), &value, sizeof(T));
        ++m_size;
    }
    /// Forgets the elements and zeroes their memory, keeping it mapped for reuse.
    void clear()
    {
        std::memset(static_cast<void*>(data()), 0, m_size * sizeof(T));
        m_size = 0;
    }

private:
    PageBuffer m_buffer;
    std::size_t m_size = 0;
};

} // namespace qc::enforcement::detail
