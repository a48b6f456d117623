#pragma once

#include <QChartView>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QPointF>
#include <QPointer>

class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace qc::models {
class TimeSeriesModel;
}

namespace qc::ui {

/// A dashboard chart drawn from a TimeSeriesModel: a line per column (database rollups solid,
/// live scrapes dashed, Prometheus dotted), the alert threshold as a red dashed line, a
/// vertical marker where an alert fired, the values under the mouse in a tooltip, and a time
/// span selected by dragging (or a step by clicking), announced by spanSelected().
class TimeSeriesChart final : public QChartView {
    Q_OBJECT
    Q_DISABLE_COPY(TimeSeriesChart)
public:
    explicit TimeSeriesChart(QWidget* parent = nullptr);
    ~TimeSeriesChart() override;

    void setModel(models::TimeSeriesModel* model);
    /// Greys the title and appends the note (e.g. "stale: 3 min old").
    void setNote(const QString& note);

    /// The text of the hover tooltip for the row nearest to `time` (exposed for tests).
    QString hoverText(const QDateTime& time) const;
    /// Number of drawn alert markers and series (for tests).
    int markerCount() const;
    int seriesCount() const;
    /// The line pieces drawn for column `columnId`, each a list of (axis ms, value) points: one
    /// per run of data, more when data is missing (for tests).
    QList<QList<QPointF>> linePieces(const QString& columnId) const;
    /// The time axis (for tests).
    const QDateTimeAxis* timeAxis() const { return m_x; }

Q_SIGNALS:
    void spanSelected(const QDateTime& from, const QDateTime& to);

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void drawForeground(QPainter* painter, const QRectF& rect) override;
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void rebuild();
    void updateTimeTicks();
    QLineSeries* addLine(const QString& columnId, int piece);
    void applyTheme();
    QDateTime timeAt(qreal x) const;
    qreal xOf(const QDateTime& time) const;
    int nearestRow(const QDateTime& time) const;

    QPointer<models::TimeSeriesModel> m_model;
    // Kept across refreshes: replacing points is cheap, adding series and axes is not.
    QDateTimeAxis* m_x = nullptr;
    QValueAxis* m_y = nullptr;
    // Column id → its line pieces: the first carries the legend entry and the colour, the
    // others continue it after gaps in the data.
    QHash<QString, QList<QLineSeries*>> m_lines;
    QLineSeries* m_threshold = nullptr;
    QString m_note;
    bool m_dragging = false;
    qreal m_dragFrom = 0;
    qreal m_dragTo = 0;
    qreal m_hoverX = -1;
    double m_yMax = 1;
};

} // namespace qc::ui
