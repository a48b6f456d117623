#pragma once

#include "liverequest.h"
#include "livescenario.h"
#include "trace/generator.h"

#include <QList>

#include <memory>
#include <optional>
#include <vector>

namespace qc::live {

/// What the live traffic is made of: the population (the same as a backfill's with the same
/// seed, users and addresses), normal traffic, and the scheduled traffic scenarios.
struct TrafficOptions {
    qc::enforcement::TimeMs startMs = 0; // traffic time of the start of the run
    std::optional<qc::enforcement::TimeMs> durationMs; // nullopt = endless
    double normalRate = 50; // mean requests per second of normal traffic; 0 = none
    bool diurnal = true;
    quint64 seed = 1; // population
    quint64 streamSeed = 1; // the requests
    int users = 5000;
    int ips = 20000;
    QList<LiveScenario> scenarios; // db_hiccup entries are ignored here
    /// Normal traffic is generated in segments of this length, each from a fresh Generator, so
    /// that an endless run does not grow memory with every request's unique strings.
    qc::enforcement::TimeMs segmentMs = 10 * qc::enforcement::kMinute;
};

/// Something the traffic does at a moment of traffic time.
struct TrafficEvent {
    enum class Type { Request, PlanChange };
    Type type = Type::Request;
    qc::enforcement::TimeMs at = 0;
    LiveRequest request; // Type::Request
    qc::trace::PlanChange planChange; // Type::PlanChange (planChange.ts == at)
};

/// Merges normal traffic and every scheduled scenario (each from core/trace's Generator) into
/// one stream of requests and plan changes in time order. Request ids are unique per stream
/// seed ("req-" and 16 hex digits).
class TrafficSource {
public:
    explicit TrafficSource(const TrafficOptions& options);
    ~TrafficSource();
    TrafficSource(const TrafficSource&) = delete;
    TrafficSource& operator=(const TrafficSource&) = delete;

    /// The next event; false when the traffic is over (only with a duration, or when there is
    /// no traffic at all).
    bool next(TrafficEvent& event);
    /// Every plan change the scheduled plan_change scenarios will make, in time order.
    const std::vector<qc::trace::PlanChange>& planChanges() const { return m_planChanges; }

private:
    class Stream;
    class SegmentedStream;
    class WindowStream;

    TrafficOptions m_options;
    std::vector<std::unique_ptr<Stream>> m_streams;
    std::vector<qc::trace::PlanChange> m_planChanges;
    std::size_t m_nextPlanChange = 0;
    std::uint64_t m_sequence = 0;
};

} // namespace qc::live
