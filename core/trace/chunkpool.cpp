#include "chunkpool.h"

namespace qc::trace {

ChunkPool::ChunkPool(std::size_t capacity)
    : m_capacity(capacity)
{
}

void ChunkPool::recycle(Trace& chunk)
{
    Buffers buffers { std::move(chunk.requests), std::move(chunk.recorded),
        std::move(chunk.lines) };
    chunk.requests = {};
    chunk.recorded = {};
    chunk.lines = {};
    buffers.requests.clear();
    buffers.recorded.clear();
    buffers.lines.clear();
    std::lock_guard lock(m_mutex);
    if (m_free.size() < m_capacity)
        m_free.push_back(std::move(buffers));
}

bool ChunkPool::take(Trace& into)
{
    Buffers buffers;
    {
        std::lock_guard lock(m_mutex);
        if (m_free.empty())
            return false;
        buffers = std::move(m_free.back());
        m_free.pop_back();
    }
    into.requests = std::move(buffers.requests);
    into.recorded = std::move(buffers.recorded);
    into.lines = std::move(buffers.lines);
    return true;
}

} // namespace qc::trace
