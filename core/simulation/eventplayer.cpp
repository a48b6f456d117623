#include "eventplayer.h"

#include "enforcement/engine.h"
#include "trace/trace.h"

namespace qc::simulation {

using trace::StateEvent;

EventPlayer::EventPlayer(const std::vector<StateEvent>& events, enforcement::Engine& engine)
    : m_events(events)
    , m_engine(engine)
{
    if (!m_events.empty())
        m_nextTs = m_events.front().ts;
}

void EventPlayer::applyUntil(enforcement::TimeMs ts)
{
    while (m_next < m_events.size() && m_events[m_next].ts <= ts)
        applyEvent(m_engine, m_events[m_next++]);
    m_nextTs = m_next < m_events.size() ? m_events[m_next].ts
                                        : std::numeric_limits<enforcement::TimeMs>::max();
}

void applyEvent(enforcement::Engine& engine, const StateEvent& event)
{
    switch (event.kind) {
    case StateEvent::Kind::Block:
        engine.addBlock(event.block);
        break;
    case StateEvent::Kind::Unblock:
        engine.unblock(event.block.target, event.block.value, event.ts);
        break;
    case StateEvent::Kind::PlanChange:
        // Engine::changePlan ends a downgrade's grace at ts + the policy's downgrade_grace;
        // shifting ts gives the recorded grace instead, whatever the policy says.
        engine.changePlan(event.user, event.plan,
            event.graceMs < 0 ? event.ts
                              : event.ts + event.graceMs - engine.policy().downgradeGraceMs);
        break;
    }
}

} // namespace qc::simulation
