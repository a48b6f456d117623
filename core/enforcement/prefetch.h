#pragma once

namespace qc::enforcement {

/// Starts loading the cache line at `p` for reading, so that several lookups overlap their
/// misses. On x86-64 the instruction itself: GCC 12 at -O2 dropped __builtin_prefetch as dead
/// code from the dictionary's lookups (Dictionary::prepare), and every lookup waited for its
/// miss.
inline void prefetchForRead(const void* p)
{
#if defined(__GNUC__) && defined(__x86_64__)
    asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(p)));
#else
    __builtin_prefetch(p);
#endif
}

} // namespace qc::enforcement
