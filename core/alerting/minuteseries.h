#pragma once

#include "alerting/rule.h"
#include "alerting/seriesstore.h"

#include <QString>

#include <array>
#include <cstdint>
#include <vector>

namespace qc::alerting {

/// Abuse incidents of one pattern and action raised in one minute.
struct IncidentCount {
    QString pattern;
    QString action; // log, alert, block, escalate
    double count = 0;
};

/// What happened in one calendar minute (UTC) of a decision stream — a simulated policy's
/// decisions, or the database's minute rollups.
struct MinuteCounts {
    std::int64_t startMs = 0; // a multiple of 60 000
    double decisions = 0; // every decision, skipped requests included
    double denied = 0;
    double rateLimitHits = 0; // decisions with reason rate_limited
    double idempotencyRequests = 0; // requests carrying an idempotency key
    double collisions = 0;
    double dbErrors = 0;
    double costUsd = 0;
    /// Quota-check latencies per bucket of MinuteSeries' bounds (not cumulative, +Inf last);
    /// empty when the minute has none.
    std::vector<double> latencyBuckets;
    std::vector<IncidentCount> incidents;
};

/// Writes minute counters into a SeriesStore as the services' counters would have been
/// scraped once a minute, exactly on the minute: cumulative series named like the metrics of
/// DESIGN.md §3, starting from 0. Rules evaluated at a minute's end then see full windows of
/// whole minutes, and rate()/increase() reduce to sums of the minutes in the window.
class MinuteSeries {
public:
    /// `measured`: the signals the source knows (the others get no series, so rules over them
    /// have no data). Decisions and Denied go together (quota_decisions_total by decision);
    /// AbuseIncidents/AbuseEscalations mean quota_abuse_incidents_total; CheckDurationBuckets
    /// needs `latencyBoundsSeconds` (finite upper bounds; +Inf is added).
    MinuteSeries(SeriesStore& store, const std::vector<Signal>& measured,
        std::vector<double> latencyBoundsSeconds = {});

    /// Adds one minute: its counters at its end, and (when the series have no sample yet or
    /// the previous minute was not added) the unchanged counters at its start.
    void add(const MinuteCounts& minute);
    /// Adds a minute in which nothing happened (samples unchanged), for the minutes between
    /// rows that the evaluation must see.
    void addIdle(std::int64_t minuteStartMs);

    /// The end of the last minute added (0 before the first).
    std::int64_t endMs() const { return m_endMs; }

private:
    struct Counter {
        SeriesStore::SeriesId id;
        double total = 0;
    };
    void sampleAll(std::int64_t atMs);
    Counter& counter(const QString& name, const metrics::Labels& labels);

    SeriesStore& m_store;
    std::array<bool, kSignalCount> m_measured {};
    std::vector<double> m_bounds;
    std::vector<Counter> m_counters;
    std::int64_t m_endMs = 0;
    std::vector<std::size_t> m_fixed; // indices into m_counters, in signal order
    std::vector<std::size_t> m_latency; // one per bound and +Inf
};

/// How one rule fared over a replay: when it first fired, in how many minute evaluations it
/// was firing (any of its alerts), and the highest value it had while firing, in display
/// units (percent for ratios, milliseconds for latencies, counts otherwise).
struct FiringSummary {
    QString rule;
    QString condition;
    std::int64_t firstMinuteMs = 0; // start of the first minute at whose end it was firing
    std::uint64_t minutes = 0;
    double peak = 0;
};

/// A rule's value in display units: ratio → percent, seconds → milliseconds, else as is.
double displayValue(const Rule& rule, double value);

/// Replays minutes (in time order, only minutes with traffic needed) through the rules, as
/// Prometheus would with a 1-minute scrape and evaluation interval: one evaluation at the end of
/// every minute from the first row to the last, minutes without a row included up to the
/// longest window after traffic (later ones cannot change anything and are skipped). Returns
/// the rules that fired, in rule order.
std::vector<FiringSummary> replayMinutes(const std::vector<MinuteCounts>& minutes,
    const std::vector<Signal>& measured, const std::vector<Rule>& rules = standardRules(),
    const std::vector<double>& latencyBoundsSeconds = {});

} // namespace qc::alerting
