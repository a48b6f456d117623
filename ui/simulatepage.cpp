#include "simulatepage.h"

#include "baselinewidget.h"
#include "candidateeditor.h"
#include "policyversionswidget.h"
#include "services/databaseworker.h"
#include "services/session.h"
#include "simulationresultswidget.h"
#include "simulationsourcewidget.h"
#include "sweepwidget.h"
#include "workbench/displayformat.h"
#include "workbench/policychangemodel.h"
#include "workbench/policydocument.h"
#include "workbench/policyformat.h"
#include "workbench/simulationrunner.h"
#include "workbench/sweepchoices.h"

#include <QAction>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProgressBar>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace qc::ui {

QStringList changeLines(const QList<policy::PolicyChange>& changes)
{
    QStringList lines;
    for (const policy::PolicyChange& c : changes)
        lines.push_back(c.toString());
    return lines;
}

SimulatePage::SimulatePage(const PageContext& context, QWidget* parent)
    : Page(context, parent)
    , m_candidate(new workbench::PolicyDocument(this))
    , m_runner(new workbench::SimulationRunner(this))
    , m_changes(new workbench::PolicyChangeModel(this))
    , m_sections(new QTabWidget(this))
    , m_source(new SimulationSourceWidget(this))
    , m_baseline(new BaselineWidget(context.session, this))
    , m_editor(nullptr)
    , m_results(new SimulationResultsWidget(this))
    , m_sweep(new SweepWidget(this))
    , m_versions(new PolicyVersionsWidget(context.session, this))
    , m_changesView(new QTableView(this))
    , m_changesNote(new QLabel(this))
    , m_blocker(new QLabel(this))
    , m_budget(new QLineEdit(this))
    , m_budgetNote(new QLabel(this))
    , m_status(new QLabel(this))
    , m_progress(new QProgressBar(this))
{
    setObjectName(u"simulatePage"_s);
    m_candidate->setText(
        QString::fromUtf8(policy::defaultPolicyJson()), workbench::PolicyDocument::Origin::Load);
    m_editor = new CandidateEditor(m_candidate, this);

    auto* bar = new QWidget(this);
    buildToolbar(bar);

    m_sections->setObjectName(u"simulateSections"_s);
    m_sections->setDocumentMode(true);
    m_sections->addTab(setupSection(), tr("Setup"));
    m_sections->addTab(m_results, tr("Results"));
    m_sections->addTab(m_sweep, tr("Sweep"));
    m_sections->addTab(m_versions, tr("Versions && rollout"));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(bar);
    layout->addWidget(m_sections, 1);

    if (session()) {
        m_runner->setDatabase(session()->reader());
        m_source->setDatabaseAvailable(session()->isActive(), session()->profile().name);
        connect(session(), &services::Session::identityChanged, this, [this] {
            // The connection came up after the page: read what needs it.
            if (m_versionList.isEmpty())
                refreshVersions();
            if (!m_baseline->state().ready() && !m_baseline->state().loading)
                m_baseline->reload();
            updateActions();
        });
    }
    simulation::WorkspaceBaseline baseline;
    baseline.kind = session() && session()->isActive()
        ? simulation::WorkspaceBaseline::Kind::ActiveVersion
        : simulation::WorkspaceBaseline::Kind::Default;

    connect(
        m_candidate, &workbench::PolicyDocument::changed, this, &SimulatePage::candidateChanged);
    connect(m_baseline, &BaselineWidget::changed, this, &SimulatePage::baselineChanged);
    connect(m_baseline, &BaselineWidget::copyToCandidateRequested, this, [this] {
        if (m_baseline->state().ready())
            setCandidateText(m_baseline->state().json);
    });
    connect(m_source, &SimulationSourceWidget::changed, this, &SimulatePage::sourceChanged);
    connect(
        m_runner, &workbench::SimulationRunner::progressChanged, this, &SimulatePage::runProgress);
    connect(
        m_runner, &workbench::SimulationRunner::finished, this, &SimulatePage::runFinishedInternal);
    connect(m_results, &SimulationResultsWidget::investigateRequested, this,
        &Page::investigateRequested);
    connect(m_sweep, &SweepWidget::runRequested, this, [this] { runSweep(); });
    connect(m_sweep, &SweepWidget::applyRequested, this, &SimulatePage::applySweepValue);
    connect(
        m_versions, &PolicyVersionsWidget::refreshRequested, this, &SimulatePage::refreshVersions);
    connect(m_versions, &PolicyVersionsWidget::useAsBaselineRequested, this, [this](qint64 id) {
        simulation::WorkspaceBaseline spec;
        spec.kind = simulation::WorkspaceBaseline::Kind::Version;
        spec.versionId = id;
        m_baseline->setBaseline(spec);
        m_sections->setCurrentIndex(SetupSection);
    });
    connect(m_versions, &PolicyVersionsWidget::copyToCandidateRequested, this,
        &SimulatePage::copyVersionToCandidate);
    connect(
        m_versions, &PolicyVersionsWidget::rollOutRequested, this, &SimulatePage::requestRollout);
    connect(m_versions, &PolicyVersionsWidget::activateRequested, this,
        &SimulatePage::requestActivation);

    m_baseline->setBaseline(baseline);
    refreshVersions();
    budgetChanged();
    candidateChanged();
}

SimulatePage::~SimulatePage()
{
    // Children emit while they are destroyed (an open cell editor commits): nothing of the
    // page may answer them any more.
    m_closing = true;
    for (QObject* o : std::initializer_list<QObject*> {
             m_candidate, m_runner, m_baseline, m_source, m_results, m_sweep, m_versions })
        o->disconnect(this);
}

PageDescriptor SimulatePage::descriptor()
{
    return pageDescriptorOf<SimulatePage>(u"simulate"_s, tr("Simulate"),
        tr("Replay recorded traffic through a candidate policy, compare, sweep, roll out"),
        u"system-run"_s, 80);
}

void SimulatePage::activated()
{
    updateActions();
}

void SimulatePage::buildToolbar(QWidget* bar)
{
    auto* toolbar = new QToolBar(bar);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->setIconSize(QSize(16, 16));
    m_runAction = toolbar->addAction(QIcon::fromTheme(u"media-playback-start"_s), tr("Run"));
    m_runAction->setObjectName(u"simulateRun"_s);
    m_runAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_cancelAction = toolbar->addAction(QIcon::fromTheme(u"process-stop"_s), tr("Cancel"));
    m_cancelAction->setObjectName(u"simulateCancel"_s);
    m_sweepAction = toolbar->addAction(QIcon::fromTheme(u"view-statistics"_s), tr("Run sweep"));
    m_sweepAction->setToolTip(tr("Run the sweep set on the Sweep tab"));
    toolbar->addSeparator();
    m_openAction = toolbar->addAction(QIcon::fromTheme(u"document-open"_s), tr("Open…"));
    m_openAction->setToolTip(tr("Open a saved workspace"));
    m_saveAction = toolbar->addAction(QIcon::fromTheme(u"document-save"_s), tr("Save…"));
    m_saveAction->setToolTip(tr("Save source, baseline, candidate and results as a workspace"));
    m_exportButton = new QToolButton(toolbar);
    m_exportButton->setText(tr("Export"));
    m_exportButton->setIcon(QIcon::fromTheme(u"document-export"_s));
    m_exportButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_exportButton->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(m_exportButton);
    for (const auto& [text, format] : { std::pair { tr("Report as HTML…"), ExportFormat::Html },
             std::pair { tr("Report as PDF…"), ExportFormat::Pdf },
             std::pair { tr("Affected identifiers as CSV…"), ExportFormat::Csv } }) {
        QAction* action = menu->addAction(text);
        action->setData(static_cast<int>(format));
        m_exportActions.push_back(action);
    }
    m_exportButton->setMenu(menu);
    toolbar->addWidget(m_exportButton);

    m_progress->setObjectName(u"simulateProgress"_s);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setMaximumWidth(220);
    m_progress->hide();
    m_status->setObjectName(u"simulateStatus"_s);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(toolbar);
    row->addWidget(m_progress);
    row->addWidget(m_status, 1);

    connect(m_runAction, &QAction::triggered, this, [this] { run(); });
    connect(m_cancelAction, &QAction::triggered, this, &SimulatePage::cancel);
    connect(m_sweepAction, &QAction::triggered, this, [this] { runSweep(); });
    connect(m_saveAction, &QAction::triggered, this, [this] { saveWorkspaceInteractively(); });
    connect(m_openAction, &QAction::triggered, this, [this] { openWorkspaceInteractively(); });
    for (QAction* action : std::as_const(m_exportActions)) {
        connect(action, &QAction::triggered, this, [this, action] {
            exportInteractively(static_cast<ExportFormat>(action->data().toInt()));
        });
    }
}

QWidget* SimulatePage::setupSection()
{
    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 4, 0);
    auto* trafficBox = new QGroupBox(tr("Traffic"), left);
    auto* trafficLayout = new QVBoxLayout(trafficBox);
    trafficLayout->addWidget(m_source);
    auto* baselineBox = new QGroupBox(tr("Baseline"), left);
    auto* baselineLayout = new QVBoxLayout(baselineBox);
    baselineLayout->addWidget(m_baseline);
    auto* changesBox = new QGroupBox(tr("Candidate against baseline"), left);
    auto* changesLayout = new QVBoxLayout(changesBox);
    m_changesView->setObjectName(u"candidateChanges"_s);
    m_changesView->setAccessibleName(tr("Changes against the baseline"));
    m_changesView->setModel(m_changes);
    m_changesView->verticalHeader()->hide();
    m_changesView->verticalHeader()->setDefaultSectionSize(
        m_changesView->fontMetrics().height() + 6);
    m_changesView->horizontalHeader()->setStretchLastSection(true);
    m_changesView->setColumnWidth(workbench::PolicyChangeModel::Path, 190);
    m_changesView->setColumnWidth(workbench::PolicyChangeModel::Before, 120);
    m_changesView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_changesView->setWordWrap(false);
    m_changesNote->setObjectName(u"candidateChangesNote"_s);
    m_changesNote->setWordWrap(true);
    changesLayout->addWidget(m_changesNote);
    changesLayout->addWidget(m_changesView, 1);
    auto* budgetBox = new QGroupBox(tr("Budget"), left);
    auto* budgetLayout = new QVBoxLayout(budgetBox);
    m_budget->setObjectName(u"budget"_s);
    m_budget->setPlaceholderText(
        tr("Fail if … e.g. paid_denied_pct > 0.5 or newly_denied.total > 100"));
    m_budget->setToolTip(tr("A condition on the report's numbers (as quotactl simulate --fail-if "
                            "takes it); each run says whether the candidate keeps it"));
    m_budget->setClearButtonEnabled(true);
    m_budgetNote->setObjectName(u"budgetNote"_s);
    m_budgetNote->setWordWrap(true);
    budgetLayout->addWidget(m_budget);
    budgetLayout->addWidget(m_budgetNote);
    connect(m_budget, &QLineEdit::textChanged, this, &SimulatePage::budgetChanged);
    m_blocker->setObjectName(u"runBlocker"_s);
    m_blocker->setWordWrap(true);
    m_blocker->setStyleSheet(u"color: #b3261e;"_s);
    m_blocker->setTextInteractionFlags(Qt::TextSelectableByMouse);
    leftLayout->addWidget(trafficBox);
    leftLayout->addWidget(baselineBox);
    leftLayout->addWidget(changesBox, 1);
    leftLayout->addWidget(budgetBox);
    leftLayout->addWidget(m_blocker);

    auto* candidateBox = new QGroupBox(tr("Candidate policy"), this);
    auto* candidateLayout = new QVBoxLayout(candidateBox);
    candidateLayout->addWidget(m_editor);

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(candidateBox);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setChildrenCollapsible(false);
    return split;
}

// --- state ------------------------------------------------------------------------------

void SimulatePage::setCandidateText(const QByteArray& json)
{
    // Stored JSON (jsonb) has no layout: give it the policy file's.
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    const QString text
        = doc.isObject() ? workbench::formatPolicyJson(doc.object()) : QString::fromUtf8(json);
    m_candidate->setText(text, workbench::PolicyDocument::Origin::Load);
}

void SimulatePage::candidateChanged()
{
    if (m_closing)
        return;
    // The first change that is not the page's own loading makes the candidate the admin's.
    if (m_candidate->revision() > 1 && !m_settingCandidate)
        m_candidatePristine = false;
    m_sweep->setCandidate(m_candidate->policy() ? &*m_candidate->policy() : nullptr);
    updateChanges();
    updateActions();
}

void SimulatePage::baselineChanged()
{
    if (m_closing)
        return;
    const BaselineWidget::State& b = m_baseline->state();
    if (b.ready() && m_candidatePristine) {
        m_settingCandidate = true;
        setCandidateText(b.json);
        m_settingCandidate = false;
    }
    updateChanges();
    updateActions();
}

void SimulatePage::sourceChanged()
{
    updateActions();
}

void SimulatePage::updateChanges()
{
    if (m_closing)
        return;
    const BaselineWidget::State& b = m_baseline->state();
    if (!b.ready()) {
        m_changes->resetData({});
        m_changesNote->setText(
            b.loading ? tr("Reading the baseline…") : tr("No baseline to compare with."));
        return;
    }
    if (!m_candidate->isValid()) {
        m_changes->resetData({});
        m_changesNote->setText(tr("The candidate is not a valid policy yet."));
        return;
    }
    const QList<policy::PolicyChange> changes = policy::diff(*b.policy, *m_candidate->policy());
    m_changes->resetData(changes);
    m_changesNote->setText(changes.isEmpty()
            ? tr("The candidate decides every request as %1 does.").arg(b.name)
            : tr("%n change(s) from %1:", nullptr, static_cast<int>(changes.size())).arg(b.name));
}

QString SimulatePage::currentSourceKey() const
{
    return workbench::SimulationRunner::sourceKey(
        m_source->source(), session() ? session()->profile().name : QString());
}

bool SimulatePage::resultsStale() const
{
    if (!m_last)
        return false;
    return m_lastCandidateRevision != m_candidate->revision()
        || m_lastBaselineName != m_baseline->state().name || m_lastSourceKey != currentSourceKey();
}

QString SimulatePage::runBlocker() const
{
    if (m_runner->isRunning())
        return tr("A run is in progress.");
    if (!m_candidate->isValid())
        return tr("The candidate is not a valid policy: %1").arg(m_candidate->problemSummary());
    const BaselineWidget::State& b = m_baseline->state();
    if (b.loading)
        return tr("The baseline is still being read.");
    if (!b.error.isEmpty())
        return tr("The baseline cannot be used: %1").arg(b.error);
    if (!b.policy)
        return tr("Choose a baseline.");
    if (!m_budgetError.isEmpty())
        return tr("The budget is not a condition: %1").arg(m_budgetError);
    return m_source->problem();
}

bool SimulatePage::isRunning() const
{
    return m_runner->isRunning();
}

void SimulatePage::updateActions()
{
    if (m_closing)
        return;
    const QString blocker = runBlocker();
    const bool running = m_runner->isRunning();
    m_runAction->setEnabled(blocker.isEmpty());
    m_runAction->setToolTip(blocker.isEmpty()
            ? tr("Decide the traffic under the baseline and the candidate and compare (Ctrl+R)")
            : blocker);
    m_cancelAction->setEnabled(running);
    QString sweepWhy = blocker;
    if (sweepWhy.isEmpty())
        m_sweep->spec(&sweepWhy);
    m_sweepAction->setEnabled(sweepWhy.isEmpty());
    m_sweepAction->setToolTip(
        sweepWhy.isEmpty() ? tr("Run the sweep set on the Sweep tab") : sweepWhy);
    m_sweep->setRunEnabled(sweepWhy.isEmpty(), sweepWhy);
    m_blocker->setText(running ? QString() : blocker);
    m_blocker->setVisible(!running && !blocker.isEmpty());
    const bool hasResults = m_last && (m_last->report || m_last->sweep);
    for (QAction* a : std::as_const(m_exportActions)) {
        const auto format = static_cast<ExportFormat>(a->data().toInt());
        a->setEnabled(hasResults && !running
            && (format != ExportFormat::Csv || m_last->report || m_last->sweep));
    }
    m_exportButton->setEnabled(hasResults && !running);
    m_openAction->setEnabled(!running);
    m_results->setStale(resultsStale());

    QString rollout;
    if (!session() || !session()->isActive())
        rollout = tr("Connect to a quota database to roll out.");
    else if (!m_candidate->isValid())
        rollout = tr("The candidate is not a valid policy: %1").arg(m_candidate->problemSummary());
    m_versions->setCandidateState(rollout.isEmpty() && !m_activating, rollout);
    m_versions->setBusy(m_activating);
}

void SimulatePage::setStatus(const QString& text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? u"color: #b3261e;"_s : QString());
    if (!text.isEmpty())
        Q_EMIT statusMessage(text);
}

QString SimulatePage::statusText() const
{
    return m_status->text();
}

void SimulatePage::budgetChanged()
{
    const QString text = m_budget->text().trimmed();
    m_condition.reset();
    m_budgetError.clear();
    if (text.isEmpty()) {
        m_budgetNote->setText(tr("No budget: runs only report."));
        m_budgetNote->setStyleSheet(u"color: palette(placeholder-text);"_s);
    } else {
        simulation::ConditionError error;
        m_condition = simulation::ReportCondition::parse(text, &error);
        if (m_condition) {
            m_budgetNote->setText(tr("A run breaks the budget when %1 (reads %2).")
                                      .arg(text, m_condition->keys().join(u", "_s)));
            m_budgetNote->setStyleSheet(QString());
        } else {
            m_budgetError = tr("column %1: %2").arg(error.column).arg(error.message);
            m_budgetNote->setText(m_budgetError);
            m_budgetNote->setStyleSheet(u"color: #b3261e;"_s);
        }
    }
    // The verdict on the shown results follows the budget as it is edited.
    if (m_last && m_last->report)
        m_results->setBudget(verdictOn(*m_last->report));
    updateActions();
}

std::optional<SimulationResultsWidget::Budget> SimulatePage::verdictOn(
    const simulation::Report& report) const
{
    if (!m_condition)
        return std::nullopt;
    const QJsonObject json = simulation::toJson(report);
    return SimulationResultsWidget::Budget { m_condition->expression(), m_condition->evaluate(json),
        m_condition->explain(json) };
}

// --- running ----------------------------------------------------------------------------

bool SimulatePage::run()
{
    m_editor->flush();
    const QString blocker = runBlocker();
    if (!blocker.isEmpty()) {
        setStatus(blocker, true);
        // Point at the first problem, so that "says why" is also "shows where".
        if (!m_candidate->isValid()) {
            m_sections->setCurrentIndex(SetupSection);
            m_editor->showProblem(0);
        }
        return false;
    }
    workbench::RunRequest request;
    request.source = m_source->source();
    if (session())
        request.sourceLabel = session()->profile().name;
    request.baseline = *m_baseline->state().policy;
    request.baselineName = m_baseline->state().name;
    request.candidate = *m_candidate->policy();
    request.candidateJson = m_candidate->text().toUtf8();
    return start(std::move(request));
}

bool SimulatePage::runSweep()
{
    m_editor->flush();
    QString blocker = runBlocker();
    std::optional<simulation::SweepSpec> spec;
    if (blocker.isEmpty()) {
        spec = m_sweep->spec(&blocker);
        if (!spec && blocker.isEmpty())
            blocker = tr("Set the parameter and range to sweep.");
    }
    if (!blocker.isEmpty()) {
        setStatus(blocker, true);
        return false;
    }
    // Every value must give a valid policy before anything is read.
    for (const std::int64_t value : spec->values) {
        QString error;
        if (!simulation::policyWithValue(
                m_candidate->text().toUtf8(), spec->parameter, value, &error)) {
            setStatus(error, true);
            return false;
        }
    }
    workbench::RunRequest request;
    request.source = m_source->source();
    if (session())
        request.sourceLabel = session()->profile().name;
    request.baseline = *m_baseline->state().policy;
    request.baselineName = m_baseline->state().name;
    request.candidate = *m_candidate->policy();
    request.candidateJson = m_candidate->text().toUtf8();
    request.sweep = spec;
    return start(std::move(request));
}

bool SimulatePage::start(workbench::RunRequest request)
{
    m_runCandidateRevision = m_candidate->revision();
    m_runBaselineName = m_baseline->state().name;
    m_runSourceKey = currentSourceKey();
    m_runChanges = m_changes->changes();
    m_runWasSweep = request.sweep.has_value();
    if (!m_runner->start(std::move(request)))
        return false;
    m_progress->setValue(0);
    m_progress->show();
    setStatus(tr("Starting…"));
    updateActions();
    return true;
}

void SimulatePage::cancel()
{
    if (!m_runner->isRunning())
        return;
    m_runner->cancel();
    setStatus(tr("Cancelling…"));
}

void SimulatePage::runProgress(const workbench::RunProgress& p)
{
    using Phase = workbench::RunProgress::Phase;
    if (p.phase == Phase::Idle)
        return;
    if (p.fraction > 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(static_cast<int>(p.fraction * 1000));
    } else {
        m_progress->setRange(0, 0); // busy: the total is not known yet
    }
    const QString rate = p.perSecond > 0
        ? tr(", %1 requests/s").arg(workbench::countText(static_cast<std::uint64_t>(p.perSecond)))
        : QString();
    QString text;
    switch (p.phase) {
    case Phase::Loading:
        text = p.done > 0
            ? tr("Reading the traffic: %1 requests%2").arg(workbench::countText(p.done), rate)
            : tr("Reading the traffic…");
        break;
    case Phase::Simulating:
        text = tr("Deciding %1 of %2 requests under both policies%3")
                   .arg(workbench::countText(p.done), workbench::countText(p.total), rate);
        break;
    case Phase::Sweeping:
        text = tr("Sweeping: %1 of %2 decisions%3")
                   .arg(workbench::countText(p.done), workbench::countText(p.total), rate);
        break;
    case Phase::Cancelling:
        text = tr("Cancelling…");
        break;
    case Phase::Idle:
        break;
    }
    text += u" · "_s % workbench::durationText(p.elapsedS);
    m_status->setStyleSheet(QString());
    m_status->setText(text);
}

void SimulatePage::runFinishedInternal(const workbench::RunResult& result)
{
    m_progress->hide();
    m_progress->setRange(0, 1000);
    if (result.cancelled) {
        setStatus(tr("Cancelled. Nothing was changed."));
    } else if (!result.error.isEmpty()) {
        setStatus(result.error, true);
    } else {
        if (result.sweep) {
            m_sweep->setResult(*result.sweep);
            // A sweep keeps the last comparison's report for the exports.
            workbench::RunResult merged = m_last ? *m_last : workbench::RunResult {};
            merged.sweep = result.sweep;
            merged.load = result.load;
            m_last = merged;
            m_sections->setCurrentIndex(SweepSection);
            setStatus(tr("Sweep of %1: %n run(s) in %2.", nullptr,
                static_cast<int>(result.sweep->points.size()))
                          .arg(result.sweep->parameter.path(),
                              workbench::durationText(result.sweep->elapsedS)));
        } else {
            m_last = result;
            m_lastCandidateRevision = m_runCandidateRevision;
            m_lastBaselineName = m_runBaselineName;
            m_lastSourceKey = m_runSourceKey;
            m_lastChanges = m_runChanges;
            m_lastRanAt = QDateTime::currentDateTimeUtc();
            m_lastFromWorkspace = false;
            SimulationResultsWidget::Context context { m_lastRanAt, false, false,
                changeLines(m_lastChanges), verdictOn(*result.report) };
            m_results->setResult(result, context);
            m_sections->setCurrentIndex(ResultsSection);
            const simulation::Report& r = *result.report;
            setStatus(tr("Done: %1 newly denied, %2 newly admitted, %3 paid newly denied.")
                          .arg(workbench::countText(r.newlyDenied.total),
                              workbench::countText(r.newlyAdmitted.total),
                              workbench::countText(r.paidNewlyDenied)));
        }
    }
    updateActions();
    Q_EMIT runFinished(result);
}

void SimulatePage::applySweepValue(const simulation::SweepParameter& parameter, std::int64_t value)
{
    const auto edit = workbench::sweepEdit(m_candidate->root(), parameter, value);
    if (!edit || !m_candidate->setValue(edit->first, edit->second)) {
        setStatus(tr("The candidate has no %1 any more.").arg(parameter.path()), true);
        return;
    }
    setStatus(
        tr("The candidate's %1 is now %2.").arg(parameter.path(), parameter.formatValue(value)));
}

} // namespace qc::ui
