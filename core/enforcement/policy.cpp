#include "policy.h"

#include "civildate.h"

namespace qc::enforcement {

int Policy::planIndex(std::string_view name) const
{
    for (std::size_t i = 0; i < plans.size(); ++i) {
        if (plans[i].name == name)
            return static_cast<int>(i);
    }
    return -1;
}

bool Policy::hasGlobalRules() const
{
    for (const Rule& rule : rules) {
        if (rule.scope == Scope::Global)
            return true;
    }
    return false;
}

bool globMatch(std::string_view pattern, std::string_view text)
{
    // Iterative matcher: on a mismatch, retry from the last '*' with one more character eaten.
    // Linear in practice, no allocation, no recursion.
    std::size_t p = 0;
    std::size_t t = 0;
    std::size_t starP = std::string_view::npos;
    std::size_t starT = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            starP = p++;
            starT = t;
        } else if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (starP != std::string_view::npos) {
            p = starP + 1;
            t = ++starT;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

bool anyGlobMatches(const std::vector<std::string>& patterns, std::string_view text)
{
    if (patterns.empty())
        return true;
    for (const std::string& pattern : patterns) {
        if (globMatch(pattern, text))
            return true;
    }
    return false;
}

TimeMs cycleStart(const Policy& policy, TimeMs ts)
{
    if (policy.billingCycleMs > 0)
        return floorDiv(ts, policy.billingCycleMs) * policy.billingCycleMs;
    const CivilDate date = civilFromDays(floorDiv(ts, kDay));
    return daysFromCivil({ date.year, date.month, 1 }) * kDay;
}

TimeMs cycleEnd(const Policy& policy, TimeMs ts)
{
    if (policy.billingCycleMs > 0)
        return (floorDiv(ts, policy.billingCycleMs) + 1) * policy.billingCycleMs;
    const CivilDate date = civilFromDays(floorDiv(ts, kDay));
    const CivilDate next = date.month == 12 ? CivilDate { date.year + 1, 1, 1 }
                                            : CivilDate { date.year, date.month + 1, 1 };
    return daysFromCivil(next) * kDay;
}

} // namespace qc::enforcement
