#pragma once

#include "services/dashboardkpis.h"

#include <QFrame>

class QLabel;

namespace qc::ui {

/// One KPI of the dashboard: title, figure, trend, a detail line and the live figure, with a
/// stripe in the colour of its threshold level (green, amber, red). A stale tile is greyed and
/// says how old its figure is.
class KpiTile final : public QFrame {
    Q_OBJECT
    Q_DISABLE_COPY(KpiTile)
public:
    explicit KpiTile(QWidget* parent = nullptr);

    void setValue(const services::KpiValue& value);
    /// Marks the figure as old (`age` e.g. "3 min old"); an empty age clears it.
    void setStale(const QString& age);

    const services::KpiValue& value() const { return m_value; }
    QString valueText() const;
    QString staleText() const;

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyColors();

    services::KpiValue m_value;
    QWidget* m_stripe;
    QLabel* m_title;
    QLabel* m_figure;
    QLabel* m_trend;
    QLabel* m_detail;
    QLabel* m_live;
    QLabel* m_stale;
};

} // namespace qc::ui
