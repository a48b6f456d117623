#pragma once

#include <string>
#include <string_view>

namespace qc::enforcement {

/// Appends `text` to `out` as a JSON string literal (quotes included): `"` `\` and control
/// characters escaped, everything else (UTF-8 included) copied as it is. The one JSON string
/// writer of the project's hand-formatted outputs (decisions, traces, policies, 429 bodies).
void appendJsonString(std::string& out, std::string_view text);

} // namespace qc::enforcement
