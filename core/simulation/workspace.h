#pragma once

#include "enforcement/types.h"
#include "trace/generator.h"
#include "trace/trace.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace qc::simulation {

/// Where a workspace's traffic comes from (docs/simulation.md "Workspace files").
struct WorkspaceSource {
    enum class Kind { File, Database, Generated };
    Kind kind = Kind::File;
    // File
    QString path;
    trace::Format format = trace::Format::Auto;
    // Database: a connection profile's name or a connection string; never a password.
    QString connection;
    enforcement::TimeMs fromMs = 0;
    enforcement::TimeMs toMs = 0;
    // Generated
    trace::GeneratorOptions generator;
    /// Decided to build state, not reported (database: read before fromMs; else from the
    /// first request).
    enforcement::TimeMs warmupMs = 0;
};

/// Which policy the candidate is compared with.
struct WorkspaceBaseline {
    enum class Kind { Default, ActiveVersion, Version, File, Inline };
    Kind kind = Kind::ActiveVersion;
    qint64 versionId = 0; // Version
    QString path; // File
    QByteArray policyJson; // Inline: the policy as JSON

    friend bool operator==(const WorkspaceBaseline&, const WorkspaceBaseline&) = default;
};

/// The headline numbers of the last run, for lists of saved workspaces.
struct WorkspaceSummary {
    std::uint64_t reportedRequests = 0;
    std::uint64_t newlyDenied = 0;
    std::uint64_t newlyAdmitted = 0;
    std::uint64_t paidNewlyDenied = 0;
    double paidDeniedPct = 0;
    enforcement::MicroUsd costSavedMicroUsd = 0;
    std::optional<double> fidelityPct; // when the traffic carried recorded decisions

    friend bool operator==(const WorkspaceSummary&, const WorkspaceSummary&) = default;
};

/// The results kept with a workspace: when they were made, the summary, and the report (and
/// sweep) JSON of docs/simulation.md so that they can be shown again without a new run.
struct WorkspaceResults {
    QDateTime ranAt; // UTC
    WorkspaceSummary summary;
    QJsonObject report; // toJson(Report); may be empty when only a sweep ran
    QJsonObject sweep; // toJson(SweepResult); empty when no sweep ran

    friend bool operator==(const WorkspaceResults&, const WorkspaceResults&) = default;
};

/// A saved simulation: source, baseline, candidate (kept as written, even when it is not yet
/// a valid policy), the sweep asked for and the last results.
struct Workspace {
    QString name;
    QDateTime savedAt; // UTC; set by toJson() when invalid
    WorkspaceSource source;
    WorkspaceBaseline baseline;
    QByteArray candidateJson; // the candidate policy's text
    QString sweep; // "PARAMETER=FROM:TO:STEP", empty = none
    std::optional<WorkspaceResults> results;
};

/// A problem of a workspace file, located by JSON path ("workspace.source.from").
struct WorkspaceError {
    QString path;
    QString message;
    QString toString() const { return path + QStringLiteral(": ") + message; }
    friend bool operator==(const WorkspaceError&, const WorkspaceError&) = default;
};

struct WorkspaceLoadResult {
    std::optional<Workspace> workspace;
    QList<WorkspaceError> errors; // every problem found, not only the first

    bool ok() const { return workspace.has_value(); }
    QString errorText() const;
};

/// The summary of a report's JSON (toJson(Report)).
WorkspaceSummary summaryOf(const QJsonObject& reportJson);

/// Reads and checks a workspace document (format "quota-console-workspace", version 1).
WorkspaceLoadResult parseWorkspace(const QByteArray& json);
WorkspaceLoadResult loadWorkspace(const QString& fileName);
/// The document; nullopt with `error` when it cannot be saved as given (a password in the
/// connection string).
std::optional<QByteArray> toJson(const Workspace& workspace, QString* error = nullptr);
/// Writes the file atomically (a crash leaves the old file); returns the error, empty on success.
QString saveWorkspace(const Workspace& workspace, const QString& fileName);

} // namespace qc::simulation
