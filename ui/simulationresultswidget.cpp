#include "simulationresultswidget.h"

#include "services/localization.h"
#include "simulationcharts.h"
#include "workbench/affectedidentifiermodel.h"
#include "workbench/alertfiringmodel.h"
#include "workbench/disagreementmodel.h"
#include "workbench/displayformat.h"
#include "workbench/namedcountmodel.h"
#include "workbench/totalsmodel.h"

#include <QChartView>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace qc::ui {

namespace {

enum Breakdown { ByReason, ByRule, ByPlan, ByEndpoint };

QTableView* table(QAbstractItemModel* model, QWidget* parent)
{
    auto* view = new QTableView(parent);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    return view;
}

QString esc(const QString& s)
{
    return s.toHtmlEscaped();
}

} // namespace

SimulationResultsWidget::SimulationResultsWidget(QWidget* parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_callouts(new QLabel(this))
    , m_staleNote(new QLabel(this))
    , m_chart(new QChartView(this))
    , m_tabs(new QTabWidget(this))
    , m_totals(new workbench::TotalsModel(this))
    , m_affected(new workbench::AffectedIdentifierModel(this))
    , m_affectedProxy(new QSortFilterProxyModel(this))
    , m_alerts(new workbench::AlertFiringModel(this))
    , m_fidelity(new QLabel(this))
    , m_disagreements(new workbench::DisagreementModel(this))
    , m_notes(new QLabel(this))
{
    const QString titles[4] = { tr("Reason"), tr("Rule"), tr("Plan tier"), tr("Endpoint") };
    for (int i = 0; i < 4; ++i) {
        m_denied[i] = new workbench::NamedCountModel(titles[i], this);
        m_admitted[i] = new workbench::NamedCountModel(titles[i], this);
    }
    m_summary->setObjectName(u"resultsSummary"_s);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_callouts->setObjectName(u"resultsCallouts"_s);
    m_callouts->setWordWrap(true);
    m_callouts->setTextFormat(Qt::RichText);
    m_staleNote->setWordWrap(true);
    m_staleNote->setStyleSheet(u"color: #8a5a00;"_s);
    m_staleNote->hide();

    m_totalsView = table(m_totals, this);
    m_totalsView->setObjectName(u"resultsTotals"_s);
    m_totalsView->setAccessibleName(tr("Totals"));
    m_totalsView->setSelectionMode(QAbstractItemView::NoSelection);
    m_totalsView->setMinimumWidth(440);
    m_totalsView->setColumnWidth(workbench::TotalsModel::Measure, 200);
    m_totalsView->setColumnWidth(workbench::TotalsModel::Baseline, 120);
    m_totalsView->setColumnWidth(workbench::TotalsModel::Candidate, 120);
    m_chart->setObjectName(u"resultsChart"_s);
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(220);

    auto* top = new QSplitter(Qt::Horizontal, this);
    top->addWidget(m_totalsView);
    top->addWidget(m_chart);
    top->setStretchFactor(0, 2);
    top->setStretchFactor(1, 3);

    m_tabs->addTab(breakdownPage(m_denied), tr("Newly denied"));
    m_tabs->addTab(breakdownPage(m_admitted), tr("Newly admitted"));

    // Identifiers.
    auto* idPage = new QWidget(m_tabs);
    m_affectedProxy->setSourceModel(m_affected);
    m_affectedProxy->setSortRole(workbench::AffectedIdentifierModel::SortRole);
    m_affectedProxy->setFilterKeyColumn(workbench::AffectedIdentifierModel::Identifier);
    m_affectedProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_affectedView = table(m_affectedProxy, idPage);
    m_affectedView->setObjectName(u"resultsAffected"_s);
    m_affectedView->setAccessibleName(tr("Affected identifiers"));
    m_affectedView->setSortingEnabled(true);
    m_affectedView->sortByColumn(
        workbench::AffectedIdentifierModel::NewlyDenied, Qt::DescendingOrder);
    m_affectedView->setColumnWidth(workbench::AffectedIdentifierModel::Identifier, 260);
    auto* filter = new QLineEdit(idPage);
    filter->setPlaceholderText(tr("Filter identifiers…"));
    filter->setAccessibleName(tr("Filter identifiers"));
    filter->setClearButtonEnabled(true);
    auto* debounce = new QTimer(idPage);
    debounce->setSingleShot(true);
    debounce->setInterval(200);
    connect(filter, &QLineEdit::textChanged, debounce, qOverload<>(&QTimer::start));
    connect(debounce, &QTimer::timeout, this,
        [this, filter] { m_affectedProxy->setFilterFixedString(filter->text()); });
    auto* investigate
        = new QPushButton(QIcon::fromTheme(u"edit-find"_s), tr("Investigate"), idPage);
    investigate->setToolTip(tr("Open the selected identifier on the Investigate page, over the "
                               "simulated time range"));
    connect(investigate, &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_affectedView->currentIndex();
        if (current.isValid())
            investigateAffected(current.row());
    });
    connect(m_affectedView, &QTableView::doubleClicked, this,
        [this](const QModelIndex& index) { investigateAffected(index.row()); });
    auto* idTop = new QHBoxLayout;
    idTop->addWidget(filter, 1);
    idTop->addWidget(investigate);
    auto* idLayout = new QVBoxLayout(idPage);
    idLayout->addLayout(idTop);
    idLayout->addWidget(m_affectedView, 1);
    m_tabs->addTab(idPage, tr("Identifiers"));

    // Alerts.
    auto* alertsView = table(m_alerts, m_tabs);
    alertsView->setObjectName(u"resultsAlerts"_s);
    alertsView->setAccessibleName(tr("Alerts that would fire"));
    alertsView->setColumnWidth(workbench::AlertFiringModel::Rule, 220);
    alertsView->setColumnWidth(workbench::AlertFiringModel::Condition, 220);
    m_tabs->addTab(alertsView, tr("Alerts"));

    // Fidelity.
    auto* fidelityPage = new QWidget(m_tabs);
    m_fidelity->setObjectName(u"resultsFidelity"_s);
    m_fidelity->setWordWrap(true);
    m_disagreementView = table(m_disagreements, fidelityPage);
    m_disagreementView->setObjectName(u"resultsDisagreements"_s);
    m_disagreementView->setAccessibleName(tr("Disagreeing requests"));
    m_disagreementView->setToolTip(tr("Double-click a request to investigate its client"));
    connect(m_disagreementView, &QTableView::doubleClicked, this,
        [this](const QModelIndex& index) { investigateDisagreement(index.row()); });
    auto* fidelityLayout = new QVBoxLayout(fidelityPage);
    fidelityLayout->addWidget(m_fidelity);
    fidelityLayout->addWidget(m_disagreementView, 1);
    m_tabs->addTab(fidelityPage, tr("Fidelity"));

    m_notes->setWordWrap(true);
    m_notes->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_notes->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_tabs->addTab(m_notes, tr("Notes"));

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(top);
    split->addWidget(m_tabs);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setSizes({ 380, 320 });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_staleNote);
    layout->addWidget(m_summary);
    layout->addWidget(m_callouts);
    layout->addWidget(split, 1);
    clear();
}

SimulationResultsWidget::~SimulationResultsWidget() = default;

QWidget* SimulationResultsWidget::breakdownPage(workbench::NamedCountModel* const (&models)[4])
{
    auto* page = new QWidget(m_tabs);
    auto* grid = new QGridLayout(page);
    const QString titles[4]
        = { tr("By reason"), tr("By rule"), tr("By plan tier"), tr("By endpoint") };
    for (int i = 0; i < 4; ++i) {
        auto* box = new QGroupBox(titles[i], page);
        auto* view = table(models[i], box);
        view->setAccessibleName(titles[i]);
        view->setColumnWidth(workbench::NamedCountModel::Name, 200);
        auto* l = new QVBoxLayout(box);
        l->setContentsMargins(4, 4, 4, 4);
        l->addWidget(view);
        grid->addWidget(box, i / 2, i % 2);
    }
    return page;
}

void SimulationResultsWidget::clear()
{
    m_report.reset();
    m_totals->clear();
    for (int i = 0; i < 4; ++i) {
        m_denied[i]->resetData({}, 0);
        m_admitted[i]->resetData({}, 0);
    }
    m_affected->clear();
    m_alerts->resetData({});
    m_disagreements->resetData({}, {});
    m_summary->setText(tr("No results yet. Set up the traffic, baseline and candidate, then Run."));
    m_callouts->clear();
    m_callouts->hide();
    m_fidelity->clear();
    m_notes->clear();
    m_chart->setChart(new QChart);
    m_staleNote->hide();
}

void SimulationResultsWidget::setStale(bool stale)
{
    m_staleNote->setVisible(stale && m_report);
    m_staleNote->setText(tr("The candidate, the baseline or the traffic changed after this run: "
                            "run again to see their effect."));
}

void SimulationResultsWidget::setResult(const workbench::RunResult& result, const Context& context)
{
    if (!result.report) {
        clear();
        return;
    }
    m_report = result.report;
    const simulation::Report& r = *m_report;
    using workbench::countText;
    using workbench::moneyText;
    using workbench::percentText;
    using workbench::timeText;

    m_totals->resetData(r);
    const simulation::ChangeBreakdown* changes[2] = { &r.newlyDenied, &r.newlyAdmitted };
    workbench::NamedCountModel* const* models[2] = { m_denied, m_admitted };
    for (int c = 0; c < 2; ++c) {
        const simulation::ChangeBreakdown& b = *changes[c];
        models[c][ByReason]->resetData(b.byReason, b.total);
        models[c][ByRule]->resetData(b.byRule, b.total, tr("(no rule)"));
        models[c][ByPlan]->resetData(b.byPlan, b.total);
        models[c][ByEndpoint]->resetData(b.byEndpoint, b.total);
    }
    m_affected->resetData(r);
    m_alerts->resetData(r.alerts);
    m_disagreements->resetData(r.fidelity.disagreements, result.disagreementDetails);
    m_tabs->setTabText(NewlyDeniedTab, tr("Newly denied (%1)").arg(countText(r.newlyDenied.total)));
    m_tabs->setTabText(
        NewlyAdmittedTab, tr("Newly admitted (%1)").arg(countText(r.newlyAdmitted.total)));
    m_tabs->setTabText(AlertsTab, tr("Alerts (%1)").arg(r.alerts.size()));
    m_tabs->setTabEnabled(FidelityTab, r.fidelity.available);

    QString summary = tr("%1 requests from %2 to %3")
                          .arg(countText(r.reportedRequests), timeText(r.traceStart + r.warmupMs),
                              timeText(r.traceEnd));
    if (r.warmupRequests > 0)
        summary += tr(" (after a warm-up of %1 requests)").arg(countText(r.warmupRequests));
    summary += u". "_s % tr("Baseline: %1.").arg(r.baseline.name) % u' ';
    if (context.changes.isEmpty()) {
        summary += tr("The candidate decides as the baseline does.");
    } else {
        QStringList shown = context.changes.mid(0, 3);
        if (context.changes.size() > 3)
            shown.push_back(tr("%n more", nullptr, static_cast<int>(context.changes.size() - 3)));
        summary += tr("The candidate changes %1.").arg(shown.join(u"; "_s));
    }
    if (!result.load.description.isEmpty())
        summary += u' ' % tr("Traffic: %1.").arg(result.load.description);
    if (context.fromWorkspace)
        summary += u' '
            % tr("Results saved with the workspace, run %1.")
                  .arg(services::display::dateTime(context.ranAt, false, true));
    else if (r.eventsPerS > 0)
        summary += u' '
            % tr("Decided in %1 (%2 requests/s per policy).")
                  .arg(workbench::durationText(r.elapsedS),
                      countText(static_cast<std::uint64_t>(r.eventsPerS)));
    m_summary->setText(summary);

    m_context = context;
    updateCallouts();

    if (r.fidelity.available) {
        const simulation::Fidelity& f = r.fidelity;
        QString text = tr("The baseline agrees with <b>%1</b> of the %2 decisions recorded live "
                          "(%3 disagree).")
                           .arg(percentText(f.agreementPct), countText(f.compared),
                               countText(f.compared - f.agreed));
        if (f.compared > f.agreed
            && f.disagreements.size() < static_cast<qsizetype>(f.compared - f.agreed))
            text += u' ' % tr("The first %1 are listed.").arg(countText(f.disagreements.size()));
        if (f.compared == f.agreed)
            text += u' ' % tr("The simulation reproduces live enforcement exactly.");
        m_fidelity->setText(text);
    } else {
        m_fidelity->setText(tr("This traffic carries no recorded decisions: replay the "
                               "database's request_logs to measure fidelity."));
    }

    QStringList notes;
    for (const QString& w : r.warnings)
        notes.push_back(u"• "_s % esc(w));
    for (const QString& w : result.load.warnings) {
        if (!r.warnings.contains(w))
            notes.push_back(u"• "_s % esc(w));
    }
    if (result.load.skippedRows > 0)
        notes.push_back(
            u"• "_s % tr("%1 bad rows of the trace were skipped.").arg(result.load.skippedRows));
    for (const trace::TraceError& e : result.load.rowErrors.mid(0, 20))
        notes.push_back(u"&nbsp;&nbsp;"_s % esc(e.toString()));
    if (const auto& db = result.load.database) {
        notes.push_back(u"• "_s
            % tr("Read %1 requests, %2 blocks, %3 unblocks and %4 plan changes in %5 (waiting for "
                 "the server %6, decoding %7).")
                  .arg(countText(db->rows), countText(db->blocks), countText(db->unblocks),
                      countText(db->planChanges), workbench::durationText(db->totalSeconds),
                      workbench::durationText(db->waitSeconds),
                      workbench::durationText(db->decodeSeconds)));
    } else if (!result.load.description.isEmpty()) {
        notes.push_back(u"• "_s
            % (result.load.reused ? tr("The traffic read for the previous run was used again.")
                                  : tr("Read %1 requests in %2.")
                                        .arg(countText(result.load.requests),
                                            workbench::durationText(result.load.seconds))));
    }
    m_notes->setText(notes.isEmpty() ? tr("Nothing to note.") : notes.join(u"<br>"_s));
    m_tabs->setTabText(
        NotesTab, r.warnings.isEmpty() ? tr("Notes") : tr("Notes (%1)").arg(r.warnings.size()));

    m_chart->setChart(makeTimeSeriesChart(r));
    setStale(context.stale);
}

void SimulationResultsWidget::setBudget(const std::optional<Budget>& budget)
{
    m_context.budget = budget;
    if (m_report)
        updateCallouts();
}

void SimulationResultsWidget::updateCallouts()
{
    const simulation::Report& r = *m_report;
    using workbench::countText;
    using workbench::moneyText;
    using workbench::percentText;

    // What an admin must not miss, first.
    QStringList callouts;
    if (const auto& budget = m_context.budget) {
        callouts.push_back(budget->broken ? u"<span style='color:#b3261e'><b>"_s
                    % tr("Budget broken: %1").arg(esc(budget->expression)) % u"</b> ("_s
                    % esc(budget->values) % u")</span>"_s
                                          : u"<span style='color:#2e7d32'><b>"_s
                    % tr("Within budget: %1 is false").arg(esc(budget->expression)) % u"</b> ("_s
                    % esc(budget->values) % u")</span>"_s);
    }
    if (r.paidNewlyDenied > 0) {
        QStringList tiers;
        for (const simulation::NamedCount& n : r.newlyDenied.byPlan) {
            if (n.name != u"anonymous"_s)
                tiers.push_back(esc(n.name) % u' ' % countText(n.count));
        }
        callouts.push_back(u"<span style='color:#b3261e'><b>"_s
            % tr("Paying customers affected: %1 of their requests (%2 of paid traffic) would be "
                 "newly denied.")
                  .arg(countText(r.paidNewlyDenied), percentText(r.paidDeniedPct))
            % u"</b> "_s % tiers.join(u", "_s) % u"</span>"_s);
    } else if (r.paidRequests > 0) {
        callouts.push_back(u"<span style='color:#2e7d32'>"_s
            % tr("No request of a paying customer would be newly denied (%1 paid requests).")
                  .arg(countText(r.paidRequests))
            % u"</span>"_s);
    }
    callouts.push_back(tr("Newly denied: <b>%1</b>; newly admitted: <b>%2</b>.")
                           .arg(countText(r.newlyDenied.total), countText(r.newlyAdmitted.total)));
    callouts.push_back(
        tr("Cost admitted %1 → %2: <b>%3 %4</b>.")
            .arg(moneyText(r.baseline.costAdmitted), moneyText(r.candidate.costAdmitted),
                moneyText(r.costSaved < 0 ? -r.costSaved : r.costSaved),
                r.costSaved < 0 ? tr("more spent") : tr("saved")));
    const QStringList newAlerts = m_alerts->newUnderCandidate();
    if (!newAlerts.isEmpty())
        callouts.push_back(u"<span style='color:#b3261e'>"_s
            % tr("Alerts that would fire only under the candidate: %1.")
                  .arg(esc(newAlerts.join(u", "_s)))
            % u"</span>"_s);
    if (r.fidelity.available)
        callouts.push_back(tr("Fidelity: the baseline agrees with %1 of the decisions made live.")
                               .arg(percentText(r.fidelity.agreementPct)));
    m_callouts->setText(callouts.join(u"<br>"_s));
    m_callouts->show();
}

QString SimulationResultsWidget::summaryText() const
{
    return m_summary->text();
}

QString SimulationResultsWidget::calloutText() const
{
    return m_callouts->text();
}

QString SimulationResultsWidget::fidelityText() const
{
    return m_fidelity->text();
}

services::InvestigationTarget SimulationResultsWidget::spanTarget() const
{
    services::InvestigationTarget target;
    if (m_report) {
        target.from
            = QDateTime::fromMSecsSinceEpoch(m_report->traceStart + m_report->warmupMs, Qt::UTC);
        target.to = QDateTime::fromMSecsSinceEpoch(m_report->traceEnd + 1, Qt::UTC);
    }
    return target;
}

void SimulationResultsWidget::investigateAffected(int row)
{
    const QModelIndex index = m_affectedProxy->index(row, 0);
    if (!index.isValid())
        return;
    const QString id = index.data(workbench::AffectedIdentifierModel::IdentifierRole).toString();
    if (id.isEmpty() || id == u"(invalid)"_s)
        return;
    services::InvestigationTarget target = spanTarget();
    const bool user
        = index.data(workbench::AffectedIdentifierModel::KindRole).toString() == u"user"_s;
    target.kind = user ? services::InvestigationTarget::Kind::User
                       : services::InvestigationTarget::Kind::Ip;
    target.value = id;
    target.origin = u"simulate/affected"_s;
    Q_EMIT investigateRequested(target);
}

void SimulationResultsWidget::investigateDisagreement(int row)
{
    const QModelIndex index = m_disagreements->index(row, 0);
    if (!index.isValid())
        return;
    services::InvestigationTarget target = spanTarget();
    const QString client = index.data(workbench::DisagreementModel::ClientRole).toString();
    const QString user = index.data(workbench::DisagreementModel::UserRole).toString();
    if (!client.isEmpty()) {
        target.kind = services::InvestigationTarget::Kind::Ip;
        target.value = client;
    } else if (!user.isEmpty()) {
        target.kind = services::InvestigationTarget::Kind::User;
        target.value = user;
    } else {
        return;
    }
    target.origin = u"simulate/fidelity"_s;
    Q_EMIT investigateRequested(target);
}

} // namespace qc::ui
