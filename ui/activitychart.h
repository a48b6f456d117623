#pragma once

#include "db/investigation.h"

#include <QChartView>
#include <QDateTime>

class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace qc::ui {

/// Requests and denials of the subject over the range (from the rollups), as two lines.
/// Dragging across the chart selects a span: spanSelected() narrows the investigation to it.
class ActivityChart final : public QChartView {
    Q_OBJECT
    Q_DISABLE_COPY(ActivityChart)
public:
    explicit ActivityChart(QWidget* parent = nullptr);
    ~ActivityChart() override;

    void setActivity(
        const QList<db::ActivityPoint>& points, const QDateTime& from, const QDateTime& to);
    int pointCount() const { return m_points; }

Q_SIGNALS:
    void spanSelected(const QDateTime& from, const QDateTime& to);

protected:
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    QLineSeries* m_requests;
    QLineSeries* m_denials;
    QDateTimeAxis* m_x;
    QValueAxis* m_y;
    QDateTime m_from;
    QDateTime m_to;
    int m_points = 0;
};

} // namespace qc::ui
