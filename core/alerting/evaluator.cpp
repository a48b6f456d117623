#include "alerting/evaluator.h"

#include "alerting/alerttemplate.h"

#include <algorithm>
#include <set>

namespace qc::alerting {

using namespace Qt::StringLiterals;

namespace {

QString rendered(
    const AlertTemplate& compiled, const QString& text, const metrics::Labels& labels, double value)
{
    return compiled.ok() ? compiled.render(labels, value)
                         : text % u" (template error: "_s % compiled.error() % u')';
}

std::int64_t longestWindow(const std::vector<Rule>& rules)
{
    std::int64_t longest = 0;
    for (const Rule& rule : rules)
        longest = std::max(longest, rule.windowMs);
    return longest;
}

} // namespace

metrics::Labels alertLabels(const Rule& rule, const metrics::Labels& sampleLabels)
{
    metrics::Labels labels = sampleLabels;
    const auto set = [&](const QString& name, const QString& value) {
        const auto at = std::find_if(
            labels.begin(), labels.end(), [&](const auto& label) { return label.first == name; });
        if (at != labels.end())
            at->second = value;
        else
            labels.emplace_back(name, value);
    };
    set(u"alertname"_s, rule.name);
    set(u"severity"_s, severityName(rule.severity));
    std::sort(labels.begin(), labels.end());
    return labels;
}

Evaluator::Evaluator(std::vector<Rule> rules)
    : m_rules(std::move(rules))
    // A minute more than the longest window, so that a slightly late evaluation still has
    // the range's first sample.
    , m_store(sampleNamesOf(m_rules), longestWindow(m_rules) + 60'000)
{
    m_perRule.reserve(m_rules.size());
    for (const Rule& rule : m_rules)
        m_perRule.push_back(PerRule { AlertTemplate::compile(rule.summary),
            AlertTemplate::compile(rule.description), {}, {} });
}

void Evaluator::addScrape(
    const QString& instance, std::int64_t atMs, const std::vector<metrics::MetricFamily>& families)
{
    m_store.addScrape(instance, atMs, families);
}

std::vector<RuleResult> Evaluator::results(std::int64_t atMs, std::int64_t minWindowMs) const
{
    return evaluateRules(m_rules, m_store, atMs, minWindowMs);
}

std::vector<AlertChange> Evaluator::evaluate(std::int64_t atMs)
{
    std::vector<AlertChange> changes = apply(atMs, results(atMs));
    m_store.prune(atMs);
    return changes;
}

const Evaluator::Identity& Evaluator::identity(
    std::size_t rule, const metrics::Labels& sampleLabels)
{
    std::map<metrics::Labels, Identity>& identities = m_perRule[rule].identities;
    auto it = identities.find(sampleLabels);
    if (it == identities.end()) {
        metrics::Labels labels = alertLabels(m_rules[rule], sampleLabels);
        QString fingerprint = fingerprintOf(labels);
        it = identities
                 .emplace(sampleLabels, Identity { std::move(labels), std::move(fingerprint) })
                 .first;
    }
    return it->second;
}

Alert Evaluator::makeAlert(std::size_t r, const ResultSample& sample)
{
    const Rule& rule = m_rules[r];
    const Identity& id = identity(r, sample.labels);
    Alert alert;
    alert.rule = rule.name;
    alert.severity = rule.severity;
    alert.labels = id.labels;
    alert.fingerprint = id.fingerprint;
    alert.value = sample.value;
    // As in Prometheus, templates see the expression's labels (not alertname/severity).
    alert.summary = rendered(m_perRule[r].summary, rule.summary, sample.labels, sample.value);
    alert.description
        = rendered(m_perRule[r].description, rule.description, sample.labels, sample.value);
    return alert;
}

std::vector<AlertChange> Evaluator::apply(std::int64_t atMs, const std::vector<RuleResult>& results)
{
    std::vector<AlertChange> changes;
    const std::size_t count = std::min(results.size(), m_rules.size());
    for (std::size_t r = 0; r < count; ++r) {
        const Rule& rule = m_rules[r];
        const RuleResult& result = results[r];
        std::map<QString, Alert>& active = m_perRule[r].active;
        if (!result.ok || result.warmingUp || (result.samples.empty() && active.empty()))
            continue;
        std::set<QString> seen;
        std::set<QString> started;
        for (const ResultSample& sample : result.samples) {
            if (!exceeds(rule, sample.value))
                continue;
            const QString& fingerprint = identity(r, sample.labels).fingerprint;
            seen.insert(fingerprint);
            const auto existing = active.find(fingerprint);
            if (existing != active.end()) {
                Alert& alert = existing->second;
                if (alert.value != sample.value) {
                    alert.value = sample.value;
                    alert.summary
                        = rendered(m_perRule[r].summary, rule.summary, sample.labels, sample.value);
                    alert.description = rendered(
                        m_perRule[r].description, rule.description, sample.labels, sample.value);
                }
                continue;
            }
            Alert alert = makeAlert(r, sample);
            alert.state = AlertState::Pending;
            alert.activeAtMs = atMs;
            started.insert(fingerprint);
            active.emplace(fingerprint, std::move(alert));
        }
        for (auto it = active.begin(); it != active.end();) {
            Alert& alert = it->second;
            if (!seen.contains(it->first)) {
                changes.push_back(
                    AlertChange { alert.state == AlertState::Firing ? AlertChange::Kind::Resolved
                                                                    : AlertChange::Kind::Cleared,
                        atMs, alert });
                it = active.erase(it);
                continue;
            }
            if (alert.state == AlertState::Pending && atMs - alert.activeAtMs >= rule.forMs) {
                alert.state = AlertState::Firing;
                alert.firedAtMs = atMs;
                changes.push_back(AlertChange { AlertChange::Kind::Firing, atMs, alert });
            } else if (started.contains(it->first)) {
                changes.push_back(AlertChange { AlertChange::Kind::Pending, atMs, alert });
            }
            ++it;
        }
    }
    return changes;
}

std::vector<Alert> Evaluator::alerts() const
{
    std::vector<Alert> all;
    for (const PerRule& perRule : m_perRule) {
        for (const auto& [fingerprint, alert] : perRule.active)
            all.push_back(alert);
    }
    return all;
}

void Evaluator::restore(const std::vector<Alert>& alerts)
{
    for (PerRule& perRule : m_perRule)
        perRule.active.clear();
    for (const Alert& kept : alerts) {
        for (std::size_t r = 0; r < m_rules.size(); ++r) {
            const Rule& rule = m_rules[r];
            if (rule.name != kept.rule)
                continue;
            metrics::Labels sampleLabels;
            for (const auto& label : kept.labels) {
                if (rule.by.contains(label.first))
                    sampleLabels.push_back(label);
            }
            Alert alert = makeAlert(r, ResultSample { sampleLabels, kept.value });
            alert.state = kept.state;
            alert.activeAtMs = kept.activeAtMs;
            alert.firedAtMs = kept.firedAtMs;
            m_perRule[r].active.insert_or_assign(alert.fingerprint, std::move(alert));
        }
    }
}

} // namespace qc::alerting
