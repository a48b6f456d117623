// quotactl alerts: evaluate the alert rules of core/alerting and keep quota.alerts up to date
// (docs/alerting.md), list the alerts, print the rules.

#include "alertstore.h"
#include "command.h"
#include "db/connectionstring.h"
#include "evaluaterun.h"
#include "policy/policyjson.h"

#include <QJsonDocument>
#include <QSqlQuery>

#include <map>

using namespace Qt::StringLiterals;

namespace qc::cli {

namespace {

const QString kConnection = u"quotactl_alerts"_s;

QString subcommandUsage()
{
    return u"Usage: quotactl alerts <subcommand> [options]\n\n"
           u"The alert rules of Quota Console (docs/alerting.md).\n\n"
           u"Subcommands:\n"
           u"  evaluate     Evaluates the rules over /metrics endpoints and the database into "
           u"quota.alerts.\n"
           u"  list         Lists the open alerts.\n"
           u"  rules        Prints the rules, or with --prometheus the Prometheus rules file.\n\n"
           u"Run 'quotactl alerts <subcommand> --help' for details.\n"_s;
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
        EvaluateRun run(std::move(options), kConnection);
        result = run.exec();
    }
    QSqlDatabase::removeDatabase(kConnection);
    return result;
}

int runAlerts(const QStringList& arguments)
{
    return runSubcommand(u"alerts"_s, subcommandUsage(),
        { { u"evaluate", &runEvaluate }, { u"list", &runList }, { u"rules", &runRules } },
        arguments);
}

} // namespace

const Command alertsCommand { "alerts",
    "Evaluates the alert rules into the alerts table; lists alerts and rules", &runAlerts };

} // namespace qc::cli
