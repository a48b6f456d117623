#include "alerting/ruleresult.h"

#include "metrics/quantile.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace qc::alerting {

using namespace Qt::StringLiterals;

namespace {

bool matches(const Selector& selector, const metrics::Labels& labels)
{
    if (selector.label.isEmpty())
        return true;
    const QString value = metrics::labelValue(labels, selector.label);
    return !value.isNull() && selector.values.contains(value);
}

metrics::Labels keepOnly(const metrics::Labels& labels, const QStringList& names)
{
    metrics::Labels kept;
    for (const auto& label : labels) {
        if (names.contains(label.first))
            kept.push_back(label);
    }
    return kept;
}

std::span<const Point> pointsIn(
    const std::vector<Point>& points, std::int64_t fromMs, std::int64_t toMs)
{
    const auto first = std::lower_bound(points.begin(), points.end(), fromMs,
        [](const Point& p, std::int64_t t) { return p.timeMs < t; });
    const auto last = std::upper_bound(
        first, points.end(), toMs, [](std::int64_t t, const Point& p) { return t < p.timeMs; });
    return { first, last };
}

struct Window {
    std::int64_t fromMs;
    std::int64_t toMs;
};

// sum by (<by>) (rate|increase(<selector>[w])): one value per group that had a value.
std::map<metrics::Labels, double> sumBy(const SeriesStore& store, const Selector& selector,
    const QStringList& by, Window window, bool isRate, bool* hasData)
{
    std::map<metrics::Labels, double> sums;
    for (const SeriesStore::SeriesId id : store.seriesNamed(selector.sampleName)) {
        const SeriesStore::Series& series = store.at(id);
        const std::span<const Point> points = pointsIn(series.points, window.fromMs, window.toMs);
        if (points.empty())
            continue;
        *hasData = true;
        if (!matches(selector, series.labels))
            continue;
        const std::optional<double> delta
            = extrapolatedDelta(points, window.fromMs, window.toMs, true, isRate);
        if (!delta)
            continue;
        sums[keepOnly(series.labels, by)] += *delta;
    }
    return sums;
}

void addSample(RuleResult& result, metrics::Labels labels, double value)
{
    if (!std::isnan(value))
        result.samples.push_back(ResultSample { std::move(labels), value });
}

} // namespace

bool exceeds(const Rule& rule, double value)
{
    return value > rule.threshold;
}

RuleResult evaluateRule(const Rule& rule, const SeriesStore& store, std::int64_t atMs)
{
    RuleResult result;
    const Window window { atMs - rule.windowMs, atMs };
    switch (rule.kind) {
    case RuleKind::Ratio: {
        const auto numerators
            = sumBy(store, selectorOf(rule.signal), rule.by, window, true, &result.hasData);
        bool denominatorData = false;
        const auto denominators
            = sumBy(store, selectorOf(rule.denominator), rule.by, window, true, &denominatorData);
        result.hasData = result.hasData && denominatorData;
        for (const auto& [labels, numerator] : numerators) {
            const auto denominator = denominators.find(labels);
            if (denominator != denominators.end())
                addSample(result, labels, numerator / denominator->second);
        }
        break;
    }
    case RuleKind::Increase:
        for (const auto& [labels, value] :
            sumBy(store, selectorOf(rule.signal), rule.by, window, false, &result.hasData))
            addSample(result, labels, value);
        break;
    case RuleKind::Quantile: {
        static const QString le = u"le"_s;
        QStringList groupLabels = rule.by;
        groupLabels.append(le);
        std::map<metrics::Labels, std::vector<metrics::Bucket>> histograms;
        for (const auto& [labels, rate] :
            sumBy(store, selectorOf(rule.signal), groupLabels, window, true, &result.hasData)) {
            const QString bound = metrics::labelValue(labels, le);
            const std::optional<double> upper = metrics::parseExpositionFloat(bound.toUtf8());
            if (!upper)
                continue;
            histograms[keepOnly(labels, rule.by)].push_back(metrics::Bucket { *upper, rate });
        }
        for (auto& [labels, buckets] : histograms)
            addSample(result, labels, metrics::bucketQuantile(rule.quantile, std::move(buckets)));
        break;
    }
    }
    return result;
}

std::vector<RuleResult> evaluateRules(
    const std::vector<Rule>& rules, const SeriesStore& store, std::int64_t atMs)
{
    std::vector<RuleResult> results;
    results.reserve(rules.size());
    for (const Rule& rule : rules)
        results.push_back(evaluateRule(rule, store, atMs));
    return results;
}

} // namespace qc::alerting
