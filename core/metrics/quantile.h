#pragma once

#include "metrics/metricfamily.h"

#include <vector>

namespace qc::metrics {

/// The φ-quantile of a classic histogram, computed exactly as Prometheus 2.42's
/// `histogram_quantile` does (promql/quantile.go, bucketQuantile):
/// - q is NaN → NaN; q < 0 → -Inf; q > 1 → +Inf;
/// - buckets are sorted by upper bound; without a +Inf bucket the result is NaN;
/// - buckets with the same upper bound are merged (their counts added);
/// - counts that decrease with a growing upper bound are raised to the running maximum;
/// - fewer than 2 buckets, or 0 observations → NaN;
/// - a rank in the +Inf bucket → the upper bound of the second-highest bucket;
/// - a rank in the lowest bucket interpolates from 0 when that bucket's bound is > 0, else
///   returns the bound itself; elsewhere linear interpolation inside the bucket.
double bucketQuantile(double q, std::vector<Bucket> buckets);

/// bucketQuantile over the buckets of one histogram series.
double histogramQuantile(double q, const HistogramSeries& series);

} // namespace qc::metrics
