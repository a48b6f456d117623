// JSON Lines traces: one flat JSON object per line.

#include "tracereader_p.h"

namespace qc::trace::detail {

namespace {

void appendUtf8(std::string& out, std::uint32_t cp)
{
    if (cp < 0x80) {
        out.push_back(char(cp));
    } else if (cp < 0x800) {
        out.push_back(char(0xC0 | (cp >> 6)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(char(0xE0 | (cp >> 12)));
        out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(char(0xF0 | (cp >> 18)));
        out.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    }
}

// One flat JSON object per line; nested values are allowed (and skipped) only for keys that are
// not trace columns.
class JsonlReader {
public:
    JsonlReader(const char* data, qint64 size, const ReadOptions& options, ReadResult& result,
        const ChunkSink* sink)
        : m_begin(data)
        , m_end(data + size)
        , m_options(options)
        , m_result(result)
        , m_sink(sink)
        , m_dropper(data, sink)
    {
    }

    void run()
    {
        const char* p = m_begin;
        if (m_end - p >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0)
            p += 3;
        reserveFor(m_result.trace, p, m_end - p, m_sink);
        RowBuilder row(m_result, m_options, m_sink);
        qint64 line = 0;
        while (p < m_end) {
            ++line;
            const char* eol
                = static_cast<const char*>(std::memchr(p, '\n', std::size_t(m_end - p)));
            if (!eol)
                eol = m_end;
            m_p = p;
            m_lineEnd = eol;
            p = eol < m_end ? eol + 1 : m_end;
            skipSpace();
            if (m_p == m_lineEnd)
                continue;
            if (line % kProgressEveryRows == 0)
                m_dropper.dropBefore(m_p);
            if (m_options.progress && line % kProgressEveryRows == 0
                && !m_options.progress(m_p - m_begin, m_end - m_begin)) {
                m_result.cancelled = true;
                row.flush();
                return;
            }
            row.begin();
            QString error;
            parseObject(row, error);
            if (!error.isEmpty())
                row.fail(error);
            if (!row.finish(line)) {
                row.flush();
                return;
            }
        }
        row.flush();
        if (m_options.progress)
            m_options.progress(m_end - m_begin, m_end - m_begin);
    }

private:
    void skipSpace()
    {
        while (m_p < m_lineEnd && (*m_p == ' ' || *m_p == '\t' || *m_p == '\r'))
            ++m_p;
    }

    void parseObject(RowBuilder& row, QString& error)
    {
        if (*m_p != '{') {
            error = u"expected a JSON object {…} on this line"_s;
            return;
        }
        ++m_p;
        skipSpace();
        if (m_p < m_lineEnd && *m_p == '}') {
            ++m_p;
            trailing(error);
            return;
        }
        for (;;) {
            skipSpace();
            std::string_view key;
            if (!string(key, error))
                return;
            const Column column = columnFromName(key);
            const std::string keyText(key);
            skipSpace();
            if (m_p >= m_lineEnd || *m_p != ':') {
                error = u"expected ':' after the key \""_s + qs(keyText) + u'"';
                return;
            }
            ++m_p;
            skipSpace();
            if (m_p >= m_lineEnd) {
                error = u"the line ends inside the object"_s;
                return;
            }
            std::string_view value;
            const char c = *m_p;
            if (c == '"') {
                if (!string(value, error))
                    return;
            } else if (c == '{' || c == '[') {
                if (column != Column::Ignored) {
                    error = u"\""_s + qs(keyText) + u"\" must be a string or a number"_s;
                    return;
                }
                if (!skipNested(error))
                    return;
            } else {
                const char* start = m_p;
                while (m_p < m_lineEnd && *m_p != ',' && *m_p != '}' && *m_p != ' ' && *m_p != '\t'
                    && *m_p != '\r')
                    ++m_p;
                value = std::string_view(start, std::size_t(m_p - start));
                if (value == "null" || value == "false") {
                    value = {};
                } else if (value == "true") {
                    if (column != Column::Ignored) {
                        error = u"\""_s + qs(keyText) + u"\" must be a string or a number"_s;
                        return;
                    }
                } else if (value.empty()
                    || !(value[0] == '-' || (value[0] >= '0' && value[0] <= '9'))) {
                    error = u"the value of \""_s + qs(keyText) + u"\" is not valid JSON"_s;
                    return;
                }
            }
            row.set(column, value, value.data() == m_scratch.data());
            skipSpace();
            if (m_p < m_lineEnd && *m_p == ',') {
                ++m_p;
                continue;
            }
            if (m_p < m_lineEnd && *m_p == '}') {
                ++m_p;
                trailing(error);
                return;
            }
            error = u"expected ',' or '}' after the value of \""_s + qs(keyText) + u'"';
            return;
        }
    }

    void trailing(QString& error)
    {
        skipSpace();
        if (m_p != m_lineEnd)
            error = u"unexpected text after the object; JSON Lines holds one object per line"_s;
    }

    bool string(std::string_view& out, QString& error)
    {
        if (m_p >= m_lineEnd || *m_p != '"') {
            error = u"expected a \"quoted\" key"_s;
            return false;
        }
        const char* start = ++m_p;
        while (m_p < m_lineEnd && *m_p != '"' && *m_p != '\\')
            ++m_p;
        if (m_p < m_lineEnd && *m_p == '"') {
            out = std::string_view(start, std::size_t(m_p - start));
            ++m_p;
            return true;
        }
        m_scratch.assign(start, std::size_t(m_p - start));
        while (m_p < m_lineEnd) {
            const char c = *m_p++;
            if (c == '"') {
                out = m_scratch;
                return true;
            }
            if (c != '\\') {
                m_scratch.push_back(c);
                continue;
            }
            if (m_p >= m_lineEnd)
                break;
            const char e = *m_p++;
            switch (e) {
            case '"':
            case '\\':
            case '/':
                m_scratch.push_back(e);
                break;
            case 'b':
                m_scratch.push_back('\b');
                break;
            case 'f':
                m_scratch.push_back('\f');
                break;
            case 'n':
                m_scratch.push_back('\n');
                break;
            case 'r':
                m_scratch.push_back('\r');
                break;
            case 't':
                m_scratch.push_back('\t');
                break;
            case 'u': {
                auto cp = hex4();
                if (!cp) {
                    error = u"a \\u escape needs four hex digits"_s;
                    return false;
                }
                if (*cp >= 0xD800 && *cp < 0xDC00 && m_lineEnd - m_p >= 6 && m_p[0] == '\\'
                    && m_p[1] == 'u') {
                    m_p += 2;
                    const auto low = hex4();
                    if (!low || *low < 0xDC00 || *low > 0xDFFF) {
                        error = u"a \\u surrogate pair is broken"_s;
                        return false;
                    }
                    *cp = 0x10000 + ((*cp - 0xD800) << 10) + (*low - 0xDC00);
                }
                appendUtf8(m_scratch, *cp);
                break;
            }
            default:
                error = u"unknown escape \\"_s + QChar::fromLatin1(e) + u" in a string"_s;
                return false;
            }
        }
        error = u"a string is not closed before the end of the line"_s;
        return false;
    }

    std::optional<std::uint32_t> hex4()
    {
        if (m_lineEnd - m_p < 4)
            return std::nullopt;
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = *m_p++;
            v <<= 4;
            if (c >= '0' && c <= '9')
                v |= std::uint32_t(c - '0');
            else if (c >= 'a' && c <= 'f')
                v |= std::uint32_t(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                v |= std::uint32_t(c - 'A' + 10);
            else
                return std::nullopt;
        }
        return v;
    }

    bool skipNested(QString& error)
    {
        int depth = 0;
        while (m_p < m_lineEnd) {
            const char c = *m_p;
            if (c == '"') {
                std::string_view ignored;
                if (!string(ignored, error))
                    return false;
                continue;
            }
            ++m_p;
            if (c == '{' || c == '[')
                ++depth;
            else if ((c == '}' || c == ']') && --depth == 0)
                return true;
        }
        error = u"a nested value is not closed before the end of the line"_s;
        return false;
    }

    const char* m_begin;
    const char* m_end;
    const char* m_p = nullptr;
    const char* m_lineEnd = nullptr;
    const ReadOptions& m_options;
    ReadResult& m_result;
    const ChunkSink* m_sink;
    PageDropper m_dropper;
    std::string m_scratch;
};

} // namespace

void readJsonl(const char* data, qint64 size, const ReadOptions& options, ReadResult& result,
    const ChunkSink* sink)
{
    JsonlReader(data, size, options, result, sink).run();
}

} // namespace qc::trace::detail
