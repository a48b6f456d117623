#pragma once

// Helpers shared by the console's read queries (requestlog, investigation, adminviews). Not
// part of the public API of qc_db.
//
// Queries run through libpq's PQexecParams on the connection under the QSqlDatabase: every
// value travels as a protocol-level parameter ($1, $2, ... in the SQL text), never inside the
// statement text, and one round trip answers one query.

#include <QDateTime>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>
#include <QVariant>
#include <QVariantList>

#include <memory>
#include <optional>

using PGconn = struct pg_conn;
using PGresult = struct pg_result;

namespace qc::db::detail {

/// SQL for the epoch microseconds of a timestamptz expression (exact; read with timeUs()).
QString us(const QString& expression);

/// Appends `value` to `params` and returns its placeholder ("$3"): every value a person typed
/// reaches the database as a bound parameter.
QString bind(QVariantList& params, const QVariant& value);

/// The LIKE pattern that narrows address texts to those that can lie in `network` before an
/// exact containment test: the whole octets of an IPv4 prefix ("198.51.100.%"), "%.%" for an
/// IPv4 network of fewer than 8 bits, "%:%" for IPv6 (its texts share no prefix: zeros are
/// compressed), "%" when `network` is not one. PostgreSQL 15 reads a prefix from an index only
/// under the C collation (docs/operations.md).
QString networkPrefixPattern(const QString& network);

/// Every address of an IPv4 network of at most 4,096 addresses (/20 or longer) as a text[]
/// literal ("{198.51.100.0,198.51.100.1,…}"), in the dotted form the quota database stores
/// (docs/enforcement.md §2); empty for larger networks, IPv6 networks and non-networks.
/// `column = ANY (…)` of it reads each address from an index whatever the collation.
QString networkAddressArray(const QString& network);

/// One statement with positional parameters $1..$n, executed at construction. `what` names it
/// in error messages ("request log page failed: ...").
class PgQuery {
public:
    PgQuery(QSqlDatabase db, QString what, const QString& sql, const QVariantList& params = {});
    PgQuery(PGconn* conn, QString what, const QString& sql, const QVariantList& params = {});
    ~PgQuery();
    PgQuery(PgQuery&&) noexcept;
    PgQuery& operator=(PgQuery&&) noexcept;

    bool ok() const { return m_error.isEmpty(); }
    const QString& error() const { return m_error; }
    /// The server's SQLSTATE when it failed (e.g. "57014" cancelled), empty otherwise.
    const QString& sqlState() const { return m_sqlState; }

    int rows() const;
    bool isNull(int row, int column) const;
    QString text(int row, int column) const; // null → null QString
    qint64 integer(int row, int column) const; // null → 0
    std::optional<qint64> optionalInteger(int row, int column) const;
    double number(int row, int column) const; // null → 0
    std::optional<double> optionalNumber(int row, int column) const;
    bool boolean(int row, int column) const; // 't' → true
    /// A column written with us(): UTC, millisecond resolution (the microseconds are in
    /// integer()).
    QDateTime timeUs(int row, int column) const;
    QJsonObject jsonObject(int row, int column) const;

private:
    void run(PGconn* conn, const QString& sql, const QVariantList& params);

    QString m_what;
    QString m_error;
    QString m_sqlState;
    PGresult* m_result = nullptr;
};

/// Epoch microseconds → UTC QDateTime (milliseconds).
inline QDateTime fromMicros(qint64 micros)
{
    return QDateTime::fromMSecsSinceEpoch(
        micros >= 0 ? micros / 1000 : -((-micros + 999) / 1000), Qt::UTC);
}

/// A timestamptz parameter (NULL when invalid).
inline QVariant timeParam(const QDateTime& t)
{
    return t.isValid() ? QVariant(t.toUTC()) : QVariant();
}

/// A text parameter (NULL when null).
inline QVariant textParam(const QString& s)
{
    return s.isNull() ? QVariant() : QVariant(s);
}

/// A glob (`*` any run, `?` one character) as a LIKE pattern with `\` escapes, so that `%`,
/// `_` and `\` in the text match themselves.
QString globToLike(const QString& glob);

/// Runs a statement without results (BEGIN, CLOSE, ...); the error text, empty on success.
QString command(PGconn* conn, const QString& sql);

} // namespace qc::db::detail
