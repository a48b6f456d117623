#include "command.h"
#include "db/connectionstring.h"
#include "enforcement/headers.h"
#include "policy/policyjson.h"
#include "replay/databasetracesource.h"
#include "replay/policyversions.h"
#include "simulation/decisionwriter.h"
#include "simulation/reportcondition.h"
#include "simulation/reportexport.h"
#include "simulation/simulator.h"
#include "simulation/sweep.h"
#include "simulation/tracesource.h"
#include "trace/trace.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QSqlDatabase>

#include <climits>

using namespace Qt::StringLiterals;

namespace qc::cli {

namespace {

const QString kCommand = u"simulate"_s;
const QString kConnection = u"quotactl_simulate"_s;
constexpr int kTopN = 20; // identifiers listed in the JSON and HTML reports

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

std::optional<QString> writeOutput(const QString& path, const QByteArray& data)
{
    QFile file;
    if (const auto error = openOutput(file, path))
        return error;
    if (file.write(data) != data.size() || !file.flush())
        return u"writing '"_s % path % u"' failed: "_s % file.errorString();
    return std::nullopt;
}

QString grouped(std::uint64_t value)
{
    QString digits = QString::number(value);
    for (qsizetype i = digits.size() - 3; i > 0; i -= 3)
        digits.insert(i, u',');
    return digits;
}

/// "\r<label> 42 %" on a terminal, at most once per percent.
class Progress {
public:
    explicit Progress(QString label)
        : m_label(std::move(label))
        , m_enabled(stderrIsTerminal())
    {
    }
    void update(double fraction, const QString& detail = {})
    {
        if (!m_enabled)
            return;
        const int percent = static_cast<int>(fraction * 100);
        if (percent == m_last && detail.isEmpty())
            return;
        if (percent == m_last && m_timer.isValid() && m_timer.elapsed() < 250)
            return;
        m_last = percent;
        m_timer.start();
        printError(u"\r"_s % m_label % u' ' % QString::number(percent) % u" %"_s
            % (detail.isEmpty() ? QString() : u" ("_s % detail % u')') % u"\x1b[K"_s);
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
    QElapsedTimer m_timer;
};

struct LoadedPolicy {
    enforcement::Policy policy;
    QByteArray json;
    QString name;
};

std::optional<LoadedPolicy> loadPolicy(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        printError(path % u": cannot read the policy: "_s % file.errorString() % u'\n');
        return std::nullopt;
    }
    const QByteArray json = file.readAll();
    policy::LoadResult result = policy::parsePolicy(json);
    if (!result.ok()) {
        for (const policy::PolicyError& error : result.errors)
            printError(path % u": "_s % error.toString() % u'\n');
        return std::nullopt;
    }
    return LoadedPolicy { std::move(*result.policy), json, path };
}

std::optional<enforcement::TimeMs> parseTime(const QString& text)
{
    const QByteArray utf8 = text.trimmed().toUtf8();
    return enforcement::parseTimestamp(std::string_view(utf8.constData(), utf8.size()));
}

class SimulateCommand {
public:
    int run(const QStringList& arguments);

private:
    int parse(const QStringList& arguments);
    /// Exit code when the policies (or the sweep of them) cannot be used, else nullopt.
    std::optional<int> loadPolicies();
    bool loadTrace();
    /// Errors of a file's read on stderr; false when the trace cannot be simulated.
    bool reportFileRead(const trace::ReadResult& read);
    int simulateOnce();
    /// simulateOnce() for a trace file read and decided at once (simulation::simulateFile).
    int simulateStreamed();
    /// The outputs of one simulation; `readS`: time taken to read the traffic.
    int writeReport(simulation::Report& report, double readS);
    int runSweep();

    ArgumentParser m_args { kCommand,
        u"[--policy CANDIDATE.json] (--trace FILE | --db CONNINFO --from T --to T) [options]"_s,
        u"Replays recorded traffic through a baseline and a candidate policy with the enforcement "
        u"core\nand compares them: newly denied and admitted requests (by reason, rule, plan, "
        u"endpoint,\nclient, user), paying customers affected, cost, abuse incidents, alerts that "
        u"would fire and\nfidelity to the decisions recorded live. docs/simulation.md describes "
        u"every number.\n\n"
        u"Traffic: a trace file (--trace), or a time range of the quota database's request_logs\n"
        u"(--db with --from and --to) replayed with the blocks and plan changes of their time.\n"
        u"Baseline: --baseline FILE; with --db the active policy version by default, or\n"
        u"--baseline-version N; otherwise the built-in default policy.\n"
        u"Sweep: --sweep PARAMETER=FROM:TO:STEP runs the candidate once per value (in parallel) "
        u"and\nreports legitimate traffic denied, abusive traffic admitted and cost per value. "
        u"Parameters:\nRULE.limit, RULE.window, RULE.rate, RULE.period, RULE.burst "
        u"(RULE is a rule id, or\nrules[RULE].field), plans[PLAN].quotas.METRIC, "
        u"abuse[PATTERN].threshold|threshold_usd|window.\n"
        u"Budget: --fail-if EXPR exits 1 when the report meets EXPR, e.g.\n"
        u"  --fail-if 'paid_denied_pct > 0.5 or newly_denied.total > 100'\n"
        u"(comparisons of the JSON report's numeric keys, + - * /, and, or, not).\n\n"
        u"Without output files a summary goes to stdout. Bad trace rows are reported with "
        u"their line\nnumbers and skipped (see --strict). Progress is shown when stderr is a "
        u"terminal.\nExit status: 0 done, 1 failure or a broken budget, 2 usage error "
        u"(including a malformed\n--fail-if, which says where it is wrong)."_s };
    QCommandLineOption m_policy { u"policy"_s,
        u"Candidate policy (JSON). With --sweep, the policy varied (default: the baseline)."_s,
        u"FILE"_s };
    QCommandLineOption m_trace { u"trace"_s, u"Trace to replay (.csv or .jsonl)."_s, u"FILE"_s };
    QCommandLineOption m_db { u"db"_s,
        u"Replay the request_logs of this quota database (libpq URI or keyword/value; empty: "
        u"$QUOTA_DATABASE_URL, else libpq's defaults)."_s,
        u"CONNINFO"_s };
    QCommandLineOption m_from { u"from"_s,
        u"With --db: first time replayed (RFC 3339, e.g. 2026-01-05T00:00:00Z, or epoch ms)."_s,
        u"T"_s };
    QCommandLineOption m_to { u"to"_s, u"With --db: end of the range (exclusive)."_s, u"T"_s };
    QCommandLineOption m_baseline { u"baseline"_s,
        u"Baseline policy file (default: the active version with --db, else the built-in "
        u"default policy)."_s,
        u"FILE"_s };
    QCommandLineOption m_baselineVersion { u"baseline-version"_s,
        u"With --db: the baseline is policy version N of quota.policy_versions."_s, u"N"_s };
    QCommandLineOption m_sweep { u"sweep"_s,
        u"Vary one parameter of the candidate, e.g. ip_per_minute.limit=10:40:5."_s,
        u"PARAM=FROM:TO:STEP"_s };
    QCommandLineOption m_threads { u"threads"_s,
        u"With --sweep: worker threads (default: one per core)."_s, u"N"_s };
    QCommandLineOption m_decisions { u"decisions"_s,
        u"Write the candidate's decisions as JSON Lines to FILE (- = stdout)."_s, u"FILE"_s };
    QCommandLineOption m_json { u"json"_s,
        u"Write the report (or the sweep) as JSON to FILE (- = stdout)."_s, u"FILE"_s };
    QCommandLineOption m_html { u"html"_s,
        u"Write the report (or the sweep) as a self-contained HTML page with charts."_s,
        u"FILE"_s };
    QCommandLineOption m_csv { u"csv"_s,
        u"Write the affected identifiers (with --sweep: one row per value) as CSV."_s, u"FILE"_s };
    QCommandLineOption m_failIf { u"fail-if"_s,
        u"Exit 1 when the report meets this condition (a budget the candidate must keep)."_s,
        u"EXPR"_s };
    QCommandLineOption m_warmup { u"warmup"_s,
        u"Decide the first DURATION without reporting it (e.g. 1h); with --db it is read before "
        u"--from."_s,
        u"DURATION"_s };
    QCommandLineOption m_strict { u"strict"_s,
        u"Stop at the first bad trace row instead of skipping."_s };

    enforcement::TimeMs m_warmupMs = 0;
    std::optional<simulation::ReportCondition> m_condition;
    std::optional<simulation::SweepSpec> m_spec;
    int m_threadCount = 0;
    std::optional<LoadedPolicy> m_baselinePolicy;
    std::optional<LoadedPolicy> m_candidatePolicy;
    std::unique_ptr<simulation::TraceSource> m_source;
    simulation::LoadedTrace m_loaded;
    bool m_stdoutTaken = false;
    bool m_anyOutput = false; // the summary is printed only without output files
};

int SimulateCommand::run(const QStringList& arguments)
{
    if (const int exit = parse(arguments); exit >= 0)
        return exit;
    const bool useDb = m_args.parser().isSet(m_db);
    if (useDb) {
        QString conninfo = m_args.parser().value(m_db);
        if (conninfo.isEmpty())
            conninfo = qEnvironmentVariable("QUOTA_DATABASE_URL");
        const db::ConnectionString connection = db::ConnectionString::parse(conninfo);
        if (!connection.isValid())
            return m_args.usageError(u"--db: "_s % connection.errorString());
        if (const QString error = connection.open(kConnection); !error.isEmpty()) {
            printCommandError(kCommand, error);
            return ExitFailure;
        }
        const auto from = parseTime(m_args.parser().value(m_from));
        const auto to = parseTime(m_args.parser().value(m_to));
        replay::Range range { *from, *to, m_warmupMs };
        m_source = std::make_unique<replay::DatabaseTraceSource>(kConnection, range,
            connection.redacted().isEmpty() ? u"the default database"_s : connection.redacted());
    } else {
        m_source = std::make_unique<simulation::FileTraceSource>(m_args.parser().value(m_trace));
    }
    int result = ExitFailure;
    // A trace file simulated once is read and decided at once: only a few chunks of rows are
    // in memory at a time. Sweeps decide the trace many times and need it whole; with
    // --strict it is read whole first, so that a bad row stops the run before anything is
    // written.
    if (const auto exit = loadPolicies())
        result = *exit;
    else if (!useDb && !m_spec && !m_args.parser().isSet(m_strict))
        result = simulateStreamed();
    else if (loadTrace())
        result = m_spec ? runSweep() : simulateOnce();
    m_source.reset();
    if (useDb)
        QSqlDatabase::removeDatabase(kConnection);
    return result;
}

int SimulateCommand::parse(const QStringList& arguments)
{
    for (const QCommandLineOption* option :
        { &m_policy, &m_trace, &m_db, &m_from, &m_to, &m_baseline, &m_baselineVersion, &m_sweep,
            &m_threads, &m_decisions, &m_json, &m_html, &m_csv, &m_failIf, &m_warmup, &m_strict })
        m_args.addOption(*option);
    if (const auto exit = m_args.parse(arguments))
        return *exit;
    QCommandLineParser& p = m_args.parser();
    if (!p.positionalArguments().isEmpty())
        return m_args.usageError(
            u"unexpected argument '"_s % p.positionalArguments().constFirst() % u"'"_s);
    const bool useDb = p.isSet(m_db);
    if (!p.isSet(m_policy) && !p.isSet(m_sweep))
        return m_args.usageError(u"--policy FILE is required (the candidate policy)"_s);
    if (p.isSet(m_trace) && useDb)
        return m_args.usageError(u"give the traffic once: --trace FILE or --db CONNINFO"_s);
    if (!p.isSet(m_trace) && !useDb)
        return m_args.usageError(u"--trace FILE is required (the trace to replay), or --db "
                                 u"CONNINFO --from T --to T for the quota database's "
                                 u"request_logs"_s);
    if (useDb) {
        for (const QCommandLineOption* option : { &m_from, &m_to }) {
            const QString name = option->names().constFirst();
            if (!p.isSet(*option))
                return m_args.usageError(u"--db needs --"_s % name
                    % u" T (RFC 3339, e.g. "
                      u"2026-01-05T00:00:00Z)"_s);
            if (!parseTime(p.value(*option)))
                return m_args.usageError(u"--"_s % name % u": '"_s % p.value(*option)
                    % u"' is not a time; use RFC 3339 (2026-01-05T00:00:00Z) or epoch "
                      u"milliseconds"_s);
        }
        if (*parseTime(p.value(m_to)) <= *parseTime(p.value(m_from)))
            return m_args.usageError(u"--to must be after --from"_s);
    } else {
        for (const QCommandLineOption* option : { &m_from, &m_to, &m_baselineVersion }) {
            if (p.isSet(*option))
                return m_args.usageError(u"--"_s % option->names().constFirst()
                    % u" needs --db (it selects "
                      u"request_logs of the database)"_s);
        }
    }
    if (p.isSet(m_baseline) && p.isSet(m_baselineVersion))
        return m_args.usageError(u"give the baseline once: --baseline FILE or "
                                 u"--baseline-version N"_s);
    if (p.isSet(m_baselineVersion)) {
        bool ok = false;
        const qlonglong id = p.value(m_baselineVersion).toLongLong(&ok);
        if (!ok || id <= 0)
            return m_args.usageError(u"--baseline-version: '"_s % p.value(m_baselineVersion)
                % u"' is not a version id (a positive integer)"_s);
    }
    if (p.isSet(m_warmup)) {
        const auto parsed = policy::parseDuration(p.value(m_warmup));
        if (!parsed || *parsed < 0)
            return m_args.usageError(u"--warmup: '"_s % p.value(m_warmup)
                % u"' is not a duration; use e.g. 90s, 5m, 2h, 1d"_s);
        m_warmupMs = *parsed;
    }
    QStringList outputs;
    for (const QCommandLineOption* option : { &m_decisions, &m_json, &m_html, &m_csv }) {
        if (!p.isSet(*option))
            continue;
        const QString path = p.value(*option);
        if (path == u"-"_s) {
            if (m_stdoutTaken)
                return m_args.usageError(u"only one output can go to stdout (-)"_s);
            m_stdoutTaken = true;
        } else if (outputs.contains(path)) {
            return m_args.usageError(u"two outputs name the same file '"_s % path % u"'"_s);
        }
        outputs.push_back(path);
        m_anyOutput = true;
    }
    if (p.isSet(m_failIf)) {
        if (p.isSet(m_sweep))
            return m_args.usageError(u"--fail-if judges one candidate; it cannot be combined "
                                     u"with --sweep"_s);
        simulation::ConditionError error;
        m_condition = simulation::ReportCondition::parse(p.value(m_failIf), &error);
        if (!m_condition)
            return m_args.usageError(u"--fail-if "_s % error.toString(p.value(m_failIf)));
    }
    if (p.isSet(m_sweep) && p.isSet(m_decisions))
        return m_args.usageError(u"--decisions writes one candidate's decisions; it cannot be "
                                 u"combined with --sweep"_s);
    if (p.isSet(m_threads)) {
        bool ok = false;
        m_threadCount = p.value(m_threads).toInt(&ok);
        if (!ok || m_threadCount <= 0)
            return m_args.usageError(
                u"--threads: '"_s % p.value(m_threads) % u"' is not a positive number"_s);
        if (!p.isSet(m_sweep))
            return m_args.usageError(u"--threads applies to --sweep"_s);
    }
    return -1;
}

std::optional<int> SimulateCommand::loadPolicies()
{
    QCommandLineParser& p = m_args.parser();
    if (p.isSet(m_baseline)) {
        m_baselinePolicy = loadPolicy(p.value(m_baseline));
    } else if (p.isSet(m_db)) {
        const qint64 id = p.isSet(m_baselineVersion) ? p.value(m_baselineVersion).toLongLong() : 0;
        replay::PolicyVersionResult version
            = replay::loadPolicyVersion(QSqlDatabase::database(kConnection, false), id);
        if (!version.ok()) {
            printCommandError(kCommand, version.error);
            return ExitFailure;
        }
        m_baselinePolicy = LoadedPolicy { std::move(*version.policy), version.version->json,
            u"policy version "_s % QString::number(version.version->id)
                % (version.version->active ? u" (active)"_s : QString()) };
    } else {
        m_baselinePolicy = LoadedPolicy { policy::defaultPolicy(), policy::defaultPolicyJson(),
            u"default policy"_s };
    }
    if (p.isSet(m_policy))
        m_candidatePolicy = loadPolicy(p.value(m_policy));
    else if (m_baselinePolicy)
        m_candidatePolicy = m_baselinePolicy; // --sweep of the baseline itself
    if (!m_baselinePolicy || !m_candidatePolicy)
        return ExitFailure;
    if (p.isSet(m_sweep)) {
        QString error;
        m_spec = simulation::parseSweepSpec(p.value(m_sweep), m_candidatePolicy->policy, &error);
        if (!m_spec) // the argument does not name a parameter of the candidate
            return m_args.usageError(u"--sweep: "_s % error);
        // Every value must give a valid policy before anything is read.
        for (const std::int64_t value : m_spec->values) {
            if (!simulation::policyWithValue(
                    m_candidatePolicy->json, m_spec->parameter, value, &error)) {
                return m_args.usageError(u"--sweep: "_s % error);
            }
        }
    }
    return std::nullopt;
}

bool SimulateCommand::loadTrace()
{
    // Short enough for one terminal line: the percentage is redrawn in place.
    Progress progress(m_args.parser().isSet(m_db) ? u"reading request_logs"_s
                                                  : u"reading "_s % m_args.parser().value(m_trace));
    simulation::LoadOptions options;
    options.strict = m_args.parser().isSet(m_strict);
    options.progress = [&progress](std::uint64_t requests, double fraction) {
        progress.update(fraction, requests > 0 ? grouped(requests) % u" requests"_s : QString());
        return true;
    };
    m_loaded = m_source->load(options);
    progress.done();
    for (const trace::TraceError& error : m_loaded.rowErrors) {
        if (error.toString() != m_loaded.error) // --strict: the fatal row is said once, below
            printError(m_source->description() % u": "_s % error.toString() % u'\n');
    }
    if (!m_loaded.error.isEmpty()) {
        printCommandError(kCommand, m_loaded.error);
        return false;
    }
    if (m_loaded.skippedRows > 0)
        printError(m_source->description() % u": "_s % QString::number(m_loaded.skippedRows)
            % u" bad rows skipped (use --strict to stop at the first)\n"_s);
    for (const QString& warning : m_loaded.warnings)
        printError(u"quotactl simulate: warning: "_s % warning % u'\n');
    if (const auto* db = dynamic_cast<const replay::DatabaseTraceSource*>(m_source.get())) {
        const replay::LoadStats& s = db->stats();
        printError(u"Read "_s % grouped(s.rows) % u" requests, "_s % grouped(s.blocks)
            % u" blocks, "_s % grouped(s.unblocks) % u" unblocks and "_s % grouped(s.planChanges)
            % u" plan changes in "_s % QString::number(s.totalSeconds, 'f', 2)
            % u" s (waiting for the server "_s % QString::number(s.waitSeconds, 'f', 2)
            % u" s, decoding "_s % QString::number(s.decodeSeconds, 'f', 2) % u" s)\n"_s);
    }
    return true;
}

int SimulateCommand::simulateOnce()
{
    QCommandLineParser& p = m_args.parser();
    const trace::Trace& trace = m_loaded.trace;
    const QString decisionsPath = p.value(m_decisions);
    QFile decisionsFile;
    std::unique_ptr<simulation::DecisionWriter> writer;
    if (!decisionsPath.isEmpty()) {
        if (const auto error = openOutput(decisionsFile, decisionsPath)) {
            printCommandError(kCommand, *error);
            return ExitFailure;
        }
        writer = std::make_unique<simulation::DecisionWriter>(
            m_candidatePolicy->policy, *trace.dictionary, decisionsFile);
    }

    simulation::Options options;
    options.warmupMs = m_loaded.warmupMs(m_warmupMs);
    options.candidateSink = writer.get();
    options.baselineName = m_baselinePolicy->name;
    options.candidateName = m_candidatePolicy->name;
    // The CSV lists every affected identifier; the other outputs the most affected.
    options.topN = p.isSet(m_csv) ? INT_MAX : kTopN;
    Progress progress(u"simulating"_s);
    options.progress = [&progress](std::uint64_t done, std::uint64_t size) {
        progress.update(size > 0 ? static_cast<double>(done) / static_cast<double>(size) : 0);
        return true;
    };
    simulation::Report report
        = simulation::simulate(m_baselinePolicy->policy, m_candidatePolicy->policy, trace, options);
    progress.done();
    for (const QString& warning : m_loaded.warnings)
        report.warnings.push_back(warning);
    if (m_loaded.trace.lines.empty()) { // from the database: no lines, the request id says it
        for (simulation::Disagreement& d : report.fidelity.disagreements)
            d.line = 0;
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
    return writeReport(report, m_loaded.seconds);
}

bool SimulateCommand::reportFileRead(const trace::ReadResult& read)
{
    const QString path = m_source->description();
    for (const trace::TraceError& error : read.errors) {
        if (error.toString() != read.fatal) // --strict: the fatal row is said once, below
            printError(path % u": "_s % error.toString() % u'\n');
    }
    if (!read.fatal.isEmpty()) {
        printCommandError(
            kCommand, read.fatal.contains(path) ? read.fatal : path % u": "_s % read.fatal);
        return false;
    }
    if (read.skippedRows > 0)
        printError(path % u": "_s % QString::number(read.skippedRows)
            % u" bad rows skipped (use --strict to stop at the first)\n"_s);
    return true;
}

int SimulateCommand::simulateStreamed()
{
    QCommandLineParser& p = m_args.parser();
    const QString tracePath = p.value(m_trace);
    const QString decisionsPath = p.value(m_decisions);
    auto dictionary = std::make_shared<enforcement::Dictionary>();
    QFile decisionsFile;
    std::unique_ptr<simulation::DecisionWriter> writer;
    if (!decisionsPath.isEmpty())
        writer = std::make_unique<simulation::DecisionWriter>(
            m_candidatePolicy->policy, *dictionary, decisionsFile);
    std::optional<QString> outputError;
    // Opened once the trace reads, so that a trace that does not leaves the file alone.
    auto openDecisions = [&] {
        if (decisionsPath.isEmpty())
            return true;
        outputError = openOutput(decisionsFile, decisionsPath);
        return !outputError;
    };

    Progress progress(u"simulating "_s % tracePath);
    trace::ReadOptions readOptions;
    readOptions.progress = [&progress](qint64 done, qint64 size) {
        progress.update(size > 0 ? static_cast<double>(done) / static_cast<double>(size) : 0);
        return true;
    };
    simulation::Options options;
    options.warmupMs = m_warmupMs;
    options.candidateSink = writer.get();
    options.baselineName = m_baselinePolicy->name;
    options.candidateName = m_candidatePolicy->name;
    // The CSV lists every affected identifier; the other outputs the most affected.
    options.topN = p.isSet(m_csv) ? INT_MAX : kTopN;
    simulation::FileSimulation run = simulation::simulateFile(m_baselinePolicy->policy,
        m_candidatePolicy->policy, tracePath, readOptions, options, dictionary, openDecisions);
    progress.done();
    if (outputError) {
        printCommandError(kCommand, *outputError);
        return ExitFailure;
    }
    if (!reportFileRead(run.read))
        return ExitFailure;
    if (writer) {
        if (!writer->flush()) {
            printCommandError(
                kCommand, u"writing '"_s % decisionsPath % u"' failed: "_s % writer->error());
            return ExitFailure;
        }
        writer.reset();
        decisionsFile.close();
    }
    return writeReport(run.report, run.readS);
}

int SimulateCommand::writeReport(simulation::Report& report, double readS)
{
    QCommandLineParser& p = m_args.parser();
    if (p.isSet(m_csv)) {
        if (const auto error
            = writeOutput(p.value(m_csv), simulation::affectedIdentifiersCsv(report))) {
            printCommandError(kCommand, *error);
            return ExitFailure;
        }
        simulation::limitTopLists(report, kTopN);
    }
    const QJsonObject json = simulation::toJson(report);
    bool broken = false;
    if (m_condition)
        broken = m_condition->evaluate(json);
    if (p.isSet(m_json)) {
        if (const auto error = writeOutput(p.value(m_json), QJsonDocument(json).toJson())) {
            printCommandError(kCommand, *error);
            return ExitFailure;
        }
    }
    if (p.isSet(m_html)) {
        simulation::HtmlOptions html;
        html.title = u"Policy simulation"_s;
        html.generatedAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
        html.source = m_source->description();
        for (const policy::PolicyChange& change :
            policy::diff(m_baselinePolicy->policy, m_candidatePolicy->policy))
            html.policyChanges.push_back(change.toString());
        if (m_condition) {
            html.condition = m_condition->expression();
            html.conditionBroken = broken;
            html.conditionValues = m_condition->explain(json);
        }
        const simulation::HtmlPage page = simulation::toHtml(report, html);
        if (const auto error = writeOutput(p.value(m_html), page.html.toUtf8())) {
            printCommandError(kCommand, *error);
            return ExitFailure;
        }
    }
    if (!m_anyOutput) {
        printOut(u"Read "_s % m_source->description() % u" in "_s % QString::number(readS, 'f', 2)
            % u" s\n"_s % simulation::toText(report));
    } else {
        for (const QString& warning : report.warnings)
            printError(u"quotactl simulate: warning: "_s % warning % u'\n');
    }
    if (m_condition) {
        const QString verdict
            = m_condition->expression() % u" ("_s % m_condition->explain(json) % u')';
        if (broken) {
            printCommandError(kCommand, u"budget broken: "_s % verdict);
            return ExitFailure;
        }
        printError(u"quotactl simulate: budget kept: not "_s % verdict % u'\n');
    }
    return ExitOk;
}

int SimulateCommand::runSweep()
{
    QCommandLineParser& p = m_args.parser();
    simulation::SweepOptions options;
    options.warmupMs = m_loaded.warmupMs(m_warmupMs);
    options.threads = m_threadCount;
    options.baselineName = m_baselinePolicy->name;
    options.candidateName = m_candidatePolicy->name;
    Progress progress(u"sweeping "_s % m_spec->parameter.path());
    options.progress = [&progress](std::uint64_t done, std::uint64_t total) {
        progress.update(total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 0);
        return true;
    };
    simulation::SweepResult result = simulation::sweep(
        m_baselinePolicy->policy, m_candidatePolicy->json, m_loaded.trace, *m_spec, options);
    progress.done();
    if (!result.error.isEmpty()) {
        printCommandError(kCommand, u"--sweep: "_s % result.error);
        return ExitFailure;
    }
    result.warnings += m_loaded.warnings;
    if (p.isSet(m_json)) {
        if (const auto error
            = writeOutput(p.value(m_json), QJsonDocument(simulation::toJson(result)).toJson())) {
            printCommandError(kCommand, *error);
            return ExitFailure;
        }
    }
    if (p.isSet(m_csv)) {
        if (const auto error = writeOutput(p.value(m_csv), simulation::toCsv(result))) {
            printCommandError(kCommand, *error);
            return ExitFailure;
        }
    }
    if (p.isSet(m_html)) {
        simulation::HtmlOptions html;
        html.title = u"Policy sweep: "_s % result.parameter.path();
        html.generatedAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
        html.source = m_source->description();
        const simulation::HtmlPage page = simulation::toHtml(result, html);
        if (const auto error = writeOutput(p.value(m_html), page.html.toUtf8())) {
            printCommandError(kCommand, *error);
            return ExitFailure;
        }
    }
    if (!m_anyOutput)
        printOut(simulation::toText(result));
    else
        for (const QString& warning : result.warnings)
            printError(u"quotactl simulate: warning: "_s % warning % u'\n');
    return ExitOk;
}

int runSimulate(const QStringList& arguments)
{
    SimulateCommand command;
    return command.run(arguments);
}

} // namespace

const Command simulateCommand { "simulate",
    "Compare a candidate policy with a baseline over recorded traffic, or sweep a parameter",
    &runSimulate };

} // namespace qc::cli
