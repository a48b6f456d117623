#pragma once

// Internal to qc_metrics: reads the `{name="value",...}` label sets of exposition lines.

#include "metrics/interntable.h"

#include <QString>

#include <string_view>
#include <vector>

namespace qc::metrics::detail {

/// One label as written on the line; both strings are interned (the value already unescaped).
struct RawLabel {
    std::string_view name;
    const QString* nameString = nullptr;
    const QString* value = nullptr;
};

/// Where and why a line was rejected; `at` points into the line.
struct SyntaxError {
    const char* at = nullptr;
    QString message;
};

/// Scans label sets into interned strings. Names and values repeated on thousands of lines
/// become one shared QString each; an unchanged label at the same position as on the previous
/// line is recognised by comparing its bytes, which is cheaper than hashing them.
class LabelSetParser {
public:
    /// `strings` interns names and plain values; it is shared with the rest of the parser.
    LabelSetParser(bool openMetrics, InternTable& strings);

    /// Reads the label set starting at `p` (on its '{') into `out`, leaving `p` after its '}'.
    /// `remember` keeps this set as the reference for the next line (sample labels, not the
    /// exemplars'). On false, error() says what is wrong and where.
    bool parse(const char*& p, const char* end, std::vector<RawLabel>& out, bool remember);

    const SyntaxError& error() const { return m_error; }

    /// The interned string for `text`, which must outlive the parser (text of the page).
    const QString& intern(std::string_view text) { return m_strings.get(text); }

private:
    struct Memo {
        std::string_view name;
        const QString* nameString = nullptr;
        std::string_view value;
        const QString* valueString = nullptr;
    };

    bool fail(const char* at, QString message);
    bool parseValue(const char*& p, const char* end, std::string_view name, RawLabel& label,
        std::string_view& raw);
    void skipBlanks(const char*& p, const char* end) const
    {
        if (m_om)
            return; // OpenMetrics allows no blanks inside a label set
        while (p < end && (*p == ' ' || *p == '\t'))
            ++p;
    }

    const bool m_om;
    InternTable& m_strings;
    InternTable m_unescaped;
    std::vector<Memo> m_memo;
    SyntaxError m_error;
};

} // namespace qc::metrics::detail
