// quotactl alerts: evaluate the alert rules of core/alerting and keep quota.alerts up to date
// (docs/alerting.md), list the alerts, print the rules.

#include "alerting/evaluator.h"
#include "alertstore.h"
#include "command.h"
#include "db/connectionstring.h"
#include "metrics/scraper.h"
#include "policy/policyjson.h"

#include <QDateTime>
#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QSocketNotifier>
#include <QSqlQuery>
#include <QTimer>
#include <QUrl>

#include <csignal>
#include <fcntl.h>
#include <map>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace qc::cli {

namespace {

const QString kConnection = u"quotactl_alerts"_s;
/// Exit status when another evaluator holds the lock (with --once or --no-wait).
constexpr int ExitLocked = 3;
/// Saved pending/firing state older than this is not restored (Prometheus' default
/// rules.alert.for-outage-tolerance).
constexpr qint64 kOutageToleranceMs = 3600'000;

QString subcommandUsage()
{
    return u"Usage: quotactl alerts <subcommand> [options]\n\n"
           u"The alert rules of Quota Console (docs/alerting.md).\n\n"
           u"Subcommands:\n"
           u"  evaluate --db CONNINFO [--metrics URL]...   Evaluates the rules over /metrics "
           u"endpoints and the\n"
           u"                                             database, and keeps quota.alerts up "
           u"to date.\n"
           u"  list --db CONNINFO                          Lists the open alerts.\n"
           u"  rules [--prometheus]                        Prints the rules (or the Prometheus "
           u"rules file).\n\n"
           u"Run 'quotactl alerts <subcommand> --help' for details.\n"_s;
}

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
}

QCommandLineOption databaseOption()
{
    return QCommandLineOption({ u"d"_s, u"db"_s, u"database"_s },
        u"Connection string of the quota database (URI or keyword/value). Default: "
        u"$QUOTA_DATABASE_URL, else libpq's defaults."_s,
        u"CONNINFO"_s);
}

// Opens the connection; the error text when it fails.
QString openDatabase(const QCommandLineParser& parser, const QCommandLineOption& option)
{
    const QString conninfo
        = parser.isSet(option) ? parser.value(option) : qEnvironmentVariable("QUOTA_DATABASE_URL");
    const db::ConnectionString connection = db::ConnectionString::parse(conninfo);
    if (!connection.isValid())
        return connection.errorString();
    if (QString error = connection.open(kConnection); !error.isEmpty())
        return error;
    QSqlQuery(QSqlDatabase::database(kConnection, false))
        .exec(u"SET application_name = 'quotactl alerts'"_s);
    return {};
}

// ---------------------------------------------------------------------------------------------
// alerts rules

int runRules(const QStringList& arguments)
{
    ArgumentParser args(u"alerts rules"_s, u"[--prometheus]"_s,
        u"Prints the alert rules: name, severity, for and condition, or with --prometheus the\n"
        u"Prometheus rules file they are the same as (packaging/prometheus/"
        u"quota-console.rules.yml)."_s);
    const QCommandLineOption prometheus(
        u"prometheus"_s, u"Print the rules as a Prometheus rules file."_s);
    args.addOption(prometheus);
    if (const auto exit = args.parse(arguments))
        return *exit;
    if (!args.parser().positionalArguments().isEmpty())
        return args.usageError(
            u"unexpected argument '"_s % args.parser().positionalArguments().constFirst() % u'\'');
    const std::vector<alerting::Rule>& rules = alerting::standardRules();
    if (args.parser().isSet(prometheus)) {
        printOut(alerting::prometheusRulesFile(rules));
        return ExitOk;
    }
    QString text;
    for (const alerting::Rule& rule : rules) {
        text += rule.name.leftJustified(32)
            % alerting::severityName(rule.severity).leftJustified(10) % rule.condition % u"\n    "_s
            % rule.promql() % u'\n';
    }
    printOut(text);
    return ExitOk;
}

// ---------------------------------------------------------------------------------------------
// alerts list

int runList(const QStringList& arguments)
{
    ArgumentParser args(u"alerts list"_s, u"[--db CONNINFO] [--all] [--json]"_s,
        u"Lists the open alerts of quota.alerts (firing and acknowledged), most severe first.\n"
        u"Needs a role that can read the quota database (quota_viewer)."_s);
    const QCommandLineOption database = databaseOption();
    const QCommandLineOption all(u"all"_s, u"The 100 newest alerts of any state."_s);
    const QCommandLineOption json(u"json"_s, u"One JSON object per alert and line."_s);
    args.addOption(database);
    args.addOption(all);
    args.addOption(json);
    if (const auto exit = args.parse(arguments))
        return *exit;
    if (!args.parser().positionalArguments().isEmpty())
        return args.usageError(
            u"unexpected argument '"_s % args.parser().positionalArguments().constFirst() % u'\'');
    int result = ExitOk;
    if (const QString failure = openDatabase(args.parser(), database); !failure.isEmpty()) {
        printCommandError(u"alerts list"_s, failure);
        result = ExitFailure;
    } else {
        AlertStore store(kConnection);
        QString error = store.checkReady(false);
        std::optional<std::vector<AlertRow>> rows;
        if (error.isEmpty())
            rows = store.alerts(args.parser().isSet(all), &error);
        if (!rows) {
            printCommandError(u"alerts list"_s, error);
            result = ExitFailure;
        } else {
            QString text;
            for (const AlertRow& row : *rows) {
                QStringList labels;
                for (auto it = row.labels.begin(); it != row.labels.end(); ++it) {
                    if (it.key() != u"alertname"_s && it.key() != u"severity"_s)
                        labels << it.key() % u"=\""_s % it.value().toString() % u'"';
                }
                if (args.parser().isSet(json)) {
                    QJsonObject object { { u"id"_s, row.id }, { u"rule"_s, row.rule },
                        { u"severity"_s, row.severity }, { u"state"_s, row.state },
                        { u"labels"_s, row.labels }, { u"summary"_s, row.summary },
                        { u"starts_at"_s, row.startsAt.toString(Qt::ISODate) },
                        { u"ends_at"_s,
                            row.endsAt.isValid() ? QJsonValue(row.endsAt.toString(Qt::ISODate))
                                                 : QJsonValue() },
                        { u"acknowledged_by"_s, row.acknowledgedBy } };
                    text += QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact))
                        % u'\n';
                    continue;
                }
                text += QString::number(row.id).rightJustified(6) % u"  "_s
                    % row.state.leftJustified(13) % row.severity.leftJustified(9) % row.rule
                    % (labels.isEmpty() ? QString() : u'{' % labels.join(u',') % u'}')
                    % u"  since "_s % row.startsAt.toString(Qt::ISODate)
                    % (row.endsAt.isValid() ? u" until "_s % row.endsAt.toString(Qt::ISODate)
                                            : QString())
                    % u"\n        "_s % row.summary % u'\n';
                if (!row.acknowledgedBy.isEmpty())
                    text += u"        acknowledged by "_s % row.acknowledgedBy
                        % (row.acknowledgeNote.isEmpty() ? QString()
                                                         : u": "_s % row.acknowledgeNote)
                        % u'\n';
            }
            if (!args.parser().isSet(json))
                text += QString::number(rows->size())
                    % (args.parser().isSet(all) ? u" alerts\n"_s : u" open alerts\n"_s);
            printOut(text);
        }
    }
    QSqlDatabase::removeDatabase(kConnection);
    return result;
}

// ---------------------------------------------------------------------------------------------
// alerts evaluate

// SIGINT/SIGTERM → a byte on a pipe → a QSocketNotifier in the event loop (the handler itself
// only writes, which is async-signal-safe).
int g_signalPipe[2] = { -1, -1 };

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &byte, 1);
}

class StopOnSignal {
public:
    explicit StopOnSignal(std::function<void()> stop)
    {
        if (::pipe2(g_signalPipe, O_CLOEXEC | O_NONBLOCK) != 0)
            return;
        m_notifier = std::make_unique<QSocketNotifier>(g_signalPipe[0], QSocketNotifier::Read);
        QObject::connect(m_notifier.get(), &QSocketNotifier::activated, [stop] {
            char buffer[16];
            while (::read(g_signalPipe[0], buffer, sizeof buffer) > 0) { }
            stop();
        });
        struct sigaction action { };
        action.sa_handler = onSignal;
        sigemptyset(&action.sa_mask);
        ::sigaction(SIGINT, &action, &m_oldInt);
        ::sigaction(SIGTERM, &action, &m_oldTerm);
    }
    ~StopOnSignal()
    {
        if (!m_notifier)
            return;
        ::sigaction(SIGINT, &m_oldInt, nullptr);
        ::sigaction(SIGTERM, &m_oldTerm, nullptr);
        m_notifier.reset();
        ::close(g_signalPipe[0]);
        ::close(g_signalPipe[1]);
        g_signalPipe[0] = g_signalPipe[1] = -1;
    }
    Q_DISABLE_COPY(StopOnSignal)

private:
    std::unique_ptr<QSocketNotifier> m_notifier;
    struct sigaction m_oldInt { };
    struct sigaction m_oldTerm { };
};

struct Endpoint {
    QUrl url;
    QString instance; // host:port, as Prometheus labels a target
    bool up = true; // as last reported
    QString lastError;
};

struct EvaluateOptions {
    QString conninfo;
    std::vector<Endpoint> endpoints;
    qint64 intervalMs = 15'000;
    bool once = false;
    bool wait = true;
};

class EvaluateRun {
public:
    explicit EvaluateRun(EvaluateOptions options)
        : m_options(std::move(options))
        , m_scraper(&m_network)
        , m_store(kConnection)
    {
    }

    int exec();

private:
    bool connect(QString* error);
    // true: holding the lock; false: stopped, or (with --once / --no-wait) held by another
    bool lock(bool* heldByOther);
    void restore();
    bool scrapeAll();
    bool evaluateRound(qint64 nowMs);
    bool sleepFor(qint64 ms);
    void stop()
    {
        m_stop = true;
        if (m_loop)
            m_loop->quit();
    }
    static qint64 now() { return QDateTime::currentMSecsSinceEpoch(); }
    static QString labelsText(const metrics::Labels& labels);

    EvaluateOptions m_options;
    QNetworkAccessManager m_network;
    metrics::Scraper m_scraper;
    alerting::Evaluator m_evaluator;
    AlertStore m_store;
    DatabaseMinutes m_databaseMinutes;
    bool m_connected = false;
    bool m_locked = false;
    bool m_stop = false;
    QEventLoop* m_loop = nullptr;
    std::map<QString, QString> m_ruleErrors; // rule → last error printed
};

QString EvaluateRun::labelsText(const metrics::Labels& labels)
{
    QStringList parts;
    for (const auto& [name, value] : labels) {
        if (name != u"alertname"_s && name != u"severity"_s)
            parts << name % u"=\""_s % value % u'"';
    }
    return parts.isEmpty() ? QString() : u'{' % parts.join(u',') % u'}';
}

bool EvaluateRun::connect(QString* error)
{
    const db::ConnectionString connection = db::ConnectionString::parse(m_options.conninfo);
    if (QString failure = connection.open(kConnection); !failure.isEmpty()) {
        *error = failure;
        return false;
    }
    QSqlQuery(m_store.database()).exec(u"SET application_name = 'quotactl alerts evaluate'"_s);
    if (QString failure = m_store.checkReady(true); !failure.isEmpty()) {
        *error = failure;
        return false;
    }
    m_connected = true;
    return true;
}

bool EvaluateRun::lock(bool* heldByOther)
{
    *heldByOther = false;
    bool announced = false;
    while (!m_stop) {
        QString error;
        const std::optional<bool> taken = m_store.tryLock(&error);
        if (!taken) {
            printCommandError(u"alerts evaluate"_s, u"cannot take the evaluator lock: "_s % error);
            return false;
        }
        if (*taken) {
            m_locked = true;
            if (announced)
                printOut(isoTime(now()) % u" took over the alert evaluator lock\n"_s);
            return true;
        }
        const QString holder = m_store.lockHolder();
        if (m_options.once || !m_options.wait) {
            *heldByOther = true;
            printCommandError(u"alerts evaluate"_s,
                u"another evaluator is running ("_s
                    % (holder.isEmpty() ? u"it just let go; try again"_s : holder)
                    % u"); not evaluating, so that alerts are written once"_s);
            return false;
        }
        if (!announced) {
            printOut(isoTime(now()) % u" another evaluator is running ("_s % holder
                % u"); waiting to take over\n"_s);
            announced = true;
        }
        if (!sleepFor(m_options.intervalMs))
            return false;
    }
    return false;
}

void EvaluateRun::restore()
{
    QString error;
    const QDateTime notBefore = QDateTime::fromMSecsSinceEpoch(now() - kOutageToleranceMs, Qt::UTC);
    if (const auto saved = m_store.savedAlerts(notBefore, &error)) {
        m_evaluator.restore(*saved);
    } else {
        printCommandError(u"alerts evaluate"_s,
            u"cannot read the saved rule state (rules start from inactive): "_s % error);
    }
}

bool EvaluateRun::sleepFor(qint64 ms)
{
    if (m_stop)
        return false;
    if (ms > 0) {
        QEventLoop loop;
        m_loop = &loop;
        QTimer::singleShot(std::chrono::milliseconds(ms), &loop, &QEventLoop::quit);
        loop.exec();
        m_loop = nullptr;
    }
    return !m_stop;
}

bool EvaluateRun::scrapeAll()
{
    if (m_options.endpoints.empty())
        return true;
    std::map<quint64, std::size_t> pending;
    std::vector<metrics::ScrapeResult> results(m_options.endpoints.size());
    QEventLoop loop;
    const QMetaObject::Connection connection = QObject::connect(
        &m_scraper, &metrics::Scraper::finished, &loop, [&](const metrics::ScrapeResult& result) {
            const auto it = pending.find(result.id);
            if (it == pending.end())
                return;
            results[it->second] = result;
            pending.erase(it);
            if (pending.empty())
                loop.quit();
        });
    const auto timeout = std::chrono::milliseconds(std::min<qint64>(10'000, m_options.intervalMs));
    for (std::size_t i = 0; i < m_options.endpoints.size(); ++i)
        pending.emplace(
            m_scraper.scrape(metrics::ScrapeTarget { m_options.endpoints[i].url, {}, timeout }), i);
    m_loop = &loop;
    loop.exec();
    m_loop = nullptr;
    QObject::disconnect(connection);
    if (m_stop)
        return false;
    bool allUp = true;
    for (std::size_t i = 0; i < results.size(); ++i) {
        Endpoint& endpoint = m_options.endpoints[i];
        const metrics::ScrapeResult& result = results[i];
        const bool up = result.health.up && !result.parseError;
        const QString error = result.parseError
            ? u"invalid exposition at line "_s % result.parseError->toString()
            : result.health.error;
        if (up) {
            m_evaluator.addScrape(
                endpoint.instance, result.health.lastScrape.toMSecsSinceEpoch(), result.families);
            if (!endpoint.up)
                printOut(isoTime(now()) % u" metrics endpoint "_s % endpoint.url.toDisplayString()
                    % u" is up again\n"_s);
        } else {
            allUp = false;
            if (endpoint.up || endpoint.lastError != error)
                printError(isoTime(now()) % u" cannot scrape "_s % endpoint.url.toDisplayString()
                    % u": "_s % error
                    % u" (its rules use the database's numbers once the window has no samples)\n"_s);
        }
        endpoint.up = up;
        endpoint.lastError = up ? QString() : error;
    }
    return allUp;
}

bool EvaluateRun::evaluateRound(qint64 nowMs)
{
    const std::vector<alerting::Rule>& rules = m_evaluator.rules();
    std::vector<alerting::RuleResult> results = m_evaluator.results(nowMs);
    std::vector<bool> fromDatabase(rules.size(), false);
    bool anyFromDatabase = false;
    for (std::size_t r = 0; r < rules.size(); ++r) {
        fromDatabase[r] = !results[r].hasData;
        anyFromDatabase = anyFromDatabase || fromDatabase[r];
    }
    if (anyFromDatabase) {
        std::vector<alerting::RuleResult> database = m_connected
            ? m_databaseMinutes.evaluate(m_store, rules, fromDatabase, nowMs)
            : std::vector<alerting::RuleResult>(
                rules.size(), alerting::RuleResult::failed(u"no database connection"_s));
        for (std::size_t r = 0; r < rules.size(); ++r) {
            if (fromDatabase[r])
                results[r] = std::move(database[r]);
        }
    }
    const std::vector<alerting::AlertChange> changes = m_evaluator.apply(nowMs, results);
    m_evaluator.series().prune(nowMs);

    QStringList evaluated;
    for (std::size_t r = 0; r < rules.size(); ++r) {
        const QString& name = rules[r].name;
        if (results[r].ok && results[r].warmingUp)
            continue; // no rate yet: its alerts stay as they are, in memory and in the table
        if (results[r].ok) {
            evaluated << name;
            if (m_ruleErrors.erase(name) != 0)
                printOut(isoTime(nowMs) % u" "_s % name % u" can be evaluated again\n"_s);
        } else if (m_ruleErrors[name] != results[r].error) {
            m_ruleErrors[name] = results[r].error;
            printError(isoTime(nowMs) % u" cannot evaluate "_s % name % u": "_s % results[r].error
                % u" (its alerts stay as they are)\n"_s);
        }
    }

    SyncOutcome outcome;
    if (m_connected && m_locked) {
        outcome = m_store.sync(
            evaluated, m_evaluator.alerts(), QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC));
        if (!outcome.ok) {
            if (outcome.sqlState == u"55P03"_s) {
                m_locked = false;
            } else if (!m_store.alive()) {
                m_connected = false;
                m_locked = false;
            }
            printError(isoTime(nowMs) % u" cannot write the alerts: "_s % outcome.error
                % u" (will write them at the next evaluation)\n"_s);
        }
    }

    std::map<QString, qint64> opened;
    std::map<QString, qint64> resolved;
    for (const SyncedAlert& row : outcome.opened)
        opened.emplace(row.fingerprint, row.id);
    for (const SyncedAlert& row : outcome.resolved)
        resolved.emplace(row.fingerprint, row.id);
    QString text;
    for (const alerting::AlertChange& change : changes) {
        const auto r
            = std::size_t(std::find_if(rules.begin(), rules.end(), [&](const alerting::Rule& rule) {
                  return rule.name == change.alert.rule;
              }) - rules.begin());
        auto& ids = change.kind == alerting::AlertChange::Kind::Resolved ? resolved : opened;
        const auto id = ids.find(change.alert.fingerprint);
        text += isoTime(change.atMs) % u' ' % alerting::changeKindName(change.kind).leftJustified(9)
            % change.alert.rule % labelsText(change.alert.labels) % u" ("_s
            % alerting::severityName(change.alert.severity)
            % (r < fromDatabase.size() && fromDatabase[r] ? u", from the database"_s : QString())
            % u")"_s
            % (id != ids.end() ? u" [alert "_s % QString::number(id->second) % u']' : QString())
            % (change.kind == alerting::AlertChange::Kind::Resolved
                        || change.kind == alerting::AlertChange::Kind::Cleared
                    ? QString()
                    : u": "_s % change.alert.summary)
            % u'\n';
        if (id != ids.end())
            ids.erase(id);
    }
    // Rows written for changes of earlier rounds (after a database outage), or resolved because
    // their alert is gone for another reason.
    for (const auto& [fingerprint, id] : opened)
        text += isoTime(nowMs) % u" opened alert "_s % QString::number(id) % u" (fingerprint "_s
            % fingerprint % u")\n"_s;
    for (const auto& [fingerprint, id] : resolved)
        text += isoTime(nowMs) % u" resolved alert "_s % QString::number(id) % u" (fingerprint "_s
            % fingerprint % u")\n"_s;
    if (m_options.once) {
        int firing = 0;
        int pendingCount = 0;
        for (const alerting::Alert& alert : m_evaluator.alerts())
            (alert.state == alerting::AlertState::Firing ? firing : pendingCount) += 1;
        text += u"evaluated "_s % QString::number(evaluated.size()) % u" of "_s
            % QString::number(rules.size()) % u" rules at "_s % isoTime(nowMs) % u": "_s
            % QString::number(firing) % u" firing, "_s % QString::number(pendingCount)
            % u" pending; opened "_s % QString::number(outcome.opened.size()) % u", resolved "_s
            % QString::number(outcome.resolved.size()) % u" alerts\n"_s;
    }
    printOut(text);
    return outcome.ok;
}

int EvaluateRun::exec()
{
    StopOnSignal signals([this] { stop(); });
    QString error;
    if (!connect(&error)) {
        printCommandError(u"alerts evaluate"_s, error);
        QSqlDatabase::removeDatabase(kConnection);
        return ExitFailure;
    }
    bool heldByOther = false;
    if (!lock(&heldByOther)) {
        m_store.database().close();
        return heldByOther ? ExitLocked : (m_stop ? ExitOk : ExitFailure);
    }
    restore();
    QStringList urls;
    for (const Endpoint& endpoint : m_options.endpoints)
        urls << endpoint.url.toDisplayString();
    if (!m_options.once)
        printOut(isoTime(now()) % u" evaluating "_s % QString::number(m_evaluator.rules().size())
            % u" rules every "_s % policy::formatDuration(m_options.intervalMs) % u" over "_s
            % (urls.isEmpty() ? u"the database"_s : urls.join(u", "_s) % u" and the database"_s)
            % u'\n');

    int result = ExitOk;
    if (m_options.once) {
        bool scraped = true;
        if (!m_options.endpoints.empty()) {
            // Rates need two scrapes: the second one `interval` after the first.
            scraped = scrapeAll();
            scraped = sleepFor(m_options.intervalMs) && scrapeAll() && scraped;
        }
        if (!m_stop && !evaluateRound(now()))
            result = ExitFailure;
        if (!scraped && !m_stop)
            result = ExitFailure;
    } else {
        while (!m_stop) {
            const qint64 roundStart = now();
            if (!m_connected || !m_locked) {
                bool held = false;
                if (!m_connected && !connect(&error)) {
                    printError(isoTime(roundStart) % u" cannot reconnect: "_s % error % u'\n');
                } else if (!m_locked && lock(&held)) {
                    restore(); // the state the evaluator that had the lock meanwhile left
                } else if (held) {
                    result = ExitLocked; // --no-wait
                    break;
                }
            }
            scrapeAll();
            if (m_stop)
                break;
            evaluateRound(now());
            sleepFor(roundStart + m_options.intervalMs - now());
        }
        printOut(isoTime(now()) % u" stopped\n"_s);
    }
    if (m_connected && m_locked)
        m_store.unlock();
    m_store.database().close();
    return result;
}

int runEvaluate(const QStringList& arguments)
{
    ArgumentParser args(u"alerts evaluate"_s,
        u"[--db CONNINFO] [--metrics URL]... [--interval 15s] [--once] [--no-wait]"_s,
        u"Evaluates the alert rules (quotactl alerts rules) every --interval over the /metrics "
        u"endpoints\ngiven and, for rules whose metrics none of them exposes, over the quota "
        u"database's minute\nrollups and abuse incidents; writes firing alerts into quota.alerts "
        u"and resolves them when\ntheir condition clears (one open alert per fingerprint; "
        u"acknowledged ones stay acknowledged).\n\n"
        u"One evaluator at a time: it holds an advisory lock on the database. Without --once a "
        u"second\nevaluator waits and takes over when the first one stops (--no-wait: exit 3 "
        u"instead). Runs until\nSIGINT or SIGTERM. The role needs quota_evaluator "
        u"(docs/database.md).\n\n"
        u"--once evaluates one round (two scrapes --interval apart) and exits: 0 done, 1 a "
        u"scrape or the\ndatabase failed, 3 another evaluator is running, 2 usage."_s);
    const QCommandLineOption database = databaseOption();
    const QCommandLineOption metricsOption(
        u"metrics"_s, u"A /metrics endpoint to scrape (repeat for several instances)."_s, u"URL"_s);
    const QCommandLineOption interval(u"interval"_s,
        u"Time between evaluations (and scrapes), e.g. 15s, 1m. Default 15s."_s, u"DURATION"_s,
        u"15s"_s);
    const QCommandLineOption once(u"once"_s, u"Evaluate one round, write, exit."_s);
    const QCommandLineOption noWait(
        u"no-wait"_s, u"Exit (status 3) instead of waiting when another evaluator runs."_s);
    args.addOption(database);
    args.addOption(metricsOption);
    args.addOption(interval);
    args.addOption(once);
    args.addOption(noWait);
    if (const auto exit = args.parse(arguments))
        return *exit;
    if (!args.parser().positionalArguments().isEmpty())
        return args.usageError(
            u"unexpected argument '"_s % args.parser().positionalArguments().constFirst() % u'\'');

    EvaluateOptions options;
    options.conninfo = args.parser().isSet(database) ? args.parser().value(database)
                                                     : qEnvironmentVariable("QUOTA_DATABASE_URL");
    if (const db::ConnectionString parsed = db::ConnectionString::parse(options.conninfo);
        !parsed.isValid())
        return args.usageError(parsed.errorString());
    const QString intervalText = args.parser().value(interval);
    const std::optional<qint64> intervalMs = policy::parseDuration(intervalText);
    if (!intervalMs || *intervalMs < 100)
        return args.usageError(u"--interval '"_s % intervalText
            % u"' is not a duration of at least 100ms; use e.g. 15s, 30s, 1m"_s);
    options.intervalMs = *intervalMs;
    options.once = args.parser().isSet(once);
    options.wait = !args.parser().isSet(noWait);
    std::map<QString, int> instances;
    for (const QString& text : args.parser().values(metricsOption)) {
        const QUrl url(text, QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != u"http"_s && url.scheme() != u"https"_s)
            || url.host().isEmpty())
            return args.usageError(u"--metrics '"_s % text
                % u"' is not an http(s) URL; use e.g. http://127.0.0.1:9464/metrics"_s);
        Endpoint endpoint;
        endpoint.url = url;
        endpoint.instance
            = url.host() % u':' % QString::number(url.port(url.scheme() == u"https"_s ? 443 : 80));
        options.endpoints.push_back(endpoint);
        ++instances[endpoint.instance];
    }
    // Two endpoints on one host:port (different paths) must not share an instance label.
    for (Endpoint& endpoint : options.endpoints) {
        if (instances[endpoint.instance] > 1)
            endpoint.instance += endpoint.url.path();
    }
    int result = ExitOk;
    {
        EvaluateRun run(std::move(options));
        result = run.exec();
    }
    QSqlDatabase::removeDatabase(kConnection);
    return result;
}

int runAlerts(const QStringList& arguments)
{
    if (arguments.isEmpty()) {
        printError(subcommandUsage());
        return ExitUsage;
    }
    const QString& sub = arguments.constFirst();
    if (sub == u"-h"_s || sub == u"--help"_s) {
        printOut(subcommandUsage());
        return ExitOk;
    }
    if (sub == u"evaluate"_s)
        return runEvaluate(arguments.mid(1));
    if (sub == u"list"_s)
        return runList(arguments.mid(1));
    if (sub == u"rules"_s)
        return runRules(arguments.mid(1));
    printError(u"quotactl alerts: unknown subcommand '"_s % sub
        % u"'; expected evaluate, list or rules.\n"_s);
    return ExitUsage;
}

} // namespace

const Command alertsCommand { "alerts",
    "Evaluates the alert rules into the alerts table; lists alerts and rules", &runAlerts };

} // namespace qc::cli
