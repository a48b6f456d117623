#include "support/testcluster.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <csignal>
#include <cstdio>
#include <unistd.h>

using qc::testsupport::TestCluster;

class TestClusterTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QC_REQUIRE_CLUSTER(); }
    void cleanup() { TestCluster::instance().cleanup(); }

    void databasesAreFreshAndMigrated()
    {
        QC_TEST_DATABASE(first);
        QC_TEST_DATABASE(second);
        QVERIFY(first != second);
        QSqlDatabase db = TestCluster::instance().open(first);
        QVERIFY2(db.isOpen(), qPrintable(db.lastError().text()));
        QSqlQuery q(db);
        QVERIFY2(q.exec(QStringLiteral("SELECT count(*) FROM quota.schema_migrations")),
            qPrintable(q.lastError().text()));
        QVERIFY(q.next());
        QVERIFY(q.value(0).toInt() >= 1);
        QVERIFY(q.exec(QStringLiteral("CREATE TABLE quota.scratch (x int)")));

        QSqlDatabase other = TestCluster::instance().open(second);
        QSqlQuery q2(other);
        QVERIFY(q2.exec(QStringLiteral("SELECT to_regclass('quota.scratch') IS NULL")));
        QVERIFY(q2.next());
        QVERIFY2(q2.value(0).toBool(), "a test database saw another test's table");
    }

    void emptyDatabaseHasNoSchema()
    {
        const QString name = TestCluster::instance().createDatabase(TestCluster::Schema::Empty);
        QVERIFY2(!name.isEmpty(), qPrintable(TestCluster::instance().errorString()));
        QSqlDatabase db = TestCluster::instance().open(name);
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SELECT to_regnamespace('quota') IS NULL")));
        QVERIFY(q.next());
        QVERIFY(q.value(0).toBool());
    }

    void serverIsPrivateAndFast()
    {
        QC_TEST_DATABASE(name);
        QSqlDatabase db = TestCluster::instance().open(name);
        QSqlQuery q(db);
        const QList<QPair<QString, QString>> settings = {
            { QStringLiteral("listen_addresses"), QString() },
            { QStringLiteral("fsync"), QStringLiteral("off") },
            { QStringLiteral("synchronous_commit"), QStringLiteral("off") },
            { QStringLiteral("full_page_writes"), QStringLiteral("off") },
            { QStringLiteral("TimeZone"), QStringLiteral("UTC") },
        };
        for (const auto& [setting, expected] : settings) {
            QVERIFY(q.exec(QStringLiteral("SHOW ") + setting));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toString(), expected);
        }
    }

    void serverNeverRunsAsRoot()
    {
        const QFileInfo proc(QStringLiteral("/proc/%1").arg(TestCluster::instance().serverPid()));
        QVERIFY(proc.exists());
        QVERIFY(proc.ownerId() != 0);
        if (::geteuid() != 0)
            QCOMPARE(proc.ownerId(), ::geteuid());
    }

    void loginRolesAreMembersOfTheirGroups()
    {
        QC_TEST_DATABASE(name);
        const QString role = TestCluster::instance().createLoginRole(
            QStringLiteral("viewer"), { QStringLiteral("quota_viewer") });
        QVERIFY2(!role.isEmpty(), qPrintable(TestCluster::instance().errorString()));
        QSqlDatabase db = TestCluster::instance().open(name, {}, role);
        QVERIFY2(db.isOpen(), qPrintable(db.lastError().text()));
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SELECT session_user, pg_has_role('quota_viewer', 'MEMBER'), "
                                      "pg_has_role('quota_operator', 'MEMBER')")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), role);
        QVERIFY(q.value(1).toBool());
        QVERIFY(!q.value(2).toBool());
    }

    // Run in a child process by serverDiesWithAKilledTest: holds a cluster until killed.
    void holdCluster()
    {
        if (!qEnvironmentVariableIsSet("QC_HOLD_CLUSTER"))
            QSKIP("only run as the child of serverDiesWithAKilledTest");
        std::printf("pid %lld\n", TestCluster::instance().serverPid());
        std::fflush(stdout);
        ::pause();
    }

    void serverDiesWithAKilledTest()
    {
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QC_HOLD_CLUSTER"), QStringLiteral("1"));
        child.setProcessEnvironment(env);
        child.start(QCoreApplication::applicationFilePath(), { QStringLiteral("holdCluster") });
        QVERIFY(child.waitForStarted());
        qint64 pid = -1;
        QElapsedTimer timer;
        timer.start();
        // Under load the child may take seconds to start its own cluster.
        while (pid < 0 && timer.elapsed() < 60000 && child.state() == QProcess::Running) {
            child.waitForReadyRead(1000);
            while (child.canReadLine()) {
                const QByteArray line = child.readLine().trimmed();
                if (line.startsWith("pid "))
                    pid = line.mid(4).toLongLong();
            }
        }
        QVERIFY2(pid > 0, child.readAllStandardError().constData());
        QVERIFY(::kill(pid_t(pid), 0) == 0);
        child.kill(); // SIGKILL: no handler, no atexit
        QVERIFY(child.waitForFinished());
        QTRY_VERIFY_WITH_TIMEOUT(::kill(pid_t(pid), 0) != 0, 10000);
    }
};

QTEST_GUILESS_MAIN(TestClusterTest)
#include "tst_testcluster.moc"
