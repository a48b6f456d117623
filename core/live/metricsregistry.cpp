#include "metricsregistry.h"

#include <charconv>
#include <cstdio>

namespace qc::live {

namespace {

using qc::metrics::ExpositionFormat;

void appendDouble(std::string& out, double value)
{
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

void appendUnsigned(std::string& out, std::uint64_t value)
{
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

// Micro-dollars as an exact decimal number of dollars.
void appendMicroUsd(std::string& out, qc::enforcement::MicroUsd value)
{
    char buffer[40];
    const bool negative = value < 0;
    const auto magnitude = static_cast<unsigned long long>(negative ? -value : value);
    const int n = std::snprintf(buffer, sizeof buffer, "%s%llu.%06llu", negative ? "-" : "",
        magnitude / 1000000ULL, magnitude % 1000000ULL);
    out.append(buffer, std::size_t(n));
}

// Label values escape backslash, double quote and line feed in both formats.
void appendLabelValue(std::string& out, std::string_view value)
{
    for (const char c : value) {
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '"':
            out += "\\\"";
            break;
        case '\n':
            out += "\\n";
            break;
        default:
            out += c;
        }
    }
}

struct Family {
    const char* name; // the sample name without _total
    const char* type;
    const char* unit; // OpenMetrics only; nullptr = none
    const char* help;
};

constexpr Family kCheckDuration { "quota_check_duration_seconds", "histogram", "seconds",
    "Time the quota check took as the service measured it, until its answer or its error." };
constexpr Family kDecisions { "quota_decisions", "counter", nullptr,
    "Requests decided, by decision (allowed/denied), reason code and endpoint." };
constexpr Family kIdempotencyRequests { "quota_idempotency_requests", "counter", nullptr,
    "Requests that carried an idempotency key." };
constexpr Family kCollisions { "quota_idempotency_collisions", "counter", nullptr,
    "Idempotency keys reused with a different request body, by kind (parameters, late, "
    "user_agent)." };
constexpr Family kRateLimitHits { "quota_rate_limit_hits", "counter", nullptr,
    "Requests denied by a rate-limit rule, by the denying rule." };
constexpr Family kDbErrors { "quota_db_errors", "counter", nullptr,
    "Calls to the quota database that failed (the service then applied fail_mode)." };
constexpr Family kCost { "quota_cost_usd", "counter", nullptr,
    "Cost of allowed requests in US dollars, by endpoint." };
constexpr Family kIncidents { "quota_abuse_incidents", "counter", nullptr,
    "Abuse incidents raised, by pattern and action (log, alert, block, escalate)." };

void appendHeader(std::string& out, const Family& family, ExpositionFormat format)
{
    const bool om = format == ExpositionFormat::OpenMetrics;
    const bool counter = std::string_view(family.type) == "counter";
    // Text 0.0.4 names a counter family after its sample (quota_decisions_total); OpenMetrics
    // names the family without the _total suffix.
    const std::string name = std::string(family.name) + (counter && !om ? "_total" : "");
    out += "# HELP ";
    out += name;
    out += ' ';
    out += family.help;
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += family.type;
    out += '\n';
    if (om && family.unit) {
        out += "# UNIT ";
        out += name;
        out += ' ';
        out += family.unit;
        out += '\n';
    }
}

void appendSample(std::string& out, std::string_view name,
    std::initializer_list<std::pair<std::string_view, std::string_view>> labels)
{
    out += name;
    if (labels.size() > 0) {
        out += '{';
        bool first = true;
        for (const auto& [key, value] : labels) {
            if (!first)
                out += ',';
            first = false;
            out += key;
            out += "=\"";
            appendLabelValue(out, value);
            out += '"';
        }
        out += '}';
    }
    out += ' ';
}

std::string boundText(double ms, ExpositionFormat format)
{
    std::string text;
    appendDouble(text, ms / 1000.0);
    // OpenMetrics asks for canonical floats in `le`: 1.0 rather than 1.
    if (format == ExpositionFormat::OpenMetrics && text.find_first_of(".e") == std::string::npos)
        text += ".0";
    return text;
}

} // namespace

int checkBucketOf(double milliseconds)
{
    for (std::size_t i = 0; i < kCheckBoundsMs.size(); ++i) {
        if (milliseconds <= kCheckBoundsMs[i])
            return int(i);
    }
    return int(kCheckBoundsMs.size());
}

MetricsRegistry::MetricsRegistry()
{
    for (const char* kind : { "parameters", "late", "user_agent" })
        m_values.collisions[kind] = 0;
}

void MetricsRegistry::declareRules(const std::vector<std::string>& ruleIds)
{
    std::lock_guard lock(m_mutex);
    for (const std::string& id : ruleIds)
        m_values.rateLimitHits.try_emplace(id, 0);
}

void MetricsRegistry::declarePatterns(const std::vector<std::array<std::string, 2>>& patterns)
{
    std::lock_guard lock(m_mutex);
    for (const auto& key : patterns)
        m_values.incidents.try_emplace(key, 0);
}

void MetricsRegistry::countIncident(std::string_view pattern, std::string_view action)
{
    std::lock_guard lock(m_mutex);
    ++m_values.incidents[{ std::string(pattern), std::string(action) }];
}

void MetricsRegistry::record(const RequestOutcome& outcome)
{
    std::lock_guard lock(m_mutex);
    MetricsSnapshot& v = m_values;
    ++v.checkBuckets[std::size_t(checkBucketOf(outcome.checkMs))];
    v.checkSumSeconds += outcome.checkMs / 1000.0;
    ++v.checkCount;
    ++v.decisions[{ std::string(outcome.allowed ? "allowed" : "denied"),
        std::string(outcome.reason), std::string(outcome.endpoint) }];
    if (outcome.hasIdempotencyKey)
        ++v.idempotencyRequests;
    if (!outcome.collisionKind.empty())
        ++v.collisions[std::string(outcome.collisionKind)];
    if (outcome.reason == "rate_limited" && !outcome.rule.empty())
        ++v.rateLimitHits[std::string(outcome.rule)];
    if (outcome.allowed) {
        auto [it, inserted] = v.costMicroUsd.try_emplace(std::string(outcome.endpoint), 0);
        it->second += outcome.costMicroUsd;
    }
}

void MetricsRegistry::countDbError(std::uint64_t count)
{
    std::lock_guard lock(m_mutex);
    m_values.dbErrors += count;
}

MetricsSnapshot MetricsRegistry::snapshot() const
{
    std::lock_guard lock(m_mutex);
    return m_values;
}

QByteArray MetricsRegistry::render(ExpositionFormat format) const
{
    return render(snapshot(), format);
}

QByteArray MetricsRegistry::render(const MetricsSnapshot& v, ExpositionFormat format)
{
    std::string out;
    out.reserve(4096 + 160 * v.decisions.size());

    appendHeader(out, kCheckDuration, format);
    std::uint64_t cumulative = 0;
    for (int i = 0; i < kCheckBucketCount; ++i) {
        cumulative += v.checkBuckets[std::size_t(i)];
        const std::string le = i < int(kCheckBoundsMs.size())
            ? boundText(kCheckBoundsMs[std::size_t(i)], format)
            : std::string("+Inf");
        appendSample(out, "quota_check_duration_seconds_bucket", { { "le", le } });
        appendUnsigned(out, cumulative);
        out += '\n';
    }
    out += "quota_check_duration_seconds_sum ";
    appendDouble(out, v.checkSumSeconds);
    out += "\nquota_check_duration_seconds_count ";
    appendUnsigned(out, v.checkCount);
    out += '\n';

    appendHeader(out, kDecisions, format);
    for (const auto& [key, count] : v.decisions) {
        appendSample(out, "quota_decisions_total",
            { { "decision", key[0] }, { "reason", key[1] }, { "endpoint", key[2] } });
        appendUnsigned(out, count);
        out += '\n';
    }

    appendHeader(out, kIdempotencyRequests, format);
    out += "quota_idempotency_requests_total ";
    appendUnsigned(out, v.idempotencyRequests);
    out += '\n';

    appendHeader(out, kCollisions, format);
    for (const auto& [kind, count] : v.collisions) {
        appendSample(out, "quota_idempotency_collisions_total", { { "kind", kind } });
        appendUnsigned(out, count);
        out += '\n';
    }

    appendHeader(out, kRateLimitHits, format);
    for (const auto& [rule, count] : v.rateLimitHits) {
        appendSample(out, "quota_rate_limit_hits_total", { { "rule", rule } });
        appendUnsigned(out, count);
        out += '\n';
    }

    appendHeader(out, kDbErrors, format);
    out += "quota_db_errors_total ";
    appendUnsigned(out, v.dbErrors);
    out += '\n';

    appendHeader(out, kCost, format);
    for (const auto& [endpoint, micro] : v.costMicroUsd) {
        appendSample(out, "quota_cost_usd_total", { { "endpoint", endpoint } });
        appendMicroUsd(out, micro);
        out += '\n';
    }

    appendHeader(out, kIncidents, format);
    for (const auto& [key, count] : v.incidents) {
        appendSample(
            out, "quota_abuse_incidents_total", { { "pattern", key[0] }, { "action", key[1] } });
        appendUnsigned(out, count);
        out += '\n';
    }

    if (format == ExpositionFormat::OpenMetrics)
        out += "# EOF\n";
    return QByteArray(out.data(), qsizetype(out.size()));
}

} // namespace qc::live
