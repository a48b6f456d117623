#pragma once

#include "enforcement/policy.h"
#include "replay/databasetracesource.h"
#include "simulation/report.h"
#include "simulation/sweep.h"
#include "simulation/workspace.h"
#include "trace/trace.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace qc::workbench {

/// What one run of the Simulate page asks for: where the traffic comes from, the two policies
/// and, for a sweep, the parameter and its values. Values only: it crosses to the worker.
struct RunRequest {
    simulation::WorkspaceSource source; // file, database range or generated scenario
    QString sourceLabel; // database: the profile name shown in descriptions
    enforcement::Policy baseline;
    QString baselineName; // "policy version 7 (active)", "default policy", a file
    enforcement::Policy candidate;
    QByteArray candidateJson; // what the sweep varies
    QString candidateName = QStringLiteral("candidate");
    std::optional<simulation::SweepSpec> sweep; // set: a sweep instead of one comparison
    int topN = 1 << 30; // identifiers kept (all: the CSV export lists every one)
    int maxDisagreements = 10000;
    bool reloadTrace = false; // read the traffic again even when it is the one loaded last
};

/// A disagreement of the baseline with the decision recorded live, with the request's
/// identifiers (from the trace) so that it can be looked into.
struct DisagreementDetail {
    enforcement::TimeMs ts = 0;
    QString client;
    QString user;
    QString endpoint;
    QString method;
};

/// How the traffic was read.
struct LoadSummary {
    QString description; // "trace.csv", "request_logs 2026-01-05 … on Production"
    std::uint64_t requests = 0;
    double seconds = 0;
    bool reused = false; // the trace of the previous run was used again
    QStringList warnings;
    QList<trace::TraceError> rowErrors;
    qint64 skippedRows = 0;
    std::optional<replay::LoadStats> database; // request_logs: rows, events, where time went
};

/// What a run gives back on the GUI thread.
struct RunResult {
    bool cancelled = false;
    QString error; // non-empty: the run failed (unreadable trace, invalid sweep value, ...)
    LoadSummary load;
    std::optional<simulation::Report> report;
    QList<DisagreementDetail> disagreementDetails; // parallel to report->fidelity.disagreements
    std::optional<simulation::SweepResult> sweep;

    bool ok() const { return error.isEmpty() && !cancelled; }
};

/// Where a run is, for the progress bar.
struct RunProgress {
    enum class Phase { Idle, Loading, Simulating, Sweeping, Cancelling };
    Phase phase = Phase::Idle;
    std::uint64_t done = 0; // requests read / decided so far
    std::uint64_t total = 0; // 0 = not known (yet)
    double fraction = 0; // 0 … 1
    double perSecond = 0; // requests read or decided per second, recently
    double elapsedS = 0;
};

} // namespace qc::workbench

Q_DECLARE_METATYPE(qc::workbench::RunResult)
Q_DECLARE_METATYPE(qc::workbench::RunProgress)
