#pragma once

#include "simulationrun.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QThreadPool>
#include <QTimer>

#include <atomic>
#include <memory>
#include <stop_token>

namespace qc::services {
class DatabaseWorker;
}
namespace qc::simulation {
struct LoadedTrace;
}

namespace qc::workbench {

/// Runs the Simulate page's simulations and sweeps off the GUI thread: reads the traffic (a
/// file or a generated scenario on its own thread; request_logs through the session's reader
/// connection, docs/console-architecture.md), then decides it under both policies with
/// core/simulation (a sweep spreads its values over every core). Progress (phase, requests,
/// requests per second) is published ten times a second; cancel() stops every thread of the
/// run, and finished() comes only when none is left working.
///
/// The traffic of the last run is kept, so that trying another candidate on the same trace
/// does not read it again (RunRequest::reloadTrace forces a new read).
class SimulationRunner final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY(SimulationRunner)
public:
    explicit SimulationRunner(QObject* parent = nullptr);
    /// Cancels a run and waits for its threads (a few milliseconds: they check often).
    ~SimulationRunner() override;

    /// Where request_logs are read (the session's reader); null: database sources fail.
    void setDatabase(services::DatabaseWorker* worker);

    /// Starts a run; false (and nothing happens) while one is running.
    bool start(RunRequest request);
    /// Stops the run; finished() follows with `cancelled` set.
    void cancel();
    bool isRunning() const { return m_running; }
    /// Threads (or database jobs) of this runner still working: 0 once finished() came.
    int activeJobs() const;
    const RunProgress& progress() const { return m_progress; }

    /// The traffic kept from the last run: its description, empty when none.
    QString keptTraceDescription() const;
    /// Forgets the kept traffic (the source changed, or memory is wanted back).
    void dropTrace();

    /// Identifies a source, for reusing the traffic read last.
    static QString sourceKey(const simulation::WorkspaceSource& source, const QString& label);

Q_SIGNALS:
    void progressChanged(const qc::workbench::RunProgress& progress);
    void finished(const qc::workbench::RunResult& result);

private:
    struct Shared;
    struct Kept;
    void startCompute(std::shared_ptr<const Kept> kept, bool reused);
    void finish(RunResult result);
    void finishLater(RunResult result);
    void publishProgress();

    QPointer<services::DatabaseWorker> m_database;
    QThreadPool m_pool;
    QTimer m_progressTimer;
    QElapsedTimer m_clock;
    std::stop_source m_stop;
    std::shared_ptr<Shared> m_shared; // of the current run
    std::shared_ptr<std::atomic<int>> m_jobs; // alive jobs of every run (outlives the runner)
    RunRequest m_request;
    RunProgress m_progress;
    bool m_running = false;
    bool m_dbLoadPending = false;
    quint64 m_runId = 0;
    // Recent (elapsed ms, done) samples for the rate.
    QList<std::pair<qint64, std::uint64_t>> m_samples;

    std::shared_ptr<const Kept> m_kept;
};

} // namespace qc::workbench
