#pragma once

// Internal to qc_metrics: the rules of both exposition formats that span several lines
// (histogram buckets, summary quantiles, counter values), checked once a page is read.

#include "metrics/expositionparser.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace qc::metrics::detail {

/// Which part of a metric point a sample is, from its name's suffix.
enum class SampleKind : std::uint8_t { Bare, Total, Created, Bucket, Count, Sum, Info };

/// What the parser noted about each sample of a family, parallel to family.samples: its line,
/// its kind and, in histogram and gauge histogram families only, its bucket bound (`le` as a
/// number; NaN when not a number, or for samples that are not buckets).
struct FamilyFacts {
    std::vector<int> lines;
    std::vector<SampleKind> kinds;
    std::vector<double> bounds;
};

/// The first rule `family` breaks, reported on the line of the offending sample (column 1).
std::optional<ParseError> checkFamilyRules(
    const MetricFamily& family, const FamilyFacts& facts, ExpositionFormat format);

} // namespace qc::metrics::detail
