#pragma once

#include <QSqlDatabase>
#include <QString>

using PGconn = struct pg_conn;

namespace qc::db {

/// The libpq connection under an open QPSQL QSqlDatabase, for what QtSql cannot do (several
/// statements in one call, SQLSTATE and error positions). Null with `error` set otherwise.
PGconn* pgConnection(const QSqlDatabase& database, QString* error);

} // namespace qc::db
