#include "simulationrunner.h"

#include "replay/databasetracesource.h"
#include "services/databaseworker.h"
#include "services/logging.h"
#include "services/whenfinished.h"
#include "simulation/clientkey.h"
#include "simulation/simulator.h"
#include "simulation/tracesource.h"

#include <QCoreApplication>
#include <QFuture>
#include <QSqlDatabase>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <exception>
#include <new>

using namespace Qt::StringLiterals;

namespace qc::workbench {

namespace {

const QString kLoadChannel = u"simulate/load"_s;

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(qc::workbench::SimulationRunner)
};

QString text(std::string_view view)
{
    return QString::fromUtf8(view.data(), static_cast<qsizetype>(view.size()));
}

// Counts a job as alive for its whole life, however it ends.
class JobGuard {
public:
    explicit JobGuard(std::shared_ptr<std::atomic<int>> jobs)
        : m_jobs(std::move(jobs))
    {
    }
    ~JobGuard() { --*m_jobs; }
    JobGuard(const JobGuard&) = delete;
    JobGuard& operator=(const JobGuard&) = delete;

private:
    std::shared_ptr<std::atomic<int>> m_jobs;
};

} // namespace

// Progress of one run, written by its threads and read by the GUI's timer.
struct SimulationRunner::Shared {
    std::atomic<int> phase { static_cast<int>(RunProgress::Phase::Loading) };
    std::atomic<std::uint64_t> done { 0 };
    std::atomic<std::uint64_t> total { 0 };
    std::atomic<std::uint32_t> permille { 0 };

    void enter(RunProgress::Phase p)
    {
        done = 0;
        total = 0;
        permille = 0;
        phase = static_cast<int>(p);
    }

    simulation::LoadOptions loadOptions(std::stop_token stop)
    {
        simulation::LoadOptions options;
        options.stopToken = std::move(stop);
        options.progress = [this](std::uint64_t requests, double fraction) {
            done = requests;
            permille = static_cast<std::uint32_t>(std::clamp(fraction, 0.0, 1.0) * 1000);
            return true;
        };
        return options;
    }
};

// Traffic read by a run, kept for the next one.
struct SimulationRunner::Kept {
    QString key;
    simulation::LoadedTrace loaded;
    LoadSummary summary;
};

namespace {

LoadSummary summarize(const simulation::LoadedTrace& loaded, const QString& description)
{
    LoadSummary s;
    s.description = description;
    s.requests = loaded.trace.size();
    s.seconds = loaded.seconds;
    s.warnings = loaded.warnings;
    s.rowErrors = loaded.rowErrors;
    s.skippedRows = loaded.skippedRows;
    return s;
}

QString loadError(const simulation::LoadedTrace& loaded, const QString& description)
{
    if (!loaded.error.isEmpty())
        return loaded.error;
    if (loaded.trace.requests.empty())
        return Tr::tr("%1 has no requests to replay.").arg(description);
    return {};
}

// Runs `work` on a pool thread; an exception (out of memory on a huge trace) becomes the
// result's error, "<what>: <why>", so that the run ends with a message instead of never.
template<typename Result, typename Work> Result failureAsError(Work work, const QString& what)
{
    QString why;
    try {
        return work();
    } catch (const std::bad_alloc&) {
        why = Tr::tr("not enough memory");
    } catch (const std::exception& e) {
        why = QString::fromLocal8Bit(e.what());
    } catch (...) {
        why = Tr::tr("an unexpected error");
    }
    Result failed;
    failed.error = what + u": "_s + why + u'.';
    return failed;
}

// Decides the kept traffic under the request's policies (on a pool thread).
RunResult compute(const RunRequest& request, const simulation::LoadedTrace& loaded,
    std::stop_token stop, const std::function<void(RunProgress::Phase)>& enter,
    const std::function<bool(std::uint64_t, std::uint64_t)>& progress)
{
    RunResult result;
    const enforcement::TimeMs warmupMs = loaded.warmupMs(request.source.warmupMs);
    if (request.sweep) {
        enter(RunProgress::Phase::Sweeping);
        simulation::SweepOptions options;
        options.warmupMs = warmupMs;
        options.threads = 0; // every core
        options.stopToken = stop;
        options.progress = progress;
        options.baselineName = request.baselineName;
        options.candidateName = request.candidateName;
        simulation::SweepResult sweep = simulation::sweep(
            request.baseline, request.candidateJson, loaded.trace, *request.sweep, options);
        if (sweep.cancelled || stop.stop_requested()) {
            result.cancelled = true;
            return result;
        }
        if (!sweep.error.isEmpty()) {
            result.error = sweep.error;
            return result;
        }
        sweep.warnings += loaded.warnings;
        result.sweep = std::move(sweep);
        return result;
    }

    enter(RunProgress::Phase::Simulating);
    simulation::Options options;
    options.warmupMs = warmupMs;
    options.stopToken = stop;
    options.progress = progress;
    options.baselineName = request.baselineName;
    options.candidateName = request.candidateName;
    options.topN = request.topN;
    options.maxDisagreements = request.maxDisagreements;
    simulation::Report report
        = simulation::simulate(request.baseline, request.candidate, loaded.trace, options);
    if (report.cancelled || stop.stop_requested()) {
        result.cancelled = true;
        return result;
    }
    for (const QString& warning : loaded.warnings)
        report.warnings.push_back(warning);
    // Who the disagreeing requests are, for the list that leads to their investigation.
    const trace::Trace& trace = loaded.trace;
    for (const simulation::Disagreement& d : report.fidelity.disagreements) {
        DisagreementDetail detail;
        if (d.index < trace.requests.size()) {
            const enforcement::Request r
                = enforcement::decode(*trace.dictionary, trace.requests[d.index]);
            detail.ts = r.ts;
            detail.client = QString::fromStdString(
                simulation::clientKeyOf(r.ip, r.forwardedFor, request.baseline));
            detail.user = text(r.userId);
            detail.endpoint = text(r.endpoint);
            detail.method = text(r.method);
        }
        result.disagreementDetails.push_back(detail);
    }
    result.report = std::move(report);
    return result;
}

} // namespace

SimulationRunner::SimulationRunner(QObject* parent)
    : QObject(parent)
    , m_jobs(std::make_shared<std::atomic<int>>(0))
{
    // One run at a time; a simulation and a sweep make their own threads inside it.
    m_pool.setMaxThreadCount(1);
    m_pool.setObjectName(u"simulation"_s);
    m_progressTimer.setInterval(100);
    connect(&m_progressTimer, &QTimer::timeout, this, &SimulationRunner::publishProgress);
    qRegisterMetaType<RunResult>();
    qRegisterMetaType<RunProgress>();
}

SimulationRunner::~SimulationRunner()
{
    m_stop.request_stop();
    if (m_database && m_dbLoadPending)
        m_database->cancel(kLoadChannel);
    m_pool.waitForDone();
}

void SimulationRunner::setDatabase(services::DatabaseWorker* worker)
{
    m_database = worker;
}

int SimulationRunner::activeJobs() const
{
    return std::max(m_pool.activeThreadCount(), 0) + m_jobs->load();
}

QString SimulationRunner::keptTraceDescription() const
{
    return m_kept ? m_kept->summary.description : QString();
}

void SimulationRunner::dropTrace()
{
    m_kept.reset();
}

QString SimulationRunner::sourceKey(const simulation::WorkspaceSource& s, const QString& label)
{
    using Kind = simulation::WorkspaceSource::Kind;
    switch (s.kind) {
    case Kind::File:
        return u"file|"_s % s.path % u'|' % QString::number(static_cast<int>(s.format)) % u'|'
            % QString::number(s.warmupMs);
    case Kind::Database:
        return u"db|"_s % label % u'|' % QString::number(s.fromMs) % u'|' % QString::number(s.toMs)
            % u'|' % QString::number(s.warmupMs);
    case Kind::Generated: {
        const trace::GeneratorOptions& g = s.generator;
        QString key = u"gen|"_s % QString::number(g.startMs) % u'|' % QString::number(g.durationMs)
            % u'|' % QString::number(g.seed) % u'|' % QString::number(g.users) % u'|'
            % QString::number(g.ips) % u'|' % QString::number(g.requestsPerSecond, 'g', 17) % u'|'
            % QString::number(g.requestIds) % u'|' % QString::number(s.warmupMs);
        for (const trace::Scenario& sc : g.scenarios)
            key += u'|' % trace::scenarioName(sc.kind) % u':'
                % QString::number(sc.offsetMs.value_or(-1)) % u':'
                % QString::number(sc.durationMs.value_or(-1)) % u':'
                % QString::number(sc.rate, 'g', 17);
        return key;
    }
    }
    return {};
}

bool SimulationRunner::start(RunRequest request)
{
    if (m_running)
        return false;
    m_running = true;
    ++m_runId;
    m_request = std::move(request);
    m_stop = std::stop_source();
    m_shared = std::make_shared<Shared>();
    m_samples.clear();
    m_clock.start();
    m_progress = RunProgress {};
    m_progress.phase = RunProgress::Phase::Loading;
    m_progressTimer.start();

    const QString key = sourceKey(m_request.source, m_request.sourceLabel);
    if (m_kept && m_kept->key == key && !m_request.reloadTrace) {
        startCompute(m_kept, true);
        publishProgress();
        return true;
    }
    m_kept.reset(); // the old traffic is not wanted any more: give the memory back first

    using Kind = simulation::WorkspaceSource::Kind;
    const simulation::WorkspaceSource& source = m_request.source;
    if (source.kind == Kind::Database) {
        if (!m_database) {
            RunResult failed;
            failed.error = Tr::tr("Connect to a quota database to replay its request_logs.");
            finishLater(std::move(failed));
            return true;
        }
        const replay::Range range { source.fromMs, source.toMs, source.warmupMs };
        const QString label = m_request.sourceLabel;
        const std::shared_ptr<Shared> shared = m_shared;
        const std::stop_token stop = m_stop.get_token();
        const std::shared_ptr<std::atomic<int>> jobs = m_jobs;
        const quint64 runId = m_runId;
        ++*jobs;
        m_dbLoadPending = true;
        using Loaded = std::shared_ptr<Kept>;
        const quint64 generation = m_database->post<Loaded>(
            kLoadChannel, this,
            [range, label, shared, stop, jobs, key](QSqlDatabase& db) -> Loaded {
                const JobGuard guard(jobs);
                auto kept = std::make_shared<Kept>();
                kept->key = key;
                replay::DatabaseTraceSource logs(db.connectionName(), range, label);
                kept->loaded = logs.load(shared->loadOptions(stop));
                kept->summary = summarize(kept->loaded, logs.description());
                kept->summary.database = logs.stats();
                return kept;
            },
            [this, runId](const services::JobOutcome<Loaded>& outcome) {
                if (runId != m_runId || !m_running)
                    return;
                m_dbLoadPending = false;
                if (!outcome.ran()) {
                    RunResult failed;
                    failed.error = outcome.error;
                    finishLater(std::move(failed));
                    return;
                }
                const Loaded& kept = outcome.value;
                if (kept->loaded.cancelled || m_stop.stop_requested()) {
                    RunResult cancelled;
                    cancelled.cancelled = true;
                    finishLater(std::move(cancelled));
                    return;
                }
                if (const QString error = loadError(kept->loaded, kept->summary.description);
                    !error.isEmpty()) {
                    RunResult failed;
                    failed.error = error;
                    failed.load = kept->summary;
                    finishLater(std::move(failed));
                    return;
                }
                m_kept = kept;
                startCompute(kept, false);
            });
        Q_UNUSED(generation)
        publishProgress();
        return true;
    }

    // A file or a generated scenario: read it on the pool thread, then decide it there.
    const std::shared_ptr<Shared> shared = m_shared;
    const std::stop_token stop = m_stop.get_token();
    std::unique_ptr<simulation::TraceSource> traceSource;
    if (source.kind == Kind::File)
        traceSource = std::make_unique<simulation::FileTraceSource>(source.path, source.format);
    else
        traceSource = std::make_unique<simulation::GeneratedTraceSource>(source.generator);
    const quint64 runId = m_runId;
    QFuture<std::shared_ptr<Kept>> future = QtConcurrent::run(&m_pool,
        [shared, stop, key,
            traceSource = std::shared_ptr<simulation::TraceSource>(std::move(traceSource))]() {
            auto kept = std::make_shared<Kept>();
            kept->key = key;
            kept->loaded = failureAsError<simulation::LoadedTrace>(
                [&] { return traceSource->load(shared->loadOptions(stop)); },
                Tr::tr("Reading %1 failed").arg(traceSource->description()));
            kept->summary = summarize(kept->loaded, traceSource->description());
            return kept;
        });
    services::whenFinished(this, future, [this, runId](const std::shared_ptr<Kept>& kept) {
        if (runId != m_runId || !m_running)
            return;
        if (kept->loaded.cancelled || m_stop.stop_requested()) {
            RunResult cancelled;
            cancelled.cancelled = true;
            finishLater(std::move(cancelled));
            return;
        }
        if (const QString error = loadError(kept->loaded, kept->summary.description);
            !error.isEmpty()) {
            RunResult failed;
            failed.error = error;
            failed.load = kept->summary;
            finishLater(std::move(failed));
            return;
        }
        m_kept = kept;
        startCompute(kept, false);
    });
    publishProgress();
    return true;
}

void SimulationRunner::startCompute(std::shared_ptr<const Kept> kept, bool reused)
{
    const std::shared_ptr<Shared> shared = m_shared;
    const std::stop_token stop = m_stop.get_token();
    const RunRequest request = m_request;
    const quint64 runId = m_runId;
    LoadSummary summary = kept->summary;
    summary.reused = reused;
    QFuture<RunResult> future = QtConcurrent::run(&m_pool, [shared, stop, request, kept]() {
        auto enter = [&shared](RunProgress::Phase phase) { shared->enter(phase); };
        auto progress = [&shared](std::uint64_t done, std::uint64_t total) {
            shared->done = done;
            shared->total = total;
            shared->permille = total == 0 ? 0
                                          : static_cast<std::uint32_t>(std::min<std::uint64_t>(1000,
                                              done * 1000 / std::max<std::uint64_t>(total, 1)));
            return true;
        };
        return failureAsError<RunResult>(
            [&] { return compute(request, kept->loaded, stop, enter, progress); },
            Tr::tr("The simulation failed"));
    });
    services::whenFinished(this, future, [this, runId, summary](RunResult result) {
        if (runId != m_runId || !m_running)
            return;
        result.load = summary;
        finishLater(std::move(result));
    });
}

void SimulationRunner::cancel()
{
    if (!m_running)
        return;
    m_stop.request_stop();
    m_progress.phase = RunProgress::Phase::Cancelling;
    if (m_dbLoadPending && m_database) {
        // The load stops at its next batch; cancelling its query interrupts a slow one. Its
        // answer is dropped, so the run ends here: the job only has to return.
        m_database->cancel(kLoadChannel);
        m_dbLoadPending = false;
        RunResult cancelled;
        cancelled.cancelled = true;
        finishLater(std::move(cancelled));
        Q_EMIT progressChanged(m_progress);
        return;
    }
    Q_EMIT progressChanged(m_progress);
}

void SimulationRunner::finishLater(RunResult result)
{
    // finished() never comes from inside start() or cancel(): callers connect first.
    const quint64 runId = m_runId;
    QMetaObject::invokeMethod(
        this,
        [this, runId, result = std::move(result)]() mutable {
            if (runId == m_runId && m_running)
                finish(std::move(result));
        },
        Qt::QueuedConnection);
}

void SimulationRunner::finish(RunResult result)
{
    m_running = false;
    m_dbLoadPending = false;
    m_progressTimer.stop();
    m_progress.phase = RunProgress::Phase::Idle;
    m_progress.elapsedS = static_cast<double>(m_clock.elapsed()) / 1000.0;
    if (!result.error.isEmpty())
        services::logger()->warn("simulation failed: {}", services::toLog(result.error));
    Q_EMIT progressChanged(m_progress);
    Q_EMIT finished(result);
}

void SimulationRunner::publishProgress()
{
    if (!m_running || !m_shared)
        return;
    const qint64 now = m_clock.elapsed();
    RunProgress p;
    p.phase = m_progress.phase == RunProgress::Phase::Cancelling
        ? RunProgress::Phase::Cancelling
        : static_cast<RunProgress::Phase>(m_shared->phase.load());
    p.done = m_shared->done;
    p.total = m_shared->total;
    p.fraction = m_shared->permille / 1000.0;
    p.elapsedS = static_cast<double>(now) / 1000.0;
    // Rate over the last second or so; a new phase starts the samples again.
    if (p.phase != m_progress.phase || (!m_samples.isEmpty() && p.done < m_samples.last().second))
        m_samples.clear();
    m_samples.push_back({ now, p.done });
    while (m_samples.size() > 2 && now - m_samples.first().first > 1500)
        m_samples.removeFirst();
    if (m_samples.size() >= 2) {
        const auto& first = m_samples.first();
        const double seconds = static_cast<double>(now - first.first) / 1000.0;
        if (seconds > 0)
            p.perSecond = static_cast<double>(p.done - first.second) / seconds;
    }
    m_progress = p;
    Q_EMIT progressChanged(m_progress);
}

} // namespace qc::workbench
