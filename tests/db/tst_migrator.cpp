#include "db/connectionstring.h"
#include "db/migrator.h"
#include "support/testcluster.h"

#include <QDir>
#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <thread>

using qc::db::ConnectionString;
using qc::db::MigrationRun;
using qc::db::MigrationSet;
using qc::db::MigrationStatus;
using qc::db::Migrator;
using qc::testsupport::TestCluster;

namespace {

QString emptyDatabase()
{
    return TestCluster::instance().createDatabase(TestCluster::Schema::Empty);
}

int scalar(QSqlDatabase db, const QString& sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toInt();
}

// A copy of the bundled migrations in a directory the test may edit.
bool copyBundled(const QTemporaryDir& dir)
{
    const MigrationSet set = Migrator::bundled();
    for (const auto& m : set.migrations) {
        QFile f(dir.filePath(m.fileName));
        if (!f.open(QIODevice::WriteOnly) || f.write(m.sql) != m.sql.size())
            return false;
    }
    return set.ok();
}

} // namespace

class MigratorTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QC_REQUIRE_CLUSTER(); }
    void cleanup() { TestCluster::instance().cleanup(); }

    void bundledMigrationsAreNumberedFiles()
    {
        const MigrationSet set = Migrator::bundled();
        QVERIFY2(set.ok(), qPrintable(set.error));
        QVERIFY(set.migrations.size() >= 3);
        QCOMPARE(set.migrations.first().fileName, QStringLiteral("0001_schema.sql"));
        QCOMPARE(set.migrations.first().name, QStringLiteral("schema"));
        for (qsizetype i = 1; i < set.migrations.size(); ++i)
            QVERIFY(set.migrations[i - 1].version < set.migrations[i].version);
        QCOMPARE(set.migrations.first().sha256.size(), 64);
    }

    void migratesAnEmptyDatabase()
    {
        const QString name = emptyDatabase();
        QVERIFY(!name.isEmpty());
        QSqlDatabase db = TestCluster::instance().open(name);
        Migrator migrator(db);

        const MigrationStatus before = migrator.status();
        QVERIFY2(before.ok(), qPrintable(before.error));
        QVERIFY(before.applied.isEmpty());
        QCOMPARE(before.pending.size(), Migrator::bundled().migrations.size());
        QVERIFY2(scalar(db,
                     QStringLiteral("SELECT count(*) FROM pg_namespace "
                                    "WHERE nspname = 'quota'"))
                == 0,
            "status() must not create anything");

        QStringList announced;
        const MigrationRun run
            = migrator.migrate([&](const qc::db::Migration& m) { announced << m.fileName; });
        QVERIFY2(run.ok(), qPrintable(run.error));
        QCOMPARE(run.applied.size(), before.pending.size());
        QCOMPARE(announced.first(), QStringLiteral("0001_schema.sql"));

        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SELECT version, name, checksum, applied_by "
                                      "FROM quota.schema_migrations ORDER BY version")));
        for (const auto& m : Migrator::bundled().migrations) {
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toInt(), m.version);
            QCOMPARE(q.value(1).toString(), m.name);
            QCOMPARE(q.value(2).toByteArray(), m.sha256);
            QCOMPARE(q.value(3).toString(), TestCluster::instance().superuser());
        }
        QVERIFY(migrator.status().upToDate());
    }

    void rerunningIsANoOp()
    {
        QC_TEST_DATABASE(name);
        QSqlDatabase db = TestCluster::instance().open(name);
        const int rows = scalar(db, QStringLiteral("SELECT count(*) FROM quota.schema_migrations"));
        QVERIFY(rows >= 3);
        Migrator migrator(db);
        const MigrationRun run = migrator.migrate();
        QVERIFY2(run.ok(), qPrintable(run.error));
        QVERIFY(run.applied.isEmpty());
        QCOMPARE(scalar(db, QStringLiteral("SELECT count(*) FROM quota.schema_migrations")), rows);
        QVERIFY(migrator.status().upToDate());
    }

    void anEditedAppliedMigrationIsRefused()
    {
        QC_TEST_DATABASE(name);
        QTemporaryDir dir;
        QVERIFY(copyBundled(dir));
        {
            QFile f(dir.filePath(QStringLiteral("0001_schema.sql")));
            QVERIFY(f.open(QIODevice::Append));
            f.write("\n-- a harmless-looking edit\n");
        }
        const MigrationSet edited = Migrator::fromDirectory(dir.path());
        QVERIFY2(edited.ok(), qPrintable(edited.error));
        const QByteArray original = Migrator::bundled().migrations.first().sha256;
        const QByteArray changed = edited.migrations.first().sha256;
        QVERIFY(original != changed);

        Migrator migrator(TestCluster::instance().open(name), edited);
        for (const QString& error : { migrator.status().error, migrator.migrate().error }) {
            QVERIFY(error.contains(QStringLiteral("0001_schema.sql")));
            QVERIFY2(error.contains(QString::fromLatin1(original)), qPrintable(error));
            QVERIFY2(error.contains(QString::fromLatin1(changed)), qPrintable(error));
        }
    }

    void pendingMigrationsAreReportedForCheck()
    {
        const QString name = emptyDatabase();
        QTemporaryDir dir;
        QVERIFY(copyBundled(dir));
        const MigrationSet all = Migrator::fromDirectory(dir.path());
        QVERIFY(all.ok());
        // Apply all but the last, as an older program would have.
        const QString last = all.migrations.last().fileName;
        QVERIFY(QDir(dir.path()).rename(last, last + QStringLiteral(".later")));
        QSqlDatabase db = TestCluster::instance().open(name);
        QVERIFY(Migrator(db, Migrator::fromDirectory(dir.path())).migrate().ok());

        const MigrationStatus st = Migrator(db, all).status();
        QVERIFY2(st.ok(), qPrintable(st.error));
        QVERIFY(!st.upToDate());
        QCOMPARE(st.pending.size(), 1);
        QCOMPARE(st.pending.first().fileName, last);
        QCOMPARE(st.applied.size(), all.migrations.size() - 1);
    }

    void anUnknownAppliedMigrationIsReported()
    {
        QC_TEST_DATABASE(name);
        QSqlDatabase db = TestCluster::instance().open(name);
        QSqlQuery q(db);
        QVERIFY(
            q.exec(QStringLiteral("INSERT INTO quota.schema_migrations (version, name, checksum) "
                                  "VALUES (9999, 'from_the_future', repeat('a', 64))")));
        const MigrationStatus st = Migrator(db).status();
        QVERIFY(!st.ok());
        QVERIFY2(
            st.error.contains(QStringLiteral("9999_from_the_future.sql")), qPrintable(st.error));
    }

    void aFailingMigrationLeavesNothingBehind()
    {
        const QString name = emptyDatabase();
        QTemporaryDir dir;
        QVERIFY(copyBundled(dir));
        {
            QFile f(dir.filePath(QStringLiteral("9000_broken.sql")));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("CREATE TABLE quota.half_done (x int);\n\nSELECT no_such_column FROM "
                    "quota.plans;\n");
        }
        QSqlDatabase db = TestCluster::instance().open(name);
        const MigrationRun run = Migrator(db, Migrator::fromDirectory(dir.path())).migrate();
        QVERIFY(!run.ok());
        QVERIFY2(
            run.error.startsWith(QStringLiteral("9000_broken.sql line 3:")), qPrintable(run.error));
        QVERIFY2(run.error.contains(QStringLiteral("no_such_column")), qPrintable(run.error));
        // The earlier migrations stay applied; the broken one left no table and no record.
        QCOMPARE(run.applied.size(), Migrator::bundled().migrations.size());
        QCOMPARE(scalar(db,
                     QStringLiteral("SELECT count(*) FROM quota.schema_migrations "
                                    "WHERE version = 9000")),
            0);
        QCOMPARE(
            scalar(db, QStringLiteral("SELECT (to_regclass('quota.half_done') IS NULL)::int")), 1);
    }

    void concurrentMigratorsApplyEachMigrationOnce()
    {
        const QString name = emptyDatabase();
        QString errors[2];
        int applied[2] = { 0, 0 };
        auto worker = [&](int i) {
            {
                QSqlDatabase db
                    = TestCluster::instance().open(name, QStringLiteral("concurrent_%1").arg(i));
                const MigrationRun run = Migrator(db).migrate();
                errors[i] = run.error;
                applied[i] = int(run.applied.size());
                db.close();
            }
            QSqlDatabase::removeDatabase(QStringLiteral("concurrent_%1").arg(i));
        };
        std::thread a(worker, 0), b(worker, 1);
        a.join();
        b.join();
        QVERIFY2(errors[0].isEmpty(), qPrintable(errors[0]));
        QVERIFY2(errors[1].isEmpty(), qPrintable(errors[1]));
        QCOMPARE(applied[0] + applied[1], int(Migrator::bundled().migrations.size()));
    }

    void badMigrationFileNamesAreRejected()
    {
        QTemporaryDir dir;
        QFile f(dir.filePath(QStringLiteral("1_Schema.sql")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        const MigrationSet set = Migrator::fromDirectory(dir.path());
        QVERIFY(!set.ok());
        QVERIFY(set.error.contains(QStringLiteral("1_Schema.sql")));
        QVERIFY(set.error.contains(QStringLiteral("NNNN_name.sql")));
    }

    void connectionStrings_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("dbname");
        QTest::addColumn<QString>("sslmode");
        QTest::newRow("uri") << QStringLiteral(
            "postgresql://alice:s3cret@db.example.org:6432/quota?sslmode=verify-full")
                             << QStringLiteral("db.example.org") << QStringLiteral("quota")
                             << QStringLiteral("verify-full");
        QTest::newRow("keywords") << QStringLiteral("host=/run/pg dbname='my db' sslmode=disable")
                                  << QStringLiteral("/run/pg") << QStringLiteral("my db")
                                  << QStringLiteral("disable");
        QTest::newRow("service") << QStringLiteral("service=quota-prod") << QString() << QString()
                                 << QString();
        QTest::newRow("empty: all from PG* and the service file")
            << QString() << QString() << QString() << QString();
    }

    void connectionStrings()
    {
        QFETCH(QString, text);
        QFETCH(QString, host);
        QFETCH(QString, dbname);
        QFETCH(QString, sslmode);
        const ConnectionString cs = ConnectionString::parse(text);
        QVERIFY2(cs.isValid(), qPrintable(cs.errorString()));
        QCOMPARE(cs.value(QStringLiteral("host")), host);
        QCOMPARE(cs.value(QStringLiteral("dbname")), dbname);
        QCOMPARE(cs.value(QStringLiteral("sslmode")), sslmode);
        QVERIFY(!cs.redacted().contains(QStringLiteral("s3cret")));
    }

    void malformedConnectionStrings_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown keyword") << QStringLiteral("hots=db") << QStringLiteral("hots");
        QTest::newRow("missing =") << QStringLiteral("host db") << QStringLiteral("host");
        QTest::newRow("bad uri") << QStringLiteral("postgresql://[::1") << QStringLiteral("::1");
        QTest::newRow("unterminated quote")
            << QStringLiteral("dbname='quota") << QStringLiteral("quoted");
    }

    void malformedConnectionStrings()
    {
        QFETCH(QString, text);
        QFETCH(QString, mentions);
        const ConnectionString cs = ConnectionString::parse(text);
        QVERIFY(!cs.isValid());
        QVERIFY2(cs.errorString().contains(mentions), qPrintable(cs.errorString()));
        QVERIFY(cs.errorString().contains(QStringLiteral("postgresql://")));
        QVERIFY(!cs.open(QStringLiteral("never")).isEmpty());
    }

    void connectsWithALibpqString()
    {
        QC_TEST_DATABASE(name);
        const ConnectionString cs = ConnectionString::parse(TestCluster::instance().conninfo(name)
            + QStringLiteral(" application_name='quota console'"));
        QVERIFY2(cs.isValid(), qPrintable(cs.errorString()));
        const QString error = cs.open(QStringLiteral("by_conninfo"));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QSqlDatabase db = QSqlDatabase::database(QStringLiteral("by_conninfo"));
        QSqlQuery q(db);
        QVERIFY(q.exec(
            QStringLiteral("SELECT current_database(), current_setting('application_name')")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), name);
        QCOMPARE(q.value(1).toString(), QStringLiteral("quota console"));

        const QString refused = ConnectionString::parse(
            TestCluster::instance().conninfo(QStringLiteral("no_such_db")))
                                    .open(QStringLiteral("refused"));
        QVERIFY2(refused.contains(QStringLiteral("no_such_db")), qPrintable(refused));
    }
};

QTEST_GUILESS_MAIN(MigratorTest)
#include "tst_migrator.moc"
