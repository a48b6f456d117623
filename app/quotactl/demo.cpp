// quotactl demo: the embedded demo environment (docs/demo.md) — a private PostgreSQL cluster
// with history, live traffic from `quotactl loadgen` and `quotactl alerts evaluate` — started,
// inspected, stopped and reset without the console.

#include "command.h"
#include "demoenvironment.h"
#include "demosupervisor.h"
#include "policy/policyjson.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLocale>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace Qt::StringLiterals;

namespace qc::cli {

namespace {

using namespace demo;

volatile sig_atomic_t g_interrupted = 0;

extern "C" void onDemoStartInterrupt(int)
{
    g_interrupted = 1;
}

QString subcommandUsage()
{
    return u"Usage: quotactl demo <subcommand> [options]\n\n"
           u"The embedded demo (docs/demo.md): a private PostgreSQL cluster under\n"
           u"$XDG_DATA_HOME/quota-console/demo with 30 days of history, live traffic and the "
           u"alert\n"
           u"evaluator. quota-console --demo opens the console on it.\n\n"
           u"Subcommands:\n"
           u"  start [--foreground] [options]   Starts the demo (in the background unless "
           u"--foreground).\n"
           u"  status [--json]                  Says what runs: cluster, loadgen, evaluator, "
           u"sizes, times.\n"
           u"  stop                             Stops everything the demo started.\n"
           u"  reset                            Stops the demo and deletes its data.\n\n"
           u"Run 'quotactl demo <subcommand> --help' for details.\n"_s;
}

QString megabytes(qint64 bytes)
{
    return QLocale(QLocale::English).toString(double(bytes) / 1e6, 'f', 1) % u" MB"_s;
}

QString orDash(const QJsonValue& value)
{
    return value.isString() && !value.toString().isEmpty() ? value.toString() : u"-"_s;
}

QString statusText(const QJsonObject& s)
{
    const QString state = s.value(u"state"_s).toString();
    QString text = u"Quota Console demo: "_s % state;
    if (s.contains(u"supervisor_pid"_s))
        text += u" (supervisor pid "_s % QString::number(s.value(u"supervisor_pid"_s).toInteger())
            % (s.contains(u"step"_s) ? u", step "_s % s.value(u"step"_s).toString() : QString())
            % u')';
    text += u'\n';
    const auto line = [&text](const QString& label, const QString& value) {
        text += u"  "_s % label.leftJustified(12) % value % u'\n';
    };
    line(u"directory"_s, s.value(u"directory"_s).toString());
    const QJsonObject cluster = s.value(u"cluster"_s).toObject();
    QString pg = cluster.value(u"running"_s).toBool()
        ? u"running, pid "_s % QString::number(cluster.value(u"pid"_s).toInteger())
        : u"not running"_s;
    pg += u", socket "_s % cluster.value(u"socket"_s).toString()
        % (cluster.value(u"socket_exists"_s).toBool() ? QString() : u" (absent)"_s);
    line(u"PostgreSQL"_s, pg);
    if (s.value(u"created"_s).toBool()) {
        line(QString(),
            u"PostgreSQL "_s % orDash(cluster.value(u"postgres_version"_s)) % u", data "_s
                % megabytes(cluster.value(u"data_bytes"_s).toInteger()) % u" in "_s
                % cluster.value(u"data_directory"_s).toString());
        line(u"database"_s, u"psql \""_s % s.value(u"conninfo"_s).toString() % u'"');
    }
    const QJsonObject loadgen = s.value(u"loadgen"_s).toObject();
    if (loadgen.value(u"running"_s).toBool())
        line(u"loadgen"_s,
            u"running, pid "_s % QString::number(loadgen.value(u"pid"_s).toInteger())
                % u", metrics "_s % orDash(loadgen.value(u"metrics_url"_s)));
    else
        line(u"loadgen"_s,
            u"not running"_s
                % (loadgen.contains(u"exit"_s)
                        ? u" (ended: "_s % loadgen.value(u"exit"_s).toString() % u')'
                        : QString()));
    const QJsonObject evaluator = s.value(u"evaluator"_s).toObject();
    if (evaluator.value(u"running"_s).toBool())
        line(u"evaluator"_s,
            u"running, pid "_s % QString::number(evaluator.value(u"pid"_s).toInteger()));
    else
        line(u"evaluator"_s,
            u"not running"_s
                % (evaluator.contains(u"exit"_s)
                        ? u" (ended: "_s % evaluator.value(u"exit"_s).toString() % u')'
                        : QString()));
    const QJsonObject backfill = s.value(u"backfill"_s).toObject();
    if (!backfill.value(u"completed_at"_s).toString().isEmpty())
        line(u"history"_s,
            backfill.value(u"length"_s).toString() % u" backfilled at "_s
                % backfill.value(u"completed_at"_s).toString() % u", "_s
                % QString::number(s.value(u"users"_s).toInt()) % u" users"_s);
    if (s.contains(u"last_start"_s))
        line(u"last start"_s, orDash(s.value(u"last_start"_s)));
    if (s.contains(u"last_stop"_s))
        line(u"last stop"_s, orDash(s.value(u"last_stop"_s)));
    if (state == u"left running"_s)
        text += u"Its supervisor is gone; 'quotactl demo stop' stops what is left.\n"_s;
    return text;
}

// ---------------------------------------------------------------------------------------------
// demo start

struct StartCommand {
    StartOptions options;
    bool foreground = false;
    int waitTimeoutMs = 15 * 60 * 1000;
};

std::optional<int> parseStart(const QStringList& arguments, StartCommand& out)
{
    ArgumentParser args(u"demo start"_s, u"[--foreground] [options]"_s,
        u"Starts the demo: a private PostgreSQL cluster (unix socket only, in a 0700 directory; "
        u"as root\nthe server runs as the account postgres), the migrations, the default "
        u"policy's plans, users on\nall plans, --backfill of history, live traffic "
        u"(quotactl loadgen) with the scenarios scheduled\nover the first minutes, and the alert "
        u"evaluator (quotactl alerts evaluate). A second start reuses\nthe cluster and its "
        u"history. Without --foreground the demo runs in the background and start\nreturns when "
        u"it is ready; with it, start runs it until Ctrl-C (SIGINT/SIGTERM) and then stops\n"
        u"everything. Exit status: 0 ready (or already running), 1 failed, 2 usage."_s);
    const QCommandLineOption foreground(
        u"foreground"_s, u"Run in this process until interrupted, then stop everything."_s);
    const QCommandLineOption pgBindir(u"pg-bindir"_s,
        u"Directory of the PostgreSQL server programs (default: $QC_PG_BINDIR, "
        u"/usr/lib/postgresql/15/bin, pg_config --bindir)."_s,
        u"DIR"_s);
    const QCommandLineOption backfill(
        u"backfill"_s, u"History to load on the first start (default 30d)."_s, u"D"_s);
    const QCommandLineOption perDay(
        u"backfill-per-day"_s, u"Mean requests per day of the history (default 30000)."_s, u"N"_s);
    const QCommandLineOption users(u"users"_s, u"Users on all plans (default 3000)."_s, u"N"_s);
    const QCommandLineOption seed(u"seed"_s, u"Seed of the population (default 1)."_s, u"N"_s);
    const QCommandLineOption rate(u"rate"_s,
        u"Requests per second of normal live traffic (default 2; the scenarios add theirs)."_s,
        u"R"_s);
    const QCommandLineOption metricsPort(u"metrics-port"_s,
        u"Port of loadgen's metrics endpoint on 127.0.0.1 (default 0: a free one)."_s, u"PORT"_s);
    const QCommandLineOption scenario(u"scenario"_s,
        u"A loadgen scenario NAME@OFFSET[:DURATION[:RATE]] instead of the demo's schedule "
        u"(repeatable)."_s,
        u"S"_s);
    const QCommandLineOption noScenarios(
        u"no-scenarios"_s, u"Normal traffic only, no scheduled scenarios."_s);
    const QCommandLineOption interval(u"evaluator-interval"_s,
        u"How often the alert evaluator evaluates (default 15s)."_s, u"D"_s);
    const QCommandLineOption timeout(u"timeout"_s,
        u"Give up when the background start reports nothing for this long (default 15m)."_s,
        u"D"_s);
    const QCommandLineOption progressFd(u"progress-fd"_s,
        u"With --foreground: write progress events as JSON lines to descriptor FD."_s, u"FD"_s);
    const QCommandLineOption parentPid(u"parent-pid"_s,
        u"With --foreground: stop the demo when process PID ends (quota-console)."_s, u"PID"_s);
    for (const QCommandLineOption* o :
        { &foreground, &pgBindir, &backfill, &perDay, &users, &seed, &rate, &metricsPort, &scenario,
            &noScenarios, &interval, &timeout, &progressFd, &parentPid })
        args.addOption(*o);
    if (const auto exit = args.parse(arguments))
        return exit;
    QCommandLineParser& p = args.parser();
    if (!p.positionalArguments().isEmpty())
        return args.usageError(
            u"unexpected argument '"_s % p.positionalArguments().constFirst() % u'\'');
    StartOptions& o = out.options;
    out.foreground = p.isSet(foreground);
    o.pgBindir = p.value(pgBindir);
    const auto duration
        = [&](const QCommandLineOption& option, qint64 max) -> std::optional<qint64> {
        const auto ms = policy::parseDuration(p.value(option));
        if (!ms || *ms <= 0 || *ms > max)
            return std::nullopt;
        return ms;
    };
    if (p.isSet(backfill)) {
        if (!duration(backfill, 400LL * 86400000))
            return args.usageError(u"--backfill '"_s % p.value(backfill)
                % u"' is not a duration of up to 400 days; use e.g. 1d, 30d"_s);
        o.backfill = p.value(backfill);
        o.backfillGiven = true;
    }
    const auto number
        = [&](const QCommandLineOption& option, double min, double max, double* target) {
              bool ok = false;
              const double v = p.value(option).toDouble(&ok);
              if (!ok || v < min || v > max)
                  return false;
              *target = v;
              return true;
          };
    double value = 0;
    if (p.isSet(perDay)) {
        if (!number(perDay, 1, 1e8, &o.backfillPerDay))
            return args.usageError(u"--backfill-per-day '"_s % p.value(perDay)
                % u"' is not a number of requests from 1 to 100000000"_s);
    }
    if (p.isSet(users)) {
        if (!number(users, 1, 10000000, &value) || value != std::floor(value))
            return args.usageError(
                u"--users '"_s % p.value(users) % u"' is not a whole number from 1 to 10000000"_s);
        o.users = int(value);
        o.usersGiven = true;
    }
    if (p.isSet(seed)) {
        bool ok = false;
        o.seed = p.value(seed).toULongLong(&ok);
        if (!ok)
            return args.usageError(
                u"--seed '"_s % p.value(seed) % u"' is not a non-negative integer"_s);
    }
    if (p.isSet(rate) && !number(rate, 0.1, 100000, &o.rate))
        return args.usageError(u"--rate '"_s % p.value(rate)
            % u"' is not a number of requests per second from 0.1 to 100000"_s);
    if (p.isSet(metricsPort)) {
        if (!number(metricsPort, 0, 65535, &value) || value != std::floor(value))
            return args.usageError(
                u"--metrics-port '"_s % p.value(metricsPort) % u"' is not a port (0 to 65535)"_s);
        o.metricsPort = int(value);
    }
    o.scenarios = p.values(scenario);
    o.defaultScenarios = !p.isSet(noScenarios);
    if (p.isSet(interval)) {
        if (!duration(interval, 3600000))
            return args.usageError(u"--evaluator-interval '"_s % p.value(interval)
                % u"' is not a duration; use e.g. 15s, 1m"_s);
        o.evaluatorInterval = p.value(interval);
    }
    if (p.isSet(timeout)) {
        const auto ms = duration(timeout, 24LL * 3600000);
        if (!ms)
            return args.usageError(
                u"--timeout '"_s % p.value(timeout) % u"' is not a duration; use e.g. 15m"_s);
        out.waitTimeoutMs = int(*ms);
    }
    if ((p.isSet(progressFd) || p.isSet(parentPid)) && !out.foreground)
        return args.usageError(u"--progress-fd and --parent-pid go with --foreground"_s);
    if (p.isSet(progressFd)) {
        bool ok = false;
        o.progressFd = p.value(progressFd).toInt(&ok);
        if (!ok || o.progressFd < 1 || ::fcntl(o.progressFd, F_GETFD) < 0)
            return args.usageError(
                u"--progress-fd '"_s % p.value(progressFd) % u"' is not an open descriptor"_s);
        if (o.progressFd > 2) // the children must not hold it open
            ::fcntl(o.progressFd, F_SETFD, FD_CLOEXEC);
    }
    if (p.isSet(parentPid)) {
        bool ok = false;
        o.parentPid = p.value(parentPid).toLongLong(&ok);
        if (!ok || o.parentPid <= 0)
            return args.usageError(u"--parent-pid '"_s % p.value(parentPid) % u"' is not a pid"_s);
    }
    return std::nullopt;
}

// Starts `quotactl demo start --foreground --progress-fd 3 ...` in a session of its own, its
// output in logs/supervisor.log, and relays its progress until it is ready or fails.
int startInBackground(const QStringList& arguments, const StartCommand& command)
{
    const DemoEnvironment env = DemoEnvironment::locate();
    if (QString error = env.createDirectories(); !error.isEmpty()) {
        printCommandError(u"demo start"_s, error);
        return ExitFailure;
    }
    if (env.supervisorPid() > 0) {
        printOut(u"The demo is already running.\n"_s % statusText(env.status()));
        return ExitOk;
    }
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        printCommandError(u"demo start"_s, u"cannot create a pipe"_s);
        return ExitFailure;
    }
    std::vector<QByteArray> argBytes { QFile::encodeName(QCoreApplication::applicationFilePath()),
        "demo", "start", "--foreground", "--progress-fd", "3" };
    for (const QString& a : arguments)
        argBytes.push_back(a.toLocal8Bit());
    std::vector<char*> argv;
    for (QByteArray& a : argBytes)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    const QByteArray log = QFile::encodeName(env.logFile(u"supervisor"_s));

    const pid_t pid = ::fork();
    if (pid < 0) {
        printCommandError(u"demo start"_s, u"cannot fork"_s);
        return ExitFailure;
    }
    if (pid == 0) {
        ::setsid();
        const int out = ::open(log.constData(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        const int in = ::open("/dev/null", O_RDONLY);
        if (out >= 0) {
            ::dup2(out, STDOUT_FILENO);
            ::dup2(out, STDERR_FILENO);
        }
        if (in >= 0)
            ::dup2(in, STDIN_FILENO);
        ::dup2(fds[1], 3);
#ifdef SYS_close_range
        if (::syscall(SYS_close_range, 4U, ~0U, 0U) != 0)
#endif
            for (int fd = 4; fd < 4096; ++fd)
                ::close(fd);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(fds[1]);

    struct sigaction action { };
    action.sa_handler = onDemoStartInterrupt;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);

    QByteArray buffer;
    QElapsedTimer quiet;
    quiet.start();
    bool forwarded = false;
    int result = -1;
    while (result < 0) {
        if (g_interrupted && !forwarded) {
            ::kill(pid, SIGTERM);
            forwarded = true;
            printError(u"quotactl demo: stopping the demo that was starting\n"_s);
        }
        pollfd pfd { fds[0], POLLIN, 0 };
        const int ready = ::poll(&pfd, 1, 250);
        if (ready < 0 && errno != EINTR)
            break;
        if (ready <= 0) {
            if (quiet.elapsed() > command.waitTimeoutMs) {
                printCommandError(u"demo start"_s,
                    u"the demo reported nothing for %1 s and is being stopped; see %2"_s.arg(
                        QString::number(command.waitTimeoutMs / 1000),
                        env.logFile(u"supervisor"_s)));
                ::kill(pid, SIGTERM);
                forwarded = true;
                quiet.restart();
            }
            continue;
        }
        char chunk[4096];
        const ssize_t n = ::read(fds[0], chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; // the supervisor closed its end: it is gone, or ready
        quiet.restart();
        buffer.append(chunk, n);
        qsizetype newline;
        while (result < 0 && (newline = buffer.indexOf('\n')) >= 0) {
            const QJsonObject event = QJsonDocument::fromJson(buffer.left(newline)).object();
            buffer.remove(0, newline + 1);
            const QString kind = event.value(u"event"_s).toString();
            if (kind == u"step"_s) {
                printError(u"quotactl demo: "_s % describeEvent(event) % u'\n');
            } else if (kind == u"ready"_s) {
                printOut(statusText(event.value(u"status"_s).toObject())
                    % u"Open the console on it with: quota-console --demo\n"_s);
                result = ExitOk;
            } else if (kind == u"already_running"_s) {
                printOut(u"The demo is already running.\n"_s
                    % statusText(event.value(u"status"_s).toObject()));
                result = ExitOk;
            } else if (kind == u"error"_s || kind == u"stopped"_s) {
                printCommandError(u"demo start"_s, event.value(u"message"_s).toString());
                result = ExitFailure;
            }
        }
    }
    ::close(fds[0]);
    if (result < 0) {
        int status = 0;
        ::waitpid(pid, &status, WNOHANG);
        printCommandError(u"demo start"_s,
            u"the demo ended before it was ready; its log %1 ends with:\n%2"_s.arg(
                env.logFile(u"supervisor"_s),
                db::LocalCluster::lastLines(env.logFile(u"supervisor"_s), 15)));
        result = ExitFailure;
    }
    // A failed start stops everything before it reports; wait until it has let go.
    if (result == ExitFailure) {
        for (int i = 0; i < 6000 && env.supervisorPid() > 0; ++i)
            ::usleep(10000);
    }
    return result;
}

int runStart(const QStringList& arguments)
{
    StartCommand command;
    if (const auto exit = parseStart(arguments, command))
        return *exit;
    if (command.foreground)
        return runSupervisor(command.options);
    return startInBackground(arguments, command);
}

// ---------------------------------------------------------------------------------------------
// demo stop / status / reset

// Stops the supervisor (which stops its children and the cluster), then whatever is left.
int stopDemo(const QString& command, bool quietWhenNotRunning = false)
{
    const DemoEnvironment env = DemoEnvironment::locate();
    QStringList stopped;
    const qint64 supervisor = env.supervisorPid();
    if (supervisor > 0) {
        const ProcessRecord record = ProcessRecord::of(supervisor);
        ::kill(pid_t(supervisor), SIGTERM);
        // Its children get 15 s each, the cluster 30 s: more than a minute is a hang.
        for (int i = 0; i < 9000 && record.alive(); ++i)
            ::usleep(10000);
        if (record.alive()) {
            printCommandError(command,
                u"the demo supervisor (pid %1) did not stop within 90 s; killing it"_s.arg(
                    supervisor));
            ::kill(pid_t(supervisor), SIGKILL);
            for (int i = 0; i < 500 && record.alive(); ++i)
                ::usleep(10000);
        }
        stopped << u"the demo (supervisor pid %1)"_s.arg(supervisor);
    }
    if (QString error = env.stopLeftovers(&stopped); !error.isEmpty()) {
        printCommandError(command, error);
        return ExitFailure;
    }
    if (stopped.isEmpty()) {
        if (!quietWhenNotRunning)
            printOut(u"The demo is not running.\n"_s);
        return ExitOk;
    }
    if (supervisor <= 0) {
        // Nobody recorded the stop.
        if (std::optional<DemoState> state = env.readState()) {
            state->lastStop = QDateTime::currentDateTimeUtc();
            env.writeState(*state);
        }
    }
    printOut(u"Stopped "_s % stopped.join(u", "_s) % u".\n"_s);
    return ExitOk;
}

int runStop(const QStringList& arguments)
{
    ArgumentParser args(u"demo stop"_s, QString(),
        u"Stops the demo: loadgen and the alert evaluator (SIGTERM, then SIGKILL after 15 s), "
        u"then\nPostgreSQL (pg_ctl stop -m fast). Also stops what a crashed demo left running "
        u"and removes\nstale pid files and sockets. Exit status: 0 stopped or not running, 1 "
        u"something did not stop."_s);
    if (const auto exit = args.parse(arguments))
        return *exit;
    if (!args.parser().positionalArguments().isEmpty())
        return args.usageError(
            u"unexpected argument '"_s % args.parser().positionalArguments().constFirst() % u'\'');
    return stopDemo(u"demo stop"_s);
}

int runStatus(const QStringList& arguments)
{
    ArgumentParser args(u"demo status"_s, u"[--json]"_s,
        u"Says what the demo runs: its supervisor, the PostgreSQL cluster (pid, socket, data "
        u"size),\nloadgen (pid, metrics URL), the alert evaluator, the last start and stop.\n"
        u"Exit status: 0 running, 1 left running without its supervisor (run 'quotactl demo "
        u"stop'),\n3 not running."_s);
    const QCommandLineOption json(u"json"_s, u"One JSON object (docs/demo.md)."_s);
    args.addOption(json);
    if (const auto exit = args.parse(arguments))
        return *exit;
    if (!args.parser().positionalArguments().isEmpty())
        return args.usageError(
            u"unexpected argument '"_s % args.parser().positionalArguments().constFirst() % u'\'');
    const QJsonObject status = DemoEnvironment::locate().status();
    if (args.parser().isSet(json))
        printOut(QString::fromUtf8(QJsonDocument(status).toJson(QJsonDocument::Indented)));
    else
        printOut(statusText(status));
    const QString state = status.value(u"state"_s).toString();
    if (status.value(u"running"_s).toBool())
        return ExitOk;
    return state == u"left running"_s ? ExitFailure : 3;
}

int runReset(const QStringList& arguments)
{
    ArgumentParser args(u"demo reset"_s, QString(),
        u"Stops the demo and deletes all of its data (the cluster, its history, logs); the next "
        u"start\ncreates it anew."_s);
    if (const auto exit = args.parse(arguments))
        return *exit;
    if (!args.parser().positionalArguments().isEmpty())
        return args.usageError(
            u"unexpected argument '"_s % args.parser().positionalArguments().constFirst() % u'\'');
    if (const int stopped = stopDemo(u"demo reset"_s, true); stopped != ExitOk)
        return stopped;
    const DemoEnvironment env = DemoEnvironment::locate();
    QStringList removed;
    for (const QString& dir : { env.clusterDirectory(), env.directory() }) {
        if (!QFileInfo::exists(dir))
            continue;
        if (!QDir(dir).removeRecursively()) {
            printCommandError(u"demo reset"_s, u"cannot remove everything in "_s % dir);
            return ExitFailure;
        }
        removed << dir;
    }
    if (env.clusterOutsideDemoDirectory())
        QDir().rmdir(QFileInfo(env.clusterDirectory()).absolutePath()); // when empty
    printOut(removed.isEmpty() ? u"There was no demo to reset.\n"_s
                               : u"Removed "_s % removed.join(u" and "_s) % u".\n"_s);
    return ExitOk;
}

int runDemo(const QStringList& arguments)
{
    return runSubcommand(u"demo"_s, subcommandUsage(),
        { { u"start", &runStart }, { u"status", &runStatus }, { u"stop", &runStop },
            { u"reset", &runReset } },
        arguments);
}

} // namespace

const Command demoCommand { "demo",
    "Starts, inspects, stops or resets the embedded demo environment.", &runDemo };

} // namespace qc::cli
