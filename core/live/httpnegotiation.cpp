#include "httpnegotiation.h"

#include <QList>

namespace qc::live {

namespace {

using qc::metrics::ExpositionFormat;

struct MediaRange {
    QByteArray type; // lower case, e.g. "text" or "*"
    QByteArray subtype;
    QByteArray version; // the version parameter, empty when absent
    double q = 1;
};

double parseQ(QByteArrayView text)
{
    bool ok = false;
    const double q = text.toDouble(&ok);
    if (!ok || q < 0)
        return 0;
    return q > 1 ? 1 : q;
}

QList<MediaRange> parseAccept(QByteArrayView header)
{
    QList<MediaRange> out;
    for (const QByteArray& item : header.toByteArray().split(',')) {
        const QList<QByteArray> parts = item.split(';');
        const QByteArray media = parts.value(0).trimmed().toLower();
        const qsizetype slash = media.indexOf('/');
        if (slash <= 0 || slash == media.size() - 1)
            continue;
        MediaRange range;
        range.type = media.left(slash);
        range.subtype = media.mid(slash + 1);
        for (qsizetype i = 1; i < parts.size(); ++i) {
            const QByteArray parameter = parts[i].trimmed();
            const qsizetype eq = parameter.indexOf('=');
            if (eq <= 0)
                continue;
            const QByteArray name = parameter.left(eq).trimmed().toLower();
            QByteArray value = parameter.mid(eq + 1).trimmed();
            if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
                value = value.mid(1, value.size() - 2);
            if (name == "q")
                range.q = parseQ(value);
            else if (name == "version")
                range.version = value;
        }
        out.append(range);
    }
    return out;
}

// q of an offer: from the most specific matching range (exact type with the version named,
// exact type, type/*, */*); -1 when no range matches.
double qualityOf(const QList<MediaRange>& ranges, QByteArrayView type, QByteArrayView subtype,
    QByteArrayView version)
{
    int bestSpecificity = -1;
    double q = -1;
    for (const MediaRange& r : ranges) {
        int specificity = -1;
        if (r.type == "*" && r.subtype == "*") {
            specificity = 0;
        } else if (r.type == type && r.subtype == "*") {
            specificity = 1;
        } else if (r.type == type && r.subtype == subtype) {
            if (r.version.isEmpty())
                specificity = 2;
            else if (r.version == version)
                specificity = 3;
            // another version of the same type does not match this offer
        }
        if (specificity > bestSpecificity) {
            bestSpecificity = specificity;
            q = r.q;
        }
    }
    return q;
}

} // namespace

ExpositionFormat negotiateExposition(QByteArrayView accept)
{
    const QList<MediaRange> ranges = parseAccept(accept);
    if (ranges.isEmpty())
        return ExpositionFormat::PrometheusText;
    const double openMetrics = qualityOf(ranges, "application", "openmetrics-text", "1.0.0");
    const double text = qualityOf(ranges, "text", "plain", "0.0.4");
    if (openMetrics > 0 && openMetrics > text)
        return ExpositionFormat::OpenMetrics;
    return ExpositionFormat::PrometheusText;
}

bool acceptsGzip(QByteArrayView acceptEncoding)
{
    double gzip = -1;
    double wildcard = -1;
    for (const QByteArray& item : acceptEncoding.toByteArray().split(',')) {
        const QList<QByteArray> parts = item.split(';');
        const QByteArray coding = parts.value(0).trimmed().toLower();
        double q = 1;
        for (qsizetype i = 1; i < parts.size(); ++i) {
            const QByteArray parameter = parts[i].trimmed();
            if (parameter.startsWith("q=") || parameter.startsWith("Q="))
                q = parseQ(parameter.mid(2));
        }
        if (coding == "gzip" || coding == "x-gzip")
            gzip = std::max(gzip, q);
        else if (coding == "*")
            wildcard = q;
    }
    return gzip >= 0 ? gzip > 0 : wildcard > 0;
}

QByteArray contentTypeOf(ExpositionFormat format)
{
    return format == ExpositionFormat::OpenMetrics
        ? QByteArrayLiteral("application/openmetrics-text; version=1.0.0; charset=utf-8")
        : QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8");
}

} // namespace qc::live
