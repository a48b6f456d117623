#pragma once

#include "jsonpath.h"
#include "simulation/sweepparameter.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace qc::workbench {

/// A number of the candidate a sweep can vary, with a range around its current value.
struct SweepChoice {
    simulation::SweepParameter parameter;
    QString label; // "ip_per_minute: limit (20)"
    std::int64_t current = 0;
    std::int64_t from = 0; // suggested range: half to double the current value
    std::int64_t to = 0;
    std::int64_t step = 1;
};

/// Every limit, window, rate, period and burst of the rules, every plan quota and every abuse
/// threshold and window of `candidate`, in policy order.
QList<SweepChoice> sweepChoices(const enforcement::Policy& candidate);

/// The edit of the candidate's JSON document that sets `parameter` to `value` (what "apply
/// this value" does in the form): the path and the value as a policy file writes it.
/// nullopt when the document has no such rule, plan or pattern.
std::optional<std::pair<JsonPath, QJsonValue>> sweepEdit(
    const QJsonObject& document, const simulation::SweepParameter& parameter, std::int64_t value);

} // namespace qc::workbench
