#pragma once

#include "enforcement/decision.h"
#include "enforcement/policy.h"
#include "enforcement/request.h"
#include "report.h"

#include <QString>

#include <cstdint>
#include <functional>
#include <memory>
#include <stop_token>
#include <vector>

namespace qc::trace {
struct Trace;
}

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

} // namespace qc::simulation
