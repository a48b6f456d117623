#pragma once

#include <QColor>
#include <QDateTime>
#include <QString>

#include <optional>

namespace qc::models {

/// How the investigation and action views write values (one place, so that every table reads
/// the same). Times are UTC, as everywhere in the console.
namespace display {

/// "2026-01-05 14:05:00" (UTC); empty for a null time.
QString time(const QDateTime& t);
/// "2026-01-05 14:05:00.123" (UTC).
QString timeMs(const QDateTime& t);
/// "3 min ago", "in 2 h", relative to `now`.
QString relative(const QDateTime& t, const QDateTime& now);
/// "$0.0012", "$12.50".
QString money(double usd);
QString money(const std::optional<double>& usd);
/// "12.5%".
QString percent(double fraction);
/// "1m", "2h", "1d", "90s", "250ms".
QString duration(qint64 ms);
/// A colour for a severity (critical, high, medium, low, warning, info), for text.
QColor severityColor(const QString& severity);
/// A colour for an HTTP status / decision, for text.
QColor decisionColor(const QString& decision);

} // namespace display

} // namespace qc::models
