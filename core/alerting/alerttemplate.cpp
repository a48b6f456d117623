#include "alerting/alerttemplate.h"

#include <QRegularExpression>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace qc::alerting {

using namespace Qt::StringLiterals;

namespace {

// printf's %.<precision>g / %.<precision>f in the C locale (std::to_chars is defined as
// printf in the "C" locale, so a German or Persian session locale cannot turn '.' into ',').
QString formatted(double value, std::chars_format format, int precision)
{
    if (std::isnan(value))
        return u"NaN"_s;
    if (std::isinf(value))
        return value > 0 ? u"+Inf"_s : u"-Inf"_s;
    std::array<char, 512> buffer {};
    const auto result
        = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, format, precision);
    if (result.ec != std::errc())
        return QString::number(value);
    return QString::fromLatin1(buffer.data(), result.ptr - buffer.data());
}

QString g4(double value)
{
    return formatted(value, std::chars_format::general, 4);
}

} // namespace

QString humanizeDuration(double v)
{
    if (std::isnan(v) || std::isinf(v))
        return g4(v);
    if (v == 0)
        return g4(v) % u's';
    if (std::abs(v) >= 1) {
        QString sign;
        if (v < 0) {
            sign = u"-"_s;
            v = -v;
        }
        const auto duration = static_cast<std::int64_t>(v);
        const std::int64_t seconds = duration % 60;
        const std::int64_t minutes = (duration / 60) % 60;
        const std::int64_t hours = (duration / 60 / 60) % 24;
        const std::int64_t days = duration / 60 / 60 / 24;
        const auto n = [](std::int64_t x) { return QString::number(x); };
        if (days != 0)
            return sign % n(days) % u"d "_s % n(hours) % u"h "_s % n(minutes) % u"m "_s % n(seconds)
                % u's';
        if (hours != 0)
            return sign % n(hours) % u"h "_s % n(minutes) % u"m "_s % n(seconds) % u's';
        if (minutes != 0)
            return sign % n(minutes) % u"m "_s % n(seconds) % u's';
        return sign % g4(v) % u's';
    }
    QString prefix;
    static constexpr std::array<char16_t, 8> prefixes { u'm', u'u', u'n', u'p', u'f', u'a', u'z',
        u'y' };
    for (const char16_t p : prefixes) {
        if (std::abs(v) >= 1)
            break;
        prefix = QString(QChar(p));
        v *= 1000;
    }
    return g4(v) % prefix % u's';
}

QString humanizePercentage(double ratio)
{
    return g4(ratio * 100) % u'%';
}

AlertTemplate AlertTemplate::compile(const QString& text)
{
    static const QRegularExpression label(uR"(^\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)$)"_s);
    static const QRegularExpression pipe(uR"(^\$value\s*\|\s*([a-zA-Z]+)$)"_s);
    static const QRegularExpression call(uR"(^([a-zA-Z]+)\s+\$value$)"_s);
    static const QRegularExpression printfCall(
        uR"re(^printf\s+"%\.([0-9]{1,2})([fg])"\s+\$value$)re"_s);

    AlertTemplate compiled;
    const auto literal = [&](QStringView part) {
        if (!part.isEmpty())
            compiled.m_parts.push_back(Part { Part::Literal, part.toString(), 0 });
    };
    qsizetype at = 0;
    while (at < text.size()) {
        const qsizetype open = text.indexOf(u"{{"_s, at);
        if (open < 0) {
            literal(QStringView(text).mid(at));
            break;
        }
        literal(QStringView(text).mid(at, open - at));
        const qsizetype close = text.indexOf(u"}}"_s, open + 2);
        if (close < 0) {
            compiled.m_error = u"unclosed action at offset "_s % QString::number(open);
            return compiled;
        }
        const QString action = text.mid(open + 2, close - open - 2).trimmed();
        at = close + 2;
        if (const auto m = label.match(action); m.hasMatch()) {
            compiled.m_parts.push_back(Part { Part::Label, m.captured(1), 0 });
            continue;
        }
        QString function;
        if (const auto m = pipe.match(action); m.hasMatch())
            function = m.captured(1);
        else if (const auto m2 = call.match(action); m2.hasMatch())
            function = m2.captured(1);
        if (function == u"humanizePercentage"_s) {
            compiled.m_parts.push_back(Part { Part::Percentage, {}, 0 });
            continue;
        }
        if (function == u"humanizeDuration"_s) {
            compiled.m_parts.push_back(Part { Part::Duration, {}, 0 });
            continue;
        }
        if (const auto m = printfCall.match(action); m.hasMatch()) {
            compiled.m_parts.push_back(Part {
                m.captured(2) == u"f"_s ? Part::Fixed : Part::General, {}, m.captured(1).toInt() });
            continue;
        }
        compiled.m_error = u"unsupported template action '{{ "_s % action % u" }}'"_s;
        return compiled;
    }
    return compiled;
}

QString AlertTemplate::render(const metrics::Labels& labels, double value) const
{
    QString text;
    for (const Part& part : m_parts) {
        switch (part.kind) {
        case Part::Literal:
            text += part.text;
            break;
        case Part::Label:
            text += metrics::labelValue(labels, part.text);
            break;
        case Part::Percentage:
            text += humanizePercentage(value);
            break;
        case Part::Duration:
            text += humanizeDuration(value);
            break;
        case Part::Fixed:
            text += formatted(value, std::chars_format::fixed, part.precision);
            break;
        case Part::General:
            text += formatted(value, std::chars_format::general, part.precision);
            break;
        }
    }
    return text;
}

RenderedText renderTemplate(const QString& text, const metrics::Labels& labels, double value)
{
    const AlertTemplate compiled = AlertTemplate::compile(text);
    if (!compiled.ok())
        return RenderedText { {}, compiled.error() };
    return RenderedText { compiled.render(labels, value), {} };
}

} // namespace qc::alerting
