#pragma once

#include <QList>
#include <QPair>
#include <QSqlDatabase>
#include <QString>

namespace qc::db {

/// A PostgreSQL connection string in either libpq form — `postgresql://user@host:5432/db?
/// sslmode=verify-full` or `host=... dbname=... sslmode=...` — parsed by libpq itself, so every
/// libpq keyword works (service, passfile, sslmode up to verify-full, sslrootcert, ...). What
/// the string leaves out comes from the PG* environment, the service file and ~/.pgpass when
/// the connection is opened, exactly as for psql.
class ConnectionString {
public:
    /// Parses `text`; an empty text is valid (everything from the environment).
    static ConnectionString parse(const QString& text);

    bool isValid() const { return m_error.isEmpty(); }
    /// Why the text is not a connection string, with an example of one that is.
    QString errorString() const { return m_error; }

    /// The keywords given explicitly, in libpq's order.
    const QList<QPair<QString, QString>>& options() const { return m_options; }
    QString value(const QString& keyword) const;
    /// Sets (or, with an empty value, removes) one keyword, e.g. a password read from the
    /// keychain or a default connect_timeout.
    void setValue(const QString& keyword, const QString& value);
    /// The string with the password hidden, for titles and logs.
    QString redacted() const;

    /// Sets up a QPSQL connection named `connectionName` (replacing one of that name) and opens
    /// it. Returns the error message, empty on success.
    QString open(const QString& connectionName) const;

private:
    QList<QPair<QString, QString>> m_options;
    QString m_error;
};

} // namespace qc::db
