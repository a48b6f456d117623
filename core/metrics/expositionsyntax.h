#pragma once

// Internal to qc_metrics: the lexical pieces shared by both exposition formats (character
// classes, UTF-8 checks, escapes, which name suffixes belong to which metric type).

#include "metrics/expositionparser.h"
#include "metrics/expositionrules.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

namespace qc::metrics::detail {

inline bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}
inline bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Equality of short byte strings without a call into the C library.
inline bool sameBytes(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    const char* p = a.data();
    const char* q = b.data();
    std::size_t left = a.size();
    for (; left >= 8; p += 8, q += 8, left -= 8) {
        std::uint64_t x;
        std::uint64_t y;
        std::memcpy(&x, p, 8);
        std::memcpy(&y, q, 8);
        if (x != y)
            return false;
    }
    for (; left > 0; ++p, ++q, --left) {
        if (*p != *q)
            return false;
    }
    return true;
}

inline bool startsWith(std::string_view text, std::string_view prefix)
{
    return text.size() >= prefix.size()
        && std::memcmp(text.data(), prefix.data(), prefix.size()) == 0;
}

// Strict UTF-8 check (no overlongs, no surrogates), run only on text with non-ASCII bytes.
inline bool isValidUtf8(std::string_view text)
{
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = s + text.size();
    while (s < end) {
        const unsigned char c = *s;
        if (c < 0x80) {
            ++s;
            continue;
        }
        int extra = 0;
        unsigned min = 0;
        unsigned codePoint = 0;
        if ((c & 0xE0) == 0xC0) {
            extra = 1;
            min = 0x80;
            codePoint = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
            min = 0x800;
            codePoint = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3;
            min = 0x10000;
            codePoint = c & 0x07;
        } else {
            return false;
        }
        if (end - s <= extra)
            return false;
        for (int i = 1; i <= extra; ++i) {
            if ((s[i] & 0xC0) != 0x80)
                return false;
            codePoint = (codePoint << 6) | (s[i] & 0x3F);
        }
        if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
            return false;
        s += extra + 1;
    }
    return true;
}

inline bool hasNonAscii(std::string_view text)
{
    const char* p = text.data();
    std::size_t left = text.size();
    std::uint64_t bits = 0;
    for (; left >= 8; p += 8, left -= 8) {
        std::uint64_t word;
        std::memcpy(&word, p, 8);
        bits |= word;
    }
    for (; left > 0; ++p, --left)
        bits |= static_cast<unsigned char>(*p);
    return (bits & 0x8080808080808080ull) != 0;
}

inline QString quoted(std::string_view text)
{
    return u'\'' % QString::fromUtf8(text.data(), qsizetype(text.size())) % u'\'';
}

inline QString fromView(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

inline std::string_view viewOf(const QByteArray& bytes)
{
    return { bytes.constData(), std::size_t(bytes.size()) };
}

struct Suffix {
    std::string_view text;
    SampleKind kind;
};

struct Suffixes {
    bool bare = false;
    std::span<const Suffix> list;
};

constexpr Suffix kOmCounter[]
    = { { "_total", SampleKind::Total }, { "_created", SampleKind::Created } };
constexpr Suffix kOmHistogram[]
    = { { "_bucket", SampleKind::Bucket }, { "_count", SampleKind::Count },
          { "_sum", SampleKind::Sum }, { "_created", SampleKind::Created } };
constexpr Suffix kTextHistogram[] = { { "_bucket", SampleKind::Bucket },
    { "_count", SampleKind::Count }, { "_sum", SampleKind::Sum } };
constexpr Suffix kGaugeHistogram[] = { { "_bucket", SampleKind::Bucket },
    { "_gcount", SampleKind::Count }, { "_gsum", SampleKind::Sum } };
constexpr Suffix kOmSummary[] = { { "_count", SampleKind::Count }, { "_sum", SampleKind::Sum },
    { "_created", SampleKind::Created } };
constexpr Suffix kTextSummary[] = { { "_count", SampleKind::Count }, { "_sum", SampleKind::Sum } };
constexpr Suffix kInfo[] = { { "_info", SampleKind::Info } };

// Which sample names belong to a family of each type, per format. The text format predates
// the _total and _created conventions, so only histograms and summaries have suffixes there.
inline Suffixes suffixesFor(MetricType type, ExpositionFormat format)
{
    const bool om = format == ExpositionFormat::OpenMetrics;
    switch (type) {
    case MetricType::Unknown:
    case MetricType::Gauge:
    case MetricType::StateSet:
        return { true, {} };
    case MetricType::Counter:
        if (om)
            return { false, kOmCounter };
        return { true, {} };
    case MetricType::Histogram:
        return { false, om ? std::span<const Suffix>(kOmHistogram) : kTextHistogram };
    case MetricType::GaugeHistogram:
        return { false, kGaugeHistogram };
    case MetricType::Summary:
        return { true, om ? std::span<const Suffix>(kOmSummary) : kTextSummary };
    case MetricType::Info:
        return { false, kInfo };
    }
    return { true, {} };
}

constexpr std::string_view kAllSuffixes[]
    = { "_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum", "_info" };

// Character classes by table lookup: these run on every byte of names.
struct CharClasses {
    bool labelName[256] {};
    bool metricName[256] {};
    constexpr CharClasses()
    {
        for (int c = 0; c < 256; ++c) {
            const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9') || c == '_';
            labelName[c] = alnum;
            metricName[c] = alnum || c == ':';
        }
    }
};
constexpr CharClasses kCharClasses;

inline bool isMetricNameChar(char c)
{
    return kCharClasses.metricName[static_cast<unsigned char>(c)];
}
inline bool isLabelNameChar(char c)
{
    return kCharClasses.labelName[static_cast<unsigned char>(c)];
}

/// Undoes the escapes of a label value (\\, \", \n); both specifications read any other
/// backslash as itself.
QString unescapeLabelValue(std::string_view raw);

} // namespace qc::metrics::detail
