#include "backfillrows.h"

#include "enforcement/civildate.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdio>
#include <cstring>

namespace ef = qc::enforcement;

namespace qc::live {

namespace {

// Microseconds from the Unix epoch to PostgreSQL's (2000-01-01 00:00 UTC).
constexpr std::int64_t kPostgresEpochMs = 946684800000LL;
constexpr std::uint32_t kInt8Oid = 20;

std::uint16_t bigEndian(std::uint16_t v)
{
    return std::endian::native == std::endian::little ? __builtin_bswap16(v) : v;
}
std::uint32_t bigEndian(std::uint32_t v)
{
    return std::endian::native == std::endian::little ? __builtin_bswap32(v) : v;
}
std::uint64_t bigEndian(std::uint64_t v)
{
    return std::endian::native == std::endian::little ? __builtin_bswap64(v) : v;
}

} // namespace

void appendTimestamp(std::string& out, ef::TimeMs ms)
{
    const std::int64_t days = ef::floorDiv(ms, ef::kDay);
    const ef::TimeMs inDay = ms - days * ef::kDay;
    const ef::CivilDate date = ef::civilFromDays(days);
    char buffer[40];
    const int n = std::snprintf(buffer, sizeof buffer, "%04lld-%02d-%02d %02d:%02d:%02d.%03d+00",
        static_cast<long long>(date.year), date.month, date.day, int(inDay / ef::kHour),
        int(inDay / ef::kMinute % 60), int(inDay / ef::kSecond % 60), int(inDay % 1000));
    out.append(buffer, std::size_t(n));
}

std::string timestampText(ef::TimeMs ms)
{
    std::string out;
    appendTimestamp(out, ms);
    return out;
}

std::string dayName(ef::TimeMs ms)
{
    const ef::CivilDate date = ef::civilFromDays(ef::floorDiv(ms, ef::kDay));
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04lld%02d%02d", static_cast<long long>(date.year),
        date.month, date.day);
    return buffer;
}

void appendMicroUsd(std::string& out, ef::MicroUsd micro)
{
    if (micro < 0) {
        out += '-';
        micro = -micro;
    }
    appendInteger(out, micro / 1000000);
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, ".%06lld", static_cast<long long>(micro % 1000000));
    out += buffer;
}

void appendInteger(std::string& out, long long value)
{
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

CopyWriter::CopyWriter(std::string& out)
    : m_out(out)
{
    static constexpr char kSignature[] = "PGCOPY\n\377\r\n";
    m_out.append(kSignature, 11);
    put32(0); // flags
    put32(0); // header extension length
}

void CopyWriter::put16(std::uint16_t v)
{
    v = bigEndian(v);
    m_out.append(reinterpret_cast<const char*>(&v), 2);
}

void CopyWriter::put32(std::uint32_t v)
{
    v = bigEndian(v);
    m_out.append(reinterpret_cast<const char*>(&v), 4);
}

void CopyWriter::put64(std::uint64_t v)
{
    v = bigEndian(v);
    m_out.append(reinterpret_cast<const char*>(&v), 8);
}

void CopyWriter::beginRow(int fields)
{
    put16(std::uint16_t(fields));
    ++m_rows;
}

void CopyWriter::null()
{
    put32(0xffffffffU);
}

void CopyWriter::text(std::string_view value)
{
    put32(std::uint32_t(value.size()));
    m_out.append(value.data(), value.size());
}

void CopyWriter::textOrNull(std::string_view value)
{
    if (value.empty())
        null();
    else
        text(value);
}

void CopyWriter::int2(std::int16_t value)
{
    put32(2);
    put16(std::uint16_t(value));
}

void CopyWriter::int4(std::int32_t value)
{
    put32(4);
    put32(std::uint32_t(value));
}

void CopyWriter::int8(std::int64_t value)
{
    put32(8);
    put64(std::uint64_t(value));
}

void CopyWriter::float8(double value)
{
    put32(8);
    put64(std::bit_cast<std::uint64_t>(value));
}

void CopyWriter::boolean(bool value)
{
    put32(1);
    m_out += value ? '\1' : '\0';
}

void CopyWriter::timestamptz(ef::TimeMs ms)
{
    int8((ms - kPostgresEpochMs) * 1000);
}

void CopyWriter::numericMicro(ef::MicroUsd micro)
{
    // numeric's binary form: base-10000 digits with the weight of the first, sign, scale.
    const bool negative = micro < 0;
    std::uint64_t magnitude = negative ? std::uint64_t(-micro) : std::uint64_t(micro);
    std::uint16_t groups[8];
    int count = 0;
    std::uint16_t integer[6];
    int integerCount = 0;
    for (std::uint64_t whole = magnitude / 1000000; whole > 0; whole /= 10000)
        integer[integerCount++] = std::uint16_t(whole % 10000);
    for (int i = integerCount - 1; i >= 0; --i)
        groups[count++] = integer[i];
    const std::uint64_t fraction = (magnitude % 1000000) * 100; // 8 decimal places
    groups[count++] = std::uint16_t(fraction / 10000);
    groups[count++] = std::uint16_t(fraction % 10000);
    int weight = integerCount - 1;
    int first = 0;
    while (first < count && groups[first] == 0) {
        ++first;
        --weight;
    }
    int last = count;
    while (last > first && groups[last - 1] == 0)
        --last;
    const int digits = last - first;
    if (digits == 0)
        weight = 0;
    put32(std::uint32_t(8 + 2 * digits));
    put16(std::uint16_t(digits));
    put16(std::uint16_t(std::int16_t(weight)));
    put16(negative && digits > 0 ? 0x4000 : 0);
    put16(6);
    for (int i = first; i < last; ++i)
        put16(groups[i]);
}

void CopyWriter::int8Array(const std::int64_t* values, int count)
{
    put32(std::uint32_t(20 + 12 * count));
    put32(1); // dimensions
    put32(0); // no NULLs
    put32(kInt8Oid);
    put32(std::uint32_t(count));
    put32(1); // lower bound
    for (int i = 0; i < count; ++i) {
        put32(8);
        put64(std::uint64_t(values[i]));
    }
}

void CopyWriter::finish()
{
    put16(0xffff);
}

void writeLogRow(CopyWriter& out, const LogRow& r)
{
    out.beginRow(24);
    out.timestamptz(r.ts);
    out.textOrNull(r.requestId);
    out.text(r.endpoint); // never NULL: quota_complete logs '' for a missing one
    out.textOrNull(r.method);
    out.textOrNull(r.userId);
    out.textOrNull(r.plan);
    out.textOrNull(r.ip);
    out.textOrNull(r.forwardedFor);
    out.textOrNull(r.userAgent);
    out.textOrNull(r.country);
    out.textOrNull(r.idempotencyKey);
    out.textOrNull(r.requestHash);
    out.float8(r.quotaCheckMs);
    out.int4(std::int32_t(r.responseMs));
    out.int2(std::int16_t(r.status));
    out.text(r.allowed ? "allowed" : "denied");
    out.textOrNull(r.reason);
    out.textOrNull(r.rule);
    out.numericMicro(r.costMicroUsd);
    if (r.tokens > 0)
        out.int4(std::int32_t(r.tokens));
    else
        out.null();
    out.textOrNull(r.model);
    out.boolean(r.failOpen);
    out.int2(std::int16_t(r.collision));
    out.textOrNull(r.wouldDeny);
}

DayRollups::DayRollups(ef::TimeMs dayStart)
    : m_dayStart(dayStart)
    , m_minuteWriter(m_minuteData)
    , m_identifierWriter(m_identifierData)
{
    m_minuteGroups.reserve(128);
    m_identifiers.reserve(16384);
    m_identifierSlots.assign(1 << 15, 0);
}

void DayRollups::add(const LogRow& r, const RollupKeys& keys)
{
    const ef::TimeMs inDay = r.ts - m_dayStart;
    const std::int64_t minute = inDay / ef::kMinute;
    if (minute != m_minute) {
        flushMinute();
        m_minute = minute;
    }
    const std::uint64_t minuteKey = (std::uint64_t(keys.endpoint) << 32)
        | (std::uint64_t(keys.plan & 0xfffff) << 12) | (std::uint64_t(keys.reason & 0xff) << 1)
        | (r.allowed ? 1 : 0);
    MinuteValues* m = nullptr;
    for (MinuteValues& group : m_minuteGroups) {
        if (group.key == minuteKey) {
            m = &group;
            break;
        }
    }
    if (!m) {
        m = &m_minuteGroups.emplace_back();
        m->key = minuteKey;
        m->endpoint = r.endpoint;
        m->plan = r.plan;
        m->reason = r.reason;
        m->allowed = r.allowed;
    }
    ++m->requests;
    ++m->buckets[std::size_t(checkBucketOf(r.quotaCheckMs))];
    ++m->latencyCount;
    m->latencySumMs += r.quotaCheckMs;
    m->responseMsSum += r.responseMs;
    m->cost += r.costMicroUsd;
    m->tokens += r.tokens;
    m->collisions += r.collision != 0 ? 1 : 0;
    m->failOpen += r.failOpen ? 1 : 0;

    const std::int64_t hour = inDay / ef::kHour;
    if (hour != m_hour) {
        flushHour();
        m_hour = hour;
    }
    const auto addIdentifier = [&](std::uint64_t kind, std::uint32_t id, std::string_view text) {
        const std::uint64_t key = (kind << 32) | id;
        if ((m_identifiers.size() + 1) * 2 > m_identifierSlots.size()) {
            // Grow the table and place every entry again.
            m_identifierSlots.assign(m_identifierSlots.size() * 2, 0);
            const std::size_t mask = m_identifierSlots.size() - 1;
            for (std::size_t i = 0; i < m_identifiers.size(); ++i) {
                std::size_t slot
                    = std::size_t(m_identifiers[i].key * 0x9e3779b97f4a7c15ULL >> 40) & mask;
                while (m_identifierSlots[slot] != 0)
                    slot = (slot + 1) & mask;
                m_identifierSlots[slot] = std::uint32_t(i + 1);
            }
        }
        const std::size_t mask = m_identifierSlots.size() - 1;
        std::size_t slot = std::size_t(key * 0x9e3779b97f4a7c15ULL >> 40) & mask;
        while (
            m_identifierSlots[slot] != 0 && m_identifiers[m_identifierSlots[slot] - 1].key != key)
            slot = (slot + 1) & mask;
        if (m_identifierSlots[slot] == 0) {
            m_identifiers.push_back({ key, text, 0, 0, 0 });
            m_identifierSlots[slot] = std::uint32_t(m_identifiers.size());
        }
        IdentifierValues& v = m_identifiers[m_identifierSlots[slot] - 1];
        ++v.requests;
        v.denials += r.allowed ? 0 : 1;
        v.cost += r.costMicroUsd;
    };
    if (!r.ip.empty())
        addIdentifier(0, keys.ip, r.ip);
    if (!r.userId.empty())
        addIdentifier(1, keys.user, r.userId);
}

void DayRollups::flushMinute()
{
    if (m_minuteGroups.empty())
        return;
    std::sort(m_minuteGroups.begin(), m_minuteGroups.end(),
        [](const MinuteValues& a, const MinuteValues& b) { return a.key < b.key; });
    const ef::TimeMs bucket = m_dayStart + m_minute * ef::kMinute;
    CopyWriter& w = m_minuteWriter;
    for (const MinuteValues& v : m_minuteGroups) {
        w.beginRow(14);
        w.timestamptz(bucket);
        w.text(v.endpoint);
        w.text(v.plan);
        w.text(v.allowed ? "allowed" : "denied");
        w.text(v.reason);
        w.int8(v.requests);
        w.int8Array(v.buckets.data(), int(v.buckets.size()));
        w.int8(v.latencyCount);
        w.float8(v.latencySumMs);
        w.int8(v.responseMsSum);
        w.numericMicro(v.cost);
        w.int8(v.tokens);
        w.int8(v.collisions);
        w.int8(v.failOpen);
    }
    m_minuteGroups.clear();
}

void DayRollups::flushHour()
{
    if (m_identifiers.empty())
        return;
    std::sort(m_identifiers.begin(), m_identifiers.end(),
        [](const IdentifierValues& a, const IdentifierValues& b) {
            if ((a.key >> 32) != (b.key >> 32))
                return a.key < b.key;
            return a.identifier < b.identifier;
        });
    const ef::TimeMs bucket = m_dayStart + m_hour * ef::kHour;
    CopyWriter& w = m_identifierWriter;
    for (const IdentifierValues& v : m_identifiers) {
        w.beginRow(6);
        w.timestamptz(bucket);
        w.text((v.key >> 32) == 0 ? "ip" : "user");
        w.text(v.identifier);
        w.int8(v.requests);
        w.int8(v.denials);
        w.numericMicro(v.cost);
    }
    m_identifiers.clear();
    std::fill(m_identifierSlots.begin(), m_identifierSlots.end(), 0);
}

void DayRollups::finish()
{
    flushMinute();
    flushHour();
    m_minuteWriter.finish();
    m_identifierWriter.finish();
}

} // namespace qc::live
