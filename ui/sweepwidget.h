#pragma once

#include "simulation/sweep.h"
#include "workbench/sweepchoices.h"

#include <QWidget>

#include <optional>

class QChartView;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace qc::workbench {
class SweepPointModel;
}

namespace qc::ui {

/// A sweep of one number of the candidate (a limit, a window, a burst, a quota, an abuse
/// threshold) over a range: one simulation per value, run in parallel on every core, and the
/// trade-off it shows — legitimate traffic denied, abusive traffic admitted, cost — as a
/// chart and a table. Picking a point and "Use this value" puts it into the candidate.
class SweepWidget final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY(SweepWidget)
public:
    explicit SweepWidget(QWidget* parent = nullptr);
    ~SweepWidget() override;

    /// The candidate whose numbers can be swept (nullptr while it is not a valid policy).
    void setCandidate(const enforcement::Policy* candidate);
    /// "PATH=FROM:TO:STEP" as set, empty without a parameter (the workspace form).
    QString specText() const;
    void setSpecText(const QString& text);
    /// The sweep as set, or nullopt with `error` saying what is wrong.
    std::optional<simulation::SweepSpec> spec(QString* error) const;

    void setResult(const simulation::SweepResult& result);
    void clear();
    const std::optional<simulation::SweepResult>& result() const { return m_result; }
    void setRunEnabled(bool enabled, const QString& why = {});

    workbench::SweepPointModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QComboBox* parameterBox() const { return m_parameter; }
    /// Selects the row of `value` (the chart's click does the same).
    void selectValue(std::int64_t value);

Q_SIGNALS:
    void runRequested();
    /// Set `parameter` of the candidate to `value`.
    void applyRequested(const simulation::SweepParameter& parameter, std::int64_t value);

private:
    void parameterChanged();
    void updateCount();
    void applySelected();

    const enforcement::Policy* m_candidate = nullptr;
    QList<workbench::SweepChoice> m_choices;
    QComboBox* m_parameter;
    QLineEdit* m_from;
    QLineEdit* m_to;
    QLineEdit* m_step;
    QLabel* m_count;
    QPushButton* m_run;
    QPushButton* m_apply;
    QChartView* m_chart;
    QTableView* m_view;
    workbench::SweepPointModel* m_model;
    std::optional<simulation::SweepResult> m_result;
    QString m_pendingSpec; // set before the candidate could resolve it
};

} // namespace qc::ui
