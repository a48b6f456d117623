#pragma once

#include "page.h"
#include "pageregistry.h"
#include "policy/policyjson.h"
#include "simulation/reportcondition.h"
#include "simulation/reportexport.h"
#include "simulationresultswidget.h"
#include "workbench/policyrollout.h"
#include "workbench/simulationrun.h"

#include <QDateTime>
#include <QPointer>

#include <optional>

class QAction;
class QLabel;
class QLineEdit;
class QProgressBar;
class QTabWidget;
class QTableView;
class QToolButton;

namespace qc::workbench {
class PolicyChangeModel;
class PolicyDocument;
class SimulationRunner;
} // namespace qc::workbench

namespace qc::ui {

class BaselineWidget;
class CandidateEditor;
class PolicyVersionsWidget;
class RolloutDialog;
class SimulationSourceWidget;
class SweepWidget;

/// policy::PolicyChange::toString() of each change.
QStringList changeLines(const QList<policy::PolicyChange>& changes);

/// The Simulate page, the policy workbench (docs/console-workbench.md): "what would this policy
/// have done to last week's traffic?", answered exactly with the enforcement core before anyone
/// is denied, then rolled out.
///
/// Setup: the traffic (request_logs of a time range, a trace file, a generated scenario), the
/// baseline (the active version, an earlier one, a file, the default) and the candidate, edited
/// as a form and as JSON with live validation; the candidate's changes against the baseline
/// are listed before anything runs. Run decides the traffic under both policies on a worker
/// (progress, requests/s, cancel); Results, Sweep and Versions (rollout and rollback for
/// quota_admin) show the rest. Workspaces save and reopen all of it.
class SimulatePage final : public Page {
    Q_OBJECT
    Q_DISABLE_COPY(SimulatePage)
public:
    enum Section { SetupSection, ResultsSection, SweepSection, VersionsSection };
    enum class ExportFormat { Html, Pdf, Csv };

    SimulatePage(const PageContext& context, QWidget* parent = nullptr);
    ~SimulatePage() override;

    static PageDescriptor descriptor();
    void activated() override;

    /// Starts a comparison (or, with `sweep`, the sweep set on the Sweep tab). False, with the
    /// reason on the page, when it cannot run (a malformed candidate says which field).
    bool run();
    bool runSweep();
    void cancel();
    bool isRunning() const;
    /// Why Run is disabled now ("The candidate is not a valid policy: policy.rules[1]…"), empty
    /// when it can run.
    QString runBlocker() const;
    QString statusText() const;

    /// Reads the policy versions again (the Versions tab and the baseline box).
    void refreshVersions();
    /// Opens the rollout dialog for the candidate (after reading the active version).
    void requestRollout();
    /// Opens the dialog that activates version `id` again.
    void requestActivation(qint64 id);

    /// Saves / reopens a workspace (source, baseline, candidate, sweep, last results); the
    /// error, empty on success.
    QString saveWorkspace(const QString& fileName);
    QString openWorkspace(const QString& fileName);
    /// Writes the results on a worker; exportFinished() tells how it went.
    void exportResults(ExportFormat format, const QString& fileName);

    // The parts, for menus and tests.
    workbench::PolicyDocument* candidate() const { return m_candidate; }
    CandidateEditor* candidateEditor() const { return m_editor; }
    SimulationSourceWidget* sourceWidget() const { return m_source; }
    BaselineWidget* baselineWidget() const { return m_baseline; }
    SimulationResultsWidget* resultsWidget() const { return m_results; }
    SweepWidget* sweepWidget() const { return m_sweep; }
    PolicyVersionsWidget* versionsWidget() const { return m_versions; }
    workbench::SimulationRunner* runner() const { return m_runner; }
    workbench::PolicyChangeModel* changeModel() const { return m_changes; }
    QTabWidget* sections() const { return m_sections; }
    QLineEdit* budgetEdit() const { return m_budget; }
    QAction* runAction() const { return m_runAction; }
    QAction* cancelAction() const { return m_cancelAction; }
    QProgressBar* progressBar() const { return m_progress; }
    const std::optional<workbench::RunResult>& lastResult() const { return m_last; }

Q_SIGNALS:
    void runFinished(const qc::workbench::RunResult& result);
    void versionsRead();
    /// A rollout or rollback ended (see outcome.ok(), .conflict, .error).
    void activationFinished(const qc::workbench::RolloutOutcome& outcome);
    void exportFinished(const QString& fileName, const QString& error);
    /// The rollout dialog is open (tests fill it in).
    void rolloutDialogOpened(qc::ui::RolloutDialog* dialog);

private:
    QWidget* setupSection();
    void buildToolbar(QWidget* bar);
    void updateActions();
    void updateChanges();
    void candidateChanged();
    void baselineChanged();
    void sourceChanged();
    bool start(workbench::RunRequest request);
    void runProgress(const workbench::RunProgress& progress);
    void runFinishedInternal(const workbench::RunResult& result);
    void setStatus(const QString& text, bool error = false);
    void budgetChanged();
    /// The budget's verdict on a report, for the results and the exports.
    std::optional<SimulationResultsWidget::Budget> verdictOn(
        const simulation::Report& report) const;
    void applySweepValue(const simulation::SweepParameter& parameter, std::int64_t value);
    void copyVersionToCandidate(qint64 id);
    void setCandidateText(const QByteArray& json);
    bool resultsStale() const;
    QString currentSourceKey() const;
    void activate(qint64 versionId, qint64 expectedActiveId, const QString& reason, bool rollout);
    simulation::HtmlOptions htmlOptions() const;
    void saveWorkspaceInteractively();
    void openWorkspaceInteractively();
    void exportInteractively(ExportFormat format);

    workbench::PolicyDocument* m_candidate;
    workbench::SimulationRunner* m_runner;
    workbench::PolicyChangeModel* m_changes;
    QTabWidget* m_sections;
    SimulationSourceWidget* m_source;
    BaselineWidget* m_baseline;
    CandidateEditor* m_editor;
    SimulationResultsWidget* m_results;
    SweepWidget* m_sweep;
    PolicyVersionsWidget* m_versions;
    QTableView* m_changesView;
    QLabel* m_changesNote;
    QLabel* m_blocker;
    QLineEdit* m_budget;
    QLabel* m_budgetNote;
    std::optional<simulation::ReportCondition> m_condition;
    QString m_budgetError;
    QLabel* m_status;
    QProgressBar* m_progress;
    QAction* m_runAction;
    QAction* m_cancelAction;
    QAction* m_sweepAction;
    QAction* m_saveAction;
    QAction* m_openAction;
    QToolButton* m_exportButton;
    QList<QAction*> m_exportActions;

    bool m_candidatePristine = true; // not edited: follows the baseline when it loads
    std::optional<workbench::RunResult> m_last;
    QDateTime m_lastRanAt;
    bool m_lastFromWorkspace = false;
    quint64 m_lastCandidateRevision = 0;
    QString m_lastBaselineName;
    QString m_lastSourceKey;
    QList<policy::PolicyChange> m_lastChanges;
    // What the running run was started with (becomes m_last* when it ends).
    quint64 m_runCandidateRevision = 0;
    QString m_runBaselineName;
    QString m_runSourceKey;
    QList<policy::PolicyChange> m_runChanges;
    bool m_runWasSweep = false;
    bool m_settingCandidate = false;
    bool m_closing = false;

    // One intended rollout: its action ids stay the same for a retry (docs/database.md).
    struct PendingRollout {
        QString createActionId;
        QString activateActionId;
        QByteArray json;
    };
    std::optional<PendingRollout> m_pendingRollout;
    bool m_activating = false;
    QList<replay::PolicyVersion> m_versionList;
};

} // namespace qc::ui
