#pragma once

#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>
#include <QVariantList>

namespace qc::testsupport {

/// The outcome of one statement, for assertions: the first row, or the error with its SQLSTATE.
struct SqlResult {
    bool ok = false;
    QString sqlState; // e.g. "42501", "QC409"; empty on success
    QString message; // the server's message (without SQLSTATE)
    QVariantList row; // first row, if any
    int rows = 0;

    QVariant value(int column = 0) const { return row.value(column); }
    /// The first column parsed as a JSON object (functions returning jsonb).
    QJsonObject json() const;
    /// "SQLSTATE: message" or "ok", for QVERIFY2.
    QByteArray describe() const;
};

/// Runs `sql` with positional `?` parameters on `db`.
SqlResult sqlCall(QSqlDatabase db, const QString& sql, const QVariantList& params = {});

} // namespace qc::testsupport
