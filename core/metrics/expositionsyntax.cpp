#include "metrics/expositionsyntax.h"

#include <string>

namespace qc::metrics::detail {

QString unescapeLabelValue(std::string_view raw)
{
    std::string unescaped;
    unescaped.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\\' && i + 1 < raw.size()) {
            const char next = raw[i + 1];
            if (next == '\\' || next == '"' || next == 'n') {
                unescaped.push_back(next == 'n' ? '\n' : next);
                ++i;
                continue;
            }
            // Both specifications read an unknown escape as a backslash and the character.
        }
        unescaped.push_back(raw[i]);
    }
    return QString::fromStdString(unescaped);
}

} // namespace qc::metrics::detail
