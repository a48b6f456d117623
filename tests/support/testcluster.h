#pragma once

#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QTest>

#include <memory>

namespace qc::testsupport {

/// A private PostgreSQL 15 cluster for one test process (see tests/support/README.md).
///
/// Started on first use of instance() — call that first from the main thread: the server is
/// tied to the lifetime of the thread that starts it, so it cannot outlive a crashed or killed
/// test. Unix socket only, trust authentication, durability switched off for speed. As root, the
/// server runs as the unprivileged account `nobody`.
class TestCluster {
public:
    enum class Schema { Migrated, Empty };

    /// The cluster of this process, started on first call. Check isRunning().
    static TestCluster& instance();

    bool isRunning() const;
    /// Why the cluster is not running, or why the last call failed; names what to do about it.
    QString errorString() const;

    /// A new database for one test: by default a copy of a template migrated once per process
    /// with every bundled migration; Schema::Empty gives a database with no project objects.
    /// Returns the database name, or an empty string (see errorString()).
    /// With `from`, the new database is a copy of that one instead (e.g. a database a test case
    /// seeded once in initTestCase(); nobody may be connected to it; cleanup() keeps it).
    QString createDatabase(Schema schema = Schema::Migrated, const QString& from = {});

    /// Opens a QPSQL connection to `database` under `connectionName` (a unique name when
    /// empty), as `role` (the bootstrap superuser when empty). Check isOpen()/lastError().
    QSqlDatabase open(
        const QString& database, const QString& connectionName = {}, const QString& role = {});

    /// libpq keyword/value connection string for `database` as `role`.
    QString conninfo(const QString& database, const QString& role = {}) const;

    /// Creates a LOGIN role named `<baseName>_<n>` (unique in the cluster) that is a member of
    /// `memberOf` (e.g. quota_viewer). Returns its name, or an empty string (see errorString()).
    QString createLoginRole(const QString& baseName, const QStringList& memberOf = {});

    /// Closes the connections open() made and drops the databases createDatabase() made. Call it
    /// from the test's cleanup() slot so that a long test keeps few connections and little disk;
    /// QSqlDatabase handles the test still holds become invalid.
    void cleanup();

    /// Runs one statement as the superuser in `database`; returns the error text, empty on success.
    QString execAsSuperuser(const QString& database, const QString& sql);

    QString socketDirectory() const;
    int port() const;
    QString superuser() const;
    /// The postmaster's process id, -1 when not running.
    qint64 serverPid() const;
    /// The server log (useful in failure messages).
    QString serverLog() const;

    /// Stops the server but keeps its data (a database outage in the middle of a test);
    /// startServer() brings it back on the same socket with the same databases. Connections
    /// of the test are broken, as in a real outage.
    QString stopServer();
    QString startServer();

    /// Gives `role` the password `password` and requires it (scram-sha-256) for that role's
    /// connections, so that a wrong password is refused as on a real server. Other roles
    /// keep trust authentication.
    QString requirePassword(const QString& role, const QString& password);

    /// Stops the server and removes its files. Also runs at exit; idempotent.
    void stop();

    TestCluster(const TestCluster&) = delete;
    TestCluster& operator=(const TestCluster&) = delete;
    ~TestCluster();

private:
    TestCluster();
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace qc::testsupport

/// Declares `name` as a fresh migrated database, or fails the current test with the reason.
#define QC_TEST_DATABASE(name)                                                                     \
    const QString name = ::qc::testsupport::TestCluster::instance().createDatabase();              \
    if (name.isEmpty())                                                                            \
    QFAIL(qPrintable(::qc::testsupport::TestCluster::instance().errorString()))

/// Fails the current test unless the cluster runs (use in initTestCase()).
#define QC_REQUIRE_CLUSTER()                                                                       \
    if (!::qc::testsupport::TestCluster::instance().isRunning())                                   \
    QFAIL(qPrintable(::qc::testsupport::TestCluster::instance().errorString()))
