#pragma once

#include "report.h"
#include "sweep.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace qc::simulation {

/// The Report of a report JSON (toJson(Report), docs/simulation.md "Report JSON"), e.g. the
/// results kept in a workspace file, so that they can be shown and exported again without a
/// new run. toJson(*reportFromJson(toJson(r))) == toJson(r). nullopt with `error` naming the
/// first missing or mistyped key ("candidate.by_reason: expected an object").
std::optional<Report> reportFromJson(const QJsonObject& json, QString* error = nullptr);

/// The SweepResult of a sweep JSON (toJson(SweepResult)). The parameter path is resolved
/// against `candidate` (the policy the sweep varied); nullopt with `error` when the JSON is
/// not a sweep or the candidate has no such parameter.
std::optional<SweepResult> sweepFromJson(
    const QJsonObject& json, const enforcement::Policy& candidate, QString* error = nullptr);

} // namespace qc::simulation
