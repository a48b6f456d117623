#pragma once

#include "metrics/metricfamily.h"

#include <QHash>
#include <QJsonArray>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace qc::alerting {

/// One sample of a series: a time (ms since the epoch) and a value.
struct Point {
    std::int64_t timeMs = 0;
    double value = 0;
};

/// The recent samples of the metric series the rules read — a tiny time-series database that
/// keeps `retentionMs` of history. Series are identified by sample name and labels (the scrape's
/// `instance` label included, as Prometheus adds it), and get a stable id.
class SeriesStore {
public:
    using SeriesId = std::uint32_t;

    struct Series {
        QString name;
        metrics::Labels labels;
        std::vector<Point> points; // increasing time
    };

    /// `sampleNames`: the names to keep (others are dropped on ingestion); empty keeps all.
    explicit SeriesStore(QStringList sampleNames = {}, std::int64_t retentionMs = 20 * 60'000);

    /// The id of the series, created empty when new.
    SeriesId series(const QString& name, const metrics::Labels& labels);
    /// Appends a sample; a sample not later than the series' last one is ignored (as a TSDB
    /// ignores out-of-order samples).
    void append(SeriesId id, std::int64_t timeMs, double value);

    /// Adds every sample of the scraped families whose name is kept, at `timeMs`, labelled
    /// `instance`=`instance` (replacing an exposed `instance` label). An empty `instance`
    /// adds no label. Histogram buckets are stored as their `_bucket` series.
    void addScrape(const QString& instance, std::int64_t timeMs,
        const std::vector<metrics::MetricFamily>& families);

    /// Drops the samples older than `nowMs - retentionMs`.
    void prune(std::int64_t nowMs);

    /// Every series with samples, as JSON: [{"name", "labels": {...}, "points": [[ms, value],
    /// ...]}], to carry the history over to the next process.
    QJsonArray toJson() const;
    /// Adds the samples of toJson()'s output (those not later than a series' last sample are
    /// ignored, as append does). Returns false, adding nothing, when the JSON has another shape.
    bool addJson(const QJsonArray& json);
    /// The time of the newest sample of series labelled `label`=`value` (e.g. an instance),
    /// 0 when there is none.
    std::int64_t newestSample(const QString& label, const QString& value) const;

    bool keeps(const QString& sampleName) const;
    const std::vector<Series>& allSeries() const { return m_series; }
    const Series& at(SeriesId id) const { return m_series[id]; }
    /// The ids of the series of one sample name, in creation order.
    const std::vector<SeriesId>& seriesNamed(const QString& name) const;
    /// True when some series of `name` has a sample in [fromMs, toMs].
    bool hasSamples(const QString& name, std::int64_t fromMs, std::int64_t toMs) const;
    std::int64_t retentionMs() const { return m_retentionMs; }

private:
    QStringList m_names;
    std::int64_t m_retentionMs;
    std::vector<Series> m_series;
    struct Key {
        QString name;
        metrics::Labels labels;
        bool operator==(const Key&) const = default;
    };
    friend size_t qHash(const Key& key, size_t seed) noexcept;
    QHash<Key, SeriesId> m_index;
    // Few names (those of the rules): a linear scan beats hashing the name at every lookup.
    std::vector<std::pair<QString, std::vector<SeriesId>>> m_byName;
};

/// Prometheus 2.42's `extrapolatedRate` (promql/functions.go) over the points of one series
/// inside the range [rangeStartMs, rangeEndMs]: the increase from the first to the last point,
/// with counter resets counted as Prometheus counts them, extrapolated towards the range's
/// edges (never below a counter's zero point); divided by the range in seconds when `isRate`.
/// Fewer than two points give no value (nullopt).
std::optional<double> extrapolatedDelta(std::span<const Point> points, std::int64_t rangeStartMs,
    std::int64_t rangeEndMs, bool isCounter, bool isRate);

} // namespace qc::alerting
