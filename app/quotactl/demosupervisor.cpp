#include "demosupervisor.h"

#include "command.h"
#include "db/connectionstring.h"
#include "db/migrator.h"
#include "policy/policyjson.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLockFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSocketNotifier>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimer>
#include <QUuid>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <memory>
#include <sys/prctl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace qc::cli::demo {

namespace {

const QString kSuperConnection = u"quotactl_demo_superuser"_s;
const QString kAdminConnection = u"quotactl_demo_admin"_s;

int g_stopPipe[2] = { -1, -1 };

extern "C" void onDemoStopSignal(int)
{
    const int saved = errno;
    const char byte = 1;
    if (g_stopPipe[1] >= 0) [[maybe_unused]]
        const auto n = ::write(g_stopPipe[1], &byte, 1);
    errno = saved;
}

/// Progress events: JSON lines on the progress descriptor and/or lines for a person on stderr.
class Progress {
public:
    explicit Progress(int fd)
        : m_fd(fd)
    {
    }

    void emitEvent(const QJsonObject& event)
    {
        if (event == m_last)
            return; // e.g. the backfill reporting the same day twice
        m_last = event;
        if (m_fd >= 0) {
            const QByteArray line = QJsonDocument(event).toJson(QJsonDocument::Compact) + '\n';
            qsizetype written = 0;
            while (written < line.size()) {
                const ssize_t n
                    = ::write(m_fd, line.constData() + written, std::size_t(line.size() - written));
                if (n < 0 && errno == EINTR)
                    continue;
                if (n <= 0) {
                    m_fd = -1; // the reader went away: go on without it
                    break;
                }
                written += n;
            }
        }
        const QString text = describeEvent(event);
        if (!text.isEmpty())
            printError(u"quotactl demo: "_s % text % u'\n');
    }
    void step(const QString& step, const QJsonObject& extra = {})
    {
        QJsonObject event = extra;
        event.insert(u"event"_s, u"step"_s);
        event.insert(u"step"_s, step);
        emitEvent(event);
    }
    void close()
    {
        if (m_fd > 2)
            ::close(m_fd);
        m_fd = -1;
    }

private:
    int m_fd = -1;
    QJsonObject m_last;
};

/// A child quotactl: its own process group, SIGTERM when the supervisor dies, its output
/// appended line by line to a log file and handed to `onLine`.
class Child {
public:
    Child(QString name, QString logFile)
        : m_name(std::move(name))
        , m_log(std::move(logFile))
    {
    }
    ~Child() { stop(15000); }
    Q_DISABLE_COPY(Child)

    std::function<void(const QString&)> onLine;

    QString start(const QStringList& arguments)
    {
        m_logFile.setFileName(m_log);
        if (!m_logFile.open(QIODevice::WriteOnly | QIODevice::Append))
            return u"cannot write %1: %2"_s.arg(m_log, m_logFile.errorString());
        m_logFile.write("---- " + isoTime(QDateTime::currentDateTimeUtc()).toUtf8() + " quotactl "
            + arguments.join(u' ').toUtf8() + '\n');
        m_logFile.flush();
        const pid_t parent = ::getpid();
        m_process.setChildProcessModifier([parent] {
            ::setpgid(0, 0);
            ::prctl(PR_SET_PDEATHSIG, SIGTERM);
            if (::getppid() != parent)
                ::_exit(125);
        });
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput,
            [this] { consume(m_process.readAllStandardOutput(), m_stdout); });
        QObject::connect(&m_process, &QProcess::readyReadStandardError,
            [this] { consume(m_process.readAllStandardError(), m_stderr); });
        m_process.start(QCoreApplication::applicationFilePath(), arguments);
        if (!m_process.waitForStarted(10000))
            return u"cannot start %1: %2"_s.arg(m_name, m_process.errorString());
        m_record = ProcessRecord::of(m_process.processId());
        return {};
    }

    bool running() const { return m_process.state() != QProcess::NotRunning; }
    const ProcessRecord& record() const { return m_record; }
    const QString& name() const { return m_name; }
    QString exitText() const
    {
        if (m_process.exitStatus() == QProcess::CrashExit)
            return u"ended by a signal"_s;
        return u"exit status %1"_s.arg(m_process.exitCode());
    }
    int exitCode() const { return m_process.exitCode(); }
    QProcess& process() { return m_process; }
    // The end of this run's output (without the header line start() wrote).
    QString lastLines() const
    {
        QStringList lines = db::LocalCluster::lastLines(m_log, 40).split(u'\n');
        for (qsizetype i = lines.size() - 1; i >= 0; --i) {
            if (lines.at(i).startsWith(u"---- "_s)) {
                lines = lines.mid(i + 1);
                break;
            }
        }
        return lines.mid(qMax<qsizetype>(0, lines.size() - 12)).join(u'\n');
    }
    const QString& logFile() const { return m_log; }

    /// SIGTERM to the process group, SIGKILL after `timeoutMs`.
    void stop(int timeoutMs)
    {
        if (!running())
            return;
        const pid_t pid = pid_t(m_process.processId());
        ::kill(-pid, SIGTERM);
        if (!m_process.waitForFinished(timeoutMs)) {
            ::kill(-pid, SIGKILL);
            m_process.waitForFinished(5000);
        }
        ::kill(-pid, SIGKILL); // whatever of the group is left
        flushRest();
    }

private:
    void consume(const QByteArray& bytes, QByteArray& buffer)
    {
        m_logFile.write(bytes);
        m_logFile.flush();
        buffer += bytes;
        qsizetype newline;
        while ((newline = buffer.indexOf('\n')) >= 0) {
            const QString line = QString::fromUtf8(buffer.left(newline));
            buffer.remove(0, newline + 1);
            if (onLine)
                onLine(line);
        }
    }
    void flushRest()
    {
        consume(m_process.readAllStandardOutput(), m_stdout);
        consume(m_process.readAllStandardError(), m_stderr);
    }

    QString m_name;
    QString m_log;
    QFile m_logFile;
    QProcess m_process;
    QByteArray m_stdout;
    QByteArray m_stderr;
    ProcessRecord m_record;
};

class Supervisor {
public:
    explicit Supervisor(const StartOptions& options)
        : m_options(options)
        , m_env(DemoEnvironment::locate())
        , m_progress(options.progressFd)
    {
    }

    int run();

private:
    QString failAt(const QString& step, const QString& message)
    {
        m_failedStep = step;
        return message;
    }
    // Runs the event loop until `done()`, the timeout or a stop request; true when done.
    bool waitUntil(const std::function<bool()>& done, int timeoutMs);
    QString start();
    QString prepareCluster();
    QString openDatabases();
    QString seed();
    QString backfill();
    QString startLoadgen();
    QString startEvaluator();
    void writeRun(const QString& state, const QString& step = {});
    void shutdown();

    StartOptions m_options;
    DemoEnvironment m_env;
    Progress m_progress;
    DemoState m_state;
    RunRecord m_run;
    db::ServerPrograms m_programs;
    db::ServerAccount m_account;
    std::unique_ptr<db::LocalCluster> m_cluster;
    std::unique_ptr<Child> m_loadgen;
    std::unique_ptr<Child> m_evaluator;
    bool m_stopRequested = false;
    QString m_failedStep;
};

bool Supervisor::waitUntil(const std::function<bool()>& done, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    QEventLoop loop;
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        if (done() || m_stopRequested || timer.elapsed() >= timeoutMs)
            loop.quit();
    });
    tick.start(25);
    if (!done() && !m_stopRequested)
        loop.exec();
    return done();
}

void Supervisor::writeRun(const QString& state, const QString& step)
{
    m_run.state = state;
    m_run.step = step;
    if (m_loadgen)
        m_run.loadgen = m_loadgen->record();
    if (m_evaluator)
        m_run.evaluator = m_evaluator->record();
    m_env.writeRun(m_run);
}

QString Supervisor::prepareCluster()
{
    writeRun(u"starting"_s, u"prepare"_s);
    m_progress.step(u"prepare"_s);
    m_programs = db::LocalCluster::findPrograms(m_options.pgBindir, true);
    if (!m_programs.ok())
        return failAt(u"prepare"_s, m_programs.error);
    QString error;
    const std::optional<db::ServerAccount> account
        = db::LocalCluster::serverAccount({ u"postgres"_s, u"nobody"_s }, &error);
    if (!account)
        return failAt(u"prepare"_s, error);
    m_account = *account;
    if (db::LocalCluster::socketPath(m_env.socketDirectory(), kPort, &error).isEmpty())
        return failAt(u"prepare"_s, error);
    if (error = m_env.createClusterDirectory(m_account); !error.isEmpty())
        return failAt(u"prepare"_s, error);

    const int existing = db::LocalCluster::dataDirectoryVersion(m_env.dataDirectory());
    if (existing == 0) {
        writeRun(u"starting"_s, u"initdb"_s);
        m_progress.step(u"initdb"_s);
        QDir(m_env.dataDirectory()).removeRecursively(); // what a failed initdb left
        const DemoState fresh { .seed = m_options.seed, .users = m_options.users };
        m_state = fresh;
        error = db::LocalCluster::initdb(m_programs, m_account, m_env.dataDirectory(),
            { u"-U"_s, kSuperuser, u"--auth-local=trust"_s, u"--auth-host=reject"_s, u"-E"_s,
                u"UTF8"_s, u"--locale=C"_s, u"--no-instructions"_s },
            m_env.logFile(u"initdb"_s));
        if (!error.isEmpty()) {
            QDir(m_env.dataDirectory()).removeRecursively();
            return failAt(u"initdb"_s, u"creating the cluster failed: "_s % error);
        }
        m_state.createdAt = QDateTime::currentDateTimeUtc();
    } else if (existing != m_programs.majorVersion) {
        return failAt(u"prepare"_s,
            u"the demo cluster %1 was created by PostgreSQL %2, but the server programs in %3 "
            u"are PostgreSQL %4; install the Debian package postgresql-%2, or start afresh with "
            u"'quotactl demo reset'"_s.arg(m_env.dataDirectory())
                .arg(existing)
                .arg(m_programs.directory)
                .arg(m_programs.majorVersion));
    }
    if (!m_state.createdAt.isValid()) // demo.json was lost: the cluster is from now on
        m_state.createdAt = QDateTime::currentDateTimeUtc();
    m_state.postgresVersion = m_programs.version;

    writeRun(u"starting"_s, u"postgres"_s);
    m_progress.step(u"postgres"_s);
    m_cluster = std::make_unique<db::LocalCluster>(m_env.clusterOptions(m_programs, m_account));
    if (error = m_cluster->start(); !error.isEmpty())
        return failAt(u"postgres"_s, error);
    return {};
}

QString Supervisor::openDatabases()
{
    const auto open = [](const QString& conninfo, const QString& name) {
        return db::ConnectionString::parse(conninfo + u" connect_timeout=10"_s).open(name);
    };
    if (QString error = open(m_env.conninfo(kSuperuser, u"postgres"_s), kSuperConnection);
        !error.isEmpty())
        return error;
    QSqlQuery q(QSqlDatabase::database(kSuperConnection, false));
    q.exec(u"SET statement_timeout = '5min'"_s);
    q.exec(u"SELECT 1 FROM pg_database WHERE datname = 'quota_demo'"_s);
    const bool exists = q.next();
    // History that was not completely loaded is started over: the database is the demo's.
    if (exists && !m_state.backfillCompletedAt.isValid()) {
        if (!q.exec(u"DROP DATABASE quota_demo WITH (FORCE)"_s))
            return q.lastError().text();
    }
    if (!exists || !m_state.backfillCompletedAt.isValid()) {
        if (!q.exec(u"CREATE DATABASE quota_demo TEMPLATE template0 ENCODING 'UTF8'"_s))
            return u"creating the database quota_demo: "_s % q.lastError().text();
        m_state.backfillCompletedAt = {}; // a new database gets its history
        m_state.policyVersion = 0;
    }
    QSqlDatabase::database(kSuperConnection, false).close();
    return open(m_env.conninfo(kSuperuser), kSuperConnection);
}

QString Supervisor::seed()
{
    QSqlDatabase super = QSqlDatabase::database(kSuperConnection, false);
    QSqlQuery q(super);
    q.exec(u"SET statement_timeout = '5min'"_s);
    writeRun(u"starting"_s, u"migrate"_s);
    m_progress.step(u"migrate"_s);
    db::Migrator migrator(super);
    const db::MigrationRun migrated = migrator.migrate([this](const db::Migration& m) {
        m_progress.step(u"migrate"_s, { { u"migration"_s, m.fileName } });
    });
    if (!migrated.ok())
        return failAt(u"migrate"_s, migrated.error);

    writeRun(u"starting"_s, u"seed"_s);
    m_progress.step(u"seed"_s);
    const QString admin = kAdminRole;
    // The console's role, and the evaluator's: what they do is audited under their names.
    for (const auto& [role, group] : { std::pair { kAdminRole, u"quota_admin"_s },
             std::pair { kEvaluatorRole, u"quota_evaluator"_s } }) {
        if (!q.exec(u"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '%1') "
                    u"THEN CREATE ROLE %1 LOGIN; END IF; END $$"_s.arg(role))
            || !q.exec(u"GRANT %1 TO %2"_s.arg(group, role)))
            return failAt(u"seed"_s, u"creating the role %1: "_s.arg(role) % q.lastError().text());
    }
    if (!q.exec(u"SELECT id FROM quota.policy_versions WHERE active"_s))
        return failAt(u"seed"_s, q.lastError().text());
    if (q.next()) {
        m_state.policyVersion = q.value(0).toLongLong();
        return {};
    }
    // The plans come from the default policy, rolled out like an admin would: audited.
    if (QString error
        = db::ConnectionString::parse(m_env.conninfo(admin) + u" connect_timeout=10"_s)
              .open(kAdminConnection);
        !error.isEmpty())
        return failAt(u"seed"_s, error);
    QString error;
    {
        QSqlQuery a(QSqlDatabase::database(kAdminConnection, false));
        a.prepare(u"SELECT (quota.create_policy_version(?, ?::jsonb, ?) -> 'result' ->> "
                  u"'id')::bigint"_s);
        a.addBindValue(QUuid::createUuid().toString(QUuid::WithoutBraces));
        a.addBindValue(QString::fromUtf8(policy::defaultPolicyJson()));
        a.addBindValue(u"quota-console demo: the default policy"_s);
        if (!a.exec() || !a.next()) {
            error = u"creating the default policy version: "_s % a.lastError().text();
        } else {
            const qint64 id = a.value(0).toLongLong();
            a.prepare(u"SELECT quota.activate_policy_version(?, ?, 0, ?)"_s);
            a.addBindValue(QUuid::createUuid().toString(QUuid::WithoutBraces));
            a.addBindValue(id);
            a.addBindValue(u"quota-console demo: the default policy"_s);
            if (!a.exec())
                error = u"activating the default policy version: "_s % a.lastError().text();
            else
                m_state.policyVersion = id;
        }
    }
    QSqlDatabase::removeDatabase(kAdminConnection);
    return error.isEmpty() ? QString() : failAt(u"seed"_s, error);
}

QString Supervisor::backfill()
{
    if (m_state.backfillCompletedAt.isValid())
        return {};
    writeRun(u"starting"_s, u"backfill"_s);
    m_progress.step(u"backfill"_s, { { u"length"_s, m_options.backfill }, { u"percent"_s, 0 } });
    Child child(u"the backfill (quotactl loadgen --backfill)"_s, m_env.logFile(u"backfill"_s));
    static const QRegularExpression dayPattern(u"backfill (\\d+)/(\\d+) days"_s);
    QElapsedTimer sinceProgress;
    sinceProgress.start();
    child.onLine = [&](const QString& line) {
        const QRegularExpressionMatch m = dayPattern.match(line);
        if (!m.hasMatch() || m.captured(2).toInt() <= 0)
            return;
        sinceProgress.restart();
        const int percent = m.captured(1).toInt() * 100 / m.captured(2).toInt();
        m_progress.step(u"backfill"_s,
            { { u"length"_s, m_options.backfill }, { u"percent"_s, percent },
                { u"days_done"_s, m.captured(1).toInt() }, { u"days"_s, m.captured(2).toInt() } });
    };
    if (QString error = child.start({ u"loadgen"_s, u"--db"_s, m_env.conninfo(kSuperuser),
            u"--backfill"_s, m_options.backfill, u"--backfill-only"_s, u"--backfill-per-day"_s,
            QString::number(m_options.backfillPerDay, 'f', 0), u"--users"_s,
            QString::number(m_state.users), u"--seed"_s, QString::number(m_state.seed),
            u"--no-metrics"_s });
        !error.isEmpty())
        return failAt(u"backfill"_s, error);
    QElapsedTimer total;
    total.start();
    const int quietLimitMs = 10 * 60 * 1000; // one day of history never takes that long
    waitUntil(
        [&] {
            return !child.running() || sinceProgress.elapsed() > quietLimitMs
                || total.elapsed() > m_options.backfillTimeoutMs;
        },
        m_options.backfillTimeoutMs + 1000);
    if (child.running()) {
        child.stop(15000);
        if (m_stopRequested)
            return failAt(u"backfill"_s, u"stopped while backfilling"_s);
        return failAt(u"backfill"_s,
            u"the backfill made no progress for %1 minutes or took longer than %2 minutes and "
            u"was stopped; see %3"_s.arg(QString::number(quietLimitMs / 60000),
                QString::number(m_options.backfillTimeoutMs / 60000), child.logFile()));
    }
    if (child.process().exitStatus() != QProcess::NormalExit || child.exitCode() != 0)
        return failAt(u"backfill"_s,
            u"the backfill failed (%1):\n%2"_s.arg(child.exitText(), child.lastLines()));
    m_state.backfillCompletedAt = QDateTime::currentDateTimeUtc();
    m_state.backfillLength = m_options.backfill;
    m_state.backfillPerDay = m_options.backfillPerDay;
    m_env.writeState(m_state);
    m_progress.step(u"backfill"_s, { { u"length"_s, m_options.backfill }, { u"percent"_s, 100 } });
    return {};
}

QString Supervisor::startLoadgen()
{
    writeRun(u"starting"_s, u"loadgen"_s);
    m_progress.step(u"loadgen"_s);
    m_loadgen = std::make_unique<Child>(u"loadgen"_s, m_env.logFile(u"loadgen"_s));
    m_loadgen->onLine = [this](const QString& line) {
        if (line.startsWith(u"metrics: "_s) && m_run.metricsUrl.isEmpty())
            m_run.metricsUrl = line.mid(9).trimmed();
    };
    QStringList arguments { u"loadgen"_s, u"--db"_s, m_env.conninfo(kSuperuser), u"--users"_s,
        QString::number(m_state.users), u"--seed"_s, QString::number(m_state.seed), u"--rate"_s,
        QString::number(m_options.rate), u"--metrics-port"_s,
        QString::number(m_options.metricsPort) };
    const QStringList scenarios = !m_options.scenarios.isEmpty() ? m_options.scenarios
        : m_options.defaultScenarios                             ? defaultScenarioSchedule()
                                                                 : QStringList();
    for (const QString& s : scenarios)
        arguments << u"--scenario"_s << s;
    if (QString error = m_loadgen->start(arguments); !error.isEmpty())
        return failAt(u"loadgen"_s, error);
    m_run.metricsUrl.clear();
    waitUntil([this] { return !m_run.metricsUrl.isEmpty() || !m_loadgen->running(); }, 30000);
    if (!m_loadgen->running())
        return failAt(u"loadgen"_s,
            u"quotactl loadgen ended at start-up (%1):\n%2"_s.arg(
                m_loadgen->exitText(), m_loadgen->lastLines()));
    if (m_run.metricsUrl.isEmpty())
        return failAt(u"loadgen"_s,
            m_stopRequested ? u"stopped while starting loadgen"_s
                            : u"quotactl loadgen did not report its metrics endpoint within 30 s; "
                              u"see %1"_s.arg(m_loadgen->logFile()));
    return {};
}

QString Supervisor::startEvaluator()
{
    writeRun(u"starting"_s, u"evaluator"_s);
    m_progress.step(u"evaluator"_s);
    m_evaluator = std::make_unique<Child>(u"the alert evaluator"_s, m_env.logFile(u"evaluator"_s));
    bool spoke = false;
    m_evaluator->onLine = [&spoke](const QString&) { spoke = true; };
    if (QString error = m_evaluator->start(
            { u"alerts"_s, u"evaluate"_s, u"--db"_s, m_env.conninfo(kEvaluatorRole), u"--metrics"_s,
                m_run.metricsUrl, u"--interval"_s, m_options.evaluatorInterval });
        !error.isEmpty())
        return failAt(u"evaluator"_s, error);
    // It prints a line once it holds the evaluator lock and evaluates.
    waitUntil([&] { return spoke || !m_evaluator->running(); }, 30000);
    m_evaluator->onLine = nullptr;
    if (!m_evaluator->running())
        return failAt(u"evaluator"_s,
            u"quotactl alerts evaluate ended at start-up (%1):\n%2"_s.arg(
                m_evaluator->exitText(), m_evaluator->lastLines()));
    if (!spoke && m_stopRequested)
        return failAt(u"evaluator"_s, u"stopped while starting the alert evaluator"_s);
    return {};
}

QString Supervisor::start()
{
    if (QString error = prepareCluster(); !error.isEmpty())
        return error;
    if (m_stopRequested)
        return u"stopped while starting"_s;
    if (QString error = openDatabases(); !error.isEmpty())
        return failAt(u"postgres"_s, error);
    if (QString error = seed(); !error.isEmpty())
        return error;
    m_env.writeState(m_state);
    if (m_stopRequested)
        return u"stopped while starting"_s;
    if (QString error = backfill(); !error.isEmpty())
        return error;
    QSqlDatabase::removeDatabase(kSuperConnection);
    if (m_stopRequested)
        return u"stopped while starting"_s;
    if (QString error = startLoadgen(); !error.isEmpty())
        return error;
    if (QString error = startEvaluator(); !error.isEmpty())
        return error;
    return {};
}

void Supervisor::shutdown()
{
    writeRun(u"stopping"_s);
    QSqlDatabase::removeDatabase(kSuperConnection);
    // Traffic first (it drains its requests into the database), then the evaluator, then the
    // cluster.
    if (m_loadgen)
        m_loadgen->stop(15000);
    if (m_evaluator)
        m_evaluator->stop(15000);
    if (m_cluster) {
        if (QString error = m_cluster->stop(); !error.isEmpty())
            printCommandError(u"demo"_s, error);
    }
    m_env.removeRun();
    if (m_state.createdAt.isValid()) {
        m_state.lastStop = QDateTime::currentDateTimeUtc();
        m_env.writeState(m_state);
    }
}

int Supervisor::run()
{
    if (m_options.parentPid > 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != m_options.parentPid)
            return ExitFailure;
    }
    // SIGINT, SIGTERM, SIGHUP: stop everything, then exit.
    if (::pipe2(g_stopPipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        printCommandError(u"demo"_s, u"cannot create the signal pipe"_s);
        return ExitFailure;
    }
    struct sigaction action { };
    action.sa_handler = onDemoStopSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int sig : { SIGINT, SIGTERM, SIGHUP })
        ::sigaction(sig, &action, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
    QSocketNotifier stopNotifier(g_stopPipe[0], QSocketNotifier::Read);
    QObject::connect(&stopNotifier, &QSocketNotifier::activated, [this] {
        char buffer[16];
        while (::read(g_stopPipe[0], buffer, sizeof buffer) > 0) { }
        m_stopRequested = true;
    });

    if (QString error = m_env.createDirectories(); !error.isEmpty()) {
        m_progress.emitEvent(
            { { u"event"_s, u"error"_s }, { u"step"_s, u"prepare"_s }, { u"message"_s, error } });
        return ExitFailure;
    }
    QLockFile lock(m_env.lockFile());
    lock.setStaleLockTime(0); // only a dead holder makes the lock stale, never its age
    if (!lock.tryLock(0)) {
        if (lock.error() == QLockFile::LockFailedError) {
            m_progress.emitEvent(
                { { u"event"_s, u"already_running"_s }, { u"status"_s, m_env.status() } });
            return ExitOk;
        }
        m_progress.emitEvent({ { u"event"_s, u"error"_s }, { u"step"_s, u"prepare"_s },
            { u"message"_s, u"cannot take the lock %1"_s.arg(m_env.lockFile()) } });
        return ExitFailure;
    }
    m_run.supervisor = ProcessRecord::of(QCoreApplication::applicationPid());
    m_run.startedAt = QDateTime::currentDateTimeUtc();

    // A run that crashed may have left its children and its server running.
    QStringList leftovers;
    if (QString error = m_env.stopLeftovers(&leftovers); !error.isEmpty()) {
        m_progress.emitEvent({ { u"event"_s, u"error"_s }, { u"step"_s, u"prepare"_s },
            { u"message"_s, QString(u"cannot stop what the last run left: "_s % error) } });
        return ExitFailure;
    }
    if (!leftovers.isEmpty())
        printError(u"quotactl demo: stopped what the last run left running: "_s
            % leftovers.join(u", "_s) % u'\n');

    QString stateError;
    if (const std::optional<DemoState> state = m_env.readState(&stateError))
        m_state = *state;
    else if (!stateError.isEmpty())
        printError(u"quotactl demo: "_s % stateError % u"; starting with a fresh state\n"_s);
    if (!m_state.backfillCompletedAt.isValid()) {
        m_state.users = m_options.users;
        m_state.seed = m_options.seed;
    } else if ((m_options.usersGiven && m_options.users != m_state.users)
        || (m_options.backfillGiven && m_options.backfill != m_state.backfillLength)) {
        printError(u"quotactl demo: the demo was created with %1 users and %2 of history; it is "
                   u"reused as it is (run 'quotactl demo reset' to create it anew)\n"_s.arg(
                       QString::number(m_state.users), m_state.backfillLength));
    }

    const QString error = start();
    if (!error.isEmpty()) {
        m_progress.emitEvent({ { u"event"_s, m_stopRequested ? u"stopped"_s : u"error"_s },
            { u"step"_s, m_failedStep }, { u"message"_s, error } });
        shutdown();
        return m_stopRequested ? ExitOk : ExitFailure;
    }
    m_state.lastStart = m_run.startedAt;
    ++m_state.starts;
    m_env.writeState(m_state);
    writeRun(u"running"_s);
    m_progress.emitEvent({ { u"event"_s, u"ready"_s }, { u"status"_s, m_env.status() } });
    if (m_options.progressFd < 0) {
        const QJsonObject status = m_env.status();
        printOut(u"The demo runs. Console:  quota-console --demo\n"
                 u"Database: psql \"%1\"\nMetrics:  %2\nStop it with Ctrl-C.\n"_s.arg(
                     status.value(u"conninfo"_s).toString(), m_run.metricsUrl));
    }
    m_progress.close();

    // Running: children that end on their own are reported in run.json and the log.
    QObject::connect(&m_loadgen->process(), &QProcess::finished, [this] {
        m_run.loadgenExit
            = m_loadgen->exitText() % u" at "_s % isoTime(QDateTime::currentDateTimeUtc());
        printError(u"quotactl demo: loadgen ended (%1); see %2\n"_s.arg(
            m_run.loadgenExit, m_loadgen->logFile()));
        writeRun(u"running"_s);
    });
    QObject::connect(&m_evaluator->process(), &QProcess::finished, [this] {
        m_run.evaluatorExit
            = m_evaluator->exitText() % u" at "_s % isoTime(QDateTime::currentDateTimeUtc());
        printError(u"quotactl demo: the alert evaluator ended (%1); see %2\n"_s.arg(
            m_run.evaluatorExit, m_evaluator->logFile()));
        writeRun(u"running"_s);
    });
    waitUntil([] { return false; }, std::numeric_limits<int>::max());
    printError(u"quotactl demo: stopping\n"_s);
    shutdown();
    printError(u"quotactl demo: stopped\n"_s);
    return ExitOk;
}

} // namespace

QStringList defaultScenarioSchedule()
{
    return {
        u"bot_burst@+1m:3m"_s,
        u"buggy_client@+2m:6m"_s,
        u"plan_change@+3m:5m"_s,
        u"cost_spike@+5m:4m"_s,
        u"db_hiccup@+7m:30s"_s,
    };
}

QString describeEvent(const QJsonObject& event)
{
    const QString kind = event.value(u"event"_s).toString();
    if (kind == u"error"_s || kind == u"stopped"_s)
        return event.value(u"message"_s).toString();
    if (kind == u"ready"_s)
        return u"ready"_s;
    if (kind != u"step"_s)
        return {};
    const QString step = event.value(u"step"_s).toString();
    if (step == u"prepare"_s)
        return u"checking PostgreSQL…"_s;
    if (step == u"initdb"_s)
        return u"creating the PostgreSQL cluster…"_s;
    if (step == u"postgres"_s)
        return u"starting PostgreSQL…"_s;
    if (step == u"migrate"_s) {
        const QString file = event.value(u"migration"_s).toString();
        return file.isEmpty() ? u"migrating…"_s : u"migrating (%1)…"_s.arg(file);
    }
    if (step == u"seed"_s)
        return u"seeding plans and roles…"_s;
    if (step == u"backfill"_s) {
        const QString length = event.value(u"length"_s).toString();
        const QString days = length == u"1d"_s ? u"1 day"_s
            : length.endsWith(u'd')            ? length.chopped(1) % u" days"_s
                                               : length;
        return u"backfilling %1 (%2 %)…"_s.arg(days).arg(event.value(u"percent"_s).toInt());
    }
    if (step == u"loadgen"_s)
        return u"starting live traffic (quotactl loadgen)…"_s;
    if (step == u"evaluator"_s)
        return u"starting the alert evaluator…"_s;
    return step;
}

int runSupervisor(const StartOptions& options)
{
    Supervisor supervisor(options);
    return supervisor.run();
}

} // namespace qc::cli::demo
