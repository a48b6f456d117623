#pragma once

#include <QList>
#include <QString>

#include <optional>
#include <utility>
#include <vector>

namespace qc::metrics {

/// The type of a metric family as declared by `# TYPE`. Text 0.0.4 calls the default
/// "untyped", OpenMetrics "unknown"; both map to Unknown.
enum class MetricType {
    Unknown,
    Counter,
    Gauge,
    Histogram,
    Summary,
    GaugeHistogram, // OpenMetrics only
    StateSet, // OpenMetrics only
    Info, // OpenMetrics only
};

/// The lower-case name used in `# TYPE` lines ("untyped" is printed as "unknown").
QString metricTypeName(MetricType type);

/// Label name/value pairs sorted by name; names are unique within one set.
using Labels = std::vector<std::pair<QString, QString>>;

/// Value of `name` in `labels`, or a null QString when absent.
QString labelValue(const Labels& labels, QStringView name);

/// An OpenMetrics exemplar attached to a sample (`# {trace_id="..."} 0.67 1520879607.789`).
struct Exemplar {
    Labels labels;
    double value = 0;
    std::optional<qint64> timestampMs;
};

/// One line of an exposition: a full sample name (with its _bucket/_sum/... suffix), its
/// labels, its value and, when the exposer gave one, its timestamp. Timestamps are normalised
/// to milliseconds since the Unix epoch for both formats (OpenMetrics writes seconds).
struct Sample {
    QString name;
    Labels labels;
    double value = 0;
    std::optional<qint64> timestampMs;
    std::optional<Exemplar> exemplar;
};

/// All samples that belong to one metric family, in exposition order.
struct MetricFamily {
    QString name;
    MetricType type = MetricType::Unknown;
    QString help;
    QString unit;
    std::vector<Sample> samples;
};

/// One histogram bucket: observations less than or equal to `upperBound`.
struct Bucket {
    double upperBound = 0;
    double count = 0;
};

/// One series of a histogram family: its labels without `le`, its buckets in exposition
/// order, and `_sum` / `_count` when present.
struct HistogramSeries {
    Labels labels;
    std::vector<Bucket> buckets;
    std::optional<double> sum;
    std::optional<double> count;
};

/// Groups the samples of a histogram (or gauge histogram) family by series. Buckets whose
/// `le` is not a number are left out (the parser rejects them anyway).
std::vector<HistogramSeries> histogramSeries(const MetricFamily& family);

/// Parses a float the way exposition formats write them: decimal or scientific notation,
/// an optional sign, and case-insensitive Inf / Infinity / NaN.
std::optional<double> parseExpositionFloat(QByteArrayView text);

} // namespace qc::metrics
