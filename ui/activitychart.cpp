#include "activitychart.h"

#include <QChart>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QMouseEvent>
#include <QValueAxis>

namespace qc::ui {

using namespace Qt::StringLiterals;

ActivityChart::ActivityChart(QWidget* parent)
    : QChartView(parent)
    , m_requests(new QLineSeries)
    , m_denials(new QLineSeries)
    , m_x(new QDateTimeAxis)
    , m_y(new QValueAxis)
{
    setObjectName(u"activityChart"_s);
    auto* c = new QChart;
    c->legend()->setAlignment(Qt::AlignTop);
    c->setMargins(QMargins(4, 4, 4, 4));
    m_requests->setName(tr("Requests"));
    m_denials->setName(tr("Denials"));
    m_requests->setColor(QColor(0x15, 0x65, 0xc0));
    m_denials->setColor(QColor(0xc6, 0x28, 0x28));
    c->addSeries(m_requests);
    c->addSeries(m_denials);
    m_x->setFormat(u"MM-dd HH:mm"_s);
    m_x->setTitleText(tr("UTC"));
    m_y->setLabelFormat(u"%d"_s);
    m_y->setMin(0);
    c->addAxis(m_x, Qt::AlignBottom);
    c->addAxis(m_y, Qt::AlignLeft);
    for (QLineSeries* s : { m_requests, m_denials }) {
        s->attachAxis(m_x);
        s->attachAxis(m_y);
    }
    setChart(c);
    setRenderHint(QPainter::Antialiasing);
    setRubberBand(QChartView::HorizontalRubberBand);
    setToolTip(tr("Drag across the chart to investigate that span"));
    setMinimumHeight(170);
}

ActivityChart::~ActivityChart() = default;

void ActivityChart::setActivity(
    const QList<db::ActivityPoint>& points, const QDateTime& from, const QDateTime& to)
{
    m_from = from;
    m_to = to;
    m_points = int(points.size());
    QList<QPointF> requests;
    QList<QPointF> denials;
    requests.reserve(points.size());
    denials.reserve(points.size());
    qint64 top = 1;
    for (const db::ActivityPoint& p : points) {
        const double x = double(p.t.toMSecsSinceEpoch());
        requests.append({ x, double(p.requests) });
        denials.append({ x, double(p.denials) });
        top = qMax(top, p.requests);
    }
    m_requests->replace(requests);
    m_denials->replace(denials);
    chart()->zoomReset();
    m_x->setRange(from.toLocalTime(), to.toLocalTime());
    m_x->setFormat(from.secsTo(to) > 2 * 86400 ? u"MM-dd HH:mm"_s : u"HH:mm"_s);
    m_y->setRange(0, double(top) * 1.1);
    m_y->applyNiceNumbers();
}

void ActivityChart::mouseReleaseEvent(QMouseEvent* event)
{
    QChartView::mouseReleaseEvent(event);
    if (event->button() != Qt::LeftButton)
        return;
    // The rubber band zoomed the axis: that span is the new range.
    const QDateTime from = m_x->min().toUTC();
    const QDateTime to = m_x->max().toUTC();
    if (m_from.isValid() && (from > m_from.addSecs(30) || to < m_to.addSecs(-30)) && from < to)
        Q_EMIT spanSelected(from, to);
}

} // namespace qc::ui
