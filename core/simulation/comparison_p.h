#pragma once

// What a simulation counts per policy and how the two policies' counts become the Report:
// the per-decision outcome, minute rows, fidelity checks, the newly denied / admitted
// breakdowns and the report's totals, alerts and time series. Private to qc_simulation.

#include "enforcement/decision.h"
#include "enforcement/policy.h"
#include "enforcement/request.h"
#include "report.h"
#include "simulator.h"
#include "trace/trace.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <exception>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace qc::simulation::detail {

using enforcement::Decision;
using enforcement::Dictionary;
using enforcement::EncodedRequest;
using enforcement::Field;
using enforcement::kMinute;
using enforcement::MicroUsd;
using enforcement::Policy;
using enforcement::Reason;
using enforcement::TimeMs;

// What the comparison needs of one decision, kept for every reported request: 4 bytes, so a
// 10-million-row trace costs 40 MB per policy instead of the 56-byte Decision.
struct Outcome {
    std::uint8_t reason = 0;
    std::uint8_t allowed = 0;
    std::int16_t rule = -1;
};
static_assert(sizeof(Outcome) == 4);

// Counters of one minute of the decision stream; only minutes with requests are kept.
struct MinuteRow {
    TimeMs start = 0;
    std::uint32_t requests = 0;
    std::uint32_t denied = 0;
    std::uint32_t rateLimited = 0;
    std::uint32_t idempotency = 0;
    std::uint32_t collisions = 0;
};

struct RawDisagreement {
    std::size_t index = 0;
    std::uint32_t requestId = 0;
    qint64 line = 0;
    trace::RecordedDecision recorded;
    std::string recordedRule;
    Outcome simulated;
};

// Everything one worker aggregates while deciding; indexed by enum values and policy
// indices only, names are resolved once at the end.
struct PolicyRun {
    const Policy* policy = nullptr;
    DecisionSink* sink = nullptr;

    std::array<std::uint64_t, enforcement::kReasonCount> byReason {};
    std::vector<std::uint64_t> deniedByRule; // index rule + 1 (0 = no rule)
    std::vector<std::uint64_t> wouldDeny; // index rule
    std::vector<std::uint64_t> incidentsByPattern;
    std::uint64_t reported = 0;
    std::uint64_t allowed = 0;
    std::uint64_t idempotency = 0;
    std::uint64_t collisions = 0;
    std::uint64_t incidents = 0;
    MicroUsd cost = 0;
    std::vector<MinuteRow> minutes;
    MinuteRow minute;
    TimeMs nextMinute = std::numeric_limits<TimeMs>::min();

    std::atomic<std::uint64_t> done { 0 };
    bool cancelled = false;
    std::exception_ptr error;

    /// The counts (not policy, sink or progress) of a run of the same policy.
    void copyCountsFrom(const PolicyRun& other);
};

TimeMs floorTo(TimeMs ts, TimeMs unit);
QString fromStd(std::string_view text);
/// The id of rule `rule` of `policy`; empty for -1 (no rule).
QString ruleText(const Policy& policy, int rule);

// Whether a recorded decision says something, and whether the simulated one agrees with it.
struct FidelityCheck {
    bool recorded = false;
    bool agrees = true;
};

std::string_view recordedRuleName(
    const std::vector<std::string>& ruleNames, const trace::RecordedDecision& recorded);
/// Compares only what was recorded: a trace with a status column but no rule column is judged
/// on the status alone.
FidelityCheck checkRecorded(const std::vector<std::string>& ruleNames,
    const trace::RecordedDecision& recorded, const Outcome& outcome, const Policy& policy);
DecisionText recordedText(const RawDisagreement& raw);
DecisionText simulatedText(const Outcome& outcome, const Policy& policy);

QList<NamedCount> topCounts(std::vector<NamedCount> counts, std::size_t limit);
/// Counts of dictionary ids (index = id) to named counts, zero counts left out.
std::vector<NamedCount> namedIds(
    const std::vector<std::uint64_t>& counts, const Dictionary& dictionary, Field field);

// Accumulates one direction of change (newly denied or newly admitted) on ids.
struct ChangeCounter {
    const Policy* denyingPolicy = nullptr;
    std::uint64_t total = 0;
    std::array<std::uint64_t, enforcement::kReasonCount> byReason {};
    std::vector<std::uint64_t> byRule; // rule + 1
    std::vector<std::uint64_t> byTier;
    std::vector<std::uint64_t> byEndpoint;
    std::vector<std::uint64_t> byUser; // allocated on first use: users can be millions
    std::vector<std::uint64_t> byIp; // requests without a forwarded-for chain, by ip id
    std::vector<std::uint64_t> forwardedPairs; // (ip << 32 | forwarded_for), sorted at the end

    // Counts by dictionary id; the dictionary may still be growing (a trace being read).
    static void bump(std::vector<std::uint64_t>& counts, std::uint32_t id,
        const Dictionary& dictionary, Field field)
    {
        if (id >= counts.size()) [[unlikely]]
            counts.resize(std::max<std::size_t>({ id + 1U, dictionary.size(field),
                              counts.size() + counts.size() / 2 }),
                0);
        ++counts[id];
    }

    void add(const EncodedRequest& request, const Outcome& outcome, std::size_t tier,
        const Dictionary& dictionary)
    {
        ++total;
        ++byReason[outcome.reason];
        ++byRule[static_cast<std::size_t>(outcome.rule + 1)];
        ++byTier[tier];
        bump(byEndpoint, request.endpoint, dictionary, Field::Endpoint);
        if (request.user != 0)
            bump(byUser, request.user, dictionary, Field::User);
        if (request.forwardedFor == 0) {
            bump(byIp, request.ip, dictionary, Field::Ip);
        } else {
            forwardedPairs.push_back((std::uint64_t { request.ip } << 32) | request.forwardedFor);
        }
    }

    ChangeBreakdown finish(
        const Dictionary& dictionary, const QStringList& tierNames, std::size_t topN);
};

PolicyTotals totalsOf(const PolicyRun& run, const QString& name);
/// The alert rules of core/alerting replayed over one policy's minutes.
void evaluateAlerts(
    const std::vector<MinuteRow>& minutes, const QString& policyName, QList<AlertFiring>& out);
QList<TimeBucket> timeSeries(const std::vector<MinuteRow>& baseline,
    const std::vector<MinuteRow>& candidate, TimeMs bucketMs);

} // namespace qc::simulation::detail
