// The Simulate page's actions beyond running: policy versions, rollout and rollback,
// workspaces and exports (the page's layout and runs are in simulatepage.cpp).

#include "baselinewidget.h"
#include "candidateeditor.h"
#include "policyversionswidget.h"
#include "rolloutdialog.h"
#include "services/databaseworker.h"
#include "services/logging.h"
#include "services/session.h"
#include "services/whenfinished.h"
#include "simulatepage.h"
#include "simulation/reportjson.h"
#include "simulation/workspace.h"
#include "simulationresultswidget.h"
#include "simulationsourcewidget.h"
#include "sweepwidget.h"
#include "workbench/policydocument.h"
#include "workbench/reportfiles.h"
#include "workbench/simulationrunner.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QFuture>
#include <QJsonDocument>
#include <QLineEdit>
#include <QMessageBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace qc::ui {

namespace {

// Identifiers kept in a saved report (the workspace stays small; the CSV export of a fresh run
// lists every one).
constexpr int kSavedTopN = 200;

struct ActiveRead {
    workbench::VersionList list;
    std::optional<replay::PolicyVersionResult> active; // when a version is active
    std::optional<replay::PolicyVersionResult> target; // the version to activate
};

QString lastDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
}

} // namespace

// --- versions ---------------------------------------------------------------------------

void SimulatePage::refreshVersions()
{
    if (!session() || !session()->isActive() || !session()->primary())
        return;
    session()->primary()->post<workbench::VersionList>(
        u"simulate/versions"_s, this, [](QSqlDatabase& db) { return workbench::readVersions(db); },
        [this](const services::JobOutcome<workbench::VersionList>& o) {
            if (!o.ran()) {
                m_versions->setStatus(o.error, true);
                return;
            }
            if (!o.value.error.isEmpty()) {
                m_versions->setStatus(o.value.error, true);
                return;
            }
            m_versionList = o.value.versions;
            m_versions->setVersions(m_versionList);
            m_baseline->setVersions(m_versionList);
            Q_EMIT versionsRead();
        });
}

void SimulatePage::copyVersionToCandidate(qint64 id)
{
    if (!session() || !session()->primary() || id <= 0)
        return;
    session()->primary()->post<replay::PolicyVersionResult>(
        u"simulate/copy-version"_s, this,
        [id](QSqlDatabase& db) { return replay::loadPolicyVersion(db, id); },
        [this, id](const services::JobOutcome<replay::PolicyVersionResult>& o) {
            if (!o.ran() || !o.value.version) {
                m_versions->setStatus(o.ran() ? o.value.error : o.error, true);
                return;
            }
            setCandidateText(o.value.version->json);
            m_sections->setCurrentIndex(SetupSection);
            setStatus(tr("The candidate is now a copy of version %1.").arg(id));
        });
}

void SimulatePage::requestRollout()
{
    m_editor->flush();
    if (!session() || !session()->primary() || !m_candidate->isValid() || m_activating)
        return;
    const enforcement::Policy candidate = *m_candidate->policy();
    const QByteArray json = m_candidate->text().toUtf8();
    session()->primary()->post<ActiveRead>(
        u"simulate/rollout-read"_s, this,
        [](QSqlDatabase& db) {
            ActiveRead r;
            r.list = workbench::readVersions(db);
            if (r.list.activeId > 0)
                r.active = replay::loadPolicyVersion(db, r.list.activeId);
            return r;
        },
        [this, candidate, json](const services::JobOutcome<ActiveRead>& o) {
            if (!o.ran() || !o.value.list.error.isEmpty()) {
                m_versions->setStatus(o.ran() ? o.value.list.error : o.error, true);
                return;
            }
            m_versionList = o.value.list.versions;
            m_versions->setVersions(m_versionList);
            const qint64 expected = o.value.list.activeId;
            QList<policy::PolicyChange> changes;
            QString intro = tr("Make the candidate the active policy of <b>%1</b> (%2). Live "
                               "enforcement (quota_check) uses it from the next request.")
                                .arg(session()->profile().name.toHtmlEscaped(),
                                    session()->profile().environmentLabel.toHtmlEscaped());
            if (o.value.active && o.value.active->ok()) {
                changes = policy::diff(*o.value.active->policy, candidate);
                intro += u"<br>"_s % tr("Active now: version %1.").arg(expected);
            } else {
                intro += u"<br>"_s % tr("No version is active now.");
            }
            QString warning;
            if (!m_last || !m_last->report)
                warning = tr("The candidate has not been simulated.");
            else if (resultsStale())
                warning = tr("The candidate (or the baseline or traffic) changed after the last "
                             "simulation.");
            else if (const auto verdict = verdictOn(*m_last->report); verdict && verdict->broken)
                warning = tr("The last simulation broke the budget: %1 (%2).")
                              .arg(verdict->expression, verdict->values);
            else if (m_last->report->paidNewlyDenied > 0)
                warning = tr("The last simulation newly denied %1 requests of paying customers.")
                              .arg(m_last->report->paidNewlyDenied);
            auto* dialog = new RolloutDialog(
                tr("Roll out the candidate"), intro, changes, warning, tr("Roll out"), this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            connect(dialog, &QDialog::accepted, this, [this, dialog, json, expected] {
                // One intended rollout keeps its action ids, so that a retry applies once.
                if (!m_pendingRollout || m_pendingRollout->json != json)
                    m_pendingRollout = PendingRollout { db::AdminActions::newClientActionId(),
                        db::AdminActions::newClientActionId(), json };
                m_pendingRollout->activateActionId = db::AdminActions::newClientActionId();
                activate(0, expected, dialog->reason(), true);
            });
            dialog->open();
            Q_EMIT rolloutDialogOpened(dialog);
        });
}

void SimulatePage::requestActivation(qint64 id)
{
    if (!session() || !session()->primary() || id <= 0 || m_activating)
        return;
    session()->primary()->post<ActiveRead>(
        u"simulate/rollout-read"_s, this,
        [id](QSqlDatabase& db) {
            ActiveRead r;
            r.list = workbench::readVersions(db);
            if (r.list.activeId > 0)
                r.active = replay::loadPolicyVersion(db, r.list.activeId);
            r.target = replay::loadPolicyVersion(db, id);
            return r;
        },
        [this, id](const services::JobOutcome<ActiveRead>& o) {
            if (!o.ran() || !o.value.list.error.isEmpty()) {
                m_versions->setStatus(o.ran() ? o.value.list.error : o.error, true);
                return;
            }
            m_versionList = o.value.list.versions;
            m_versions->setVersions(m_versionList);
            const qint64 expected = o.value.list.activeId;
            if (!o.value.target || !o.value.target->ok()) {
                m_versions->setStatus(tr("Version %1 cannot be activated: %2")
                                          .arg(id)
                                          .arg(o.value.target ? o.value.target->error : QString()),
                    true);
                return;
            }
            QList<policy::PolicyChange> changes;
            if (o.value.active && o.value.active->ok())
                changes = policy::diff(*o.value.active->policy, *o.value.target->policy);
            const QString intro
                = tr("Make version %1 the active policy of <b>%2</b> (%3) again. Live "
                     "enforcement uses it from the next request.")
                      .arg(id)
                      .arg(session()->profile().name.toHtmlEscaped(),
                          session()->profile().environmentLabel.toHtmlEscaped());
            auto* dialog = new RolloutDialog(tr("Roll back to version %1").arg(id), intro, changes,
                QString(), tr("Activate version %1").arg(id), this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            connect(dialog, &QDialog::accepted, this,
                [this, dialog, id, expected] { activate(id, expected, dialog->reason(), false); });
            dialog->open();
            Q_EMIT rolloutDialogOpened(dialog);
        });
}

void SimulatePage::activate(
    qint64 versionId, qint64 expectedActiveId, const QString& reason, bool rollout)
{
    if (!session() || !session()->primary())
        return;
    m_activating = true;
    updateActions();
    m_versions->setStatus(
        rollout ? tr("Rolling out…") : tr("Activating version %1…").arg(versionId), false);
    std::function<workbench::RolloutOutcome(QSqlDatabase&)> job;
    if (rollout) {
        const workbench::RolloutRequest request { m_pendingRollout->createActionId,
            m_pendingRollout->activateActionId, m_pendingRollout->json, reason, expectedActiveId };
        job = [request](QSqlDatabase& db) { return workbench::rollOut(db, request); };
    } else {
        const workbench::ActivationRequest request { db::AdminActions::newClientActionId(),
            versionId, expectedActiveId, reason };
        job = [request](QSqlDatabase& db) { return workbench::activateVersion(db, request); };
    }
    session()->primary()->post<workbench::RolloutOutcome>(QString(), this, job,
        [this, rollout](const services::JobOutcome<workbench::RolloutOutcome>& o) {
            m_activating = false;
            workbench::RolloutOutcome outcome = o.value;
            if (!o.ran()) {
                // The answer was lost: the action ids stay, a retry applies the action once.
                outcome.error = tr("%1 Try again: the database applies it only once.").arg(o.error);
            }
            if (!outcome.versions.isEmpty()) {
                m_versionList = outcome.versions;
                m_versions->setVersions(m_versionList);
                m_baseline->setVersions(m_versionList);
            }
            if (outcome.ok()) {
                if (rollout)
                    m_pendingRollout.reset();
                m_versions->select(outcome.versionId);
                const QString text = rollout
                    ? tr("Version %1 is now the active policy (audit entry %2). Live enforcement "
                         "uses it from the next request.")
                          .arg(outcome.versionId)
                          .arg(outcome.auditId)
                    : tr("Version %1 is active again (audit entry %2). Live enforcement uses it "
                         "from the next request.")
                          .arg(outcome.versionId)
                          .arg(outcome.auditId);
                m_versions->setStatus(text, false);
                setStatus(text);
                services::logger()->info("policy version {} activated", outcome.versionId);
                // A baseline of "the active version" is another policy now.
                if (m_baseline->state().spec.kind
                    == simulation::WorkspaceBaseline::Kind::ActiveVersion)
                    m_baseline->reload();
            } else {
                m_versions->setStatus(outcome.error, true);
                setStatus(outcome.error, true);
            }
            updateActions();
            Q_EMIT activationFinished(outcome);
        });
}

// --- workspaces -------------------------------------------------------------------------

QString SimulatePage::saveWorkspace(const QString& fileName)
{
    m_editor->flush();
    simulation::Workspace w;
    w.name = QFileInfo(fileName).completeBaseName();
    w.source = m_source->source();
    if (w.source.kind == simulation::WorkspaceSource::Kind::Database && session())
        w.source.connection = session()->profile().name; // never a password
    w.baseline = m_baseline->state().spec;
    if (w.baseline.kind == simulation::WorkspaceBaseline::Kind::Inline)
        w.baseline.policyJson = m_baseline->state().json;
    w.candidateJson = m_candidate->text().toUtf8();
    w.sweep = m_sweep->specText();
    w.budget = m_budget->text().trimmed();
    if (m_last && (m_last->report || m_last->sweep)) {
        simulation::WorkspaceResults results;
        results.ranAt = m_lastRanAt.isValid() ? m_lastRanAt : QDateTime::currentDateTimeUtc();
        if (m_last->report) {
            simulation::Report kept = *m_last->report;
            simulation::limitTopLists(kept, kSavedTopN);
            results.report = simulation::toJson(kept);
            results.summary = simulation::summaryOf(results.report);
        }
        if (m_last->sweep)
            results.sweep = simulation::toJson(*m_last->sweep);
        w.results = results;
    }
    const QString error = simulation::saveWorkspace(w, fileName);
    if (error.isEmpty())
        setStatus(tr("Saved the workspace %1.").arg(fileName));
    else
        setStatus(error, true);
    return error;
}

QString SimulatePage::openWorkspace(const QString& fileName)
{
    if (m_runner->isRunning())
        return tr("Wait for the run to end (or cancel it) before opening a workspace.");
    const simulation::WorkspaceLoadResult loaded = simulation::loadWorkspace(fileName);
    if (!loaded.ok()) {
        const QString error = tr("%1 cannot be opened: %2").arg(fileName, loaded.errorText());
        setStatus(error, true);
        return error;
    }
    const simulation::Workspace& w = *loaded.workspace;
    QStringList notes;
    if (w.source.kind == simulation::WorkspaceSource::Kind::Database) {
        if (!session() || !session()->isActive())
            notes.push_back(tr("It replays request_logs: connect to a quota database to run it."));
        else if (!w.source.connection.isEmpty() && w.source.connection != session()->profile().name)
            notes.push_back(tr("It was made on %1; it runs on %2, the connected database.")
                                .arg(w.source.connection, session()->profile().name));
    }
    m_source->setSource(w.source);
    m_candidatePristine = false;
    // A workspace keeps a candidate that is a JSON object as one: give it the policy layout.
    setCandidateText(w.candidateJson);
    m_baseline->setBaseline(w.baseline);
    m_sweep->setSpecText(w.sweep);
    m_budget->setText(w.budget);
    m_results->clear();
    m_sweep->clear();
    m_last.reset();
    m_lastChanges.clear();
    if (w.results) {
        workbench::RunResult result;
        QString error;
        if (!w.results->report.isEmpty()) {
            result.report = simulation::reportFromJson(w.results->report, &error);
            if (!result.report)
                notes.push_back(tr("Its results cannot be shown: %1").arg(error));
        }
        if (!w.results->sweep.isEmpty() && m_candidate->policy()) {
            result.sweep
                = simulation::sweepFromJson(w.results->sweep, *m_candidate->policy(), &error);
            if (!result.sweep)
                notes.push_back(tr("Its sweep cannot be shown: %1").arg(error));
        }
        if (result.report || result.sweep) {
            m_last = result;
            m_lastRanAt = w.results->ranAt;
            m_lastFromWorkspace = true;
            m_lastCandidateRevision = m_candidate->revision();
            m_lastBaselineName = m_baseline->state().name;
            m_lastSourceKey = currentSourceKey();
            if (result.report && m_baseline->state().ready() && m_candidate->policy())
                m_lastChanges = policy::diff(*m_baseline->state().policy, *m_candidate->policy());
            if (result.report) {
                SimulationResultsWidget::Context context { m_lastRanAt, true, false,
                    changeLines(m_lastChanges), verdictOn(*result.report) };
                m_results->setResult(result, context);
            }
            if (result.sweep)
                m_sweep->setResult(*result.sweep);
        }
    }
    // A version baseline is read asynchronously: the results stay current when it arrives.
    if (m_baseline->state().loading) {
        connect(
            m_baseline, &BaselineWidget::changed, this,
            [this] {
                if (m_lastFromWorkspace)
                    m_lastBaselineName = m_baseline->state().name;
                updateActions();
            },
            Qt::SingleShotConnection);
    }
    m_sections->setCurrentIndex(m_last && m_last->report ? ResultsSection : SetupSection);
    setStatus(tr("Opened the workspace %1.").arg(w.name)
            % (notes.isEmpty() ? QString() : u' ' % notes.join(u' ')),
        false);
    updateActions();
    return {};
}

void SimulatePage::saveWorkspaceInteractively()
{
    const QString fileName = QFileDialog::getSaveFileName(this, tr("Save workspace"),
        lastDirectory() % u"/simulation.qcws.json"_s, tr("Workspaces (*.json);;All files (*)"));
    if (fileName.isEmpty())
        return;
    const QString error = saveWorkspace(fileName);
    if (!error.isEmpty())
        QMessageBox::warning(this, tr("Save workspace"), error);
}

void SimulatePage::openWorkspaceInteractively()
{
    const QString fileName = QFileDialog::getOpenFileName(
        this, tr("Open workspace"), lastDirectory(), tr("Workspaces (*.json);;All files (*)"));
    if (fileName.isEmpty())
        return;
    const QString error = openWorkspace(fileName);
    if (!error.isEmpty())
        QMessageBox::warning(this, tr("Open workspace"), error);
}

// --- exports ----------------------------------------------------------------------------

simulation::HtmlOptions SimulatePage::htmlOptions() const
{
    simulation::HtmlOptions o;
    o.title = tr("Policy simulation");
    if (m_last && m_last->report)
        o.title = tr("Policy simulation: %1 against %2")
                      .arg(m_last->report->candidate.name, m_last->report->baseline.name);
    o.generatedAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    if (m_last)
        o.source = m_last->load.description;
    if (session() && session()->isActive() && o.source.isEmpty())
        o.source = session()->profile().name;
    for (const policy::PolicyChange& c : m_lastChanges)
        o.policyChanges.push_back(c.toString());
    if (m_last && m_last->report) {
        if (const auto verdict = verdictOn(*m_last->report)) {
            o.condition = verdict->expression;
            o.conditionBroken = verdict->broken;
            o.conditionValues = verdict->values;
        }
    }
    return o;
}

void SimulatePage::exportResults(ExportFormat format, const QString& fileName)
{
    if (!m_last || (!m_last->report && !m_last->sweep)) {
        Q_EMIT exportFinished(
            fileName, tr("There are no results to export yet: run the simulation first."));
        return;
    }
    workbench::ReportFiles files;
    files.report = m_last->report;
    files.sweep = m_last->sweep;
    files.html = htmlOptions();
    setStatus(tr("Writing %1…").arg(fileName));
    QFuture<QString> future = QtConcurrent::run([files, format, fileName] {
        switch (format) {
        case ExportFormat::Html:
            return files.writeHtml(fileName);
        case ExportFormat::Pdf:
            return files.writePdf(fileName);
        case ExportFormat::Csv:
            return files.writeCsv(fileName);
        }
        return QString();
    });
    services::whenFinished(this, future, [this, fileName](const QString& error) {
        if (error.isEmpty())
            setStatus(tr("Wrote %1.").arg(fileName));
        else
            setStatus(error, true);
        Q_EMIT exportFinished(fileName, error);
    });
}

void SimulatePage::exportInteractively(ExportFormat format)
{
    const QString suffix = format == ExportFormat::Html ? u"html"_s
        : format == ExportFormat::Pdf                   ? u"pdf"_s
                                                        : u"csv"_s;
    const QString filter = format == ExportFormat::Html ? tr("HTML (*.html)")
        : format == ExportFormat::Pdf                   ? tr("PDF (*.pdf)")
                                                        : tr("CSV (*.csv)");
    const QString base = format == ExportFormat::Csv ? u"affected-identifiers"_s : u"simulation"_s;
    const QString fileName = QFileDialog::getSaveFileName(
        this, tr("Export"), lastDirectory() % u'/' % base % u'.' % suffix, filter);
    if (!fileName.isEmpty())
        exportResults(format, fileName);
}

} // namespace qc::ui
