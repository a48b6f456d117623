#pragma once

#include "enforcement/policy.h"
#include "sweepparameter.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <stop_token>

namespace qc::trace {
struct Trace;
}

namespace qc::simulation {

/// What one policy does to the reported part of a trace, in the terms of a sweep
/// (docs/simulation.md "Sweeps": legitimate and abusive traffic are defined there).
struct SweepPoint {
    std::int64_t value = 0; // the parameter's value (its unit: count, ms or µUSD)
    QString valueText; // as a policy file writes it: "20", "90s", "0.25"
    std::uint64_t allowed = 0;
    std::uint64_t denied = 0;
    std::uint64_t legitimateDenied = 0; // legitimate requests this policy denies
    std::uint64_t abusiveAdmitted = 0; // abusive requests this policy allows
    double legitimateDeniedPct = 0; // of the legitimate requests
    double abusiveAdmittedPct = 0; // of the abusive requests
    std::uint64_t newlyDenied = 0; // allowed by the baseline, denied here
    std::uint64_t newlyAdmitted = 0; // denied by the baseline, allowed here
    std::uint64_t legitimateNewlyDenied = 0;
    std::uint64_t paidNewlyDenied = 0;
    double paidDeniedPct = 0; // paidNewlyDenied / paid requests * 100, as in Report
    std::uint64_t sweptRuleDenied = 0; // denials by the swept rule (rule parameters only)
    enforcement::MicroUsd costAdmitted = 0; // cost of the allowed requests
    enforcement::MicroUsd abusiveCostAdmitted = 0; // of those, the abusive ones
    enforcement::MicroUsd costSaved = 0; // baseline's cost admitted minus this one's
    std::uint64_t incidents = 0; // abuse incidents raised over the reported part
    /// Requests decided for this value: the whole trace, or with the shortcut only those of
    /// the components where the value can bind (docs/simulation.md "Sweeps").
    std::uint64_t decided = 0;

    friend bool operator==(const SweepPoint&, const SweepPoint&) = default;
};

/// The result of a sweep: one point per value, plus the baseline measured the same way.
struct SweepResult {
    SweepParameter parameter;
    QString baselineName;
    QString candidateName;
    std::int64_t candidateValue = 0; // the parameter's value in the candidate as given
    std::uint64_t traceRequests = 0;
    std::uint64_t reportedRequests = 0;
    std::uint64_t legitimateRequests = 0;
    std::uint64_t abusiveRequests = 0;
    std::uint64_t paidRequests = 0;
    std::uint64_t abusiveClients = 0; // client keys that raised an incident under the baseline
    std::uint64_t abusiveUsers = 0;
    SweepPoint baseline; // value/valueText unset
    QList<SweepPoint> points; // in the order of SweepSpec::values
    QStringList warnings;
    QString error; // non-empty: the sweep could not run (a value gives an invalid policy)
    bool cancelled = false;
    bool shortcut = false; // components where a value cannot bind were not decided again
    int threads = 0; // worker threads used
    std::uint64_t decisions = 0; // requests decided, every run together
    double elapsedS = 0;
    double decisionsPerS = 0; // decisions / elapsedS

    bool ok() const { return error.isEmpty() && !cancelled; }
};

struct SweepOptions {
    enforcement::TimeMs warmupMs = 0; // as Options::warmupMs of simulate()
    /// Worker threads; 0 = one per hardware thread. Each runs one value at a time.
    int threads = 0;
    /// Decide again, for each value, only the components of the trace where it can bind
    /// (rule limits and plan quotas without global rules; other parameters always run whole).
    /// The points are the same either way; false is for checking that.
    bool shortcut = true;
    std::stop_token stopToken;
    /// Called on the calling thread about ten times a second with the decisions made so far
    /// and the total; the total shrinks once, when the shortcut knows how much it decides
    /// again. Returning false cancels the sweep.
    std::function<bool(std::uint64_t done, std::uint64_t total)> progress;
    QString baselineName = QStringLiteral("baseline");
    QString candidateName = QStringLiteral("candidate");
};

/// Runs the baseline once, then the candidate once per value of `spec` (the candidate's JSON
/// with the parameter set, validated as a policy file), on `threads` workers sharing the trace
/// read-only. Every point equals what simulate(baseline, candidate with that value, trace)
/// reports for the same quantities. With the shortcut, the candidate with the parameter
/// unbounded also runs once, and each value decides only the requests of the identifier
/// components where it can bind.
SweepResult sweep(const enforcement::Policy& baseline, const QByteArray& candidateJson,
    const trace::Trace& trace, const SweepSpec& spec, const SweepOptions& options = {});

/// The sweep as JSON (docs/simulation.md "Sweep JSON").
QJsonObject toJson(const SweepResult& result);
/// A table for a terminal.
QString toText(const SweepResult& result);
/// One row per value (and one for the baseline): the columns of the sweep JSON's points.
QByteArray toCsv(const SweepResult& result);

} // namespace qc::simulation
