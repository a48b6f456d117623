#include "decisionwriter.h"

#include "enforcement/jsontext.h"

#include <QIODevice>

#include <charconv>

namespace qc::simulation {

namespace {

constexpr std::size_t kFlushAt = 1 << 20;

void appendInt(std::string& out, std::int64_t value)
{
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, result.ptr);
}

// µUSD as exact decimal dollars: 2345 → 0.002345, 1000000 → 1.000000.
void appendMicroUsd(std::string& out, enforcement::MicroUsd value)
{
    if (value < 0) {
        out.push_back('-');
        value = -value;
    }
    appendInt(out, value / 1000000);
    out.push_back('.');
    char frac[6];
    std::int64_t rest = value % 1000000;
    for (int i = 5; i >= 0; --i) {
        frac[i] = static_cast<char>('0' + rest % 10);
        rest /= 10;
    }
    out.append(frac, 6);
}

} // namespace

DecisionWriter::DecisionWriter(
    const enforcement::Policy& policy, const enforcement::Dictionary& dictionary, QIODevice& device)
    : m_dictionary(dictionary)
    , m_device(device)
{
    m_buffer.reserve(kFlushAt + 4096);
    for (const enforcement::Rule& rule : policy.rules) {
        std::string quoted;
        enforcement::appendJsonString(quoted, rule.id);
        m_ruleIds.push_back(std::move(quoted));
    }
    for (int r = 0; r < enforcement::kReasonCount; ++r) {
        std::string quoted;
        enforcement::appendJsonString(
            quoted, enforcement::toString(static_cast<enforcement::Reason>(r)));
        m_reasons.push_back(std::move(quoted));
    }
}

DecisionWriter::~DecisionWriter()
{
    flush();
}

void DecisionWriter::format(std::string& out, const enforcement::EncodedRequest& request,
    const enforcement::Decision& decision) const
{
    out.append("{\"request_id\":");
    enforcement::appendJsonString(
        out, m_dictionary.text(enforcement::Field::RequestId, request.requestId));
    out.append(",\"ts\":");
    appendInt(out, request.ts);
    out.append(
        decision.allowed ? ",\"allowed\":true,\"status\":" : ",\"allowed\":false,\"status\":");
    appendInt(out, decision.status);
    out.append(",\"reason\":");
    out.append(m_reasons[static_cast<std::size_t>(decision.reason)]);
    out.append(",\"rule\":");
    if (decision.rule >= 0 && static_cast<std::size_t>(decision.rule) < m_ruleIds.size())
        out.append(m_ruleIds[static_cast<std::size_t>(decision.rule)]);
    else
        out.append("\"\"");
    out.append(",\"limit\":");
    appendInt(out, decision.limit);
    out.append(",\"remaining\":");
    appendInt(out, decision.remaining);
    out.append(",\"reset_at\":");
    appendInt(out, decision.resetAt);
    out.append(",\"retry_after_s\":");
    appendInt(out, decision.retryAfterS);
    if (decision.wouldDeny >= 0
        && static_cast<std::size_t>(decision.wouldDeny) < m_ruleIds.size()) {
        out.append(",\"would_deny\":");
        out.append(m_ruleIds[static_cast<std::size_t>(decision.wouldDeny)]);
    }
    if (decision.collision != enforcement::CollisionNone) {
        out.append(",\"collision\":\"");
        out.append(enforcement::collisionKind(decision.collision));
        out.push_back('"');
    }
    if (decision.costMicroUsd != 0) {
        out.append(",\"cost_usd\":");
        appendMicroUsd(out, decision.costMicroUsd);
    }
    if (decision.incidents != 0) {
        out.append(",\"incidents\":");
        appendInt(out, decision.incidents);
    }
    out.append("}\n");
}

void DecisionWriter::decided(
    std::size_t, const enforcement::EncodedRequest& request, const enforcement::Decision& decision)
{
    format(m_buffer, request, decision);
    ++m_rows;
    if (m_buffer.size() >= kFlushAt)
        flush();
}

bool DecisionWriter::flush()
{
    if (m_buffer.empty())
        return m_error.isEmpty();
    const auto size = static_cast<qint64>(m_buffer.size());
    if (m_error.isEmpty() && m_device.write(m_buffer.data(), size) != size)
        m_error = m_device.errorString();
    m_buffer.clear();
    return m_error.isEmpty();
}

} // namespace qc::simulation
