#pragma once

#include "enforcement/types.h"

#include <cstddef>
#include <limits>
#include <vector>

namespace qc::enforcement {
class Engine;
}
namespace qc::trace {
struct StateEvent;
}

namespace qc::simulation {

/// Applies a trace's state events (blocks, unblocks, plan changes) to one engine as its
/// requests advance: call advanceTo(request.ts) before deciding each request. Cheap when
/// nothing is due (one comparison).
class EventPlayer {
public:
    /// `events` (sorted by ts) and `engine` must outlive the player.
    EventPlayer(const std::vector<trace::StateEvent>& events, enforcement::Engine& engine);

    /// Applies every event with ts <= `ts` not applied yet.
    void advanceTo(enforcement::TimeMs ts)
    {
        if (ts >= m_nextTs) [[unlikely]]
            applyUntil(ts);
    }
    std::size_t applied() const { return m_next; }
    /// The ts of the next event not applied yet (the maximum when there is none).
    enforcement::TimeMs nextTs() const { return m_nextTs; }

private:
    void applyUntil(enforcement::TimeMs ts);

    const std::vector<trace::StateEvent>& m_events;
    enforcement::Engine& m_engine;
    std::size_t m_next = 0;
    enforcement::TimeMs m_nextTs = std::numeric_limits<enforcement::TimeMs>::max();
};

/// Applies one event to an engine now (what EventPlayer does at the event's time).
void applyEvent(enforcement::Engine& engine, const trace::StateEvent& event);

} // namespace qc::simulation
