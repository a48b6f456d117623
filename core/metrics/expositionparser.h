#pragma once

#include "metrics/metricfamily.h"

#include <QByteArray>
#include <QString>

namespace qc::metrics {

/// The two text exposition formats a `/metrics` endpoint may answer with.
enum class ExpositionFormat {
    PrometheusText, // text/plain; version=0.0.4
    OpenMetrics, // application/openmetrics-text; version=1.0.0
};

/// Picks the format from a Content-Type header the way Prometheus 2.42 does: the media type
/// `application/openmetrics-text` (any parameters, any case) means OpenMetrics; everything
/// else, including a missing or malformed header, means text 0.0.4.
ExpositionFormat formatFromContentType(QByteArrayView contentType);

/// Where and why an exposition was rejected. Lines and columns count from 1; the column
/// counts characters (not bytes) from the start of the line.
struct ParseError {
    int line = 0;
    int column = 0;
    QString message;

    /// "line:column: message"
    QString toString() const;
};

/// The families of a page, or the first error in it (a partial page is never returned: both
/// specifications require an invalid exposition to be rejected as a whole).
struct ParseResult {
    std::vector<MetricFamily> families;
    std::optional<ParseError> error;

    bool ok() const { return !error.has_value(); }
};

/// Parses a complete exposition held in memory. Works on the bytes directly: label names,
/// sample names and repeated label values are interned, so a page of thousands of series
/// allocates one string per distinct text rather than one per token.
ParseResult parseExposition(const QByteArray& body, ExpositionFormat format);

} // namespace qc::metrics
