#pragma once

// Policies for the enforcement tests, built as structs (the JSON loader is tested on its own).

#include "enforcement/policy.h"

#include <string>
#include <utility>
#include <vector>

namespace qc::enforcement::testing {

inline Rule fixedRule(std::string id, Scope scope, TimeMs window, std::int64_t limit,
    RuleMatch match = {}, Mode mode = Mode::Enforce)
{
    Rule rule;
    rule.id = std::move(id);
    rule.scope = scope;
    rule.algorithm = Algorithm::FixedWindow;
    rule.windowMs = window;
    rule.limit = limit;
    rule.match = std::move(match);
    rule.mode = mode;
    return rule;
}

inline Rule slidingRule(std::string id, Scope scope, TimeMs window, std::int64_t limit)
{
    Rule rule = fixedRule(std::move(id), scope, window, limit);
    rule.algorithm = Algorithm::SlidingWindow;
    return rule;
}

inline Rule bucketRule(
    std::string id, Scope scope, std::int64_t rate, TimeMs period, std::int64_t burst)
{
    Rule rule;
    rule.id = std::move(id);
    rule.scope = scope;
    rule.algorithm = Algorithm::TokenBucket;
    rule.rate = rate;
    rule.periodMs = period;
    rule.burst = burst;
    return rule;
}

inline Plan plan(std::string name, int rank, std::vector<PlanQuota> quotas)
{
    Plan p;
    p.name = std::move(name);
    p.rank = rank;
    p.paid = rank > 0;
    p.quotas = std::move(quotas);
    return p;
}

/// Plans and endpoint metrics only: no rules, no abuse patterns.
inline Policy emptyPolicy()
{
    Policy policy;
    policy.defaultPlan = "free";
    policy.plans = { plan("free", 0, { { "ai_generations", 50 }, { "api_calls", 1000 } }),
        plan("pro", 1, { { "ai_generations", 1000 }, { "api_calls", 50000 } }),
        plan("team", 2, { { "ai_generations", 5000 }, { "api_calls", 250000 } }),
        plan("enterprise", 3, { { "ai_generations", -1 }, { "api_calls", -1 } }) };
    policy.endpointMetrics = { { { "/api/chat", "/api/generate", "/api/ai/*" }, "ai_generations" },
        { { "/api/*" }, "api_calls" } };
    return policy;
}

/// emptyPolicy() with one fixed-window rule "ip" per address.
inline Policy oneIpRule(TimeMs window, std::int64_t limit)
{
    Policy policy = emptyPolicy();
    policy.rules = { fixedRule("ip", Scope::Ip, window, limit) };
    return policy;
}

inline AbusePattern pattern(std::string id, AbuseKind kind, AbuseScope scope, AbuseAction action)
{
    AbusePattern p;
    p.id = id;
    p.name = std::move(id);
    p.kind = kind;
    p.scope = scope;
    p.action = action;
    return p;
}

/// resources/policies/default.json, as the policy loader reads it.
inline Policy defaultPolicy()
{
    Policy policy = emptyPolicy();
    policy.trustedProxies = { *Cidr::parse("10.0.0.0/8"), *Cidr::parse("fd00::/8") };
    policy.rules = { fixedRule("ip_per_minute", Scope::Ip, kMinute, 20),
        fixedRule("ip_per_hour", Scope::Ip, kHour, 100),
        fixedRule("ip_per_day", Scope::Ip, kDay, 300),
        fixedRule("free_user_2h", Scope::User, 2 * kHour, 20, { {}, {}, { "free" } }) };

    AbusePattern rate
        = pattern("high_request_rate", AbuseKind::Rate, AbuseScope::Ip, AbuseAction::Block);
    rate.windowMs = kMinute;
    rate.threshold = 100;
    rate.severity = Severity::High;
    rate.rearmMs = kDay;
    AbusePattern spam = pattern(
        "expensive_endpoint_spam", AbuseKind::Rate, AbuseScope::User, AbuseAction::Escalate);
    spam.endpoints = { "/api/chat" };
    spam.windowMs = kMinute;
    spam.threshold = 10;
    spam.severity = Severity::Critical;
    spam.rearmMs = kDay;
    AbusePattern geo
        = pattern("geographic_anomaly", AbuseKind::Country, AbuseScope::Ip, AbuseAction::Alert);
    geo.countries = { "CN", "RU", "KP", "IR" };
    geo.severity = Severity::Medium;
    geo.rearmMs = kHour;
    AbusePattern cost
        = pattern("cost_spike", AbuseKind::Cost, AbuseScope::Ip, AbuseAction::Escalate);
    cost.windowMs = kHour;
    cost.thresholdMicroUsd = 1000000;
    cost.severity = Severity::Critical;
    cost.rearmMs = kDay;
    AbusePattern bot
        = pattern("bot_behavior", AbuseKind::UserAgent, AbuseScope::Ip, AbuseAction::Log);
    bot.userAgentContains = { "bot", "crawler", "spider", "scraper" };
    bot.rearmMs = kHour;
    policy.abuse = { rate, spam, geo, cost, bot };

    policy.cost.endpoints = { { { "/api/chat" }, 2000, 2048 },
        { { "/api/generate", "/api/ai/*" }, 1000, 1024 }, { { "/api/*" }, 0, 512 } };
    policy.cost.models = { { "gpt-4o", 5000 }, { "gpt-4o-mini", 150 }, { "claude-sonnet", 3000 } };
    return policy;
}

} // namespace qc::enforcement::testing
