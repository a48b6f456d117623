#include "pagebuffer.h"

#include <algorithm>
#include <cstdint>
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

constexpr std::size_t kHugePage = 2 * 1024 * 1024;

std::size_t roundUp(std::size_t bytes, std::size_t unit)
{
    return (bytes + unit - 1) & ~(unit - 1);
}

// An address range of `bytes` that starts on a huge-page boundary, reserved without memory:
// huge pages are only used for whole 2 MiB extents that are 2 MiB aligned.
void* reserveAligned(std::size_t bytes)
{
    const std::size_t span = bytes + kHugePage;
    void* raw
        = ::mmap(nullptr, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (raw == MAP_FAILED)
        return nullptr;
    const auto start = reinterpret_cast<std::uintptr_t>(raw);
    const std::uintptr_t aligned = roundUp(start, kHugePage);
    if (aligned > start)
        ::munmap(raw, aligned - start);
    const std::uintptr_t end = start + span;
    if (end > aligned + bytes)
        ::munmap(reinterpret_cast<void*>(aligned + bytes), end - (aligned + bytes));
    return reinterpret_cast<void*>(aligned);
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
    if (bytes <= m_populated)
        return;
#if defined(__linux__)
    if (bytes > m_capacity) {
        std::size_t capacity = m_capacity < kMinimum ? kMinimum : m_capacity;
        while (capacity < bytes)
            capacity *= 2;
        capacity = roundUp(capacity, kPage);
        void* fresh = nullptr;
        if (capacity < kHugePage) {
            fresh = m_data == nullptr ? ::mmap(nullptr, capacity, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
                                      : ::mremap(m_data, m_capacity, capacity, MREMAP_MAYMOVE);
        } else {
            // Big arrays are read at random, one record per request: with 4 KiB pages nearly
            // every access is a TLB miss whose page walk (two-dimensional under virtualization)
            // costs more than the access. Huge pages keep the page tables out of the way. The
            // pages move to the new range (mremap) rather than being copied.
            fresh = reserveAligned(capacity);
            if (fresh != nullptr) {
                if (m_data == nullptr) {
                    fresh = ::mmap(fresh, capacity, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
                } else {
                    void* target = fresh;
                    fresh = ::mremap(
                        m_data, m_capacity, capacity, MREMAP_MAYMOVE | MREMAP_FIXED, target);
                    if (fresh == MAP_FAILED)
                        ::munmap(target, capacity);
                }
                if (fresh != MAP_FAILED)
                    (void)::madvise(fresh, capacity, MADV_HUGEPAGE);
            } else {
                fresh = MAP_FAILED;
            }
        }
        if (fresh == MAP_FAILED)
            throw std::bad_alloc();
        m_data = static_cast<std::byte*>(fresh);
        m_capacity = capacity;
    }
    // Fault in what is asked for now (in huge-page steps), in bulk: a fault per page on first
    // touch costs several times more, under virtualization most of all. Advice only: where it
    // fails the pages are faulted in on touch.
    const std::size_t populated
        = std::min(m_capacity, roundUp(bytes, m_capacity >= kHugePage ? kHugePage : kPage));
    (void)::madvise(m_data + m_populated, populated - m_populated, MADV_POPULATE_WRITE);
    m_populated = populated;
#else
    if (bytes > m_capacity) {
        std::size_t capacity = m_capacity < kMinimum ? kMinimum : m_capacity;
        while (capacity < bytes)
            capacity *= 2;
        auto* data = static_cast<std::byte*>(std::realloc(m_data, capacity));
        if (data == nullptr)
            throw std::bad_alloc();
        std::memset(data + m_capacity, 0, capacity - m_capacity);
        m_data = data;
        m_capacity = capacity;
    }
    m_populated = m_capacity;
#endif
}

} // namespace qc::enforcement::detail
