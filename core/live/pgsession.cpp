#include "pgsession.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <libpq-fe.h>

namespace qc::live {

namespace {

QString describe(PGresult* result, PGconn* connection)
{
    const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    QString text = primary
        ? QString::fromUtf8(primary)
        : QString::fromUtf8(connection ? PQerrorMessage(connection) : "").trimmed();
    if (text.isEmpty())
        text = QStringLiteral("the database gave no reason");
    if (result) {
        if (const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL))
            text += QStringLiteral("; ") + QString::fromUtf8(detail);
        if (const char* hint = PQresultErrorField(result, PG_DIAG_MESSAGE_HINT))
            text += QStringLiteral(" (hint: ") + QString::fromUtf8(hint) + u')';
        if (const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE))
            text += QStringLiteral(" (SQLSTATE ") + QString::fromLatin1(state) + u')';
    }
    return text;
}

// QC_LIVE_SQL_TRACE=<ms>: statements slower than that are printed to stderr with their time.
class SlowStatement {
public:
    explicit SlowStatement(std::string_view sql)
        : m_sql(sql)
        , m_start(std::chrono::steady_clock::now())
    {
    }
    ~SlowStatement()
    {
        static const long threshold = [] {
            const char* value = std::getenv("QC_LIVE_SQL_TRACE");
            return value ? std::strtol(value, nullptr, 10) : -1L;
        }();
        if (threshold < 0)
            return;
        const double ms
            = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - m_start)
                  .count();
        if (ms >= double(threshold))
            std::fprintf(stderr, "sql %8.1f ms  %.*s\n", ms,
                int(std::min<std::size_t>(m_sql.size(), 110)), m_sql.data());
    }

private:
    std::string_view m_sql;
    std::chrono::steady_clock::time_point m_start;
};

} // namespace

PgResult::PgResult(PGresult* result, PGconn* connection)
    : m_result(result)
{
    const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    m_ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
    if (!m_ok) {
        m_error = describe(result, connection);
        if (result) {
            if (const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE))
                m_sqlState = QString::fromLatin1(state);
        }
    }
}

PgResult::~PgResult()
{
    if (m_result)
        PQclear(m_result);
}

PgResult::PgResult(PgResult&& other) noexcept
    : m_result(std::exchange(other.m_result, nullptr))
    , m_ok(other.m_ok)
    , m_error(std::move(other.m_error))
    , m_sqlState(std::move(other.m_sqlState))
{
}

PgResult& PgResult::operator=(PgResult&& other) noexcept
{
    if (this != &other) {
        if (m_result)
            PQclear(m_result);
        m_result = std::exchange(other.m_result, nullptr);
        m_ok = other.m_ok;
        m_error = std::move(other.m_error);
        m_sqlState = std::move(other.m_sqlState);
    }
    return *this;
}

int PgResult::rows() const
{
    return m_result ? PQntuples(m_result) : 0;
}

int PgResult::columns() const
{
    return m_result ? PQnfields(m_result) : 0;
}

bool PgResult::isNull(int row, int column) const
{
    return !m_result || PQgetisnull(m_result, row, column);
}

std::string_view PgResult::text(int row, int column) const
{
    if (isNull(row, column))
        return {};
    return std::string_view(
        PQgetvalue(m_result, row, column), std::size_t(PQgetlength(m_result, row, column)));
}

QString PgResult::qtext(int row, int column) const
{
    const std::string_view t = text(row, column);
    return QString::fromUtf8(t.data(), qsizetype(t.size()));
}

long long PgResult::integer(int row, int column) const
{
    return isNull(row, column) ? 0 : std::strtoll(PQgetvalue(m_result, row, column), nullptr, 10);
}

bool PgResult::boolean(int row, int column) const
{
    return !isNull(row, column) && PQgetvalue(m_result, row, column)[0] == 't';
}

PgSession::~PgSession()
{
    if (m_connection)
        PQfinish(m_connection);
}

PgSession::PgSession(PgSession&& other) noexcept
    : m_connection(std::exchange(other.m_connection, nullptr))
{
}

PgSession& PgSession::operator=(PgSession&& other) noexcept
{
    if (this != &other) {
        if (m_connection)
            PQfinish(m_connection);
        m_connection = std::exchange(other.m_connection, nullptr);
    }
    return *this;
}

QString PgSession::connect(const std::string& conninfo, const char* applicationName)
{
    if (m_connection)
        PQfinish(m_connection);
    const char* keywords[] = { "dbname", "application_name", "fallback_application_name", nullptr };
    const char* values[] = { conninfo.c_str(), applicationName, "quotactl", nullptr };
    // expand_dbname = 1: the first dbname is a whole connection string (URI or key=value).
    m_connection = PQconnectdbParams(keywords, values, 1);
    if (!m_connection)
        return QStringLiteral("out of memory while connecting to the database");
    if (PQstatus(m_connection) != CONNECTION_OK) {
        const QString error = QString::fromUtf8(PQerrorMessage(m_connection)).trimmed();
        PQfinish(m_connection);
        m_connection = nullptr;
        return error.isEmpty() ? QStringLiteral("cannot connect to the database") : error;
    }
    PQsetClientEncoding(m_connection, "UTF8");
    return {};
}

bool PgSession::isOpen() const
{
    return m_connection != nullptr;
}

bool PgSession::isHealthy() const
{
    return m_connection && PQstatus(m_connection) == CONNECTION_OK;
}

bool PgSession::inTransaction() const
{
    return m_connection && PQtransactionStatus(m_connection) != PQTRANS_IDLE
        && PQtransactionStatus(m_connection) != PQTRANS_UNKNOWN;
}

QString PgSession::reset()
{
    if (!m_connection)
        return QStringLiteral("not connected");
    PQreset(m_connection);
    if (PQstatus(m_connection) != CONNECTION_OK)
        return QString::fromUtf8(PQerrorMessage(m_connection)).trimmed();
    PQsetClientEncoding(m_connection, "UTF8");
    return {};
}

PgResult PgSession::exec(const char* sql)
{
    const SlowStatement trace(sql);
    return PgResult(PQexec(m_connection, sql), m_connection);
}

PgResult PgSession::execParams(
    const char* sql, const std::vector<std::optional<std::string>>& params)
{
    const SlowStatement trace(sql);
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params)
        values.push_back(p ? p->c_str() : nullptr);
    return PgResult(PQexecParams(m_connection, sql, int(values.size()), nullptr, values.data(),
                        nullptr, nullptr, 0),
        m_connection);
}

PgResult PgSession::prepare(const char* name, const char* sql)
{
    return PgResult(PQprepare(m_connection, name, sql, 0, nullptr), m_connection);
}

PgResult PgSession::execPrepared(const char* name, const char* const* values, int count)
{
    return PgResult(
        PQexecPrepared(m_connection, name, count, values, nullptr, nullptr, 0), m_connection);
}

QString PgSession::copyIn(const std::string& copySql, std::string_view data)
{
    const SlowStatement trace(copySql);
    PGresult* start = PQexec(m_connection, copySql.c_str());
    if (PQresultStatus(start) != PGRES_COPY_IN) {
        PgResult failed(start, m_connection);
        return failed.error();
    }
    PQclear(start);
    // Sent in pieces so that libpq's buffer stays small however large the day is.
    constexpr std::size_t kPiece = 1 << 20;
    for (std::size_t offset = 0; offset < data.size(); offset += kPiece) {
        const std::size_t n = std::min(kPiece, data.size() - offset);
        if (PQputCopyData(m_connection, data.data() + offset, int(n)) != 1) {
            const QString error = QString::fromUtf8(PQerrorMessage(m_connection)).trimmed();
            PQputCopyEnd(m_connection, "send failed");
            while (PGresult* r = PQgetResult(m_connection))
                PQclear(r);
            return error;
        }
    }
    if (PQputCopyEnd(m_connection, nullptr) != 1)
        return QString::fromUtf8(PQerrorMessage(m_connection)).trimmed();
    QString error;
    while (PGresult* r = PQgetResult(m_connection)) {
        PgResult result(r, m_connection);
        if (!result.ok() && error.isEmpty())
            error = result.error();
    }
    return error;
}

void appendCopyText(std::string& out, std::string_view text)
{
    // Most texts need no escape: append them whole.
    std::size_t clean = 0;
    while (clean < text.size()) {
        const char c = text[clean];
        if (c == '\\' || c == '\t' || c == '\n' || c == '\r')
            break;
        ++clean;
    }
    out.append(text.data(), clean);
    for (std::size_t i = clean; i < text.size(); ++i) {
        switch (text[i]) {
        case '\\':
            out += "\\\\";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            out += text[i];
        }
    }
}

std::string sqlLiteral(std::string_view text)
{
    std::string out = "'";
    for (const char c : text) {
        if (c == '\'')
            out += '\'';
        out += c;
    }
    out += '\'';
    return out;
}

} // namespace qc::live
