// CSV traces: the one-thread reader over the memory-mapped bytes and, for large files, the
// reader that parses ranges of the file on several threads (docs/simulation.md).

#include "enforcement/prefetch.h"
#include "tracereader_p.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

namespace qc::trace::detail {

namespace {

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
    for (std::size_t offset = 0; offset < n; offset += 64)
        ef::prefetchForRead(at + offset);
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
        settleAllowed(recorded, m_decision);
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
        return rejectRow(m_result, m_options, line, message);
    }

    void handOver() { handOverChunk(m_trace, *m_sink, m_stopped, m_result); }

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

} // namespace

void readCsv(const char* data, qint64 size, const ReadOptions& options, ReadResult& result,
    const ChunkSink* sink)
{
    CsvReader(data, size, options, result, sink).run();
}

} // namespace qc::trace::detail
