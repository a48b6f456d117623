#include "pagebuffer.h"

#include <cstdlib>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace qc::enforcement::detail {

namespace {

constexpr std::size_t kPage = 4096;
constexpr std::size_t kMinimum = 64 * 1024;

#if defined(__linux__)
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 // Linux 5.14; older kernels reject it and we fault on touch
#endif

void populate(std::byte* from, std::size_t bytes)
{
    // Advice only: failure leaves the pages to be faulted in on first touch.
    (void)::madvise(from, bytes, MADV_POPULATE_WRITE);
}
#endif

} // namespace

PageBuffer::~PageBuffer()
{
#if defined(__linux__)
    if (m_data != nullptr)
        ::munmap(m_data, m_capacity);
#else
    std::free(m_data);
#endif
}

void PageBuffer::reserve(std::size_t bytes)
{
    if (bytes <= m_capacity)
        return;
    std::size_t capacity = m_capacity < kMinimum ? kMinimum : m_capacity;
    while (capacity < bytes)
        capacity *= 2;
    capacity = (capacity + kPage - 1) & ~(kPage - 1);
#if defined(__linux__)
    void* fresh = m_data == nullptr
        ? ::mmap(nullptr, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        : ::mremap(m_data, m_capacity, capacity, MREMAP_MAYMOVE);
    if (fresh == MAP_FAILED)
        throw std::bad_alloc();
    auto* data = static_cast<std::byte*>(fresh);
    populate(data + m_capacity, capacity - m_capacity);
#else
    auto* data = static_cast<std::byte*>(std::realloc(m_data, capacity));
    if (data == nullptr)
        throw std::bad_alloc();
    std::memset(data + m_capacity, 0, capacity - m_capacity);
#endif
    m_data = data;
    m_capacity = capacity;
}

} // namespace qc::enforcement::detail
