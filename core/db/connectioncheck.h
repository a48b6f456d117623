#pragma once

#include <QSqlDatabase>
#include <QString>
#include <QStringList>

namespace qc::db {

/// The quota group role an account acts with (docs/database.md "Roles"): the highest of
/// quota_viewer < quota_operator < quota_admin it is a member of. Superusers count as admin.
enum class QuotaRole { None, Viewer, Operator, Admin };

/// "quota_viewer", "quota_operator", "quota_admin", or "" for None.
QString quotaRoleName(QuotaRole role);

/// What stands between a connection string and a usable quota database.
enum class ConnectionProblem {
    None,
    InvalidConnectionString, // libpq cannot parse it
    HostNotFound, // DNS
    Refused, // nothing listens there (TCP refused, or no socket file)
    Timeout, // no answer within connect_timeout
    Tls, // TLS required but refused, certificate or CA problems
    Authentication, // wrong password, no password, no pg_hba entry
    UnknownAccount, // the login role does not exist
    UnknownDatabase,
    NoQuotaRole, // connected, but not a member of any quota_* role
    SchemaMissing, // no quota schema: an empty database
    SchemaTooOld, // migrations pending
    SchemaUnknown, // newer than this program, or an applied migration was edited
    Other,
};

/// Who we are on an open connection and what the database holds.
struct ConnectionIdentity {
    QString account; // session_user
    QString database;
    QString serverVersion; // e.g. "15.5"
    bool superuser = false;
    QuotaRole role = QuotaRole::None;
    /// May apply migrations: a superuser or a member of the role that owns the database (and
    /// of the quota schema's owner, once it exists).
    bool canMigrate = false;
    int appliedMigrations = 0;
    int pendingMigrations = 0;
    int latestKnownVersion = 0; // the highest version this program carries
    QString schemaError; // the migrator's complaint (edited or unknown migration)
    bool inRecovery = false; // a read-only standby
    bool quotaSchemaExists = false;
};

/// The outcome of checking a connection string end to end.
struct ConnectionCheck {
    ConnectionProblem problem = ConnectionProblem::None;
    QString message; // a sentence a person can act on
    QString serverText; // what libpq or the server said, verbatim
    ConnectionIdentity identity; // filled once connected
    bool ok() const { return problem == ConnectionProblem::None; }
};

/// Classifies libpq's text for a failed connection attempt. libpq reports no SQLSTATE for
/// these, so this reads its (English) messages; anything unrecognised is Other.
ConnectionProblem classifyConnectError(const QString& serverText);

/// A sentence saying what went wrong and what to do about it, for `problem` with the server's
/// text (which is quoted where it helps).
QString explainConnectError(ConnectionProblem problem, const QString& serverText);

/// Reads identity, role and migration state on an open connection. Returns an error message,
/// empty on success.
QString readIdentity(QSqlDatabase database, ConnectionIdentity* identity);

/// The problem, if any, with an identity read by readIdentity(): no role, schema missing,
/// pending or unknown migrations; with the message for it.
ConnectionCheck assessIdentity(const ConnectionIdentity& identity);

/// Opens `conninfo` (with `password` when not empty; otherwise libpq's .pgpass/PGPASSWORD),
/// classifies any failure, reads the identity and assesses it. Blocking: call it from a worker
/// thread. The connection is closed again.
ConnectionCheck checkConnection(const QString& conninfo, const QString& password = {});

} // namespace qc::db
