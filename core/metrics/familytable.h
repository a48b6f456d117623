#pragma once

// Internal to qc_metrics: the metric families of a page being parsed, and which family each
// sample line belongs to.

#include "metrics/expositionparser.h"
#include "metrics/expositionrules.h"
#include "metrics/interntable.h"
#include "metrics/labelsetparser.h"
#include "metrics/labelsettable.h"

#include <QByteArray>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace qc::metrics::detail {

/// What the parser knows about a family beyond MetricFamily: its metadata lines seen so far,
/// and per sample the line, kind and (for histogram buckets) the bound, for the rule checks.
struct FamilyState {
    QByteArray name;
    bool hasType = false;
    bool hasHelp = false;
    bool hasUnit = false;
    FamilyFacts facts;
    LabelSetTable labelSets;
};

/// The families in order of first appearance. Both formats group a family's lines; the text
/// format lets a family be interrupted and resumed (merged, as Prometheus' parser does),
/// OpenMetrics does not.
class FamilyTable {
public:
    FamilyTable(ExpositionFormat format, InternTable& strings);

    /// The family `# HELP/TYPE/UNIT name` (the `what`) applies to, created when new; null
    /// with error() when the format does not allow metadata there.
    int forMetadata(std::string_view name, const char* at, const QString& what, int line);

    /// The family of sample `sampleName` and which part of a metric point it is (`kind`),
    /// creating an untyped family when it fits none; -1 with error() when it is not allowed.
    int forSample(std::string_view sampleName, const char* at, int line, SampleKind& kind);

    /// Whether `name` is a family that already has samples (TYPE must come before them).
    bool hasSamples(std::string_view name) const;

    int current() const { return m_current; }
    MetricFamily& family(int index) { return m_families[std::size_t(index)]; }
    FamilyState& state(int index) { return m_states[std::size_t(index)]; }
    std::size_t size() const { return m_families.size(); }
    const SyntaxError& error() const { return m_error; }

    std::vector<MetricFamily> takeFamilies() { return std::move(m_families); }

private:
    int fail(const char* at, QString message);
    int newFamily(std::string_view name, int line);
    std::optional<SampleKind> kindIn(int familyIndex, std::string_view sampleName) const;
    int find(std::string_view name) const;

    const ExpositionFormat m_format;
    const bool m_om;
    InternTable& m_strings;
    std::vector<MetricFamily> m_families;
    std::vector<FamilyState> m_states;
    std::vector<int> m_firstLines;
    std::unordered_map<std::string, int> m_index;
    int m_current = -1;
    // The kind of the previous sample line's name, which the next line mostly repeats.
    std::string_view m_lastName;
    int m_lastFamily = -1;
    SampleKind m_lastKind = SampleKind::Bare;
    SyntaxError m_error;
};

} // namespace qc::metrics::detail
