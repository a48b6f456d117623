#include "pgconnection.h"

#include <QSqlDriver>
#include <QVariant>

#include <cstring>

namespace qc::db {

PGconn* pgConnection(const QSqlDatabase& database, QString* error)
{
    if (!database.isValid() || database.driverName() != u"QPSQL") {
        *error = QStringLiteral("the connection '%1' is not a PostgreSQL (QPSQL) connection")
                     .arg(database.connectionName());
        return nullptr;
    }
    if (!database.isOpen()) {
        *error = QStringLiteral("the connection '%1' is not open").arg(database.connectionName());
        return nullptr;
    }
    const QVariant handle = database.driver()->handle();
    // Qt normalises the registered "PGconn*" to the struct's name.
    const char* type = handle.isValid() ? handle.typeName() : "";
    if (std::strcmp(type, "PGconn*") != 0 && std::strcmp(type, "pg_conn*") != 0) {
        *error = QStringLiteral("the QPSQL driver did not hand out its libpq connection (%1)")
                     .arg(QString::fromLatin1(handle.typeName()));
        return nullptr;
    }
    return *static_cast<PGconn* const*>(handle.constData());
}

} // namespace qc::db
