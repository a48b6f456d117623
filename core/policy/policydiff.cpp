// Differences between two policies in an admin's words, for rollout review and audit notes.

#include "policyjson.h"

#include <QStringList>

#include <functional>
#include <map>

using namespace Qt::StringLiterals;
namespace ef = qc::enforcement;

namespace qc::policy {

namespace {

QString q(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

QString list(const std::vector<std::string>& items)
{
    if (items.empty())
        return u"(all)"_s;
    QStringList out;
    for (const std::string& s : items)
        out.append(q(s));
    return out.join(u", "_s);
}

QString quotaText(std::int64_t limit)
{
    return limit < 0 ? u"unlimited"_s : QString::number(limit);
}

QString ruleSummary(const ef::Rule& r)
{
    QString text = q(ef::toString(r.algorithm)) + u' ' + q(ef::toString(r.scope)) + u' ';
    if (r.algorithm == ef::Algorithm::TokenBucket)
        text += QString::number(r.rate) + u" per "_s + formatDuration(r.periodMs) + u", burst "_s
            + QString::number(r.burst);
    else
        text += QString::number(r.limit) + u" per "_s + formatDuration(r.windowMs);
    if (!r.match.endpoints.empty())
        text += u", endpoints "_s + list(r.match.endpoints);
    if (!r.match.methods.empty())
        text += u", methods "_s + list(r.match.methods);
    if (!r.match.plans.empty())
        text += u", plans "_s + list(r.match.plans);
    if (r.mode == ef::Mode::Shadow)
        text += u", shadow"_s;
    return text;
}

QString planSummary(const ef::Plan& p)
{
    QStringList quotas;
    for (const ef::PlanQuota& quota : p.quotas)
        quotas.append(q(quota.metric) + u' ' + quotaText(quota.limit));
    return u"rank "_s + QString::number(p.rank) + (p.paid ? u", paid"_s : u", free"_s)
        + (quotas.isEmpty() ? QString() : u", "_s + quotas.join(u", "_s));
}

QString abuseSummary(const ef::AbusePattern& a)
{
    QString text = q(ef::toString(a.kind)) + u" per "_s + q(ef::toString(a.scope));
    switch (a.kind) {
    case ef::AbuseKind::Rate:
        text += u", > "_s + QString::number(a.threshold) + u" in "_s + formatDuration(a.windowMs);
        break;
    case ef::AbuseKind::Cost:
        text
            += u", > $"_s + formatUsd(a.thresholdMicroUsd) + u" in "_s + formatDuration(a.windowMs);
        break;
    case ef::AbuseKind::UserAgent:
        text += u", agents "_s + list(a.userAgentContains);
        break;
    case ef::AbuseKind::Country:
        text += u", countries "_s + list(a.countries);
        break;
    }
    return text + u", "_s + q(ef::toString(a.action));
}

class Differ {
public:
    QList<PolicyChange> changes;

    void field(const QString& path, const QString& before, const QString& after)
    {
        if (before != after)
            changes.append({ path, before, after });
    }

    // Items keyed by id: removed first (in base order), then added and changed (candidate order),
    // and a move when the relative order of the items both policies have differs.
    template<typename T>
    void keyed(const QString& section, const std::vector<T>& base, const std::vector<T>& candidate,
        const std::function<std::string(const T&)>& key,
        const std::function<QString(const T&)>& summary,
        const std::function<void(const QString&, const T&, const T&)>& fields)
    {
        std::map<std::string, std::size_t> baseIndex;
        std::map<std::string, std::size_t> candidateIndex;
        for (std::size_t i = 0; i < base.size(); ++i)
            baseIndex.emplace(key(base[i]), i);
        for (std::size_t i = 0; i < candidate.size(); ++i)
            candidateIndex.emplace(key(candidate[i]), i);
        for (const T& b : base) {
            if (!candidateIndex.count(key(b)))
                changes.append({ section + u'[' + q(key(b)) + u']', summary(b), QString() });
        }
        // Position among the items present in both, so that an insertion is not a "move".
        std::vector<std::string> commonBase;
        std::vector<std::string> commonCandidate;
        for (const T& b : base) {
            if (candidateIndex.count(key(b)))
                commonBase.push_back(key(b));
        }
        for (const T& c : candidate) {
            if (baseIndex.count(key(c)))
                commonCandidate.push_back(key(c));
        }
        for (const T& c : candidate) {
            const std::string k = key(c);
            const QString path = section + u'[' + q(k) + u']';
            const auto found = baseIndex.find(k);
            if (found == baseIndex.end()) {
                changes.append({ path, QString(),
                    summary(c) + u" at position "_s + QString::number(candidateIndex[k] + 1) });
                continue;
            }
            const auto posBase
                = std::find(commonBase.begin(), commonBase.end(), k) - commonBase.begin();
            const auto posCandidate = std::find(commonCandidate.begin(), commonCandidate.end(), k)
                - commonCandidate.begin();
            if (posBase != posCandidate)
                changes.append({ path + u".position"_s, QString::number(found->second + 1),
                    QString::number(candidateIndex[k] + 1) });
            fields(path, base[found->second], c);
        }
    }
};

} // namespace

QString PolicyChange::toString() const
{
    if (before.isEmpty())
        return path + u": added ("_s + after + u')';
    if (after.isEmpty())
        return path + u": removed ("_s + before + u')';
    return path + u": "_s + before + u" → "_s + after;
}

QList<PolicyChange> diff(const ef::Policy& base, const ef::Policy& candidate)
{
    Differ d;
    d.field(u"fail_mode"_s, q(ef::toString(base.failMode)), q(ef::toString(candidate.failMode)));
    const auto cidrs = [](const ef::Policy& p) -> QString {
        std::vector<std::string> out;
        for (const ef::Cidr& c : p.trustedProxies)
            out.push_back(c.toString());
        return out.empty() ? u"(none)"_s : list(out);
    };
    d.field(u"trusted_proxies"_s, cidrs(base), cidrs(candidate));
    const auto skip = [](const ef::Policy& p) -> QString {
        return p.skipEndpoints.empty() ? u"(none)"_s : list(p.skipEndpoints);
    };
    d.field(u"skip_endpoints"_s, skip(base), skip(candidate));
    d.field(u"default_plan"_s, q(base.defaultPlan), q(candidate.defaultPlan));
    const auto cycle = [](const ef::Policy& p) -> QString {
        return p.billingCycleMs == 0 ? u"calendar_month"_s : formatDuration(p.billingCycleMs);
    };
    d.field(u"billing_cycle"_s, cycle(base), cycle(candidate));
    d.field(u"downgrade_grace"_s, formatDuration(base.downgradeGraceMs),
        formatDuration(candidate.downgradeGraceMs));
    d.field(u"idempotency.ttl"_s, formatDuration(base.idempotencyTtlMs),
        formatDuration(candidate.idempotencyTtlMs));
    d.field(u"idempotency.on_conflict"_s, q(ef::toString(base.onConflict)),
        q(ef::toString(candidate.onConflict)));

    d.keyed<ef::Rule>(
        u"rules"_s, base.rules, candidate.rules, [](const ef::Rule& r) { return r.id; },
        ruleSummary,
        [&d](const QString& path, const ef::Rule& b, const ef::Rule& c) {
            d.field(path + u".scope"_s, q(ef::toString(b.scope)), q(ef::toString(c.scope)));
            d.field(
                path + u".algorithm"_s, q(ef::toString(b.algorithm)), q(ef::toString(c.algorithm)));
            const bool bucketB = b.algorithm == ef::Algorithm::TokenBucket;
            const bool bucketC = c.algorithm == ef::Algorithm::TokenBucket;
            const auto opt = [](bool present, const QString& text) -> QString {
                return present ? text : u"(none)"_s;
            };
            d.field(path + u".window"_s, opt(!bucketB, formatDuration(b.windowMs)),
                opt(!bucketC, formatDuration(c.windowMs)));
            d.field(path + u".limit"_s, opt(!bucketB, QString::number(b.limit)),
                opt(!bucketC, QString::number(c.limit)));
            d.field(path + u".rate"_s, opt(bucketB, QString::number(b.rate)),
                opt(bucketC, QString::number(c.rate)));
            d.field(path + u".period"_s, opt(bucketB, formatDuration(b.periodMs)),
                opt(bucketC, formatDuration(c.periodMs)));
            d.field(path + u".burst"_s, opt(bucketB, QString::number(b.burst)),
                opt(bucketC, QString::number(c.burst)));
            d.field(path + u".match.endpoints"_s, list(b.match.endpoints), list(c.match.endpoints));
            d.field(path + u".match.methods"_s, list(b.match.methods), list(c.match.methods));
            d.field(path + u".match.plans"_s, list(b.match.plans), list(c.match.plans));
            d.field(path + u".mode"_s, q(ef::toString(b.mode)), q(ef::toString(c.mode)));
        });

    d.keyed<ef::Plan>(
        u"plans"_s, base.plans, candidate.plans, [](const ef::Plan& p) { return p.name; },
        planSummary,
        [&d](const QString& path, const ef::Plan& b, const ef::Plan& c) {
            d.field(path + u".rank"_s, QString::number(b.rank), QString::number(c.rank));
            d.field(path + u".paid"_s, b.paid ? u"true"_s : u"false"_s,
                c.paid ? u"true"_s : u"false"_s);
            std::map<std::string, std::int64_t> before;
            std::map<std::string, std::int64_t> after;
            for (const ef::PlanQuota& quota : b.quotas)
                before[quota.metric] = quota.limit;
            for (const ef::PlanQuota& quota : c.quotas)
                after[quota.metric] = quota.limit;
            std::map<std::string, bool> metrics;
            for (const auto& [m, _] : before)
                metrics[m] = true;
            for (const auto& [m, _] : after)
                metrics[m] = true;
            for (const auto& [metric, _] : metrics) {
                // An unlisted metric is unlimited, so listing it as -1 changes nothing.
                const auto bi = before.find(metric);
                const auto ci = after.find(metric);
                d.field(path + u".quotas."_s + q(metric),
                    quotaText(bi == before.end() ? -1 : bi->second),
                    quotaText(ci == after.end() ? -1 : ci->second));
            }
        });

    const auto metricsText = [](const ef::EndpointMetric& m) -> QString {
        return list(m.endpoints) + u" → "_s + q(m.metric);
    };
    const std::size_t metricCount
        = std::max(base.endpointMetrics.size(), candidate.endpointMetrics.size());
    for (std::size_t i = 0; i < metricCount; ++i) {
        const QString path = u"endpoint_metrics["_s + QString::number(i) + u']';
        if (i >= candidate.endpointMetrics.size())
            d.changes.append({ path, metricsText(base.endpointMetrics[i]), QString() });
        else if (i >= base.endpointMetrics.size())
            d.changes.append({ path, QString(), metricsText(candidate.endpointMetrics[i]) });
        else
            d.field(path, metricsText(base.endpointMetrics[i]),
                metricsText(candidate.endpointMetrics[i]));
    }

    d.keyed<ef::AbusePattern>(
        u"abuse"_s, base.abuse, candidate.abuse, [](const ef::AbusePattern& a) { return a.id; },
        abuseSummary,
        [&d](const QString& path, const ef::AbusePattern& b, const ef::AbusePattern& c) {
            d.field(path + u".name"_s, q(b.name), q(c.name));
            d.field(path + u".kind"_s, q(ef::toString(b.kind)), q(ef::toString(c.kind)));
            d.field(path + u".scope"_s, q(ef::toString(b.scope)), q(ef::toString(c.scope)));
            d.field(path + u".window"_s, formatDuration(b.windowMs), formatDuration(c.windowMs));
            d.field(
                path + u".threshold"_s, QString::number(b.threshold), QString::number(c.threshold));
            d.field(path + u".threshold_usd"_s, formatUsd(b.thresholdMicroUsd),
                formatUsd(c.thresholdMicroUsd));
            d.field(path + u".endpoints"_s, list(b.endpoints), list(c.endpoints));
            d.field(path + u".user_agent_contains"_s, list(b.userAgentContains),
                list(c.userAgentContains));
            d.field(path + u".countries"_s, list(b.countries), list(c.countries));
            d.field(
                path + u".severity"_s, q(ef::toString(b.severity)), q(ef::toString(c.severity)));
            d.field(path + u".action"_s, q(ef::toString(b.action)), q(ef::toString(c.action)));
            d.field(
                path + u".block_for"_s, formatDuration(b.blockForMs), formatDuration(c.blockForMs));
            d.field(path + u".rearm"_s, formatDuration(b.rearmMs), formatDuration(c.rearmMs));
        });

    const ef::CostModel& bc = base.cost;
    const ef::CostModel& cc = candidate.cost;
    d.field(u"cost.gb_hour_usd"_s, formatUsd(bc.gbHourMicroUsd), formatUsd(cc.gbHourMicroUsd));
    d.field(u"cost.default_memory_mb"_s, QString::number(bc.defaultMemoryMb),
        QString::number(cc.defaultMemoryMb));
    const auto costText = [](const ef::CostEndpoint& e) -> QString {
        return list(e.endpoints) + u": base $"_s + formatUsd(e.baseMicroUsd) + u", "_s
            + QString::number(e.memoryMb) + u" MB"_s;
    };
    const std::size_t costCount = std::max(bc.endpoints.size(), cc.endpoints.size());
    for (std::size_t i = 0; i < costCount; ++i) {
        const QString path = u"cost.endpoints["_s + QString::number(i) + u']';
        if (i >= cc.endpoints.size())
            d.changes.append({ path, costText(bc.endpoints[i]), QString() });
        else if (i >= bc.endpoints.size())
            d.changes.append({ path, QString(), costText(cc.endpoints[i]) });
        else
            d.field(path, costText(bc.endpoints[i]), costText(cc.endpoints[i]));
    }
    d.keyed<ef::ModelPrice>(
        u"cost.models"_s, bc.models, cc.models, [](const ef::ModelPrice& m) { return m.model; },
        [](const ef::ModelPrice& m) -> QString {
            return u"$"_s + formatUsd(m.per1kTokensMicroUsd) + u" per 1k tokens"_s;
        },
        [&d](const QString& path, const ef::ModelPrice& b, const ef::ModelPrice& c) {
            d.field(path + u".per_1k_tokens_usd"_s, formatUsd(b.per1kTokensMicroUsd),
                formatUsd(c.per1kTokensMicroUsd));
        });
    return d.changes;
}

} // namespace qc::policy
