#include "alerting/minuteseries.h"

#include "alerting/evaluator.h"

#include <algorithm>

namespace qc::alerting {

using namespace Qt::StringLiterals;

namespace {
constexpr std::int64_t kMinuteMs = 60'000;

enum Fixed : std::size_t { Allowed, Denied, Keyed, Collisions, RateLimited, DbErrors, Cost, Count };
} // namespace

MinuteSeries::MinuteSeries(SeriesStore& store, const std::vector<Signal>& measured,
    std::vector<double> latencyBoundsSeconds)
    : m_store(store)
    , m_bounds(std::move(latencyBoundsSeconds))
    , m_fixed(Fixed::Count, std::size_t(-1))
{
    for (const Signal signal : measured)
        m_measured[static_cast<std::size_t>(signal)] = true;
    const auto isMeasured
        = [&](Signal signal) { return m_measured[static_cast<std::size_t>(signal)]; };
    const auto fixed = [&](Fixed slot, const QString& name, const metrics::Labels& labels) {
        m_fixed[slot] = m_counters.size();
        m_counters.push_back(Counter { m_store.series(name, labels), 0 });
    };
    if (isMeasured(Signal::Decisions) || isMeasured(Signal::Denied)) {
        fixed(Allowed, u"quota_decisions_total"_s, { { u"decision"_s, u"allowed"_s } });
        fixed(Denied, u"quota_decisions_total"_s, { { u"decision"_s, u"denied"_s } });
    }
    if (isMeasured(Signal::IdempotencyRequests))
        fixed(Keyed, u"quota_idempotency_requests_total"_s, {});
    if (isMeasured(Signal::IdempotencyCollisions))
        fixed(Collisions, u"quota_idempotency_collisions_total"_s, {});
    if (isMeasured(Signal::RateLimitHits))
        fixed(RateLimited, u"quota_rate_limit_hits_total"_s, {});
    if (isMeasured(Signal::DbErrors))
        fixed(DbErrors, u"quota_db_errors_total"_s, {});
    if (isMeasured(Signal::CostUsd))
        fixed(Cost, u"quota_cost_usd_total"_s, {});
    if (isMeasured(Signal::CheckDurationBuckets)) {
        for (std::size_t i = 0; i <= m_bounds.size(); ++i) {
            const QString le = i < m_bounds.size() ? prometheusNumber(m_bounds[i]) : u"+Inf"_s;
            m_latency.push_back(m_counters.size());
            m_counters.push_back(Counter {
                m_store.series(u"quota_check_duration_seconds_bucket"_s, { { u"le"_s, le } }), 0 });
        }
    }
}

MinuteSeries::Counter& MinuteSeries::counter(const QString& name, const metrics::Labels& labels)
{
    const SeriesStore::SeriesId id = m_store.series(name, labels);
    for (Counter& existing : m_counters) {
        if (existing.id == id)
            return existing;
    }
    m_counters.push_back(Counter { id, 0 });
    return m_counters.back();
}

void MinuteSeries::sampleAll(std::int64_t atMs)
{
    for (const Counter& c : m_counters)
        m_store.append(c.id, atMs, c.total);
}

void MinuteSeries::add(const MinuteCounts& minute)
{
    if (m_endMs != minute.startMs)
        sampleAll(minute.startMs);
    const auto bump = [&](Fixed slot, double by) {
        if (m_fixed[slot] != std::size_t(-1))
            m_counters[m_fixed[slot]].total += by;
    };
    bump(Allowed, minute.decisions - minute.denied);
    bump(Denied, minute.denied);
    bump(Keyed, minute.idempotencyRequests);
    bump(Collisions, minute.collisions);
    bump(RateLimited, minute.rateLimitHits);
    bump(DbErrors, minute.dbErrors);
    bump(Cost, minute.costUsd);
    double cumulative = 0;
    for (std::size_t i = 0; i < m_latency.size(); ++i) {
        cumulative += i < minute.latencyBuckets.size() ? minute.latencyBuckets[i] : 0;
        m_counters[m_latency[i]].total += cumulative;
    }
    if (m_measured[static_cast<std::size_t>(Signal::AbuseIncidents)]
        || m_measured[static_cast<std::size_t>(Signal::AbuseEscalations)]) {
        for (const IncidentCount& incidents : minute.incidents) {
            metrics::Labels labels { { u"action"_s, incidents.action },
                { u"pattern"_s, incidents.pattern } };
            Counter& c = counter(u"quota_abuse_incidents_total"_s, labels);
            // A new series starts at 0 at the start of its first minute (exposers initialise
            // their counters at 0), so the first incident counts.
            m_store.append(c.id, minute.startMs, c.total);
            c.total += incidents.count;
        }
    }
    m_endMs = minute.startMs + kMinuteMs;
    sampleAll(m_endMs);
}

void MinuteSeries::addIdle(std::int64_t minuteStartMs)
{
    if (m_endMs != minuteStartMs)
        sampleAll(minuteStartMs);
    m_endMs = minuteStartMs + kMinuteMs;
    sampleAll(m_endMs);
}

double displayValue(const Rule& rule, double value)
{
    switch (rule.kind) {
    case RuleKind::Ratio:
        return value * 100;
    case RuleKind::Quantile:
        return value * 1000;
    case RuleKind::Increase:
        break;
    }
    return value;
}

std::vector<FiringSummary> replayMinutes(const std::vector<MinuteCounts>& minutes,
    const std::vector<Signal>& measured, const std::vector<Rule>& rules,
    const std::vector<double>& latencyBoundsSeconds)
{
    Evaluator evaluator(rules);
    MinuteSeries writer(evaluator.series(), measured, latencyBoundsSeconds);
    std::int64_t longest = 0;
    for (const Rule& rule : rules)
        longest = std::max(longest, rule.windowMs);
    longest = (longest + kMinuteMs - 1) / kMinuteMs * kMinuteMs;

    std::vector<FiringSummary> summaries(rules.size());
    const auto evaluateAt = [&](std::int64_t endMs) {
        evaluator.evaluate(endMs);
        std::size_t lastRule = std::size_t(-1);
        for (const Alert& alert : evaluator.alerts()) {
            if (alert.state != AlertState::Firing)
                continue;
            const auto r = static_cast<std::size_t>(
                std::find_if(rules.begin(), rules.end(),
                    [&](const Rule& rule) { return rule.name == alert.rule; })
                - rules.begin());
            FiringSummary& summary = summaries[r];
            const double value = displayValue(rules[r], alert.value);
            if (r != lastRule) {
                if (summary.minutes == 0) {
                    summary.firstMinuteMs = endMs - kMinuteMs;
                    summary.peak = value;
                }
                ++summary.minutes;
                lastRule = r;
            }
            summary.peak = std::max(summary.peak, value);
        }
    };

    for (const MinuteCounts& row : minutes) {
        if (writer.endMs() != 0 && row.startMs < writer.endMs())
            continue; // not in time order: ignored (callers give one row per minute, sorted)
        if (writer.endMs() != 0 && row.startMs > writer.endMs()) {
            std::int64_t t = writer.endMs();
            const std::int64_t activityEnd = writer.endMs();
            for (; t < row.startMs && t < activityEnd + longest; t += kMinuteMs) {
                writer.addIdle(t);
                evaluateAt(t + kMinuteMs);
            }
            for (t = std::max(t, row.startMs - longest); t < row.startMs; t += kMinuteMs) {
                writer.addIdle(t);
                evaluateAt(t + kMinuteMs);
            }
        }
        writer.add(row);
        evaluateAt(row.startMs + kMinuteMs);
    }

    std::vector<FiringSummary> fired;
    for (std::size_t r = 0; r < rules.size(); ++r) {
        if (summaries[r].minutes == 0)
            continue;
        summaries[r].rule = rules[r].name;
        summaries[r].condition = rules[r].condition;
        fired.push_back(summaries[r]);
    }
    return fired;
}

} // namespace qc::alerting
