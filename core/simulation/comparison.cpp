#include "alerting/minuteseries.h"
#include "clientkey.h"
#include "comparison_p.h"

#include <algorithm>
#include <unordered_map>

using namespace Qt::StringLiterals;

namespace qc::simulation::detail {

namespace {

std::string_view ruleId(const Policy& policy, int rule)
{
    return rule >= 0 && static_cast<std::size_t>(rule) < policy.rules.size()
        ? std::string_view(policy.rules[static_cast<std::size_t>(rule)].id)
        : std::string_view();
}

} // namespace

TimeMs floorTo(TimeMs ts, TimeMs unit)
{
    const TimeMs q = ts / unit;
    return ((ts % unit != 0 && ts < 0) ? q - 1 : q) * unit;
}

QString fromStd(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

QString ruleText(const Policy& policy, int rule)
{
    if (rule < 0 || rule >= static_cast<int>(policy.rules.size()))
        return {};
    return QString::fromStdString(policy.rules[static_cast<std::size_t>(rule)].id);
}

std::string_view recordedRuleName(
    const std::vector<std::string>& ruleNames, const trace::RecordedDecision& recorded)
{
    return recorded.rule < ruleNames.size() ? std::string_view(ruleNames[recorded.rule])
                                            : std::string_view();
}

// Compares only what was recorded: a trace with a status column but no rule column is judged
// on the status alone. The engine's status follows from its reason (docs/enforcement.md §10:
// a replay returns a stored admission, 200).
FidelityCheck checkRecorded(const std::vector<std::string>& ruleNames,
    const trace::RecordedDecision& recorded, const Outcome& outcome, const Policy& policy)
{
    if (!recorded.present)
        return {};
    FidelityCheck check;
    check.recorded = true;
    const auto reason = static_cast<Reason>(outcome.reason);
    if (recorded.allowed != (outcome.allowed != 0))
        check.agrees = false;
    else if (recorded.status != 0 && recorded.status != enforcement::statusOf(reason))
        check.agrees = false;
    else if (recorded.hasReason && recorded.reason != reason)
        check.agrees = false;
    else if (recorded.rule != 0)
        check.agrees = recordedRuleName(ruleNames, recorded) == ruleId(policy, outcome.rule);
    return check;
}

DecisionText recordedText(const RawDisagreement& raw)
{
    DecisionText text;
    text.allowed = raw.recorded.allowed;
    text.status = raw.recorded.status;
    if (raw.recorded.hasReason)
        text.reason = fromStd(enforcement::toString(raw.recorded.reason));
    text.rule = QString::fromStdString(raw.recordedRule);
    return text;
}

// ---- names at the end --------------------------------------------------------------------

QList<NamedCount> topCounts(std::vector<NamedCount> counts, std::size_t limit)
{
    const auto order = [](const NamedCount& a, const NamedCount& b) {
        return a.count != b.count ? a.count > b.count : a.name < b.name;
    };
    const std::size_t keep = std::min(limit, counts.size());
    std::partial_sort(
        counts.begin(), counts.begin() + static_cast<std::ptrdiff_t>(keep), counts.end(), order);
    counts.resize(keep);
    return QList<NamedCount>(counts.begin(), counts.end());
}

/// Counts of dictionary ids (index = id) to named counts, zero counts left out.
std::vector<NamedCount> namedIds(
    const std::vector<std::uint64_t>& counts, const Dictionary& dictionary, Field field)
{
    std::vector<NamedCount> out;
    for (std::size_t id = 0; id < counts.size(); ++id) {
        if (counts[id] != 0)
            out.push_back(
                { fromStd(dictionary.text(field, static_cast<std::uint32_t>(id))), counts[id] });
    }
    return out;
}

ChangeBreakdown ChangeCounter::finish(
    const Dictionary& dictionary, const QStringList& tierNames, std::size_t topN)
{
    ChangeBreakdown out;
    out.total = total;
    std::vector<NamedCount> reasons;
    for (int r = 0; r < enforcement::kReasonCount; ++r) {
        if (byReason[static_cast<std::size_t>(r)] != 0)
            reasons.push_back({ fromStd(enforcement::toString(static_cast<Reason>(r))),
                byReason[static_cast<std::size_t>(r)] });
    }
    out.byReason = topCounts(std::move(reasons), SIZE_MAX);
    std::vector<NamedCount> rules;
    for (std::size_t r = 0; r < byRule.size(); ++r) {
        if (byRule[r] != 0)
            rules.push_back({ ruleText(*denyingPolicy, static_cast<int>(r) - 1), byRule[r] });
    }
    out.byRule = topCounts(std::move(rules), SIZE_MAX);
    std::vector<NamedCount> tiers;
    for (std::size_t t = 0; t < byTier.size(); ++t) {
        if (byTier[t] != 0)
            tiers.push_back({ tierNames[static_cast<qsizetype>(t)], byTier[t] });
    }
    out.byPlan = topCounts(std::move(tiers), SIZE_MAX);
    out.byEndpoint = topCounts(namedIds(byEndpoint, dictionary, Field::Endpoint), SIZE_MAX);
    out.topUsers = topCounts(namedIds(byUser, dictionary, Field::User), topN);

    // Different addresses can share a client key (an IPv6 /64, proxies): merge by key.
    std::unordered_map<std::string, std::uint64_t> clients;
    for (std::size_t id = 0; id < byIp.size(); ++id) {
        if (byIp[id] == 0)
            continue;
        std::string key = clientKeyOf(
            dictionary.text(Field::Ip, static_cast<std::uint32_t>(id)), {}, *denyingPolicy);
        clients[key.empty() ? std::string("(invalid)") : std::move(key)] += byIp[id];
    }
    std::sort(forwardedPairs.begin(), forwardedPairs.end());
    for (std::size_t i = 0; i < forwardedPairs.size();) {
        std::size_t j = i;
        while (j < forwardedPairs.size() && forwardedPairs[j] == forwardedPairs[i])
            ++j;
        const auto ip = static_cast<std::uint32_t>(forwardedPairs[i] >> 32);
        const auto forwarded = static_cast<std::uint32_t>(forwardedPairs[i] & 0xffffffffU);
        std::string key = clientKeyOf(dictionary.text(Field::Ip, ip),
            dictionary.text(Field::ForwardedFor, forwarded), *denyingPolicy);
        clients[key.empty() ? std::string("(invalid)") : std::move(key)] += j - i;
        i = j;
    }
    std::vector<NamedCount> clientCounts;
    clientCounts.reserve(clients.size());
    for (const auto& [key, count] : clients)
        clientCounts.push_back({ QString::fromStdString(key), count });
    out.topClients = topCounts(std::move(clientCounts), topN);
    return out;
}

void PolicyRun::copyCountsFrom(const PolicyRun& other)
{
    byReason = other.byReason;
    deniedByRule = other.deniedByRule;
    wouldDeny = other.wouldDeny;
    incidentsByPattern = other.incidentsByPattern;
    reported = other.reported;
    allowed = other.allowed;
    idempotency = other.idempotency;
    collisions = other.collisions;
    incidents = other.incidents;
    cost = other.cost;
    minutes = other.minutes;
    minute = other.minute;
    nextMinute = other.nextMinute;
    cancelled = other.cancelled;
}

PolicyTotals totalsOf(const PolicyRun& run, const QString& name)
{
    const Policy& policy = *run.policy;
    PolicyTotals totals;
    totals.name = name;
    totals.requests = run.reported;
    totals.allowed = run.allowed;
    totals.denied = totals.requests - run.allowed;
    totals.byReason = run.byReason;
    for (std::size_t r = 0; r < policy.rules.size(); ++r) {
        totals.deniedByRule.push_back(
            { QString::fromStdString(policy.rules[r].id), run.deniedByRule[r + 1] });
        if (policy.rules[r].mode == enforcement::Mode::Shadow)
            totals.wouldDenyByRule.push_back(
                { QString::fromStdString(policy.rules[r].id), run.wouldDeny[r] });
    }
    totals.costAdmitted = run.cost;
    totals.idempotencyRequests = run.idempotency;
    totals.collisions = run.collisions;
    totals.incidents = run.incidents;
    for (std::size_t p = 0; p < policy.abuse.size(); ++p)
        totals.incidentsByPattern.push_back(
            { QString::fromStdString(policy.abuse[p].id), run.incidentsByPattern[p] });
    return totals;
}

// The alert rules of core/alerting (docs/alerting.md), replayed over the minutes of one
// policy's decision stream as Prometheus would evaluate them with a 1-minute interval. The
// stream has no latencies, database errors or per-minute incidents: those rules have no data.
void evaluateAlerts(
    const std::vector<MinuteRow>& minutes, const QString& policyName, QList<AlertFiring>& out)
{
    static const std::vector<alerting::Signal> measured { alerting::Signal::Decisions,
        alerting::Signal::Denied, alerting::Signal::RateLimitHits,
        alerting::Signal::IdempotencyRequests, alerting::Signal::IdempotencyCollisions };
    std::vector<alerting::MinuteCounts> counts(minutes.size());
    for (std::size_t i = 0; i < minutes.size(); ++i) {
        const MinuteRow& m = minutes[i];
        counts[i].startMs = m.start;
        counts[i].decisions = m.requests;
        counts[i].denied = m.denied;
        counts[i].rateLimitHits = m.rateLimited;
        counts[i].idempotencyRequests = m.idempotency;
        counts[i].collisions = m.collisions;
    }
    for (const alerting::FiringSummary& summary : alerting::replayMinutes(counts, measured)) {
        AlertFiring firing;
        firing.rule = summary.rule;
        firing.policy = policyName;
        firing.condition = summary.condition;
        firing.firstMinute = summary.firstMinuteMs;
        firing.minutes = summary.minutes;
        firing.peak = summary.peak;
        out.push_back(firing);
    }
}

QList<TimeBucket> timeSeries(const std::vector<MinuteRow>& baseline,
    const std::vector<MinuteRow>& candidate, TimeMs bucketMs)
{
    // Both policies saw the same requests, so their minute rows line up one to one.
    QList<TimeBucket> out;
    if (baseline.empty())
        return out;
    const TimeMs first = floorTo(baseline.front().start, bucketMs);
    const TimeMs last = floorTo(baseline.back().start, bucketMs);
    const TimeMs count = (last - first) / bucketMs + 1;
    constexpr TimeMs kMaxDenseBuckets = 100000;
    const bool dense = count <= kMaxDenseBuckets; // sparse only for absurdly long traces
    for (std::size_t i = 0; i < baseline.size(); ++i) {
        const TimeMs start = floorTo(baseline[i].start, bucketMs);
        if (out.isEmpty() || out.constLast().start != start) {
            while (dense && !out.isEmpty() && out.constLast().start + bucketMs < start)
                out.push_back({ out.constLast().start + bucketMs, 0, 0, 0 });
            out.push_back({ start, 0, 0, 0 });
        }
        TimeBucket& bucket = out.last();
        bucket.requests += baseline[i].requests;
        bucket.baselineDenied += baseline[i].denied;
        bucket.candidateDenied += i < candidate.size() ? candidate[i].denied : 0;
    }
    return out;
}

DecisionText simulatedText(const Outcome& outcome, const Policy& policy)
{
    const auto reason = static_cast<Reason>(outcome.reason);
    return { outcome.allowed != 0, enforcement::statusOf(reason),
        fromStd(enforcement::toString(reason)), ruleText(policy, outcome.rule) };
}

} // namespace qc::simulation::detail
