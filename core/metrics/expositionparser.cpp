#include "metrics/expositionparser.h"

#include "metrics/expositionrules.h"
#include "metrics/expositionsyntax.h"
#include "metrics/familytable.h"
#include "metrics/interntable.h"
#include "metrics/labelsetparser.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>

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

// Reads a page line by line: comments and metadata here, label sets in LabelSetParser, the
// families and which of them a sample belongs to in FamilyTable, and the rules that span
// several lines in checkFamilyRules() once the page is read.
class Parser {
public:
    Parser(const QByteArray& body, ExpositionFormat format)
        : m_body(body)
        , m_om(format == ExpositionFormat::OpenMetrics)
        , m_format(format)
        , m_labels(m_om, m_strings)
        , m_table(format, m_strings)
        , m_leName(&m_strings.get("le"))
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
            result.families = m_table.takeFamilies();
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

    bool fail(const SyntaxError& error) { return fail(error.at, error.message); }

    bool failAtColumn(int column, const QString& message)
    {
        if (!m_error)
            m_error = ParseError { m_line, column, message };
        return false;
    }

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
            const int index = m_table.forMetadata(name, nameStart, u"UNIT"_s, m_line);
            if (index < 0)
                return fail(m_table.error());
            FamilyState* state = &m_table.state(index);
            MetricFamily* family = &m_table.family(index);
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

    bool setHelp(std::string_view name, const char* nameStart, const char* p, const char* end)
    {
        const int index = m_table.forMetadata(name, nameStart, u"HELP"_s, m_line);
        if (index < 0)
            return fail(m_table.error());
        FamilyState* state = &m_table.state(index);
        MetricFamily* family = &m_table.family(index);
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
        if (!m_om && m_table.hasSamples(name))
            return fail(typeStart,
                u"'# TYPE' for "_s % fromView(name)
                    % u" comes after its samples; the TYPE line must precede the first sample"_s);
        const int index = m_table.forMetadata(name, nameStart, u"TYPE"_s, m_line);
        if (index < 0)
            return fail(m_table.error());
        FamilyState& state = m_table.state(index);
        MetricFamily& family = m_table.family(index);
        if (state.hasType)
            return fail(nameStart, u"second '# TYPE' line for "_s % family.name);
        state.hasType = true;
        family.type = type;
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

    static void skipBlanks(const char*& p, const char* end)
    {
        while (p < end && isBlank(*p))
            ++p;
    }

    // The label set's key for LabelSetTable: interned (name, value) pointers sorted by name,
    // without a bucket's `le`, which goes to `le`.
    void labelSetKey(bool bucket, const QString*& le)
    {
        // Most lines list the same label names in the same order as the line before: reuse
        // that line's sort order when the (interned) names match.
        const std::size_t n = m_rawLabels.size();
        bool sameNames = n == m_lastNames.size();
        for (std::size_t i = 0; sameNames && i < n; ++i)
            sameNames = m_rawLabels[i].nameString == m_lastNames[i];
        if (!sameNames) {
            m_lastNames.resize(n);
            m_lastOrder.resize(n);
            for (std::size_t i = 0; i < n; ++i) {
                m_lastNames[i] = m_rawLabels[i].nameString;
                m_lastOrder[i] = i;
            }
            std::sort(m_lastOrder.begin(), m_lastOrder.end(), [this](std::size_t a, std::size_t b) {
                return m_rawLabels[a].name < m_rawLabels[b].name;
            });
        }
        m_key.clear();
        for (const std::size_t i : m_lastOrder) {
            const RawLabel& label = m_rawLabels[i];
            if (bucket && label.nameString == m_leName) {
                le = label.value;
                continue;
            }
            m_key.push_back(label.nameString);
            m_key.push_back(label.value);
        }
    }

    // The bound of a bucket's `le` (NaN when it is not a number); a page repeats a handful
    // of bounds, so they are parsed once each.
    double boundOf(const QString* le)
    {
        for (const auto& [string, bound] : m_bounds) {
            if (string == le)
                return bound;
        }
        double bound = std::numeric_limits<double>::quiet_NaN();
        if (le->size() < 64) {
            char buffer[64];
            bool ascii = true;
            for (qsizetype i = 0; i < le->size(); ++i) {
                const char16_t c = le->at(i).unicode();
                ascii = ascii && c < 0x80;
                buffer[i] = char(c);
            }
            if (ascii) {
                if (const auto parsed = parseExpositionFloat(QByteArrayView(buffer, le->size())))
                    bound = *parsed;
            }
        }
        m_bounds.emplace_back(le, bound);
        return bound;
    }

    bool parseSample(const char* p, const char* end)
    {
        const char* nameStart = p;
        // Lines of one series repeat the previous line's name: compare words, not scan bytes.
        const std::size_t lastSize = m_lastSampleName.size();
        const bool sameName = lastSize > 0 && std::size_t(end - p) >= lastSize
            && (std::size_t(end - p) == lastSize || !isMetricNameChar(p[lastSize]))
            && sameBytes(m_lastSampleName, { p, lastSize });
        if (sameName)
            p += lastSize;
        else if (!scanMetricName(p, end))
            return fail(p,
                u"expected a metric name, found "_s % quoted({ p, 1 })
                    % u"; metric names match [a-zA-Z_:][a-zA-Z0-9_:]*"_s);
        const std::string_view name(nameStart, std::size_t(p - nameStart));
        if (p < end && !isBlank(*p) && *p != '{')
            return fail(p,
                u"unexpected character "_s % quoted({ p, 1 }) % u" in metric name "_s
                    % quoted(name));
        SampleKind kind = SampleKind::Bare;
        const int familyIndex = m_table.forSample(name, nameStart, m_line, kind);
        if (familyIndex < 0)
            return fail(m_table.error());
        MetricFamily& family = m_table.family(familyIndex);
        FamilyState& state = m_table.state(familyIndex);
        const bool histogram
            = family.type == MetricType::Histogram || family.type == MetricType::GaugeHistogram;
        const bool bucket = histogram && kind == SampleKind::Bucket;
        // Built in place: an error rejects the whole page, so a half-filled sample is harmless.
        Sample& sample = family.samples.emplace_back();
        if (!sameName) {
            m_lastSampleName = name;
            m_lastSampleNameString = &m_strings.get(name);
        }
        sample.name = *m_lastSampleNameString;
        const char* blanksStart = p;
        if (!m_om)
            skipBlanks(p, end);
        const QString* le = nullptr;
        if (p < end && *p == '{') {
            if (!m_labels.parse(p, end, m_rawLabels, true))
                return fail(m_labels.error());
            blanksStart = p;
            if (!m_om)
                skipBlanks(p, end);
        } else {
            m_rawLabels.clear();
        }
        labelSetKey(bucket, le);
        if (le)
            sample.le = *le;
        // Consecutive lines mostly belong to one series: compare with the previous line's set
        // before looking the set up.
        if (familyIndex == m_lastSetFamily && m_key == m_lastKey) {
            sample.labelSet = m_lastSet;
        } else {
            sample.labelSet = state.labelSets.intern(m_key, family.labelSets);
            m_lastSetFamily = familyIndex;
            m_lastSet = sample.labelSet;
            m_lastKey.assign(m_key.begin(), m_key.end());
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
        state.facts.lines.push_back(m_line);
        state.facts.kinds.push_back(kind);
        if (histogram)
            state.facts.bounds.push_back(
                le ? boundOf(le) : std::numeric_limits<double>::quiet_NaN());
        return true;
    }

    bool parseNumberToken(const char*& p, const char* end, double& value, const QString& what)
    {
        // Most values are counts: a plain integer of up to 15 digits is exact as a double.
        std::uint64_t integer = 0;
        const char* digit = p;
        while (digit < end && unsigned(*digit) - unsigned('0') < 10u && digit - p < 16) {
            integer = integer * 10 + (unsigned(*digit) - unsigned('0'));
            ++digit;
        }
        if (digit > p && digit - p <= 15 && (digit == end || isBlank(*digit))) {
            value = double(integer);
            p = digit;
            return true;
        }
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

    bool parseExemplar(
        const char*& p, const char* end, int familyIndex, std::string_view name, Sample& sample)
    {
        const MetricType type = m_table.family(familyIndex).type;
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
        if (!m_labels.parse(p, end, raw, false))
            return fail(m_labels.error());
        std::size_t length = 0;
        for (const RawLabel& label : raw)
            length += std::size_t(label.nameString->size() + label.value->size());
        if (length > 128)
            return fail(labelsStart,
                u"the exemplar's labels are "_s % QString::number(length)
                    % u" characters long; OpenMetrics allows at most 128"_s);
        Exemplar exemplar;
        std::sort(raw.begin(), raw.end(),
            [](const RawLabel& a, const RawLabel& b) { return a.name < b.name; });
        exemplar.labels.reserve(raw.size());
        for (const RawLabel& label : raw)
            exemplar.labels.emplace_back(*label.nameString, *label.value);
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
        for (std::size_t i = 0; i < m_table.size() && !m_error; ++i)
            m_error
                = checkFamilyRules(m_table.family(int(i)), m_table.state(int(i)).facts, m_format);
    }

    const QByteArray& m_body;
    const bool m_om;
    const ExpositionFormat m_format;
    int m_line = 0;
    const char* m_lineStart = nullptr;
    bool m_sawEof = false;
    std::optional<ParseError> m_error;
    InternTable m_strings;
    LabelSetParser m_labels;
    FamilyTable m_table;
    const QString* m_leName = nullptr;
    std::vector<RawLabel> m_rawLabels;
    std::vector<const QString*> m_lastNames;
    std::vector<std::size_t> m_lastOrder;
    std::vector<const QString*> m_key;
    std::vector<const QString*> m_lastKey;
    int m_lastSetFamily = -1;
    std::uint32_t m_lastSet = 0;
    std::vector<std::pair<const QString*, double>> m_bounds;
    std::string_view m_lastSampleName;
    const QString* m_lastSampleNameString = nullptr;
};

} // namespace

ParseResult parseExposition(const QByteArray& body, ExpositionFormat format)
{
    return Parser(body, format).run();
}

} // namespace qc::metrics
