#pragma once

#include <QString>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

using PGconn = struct pg_conn;
using PGresult = struct pg_result;

namespace qc::live {

/// The result of one libpq call: rows as text, or the error with its SQLSTATE.
class PgResult {
public:
    PgResult() = default;
    explicit PgResult(PGresult* result, PGconn* connection);
    ~PgResult();
    PgResult(PgResult&& other) noexcept;
    PgResult& operator=(PgResult&& other) noexcept;
    PgResult(const PgResult&) = delete;
    PgResult& operator=(const PgResult&) = delete;

    bool ok() const { return m_ok; }
    /// "message (SQLSTATE xxxxx)", with DETAIL and HINT when the server gave them.
    const QString& error() const { return m_error; }
    const QString& sqlState() const { return m_sqlState; }

    int rows() const;
    int columns() const;
    bool isNull(int row, int column) const;
    std::string_view text(int row, int column) const;
    QString qtext(int row, int column) const;
    long long integer(int row, int column) const;
    bool boolean(int row, int column) const;

private:
    PGresult* m_result = nullptr;
    bool m_ok = false;
    QString m_error;
    QString m_sqlState;
};

/// One libpq connection (used by one thread at a time). Parameters are text; nullopt = NULL.
class PgSession {
public:
    PgSession() = default;
    ~PgSession();
    PgSession(PgSession&& other) noexcept;
    PgSession& operator=(PgSession&& other) noexcept;
    PgSession(const PgSession&) = delete;
    PgSession& operator=(const PgSession&) = delete;

    /// Connects with a libpq connection string (URI or keyword/value); empty = environment.
    /// `applicationName` shows in pg_stat_activity. Returns the error, empty on success.
    QString connect(const std::string& conninfo, const char* applicationName);
    bool isOpen() const;
    /// True when the connection is still usable (not broken by a server restart).
    bool isHealthy() const;
    /// True inside a transaction block (also a failed one, until ROLLBACK).
    bool inTransaction() const;
    /// Reconnects a broken connection; prepared statements must be prepared again.
    QString reset();
    PGconn* handle() const { return m_connection; }

    PgResult exec(const char* sql);
    PgResult exec(const std::string& sql) { return exec(sql.c_str()); }
    PgResult execParams(const char* sql, const std::vector<std::optional<std::string>>& params);
    PgResult prepare(const char* name, const char* sql);
    PgResult execPrepared(const char* name, const char* const* values, int count);
    /// Runs `COPY ... FROM STDIN` and sends `data` (COPY text format). Returns the error, empty
    /// on success.
    QString copyIn(const std::string& copySql, std::string_view data);

private:
    PGconn* m_connection = nullptr;
};

/// `text` as a COPY text-format field: backslash, tab, newline and carriage return escaped.
void appendCopyText(std::string& out, std::string_view text);
/// `text` as an SQL literal ('...' with quotes doubled).
std::string sqlLiteral(std::string_view text);

} // namespace qc::live
