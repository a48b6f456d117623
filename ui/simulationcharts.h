#pragma once

#include "simulation/report.h"
#include "simulation/sweep.h"

class QChart;

namespace qc::ui {

/// Both policies' denials over time on one chart (with the requests for scale), from the
/// report's time series. Times are shown in UTC.
QChart* makeTimeSeriesChart(const simulation::Report& report);

/// A sweep's trade-off: legitimate traffic denied and abusive traffic admitted (percent, left
/// axis) and cost admitted (dollars, right axis) against the swept value, with the baseline's
/// levels as dashed lines.
QChart* makeSweepChart(const simulation::SweepResult& sweep);

/// A sweep value in the unit its chart axis uses (seconds or minutes for durations, dollars
/// for money), and that unit's name.
double sweepAxisValue(const simulation::SweepResult& sweep, std::int64_t value);
QString sweepAxisUnit(const simulation::SweepResult& sweep);

} // namespace qc::ui
