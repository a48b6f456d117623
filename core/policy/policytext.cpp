// Text forms shared by the policy file and traces: durations and dollar amounts.

#include "policyjson.h"

#include <algorithm>
#include <array>
#include <limits>

using namespace Qt::StringLiterals;
namespace ef = qc::enforcement;

namespace qc::policy {

namespace {

struct Unit {
    const char* suffix;
    ef::TimeMs ms;
};
constexpr std::array<Unit, 4> kUnits { { { "d", ef::kDay }, { "h", ef::kHour },
    { "m", ef::kMinute }, { "s", ef::kSecond } } };

} // namespace

QString formatDuration(ef::TimeMs ms)
{
    if (ms == 0)
        return u"0s"_s;
    for (const Unit& unit : kUnits) {
        if (ms % unit.ms == 0)
            return QString::number(ms / unit.ms) + QLatin1StringView(unit.suffix);
    }
    return QString::number(ms) + u"ms"_s;
}

std::optional<ef::TimeMs> parseDuration(QStringView text)
{
    qsizetype i = 0;
    std::int64_t value = 0;
    while (i < text.size() && text[i] >= u'0' && text[i] <= u'9') {
        if (value > std::numeric_limits<std::int64_t>::max() / 10 - 10)
            return std::nullopt;
        value = value * 10 + (text[i].unicode() - u'0');
        ++i;
    }
    if (i == 0)
        return std::nullopt;
    const QStringView unit = text.mid(i);
    ef::TimeMs scale = 0;
    if (unit == u"ms")
        scale = 1;
    else if (unit == u"s")
        scale = ef::kSecond;
    else if (unit == u"m")
        scale = ef::kMinute;
    else if (unit == u"h")
        scale = ef::kHour;
    else if (unit == u"d")
        scale = ef::kDay;
    else
        return std::nullopt;
    if (value > std::numeric_limits<std::int64_t>::max() / scale)
        return std::nullopt;
    return value * scale;
}

QString formatUsd(ef::MicroUsd microUsd)
{
    const bool negative = microUsd < 0;
    // Unsigned magnitude so that INT64_MIN does not overflow.
    const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(microUsd)
                                             : static_cast<std::uint64_t>(microUsd);
    QString fraction = QString::number(magnitude % 1'000'000).rightJustified(6, u'0');
    while (fraction.size() > 1 && fraction.endsWith(u'0'))
        fraction.chop(1);
    return (negative ? u"-"_s : QString()) + QString::number(magnitude / 1'000'000) + u'.'
        + fraction;
}

std::optional<ef::MicroUsd> parseUsd(std::string_view text)
{
    std::size_t i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
        negative = text[i] == '-';
        ++i;
    }
    const std::size_t intBegin = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9')
        ++i;
    const std::size_t intEnd = i;
    std::size_t fracBegin = i;
    std::size_t fracEnd = i;
    if (i < text.size() && text[i] == '.') {
        fracBegin = ++i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9')
            ++i;
        fracEnd = i;
    }
    if (intEnd == intBegin && fracEnd == fracBegin)
        return std::nullopt;
    std::int64_t exponent = 0;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        bool expNegative = false;
        if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
            expNegative = text[i] == '-';
            ++i;
        }
        const std::size_t expBegin = i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
            if (exponent < 100000)
                exponent = exponent * 10 + (text[i] - '0');
            ++i;
        }
        if (i == expBegin)
            return std::nullopt;
        if (expNegative)
            exponent = -exponent;
    }
    if (i != text.size())
        return std::nullopt;

    // The digits (integer then fraction) form one integer D; the amount is D · 10^shift µUSD.
    const std::int64_t digitCount
        = static_cast<std::int64_t>((intEnd - intBegin) + (fracEnd - fracBegin));
    const std::int64_t shift = exponent - static_cast<std::int64_t>(fracEnd - fracBegin) + 6;
    const auto digitAt = [&](std::int64_t k) {
        const auto n = static_cast<std::size_t>(k);
        return n < intEnd - intBegin ? text[intBegin + n] - '0'
                                     : text[fracBegin + n - (intEnd - intBegin)] - '0';
    };
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    // Digits whose power of ten (digitCount - 1 - k + shift) is >= 0 form the whole part.
    const std::int64_t whole = std::clamp<std::int64_t>(digitCount + shift, 0, digitCount);
    std::int64_t value = 0;
    for (std::int64_t k = 0; k < whole; ++k) {
        const int d = digitAt(k);
        if (value > (kMax - d) / 10)
            return std::nullopt;
        value = value * 10 + d;
    }
    for (std::int64_t s = 0; s < shift && value != 0; ++s) {
        if (value > kMax / 10)
            return std::nullopt;
        value *= 10;
    }
    // Half away from zero: the first dropped digit decides.
    if (whole < digitCount && whole == digitCount + shift && digitAt(whole) >= 5) {
        if (value == kMax)
            return std::nullopt;
        ++value;
    }
    return negative ? -value : value;
}

} // namespace qc::policy
