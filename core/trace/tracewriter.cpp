// Trace writing in the forms readTrace() reads: what goes out comes back as the same requests.

#include "columns_p.h"
#include "enforcement/civildate.h"
#include "enforcement/jsontext.h"
#include "policy/policyjson.h"
#include "trace.h"

#include <QIODevice>

#include <charconv>

namespace ef = qc::enforcement;

namespace qc::trace {

namespace {

constexpr std::size_t kFlushBytes = 1 << 20;

void appendInt(std::string& out, std::int64_t value)
{
    char buffer[24];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, end);
}

void appendPadded(std::string& out, std::int64_t value, int width)
{
    char buffer[8];
    for (int i = width - 1; i >= 0; --i) {
        buffer[i] = char('0' + value % 10);
        value /= 10;
    }
    out.append(buffer, std::size_t(width));
}

bool needsQuotes(std::string_view text)
{
    for (const char c : text) {
        if (c == ',' || c == '"' || c == '\n' || c == '\r')
            return true;
    }
    return false;
}

void appendCsvCell(std::string& out, std::string_view text)
{
    if (!needsQuotes(text)) {
        out.append(text);
        return;
    }
    out.push_back('"');
    for (const char c : text) {
        if (c == '"')
            out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
}

bool flush(std::string& buffer, QIODevice& device, bool force)
{
    if (buffer.size() < kFlushBytes && !force)
        return true;
    const bool ok = device.write(buffer.data(), qint64(buffer.size())) == qint64(buffer.size());
    buffer.clear();
    return ok;
}

// The text cells of a request, in column order.
struct Cells {
    std::string_view requestId, ip, forwardedFor, user, plan, endpoint, method, userAgent, country,
        idempotencyKey, requestHash, model;
};

Cells cellsOf(const ef::Dictionary& d, const ef::EncodedRequest& r)
{
    return { d.text(ef::Field::RequestId, r.requestId), d.text(ef::Field::Ip, r.ip),
        d.text(ef::Field::ForwardedFor, r.forwardedFor), d.text(ef::Field::User, r.user),
        d.text(ef::Field::Plan, r.plan), d.text(ef::Field::Endpoint, r.endpoint),
        d.text(ef::Field::Method, r.method), d.text(ef::Field::UserAgent, r.userAgent),
        d.text(ef::Field::Country, r.country), d.text(ef::Field::IdempotencyKey, r.idempotencyKey),
        d.text(ef::Field::RequestHash, r.requestHash), d.text(ef::Field::Model, r.model) };
}

void appendUsd(std::string& out, ef::MicroUsd micro)
{
    // Same text as qc::policy::formatUsd, without a QString per row.
    if (micro < 0) {
        out.push_back('-');
        micro = -micro;
    }
    appendInt(out, micro / 1'000'000);
    out.push_back('.');
    std::int64_t fraction = micro % 1'000'000;
    int digits = 6;
    while (digits > 1 && fraction % 10 == 0) {
        fraction /= 10;
        --digits;
    }
    appendPadded(out, fraction, digits);
}

std::string_view decisionWord(const RecordedDecision& r)
{
    return r.allowed ? "allowed" : "denied";
}

} // namespace

const std::vector<std::string_view>& columnNames()
{
    static const std::vector<std::string_view> names = [] {
        std::vector<std::string_view> out;
        for (const ColumnName& c : kColumnNames)
            out.push_back(c.name);
        return out;
    }();
    return names;
}

void appendTimestamp(std::string& out, ef::TimeMs ts)
{
    const std::int64_t days = ef::floorDiv(ts, ef::kDay);
    const ef::CivilDate date = ef::civilFromDays(days);
    if (date.year < 0 || date.year > 9999) {
        appendInt(out, ts); // RFC 3339 has four-digit years; epoch milliseconds read back too
        return;
    }
    std::int64_t rest = ts - days * ef::kDay;
    appendPadded(out, date.year, 4);
    out.push_back('-');
    appendPadded(out, date.month, 2);
    out.push_back('-');
    appendPadded(out, date.day, 2);
    out.push_back('T');
    appendPadded(out, rest / ef::kHour, 2);
    rest %= ef::kHour;
    out.push_back(':');
    appendPadded(out, rest / ef::kMinute, 2);
    rest %= ef::kMinute;
    out.push_back(':');
    appendPadded(out, rest / ef::kSecond, 2);
    out.push_back('.');
    appendPadded(out, rest % ef::kSecond, 3);
    out.push_back('Z');
}

bool writeCsv(const Trace& trace, QIODevice& device)
{
    const bool withDecisions = !trace.recorded.empty();
    std::string buffer;
    buffer.reserve(kFlushBytes + 4096);
    const auto& names = columnNames();
    const std::size_t columnCount = withDecisions ? names.size() : names.size() - 4;
    for (std::size_t i = 0; i < columnCount; ++i) {
        if (i)
            buffer.push_back(',');
        buffer.append(names[i]);
    }
    buffer.push_back('\n');
    const ef::Dictionary& dict = *trace.dictionary;
    bool ok = true;
    for (std::size_t i = 0; i < trace.requests.size() && ok; ++i) {
        const ef::EncodedRequest& r = trace.requests[i];
        const Cells c = cellsOf(dict, r);
        appendTimestamp(buffer, r.ts);
        for (std::string_view text : { c.requestId, c.ip, c.forwardedFor, c.user, c.plan,
                 c.endpoint, c.method, c.userAgent, c.country, c.idempotencyKey, c.requestHash }) {
            buffer.push_back(',');
            appendCsvCell(buffer, text);
        }
        buffer.push_back(',');
        if (r.costMicroUsd >= 0)
            appendUsd(buffer, r.costMicroUsd);
        buffer.push_back(',');
        if (r.tokens != 0)
            appendInt(buffer, r.tokens);
        buffer.push_back(',');
        appendCsvCell(buffer, c.model);
        buffer.push_back(',');
        if (r.responseMs != 0)
            appendInt(buffer, r.responseMs);
        if (withDecisions) {
            const RecordedDecision& d = trace.recorded[i];
            buffer.push_back(',');
            if (d.present && d.status != 0)
                appendInt(buffer, d.status);
            buffer.push_back(',');
            if (d.present)
                buffer.append(decisionWord(d));
            buffer.push_back(',');
            if (d.present && d.hasReason)
                buffer.append(ef::toString(d.reason));
            buffer.push_back(',');
            if (d.present)
                appendCsvCell(buffer, trace.ruleName(d.rule));
        }
        buffer.push_back('\n');
        ok = flush(buffer, device, false);
    }
    return ok && flush(buffer, device, true);
}

bool writeJsonl(const Trace& trace, QIODevice& device)
{
    const bool withDecisions = !trace.recorded.empty();
    std::string buffer;
    buffer.reserve(kFlushBytes + 4096);
    const ef::Dictionary& dict = *trace.dictionary;
    bool ok = true;
    for (std::size_t i = 0; i < trace.requests.size() && ok; ++i) {
        const ef::EncodedRequest& r = trace.requests[i];
        const Cells c = cellsOf(dict, r);
        buffer += "{\"ts\":\"";
        appendTimestamp(buffer, r.ts);
        buffer.push_back('"');
        const auto text = [&buffer](std::string_view key, std::string_view value) {
            if (value.empty())
                return;
            buffer += ",\"";
            buffer += key;
            buffer += "\":";
            ef::appendJsonString(buffer, value);
        };
        const auto number = [&buffer](std::string_view key, std::int64_t value) {
            buffer += ",\"";
            buffer += key;
            buffer += "\":";
            appendInt(buffer, value);
        };
        text("request_id", c.requestId);
        text("ip", c.ip);
        text("forwarded_for", c.forwardedFor);
        text("user_id", c.user);
        text("plan", c.plan);
        text("endpoint", c.endpoint);
        text("method", c.method);
        text("user_agent", c.userAgent);
        text("country", c.country);
        text("idempotency_key", c.idempotencyKey);
        text("request_hash", c.requestHash);
        if (r.costMicroUsd >= 0) {
            buffer += ",\"cost_usd\":";
            appendUsd(buffer, r.costMicroUsd);
        }
        if (r.tokens != 0)
            number("tokens", r.tokens);
        text("model", c.model);
        if (r.responseMs != 0)
            number("response_ms", r.responseMs);
        if (withDecisions && trace.recorded[i].present) {
            const RecordedDecision& d = trace.recorded[i];
            if (d.status != 0)
                number("status", d.status);
            text("decision", decisionWord(d));
            if (d.hasReason)
                text("reason", ef::toString(d.reason));
            text("rule", trace.ruleName(d.rule));
        }
        buffer += "}\n";
        ok = flush(buffer, device, false);
    }
    return ok && flush(buffer, device, true);
}

} // namespace qc::trace
