#pragma once

#include "alerting/alert.h"
#include "alerting/alerttemplate.h"
#include "alerting/rule.h"
#include "alerting/ruleresult.h"
#include "alerting/seriesstore.h"

#include <map>
#include <vector>

namespace qc::alerting {

/// Evaluates a rule set the way Prometheus' rule manager does: feed it samples (scrapes),
/// evaluate at a time, get what changed as values.
///
///   Evaluator evaluator;                                   // the standard rules
///   evaluator.addScrape(u"api-1:9100"_s, nowMs, families); // each scrape of each endpoint
///   for (const AlertChange& change : evaluator.evaluate(nowMs)) ...
///
/// Per alert (rule + labels): inactive → pending when the expression exceeds the threshold,
/// pending → firing once it has exceeded it at every evaluation for the rule's `for` (at
/// once when `for` is 0), firing → resolved at the first evaluation where it does not; a
/// pending alert that stops exceeding is dropped (Cleared). Not thread-safe: use it from one
/// thread, hand the changes on.
class Evaluator {
public:
    explicit Evaluator(std::vector<Rule> rules = standardRules());

    const std::vector<Rule>& rules() const { return m_rules; }
    /// The series the expressions read; scrapes go here (addScrape) or samples directly.
    SeriesStore& series() { return m_store; }
    const SeriesStore& series() const { return m_store; }

    /// Adds one endpoint's scrape taken at `atMs` (see SeriesStore::addScrape).
    void addScrape(const QString& instance, std::int64_t atMs,
        const std::vector<metrics::MetricFamily>& families);

    /// The rules' expression values over the series at `atMs`, in rule order. `minWindowMs`
    /// widens shorter rule windows to that length: an evaluator that samples less often than
    /// a rule's window (`quotactl alerts evaluate --once` from a timer) still has the previous
    /// sample inside it.
    std::vector<RuleResult> results(std::int64_t atMs, std::int64_t minWindowMs = 0) const;

    /// One evaluation of every rule over the series at `atMs`; drops samples older than the
    /// store's retention. Times must not go backwards between calls.
    std::vector<AlertChange> evaluate(std::int64_t atMs);

    /// One evaluation with the expression values given (one per rule, in rule order), e.g.
    /// from another source than the series; a result that is not ok, or still warming up,
    /// leaves its rule's alerts as they are.
    std::vector<AlertChange> apply(std::int64_t atMs, const std::vector<RuleResult>& results);

    /// The pending and firing alerts, in rule order, then by fingerprint.
    std::vector<Alert> alerts() const;

    /// Replaces the pending and firing alerts with ones kept from an earlier run (e.g. from the
    /// database), so that `for` keeps counting from their activeAtMs across restarts. Alerts of
    /// unknown rules are ignored; labels and severity are taken as the rule makes them now.
    void restore(const std::vector<Alert>& alerts);

private:
    struct Identity {
        metrics::Labels labels;
        QString fingerprint;
    };
    struct PerRule {
        AlertTemplate summary;
        AlertTemplate description;
        std::map<QString, Alert> active; // fingerprint → alert
        // Alert labels and fingerprint per expression labels, computed once (SHA-256).
        std::map<metrics::Labels, Identity> identities;
    };
    const Identity& identity(std::size_t rule, const metrics::Labels& sampleLabels);
    Alert makeAlert(std::size_t rule, const ResultSample& sample);

    std::vector<Rule> m_rules;
    SeriesStore m_store;
    std::vector<PerRule> m_perRule;
};

/// The labels of an alert of `rule` for one expression sample: the sample's labels,
/// `alertname` and `severity`.
metrics::Labels alertLabels(const Rule& rule, const metrics::Labels& sampleLabels);

} // namespace qc::alerting
