#pragma once

// What the trace readers share (tracereader.cpp, csvreader.cpp, jsonlreader.cpp): cell
// parsing and messages, the row builder that checks and interns a row, the chunk sink of
// streamed reads, and the readers' entry points.

#include "chunkpool.h"
#include "columns_p.h"
#include "enforcement/civildate.h"
#include "enforcement/headers.h"
#include "policy/policyjson.h"
#include "separatorscanner_p.h"
#include "trace.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

#if defined(Q_OS_UNIX)
#include <sys/mman.h>
#endif

namespace qc::trace::detail {

using namespace Qt::StringLiterals;
namespace ef = qc::enforcement;

inline constexpr qint64 kProgressEveryRows = 1 << 16;

inline QString qs(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

// Long cells are shortened in messages so a broken row does not flood the error list.
inline QString shown(std::string_view text)
{
    if (text.size() > 60)
        return qs(text.substr(0, 57)) + u"…"_s;
    return qs(text);
}

inline bool allDigits(std::string_view text)
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

inline std::optional<bool> parseDecisionWord(std::string_view text)
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

inline QString outOfOrderMessage(ef::TimeMs ts, ef::TimeMs lastTs, qint64 lastLine)
{
    std::string before;
    std::string now;
    appendTimestamp(before, lastTs);
    appendTimestamp(now, ts);
    return u"ts "_s + qs(now) + u" is earlier than "_s + qs(before) + u" on line "_s
        + QString::number(lastLine) + u"; rows must be in time order"_s;
}

inline QString unclosedQuoteMessage(qint64 line)
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

// Whether a recorded decision allowed the request: its `decision` cell when given, else its
// status (below 400), else its reason.
inline void settleAllowed(RecordedDecision& recorded, std::optional<bool> decision)
{
    if (!recorded.present)
        return;
    if (decision)
        recorded.allowed = *decision;
    else if (recorded.status != 0)
        recorded.allowed = recorded.status < 400;
    else if (recorded.hasReason)
        recorded.allowed = ef::allowedOf(recorded.reason);
}

// Appends a row to `trace`: its request and line, and its recorded decision once any row of the
// trace has one (the rows before it get empty ones).
inline void appendRow(
    Trace& trace, const ef::EncodedRequest& request, const RecordedDecision& recorded, qint64 line)
{
    if (recorded.present && trace.recorded.empty())
        trace.recorded.resize(trace.requests.size());
    trace.requests.push_back(request);
    if (recorded.present || !trace.recorded.empty())
        trace.recorded.push_back(recorded);
    trace.lines.push_back(line);
}

// Counts a bad row at `line` and reports it (up to maxReportedErrors); false when the read
// must stop there (--strict: the error is fatal).
inline bool rejectRow(
    ReadResult& result, const ReadOptions& options, qint64 line, const QString& message)
{
    ++result.skippedRows;
    if (result.errors.size() < options.maxReportedErrors)
        result.errors.append(TraceError { line, message });
    if (options.strict) {
        result.fatal = TraceError { line, message }.toString();
        return false;
    }
    return true;
}

// Hands the rows gathered in `trace` to `sink` as one chunk; `trace` keeps its dictionary and
// rule names and takes the sink's recycled buffers. A sink that wants no more stops the read
// (`stopped`, and the result says cancelled).
inline void handOverChunk(Trace& trace, const ChunkSink& sink, bool& stopped, ReadResult& result)
{
    Trace chunk;
    chunk.dictionary = trace.dictionary;
    chunk.ruleNames = trace.ruleNames;
    chunk.requests = std::move(trace.requests);
    chunk.lines = std::move(trace.lines);
    chunk.recorded = std::move(trace.recorded);
    sink.prepare(trace);
    if (!stopped && !sink.consume(std::move(chunk))) {
        stopped = true;
        result.cancelled = true;
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
        settleAllowed(recorded, m_decision);
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
        return rejectRow(m_result, m_options, line, message);
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
        appendRow(m_trace, row, p.recorded, p.line);
        m_head = (m_head + 1) % kDepth;
        --m_count;
        if (m_sink != nullptr && m_trace.requests.size() >= m_sink->rows)
            handOver();
    }

    void handOver() { handOverChunk(m_trace, *m_sink, m_stopped, m_result); }

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

inline qint64 countNewlines(const char* from, const char* to)
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

inline void reserveFor(Trace& trace, const char* data, qint64 size, const ChunkSink* sink)
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
inline void reserveFields(Trace& trace, qint64 rowsDone, qint64 bytesDone, qint64 bytesTotal)
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

/// Reads CSV bytes (on several threads for large inputs, ReadOptions::parseThreads).
void readCsv(const char* data, qint64 size, const ReadOptions& options, ReadResult& result,
    const ChunkSink* sink);
/// Reads JSON Lines bytes.
void readJsonl(const char* data, qint64 size, const ReadOptions& options, ReadResult& result,
    const ChunkSink* sink);

} // namespace qc::trace::detail
