#pragma once

#include "enforcement/types.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <array>
#include <cstdint>

namespace qc::simulation {

/// A name with a count: a reason, rule, plan tier, endpoint or identifier.
struct NamedCount {
    QString name;
    std::uint64_t count = 0;
    friend bool operator==(const NamedCount&, const NamedCount&) = default;
};

/// What one policy decided over the reported part of the trace.
struct PolicyTotals {
    QString name; // "baseline" / "candidate" or the policy file
    std::uint64_t requests = 0;
    std::uint64_t allowed = 0;
    std::uint64_t denied = 0;
    std::array<std::uint64_t, enforcement::kReasonCount> byReason {}; // index = Reason
    QList<NamedCount> deniedByRule; // rate_limited denials by denying rule, every rule in order
    QList<NamedCount> wouldDenyByRule; // shadow rules that would have denied, policy order
    enforcement::MicroUsd costAdmitted = 0; // cost of the allowed requests
    std::uint64_t idempotencyRequests = 0; // requests carrying an idempotency key
    std::uint64_t collisions = 0;
    std::uint64_t incidents = 0;
    QList<NamedCount> incidentsByPattern; // every pattern of the policy, policy order
};

/// Requests whose outcome differs between the two policies, broken down.
struct ChangeBreakdown {
    std::uint64_t total = 0;
    QList<NamedCount> byReason; // the reason of the policy that denies
    QList<NamedCount> byRule; // the denying rule of the policy that denies ("" = no rule)
    QList<NamedCount> byPlan; // plan tier of the request ("anonymous" without a user)
    QList<NamedCount> byEndpoint;
    QList<NamedCount> topClients; // client keys, most affected first (at most Options::topN)
    QList<NamedCount> topUsers;
};

/// An alert rule that would fire over the decision stream of one policy.
struct AlertFiring {
    QString rule; // HighDenialRate, RateLimitViolations, ExcessiveIdempotencyCollisions
    QString policy; // "baseline" or "candidate"
    QString condition; // e.g. "denial rate > 20 %"
    enforcement::TimeMs firstMinute = 0; // start of the first minute it fires
    std::uint64_t minutes = 0; // minutes in which it fires
    double peak = 0; // highest value of the condition's quantity over those minutes
};

/// Denials of both policies over one bucket of the time series.
struct TimeBucket {
    enforcement::TimeMs start = 0;
    std::uint64_t requests = 0;
    std::uint64_t baselineDenied = 0;
    std::uint64_t candidateDenied = 0;
};

/// A decision as recorded live or simulated, in text form for display.
struct DecisionText {
    bool allowed = false;
    int status = 0; // 0 = not recorded
    QString reason;
    QString rule;
};

struct Disagreement {
    std::uint64_t index = 0; // position in the trace (0-based)
    QString requestId;
    std::int64_t line = 0; // line of the trace file, 0 when unknown
    DecisionText recorded;
    DecisionText simulated;
};

/// How well the baseline reproduces the decisions recorded in the trace.
struct Fidelity {
    bool available = false; // the trace carries recorded decisions
    std::uint64_t compared = 0; // reported requests with a recorded decision
    std::uint64_t agreed = 0;
    double agreementPct = 0;
    QList<Disagreement> disagreements; // the first Options::maxDisagreements, in trace order
};

/// The comparison of a baseline and a candidate policy over one trace (docs/simulation.md).
struct Report {
    enforcement::TimeMs traceStart = 0; // ts of the first request (warm-up included)
    enforcement::TimeMs traceEnd = 0; // ts of the last request
    std::uint64_t traceRequests = 0;
    enforcement::TimeMs warmupMs = 0;
    std::uint64_t warmupRequests = 0; // decided, not reported
    std::uint64_t reportedRequests = 0;

    PolicyTotals baseline;
    PolicyTotals candidate;
    ChangeBreakdown newlyDenied; // allowed by the baseline, denied by the candidate
    ChangeBreakdown newlyAdmitted; // denied by the baseline, allowed by the candidate

    std::uint64_t paidRequests = 0; // requests of authenticated users on a paid plan
    std::uint64_t paidNewlyDenied = 0;
    double paidDeniedPct = 0; // paidNewlyDenied / paidRequests * 100
    enforcement::MicroUsd costSaved = 0; // baseline.costAdmitted - candidate.costAdmitted

    QList<AlertFiring> alerts;
    enforcement::TimeMs bucketMs = enforcement::kMinute; // time series bucket: 1 min or 1 h
    QList<TimeBucket> timeSeries;
    Fidelity fidelity;
    QStringList warnings;

    bool cancelled = false;
    double elapsedS = 0; // wall time of the simulation (decisions and aggregation)
    double eventsPerS = 0; // trace requests decided per second of wall time, per policy
};

/// The report as JSON with the stable keys of docs/simulation.md.
QJsonObject toJson(const Report& report);
/// A readable summary for a terminal.
QString toText(const Report& report);

} // namespace qc::simulation
