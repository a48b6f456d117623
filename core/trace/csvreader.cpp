// CSV traces: the header, and the one-thread reader over the memory-mapped bytes; large files
// go to the parallel reader (parallelcsvreader.cpp, docs/simulation.md).

#include "csvreader_p.h"

namespace qc::trace::detail {

void CsvReader::run()
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

bool CsvReader::readHeader()
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

std::optional<std::string_view> CsvReader::quotedCell(QString& error)
{
    std::string_view cell;
    const qint64 startLine = m_line;
    m_quoteLine = -1;
    ++m_p;
    const char* start = m_p;
    const char* quote = static_cast<const char*>(std::memchr(m_p, '"', std::size_t(m_end - m_p)));
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

void CsvReader::skipRestOfRecord()
{
    // Best effort after a malformed quoted cell: resume at the next line.
    while (m_p < m_end && *m_p != '\n')
        ++m_p;
    if (m_p < m_end) {
        ++m_p;
        ++m_line;
    }
}

CsvReader::ColumnPlan CsvReader::planFor(Column column)
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

void readCsv(const char* data, qint64 size, const ReadOptions& options, ReadResult& result,
    const ChunkSink* sink)
{
    CsvReader(data, size, options, result, sink).run();
}

} // namespace qc::trace::detail
