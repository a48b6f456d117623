// The dashboard's time-series chart offscreen: the time axis of every range preset shows
// readable tick labels, and missing data leaves a gap in the lines instead of a straight line
// across it (docs/console-architecture.md, "Charts").
#include "models/timeseriesmodel.h"
#include "services/dashboardseries.h"
#include "services/localization.h"
#include "services/timerange.h"
#include "ui/timeserieschart.h"

#include <QChart>
#include <QDateTimeAxis>
#include <QGraphicsScene>
#include <QGraphicsTextItem>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QSet>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using qc::services::SeriesColumn;
using qc::services::TimeSeriesTable;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A latency table over `range` with a value on every step except the rows in `missing`.
TimeSeriesTable table(const qc::db::DashboardRange& range, const QList<int>& missing = {})
{
    TimeSeriesTable t;
    t.id = u"latency"_s;
    t.title = u"p95"_s;
    t.unit = u"ms"_s;
    t.step = range.step;
    t.rangeStart = range.start;
    t.rangeEnd = range.end;
    t.times = qc::services::stepTimes(range);
    SeriesColumn db { u"db"_s, u"database"_s, SeriesColumn::Source::Database, {} };
    for (int row = 0; row < t.times.size(); ++row)
        db.values << (missing.contains(row) ? kNaN : 10.0 + row % 7);
    t.columns << db;
    return t;
}

qc::db::DashboardRange rangeOf(const QString& preset)
{
    qc::services::TimeRange range;
    range.preset = preset;
    return range.resolve(QDateTime(QDate(2026, 12, 1), QTime(14, 7, 30), Qt::UTC));
}

// The texts of the time axis labels the chart shows: visible text items under the plot area
// that read as times in the axis' format.
QStringList timeLabels(const qc::ui::TimeSeriesChart& view)
{
    const QDateTimeAxis* axis = view.timeAxis();
    const QRectF plot = view.chart()->plotArea();
    const QRectF shown = view.chart()->rect();
    QList<std::pair<qreal, QString>> found;
    for (QGraphicsItem* item : view.scene()->items()) {
        const auto* text = qgraphicsitem_cast<QGraphicsTextItem*>(item);
        if (!text || !text->isVisible())
            continue;
        const QRectF box = text->sceneBoundingRect();
        if (box.top() < plot.bottom() || !shown.contains(box))
            continue;
        const QString s = text->toPlainText();
        if (QDateTime::fromString(s, axis->format()).isValid())
            found.append({ box.center().x(), s });
    }
    std::sort(found.begin(), found.end());
    QStringList out;
    for (const auto& [x, s] : found)
        out << s;
    return out;
}

} // namespace

class TestTimeSeriesChart : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        qc::services::setDisplayTimeZone(qc::services::Preferences::TimeZone::Utc);
    }

    void timeAxis_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<int>("width");
        for (const QString& preset : { u"15m"_s, u"1h"_s, u"24h"_s, u"7d"_s, u"30d"_s }) {
            // The dashboard's charts on a laptop screen (two columns) and on a wide one.
            QTest::newRow(qPrintable(preset + u" narrow"_s)) << preset << 420;
            QTest::newRow(qPrintable(preset + u" wide"_s)) << preset << 900;
        }
    }

    void timeAxis()
    {
        QFETCH(QString, preset);
        QFETCH(int, width);
        const qc::db::DashboardRange range = rangeOf(preset);
        // As on the dashboard: the chart is on screen before its first data arrives.
        qc::models::TimeSeriesModel model;
        qc::ui::TimeSeriesChart view;
        view.setModel(&model);
        view.resize(width, 260);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        model.resetData(table(range));

        const QDateTimeAxis* axis = view.timeAxis();
        QVERIFY(axis);
        QCOMPARE(axis->min().toMSecsSinceEpoch(), qc::services::display::axisMs(range.start));
        QCOMPARE(axis->max().toMSecsSinceEpoch(), qc::services::display::axisMs(range.end));
        // Times of day within a day; beyond it, the date too.
        const bool days = range.start.secsTo(range.end) > 2 * 86400;
        QCOMPARE(axis->format().contains(u"dd"_s), days);
        QVERIFY2(axis->format().contains(u"HH:mm"_s) || days, qPrintable(axis->format()));
        QVERIFY2(axis->tickCount() >= 3 && axis->tickCount() <= 9,
            qPrintable(QString::number(axis->tickCount())));

        // Every tick has its label on screen, in order, none hidden or cut to "...".
        QTRY_COMPARE(timeLabels(view).size(), axis->tickCount());
        const QStringList labels = timeLabels(view);
        for (qsizetype i = 1; i < labels.size(); ++i)
            QVERIFY2(labels.at(i) != labels.at(i - 1), qPrintable(labels.join(u", "_s)));
        QCOMPARE(labels.first(),
            QLocale().toString(
                QDateTime::fromMSecsSinceEpoch(qc::services::display::axisMs(range.start)),
                axis->format()));
    }

    void runsSplitAtMissingBuckets()
    {
        const qc::db::DashboardRange range = rangeOf(u"1h"_s);
        const TimeSeriesTable t = table(range, { 20, 21, 22, 40 });
        const QList<QList<int>> runs = qc::services::lineRuns(t, 0);
        QCOMPARE(runs.size(), 3);
        QCOMPARE(runs.at(0).first(), 0);
        QCOMPARE(runs.at(0).last(), 19);
        QCOMPARE(runs.at(1).first(), 23);
        QCOMPARE(runs.at(1).last(), 39);
        QCOMPARE(runs.at(2).first(), 41);
        QCOMPARE(runs.at(2).last(), int(t.times.size()) - 1);
        QCOMPARE(qc::services::lineRuns(table(range), 0).size(), 1);
        QList<int> all;
        for (int row = 0; row < qc::services::stepTimes(range).size(); ++row)
            all << row;
        QVERIFY(qc::services::lineRuns(table(range, all), 0).isEmpty());
    }

    void runsOfSampledColumns()
    {
        // Live scrapes every 15 s with a five-minute pause, merged into a table of minutes.
        TimeSeriesTable t = table(rangeOf(u"1h"_s));
        const QDateTime start = t.times.first();
        QList<QDateTime> times;
        for (int s = 0; s < 3600; s += 15) {
            if (s < 1200 || s >= 1500)
                times << start.addSecs(s);
        }
        QMap<qint64, int> rows;
        for (const QDateTime& time : std::as_const(t.times))
            rows.insert(time.toMSecsSinceEpoch(), 0);
        for (const QDateTime& time : std::as_const(times))
            rows.insert(time.toMSecsSinceEpoch(), 0);
        TimeSeriesTable merged = t;
        merged.times.clear();
        for (auto it = rows.begin(); it != rows.end(); ++it)
            merged.times << QDateTime::fromMSecsSinceEpoch(it.key(), Qt::UTC);
        SeriesColumn db = t.columns.first();
        db.values.clear();
        SeriesColumn live { u"live"_s, u"live"_s, SeriesColumn::Source::Live, {} };
        for (const QDateTime& time : std::as_const(merged.times)) {
            const int old = int(t.times.indexOf(time));
            db.values << (old >= 0 ? t.columns.first().values.at(old) : kNaN);
            live.values << (times.contains(time) ? 5.0 : kNaN);
        }
        merged.columns = { db, live };
        // The live rows between the minutes do not break the database line.
        QCOMPARE(qc::services::lineRuns(merged, 0).size(), 1);
        const QList<QList<int>> runs = qc::services::lineRuns(merged, 1);
        QCOMPARE(runs.size(), 2);
        QCOMPARE(merged.times.at(runs.at(0).last()), start.addSecs(1185));
        QCOMPARE(merged.times.at(runs.at(1).first()), start.addSecs(1500));
    }

    void chartLeavesGapsOpen()
    {
        const qc::db::DashboardRange range = rangeOf(u"1h"_s);
        TimeSeriesTable t = table(range, { 20, 21, 22, 40 });
        t.threshold = 100;
        qc::db::AlertMarker marker;
        marker.rule = u"QuotaCheckLatencyHigh"_s;
        marker.severity = u"warning"_s;
        marker.startsAt = t.times.at(30);
        t.markers << marker;
        qc::models::TimeSeriesModel model;
        model.resetData(t);
        qc::ui::TimeSeriesChart view;
        view.setModel(&model);
        view.resize(600, 260);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));

        const QList<QList<QPointF>> pieces = view.linePieces(u"db"_s);
        QCOMPARE(pieces.size(), 3);
        QCOMPARE(pieces.at(0).size(), 20);
        QCOMPARE(pieces.at(1).size(), 17);
        QCOMPARE(pieces.at(0).last().x(), double(qc::services::display::axisMs(t.times.at(19))));
        QCOMPARE(pieces.at(1).first().x(), double(qc::services::display::axisMs(t.times.at(23))));
        // One legend entry per column (and the threshold), not per piece.
        int visibleMarkers = 0;
        for (QLegendMarker* m : view.chart()->legend()->markers())
            visibleMarkers += m->isVisible() ? 1 : 0;
        QCOMPARE(visibleMarkers, 2);
        // Pieces of one column look the same.
        const QList<QAbstractSeries*> series = view.chart()->series();
        QCOMPARE(series.size(), 4); // three pieces and the threshold
        QSet<QRgb> colours;
        for (QAbstractSeries* s : series) {
            const auto* line = qobject_cast<QLineSeries*>(s);
            if (line && line->name() != u"alert threshold"_s)
                colours.insert(line->pen().color().rgb());
        }
        QCOMPARE(colours.size(), 1);
        // Hover and alert markers still work: a row in the gap shows its time and no value.
        QVERIFY(view.hoverText(t.times.at(19)).contains(u"database"_s));
        QVERIFY(!view.hoverText(t.times.at(21)).contains(u"database"_s));
        QVERIFY(view.hoverText(t.times.at(30)).contains(u"QuotaCheckLatencyHigh"_s));
        QCOMPARE(view.markerCount(), 1);

        // Once the gap is filled the extra pieces go away.
        model.resetData(table(range));
        QCOMPARE(view.linePieces(u"db"_s).size(), 1);
        QCOMPARE(view.seriesCount(), 1);
        // A lone value between gaps is still drawn (as a dot).
        model.resetData(table(range, { 9, 11 }));
        const QList<QList<QPointF>> lone = view.linePieces(u"db"_s);
        QCOMPARE(lone.size(), 3);
        QCOMPARE(lone.at(1).size(), 1);
    }
};

QTEST_MAIN(TestTimeSeriesChart)
#include "tst_timeserieschart.moc"
