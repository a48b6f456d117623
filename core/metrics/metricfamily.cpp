#include "metrics/metricfamily.h"

#include <QByteArrayView>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>

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

namespace {
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
    std::map<Labels, std::size_t> index;
    const QString bucketName = family.name + u"_bucket"_s;
    const bool gauge = family.type == MetricType::GaugeHistogram;
    const QString sumName = family.name + (gauge ? u"_gsum"_s : u"_sum"_s);
    const QString countName = family.name + (gauge ? u"_gcount"_s : u"_count"_s);
    auto seriesFor = [&](Labels labels) -> HistogramSeries& {
        auto [it, inserted] = index.try_emplace(labels, result.size());
        if (inserted)
            result.push_back(HistogramSeries { std::move(labels), {}, {}, {} });
        return result[it->second];
    };
    for (const Sample& sample : family.samples) {
        if (sample.name == bucketName) {
            Labels labels;
            labels.reserve(sample.labels.size());
            std::optional<double> le;
            for (const auto& label : sample.labels) {
                if (label.first == u"le")
                    le = parseExpositionFloat(label.second.toLatin1());
                else
                    labels.push_back(label);
            }
            if (le)
                seriesFor(std::move(labels)).buckets.push_back(Bucket { *le, sample.value });
        } else if (sample.name == sumName) {
            seriesFor(sample.labels).sum = sample.value;
        } else if (sample.name == countName) {
            seriesFor(sample.labels).count = sample.value;
        }
    }
    return result;
}

} // namespace qc::metrics
