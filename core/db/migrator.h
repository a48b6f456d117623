#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <functional>

namespace qc::db {

/// One numbered SQL file of resources/sql/postgres (`NNNN_name.sql`).
struct Migration {
    int version = 0;
    QString name; // "schema" for 0001_schema.sql
    QString fileName; // "0001_schema.sql"
    QByteArray sql;
    QByteArray sha256; // lower-case hex of the file's bytes
};

/// A row of quota.schema_migrations.
struct AppliedMigration {
    int version = 0;
    QString name;
    QByteArray sha256;
    QDateTime appliedAt;
    QString appliedBy;
};

struct MigrationSet {
    QList<Migration> migrations; // ascending version
    QString error; // empty = loaded
    bool ok() const { return error.isEmpty(); }
};

struct MigrationStatus {
    QList<AppliedMigration> applied;
    QList<Migration> pending; // in the order migrate() applies them
    QString error; // e.g. an applied file was edited; empty = consistent
    bool ok() const { return error.isEmpty(); }
    bool upToDate() const { return ok() && pending.isEmpty(); }
};

struct MigrationRun {
    QList<Migration> applied; // by this run
    QString error;
    bool ok() const { return error.isEmpty(); }
};

/// Applies the schema migrations to a quota database (docs/database.md).
///
/// Every migration runs in its own transaction and is recorded in quota.schema_migrations
/// with its SHA-256; concurrent migrators serialize on an advisory lock; re-running applies
/// nothing; an applied migration whose file has changed stops the run. Uses the connection's
/// thread, like every QSqlDatabase.
class Migrator {
public:
    /// The migrations built into this program (resource :/sql/postgres).
    static MigrationSet bundled();
    /// The `NNNN_name.sql` files of a directory.
    static MigrationSet fromDirectory(const QString& directory);

    explicit Migrator(QSqlDatabase database, MigrationSet migrations = bundled());

    /// Read-only: what is applied, what is pending, and whether applied files still match.
    MigrationStatus status() const;
    /// Applies every pending migration in order; stops at the first failure (earlier ones stay).
    MigrationRun migrate(const std::function<void(const Migration&)>& beforeEach = {});

private:
    QSqlDatabase m_database;
    MigrationSet m_migrations;
};

} // namespace qc::db
