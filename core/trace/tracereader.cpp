// Trace reading. Traces reach tens of millions of rows, so the CSV path works on the memory-mapped
// bytes: fields are views into the mapping, interned straight from there, and the common
// timestamp forms are decoded without a general parser. Only quoted fields with escapes and
// JSON strings with escapes are copied, into one reused scratch buffer.

#include "chunkpool.h"
#include "columns_p.h"
#include "enforcement/civildate.h"
#include "enforcement/headers.h"
#include "policy/policyjson.h"
#include "trace.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(Q_OS_UNIX)
#include <sys/mman.h>
#endif

using namespace Qt::StringLiterals;
namespace ef = qc::enforcement;

namespace qc::trace {

namespace {

constexpr qint64 kProgressEveryRows = 1 << 16;

QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

// Long cells are shortened in messages so a broken row does not flood the error list.
QString shown(std::string_view text)
{
    if (text.size() > 60)
        return qs(text.substr(0, 57)) + u"…"_s;
    return qs(text);
}

bool allDigits(std::string_view text)
{
    if (text.empty())
        return false;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

inline std::optional<std::int64_t> parseCount(std::string_view text)
{
    if (text.empty() || text.size() > 18)
        return std::nullopt;
    std::int64_t value = 0;
    for (const char c : text) {
        const auto digit = static_cast<unsigned>(static_cast<unsigned char>(c) - '0');
        if (digit > 9)
            return std::nullopt;
        value = value * 10 + digit;
    }
    return value;
}

inline int twoDigits(const char* p)
{
    const unsigned a = static_cast<unsigned char>(p[0]) - '0';
    const unsigned b = static_cast<unsigned char>(p[1]) - '0';
    return (a > 9 || b > 9) ? -1 : int(a * 10 + b);
}

// Decodes the timestamp forms traces use; remembers the last date so that the day number is
// computed once per day of traffic, not once per row.
class TimestampParser {
public:
    std::optional<ef::TimeMs> parse(std::string_view text)
    {
        if (text.size() == 24 && text[10] == 'T' && text[23] == 'Z' && text[19] == '.') {
            if (auto fast = fixedLayout(text.data()))
                return fast;
        } else if (text.size() <= 18 && allDigits(text)) {
            return *parseCount(text);
        }
        return ef::parseTimestamp(text);
    }

private:
    std::optional<ef::TimeMs> fixedLayout(const char* p)
    {
        std::uint64_t date8;
        std::uint16_t date2;
        std::memcpy(&date8, p, 8);
        std::memcpy(&date2, p + 8, 2);
        if (date8 != m_date8 || date2 != m_date2) {
            const int y1 = twoDigits(p);
            const int y2 = twoDigits(p + 2);
            const int month = twoDigits(p + 5);
            const int day = twoDigits(p + 8);
            if (y1 < 0 || y2 < 0 || p[4] != '-' || p[7] != '-' || month < 1 || month > 12 || day < 1
                || day > daysInMonth(y1 * 100 + y2, month))
                return std::nullopt;
            m_dayMs = ef::daysFromCivil({ y1 * 100 + y2, month, day }) * ef::kDay;
            m_date8 = date8;
            m_date2 = date2;
        }
        const int hour = twoDigits(p + 11);
        const int minute = twoDigits(p + 14);
        const int second = twoDigits(p + 17);
        const int ms1 = twoDigits(p + 20);
        const int ms2 = static_cast<unsigned char>(p[22]) - '0';
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59
            || ms1 < 0 || ms2 < 0 || ms2 > 9 || p[13] != ':' || p[16] != ':')
            return std::nullopt;
        return m_dayMs + hour * ef::kHour + minute * ef::kMinute + second * ef::kSecond + ms1 * 10
            + ms2;
    }

    static int daysInMonth(int year, int month)
    {
        static constexpr int kDays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
        const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        return month == 2 && leap ? 29 : kDays[month - 1];
    }

    std::uint64_t m_date8 = 0; // the date part of the last timestamp, as bytes
    std::uint16_t m_date2 = 0;
    ef::TimeMs m_dayMs = 0;
};

std::optional<bool> parseDecisionWord(std::string_view text)
{
    if (text == "allowed" || text == "allow" || text == "admitted")
        return true;
    if (text == "denied" || text == "deny" || text == "rejected")
        return false;
    return std::nullopt;
}

// Where a chunked read delivers its rows.
struct ChunkSink {
    std::size_t rows = 0;
    const std::function<bool(Trace&&)>& consume;
    ChunkPool* pool = nullptr; // buffers of chunks the consumer is done with
    bool mapped = false; // the data is a read-only file mapping, see dropBehind()

    /// Empty vectors for the next chunk's rows in `trace`: recycled ones when there are some.
    void prepare(Trace& trace) const
    {
        if (pool == nullptr || !pool->take(trace)) {
            trace.requests = {};
            trace.lines = {};
            trace.recorded = {};
        }
        trace.requests.reserve(rows);
        trace.lines.reserve(rows);
    }
};

// A chunked read of a mapped file lets go of the pages it has parsed: their rows are interned
// (copied) or handed over, and a trace of gigabytes would otherwise stay resident to the end.
// The file stays mapped; a page read again comes back from the page cache.
class PageDropper {
public:
    PageDropper(const char* begin, const ChunkSink* sink)
        : m_dropped(begin)
        , m_enabled(sink != nullptr && sink->mapped)
    {
    }

    /// Everything before `p`, less a margin for the rows still waiting to be interned.
    void dropBefore(const char* p)
    {
#if defined(Q_OS_UNIX)
        constexpr std::ptrdiff_t kMargin = 4 << 20;
        constexpr std::uintptr_t kPage = 4096;
        if (!m_enabled || p - m_dropped < 2 * kMargin)
            return;
        const auto from = (reinterpret_cast<std::uintptr_t>(m_dropped) + kPage - 1) & ~(kPage - 1);
        const auto to = reinterpret_cast<std::uintptr_t>(p - kMargin) & ~(kPage - 1);
        if (to > from)
            ::madvise(reinterpret_cast<void*>(from), to - from, MADV_DONTNEED);
        m_dropped = reinterpret_cast<const char*>(to);
#else
        (void)p;
#endif
    }

private:
    const char* m_dropped;
    bool m_enabled;
};

QString outOfOrderMessage(ef::TimeMs ts, ef::TimeMs lastTs, qint64 lastLine)
{
    std::string before;
    std::string now;
    appendTimestamp(before, lastTs);
    appendTimestamp(now, ts);
    return u"ts "_s + qs(now) + u" is earlier than "_s + qs(before) + u" on line "_s
        + QString::number(lastLine) + u"; rows must be in time order"_s;
}

QString unclosedQuoteMessage(qint64 line)
{
    return u"a quoted cell opened on line "_s + QString::number(line) + u" is never closed"_s;
}

// Decodes one cell into a row builder B (RowBuilder, RangeBuilder), validating it.
template<class B> void setCell(B& b, Column column, std::string_view value, bool transient)
{
    if (value.empty() || column == Column::Ignored)
        return;
    switch (column) {
    case Column::Ignored:
        break;
    case Column::Ts:
        if (auto ts = b.tsParser().parse(value)) {
            b.numbers().ts = *ts;
            b.markTs();
        } else {
            b.fail(u"ts '"_s + shown(value)
                + u"' is not a timestamp; use RFC 3339 UTC such as 2026-01-05T14:05:00.123Z "
                  u"or integer epoch milliseconds"_s);
        }
        break;
    case Column::RequestId:
        b.text(ef::Field::RequestId, &ef::Request::requestId, value, transient);
        break;
    case Column::Ip:
        b.text(ef::Field::Ip, &ef::Request::ip, value, transient);
        break;
    case Column::ForwardedFor:
        b.text(ef::Field::ForwardedFor, &ef::Request::forwardedFor, value, transient);
        break;
    case Column::UserId:
        b.text(ef::Field::User, &ef::Request::userId, value, transient);
        break;
    case Column::Plan:
        b.text(ef::Field::Plan, &ef::Request::plan, value, transient);
        break;
    case Column::Endpoint:
        b.text(ef::Field::Endpoint, &ef::Request::endpoint, value, transient);
        break;
    case Column::Method:
        b.text(ef::Field::Method, &ef::Request::method, value, transient);
        break;
    case Column::UserAgent:
        b.text(ef::Field::UserAgent, &ef::Request::userAgent, value, transient);
        break;
    case Column::Country:
        b.text(ef::Field::Country, &ef::Request::country, value, transient);
        break;
    case Column::IdempotencyKey:
        b.text(ef::Field::IdempotencyKey, &ef::Request::idempotencyKey, value, transient);
        break;
    case Column::RequestHash:
        b.text(ef::Field::RequestHash, &ef::Request::requestHash, value, transient);
        break;
    case Column::Model:
        b.text(ef::Field::Model, &ef::Request::model, value, transient);
        break;
    case Column::CostUsd: {
        const auto micro = qc::policy::parseUsd(value);
        if (!micro || *micro < 0)
            b.fail(u"cost_usd '"_s + shown(value)
                + u"' is not an amount of dollars; use a decimal such as 0.0125"_s);
        else
            b.numbers().costMicroUsd = *micro;
        break;
    }
    case Column::Tokens:
        if (auto n = parseCount(value))
            b.numbers().tokens = *n;
        else
            b.fail(u"tokens '"_s + shown(value) + u"' is not a whole number ≥ 0"_s);
        break;
    case Column::ResponseMs:
        if (auto n = parseCount(value))
            b.numbers().responseMs = *n;
        else
            b.fail(u"response_ms '"_s + shown(value) + u"' is not a whole number ≥ 0"_s);
        break;
    case Column::Status: {
        const auto n = parseCount(value);
        if (!n || *n < 100 || *n > 599)
            b.fail(u"status '"_s + shown(value) + u"' is not an HTTP status (100–599)"_s);
        else
            b.recordedRow().status = static_cast<std::int16_t>(*n);
        b.recordedRow().present = true;
        break;
    }
    case Column::Decision:
        b.decisionWord() = parseDecisionWord(value);
        if (!b.decisionWord())
            b.fail(u"decision '"_s + shown(value) + u"' is neither 'allowed' nor 'denied'"_s);
        b.recordedRow().present = true;
        break;
    case Column::Reason:
        if (auto reason = ef::reasonFromString(value)) {
            b.recordedRow().reason = *reason;
            b.recordedRow().hasReason = true;
        } else {
            b.fail(u"reason '"_s + shown(value)
                + u"' is not a reason code (admitted, skipped, invalid_identifier, blocked, "
                  u"idempotent_replay, idempotency_conflict, rate_limited, quota_exceeded, "
                  u"fail_open)"_s);
        }
        b.recordedRow().present = true;
        break;
    case Column::Rule:
        b.recordedRow().rule = b.rule(value);
        b.recordedRow().present = true;
        break;
    }
}

// Collects one row's cells into an EncodedRequest, validating as it goes. The texts of valid
// rows are interned a few rows later (Dictionary::prepare, then encode): a big trace's lookups
// miss the cache, and this way the misses of several rows overlap.
class RowBuilder {
public:
    RowBuilder(ReadResult& result, const ReadOptions& options, const ChunkSink* sink)
        : m_result(result)
        , m_trace(result.trace)
        , m_dict(*result.trace.dictionary)
        , m_options(options)
        , m_sink(sink)
        , m_dropRequestIds(options.requestIds == RequestIdTexts::RecordedRowsOnly)
    {
    }

    static constexpr bool kSerial = true; // CsvReader::records() reports progress

    /// False once the chunk consumer asked to stop.
    bool consuming() const { return !m_stopped; }

    void begin()
    {
        Pending& p = current();
        p.row = ef::EncodedRequest {};
        p.recorded = RecordedDecision {};
        p.text = ef::Request {};
        m_hasTs = false;
        m_decision.reset();
        if (!m_error.isEmpty())
            m_error.clear();
    }

    /// `transient`: value lives in a scratch buffer that the next cell reuses.
    void set(Column column, std::string_view value, bool transient = false)
    {
        setCell(*this, column, value, transient);
    }

    // What setCell() fills.
    ef::EncodedRequest& numbers() { return current().row; }
    RecordedDecision& recordedRow() { return current().recorded; }
    TimestampParser& tsParser() { return m_ts; }
    void markTs() { m_hasTs = true; }
    std::optional<bool>& decisionWord() { return m_decision; }
    std::uint32_t rule(std::string_view name) { return m_trace.internRule(name); }
    void text(ef::Field field, std::string_view ef::Request::*member, std::string_view value,
        bool transient)
    {
        defer(field, member, value, transient);
    }

    // Text cells are interned together when the row is complete (ef::encode overlaps the
    // table lookups of one row); a cell in a scratch buffer is copied, and a column given twice
    // in one row (JSONL) interns the earlier value right away, as it always did.
    void defer(ef::Field field, std::string_view ef::Request::*member, std::string_view value,
        bool transient)
    {
        Pending& p = current();
        std::string_view& pending = p.text.*member;
        if (!pending.empty())
            m_dict.intern(field, pending);
        if (transient) {
            std::string& owned = p.owned[static_cast<std::size_t>(field)];
            owned.assign(value);
            value = owned;
        }
        pending = value;
    }

    /// The common cells of a CSV row, decoded in line; anything unusual goes through set(),
    /// which reports it.
    void setTs(std::string_view value)
    {
        if (auto ts = m_ts.parse(value)) [[likely]] {
            current().row.ts = *ts;
            m_hasTs = true;
            return;
        }
        set(Column::Ts, value);
    }
    void setCount(Column column, std::string_view value)
    {
        if (auto n = parseCount(value)) [[likely]] {
            (column == Column::Tokens ? current().row.tokens : current().row.responseMs) = *n;
            return;
        }
        set(column, value);
    }

    /// The text cells of the row being built (views that must stay valid until flush()).
    ef::Request& texts() { return current().text; }

    /// A text cell of a CSV row, where every column appears once (the header says so).
    void setText(ef::Field field, std::string_view ef::Request::*member, std::string_view value,
        bool transient)
    {
        Pending& p = current();
        if (transient) [[unlikely]] {
            std::string& owned = p.owned[static_cast<std::size_t>(field)];
            owned.assign(value);
            value = owned;
        }
        p.text.*member = value;
    }

    void fail(const QString& message)
    {
        if (m_error.isEmpty())
            m_error = message;
    }
    /// A malformed cell; `quoteLine` (the line an unclosed quote opened on) is in the message.
    void failCell(const QString& message, qint64 /*quoteLine*/) { fail(message); }

    /// Adds the row, or reports it. False when reading must stop (strict mode).
    bool finish(qint64 line)
    {
        Pending& p = current();
        if (m_error.isEmpty() && !m_hasTs)
            m_error = u"ts is empty; every row needs a timestamp"_s;
        if (m_error.isEmpty() && m_haveLast && p.row.ts < m_lastTs)
            m_error = outOfOrderMessage(p.row.ts, m_lastTs, m_lastLine);
        if (!m_error.isEmpty())
            return reject(line, m_error);

        RecordedDecision& recorded = p.recorded;
        if (recorded.present) {
            if (m_decision)
                recorded.allowed = *m_decision;
            else if (recorded.status != 0)
                recorded.allowed = recorded.status < 400;
            else if (recorded.hasReason)
                recorded.allowed = ef::allowedOf(recorded.reason);
        }
        p.text.ts = p.row.ts;
        p.text.costMicroUsd = p.row.costMicroUsd;
        p.text.tokens = p.row.tokens;
        p.text.responseMs = p.row.responseMs;
        p.line = line;
        if (m_dropRequestIds && !recorded.present)
            p.text.requestId = {};
        m_dict.prepare(p.text, p.prepared);
        m_lastTs = p.row.ts;
        m_lastLine = line;
        m_haveLast = true;
        if (++m_count == kDepth)
            commitOldest();
        return !m_stopped;
    }

    /// Interns and adds the rows still waiting; call once the last row is in (or reading
    /// stops), before the trace is used.
    void flush()
    {
        while (m_count != 0)
            commitOldest();
        if (m_sink != nullptr && !m_trace.requests.empty() && !m_stopped)
            handOver();
    }

    bool reject(qint64 line, const QString& message)
    {
        ++m_result.skippedRows;
        if (m_result.errors.size() < m_options.maxReportedErrors)
            m_result.errors.append(TraceError { line, message });
        if (m_options.strict) {
            m_result.fatal = TraceError { line, message }.toString();
            return false;
        }
        return true;
    }

private:
    static constexpr std::size_t kDepth = 8;

    struct Pending {
        ef::EncodedRequest row; // numbers and ts; ids once interned
        ef::Request text; // text cells: views into the data or into `owned`
        ef::PreparedRequest prepared;
        RecordedDecision recorded;
        qint64 line = 0;
        std::array<std::string, ef::kFieldCount> owned; // cells copied out of a scratch buffer
    };

    Pending& current() { return m_ring[(m_head + m_count) % kDepth]; }

    void commitOldest()
    {
        Pending& p = m_ring[m_head];
        const ef::EncodedRequest ids = m_dict.encode(p.text, p.prepared);
        ef::EncodedRequest& row = p.row;
        row.requestId = ids.requestId;
        row.ip = ids.ip;
        row.forwardedFor = ids.forwardedFor;
        row.user = ids.user;
        row.plan = ids.plan;
        row.endpoint = ids.endpoint;
        row.method = ids.method;
        row.userAgent = ids.userAgent;
        row.country = ids.country;
        row.idempotencyKey = ids.idempotencyKey;
        row.requestHash = ids.requestHash;
        row.model = ids.model;
        if (p.recorded.present && m_trace.recorded.empty())
            m_trace.recorded.resize(m_trace.requests.size());
        if (p.recorded.present || !m_trace.recorded.empty())
            m_trace.recorded.push_back(p.recorded);
        m_trace.requests.push_back(row);
        m_trace.lines.push_back(p.line);
        m_head = (m_head + 1) % kDepth;
        --m_count;
        if (m_sink != nullptr && m_trace.requests.size() >= m_sink->rows)
            handOver();
    }

    void handOver()
    {
        Trace chunk;
        chunk.dictionary = m_trace.dictionary;
        chunk.ruleNames = m_trace.ruleNames;
        chunk.requests = std::move(m_trace.requests);
        chunk.lines = std::move(m_trace.lines);
        chunk.recorded = std::move(m_trace.recorded);
        m_sink->prepare(m_trace);
        if (!m_stopped && !m_sink->consume(std::move(chunk))) {
            m_stopped = true;
            m_result.cancelled = true;
        }
    }

    ReadResult& m_result;
    Trace& m_trace;
    ef::Dictionary& m_dict;
    const ReadOptions& m_options;
    const ChunkSink* m_sink; // null: the rows stay in m_trace
    bool m_dropRequestIds; // request ids of rows without a recorded decision are not interned
    bool m_stopped = false;
    TimestampParser m_ts;
    std::array<Pending, kDepth> m_ring;
    std::size_t m_head = 0;
    std::size_t m_count = 0; // valid rows waiting to be interned
    std::optional<bool> m_decision;
    bool m_hasTs = false;
    QString m_error;
    ef::TimeMs m_lastTs = 0;
    qint64 m_lastLine = 0;
    bool m_haveLast = false;
};

// Finds the next ',', '\n' or '\r' in the buffer, a 64-byte block at a time: one bit per
// byte of the block, so that the separators of a row (a dozen cells in a few blocks) cost a few
// instructions each instead of a vector setup and a scalar tail per cell.
class SeparatorScanner {
public:
    SeparatorScanner(const char* begin, const char* end)
        : m_begin(begin)
        , m_end(end)
    {
    }

    /// The first separator at or after p, or the end.
    const char* next(const char* p)
    {
        for (;;) {
            const auto offset = static_cast<std::size_t>(p - m_block);
            if (offset >= 64) [[unlikely]] {
                if (p >= m_end)
                    return m_end;
                load(p);
                continue;
            }
            const std::uint64_t mask = m_mask & (~std::uint64_t(0) << offset);
            if (mask != 0)
                return m_block + __builtin_ctzll(mask);
            if (m_block + 64 >= m_end)
                return m_end;
            load(m_block + 64);
            p = m_block;
        }
    }

private:
    void load(const char* p)
    {
        // Blocks are aligned to the buffer start, so that moving on after a quoted cell reuses
        // the block it ends in.
        m_block = m_begin + ((p - m_begin) & ~std::ptrdiff_t(63));
        if (m_end - m_block >= 64) [[likely]] {
#if defined(__SSE2__)
            const __m128i comma = _mm_set1_epi8(',');
            const __m128i newline = _mm_set1_epi8('\n');
            const __m128i cr = _mm_set1_epi8('\r');
            std::uint64_t mask = 0;
            for (int i = 0; i < 4; ++i) {
                const __m128i chunk
                    = _mm_loadu_si128(reinterpret_cast<const __m128i*>(m_block + 16 * i));
                const __m128i hit = _mm_or_si128(
                    _mm_or_si128(_mm_cmpeq_epi8(chunk, comma), _mm_cmpeq_epi8(chunk, newline)),
                    _mm_cmpeq_epi8(chunk, cr));
                mask |= std::uint64_t(static_cast<std::uint16_t>(_mm_movemask_epi8(hit)))
                    << (16 * i);
            }
            m_mask = mask;
            return;
#endif
        }
        std::uint64_t mask = 0;
        const std::ptrdiff_t n = std::min<std::ptrdiff_t>(64, m_end - m_block);
        for (std::ptrdiff_t i = 0; i < n; ++i) {
            const char c = m_block[i];
            if (c == ',' || c == '\n' || c == '\r')
                mask |= std::uint64_t(1) << i;
        }
        m_mask = mask;
    }

    const char* m_begin;
    const char* m_end;
    const char* m_block = nullptr;
    std::uint64_t m_mask = 0;
};

qint64 countNewlines(const char* from, const char* to)
{
    qint64 count = 0;
    while (from < to) {
        const void* hit = std::memchr(from, '\n', std::size_t(to - from));
        if (hit == nullptr)
            break;
        ++count;
        from = static_cast<const char*>(hit) + 1;
    }
    return count;
}

void reserveFor(Trace& trace, const char* data, qint64 size, const ChunkSink* sink)
{
    if (sink != nullptr) {
        sink->prepare(trace);
        return;
    }
    // Estimate the row count from the first 64 KiB so that 10 million rows do not reallocate
    // (and copy) the request vector two dozen times.
    const qint64 sample = std::min<qint64>(size, 64 * 1024);
    qint64 newlines = 0;
    for (qint64 i = 0; i < sample; ++i)
        newlines += data[i] == '\n';
    if (newlines < 2)
        return;
    const auto estimate
        = static_cast<std::size_t>(double(size) / double(sample) * double(newlines) * 1.05) + 16;
    trace.requests.reserve(estimate);
    trace.lines.reserve(estimate);
    // Request ids are one text per row: room for all of them up front.
    trace.dictionary->reserve(ef::Field::RequestId, estimate);
}

// Once the first rows are in, sizes each field's table for the rest of the file from how fast
// it has been filling, so that millions of distinct addresses and keys do not grow their tables
// one doubling (and one burst of page faults) at a time. A quarter of the linear extrapolation:
// fields that saturate (addresses, users) do not over-reserve much, unique ones (keys, hashes)
// need a doubling or two more.
void reserveFields(Trace& trace, qint64 rowsDone, qint64 bytesDone, qint64 bytesTotal)
{
    if (rowsDone <= 0 || bytesDone <= 0)
        return;
    const double scale = double(bytesTotal) / double(bytesDone);
    if (scale <= 1.5)
        return;
    ef::Dictionary& dict = *trace.dictionary;
    for (int f = 0; f < ef::kFieldCount; ++f) {
        const auto field = static_cast<ef::Field>(f);
        if (field == ef::Field::RequestId)
            continue;
        const double projected = double(dict.size(field)) * scale * 0.25;
        if (projected > 4096)
            dict.reserve(field, static_cast<std::size_t>(projected));
    }
}

// ---- Reading a CSV file on several threads ----
//
// The rows after the header are cut into ranges of about ReadOptions::parseRangeBytes. Parse
// threads take the ranges in order and decode them into ParsedRange (cells checked, texts as
// views into the data and hashed, line numbers counted from the range's start) without
// touching the trace or the dictionary; the calling thread takes the parsed ranges in file
// order and interns their texts, checks time order across ranges, numbers the lines and
// hands the rows on (RangeCommitter), exactly as the one-thread reader does.
//
// A range starts after the first line break at or after its nominal offset. That is only a
// guess (the break may be inside a quoted cell), checked against the truth: the range before
// it is parsed until a record ends at or after the guess, and must end exactly there. When it
// does, the guess was a record boundary; when it ends later (a quoted cell or a record ran
// across the guess), the calling thread parses the range again from where the range before it
// really ended. Either way every record is parsed once from its true start, in file order.

// One valid row of a range, its texts hashed (Dictionary::hash) but not interned.
struct ParsedRow {
    ef::Request text; // ts, numbers and views into the data or into ParsedRange::owned
    ef::PreparedRequest prepared;
    RecordedDecision recorded; // rule: index into ParsedRange::rules
    qint64 line = 0; // from the range's first line, 0-based
    const char* source = nullptr; // the record's bytes in the data
    std::uint32_t sourceBytes = 0;
};

// Starts loading [p, p + n) into this core's cache. The rows a parse thread wrote (and the
// file bytes it read) sit in the other core's cache; the interning thread asks for them a few
// rows ahead so that it does not wait for each transfer.
inline void prefetchBytes(const void* p, std::size_t n)
{
    const char* at = static_cast<const char*>(p);
    for (std::size_t offset = 0; offset < n; offset += 64) {
#if defined(__GNUC__) && defined(__x86_64__)
        asm volatile("prefetcht0 %0" : : "m"(at[offset]));
#else
        __builtin_prefetch(at + offset);
#endif
    }
}

// A bad row of a range: reported before the row at `beforeRow` (rows of the range, in order).
struct RangeError {
    std::size_t beforeRow = 0;
    qint64 line = 0; // from the range's first line
    QString message;
    qint64 quoteLine = -1; // an unclosed quote's line (from the range's first), for the message
};

struct ParsedRange {
    std::size_t index = SIZE_MAX; // which range of the file this is
    const char* start = nullptr; // where parsing began (a record start)
    const char* end = nullptr; // where it stopped: the next record's start, or the end
    qint64 lines = 0; // line breaks from start to end
    std::vector<ParsedRow> rows; // [0, count) are this range's; the rest spare capacity
    std::size_t count = 0;
    std::vector<RangeError> errors;
    std::vector<std::string> rules { std::string() }; // recorded rule names; [0] = none
    // Per rule name: the record (rows and bad rows, in order) it first appeared in, so that
    // the trace learns the names in the order one thread would.
    std::vector<std::size_t> ruleRecord { 0 };
    std::deque<std::string> owned; // cells copied out of a scratch buffer (quoted with "")

    void reset()
    {
        count = 0;
        errors.clear();
        rules.resize(1);
        ruleRecord.resize(1);
        owned.clear();
    }
};

// The parse side of a range: what RowBuilder does to a row, short of interning it and of the
// checks that need the rows before the range (time order). Runs on a parse thread.
class RangeBuilder {
public:
    static constexpr bool kSerial = false;

    RangeBuilder(ParsedRange& range, bool dropRequestIds)
        : m_range(range)
        , m_dropRequestIds(dropRequestIds)
    {
    }

    void begin()
    {
        if (m_range.count == m_range.rows.size())
            m_range.rows.emplace_back();
        m_row = &m_range.rows[m_range.count];
        m_row->recorded = RecordedDecision {};
        m_row->text = ef::Request {};
        m_hasTs = false;
        m_decision.reset();
        m_quoteLine = -1;
        if (!m_error.isEmpty())
            m_error.clear();
    }

    void set(Column column, std::string_view value, bool transient = false)
    {
        setCell(*this, column, value, transient);
    }

    // What setCell() fills.
    ef::Request& numbers() { return m_row->text; }
    RecordedDecision& recordedRow() { return m_row->recorded; }
    TimestampParser& tsParser() { return m_ts; }
    void markTs() { m_hasTs = true; }
    std::optional<bool>& decisionWord() { return m_decision; }
    std::uint32_t rule(std::string_view name)
    {
        std::vector<std::string>& rules = m_range.rules;
        for (std::size_t i = 1; i < rules.size(); ++i) {
            if (rules[i] == name)
                return static_cast<std::uint32_t>(i);
        }
        rules.emplace_back(name);
        m_range.ruleRecord.push_back(m_range.count + m_range.errors.size());
        return static_cast<std::uint32_t>(rules.size() - 1);
    }
    void text(ef::Field field, std::string_view ef::Request::*member, std::string_view value,
        bool transient)
    {
        setText(field, member, value, transient);
    }

    ef::Request& texts() { return m_row->text; }
    void setText(
        ef::Field, std::string_view ef::Request::*member, std::string_view value, bool transient)
    {
        if (transient) [[unlikely]]
            value = m_range.owned.emplace_back(value);
        m_row->text.*member = value;
    }
    void setTs(std::string_view value)
    {
        if (auto ts = m_ts.parse(value)) [[likely]] {
            m_row->text.ts = *ts;
            m_hasTs = true;
            return;
        }
        set(Column::Ts, value);
    }
    void setCount(Column column, std::string_view value)
    {
        if (auto n = parseCount(value)) [[likely]] {
            (column == Column::Tokens ? m_row->text.tokens : m_row->text.responseMs) = *n;
            return;
        }
        set(column, value);
    }

    void fail(const QString& message)
    {
        if (m_error.isEmpty())
            m_error = message;
    }
    void failCell(const QString& message, qint64 quoteLine)
    {
        if (m_error.isEmpty()) {
            m_error = message;
            m_quoteLine = quoteLine;
        }
    }

    bool finish(qint64 line)
    {
        if (m_error.isEmpty() && !m_hasTs)
            m_error = u"ts is empty; every row needs a timestamp"_s;
        if (!m_error.isEmpty()) {
            m_range.errors.push_back(RangeError { m_range.count, line, m_error, m_quoteLine });
            return true;
        }
        ParsedRow& p = *m_row;
        RecordedDecision& recorded = p.recorded;
        if (recorded.present) {
            if (m_decision)
                recorded.allowed = *m_decision;
            else if (recorded.status != 0)
                recorded.allowed = recorded.status < 400;
            else if (recorded.hasReason)
                recorded.allowed = ef::allowedOf(recorded.reason);
        }
        p.line = line;
        if (m_dropRequestIds && !recorded.present)
            p.text.requestId = {};
        ef::Dictionary::hash(p.text, p.prepared);
        ++m_range.count;
        return true;
    }

    void flush() { }

    /// The record's bytes, before finish().
    void source(const char* from, const char* to)
    {
        m_row->source = from;
        m_row->sourceBytes = static_cast<std::uint32_t>(std::min<std::ptrdiff_t>(to - from, 4096));
    }

private:
    ParsedRange& m_range;
    bool m_dropRequestIds;
    ParsedRow* m_row = nullptr;
    TimestampParser m_ts;
    std::optional<bool> m_decision;
    bool m_hasTs = false;
    qint64 m_quoteLine = -1;
    QString m_error;
};

// The calling thread's side: the parsed ranges, in file order, into the trace.
class RangeCommitter {
public:
    RangeCommitter(ReadResult& result, const ReadOptions& options, const ChunkSink* sink)
        : m_result(result)
        , m_trace(result.trace)
        , m_dict(*result.trace.dictionary)
        , m_options(options)
        , m_sink(sink)
    {
    }

    std::uint64_t rows() const { return m_rows; }

    /// Interns and adds the rows of `range`, whose first line is `firstLine`, and reports its
    /// bad rows. False when reading must stop (strict mode, or the consumer asked to stop).
    bool commit(ParsedRange& range, qint64 firstLine)
    {
        m_ruleIds.resize(range.rules.size());
        std::size_t rules = 1; // range.rules [1, rules) are in the trace's
        // The table slots of a few rows ahead are loaded while a row is interned, so that the
        // cache misses of several rows overlap; the rows themselves further ahead still.
        constexpr std::size_t kAhead = 8;
        constexpr std::size_t kRowsAhead = 16;
        const std::size_t n = range.count;
        for (std::size_t i = 0; i < std::min(kRowsAhead, n); ++i)
            prefetchRow(range.rows[i]);
        for (std::size_t i = 0; i < std::min(kAhead, n); ++i)
            m_dict.prefetch(range.rows[i].prepared);
        std::size_t e = 0;
        for (std::size_t i = 0;; ++i) {
            while (e < range.errors.size() && range.errors[e].beforeRow == i) {
                while (rules < range.rules.size() && range.ruleRecord[rules] <= i + e) {
                    m_ruleIds[rules] = m_trace.internRule(range.rules[rules]);
                    ++rules;
                }
                const RangeError& error = range.errors[e++];
                const QString message = error.quoteLine >= 0
                    ? unclosedQuoteMessage(firstLine + error.quoteLine)
                    : error.message;
                if (!reject(firstLine + error.line, message))
                    return false;
            }
            if (i == n)
                break;
            while (rules < range.rules.size() && range.ruleRecord[rules] <= i + e) {
                m_ruleIds[rules] = m_trace.internRule(range.rules[rules]);
                ++rules;
            }
            if (i + kRowsAhead < n)
                prefetchRow(range.rows[i + kRowsAhead]);
            if (i + kAhead < n)
                m_dict.prefetch(range.rows[i + kAhead].prepared);
            ParsedRow& p = range.rows[i];
            const qint64 line = firstLine + p.line;
            if (m_haveLast && p.text.ts < m_lastTs) {
                if (!reject(line, outOfOrderMessage(p.text.ts, m_lastTs, m_lastLine)))
                    return false;
                continue;
            }
            m_lastTs = p.text.ts;
            m_lastLine = line;
            m_haveLast = true;
            p.recorded.rule = m_ruleIds[p.recorded.rule];
            if (p.recorded.present && m_trace.recorded.empty())
                m_trace.recorded.resize(m_trace.requests.size());
            m_trace.requests.push_back(m_dict.encode(p.text, p.prepared));
            if (p.recorded.present || !m_trace.recorded.empty())
                m_trace.recorded.push_back(p.recorded);
            m_trace.lines.push_back(line);
            ++m_rows;
            if (m_sink != nullptr && m_trace.requests.size() >= m_sink->rows) {
                handOver();
                if (m_stopped)
                    return false;
            }
        }
        return true;
    }

    /// Hands over the last rows; call once reading stops.
    void flush()
    {
        if (m_sink != nullptr && !m_trace.requests.empty() && !m_stopped)
            handOver();
    }

private:
    static void prefetchRow(const ParsedRow& row)
    {
        prefetchBytes(&row, sizeof(ParsedRow));
        prefetchBytes(row.source, row.sourceBytes);
    }

    bool reject(qint64 line, const QString& message)
    {
        ++m_result.skippedRows;
        if (m_result.errors.size() < m_options.maxReportedErrors)
            m_result.errors.append(TraceError { line, message });
        if (m_options.strict) {
            m_result.fatal = TraceError { line, message }.toString();
            return false;
        }
        return true;
    }

    void handOver()
    {
        Trace chunk;
        chunk.dictionary = m_trace.dictionary;
        chunk.ruleNames = m_trace.ruleNames;
        chunk.requests = std::move(m_trace.requests);
        chunk.lines = std::move(m_trace.lines);
        chunk.recorded = std::move(m_trace.recorded);
        m_sink->prepare(m_trace);
        if (!m_stopped && !m_sink->consume(std::move(chunk))) {
            m_stopped = true;
            m_result.cancelled = true;
        }
    }

    ReadResult& m_result;
    Trace& m_trace;
    ef::Dictionary& m_dict;
    const ReadOptions& m_options;
    const ChunkSink* m_sink; // null: the rows stay in m_trace
    std::vector<std::uint32_t> m_ruleIds { 0 }; // range's rule index -> Trace::ruleNames
    std::uint64_t m_rows = 0;
    bool m_stopped = false;
    ef::TimeMs m_lastTs = 0;
    qint64 m_lastLine = 0;
    bool m_haveLast = false;
};

constexpr qint64 kDefaultRangeBytes = 1 << 20;

// How many threads parse a CSV body of `bytes`; below 2 the one-thread reader runs.
int parseThreadsFor(const ReadOptions& options, qint64 bytes)
{
    if (options.parseThreads == 1)
        return 1;
    if (options.parseThreads >= 2)
        return std::min(options.parseThreads, 64);
    const qint64 rangeBytes
        = options.parseRangeBytes > 0 ? options.parseRangeBytes : kDefaultRangeBytes;
    if (bytes < 4 * rangeBytes)
        return 1; // too little to share
    const unsigned cores = std::thread::hardware_concurrency();
    return static_cast<int>(std::clamp(cores, 1U, 8U));
}

class CsvReader;
void readCsvInParallel(const CsvReader& reader, int threads, const ReadOptions& options,
    ReadResult& result, const ChunkSink* sink);

class CsvReader {
public:
    CsvReader(const char* data, qint64 size, const ReadOptions& options, ReadResult& result,
        const ChunkSink* sink)
        : m_begin(data)
        , m_p(data)
        , m_end(data + size)
        , m_scanner(data, data + size)
        , m_options(options)
        , m_result(result)
        , m_sink(sink)
        , m_dropper(data, sink)
    {
    }

    void run()
    {
        if (m_end - m_p >= 3 && std::memcmp(m_p, "\xEF\xBB\xBF", 3) == 0)
            m_p += 3;
        if (!readHeader())
            return;
        const std::size_t columnCount = m_columns.size();
        m_plan.resize(columnCount);
        for (std::size_t i = 0; i < columnCount; ++i)
            m_plan[i] = planFor(m_columns[i]);
        if (const int threads = parseThreadsFor(m_options, m_end - m_p); threads >= 2) {
            readCsvInParallel(*this, threads, m_options, m_result, m_sink);
            return;
        }
        reserveFor(m_result.trace, m_p, m_end - m_p, m_sink);
        RowBuilder row(m_result, m_options, m_sink);
        if (!records(row, m_end))
            return;
        row.flush();
        if (m_options.progress)
            m_options.progress(m_end - m_begin, m_end - m_begin);
    }

    /// Parses the records from `from` (the start of a record) until one ends at or after
    /// `stopAt` into `range`, counting lines from 0 there. Any thread; reads only the data.
    void parseRange(ParsedRange& range, const char* from, const char* stopAt) const
    {
        CsvReader reader(*this);
        reader.m_p = from;
        reader.m_line = 0;
        reader.m_scanner = SeparatorScanner(m_begin, m_end);
        RangeBuilder row(range, m_options.requestIds == RequestIdTexts::RecordedRowsOnly);
        range.start = from;
        reader.records(row, stopAt);
        range.end = reader.m_p;
        range.lines = reader.m_line;
    }

    const char* begin() const { return m_begin; }
    const char* end() const { return m_end; }
    const char* position() const { return m_p; }
    qint64 line() const { return m_line; }

private:
    /// The records from m_p on, until one ends at or after `stopAt`. False when reading must
    /// stop (strict mode, cancelled); the builder has been flushed then.
    template<class Builder> bool records(Builder& row, const char* stopAt)
    {
        const std::size_t columnCount = m_columns.size();
        qint64 rows = 0;
        while (m_p < stopAt) {
            if (*m_p == '\n' || *m_p == '\r') { // blank line
                skipNewline();
                continue;
            }
            if constexpr (Builder::kSerial) {
                if (++rows % kProgressEveryRows == 0) {
                    if (rows == kProgressEveryRows)
                        reserveFields(m_result.trace, rows, m_p - m_begin, m_end - m_begin);
                    m_dropper.dropBefore(m_p);
                    if (m_options.progress && !m_options.progress(m_p - m_begin, m_end - m_begin)) {
                        m_result.cancelled = true;
                        row.flush();
                        return false;
                    }
                }
            }
            const qint64 rowLine = m_line;
            const char* recordStart = m_p;
            row.begin();
            std::size_t column = 0;
            QString error;
            // The cells of one record. Locals, not members, so that the compiler keeps them in
            // registers across the stores into the row.
            const char* p = m_p;
            SeparatorScanner scanner = m_scanner;
            ef::Request& texts = row.texts();
            for (;;) {
                std::string_view cell;
                const char* separator;
                if (*p == '"') [[unlikely]] {
                    m_p = p;
                    const auto quoted = quotedCell(error);
                    p = m_p;
                    if (!quoted)
                        break;
                    cell = *quoted;
                    separator = p;
                } else {
                    separator = scanner.next(p);
                    cell = std::string_view(p, std::size_t(separator - p));
                }
                if (column < columnCount && !cell.empty()) {
                    const ColumnPlan& plan = m_plan[column];
                    switch (plan.action) {
                    case Action::Text:
                        if (cell.data() == m_scratch.data()) [[unlikely]]
                            row.setText(plan.field, plan.member, cell, true);
                        else
                            texts.*plan.member = cell;
                        break;
                    case Action::Ts:
                        row.setTs(cell);
                        break;
                    case Action::Count:
                        row.setCount(plan.column, cell);
                        break;
                    case Action::Other:
                        row.set(plan.column, cell, cell.data() == m_scratch.data());
                        break;
                    case Action::Ignore:
                        break;
                    }
                }
                ++column;
                if (separator < m_end && *separator == ',') {
                    p = separator + 1;
                    // Empty cells (absent fields: forwarded_for, user, keys, cost, …) set
                    // nothing: step over them without scanning.
                    while (p < m_end && *p == ',') {
                        ++column;
                        ++p;
                    }
                    if (p == m_end) { // a trailing comma ends the file: one more empty cell
                        ++column;
                        break;
                    }
                    continue;
                }
                p = separator;
                m_p = p;
                skipNewline();
                p = m_p;
                break;
            }
            m_p = p;
            m_scanner = scanner;
            if (!error.isEmpty()) {
                row.failCell(error, m_quoteLine);
                skipRestOfRecord();
            } else if (column != columnCount) {
                row.fail(u"has "_s + QString::number(column) + u" cells, the header has "_s
                    + QString::number(columnCount));
            }
            if constexpr (!Builder::kSerial)
                row.source(recordStart, m_p);
            if (!row.finish(rowLine)) {
                row.flush();
                return false;
            }
        }
        return true;
    }

    bool readHeader()
    {
        while (m_p < m_end && (*m_p == '\n' || *m_p == '\r'))
            skipNewline();
        if (m_p >= m_end) {
            m_result.fatal = u"the file is empty; a CSV trace starts with a header row such as "
                             u"ts,ip,user_id,endpoint"_s;
            return false;
        }
        const qint64 headerLine = m_line;
        bool haveTs = false;
        for (;;) {
            std::string_view cell;
            QString error;
            if (*m_p == '"') {
                const auto quoted = quotedCell(error);
                if (!quoted) {
                    m_result.fatal = TraceError { headerLine, u"header: "_s + error }.toString();
                    return false;
                }
                cell = *quoted;
            } else {
                const char* start = m_p;
                m_p = m_scanner.next(m_p);
                cell = std::string_view(start, std::size_t(m_p - start));
            }
            std::string name(cell);
            while (!name.empty() && (name.back() == ' ' || name.back() == '\t'))
                name.pop_back();
            while (!name.empty() && (name.front() == ' ' || name.front() == '\t'))
                name.erase(name.begin());
            const Column column = columnFromName(name);
            if (column != Column::Ignored) {
                for (std::size_t i = 0; i < m_columns.size(); ++i) {
                    if (m_columns[i] == column) {
                        m_result.fatal = TraceError { headerLine,
                            u"column '"_s + qs(name) + u"' appears twice in the header"_s }
                                             .toString();
                        return false;
                    }
                }
            }
            haveTs = haveTs || column == Column::Ts;
            m_columns.push_back(column);
            if (m_p < m_end && *m_p == ',') {
                ++m_p;
                continue;
            }
            skipNewline();
            break;
        }
        if (!haveTs) {
            m_result.fatal = TraceError { headerLine,
                u"the header has no 'ts' column; is this a trace? Expected columns such as "
                u"ts,request_id,ip,user_id,plan,endpoint,method"_s }
                                 .toString();
            return false;
        }
        return true;
    }

    void skipNewline()
    {
        if (m_p < m_end && *m_p == '\r')
            ++m_p;
        if (m_p < m_end && *m_p == '\n')
            ++m_p;
        ++m_line;
    }

    // RFC 4180: "" inside quotes is one quote; quotes may span lines.
    // The cell, or nothing (and `error`) when it is malformed.
    std::optional<std::string_view> quotedCell(QString& error)
    {
        std::string_view cell;
        const qint64 startLine = m_line;
        m_quoteLine = -1;
        ++m_p;
        const char* start = m_p;
        const char* quote
            = static_cast<const char*>(std::memchr(m_p, '"', std::size_t(m_end - m_p)));
        bool simple = true;
        m_scratch.clear();
        for (;;) {
            if (!quote) {
                error = unclosedQuoteMessage(startLine);
                m_quoteLine = startLine;
                m_p = m_end;
                return std::nullopt;
            }
            m_line += countNewlines(m_p, quote);
            if (quote + 1 < m_end && quote[1] == '"') {
                if (simple) {
                    m_scratch.assign(start, std::size_t(quote - start) + 1);
                    simple = false;
                } else {
                    m_scratch.append(m_p, std::size_t(quote - m_p) + 1);
                }
                m_p = quote + 2;
                quote = static_cast<const char*>(std::memchr(m_p, '"', std::size_t(m_end - m_p)));
                continue;
            }
            if (simple) {
                cell = std::string_view(start, std::size_t(quote - start));
            } else {
                m_scratch.append(m_p, std::size_t(quote - m_p));
                cell = m_scratch;
            }
            m_p = quote + 1;
            break;
        }
        if (m_p < m_end && *m_p != ',' && *m_p != '\n' && *m_p != '\r') {
            error = u"unexpected text after a closing quote; a quote inside a quoted cell is "
                    u"written twice (\"\")"_s;
            return std::nullopt;
        }
        return cell;
    }

    void skipRestOfRecord()
    {
        // Best effort after a malformed quoted cell: resume at the next line.
        while (m_p < m_end && *m_p != '\n')
            ++m_p;
        if (m_p < m_end) {
            ++m_p;
            ++m_line;
        }
    }

    // What a column's cells are: the text columns go straight into the row, the common
    // numbers are decoded in line, the rest through RowBuilder::set().
    enum class Action : std::uint8_t { Ignore, Text, Ts, Count, Other };
    struct ColumnPlan {
        Action action = Action::Ignore;
        Column column = Column::Ignored;
        ef::Field field = ef::Field::RequestId;
        std::string_view ef::Request::*member = nullptr;
    };
    static ColumnPlan planFor(Column column)
    {
        auto text = [column](ef::Field field, std::string_view ef::Request::*member) {
            return ColumnPlan { Action::Text, column, field, member };
        };
        switch (column) {
        case Column::RequestId:
            return text(ef::Field::RequestId, &ef::Request::requestId);
        case Column::Ip:
            return text(ef::Field::Ip, &ef::Request::ip);
        case Column::ForwardedFor:
            return text(ef::Field::ForwardedFor, &ef::Request::forwardedFor);
        case Column::UserId:
            return text(ef::Field::User, &ef::Request::userId);
        case Column::Plan:
            return text(ef::Field::Plan, &ef::Request::plan);
        case Column::Endpoint:
            return text(ef::Field::Endpoint, &ef::Request::endpoint);
        case Column::Method:
            return text(ef::Field::Method, &ef::Request::method);
        case Column::UserAgent:
            return text(ef::Field::UserAgent, &ef::Request::userAgent);
        case Column::Country:
            return text(ef::Field::Country, &ef::Request::country);
        case Column::IdempotencyKey:
            return text(ef::Field::IdempotencyKey, &ef::Request::idempotencyKey);
        case Column::RequestHash:
            return text(ef::Field::RequestHash, &ef::Request::requestHash);
        case Column::Model:
            return text(ef::Field::Model, &ef::Request::model);
        case Column::Ts:
            return { Action::Ts, column };
        case Column::Tokens:
        case Column::ResponseMs:
            return { Action::Count, column };
        case Column::Ignored:
            return {};
        case Column::CostUsd:
        case Column::Status:
        case Column::Decision:
        case Column::Reason:
        case Column::Rule:
            break;
        }
        return { Action::Other, column };
    }

    const char* m_begin;
    const char* m_p;
    const char* m_end;
    SeparatorScanner m_scanner;
    std::vector<ColumnPlan> m_plan; // per column
    const ReadOptions& m_options;
    ReadResult& m_result;
    const ChunkSink* m_sink;
    PageDropper m_dropper;
    std::vector<Column> m_columns;
    std::string m_scratch;
    qint64 m_line = 1;
    qint64 m_quoteLine = -1; // the line an unclosed quote opened on, for its message
};

// The parse threads and the calling thread of a CSV read on several threads (see ParsedRange).
class ParallelCsvReader {
public:
    ParallelCsvReader(const CsvReader& reader, int threads, const ReadOptions& options,
        ReadResult& result, const ChunkSink* sink)
        : m_reader(reader)
        , m_options(options)
        , m_result(result)
        , m_sink(sink)
        , m_begin(reader.begin())
        , m_body(reader.position())
        , m_end(reader.end())
        , m_rangeBytes(options.parseRangeBytes > 0 ? options.parseRangeBytes : kDefaultRangeBytes)
        , m_rangeCount(static_cast<std::size_t>(
              std::max<qint64>(1, (m_end - m_body + m_rangeBytes - 1) / m_rangeBytes)))
        , m_slots(static_cast<std::size_t>(2 * threads + 2))
        , m_threads(threads)
    {
    }

    void run()
    {
        reserveFor(m_result.trace, m_body, m_end - m_body, m_sink);
        RangeCommitter committer(m_result, m_options, m_sink);
        PageDropper dropper(m_begin, m_sink);
        std::vector<std::jthread> workers;
        workers.reserve(static_cast<std::size_t>(m_threads));
        for (int t = 0; t < m_threads; ++t)
            workers.emplace_back([this] { parse(); });

        const std::size_t window = m_slots.size();
        const char* at = m_body; // where the next record really starts
        qint64 line = m_reader.line();
        std::uint64_t nextProgress = kProgressEveryRows;
        bool reservedFields = false;
        bool goOn = true;
        bool cancelled = false;
        for (std::size_t k = 0; k < m_rangeCount && at < m_end; ++k) {
            ParsedRange* range = nullptr;
            {
                std::unique_lock lock(m_mutex);
                m_changed.wait(lock, [&] { return m_slots[k % window].index == k || m_failure; });
                if (m_failure)
                    break;
                range = &m_slots[k % window];
            }
            if (range->start != at) {
                // The guessed start was not a record boundary: parse again from the true one.
                range->reset();
                const char* stopAt = guess(k + 1);
                if (at >= stopAt) {
                    range->start = at;
                    range->end = at;
                    range->lines = 0;
                } else {
                    m_reader.parseRange(*range, at, stopAt);
                }
            }
            goOn = committer.commit(*range, line);
            line += range->lines;
            at = range->end;
            {
                std::lock_guard lock(m_mutex);
                m_committed = k + 1;
            }
            m_changed.notify_all();
            if (!goOn)
                break;
            if (committer.rows() >= nextProgress) {
                while (nextProgress <= committer.rows())
                    nextProgress += kProgressEveryRows;
                if (!reservedFields) {
                    reserveFields(m_result.trace, static_cast<qint64>(committer.rows()),
                        at - m_begin, m_end - m_begin);
                    reservedFields = true;
                }
                dropper.dropBefore(at);
                if (m_options.progress && !m_options.progress(at - m_begin, m_end - m_begin)) {
                    cancelled = true;
                    break;
                }
            }
        }
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_changed.notify_all();
        for (std::jthread& worker : workers)
            worker.join();
        if (m_failure)
            std::rethrow_exception(m_failure);
        committer.flush();
        if (cancelled) {
            m_result.cancelled = true;
            return;
        }
        if (goOn && m_options.progress)
            m_options.progress(m_end - m_begin, m_end - m_begin);
    }

private:
    // Where range k is guessed to start: after the first line break at or after its nominal
    // offset.
    const char* guess(std::size_t k) const
    {
        if (k == 0)
            return m_body;
        if (k >= m_rangeCount)
            return m_end;
        const char* nominal = m_body + static_cast<qint64>(k) * m_rangeBytes;
        const void* newline = std::memchr(nominal, '\n', std::size_t(m_end - nominal));
        return newline ? static_cast<const char*>(newline) + 1 : m_end;
    }

    // A parse thread: the next range not yet taken, while fewer than the window are waiting.
    void parse()
    {
        const std::size_t window = m_slots.size();
        std::unique_lock lock(m_mutex);
        for (;;) {
            m_changed.wait(lock,
                [&] { return m_stop || m_next >= m_rangeCount || m_next < m_committed + window; });
            if (m_stop || m_next >= m_rangeCount)
                return;
            const std::size_t k = m_next++;
            ParsedRange& range = m_slots[k % window];
            lock.unlock();
            try {
                range.reset();
                m_reader.parseRange(range, guess(k), guess(k + 1));
            } catch (...) { // out of memory: the calling thread rethrows it
                lock.lock();
                m_failure = std::current_exception();
                m_changed.notify_all();
                return;
            }
            lock.lock();
            range.index = k;
            m_changed.notify_all();
        }
    }

    const CsvReader& m_reader;
    const ReadOptions& m_options;
    ReadResult& m_result;
    const ChunkSink* m_sink;
    const char* m_begin;
    const char* m_body;
    const char* m_end;
    qint64 m_rangeBytes;
    std::size_t m_rangeCount;
    std::vector<ParsedRange> m_slots; // range k in slot k % size
    int m_threads;

    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::size_t m_next = 0; // the next range a parse thread takes
    std::size_t m_committed = 0; // ranges [0, m_committed) are in the trace
    bool m_stop = false;
    std::exception_ptr m_failure; // what a parse thread threw
};

void readCsvInParallel(const CsvReader& reader, int threads, const ReadOptions& options,
    ReadResult& result, const ChunkSink* sink)
{
    ParallelCsvReader(reader, threads, options, result, sink).run();
}

void appendUtf8(std::string& out, std::uint32_t cp)
{
    if (cp < 0x80) {
        out.push_back(char(cp));
    } else if (cp < 0x800) {
        out.push_back(char(0xC0 | (cp >> 6)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(char(0xE0 | (cp >> 12)));
        out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(char(0xF0 | (cp >> 18)));
        out.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    }
}

// One flat JSON object per line; nested values are allowed (and skipped) only for keys that are
// not trace columns.
class JsonlReader {
public:
    JsonlReader(const char* data, qint64 size, const ReadOptions& options, ReadResult& result,
        const ChunkSink* sink)
        : m_begin(data)
        , m_end(data + size)
        , m_options(options)
        , m_result(result)
        , m_sink(sink)
        , m_dropper(data, sink)
    {
    }

    void run()
    {
        const char* p = m_begin;
        if (m_end - p >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0)
            p += 3;
        reserveFor(m_result.trace, p, m_end - p, m_sink);
        RowBuilder row(m_result, m_options, m_sink);
        qint64 line = 0;
        while (p < m_end) {
            ++line;
            const char* eol
                = static_cast<const char*>(std::memchr(p, '\n', std::size_t(m_end - p)));
            if (!eol)
                eol = m_end;
            m_p = p;
            m_lineEnd = eol;
            p = eol < m_end ? eol + 1 : m_end;
            skipSpace();
            if (m_p == m_lineEnd)
                continue;
            if (line % kProgressEveryRows == 0)
                m_dropper.dropBefore(m_p);
            if (m_options.progress && line % kProgressEveryRows == 0
                && !m_options.progress(m_p - m_begin, m_end - m_begin)) {
                m_result.cancelled = true;
                row.flush();
                return;
            }
            row.begin();
            QString error;
            parseObject(row, error);
            if (!error.isEmpty())
                row.fail(error);
            if (!row.finish(line)) {
                row.flush();
                return;
            }
        }
        row.flush();
        if (m_options.progress)
            m_options.progress(m_end - m_begin, m_end - m_begin);
    }

private:
    void skipSpace()
    {
        while (m_p < m_lineEnd && (*m_p == ' ' || *m_p == '\t' || *m_p == '\r'))
            ++m_p;
    }

    void parseObject(RowBuilder& row, QString& error)
    {
        if (*m_p != '{') {
            error = u"expected a JSON object {…} on this line"_s;
            return;
        }
        ++m_p;
        skipSpace();
        if (m_p < m_lineEnd && *m_p == '}') {
            ++m_p;
            trailing(error);
            return;
        }
        for (;;) {
            skipSpace();
            std::string_view key;
            if (!string(key, error))
                return;
            const Column column = columnFromName(key);
            const std::string keyText(key);
            skipSpace();
            if (m_p >= m_lineEnd || *m_p != ':') {
                error = u"expected ':' after the key \""_s + qs(keyText) + u'"';
                return;
            }
            ++m_p;
            skipSpace();
            if (m_p >= m_lineEnd) {
                error = u"the line ends inside the object"_s;
                return;
            }
            std::string_view value;
            const char c = *m_p;
            if (c == '"') {
                if (!string(value, error))
                    return;
            } else if (c == '{' || c == '[') {
                if (column != Column::Ignored) {
                    error = u"\""_s + qs(keyText) + u"\" must be a string or a number"_s;
                    return;
                }
                if (!skipNested(error))
                    return;
            } else {
                const char* start = m_p;
                while (m_p < m_lineEnd && *m_p != ',' && *m_p != '}' && *m_p != ' ' && *m_p != '\t'
                    && *m_p != '\r')
                    ++m_p;
                value = std::string_view(start, std::size_t(m_p - start));
                if (value == "null" || value == "false") {
                    value = {};
                } else if (value == "true") {
                    if (column != Column::Ignored) {
                        error = u"\""_s + qs(keyText) + u"\" must be a string or a number"_s;
                        return;
                    }
                } else if (value.empty()
                    || !(value[0] == '-' || (value[0] >= '0' && value[0] <= '9'))) {
                    error = u"the value of \""_s + qs(keyText) + u"\" is not valid JSON"_s;
                    return;
                }
            }
            row.set(column, value, value.data() == m_scratch.data());
            skipSpace();
            if (m_p < m_lineEnd && *m_p == ',') {
                ++m_p;
                continue;
            }
            if (m_p < m_lineEnd && *m_p == '}') {
                ++m_p;
                trailing(error);
                return;
            }
            error = u"expected ',' or '}' after the value of \""_s + qs(keyText) + u'"';
            return;
        }
    }

    void trailing(QString& error)
    {
        skipSpace();
        if (m_p != m_lineEnd)
            error = u"unexpected text after the object; JSON Lines holds one object per line"_s;
    }

    bool string(std::string_view& out, QString& error)
    {
        if (m_p >= m_lineEnd || *m_p != '"') {
            error = u"expected a \"quoted\" key"_s;
            return false;
        }
        const char* start = ++m_p;
        while (m_p < m_lineEnd && *m_p != '"' && *m_p != '\\')
            ++m_p;
        if (m_p < m_lineEnd && *m_p == '"') {
            out = std::string_view(start, std::size_t(m_p - start));
            ++m_p;
            return true;
        }
        m_scratch.assign(start, std::size_t(m_p - start));
        while (m_p < m_lineEnd) {
            const char c = *m_p++;
            if (c == '"') {
                out = m_scratch;
                return true;
            }
            if (c != '\\') {
                m_scratch.push_back(c);
                continue;
            }
            if (m_p >= m_lineEnd)
                break;
            const char e = *m_p++;
            switch (e) {
            case '"':
            case '\\':
            case '/':
                m_scratch.push_back(e);
                break;
            case 'b':
                m_scratch.push_back('\b');
                break;
            case 'f':
                m_scratch.push_back('\f');
                break;
            case 'n':
                m_scratch.push_back('\n');
                break;
            case 'r':
                m_scratch.push_back('\r');
                break;
            case 't':
                m_scratch.push_back('\t');
                break;
            case 'u': {
                auto cp = hex4();
                if (!cp) {
                    error = u"a \\u escape needs four hex digits"_s;
                    return false;
                }
                if (*cp >= 0xD800 && *cp < 0xDC00 && m_lineEnd - m_p >= 6 && m_p[0] == '\\'
                    && m_p[1] == 'u') {
                    m_p += 2;
                    const auto low = hex4();
                    if (!low || *low < 0xDC00 || *low > 0xDFFF) {
                        error = u"a \\u surrogate pair is broken"_s;
                        return false;
                    }
                    *cp = 0x10000 + ((*cp - 0xD800) << 10) + (*low - 0xDC00);
                }
                appendUtf8(m_scratch, *cp);
                break;
            }
            default:
                error = u"unknown escape \\"_s + QChar::fromLatin1(e) + u" in a string"_s;
                return false;
            }
        }
        error = u"a string is not closed before the end of the line"_s;
        return false;
    }

    std::optional<std::uint32_t> hex4()
    {
        if (m_lineEnd - m_p < 4)
            return std::nullopt;
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = *m_p++;
            v <<= 4;
            if (c >= '0' && c <= '9')
                v |= std::uint32_t(c - '0');
            else if (c >= 'a' && c <= 'f')
                v |= std::uint32_t(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                v |= std::uint32_t(c - 'A' + 10);
            else
                return std::nullopt;
        }
        return v;
    }

    bool skipNested(QString& error)
    {
        int depth = 0;
        while (m_p < m_lineEnd) {
            const char c = *m_p;
            if (c == '"') {
                std::string_view ignored;
                if (!string(ignored, error))
                    return false;
                continue;
            }
            ++m_p;
            if (c == '{' || c == '[')
                ++depth;
            else if ((c == '}' || c == ']') && --depth == 0)
                return true;
        }
        error = u"a nested value is not closed before the end of the line"_s;
        return false;
    }

    const char* m_begin;
    const char* m_end;
    const char* m_p = nullptr;
    const char* m_lineEnd = nullptr;
    const ReadOptions& m_options;
    ReadResult& m_result;
    const ChunkSink* m_sink;
    PageDropper m_dropper;
    std::string m_scratch;
};

Format sniff(const char* data, qint64 size)
{
    for (qint64 i = 0; i < size; ++i) {
        const char c = data[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (i == 0 && size >= 3 && std::memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
            i += 2;
            continue;
        }
        return c == '{' ? Format::Jsonl : Format::Csv;
    }
    return Format::Csv;
}

void readBytes(const char* data, qint64 size, Format format, const ReadOptions& options,
    ReadResult& result, const ChunkSink* sink = nullptr)
{
    if (format == Format::Auto)
        format = sniff(data, size);
    if (format == Format::Jsonl)
        JsonlReader(data, size, options, result, sink).run();
    else
        CsvReader(data, size, options, result, sink).run();
}

ReadResult prepared(std::shared_ptr<ef::Dictionary> dictionary)
{
    ReadResult result;
    result.trace.dictionary
        = dictionary ? std::move(dictionary) : std::make_shared<ef::Dictionary>();
    return result;
}

} // namespace

QString TraceError::toString() const
{
    if (line <= 0)
        return message;
    return u"line "_s + QString::number(line) + u": "_s + message;
}

std::uint32_t Trace::internRule(std::string_view name)
{
    if (name.empty())
        return 0;
    for (std::size_t i = 1; i < ruleNames.size(); ++i) {
        if (ruleNames[i] == name)
            return static_cast<std::uint32_t>(i);
    }
    ruleNames.emplace_back(name);
    return static_cast<std::uint32_t>(ruleNames.size() - 1);
}

qint64 Trace::lineOf(std::size_t i) const
{
    return i < lines.size() ? lines[i] : static_cast<qint64>(i) + 2;
}

namespace {

ReadResult readFile(const QString& path, const ReadOptions& options,
    std::shared_ptr<ef::Dictionary> dictionary, Format format, ChunkSink* sink)
{
    ReadResult result = prepared(std::move(dictionary));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        result.fatal = u"cannot open the trace "_s + path + u": "_s + file.errorString();
        return result;
    }
    if (format == Format::Auto) {
        const QString suffix = QFileInfo(path).suffix().toLower();
        if (suffix == u"csv"_s)
            format = Format::Csv;
        else if (suffix == u"jsonl"_s || suffix == u"ndjson"_s)
            format = Format::Jsonl;
    }
    const qint64 size = file.size();
    if (size == 0) {
        if (format != Format::Jsonl)
            result.fatal
                = u"the trace "_s + path + u" is empty; a CSV trace starts with a header row"_s;
        return result;
    }
    // Mapping avoids copying gigabytes; a file that cannot be mapped (a pipe, some file
    // systems) is read into memory instead.
    if (const uchar* mapped = file.map(0, size)) {
#if defined(Q_OS_UNIX)
        // One front-to-back pass: let the kernel read ahead instead of faulting page by page.
        ::madvise(const_cast<uchar*>(mapped), static_cast<std::size_t>(size), MADV_SEQUENTIAL);
        ::madvise(const_cast<uchar*>(mapped), static_cast<std::size_t>(size), MADV_WILLNEED);
        if (sink != nullptr)
            sink->mapped = true;
#endif
        readBytes(reinterpret_cast<const char*>(mapped), size, format, options, result, sink);
        file.unmap(const_cast<uchar*>(mapped));
    } else {
        const QByteArray data = file.readAll();
        if (sink != nullptr)
            sink->mapped = false;
        readBytes(data.constData(), data.size(), format, options, result, sink);
    }
    if (!result.fatal.isEmpty() && !result.fatal.startsWith(u"line "_s))
        result.fatal = path + u": "_s + result.fatal;
    return result;
}

} // namespace

ReadResult readTrace(const QString& path, const ReadOptions& options,
    std::shared_ptr<ef::Dictionary> dictionary, Format format)
{
    return readFile(path, options, std::move(dictionary), format, nullptr);
}

ReadResult readTraceChunks(const QString& path, const ReadOptions& options,
    std::shared_ptr<ef::Dictionary> dictionary, const std::function<bool(Trace&&)>& consume,
    std::size_t chunkRows, Format format, ChunkPool* pool)
{
    ChunkSink sink { std::max<std::size_t>(1, chunkRows), consume, pool };
    return readFile(path, options, std::move(dictionary), format, &sink);
}

ReadResult readTraceData(const QByteArray& data, Format format, const ReadOptions& options,
    std::shared_ptr<ef::Dictionary> dictionary)
{
    ReadResult result = prepared(std::move(dictionary));
    if (data.isEmpty()) {
        if (format != Format::Jsonl)
            result.fatal = u"the trace is empty; a CSV trace starts with a header row"_s;
        return result;
    }
    readBytes(data.constData(), data.size(), format, options, result);
    return result;
}

} // namespace qc::trace
