#pragma once

// The CSV reader (csvreader.cpp): the header row, the records of the memory-mapped bytes, and
// the ranges that the parallel reader (parallelcsvreader.cpp) hands its parse threads.

#include "tracereader_p.h"

namespace qc::trace::detail {

struct ParsedRange;

/// How many threads parse a CSV body of `bytes`; below 2 the one-thread reader runs.
int parseThreadsFor(const ReadOptions& options, qint64 bytes);

// Reads a CSV trace on the calling thread, or hands the body to readCsvInParallel().
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

    void run();

    /// Parses the records from `from` (the start of a record) until one ends at or after
    /// `stopAt` into `range`, counting lines from 0 there. Any thread; reads only the data.
    void parseRange(ParsedRange& range, const char* from, const char* stopAt) const;

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
                bool transient = false; // the cell is in m_scratch (a quoted cell with "")
                if (*p == '"') [[unlikely]] {
                    // Most quoted cells (user agents with a comma) have no "" and no line
                    // break: the next quote closes them, and they stay views into the data.
                    // Anything else goes the long way (quotedCell).
                    const char* close = findQuoteOrBreak<kSimdScan>(p + 1, m_end);
                    if (close < m_end && *close == '"'
                        && (close + 1 == m_end || close[1] == ',' || close[1] == '\n'
                            || close[1] == '\r')) [[likely]] {
                        cell = std::string_view(p + 1, std::size_t(close - p - 1));
                        p = close + 1;
                    } else {
                        m_p = p;
                        const auto quoted = quotedCell(error);
                        p = m_p;
                        if (!quoted)
                            break;
                        cell = *quoted;
                        transient = cell.data() == m_scratch.data();
                    }
                    separator = p;
                } else {
                    separator = scanner.next(p);
                    cell = std::string_view(p, std::size_t(separator - p));
                }
                if (column < columnCount && !cell.empty()) {
                    // Text cells first: most of a row's cells are.
                    const ColumnPlan& plan = m_plan[column];
                    if (plan.action == Action::Text && !transient) [[likely]] {
                        texts.*plan.member = cell;
                    } else {
                        switch (plan.action) {
                        case Action::Text:
                            row.setText(plan.field, plan.member, cell, true);
                            break;
                        case Action::Ts:
                            row.setTs(cell);
                            break;
                        case Action::Count:
                            row.setCount(plan.column, cell);
                            break;
                        case Action::Other:
                            row.set(plan.column, cell, transient);
                            break;
                        case Action::Ignore:
                            break;
                        }
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

    bool readHeader();

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
    std::optional<std::string_view> quotedCell(QString& error);

    void skipRestOfRecord();

    // What a column's cells are: the text columns go straight into the row, the common
    // numbers are decoded in line, the rest through RowBuilder::set().
    enum class Action : std::uint8_t { Ignore, Text, Ts, Count, Other };
    struct ColumnPlan {
        Action action = Action::Ignore;
        Column column = Column::Ignored;
        ef::Field field = ef::Field::RequestId;
        std::string_view ef::Request::*member = nullptr;
    };
    static ColumnPlan planFor(Column column);

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

/// Parses the body after `reader`'s header on `threads` threads, in ranges.
void readCsvInParallel(const CsvReader& reader, int threads, const ReadOptions& options,
    ReadResult& result, const ChunkSink* sink);

} // namespace qc::trace::detail
