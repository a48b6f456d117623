#include "command.h"
#include "policy/policyjson.h"
#include "simulation/decisionwriter.h"
#include "simulation/simulator.h"
#include "trace/trace.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace qc::cli {

namespace {

const QString kCommand = u"simulate"_s;

/// Opens a file for writing, or stdout for "-"; a message naming the file when it fails.
std::optional<QString> openOutput(QFile& file, const QString& path)
{
    const bool opened = path == u"-"_s
        ? file.open(stdout, QIODevice::WriteOnly)
        : (file.setFileName(path), file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    if (!opened)
        return u"cannot write '"_s % path % u"': "_s % file.errorString();
    return std::nullopt;
}

/// "\r<label> 42 %" on a terminal, at most once per percent.
class Progress {
public:
    explicit Progress(QString label)
        : m_label(std::move(label))
        , m_enabled(stderrIsTerminal())
    {
    }
    void update(double fraction)
    {
        if (!m_enabled)
            return;
        const int percent = static_cast<int>(fraction * 100);
        if (percent == m_last)
            return;
        m_last = percent;
        printError(u"\r"_s % m_label % u' ' % QString::number(percent) % u" %"_s);
    }
    void done()
    {
        if (m_enabled && m_last >= 0)
            printError(u"\r\x1b[K"_s);
        m_last = -1;
    }

private:
    QString m_label;
    bool m_enabled;
    int m_last = -1;
};

std::optional<enforcement::Policy> loadPolicy(const QString& path)
{
    policy::LoadResult result = policy::loadPolicyFile(path);
    if (!result.ok()) {
        for (const policy::PolicyError& error : result.errors)
            printError(path % u": "_s % error.toString() % u'\n');
        return std::nullopt;
    }
    return std::move(result.policy);
}

int runSimulate(const QStringList& arguments)
{
    ArgumentParser args(kCommand, u"--policy FILE --trace FILE [options]"_s,
        u"Replays a recorded trace through a baseline and a candidate policy and compares "
        u"them:\nnewly denied and admitted requests (by reason, rule, plan, endpoint, client, "
        u"user),\ncost, abuse incidents, alerts that would fire, and fidelity to the decisions "
        u"recorded\nin the trace. Without --decisions or --json a summary is printed on stdout. "
        u"Bad trace rows\nare reported with their line numbers and skipped (see --strict)."_s);
    const QCommandLineOption policyOption(u"policy"_s, u"Candidate policy (JSON)."_s, u"FILE"_s);
    const QCommandLineOption traceOption(
        u"trace"_s, u"Trace to replay (.csv or .jsonl)."_s, u"FILE"_s);
    const QCommandLineOption baselineOption(
        u"baseline"_s, u"Baseline policy (default: the built-in default policy)."_s, u"FILE"_s);
    const QCommandLineOption decisionsOption(u"decisions"_s,
        u"Write the candidate's decisions as JSON Lines to FILE (- = stdout)."_s, u"FILE"_s);
    const QCommandLineOption jsonOption(
        u"json"_s, u"Write the report as JSON to FILE (- = stdout)."_s, u"FILE"_s);
    const QCommandLineOption warmupOption(u"warmup"_s,
        u"Decide the first DURATION of the trace without reporting it (e.g. 1h)."_s, u"DURATION"_s);
    const QCommandLineOption strictOption(
        u"strict"_s, u"Stop at the first bad trace row instead of skipping."_s);
    for (const QCommandLineOption* option : { &policyOption, &traceOption, &baselineOption,
             &decisionsOption, &jsonOption, &warmupOption, &strictOption })
        args.addOption(*option);
    if (const auto exit = args.parse(arguments))
        return *exit;
    QCommandLineParser& parser = args.parser();
    if (!parser.positionalArguments().isEmpty())
        return args.usageError(
            u"unexpected argument '"_s % parser.positionalArguments().constFirst() % u"'"_s);
    if (!parser.isSet(policyOption))
        return args.usageError(u"--policy FILE is required (the candidate policy)"_s);
    if (!parser.isSet(traceOption))
        return args.usageError(u"--trace FILE is required (the trace to replay)"_s);
    enforcement::TimeMs warmupMs = 0;
    if (parser.isSet(warmupOption)) {
        const auto parsed = policy::parseDuration(parser.value(warmupOption));
        if (!parsed || *parsed < 0)
            return args.usageError(u"--warmup: '"_s % parser.value(warmupOption)
                % u"' is not a duration; use e.g. 90s, 5m, 2h, 1d"_s);
        warmupMs = *parsed;
    }
    const QString decisionsPath = parser.value(decisionsOption);
    const QString jsonPath = parser.value(jsonOption);
    if (!decisionsPath.isEmpty() && decisionsPath == jsonPath)
        return args.usageError(
            u"--decisions and --json name the same file '"_s % jsonPath % u"'"_s);

    QElapsedTimer total;
    total.start();
    const QString candidatePath = parser.value(policyOption);
    const std::optional<enforcement::Policy> candidate = loadPolicy(candidatePath);
    std::optional<enforcement::Policy> baseline;
    if (parser.isSet(baselineOption))
        baseline = loadPolicy(parser.value(baselineOption));
    else
        baseline = policy::defaultPolicy();
    if (!candidate || !baseline)
        return ExitFailure;

    const QString tracePath = parser.value(traceOption);
    Progress readProgress(u"reading "_s % tracePath);
    trace::ReadOptions readOptions;
    readOptions.strict = parser.isSet(strictOption);
    readOptions.progress = [&readProgress](qint64 done, qint64 size) {
        readProgress.update(size > 0 ? static_cast<double>(done) / static_cast<double>(size) : 0);
        return true;
    };
    // Errors of the trace on stderr; false when it cannot be simulated.
    auto reportRead = [&tracePath](const trace::ReadResult& read) {
        for (const trace::TraceError& error : read.errors) {
            if (error.toString() != read.fatal) // --strict: the fatal row is said once, below
                printError(tracePath % u": "_s % error.toString() % u'\n');
        }
        if (!read.fatal.isEmpty()) {
            printCommandError(kCommand,
                read.fatal.contains(tracePath) ? read.fatal : tracePath % u": "_s % read.fatal);
            return false;
        }
        if (read.skippedRows > 0)
            printError(tracePath % u": "_s % QString::number(read.skippedRows)
                % u" bad rows skipped (use --strict to stop at the first)\n"_s);
        return true;
    };
    // The trace is read and decided at once (simulation::simulateFile): only a few thousand
    // rows are in memory at a time. With --strict it is read whole first, so that a bad row
    // stops the run before anything is written.
    const bool streamed = !readOptions.strict;
    auto dictionary = std::make_shared<enforcement::Dictionary>();
    trace::ReadResult read;
    double readS = 0;
    if (!streamed) {
        read = trace::readTrace(tracePath, readOptions, dictionary);
        readProgress.done();
        if (!reportRead(read))
            return ExitFailure;
        readS = static_cast<double>(total.nsecsElapsed()) / 1e9;
    }

    QFile decisionsFile;
    std::unique_ptr<simulation::DecisionWriter> writer;
    std::optional<QString> outputError;
    // Opened once the trace reads, so that a trace that does not leaves the file alone.
    auto openDecisions = [&] {
        if (decisionsPath.isEmpty())
            return true;
        outputError = openOutput(decisionsFile, decisionsPath);
        return !outputError;
    };
    if (!decisionsPath.isEmpty())
        writer
            = std::make_unique<simulation::DecisionWriter>(*candidate, *dictionary, decisionsFile);

    simulation::Options options;
    options.warmupMs = warmupMs;
    options.candidateSink = writer.get();
    options.baselineName
        = parser.isSet(baselineOption) ? parser.value(baselineOption) : u"default policy"_s;
    options.candidateName = candidatePath;
    Progress simulateProgress(u"simulating"_s);
    options.progress = [&simulateProgress](std::uint64_t done, std::uint64_t size) {
        simulateProgress.update(
            size > 0 ? static_cast<double>(done) / static_cast<double>(size) : 0);
        return true;
    };
    simulation::Report report;
    if (streamed) {
        simulation::FileSimulation run = simulation::simulateFile(
            *baseline, *candidate, tracePath, readOptions, options, dictionary, openDecisions);
        readProgress.done();
        simulateProgress.done();
        if (outputError) {
            printCommandError(kCommand, *outputError);
            return ExitFailure;
        }
        if (!reportRead(run.read))
            return ExitFailure;
        report = std::move(run.report);
        readS = run.readS;
    } else {
        if (!openDecisions()) {
            printCommandError(kCommand, *outputError);
            return ExitFailure;
        }
        report = simulation::simulate(*baseline, *candidate, read.trace, options);
        simulateProgress.done();
    }

    if (writer) {
        if (!writer->flush()) {
            printCommandError(
                kCommand, u"writing '"_s % decisionsPath % u"' failed: "_s % writer->error());
            return ExitFailure;
        }
        writer.reset();
        decisionsFile.close();
    }
    if (!jsonPath.isEmpty()) {
        QFile jsonFile;
        if (const auto error = openOutput(jsonFile, jsonPath)) {
            printCommandError(kCommand, *error);
            return ExitFailure;
        }
        const QByteArray json = QJsonDocument(simulation::toJson(report)).toJson();
        if (jsonFile.write(json) != json.size()) {
            printCommandError(
                kCommand, u"writing '"_s % jsonPath % u"' failed: "_s % jsonFile.errorString());
            return ExitFailure;
        }
    }
    if (decisionsPath.isEmpty() && jsonPath.isEmpty()) {
        printOut(u"Read "_s % tracePath % u" in "_s % QString::number(readS, 'f', 2) % u" s\n"_s
            % simulation::toText(report));
    } else {
        for (const QString& warning : report.warnings)
            printError(u"quotactl simulate: warning: "_s % warning % u'\n');
    }
    return ExitOk;
}

} // namespace

const Command simulateCommand { "simulate",
    "Compare a candidate policy with a baseline over a recorded trace", &runSimulate };

} // namespace qc::cli
