#include "metrics/quantile.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace qc::metrics {

namespace {

void coalesceBuckets(std::vector<Bucket>& buckets)
{
    std::size_t kept = 0;
    Bucket last = buckets.front();
    for (std::size_t i = 1; i < buckets.size(); ++i) {
        if (buckets[i].upperBound == last.upperBound) {
            last.count += buckets[i].count;
        } else {
            buckets[kept++] = last;
            last = buckets[i];
        }
    }
    buckets[kept++] = last;
    buckets.resize(kept);
}

// Prometheus' "envelope": a bucket never counts fewer observations than one below it.
void ensureMonotonic(std::vector<Bucket>& buckets)
{
    double max = -std::numeric_limits<double>::infinity();
    for (Bucket& bucket : buckets) {
        if (bucket.count > max)
            max = bucket.count;
        else if (bucket.count < max)
            bucket.count = max;
    }
}

} // namespace

double bucketQuantile(double q, std::vector<Bucket> buckets)
{
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    constexpr double inf = std::numeric_limits<double>::infinity();
    if (std::isnan(q))
        return nan;
    if (q < 0)
        return -inf;
    if (q > 1)
        return inf;
    if (buckets.empty())
        return nan; // PromQL never calls it without buckets; an empty series has no quantile
    std::sort(buckets.begin(), buckets.end(),
        [](const Bucket& a, const Bucket& b) { return a.upperBound < b.upperBound; });
    if (!(std::isinf(buckets.back().upperBound) && buckets.back().upperBound > 0))
        return nan;
    coalesceBuckets(buckets);
    ensureMonotonic(buckets);
    if (buckets.size() < 2)
        return nan;
    const double observations = buckets.back().count;
    if (observations == 0)
        return nan;
    double rank = q * observations;
    // Go's sort.Search over all but the +Inf bucket, step for step, so that even counts a
    // monotonicity fix cannot order (NaN) land in the same bucket as in Prometheus.
    std::size_t lo = 0;
    std::size_t hi = buckets.size() - 1;
    while (lo < hi) {
        const std::size_t mid = (lo + hi) / 2;
        if (!(buckets[mid].count >= rank))
            lo = mid + 1;
        else
            hi = mid;
    }
    const std::size_t b = lo;
    if (b == buckets.size() - 1)
        return buckets[buckets.size() - 2].upperBound;
    if (b == 0 && buckets[0].upperBound <= 0)
        return buckets[0].upperBound;
    double bucketStart = 0;
    const double bucketEnd = buckets[b].upperBound;
    double count = buckets[b].count;
    if (b > 0) {
        bucketStart = buckets[b - 1].upperBound;
        count -= buckets[b - 1].count;
        rank -= buckets[b - 1].count;
    }
    return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}

double histogramQuantile(double q, const HistogramSeries& series)
{
    return bucketQuantile(q, series.buckets);
}

} // namespace qc::metrics
