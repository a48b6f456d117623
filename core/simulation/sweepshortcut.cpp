#include "clientkey.h"
#include "sweepshortcut_p.h"
#include "trace/trace.h"

#include <algorithm>
#include <numeric>
#include <string>
#include <unordered_map>

namespace qc::simulation::detail {

using enforcement::Dictionary;
using enforcement::EncodedRequest;
using enforcement::Field;
using enforcement::Policy;
using enforcement::TimeMs;
using Kind = SweepParameter::Kind;

namespace {

constexpr std::uint32_t kNone = UINT32_MAX;

class UnionFind {
public:
    std::uint32_t add()
    {
        m_parent.push_back(static_cast<std::uint32_t>(m_parent.size()));
        return m_parent.back();
    }
    void resize(std::size_t n)
    {
        const std::size_t old = m_parent.size();
        m_parent.resize(n);
        std::iota(m_parent.begin() + static_cast<std::ptrdiff_t>(old), m_parent.end(),
            static_cast<std::uint32_t>(old));
    }
    std::uint32_t find(std::uint32_t x)
    {
        while (m_parent[x] != x) {
            m_parent[x] = m_parent[m_parent[x]];
            x = m_parent[x];
        }
        return x;
    }
    void unite(std::uint32_t a, std::uint32_t b)
    {
        a = find(a);
        b = find(b);
        if (a != b)
            m_parent[std::max(a, b)] = std::min(a, b);
    }
    std::size_t size() const { return m_parent.size(); }

private:
    std::vector<std::uint32_t> m_parent;
};

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto up = [](char c) { return c >= 'a' && c <= 'z' ? char(c - 'a' + 'A') : c; };
        if (up(a[i]) != up(b[i]))
            return false;
    }
    return true;
}

// Node ids of the union-find: client keys first as met, users after them.
class Identifiers {
public:
    Identifiers(const trace::Trace& trace, const Policy& policy)
        : m_dictionary(*trace.dictionary)
        , m_policy(policy)
        , m_ipNode(m_dictionary.size(Field::Ip), kUnknown)
    {
    }

    /// The client key's node of a request, kNone when it has no valid client address.
    std::uint32_t client(const EncodedRequest& r)
    {
        if (r.forwardedFor == 0) {
            std::uint32_t& node = m_ipNode[r.ip];
            if (node == kUnknown)
                node = nodeOf(clientKeyOf(m_dictionary.text(Field::Ip, r.ip), {}, m_policy));
            return node;
        }
        const std::uint64_t pair = (std::uint64_t { r.ip } << 32) | r.forwardedFor;
        const auto it = m_pairNode.find(pair);
        if (it != m_pairNode.end())
            return it->second;
        const std::uint32_t node = nodeOf(clientKeyOf(m_dictionary.text(Field::Ip, r.ip),
            m_dictionary.text(Field::ForwardedFor, r.forwardedFor), m_policy));
        m_pairNode.emplace(pair, node);
        return node;
    }
    std::uint32_t clients() const { return static_cast<std::uint32_t>(m_keys.size()); }

private:
    static constexpr std::uint32_t kUnknown = kNone - 1;

    std::uint32_t nodeOf(std::string key)
    {
        if (key.empty())
            return kNone;
        const auto [it, added]
            = m_keys.emplace(std::move(key), static_cast<std::uint32_t>(m_keys.size()));
        return it->second;
    }

    const Dictionary& m_dictionary;
    const Policy& m_policy;
    std::vector<std::uint32_t> m_ipNode;
    std::unordered_map<std::uint64_t, std::uint32_t> m_pairNode;
    std::unordered_map<std::string, std::uint32_t> m_keys;
};

// Whether the swept limit counts a request, by endpoint and method (computed once per id).
class Applies {
public:
    Applies(const Dictionary& dictionary, const Policy& policy, const SweepParameter& parameter)
        : m_dictionary(dictionary)
        , m_policy(policy)
        , m_parameter(parameter)
        , m_endpoint(dictionary.size(Field::Endpoint), -1)
        , m_method(dictionary.size(Field::Method), -1)
    {
        const int rule = parameter.ruleIndex(policy);
        m_rule = rule >= 0 ? &policy.rules[static_cast<std::size_t>(rule)] : nullptr;
    }

    bool operator()(const EncodedRequest& r)
    {
        std::int8_t& endpoint = m_endpoint[r.endpoint];
        if (endpoint < 0)
            endpoint = endpointApplies(m_dictionary.text(Field::Endpoint, r.endpoint));
        if (!endpoint || !m_rule)
            return endpoint != 0;
        std::int8_t& method = m_method[r.method];
        if (method < 0) {
            const std::string_view text = m_dictionary.text(Field::Method, r.method);
            bool matches = m_rule->match.methods.empty();
            for (const std::string& m : m_rule->match.methods)
                matches = matches || equalsIgnoringCase(m, text);
            method = matches;
        }
        return method != 0;
    }
    const enforcement::Rule* rule() const { return m_rule; }

private:
    std::int8_t endpointApplies(std::string_view endpoint) const
    {
        if (m_rule)
            return enforcement::anyGlobMatches(m_rule->match.endpoints, endpoint);
        // A quota: the first endpoint_metrics entry that matches names the metric.
        for (const enforcement::EndpointMetric& entry : m_policy.endpointMetrics) {
            if (enforcement::anyGlobMatches(entry.endpoints, endpoint))
                return entry.metric == m_parameter.metric.toStdString();
        }
        return 0;
    }

    const Dictionary& m_dictionary;
    const Policy& m_policy;
    const SweepParameter& m_parameter;
    const enforcement::Rule* m_rule = nullptr;
    std::vector<std::int8_t> m_endpoint;
    std::vector<std::int8_t> m_method;
};

struct Window {
    std::int64_t index = INT64_MIN;
    std::int64_t count = 0;
    std::int64_t previous = 0;
};

TimeMs floorDiv(TimeMs ts, TimeMs unit)
{
    const TimeMs q = ts / unit;
    return (ts % unit != 0 && ts < 0) ? q - 1 : q;
}

} // namespace

bool canShortcut(const SweepParameter& parameter, const Policy& candidate)
{
    if (candidate.hasGlobalRules())
        return false;
    if (parameter.kind == Kind::PlanQuota)
        return true;
    if (parameter.kind != Kind::RuleLimit)
        return false;
    const int rule = parameter.ruleIndex(candidate);
    return rule >= 0
        && candidate.rules[static_cast<std::size_t>(rule)].algorithm
        != enforcement::Algorithm::TokenBucket;
}

std::int64_t unboundedValue(const SweepParameter& parameter)
{
    return parameter.kind == Kind::PlanQuota ? -1 : 1000000000; // the largest valid limit
}

Components componentsOf(const trace::Trace& trace, const Policy& candidate,
    const SweepParameter& parameter, const std::vector<RequestOutcome>& unbounded)
{
    const std::vector<EncodedRequest>& requests = trace.requests;
    const std::size_t n = requests.size();
    Identifiers identifiers(trace, candidate);
    std::vector<std::uint32_t> clientOf(n);
    for (std::size_t k = 0; k < n; ++k)
        clientOf[k] = identifiers.client(requests[k]);

    // Client keys and users a request touches together are one component. Joining more than
    // needed (a skipped request's address with its user) only makes components larger.
    const std::uint32_t clients = identifiers.clients();
    const std::uint32_t users = trace.dictionary->size(Field::User);
    UnionFind sets;
    sets.resize(std::size_t { clients } + users + 1);
    const std::uint32_t isolated = clients + users; // neither: decided alone, never changes
    const auto nodeOf = [&](std::size_t k) {
        if (clientOf[k] != kNone)
            return clientOf[k];
        return requests[k].user != 0 ? clients + requests[k].user : isolated;
    };
    for (std::size_t k = 0; k < n; ++k) {
        if (clientOf[k] != kNone && requests[k].user != 0)
            sets.unite(clientOf[k], clients + requests[k].user);
    }
    Components out;
    out.of.resize(n);
    std::vector<std::uint32_t> compact(sets.size(), kNone);
    for (std::size_t k = 0; k < n; ++k) {
        const std::uint32_t root = sets.find(nodeOf(k));
        std::uint32_t& id = compact[root];
        if (id == kNone) {
            id = static_cast<std::uint32_t>(out.load.size());
            out.load.push_back(0);
        }
        out.of[k] = id;
    }

    // The load: counted requests per counter key and window (two windows for a sliding one,
    // per billing cycle for a quota), at their most.
    Applies applies(*trace.dictionary, candidate, parameter);
    const enforcement::Rule* rule = applies.rule();
    const bool sliding = rule && rule->algorithm == enforcement::Algorithm::SlidingWindow;
    const bool planMatched = rule && !rule->match.plans.empty();
    std::unordered_map<std::uint64_t, Window> windows;
    for (std::size_t k = 0; k < n; ++k) {
        if (!unbounded[k].counted)
            continue;
        const EncodedRequest& r = requests[k];
        const bool userScope = !rule || rule->scope == enforcement::Scope::User
            || rule->scope == enforcement::Scope::UserEndpoint;
        if (userScope ? r.user == 0 : clientOf[k] == kNone)
            continue;
        if (planMatched && r.user == 0)
            continue; // a rule matching plans never applies to anonymous requests
        if (!applies(r))
            continue;
        const std::uint64_t identity
            = userScope ? std::uint64_t { clients } + r.user : std::uint64_t { clientOf[k] };
        const bool perEndpoint = rule
            && (rule->scope == enforcement::Scope::UserEndpoint
                || rule->scope == enforcement::Scope::IpEndpoint);
        const std::uint64_t key = (identity << 32) | (perEndpoint ? r.endpoint : 0);
        const std::int64_t index
            = rule ? floorDiv(r.ts, rule->windowMs) : enforcement::cycleStart(candidate, r.ts);
        Window& w = windows[key];
        if (w.index == index) {
            ++w.count;
        } else {
            w.previous = (rule && w.index == index - 1) ? w.count : 0;
            w.count = 1;
            w.index = index;
        }
        std::int64_t& load = out.load[out.of[k]];
        load = std::max(load, sliding ? w.previous + w.count : w.count);
    }
    return out;
}

} // namespace qc::simulation::detail
