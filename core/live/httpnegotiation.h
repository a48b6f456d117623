#pragma once

#include "metrics/expositionparser.h"

#include <QByteArray>
#include <QByteArrayView>

namespace qc::live {

/// The exposition format to answer an `Accept` header with. Media ranges are weighed as
/// RFC 9110 says (the most specific range that matches decides an offer's q; q=0 refuses):
/// OpenMetrics 1.0.0 is offered as `application/openmetrics-text` with version 1.0.0 (or none),
/// text 0.0.4 as `text/plain` with version 0.0.4 (or none). The better q wins, text on a tie;
/// a header that accepts neither gets text, as Prometheus' own client libraries do. With
/// Prometheus 2.42's header (qc::metrics::kScrapeAcceptHeader) that is OpenMetrics.
qc::metrics::ExpositionFormat negotiateExposition(QByteArrayView accept);

/// True when `Accept-Encoding` accepts gzip (gzip, x-gzip or * with q > 0).
bool acceptsGzip(QByteArrayView acceptEncoding);

/// The Content-Type of a page in that format.
QByteArray contentTypeOf(qc::metrics::ExpositionFormat format);

} // namespace qc::live
