#pragma once

#include "ui/page.h"
#include "ui/pageregistry.h"

#include <QHash>
#include <QList>

#include <functional>

class QButtonGroup;
class QGridLayout;
class QLabel;
class QTabWidget;
class QTableView;
class QTimer;
class QToolButton;

namespace qc::models {
class EndpointHealthModel;
class TimeSeriesModel;
class TopListModel;
} // namespace qc::models

namespace qc::services {
class DashboardFeed;
struct TimeRange;
} // namespace qc::services

namespace qc::ui {

class KpiTile;
class TimeSeriesChart;
class TopListView;

/// The live dashboard (Watch): KPI tiles with trends and threshold colours, charts of p95
/// latency, denial rate by reason, collision rate, requests and cost over a time range
/// (15 m … 30 d or custom, auto-refreshed unless paused), the metrics endpoints' health, and
/// top IPs, users and endpoints. A row or a dragged time span starts an investigation.
class DashboardPage final : public Page {
    Q_OBJECT
    Q_DISABLE_COPY(DashboardPage)
public:
    explicit DashboardPage(const PageContext& context, QWidget* parent = nullptr);
    ~DashboardPage() override;

    static PageDescriptor descriptor();

    void activated() override;
    void deactivated() override;

    // For tests and the benchmark.
    services::DashboardFeed* feed() const { return m_feed; }
    KpiTile* tile(const QString& id) const { return m_tiles.value(id, nullptr); }
    TimeSeriesChart* chart(const QString& id) const { return m_charts.value(id, nullptr); }
    models::TimeSeriesModel* seriesModel(const QString& id) const
    {
        return m_series.value(id, nullptr);
    }
    TopListView* topList(const QString& kind) const { return m_topViews.value(kind, nullptr); }
    models::EndpointHealthModel* endpointModel() const { return m_endpointModel; }
    QString statusText() const;
    void setRange(const services::TimeRange& range);

Q_SIGNALS:
    /// The first data from the database has been painted (once per page).
    void firstDataShown();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QWidget* buildToolbar();
    void updateData();
    void updateLive();
    void updateCharts();
    void updateStatus();
    void runSteps(QList<std::function<void()>> steps);
    void chooseCustomRange();
    void investigateSpan(const QDateTime& from, const QDateTime& to, const QString& origin);

    services::DashboardFeed* m_feed;
    QButtonGroup* m_rangeButtons;
    QToolButton* m_custom;
    QToolButton* m_pause;
    QLabel* m_status;
    QGridLayout* m_tileGrid;
    QHash<QString, KpiTile*> m_tiles;
    QHash<QString, TimeSeriesChart*> m_charts;
    QHash<QString, models::TimeSeriesModel*> m_series;
    QHash<QString, models::TopListModel*> m_topModels;
    QHash<QString, TopListView*> m_topViews;
    models::EndpointHealthModel* m_endpointModel;
    QTableView* m_endpointView;
    QWidget* m_endpointBox;
    QTimer* m_tick;
    bool m_firstShown = false;
    // Applying an answer is split into steps, one per event-loop turn (a chart each), so that
    // input and painting get their turn in between; a newer answer replaces the pending steps.
    QList<std::function<void()>> m_steps;
    QTimer* m_stepTimer;
};

} // namespace qc::ui
