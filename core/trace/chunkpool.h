#pragma once

#include "trace.h"

#include <cstddef>
#include <mutex>
#include <vector>

namespace qc::trace {

/// Row buffers of chunks that a readTraceChunks() consumer is done with, handed back so that
/// the next chunks reuse their memory. Without it every chunk of 32,768 rows is a fresh 2.4 MB
/// allocation that the kernel faults in and zeroes page by page (and the allocator returns to
/// it when the chunk is freed): over 2 GB of page clearing for a 10-million-row trace. Any thread
/// may recycle(); the reader take()s on its own thread.
class ChunkPool {
public:
    /// Keeps at most `capacity` sets of buffers; more are freed.
    explicit ChunkPool(std::size_t capacity = 16);

    /// Takes the request, recorded-decision and line vectors of `chunk` (their capacity; the
    /// contents are dropped). `chunk` is left without rows.
    void recycle(Trace& chunk);
    /// Moves a recycled set of (empty) vectors into `into`; false when there is none.
    bool take(Trace& into);

private:
    struct Buffers {
        std::vector<qc::enforcement::EncodedRequest> requests;
        std::vector<RecordedDecision> recorded;
        std::vector<qint64> lines;
    };

    std::size_t m_capacity;
    std::mutex m_mutex;
    std::vector<Buffers> m_free;
};

} // namespace qc::trace
