// Every model of qc_uimodels through QAbstractItemModelTester, with the data shapes the console
// gives them (empty, one row, many rows, resets that change the row count, in-place updates).
#include "models/endpointhealthmodel.h"
#include "models/profilelistmodel.h"
#include "models/timeseriesmodel.h"
#include "models/toplistfilterproxy.h"
#include "models/toplistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using Tester = QAbstractItemModelTester;

namespace {

qc::db::TopRow row(const QString& id, qint64 requests, qint64 denials, double cost)
{
    qc::db::TopRow r;
    r.identifier = id;
    r.requests = requests;
    r.denials = denials;
    r.denialPercent = requests ? 100.0 * double(denials) / double(requests) : 0;
    r.costUsd = cost;
    return r;
}

qc::services::EndpointStatus endpoint(const QString& id, bool up)
{
    qc::services::EndpointStatus s;
    s.id = id;
    s.name = u"gateway-"_s + id;
    s.url = QUrl(u"http://127.0.0.1/metrics"_s);
    s.scraped = true;
    s.health.up = up;
    s.health.error = up ? QString() : u"Connection refused"_s;
    s.health.lastScrape = QDateTime::currentDateTimeUtc();
    s.bodyBytes = 2048;
    return s;
}

} // namespace

class tst_Models : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void topListAndProxy()
    {
        qc::models::TopListModel model(qc::services::InvestigationTarget::Kind::Endpoint);
        Tester t(&model, Tester::FailureReportingMode::QtTest);
        qc::models::TopListFilterProxy proxy;
        Tester tp(&proxy, Tester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        QCOMPARE(model.columnCount(), int(qc::models::TopListModel::ColumnCount));
        model.resetData({ row(u"/v1/items"_s, 900, 9, 0.9), row(u"/v1/generate"_s, 100, 50, 12.5),
            row(u"/v1/search"_s, 300, 3, 0.3) });
        proxy.sort(qc::models::TopListModel::Cost, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, 0).data().toString(), u"/v1/generate"_s);
        // Sorted as numbers, not as the formatted text ("$12.50" < "$0.90" as text).
        proxy.sort(qc::models::TopListModel::Requests, Qt::AscendingOrder);
        QCOMPARE(proxy.index(0, 0).data().toString(), u"/v1/generate"_s);
        QCOMPARE(proxy.index(2, 0).data().toString(), u"/v1/items"_s);
        proxy.setText(u"GEN"_s);
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setText({});
        proxy.setMinimumRequests(200);
        QCOMPARE(proxy.rowCount(), 2);
        model.resetData({});
        QCOMPARE(proxy.rowCount(), 0);
        model.resetData({ row(u"/v1/items"_s, 1, 0, 0) });
        QCOMPARE(model.headerData(0, Qt::Horizontal).toString(), u"Endpoint"_s);
        QCOMPARE(model.index(0, qc::models::TopListModel::P95).data().toString(), QString());
    }

    void timeSeries()
    {
        qc::models::TimeSeriesModel model;
        Tester t(&model, Tester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), 1);
        qc::services::TimeSeriesTable table;
        table.unit = u"ms"_s;
        const QDateTime t0(QDate(2026, 1, 15), QTime(14, 0), Qt::UTC);
        table.times = { t0, t0.addSecs(60), t0.addSecs(120) };
        table.columns = { { u"db"_s, u"p95"_s, qc::services::SeriesColumn::Source::Database,
            { 12.5, std::nan(""), 30 } } };
        model.resetData(table);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), 2);
        QCOMPARE(model.index(1, 1).data().toString(), QString()); // no value is no text
        QVERIFY(
            std::isnan(model.index(1, 1).data(qc::models::TimeSeriesModel::ValueRole).toDouble()));
        QCOMPARE(model.index(0, 1).data(qc::models::TimeSeriesModel::ValueRole).toDouble(), 12.5);
        QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), u"p95 (ms)"_s);
        QCOMPARE(model.index(2, 0).data(qc::models::TimeSeriesModel::TimeRole).toLongLong(),
            t0.addSecs(120).toMSecsSinceEpoch());
        table.columns << qc::services::SeriesColumn { u"live"_s, u"live"_s,
            qc::services::SeriesColumn::Source::Live, { 1, 2, 3 } };
        model.resetData(table);
        QCOMPARE(model.columnCount(), 3);
        QCOMPARE(
            model.headerData(2, Qt::Horizontal, qc::models::TimeSeriesModel::SourceRole).toInt(),
            int(qc::services::SeriesColumn::Source::Live));
    }

    void endpointHealth()
    {
        qc::models::EndpointHealthModel model;
        Tester t(&model, Tester::FailureReportingMode::QtTest);
        model.resetData({ endpoint(u"1"_s, true), endpoint(u"2"_s, false) });
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(
            model.index(0, qc::models::EndpointHealthModel::Status).data().toString(), u"up"_s);
        QCOMPARE(
            model.index(1, qc::models::EndpointHealthModel::Status).data().toString(), u"down"_s);
        QCOMPARE(model.index(1, qc::models::EndpointHealthModel::Error).data().toString(),
            u"Connection refused"_s);
        // Same endpoints with new figures: updated in place.
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.resetData({ endpoint(u"1"_s, false), endpoint(u"2"_s, true) });
        QCOMPARE(reset.size(), 0);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(
            model.index(1, qc::models::EndpointHealthModel::Status).data().toString(), u"up"_s);
        model.resetData({ endpoint(u"3"_s, true) });
        QCOMPARE(reset.size(), 1);
        model.resetData({});
        QCOMPARE(model.rowCount(), 0);
    }

    void profiles()
    {
        qc::models::ProfileListModel model;
        Tester t(&model, Tester::FailureReportingMode::QtTest);
        auto prod = qc::services::ConnectionProfile::create(u"Production"_s, u"PROD"_s);
        auto demo = qc::services::ConnectionProfile::create(u"Demo"_s, u"DEMO"_s);
        model.resetData({ prod, demo });
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0).data().toString(), u"Production  [PROD]"_s);
        QCOMPARE(model.index(1).data(qc::models::ProfileListModel::IdRole).toString(), demo.id);
        QCOMPARE(model.index(0).data(Qt::DecorationRole).value<QColor>(), prod.environmentColor);
        QCOMPARE(model.rowOf(demo.id), 1);
        QCOMPARE(model.rowOf(u"nope"_s), -1);
        model.resetData({});
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_Models)
#include "tst_models.moc"
