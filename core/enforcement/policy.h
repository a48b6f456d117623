#pragma once

#include "ipaddress.h"
#include "types.h"

#include <string>
#include <string_view>
#include <vector>

namespace qc::enforcement {

// The policy as the engine uses it: every duration in milliseconds, money in micro-dollars,
// defaults filled in. core/policy reads and validates the JSON form (docs/policy.md) into this.

struct RuleMatch {
    std::vector<std::string> endpoints; // globs; empty = all
    std::vector<std::string> methods; // upper case; empty = all
    std::vector<std::string> plans; // empty = all (anonymous included)
};

struct Rule {
    std::string id;
    Scope scope = Scope::Ip;
    Algorithm algorithm = Algorithm::FixedWindow;
    TimeMs windowMs = 0; // fixed_window, sliding_window
    std::int64_t limit = 0; // fixed_window, sliding_window
    std::int64_t rate = 0; // token_bucket: `rate` requests per `periodMs`
    TimeMs periodMs = 0;
    std::int64_t burst = 0;
    RuleMatch match;
    Mode mode = Mode::Enforce;
};

struct PlanQuota {
    std::string metric;
    std::int64_t limit = -1; // -1 = unlimited
};

struct Plan {
    std::string name;
    int rank = 0;
    bool paid = false;
    std::vector<PlanQuota> quotas;
};

struct EndpointMetric {
    std::vector<std::string> endpoints;
    std::string metric;
};

struct AbusePattern {
    std::string id;
    std::string name;
    AbuseKind kind = AbuseKind::Rate;
    AbuseScope scope = AbuseScope::Ip;
    TimeMs windowMs = 0;
    std::int64_t threshold = 0; // rate
    MicroUsd thresholdMicroUsd = 0; // cost
    std::vector<std::string> endpoints; // rate: counted endpoints; empty = all
    std::vector<std::string> userAgentContains; // lower case
    std::vector<std::string> countries; // upper case
    Severity severity = Severity::Low;
    AbuseAction action = AbuseAction::Log;
    TimeMs blockForMs = kDay;
    TimeMs rearmMs = 0; // resolved default (docs/enforcement.md §8), never 0 after loading
};

struct CostEndpoint {
    std::vector<std::string> endpoints;
    MicroUsd baseMicroUsd = 0;
    std::int64_t memoryMb = 0;
};

struct ModelPrice {
    std::string model;
    MicroUsd per1kTokensMicroUsd = 0;
};

struct CostModel {
    MicroUsd gbHourMicroUsd = 180000;
    std::int64_t defaultMemoryMb = 2048;
    std::vector<CostEndpoint> endpoints;
    std::vector<ModelPrice> models;
};

struct Policy {
    int version = 1;
    FailMode failMode = FailMode::Open;
    std::vector<Cidr> trustedProxies;
    std::vector<std::string> skipEndpoints { "/health", "/metrics" };
    std::string defaultPlan;
    TimeMs billingCycleMs = 0; // 0 = calendar month UTC
    TimeMs downgradeGraceMs = 7 * kDay;
    TimeMs idempotencyTtlMs = kDay;
    OnConflict onConflict = OnConflict::Reject;
    std::vector<Rule> rules;
    std::vector<Plan> plans;
    std::vector<EndpointMetric> endpointMetrics;
    std::vector<AbusePattern> abuse;
    CostModel cost;

    /// Index of the plan with that name, or -1.
    int planIndex(std::string_view name) const;
    /// True when any rule has global scope (such a policy cannot be sharded by identifier).
    bool hasGlobalRules() const;
};

/// Glob of docs/enforcement.md: `*` any run, `?` one character.
bool globMatch(std::string_view pattern, std::string_view text);
/// True when any glob matches; an empty list matches everything (docs/enforcement.md).
bool anyGlobMatches(const std::vector<std::string>& patterns, std::string_view text);

/// Start of the billing cycle containing ts, and of the next one.
TimeMs cycleStart(const Policy& policy, TimeMs ts);
TimeMs cycleEnd(const Policy& policy, TimeMs ts);

} // namespace qc::enforcement
