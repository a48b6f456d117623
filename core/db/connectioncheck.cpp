#include "connectioncheck.h"

#include "connectionstring.h"
#include "migrator.h"

#include <QCoreApplication>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

namespace qc::db {

using namespace Qt::StringLiterals;

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("qc::db::ConnectionCheck", text);
}

bool has(const QString& text, QLatin1StringView needle)
{
    return text.contains(needle, Qt::CaseInsensitive);
}

// libpq prefixes its own lines; the server's reason follows "FATAL:". Keep the first useful
// line, without the "connection to server ... failed:" preamble.
QString essence(const QString& serverText)
{
    QString text = serverText.trimmed();
    const qsizetype failed = text.indexOf(u" failed: "_s);
    if (text.startsWith(u"connection to server"_s) && failed > 0)
        text = text.mid(failed + 9);
    // libpq's second line is a generic hint ("Is the server running locally ...?"): the
    // explanation says that better.
    const qsizetype hintLine = text.indexOf(u"\n\t"_s);
    if (hintLine > 0)
        text = text.left(hintLine);
    text.replace(u"FATAL:  "_s, QString());
    text.replace(u'\n', u' ');
    text.replace(u'\t', u' ');
    return text.simplified();
}

} // namespace

QString quotaRoleName(QuotaRole role)
{
    switch (role) {
    case QuotaRole::Admin:
        return u"quota_admin"_s;
    case QuotaRole::Operator:
        return u"quota_operator"_s;
    case QuotaRole::Viewer:
        return u"quota_viewer"_s;
    case QuotaRole::None:
        break;
    }
    return {};
}

ConnectionProblem classifyConnectError(const QString& t)
{
    if (t.trimmed().isEmpty())
        return ConnectionProblem::Other;
    if (has(t, "invalid connection string"_L1) || has(t, "invalid connection option"_L1)
        || has(t, "missing \"=\" after"_L1) || has(t, "invalid URI"_L1)
        || has(t, "invalid sslmode value"_L1) || has(t, "invalid integer value"_L1))
        return ConnectionProblem::InvalidConnectionString;
    if (has(t, "could not translate host name"_L1))
        return ConnectionProblem::HostNotFound;
    if (has(t, "timeout expired"_L1))
        return ConnectionProblem::Timeout;
    if (has(t, "password authentication failed"_L1) || has(t, "no password supplied"_L1)
        || has(t, "no pg_hba.conf entry"_L1) || has(t, "authentication failed"_L1)
        || has(t, "pg_hba.conf rejects"_L1))
        return ConnectionProblem::Authentication;
    if (has(t, "role \""_L1) && has(t, "does not exist"_L1))
        return ConnectionProblem::UnknownAccount;
    if (has(t, "database \""_L1) && has(t, "does not exist"_L1))
        return ConnectionProblem::UnknownDatabase;
    // After authentication: pg_hba rejections name the encryption ("SSL encryption").
    if (has(t, "SSL"_L1) || has(t, "certificate"_L1) || has(t, "GSSAPI encryption"_L1))
        return ConnectionProblem::Tls;
    if (has(t, "Connection refused"_L1) || has(t, "No such file or directory"_L1)
        || has(t, "Network is unreachable"_L1) || has(t, "No route to host"_L1)
        || has(t, "the database system is starting up"_L1)
        || has(t, "the database system is shutting down"_L1))
        return ConnectionProblem::Refused;
    return ConnectionProblem::Other;
}

QString explainConnectError(ConnectionProblem problem, const QString& serverText)
{
    const QString said = essence(serverText);
    switch (problem) {
    case ConnectionProblem::None:
        return {};
    case ConnectionProblem::InvalidConnectionString:
        return tr("The connection string is not valid (%1). Write it as "
                  "postgresql://user@host:5432/dbname or as host=... dbname=... user=...")
            .arg(said);
    case ConnectionProblem::HostNotFound:
        return tr("The host name could not be resolved (DNS): %1. Check the spelling of the "
                  "host, or use its IP address.")
            .arg(said);
    case ConnectionProblem::Refused:
        return tr("Nothing accepts connections there (%1). Check host and port, and that "
                  "the server is running and listening on that address.")
            .arg(said);
    case ConnectionProblem::Timeout:
        return tr("The server did not answer in time (%1). A firewall may be dropping the "
                  "connection, or the server is overloaded; connect_timeout sets the limit.")
            .arg(said);
    case ConnectionProblem::Tls:
        return tr("The TLS connection failed: %1. Check sslmode, the CA file (sslrootcert) and "
                  "that the certificate matches the host name.")
            .arg(said);
    case ConnectionProblem::Authentication:
        return tr("The server rejected the login: %1. Check the user name and the password "
                  "(saved in the keychain, or in ~/.pgpass), or ask the database administrator "
                  "for access from this host.")
            .arg(said);
    case ConnectionProblem::UnknownAccount:
        return tr("The server has no such account: %1. Ask the database administrator for a "
                  "login role (CREATE ROLE name LOGIN IN ROLE quota_viewer).")
            .arg(said);
    case ConnectionProblem::UnknownDatabase:
        return tr("The server has no such database: %1. Check dbname.").arg(said);
    case ConnectionProblem::NoQuotaRole:
    case ConnectionProblem::SchemaMissing:
    case ConnectionProblem::SchemaTooOld:
    case ConnectionProblem::SchemaUnknown:
    case ConnectionProblem::Other:
        break;
    }
    return tr("Cannot connect: %1").arg(said);
}

QString readIdentity(QSqlDatabase db, ConnectionIdentity* id)
{
    QSqlQuery q(db);
    const bool ok
        = q.exec(uR"(SELECT session_user, current_database(), current_setting('server_version'),
       r.rolsuper,
       pg_has_role(session_user, d.datdba, 'MEMBER'),
       (SELECT pg_has_role(session_user, n.nspowner, 'MEMBER') FROM pg_namespace n
        WHERE n.nspname = 'quota'),
       EXISTS (SELECT 1 FROM pg_roles g WHERE g.rolname = 'quota_admin'
               AND pg_has_role(session_user, g.oid, 'MEMBER')),
       EXISTS (SELECT 1 FROM pg_roles g WHERE g.rolname = 'quota_operator'
               AND pg_has_role(session_user, g.oid, 'MEMBER')),
       EXISTS (SELECT 1 FROM pg_roles g WHERE g.rolname = 'quota_viewer'
               AND pg_has_role(session_user, g.oid, 'MEMBER')),
       pg_is_in_recovery()
FROM pg_roles r, pg_database d
WHERE r.rolname = session_user AND d.datname = current_database())"_s);
    if (!ok || !q.next()) {
        const QString reason = q.lastError().databaseText().trimmed();
        return tr("cannot read the connected account: %1")
            .arg(reason.isEmpty() ? q.lastError().text() : reason);
    }
    id->account = q.value(0).toString();
    id->database = q.value(1).toString();
    id->serverVersion = q.value(2).toString();
    id->superuser = q.value(3).toBool();
    const bool ownsDatabase = q.value(4).toBool();
    id->quotaSchemaExists = !q.value(5).isNull();
    const bool ownsSchema = !id->quotaSchemaExists || q.value(5).toBool();
    id->canMigrate = id->superuser || (ownsDatabase && ownsSchema);
    if (id->superuser || q.value(6).toBool())
        id->role = QuotaRole::Admin;
    else if (q.value(7).toBool())
        id->role = QuotaRole::Operator;
    else if (q.value(8).toBool())
        id->role = QuotaRole::Viewer;
    else
        id->role = QuotaRole::None;
    id->inRecovery = q.value(9).toBool();
    q.finish();

    const MigrationSet bundled = Migrator::bundled();
    id->latestKnownVersion = bundled.migrations.isEmpty() ? 0 : bundled.migrations.last().version;
    const MigrationStatus status = Migrator(db, bundled).status();
    id->appliedMigrations = int(status.applied.size());
    id->pendingMigrations = int(status.pending.size());
    id->schemaError = status.error;
    return {};
}

ConnectionCheck assessIdentity(const ConnectionIdentity& id)
{
    ConnectionCheck c;
    c.identity = id;
    const QString migrateHint = id.canMigrate
        ? tr("You may migrate it from here (your account %1 owns the database).").arg(id.account)
        : tr("Ask the database owner to run: quotactl migrate -d <connection string>.");
    if (!id.quotaSchemaExists || (id.appliedMigrations == 0 && id.schemaError.isEmpty())) {
        c.problem = ConnectionProblem::SchemaMissing;
        c.message = tr("Database %1 has no quota schema yet. %2").arg(id.database, migrateHint);
    } else if (id.role == QuotaRole::None
        && !(id.canMigrate && id.schemaError.isEmpty() && id.pendingMigrations > 0)) {
        // Checked before the migrations: without a role the migration table is not readable.
        c.problem = ConnectionProblem::NoQuotaRole;
        c.message = tr("Connected as %1, which is not a member of quota_viewer, quota_operator "
                       "or quota_admin, so it cannot read the quota tables. Ask an "
                       "administrator: GRANT quota_viewer TO %1;")
                        .arg(id.account);
    } else if (!id.schemaError.isEmpty()) {
        c.problem = ConnectionProblem::SchemaUnknown;
        c.message = tr("The quota schema cannot be used by this version: %1").arg(id.schemaError);
    } else if (id.pendingMigrations > 0) {
        c.problem = ConnectionProblem::SchemaTooOld;
        c.message = tr("The quota schema of %1 is too old: %2 of %3 migrations applied, %4 "
                       "pending. %5")
                        .arg(id.database)
                        .arg(id.appliedMigrations)
                        .arg(id.appliedMigrations + id.pendingMigrations)
                        .arg(id.pendingMigrations)
                        .arg(migrateHint);
    }
    return c;
}

ConnectionCheck checkConnection(const QString& conninfo, const QString& password)
{
    ConnectionCheck c;
    ConnectionString cs = ConnectionString::parse(conninfo);
    if (!cs.isValid()) {
        c.problem = ConnectionProblem::InvalidConnectionString;
        c.serverText = cs.errorString();
        c.message = cs.errorString();
        return c;
    }
    if (!password.isEmpty())
        cs.setValue(u"password"_s, password);
    if (cs.value(u"connect_timeout"_s).isEmpty())
        cs.setValue(u"connect_timeout"_s, u"5"_s);
    const QString name = u"qc_check_"_s + QUuid::createUuid().toString(QUuid::Id128);
    {
        const QString error = cs.open(name);
        if (!error.isEmpty()) {
            c.serverText = QSqlDatabase::database(name, false).lastError().databaseText();
            if (c.serverText.isEmpty())
                c.serverText = error;
            c.problem = classifyConnectError(c.serverText);
            c.message = explainConnectError(c.problem, c.serverText);
        } else {
            ConnectionIdentity id;
            QSqlDatabase db = QSqlDatabase::database(name, false);
            const QString readError = readIdentity(db, &id);
            db.close();
            if (!readError.isEmpty()) {
                c.problem = ConnectionProblem::Other;
                c.message = readError;
            } else {
                c = assessIdentity(id);
            }
        }
    }
    QSqlDatabase::removeDatabase(name);
    return c;
}

} // namespace qc::db
