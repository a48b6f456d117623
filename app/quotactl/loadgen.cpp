// quotactl loadgen: live traffic against a quota database, a history backfill, and the
// service metrics on a Prometheus endpoint (docs/loadgen.md).

#include "command.h"
#include "db/connectionstring.h"
#include "live/activepolicy.h"
#include "live/backfill.h"
#include "live/backfillrows.h"
#include "live/livescenario.h"
#include "live/loadgenerator.h"
#include "live/metricsregistry.h"
#include "live/metricsserver.h"
#include "live/pgsession.h"
#include "metrics/quantile.h"
#include "policy/policyjson.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSaveFile>
#include <QSocketNotifier>
#include <QTimer>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <fcntl.h>
#include <thread>
#include <unistd.h>

using namespace Qt::StringLiterals;
namespace ef = qc::enforcement;

namespace qc::cli {

namespace {

const QString kCommand = u"loadgen"_s;

int g_signalPipe[2] = { -1, -1 };

extern "C" void onStopSignal(int signal)
{
    const char byte = char(signal);
    const int saved = errno;
    if (g_signalPipe[1] >= 0) [[maybe_unused]]
        const auto n = ::write(g_signalPipe[1], &byte, 1);
    errno = saved;
}

// SIGINT and SIGTERM become readable bytes on a pipe, watched by the event loop.
bool installStopSignals()
{
    if (::pipe(g_signalPipe) != 0)
        return false;
    for (const int fd : g_signalPipe)
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    struct sigaction action { };
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
    return true;
}

QString count(std::uint64_t n)
{
    return QLocale(QLocale::English).toString(qulonglong(n));
}

QString fixed(double v, int decimals = 1)
{
    return QString::number(v, 'f', decimals);
}

QString durationText(ef::TimeMs ms)
{
    return policy::formatDuration(ms);
}

// The p95 of the checks recorded between two snapshots, in ms (NaN when there were none).
double p95Between(const live::MetricsSnapshot& before, const live::MetricsSnapshot& after)
{
    std::vector<metrics::Bucket> buckets;
    double cumulative = 0;
    for (int i = 0; i < live::kCheckBucketCount; ++i) {
        cumulative
            += double(after.checkBuckets[std::size_t(i)] - before.checkBuckets[std::size_t(i)]);
        buckets.push_back(
            { i < int(live::kCheckBoundsMs.size()) ? live::kCheckBoundsMs[std::size_t(i)]
                                                   : std::numeric_limits<double>::infinity(),
                cumulative });
    }
    return metrics::bucketQuantile(0.95, buckets);
}

struct Parsed {
    live::LoadOptions load;
    std::optional<ef::TimeMs> backfillMs;
    double backfillPerDay = 100000;
    bool backfillOnce = false;
    bool backfillOnly = false;
    bool initPolicy = false;
    bool metrics = true;
    QHostAddress metricsAddress { QHostAddress::LocalHost };
    quint16 metricsPort = 0;
    ef::TimeMs lingerMs = 0;
    QString summaryFile;
    bool quiet = false;
};

QJsonObject toJson(const live::BackfillSummary& s)
{
    return QJsonObject { { u"skipped"_s, s.skipped }, { u"start_ms"_s, double(s.startMs) },
        { u"end_ms"_s, double(s.endMs) }, { u"requests"_s, double(s.requests) },
        { u"denied"_s, double(s.denied) }, { u"days"_s, s.days },
        { u"incidents"_s, double(s.incidents) }, { u"blocks"_s, double(s.blocks) },
        { u"collisions"_s, double(s.collisions) }, { u"usage_rows"_s, double(s.usageRows) },
        { u"counter_rows"_s, double(s.counterRows) }, { u"ledger_rows"_s, double(s.ledgerRows) },
        { u"plan_changes"_s, double(s.planChanges) }, { u"users"_s, double(s.users) },
        { u"seconds"_s, s.seconds }, { u"staging_seconds"_s, s.stagingSeconds },
        { u"commit_seconds"_s, s.commitSeconds }, { u"error"_s, s.error } };
}

QJsonObject toJson(const live::LoadSummary& s)
{
    const live::LoadProgress& p = s.progress;
    return QJsonObject { { u"decided"_s, double(p.decided) }, { u"logged"_s, double(p.logged) },
        { u"unlogged"_s, double(s.unlogged()) }, { u"denied"_s, double(p.denied) },
        { u"fail_open"_s, double(p.failOpen) }, { u"shed"_s, double(p.shed) },
        { u"db_errors"_s, double(p.dbErrors) }, { u"log_retries"_s, double(p.logRetries) },
        { u"incidents"_s, double(p.incidents) }, { u"plan_changes"_s, double(p.planChanges) },
        { u"hiccups"_s, double(p.hiccups) }, { u"seconds"_s, p.seconds },
        { u"connections"_s, s.connections }, { u"error"_s, s.error } };
}

std::optional<int> parseArguments(const QStringList& arguments, Parsed& out)
{
    ArgumentParser args(kCommand, u"[--db CONNINFO] [options]"_s,
        u"Plays the API's quota middleware against a quota database: for each synthetic request "
        u"it calls\nquota.quota_check, handles the request (response time and tokens of the "
        u"generated traffic, cost\nfrom the active policy's cost model), logs it with "
        u"quota.quota_complete and records the metrics\nof DESIGN §3, served for Prometheus on "
        u"127.0.0.1. With --backfill it first writes history through\nthe C++ enforcement core, "
        u"bulk-loaded with COPY. SIGINT or SIGTERM stop it cleanly: requests being\nhandled "
        u"finish and are logged, then it exits 0.\n\n"
        u"Scenarios (--scenario, repeatable, or --schedule FILE) are scheduled from the start of "
        u"the run:\n  NAME@OFFSET[:DURATION[:RATE]], e.g. bot_burst@+2m or cost_spike@+5m:10m:2\n"
        u"with NAME one of normal, bot_burst, buggy_client, cost_spike, plan_change, db_hiccup. "
        u"A schedule\nfile has one 'OFFSET NAME [DURATION [RATE]]' per line. See docs/loadgen.md."
        u"\n\nExit status: 0 done, 1 failed (or decided requests left unlogged), 2 usage."_s);
    const QCommandLineOption db({ u"d"_s, u"db"_s, u"database"_s },
        u"Quota database (URI or keyword/value). Default: $QUOTA_DATABASE_URL, else libpq's "
        u"defaults."_s,
        u"CONNINFO"_s);
    const QCommandLineOption rate(u"rate"_s,
        u"Mean requests per second of normal traffic (default 50), or 'max' for as fast as the "
        u"connections go."_s,
        u"R"_s);
    const QCommandLineOption duration(
        u"duration"_s, u"How long to run, e.g. 30s, 10m (default: until stopped)."_s, u"D"_s);
    const QCommandLineOption connections(u"connections"_s,
        u"Database connections, one worker thread each (default: about one per 100/s)."_s, u"N"_s);
    const QCommandLineOption scenario(u"scenario"_s, u"Adds a scheduled scenario."_s, u"S"_s);
    const QCommandLineOption schedule(
        u"schedule"_s, u"Adds the scenarios of a schedule file."_s, u"FILE"_s);
    const QCommandLineOption seed(
        u"seed"_s, u"Seed of the population (users, plans, addresses); default 1."_s, u"N"_s);
    const QCommandLineOption users(u"users"_s, u"Number of users (default 5000)."_s, u"N"_s);
    const QCommandLineOption ips(
        u"ips"_s, u"Number of client addresses (default 20000)."_s, u"N"_s);
    const QCommandLineOption flat(
        u"flat"_s, u"Constant normal rate instead of following the hour of the day."_s);
    const QCommandLineOption checkTimeout(u"check-timeout"_s,
        u"Query timeout of the quota check; slower checks fail open (default 500ms)."_s, u"D"_s);
    const QCommandLineOption maxLag(u"max-lag"_s,
        u"Requests later than this are dropped as given up by their client (default 2s)."_s,
        u"D"_s);
    const QCommandLineOption metricsPort(u"metrics-port"_s,
        u"Port of the Prometheus endpoint on 127.0.0.1; 0 picks a free one (default). The URL "
        u"is printed as 'metrics: URL' on standard output."_s,
        u"PORT"_s);
    const QCommandLineOption noMetrics(u"no-metrics"_s, u"Serves no metrics endpoint."_s);
    const QCommandLineOption linger(u"linger"_s,
        u"After the traffic ends, keep serving the final metrics this long (e.g. 5s)."_s, u"D"_s);
    const QCommandLineOption backfill(u"backfill"_s,
        u"First write this much history ending now (e.g. 30d) through the C++ core."_s, u"D"_s);
    const QCommandLineOption backfillPerDay(u"backfill-per-day"_s,
        u"Mean normal requests per day of the history (default 100000)."_s, u"N"_s);
    const QCommandLineOption backfillOnce(u"backfill-once"_s,
        u"Skip the backfill (and go on) when the range already holds history."_s);
    const QCommandLineOption backfillOnly(
        u"backfill-only"_s, u"Exit after the backfill; send no live traffic."_s);
    const QCommandLineOption initPolicy(u"init-policy"_s,
        u"When no policy is active, roll out the default policy (audited; needs quota_admin)."_s);
    const QCommandLineOption summary(
        u"summary-json"_s, u"Writes what was done as JSON to FILE at exit."_s, u"FILE"_s);
    const QCommandLineOption quiet(u"quiet"_s, u"No progress lines on standard error."_s);
    for (const QCommandLineOption* o :
        { &db, &rate, &duration, &connections, &scenario, &schedule, &seed, &users, &ips, &flat,
            &checkTimeout, &maxLag, &metricsPort, &noMetrics, &linger, &backfill, &backfillPerDay,
            &backfillOnce, &backfillOnly, &initPolicy, &summary, &quiet })
        args.addOption(*o);
    if (const auto exit = args.parse(arguments))
        return exit;
    QCommandLineParser& p = args.parser();
    if (!p.positionalArguments().isEmpty())
        return args.usageError(
            u"unexpected argument '"_s % p.positionalArguments().constFirst() % u"'"_s);

    out.load.conninfo
        = (p.isSet(db) ? p.value(db) : qEnvironmentVariable("QUOTA_DATABASE_URL")).toStdString();
    const db::ConnectionString connection
        = db::ConnectionString::parse(QString::fromStdString(out.load.conninfo));
    if (!connection.isValid())
        return args.usageError(connection.errorString());

    const auto durationOf = [&](const QCommandLineOption& option, bool allowZero,
                                ef::TimeMs* target) -> std::optional<int> {
        const QString text = p.value(option);
        const auto value
            = text == u"0"_s ? std::optional<ef::TimeMs>(0) : policy::parseDuration(text);
        if (!value || *value < 0 || (*value == 0 && !allowZero))
            return args.usageError(u"--"_s % option.names().constLast() % u" '"_s % text
                % u"' is not a duration; use e.g. 500ms, 30s, 10m, 2h, 30d"_s);
        *target = *value;
        return std::nullopt;
    };
    if (p.isSet(rate)) {
        if (p.value(rate) == u"max"_s) {
            out.load.asFastAsPossible = true;
            out.load.rate = 0;
        } else {
            bool ok = false;
            out.load.rate = p.value(rate).toDouble(&ok);
            if (!ok || out.load.rate < 0 || out.load.rate > 100000)
                return args.usageError(u"--rate '"_s % p.value(rate)
                    % u"' is not a number of requests per second (0 to 100000) or 'max'"_s);
        }
    }
    if (p.isSet(duration)) {
        ef::TimeMs ms = 0;
        if (const auto e = durationOf(duration, false, &ms))
            return e;
        out.load.durationMs = ms;
    }
    const std::pair<const QCommandLineOption*, int*> counts[]
        = { { &connections, &out.load.connections }, { &users, &out.load.users },
              { &ips, &out.load.ips } };
    for (const auto& [option, target] : counts) {
        if (!p.isSet(*option))
            continue;
        bool ok = false;
        *target = p.value(*option).toInt(&ok);
        if (!ok || *target <= 0 || (option == &connections && *target > 256))
            return args.usageError(u"--"_s % option->names().constFirst() % u" '"_s
                % p.value(*option) % u"' is not a positive integer"_s
                % (option == &connections ? u" up to 256"_s : QString()));
    }
    if (p.isSet(seed)) {
        bool ok = false;
        out.load.seed = p.value(seed).toULongLong(&ok);
        if (!ok)
            return args.usageError(
                u"--seed '"_s % p.value(seed) % u"' is not a non-negative integer"_s);
    }
    for (const QString& text : p.values(scenario)) {
        QString error;
        const auto parsed = live::parseLiveScenario(text, &error);
        if (!parsed)
            return args.usageError(u"--scenario '"_s % text % u"': "_s % error);
        out.load.scenarios.append(*parsed);
    }
    for (const QString& file : p.values(schedule)) {
        const live::Schedule read = live::readSchedule(file);
        if (!read.error.isEmpty())
            return args.usageError(read.error);
        out.load.scenarios += read.scenarios;
    }
    out.load.diurnal = !p.isSet(flat);
    if (p.isSet(checkTimeout)) {
        if (const auto e = durationOf(checkTimeout, false, &out.load.checkTimeoutMs))
            return e;
    }
    if (p.isSet(maxLag)) {
        if (const auto e = durationOf(maxLag, false, &out.load.maxLagMs))
            return e;
    }
    if (p.isSet(metricsPort)) {
        bool ok = false;
        const int port = p.value(metricsPort).toInt(&ok);
        if (!ok || port < 0 || port > 65535)
            return args.usageError(
                u"--metrics-port '"_s % p.value(metricsPort) % u"' is not a port (0 to 65535)"_s);
        out.metricsPort = quint16(port);
    }
    out.metrics = !p.isSet(noMetrics);
    if (p.isSet(linger)) {
        if (const auto e = durationOf(linger, true, &out.lingerMs))
            return e;
    }
    if (p.isSet(backfill)) {
        ef::TimeMs ms = 0;
        if (const auto e = durationOf(backfill, false, &ms))
            return e;
        if (ms > 400 * ef::kDay)
            return args.usageError(u"--backfill '"_s % p.value(backfill)
                % u"' is longer than 400 days; request logs are kept per day"_s);
        out.backfillMs = ms;
    }
    if (p.isSet(backfillPerDay)) {
        bool ok = false;
        out.backfillPerDay = p.value(backfillPerDay).toDouble(&ok);
        if (!ok || out.backfillPerDay <= 0 || out.backfillPerDay > 1e8)
            return args.usageError(u"--backfill-per-day '"_s % p.value(backfillPerDay)
                % u"' is not a positive number of requests"_s);
    }
    out.backfillOnce = p.isSet(backfillOnce);
    out.backfillOnly = p.isSet(backfillOnly);
    if ((out.backfillOnce || out.backfillOnly || p.isSet(backfillPerDay)) && !out.backfillMs)
        return args.usageError(u"--backfill-once, --backfill-only and --backfill-per-day need "
                               u"--backfill D"_s);
    if (!out.backfillOnly && !out.load.asFastAsPossible && out.load.rate <= 0) {
        bool traffic = false;
        for (const live::LiveScenario& s : out.load.scenarios)
            traffic = traffic || s.kind != live::LiveScenarioKind::DbHiccup;
        if (!traffic && !out.load.durationMs)
            return args.usageError(u"--rate 0 without traffic scenarios sends nothing; give a "
                                   u"rate, a scenario or --duration"_s);
    }
    out.initPolicy = p.isSet(initPolicy);
    out.summaryFile = p.value(summary);
    out.quiet = p.isSet(quiet);
    return std::nullopt;
}

int runLoadgen(const QStringList& arguments)
{
    Parsed options;
    if (const auto exit = parseArguments(arguments, options))
        return *exit;
    QCoreApplication* app = QCoreApplication::instance();

    if (options.initPolicy) {
        live::PgSession session;
        if (QString e = session.connect(options.load.conninfo, "quotactl loadgen"); !e.isEmpty()) {
            printCommandError(kCommand, u"cannot connect to the quota database: "_s % e);
            return ExitFailure;
        }
        bool installed = false;
        if (QString e = live::ensureActivePolicy(session, &installed); !e.isEmpty()) {
            printCommandError(kCommand, e);
            return ExitFailure;
        }
        if (installed && !options.quiet)
            printError(u"quotactl loadgen: rolled out the default policy\n"_s);
    }

    live::MetricsRegistry registry;
    live::MetricsServer server(&registry);
    if (options.metrics) {
        if (QString e = server.listen(options.metricsAddress, options.metricsPort); !e.isEmpty()) {
            printCommandError(kCommand, u"metrics endpoint: "_s % e);
            return ExitFailure;
        }
        printOut(u"metrics: "_s % server.url().toString() % u'\n');
    }
    if (!installStopSignals()) {
        printCommandError(kCommand, u"cannot install the SIGINT/SIGTERM handlers"_s);
        return ExitFailure;
    }
    QSocketNotifier signals(g_signalPipe[0], QSocketNotifier::Read);

    QJsonObject report;
    int exitCode = ExitOk;
    std::atomic<bool> stopRequested { false };
    std::function<void()> onSignal;
    QObject::connect(&signals, &QSocketNotifier::activated, app, [&] {
        char buffer[16];
        while (::read(g_signalPipe[0], buffer, sizeof buffer) > 0) { }
        if (!stopRequested.exchange(true) && !options.quiet)
            printError(u"quotactl loadgen: stopping; requests being handled finish and are "
                       u"logged\n"_s);
        if (onSignal)
            onSignal();
    });

    // The backfill runs on a thread so that the metrics endpoint answers meanwhile.
    if (options.backfillMs) {
        live::BackfillOptions b;
        b.conninfo = options.load.conninfo;
        b.lengthMs = *options.backfillMs;
        b.requestsPerDay = options.backfillPerDay;
        b.seed = options.load.seed;
        b.users = options.load.users;
        b.ips = options.load.ips;
        b.skipWhenPresent = options.backfillOnce;
        live::BackfillSummary result;
        std::atomic<int> lastReported { -1 };
        std::thread worker([&] {
            live::Backfill backfill(b);
            result = backfill.run(
                [&](int done, int total) {
                    if (options.quiet || done == lastReported.exchange(done))
                        return;
                    printError(u"quotactl loadgen: backfill "_s % QString::number(done) % u'/'
                        % QString::number(total) % u" days loaded\n"_s);
                },
                &stopRequested);
            QMetaObject::invokeMethod(
                app, [app] { app->exit(0); }, Qt::QueuedConnection);
        });
        app->exec();
        worker.join();
        report.insert(u"backfill"_s, toJson(result));
        if (!result.error.isEmpty()) {
            printCommandError(kCommand, u"backfill: "_s % result.error);
            exitCode = ExitFailure;
        } else if (result.skipped) {
            printOut(u"backfill: skipped, the database already has history between "_s
                % QString::fromStdString(live::timestampText(result.startMs)) % u" and "_s
                % QString::fromStdString(live::timestampText(result.endMs)) % u'\n');
        } else {
            printOut(u"backfill: "_s % count(result.requests) % u" requests over "_s
                % QString::number(result.days) % u" days ("_s % durationText(*options.backfillMs)
                % u", "_s
                % fixed(100.0 * double(result.denied)
                    / double(std::max<std::uint64_t>(1, result.requests)))
                % u"% denied) in "_s % fixed(result.seconds) % u" s; "_s % count(result.incidents)
                % u" incidents, "_s % count(result.blocks) % u" auto blocks, "_s
                % count(result.collisions) % u" collisions, "_s % count(result.planChanges)
                % u" plan changes, "_s % count(result.usageRows) % u" quota usage rows, "_s
                % count(result.counterRows) % u" rate counters\n"_s);
            for (const QString& note : result.notes)
                printError(u"quotactl loadgen: backfill: "_s % note % u'\n');
        }
    }

    if (exitCode == ExitOk && !options.backfillOnly && !stopRequested.load()) {
        live::LoadGenerator generator(options.load, &registry);
        if (QString e = generator.start(); !e.isEmpty()) {
            printCommandError(kCommand, e);
            exitCode = ExitFailure;
        } else {
            onSignal = [&generator] { generator.requestStop(); };
            generator.setFinishedCallback([app] {
                QMetaObject::invokeMethod(
                    app, [app] { app->exit(0); }, Qt::QueuedConnection);
            });
            QTimer status;
            live::MetricsSnapshot previous = registry.snapshot();
            live::LoadProgress previousProgress = generator.progress();
            QObject::connect(&status, &QTimer::timeout, app, [&] {
                const live::MetricsSnapshot now = registry.snapshot();
                const live::LoadProgress p = generator.progress();
                const double seconds = std::max(1e-9, p.seconds - previousProgress.seconds);
                const std::uint64_t decided = p.decided - previousProgress.decided;
                const std::uint64_t denied = p.denied - previousProgress.denied;
                const double p95 = p95Between(previous, now);
                printError(u"quotactl loadgen: "_s % count(p.decided) % u" decided ("_s
                    % fixed(double(decided) / seconds) % u"/s), "_s
                    % fixed(decided ? 100.0 * double(denied) / double(decided) : 0.0)
                    % u"% denied, p95 check "_s % (std::isnan(p95) ? u"-"_s : fixed(p95) % u" ms"_s)
                    % u", "_s % count(p.failOpen - previousProgress.failOpen) % u" fail-open, "_s
                    % count(p.shed) % u" shed, lag "_s % fixed(p.lagMs, 0) % u" ms\n"_s);
                previous = now;
                previousProgress = p;
            });
            if (!options.quiet)
                status.start(10000);
            if (!generator.isFinished())
                app->exec();
            status.stop();
            onSignal = nullptr;
            const live::LoadSummary s = generator.wait();
            report.insert(u"live"_s, toJson(s));
            const live::LoadProgress& p = s.progress;
            printOut(u"live: "_s % count(p.decided) % u" requests decided, "_s % count(p.logged)
                % u" logged in "_s % fixed(p.seconds) % u" s ("_s
                % fixed(double(p.decided) / std::max(1e-9, p.seconds)) % u"/s, "_s
                % QString::number(s.connections) % u" connections); "_s % count(p.denied)
                % u" denied, "_s % count(p.failOpen) % u" fail-open, "_s % count(p.shed)
                % u" shed, "_s % count(p.dbErrors) % u" database errors, "_s % count(p.incidents)
                % u" incidents, "_s % count(p.planChanges) % u" plan changes\n"_s);
            for (const QString& warning : s.warnings)
                printError(u"quotactl loadgen: warning: "_s % warning % u'\n');
            if (!s.error.isEmpty()) {
                printCommandError(kCommand, s.error);
                exitCode = ExitFailure;
            }
            if (s.unlogged() > 0) {
                printCommandError(kCommand,
                    count(s.unlogged())
                        % u" decided requests could not be logged: the database did not take "
                          u"them within the drain time"_s);
                exitCode = ExitFailure;
            }
        }
    }

    if (options.metrics && options.lingerMs > 0 && !stopRequested.load()) {
        onSignal = [app] { app->exit(0); };
        QTimer::singleShot(
            std::chrono::milliseconds(options.lingerMs), app, [app] { app->exit(0); });
        app->exec();
        onSignal = nullptr;
    }
    const QString metricsUrl = options.metrics ? server.url().toString() : QString();
    server.close();

    if (!options.summaryFile.isEmpty()) {
        report.insert(u"exit_code"_s, exitCode);
        report.insert(u"metrics_url"_s, metricsUrl);
        QSaveFile file(options.summaryFile);
        if (!file.open(QIODevice::WriteOnly)
            || file.write(QJsonDocument(report).toJson(QJsonDocument::Indented)) < 0
            || !file.commit()) {
            printCommandError(kCommand,
                u"cannot write '"_s % options.summaryFile % u"': "_s % file.errorString());
            return ExitFailure;
        }
    }
    return exitCode;
}

} // namespace

const Command loadgenCommand { "loadgen",
    "Live traffic, history backfill and service metrics against a quota database", &runLoadgen };

} // namespace qc::cli
