#include "trace/trace.h"

#include "command.h"
#include "enforcement/headers.h"
#include "policy/policyjson.h"
#include "trace/generator.h"

#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace qc::cli {

namespace {

QString subcommandUsage()
{
    return u"Usage: quotactl trace <subcommand> [options]\n\n"
           u"Works with request traces (CSV or JSON Lines, DESIGN §6).\n\n"
           u"Subcommands:\n"
           u"  generate --out FILE      Writes synthetic, reproducible traffic.\n\n"
           u"Run 'quotactl trace <subcommand> --help' for details.\n"_s;
}

int runGenerate(const QStringList& arguments)
{
    ArgumentParser args(u"trace generate"_s, u"--out FILE [options]"_s,
        u"Writes synthetic traffic as a trace: the same options and seed give the same file on "
        u"every\nmachine. The format follows the extension of FILE (.csv or .jsonl). Scenarios "
        u"are added to\nnormal traffic; give 'normal[:...]' among them to shape or replace it. "
        u"A scenario is\nNAME[:OFFSET[:DURATION[:RATE]]] with NAME one of normal, bot_burst, "
        u"buggy_client,\ncost_spike, plan_change, e.g. bot_burst:30m:10m:40."_s);
    const QCommandLineOption outOption(
        u"out"_s, u"Trace file to write (.csv or .jsonl)."_s, u"FILE"_s);
    const QCommandLineOption seedOption(u"seed"_s, u"Random seed (default 1)."_s, u"N"_s);
    const QCommandLineOption startOption(
        u"start"_s, u"Start, RFC 3339 UTC or epoch ms (default 2026-01-05T00:00:00Z)."_s, u"TS"_s);
    const QCommandLineOption durationOption(
        u"duration"_s, u"Length, e.g. 10m, 2h, 1d (default 1h)."_s, u"D"_s);
    const QCommandLineOption rateOption(
        u"rate"_s, u"Mean requests per second of normal traffic (default 50)."_s, u"R"_s);
    const QCommandLineOption usersOption(u"users"_s, u"Number of users (default 5000)."_s, u"N"_s);
    const QCommandLineOption ipsOption(
        u"ips"_s, u"Number of client addresses (default 20000)."_s, u"N"_s);
    const QCommandLineOption scenarioOption(
        u"scenario"_s, u"Adds a scenario (repeatable)."_s, u"NAME"_s);
    const QCommandLineOption noIdsOption(
        u"no-request-ids"_s, u"Leaves request_id empty (smaller, faster large traces)."_s);
    for (const QCommandLineOption* option :
        { &outOption, &seedOption, &startOption, &durationOption, &rateOption, &usersOption,
            &ipsOption, &scenarioOption, &noIdsOption })
        args.addOption(*option);
    if (const auto exit = args.parse(arguments))
        return *exit;
    QCommandLineParser& parser = args.parser();
    if (!parser.positionalArguments().isEmpty())
        return args.usageError(
            u"unexpected argument '"_s % parser.positionalArguments().constFirst() % u"'"_s);
    if (!parser.isSet(outOption))
        return args.usageError(u"--out FILE is required"_s);
    const QString out = parser.value(outOption);
    trace::Format format = trace::Format::Auto;
    if (out.endsWith(u".csv"_s, Qt::CaseInsensitive))
        format = trace::Format::Csv;
    else if (out.endsWith(u".jsonl"_s, Qt::CaseInsensitive)
        || out.endsWith(u".ndjson"_s, Qt::CaseInsensitive))
        format = trace::Format::Jsonl;
    else
        return args.usageError(
            u"--out '"_s % out % u"': use a file name ending in .csv or .jsonl"_s);

    trace::GeneratorOptions options;
    bool ok = true;
    if (parser.isSet(seedOption)) {
        options.seed = parser.value(seedOption).toULongLong(&ok);
        if (!ok)
            return args.usageError(
                u"--seed '"_s % parser.value(seedOption) % u"' is not a non-negative integer"_s);
    }
    if (parser.isSet(startOption)) {
        const QByteArray text = parser.value(startOption).toUtf8();
        const auto start = enforcement::parseTimestamp(
            std::string_view(text.constData(), static_cast<std::size_t>(text.size())));
        if (!start)
            return args.usageError(u"--start '"_s % parser.value(startOption)
                % u"' is not a timestamp; use e.g. 2026-01-05T14:00:00Z or "
                  u"epoch milliseconds"_s);
        options.startMs = *start;
    }
    if (parser.isSet(durationOption)) {
        const auto duration = policy::parseDuration(parser.value(durationOption));
        if (!duration || *duration <= 0)
            return args.usageError(u"--duration '"_s % parser.value(durationOption)
                % u"' is not a positive duration; use e.g. 90s, 10m, 2h, 1d"_s);
        options.durationMs = *duration;
    }
    if (parser.isSet(rateOption)) {
        options.requestsPerSecond = parser.value(rateOption).toDouble(&ok);
        if (!ok || options.requestsPerSecond <= 0)
            return args.usageError(u"--rate '"_s % parser.value(rateOption)
                % u"' is not a positive number of requests per second"_s);
    }
    const std::pair<const QCommandLineOption*, int*> counts[] = {
        { &usersOption, &options.users },
        { &ipsOption, &options.ips },
    };
    for (const auto& [option, target] : counts) {
        if (!parser.isSet(*option))
            continue;
        *target = parser.value(*option).toInt(&ok);
        if (!ok || *target <= 0)
            return args.usageError(u"--"_s % option->names().constFirst() % u" '"_s
                % parser.value(*option) % u"' is not a positive integer"_s);
    }
    if (parser.isSet(scenarioOption)) {
        QList<trace::Scenario> scenarios;
        bool hasNormal = false;
        for (const QString& text : parser.values(scenarioOption)) {
            QString error;
            const std::optional<trace::Scenario> scenario = trace::parseScenario(text, &error);
            if (!scenario)
                return args.usageError(u"--scenario '"_s % text % u"': "_s % error);
            hasNormal = hasNormal || scenario->kind == trace::ScenarioKind::Normal;
            scenarios.push_back(*scenario);
        }
        if (!hasNormal)
            scenarios.prepend(trace::Scenario {});
        options.scenarios = scenarios;
    }
    options.requestIds = !parser.isSet(noIdsOption);

    const trace::Trace generated = trace::generate(options);
    QSaveFile file(out);
    if (!file.open(QIODevice::WriteOnly)) {
        printCommandError(
            args.command(), u"cannot write '"_s % out % u"': "_s % file.errorString());
        return ExitFailure;
    }
    const bool written = format == trace::Format::Csv ? trace::writeCsv(generated, file)
                                                      : trace::writeJsonl(generated, file);
    if (!written || !file.commit()) {
        printCommandError(
            args.command(), u"writing '"_s % out % u"' failed: "_s % file.errorString());
        return ExitFailure;
    }
    printError(u"wrote "_s % QString::number(generated.size()) % u" requests to "_s % out % u'\n');
    return ExitOk;
}

int runTrace(const QStringList& arguments)
{
    return runSubcommand(
        u"trace"_s, subcommandUsage(), { { u"generate", &runGenerate } }, arguments);
}

} // namespace

const Command traceCommand { "trace", "Generate synthetic request traces", &runTrace };

} // namespace qc::cli
