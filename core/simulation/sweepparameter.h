#pragma once

#include "enforcement/policy.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace qc::simulation {

/// A number of a policy that a sweep varies (docs/simulation.md "Sweeps"). Paths:
///   rules[ID].limit | .window | .rate | .period | .burst   (short form: ID.limit, ...)
///   plans[NAME].quotas.METRIC
///   abuse[ID].threshold | .threshold_usd | .window
struct SweepParameter {
    enum class Kind : std::uint8_t {
        RuleLimit,
        RuleWindow,
        RuleRate,
        RulePeriod,
        RuleBurst,
        PlanQuota,
        AbuseThreshold,
        AbuseThresholdUsd,
        AbuseWindow,
    };
    enum class Unit : std::uint8_t { Count, Milliseconds, MicroUsd };

    Kind kind = Kind::RuleLimit;
    QString target; // rule id, plan name or abuse pattern id
    QString metric; // PlanQuota only

    Unit unit() const;
    /// Canonical path, e.g. "rules[ip_per_minute].limit", "plans[free].quotas.api_calls".
    QString path() const;
    /// A value in the parameter's unit as a policy file writes it: "20", "90s", "0.25".
    QString formatValue(std::int64_t value) const;
    /// Parses a value written as in a policy file: an integer, a duration, decimal dollars.
    std::optional<std::int64_t> parseValue(QStringView text) const;
    /// The value the parameter has in `policy`, nullopt when the policy has no such thing.
    std::optional<std::int64_t> valueIn(const enforcement::Policy& policy) const;
    /// The rule of a Rule* parameter in `policy` (index), -1 for other kinds or when absent.
    int ruleIndex(const enforcement::Policy& policy) const;

    friend bool operator==(const SweepParameter&, const SweepParameter&) = default;
};

/// What `--sweep PATH=FROM:TO:STEP` asks for: the parameter and its values, FROM to TO
/// inclusive (TO only when a whole number of steps away).
struct SweepSpec {
    SweepParameter parameter;
    std::vector<std::int64_t> values; // in the parameter's unit, ascending

    static constexpr std::size_t kMaxValues = 1000;
};

/// Parses "PATH=FROM:TO:STEP" against the candidate policy it will vary (the path must name
/// something that policy has, with a field its algorithm or kind uses). On failure nullopt,
/// with `error` saying what is wrong and how it should look.
std::optional<SweepSpec> parseSweepSpec(
    QStringView text, const enforcement::Policy& candidate, QString* error);
/// The parameter part alone ("rules[x].limit", "x.limit", "plans[free].quotas.api_calls").
std::optional<SweepParameter> parseSweepParameter(
    QStringView path, const enforcement::Policy& candidate, QString* error);

/// `candidateJson` (a policy file) with the parameter set to `value`, validated like a
/// policy file: the policy, or nullopt with `error` naming the value and the broken rule.
std::optional<enforcement::Policy> policyWithValue(const QByteArray& candidateJson,
    const SweepParameter& parameter, std::int64_t value, QString* error);

} // namespace qc::simulation
