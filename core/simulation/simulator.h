#pragma once

#include "enforcement/decision.h"
#include "enforcement/policy.h"
#include "enforcement/request.h"
#include "report.h"
#include "trace/trace.h"

#include <QString>

#include <cstdint>
#include <functional>
#include <memory>
#include <stop_token>
#include <vector>

namespace qc::simulation {

/// Receives the decisions of one policy, one call per reported request, in trace order, on the
/// thread that runs that policy (never two calls at once on the same sink).
class DecisionSink {
public:
    virtual ~DecisionSink() = default;
    virtual void decided(std::size_t index, const enforcement::EncodedRequest& request,
        const enforcement::Decision& decision)
        = 0;
};

struct Options {
    /// Requests in the first `warmupMs` of the trace are decided (they build state) but not
    /// reported, counted or passed to sinks.
    enforcement::TimeMs warmupMs = 0;
    /// Cancels the run when stop is requested (owned by the caller, may be requested from
    /// any thread).
    std::stop_token stopToken;
    /// Called on the calling thread about ten times a second with requests decided (by the
    /// slower of the two policies) and the trace size; returning false cancels the run.
    std::function<bool(std::uint64_t done, std::uint64_t total)> progress;
    DecisionSink* baselineSink = nullptr;
    DecisionSink* candidateSink = nullptr;
    QString baselineName = QStringLiteral("baseline");
    QString candidateName = QStringLiteral("candidate");
    int topN = 20; // length of the identifier top lists
    int maxDisagreements = 100; // fidelity disagreements listed
};

/// Runs `baseline` and `candidate` over the same requests, one Engine each sharing the
/// trace's Dictionary, on two threads, and compares them. Both policies must be valid.
/// `recorded` (may be empty) and `lines` (may be empty) are parallel to `requests`.
Report simulate(const enforcement::Policy& baseline, const enforcement::Policy& candidate,
    const trace::Trace& trace, const Options& options = {});

/// What simulateFile() read and found.
struct FileSimulation {
    trace::ReadResult read; // errors and skipped rows; its trace holds no requests
    Report report; // cancelled when reading failed or was cancelled
    double readS = 0; // wall time until the last row was read (decisions overlap it)
};

/// readTrace() and simulate() at once, for traces of millions of rows: the calling thread
/// reads the file while both policies decide the rows read so far, and only a few chunks of
/// rows are in memory at any time. Same report as simulate() over the whole trace. A fatal read
/// error (`--strict`) stops the run: the decision sinks may have had the rows before it.
/// `dictionary`: shared with the decision sinks (a new one when empty). `started`, when set, is
/// called on the calling thread once the first rows are in and before any is decided (or when
/// reading ends without rows and without a fatal error), e.g. to open the sinks' files only
/// for a trace that reads; returning false cancels the run.
FileSimulation simulateFile(const enforcement::Policy& baseline,
    const enforcement::Policy& candidate, const QString& path,
    const trace::ReadOptions& readOptions, const Options& options = {},
    std::shared_ptr<enforcement::Dictionary> dictionary = {},
    const std::function<bool()>& started = {});

} // namespace qc::simulation
