#include "migrator.h"

#include "pgconnection.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSqlDriver>
#include <QSqlError>

#include <algorithm>
#include <libpq-fe.h>
#include <memory>

namespace qc::db {

namespace {

// Any fixed key works as long as every migrator uses the same one ("qcmig" in ASCII).
constexpr qint64 kMigrationLockKey = 0x7163'6d69'67;

const QString kBootstrap = QStringLiteral(
    "CREATE SCHEMA IF NOT EXISTS quota;\n"
    "CREATE TABLE IF NOT EXISTS quota.schema_migrations (\n"
    "    version integer PRIMARY KEY,\n"
    "    name text NOT NULL,\n"
    "    checksum text NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),\n"
    "    applied_at timestamptz NOT NULL DEFAULT now(),\n"
    "    applied_by text NOT NULL DEFAULT session_user,\n"
    "    execution_ms integer\n"
    ");\n"
    "COMMENT ON TABLE quota.schema_migrations IS "
    "'Applied schema migrations; written only by qc::db::Migrator (quotactl migrate).';");

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

ResultPtr exec(PGconn* conn, const QByteArray& sql)
{
    return ResultPtr(PQexec(conn, sql.constData()), &PQclear);
}

bool succeeded(const PGresult* res)
{
    const ExecStatusType s = PQresultStatus(res);
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}

int lineOfOffset(const QByteArray& sql, int characterOffset)
{
    // PostgreSQL reports a 1-based character (not byte) position.
    const QString text = QString::fromUtf8(sql);
    return int(text.left(characterOffset).count(u'\n')) + 1;
}

/// "0002_enforcement.sql line 42: ERROR: ..." with the SQLSTATE and context when present.
QString describeFailure(const Migration& m, const PGresult* res)
{
    QString where = m.fileName;
    if (const char* pos = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION))
        where += QStringLiteral(" line %1").arg(lineOfOffset(m.sql, QByteArray(pos).toInt()));
    QString message = QString::fromUtf8(PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
    if (const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE))
        message += QStringLiteral(" (SQLSTATE %1)").arg(QString::fromLatin1(state));
    if (const char* context = PQresultErrorField(res, PG_DIAG_CONTEXT))
        message += QStringLiteral("; context: %1").arg(QString::fromUtf8(context));
    return QStringLiteral("%1: %2").arg(where, message);
}

QString plainError(const QString& what, PGconn* conn, const PGresult* res)
{
    const char* msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
    return QStringLiteral("%1: %2").arg(what, QString::fromUtf8(msg).trimmed());
}

const QRegularExpression& fileNamePattern()
{
    static const QRegularExpression re(QStringLiteral("^(\\d{4})_([a-z0-9_]+)\\.sql$"));
    return re;
}

} // namespace

MigrationSet Migrator::fromDirectory(const QString& directory)
{
    MigrationSet set;
    const QDir dir(directory);
    if (!dir.exists()) {
        set.error = QStringLiteral("migration directory %1 does not exist").arg(directory);
        return set;
    }
    const QStringList files = dir.entryList({ QStringLiteral("*.sql") }, QDir::Files, QDir::Name);
    for (const QString& fileName : files) {
        const QRegularExpressionMatch match = fileNamePattern().match(fileName);
        if (!match.hasMatch()) {
            set.error = QStringLiteral("%1/%2: a migration file must be named NNNN_name.sql "
                                       "(four digits, then lower-case letters, digits, _)")
                            .arg(directory, fileName);
            return set;
        }
        QFile file(dir.filePath(fileName));
        if (!file.open(QIODevice::ReadOnly)) {
            set.error
                = QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString());
            return set;
        }
        Migration m;
        m.version = match.captured(1).toInt();
        m.name = match.captured(2);
        m.fileName = fileName;
        m.sql = file.readAll();
        m.sha256 = QCryptographicHash::hash(m.sql, QCryptographicHash::Sha256).toHex();
        if (!set.migrations.isEmpty() && set.migrations.last().version == m.version) {
            set.error = QStringLiteral("%1 and %2 have the same version number %3")
                            .arg(set.migrations.last().fileName, fileName)
                            .arg(m.version);
            return set;
        }
        set.migrations.append(m);
    }
    if (set.migrations.isEmpty())
        set.error = QStringLiteral("no migrations (NNNN_name.sql) in %1").arg(directory);
    return set;
}

MigrationSet Migrator::bundled()
{
    return fromDirectory(QStringLiteral(":/sql/postgres"));
}

Migrator::Migrator(QSqlDatabase database, MigrationSet migrations)
    : m_database(std::move(database))
    , m_migrations(std::move(migrations))
{
}

MigrationStatus Migrator::status() const
{
    MigrationStatus st;
    if (!m_migrations.ok()) {
        st.error = m_migrations.error;
        return st;
    }
    PGconn* conn = pgConnection(m_database, &st.error);
    if (!conn)
        return st;

    ResultPtr exists = exec(conn, "SELECT to_regclass('quota.schema_migrations') IS NOT NULL");
    if (!succeeded(exists.get())) {
        st.error
            = plainError(QStringLiteral("cannot read the migration state"), conn, exists.get());
        return st;
    }
    if (QByteArray(PQgetvalue(exists.get(), 0, 0)) == "t") {
        ResultPtr rows = exec(conn,
            "SELECT version, name, checksum, "
            "to_char(applied_at AT TIME ZONE 'UTC', "
            "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), applied_by "
            "FROM quota.schema_migrations ORDER BY version");
        if (!succeeded(rows.get())) {
            st.error = plainError(
                QStringLiteral("cannot read quota.schema_migrations"), conn, rows.get());
            return st;
        }
        for (int i = 0; i < PQntuples(rows.get()); ++i) {
            AppliedMigration a;
            a.version = QByteArray(PQgetvalue(rows.get(), i, 0)).toInt();
            a.name = QString::fromUtf8(PQgetvalue(rows.get(), i, 1));
            a.sha256 = QByteArray(PQgetvalue(rows.get(), i, 2));
            a.appliedAt = QDateTime::fromString(
                QString::fromLatin1(PQgetvalue(rows.get(), i, 3)), Qt::ISODateWithMs);
            a.appliedBy = QString::fromUtf8(PQgetvalue(rows.get(), i, 4));
            st.applied.append(a);
        }
    }

    for (const AppliedMigration& a : std::as_const(st.applied)) {
        const auto it
            = std::find_if(m_migrations.migrations.cbegin(), m_migrations.migrations.cend(),
                [&](const Migration& m) { return m.version == a.version; });
        const QString appliedName
            = QStringLiteral("%1_%2.sql").arg(a.version, 4, 10, QLatin1Char('0')).arg(a.name);
        if (it == m_migrations.migrations.cend()) {
            st.error = QStringLiteral("the database has migration %1 (applied %2 by %3) that this "
                                      "program does not know; use a newer quotactl")
                           .arg(appliedName, a.appliedAt.toString(Qt::ISODate), a.appliedBy);
            return st;
        }
        if (it->sha256 != a.sha256) {
            st.error = QStringLiteral("migration %1 was changed after it was applied: the "
                                      "database recorded sha256 %2, the file has sha256 %3; "
                                      "restore the file and put the change in a new migration")
                           .arg(it->fileName, QString::fromLatin1(a.sha256),
                               QString::fromLatin1(it->sha256));
            return st;
        }
    }
    for (const Migration& m : m_migrations.migrations) {
        const bool applied = std::any_of(st.applied.cbegin(), st.applied.cend(),
            [&](const AppliedMigration& a) { return a.version == m.version; });
        if (!applied)
            st.pending.append(m);
    }
    return st;
}

MigrationRun Migrator::migrate(const std::function<void(const Migration&)>& beforeEach)
{
    MigrationRun run;
    if (!m_migrations.ok()) {
        run.error = m_migrations.error;
        return run;
    }
    PGconn* conn = pgConnection(m_database, &run.error);
    if (!conn)
        return run;

    const QByteArray lockKey = QByteArray::number(kMigrationLockKey);
    ResultPtr lock = exec(conn, "SELECT pg_advisory_lock(" + lockKey + ")");
    if (!succeeded(lock.get())) {
        run.error = plainError(QStringLiteral("cannot take the migration lock"), conn, lock.get());
        return run;
    }
    // "already exists, skipping" and the like are not news for the person migrating.
    const PQnoticeProcessor previousProcessor = PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    // Whatever happens below, release the session lock and restore the notice processor.
    const auto unlock = qScopeGuard([&] {
        exec(conn, "SELECT pg_advisory_unlock(" + lockKey + ")");
        PQsetNoticeProcessor(conn, previousProcessor, nullptr);
    });

    ResultPtr bootstrap = exec(conn, kBootstrap.toUtf8());
    if (!succeeded(bootstrap.get())) {
        run.error = plainError(QStringLiteral("cannot create quota.schema_migrations (does this "
                                              "role own the database or have CREATE on it?)"),
            conn, bootstrap.get());
        return run;
    }

    // Read after taking the lock: a concurrent migrator may just have applied everything.
    const MigrationStatus st = status();
    if (!st.ok()) {
        run.error = st.error;
        return run;
    }
    for (const Migration& m : st.pending) {
        if (beforeEach)
            beforeEach(m);
        ResultPtr begin = exec(conn, "BEGIN");
        if (!succeeded(begin.get())) {
            run.error = plainError(m.fileName, conn, begin.get());
            return run;
        }
        QElapsedTimer timer;
        timer.start();
        ResultPtr body = exec(conn, m.sql);
        if (!succeeded(body.get())) {
            run.error = describeFailure(m, body.get());
            exec(conn, "ROLLBACK");
            return run;
        }
        const QByteArray version = QByteArray::number(m.version);
        const QByteArray name = m.name.toUtf8();
        const QByteArray ms = QByteArray::number(timer.elapsed());
        const char* params[]
            = { version.constData(), name.constData(), m.sha256.constData(), ms.constData() };
        ResultPtr record(PQexecParams(conn,
                             "INSERT INTO quota.schema_migrations "
                             "(version, name, checksum, execution_ms) "
                             "VALUES ($1, $2, $3, $4)",
                             4, nullptr, params, nullptr, nullptr, 0),
            &PQclear);
        if (!succeeded(record.get())) {
            run.error = plainError(m.fileName, conn, record.get());
            exec(conn, "ROLLBACK");
            return run;
        }
        ResultPtr commit = exec(conn, "COMMIT");
        if (!succeeded(commit.get())) {
            run.error = plainError(m.fileName, conn, commit.get());
            return run;
        }
        run.applied.append(m);
    }
    return run;
}

} // namespace qc::db
