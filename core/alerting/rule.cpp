#include "alerting/rule.h"

#include <QLocale>

#include <array>

namespace qc::alerting {

using namespace Qt::StringLiterals;

namespace {

constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kMinute = 60 * kSecond;

const std::array<Selector, kSignalCount>& selectors()
{
    static const std::array<Selector, kSignalCount> table {
        Selector { u"quota_decisions_total"_s, {}, {} },
        Selector { u"quota_decisions_total"_s, u"decision"_s, { u"denied"_s } },
        Selector { u"quota_idempotency_requests_total"_s, {}, {} },
        Selector { u"quota_idempotency_collisions_total"_s, {}, {} },
        Selector { u"quota_rate_limit_hits_total"_s, {}, {} },
        Selector { u"quota_db_errors_total"_s, {}, {} },
        Selector { u"quota_cost_usd_total"_s, {}, {} },
        Selector { u"quota_abuse_incidents_total"_s, u"action"_s, { u"alert"_s, u"block"_s } },
        Selector { u"quota_abuse_incidents_total"_s, u"action"_s, { u"escalate"_s } },
        Selector { u"quota_check_duration_seconds_bucket"_s, {}, {} },
    };
    return table;
}

std::vector<Rule> makeStandardRules()
{
    std::vector<Rule> rules;

    Rule latency;
    latency.name = u"HighQuotaCheckLatency"_s;
    latency.severity = Severity::Critical;
    latency.kind = RuleKind::Quantile;
    latency.signal = Signal::CheckDurationBuckets;
    latency.quantile = 0.95;
    latency.windowMs = 5 * kMinute;
    latency.threshold = 0.15;
    latency.forMs = 5 * kMinute;
    latency.summary
        = u"p95 quota check latency is {{ $value | humanizeDuration }}, above 150ms for 5 minutes"_s;
    latency.description
        = u"The 95th percentile of quota_check_duration_seconds over the last 5 minutes has "
          u"stayed above 150ms for 5 minutes. Every API request waits for this check: look for "
          u"a missing or bloated index on the counter tables, lock waits on hot counter rows "
          u"(pg_stat_activity, pg_locks) or a saturated database host."_s;
    latency.condition = u"p95 quota check latency > 150 ms over 5m, for 5m"_s;
    rules.push_back(latency);

    Rule slowest;
    slowest.name = u"ImmediateHighLatency"_s;
    slowest.severity = Severity::Warning;
    slowest.kind = RuleKind::Quantile;
    slowest.signal = Signal::CheckDurationBuckets;
    slowest.quantile = 1;
    slowest.windowMs = kMinute;
    slowest.threshold = 0.3;
    slowest.summary = u"A quota check took more than 300ms (slowest histogram bucket: "
                      u"{{ $value | humanizeDuration }})"_s;
    slowest.description
        = u"At least one quota check in the last minute took longer than 300ms. A single slow "
          u"check is often a lock wait or a checkpoint; many mean the database is struggling. "
          u"Compare with the p95 on the dashboard and the database's slow query log."_s;
    slowest.condition = u"a quota check > 300 ms in the last minute"_s;
    rules.push_back(slowest);

    Rule collisions;
    collisions.name = u"ExcessiveIdempotencyCollisions"_s;
    collisions.severity = Severity::Warning;
    collisions.kind = RuleKind::Ratio;
    collisions.signal = Signal::IdempotencyCollisions;
    collisions.denominator = Signal::IdempotencyRequests;
    collisions.windowMs = 5 * kMinute;
    collisions.threshold = 0.05;
    collisions.forMs = 2 * kMinute;
    collisions.summary = u"{{ $value | humanizePercentage }} of idempotency-keyed requests "
                         u"collide (above 5%)"_s;
    collisions.description
        = u"Over the last 5 minutes more than 5% of the requests that carry an idempotency key "
          u"reused a key with different parameters, a different user agent or more than 5 "
          u"minutes later. That is almost always a buggy client retrying with fresh bodies: find "
          u"it in the idempotency ledger (collisions per user) and tell its owner."_s;
    collisions.condition = u"idempotency collisions > 5 % of keyed requests over 5m, for 2m"_s;
    rules.push_back(collisions);

    Rule denials;
    denials.name = u"HighDenialRate"_s;
    denials.severity = Severity::Warning;
    denials.kind = RuleKind::Ratio;
    denials.signal = Signal::Denied;
    denials.denominator = Signal::Decisions;
    denials.windowMs = 5 * kMinute;
    denials.threshold = 0.2;
    denials.forMs = 2 * kMinute;
    denials.summary = u"{{ $value | humanizePercentage }} of requests are denied (above 20%)"_s;
    denials.description
        = u"Over the last 5 minutes more than a fifth of all quota decisions were denials. Open "
          u"the top denied identifiers and endpoints: a bot burst, a client stuck in a retry "
          u"loop, or a policy rollout stricter than intended (roll it back if so)."_s;
    denials.condition = u"denial rate > 20 % of requests over 5m, for 2m"_s;
    rules.push_back(denials);

    Rule hits;
    hits.name = u"RateLimitViolations"_s;
    hits.severity = Severity::Warning;
    hits.kind = RuleKind::Increase;
    hits.signal = Signal::RateLimitHits;
    hits.windowMs = kMinute;
    hits.threshold = 100;
    hits.forMs = 2 * kMinute;
    hits.summary = u"{{ printf \"%.0f\" $value }} rate-limit hits in the last minute "
                   u"(above 100)"_s;
    hits.description
        = u"Clients have hit rate limits more than 100 times a minute for 2 minutes. See which "
          u"rules and identifiers are hit (quota_rate_limit_hits_total by rule, the top lists): "
          u"block an abusive network, or raise a limit that is too tight for real traffic."_s;
    hits.condition = u"rate-limit hits > 100 per minute, for 2m"_s;
    rules.push_back(hits);

    Rule database;
    database.name = u"DatabaseConnectionIssues"_s;
    database.severity = Severity::Critical;
    database.kind = RuleKind::Increase;
    database.signal = Signal::DbErrors;
    database.windowMs = kMinute;
    database.threshold = 10;
    database.forMs = kMinute;
    database.summary = u"{{ printf \"%.0f\" $value }} quota database errors in the last minute "
                       u"(above 10)"_s;
    database.description
        = u"The services failed to run the quota check against the database more than 10 times "
          u"a minute. With fail_mode open those requests are admitted without limits or quotas. "
          u"Check that PostgreSQL is up, its max_connections and the services' connection "
          u"pools."_s;
    database.condition = u"quota database errors > 10 per minute, for 1m"_s;
    rules.push_back(database);

    Rule raised;
    raised.name = u"AbuseIncidentRaised"_s;
    raised.severity = Severity::Warning;
    raised.kind = RuleKind::Increase;
    raised.signal = Signal::AbuseIncidents;
    raised.by = QStringList { u"pattern"_s };
    raised.windowMs = 15 * kMinute;
    raised.threshold = 0;
    raised.summary = u"Abuse pattern {{ $labels.pattern }} raised incidents in the last 15 "
                     u"minutes"_s;
    raised.description
        = u"{{ printf \"%.0f\" $value }} incident(s) of abuse pattern {{ $labels.pattern }} "
          u"(action alert or block) in the last 15 minutes. Blocked identifiers are on the "
          u"blocks list: review them and unblock false positives."_s;
    raised.condition = u"an abuse incident (action alert or block) in the last 15m"_s;
    rules.push_back(raised);

    Rule escalated;
    escalated.name = u"AbuseIncidentEscalated"_s;
    escalated.severity = Severity::Critical;
    escalated.kind = RuleKind::Increase;
    escalated.signal = Signal::AbuseEscalations;
    escalated.by = QStringList { u"pattern"_s };
    escalated.windowMs = 15 * kMinute;
    escalated.threshold = 0;
    escalated.summary = u"Abuse pattern {{ $labels.pattern }} escalated incidents in the last 15 "
                        u"minutes"_s;
    escalated.description
        = u"{{ printf \"%.0f\" $value }} escalated incident(s) of abuse pattern "
          u"{{ $labels.pattern }} in the last 15 minutes. The identifiers are blocked for the "
          u"pattern's block_for; an escalation asks a person to look now: check the incidents, "
          u"the cost they caused, and whether each block should be extended or lifted."_s;
    escalated.condition = u"an escalated abuse incident in the last 15m"_s;
    rules.push_back(escalated);

    return rules;
}

QString yamlQuoted(const QString& text)
{
    QString quoted = text;
    quoted.replace(u'\'', u"''"_s);
    return u'\'' % quoted % u'\'';
}

} // namespace

QString severityName(Severity severity)
{
    switch (severity) {
    case Severity::Info:
        return u"info"_s;
    case Severity::Warning:
        return u"warning"_s;
    case Severity::Critical:
        return u"critical"_s;
    }
    return {};
}

QString Selector::promql() const
{
    if (label.isEmpty())
        return sampleName;
    if (values.size() == 1)
        return sampleName % u'{' % label % u"=\""_s % values.constFirst() % u"\"}"_s;
    return sampleName % u'{' % label % u"=~\""_s % values.join(u'|') % u"\"}"_s;
}

const Selector& selectorOf(Signal signal)
{
    return selectors()[static_cast<std::size_t>(signal)];
}

QString Rule::promql() const
{
    const QString range = u'[' % prometheusDuration(windowMs) % u']';
    QString expression;
    switch (kind) {
    case RuleKind::Ratio:
        expression = u"sum(rate("_s % selectorOf(signal).promql() % range % u")) / sum(rate("_s
            % selectorOf(denominator).promql() % range % u"))"_s;
        break;
    case RuleKind::Increase:
        expression = (by.isEmpty() ? u"sum("_s : u"sum by ("_s % by.join(u", "_s) % u") ("_s)
            % u"increase("_s % selectorOf(signal).promql() % range % u"))"_s;
        break;
    case RuleKind::Quantile: {
        const QString groups = by.isEmpty() ? u"le"_s : u"le, "_s % by.join(u", "_s);
        expression = u"histogram_quantile("_s % prometheusNumber(quantile) % u", sum by ("_s
            % groups % u") (rate("_s % selectorOf(signal).promql() % range % u")))"_s;
        break;
    }
    }
    return expression % u" > "_s % prometheusNumber(threshold);
}

const std::vector<Rule>& standardRules()
{
    static const std::vector<Rule> rules = makeStandardRules();
    return rules;
}

const Rule* findRule(const std::vector<Rule>& rules, const QString& name)
{
    for (const Rule& rule : rules) {
        if (rule.name == name)
            return &rule;
    }
    return nullptr;
}

QStringList sampleNamesOf(const std::vector<Rule>& rules)
{
    QStringList names;
    const auto add = [&](Signal signal) {
        const QString& name = selectorOf(signal).sampleName;
        if (!names.contains(name))
            names.append(name);
    };
    for (const Rule& rule : rules) {
        add(rule.signal);
        if (rule.kind == RuleKind::Ratio)
            add(rule.denominator);
    }
    return names;
}

QString prometheusDuration(std::int64_t ms)
{
    if (ms == 0)
        return u"0s"_s;
    struct Unit {
        std::int64_t ms;
        char16_t const* suffix;
    };
    static constexpr std::array<Unit, 6> units { {
        { 7 * 24 * 3600 * kSecond, u"w" },
        { 24 * 3600 * kSecond, u"d" },
        { 3600 * kSecond, u"h" },
        { kMinute, u"m" },
        { kSecond, u"s" },
        { 1, u"ms" },
    } };
    QString text;
    std::int64_t rest = ms;
    for (const Unit& unit : units) {
        if (rest >= unit.ms) {
            text += QString::number(rest / unit.ms) % QString::fromUtf16(unit.suffix);
            rest %= unit.ms;
        }
    }
    return text;
}

QString prometheusNumber(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

QString prometheusRulesFile(const std::vector<Rule>& rules)
{
    QString text
        = u"# Quota Console alert rules for Prometheus 2.42+ (docs/alerting.md).\n"
          u"# Generated from the rule set of core/alerting (rule.cpp) by 'quotactl alerts rules';\n"
          u"# tests/alerting checks that this file and the C++ rule set agree: change the C++\n"
          u"# table, then regenerate. Evaluate with an evaluation_interval of 15s or less.\n"
          u"groups:\n"
          u"  - name: quota-console\n"
          u"    rules:\n"_s;
    for (const Rule& rule : rules) {
        text += u"      - alert: "_s % rule.name % u"\n        expr: "_s % yamlQuoted(rule.promql())
            % u"\n        for: "_s % prometheusDuration(rule.forMs)
            % u"\n        labels:\n          severity: "_s % severityName(rule.severity)
            % u"\n        annotations:\n          summary: "_s % yamlQuoted(rule.summary)
            % u"\n          description: "_s % yamlQuoted(rule.description) % u'\n';
    }
    return text;
}

} // namespace qc::alerting
