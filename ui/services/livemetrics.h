#pragma once

#include "metrics/metricfamily.h"
#include "metrics/scraper.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QUrl>

#include <optional>
#include <vector>

namespace qc::services {

/// Figures computed from the services' /metrics pages (DESIGN §3 metric names): rates over the
/// time between two scrapes, summed across instances; p95 from the histogram bucket increases
/// of all instances added together (Prometheus' histogram_quantile).
struct LiveMetrics {
    QDateTime at; // UTC, time of the newer scrapes
    double windowSeconds = 0; // time between the scrapes compared (the longest of the instances)
    int endpointsTotal = 0;
    int endpointsUp = 0;
    int endpointsCounted = 0; // up now and with an earlier scrape to compare with
    std::optional<double> requestsPerMinute;
    std::optional<double> deniedPerMinute;
    std::optional<double> denialRate; // 0..1
    std::optional<double> collisionRate; // collisions per idempotent request, 0..1
    std::optional<double> p95Ms;
    std::optional<double> slowChecksPerMinute; // observations over 300 ms
    std::optional<double> rateLimitHitsPerMinute;
    std::optional<double> dbErrorsPerMinute;
    std::optional<double> costUsdPerHour;
    QMap<QString, double> deniedPerMinuteByReason;

    bool hasData() const { return endpointsCounted > 0; }
};

/// Two successive scrapes of one instance.
struct ScrapePair {
    std::vector<metrics::MetricFamily> before;
    std::vector<metrics::MetricFamily> after;
    double seconds = 0;
};

/// The live figures of a set of instances (pairs with seconds <= 0 are ignored).
LiveMetrics computeLiveMetrics(const QList<ScrapePair>& pairs);

/// The family named `base` (text format names counters with _total, OpenMetrics without).
const metrics::MetricFamily* findFamily(
    const std::vector<metrics::MetricFamily>& families, const QString& base);

/// One metrics endpoint of the profile and how its last scrape went.
struct EndpointStatus {
    QString id;
    QString name;
    QUrl url;
    metrics::EndpointHealth health;
    qsizetype bodyBytes = 0;
    int families = 0;
    bool scraped = false; // at least one answer so far
};

} // namespace qc::services

Q_DECLARE_METATYPE(qc::services::LiveMetrics)
Q_DECLARE_METATYPE(qc::services::EndpointStatus)
