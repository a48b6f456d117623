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

// The result of sum by (<by>) (rate|increase(<selector>[w])): one value per group that had a
// value. Without `by` there is at most one group, kept without allocating (the simulation
// evaluates every rule once per minute of a trace).
struct Sums {
    bool any = false;
    double total = 0; // without `by`
    std::map<metrics::Labels, double> groups; // with `by`

    template<typename F> void forEach(F&& f) const
    {
        if (groups.empty()) {
            if (any)
                f(metrics::Labels {}, total);
            return;
        }
        for (const auto& [labels, value] : groups)
            f(labels, value);
    }
    const double* find(const metrics::Labels& labels) const
    {
        if (groups.empty())
            return any && labels.empty() ? &total : nullptr;
        const auto it = groups.find(labels);
        return it == groups.end() ? nullptr : &it->second;
    }
};

// Whether a selector's metric has samples in the window at all, and a rate (two samples).
struct Coverage {
    bool any = false;
    bool rated = false;
};

Sums sumBy(const SeriesStore& store, const Selector& selector, const QStringList& by, Window window,
    bool isRate, Coverage* coverage)
{
    Sums sums;
    for (const SeriesStore::SeriesId id : store.seriesNamed(selector.sampleName)) {
        const SeriesStore::Series& series = store.at(id);
        const std::span<const Point> points = pointsIn(series.points, window.fromMs, window.toMs);
        if (points.empty())
            continue;
        coverage->any = true;
        coverage->rated = coverage->rated || points.size() >= 2;
        if (!matches(selector, series.labels))
            continue;
        const std::optional<double> delta
            = extrapolatedDelta(points, window.fromMs, window.toMs, true, isRate);
        if (!delta)
            continue;
        if (by.isEmpty()) {
            sums.total += *delta;
            sums.any = true;
        } else {
            sums.groups[keepOnly(series.labels, by)] += *delta;
        }
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

RuleResult evaluateRule(
    const Rule& rule, const SeriesStore& store, std::int64_t atMs, std::int64_t minWindowMs)
{
    RuleResult result;
    if (store.seriesNamed(selectorOf(rule.signal).sampleName).empty())
        return result; // no such metric at all (the common case in a simulation)
    const Window window { atMs - std::max(rule.windowMs, minWindowMs), atMs };
    Coverage coverage;
    switch (rule.kind) {
    case RuleKind::Ratio: {
        const Sums numerators
            = sumBy(store, selectorOf(rule.signal), rule.by, window, true, &coverage);
        Coverage denominatorCoverage;
        const Sums denominators = sumBy(
            store, selectorOf(rule.denominator), rule.by, window, true, &denominatorCoverage);
        coverage.any = coverage.any && denominatorCoverage.any;
        coverage.rated = coverage.rated && denominatorCoverage.rated;
        numerators.forEach([&](const metrics::Labels& labels, double numerator) {
            if (const double* denominator = denominators.find(labels))
                addSample(result, labels, numerator / *denominator);
        });
        break;
    }
    case RuleKind::Increase:
        sumBy(store, selectorOf(rule.signal), rule.by, window, false, &coverage)
            .forEach([&](const metrics::Labels& labels, double value) {
                addSample(result, labels, value);
            });
        break;
    case RuleKind::Quantile: {
        static const QString le = u"le"_s;
        QStringList groupLabels = rule.by;
        groupLabels.append(le);
        std::map<metrics::Labels, std::vector<metrics::Bucket>> histograms;
        sumBy(store, selectorOf(rule.signal), groupLabels, window, true, &coverage)
            .forEach([&](const metrics::Labels& labels, double rate) {
                const QString bound = metrics::labelValue(labels, le);
                const std::optional<double> upper = metrics::parseExpositionFloat(bound.toUtf8());
                if (upper)
                    histograms[keepOnly(labels, rule.by)].push_back(
                        metrics::Bucket { *upper, rate });
            });
        for (auto& [labels, buckets] : histograms)
            addSample(result, labels, metrics::bucketQuantile(rule.quantile, std::move(buckets)));
        break;
    }
    }
    result.hasData = coverage.any;
    result.warmingUp = coverage.any && !coverage.rated;
    return result;
}

std::vector<RuleResult> evaluateRules(const std::vector<Rule>& rules, const SeriesStore& store,
    std::int64_t atMs, std::int64_t minWindowMs)
{
    std::vector<RuleResult> results;
    results.reserve(rules.size());
    for (const Rule& rule : rules)
        results.push_back(evaluateRule(rule, store, atMs, minWindowMs));
    return results;
}

} // namespace qc::alerting
