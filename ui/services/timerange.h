#pragma once

#include "db/dashboardqueries.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <chrono>

namespace qc::services {

/// The dashboard's time range: a preset rolling window ending now ("15m", "1h", "24h", "7d",
/// "30d") or a fixed custom span.
struct TimeRange {
    QString preset = QStringLiteral("1h"); // "custom" for from/to
    QDateTime from; // custom only (UTC)
    QDateTime to; // custom only (UTC)

    bool isCustom() const { return preset == u"custom"; }
    /// Rolling windows move with the clock and are refreshed automatically; custom ones are not.
    bool isRolling() const { return !isCustom(); }
    /// The span to query at `now`: a preset ends at `now` and starts on the whole minute
    /// `length` earlier; the step follows db::defaultStep().
    db::DashboardRange resolve(const QDateTime& now) const;
    /// "last 1 h", "14:00 – 15:30", translated.
    QString title() const;

    static TimeRange custom(const QDateTime& from, const QDateTime& to);
    bool operator==(const TimeRange&) const = default;
};

struct RangePreset {
    QString id;
    QString title; // translated button text
    std::chrono::seconds length;
};
/// 15 m, 1 h, 24 h, 7 d, 30 d.
QList<RangePreset> rangePresets();
/// The length of a preset id; 1 h for an unknown id.
std::chrono::seconds presetLength(const QString& id);

} // namespace qc::services
