#include "metrics/labelsetparser.h"

#include "metrics/expositionsyntax.h"

namespace qc::metrics::detail {

using namespace Qt::StringLiterals;

LabelSetParser::LabelSetParser(bool openMetrics, InternTable& strings)
    : m_om(openMetrics)
    , m_strings(strings)
    , m_unescaped(&unescapeLabelValue)
{
}

bool LabelSetParser::fail(const char* at, QString message)
{
    m_error = SyntaxError { at, std::move(message) };
    return false;
}

bool LabelSetParser::parse(
    const char*& p, const char* end, std::vector<RawLabel>& out, bool remember)
{
    out.clear();
    ++p; // '{'
    skipBlanks(p, end);
    if (p < end && *p == '}') {
        ++p;
        return true;
    }
    while (true) {
        const char* nameStart = p;
        const std::size_t position = out.size();
        const Memo* remembered = remember && position < m_memo.size() ? &m_memo[position] : nullptr;
        RawLabel& label = out.emplace_back();
        // The same name as the previous line's label here: no need to scan or look it up.
        if (remembered && std::size_t(end - p) > remembered->name.size()
            && !isLabelNameChar(p[remembered->name.size()])
            && sameBytes(remembered->name, { p, remembered->name.size() })) {
            label.name = { p, remembered->name.size() };
            label.nameString = remembered->nameString;
            p += remembered->name.size();
        } else {
            if (p == end || isDigit(*p) || !isLabelNameChar(*p)) {
                if (p == end)
                    return fail(p, u"the label set is not closed: expected a label name or '}'"_s);
                return fail(p,
                    u"expected a label name, found "_s % quoted({ p, 1 })
                        % u"; label names match [a-zA-Z_][a-zA-Z0-9_]*"_s);
            }
            while (p < end && isLabelNameChar(*p))
                ++p;
            label.name = { nameStart, std::size_t(p - nameStart) };
            label.nameString = &intern(label.name);
        }
        const std::string_view name = label.name;
        skipBlanks(p, end);
        if (p == end || *p != '=') {
            if (p < end && isMetricNameChar(*p))
                return fail(p,
                    u"unexpected character "_s % quoted({ p, 1 }) % u" in label name "_s
                        % quoted(name) % u"; label names match [a-zA-Z_][a-zA-Z0-9_]*"_s);
            return fail(p, u"expected '=' after label name "_s % quoted(name));
        }
        ++p;
        skipBlanks(p, end);
        if (p == end || *p != '"')
            return fail(p, u"expected '\"' to start the value of label "_s % quoted(name));
        ++p;
        for (std::size_t i = 0; i < position; ++i) {
            if (out[i].nameString == label.nameString) // interned: same text, same pointer
                return fail(nameStart,
                    u"label "_s % quoted(name) % u" appears twice in the same label set"_s);
        }
        std::string_view raw;
        bool plain = true;
        // The previous line's value at this position had no escapes: when the same bytes
        // follow, closed by a quote, it is the same value.
        if (remembered && remembered->valueString && std::size_t(end - p) > remembered->value.size()
            && p[remembered->value.size()] == '"'
            && sameBytes(remembered->value, { p, remembered->value.size() })) {
            raw = { p, remembered->value.size() };
            label.value = remembered->valueString;
            p += raw.size() + 1;
        } else {
            plain = parseValue(p, end, name, label, raw);
            if (!label.value)
                return false;
        }
        if (remember) {
            if (position >= m_memo.size())
                m_memo.resize(position + 1);
            m_memo[position]
                = Memo { name, label.nameString, plain ? raw : std::string_view(), label.value };
            if (!plain)
                m_memo[position].valueString = nullptr;
        }
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

// Reads a value after its opening quote. Returns whether it had no escapes; on an error,
// label.value stays null.
bool LabelSetParser::parseValue(
    const char*& p, const char* end, std::string_view name, RawLabel& label, std::string_view& raw)
{
    const char* start = p;
    // Values are short: one pass for the closing quote or a backslash beats two memchr calls.
    const char* quote = nullptr;
    const char* backslash = nullptr;
    for (const char* q = p; q < end; ++q) {
        if (*q == '"') {
            quote = q;
            break;
        }
        if (*q == '\\') {
            backslash = q;
            break;
        }
    }
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
    if (!quote) {
        fail(start - 1, u"the value of label "_s % quoted(name) % u" has no closing '\"'"_s);
        return false;
    }
    raw = std::string_view(start, std::size_t(quote - start));
    p = quote + 1;
    if (hasNonAscii(raw) && !isValidUtf8(raw)) {
        fail(start, u"the value of label "_s % quoted(name) % u" is not valid UTF-8"_s);
        return false;
    }
    label.value = backslash ? &m_unescaped.get(raw) : &intern(raw);
    return !backslash;
}

} // namespace qc::metrics::detail
