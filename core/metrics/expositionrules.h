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

/// The first rule `family` breaks, reported on the line of the offending sample (column 1);
/// `lines` and `kinds` run parallel to family.samples.
std::optional<ParseError> checkFamilyRules(const MetricFamily& family,
    const std::vector<int>& lines, const std::vector<SampleKind>& kinds, ExpositionFormat format);

} // namespace qc::metrics::detail
