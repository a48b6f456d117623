#pragma once

#include "alerting/rule.h"
#include "alerting/seriesstore.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace qc::alerting {

/// One value of a rule's expression (before the threshold): the labels it keeps (the rule's
/// `by` labels) and the number, e.g. a denial rate of 0.27.
struct ResultSample {
    metrics::Labels labels;
    double value = 0;
};

/// What evaluating one rule's expression gave at one time.
struct RuleResult {
    /// False when the expression could not be evaluated (a database query failed, ...): the
    /// rule's alerts are then left as they are, as Prometheus leaves them on a failed query.
    bool ok = true;
    QString error;
    /// The expression's values (NaN ones left out, as PromQL's `>` drops them). An empty list
    /// means "no value": every alert of the rule becomes inactive.
    std::vector<ResultSample> samples;
    /// Whether the source has the rule's metrics at all within the window (even if they give
    /// no value yet); used to pick between sources.
    bool hasData = false;
    /// The metrics are there but no series has two samples in the window yet (the first scrape
    /// after a start, an endpoint that just came back): no rate, so no value — but not a reason
    /// to resolve what was firing either. The rule's alerts are left as they are.
    bool warmingUp = false;

    static RuleResult failed(QString message)
    {
        RuleResult result;
        result.ok = false;
        result.error = std::move(message);
        return result;
    }
};

/// True when `value` crosses the rule's threshold (PromQL `>`: NaN never does).
bool exceeds(const Rule& rule, double value);

/// Evaluates the rule's expression over the series of `store` at `atMs`, exactly as Prometheus
/// 2.42 evaluates Rule::promql() without its threshold (docs/alerting.md "Expressions"):
/// rate()/increase() per series over [atMs - window, atMs], summed (by the rule's labels),
/// divided for ratios, histogram_quantile for quantiles.
/// `minWindowMs` widens shorter windows to that length (see Evaluator::results).
RuleResult evaluateRule(
    const Rule& rule, const SeriesStore& store, std::int64_t atMs, std::int64_t minWindowMs = 0);

/// evaluateRule for every rule, in order.
std::vector<RuleResult> evaluateRules(const std::vector<Rule>& rules, const SeriesStore& store,
    std::int64_t atMs, std::int64_t minWindowMs = 0);

} // namespace qc::alerting
