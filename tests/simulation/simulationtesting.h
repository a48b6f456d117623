#pragma once

// Helpers shared by the simulation tests (header-only: each test is its own executable).

#include "enforcement/decision.h"
#include "enforcement/request.h"
#include "policy/policyjson.h"
#include "simulation/simulator.h"
#include "trace/generator.h"
#include "trace/trace.h"

#include <QByteArray>
#include <QtGlobal>

#include <memory>
#include <vector>

namespace qc::simtest {

inline enforcement::Policy policyFrom(const QByteArray& json)
{
    policy::LoadResult result = policy::parsePolicy(json);
    if (!result.ok())
        qFatal("test policy invalid: %s", qPrintable(result.errorText()));
    return *result.policy;
}

/// A trace of the scenario generator: diurnal users, a bot burst, a buggy client reusing
/// idempotency keys, a cost spike and plan changes, `minutes` long.
inline trace::Trace generatedTrace(
    int minutes, double rate = 25, quint64 seed = 7, int users = 300, int ips = 600)
{
    trace::GeneratorOptions options;
    options.durationMs = minutes * enforcement::kMinute;
    options.seed = seed;
    options.users = users;
    options.ips = ips;
    options.requestsPerSecond = rate;
    options.scenarios.clear();
    for (const trace::ScenarioKind kind : { trace::ScenarioKind::Normal,
             trace::ScenarioKind::BotBurst, trace::ScenarioKind::BuggyClient,
             trace::ScenarioKind::CostSpike, trace::ScenarioKind::PlanChange }) {
        trace::Scenario scenario;
        scenario.kind = kind;
        if (kind != trace::ScenarioKind::Normal)
            scenario.offsetMs = options.durationMs / 4;
        options.scenarios.push_back(scenario);
    }
    return trace::generate(options);
}

/// Collects one policy's decisions (called on that policy's worker thread only).
class RecordingSink final : public simulation::DecisionSink {
public:
    void decided(std::size_t index, const enforcement::EncodedRequest&,
        const enforcement::Decision& decision) override
    {
        indices.push_back(index);
        decisions.push_back(decision);
    }
    std::vector<std::size_t> indices;
    std::vector<enforcement::Decision> decisions;
};

} // namespace qc::simtest
