#include "simulationcharts.h"

#include <QChart>
#include <QCoreApplication>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace qc::ui {

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(qc::ui::SimulationCharts)
};

const QColor kBaseline(0x5f, 0x6b, 0x7a);
const QColor kCandidate(0xd3, 0x2f, 0x2f);
const QColor kRequests(0xb0, 0xbe, 0xc5);
const QColor kLegitimate(0xd3, 0x2f, 0x2f);
const QColor kAbusive(0xef, 0x6c, 0x00);
const QColor kCost(0x15, 0x65, 0xc0);

// QDateTimeAxis labels in local time; shifting by the offset makes them read as UTC.
qreal chartTime(enforcement::TimeMs ms)
{
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(ms);
    return static_cast<qreal>(ms - static_cast<qint64>(local.offsetFromUtc()) * 1000);
}

QLineSeries* series(
    const QString& name, const QColor& color, qreal width, Qt::PenStyle style = Qt::SolidLine)
{
    auto* s = new QLineSeries;
    s->setName(name);
    QPen pen(color);
    pen.setWidthF(width);
    pen.setStyle(style);
    s->setPen(pen);
    return s;
}

double niceMax(double value)
{
    return value <= 0 ? 1.0 : value * 1.1;
}

} // namespace

QChart* makeTimeSeriesChart(const simulation::Report& report)
{
    auto* chart = new QChart;
    chart->setTitle(
        Tr::tr("Denials per %1")
            .arg(report.bucketMs == enforcement::kMinute ? Tr::tr("minute") : Tr::tr("hour")));
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    auto* requests = series(Tr::tr("requests (right axis)"), kRequests, 1.0);
    // The baseline wide under a narrow candidate: where they agree both stay visible.
    auto* baseline = series(Tr::tr("baseline denied"), kBaseline, 3.4);
    auto* candidate = series(Tr::tr("candidate denied"), kCandidate, 1.4);
    std::uint64_t maxDenied = 0;
    std::uint64_t maxRequests = 0;
    for (const simulation::TimeBucket& b : report.timeSeries) {
        const qreal x = chartTime(b.start);
        requests->append(x, static_cast<qreal>(b.requests));
        baseline->append(x, static_cast<qreal>(b.baselineDenied));
        candidate->append(x, static_cast<qreal>(b.candidateDenied));
        maxDenied = std::max({ maxDenied, b.baselineDenied, b.candidateDenied });
        maxRequests = std::max(maxRequests, b.requests);
    }
    chart->addSeries(requests);
    chart->addSeries(baseline);
    chart->addSeries(candidate);

    auto* time = new QDateTimeAxis;
    const bool multiDay = !report.timeSeries.isEmpty()
        && report.timeSeries.constLast().start - report.timeSeries.constFirst().start
            >= enforcement::kDay;
    time->setFormat(multiDay ? u"MM-dd HH:mm"_s : u"HH:mm"_s);
    time->setTickCount(6);
    if (!report.timeSeries.isEmpty()) {
        time->setRange(QDateTime::fromMSecsSinceEpoch(
                           static_cast<qint64>(chartTime(report.timeSeries.constFirst().start))),
            QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(
                chartTime(report.timeSeries.constLast().start + report.bucketMs))));
    }
    time->setTitleText(Tr::tr("UTC"));
    chart->addAxis(time, Qt::AlignBottom);
    auto* denied = new QValueAxis;
    denied->setRange(0, niceMax(static_cast<double>(maxDenied)));
    denied->setLabelFormat(u"%.0f"_s);
    denied->setTitleText(Tr::tr("denied"));
    denied->applyNiceNumbers();
    chart->addAxis(denied, Qt::AlignLeft);
    auto* volume = new QValueAxis;
    volume->setRange(0, niceMax(static_cast<double>(maxRequests)));
    volume->setLabelFormat(u"%.0f"_s);
    volume->setTitleText(Tr::tr("requests"));
    volume->applyNiceNumbers();
    volume->setGridLineVisible(false);
    chart->addAxis(volume, Qt::AlignRight);
    for (QLineSeries* s : { baseline, candidate }) {
        s->attachAxis(time);
        s->attachAxis(denied);
    }
    requests->attachAxis(time);
    requests->attachAxis(volume);
    return chart;
}

QString sweepAxisUnit(const simulation::SweepResult& sweep)
{
    switch (sweep.parameter.unit()) {
    case simulation::SweepParameter::Unit::Milliseconds: {
        const bool minutes = std::all_of(sweep.points.begin(), sweep.points.end(),
            [](const simulation::SweepPoint& p) { return p.value % enforcement::kMinute == 0; });
        return minutes ? Tr::tr("minutes") : Tr::tr("seconds");
    }
    case simulation::SweepParameter::Unit::MicroUsd:
        return Tr::tr("dollars");
    case simulation::SweepParameter::Unit::Count:
        break;
    }
    return {};
}

double sweepAxisValue(const simulation::SweepResult& sweep, std::int64_t value)
{
    switch (sweep.parameter.unit()) {
    case simulation::SweepParameter::Unit::Milliseconds:
        return sweepAxisUnit(sweep) == Tr::tr("minutes")
            ? static_cast<double>(value) / enforcement::kMinute
            : static_cast<double>(value) / enforcement::kSecond;
    case simulation::SweepParameter::Unit::MicroUsd:
        return static_cast<double>(value) / 1e6;
    case simulation::SweepParameter::Unit::Count:
        break;
    }
    return static_cast<double>(value);
}

QChart* makeSweepChart(const simulation::SweepResult& sweep)
{
    auto* chart = new QChart;
    chart->setTitle(Tr::tr("Sweep of %1").arg(sweep.parameter.path()));
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    auto* legitimate = series(Tr::tr("legitimate denied %"), kLegitimate, 2.0);
    auto* abusive = series(Tr::tr("abusive admitted %"), kAbusive, 2.0);
    auto* cost = series(Tr::tr("cost admitted $ (right axis)"), kCost, 2.0);
    for (QLineSeries* s : { legitimate, abusive, cost }) {
        s->setPointsVisible(true);
        s->setMarkerSize(6);
    }
    double minX = 0;
    double maxX = 1;
    double minPct = 1e300;
    double maxPct = 0;
    double minCost = 1e300;
    double maxCost = 0;
    bool first = true;
    for (const simulation::SweepPoint& p : sweep.points) {
        const double x = sweepAxisValue(sweep, p.value);
        legitimate->append(x, p.legitimateDeniedPct);
        abusive->append(x, p.abusiveAdmittedPct);
        const double dollars = static_cast<double>(p.costAdmitted) / 1e6;
        cost->append(x, dollars);
        minX = first ? x : std::min(minX, x);
        maxX = first ? x : std::max(maxX, x);
        first = false;
        minPct = std::min({ minPct, p.legitimateDeniedPct, p.abusiveAdmittedPct });
        maxPct = std::max({ maxPct, p.legitimateDeniedPct, p.abusiveAdmittedPct });
        minCost = std::min(minCost, dollars);
        maxCost = std::max(maxCost, dollars);
    }
    if (maxX <= minX)
        maxX = minX + 1;
    const simulation::SweepPoint& b = sweep.baseline;
    minPct = std::min({ minPct, b.legitimateDeniedPct, b.abusiveAdmittedPct });
    maxPct = std::max({ maxPct, b.legitimateDeniedPct, b.abusiveAdmittedPct });
    minCost = std::min(minCost, static_cast<double>(b.costAdmitted) / 1e6);
    maxCost = std::max(maxCost, static_cast<double>(b.costAdmitted) / 1e6);
    // The baseline's levels, for "better or worse than today".
    auto* baseLegitimate = series(Tr::tr("baseline (dashed)"), kLegitimate, 1.0, Qt::DashLine);
    baseLegitimate->append(minX, b.legitimateDeniedPct);
    baseLegitimate->append(maxX, b.legitimateDeniedPct);
    auto* baseAbusive = series(QString(), kAbusive, 1.0, Qt::DashLine);
    baseAbusive->append(minX, b.abusiveAdmittedPct);
    baseAbusive->append(maxX, b.abusiveAdmittedPct);
    auto* baseCost = series(QString(), kCost, 1.0, Qt::DashLine);
    baseCost->append(minX, static_cast<double>(b.costAdmitted) / 1e6);
    baseCost->append(maxX, static_cast<double>(b.costAdmitted) / 1e6);

    for (QLineSeries* s : { legitimate, abusive, cost, baseLegitimate, baseAbusive, baseCost })
        chart->addSeries(s);
    // Only named series get a legend entry.
    for (QLineSeries* s : { baseAbusive, baseCost }) {
        const auto markers = chart->legend()->markers(s);
        for (auto* m : markers)
            m->setVisible(false);
    }

    auto* x = new QValueAxis;
    x->setRange(minX, maxX);
    // A tick at every value when they fit (the values are evenly spaced).
    if (sweep.points.size() >= 2 && sweep.points.size() <= 13)
        x->setTickCount(static_cast<int>(sweep.points.size()));
    const QString unit = sweepAxisUnit(sweep);
    x->setTitleText(
        unit.isEmpty() ? sweep.parameter.path() : sweep.parameter.path() % u" ("_s % unit % u')');
    x->setLabelFormat(
        sweep.parameter.unit() == simulation::SweepParameter::Unit::MicroUsd ? u"%.2f"_s : u"%g"_s);
    chart->addAxis(x, Qt::AlignBottom);
    // Both value axes fit the data: the differences between values are what the admin reads.
    auto* pct = new QValueAxis;
    pct->setRange(std::max(0.0, minPct - (maxPct - minPct) * 0.15 - 0.5),
        maxPct + (maxPct - minPct) * 0.15 + 0.5);
    pct->setLabelFormat(u"%.1f %%"_s);
    pct->setTitleText(Tr::tr("share of requests"));
    pct->applyNiceNumbers();
    chart->addAxis(pct, Qt::AlignLeft);
    auto* dollars = new QValueAxis;
    const double costPad = std::max((maxCost - minCost) * 0.15, std::max(maxCost * 0.02, 0.01));
    dollars->setRange(std::max(0.0, minCost - costPad), maxCost + costPad);
    dollars->setLabelFormat(u"$%.2f"_s);
    dollars->setTitleText(Tr::tr("cost admitted"));
    dollars->applyNiceNumbers();
    dollars->setGridLineVisible(false);
    chart->addAxis(dollars, Qt::AlignRight);
    for (QLineSeries* s : { legitimate, abusive, baseLegitimate, baseAbusive }) {
        s->attachAxis(x);
        s->attachAxis(pct);
    }
    for (QLineSeries* s : { cost, baseCost }) {
        s->attachAxis(x);
        s->attachAxis(dollars);
    }
    return chart;
}

} // namespace qc::ui
