#include "localcluster.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace Qt::StringLiterals;

namespace qc::db {

namespace {

namespace fs = std::filesystem;

QString systemError(int error = errno)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

void sleepMs(int ms)
{
    ::usleep(useconds_t(ms) * 1000);
}

// Closes every descriptor above stderr: a server must not keep the pipes of whoever started
// it (a progress pipe held open by postgres would never report end-of-file).
void closeInheritedDescriptors()
{
#ifdef SYS_close_range
    if (::syscall(SYS_close_range, 3U, ~0U, 0U) == 0)
        return;
#endif
    const long max = ::sysconf(_SC_OPEN_MAX);
    for (long fd = 3; fd < (max > 0 && max < 65536 ? max : 65536); ++fd)
        ::close(int(fd));
}

struct SpawnFlags {
    bool dieWithParent = false; // parent-death signal SIGQUIT (postgres: immediate shutdown)
    bool newSession = false; // setsid: no terminal signals, its own process group
};

/// fork/exec with the account switched in the child, stdout/stderr appended to `logPath`.
pid_t spawn(const QString& program, const QStringList& arguments, const QString& logPath,
    const ServerAccount& account, SpawnFlags flags, QString* error)
{
    const QByteArray programBytes = QFile::encodeName(program);
    std::vector<QByteArray> argBytes;
    argBytes.push_back(programBytes);
    for (const QString& a : arguments)
        argBytes.push_back(a.toLocal8Bit());
    std::vector<char*> argv;
    for (QByteArray& a : argBytes)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    const QByteArray logBytes = QFile::encodeName(logPath);
    const pid_t parent = ::getpid();

    const pid_t pid = ::fork();
    if (pid < 0) {
        *error = u"cannot start %1: fork failed: %2"_s.arg(program, systemError());
        return -1;
    }
    if (pid == 0) {
        // Child: async-signal-safe calls only.
        const int log = ::open(logBytes.constData(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        const int devNull = ::open("/dev/null", O_RDONLY);
        if (log >= 0) {
            ::dup2(log, STDOUT_FILENO);
            ::dup2(log, STDERR_FILENO);
        }
        if (devNull >= 0)
            ::dup2(devNull, STDIN_FILENO);
        closeInheritedDescriptors();
        if (flags.newSession)
            ::setsid();
        if (account.switchUser) {
            if (::setgroups(0, nullptr) != 0 || ::setgid(account.gid) != 0
                || ::setuid(account.uid) != 0)
                ::_exit(126);
        }
        // After the uid change: changing credentials clears the parent-death signal.
        if (flags.dieWithParent) {
            ::prctl(PR_SET_PDEATHSIG, SIGQUIT);
            if (::getppid() != parent)
                ::_exit(125);
        }
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    return pid;
}

// Waits for a child until `deadlineMs`; true when it ended (status in `status`).
bool waitForChild(pid_t pid, qint64 deadlineMs, int* status)
{
    while (true) {
        const pid_t r = ::waitpid(pid, status, WNOHANG);
        if (r == pid)
            return true;
        if (r < 0 && errno != EINTR) {
            *status = 0;
            return true; // not our child any more
        }
        if (nowMs() >= deadlineMs)
            return false;
        sleepMs(10);
    }
}

QString statusText(int status)
{
    if (WIFEXITED(status)) {
        switch (WEXITSTATUS(status)) {
        case 125:
            return u"its parent went away during start-up"_s;
        case 126:
            return u"cannot switch to the server account"_s;
        case 127:
            return u"cannot execute the program"_s;
        default:
            return u"exit status %1"_s.arg(WEXITSTATUS(status));
        }
    }
    if (WIFSIGNALED(status))
        return u"killed by signal %1"_s.arg(WTERMSIG(status));
    return u"status %1"_s.arg(status);
}

bool processAlive(qint64 pid)
{
    if (pid <= 0)
        return false;
    if (::kill(pid_t(pid), 0) != 0 && errno == ESRCH)
        return false;
    // A zombie is gone for every purpose but its parent's.
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (stat.open(QIODevice::ReadOnly)) {
        const QByteArray text = stat.readAll();
        const qsizetype close = text.lastIndexOf(')');
        if (close > 0 && close + 2 < text.size() && text.at(close + 2) == 'Z')
            return false;
    }
    return true;
}

// Waits until a process that is not our child is gone.
bool waitGone(qint64 pid, qint64 deadlineMs)
{
    while (processAlive(pid)) {
        if (nowMs() >= deadlineMs)
            return false;
        int status = 0;
        ::waitpid(pid_t(pid), &status, WNOHANG); // reaps it if it happens to be ours
        sleepMs(20);
    }
    return true;
}

// unix_socket_directories is a list: an entry with a blank, comma or quote is double-quoted.
QString socketDirectoryValue(const QString& directory)
{
    if (!directory.contains(u' ') && !directory.contains(u',') && !directory.contains(u'"'))
        return directory;
    QString out = directory;
    out.replace(u"\""_s, u"\"\""_s);
    return u'"' + out + u'"';
}

// pg_ctl -o goes through /bin/sh.
QString shellQuote(const QString& value)
{
    QString out = value;
    out.replace(u"'"_s, u"'\\''"_s);
    return u'\'' + out + u'\'';
}

QString readFirstLine(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readLine()).trimmed();
}

} // namespace

QString conninfoQuote(const QString& value)
{
    QString out = value;
    out.replace(u'\\', u"\\\\"_s);
    out.replace(u'\'', u"\\'"_s);
    return u'\'' + out + u'\'';
}

ServerPrograms LocalCluster::findPrograms(const QString& directory, bool readVersion)
{
    const auto isServerDir = [](const QString& dir) {
        return !dir.isEmpty() && QFileInfo(dir + u"/postgres").isExecutable()
            && QFileInfo(dir + u"/initdb").isExecutable()
            && QFileInfo(dir + u"/pg_ctl").isExecutable();
    };
    ServerPrograms out;
    QStringList searched;
    if (!directory.isEmpty()) {
        searched << directory;
        if (isServerDir(directory))
            out.directory = directory;
    } else {
        for (const QString& dir :
            { qEnvironmentVariable("QC_PG_BINDIR"), u"/usr/lib/postgresql/15/bin"_s }) {
            if (dir.isEmpty())
                continue;
            searched << dir;
            if (isServerDir(dir)) {
                out.directory = dir;
                break;
            }
        }
        if (out.directory.isEmpty()) {
            searched << u"pg_config --bindir"_s;
            QProcess pgConfig;
            pgConfig.start(u"pg_config"_s, { u"--bindir"_s });
            if (pgConfig.waitForFinished(5000) && pgConfig.exitCode() == 0) {
                const QString dir
                    = QString::fromLocal8Bit(pgConfig.readAllStandardOutput()).trimmed();
                if (isServerDir(dir))
                    out.directory = dir;
            } else if (pgConfig.state() != QProcess::NotRunning) {
                pgConfig.kill();
                pgConfig.waitForFinished(1000);
            }
        }
    }
    if (out.directory.isEmpty()) {
        out.error = u"the PostgreSQL 15 server programs (postgres, initdb, pg_ctl) were not found "
                    u"in %1; install the Debian package postgresql-15 (sudo apt-get install "
                    u"postgresql-15)"_s.arg(searched.join(u", "_s));
        return out;
    }
    if (!readVersion)
        return out;
    QProcess postgres;
    postgres.start(out.program(u"postgres"_s), { u"-V"_s });
    if (!postgres.waitForFinished(10000) || postgres.exitCode() != 0) {
        postgres.kill();
        postgres.waitForFinished(1000);
        out.error = u"%1 -V did not answer within 10 s; reinstall the Debian package "
                    u"postgresql-15"_s.arg(out.program(u"postgres"_s));
        return out;
    }
    const QString text = QString::fromLocal8Bit(postgres.readAllStandardOutput()).trimmed();
    static const QRegularExpression versionPattern(u"\\(PostgreSQL\\)\\s+((\\d+)[.\\d]*)"_s);
    const QRegularExpressionMatch match = versionPattern.match(text);
    if (!match.hasMatch()) {
        out.error = u"%1 -V printed '%2', not a PostgreSQL version"_s.arg(
            out.program(u"postgres"_s), text);
        return out;
    }
    out.version = match.captured(1);
    out.majorVersion = match.captured(2).toInt();
    if (out.majorVersion < kMinimumMajorVersion)
        out.error = u"%1 is PostgreSQL %2, older than %3; install the Debian package "
                    u"postgresql-15"_s.arg(out.directory, out.version)
                        .arg(kMinimumMajorVersion);
    return out;
}

std::optional<ServerAccount> LocalCluster::serverAccount(
    const QStringList& candidatesWhenRoot, QString* error)
{
    ServerAccount account;
    if (::geteuid() != 0) {
        account.uid = ::geteuid();
        account.gid = ::getegid();
        if (const passwd* pw = ::getpwuid(account.uid))
            account.name = QString::fromLocal8Bit(pw->pw_name);
        return account;
    }
    for (const QString& name : candidatesWhenRoot) {
        if (const passwd* pw = ::getpwnam(name.toLocal8Bit().constData())) {
            account = { name, pw->pw_uid, pw->pw_gid, true };
            return account;
        }
    }
    if (error)
        *error = u"running as root, but none of the accounts %1 exists to run PostgreSQL as "
                 u"(PostgreSQL refuses to run as root); install the Debian package postgresql-15, "
                 u"which creates the account postgres"_s.arg(candidatesWhenRoot.join(u", "_s));
    return std::nullopt;
}

QString LocalCluster::run(const QString& program, const QStringList& arguments,
    const QString& logFile, const ServerAccount& account, int timeoutMs)
{
    QString error;
    const pid_t pid = spawn(program, arguments, logFile, account, { true, true }, &error);
    if (pid < 0)
        return error;
    int status = 0;
    if (!waitForChild(pid, nowMs() + timeoutMs, &status)) {
        ::kill(-pid, SIGKILL); // its session: initdb's and pg_ctl's children too
        ::kill(pid, SIGKILL);
        waitForChild(pid, nowMs() + 5000, &status);
        return u"%1 %2 did not finish within %3 s and was stopped:\n%4"_s.arg(
            program, arguments.join(u' '), QString::number(timeoutMs / 1000), lastLines(logFile));
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return {};
    return u"%1 %2 failed (%3):\n%4"_s.arg(
        program, arguments.join(u' '), statusText(status), lastLines(logFile));
}

QString LocalCluster::initdb(const ServerPrograms& programs, const ServerAccount& account,
    const QString& dataDirectory, const QStringList& arguments, const QString& logFile,
    int timeoutMs)
{
    return run(programs.program(u"initdb"_s), QStringList { u"-D"_s, dataDirectory } + arguments,
        logFile, account, timeoutMs);
}

bool LocalCluster::accountCanEnter(const ServerAccount& account, const QString& directory)
{
    const QByteArray path = QFile::encodeName(directory);
    if (!account.switchUser)
        return ::access(path.constData(), X_OK) == 0;
    const pid_t pid = ::fork();
    if (pid < 0)
        return false;
    if (pid == 0) {
        if (::setgroups(0, nullptr) != 0 || ::setgid(account.gid) != 0
            || ::setuid(account.uid) != 0)
            ::_exit(2);
        ::_exit(::access(path.constData(), X_OK) == 0 ? 0 : 1);
    }
    int status = 0;
    if (!waitForChild(pid, nowMs() + 5000, &status)) {
        ::kill(pid, SIGKILL);
        waitForChild(pid, nowMs() + 1000, &status);
        return false;
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

QString LocalCluster::giveTo(const QString& path, const ServerAccount& account)
{
    if (!account.switchUser)
        return {};
    std::error_code ec;
    const fs::path root(QFile::encodeName(path).toStdString());
    if (::lchown(root.c_str(), account.uid, account.gid) != 0)
        return u"cannot give %1 to the account %2: %3"_s.arg(path, account.name, systemError());
    for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
        if (::lchown(it->path().c_str(), account.uid, account.gid) != 0)
            return u"cannot give %1 to the account %2: %3"_s.arg(
                QString::fromStdString(it->path().string()), account.name, systemError());
    }
    return ec ? QString::fromStdString(ec.message()) : QString();
}

QString LocalCluster::copyTree(const QString& from, const QString& to)
{
    std::error_code ec;
    fs::copy(fs::path(QFile::encodeName(from).toStdString()),
        fs::path(QFile::encodeName(to).toStdString()),
        fs::copy_options::recursive | fs::copy_options::copy_symlinks, ec);
    if (ec)
        return u"cannot copy %1 to %2: %3"_s.arg(
            from, to, QString::fromLocal8Bit(ec.message().c_str()));
    return {};
}

QString LocalCluster::lastLines(const QString& path, int lines)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const qint64 size = file.size();
    if (size > 256 * 1024)
        file.seek(size - 256 * 1024);
    QStringList all = QString::fromUtf8(file.readAll()).split(u'\n');
    while (!all.isEmpty() && all.constLast().isEmpty())
        all.removeLast();
    return all.mid(qMax(0, all.size() - lines)).join(u'\n');
}

QString LocalCluster::socketPath(const QString& directory, int port, QString* error)
{
    const QString path = directory + u"/.s.PGSQL."_s + QString::number(port);
    if (QFile::encodeName(path).size() >= qsizetype(sizeof(sockaddr_un::sun_path))) {
        if (error)
            *error = u"the socket path %1 is longer than the %2 bytes a unix socket path can "
                     u"have; use a data directory with a shorter path"_s.arg(path)
                         .arg(sizeof(sockaddr_un::sun_path) - 1);
        return {};
    }
    return path;
}

qint64 LocalCluster::runningPostmaster(const QString& dataDirectory)
{
    const qint64 pid = readFirstLine(dataDirectory + u"/postmaster.pid"_s).toLongLong();
    if (pid <= 0 || !processAlive(pid))
        return -1;
    // The pid may have been reused by an unrelated process since a crash.
    const QString comm = readFirstLine(u"/proc/%1/comm"_s.arg(pid));
    return comm == u"postgres"_s || comm == u"postmaster"_s ? pid : -1;
}

int LocalCluster::dataDirectoryVersion(const QString& dataDirectory)
{
    return readFirstLine(dataDirectory + u"/PG_VERSION"_s).toInt();
}

LocalCluster::LocalCluster(Options options)
    : m_options(std::move(options))
{
}

LocalCluster::~LocalCluster()
{
    if (m_options.lifetime == Lifetime::TiedToParent)
        stop();
}

QString LocalCluster::conninfo(const QString& database, const QString& user) const
{
    return u"host=%1 port=%2 dbname=%3 user=%4"_s.arg(conninfoQuote(m_options.socketDirectory),
        QString::number(m_options.port), conninfoQuote(database), conninfoQuote(user));
}

bool LocalCluster::isRunning() const
{
    return pid() > 0;
}

qint64 LocalCluster::pid() const
{
    if (m_options.lifetime == Lifetime::TiedToParent)
        return m_child;
    return runningPostmaster(m_options.dataDirectory);
}

QString LocalCluster::start()
{
    if (!m_options.programs.ok() || m_options.programs.directory.isEmpty())
        return m_options.programs.error.isEmpty() ? u"no PostgreSQL server programs"_s
                                                  : m_options.programs.error;
    QString error;
    if (socketPath(m_options.socketDirectory, m_options.port, &error).isEmpty())
        return error;
    return m_options.lifetime == Lifetime::TiedToParent ? startTied() : startDetached();
}

QString LocalCluster::startTied()
{
    if (m_child > 0)
        return {};
    const qint64 deadline = nowMs() + m_options.startTimeoutMs;
    QStringList arguments { u"-D"_s, m_options.dataDirectory, u"-k"_s,
        socketDirectoryValue(m_options.socketDirectory), u"-p"_s, QString::number(m_options.port) };
    for (const QString& setting : std::as_const(m_options.settings))
        arguments << u"-c"_s << setting;
    QString error;
    m_child = spawn(m_options.programs.program(u"postgres"_s), arguments, m_options.logFile,
        m_options.account, { true, false }, &error);
    if (m_child < 0)
        return error;
    return waitUntilAccepting(deadline);
}

QString LocalCluster::startDetached()
{
    if (const qint64 running = runningPostmaster(m_options.dataDirectory); running > 0)
        return u"a PostgreSQL server (pid %1) already runs on %2"_s.arg(running).arg(
            m_options.dataDirectory);
    // What a crashed server left: a pid file naming a dead (or reused) pid, and its socket.
    QFile::remove(m_options.dataDirectory + u"/postmaster.pid"_s);
    removeStaleSocket();

    QStringList serverOptions { u"-k"_s,
        shellQuote(socketDirectoryValue(m_options.socketDirectory)), u"-p"_s,
        QString::number(m_options.port) };
    for (const QString& setting : std::as_const(m_options.settings))
        serverOptions << u"-c"_s << shellQuote(setting);
    const int seconds = qMax(1, m_options.startTimeoutMs / 1000);
    const QString controlLog = m_options.logFile + u".pg_ctl"_s;
    const QString error = run(m_options.programs.program(u"pg_ctl"_s),
        { u"start"_s, u"-D"_s, m_options.dataDirectory, u"-l"_s, m_options.logFile, u"-w"_s,
            u"-t"_s, QString::number(seconds), u"-s"_s, u"-o"_s, serverOptions.join(u' ') },
        controlLog, m_options.account, m_options.startTimeoutMs + 10000);
    QFile::remove(controlLog);
    if (!error.isEmpty()) {
        const qint64 leftover = runningPostmaster(m_options.dataDirectory);
        if (leftover > 0)
            stop();
        return u"PostgreSQL did not start: %1\nServer log (%2):\n%3"_s.arg(
            error, m_options.logFile, lastLines(m_options.logFile));
    }
    m_detachedPid = runningPostmaster(m_options.dataDirectory);
    if (m_detachedPid <= 0)
        return u"pg_ctl reported a started server, but %1/postmaster.pid names no running "
               u"postgres:\n%2"_s.arg(m_options.dataDirectory, lastLines(m_options.logFile));
    return waitUntilAccepting(nowMs() + 10000);
}

QString LocalCluster::waitUntilAccepting(qint64 deadlineMs)
{
    const QByteArray ping
        = (conninfo(u"postgres"_s, u"postgres"_s) + u" connect_timeout=5"_s).toUtf8();
    while (true) {
        if (PQping(ping.constData()) == PQPING_OK)
            return {};
        if (m_options.lifetime == Lifetime::TiedToParent) {
            int status = 0;
            if (::waitpid(m_child, &status, WNOHANG) == m_child) {
                m_child = -1;
                return u"the PostgreSQL server exited during start-up (%1):\n%2"_s.arg(
                    statusText(status), lastLines(m_options.logFile));
            }
        } else if (runningPostmaster(m_options.dataDirectory) <= 0) {
            return u"the PostgreSQL server exited during start-up:\n%1"_s.arg(
                lastLines(m_options.logFile));
        }
        if (nowMs() > deadlineMs) {
            const QString log = lastLines(m_options.logFile);
            stop();
            return u"the PostgreSQL server did not accept connections within %1 s:\n%2"_s.arg(
                QString::number(m_options.startTimeoutMs / 1000), log);
        }
        sleepMs(10);
    }
}

void LocalCluster::removeStaleSocket() const
{
    const QString socket = socketPath(m_options.socketDirectory, m_options.port);
    if (socket.isEmpty())
        return;
    QFile::remove(socket);
    QFile::remove(socket + u".lock"_s);
}

QString LocalCluster::stop()
{
    QString error;
    if (m_options.lifetime == Lifetime::TiedToParent) {
        if (m_child <= 0)
            return {};
        const pid_t pid = m_child;
        m_child = -1;
        // Fast shutdown; escalate if it hangs so that no server is ever left behind.
        const int signals[] = { SIGINT, SIGQUIT, SIGKILL };
        bool gone = false;
        for (int sig : signals) {
            ::kill(pid, sig);
            int status = 0;
            gone = waitForChild(
                pid, nowMs() + (sig == SIGINT ? m_options.stopTimeoutMs : 10000), &status);
            if (gone)
                break;
        }
        if (!gone)
            error = u"the PostgreSQL server (pid %1) did not stop"_s.arg(pid);
        return error;
    }

    const qint64 pid = runningPostmaster(m_options.dataDirectory);
    if (pid <= 0) {
        QFile::remove(m_options.dataDirectory + u"/postmaster.pid"_s);
        removeStaleSocket();
        return {};
    }
    const int seconds = qMax(1, m_options.stopTimeoutMs / 1000);
    const QString controlLog = m_options.logFile + u".pg_ctl"_s;
    error = run(m_options.programs.program(u"pg_ctl"_s),
        { u"stop"_s, u"-D"_s, m_options.dataDirectory, u"-m"_s, u"fast"_s, u"-w"_s, u"-t"_s,
            QString::number(seconds), u"-s"_s },
        controlLog, m_options.account, m_options.stopTimeoutMs + 10000);
    QFile::remove(controlLog);
    if (!waitGone(pid, nowMs() + 2000)) {
        // pg_ctl timed out (or is missing): immediate shutdown, then kill.
        for (int sig : { SIGQUIT, SIGKILL }) {
            ::kill(pid_t(pid), sig);
            if (waitGone(pid, nowMs() + 10000))
                break;
        }
    }
    if (processAlive(pid))
        return u"the PostgreSQL server (pid %1) did not stop: %2"_s.arg(pid).arg(error);
    QFile::remove(m_options.dataDirectory + u"/postmaster.pid"_s);
    removeStaleSocket();
    m_detachedPid = -1;
    return {};
}

} // namespace qc::db
