// Canonical JSON of a policy: the layout of resources/policies/default.json, keys in the order
// of docs/policy.md, every default written out so that a reviewer sees what is in force.

#include "enforcement/jsontext.h"
#include "policyjson.h"

#include <string>
#include <vector>

namespace ef = qc::enforcement;

namespace qc::policy {

namespace {

std::string quoted(std::string_view text)
{
    std::string out;
    ef::appendJsonString(out, text);
    return out;
}

std::string duration(ef::TimeMs ms)
{
    // Whole seconds read best as "90s"/"2h"; anything finer stays an integer of milliseconds.
    if (ms % ef::kSecond == 0)
        return quoted(formatDuration(ms).toStdString());
    return std::to_string(ms);
}

std::string usd(ef::MicroUsd micro)
{
    return formatUsd(micro).toStdString();
}

std::string stringList(const std::vector<std::string>& list)
{
    std::string out = "[";
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (i)
            out += ", ";
        ef::appendJsonString(out, list[i]);
    }
    return out + "]";
}

// One JSON object on one line, members in insertion order.
class Line {
public:
    Line& add(std::string_view key, const std::string& json)
    {
        m_text += m_text.empty() ? "{ " : ", ";
        ef::appendJsonString(m_text, key);
        m_text += ": ";
        m_text += json;
        return *this;
    }
    std::string str() const { return m_text.empty() ? std::string("{}") : m_text + " }"; }

private:
    std::string m_text;
};

std::string ruleJson(const ef::Rule& r)
{
    Line line;
    line.add("id", quoted(r.id))
        .add("scope", quoted(ef::toString(r.scope)))
        .add("algorithm", quoted(ef::toString(r.algorithm)));
    if (r.algorithm == ef::Algorithm::TokenBucket) {
        line.add("rate", std::to_string(r.rate))
            .add("period", duration(r.periodMs))
            .add("burst", std::to_string(r.burst));
    } else {
        line.add("window", duration(r.windowMs)).add("limit", std::to_string(r.limit));
    }
    Line match;
    bool hasMatch = false;
    if (!r.match.endpoints.empty()) {
        match.add("endpoints", stringList(r.match.endpoints));
        hasMatch = true;
    }
    if (!r.match.methods.empty()) {
        match.add("methods", stringList(r.match.methods));
        hasMatch = true;
    }
    if (!r.match.plans.empty()) {
        match.add("plans", stringList(r.match.plans));
        hasMatch = true;
    }
    if (hasMatch)
        line.add("match", match.str());
    line.add("mode", quoted(ef::toString(r.mode)));
    return line.str();
}

std::string planJson(const ef::Plan& p)
{
    Line quotas;
    for (const ef::PlanQuota& q : p.quotas)
        quotas.add(q.metric, std::to_string(q.limit));
    return Line()
        .add("name", quoted(p.name))
        .add("rank", std::to_string(p.rank))
        .add("paid", p.paid ? "true" : "false")
        .add("quotas", quotas.str())
        .str();
}

std::string abuseJson(const ef::AbusePattern& a)
{
    Line line;
    line.add("id", quoted(a.id))
        .add("name", quoted(a.name))
        .add("kind", quoted(ef::toString(a.kind)))
        .add("scope", quoted(ef::toString(a.scope)));
    switch (a.kind) {
    case ef::AbuseKind::Rate:
        if (!a.endpoints.empty())
            line.add("endpoints", stringList(a.endpoints));
        line.add("window", duration(a.windowMs)).add("threshold", std::to_string(a.threshold));
        break;
    case ef::AbuseKind::Cost:
        line.add("window", duration(a.windowMs)).add("threshold_usd", usd(a.thresholdMicroUsd));
        break;
    case ef::AbuseKind::UserAgent:
        line.add("user_agent_contains", stringList(a.userAgentContains));
        break;
    case ef::AbuseKind::Country:
        line.add("countries", stringList(a.countries));
        break;
    }
    line.add("severity", quoted(ef::toString(a.severity)))
        .add("action", quoted(ef::toString(a.action)));
    if (a.action == ef::AbuseAction::Block || a.action == ef::AbuseAction::Escalate)
        line.add("block_for", duration(a.blockForMs));
    line.add("rearm", duration(a.rearmMs));
    return line.str();
}

void appendList(std::string& out, std::string_view key, const std::vector<std::string>& items,
    bool last = false)
{
    out += "  ";
    ef::appendJsonString(out, key);
    if (items.empty()) {
        out += ": []";
    } else {
        out += ": [\n";
        for (std::size_t i = 0; i < items.size(); ++i) {
            out += "    " + items[i];
            out += i + 1 < items.size() ? ",\n" : "\n";
        }
        out += "  ]";
    }
    out += last ? "\n" : ",\n";
}

void appendMember(std::string& out, std::string_view key, const std::string& json)
{
    out += "  ";
    ef::appendJsonString(out, key);
    out += ": " + json + ",\n";
}

} // namespace

QByteArray toJson(const ef::Policy& policy)
{
    std::string out = "{\n";
    appendMember(out, "version", std::to_string(policy.version));
    appendMember(out, "fail_mode", quoted(ef::toString(policy.failMode)));
    std::vector<std::string> proxies;
    for (const ef::Cidr& cidr : policy.trustedProxies)
        proxies.push_back(cidr.toString());
    appendMember(out, "trusted_proxies", stringList(proxies));
    appendMember(out, "skip_endpoints", stringList(policy.skipEndpoints));
    appendMember(out, "default_plan", quoted(policy.defaultPlan));
    appendMember(out, "billing_cycle",
        policy.billingCycleMs == 0 ? quoted("calendar_month") : duration(policy.billingCycleMs));
    appendMember(out, "downgrade_grace", duration(policy.downgradeGraceMs));
    appendMember(out, "idempotency",
        Line()
            .add("ttl", duration(policy.idempotencyTtlMs))
            .add("on_conflict", quoted(ef::toString(policy.onConflict)))
            .str());

    std::vector<std::string> items;
    for (const ef::Rule& r : policy.rules)
        items.push_back(ruleJson(r));
    appendList(out, "rules", items);

    items.clear();
    for (const ef::Plan& p : policy.plans)
        items.push_back(planJson(p));
    appendList(out, "plans", items);

    items.clear();
    for (const ef::EndpointMetric& m : policy.endpointMetrics)
        items.push_back(
            Line().add("endpoints", stringList(m.endpoints)).add("metric", quoted(m.metric)).str());
    appendList(out, "endpoint_metrics", items);

    items.clear();
    for (const ef::AbusePattern& a : policy.abuse)
        items.push_back(abuseJson(a));
    appendList(out, "abuse", items);

    const ef::CostModel& c = policy.cost;
    out += "  \"cost\": {\n";
    out += "    \"gb_hour_usd\": " + usd(c.gbHourMicroUsd) + ",\n";
    out += "    \"default_memory_mb\": " + std::to_string(c.defaultMemoryMb) + ",\n";
    out += "    \"endpoints\": [";
    for (std::size_t i = 0; i < c.endpoints.size(); ++i) {
        const ef::CostEndpoint& e = c.endpoints[i];
        out += i ? ",\n      " : "\n      ";
        out += Line()
                   .add("endpoints", stringList(e.endpoints))
                   .add("base_usd", usd(e.baseMicroUsd))
                   .add("memory_mb", std::to_string(e.memoryMb))
                   .str();
    }
    out += c.endpoints.empty() ? "],\n" : "\n    ],\n";
    out += "    \"models\": {";
    for (std::size_t i = 0; i < c.models.size(); ++i) {
        out += i ? ",\n      " : "\n      ";
        ef::appendJsonString(out, c.models[i].model);
        out += ": " + Line().add("per_1k_tokens_usd", usd(c.models[i].per1kTokensMicroUsd)).str();
    }
    out += c.models.empty() ? "}\n" : "\n    }\n";
    out += "  }\n}\n";
    return QByteArray::fromStdString(out);
}

} // namespace qc::policy
