// CSV traces read on several threads: parse threads decode ranges of the file, the calling
// thread interns them in file order (docs/simulation.md).

#include "csvreader_p.h"
#include "enforcement/prefetch.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>

namespace qc::trace::detail {

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

// One valid row of a range, its texts hashed (Dictionary::hash) but not interned. Aligned to
// cache lines: the interning thread loads each row from the other core's cache, whole.
struct alignas(64) ParsedRow {
    ef::Request text; // ts, numbers and views into the data or into ParsedRange::owned
    ef::PreparedRequest prepared;
    RecordedDecision recorded; // rule: index into ParsedRange::rules
    qint64 line = 0; // from the range's first line, 0-based
    const char* source = nullptr; // the record's bytes in the data
    std::uint32_t sourceBytes = 0;
};

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

namespace {

// Starts loading [p, p + n) into this core's cache. The rows a parse thread wrote (and the
// file bytes it read) sit in the other core's cache; the interning thread asks for them a few
// rows ahead so that it does not wait for each transfer.
inline void prefetchBytes(const void* p, std::size_t n)
{
    const char* at = static_cast<const char*>(p);
    for (std::size_t offset = 0; offset < n; offset += 64)
        ef::prefetchForRead(at + offset);
}

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
            appendRow(m_trace, m_dict.encode(p.text, p.prepared), p.recorded, line);
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
        // The row's cache lines, unrolled (a fixed count: rows are aligned to lines).
        const char* at = reinterpret_cast<const char*>(&row);
        [at]<std::size_t... line>(std::index_sequence<line...>)
        {
            (ef::prefetchForRead(at + 64 * line), ...);
        }
        (std::make_index_sequence<sizeof(ParsedRow) / 64>());
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

} // namespace

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

void CsvReader::parseRange(ParsedRange& range, const char* from, const char* stopAt) const
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

namespace {

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

} // namespace

void readCsvInParallel(const CsvReader& reader, int threads, const ReadOptions& options,
    ReadResult& result, const ChunkSink* sink)
{
    ParallelCsvReader(reader, threads, options, result, sink).run();
}

} // namespace qc::trace::detail
