#pragma once

#include <cstdint>

namespace qc::enforcement {

// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01), after
// Howard Hinnant's public-domain algorithms: exact for every int64 day we can meet, no tables.

struct CivilDate {
    std::int64_t year = 1970;
    int month = 1; // 1..12
    int day = 1; // 1..31
};

/// Floor division for a positive divisor (C++ `/` truncates towards zero).
constexpr std::int64_t floorDiv(std::int64_t a, std::int64_t b)
{
    const std::int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

constexpr std::int64_t daysFromCivil(CivilDate date)
{
    const std::int64_t y = date.year - (date.month <= 2 ? 1 : 0);
    const std::int64_t era = floorDiv(y, 400);
    const std::int64_t yoe = y - era * 400;
    const std::int64_t m = date.month;
    const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + date.day - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

constexpr CivilDate civilFromDays(std::int64_t days)
{
    const std::int64_t z = days + 719468;
    const std::int64_t era = floorDiv(z, 146097);
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    return { era * 400 + yoe + (month <= 2 ? 1 : 0), month, day };
}

static_assert(daysFromCivil({ 1970, 1, 1 }) == 0);
static_assert(daysFromCivil({ 2000, 3, 1 }) == 11017);
static_assert(civilFromDays(11016).month == 2 && civilFromDays(11016).day == 29);

} // namespace qc::enforcement
