#include "metrics/scrapemath.h"

#include "metrics/quantile.h"

#include <map>

namespace qc::metrics {

using namespace Qt::StringLiterals;

double counterIncrease(double previous, double current)
{
    return current < previous ? current : current - previous;
}

namespace {
using SeriesKey = std::pair<QString, Labels>;

Labels withoutLabels(const Labels& labels, const QStringList& without)
{
    Labels kept;
    kept.reserve(labels.size());
    for (const auto& label : labels) {
        if (!without.contains(label.first))
            kept.push_back(label);
    }
    return kept;
}

Labels onlyLabels(const Labels& labels, const QStringList& by)
{
    Labels kept;
    for (const auto& label : labels) {
        if (by.contains(label.first))
            kept.push_back(label);
    }
    return kept;
}
} // namespace

std::vector<SeriesValue> rates(
    const MetricFamily& before, const MetricFamily& after, double seconds)
{
    std::vector<SeriesValue> result;
    if (seconds <= 0)
        return result;
    std::map<SeriesKey, double> previous;
    for (const Sample& sample : before.samples)
        previous.emplace(SeriesKey { sample.name, before.labelsOf(sample) }, sample.value);
    for (const Sample& sample : after.samples) {
        Labels labels = after.labelsOf(sample);
        const auto it = previous.find(SeriesKey { sample.name, labels });
        if (it == previous.end())
            continue;
        result.push_back(SeriesValue {
            sample.name, std::move(labels), counterIncrease(it->second, sample.value) / seconds });
    }
    return result;
}

std::vector<SeriesValue> seriesValues(
    const MetricFamily& family, const QString& label, const QString& value)
{
    std::vector<SeriesValue> result;
    result.reserve(family.samples.size());
    for (const Sample& sample : family.samples) {
        Labels labels = family.labelsOf(sample);
        if (!label.isEmpty()) {
            const auto at = std::lower_bound(labels.begin(), labels.end(), label,
                [](const auto& pair, const QString& name) { return pair.first < name; });
            if (at != labels.end() && at->first == label)
                at->second = value;
            else
                labels.insert(at, { label, value });
        }
        result.push_back(SeriesValue { sample.name, std::move(labels), sample.value });
    }
    return result;
}

std::vector<SeriesValue> sumWithout(
    const std::vector<SeriesValue>& series, const QStringList& without)
{
    std::vector<SeriesValue> result;
    std::map<SeriesKey, std::size_t> index;
    for (const SeriesValue& value : series) {
        Labels labels = withoutLabels(value.labels, without);
        auto [it, inserted] = index.try_emplace(SeriesKey { value.name, labels }, result.size());
        if (inserted)
            result.push_back(SeriesValue { value.name, std::move(labels), value.value });
        else
            result[it->second].value += value.value;
    }
    return result;
}

std::vector<HistogramSeries> histogramIncrease(
    const MetricFamily& before, const MetricFamily& after)
{
    std::map<Labels, HistogramSeries> previous;
    for (HistogramSeries& series : histogramSeries(before))
        previous.emplace(series.labels, std::move(series));
    std::vector<HistogramSeries> result;
    for (const HistogramSeries& now : histogramSeries(after)) {
        const auto it = previous.find(now.labels);
        if (it == previous.end())
            continue;
        const HistogramSeries& then = it->second;
        HistogramSeries delta;
        delta.labels = now.labels;
        for (const Bucket& bucket : now.buckets) {
            // Match by bound, not position: an exposer may add buckets between scrapes.
            const auto old = std::find_if(then.buckets.begin(), then.buckets.end(),
                [&](const Bucket& b) { return b.upperBound == bucket.upperBound; });
            if (old != then.buckets.end())
                delta.buckets.push_back(
                    Bucket { bucket.upperBound, counterIncrease(old->count, bucket.count) });
        }
        if (now.sum && then.sum)
            delta.sum = counterIncrease(*then.sum, *now.sum);
        if (now.count && then.count)
            delta.count = counterIncrease(*then.count, *now.count);
        result.push_back(std::move(delta));
    }
    return result;
}

std::vector<HistogramSeries> sumHistogramsBy(
    const std::vector<HistogramSeries>& series, const QStringList& by)
{
    std::vector<HistogramSeries> result;
    std::map<Labels, std::size_t> index;
    for (const HistogramSeries& one : series) {
        Labels labels = onlyLabels(one.labels, by);
        auto [it, inserted] = index.try_emplace(labels, result.size());
        if (inserted)
            result.push_back(HistogramSeries { std::move(labels), {}, {}, {} });
        HistogramSeries& total = result[it->second];
        for (const Bucket& bucket : one.buckets) {
            const auto same = std::find_if(total.buckets.begin(), total.buckets.end(),
                [&](const Bucket& b) { return b.upperBound == bucket.upperBound; });
            if (same != total.buckets.end())
                same->count += bucket.count;
            else
                total.buckets.push_back(bucket);
        }
        if (one.sum)
            total.sum = total.sum.value_or(0) + *one.sum;
        if (one.count)
            total.count = total.count.value_or(0) + *one.count;
    }
    return result;
}

std::vector<SeriesValue> quantileOverIncrease(
    double q, const MetricFamily& before, const MetricFamily& after, const QStringList& by)
{
    std::vector<SeriesValue> result;
    for (const HistogramSeries& group : sumHistogramsBy(histogramIncrease(before, after), by))
        result.push_back(
            SeriesValue { after.name, group.labels, bucketQuantile(q, group.buckets) });
    return result;
}

} // namespace qc::metrics
