#include "timeserieschart.h"

#include "models/timeseriesmodel.h"
#include "services/localization.h"

#include <QChart>
#include <QDateTimeAxis>
#include <QEvent>
#include <QFontMetricsF>
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
    setAccessibleName(tr("Time series chart")); // the chart's title once it has one
    chart()->legend()->setAlignment(Qt::AlignBottom);
    chart()->setMargins(QMargins(4, 4, 4, 4));
    chart()->layout()->setContentsMargins(0, 0, 0, 0);
    chart()->setBackgroundRoundness(0);
    // Axis labels in the locale's digits and separators.
    chart()->setLocalizeNumbers(true);
    chart()->setLocale(QLocale());
    applyTheme();
    m_x = new QDateTimeAxis(chart());
    m_y = new QValueAxis(chart());
    m_y->setLabelFormat(u"%.3g"_s);
    // Qt Charts sizes an axis from its labels when the chart is first laid out, and while an
    // axis has no height it ignores later range changes (ChartAxisElement::handleRangeChanged
    // skips an axis with an empty geometry). An axis without a range has no labels, so one that
    // got its range only with the first data stayed collapsed: no labels, no grid. Give it a
    // real range before anything is laid out.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_x->setRange(now.addSecs(-3600), now);
    m_x->setFormat(u"HH:mm"_s);
    chart()->addAxis(m_x, Qt::AlignBottom);
    chart()->addAxis(m_y, Qt::AlignLeft);
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
    if (c->title() != title) {
        c->setTitle(title);
        setAccessibleName(title);
    }
    const bool dark = isDark(palette());

    if (t.rangeStart.isValid() && t.rangeEnd.isValid() && t.rangeStart < t.rangeEnd) {
        const QDateTime from
            = QDateTime::fromMSecsSinceEpoch(services::display::axisMs(t.rangeStart));
        const QDateTime to = QDateTime::fromMSecsSinceEpoch(services::display::axisMs(t.rangeEnd));
        if (m_x->min() != from || m_x->max() != to)
            m_x->setRange(from, to);
    }
    updateTimeTicks();
    m_x->setTitleText(services::displayTimeZone() == services::Preferences::TimeZone::Utc
            ? tr("UTC")
            : QString());
    m_x->setLabelsColor(palette().color(QPalette::Text));
    m_y->setLabelsColor(palette().color(QPalette::Text));

    double yMax = 0;
    QSet<QString> present;
    // Each column is drawn as one line per run of data, so that missing buckets leave a gap
    // rather than a straight line across it (Qt Charts has no notion of a missing point).
    QList<QList<QList<int>>> runs;
    for (int col = 0; col < t.columns.size(); ++col) {
        const SeriesColumn& column = t.columns.at(col);
        present.insert(column.id);
        runs << services::lineRuns(t, col);
        if (m_lines.value(column.id).isEmpty())
            addLine(column.id, 0); // all first pieces before any other: the theme's colours
    }
    for (int col = 0; col < t.columns.size(); ++col) {
        const SeriesColumn& column = t.columns.at(col);
        QList<QLineSeries*>& pieces = m_lines[column.id];
        QLineSeries* first = pieces.first();
        QPen pen = first->pen();
        pen.setWidthF(column.source == SeriesColumn::Source::Database ? 2.0 : 1.6);
        pen.setStyle(column.source == SeriesColumn::Source::Live    ? Qt::DashLine
                : column.source == SeriesColumn::Source::Prometheus ? Qt::DotLine
                                                                    : Qt::SolidLine);
        if (first->name() != column.name)
            first->setName(column.name);
        const QList<QList<int>>& columnRuns = runs.at(col);
        const qsizetype needed = std::max<qsizetype>(1, columnRuns.size());
        while (pieces.size() > needed) {
            QLineSeries* extra = pieces.takeLast();
            c->removeSeries(extra);
            delete extra;
        }
        while (pieces.size() < needed)
            addLine(column.id, int(pieces.size()));
        qsizetype total = 0;
        for (const QList<int>& run : columnRuns)
            total += run.size();
        for (qsizetype i = 0; i < needed; ++i) {
            QList<QPointF> points;
            if (i < columnRuns.size()) {
                points.reserve(columnRuns.at(i).size());
                for (const int row : columnRuns.at(i)) {
                    const double v = column.values.at(row);
                    points.append(QPointF(double(services::display::axisMs(t.times.at(row))), v));
                    yMax = std::max(yMax, v);
                }
            }
            QLineSeries* piece = pieces.at(i);
            if (piece->pen() != pen)
                piece->setPen(pen);
            piece->replace(points);
            // Live and Prometheus lines start with a few points: show them as dots until they
            // grow. A piece of one point has no line to draw: show its dot.
            piece->setPointsVisible(points.size() == 1
                || (column.source != SeriesColumn::Source::Database && total < 30));
        }
    }
    for (auto it = m_lines.begin(); it != m_lines.end();) {
        if (present.contains(it.key())) {
            ++it;
            continue;
        }
        for (QLineSeries* piece : std::as_const(it.value())) {
            c->removeSeries(piece);
            delete piece;
        }
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
        m_threshold->replace(
            { QPointF(double(services::display::axisMs(t.rangeStart)), *t.threshold),
                QPointF(double(services::display::axisMs(t.rangeEnd)), *t.threshold) });
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

void TimeSeriesChart::updateTimeTicks()
{
    const qint64 span = m_x->min().secsTo(m_x->max());
    // A day (and the few seconds a rolling range adds) reads as times of day, a week as days
    // and times, a month as days; the preferred counts put the ticks about 3 min (15 m),
    // 10 min (1 h), 4 h (24 h), a day (7 d) or 5 days (30 d) apart.
    QString format = u"MM-dd"_s;
    int preferred = 7;
    if (span <= 20 * 60) {
        format = u"HH:mm"_s;
        preferred = 6;
    } else if (span <= 25 * 3600) {
        format = u"HH:mm"_s;
    } else if (span <= 8 * 86400) {
        format = u"MM-dd HH:mm"_s;
        preferred = 8;
    }
    // As many ticks as fit without their labels overlapping: Qt Charts cuts a label that is
    // wider than the space between two ticks down to "12-01 14:…". The text items add their
    // margins to the text.
    const QFontMetricsF metrics(m_x->labelsFont());
    const qreal label = metrics.horizontalAdvance(QLocale().toString(m_x->max(), format)) + 28;
    const QRectF plot = chart()->plotArea();
    const qreal available = plot.width() > 0 ? plot.width() : qreal(width()) - 70;
    const int fit = std::max(2, int(available / label) + 1);
    const int ticks = std::clamp(fit, 2, preferred);
    if (m_x->format() != format)
        m_x->setFormat(format);
    if (m_x->tickCount() != ticks)
        m_x->setTickCount(ticks);
}

void TimeSeriesChart::resizeEvent(QResizeEvent* event)
{
    QChartView::resizeEvent(event);
    updateTimeTicks();
}

QLineSeries* TimeSeriesChart::addLine(const QString& columnId, int piece)
{
    QChart* c = chart();
    auto* series = new QLineSeries(c);
    c->addSeries(series);
    series->attachAxis(m_x);
    series->attachAxis(m_y);
    QList<QLineSeries*>& pieces = m_lines[columnId];
    if (piece > 0) {
        // A continuation: the first piece's pen, and no legend entry of its own.
        series->setPen(pieces.first()->pen());
        for (QLegendMarker* marker : c->legend()->markers(series))
            marker->setVisible(false);
    }
    pieces.append(series);
    return series;
}

QList<QList<QPointF>> TimeSeriesChart::linePieces(const QString& columnId) const
{
    QList<QList<QPointF>> out;
    for (const QLineSeries* piece : m_lines.value(columnId)) {
        if (piece->count() > 0)
            out << piece->points();
    }
    return out;
}

QDateTime TimeSeriesChart::timeAt(qreal xPos) const
{
    const QPointF value = chart()->mapToValue(QPointF(xPos, chart()->plotArea().center().y()));
    return services::display::fromAxisMs(qint64(value.x()));
}

qreal TimeSeriesChart::xOf(const QDateTime& time) const
{
    if (chart()->series().isEmpty())
        return -1;
    return chart()
        ->mapToPosition(
            QPointF(double(services::display::axisMs(time)), 0), chart()->series().first())
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
    QStringList lines { services::display::dateTime(t.times.at(row), false, true) };
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
                         .arg(m.rule, m.severity, services::display::time(m.startsAt));
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
