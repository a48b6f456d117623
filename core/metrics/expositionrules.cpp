#include "metrics/expositionrules.h"

#include <QHash>

#include <cmath>
#include <limits>
#include <unordered_map>

namespace qc::metrics::detail {

using namespace Qt::StringLiterals;

namespace {

ParseError errorOnLine(int line, const QString& message)
{
    return ParseError { line, 1, message };
}

QString describe(const QString& name, const Labels& labels, bool skipLe)
{
    QString text = name % u'{';
    bool first = true;
    for (const auto& [key, value] : labels) {
        if (skipLe && key == u"le")
            continue;
        if (!first)
            text += u',';
        first = false;
        text += key % u"=\""_s % value % u'"';
    }
    return text % u'}';
}

bool isLe(const QString& name)
{
    return name.size() == 2 && name[0] == u'l' && name[1] == u'e';
}

// Interned strings share their data, so most equal strings are equal by pointer.
bool sameString(const QString& a, const QString& b)
{
    return a.constData() == b.constData() || a == b;
}

// Whether two label sets are equal once `le` is ignored on both sides.
bool sameSeries(const Labels& a, const Labels& b)
{
    auto i = a.begin();
    auto j = b.begin();
    while (true) {
        while (i != a.end() && isLe(i->first))
            ++i;
        while (j != b.end() && isLe(j->first))
            ++j;
        if (i == a.end() || j == b.end())
            return i == a.end() && j == b.end();
        if (!sameString(i->first, j->first) || !sameString(i->second, j->second))
            return false;
        ++i;
        ++j;
    }
}

std::size_t seriesHash(const Labels& labels)
{
    std::size_t hash = 0;
    for (const auto& [name, value] : labels) {
        if (!isLe(name))
            hash = (hash * 1000003u) ^ qHash(name) ^ (qHash(value) * 31u);
    }
    return hash;
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
    std::size_t representative = 0; // index of a sample of the series, for comparisons
    double lastLe = -std::numeric_limits<double>::infinity();
    double lastCount = 0;
    double infCount = 0;
    bool hasBuckets = false;
    bool hasInf = false;
    bool hasSum = false;
    std::optional<double> count;
    int lastLine = 0;
    int lastBucketLine = 0;
    int countLine = 0;
};

std::optional<ParseError> checkHistogram(const MetricFamily& family, const std::vector<int>& lines,
    const std::vector<SampleKind>& kinds, bool om)
{
    std::vector<SeriesCheck> series;
    std::unordered_multimap<std::size_t, std::size_t> index;
    std::size_t current = std::size_t(-1);
    const auto seriesOf = [&](std::size_t s) -> SeriesCheck& {
        const Labels& labels = family.samples[s].labels;
        // Buckets of one series come one after the other: compare with the last one first.
        if (current != std::size_t(-1)
            && sameSeries(labels, family.samples[series[current].representative].labels))
            return series[current];
        const std::size_t hash = seriesHash(labels);
        const auto [from, to] = index.equal_range(hash);
        for (auto it = from; it != to; ++it) {
            if (sameSeries(labels, family.samples[series[it->second].representative].labels)) {
                current = it->second;
                return series[current];
            }
        }
        current = series.size();
        index.emplace(hash, current);
        series.push_back(SeriesCheck {});
        series.back().representative = s;
        return series.back();
    };
    const auto name = [&](const SeriesCheck& check) {
        return describe(family.name, family.samples[check.representative].labels, true);
    };
    for (std::size_t s = 0; s < family.samples.size(); ++s) {
        const Sample& sample = family.samples[s];
        const int line = lines[s];
        switch (kinds[s]) {
        case SampleKind::Bucket: {
            const QString* le = nullptr;
            for (const auto& label : sample.labels) {
                if (isLe(label.first))
                    le = &label.second;
            }
            if (!le)
                return errorOnLine(line,
                    u"histogram bucket "_s % describe(sample.name, sample.labels, false)
                        % u" has no 'le' label"_s);
            const auto bound = numberFromLabel(*le);
            if (!bound || std::isnan(*bound))
                return errorOnLine(
                    line, u"le=\""_s % *le % u"\" of "_s % sample.name % u" is not a number"_s);
            SeriesCheck& check = seriesOf(s);
            if (om) {
                if (check.hasBuckets && *bound <= check.lastLe)
                    return errorOnLine(line,
                        u"bucket le=\""_s % *le % u"\" of "_s % name(check)
                            % u" is not above the previous bucket's le; OpenMetrics requires buckets sorted by increasing le"_s);
                if (std::isnan(sample.value) || sample.value < 0)
                    return errorOnLine(line,
                        u"bucket le=\""_s % *le % u"\" of "_s % name(check)
                            % u" has a negative or NaN count"_s);
                if (check.hasBuckets && sample.value < check.lastCount)
                    return errorOnLine(line,
                        u"bucket le=\""_s % *le % u"\" of "_s % name(check) % u" counts "_s
                            % QString::number(sample.value)
                            % u", less than the previous bucket's "_s
                            % QString::number(check.lastCount) % u"; buckets are cumulative"_s);
            }
            check.hasBuckets = true;
            check.lastLe = *bound;
            check.lastCount = sample.value;
            check.lastLine = std::max(check.lastLine, line);
            check.lastBucketLine = line;
            if (std::isinf(*bound) && *bound > 0) {
                check.hasInf = true;
                check.infCount = sample.value;
            }
            break;
        }
        case SampleKind::Sum:
        case SampleKind::Count: {
            SeriesCheck& check = seriesOf(s);
            if (kinds[s] == SampleKind::Sum) {
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
    for (const SeriesCheck& check : series) {
        if (check.hasBuckets && !check.hasInf)
            return errorOnLine(check.lastBucketLine,
                u"histogram "_s % name(check) % u" has no le=\"+Inf\" bucket"_s);
        if (!om)
            continue;
        if (!check.hasBuckets)
            return errorOnLine(check.lastLine,
                u"histogram "_s % name(check) % u" has _sum or _count but no buckets"_s);
        if (check.count && *check.count != check.infCount)
            return errorOnLine(check.countLine,
                u"the count of histogram "_s % name(check) % u" is "_s
                    % QString::number(*check.count) % u" but its le=\"+Inf\" bucket counts "_s
                    % QString::number(check.infCount) % u"; they must be equal"_s);
        if (check.hasSum && !check.count)
            return errorOnLine(
                check.lastLine, u"histogram "_s % name(check) % u" has a sum but no count"_s);
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
        const QString quantile = labelValue(sample.labels, u"quantile");
        if (quantile.isNull())
            return errorOnLine(lines[s],
                u"summary sample "_s % describe(sample.name, sample.labels, false)
                    % u" has no 'quantile' label"_s);
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
                u"counter "_s % describe(sample.name, sample.labels, false) % u" has value "_s
                    % QString::number(sample.value)
                    % u"; counter values must not be negative or NaN"_s);
    }
    return std::nullopt;
}

} // namespace

std::optional<ParseError> checkFamilyRules(const MetricFamily& family,
    const std::vector<int>& lines, const std::vector<SampleKind>& kinds, ExpositionFormat format)
{
    const bool om = format == ExpositionFormat::OpenMetrics;
    switch (family.type) {
    case MetricType::Histogram:
    case MetricType::GaugeHistogram:
        return checkHistogram(family, lines, kinds, om);
    case MetricType::Summary:
        return checkSummary(family, lines, kinds, om);
    case MetricType::Counter:
        return om ? checkCounter(family, lines, kinds) : std::nullopt;
    default:
        return std::nullopt;
    }
}

} // namespace qc::metrics::detail
