#pragma once

#include "enforcement/types.h"

#include <QString>

#include <cstdint>

namespace qc::workbench {

/// Numbers as the Simulate page shows them (the locale's digit grouping).
QString countText(std::uint64_t value);
QString signedCountText(std::int64_t value); // "+12", "−3", "0"
/// "$1,234.56"; below a dollar up to six decimals ("$0.0021"), negative with a minus.
QString moneyText(enforcement::MicroUsd value);
QString percentText(double percent, int decimals = 2); // "12.50 %"
/// part / whole as a percentage ("0.00 %" when whole is 0).
QString shareText(std::uint64_t part, std::uint64_t whole);
/// "2026-01-05 14:05 UTC" (minutes) of epoch milliseconds.
QString timeText(enforcement::TimeMs ms, bool seconds = false);
/// "1 m 20 s", "2 h", "850 ms".
QString durationText(double seconds);

} // namespace qc::workbench
