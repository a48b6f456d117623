#include "metrics/metricfamily.h"

#include <QByteArrayView>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

namespace qc::metrics {

using namespace Qt::StringLiterals;

QString metricTypeName(MetricType type)
{
    switch (type) {
    case MetricType::Unknown:
        return u"unknown"_s;
    case MetricType::Counter:
        return u"counter"_s;
    case MetricType::Gauge:
        return u"gauge"_s;
    case MetricType::Histogram:
        return u"histogram"_s;
    case MetricType::Summary:
        return u"summary"_s;
    case MetricType::GaugeHistogram:
        return u"gaugehistogram"_s;
    case MetricType::StateSet:
        return u"stateset"_s;
    case MetricType::Info:
        return u"info"_s;
    }
    return u"unknown"_s;
}

QString labelValue(const Labels& labels, QStringView name)
{
    for (const auto& [key, value] : labels) {
        if (key == name)
            return value;
    }
    return {};
}

Labels MetricFamily::labelsOf(const Sample& sample) const
{
    const Labels& series = seriesLabels(sample);
    if (sample.le.isNull())
        return series;
    Labels labels;
    labels.reserve(series.size() + 1);
    static const QString le = u"le"_s;
    auto at = std::lower_bound(series.begin(), series.end(), le,
        [](const auto& label, const QString& key) { return label.first < key; });
    labels.insert(labels.end(), series.begin(), at);
    labels.emplace_back(le, sample.le);
    labels.insert(labels.end(), at, series.end());
    return labels;
}

QString MetricFamily::labelValue(const Sample& sample, QStringView labelName) const
{
    if (!sample.le.isNull() && labelName == u"le")
        return sample.le;
    return metrics::labelValue(seriesLabels(sample), labelName);
}

namespace {
// Clinger's fast path: a decimal of at most 15 digits is an exact integer as a double, and so
// is a power of ten up to 1e22; one IEEE division then rounds correctly, giving what
// from_chars gives, for the plain numbers most samples are (counts, sums, bounds).
bool parseSimpleDecimal(const char* p, const char* end, double& value)
{
    static constexpr double kPowers[]
        = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
    if (end - p > 16 || p == end)
        return false;
    std::uint64_t mantissa = 0;
    int digits = 0;
    int fraction = -1; // digits after the point; -1 until a point is seen
    for (; p < end; ++p) {
        const unsigned digit = unsigned(*p) - unsigned('0');
        if (digit < 10) {
            mantissa = mantissa * 10 + digit;
            ++digits;
            if (fraction >= 0)
                ++fraction;
        } else if (*p == '.' && fraction < 0 && digits > 0) {
            fraction = 0;
        } else {
            return false;
        }
    }
    if (digits > 15 || fraction == 0)
        return false;
    value = fraction > 0 ? double(mantissa) / kPowers[fraction] : double(mantissa);
    return true;
}

bool equalsIgnoreCase(QByteArrayView text, QByteArrayView lowerCaseWord)
{
    if (text.size() != lowerCaseWord.size())
        return false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
        if (c != lowerCaseWord[i])
            return false;
    }
    return true;
}
} // namespace

std::optional<double> parseExpositionFloat(QByteArrayView text)
{
    if (text.isEmpty())
        return std::nullopt;
    const char* begin = text.data();
    const char* end = begin + text.size();
    bool negative = false;
    QByteArrayView unsignedPart = text;
    if (*begin == '+' || *begin == '-') {
        negative = *begin == '-';
        unsignedPart = text.sliced(1);
    }
    if (double simple = 0; parseSimpleDecimal(unsignedPart.data(), end, simple))
        return negative ? -simple : simple;
    if (equalsIgnoreCase(unsignedPart, "inf") || equalsIgnoreCase(unsignedPart, "infinity"))
        return negative ? -std::numeric_limits<double>::infinity()
                        : std::numeric_limits<double>::infinity();
    if (equalsIgnoreCase(text, "nan"))
        return std::numeric_limits<double>::quiet_NaN();
    // from_chars would also accept "nan"/"inf" spellings and a second sign; both were handled
    // above, so only digits, '.' and an exponent may follow.
    if (unsignedPart.isEmpty()
        || !((unsignedPart[0] >= '0' && unsignedPart[0] <= '9') || unsignedPart[0] == '.'))
        return std::nullopt;
    double value = 0;
    const auto [ptr, ec]
        = std::from_chars(unsignedPart.data(), end, value, std::chars_format::general);
    if (ptr != end)
        return std::nullopt;
    if (ec == std::errc::result_out_of_range) {
        // Go's ParseFloat (and so Prometheus) turns overflow into ±Inf and underflow into 0.
        const bool hugeExponent = std::find_if(unsignedPart.begin(), unsignedPart.end(),
                                      [](char c) { return c == 'e' || c == 'E'; })
                != unsignedPart.end()
            && !std::any_of(
                unsignedPart.begin(), unsignedPart.end(), [](char c) { return c == '-'; });
        value = hugeExponent ? std::numeric_limits<double>::infinity() : 0.0;
    } else if (ec != std::errc()) {
        return std::nullopt;
    }
    return negative ? -value : value;
}

std::vector<HistogramSeries> histogramSeries(const MetricFamily& family)
{
    std::vector<HistogramSeries> result;
    // Label sets are distinct within a family, and a bucket's set is its series' set without
    // `le`: the set index is the series.
    std::vector<std::size_t> index(family.labelSets.size(), std::size_t(-1));
    const QString bucketName = family.name + u"_bucket"_s;
    const bool gauge = family.type == MetricType::GaugeHistogram;
    const QString sumName = family.name + (gauge ? u"_gsum"_s : u"_sum"_s);
    const QString countName = family.name + (gauge ? u"_gcount"_s : u"_count"_s);
    auto seriesFor = [&](const Sample& sample) -> HistogramSeries& {
        std::size_t& at = index[sample.labelSet];
        if (at == std::size_t(-1)) {
            at = result.size();
            result.push_back(HistogramSeries { family.seriesLabels(sample), {}, {}, {} });
        }
        return result[at];
    };
    for (const Sample& sample : family.samples) {
        if (sample.name == bucketName) {
            if (sample.le.isNull())
                continue;
            if (const auto le = parseExpositionFloat(sample.le.toLatin1()))
                seriesFor(sample).buckets.push_back(Bucket { *le, sample.value });
        } else if (sample.name == sumName) {
            seriesFor(sample).sum = sample.value;
        } else if (sample.name == countName) {
            seriesFor(sample).count = sample.value;
        }
    }
    return result;
}

} // namespace qc::metrics
