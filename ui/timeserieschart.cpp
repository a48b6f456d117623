#include "timeserieschart.h"

#include "models/timeseriesmodel.h"

#include <QChart>
#include <QDateTimeAxis>
#include <QEvent>
#include <QGraphicsLayout>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QMouseEvent>
#include <QSet>
#include <QToolTip>
#include <QValueAxis>

#include <cmath>

namespace qc::ui {

using namespace Qt::StringLiterals;
using services::SeriesColumn;

namespace {

bool isDark(const QPalette& p)
{
    return p.color(QPalette::Window).lightness() < 128;
}

QColor thresholdColor(bool dark)
{
    return dark ? QColor(0xff, 0x6b, 0x5e) : QColor(0xc6, 0x28, 0x28);
}

QColor markerColor(const QString& severity, bool dark)
{
    if (severity == u"critical" || severity == u"page")
        return thresholdColor(dark);
    return dark ? QColor(0xff, 0xc1, 0x4d) : QColor(0xb2, 0x6a, 0x00);
}

// 1, 2, 2.5, 5 or 10 times a power of ten, at least `v`, and the tick count that divides it
// into round labels (0, 5, 10, … 25 rather than 0, 6.25, 12.5, …).
std::pair<double, int> niceCeiling(double v)
{
    const double magnitude = std::pow(10.0, std::floor(std::log10(v)));
    const std::pair<double, int> steps[]
        = { { 1.0, 5 }, { 2.0, 5 }, { 2.5, 6 }, { 5.0, 6 }, { 10.0, 6 } };
    for (const auto& [step, ticks] : steps) {
        if (step * magnitude >= v)
            return { step * magnitude, ticks };
    }
    return { 10 * magnitude, 6 };
}

QString valueText(double v, const QString& unit)
{
    const QString n = QLocale().toString(v, 'f', std::abs(v) < 10 ? 2 : 1);
    if (unit == u"%")
        return n + u" %"_s;
    if (unit.startsWith(u'/') || unit.startsWith(u'$'))
        return n + unit;
    return n + u' ' + unit;
}

} // namespace

TimeSeriesChart::TimeSeriesChart(QWidget* parent)
    : QChartView(parent)
{
    setRenderHint(QPainter::Antialiasing);
    setMouseTracking(true);
    setMinimumHeight(230);
    chart()->legend()->setAlignment(Qt::AlignBottom);
    chart()->setMargins(QMargins(4, 4, 4, 4));
    chart()->layout()->setContentsMargins(0, 0, 0, 0);
    chart()->setBackgroundRoundness(0);
    applyTheme();
}

TimeSeriesChart::~TimeSeriesChart() = default;

void TimeSeriesChart::setModel(models::TimeSeriesModel* model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    if (model)
        connect(model, &QAbstractItemModel::modelReset, this, &TimeSeriesChart::rebuild);
    rebuild();
}

void TimeSeriesChart::setNote(const QString& note)
{
    if (note == m_note)
        return;
    m_note = note;
    rebuild();
}

int TimeSeriesChart::seriesCount() const
{
    return int(chart()->series().size());
}

int TimeSeriesChart::markerCount() const
{
    return m_model ? int(m_model->table().markers.size()) : 0;
}

void TimeSeriesChart::applyTheme()
{
    const bool dark = isDark(palette());
    chart()->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart()->setBackgroundBrush(palette().color(QPalette::Base));
    chart()->setTitleBrush(palette().color(QPalette::Text));
    chart()->legend()->setLabelColor(palette().color(QPalette::Text));
    setBackgroundBrush(palette().color(QPalette::Base));
}

void TimeSeriesChart::changeEvent(QEvent* event)
{
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        applyTheme();
        // The theme resets the series' pens: make them afresh.
        chart()->removeAllSeries();
        m_lines.clear();
        m_threshold = nullptr;
        rebuild();
    }
}

void TimeSeriesChart::rebuild()
{
    QChart* c = chart();
    if (!m_model)
        return;
    const services::TimeSeriesTable& t = m_model->table();
    QString title = t.title;
    if (!t.unit.isEmpty())
        title += u" ("_s + t.unit + u')';
    if (!m_note.isEmpty())
        title += u" — "_s + m_note;
    if (c->title() != title)
        c->setTitle(title);
    const bool dark = isDark(palette());

    if (!m_x) {
        m_x = new QDateTimeAxis(c);
        m_y = new QValueAxis(c);
        m_y->setLabelFormat(u"%.3g"_s);
        c->addAxis(m_x, Qt::AlignBottom);
        c->addAxis(m_y, Qt::AlignLeft);
    }
    const qint64 span = t.rangeStart.secsTo(t.rangeEnd);
    // A day (and the few seconds a rolling range adds) reads as times of day.
    const bool withinADay = span <= 86400 + 3600;
    m_x->setFormat(withinADay ? u"HH:mm"_s : u"MM-dd HH:mm"_s);
    m_x->setTickCount(withinADay ? 7 : 6);
    if (t.rangeStart.isValid() && t.rangeEnd.isValid())
        m_x->setRange(t.rangeStart.toLocalTime(), t.rangeEnd.toLocalTime());
    m_x->setLabelsColor(palette().color(QPalette::Text));
    m_y->setLabelsColor(palette().color(QPalette::Text));

    double yMax = 0;
    QSet<QString> present;
    for (int col = 0; col < t.columns.size(); ++col) {
        const SeriesColumn& column = t.columns.at(col);
        present.insert(column.id);
        QLineSeries* series = m_lines.value(column.id, nullptr);
        if (!series) {
            series = new QLineSeries(c);
            c->addSeries(series);
            series->attachAxis(m_x);
            series->attachAxis(m_y);
            QPen pen = series->pen();
            pen.setWidthF(column.source == SeriesColumn::Source::Database ? 2.0 : 1.6);
            if (column.source == SeriesColumn::Source::Live)
                pen.setStyle(Qt::DashLine);
            else if (column.source == SeriesColumn::Source::Prometheus)
                pen.setStyle(Qt::DotLine);
            series->setPen(pen);
            m_lines.insert(column.id, series);
        }
        if (series->name() != column.name)
            series->setName(column.name);
        QList<QPointF> points;
        points.reserve(t.times.size());
        for (int row = 0; row < t.times.size(); ++row) {
            const double v = column.values.value(row, std::nan(""));
            if (!std::isfinite(v))
                continue;
            points.append(QPointF(double(t.times.at(row).toMSecsSinceEpoch()), v));
            yMax = std::max(yMax, v);
        }
        series->replace(points);
        // Live and Prometheus lines start with a few points: show them as dots until they grow.
        series->setPointsVisible(
            column.source != SeriesColumn::Source::Database && points.size() < 30);
    }
    for (auto it = m_lines.begin(); it != m_lines.end();) {
        if (present.contains(it.key())) {
            ++it;
            continue;
        }
        c->removeSeries(it.value());
        delete it.value();
        it = m_lines.erase(it);
    }
    if (t.threshold) {
        if (!m_threshold) {
            m_threshold = new QLineSeries(c);
            m_threshold->setName(tr("alert threshold"));
            c->addSeries(m_threshold);
            m_threshold->attachAxis(m_x);
            m_threshold->attachAxis(m_y);
        }
        QPen pen(thresholdColor(dark));
        pen.setStyle(Qt::DashLine);
        pen.setWidthF(1.2);
        m_threshold->setPen(pen);
        m_threshold->replace({ QPointF(double(t.rangeStart.toMSecsSinceEpoch()), *t.threshold),
            QPointF(double(t.rangeEnd.toMSecsSinceEpoch()), *t.threshold) });
        // Show the threshold only when the data comes near it; otherwise it flattens the lines.
        if (yMax >= *t.threshold * 0.5)
            yMax = std::max(yMax, *t.threshold);
    } else if (m_threshold) {
        c->removeSeries(m_threshold);
        delete m_threshold;
        m_threshold = nullptr;
    }
    // One range change (applyNiceNumbers would make a second one, each relayouting the axis).
    const auto [top, ticks] = niceCeiling(yMax > 0 ? yMax * 1.1 : 1);
    m_yMax = top;
    if (m_y->tickCount() != ticks)
        m_y->setTickCount(ticks);
    if (m_y->min() != 0 || m_y->max() != m_yMax)
        m_y->setRange(0, m_yMax);
    viewport()->update();
}

QDateTime TimeSeriesChart::timeAt(qreal xPos) const
{
    const QPointF value = chart()->mapToValue(QPointF(xPos, chart()->plotArea().center().y()));
    return QDateTime::fromMSecsSinceEpoch(qint64(value.x()), Qt::UTC);
}

qreal TimeSeriesChart::xOf(const QDateTime& time) const
{
    if (chart()->series().isEmpty())
        return -1;
    return chart()
        ->mapToPosition(QPointF(double(time.toMSecsSinceEpoch()), 0), chart()->series().first())
        .x();
}

int TimeSeriesChart::nearestRow(const QDateTime& time) const
{
    if (!m_model || m_model->table().times.isEmpty())
        return -1;
    const QList<QDateTime>& times = m_model->table().times;
    const qint64 target = time.toMSecsSinceEpoch();
    int best = 0;
    qint64 bestDistance = std::numeric_limits<qint64>::max();
    for (int i = 0; i < times.size(); ++i) {
        const qint64 d = std::abs(times.at(i).toMSecsSinceEpoch() - target);
        if (d < bestDistance) {
            bestDistance = d;
            best = i;
        }
    }
    return best;
}

QString TimeSeriesChart::hoverText(const QDateTime& time) const
{
    const int row = nearestRow(time);
    if (row < 0)
        return {};
    const services::TimeSeriesTable& t = m_model->table();
    const QDateTime at = t.times.at(row).toLocalTime();
    QStringList lines { QLocale().toString(at, u"yyyy-MM-dd HH:mm"_s) };
    for (const SeriesColumn& c : t.columns) {
        const double v = c.values.value(row, std::nan(""));
        if (std::isfinite(v))
            lines << c.name + u": "_s + valueText(v, t.unit);
    }
    // Alerts that started within this step.
    const QDateTime stepEnd = t.times.at(row).addSecs(t.step.count());
    for (const db::AlertMarker& m : t.markers) {
        if (m.startsAt >= t.times.at(row) && m.startsAt < stepEnd)
            lines << tr("alert %1 (%2) fired at %3")
                         .arg(m.rule, m.severity, m.startsAt.toLocalTime().toString(u"HH:mm:ss"_s));
    }
    return lines.join(u'\n');
}

void TimeSeriesChart::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton && chart()->plotArea().contains(event->position())) {
        m_dragging = true;
        m_dragFrom = m_dragTo = event->position().x();
        event->accept();
        return;
    }
    QChartView::mousePressEvent(event);
}

void TimeSeriesChart::mouseMoveEvent(QMouseEvent* event)
{
    const QRectF plot = chart()->plotArea();
    const qreal xPos = std::clamp(event->position().x(), plot.left(), plot.right());
    if (m_dragging) {
        m_dragTo = xPos;
    } else if (plot.contains(event->position()) && m_model && !m_model->table().isEmpty()) {
        m_hoverX = xPos;
        QToolTip::showText(event->globalPosition().toPoint(), hoverText(timeAt(xPos)), this);
    } else {
        m_hoverX = -1;
        QToolTip::hideText();
    }
    viewport()->update();
    QChartView::mouseMoveEvent(event);
}

void TimeSeriesChart::mouseReleaseEvent(QMouseEvent* event)
{
    if (!m_dragging || event->button() != Qt::LeftButton) {
        QChartView::mouseReleaseEvent(event);
        return;
    }
    m_dragging = false;
    viewport()->update();
    if (!m_model || m_model->table().isEmpty())
        return;
    const services::TimeSeriesTable& t = m_model->table();
    QDateTime from, to;
    if (std::abs(m_dragTo - m_dragFrom) < 6) {
        // A click: the step under the mouse.
        const int row = nearestRow(timeAt(m_dragFrom));
        from = t.times.at(row);
        to = from.addSecs(t.step.count());
    } else {
        from = timeAt(std::min(m_dragFrom, m_dragTo));
        to = timeAt(std::max(m_dragFrom, m_dragTo));
    }
    from = std::max(from, t.rangeStart);
    to = std::min(to, t.rangeEnd);
    if (from < to)
        Q_EMIT spanSelected(from, to);
}

void TimeSeriesChart::leaveEvent(QEvent* event)
{
    m_hoverX = -1;
    viewport()->update();
    QChartView::leaveEvent(event);
}

void TimeSeriesChart::drawForeground(QPainter* painter, const QRectF& rect)
{
    QChartView::drawForeground(painter, rect);
    if (!m_model)
        return;
    const QRectF plot = chart()->plotArea();
    const services::TimeSeriesTable& t = m_model->table();
    const bool dark = isDark(palette());
    painter->save();
    painter->setClipRect(plot.adjusted(-1, -1, 1, 1));
    for (const db::AlertMarker& m : t.markers) {
        const qreal xPos = xOf(m.startsAt);
        if (xPos < plot.left() || xPos > plot.right())
            continue;
        QPen pen(markerColor(m.severity, dark));
        pen.setWidthF(1.5);
        pen.setStyle(Qt::DashDotLine);
        painter->setPen(pen);
        painter->drawLine(QPointF(xPos, plot.top()), QPointF(xPos, plot.bottom()));
        painter->setBrush(markerColor(m.severity, dark));
        painter->drawEllipse(QPointF(xPos, plot.top() + 4), 3.5, 3.5);
    }
    if (m_hoverX >= 0 && !m_dragging) {
        QPen pen(palette().color(QPalette::PlaceholderText));
        pen.setStyle(Qt::DotLine);
        painter->setPen(pen);
        painter->drawLine(QPointF(m_hoverX, plot.top()), QPointF(m_hoverX, plot.bottom()));
    }
    if (m_dragging && std::abs(m_dragTo - m_dragFrom) >= 2) {
        QColor fill = palette().color(QPalette::Highlight);
        fill.setAlpha(60);
        painter->fillRect(QRectF(QPointF(std::min(m_dragFrom, m_dragTo), plot.top()),
                              QPointF(std::max(m_dragFrom, m_dragTo), plot.bottom())),
            fill);
    }
    bool empty = true;
    for (const SeriesColumn& c : t.columns) {
        for (double v : c.values)
            empty = empty && !(std::isfinite(v) && v != 0);
    }
    if (empty) {
        painter->setPen(palette().color(QPalette::PlaceholderText));
        painter->drawText(plot, Qt::AlignCenter,
            t.times.isEmpty() ? tr("No data yet") : tr("Nothing in this range"));
    }
    painter->restore();
}

} // namespace qc::ui
