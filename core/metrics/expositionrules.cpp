#include "metrics/expositionrules.h"

#include <cmath>
#include <cstdint>
#include <limits>

namespace qc::metrics::detail {

using namespace Qt::StringLiterals;

namespace {

ParseError errorOnLine(int line, const QString& message)
{
    return ParseError { line, 1, message };
}

// name{labels} as an exposition writes it; a bucket's `le` only when `withLe`.
QString describe(const QString& name, const Labels& labels, const QString& le = {})
{
    QString text = name % u'{';
    bool first = true;
    bool leDone = le.isNull();
    for (const auto& [key, value] : labels) {
        if (!leDone && u"le"_s < key) {
            text += (first ? QString() : u","_s) % u"le=\""_s % le % u'"';
            first = false;
            leDone = true;
        }
        if (!first)
            text += u',';
        first = false;
        text += key % u"=\""_s % value % u'"';
    }
    if (!leDone)
        text += (first ? QString() : u","_s) % u"le=\""_s % le % u'"';
    return text % u'}';
}

QString describe(const MetricFamily& family, const Sample& sample)
{
    return describe(sample.name, family.seriesLabels(sample), sample.le);
}

std::optional<double> numberFromLabel(const QString& text)
{
    char buffer[64];
    if (text.size() >= qsizetype(sizeof buffer))
        return std::nullopt;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (c > 0x7f)
            return std::nullopt;
        buffer[i] = char(c);
    }
    return parseExpositionFloat(QByteArrayView(buffer, text.size()));
}

struct SeriesCheck {
    double lastLe = -std::numeric_limits<double>::infinity();
    double lastCount = 0;
    double infCount = 0;
    bool seen = false;
    bool hasBuckets = false;
    bool hasInf = false;
    bool hasSum = false;
    std::optional<double> count;
    int lastLine = 0;
    int lastBucketLine = 0;
    int countLine = 0;
};

std::optional<ParseError> checkHistogram(
    const MetricFamily& family, const FamilyFacts& facts, bool om)
{
    // A bucket's label set leaves out its `le`: the set is the series.
    std::vector<SeriesCheck> series(family.labelSets.size());
    std::vector<std::uint32_t> order; // series in order of first appearance
    const auto seriesOf = [&](const Sample& sample) -> SeriesCheck& {
        SeriesCheck& check = series[sample.labelSet];
        if (!check.seen) {
            check.seen = true;
            order.push_back(sample.labelSet);
        }
        return check;
    };
    const auto name
        = [&](std::uint32_t set) { return describe(family.name, family.labelSets[set]); };
    for (std::size_t s = 0; s < family.samples.size(); ++s) {
        const Sample& sample = family.samples[s];
        const int line = facts.lines[s];
        switch (facts.kinds[s]) {
        case SampleKind::Bucket: {
            if (sample.le.isNull())
                return errorOnLine(line,
                    u"histogram bucket "_s % describe(family, sample) % u" has no 'le' label"_s);
            const double bound = facts.bounds[s];
            if (std::isnan(bound))
                return errorOnLine(line,
                    u"le=\""_s % sample.le % u"\" of "_s % sample.name % u" is not a number"_s);
            SeriesCheck& check = seriesOf(sample);
            if (om) {
                if (check.hasBuckets && bound <= check.lastLe)
                    return errorOnLine(line,
                        u"bucket le=\""_s % sample.le % u"\" of "_s % name(sample.labelSet)
                            % u" is not above the previous bucket's le; OpenMetrics requires buckets sorted by increasing le"_s);
                if (std::isnan(sample.value) || sample.value < 0)
                    return errorOnLine(line,
                        u"bucket le=\""_s % sample.le % u"\" of "_s % name(sample.labelSet)
                            % u" has a negative or NaN count"_s);
                if (check.hasBuckets && sample.value < check.lastCount)
                    return errorOnLine(line,
                        u"bucket le=\""_s % sample.le % u"\" of "_s % name(sample.labelSet)
                            % u" counts "_s % QString::number(sample.value)
                            % u", less than the previous bucket's "_s
                            % QString::number(check.lastCount) % u"; buckets are cumulative"_s);
            }
            check.hasBuckets = true;
            check.lastLe = bound;
            check.lastCount = sample.value;
            check.lastLine = std::max(check.lastLine, line);
            check.lastBucketLine = line;
            if (std::isinf(bound) && bound > 0) {
                check.hasInf = true;
                check.infCount = sample.value;
            }
            break;
        }
        case SampleKind::Sum:
        case SampleKind::Count: {
            SeriesCheck& check = seriesOf(sample);
            if (facts.kinds[s] == SampleKind::Sum) {
                check.hasSum = true;
            } else {
                check.count = sample.value;
                check.countLine = line;
            }
            check.lastLine = std::max(check.lastLine, line);
            break;
        }
        default:
            break;
        }
    }
    for (const std::uint32_t set : order) {
        const SeriesCheck& check = series[set];
        if (check.hasBuckets && !check.hasInf)
            return errorOnLine(check.lastBucketLine,
                u"histogram "_s % name(set) % u" has no le=\"+Inf\" bucket"_s);
        if (!om)
            continue;
        if (!check.hasBuckets)
            return errorOnLine(check.lastLine,
                u"histogram "_s % name(set) % u" has _sum or _count but no buckets"_s);
        if (check.count && *check.count != check.infCount)
            return errorOnLine(check.countLine,
                u"the count of histogram "_s % name(set) % u" is "_s % QString::number(*check.count)
                    % u" but its le=\"+Inf\" bucket counts "_s % QString::number(check.infCount)
                    % u"; they must be equal"_s);
        if (check.hasSum && !check.count)
            return errorOnLine(
                check.lastLine, u"histogram "_s % name(set) % u" has a sum but no count"_s);
    }
    return std::nullopt;
}

std::optional<ParseError> checkSummary(const MetricFamily& family, const std::vector<int>& lines,
    const std::vector<SampleKind>& kinds, bool om)
{
    for (std::size_t s = 0; s < family.samples.size(); ++s) {
        if (kinds[s] != SampleKind::Bare)
            continue;
        const Sample& sample = family.samples[s];
        const QString quantile = family.labelValue(sample, u"quantile");
        if (quantile.isNull())
            return errorOnLine(lines[s],
                u"summary sample "_s % describe(family, sample) % u" has no 'quantile' label"_s);
        const auto q = numberFromLabel(quantile);
        if (!q)
            return errorOnLine(lines[s],
                u"quantile \""_s % quantile % u"\" of "_s % sample.name % u" is not a number"_s);
        if (om && !(*q >= 0 && *q <= 1))
            return errorOnLine(lines[s],
                u"quantile \""_s % quantile % u"\" of "_s % sample.name % u" is outside 0..1"_s);
    }
    return std::nullopt;
}

std::optional<ParseError> checkCounter(
    const MetricFamily& family, const std::vector<int>& lines, const std::vector<SampleKind>& kinds)
{
    for (std::size_t s = 0; s < family.samples.size(); ++s) {
        const Sample& sample = family.samples[s];
        if (kinds[s] == SampleKind::Total && (std::isnan(sample.value) || sample.value < 0))
            return errorOnLine(lines[s],
                u"counter "_s % describe(family, sample) % u" has value "_s
                    % QString::number(sample.value)
                    % u"; counter values must not be negative or NaN"_s);
    }
    return std::nullopt;
}

} // namespace

std::optional<ParseError> checkFamilyRules(
    const MetricFamily& family, const FamilyFacts& facts, ExpositionFormat format)
{
    const std::vector<int>& lines = facts.lines;
    const std::vector<SampleKind>& kinds = facts.kinds;
    const bool om = format == ExpositionFormat::OpenMetrics;
    switch (family.type) {
    case MetricType::Histogram:
    case MetricType::GaugeHistogram:
        return checkHistogram(family, facts, om);
    case MetricType::Summary:
        return checkSummary(family, lines, kinds, om);
    case MetricType::Counter:
        return om ? checkCounter(family, lines, kinds) : std::nullopt;
    default:
        return std::nullopt;
    }
}

} // namespace qc::metrics::detail
