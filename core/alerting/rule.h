#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace qc::alerting {

/// How urgent an alert is; the `severity` label of every alert.
enum class Severity : std::uint8_t { Info, Warning, Critical };

/// "info", "warning", "critical".
QString severityName(Severity severity);

/// The quantities the rules are written over, each one selector over the services' metrics
/// (DESIGN.md §3; docs/alerting.md "Signals").
enum class Signal : std::uint8_t {
    Decisions, // quota_decisions_total
    Denied, // quota_decisions_total{decision="denied"}
    IdempotencyRequests, // quota_idempotency_requests_total
    IdempotencyCollisions, // quota_idempotency_collisions_total
    RateLimitHits, // quota_rate_limit_hits_total
    DbErrors, // quota_db_errors_total
    CostUsd, // quota_cost_usd_total
    AbuseIncidents, // quota_abuse_incidents_total{action=~"alert|block"}
    AbuseEscalations, // quota_abuse_incidents_total{action="escalate"}
    CheckDurationBuckets, // quota_check_duration_seconds_bucket
};
inline constexpr int kSignalCount = 10;

/// A series selector: a sample name and, optionally, one label that must have one of `values`.
struct Selector {
    QString sampleName;
    QString label; // empty: every series of the sample name
    QStringList values;

    /// The PromQL form, e.g. `quota_decisions_total{decision="denied"}`.
    QString promql() const;
};

const Selector& selectorOf(Signal signal);

/// The shape of a rule's expression (docs/alerting.md "Expressions").
enum class RuleKind : std::uint8_t {
    /// `sum(rate(signal[w])) / sum(rate(denominator[w]))`
    Ratio,
    /// `sum by (<by>) (increase(signal[w]))`
    Increase,
    /// `histogram_quantile(q, sum by (le) (rate(signal[w])))`, signal = histogram buckets
    Quantile,
};

/// One alert rule: an expression over metric series, a threshold it must exceed (strictly,
/// like PromQL's `>`) and how long it must keep exceeding it before the alert fires.
struct Rule {
    QString name; // the alertname, e.g. HighDenialRate
    Severity severity = Severity::Warning;
    RuleKind kind = RuleKind::Increase;
    Signal signal = Signal::Decisions; // numerator, counter or histogram
    Signal denominator = Signal::Decisions; // Ratio only
    double quantile = 0; // Quantile only
    QStringList by; // labels the result keeps (one alert per value), e.g. {"pattern"}
    std::int64_t windowMs = 0; // the range of rate()/increase()
    double threshold = 0;
    std::int64_t forMs = 0; // pending this long before firing; 0 = fires at once
    /// Prometheus (Go text/template) annotations; core/alerting renders the subset it uses
    /// (alerttemplate.h) exactly as Prometheus does.
    QString summary;
    QString description;
    /// One line for people, e.g. "denial rate > 20 % over 5m, for 2m".
    QString condition;

    /// The PromQL expression, threshold included: what the Prometheus rules file holds.
    QString promql() const;
};

/// The alert rules of DESIGN.md §3 and the abuse patterns of §4, in a fixed order. This is the
/// one rule set: the simulation, the console and `quotactl alerts evaluate` evaluate it, and
/// packaging/prometheus/quota-console.rules.yml is generated from it.
const std::vector<Rule>& standardRules();

/// The rule of that name, or nullptr.
const Rule* findRule(const std::vector<Rule>& rules, const QString& name);

/// The sample names the rules read (what a series store needs to keep of a scrape).
QStringList sampleNamesOf(const std::vector<Rule>& rules);

/// Durations as Prometheus writes them: "15s", "5m", "2h", "1h30m", "0s".
QString prometheusDuration(std::int64_t ms);

/// A threshold as it appears in an expression: shortest round-trip form ("0.15", "100").
QString prometheusNumber(double value);

/// The complete Prometheus rules file for `rules` (one group, "quota-console"), byte for byte
/// what packaging/prometheus/quota-console.rules.yml holds.
QString prometheusRulesFile(const std::vector<Rule>& rules);

} // namespace qc::alerting
