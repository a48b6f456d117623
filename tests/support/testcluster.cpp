#include "testcluster.h"

#include "db/localcluster.h"
#include "db/migrator.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QMutex>
#include <QSqlError>
#include <QThread>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <libpq-fe.h>
#include <memory>
#include <optional>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#ifndef QC_PG_TEMPLATE_CACHE
#define QC_PG_TEMPLATE_CACHE ""
#endif

namespace qc::testsupport {

namespace {

constexpr int kPort = 5432; // the socket lives in a private directory, so no clash
const char* const kSuperuser = "postgres";
const char* const kTemplateDatabase = "qc_template";
// Bumped whenever the initdb options below change, so stale cached templates are rebuilt.
const char* const kTemplateFormat = "qc-template-2";

// The postmaster pid, for the fatal-signal handler (which may only call async-signal-safe code).
std::atomic<pid_t> g_postmaster { 0 };
struct sigaction g_previous[NSIG];
const int kFatalSignals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTERM, SIGINT, SIGHUP };

extern "C" void onFatalSignal(int sig)
{
    const pid_t pid = g_postmaster.load();
    if (pid > 0)
        ::kill(pid, SIGQUIT); // immediate shutdown; the data is thrown away anyway
    ::sigaction(sig, &g_previous[sig], nullptr);
    ::raise(sig);
}

void installSignalHandlers()
{
    for (int sig : kFatalSignals) {
        struct sigaction action;
        std::memset(&action, 0, sizeof action);
        action.sa_handler = onFatalSignal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESETHAND;
        ::sigaction(sig, &action, &g_previous[sig]);
    }
}

// Where each process's cluster lives: memory-backed when possible, since the copy of the
// template and the server's writes are the bulk of a database test's start-up.
QString runtimeBase()
{
    const QString env = qEnvironmentVariable("QC_PG_RUNTIME_DIR");
    if (!env.isEmpty())
        return env;
    const QFileInfo shm(QStringLiteral("/dev/shm"));
    if (shm.isDir() && shm.isWritable())
        return shm.absoluteFilePath();
    return QDir::tempPath();
}

QString quoteLiteral(const QString& value)
{
    QString out = value;
    out.replace(u'\\', QStringLiteral("\\\\"));
    out.replace(u'\'', QStringLiteral("\\'"));
    return u'\'' + out + u'\'';
}

QString quoteIdentifier(const QString& name)
{
    QString out = name;
    out.replace(u'"', QStringLiteral("\"\""));
    return u'"' + out + u'"';
}

// QC_TESTCLUSTER_TRACE=1 prints how long each start-up step takes.
void trace(const char* step)
{
    static const bool enabled = qEnvironmentVariableIntValue("QC_TESTCLUSTER_TRACE") != 0;
    static QElapsedTimer timer;
    if (!enabled)
        return;
    if (!timer.isValid())
        timer.start();
    qInfo("TestCluster: %s at %lld ms", step, timer.elapsed());
}

// Removes the directories of test processes that were killed outright (they cannot clean up
// after themselves; their server died with them).
void removeStaleClusters(const QString& base)
{
    const QDir dir(base);
    const QStringList names
        = dir.entryList({ QStringLiteral("qc-pg-??????") }, QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString& name : names) {
        QFile owner(dir.filePath(name + u"/owner.pid"));
        if (!owner.open(QIODevice::ReadOnly))
            continue; // being set up right now, or not ours
        const pid_t pid = pid_t(owner.readAll().trimmed().toLongLong());
        if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH)
            QDir(dir.filePath(name)).removeRecursively();
    }
}

void stopAtExit()
{
    TestCluster::instance().stop();
}

} // namespace

struct TestCluster::Impl {
    QMutex mutex;
    QString lastError;
    db::ServerPrograms programs;
    QString root; // private temp dir: data/, the socket, server.log
    db::ServerAccount account;
    std::unique_ptr<db::LocalCluster> server;
    bool templateReady = false;
    int databaseCounter = 0;
    int roleCounter = 0;
    int connectionCounter = 0;
    QStringList connections; // opened by open(), closed by cleanup()
    QStringList databases; // made by createDatabase(), dropped by cleanup()

    QString dataDir() const { return root + u"/data"; }
    QString logPath() const { return root + u"/server.log"; }

    QString adminConninfo(const QString& database) const
    {
        return QStringLiteral("host=%1 port=%2 dbname=%3 user=%4 connect_timeout=10 "
                              "options='-c client_min_messages=warning'")
            .arg(quoteLiteral(root), QString::number(kPort), quoteLiteral(database),
                QString::fromLatin1(kSuperuser));
    }

    // A connection to the maintenance database "postgres" is kept for the cluster's lifetime:
    // connecting costs more than most statements the helpers run.
    PGconn* maintenance = nullptr;
    QMutex execMutex;

    QString exec(const QString& database, const QString& sql)
    {
        const bool keep = database == u"postgres";
        QMutexLocker locker(&execMutex);
        PGconn* conn = keep ? maintenance : nullptr;
        if (!conn || PQstatus(conn) != CONNECTION_OK) {
            if (conn)
                PQfinish(conn);
            conn = PQconnectdb(adminConninfo(database).toUtf8().constData());
            if (keep)
                maintenance = conn;
        }
        QString result;
        if (PQstatus(conn) != CONNECTION_OK) {
            result = QStringLiteral("cannot connect to the test cluster: %1")
                         .arg(QString::fromUtf8(PQerrorMessage(conn)));
        } else {
            PGresult* res = PQexec(conn, sql.toUtf8().constData());
            const ExecStatusType status = PQresultStatus(res);
            if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
                result = QStringLiteral("%1: %2").arg(
                    sql, QString::fromUtf8(PQresultErrorMessage(res)).trimmed());
            PQclear(res);
        }
        if (!keep)
            PQfinish(conn);
        return result;
    }

    void closeMaintenance()
    {
        QMutexLocker locker(&execMutex);
        if (maintenance)
            PQfinish(maintenance);
        maintenance = nullptr;
    }

    // Migrating the template also creates the cluster-wide group roles (quota_viewer, ...).
    bool ensureTemplate()
    {
        if (templateReady)
            return true;
        if (QString error = migrateTemplate(); !error.isEmpty()) {
            lastError = error;
            return false;
        }
        templateReady = true;
        trace("template database migrated");
        return true;
    }

    QString prepareTemplateDataDir(QString* templateDir);
    QString start();
    QString spawnServer();
    void stopPostmaster();
    QString migrateTemplate();
};

QString TestCluster::Impl::prepareTemplateDataDir(QString* templateDir)
{
    QString cache = qEnvironmentVariable("QC_PG_TEMPLATE_DIR");
    if (cache.isEmpty())
        cache = QString::fromUtf8(QC_PG_TEMPLATE_CACHE);
    if (cache.isEmpty())
        cache = QDir::tempPath() + u"/qc-pg-template-" + QString::number(::getuid());
    *templateDir = cache;
    const QString stampPath = cache + u"/qc-template.stamp";
    const QString postgres = programs.program(QStringLiteral("postgres"));
    const QByteArray stamp = QByteArray(kTemplateFormat) + '\n' + QFile::encodeName(postgres) + '\n'
        + QFileInfo(postgres).lastModified().toString(Qt::ISODate).toUtf8() + '\n';

    QDir().mkpath(QFileInfo(cache).absolutePath());
    // Several test processes start at once under ctest -j: one builds, the others wait.
    QLockFile lock(cache + u".lock");
    lock.setStaleLockTime(120000);
    if (!lock.tryLock(180000))
        return QStringLiteral("timed out waiting for the template lock %1.lock").arg(cache);

    QFile stampFile(stampPath);
    if (stampFile.open(QIODevice::ReadOnly) && stampFile.readAll() == stamp)
        return {};
    stampFile.close();

    QDir(cache).removeRecursively();
    const QString work = QDir::tempPath() + u"/qc-pg-initdb-" + QString::number(::getpid());
    QDir(work).removeRecursively();
    if (!QDir().mkpath(work))
        return QStringLiteral("cannot create %1").arg(work);
    ::chmod(QFile::encodeName(work).constData(), 0700);
    QString error = db::LocalCluster::giveTo(work, account);
    if (error.isEmpty())
        error = db::LocalCluster::initdb(programs, account, work + u"/data",
            { QStringLiteral("-U"), QString::fromLatin1(kSuperuser), QStringLiteral("-A"),
                QStringLiteral("trust"), QStringLiteral("-E"), QStringLiteral("UTF8"),
                QStringLiteral("--locale=C"), QStringLiteral("-N"),
                QStringLiteral("--wal-segsize=1") },
            work + u"/initdb.log");
    const QString partial = cache + u".partial";
    QDir(partial).removeRecursively();
    if (error.isEmpty())
        error = db::LocalCluster::copyTree(work + u"/data", partial);
    QDir(work).removeRecursively();
    if (!error.isEmpty())
        return error;
    QFile out(partial + u"/qc-template.stamp");
    if (!out.open(QIODevice::WriteOnly) || out.write(stamp) != stamp.size())
        return QStringLiteral("cannot write %1").arg(out.fileName());
    out.close();
    if (::rename(QFile::encodeName(partial).constData(), QFile::encodeName(cache).constData()) != 0)
        return QStringLiteral("cannot rename %1 to %2: %3")
            .arg(partial, cache, QString::fromLocal8Bit(std::strerror(errno)));
    return {};
}

QString TestCluster::Impl::start()
{
    trace("start");
    programs = db::LocalCluster::findPrograms();
    if (!programs.ok())
        return programs.error;
    // PostgreSQL refuses to run as root: then it runs as nobody.
    QString accountError;
    const std::optional<db::ServerAccount> serverAccount
        = db::LocalCluster::serverAccount({ QStringLiteral("nobody") }, &accountError);
    if (!serverAccount)
        return accountError;
    account = *serverAccount;

    QString templateDir;
    if (QString error = prepareTemplateDataDir(&templateDir); !error.isEmpty())
        return QStringLiteral("cannot prepare the cached template cluster: ") + error;

    trace("template ready");
    // Short path: a unix socket path must fit in 107 bytes.
    const QString base = runtimeBase();
    removeStaleClusters(base);
    QByteArray pattern = QFile::encodeName(base + u"/qc-pg-XXXXXX");
    if (!::mkdtemp(pattern.data()))
        return QStringLiteral("cannot create a temporary directory in %1").arg(base);
    root = QFile::decodeName(pattern);
    {
        QFile owner(root + u"/owner.pid");
        if (!owner.open(QIODevice::WriteOnly) || owner.write(QByteArray::number(::getpid())) <= 0)
            return QStringLiteral("cannot write %1").arg(owner.fileName());
    }
    if (QString error = db::LocalCluster::copyTree(templateDir, dataDir()); !error.isEmpty())
        return error;
    ::chmod(QFile::encodeName(dataDir()).constData(), 0700);
    QFile::remove(dataDir() + u"/postmaster.pid");
    if (QString error = db::LocalCluster::giveTo(root, account); !error.isEmpty())
        return error;

    trace("data directory copied");
    installSignalHandlers();
    db::LocalCluster::Options options;
    options.programs = programs;
    options.account = account;
    options.dataDirectory = dataDir();
    options.socketDirectory = root;
    options.logFile = logPath();
    options.port = kPort;
    options.lifetime = db::LocalCluster::Lifetime::TiedToParent;
    options.startTimeoutMs = 30000;
    options.settings = {
        QStringLiteral("listen_addresses="),
        QStringLiteral("fsync=off"),
        QStringLiteral("synchronous_commit=off"),
        QStringLiteral("full_page_writes=off"),
        QStringLiteral("autovacuum=off"),
        QStringLiteral("max_connections=120"),
        QStringLiteral("shared_buffers=32MB"),
        QStringLiteral("max_wal_size=1GB"),
        QStringLiteral("min_wal_size=2MB"),
        QStringLiteral("checkpoint_timeout=1h"),
        QStringLiteral("TimeZone=UTC"),
        QStringLiteral("log_min_messages=warning"),
    };
    server = std::make_unique<db::LocalCluster>(options);
    std::atexit(stopAtExit);
    return spawnServer();
}

QString TestCluster::Impl::spawnServer()
{
    const QString error = server->start();
    g_postmaster.store(pid_t(std::max<qint64>(0, server->pid())));
    if (!error.isEmpty())
        return QStringLiteral("the PostgreSQL test server did not start: ") + error;
    trace("accepting connections");
    return {};
}

// Fast shutdown, escalating so that the test never leaves a server behind.
void TestCluster::Impl::stopPostmaster()
{
    if (server)
        server->stop();
    g_postmaster.store(0);
}

QString TestCluster::Impl::migrateTemplate()
{
    const QString templ = QString::fromLatin1(kTemplateDatabase);
    if (QString error
        = exec(QStringLiteral("postgres"), QStringLiteral("DROP DATABASE IF EXISTS %1").arg(templ));
        !error.isEmpty())
        return error;
    if (QString error = exec(QStringLiteral("postgres"),
            QStringLiteral("CREATE DATABASE %1 TEMPLATE template0").arg(templ));
        !error.isEmpty())
        return error;
    const QString connection = QStringLiteral("qc_testsupport_template");
    QString error;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connection);
        db.setHostName(root);
        db.setPort(kPort);
        db.setDatabaseName(QString::fromLatin1(kTemplateDatabase));
        db.setUserName(QString::fromLatin1(kSuperuser));
        if (!db.open()) {
            error = QStringLiteral("cannot open the template database: %1")
                        .arg(db.lastError().text());
        } else {
            db::Migrator migrator(db);
            const db::MigrationRun run = migrator.migrate();
            if (!run.ok())
                error = QStringLiteral("migrating the template database failed: %1").arg(run.error);
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    return error;
}

TestCluster::TestCluster()
    : d(std::make_unique<Impl>())
{
    if (QCoreApplication::instance()
        && QThread::currentThread() != QCoreApplication::instance()->thread())
        qWarning("TestCluster started outside the main thread: the server stops when that thread "
                 "ends");
    d->lastError = d->start();
    if (!d->lastError.isEmpty())
        stop();
}

TestCluster::~TestCluster()
{
    stop();
}

TestCluster& TestCluster::instance()
{
    // Deliberately never destroyed: the atexit handler stops the server after static
    // destructors of the test may have run.
    static TestCluster* cluster = new TestCluster;
    return *cluster;
}

bool TestCluster::isRunning() const
{
    return d->server && d->server->isRunning();
}

QString TestCluster::errorString() const
{
    return d->lastError;
}

QString TestCluster::createDatabase(Schema schema, const QString& from)
{
    QMutexLocker locker(&d->mutex);
    if (!isRunning())
        return {};
    if (schema == Schema::Migrated && !d->ensureTemplate())
        return {};
    const QString name = QStringLiteral("qc_test_%1").arg(++d->databaseCounter);
    const QString source = !from.isEmpty() ? quoteIdentifier(from)
        : schema == Schema::Migrated       ? QString::fromLatin1(kTemplateDatabase)
                                           : QStringLiteral("template0");
    if (QString error = d->exec(QStringLiteral("postgres"),
            QStringLiteral("CREATE DATABASE %1 TEMPLATE %2 STRATEGY FILE_COPY").arg(name, source));
        !error.isEmpty()) {
        d->lastError = error;
        return {};
    }
    d->databases << name;
    // A database copied from is a template now; it lives as long as the cluster.
    d->databases.removeAll(from);
    trace("database created");
    return name;
}

QSqlDatabase TestCluster::open(
    const QString& database, const QString& connectionName, const QString& role)
{
    QString name = connectionName;
    if (name.isEmpty()) {
        QMutexLocker locker(&d->mutex);
        name = QStringLiteral("qc_test_connection_%1").arg(++d->connectionCounter);
    }
    {
        QMutexLocker locker(&d->mutex);
        d->connections << name;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
    db.setHostName(d->root);
    db.setPort(kPort);
    db.setDatabaseName(database);
    db.setUserName(role.isEmpty() ? QString::fromLatin1(kSuperuser) : role);
    db.open();
    trace("connection opened");
    return db;
}

QString TestCluster::conninfo(const QString& database, const QString& role) const
{
    return QStringLiteral("host=%1 port=%2 dbname=%3 user=%4")
        .arg(quoteLiteral(d->root), QString::number(kPort), quoteLiteral(database),
            quoteLiteral(role.isEmpty() ? QString::fromLatin1(kSuperuser) : role));
}

QString TestCluster::createLoginRole(const QString& baseName, const QStringList& memberOf)
{
    QMutexLocker locker(&d->mutex);
    if (!isRunning() || (!memberOf.isEmpty() && !d->ensureTemplate()))
        return {};
    const QString name = QStringLiteral("%1_%2").arg(baseName).arg(++d->roleCounter);
    QString sql = QStringLiteral("CREATE ROLE %1 LOGIN").arg(quoteIdentifier(name));
    QStringList groups;
    for (const QString& group : memberOf)
        groups << quoteIdentifier(group);
    if (!groups.isEmpty())
        sql += u" IN ROLE " + groups.join(QStringLiteral(", "));
    if (QString error = d->exec(QStringLiteral("postgres"), sql); !error.isEmpty()) {
        d->lastError = error;
        return {};
    }
    return name;
}

void TestCluster::cleanup()
{
    QStringList connections, databases;
    {
        QMutexLocker locker(&d->mutex);
        connections.swap(d->connections);
        databases.swap(d->databases);
    }
    for (const QString& name : std::as_const(connections)) {
        if (QSqlDatabase::contains(name)) {
            QSqlDatabase::database(name, false).close();
            QSqlDatabase::removeDatabase(name);
        }
    }
    trace("connections closed");
    if (!isRunning())
        return;
    for (const QString& name : std::as_const(databases)) {
        // FORCE: connections the test made by other means do not keep the database alive.
        d->exec(QStringLiteral("postgres"),
            QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(name));
    }
    trace("databases dropped");
}

QString TestCluster::execAsSuperuser(const QString& database, const QString& sql)
{
    return d->exec(database, sql);
}

QString TestCluster::socketDirectory() const
{
    return d->root;
}

int TestCluster::port() const
{
    return kPort;
}

QString TestCluster::superuser() const
{
    return QString::fromLatin1(kSuperuser);
}

qint64 TestCluster::serverPid() const
{
    return d->server ? d->server->pid() : -1;
}

QString TestCluster::serverLog() const
{
    return db::LocalCluster::lastLines(d->logPath(), 200);
}

QString TestCluster::stopServer()
{
    if (d->root.isEmpty())
        return QStringLiteral("the test cluster was never started");
    d->closeMaintenance();
    d->stopPostmaster();
    return {};
}

QString TestCluster::startServer()
{
    if (d->root.isEmpty())
        return QStringLiteral("the test cluster was stopped for good");
    if (isRunning())
        return {};
    QFile::remove(d->dataDir() + u"/postmaster.pid");
    const QString error = d->spawnServer();
    if (!error.isEmpty())
        d->lastError = error;
    return error;
}

QString TestCluster::requirePassword(const QString& role, const QString& password)
{
    QString escaped = password;
    escaped.replace(u'\'', QStringLiteral("''"));
    if (QString error = d->exec(QStringLiteral("postgres"),
            QStringLiteral("ALTER ROLE %1 PASSWORD '%2'").arg(quoteIdentifier(role), escaped));
        !error.isEmpty())
        return error;
    QFile hba(d->dataDir() + u"/pg_hba.conf");
    if (!hba.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read %1").arg(hba.fileName());
    const QByteArray rest = hba.readAll();
    hba.close();
    // First match wins: this line goes before the trust lines.
    const QByteArray line = "local all " + quoteIdentifier(role).toUtf8() + " scram-sha-256\n";
    if (!hba.open(QIODevice::WriteOnly | QIODevice::Truncate) || hba.write(line + rest) < 0)
        return QStringLiteral("cannot write %1").arg(hba.fileName());
    hba.close();
    return d->exec(QStringLiteral("postgres"), QStringLiteral("SELECT pg_reload_conf()"));
}

void TestCluster::stop()
{
    d->closeMaintenance();
    d->stopPostmaster();
    if (!d->root.isEmpty()) {
        QDir(d->root).removeRecursively();
        d->root.clear();
        removeStaleClusters(runtimeBase());
    }
}

} // namespace qc::testsupport
