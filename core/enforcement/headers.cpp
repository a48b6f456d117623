#include "headers.h"

#include "civildate.h"
#include "jsontext.h"

#include <algorithm>

namespace qc::enforcement {

namespace {

std::int64_t ceilDiv(std::int64_t a, std::int64_t b)
{
    return -floorDiv(-a, b);
}

std::string number(std::int64_t value)
{
    return std::to_string(value);
}

void appendPadded(std::string& out, std::int64_t value, int width)
{
    std::string digits = std::to_string(value < 0 ? -value : value);
    if (value < 0)
        out.push_back('-');
    for (int i = static_cast<int>(digits.size()); i < width; ++i)
        out.push_back('0');
    out += digits;
}

// The name and window a decision's limit belongs to: its rule, or the plan quota's metric.
struct LimitSource {
    std::string name;
    std::int64_t windowS = 0;
};

std::string_view metricOf(const Policy& policy, std::string_view endpoint)
{
    for (const EndpointMetric& entry : policy.endpointMetrics) {
        if (anyGlobMatches(entry.endpoints, endpoint))
            return entry.metric;
    }
    return {};
}

LimitSource limitSource(
    const Policy& policy, const Decision& decision, TimeMs ts, std::string_view endpoint)
{
    const int index = decision.headerRule >= 0 ? decision.headerRule : decision.rule;
    if (index >= 0 && static_cast<std::size_t>(index) < policy.rules.size()) {
        const Rule& rule = policy.rules[static_cast<std::size_t>(index)];
        if (rule.algorithm == Algorithm::TokenBucket) {
            // The time a drained bucket takes to refill its whole burst.
            const std::int64_t emissionUs = rule.periodMs * 1000 / rule.rate;
            return { rule.id, ceilDiv(emissionUs * rule.burst, 1000000) };
        }
        return { rule.id, ceilDiv(rule.windowMs, 1000) };
    }
    const std::string_view metric = metricOf(policy, endpoint);
    return { metric.empty() ? std::string("quota") : std::string(metric),
        ceilDiv(cycleEnd(policy, ts) - cycleStart(policy, ts), 1000) };
}

bool parseDigits(std::string_view text, std::size_t pos, std::size_t count, int& out)
{
    if (pos + count > text.size())
        return false;
    int value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        value = value * 10 + (text[i] - '0');
    }
    out = value;
    return true;
}

int daysInMonth(std::int64_t year, int month)
{
    static constexpr int kDays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (month == 2 && (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)))
        return 29;
    return kDays[month - 1];
}

} // namespace

std::vector<std::pair<std::string, std::string>> rateLimitHeaders(
    const Policy& policy, const Decision& decision, TimeMs ts)
{
    return rateLimitHeaders(policy, decision, ts, std::string_view());
}

std::vector<std::pair<std::string, std::string>> rateLimitHeaders(
    const Policy& policy, const Decision& decision, TimeMs ts, std::string_view endpoint)
{
    std::vector<std::pair<std::string, std::string>> headers;
    if (decision.limit < 0)
        return headers;
    const LimitSource source = limitSource(policy, decision, ts, endpoint);
    const std::int64_t remaining = decision.remaining < 0 ? 0 : decision.remaining;
    const std::int64_t untilReset = std::max<std::int64_t>(0, ceilDiv(decision.resetAt - ts, 1000));
    headers.emplace_back("X-RateLimit-Limit", number(decision.limit));
    headers.emplace_back("X-RateLimit-Remaining", number(remaining));
    headers.emplace_back("X-RateLimit-Reset", number(ceilDiv(decision.resetAt, 1000)));
    headers.emplace_back("RateLimit-Policy",
        "\"" + source.name + "\";q=" + number(decision.limit) + ";w=" + number(source.windowS));
    headers.emplace_back(
        "RateLimit", "\"" + source.name + "\";r=" + number(remaining) + ";t=" + number(untilReset));
    if (!decision.allowed)
        headers.emplace_back("Retry-After", number(decision.retryAfterS));
    return headers;
}

std::string tooManyRequestsBody(
    const Policy& policy, const Decision& decision, TimeMs ts, std::string_view endpoint)
{
    if (decision.status != 429)
        return {};
    const bool quota = decision.reason == Reason::QuotaExceeded;
    const LimitSource source = limitSource(policy, quota ? Decision {} : decision, ts, endpoint);
    std::string message;
    if (quota) {
        message = "Quota exceeded. The limit of " + number(decision.limit) + " " + source.name
            + " for this billing cycle is reached.";
    } else {
        message = "Rate limit exceeded. The limit of " + number(decision.limit)
            + " requests of rule " + source.name + " is reached.";
    }
    std::string body = "{\"error\":{\"code\":\"";
    body += quota ? "QUOTA_EXCEEDED" : "RATE_LIMIT_EXCEEDED";
    body += "\",\"message\":";
    appendJsonString(body, message);
    body += ",\"limitType\":";
    appendJsonString(body, source.name);
    body += ",\"retryAfter\":" + number(decision.retryAfterS) + ",\"windowEnd\":\""
        + formatTimestamp(decision.resetAt) + "\"}}";
    return body;
}

std::string formatTimestamp(TimeMs ts)
{
    const std::int64_t days = floorDiv(ts, kDay);
    const std::int64_t msOfDay = ts - days * kDay;
    const CivilDate date = civilFromDays(days);
    std::string out;
    out.reserve(24);
    appendPadded(out, date.year, 4);
    out.push_back('-');
    appendPadded(out, date.month, 2);
    out.push_back('-');
    appendPadded(out, date.day, 2);
    out.push_back('T');
    appendPadded(out, msOfDay / kHour, 2);
    out.push_back(':');
    appendPadded(out, msOfDay / kMinute % 60, 2);
    out.push_back(':');
    appendPadded(out, msOfDay / kSecond % 60, 2);
    out.push_back('.');
    appendPadded(out, msOfDay % 1000, 3);
    out.push_back('Z');
    return out;
}

std::optional<TimeMs> parseTimestamp(std::string_view text)
{
    if (text.empty())
        return std::nullopt;
    // Integer epoch milliseconds (an optional leading '-').
    {
        std::size_t i = text[0] == '-' ? 1 : 0;
        if (i < text.size() && text.find_first_not_of("0123456789", i) == std::string_view::npos) {
            if (text.size() - i > 18)
                return std::nullopt;
            std::int64_t value = 0;
            for (; i < text.size(); ++i)
                value = value * 10 + (text[i] - '0');
            return text[0] == '-' ? -value : value;
        }
    }
    // YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!parseDigits(text, 0, 4, year) || text.size() < 20 || text[4] != '-'
        || !parseDigits(text, 5, 2, month) || text[7] != '-' || !parseDigits(text, 8, 2, day)
        || (text[10] != 'T' && text[10] != 't' && text[10] != ' ')
        || !parseDigits(text, 11, 2, hour) || text[13] != ':' || !parseDigits(text, 14, 2, minute)
        || text[16] != ':' || !parseDigits(text, 17, 2, second))
        return std::nullopt;
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23
        || minute > 59 || second > 59)
        return std::nullopt;
    std::size_t pos = 19;
    std::int64_t millis = 0;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        const std::size_t start = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            // Digits past the millisecond are truncated.
            if (pos - start < 3)
                millis = millis * 10 + (text[pos] - '0');
            ++pos;
        }
        if (pos == start)
            return std::nullopt;
        for (std::size_t k = pos - start; k < 3; ++k)
            millis *= 10;
    }
    if (pos >= text.size())
        return std::nullopt;
    std::int64_t offsetMs = 0;
    if (text[pos] == 'Z' || text[pos] == 'z') {
        ++pos;
    } else if (text[pos] == '+' || text[pos] == '-') {
        int oh = 0, om = 0;
        if (!parseDigits(text, pos + 1, 2, oh) || pos + 3 >= text.size() || text[pos + 3] != ':'
            || !parseDigits(text, pos + 4, 2, om) || oh > 23 || om > 59)
            return std::nullopt;
        offsetMs = (oh * kHour + om * kMinute) * (text[pos] == '-' ? -1 : 1);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != text.size())
        return std::nullopt;
    const std::int64_t days = daysFromCivil({ year, month, day });
    return days * kDay + hour * kHour + minute * kMinute + second * kSecond + millis - offsetMs;
}

} // namespace qc::enforcement
