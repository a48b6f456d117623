#pragma once

#include <QList>
#include <QString>

#include <cstdint>
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

/// One line of an exposition: a full sample name (with its _bucket/_sum/... suffix), the
/// label set of its series, its value and, when the exposer gave one, its timestamp.
/// Timestamps are normalised to milliseconds since the Unix epoch for both formats
/// (OpenMetrics writes seconds).
///
/// The labels are not held by the sample: `labelSet` indexes MetricFamily::labelSets, which
/// holds each distinct set once, so the samples of one series share it. The `_bucket` samples
/// of a histogram or gauge histogram keep their `le` apart in `le` (their label set is the
/// series' set without it, the one its `_sum` and `_count` have); every other sample has a
/// null `le` and all its labels in the set. MetricFamily::labelsOf() gives the full labels.
struct Sample {
    QString name;
    std::uint32_t labelSet = 0;
    QString le;
    double value = 0;
    std::optional<qint64> timestampMs;
    std::optional<Exemplar> exemplar;
};

/// All samples that belong to one metric family, in exposition order, and the label sets
/// they refer to (in order of first appearance).
struct MetricFamily {
    QString name;
    MetricType type = MetricType::Unknown;
    QString help;
    QString unit;
    std::vector<Labels> labelSets;
    std::vector<Sample> samples;

    /// The labels of `sample`'s series: for a histogram bucket, all but `le`.
    const Labels& seriesLabels(const Sample& sample) const { return labelSets[sample.labelSet]; }

    /// All labels of `sample`, sorted by name, `le` included (a copy: for printing and for
    /// keys; read single values with labelValue()).
    Labels labelsOf(const Sample& sample) const;

    /// The value of label `labelName` of `sample` (`le` included), or a null QString when absent.
    QString labelValue(const Sample& sample, QStringView labelName) const;
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
