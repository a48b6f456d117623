#include "simulator.h"

#include "pipeline_p.h"
#include "trace/chunkpool.h"
#include "trace/trace.h"

#include <algorithm>
#include <chrono>
#include <memory>

namespace qc::simulation {

using detail::Chunk;
using detail::Pipeline;
using enforcement::Dictionary;
using enforcement::Policy;

Report simulate(const Policy& baseline, const Policy& candidate, const trace::Trace& trace,
    const Options& options)
{
    // The trace is in memory: chunks are slices of it, all handed over at once.
    constexpr std::size_t kChunk = 16384;
    const std::size_t n = trace.requests.size();
    Pipeline pipeline(baseline, candidate, trace.dictionary, trace.events, options, SIZE_MAX);
    const bool recordedLinesUp = trace.recorded.size() == n;
    for (std::size_t first = 0; first < n; first += kChunk) {
        const std::size_t count = std::min(kChunk, n - first);
        auto chunk = std::make_unique<Chunk>();
        chunk->requests = std::span(trace.requests).subspan(first, count);
        if (recordedLinesUp)
            chunk->recorded = std::span(trace.recorded).subspan(first, count);
        if (trace.lines.size() == n)
            chunk->lines = std::span(trace.lines).subspan(first, count);
        chunk->ruleNames = &trace.ruleNames;
        if (!pipeline.push(std::move(chunk)))
            break;
    }
    return pipeline.finish(&trace);
}

FileSimulation simulateFile(const Policy& baseline, const Policy& candidate, const QString& path,
    const trace::ReadOptions& readOptions, const Options& options,
    std::shared_ptr<Dictionary> dictionary, const std::function<bool()>& started)
{
    FileSimulation out;
    if (!dictionary)
        dictionary = std::make_shared<Dictionary>();
    // A few chunks in flight bound the memory, and are enough that neither side waits long.
    constexpr std::size_t kChunkRows = 32768;
    constexpr std::size_t kInFlight = 8;
    const auto startedAt = std::chrono::steady_clock::now();
    static const std::vector<trace::StateEvent> kNoEvents; // files carry no state events
    trace::ChunkPool pool(kInFlight + 2); // before the pipeline: it recycles into the pool
    Pipeline pipeline(baseline, candidate, dictionary, kNoEvents, options, kInFlight);
    pipeline.recycleInto(&pool);
    bool calledStarted = false;
    auto start = [&]() {
        calledStarted = true;
        return !started || started();
    };
    // Request ids are only read back by the decision sinks and the fidelity report's list of
    // disagreements: without sinks, only the rows with a recorded decision need theirs.
    trace::ReadOptions read = readOptions;
    if (options.baselineSink == nullptr && options.candidateSink == nullptr)
        read.requestIds = trace::RequestIdTexts::RecordedRowsOnly;
    out.read = trace::readTraceChunks(
        path, read, dictionary,
        [&](trace::Trace&& rows) {
            if (!calledStarted && !start())
                return false;
            std::unique_ptr<Chunk> chunk = pipeline.newChunk();
            chunk->owned = std::move(rows);
            const trace::Trace& owned = *chunk->owned;
            chunk->requests = owned.requests;
            chunk->recorded = owned.recorded;
            chunk->lines = owned.lines;
            chunk->ruleNames = &owned.ruleNames;
            return pipeline.push(std::move(chunk));
        },
        kChunkRows, trace::Format::Auto, &pool);
    out.readS = std::chrono::duration<double>(std::chrono::steady_clock::now() - startedAt).count();
    if (out.read.fatal.isEmpty() && !out.read.cancelled && !calledStarted && !start())
        out.read.cancelled = true;
    if (!out.read.fatal.isEmpty() || out.read.cancelled)
        pipeline.stop();
    out.report = pipeline.finish(nullptr);
    return out;
}

} // namespace qc::simulation
