#include "metrics/expositionparser.h"

#include "metrics/expositionrules.h"
#include "metrics/expositionsyntax.h"
#include "metrics/interntable.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

namespace qc::metrics {

using namespace Qt::StringLiterals;

ExpositionFormat formatFromContentType(QByteArrayView contentType)
{
    // Prometheus runs mime.ParseMediaType and compares the lower-cased media type.
    const qsizetype semicolon = contentType.indexOf(';');
    const QByteArrayView mediaType
        = (semicolon < 0 ? contentType : contentType.first(semicolon)).trimmed();
    if (mediaType.compare("application/openmetrics-text", Qt::CaseInsensitive) == 0)
        return ExpositionFormat::OpenMetrics;
    return ExpositionFormat::PrometheusText;
}

QString ParseError::toString() const
{
    return QString::number(line) % u':' % QString::number(column) % u": "_s % message;
}

namespace {

using namespace detail;

struct FamilyState {
    QByteArray name;
    bool hasType = false;
    bool hasHelp = false;
    bool hasUnit = false;
    std::vector<int> sampleLines;
    std::vector<SampleKind> sampleKinds;
};

struct RawLabel {
    std::string_view name;
    const QString* nameString = nullptr; // interned
    const QString* value = nullptr; // interned, or null when the value had escapes
    QString unescaped;
};

// What the previous sample line had at each label position: consecutive lines of a page
// mostly repeat their neighbours' labels, and comparing bytes is cheaper than hashing them.
struct LabelMemo {
    std::string_view name;
    const QString* nameString = nullptr;
    std::string_view value;
    const QString* valueString = nullptr;
};

class Parser {
public:
    Parser(const QByteArray& body, ExpositionFormat format)
        : m_body(body)
        , m_om(format == ExpositionFormat::OpenMetrics)
        , m_format(format)
    {
    }

    ParseResult run()
    {
        const char* pos = m_body.constData();
        const char* end = pos + m_body.size();
        bool endedWithNewline = true;
        while (pos < end) {
            ++m_line;
            const char* lineEnd
                = static_cast<const char*>(std::memchr(pos, '\n', std::size_t(end - pos)));
            endedWithNewline = lineEnd != nullptr;
            if (!lineEnd)
                lineEnd = end;
            m_lineStart = pos;
            if (m_sawEof) {
                fail(pos,
                    u"nothing may follow '# EOF', found "_s
                        % quoted({ pos, std::size_t(lineEnd - pos) }));
                break;
            }
            if (!parseLine(pos, lineEnd))
                break;
            pos = lineEnd + 1;
        }
        if (!m_error && m_om && !m_sawEof) {
            if (endedWithNewline)
                ++m_line;
            m_lineStart = end;
            failAtColumn(1,
                u"the exposition ends without '# EOF', which OpenMetrics requires as its last line"_s);
        }
        if (!m_error)
            validateFamilies();
        ParseResult result;
        if (m_error)
            result.error = std::move(m_error);
        else
            result.families = std::move(m_families);
        return result;
    }

private:
    bool fail(const char* at, const QString& message)
    {
        // Columns count characters, so skip UTF-8 continuation bytes.
        int column = 1;
        for (const char* p = m_lineStart; p < at; ++p) {
            if ((static_cast<unsigned char>(*p) & 0xC0) != 0x80)
                ++column;
        }
        return failAtColumn(column, message);
    }

    bool failAtColumn(int column, const QString& message)
    {
        if (!m_error)
            m_error = ParseError { m_line, column, message };
        return false;
    }

    const QString& intern(std::string_view text) { return m_interned.get(text); }

    bool parseLine(const char* p, const char* end)
    {
        if (m_om) {
            if (p == end)
                return fail(p, u"empty lines are not allowed in OpenMetrics"_s);
        } else {
            while (p < end && isBlank(*p))
                ++p;
            if (p == end)
                return true;
        }
        if (end > p && end[-1] == '\r')
            return fail(
                end - 1, u"carriage return before the line feed; lines must end with '\\n' only"_s);
        if (*p == '#')
            return m_om ? parseOpenMetricsComment(p, end) : parseTextComment(p, end);
        return parseSample(p, end);
    }

    // --- metadata ---

    bool parseTextComment(const char* p, const char* end)
    {
        ++p;
        while (p < end && isBlank(*p))
            ++p;
        const char* keyword = p;
        while (p < end && !isBlank(*p))
            ++p;
        const std::string_view word(keyword, std::size_t(p - keyword));
        if (word != "HELP" && word != "TYPE")
            return true; // an ordinary comment
        while (p < end && isBlank(*p))
            ++p;
        const char* nameStart = p;
        if (!scanMetricName(p, end))
            return fail(nameStart, u"expected a metric name after '# "_s % fromView(word) % u'\'');
        const std::string_view name(nameStart, std::size_t(p - nameStart));
        if (p < end && !isBlank(*p))
            return fail(p, u"unexpected character "_s % quoted({ p, 1 }) % u" in metric name"_s);
        while (p < end && isBlank(*p))
            ++p;
        if (word == "HELP")
            return setHelp(name, nameStart, p, end);
        const char* typeStart = p;
        while (p < end && !isBlank(*p))
            ++p;
        const std::string_view typeWord(typeStart, std::size_t(p - typeStart));
        std::optional<MetricType> type;
        if (typeWord == "counter")
            type = MetricType::Counter;
        else if (typeWord == "gauge")
            type = MetricType::Gauge;
        else if (typeWord == "histogram")
            type = MetricType::Histogram;
        else if (typeWord == "summary")
            type = MetricType::Summary;
        else if (typeWord == "untyped")
            type = MetricType::Unknown;
        if (!type)
            return fail(typeStart,
                u"unknown metric type "_s % quoted(typeWord)
                    % u"; the text format knows counter, gauge, histogram, summary and untyped"_s);
        while (p < end && isBlank(*p))
            ++p;
        if (p != end)
            return fail(p,
                u"unexpected text after the metric type: "_s % quoted({ p, std::size_t(end - p) }));
        return setType(name, nameStart, *type, typeStart);
    }

    bool parseOpenMetricsComment(const char* p, const char* end)
    {
        const std::string_view line(p, std::size_t(end - p));
        if (line == "# EOF") {
            m_sawEof = true;
            return true;
        }
        std::string_view word;
        for (const std::string_view candidate : { "# TYPE ", "# HELP ", "# UNIT " }) {
            if (startsWith(line, candidate))
                word = candidate.substr(2, 4);
        }
        if (word.empty())
            return fail(p,
                u"lines starting with '#' must be '# TYPE', '# HELP', '# UNIT' or '# EOF' "
                u"in OpenMetrics (comments are not allowed)"_s);
        p += 7;
        const char* nameStart = p;
        if (!scanMetricName(p, end))
            return fail(nameStart, u"expected a metric name after '# "_s % fromView(word) % u'\'');
        const std::string_view name(nameStart, std::size_t(p - nameStart));
        if (p < end && *p != ' ')
            return fail(p, u"unexpected character "_s % quoted({ p, 1 }) % u" in metric name"_s);
        const char* valueStart = p < end ? p + 1 : p;
        if (word == "HELP")
            return setHelp(name, nameStart, valueStart, end);
        if (p == end)
            return fail(p,
                u"expected a space and a "_s % (word == "TYPE" ? u"metric type"_s : u"unit"_s)
                    % u" after the metric name"_s);
        const std::string_view value(valueStart, std::size_t(end - valueStart));
        if (word == "UNIT") {
            for (const char* c = valueStart; c < end; ++c) {
                if (!isMetricNameChar(*c))
                    return fail(c,
                        u"unexpected character "_s % quoted({ c, 1 })
                            % u" in unit; units use [a-zA-Z0-9_:]"_s);
            }
            FamilyState* state = nullptr;
            MetricFamily* family = familyForMetadata(name, nameStart, u"UNIT"_s, state);
            if (!family)
                return false;
            if (state->hasUnit)
                return fail(nameStart, u"second '# UNIT' line for "_s % family->name);
            state->hasUnit = true;
            if (!value.empty()) {
                const std::string suffix = "_" + std::string(value);
                if (name.size() <= suffix.size()
                    || name.substr(name.size() - suffix.size()) != suffix)
                    return fail(valueStart,
                        u"unit "_s % quoted(value)
                            % u" must be the suffix of the metric family name ("_s % family->name
                            % u" should end in "_s % fromView(suffix) % u')');
                family->unit = fromView(value);
            }
            return true;
        }
        static const std::pair<std::string_view, MetricType> types[] = {
            { "counter", MetricType::Counter },
            { "gauge", MetricType::Gauge },
            { "histogram", MetricType::Histogram },
            { "gaugehistogram", MetricType::GaugeHistogram },
            { "stateset", MetricType::StateSet },
            { "info", MetricType::Info },
            { "summary", MetricType::Summary },
            { "unknown", MetricType::Unknown },
        };
        for (const auto& [text, type] : types) {
            if (value == text)
                return setType(name, nameStart, type, valueStart);
        }
        return fail(valueStart,
            u"unknown metric type "_s % quoted(value)
                % u"; OpenMetrics knows counter, gauge, histogram, gaugehistogram, stateset, info, summary and unknown"_s);
    }

    MetricFamily* familyForMetadata(
        std::string_view name, const char* at, const QString& what, FamilyState*& state)
    {
        if (m_current >= 0 && viewOf(m_states[std::size_t(m_current)].name) == name) {
            state = &m_states[std::size_t(m_current)];
            if (m_om && !state->sampleLines.empty()) {
                fail(at,
                    u"'# "_s % what % u"' for "_s % fromView(name)
                        % u" comes after its samples; OpenMetrics requires metadata first"_s);
                return nullptr;
            }
            return &m_families[std::size_t(m_current)];
        }
        const auto it = m_familyIndex.find(std::string(name));
        if (it != m_familyIndex.end()) {
            if (m_om) {
                fail(at,
                    u"metric family "_s % fromView(name)
                        % u" is interleaved with another family (first seen on line "_s
                        % QString::number(m_firstLines[std::size_t(it->second)])
                        % u"); OpenMetrics requires the lines of a family to be together"_s);
                return nullptr;
            }
            m_current = it->second;
            state = &m_states[std::size_t(m_current)];
            return &m_families[std::size_t(m_current)];
        }
        newFamily(name);
        state = &m_states[std::size_t(m_current)];
        return &m_families[std::size_t(m_current)];
    }

    void newFamily(std::string_view name)
    {
        MetricFamily family;
        family.name = intern(name);
        m_families.push_back(std::move(family));
        m_states.push_back(FamilyState {
            QByteArray(name.data(), qsizetype(name.size())), false, false, false, {}, {} });
        m_firstLines.push_back(m_line);
        m_current = int(m_families.size()) - 1;
        m_familyIndex.emplace(std::string(name), m_current);
    }

    bool setHelp(std::string_view name, const char* nameStart, const char* p, const char* end)
    {
        FamilyState* state = nullptr;
        MetricFamily* family = familyForMetadata(name, nameStart, u"HELP"_s, state);
        if (!family)
            return false;
        if (state->hasHelp)
            return fail(nameStart, u"second '# HELP' line for "_s % family->name);
        state->hasHelp = true;
        std::string help;
        help.reserve(std::size_t(end - p));
        for (; p < end; ++p) {
            if (*p == '\\' && p + 1 < end) {
                const char next = p[1];
                if (next == '\\' || next == 'n' || (m_om && next == '"')) {
                    help.push_back(next == 'n' ? '\n' : next);
                    ++p;
                    continue;
                }
            } else if (m_om && *p == '"') {
                return fail(p, u"double quote in HELP text must be escaped as \\\""_s);
            }
            help.push_back(*p);
        }
        if (hasNonAscii(help) && !isValidUtf8(help))
            return fail(nameStart, u"HELP text is not valid UTF-8"_s);
        family->help = QString::fromStdString(help);
        return true;
    }

    bool setType(
        std::string_view name, const char* nameStart, MetricType type, const char* typeStart)
    {
        if (!m_om && m_current >= 0 && viewOf(m_states[std::size_t(m_current)].name) == name
            && !m_states[std::size_t(m_current)].sampleLines.empty()) {
            return fail(typeStart,
                u"'# TYPE' for "_s % fromView(name)
                    % u" comes after its samples; the TYPE line must precede the first sample"_s);
        }
        if (!m_om && m_current >= 0 && viewOf(m_states[std::size_t(m_current)].name) != name) {
            const auto it = m_familyIndex.find(std::string(name));
            if (it != m_familyIndex.end() && !m_states[std::size_t(it->second)].sampleLines.empty())
                return fail(typeStart,
                    u"'# TYPE' for "_s % fromView(name)
                        % u" comes after its samples; the TYPE line must precede the first sample"_s);
        }
        FamilyState* state = nullptr;
        MetricFamily* family = familyForMetadata(name, nameStart, u"TYPE"_s, state);
        if (!family)
            return false;
        if (state->hasType)
            return fail(nameStart, u"second '# TYPE' line for "_s % family->name);
        state->hasType = true;
        family->type = type;
        return true;
    }

    // --- samples ---

    static bool scanMetricName(const char*& p, const char* end)
    {
        if (p == end || isDigit(*p) || !isMetricNameChar(*p))
            return false;
        ++p;
        while (p < end && isMetricNameChar(*p))
            ++p;
        return true;
    }

    // How `sampleName` fits the family (which suffix it has), or nullopt when it does not.
    std::optional<SampleKind> kindIn(int familyIndex, std::string_view sampleName) const
    {
        const FamilyState& state = m_states[std::size_t(familyIndex)];
        const std::string_view familyName = viewOf(state.name);
        if (!startsWith(sampleName, familyName))
            return std::nullopt;
        const std::string_view rest = sampleName.substr(familyName.size());
        const Suffixes suffixes = suffixesFor(m_families[std::size_t(familyIndex)].type, m_format);
        if (rest.empty())
            return suffixes.bare ? std::optional(SampleKind::Bare) : std::nullopt;
        for (const Suffix& suffix : suffixes.list) {
            if (suffix.text == rest)
                return suffix.kind;
        }
        return std::nullopt;
    }

    bool belongsTo(int familyIndex, std::string_view sampleName) const
    {
        return kindIn(familyIndex, sampleName).has_value();
    }

    // The family a sample belongs to, creating an untyped one when it fits none.
    int familyForSample(std::string_view sampleName, const char* at)
    {
        if (m_current >= 0 && belongsTo(m_current, sampleName))
            return m_current;
        if (m_current >= 0 && viewOf(m_states[std::size_t(m_current)].name) == sampleName) {
            fail(at,
                u"sample "_s % fromView(sampleName) % u" has no suffix, but "_s
                    % metricTypeName(m_families[std::size_t(m_current)].type) % u" family "_s
                    % fromView(sampleName) % u" needs one (e.g. "_s
                    % fromView(suffixesFor(m_families[std::size_t(m_current)].type, m_format)
                                   .list.front()
                                   .text)
                    % u')');
            return -1;
        }
        int found = -1;
        if (auto it = m_familyIndex.find(std::string(sampleName));
            it != m_familyIndex.end() && belongsTo(it->second, sampleName))
            found = it->second;
        for (std::size_t i = 0; found < 0 && i < std::size(kAllSuffixes); ++i) {
            const std::string_view suffix = kAllSuffixes[i];
            if (sampleName.size() > suffix.size()
                && sampleName.substr(sampleName.size() - suffix.size()) == suffix) {
                const auto it = m_familyIndex.find(
                    std::string(sampleName.substr(0, sampleName.size() - suffix.size())));
                if (it != m_familyIndex.end() && belongsTo(it->second, sampleName))
                    found = it->second;
            }
        }
        if (found >= 0) {
            if (m_om) {
                fail(at,
                    u"sample "_s % fromView(sampleName) % u" belongs to metric family "_s
                        % m_families[std::size_t(found)].name % u" (first seen on line "_s
                        % QString::number(m_firstLines[std::size_t(found)])
                        % u"), which another family interrupted; OpenMetrics does not allow interleaved families"_s);
                return -1;
            }
            m_current = found;
            return found;
        }
        if (m_familyIndex.count(std::string(sampleName))) {
            fail(at,
                u"sample "_s % fromView(sampleName) % u" does not fit its "_s
                    % metricTypeName(
                        m_families[std::size_t(m_familyIndex[std::string(sampleName)])].type)
                    % u" family"_s);
            return -1;
        }
        newFamily(sampleName);
        return m_current;
    }

    bool parseLabels(const char*& p, const char* end, std::vector<RawLabel>& out, bool memo)
    {
        out.clear();
        ++p; // '{'
        if (!m_om)
            skipBlanks(p, end);
        if (p < end && *p == '}') {
            ++p;
            return true;
        }
        while (true) {
            const char* nameStart = p;
            if (p == end || isDigit(*p) || !isLabelNameChar(*p)) {
                if (p == end)
                    return fail(p, u"the label set is not closed: expected a label name or '}'"_s);
                return fail(p,
                    u"expected a label name, found "_s % quoted({ p, 1 })
                        % u"; label names match [a-zA-Z_][a-zA-Z0-9_]*"_s);
            }
            while (p < end && isLabelNameChar(*p))
                ++p;
            const std::string_view name(nameStart, std::size_t(p - nameStart));
            if (!m_om)
                skipBlanks(p, end);
            if (p == end || *p != '=') {
                if (p < end && isMetricNameChar(*p))
                    return fail(p,
                        u"unexpected character "_s % quoted({ p, 1 }) % u" in label name "_s
                            % quoted(name) % u"; label names match [a-zA-Z_][a-zA-Z0-9_]*"_s);
                return fail(p, u"expected '=' after label name "_s % quoted(name));
            }
            ++p;
            if (!m_om)
                skipBlanks(p, end);
            if (p == end || *p != '"')
                return fail(p, u"expected '\"' to start the value of label "_s % quoted(name));
            ++p;
            const std::size_t position = out.size();
            LabelMemo* remembered = memo && position < m_memo.size() ? &m_memo[position] : nullptr;
            RawLabel& label = out.emplace_back();
            label.name = name;
            if (remembered && sameBytes(remembered->name, name)) {
                label.nameString = remembered->nameString;
            } else {
                label.nameString = &intern(name);
            }
            for (std::size_t i = 0; i < position; ++i) {
                if (out[i].nameString == label.nameString) // interned: same text, same pointer
                    return fail(nameStart,
                        u"label "_s % quoted(name) % u" appears twice in the same label set"_s);
            }
            std::string_view raw;
            if (!parseLabelValue(p, end, name, label, raw, remembered))
                return false;
            if (memo) {
                if (position >= m_memo.size())
                    m_memo.resize(position + 1);
                m_memo[position] = LabelMemo { name, label.nameString,
                    label.value ? raw : std::string_view(), label.value };
            }
            if (!m_om)
                skipBlanks(p, end);
            if (p < end && *p == ',') {
                ++p;
                if (!m_om) {
                    skipBlanks(p, end);
                    if (p < end && *p == '}') { // the text format tolerates a trailing comma
                        ++p;
                        return true;
                    }
                }
                continue;
            }
            if (p < end && *p == '}') {
                ++p;
                return true;
            }
            if (p == end)
                return fail(p, u"the label set is not closed: expected ',' or '}'"_s);
            return fail(p,
                u"expected ',' or '}' after the value of label "_s % quoted(name) % u", found "_s
                    % quoted({ p, 1 }));
        }
    }

    bool parseLabelValue(const char*& p, const char* end, std::string_view name, RawLabel& label,
        std::string_view& raw, const LabelMemo* remembered)
    {
        const char* start = p;
        const char* quote = static_cast<const char*>(std::memchr(p, '"', std::size_t(end - p)));
        const char* backslash = quote
            ? static_cast<const char*>(std::memchr(p, '\\', std::size_t(quote - p)))
            : nullptr;
        if (backslash) {
            // An escaped quote does not end the value: walk the rest by hand.
            p = backslash;
            while (p < end && *p != '"') {
                if (*p == '\\' && p + 1 < end)
                    ++p;
                ++p;
            }
            quote = p < end ? p : nullptr;
        }
        if (!quote)
            return fail(
                start - 1, u"the value of label "_s % quoted(name) % u" has no closing '\"'"_s);
        raw = std::string_view(start, std::size_t(quote - start));
        p = quote + 1;
        if (!backslash) {
            if (remembered && remembered->valueString && sameBytes(remembered->value, raw)) {
                label.value = remembered->valueString;
                return true;
            }
            if (hasNonAscii(raw) && !isValidUtf8(raw))
                return fail(
                    start, u"the value of label "_s % quoted(name) % u" is not valid UTF-8"_s);
            label.value = &intern(raw);
            return true;
        }
        if (hasNonAscii(raw) && !isValidUtf8(raw))
            return fail(start, u"the value of label "_s % quoted(name) % u" is not valid UTF-8"_s);
        label.value = nullptr;
        label.unescaped = unescapeLabelValue(raw);
        return true;
    }

    static void skipBlanks(const char*& p, const char* end)
    {
        while (p < end && isBlank(*p))
            ++p;
    }

    Labels sortedLabels(std::vector<RawLabel>& raw)
    {
        // Most lines list the same label names in the same order as the line before: reuse
        // that line's sort order when the (interned) names match.
        const std::size_t n = raw.size();
        bool sameNames = n == m_lastNames.size();
        for (std::size_t i = 0; sameNames && i < n; ++i)
            sameNames = raw[i].nameString == m_lastNames[i];
        if (!sameNames) {
            m_lastNames.resize(n);
            m_lastOrder.resize(n);
            for (std::size_t i = 0; i < n; ++i) {
                m_lastNames[i] = raw[i].nameString;
                m_lastOrder[i] = i;
            }
            std::sort(m_lastOrder.begin(), m_lastOrder.end(),
                [&raw](std::size_t a, std::size_t b) { return raw[a].name < raw[b].name; });
        }
        Labels labels;
        labels.reserve(n);
        for (const std::size_t i : m_lastOrder) {
            RawLabel& label = raw[i];
            labels.emplace_back(
                *label.nameString, label.value ? *label.value : std::move(label.unescaped));
        }
        return labels;
    }

    bool parseNumberToken(const char*& p, const char* end, double& value, const QString& what)
    {
        const char* start = p;
        while (p < end && !isBlank(*p))
            ++p;
        const std::string_view token(start, std::size_t(p - start));
        if (token.empty())
            return fail(start, u"expected "_s % what);
        if (const auto parsed
            = parseExpositionFloat(QByteArrayView(token.data(), qsizetype(token.size())))) {
            value = *parsed;
            return true;
        }
        return fail(start, quoted(token) % u" is not a valid "_s % what);
    }

    bool parseTimestampToken(const char*& p, const char* end, std::optional<qint64>& timestamp)
    {
        const char* start = p;
        while (p < end && !isBlank(*p))
            ++p;
        const std::string_view token(start, std::size_t(p - start));
        if (m_om) {
            double seconds = 0;
            const auto parsed
                = parseExpositionFloat(QByteArrayView(token.data(), qsizetype(token.size())));
            if (!parsed || !std::isfinite(*parsed)
                || token.find_first_of("iInN") != std::string_view::npos)
                return fail(start,
                    quoted(token)
                        + u" is not a valid timestamp; OpenMetrics timestamps are seconds since the epoch, e.g. 1520879607.789"_s);
            seconds = *parsed;
            timestamp = qint64(std::llround(seconds * 1000.0));
            return true;
        }
        const char* digits = token.data();
        const char* tokenEnd = digits + token.size();
        if (digits < tokenEnd && *digits == '+')
            ++digits;
        qint64 ms = 0;
        const auto [ptr, ec] = std::from_chars(digits, tokenEnd, ms);
        if (token.empty() || ec != std::errc() || ptr != tokenEnd
            || (digits != token.data() && *digits == '-'))
            return fail(start,
                quoted(token)
                    + u" is not a valid timestamp; the text format wants integer milliseconds since the epoch"_s);
        timestamp = ms;
        return true;
    }

    bool parseSample(const char* p, const char* end)
    {
        const char* nameStart = p;
        if (!scanMetricName(p, end))
            return fail(p,
                u"expected a metric name, found "_s % quoted({ p, 1 })
                    % u"; metric names match [a-zA-Z_:][a-zA-Z0-9_:]*"_s);
        const std::string_view name(nameStart, std::size_t(p - nameStart));
        if (p < end && !isBlank(*p) && *p != '{')
            return fail(p,
                u"unexpected character "_s % quoted({ p, 1 }) % u" in metric name "_s
                    % quoted(name));
        const int familyIndex = familyForSample(name, nameStart);
        if (familyIndex < 0)
            return false;
        Sample sample;
        if (!sameBytes(name, m_lastSampleName)) {
            m_lastSampleName = name;
            m_lastSampleNameString = &intern(name);
        }
        sample.name = *m_lastSampleNameString;
        const char* blanksStart = p;
        if (!m_om)
            skipBlanks(p, end);
        if (p < end && *p == '{') {
            if (!parseLabels(p, end, m_rawLabels, true))
                return false;
            sample.labels = sortedLabels(m_rawLabels);
            blanksStart = p;
            if (!m_om)
                skipBlanks(p, end);
        }
        // Value, separated by blanks (text) or exactly one space (OpenMetrics).
        if (p == end)
            return fail(p, u"expected a value after "_s % quoted(name));
        if (m_om) {
            if (*p != ' ')
                return fail(
                    p, u"expected a single space before the value, found "_s % quoted({ p, 1 }));
            ++p;
        } else if (p == blanksStart) {
            return fail(p, u"expected a blank before the value, found "_s % quoted({ p, 1 }));
        }
        if (!parseNumberToken(p, end, sample.value, u"sample value"_s))
            return false;
        if (m_om) {
            if (p < end && *p != ' ')
                return fail(
                    p, u"expected a single space after the value, found "_s % quoted({ p, 1 }));
            if (p < end && (end - p < 2 || p[1] != '#')) {
                ++p; // the single space
                if (!parseTimestampToken(p, end, sample.timestampMs))
                    return false;
            }
            if (p < end) {
                if (end - p < 3 || std::memcmp(p, " # ", 3) != 0)
                    return fail(p,
                        u"unexpected text after the sample: "_s
                            % quoted({ p, std::size_t(end - p) }));
                p += 3;
                if (!parseExemplar(p, end, familyIndex, name, sample))
                    return false;
            }
        } else {
            skipBlanks(p, end);
            if (p < end) {
                if (!parseTimestampToken(p, end, sample.timestampMs))
                    return false;
                skipBlanks(p, end);
                if (p < end)
                    return fail(p,
                        u"unexpected text after the timestamp: "_s
                            % quoted({ p, std::size_t(end - p) }));
            }
        }
        m_families[std::size_t(familyIndex)].samples.push_back(std::move(sample));
        FamilyState& state = m_states[std::size_t(familyIndex)];
        state.sampleLines.push_back(m_line);
        state.sampleKinds.push_back(*kindIn(familyIndex, name));
        return true;
    }

    bool parseExemplar(
        const char*& p, const char* end, int familyIndex, std::string_view name, Sample& sample)
    {
        const MetricType type = m_families[std::size_t(familyIndex)].type;
        const bool allowed = (type == MetricType::Counter && name.ends_with("_total"))
            || ((type == MetricType::Histogram || type == MetricType::GaugeHistogram)
                && name.ends_with("_bucket"));
        if (!allowed)
            return fail(p - 2,
                u"exemplars are only allowed on counter _total and histogram _bucket samples"_s);
        if (p == end || *p != '{')
            return fail(p, u"expected the exemplar's label set '{...}'"_s);
        std::vector<RawLabel> raw;
        const char* labelsStart = p;
        if (!parseLabels(p, end, raw, false))
            return false;
        std::size_t length = 0;
        for (const RawLabel& label : raw)
            length += std::size_t(label.nameString->size()
                + (label.value ? label.value->size() : label.unescaped.size()));
        if (length > 128)
            return fail(labelsStart,
                u"the exemplar's labels are "_s % QString::number(length)
                    % u" characters long; OpenMetrics allows at most 128"_s);
        Exemplar exemplar;
        exemplar.labels = sortedLabels(raw);
        if (p == end || *p != ' ')
            return fail(p, u"expected a space and the exemplar value"_s);
        ++p;
        if (!parseNumberToken(p, end, exemplar.value, u"exemplar value"_s))
            return false;
        if (p < end) {
            ++p;
            if (!parseTimestampToken(p, end, exemplar.timestampMs))
                return false;
            if (p < end)
                return fail(p,
                    u"unexpected text after the exemplar: "_s
                        % quoted({ p, std::size_t(end - p) }));
        }
        sample.exemplar = std::move(exemplar);
        return true;
    }

    void validateFamilies()
    {
        for (std::size_t i = 0; i < m_families.size() && !m_error; ++i)
            m_error = checkFamilyRules(
                m_families[i], m_states[i].sampleLines, m_states[i].sampleKinds, m_format);
    }

    const QByteArray& m_body;
    const bool m_om;
    const ExpositionFormat m_format;
    int m_line = 0;
    const char* m_lineStart = nullptr;
    bool m_sawEof = false;
    std::optional<ParseError> m_error;
    std::vector<MetricFamily> m_families;
    std::vector<FamilyState> m_states;
    std::vector<int> m_firstLines;
    std::unordered_map<std::string, int> m_familyIndex;
    int m_current = -1;
    detail::InternTable m_interned;
    std::vector<RawLabel> m_rawLabels;
    std::vector<LabelMemo> m_memo;
    std::vector<const QString*> m_lastNames;
    std::vector<std::size_t> m_lastOrder;
    std::string_view m_lastSampleName;
    const QString* m_lastSampleNameString = nullptr;
};

} // namespace

ParseResult parseExposition(const QByteArray& body, ExpositionFormat format)
{
    return Parser(body, format).run();
}

} // namespace qc::metrics
