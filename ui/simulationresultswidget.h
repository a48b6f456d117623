#pragma once

#include "services/investigationtarget.h"
#include "workbench/simulationrun.h"

#include <QDateTime>
#include <QWidget>

class QChartView;
class QLabel;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;

namespace qc::workbench {
class AffectedIdentifierModel;
class AlertFiringModel;
class DisagreementModel;
class NamedCountModel;
class TotalsModel;
} // namespace qc::workbench

namespace qc::ui {

/// The results of one comparison: the two policies' totals side by side, what the candidate
/// newly denies and admits (by reason, rule, plan tier, endpoint), paying customers affected,
/// cost, the identifiers most affected (double-click: investigate), the alerts that would fire,
/// both policies' denials over time, and — for request_logs — the baseline's fidelity to the
/// decisions made live, with the disagreeing requests.
class SimulationResultsWidget final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY(SimulationResultsWidget)
public:
    enum Tab { NewlyDeniedTab, NewlyAdmittedTab, IdentifiersTab, AlertsTab, FidelityTab, NotesTab };

    /// A budget's verdict on the shown report (ReportCondition over its JSON).
    struct Budget {
        QString expression;
        bool broken = false;
        QString values; // ReportCondition::explain()
    };

    /// How the shown results came about.
    struct Context {
        QDateTime ranAt;
        bool fromWorkspace = false; // read back from a saved workspace, not run now
        bool stale = false; // the candidate or baseline changed since
        QStringList changes; // what the candidate changes (policy::diff), one line each
        std::optional<Budget> budget; // none = no budget set
    };

    explicit SimulationResultsWidget(QWidget* parent = nullptr);
    ~SimulationResultsWidget() override;

    void setResult(const workbench::RunResult& result, const Context& context);
    void setStale(bool stale);
    /// The budget changed after the run: only its verdict is redrawn.
    void setBudget(const std::optional<Budget>& budget);
    void clear();
    bool hasResult() const { return m_report.has_value(); }

    // For the page and tests.
    workbench::TotalsModel* totalsModel() const { return m_totals; }
    workbench::AffectedIdentifierModel* affectedModel() const { return m_affected; }
    workbench::AlertFiringModel* alertModel() const { return m_alerts; }
    workbench::DisagreementModel* disagreementModel() const { return m_disagreements; }
    workbench::NamedCountModel* newlyDeniedModel(int breakdown) const
    {
        return m_denied[breakdown];
    }
    workbench::NamedCountModel* newlyAdmittedModel(int breakdown) const
    {
        return m_admitted[breakdown];
    }
    QTableView* affectedView() const { return m_affectedView; }
    QTableView* disagreementView() const { return m_disagreementView; }
    QTabWidget* tabs() const { return m_tabs; }
    QString summaryText() const;
    QString calloutText() const;
    QString fidelityText() const;
    QChartView* chartView() const { return m_chart; }
    /// Emits investigateRequested for the identifier in `row` of the (sorted) identifiers view.
    void investigateAffected(int row);

Q_SIGNALS:
    void investigateRequested(const qc::services::InvestigationTarget& target);

private:
    QWidget* breakdownPage(workbench::NamedCountModel* const (&models)[4]);
    void investigateDisagreement(int row);
    services::InvestigationTarget spanTarget() const;

    void updateCallouts();

    std::optional<simulation::Report> m_report;
    Context m_context;
    QLabel* m_summary;
    QLabel* m_callouts;
    QLabel* m_staleNote;
    QTableView* m_totalsView;
    QChartView* m_chart;
    QTabWidget* m_tabs;
    workbench::TotalsModel* m_totals;
    workbench::NamedCountModel* m_denied[4];
    workbench::NamedCountModel* m_admitted[4];
    workbench::AffectedIdentifierModel* m_affected;
    QSortFilterProxyModel* m_affectedProxy;
    QTableView* m_affectedView;
    workbench::AlertFiringModel* m_alerts;
    QLabel* m_fidelity;
    workbench::DisagreementModel* m_disagreements;
    QTableView* m_disagreementView;
    QLabel* m_notes;
};

} // namespace qc::ui
