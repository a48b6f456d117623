#include "metrics/familytable.h"

#include "metrics/expositionsyntax.h"

namespace qc::metrics::detail {

using namespace Qt::StringLiterals;

FamilyTable::FamilyTable(ExpositionFormat format, InternTable& strings)
    : m_format(format)
    , m_om(format == ExpositionFormat::OpenMetrics)
    , m_strings(strings)
{
}

int FamilyTable::fail(const char* at, QString message)
{
    m_error = SyntaxError { at, std::move(message) };
    return -1;
}

int FamilyTable::find(std::string_view name) const
{
    const auto it = m_index.find(std::string(name));
    return it == m_index.end() ? -1 : it->second;
}

int FamilyTable::newFamily(std::string_view name, int line)
{
    MetricFamily family;
    family.name = m_strings.get(name);
    m_families.push_back(std::move(family));
    FamilyState& state = m_states.emplace_back();
    state.name = QByteArray(name.data(), qsizetype(name.size()));
    m_firstLines.push_back(line);
    m_current = int(m_families.size()) - 1;
    m_index.emplace(std::string(name), m_current);
    return m_current;
}

bool FamilyTable::hasSamples(std::string_view name) const
{
    const int found = find(name);
    return found >= 0 && !m_states[std::size_t(found)].facts.lines.empty();
}

int FamilyTable::forMetadata(std::string_view name, const char* at, const QString& what, int line)
{
    if (m_current >= 0 && viewOf(m_states[std::size_t(m_current)].name) == name) {
        if (m_om && !m_states[std::size_t(m_current)].facts.lines.empty())
            return fail(at,
                u"'# "_s % what % u"' for "_s % fromView(name)
                    % u" comes after its samples; OpenMetrics requires metadata first"_s);
        return m_current;
    }
    const int found = find(name);
    if (found >= 0) {
        if (m_om)
            return fail(at,
                u"metric family "_s % fromView(name)
                    % u" is interleaved with another family (first seen on line "_s
                    % QString::number(m_firstLines[std::size_t(found)])
                    % u"); OpenMetrics requires the lines of a family to be together"_s);
        m_current = found;
        return m_current;
    }
    return newFamily(name, line);
}

std::optional<SampleKind> FamilyTable::kindIn(int familyIndex, std::string_view sampleName) const
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

int FamilyTable::forSample(std::string_view sampleName, const char* at, int line, SampleKind& kind)
{
    // Lines of a series come together: the same name in the same family is the same kind (a
    // family's type cannot change once it has samples).
    if (m_current >= 0 && m_current == m_lastFamily && sameBytes(sampleName, m_lastName)) {
        kind = m_lastKind;
        return m_current;
    }
    const int found = [&] {
        if (m_current >= 0) {
            if (const auto k = kindIn(m_current, sampleName)) {
                kind = *k;
                return m_current;
            }
            if (viewOf(m_states[std::size_t(m_current)].name) == sampleName) {
                const MetricType type = m_families[std::size_t(m_current)].type;
                return fail(at,
                    u"sample "_s % fromView(sampleName) % u" has no suffix, but "_s
                        % metricTypeName(type) % u" family "_s % fromView(sampleName)
                        % u" needs one (e.g. "_s
                        % fromView(suffixesFor(type, m_format).list.front().text) % u')');
            }
        }
        int other = -1;
        if (const int exact = find(sampleName); exact >= 0) {
            if (const auto k = kindIn(exact, sampleName)) {
                kind = *k;
                other = exact;
            }
        }
        for (std::size_t i = 0; other < 0 && i < std::size(kAllSuffixes); ++i) {
            const std::string_view suffix = kAllSuffixes[i];
            if (sampleName.size() > suffix.size()
                && sampleName.substr(sampleName.size() - suffix.size()) == suffix) {
                const int base = find(sampleName.substr(0, sampleName.size() - suffix.size()));
                if (base >= 0) {
                    if (const auto k = kindIn(base, sampleName)) {
                        kind = *k;
                        other = base;
                    }
                }
            }
        }
        if (other >= 0) {
            if (m_om)
                return fail(at,
                    u"sample "_s % fromView(sampleName) % u" belongs to metric family "_s
                        % m_families[std::size_t(other)].name % u" (first seen on line "_s
                        % QString::number(m_firstLines[std::size_t(other)])
                        % u"), which another family interrupted; OpenMetrics does not allow interleaved families"_s);
            m_current = other;
            return other;
        }
        if (const int exact = find(sampleName); exact >= 0)
            return fail(at,
                u"sample "_s % fromView(sampleName) % u" does not fit its "_s
                    % metricTypeName(m_families[std::size_t(exact)].type) % u" family"_s);
        kind = SampleKind::Bare; // an untyped family takes bare names only
        return newFamily(sampleName, line);
    }();
    if (found >= 0) {
        m_lastName = sampleName;
        m_lastFamily = found;
        m_lastKind = kind;
    }
    return found;
}

} // namespace qc::metrics::detail
