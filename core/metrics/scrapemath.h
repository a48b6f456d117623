#pragma once

#include "metrics/metricfamily.h"

#include <QStringList>

#include <vector>

namespace qc::metrics {

/// One series' value: a sample name, its labels and a number (a reading, an increase, a rate).
struct SeriesValue {
    QString name;
    Labels labels;
    double value = 0;
};

/// How much a counter grew between two readings. A decrease means the process restarted and
/// the counter was reset: the new reading then counts from 0 (Prometheus' rule in rate()).
double counterIncrease(double previous, double current);

/// Per-second rate of every sample of `after` that also exists in `before` (same name and
/// labels), `seconds` apart, with counter-reset handling. Series that appear only in `after`
/// have no rate yet and are left out; `seconds` <= 0 gives an empty result.
std::vector<SeriesValue> rates(
    const MetricFamily& before, const MetricFamily& after, double seconds);

/// The samples of a family as series values, with `label`=`value` added (e.g. the instance a
/// scrape came from, as Prometheus adds it on ingestion). An empty `label` adds nothing.
std::vector<SeriesValue> seriesValues(
    const MetricFamily& family, const QString& label = {}, const QString& value = {});

/// Sums the series that are equal once the labels in `without` are removed, like PromQL's
/// `sum without (instance) (...)`. Output order: first appearance.
std::vector<SeriesValue> sumWithout(const std::vector<SeriesValue>& series,
    const QStringList& without = { QStringLiteral("instance") });

/// Per-bucket increases of a histogram family between two scrapes, series by series; a bucket,
/// _sum or _count that went down was reset and counts from 0. Series absent from `before` are
/// left out.
std::vector<HistogramSeries> histogramIncrease(
    const MetricFamily& before, const MetricFamily& after);

/// Adds up histogram series that share the values of the `by` labels (all series together when
/// `by` is empty), bucket by bucket — PromQL's `sum by (le, <by>) (...)`.
std::vector<HistogramSeries> sumHistogramsBy(
    const std::vector<HistogramSeries>& series, const QStringList& by = {});

/// The q-quantile per `by` group of the observations made between two scrapes: bucket
/// increases, summed, then bucketQuantile — what `histogram_quantile(q, sum by (le, <by>)
/// (increase(x_bucket[…])))` gives without extrapolation.
std::vector<SeriesValue> quantileOverIncrease(
    double q, const MetricFamily& before, const MetricFamily& after, const QStringList& by = {});

} // namespace qc::metrics
