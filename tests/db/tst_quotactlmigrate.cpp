#include "support/quotactlrun.h"
#include "support/sqlcall.h"
#include "support/testcluster.h"

#include <QProcess>
#include <QTest>

using namespace Qt::StringLiterals;
using qc::testsupport::sqlCall;
using qc::testsupport::TestCluster;

namespace {

using Run = qc::testsupport::QuotactlRun;

// `quotactl migrate ARGUMENTS`.
Run quotactlMigrate(const QStringList& arguments, const QProcessEnvironment& env = {})
{
    return qc::testsupport::runQuotactl(QStringList { u"migrate"_s } + arguments, env, 60000);
}
} // namespace

// `quotactl migrate` as an operator runs it: exit codes and what it prints.
class QuotactlMigrateTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QC_REQUIRE_CLUSTER(); }
    void cleanup() { TestCluster::instance().cleanup(); }

    void checkApplyRerun()
    {
        TestCluster& cluster = TestCluster::instance();
        const QString name = cluster.createDatabase(TestCluster::Schema::Empty);
        QVERIFY(!name.isEmpty());
        const QString conninfo = cluster.conninfo(name);

        Run r = quotactlMigrate({ u"--check"_s, u"--database"_s, conninfo });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(u"pending 0001_schema.sql"_s), qPrintable(r.out));

        r = quotactlMigrate({ u"-d"_s, conninfo });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(u"applying 0001_schema.sql ... done"_s));

        r = quotactlMigrate({ u"-d"_s, conninfo });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u"up to date: nothing to apply"_s), qPrintable(r.out));

        r = quotactlMigrate({ u"--check"_s, u"-d"_s, conninfo });
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith(u"up to date"_s));
    }

    void theEnvironmentNamesTheDatabase()
    {
        TestCluster& cluster = TestCluster::instance();
        const QString name = cluster.createDatabase(TestCluster::Schema::Empty);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"PGHOST"_s, cluster.socketDirectory());
        env.insert(u"PGPORT"_s, QString::number(cluster.port()));
        env.insert(u"PGUSER"_s, cluster.superuser());
        env.insert(u"PGDATABASE"_s, name);
        env.remove(u"QUOTA_DATABASE_URL"_s);
        QCOMPARE(quotactlMigrate({}, env).exitCode, 0);
        env.insert(u"QUOTA_DATABASE_URL"_s, cluster.conninfo(name));
        env.insert(u"PGDATABASE"_s, u"no_such_database"_s);
        QCOMPARE(quotactlMigrate({ u"--check"_s }, env).exitCode, 0);
    }

    void anEditedMigrationFailsTheCheck()
    {
        QC_TEST_DATABASE(name);
        QVERIFY(TestCluster::instance()
                    .execAsSuperuser(name,
                        u"UPDATE quota.schema_migrations SET checksum = repeat('0', 64) "
                        "WHERE version = 1"_s)
                    .isEmpty());
        const Run r
            = quotactlMigrate({ u"--check"_s, u"-d"_s, TestCluster::instance().conninfo(name) });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"0001_schema.sql was changed after it was applied"_s),
            qPrintable(r.err));
        QVERIFY(r.err.contains(QString(64, u'0')));
    }

    void errorsNameTheProblem_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("malformed")
            << QStringList { u"-d"_s, u"host=x port"_s } << 2 << u"invalid connection string"_s;
        QTest::newRow("unknown keyword")
            << QStringList { u"-d"_s, u"hots=x"_s } << 2 << u"\"hots\""_s;
        QTest::newRow("stray argument") << QStringList { u"now"_s } << 2 << u"'now'"_s;
        QTest::newRow("missing migrations dir")
            << QStringList { u"--dir"_s, u"/nonexistent/sql"_s } << 1 << u"/nonexistent/sql"_s;
    }

    void errorsNameTheProblem()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, mentions);
        const Run r = quotactlMigrate(arguments);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.err.contains(mentions), qPrintable(r.err));
    }

    void anUnreachableDatabaseIsNamed()
    {
        const QString conninfo = TestCluster::instance().conninfo(u"no_such_db"_s);
        const Run r = quotactlMigrate({ u"-d"_s, conninfo });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"no_such_db"_s), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(QuotactlMigrateTest)
#include "tst_quotactlmigrate.moc"
