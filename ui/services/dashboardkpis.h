#pragma once

#include "db/dashboardqueries.h"
#include "services/livemetrics.h"
#include "services/thresholds.h"

#include <QList>
#include <QString>

#include <optional>

namespace qc::services {

/// One KPI tile as it is shown: the figure, its trend against the previous range of the same
/// length, a detail line, the live figure from the metrics endpoints, and its threshold level.
struct KpiValue {
    QString
        id; // "requests", "p95", "denials", "collisions", "cost", "blocks", "alerts", "services"
    QString title;
    std::optional<double> number; // the figure as a number (what `value` shows)
    QString value; // "1,234/min", "142 ms", "4.1 %", "$12.40"
    QString trend; // "▲ 12 % vs previous 1 h"; empty when there is nothing to compare
    int trendDirection = 0; // +1 up, -1 down, 0 flat or unknown
    QString detail;
    QString live; // "live 1,210/min" (empty without endpoints or fresh scrapes)
    QString thresholdText; // tooltip, e.g. "Alert above 150 ms (DESIGN §3)"
    thresholds::Level level = thresholds::Level::None;
};

/// The tiles for `data` (and `live` when the profile scrapes endpoints and the figures are
/// fresh). `rangeTitle` names the previous range in trends ("1 h"). Formatting uses the
/// default QLocale.
QList<KpiValue> computeKpis(const db::DashboardData& data, const std::optional<LiveMetrics>& live,
    const QString& rangeTitle);

} // namespace qc::services
