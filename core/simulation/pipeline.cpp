#include "enforcement/engine.h"
#include "eventplayer.h"
#include "pipeline_p.h"
#include "policy/policyjson.h"
#include "trace/chunkpool.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace qc::simulation::detail {

bool Pipeline::samePolicy(const Policy& a, const Policy& b)
{
    // The JSON form holds everything a policy decides by (parsePolicy(toJson(p)) == p).
    return &a == &b || policy::toJson(a) == policy::toJson(b);
}

void Pipeline::work(int p)
{
    PolicyRun& run = m_runs[p];
    try {
        enforcement::Engine engine(*run.policy, m_dictionary);
        EventPlayer events(m_events, engine); // blocks and plan changes between requests
        std::vector<Decision> decisions(1024);
        for (std::uint64_t k = 0;; ++k) {
            Chunk* chunk = nullptr;
            {
                std::unique_lock lock(m_mutex);
                m_changed.wait(lock, [&] { return k < m_pushed || m_closed || stopped(); });
                if (stopped()) {
                    run.cancelled = true;
                    break;
                }
                if (k >= m_pushed)
                    break; // closed and all decided
                chunk = m_chunks[static_cast<std::size_t>(k - m_released)].get();
            }
            decideChunk(run, engine, events, *chunk, p, decisions);
            if (stopped()) {
                run.cancelled = true;
                break;
            }
            if (chunk->finished.fetch_add(1, std::memory_order_acq_rel) == m_workerCount - 1) {
                compare(*chunk);
                releaseCompared();
            }
        }
    } catch (...) {
        run.error = std::current_exception();
        m_stop.request_stop(); // no point finishing the other policy
    }
    {
        std::lock_guard lock(m_mutex);
        ++m_finishedWorkers;
    }
    m_changed.notify_all();
}

void Pipeline::decideChunk(PolicyRun& run, enforcement::Engine& engine, EventPlayer& events,
    Chunk& chunk, int p, std::vector<Decision>& decisions)
{
    const std::size_t n = chunk.requests.size();
    std::vector<Outcome>& outcomes = chunk.outcomes[p];
    outcomes.resize(n);
    const TimeMs warmupTs = m_warmupTs;
    std::vector<std::uint64_t> dropped;
    for (std::size_t i = 0; i < n;) {
        if (stopped())
            return;
        // A batch is all warm-up or all reported, so that its incidents are all dropped or
        // all counted, and no state event falls due inside it: events apply between batches.
        events.advanceTo(chunk.requests[i].ts);
        const bool warm = chunk.requests[i].ts < warmupTs;
        const TimeMs batchEndTs = warm ? std::min(warmupTs, events.nextTs()) : events.nextTs();
        std::size_t end = std::min(n, i + decisions.size());
        if (chunk.requests[end - 1].ts >= batchEndTs) {
            std::size_t j = i + 1; // requests[i].ts < batchEndTs
            while (j < end && chunk.requests[j].ts < batchEndTs)
                ++j;
            end = j;
        }
        const std::span<const EncodedRequest> batch = chunk.requests.subspan(i, end - i);
        engine.decide(batch, std::span(decisions).first(batch.size()));
        for (std::size_t k = 0; k < batch.size(); ++k) {
            const Decision& decision = decisions[k];
            outcomes[i + k] = { static_cast<std::uint8_t>(decision.reason),
                static_cast<std::uint8_t>(decision.allowed), decision.rule };
        }
        if (warm) {
            // Warm-up: decided for their state, incidents included (blocks carry over), not
            // counted.
            engine.countIncidents(dropped);
        } else {
            for (std::size_t k = 0; k < batch.size(); ++k) {
                const EncodedRequest& request = batch[k];
                const Decision& decision = decisions[k];
                ++run.reported;
                ++run.byReason[static_cast<std::size_t>(decision.reason)];
                run.allowed += decision.allowed;
                if (!decision.allowed)
                    ++run.deniedByRule[static_cast<std::size_t>(decision.rule + 1)];
                if (decision.wouldDeny >= 0)
                    ++run.wouldDeny[static_cast<std::size_t>(decision.wouldDeny)];
                run.cost += decision.allowed ? decision.costMicroUsd : 0;
                const bool hasKey = request.idempotencyKey != 0;
                const bool collided = decision.collision != 0;
                run.idempotency += hasKey;
                run.collisions += collided;

                MinuteRow& minute = run.minute;
                if (request.ts >= run.nextMinute) {
                    if (minute.requests != 0)
                        run.minutes.push_back(minute);
                    minute = {};
                    minute.start = floorTo(request.ts, kMinute);
                    run.nextMinute = minute.start + kMinute;
                }
                ++minute.requests;
                minute.denied += !decision.allowed;
                minute.rateLimited += decision.reason == Reason::RateLimited;
                minute.idempotency += hasKey;
                minute.collisions += collided;
                if (run.sink)
                    run.sink->decided(chunk.first + i + k, request, decision);
                if (DecisionSink* other = m_runs[1].sink; m_workerCount == 1 && other != nullptr)
                    other->decided(chunk.first + i + k, request, decision);
            }
            run.incidents += engine.countIncidents(run.incidentsByPattern);
        }
        i = end;
        run.done.store(chunk.first + i, std::memory_order_relaxed);
    }
}

void Pipeline::compare(Chunk& chunk)
{
    const Dictionary& dictionary = *m_dictionary;
    const std::size_t n = chunk.requests.size();
    const Outcome* base = chunk.outcomes[0].data();
    const Outcome* cand = chunk.outcomes[m_workerCount == 1 ? 0 : 1].data();
    const bool fidelity = chunk.recorded.size() == n;
    m_recorded = m_recorded || (fidelity && n != 0);
    const auto maxDisagreements = static_cast<std::size_t>(std::max(0, m_options.maxDisagreements));
    for (std::size_t k = 0; k < n; ++k) {
        const EncodedRequest& request = chunk.requests[k];
        if (request.ts < m_warmupTs) {
            ++m_warmupRequests;
            continue;
        }
        std::size_t tier = m_anonymousTier;
        if (request.user != 0) {
            if (request.plan >= m_tierOfPlan.size()) [[unlikely]]
                m_tierOfPlan.resize(
                    std::max<std::size_t>(request.plan + 1U, dictionary.size(Field::Plan)), -1);
            std::int32_t& cached = m_tierOfPlan[request.plan];
            if (cached < 0) {
                const int index = request.plan == 0
                    ? -1
                    : m_candidate.planIndex(dictionary.text(Field::Plan, request.plan));
                cached = index >= 0 ? index : m_defaultTier;
            }
            tier = static_cast<std::size_t>(cached);
        }
        const bool paid = m_tierPaid[tier] != 0;
        m_paidRequests += paid;
        if (base[k].allowed != cand[k].allowed) {
            if (base[k].allowed) {
                m_paidNewlyDenied += paid;
                m_changes[0].add(request, cand[k], tier, dictionary);
            } else {
                m_changes[1].add(request, base[k], tier, dictionary);
            }
        }
        if (!fidelity)
            continue;
        const trace::RecordedDecision& recorded = chunk.recorded[k];
        const FidelityCheck check = checkRecorded(*chunk.ruleNames, recorded, base[k], m_baseline);
        if (!check.recorded)
            continue;
        ++m_compared;
        if (check.agrees) {
            ++m_agreed;
        } else if (m_disagreements.size() < maxDisagreements) {
            RawDisagreement raw;
            raw.index = chunk.first + k;
            raw.requestId = request.requestId;
            raw.line
                = chunk.lines.size() == n ? chunk.lines[k] : static_cast<qint64>(raw.index) + 2;
            raw.recorded = recorded;
            raw.recordedRule = std::string(recordedRuleName(*chunk.ruleNames, recorded));
            raw.simulated = base[k];
            m_disagreements.push_back(std::move(raw));
        }
    }
}

void Pipeline::releaseCompared()
{
    std::unique_ptr<Chunk> done;
    {
        std::lock_guard lock(m_mutex);
        // Chunks are compared in order, so the one just compared is the oldest.
        done = std::move(m_chunks.front());
        m_chunks.pop_front();
        ++m_released;
    }
    m_changed.notify_all();
    // Outside the lock: frees (or recycles) the rows of a file.
    if (done->owned && m_pool != nullptr)
        m_pool->recycle(*done->owned);
    done->owned.reset();
    done->requests = {};
    done->recorded = {};
    done->lines = {};
    done->ruleNames = nullptr;
    done->finished.store(0, std::memory_order_relaxed);
    constexpr std::size_t kMaxSpare = 4;
    std::lock_guard lock(m_mutex);
    if (m_spare.size() < kMaxSpare)
        m_spare.push_back(std::move(done));
}

std::unique_ptr<Chunk> Pipeline::newChunk()
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_spare.empty()) {
            std::unique_ptr<Chunk> chunk = std::move(m_spare.back());
            m_spare.pop_back();
            return chunk;
        }
    }
    return std::make_unique<Chunk>();
}

Report Pipeline::finish(const trace::Trace* whole)
{
    {
        std::unique_lock lock(m_mutex);
        m_closed = true;
        m_changed.notify_all();
        while (!m_changed.wait_for(lock, std::chrono::milliseconds(100),
            [this] { return m_finishedWorkers == m_workerCount; })) {
            if (!m_options.progress)
                continue;
            const std::uint64_t done = m_workerCount == 1
                ? m_runs[0].done.load(std::memory_order_relaxed)
                : std::min(m_runs[0].done.load(std::memory_order_relaxed),
                    m_runs[1].done.load(std::memory_order_relaxed));
            const std::uint64_t total = m_total;
            lock.unlock();
            const bool goOn = m_options.progress(done, total);
            lock.lock();
            if (!goOn)
                m_stop.request_stop();
        }
    }
    for (std::jthread& worker : m_workers)
        worker.join();
    const auto decided = std::chrono::steady_clock::now();
    for (PolicyRun& run : m_runs) {
        if (run.error)
            std::rethrow_exception(run.error);
    }
    if (m_workerCount == 1)
        m_runs[1].copyCountsFrom(m_runs[0]);
    Report report;
    const std::size_t n = m_total;
    report.traceRequests = n;
    report.warmupMs = m_options.warmupMs;
    if (n != 0) {
        report.traceStart = m_traceStart;
        report.traceEnd = m_traceEnd;
    }
    const double decideS = std::chrono::duration<double>(decided - m_started).count();
    if (m_runs[0].cancelled || m_runs[1].cancelled || stopped()) {
        report.cancelled = true;
        report.elapsedS = decideS;
        return report;
    }
    if (m_options.progress)
        m_options.progress(n, n);
    for (PolicyRun& run : m_runs) {
        if (run.minute.requests != 0)
            run.minutes.push_back(run.minute);
    }
    report.warmupRequests = m_warmupRequests;
    report.reportedRequests = n - m_warmupRequests;

    const Dictionary& dictionary = *m_dictionary;
    report.baseline = totalsOf(m_runs[0], m_options.baselineName);
    report.candidate = totalsOf(m_runs[1], m_options.candidateName);
    report.costSaved = report.baseline.costAdmitted - report.candidate.costAdmitted;

    report.paidRequests = m_paidRequests;
    report.paidNewlyDenied = m_paidNewlyDenied;
    const auto topN = static_cast<std::size_t>(std::max(0, m_options.topN));
    report.newlyDenied = m_changes[0].finish(dictionary, m_tierNames, topN);
    report.newlyAdmitted = m_changes[1].finish(dictionary, m_tierNames, topN);
    report.paidDeniedPct = report.paidRequests == 0
        ? 0.0
        : 100.0 * static_cast<double>(report.paidNewlyDenied)
            / static_cast<double>(report.paidRequests);

    evaluateAlerts(m_runs[0].minutes, u"baseline"_s, report.alerts);
    evaluateAlerts(m_runs[1].minutes, u"candidate"_s, report.alerts);
    if (!m_runs[0].minutes.empty()) {
        const TimeMs span = m_runs[0].minutes.back().start - m_runs[0].minutes.front().start;
        report.bucketMs = span < enforcement::kDay ? kMinute : enforcement::kHour;
    }
    report.timeSeries = timeSeries(m_runs[0].minutes, m_runs[1].minutes, report.bucketMs);

    if (m_recorded) {
        Fidelity& fidelity = report.fidelity;
        fidelity.compared = m_compared;
        fidelity.available = fidelity.compared != 0;
        fidelity.agreed = m_agreed;
        fidelity.agreementPct = fidelity.compared == 0
            ? 0.0
            : 100.0 * static_cast<double>(fidelity.agreed) / static_cast<double>(fidelity.compared);
        for (const RawDisagreement& raw : m_disagreements) {
            Disagreement d;
            d.index = raw.index;
            d.requestId = fromStd(dictionary.text(Field::RequestId, raw.requestId));
            d.line = raw.line;
            d.recorded = recordedText(raw);
            d.simulated = simulatedText(raw.simulated, m_baseline);
            fidelity.disagreements.push_back(d);
        }
    } else if (whole != nullptr && !whole->recorded.empty()) {
        report.warnings.push_back(u"the trace's recorded decisions do not line up with its "
                                  u"requests; fidelity is not reported"_s);
    }

    QStringList globalRules;
    for (const enforcement::Rule& rule : m_candidate.rules) {
        if (rule.scope == enforcement::Scope::Global)
            globalRules.push_back(QString::fromStdString(rule.id));
    }
    if (!globalRules.isEmpty()) {
        report.warnings.push_back(u"candidate rules with global scope ("_s
            % globalRules.join(u", "_s)
            % u") keep one counter for all traffic: this policy cannot be sharded by "
              u"identifier (across cores or database shards)"_s);
    }

    const auto ended = std::chrono::steady_clock::now();
    report.elapsedS = std::chrono::duration<double>(ended - m_started).count();
    report.eventsPerS = decideS > 0 ? static_cast<double>(n) / decideS : 0.0;
    return report;
}

} // namespace qc::simulation::detail
