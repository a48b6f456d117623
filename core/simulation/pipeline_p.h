#pragma once

// The run of a simulation: both policies decide the trace's chunks on a thread each, and the
// thread that finishes a chunk second compares the two over it. Private to qc_simulation.

#include "comparison_p.h"
#include "simulator.h"
#include "trace/trace.h"

#include <QStringList>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stop_token>
#include <thread>
#include <vector>

namespace qc::enforcement {
class Engine;
}
namespace qc::trace {
class ChunkPool;
}

namespace qc::simulation {
class EventPlayer;
}

namespace qc::simulation::detail {

// A piece of the trace on its way through both policies: rows of a file being read, or a slice
// of a trace in memory.
struct Chunk {
    std::optional<trace::Trace> owned;
    std::span<const EncodedRequest> requests;
    std::span<const trace::RecordedDecision> recorded; // empty or parallel to requests
    std::span<const qint64> lines; // empty (line = index + 2) or parallel
    const std::vector<std::string>* ruleNames = nullptr;
    std::size_t first = 0; // trace index of requests[0]
    std::vector<Outcome> outcomes[2];
    std::atomic<int> finished { 0 }; // policies done with it
};

// Both policies decide the chunks in trace order, one thread each; the thread that finishes a
// chunk second compares the two over it (so comparisons happen one at a time and in order) and
// lets it go, so that a trace file is never held in memory whole.
class Pipeline {
public:
    /// `events`: the state events of the whole trace (sorted by ts), applied to both engines
    /// before the first request at or after each one's ts.
    Pipeline(const Policy& baseline, const Policy& candidate,
        std::shared_ptr<Dictionary> dictionary, const std::vector<trace::StateEvent>& events,
        const Options& options, std::size_t maxInFlight)
        : m_baseline(baseline)
        , m_candidate(candidate)
        , m_dictionary(std::move(dictionary))
        , m_events(events)
        , m_options(options)
        , m_maxInFlight(maxInFlight)
        , m_forward(options.stopToken, Stopper { this })
    {
        m_runs[0].policy = &baseline;
        m_runs[0].sink = options.baselineSink;
        m_runs[1].policy = &candidate;
        m_runs[1].sink = options.candidateSink;
        for (PolicyRun& run : m_runs) {
            run.deniedByRule.assign(run.policy->rules.size() + 1, 0);
            run.wouldDeny.assign(run.policy->rules.size(), 0);
            run.incidentsByPattern.assign(run.policy->abuse.size(), 0);
        }
        m_changes[0].denyingPolicy = &candidate;
        m_changes[1].denyingPolicy = &baseline;
        // Plan tier of a request: its plan when the candidate knows it, else the default plan;
        // requests without a user are "anonymous" (docs/enforcement.md §2).
        for (const enforcement::Plan& plan : candidate.plans) {
            m_tierNames.push_back(QString::fromStdString(plan.name));
            m_tierPaid.push_back(plan.paid);
        }
        m_anonymousTier = static_cast<std::size_t>(m_tierNames.size());
        m_tierNames.push_back(QStringLiteral("anonymous"));
        m_tierPaid.push_back(0);
        m_defaultTier = std::max(0, candidate.planIndex(candidate.defaultPlan));
        for (ChangeCounter& change : m_changes) {
            change.byRule.assign(change.denyingPolicy->rules.size() + 1, 0);
            change.byTier.assign(static_cast<std::size_t>(m_tierNames.size()), 0);
        }
        m_started = std::chrono::steady_clock::now();
        // The same policy twice (a fidelity replay of the live policy, a policy against
        // itself) decides the same: one engine decides for both and its counts are the
        // candidate's too.
        m_workerCount = samePolicy(baseline, candidate) ? 1 : 2;
        for (int p = 0; p < m_workerCount; ++p)
            m_workers.emplace_back([this, p] { work(p); });
    }

    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    ~Pipeline()
    {
        stop();
        for (std::jthread& worker : m_workers) {
            if (worker.joinable())
                worker.join();
        }
    }

    /// Hands a chunk to both policies; waits while too many are on their way. False once the
    /// run stops (cancelled or failed): the caller stops producing.
    bool push(std::unique_ptr<Chunk> chunk)
    {
        if (chunk->requests.empty())
            return !stopped();
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return m_chunks.size() < m_maxInFlight || stopped(); });
        if (stopped())
            return false;
        if (m_total == 0) {
            m_traceStart = chunk->requests.front().ts;
            if (m_options.warmupMs > 0)
                m_warmupTs = m_traceStart + m_options.warmupMs;
        }
        chunk->first = m_total;
        m_total += chunk->requests.size();
        m_traceEnd = chunk->requests.back().ts;
        m_chunks.push_back(std::move(chunk));
        ++m_pushed;
        lock.unlock();
        m_changed.notify_all();
        return true;
    }

    bool stopped() const { return m_stop.stop_requested(); }

    /// Chunks let go hand their rows' buffers to `pool` (which must outlive the pipeline), so
    /// that the reader fills them again instead of faulting in new memory.
    void recycleInto(trace::ChunkPool* pool) { m_pool = pool; }
    /// A chunk to fill and push(): one let go before (its outcome buffers kept), or a new one.
    std::unique_ptr<Chunk> newChunk();

    void stop()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stop.request_stop();
        }
        m_changed.notify_all();
    }

    /// No more chunks: waits for both policies, calling Options::progress about ten times a
    /// second, and builds the report. `whole`: the trace when it is in memory.
    Report finish(const trace::Trace* whole);

private:
    struct Stopper {
        Pipeline* pipeline;
        void operator()() const { pipeline->stop(); }
    };

    static bool samePolicy(const Policy& a, const Policy& b);
    void work(int p);
    void decideChunk(PolicyRun& run, enforcement::Engine& engine, EventPlayer& events, Chunk& chunk,
        int p, std::vector<Decision>& decisions);
    void compare(Chunk& chunk);
    void releaseCompared();

    const Policy& m_baseline;
    const Policy& m_candidate;
    std::shared_ptr<Dictionary> m_dictionary;
    const std::vector<trace::StateEvent>& m_events;
    const Options& m_options;
    std::size_t m_maxInFlight;

    std::stop_source m_stop;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    // The caller's token and a false from progress() both end the run through m_stop.
    std::stop_callback<Stopper> m_forward;
    std::deque<std::unique_ptr<Chunk>> m_chunks; // pushed, not yet compared
    std::vector<std::unique_ptr<Chunk>> m_spare; // let go, for newChunk()
    trace::ChunkPool* m_pool = nullptr;
    std::uint64_t m_pushed = 0; // chunks pushed so far
    std::uint64_t m_released = 0; // chunks compared and let go
    bool m_closed = false;
    int m_workerCount = 2; // 1: both policies are the same, worker 0 decides for both
    int m_finishedWorkers = 0;
    std::size_t m_total = 0; // requests pushed
    TimeMs m_traceStart = 0;
    TimeMs m_traceEnd = 0;
    TimeMs m_warmupTs = std::numeric_limits<TimeMs>::min(); // requests before it: warm-up
    std::chrono::steady_clock::time_point m_started;

    PolicyRun m_runs[2];

    // The comparison, touched by one thread at a time (the one finishing a chunk second).
    ChangeCounter m_changes[2]; // 0: newly denied (candidate denies), 1: newly admitted
    QStringList m_tierNames;
    std::vector<std::uint8_t> m_tierPaid;
    std::size_t m_anonymousTier = 0;
    int m_defaultTier = 0;
    std::vector<std::int32_t> m_tierOfPlan; // per plan id; -1 = not computed yet
    std::uint64_t m_warmupRequests = 0;
    std::uint64_t m_paidRequests = 0;
    std::uint64_t m_paidNewlyDenied = 0;
    bool m_recorded = false; // some chunk carries recorded decisions
    std::uint64_t m_compared = 0;
    std::uint64_t m_agreed = 0;
    std::vector<RawDisagreement> m_disagreements;

    std::vector<std::jthread> m_workers;
};

} // namespace qc::simulation::detail
