// Connection test classification against the real server of tests/support (and two tiny TCP
// servers on 127.0.0.1 for what a unix-socket cluster cannot show: a server that never answers,
// one that refuses TLS).
#include "db/connectioncheck.h"
#include "db/migrator.h"
#include "support/testcluster.h"

#include <QFile>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;
using qc::db::ConnectionCheck;
using qc::db::ConnectionProblem;
using qc::testsupport::TestCluster;

Q_DECLARE_METATYPE(qc::db::ConnectionProblem)

namespace {

// db::checkConnection blocks; run it on a pool thread so that the test's TCP servers (on this
// thread) can answer meanwhile.
ConnectionCheck check(const QString& conninfo, const QString& password = {})
{
    QFuture<ConnectionCheck> f = QtConcurrent::run(
        [conninfo, password] { return qc::db::checkConnection(conninfo, password); });
    while (!f.isFinished())
        QTest::qWait(10);
    return f.result();
}

QString socketConninfo(const QString& database, const QString& role, int port)
{
    return u"host='%1' port=%2 dbname='%3' user='%4'"_s.arg(
        TestCluster::instance().socketDirectory(), QString::number(port), database, role);
}

} // namespace

class tst_ConnectionCheck : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QC_REQUIRE_CLUSTER(); }
    void cleanup() { TestCluster::instance().cleanup(); }

    void classifiesLibpqMessages_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<ConnectionProblem>("problem");
        QTest::newRow("dns") << u"could not translate host name \"db.invalid\" to address: Name or "
                                "service not known"_s
                             << ConnectionProblem::HostNotFound;
        QTest::newRow("refused tcp")
            << u"connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n\tIs "
               "the server running on that host and accepting TCP/IP connections?"_s
            << ConnectionProblem::Refused;
        QTest::newRow("timeout") << u"connection to server at \"10.1.1.1\", port 5432 failed: "
                                    "timeout expired"_s
                                 << ConnectionProblem::Timeout;
        QTest::newRow("tls refused")
            << u"server does not support SSL, but SSL was required"_s << ConnectionProblem::Tls;
        QTest::newRow("tls verify") << u"connection to server at \"db\" (10.0.0.1), port 5432 "
                                       "failed: SSL error: certificate verify failed"_s
                                    << ConnectionProblem::Tls;
        QTest::newRow("no ca file")
            << u"root certificate file \"/x/ca.pem\" does not exist"_s << ConnectionProblem::Tls;
        QTest::newRow("password") << u"FATAL:  password authentication failed for user \"bob\""_s
                                  << ConnectionProblem::Authentication;
        QTest::newRow("hba with ssl")
            << u"FATAL:  no pg_hba.conf entry for host \"10.0.0.9\", user "
               "\"bob\", database \"quota\", SSL encryption"_s
            << ConnectionProblem::Authentication;
        QTest::newRow("no password")
            << u"fe_sendauth: no password supplied"_s << ConnectionProblem::Authentication;
        QTest::newRow("role") << u"FATAL:  role \"carol\" does not exist"_s
                              << ConnectionProblem::UnknownAccount;
        QTest::newRow("database") << u"FATAL:  database \"quota2\" does not exist"_s
                                  << ConnectionProblem::UnknownDatabase;
        QTest::newRow("garbage") << u"something odd"_s << ConnectionProblem::Other;
    }
    void classifiesLibpqMessages()
    {
        QFETCH(QString, text);
        QFETCH(ConnectionProblem, problem);
        QCOMPARE(qc::db::classifyConnectError(text), problem);
    }

    void aMigratedDatabaseWithARoleIsFine()
    {
        QC_TEST_DATABASE(name);
        const QString op
            = TestCluster::instance().createLoginRole(u"op"_s, { u"quota_operator"_s });
        const ConnectionCheck c = check(TestCluster::instance().conninfo(name, op));
        QVERIFY2(c.ok(), qPrintable(c.message));
        QCOMPARE(c.identity.account, op);
        QCOMPARE(c.identity.role, qc::db::QuotaRole::Operator);
        QVERIFY(!c.identity.canMigrate);
        QCOMPARE(c.identity.pendingMigrations, 0);
        QVERIFY(c.identity.serverVersion.startsWith(u"15"_s));
        const ConnectionCheck super = check(TestCluster::instance().conninfo(name));
        QCOMPARE(super.identity.role, qc::db::QuotaRole::Admin);
        QVERIFY(super.identity.superuser && super.identity.canMigrate);
    }

    void aWrongPortIsRefused()
    {
        const ConnectionCheck c = check(socketConninfo(u"postgres"_s, u"postgres"_s, 1));
        QCOMPARE(c.problem, ConnectionProblem::Refused);
        QVERIFY2(c.message.contains(u"Check host and port"_s), qPrintable(c.message));
        // Over TCP: a port where nothing listens.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        const ConnectionCheck tcp
            = check(u"host=127.0.0.1 port=%1 dbname=quota user=x"_s.arg(port));
        QCOMPARE(tcp.problem, ConnectionProblem::Refused);
        QVERIFY2(tcp.serverText.contains(u"Connection refused"_s), qPrintable(tcp.serverText));
    }

    void aBadPasswordIsAnAuthenticationProblem()
    {
        QC_TEST_DATABASE(name);
        const QString role
            = TestCluster::instance().createLoginRole(u"pw"_s, { u"quota_viewer"_s });
        QCOMPARE(TestCluster::instance().requirePassword(role, u"right horse"_s), QString());
        const QString conninfo = TestCluster::instance().conninfo(name, role);
        const ConnectionCheck wrong = check(conninfo, u"wrong"_s);
        QCOMPARE(wrong.problem, ConnectionProblem::Authentication);
        QVERIFY2(wrong.serverText.contains(u"password authentication failed"_s),
            qPrintable(wrong.serverText));
        QVERIFY(!wrong.message.contains(u"wrong"_s)); // the password is never echoed
        const ConnectionCheck none = check(conninfo);
        QCOMPARE(none.problem, ConnectionProblem::Authentication);
        const ConnectionCheck right = check(conninfo, u"right horse"_s);
        QVERIFY2(right.ok(), qPrintable(right.message));
        QCOMPARE(right.identity.role, qc::db::QuotaRole::Viewer);
    }

    void libpqFindsPasswordsInPgpassAndServicesInTheServiceFile()
    {
        QC_TEST_DATABASE(name);
        const QString role
            = TestCluster::instance().createLoginRole(u"erin"_s, { u"quota_viewer"_s });
        QCOMPARE(TestCluster::instance().requirePassword(role, u"from-pgpass"_s), QString());
        QTemporaryDir dir;
        // ~/.pgpass (here PGPASSFILE): host:port:database:user:password, mode 0600.
        QFile pgpass(dir.filePath(u"pgpass"_s));
        QVERIFY(pgpass.open(QIODevice::WriteOnly));
        pgpass.write(QStringLiteral("%1:%2:%3:%4:from-pgpass\n")
                         .arg(TestCluster::instance().socketDirectory())
                         .arg(TestCluster::instance().port())
                         .arg(name, role)
                         .toUtf8());
        pgpass.close();
        pgpass.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        // A service file names the server, so the profile only says service=quota-test.
        QFile services(dir.filePath(u"pg_service.conf"_s));
        QVERIFY(services.open(QIODevice::WriteOnly));
        services.write(QStringLiteral("[quota-test]\nhost=%1\nport=%2\ndbname=%3\nuser=%4\n")
                           .arg(TestCluster::instance().socketDirectory())
                           .arg(TestCluster::instance().port())
                           .arg(name, role)
                           .toUtf8());
        services.close();
        qputenv("PGPASSFILE", QFile::encodeName(pgpass.fileName()));
        qputenv("PGSERVICEFILE", QFile::encodeName(services.fileName()));
        const ConnectionCheck c = check(u"service=quota-test"_s);
        qunsetenv("PGPASSFILE");
        qunsetenv("PGSERVICEFILE");
        QVERIFY2(c.ok(), qPrintable(c.message));
        QCOMPARE(c.identity.account, role);
        QCOMPARE(c.identity.database, name);
    }

    void aNonexistentHostIsADnsProblem()
    {
        const ConnectionCheck c = check(
            u"host=quota-db.does-not-exist.invalid dbname=quota user=x connect_timeout=5"_s);
        QCOMPARE(c.problem, ConnectionProblem::HostNotFound);
        QVERIFY2(c.message.contains(u"DNS"_s), qPrintable(c.message));
    }

    void aSilentServerTimesOut()
    {
        QTcpServer silent; // accepts the TCP connection, never says a word
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        const ConnectionCheck c
            = check(u"host=127.0.0.1 port=%1 dbname=quota user=x connect_timeout=2"_s.arg(
                silent.serverPort()));
        QCOMPARE(c.problem, ConnectionProblem::Timeout);
    }

    void aServerWithoutTlsIsRefusedWhenTlsIsRequired()
    {
        // Answers libpq's SSLRequest with 'N' ("no TLS here"), as a server without ssl=on does.
        QTcpServer plain;
        QVERIFY(plain.listen(QHostAddress::LocalHost));
        connect(&plain, &QTcpServer::newConnection, this, [&plain] {
            QTcpSocket* s = plain.nextPendingConnection();
            connect(s, &QTcpSocket::readyRead, s, [s] {
                if (s->bytesAvailable() >= 8) {
                    s->readAll();
                    s->write("N");
                    s->flush();
                }
            });
        });
        const ConnectionCheck c
            = check(u"host=127.0.0.1 port=%1 dbname=quota user=x "
                    "sslmode=require connect_timeout=5"_s.arg(plain.serverPort()));
        QCOMPARE(c.problem, ConnectionProblem::Tls);
        QVERIFY2(c.message.contains(u"sslmode"_s), qPrintable(c.message));
    }

    void unknownAccountAndDatabase()
    {
        const ConnectionCheck account
            = check(TestCluster::instance().conninfo(u"postgres"_s, u"carol_nobody"_s));
        QCOMPARE(account.problem, ConnectionProblem::UnknownAccount);
        const ConnectionCheck database = check(TestCluster::instance().conninfo(u"no_such_db"_s));
        QCOMPARE(database.problem, ConnectionProblem::UnknownDatabase);
    }

    void anOldSchemaOffersMigrationToItsOwnerOnly()
    {
        const QString name = TestCluster::instance().createDatabase(TestCluster::Schema::Empty);
        QVERIFY(!name.isEmpty());
        {
            QSqlDatabase db = TestCluster::instance().open(name);
            qc::db::MigrationSet first = qc::db::Migrator::bundled();
            QVERIFY(first.ok());
            first.migrations.resize(first.migrations.size() - 1);
            const qc::db::MigrationRun run = qc::db::Migrator(db, first).migrate();
            QVERIFY2(run.ok(), qPrintable(run.error));
        }
        const ConnectionCheck owner = check(TestCluster::instance().conninfo(name));
        QCOMPARE(owner.problem, ConnectionProblem::SchemaTooOld);
        QVERIFY(owner.identity.canMigrate);
        QCOMPARE(owner.identity.pendingMigrations, 1);
        QVERIFY2(
            owner.message.contains(u"You may migrate it from here"_s), qPrintable(owner.message));
    }

    void anEmptyDatabaseHasNoSchema()
    {
        const QString name = TestCluster::instance().createDatabase(TestCluster::Schema::Empty);
        QVERIFY(!name.isEmpty());
        const ConnectionCheck owner = check(TestCluster::instance().conninfo(name));
        QCOMPARE(owner.problem, ConnectionProblem::SchemaMissing);
        QVERIFY(owner.identity.canMigrate);
        const QString viewer
            = TestCluster::instance().createLoginRole(u"v"_s, { u"quota_viewer"_s });
        const ConnectionCheck other = check(TestCluster::instance().conninfo(name, viewer));
        QCOMPARE(other.problem, ConnectionProblem::SchemaMissing);
        QVERIFY(!other.identity.canMigrate);
        QVERIFY2(other.message.contains(u"Ask the database owner"_s), qPrintable(other.message));
    }

    void anAccountWithoutAQuotaRoleIsTold()
    {
        QC_TEST_DATABASE(name);
        const QString plain = TestCluster::instance().createLoginRole(u"plain"_s);
        const ConnectionCheck c = check(TestCluster::instance().conninfo(name, plain));
        QCOMPARE(c.problem, ConnectionProblem::NoQuotaRole);
        QVERIFY2(c.message.contains(u"GRANT quota_viewer TO "_s + plain), qPrintable(c.message));
    }
};

QTEST_MAIN(tst_ConnectionCheck)
#include "tst_connectioncheck.moc"
