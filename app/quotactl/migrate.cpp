#include "command.h"
#include "db/connectionstring.h"
#include "db/migrator.h"

#include <QElapsedTimer>
#include <QSqlDatabase>

using namespace Qt::StringLiterals;

namespace qc::cli {

namespace {

const QString kCommand = u"migrate"_s;
const QString kConnection = u"quotactl_migrate"_s;

int migrate(const QStringList& arguments)
{
    ArgumentParser args(kCommand, u"[--database CONNINFO] [--check]"_s,
        u"Applies the schema migrations built into quotactl to a quota database, each in its own "
        u"transaction,\nrecorded in quota.schema_migrations. Running it again applies nothing. "
        u"An applied migration\nwhose file has changed since is an error.\n\n"
        u"The database is given in either libpq form (postgresql://user@host/db?sslmode=verify-"
        u"full or\n\"host=... dbname=...\"); what it leaves out comes from PG* variables, the "
        u"service file and\n~/.pgpass, as for psql. Exit status: 0 done / up to date, 1 pending "
        u"(--check) or failed,\n2 usage."_s);
    const QCommandLineOption database({ u"d"_s, u"database"_s },
        u"Connection string (URI or keyword/value). Default: $QUOTA_DATABASE_URL, else libpq's "
        u"defaults."_s,
        u"CONNINFO"_s);
    const QCommandLineOption check(
        u"check"_s, u"Changes nothing; lists pending migrations and exits 1 if there are any."_s);
    const QCommandLineOption directory(u"dir"_s,
        u"Use the NNNN_name.sql files of DIR instead of the built-in migrations."_s, u"DIR"_s);
    args.addOption(database);
    args.addOption(check);
    args.addOption(directory);
    if (const auto exit = args.parse(arguments))
        return *exit;
    if (!args.parser().positionalArguments().isEmpty())
        return args.usageError(
            u"unexpected argument '"_s % args.parser().positionalArguments().constFirst() % u"'"_s);

    const db::MigrationSet migrations = args.parser().isSet(directory)
        ? db::Migrator::fromDirectory(args.parser().value(directory))
        : db::Migrator::bundled();
    if (!migrations.ok()) {
        printCommandError(kCommand, migrations.error);
        return ExitFailure;
    }

    const QString conninfo = args.parser().isSet(database)
        ? args.parser().value(database)
        : qEnvironmentVariable("QUOTA_DATABASE_URL");
    const db::ConnectionString connection = db::ConnectionString::parse(conninfo);
    if (!connection.isValid())
        return args.usageError(connection.errorString());
    if (const QString error = connection.open(kConnection); !error.isEmpty()) {
        printCommandError(kCommand, error);
        return ExitFailure;
    }

    int result = ExitOk;
    {
        db::Migrator migrator(QSqlDatabase::database(kConnection, false), migrations);
        if (args.parser().isSet(check)) {
            const db::MigrationStatus status = migrator.status();
            if (!status.ok()) {
                printCommandError(kCommand, status.error);
                result = ExitFailure;
            } else if (status.pending.isEmpty()) {
                printOut(u"up to date: "_s % QString::number(status.applied.size())
                    % u" migrations applied\n"_s);
            } else {
                for (const db::Migration& m : status.pending)
                    printOut(u"pending "_s % m.fileName % u'\n');
                printOut(QString::number(status.pending.size())
                    % u" pending migrations; run 'quotactl migrate' to apply them\n"_s);
                result = ExitFailure;
            }
        } else {
            QElapsedTimer timer;
            bool announced = false;
            const auto finishLine = [&] {
                if (announced)
                    printOut(u"done ("_s % QString::number(timer.elapsed()) % u" ms)\n"_s);
                announced = false;
            };
            const db::MigrationRun run = migrator.migrate([&](const db::Migration& m) {
                finishLine();
                printOut(u"applying "_s % m.fileName % u" ... "_s);
                announced = true;
                timer.start();
            });
            if (!run.ok()) {
                if (announced)
                    printOut(u"failed\n"_s);
                printCommandError(kCommand, run.error);
                result = ExitFailure;
            } else {
                finishLine();
                printOut(run.applied.isEmpty()
                        ? u"up to date: nothing to apply\n"_s
                        : u"applied "_s % QString::number(run.applied.size()) % u" migrations\n"_s);
            }
        }
    }
    QSqlDatabase::removeDatabase(kConnection);
    return result;
}

} // namespace

const Command migrateCommand { "migrate", "Creates or upgrades the quota database schema.",
    &migrate };

} // namespace qc::cli
