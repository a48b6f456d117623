#include "demoenvironment.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLockFile>
#include <QSaveFile>
#include <QStandardPaths>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace qc::cli::demo {

namespace {

qint64 readStartTicks(qint64 pid)
{
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray text = stat.readAll();
    const qsizetype close = text.lastIndexOf(')');
    if (close < 0)
        return -1;
    // Fields after the command: state is field 3, starttime field 22.
    const QList<QByteArray> fields = text.mid(close + 2).split(' ');
    if (fields.size() < 20)
        return -1;
    if (fields.at(0) == "Z")
        return -1; // a zombie: gone for every purpose but its parent's
    return fields.at(19).toLongLong();
}

QJsonObject readJsonFile(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error && file.exists())
            *error = u"cannot read %1: %2"_s.arg(path, file.errorString());
        return {};
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!document.isObject()) {
        if (error)
            *error = u"%1 is not a JSON object (%2); remove it or run 'quotactl demo reset'"_s.arg(
                path, parseError.errorString());
        return {};
    }
    return document.object();
}

QString writeJsonFile(const QString& path, const QJsonObject& object)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)
        || file.write(QJsonDocument(object).toJson(QJsonDocument::Indented)) < 0 || !file.commit())
        return u"cannot write %1: %2"_s.arg(path, file.errorString());
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    return {};
}

QDateTime timeFrom(const QJsonValue& value)
{
    return value.isString() ? QDateTime::fromString(value.toString(), Qt::ISODateWithMs)
                            : QDateTime();
}

QJsonValue timeValue(const QDateTime& time)
{
    return time.isValid() ? QJsonValue(isoTime(time)) : QJsonValue();
}

bool makePrivateDirectory(const QString& path)
{
    if (!QDir().mkpath(path))
        return false;
    return ::chmod(QFile::encodeName(path).constData(), 0700) == 0;
}

} // namespace

QString isoTime(const QDateTime& time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

ProcessRecord ProcessRecord::of(qint64 pid)
{
    return { pid, readStartTicks(pid) };
}

bool ProcessRecord::alive() const
{
    if (pid <= 0)
        return false;
    const qint64 ticks = readStartTicks(pid);
    return ticks >= 0 && (startTicks < 0 || ticks == startTicks);
}

QJsonObject ProcessRecord::toJson() const
{
    return { { u"pid"_s, pid }, { u"start_ticks"_s, startTicks } };
}

ProcessRecord ProcessRecord::fromJson(const QJsonObject& object)
{
    return { object.value(u"pid"_s).toInteger(-1), object.value(u"start_ticks"_s).toInteger(-1) };
}

QJsonObject DemoState::toJson() const
{
    return { { u"format"_s, 1 }, { u"created_at"_s, timeValue(createdAt) },
        { u"postgres_version"_s, postgresVersion }, { u"seed"_s, QString::number(seed) },
        { u"users"_s, users },
        { u"backfill"_s,
            QJsonObject { { u"length"_s, backfillLength }, { u"per_day"_s, backfillPerDay },
                { u"completed_at"_s, timeValue(backfillCompletedAt) } } },
        { u"policy_version"_s, policyVersion }, { u"last_start"_s, timeValue(lastStart) },
        { u"last_stop"_s, timeValue(lastStop) }, { u"starts"_s, starts } };
}

DemoState DemoState::fromJson(const QJsonObject& object)
{
    DemoState s;
    s.createdAt = timeFrom(object.value(u"created_at"_s));
    s.postgresVersion = object.value(u"postgres_version"_s).toString();
    s.seed = object.value(u"seed"_s).toString().toULongLong();
    s.users = object.value(u"users"_s).toInt();
    const QJsonObject backfill = object.value(u"backfill"_s).toObject();
    s.backfillLength = backfill.value(u"length"_s).toString();
    s.backfillPerDay = backfill.value(u"per_day"_s).toDouble();
    s.backfillCompletedAt = timeFrom(backfill.value(u"completed_at"_s));
    s.policyVersion = object.value(u"policy_version"_s).toInteger();
    s.lastStart = timeFrom(object.value(u"last_start"_s));
    s.lastStop = timeFrom(object.value(u"last_stop"_s));
    s.starts = object.value(u"starts"_s).toInt();
    return s;
}

QJsonObject RunRecord::toJson() const
{
    return { { u"state"_s, state }, { u"step"_s, step }, { u"supervisor"_s, supervisor.toJson() },
        { u"loadgen"_s, loadgen.toJson() }, { u"evaluator"_s, evaluator.toJson() },
        { u"metrics_url"_s, metricsUrl }, { u"loadgen_exit"_s, loadgenExit },
        { u"evaluator_exit"_s, evaluatorExit }, { u"started_at"_s, timeValue(startedAt) } };
}

RunRecord RunRecord::fromJson(const QJsonObject& object)
{
    RunRecord r;
    r.state = object.value(u"state"_s).toString();
    r.step = object.value(u"step"_s).toString();
    r.supervisor = ProcessRecord::fromJson(object.value(u"supervisor"_s).toObject());
    r.loadgen = ProcessRecord::fromJson(object.value(u"loadgen"_s).toObject());
    r.evaluator = ProcessRecord::fromJson(object.value(u"evaluator"_s).toObject());
    r.metricsUrl = object.value(u"metrics_url"_s).toString();
    r.loadgenExit = object.value(u"loadgen_exit"_s).toString();
    r.evaluatorExit = object.value(u"evaluator_exit"_s).toString();
    r.startedAt = timeFrom(object.value(u"started_at"_s));
    return r;
}

DemoEnvironment DemoEnvironment::locate()
{
    DemoEnvironment env;
    // QStandardPaths follows $XDG_DATA_HOME (default ~/.local/share).
    env.m_directory
        = QDir::cleanPath(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
            + u"/quota-console/demo"_s);
    if (::geteuid() == 0) {
        // The server account cannot enter root's home (0700).
        const QByteArray hash = QCryptographicHash::hash(
            QFile::encodeName(env.m_directory), QCryptographicHash::Sha256)
                                    .toHex()
                                    .left(12);
        env.m_clusterDirectory = u"/var/lib/quota-console/demo-"_s + QString::fromLatin1(hash);
        env.m_clusterOutside = true;
    } else {
        env.m_clusterDirectory = env.m_directory + u"/pg"_s;
    }
    return env;
}

QString DemoEnvironment::createDirectories() const
{
    for (const QString& dir : { m_directory, logDirectory() }) {
        if (!makePrivateDirectory(dir))
            return u"cannot create the directory %1 (mode 0700): %2"_s.arg(
                dir, QString::fromLocal8Bit(std::strerror(errno)));
    }
    return {};
}

QString DemoEnvironment::createClusterDirectory(const db::ServerAccount& account) const
{
    if (m_clusterOutside) {
        const QString parent = QFileInfo(m_clusterDirectory).absolutePath();
        if (!QDir().mkpath(parent) || ::chmod(QFile::encodeName(parent).constData(), 0755) != 0)
            return u"cannot create %1: %2"_s.arg(
                parent, QString::fromLocal8Bit(std::strerror(errno)));
    }
    if (!makePrivateDirectory(m_clusterDirectory))
        return u"cannot create the cluster directory %1 (mode 0700): %2"_s.arg(
            m_clusterDirectory, QString::fromLocal8Bit(std::strerror(errno)));
    if (QString error = db::LocalCluster::giveTo(m_clusterDirectory, account); !error.isEmpty())
        return error;
    if (m_clusterOutside) {
        const QString link = m_directory + u"/pg"_s;
        if (QFileInfo(link).symLinkTarget() != m_clusterDirectory) {
            QFile::remove(link);
            if (!QFile::link(m_clusterDirectory, link))
                return u"cannot create the symbolic link %1 -> %2"_s.arg(link, m_clusterDirectory);
        }
    }
    if (!db::LocalCluster::accountCanEnter(account, m_clusterDirectory))
        return u"the account %1 that runs PostgreSQL cannot enter %2; give it access or set "
               u"XDG_DATA_HOME to a directory it can reach"_s.arg(account.name, m_clusterDirectory);
    return {};
}

std::optional<DemoState> DemoEnvironment::readState(QString* error) const
{
    if (!QFileInfo::exists(stateFile()))
        return std::nullopt;
    QString failure;
    const QJsonObject object = readJsonFile(stateFile(), &failure);
    if (!failure.isEmpty()) {
        if (error)
            *error = failure;
        return std::nullopt;
    }
    return DemoState::fromJson(object);
}

QString DemoEnvironment::writeState(const DemoState& state) const
{
    return writeJsonFile(stateFile(), state.toJson());
}

std::optional<RunRecord> DemoEnvironment::readRun() const
{
    if (!QFileInfo::exists(runFile()))
        return std::nullopt;
    QString error;
    const QJsonObject object = readJsonFile(runFile(), &error);
    if (!error.isEmpty())
        return RunRecord {};
    return RunRecord::fromJson(object);
}

QString DemoEnvironment::writeRun(const RunRecord& record) const
{
    return writeJsonFile(runFile(), record.toJson());
}

void DemoEnvironment::removeRun() const
{
    QFile::remove(runFile());
}

qint64 DemoEnvironment::supervisorPid() const
{
    if (!QFileInfo::exists(lockFile()))
        return -1;
    QLockFile lock(lockFile());
    qint64 pid = -1;
    QString host, application;
    if (!lock.getLockInfo(&pid, &host, &application))
        return -1;
    if (pid <= 0 || (::kill(pid_t(pid), 0) != 0 && errno == ESRCH))
        return -1;
    if (ProcessRecord::of(pid).startTicks < 0)
        return -1;
    // After a crash the pid may belong to another program by now.
    QFile comm(u"/proc/%1/comm"_s.arg(pid));
    if (comm.open(QIODevice::ReadOnly) && !comm.readAll().startsWith("quotactl"))
        return -1;
    return pid;
}

QString DemoEnvironment::conninfo(const QString& user, const QString& database) const
{
    return u"host=%1 port=%2 dbname=%3 user=%4"_s.arg(db::conninfoQuote(socketDirectory()),
        QString::number(kPort), db::conninfoQuote(database), db::conninfoQuote(user));
}

db::LocalCluster::Options DemoEnvironment::clusterOptions(
    const db::ServerPrograms& programs, const db::ServerAccount& account) const
{
    db::LocalCluster::Options options;
    options.programs = programs;
    options.account = account;
    options.dataDirectory = dataDirectory();
    options.socketDirectory = socketDirectory();
    options.logFile = serverLog();
    options.port = kPort;
    options.lifetime = db::LocalCluster::Lifetime::Detached;
    options.startTimeoutMs = 60000;
    options.stopTimeoutMs = 30000;
    options.settings = {
        u"listen_addresses="_s, // unix socket only
        u"unix_socket_permissions=0700"_s,
        u"TimeZone=UTC"_s,
        u"max_connections=60"_s,
        u"shared_buffers=64MB"_s,
        // No replicas: COPY into a day partition created in the same transaction (the
        // backfill) then writes no WAL, and the WAL stays small.
        u"wal_level=minimal"_s,
        u"max_wal_senders=0"_s,
        u"max_wal_size=256MB"_s,
        // A demo: a crash may lose the last transactions, never corrupt the cluster.
        u"synchronous_commit=off"_s,
        u"log_min_messages=warning"_s,
        u"log_line_prefix=%m [%p] "_s,
    };
    return options;
}

bool stopProcessGroup(const ProcessRecord& record, int timeoutMs)
{
    if (!record.alive())
        return true;
    const pid_t pid = pid_t(record.pid);
    // The children run in process groups of their own (their pid); their own children too.
    for (int sig : { SIGTERM, SIGKILL }) {
        if (::kill(-pid, sig) != 0)
            ::kill(pid, sig);
        const int rounds = (sig == SIGTERM ? timeoutMs : 5000) / 20;
        for (int i = 0; i < rounds && record.alive(); ++i)
            ::usleep(20000);
        if (!record.alive())
            return true;
    }
    return !record.alive();
}

QString DemoEnvironment::stopLeftovers(QStringList* stopped) const
{
    QStringList errors;
    if (const std::optional<RunRecord> run = readRun()) {
        const std::pair<QString, ProcessRecord> children[]
            = { { u"loadgen"_s, run->loadgen }, { u"alert evaluator"_s, run->evaluator } };
        for (const auto& [name, record] : children) {
            if (!record.alive())
                continue;
            if (stopProcessGroup(record, 15000))
                stopped->append(u"%1 (pid %2)"_s.arg(name).arg(record.pid));
            else
                errors << u"%1 (pid %2) did not stop"_s.arg(name).arg(record.pid);
        }
    }
    if (const qint64 pid = db::LocalCluster::runningPostmaster(dataDirectory()); pid > 0) {
        QString accountError;
        const std::optional<db::ServerAccount> account
            = db::LocalCluster::serverAccount({ u"postgres"_s, u"nobody"_s }, &accountError);
        db::LocalCluster cluster(clusterOptions(
            db::LocalCluster::findPrograms(), account.value_or(db::ServerAccount {})));
        if (QString error = cluster.stop(); !error.isEmpty())
            errors << error;
        else
            stopped->append(u"PostgreSQL (pid %1)"_s.arg(pid));
    } else if (QFileInfo::exists(dataDirectory())) {
        // No server: what a killed one left (its pid file, its socket) goes.
        db::LocalCluster cluster(clusterOptions({}, {}));
        cluster.stop();
    }
    if (errors.isEmpty())
        removeRun();
    return errors.join(u"; "_s);
}

qint64 directorySize(const QString& path)
{
    qint64 total = 0;
    QDirIterator it(path, QDir::Files | QDir::Hidden | QDir::NoSymLinks | QDir::System,
        QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        total += it.fileInfo().size();
    }
    return total;
}

QJsonObject DemoEnvironment::status() const
{
    QJsonObject out;
    out.insert(u"environment"_s, u"DEMO"_s);
    out.insert(u"directory"_s, m_directory);
    out.insert(u"cluster_directory"_s, m_clusterDirectory);
    QString stateError;
    const std::optional<DemoState> state = readState(&stateError);
    const bool created = QFileInfo::exists(dataDirectory() + u"/PG_VERSION"_s);
    out.insert(u"created"_s, created);
    if (!stateError.isEmpty())
        out.insert(u"state_error"_s, stateError);

    const qint64 supervisor = supervisorPid();
    const std::optional<RunRecord> run = readRun();
    const qint64 postmaster = db::LocalCluster::runningPostmaster(dataDirectory());
    const bool loadgenAlive = run && run->loadgen.alive();
    const bool evaluatorAlive = run && run->evaluator.alive();

    QString summary;
    if (supervisor > 0)
        summary = run && !run->state.isEmpty() ? run->state : u"starting"_s;
    else if (postmaster > 0 || loadgenAlive || evaluatorAlive)
        summary = u"left running"_s; // its supervisor is gone
    else
        summary = created ? u"stopped"_s : u"not created"_s;
    out.insert(u"state"_s, summary);
    out.insert(u"running"_s, supervisor > 0);
    if (supervisor > 0)
        out.insert(u"supervisor_pid"_s, supervisor);
    if (run && supervisor > 0 && !run->step.isEmpty())
        out.insert(u"step"_s, run->step);

    const QString socket = db::LocalCluster::socketPath(socketDirectory(), kPort);
    QJsonObject cluster { { u"pid"_s, postmaster > 0 ? QJsonValue(postmaster) : QJsonValue() },
        { u"running"_s, postmaster > 0 }, { u"socket"_s, socket },
        { u"socket_exists"_s, !socket.isEmpty() && QFileInfo::exists(socket) },
        { u"data_directory"_s, dataDirectory() }, { u"log"_s, serverLog() },
        { u"data_bytes"_s, created ? directorySize(dataDirectory()) : 0 } };
    if (state)
        cluster.insert(u"postgres_version"_s, state->postgresVersion);
    out.insert(u"cluster"_s, cluster);
    out.insert(u"database"_s, kDatabase);
    out.insert(u"conninfo"_s, conninfo(kAdminRole));
    out.insert(u"superuser_conninfo"_s, conninfo(kSuperuser));

    QJsonObject loadgen { { u"running"_s, loadgenAlive }, { u"log"_s, logFile(u"loadgen"_s) } };
    QJsonObject evaluator { { u"running"_s, evaluatorAlive },
        { u"log"_s, logFile(u"evaluator"_s) } };
    if (run) {
        if (run->loadgen.isSet())
            loadgen.insert(u"pid"_s, run->loadgen.pid);
        if (!run->metricsUrl.isEmpty())
            loadgen.insert(u"metrics_url"_s, run->metricsUrl);
        if (!run->loadgenExit.isEmpty())
            loadgen.insert(u"exit"_s, run->loadgenExit);
        if (run->evaluator.isSet())
            evaluator.insert(u"pid"_s, run->evaluator.pid);
        if (!run->evaluatorExit.isEmpty())
            evaluator.insert(u"exit"_s, run->evaluatorExit);
        if (run->startedAt.isValid())
            out.insert(u"started_at"_s, isoTime(run->startedAt));
    }
    out.insert(u"loadgen"_s, loadgen);
    out.insert(u"evaluator"_s, evaluator);
    if (state) {
        const QJsonObject s = state->toJson();
        for (const QString& key : { u"created_at"_s, u"last_start"_s, u"last_stop"_s, u"starts"_s,
                 u"users"_s, u"backfill"_s, u"policy_version"_s })
            out.insert(key, s.value(key));
    }
    return out;
}

} // namespace qc::cli::demo
