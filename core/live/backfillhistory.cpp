#include "backfillhistory.h"

#include "costmodel.h"
#include "enforcement/clientaddress.h"
#include "enforcement/jsontext.h"
#include "pgsession.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <tuple>

namespace ef = qc::enforcement;

namespace qc::live {

namespace {

std::uint64_t mix64(std::uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

} // namespace

std::size_t History::ShapeHash::operator()(const std::array<std::uint32_t, 6>& a) const
{
    std::uint64_t h = 0;
    for (const std::uint32_t v : a)
        h = mix64(h ^ v);
    return std::size_t(h);
}

History::History(
    const ef::Policy& policy, ef::Dictionary& dictionary, ef::TimeMs endMs, quint64 seed)
    : m_policy(policy)
    , m_dict(dictionary)
    , m_endMs(endMs)
    , m_idSeed(mix64(seed ^ 0xbac4f111ULL))
    , m_latencyState(mix64(seed ^ 0x1a7e4c7ULL))
{
    for (const ef::Rule& rule : policy.rules) {
        if (rule.algorithm == ef::Algorithm::FixedWindow)
            m_maxFixedWindow = std::max(m_maxFixedWindow, rule.windowMs);
    }
    for (const ef::EndpointMetric& entry : policy.endpointMetrics) {
        if (std::find(m_metricNames.begin(), m_metricNames.end(), entry.metric)
            == m_metricNames.end())
            m_metricNames.push_back(entry.metric);
    }
    m_ledger.reserve(1 << 16);
    // Quantiles of the simulated check latency: log-normal, median 2 ms, sigma 0.55, found by
    // bisection on the normal distribution (once; a table lookup per request afterwards).
    m_latencyTable.resize(4096);
    for (std::size_t i = 0; i < m_latencyTable.size(); ++i) {
        const double p = (double(i) + 0.5) / double(m_latencyTable.size());
        double lo = -8;
        double hi = 8;
        for (int step = 0; step < 60; ++step) {
            const double mid = (lo + hi) / 2;
            if (0.5 * std::erfc(-mid / std::numbers::sqrt2) < p)
                lo = mid;
            else
                hi = mid;
        }
        m_latencyTable[i] = std::exp(std::log(2.0) + 0.55 * (lo + hi) / 2);
    }
}

History::~History() = default;

void History::startDay(
    ef::TimeMs dayStart, std::size_t expectedRows, std::unique_ptr<DayBatch> reuse)
{
    m_batch = reuse ? std::move(reuse) : std::make_unique<DayBatch>();
    m_batch->logs.clear();
    m_batch->minute.clear();
    m_batch->identifier.clear();
    m_batch->requests = 0;
    m_batch->dayStart = dayStart;
    m_batch->logs.reserve(expectedRows * 420); // a binary row is about 400 bytes
    m_logWriter = std::make_unique<CopyWriter>(m_batch->logs);
    m_rollups = std::make_unique<DayRollups>(dayStart);
}

std::unique_ptr<DayBatch> History::takeBatch()
{
    m_logWriter->finish();
    m_logWriter.reset();
    m_rollups->finish();
    m_minuteRows += m_rollups->minuteCount();
    m_identifierRows += m_rollups->identifierCount();
    m_batch->minute = std::move(m_rollups->minuteRows());
    m_batch->identifier = std::move(m_rollups->identifierRows());
    m_rollups.reset();
    return std::move(m_batch);
}

void History::add(const ef::EncodedRequest& r, const ef::Decision& d, ef::Engine& engine)
{
    const std::string_view requestId = nextRequestId();
    const ef::Request text = ef::decode(m_dict, r);
    LogRow row;
    RollupKeys keys;
    row.ts = r.ts;
    row.requestId = requestId;
    row.endpoint = text.endpoint;
    row.method = text.method;
    row.userId = text.userId;
    if (r.user != 0)
        std::tie(row.plan, keys.plan) = loggedPlan(r.plan);
    row.ip = text.ip;
    row.forwardedFor = text.forwardedFor;
    row.userAgent = text.userAgent;
    row.country = text.country;
    row.idempotencyKey = text.idempotencyKey;
    row.requestHash = text.requestHash;
    row.quotaCheckMs = simulatedCheckMs();
    row.allowed = d.allowed;
    row.status = d.status;
    row.reason = ef::toString(d.reason);
    if (d.rule >= 0)
        row.rule = m_policy.rules[std::size_t(d.rule)].id;
    if (d.wouldDeny >= 0)
        row.wouldDeny = m_policy.rules[std::size_t(d.wouldDeny)].id;
    row.collision = d.collision;
    // Handled only when allowed: a denied request is answered at once and costs nothing.
    row.costMicroUsd = d.allowed ? d.costMicroUsd : 0;
    row.responseMs = d.allowed ? r.responseMs : 0;
    row.tokens = d.allowed ? r.tokens : 0;
    row.model = text.model;
    keys.endpoint = r.endpoint;
    keys.reason = std::uint32_t(d.reason);
    keys.ip = r.ip;
    keys.user = r.user;
    writeLogRow(*m_logWriter, row);
    m_rollups->add(row, keys);
    ++m_batch->requests;
    ++m_requests;
    m_denied += d.allowed ? 0 : 1;

    if (d.incidents > 0) {
        for (ef::Incident& incident : engine.takeIncidents()) {
            IncidentRow out;
            out.incident = std::move(incident);
            out.requestId = std::string(requestId);
            out.endpoint = std::string(text.endpoint);
            out.userId = std::string(text.userId);
            out.clientKey = m_clientKeys[clientKeyIdOf(r)];
            m_incidents.push_back(std::move(out));
        }
    }
    if (r.idempotencyKey != 0 && d.reason != ef::Reason::Skipped
        && d.reason != ef::Reason::InvalidIdentifier && d.reason != ef::Reason::Blocked)
        trackIdempotency(r, text, d);
    if (d.reason == ef::Reason::Admitted && r.user != 0) {
        if (const int metric = metricIndexOf(r.endpoint); metric >= 0) {
            const std::size_t slot
                = std::size_t(r.user) * m_metricNames.size() + std::size_t(metric);
            if (slot >= m_usage.size())
                m_usage.resize(std::max(slot + 1, m_usage.size() * 2));
            Usage& usage = m_usage[slot];
            if (r.ts >= usage.cycleEnd) {
                // A new billing cycle: the last one's usage is final.
                if (usage.used > 0)
                    m_pastUsage.push_back({ r.user, metric, usage });
                usage.cycleStart = ef::cycleStart(m_policy, r.ts);
                usage.cycleEnd = ef::cycleEnd(m_policy, r.ts);
                usage.used = 0;
            }
            ++usage.used;
            usage.last = r.ts;
        }
    }
    if (m_maxFixedWindow > 0 && r.ts >= m_endMs - m_maxFixedWindow)
        m_shapes.insert({ r.ip, r.forwardedFor, r.user, r.plan, r.endpoint, r.method });
}

std::string_view History::nextRequestId()
{
    std::uint64_t v = mix64(m_idSeed + ++m_sequence);
    static constexpr char kHex[] = "0123456789abcdef";
    m_requestId = { 'r', 'e', 'q', '-' };
    for (int i = 19; i >= 4; --i) {
        m_requestId[std::size_t(i)] = kHex[v & 0xf];
        v >>= 4;
    }
    return std::string_view(m_requestId.data(), m_requestId.size());
}

// A plausible quota-check latency: log-normal around 2 ms with a rare slow tail, in steps of
// 1/1024 ms so that sums are exact in any order (the rollups then equal the raw logs to the
// last bit, whoever adds them up).
double History::simulatedCheckMs()
{
    m_latencyState = mix64(m_latencyState);
    double ms = m_latencyTable[std::size_t(m_latencyState & 4095)];
    if (((m_latencyState >> 12) & 1023) < 3) // about 0.3 %: a slow check
        ms += 40 + double(m_latencyState >> 54) * 0.3;
    return std::max(1.0, std::round(ms * 1024)) / 1024;
}

std::pair<std::string_view, std::uint32_t> History::loggedPlan(std::uint32_t planId)
{
    if (planId >= m_planOf.size())
        m_planOf.resize(std::size_t(planId) + 1);
    auto& cached = m_planOf[planId];
    if (!cached) {
        int index = m_policy.planIndex(m_dict.text(ef::Field::Plan, planId));
        if (index < 0)
            index = m_policy.planIndex(m_policy.defaultPlan);
        cached = index >= 0
            ? std::pair<std::string_view, std::uint32_t>(
                m_policy.plans[std::size_t(index)].name, std::uint32_t(index + 1))
            : std::pair<std::string_view, std::uint32_t>(m_policy.defaultPlan, 0xfff);
    }
    return *cached;
}

int History::metricIndexOf(std::uint32_t endpointId)
{
    if (endpointId >= m_metricOfEndpoint.size())
        m_metricOfEndpoint.resize(std::size_t(endpointId) + 1, -2);
    int& cached = m_metricOfEndpoint[endpointId];
    if (cached == -2) {
        const auto metric = metricOf(m_policy, m_dict.text(ef::Field::Endpoint, endpointId));
        cached = -1;
        if (metric) {
            const auto it = std::find(m_metricNames.begin(), m_metricNames.end(), *metric);
            if (it != m_metricNames.end())
                cached = int(it - m_metricNames.begin());
        }
    }
    return cached;
}

std::uint32_t History::clientKeyIdOf(const ef::EncodedRequest& r)
{
    const std::uint64_t key = (std::uint64_t(r.ip) << 32) | r.forwardedFor;
    if (const auto it = m_clientKeyOf.find(key); it != m_clientKeyOf.end())
        return it->second;
    const auto address = ef::clientAddressOf(m_policy, m_dict.text(ef::Field::Ip, r.ip),
        m_dict.text(ef::Field::ForwardedFor, r.forwardedFor));
    std::string text = address ? ef::clientKey(*address) : std::string();
    const auto [pos, inserted]
        = m_clientKeyIds.try_emplace(text, std::uint32_t(m_clientKeys.size()));
    if (inserted)
        m_clientKeys.push_back(std::move(text));
    m_clientKeyOf.emplace(key, pos->second);
    return pos->second;
}

void History::trackIdempotency(
    const ef::EncodedRequest& r, const ef::Request& text, const ef::Decision& d)
{
    const ef::TimeMs ttl = m_policy.idempotencyTtlMs;
    while (!m_expiry.empty() && m_expiry.front().first <= r.ts) {
        const auto it = m_ledger.find(m_expiry.front().second);
        if (it != m_ledger.end() && it->second.firstSeen + ttl <= r.ts)
            m_ledger.erase(it);
        m_expiry.pop_front();
    }
    // Scope ids: users by their dictionary id, anonymous clients by their client key.
    const std::uint64_t scopeKey = r.user != 0 ? (std::uint64_t(r.user) | (std::uint64_t(1) << 62))
                                               : std::uint64_t(clientKeyIdOf(r));
    auto [scope, inserted] = m_scopeOf.try_emplace(scopeKey, std::uint32_t(m_scopes.size()));
    if (inserted)
        m_scopes.push_back(r.user != 0 ? "user:" + std::string(text.userId)
                                       : "ip:" + m_clientKeys[clientKeyIdOf(r)]);
    const std::uint64_t ledgerKey = (std::uint64_t(scope->second) << 32) | r.idempotencyKey;
    auto it = m_ledger.find(ledgerKey);
    const bool live = it != m_ledger.end() && r.ts < it->second.firstSeen + ttl;
    if (d.collision != 0 && live) {
        ++it->second.collisions;
        appendCollision(r, text, d, it->second);
    }
    if (d.reason == ef::Reason::Admitted && !live) {
        LedgerEntry e;
        e.scope = scope->second;
        e.key = r.idempotencyKey;
        e.firstSeen = r.ts;
        e.requestId = m_requestId;
        e.requestHash = r.requestHash;
        e.userAgent = r.userAgent;
        e.endpoint = r.endpoint;
        e.limit = d.limit;
        e.remaining = d.remaining;
        e.resetAt = d.resetAt;
        m_ledger[ledgerKey] = e;
        m_expiry.emplace_back(r.ts + ttl, ledgerKey);
    }
}

void History::appendCollision(const ef::EncodedRequest& r, const ef::Request& text,
    const ef::Decision& d, const LedgerEntry& e)
{
    std::string& out = m_collisions;
    const int flags = d.collision;
    appendTimestamp(out, r.ts);
    out += '\t';
    appendCopyText(out, m_scopes[e.scope]);
    out += '\t';
    appendCopyText(out, text.idempotencyKey);
    out += '\t';
    out.append(m_requestId.data(), m_requestId.size());
    out += '\t';
    out.append(e.requestId.data(), e.requestId.size());
    out += '\t';
    appendInteger(out, flags);
    out += '\t';
    out += ef::collisionKind(std::uint8_t(flags));
    out += "\tt\t";
    out += (flags & ef::CollisionLate) ? 't' : 'f';
    out += '\t';
    out += (flags & ef::CollisionUserAgent) ? 't' : 'f';
    out += '\t';
    out += ef::toString(m_policy.onConflict);
    out += '\t';
    if (text.userId.empty())
        out += "\\N";
    else
        appendCopyText(out, text.userId);
    out += '\t';
    appendCopyText(out, m_clientKeys[clientKeyIdOf(r)]);
    out += '\t';
    appendCopyText(out, text.endpoint);
    out += '\t';
    std::string method(text.method);
    std::transform(method.begin(), method.end(), method.begin(),
        [](unsigned char c) { return char(std::toupper(c)); });
    appendCopyText(out, method);
    out += '\t';
    appendCopyText(out, m_dict.text(ef::Field::RequestHash, e.requestHash));
    out += '\t';
    appendCopyText(out, text.requestHash);
    out += '\t';
    appendCopyText(out, m_dict.text(ef::Field::UserAgent, e.userAgent));
    out += '\t';
    appendCopyText(out, text.userAgent);
    out += '\t';
    appendTimestamp(out, e.firstSeen);
    out += '\t';
    appendInteger(out, r.ts - e.firstSeen);
    out += '\t';
    std::string metadata = "{\"first_endpoint\": ";
    ef::appendJsonString(metadata, m_dict.text(ef::Field::Endpoint, e.endpoint));
    metadata += ", \"collision_count\": " + std::to_string(e.collisions)
        + ", \"stored_status\": 200, \"source\": \"backfill\"}";
    appendCopyText(out, metadata);
    out += '\n';
    ++m_collisionCount;
}

std::string History::usageRows(std::uint64_t* count) const
{
    std::string out;
    const auto append = [&](std::uint32_t user, int metric, const Usage& usage) {
        appendCopyText(out, m_dict.text(ef::Field::User, user));
        out += '\t';
        appendCopyText(out, m_metricNames[std::size_t(metric)]);
        out += '\t';
        appendTimestamp(out, usage.cycleStart);
        out += '\t';
        appendInteger(out, usage.used);
        out += '\t';
        appendTimestamp(out, usage.last);
        out += '\n';
        ++*count;
    };
    for (const PastUsage& past : m_pastUsage)
        append(past.user, past.metric, past.usage);
    const std::size_t metrics = std::max<std::size_t>(1, m_metricNames.size());
    for (std::size_t slot = 0; slot < m_usage.size(); ++slot) {
        if (m_usage[slot].used > 0)
            append(std::uint32_t(slot / metrics), int(slot % metrics), m_usage[slot]);
    }
    return out;
}

std::string History::counterRows(const ef::Engine& engine, std::uint64_t* count) const
{
    // (rule id, identifier, endpoint) → (count, rule index), as quota.rate_counters keys them.
    std::map<std::tuple<std::string, std::string, std::string>, std::pair<std::int64_t, int>> rows;
    for (const auto& shape : m_shapes) {
        ef::EncodedRequest encoded;
        encoded.ts = m_endMs;
        encoded.ip = shape[0];
        encoded.forwardedFor = shape[1];
        encoded.user = shape[2];
        encoded.plan = shape[3];
        encoded.endpoint = shape[4];
        encoded.method = shape[5];
        const ef::Request request = ef::decode(m_dict, encoded);
        const auto address = ef::clientAddressOf(m_policy, request.ip, request.forwardedFor);
        const std::string clientKey = address ? ef::clientKey(*address) : std::string();
        for (const ef::RuleStatus& status : engine.ruleStatus(request)) {
            const ef::Rule& rule = m_policy.rules[std::size_t(status.rule)];
            if (rule.algorithm != ef::Algorithm::FixedWindow || status.limit <= 0)
                continue;
            const std::int64_t used = status.limit - status.remaining;
            if (used <= 0)
                continue;
            std::string identifier;
            std::string endpoint;
            switch (rule.scope) {
            case ef::Scope::Ip:
                identifier = clientKey;
                break;
            case ef::Scope::User:
                identifier = std::string(request.userId);
                break;
            case ef::Scope::UserEndpoint:
                identifier = std::string(request.userId);
                endpoint = std::string(request.endpoint);
                break;
            case ef::Scope::IpEndpoint:
                identifier = clientKey;
                endpoint = std::string(request.endpoint);
                break;
            case ef::Scope::Global:
                break;
            }
            rows[{ rule.id, identifier, endpoint }] = { used, status.rule };
        }
    }
    std::string out;
    for (const auto& [key, value] : rows) {
        const auto& [ruleId, identifier, endpoint] = key;
        const ef::Rule& rule = m_policy.rules[std::size_t(value.second)];
        const std::int64_t index = m_endMs / rule.windowMs;
        appendCopyText(out, ruleId);
        out += '\t';
        appendCopyText(out, identifier);
        out += '\t';
        appendCopyText(out, endpoint);
        out += "\tfixed_window:";
        appendInteger(out, rule.windowMs);
        out += '\t';
        appendInteger(out, index);
        out += "\t0\t";
        appendInteger(out, value.first);
        out += "\t0\t";
        appendInteger(out, m_endMs);
        out += '\t';
        appendInteger(out, (index + 1) * rule.windowMs);
        out += '\n';
        ++*count;
    }
    return out;
}

std::string History::ledgerRows(std::uint64_t* count) const
{
    std::string out;
    for (const auto& [key, e] : m_ledger) {
        if (e.firstSeen + m_policy.idempotencyTtlMs <= m_endMs)
            continue;
        appendCopyText(out, m_scopes[e.scope]);
        out += '\t';
        appendCopyText(out, m_dict.text(ef::Field::IdempotencyKey, e.key));
        out += '\t';
        appendCopyText(out, m_dict.text(ef::Field::RequestHash, e.requestHash));
        out += '\t';
        appendCopyText(out, m_dict.text(ef::Field::UserAgent, e.userAgent));
        out += '\t';
        out.append(e.requestId.data(), e.requestId.size());
        out += '\t';
        appendCopyText(out, m_dict.text(ef::Field::Endpoint, e.endpoint));
        out += '\t';
        appendInteger(out, e.firstSeen);
        out += '\t';
        appendTimestamp(out, e.firstSeen);
        out += "\tt\t200\t\\N\t";
        appendInteger(out, e.limit);
        out += '\t';
        appendInteger(out, e.remaining);
        out += '\t';
        appendInteger(out, e.resetAt);
        out += '\t';
        appendInteger(out, e.collisions);
        out += '\n';
        ++*count;
    }
    return out;
}

} // namespace qc::live
