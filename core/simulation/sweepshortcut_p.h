#pragma once

// Internal to qc_simulation: the sweep's shortcut (docs/simulation.md "Sweeps"). Requests that
// share no client key and no user never influence each other's decisions (without global
// rules), so the trace falls apart into independent components. A component in which the swept
// limit cannot bind at a value decides exactly as with the limit unbounded; only the other
// components are decided again for that value.

#include "enforcement/policy.h"
#include "sweepparameter.h"

#include <cstdint>
#include <vector>

namespace qc::trace {
struct Trace;
}

namespace qc::simulation::detail {

/// What one run decided for one request, as far as a sweep point needs it.
struct RequestOutcome {
    enforcement::MicroUsd cost = 0; // of an allowed request, else 0
    std::int16_t rule = -1; // the denying rule
    std::uint8_t allowed = 0;
    std::uint8_t counted = 0; // admitted by the rules and quota: every applicable counter moved
    std::uint8_t incidents = 0;
};

/// Whether a sweep of `parameter` over `candidate` can use the shortcut: a limit of a fixed or
/// sliding window rule of a scope with identifiers, or a plan quota, in a policy without
/// global rules.
bool canShortcut(const SweepParameter& parameter, const enforcement::Policy& candidate);

/// The value that leaves the parameter unbounded (it never denies).
std::int64_t unboundedValue(const SweepParameter& parameter);

/// For every request, the component it belongs to, and per component the most requests the
/// swept limit counts in one of its windows (rules; for a sliding window two adjacent ones) or
/// billing cycles (quotas), given the outcomes of the unbounded run. A value greater than a
/// component's load cannot change any of its decisions.
struct Components {
    std::vector<std::uint32_t> of; // per request
    std::vector<std::int64_t> load; // per component
};
Components componentsOf(const trace::Trace& trace, const enforcement::Policy& candidate,
    const SweepParameter& parameter, const std::vector<RequestOutcome>& unbounded);

} // namespace qc::simulation::detail
