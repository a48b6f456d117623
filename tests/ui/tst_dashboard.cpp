// The dashboard's data against the test database: rows logged through quota.log_requests,
// figures computed in C++ from the same rows, compared with what the feed, the KPI tiles' values
// and the models show. Every model is run through QAbstractItemModelTester.
#include "fixtures/dashboardseed.h"
#include "models/timeseriesmodel.h"
#include "models/toplistfilterproxy.h"
#include "models/toplistmodel.h"
#include "services/dashboardfeed.h"
#include "services/dashboardkpis.h"
#include "services/databaseworker.h"
#include "services/noticeboard.h"
#include "services/session.h"
#include "support/testcluster.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using qc::services::DashboardFeed;
using qc::services::Session;
using qc::testsupport::TestCluster;

namespace {

const QDateTime kNow(QDate(2026, 1, 15), QTime(14, 0, 30), Qt::UTC);

QDateTime hourFloor(const QDateTime& t)
{
    return QDateTime(t.date(), QTime(t.time().hour(), 0), Qt::UTC);
}

const qc::services::KpiValue* kpi(const QList<qc::services::KpiValue>& list, const QString& id)
{
    for (const auto& k : list) {
        if (k.id == id)
            return &k;
    }
    return nullptr;
}

// Connects `session` (its clock at kNow) to `conninfo` through a profile named "test".
void connectAtNow(Session& session, const QString& conninfo, const QString& label = QString())
{
    session.setClock([] { return kNow; });
    auto profile = qc::services::ConnectionProfile::create(u"test"_s, label);
    profile.setDatabaseConninfo(conninfo);
    session.connectTo(profile);
}

} // namespace

class tst_Dashboard : public QObject {
    Q_OBJECT

    QString m_seeded;
    QList<qc::testsupport::SeedRow> m_rows;

private Q_SLOTS:
    void initTestCase()
    {
        QC_REQUIRE_CLUSTER();
        m_seeded = TestCluster::instance().createDatabase();
        QVERIFY(!m_seeded.isEmpty());
        QString connection;
        {
            QSqlDatabase db = TestCluster::instance().open(m_seeded);
            connection = db.connectionName();
            // Three hours up to now, and a little traffic a day earlier.
            m_rows = qc::testsupport::generateTraffic(kNow.addSecs(-3 * 3600), kNow, 90, 7);
            m_rows += qc::testsupport::generateTraffic(
                kNow.addDays(-1).addSecs(-600), kNow.addDays(-1), 30, 8);
            QCOMPARE(qc::testsupport::logRows(db, m_rows), QString());
            QCOMPARE(qc::testsupport::seedBlocksAndAlerts(db, kNow), QString());
            db.close();
        }
        // Nobody may be connected to a database that is copied from.
        QSqlDatabase::removeDatabase(connection);
    }
    void cleanup()
    {
        QVERIFY(TestCluster::instance().startServer().isEmpty());
        TestCluster::instance().cleanup();
    }

    void theFeedShowsTheDatabaseFigures()
    {
        const QString name
            = TestCluster::instance().createDatabase(TestCluster::Schema::Migrated, m_seeded);
        QVERIFY(!name.isEmpty());
        const QString viewer
            = TestCluster::instance().createLoginRole(u"viewer"_s, { u"quota_viewer"_s });
        Session session;
        connectAtNow(session, TestCluster::instance().conninfo(name, viewer), u"TEST"_s);
        DashboardFeed feed(&session);
        QSignalSpy changed(&feed, &DashboardFeed::dataChanged);
        qc::services::TimeRange range;
        range.preset = u"1h"_s;
        feed.setRange(range);
        QTRY_VERIFY_WITH_TIMEOUT(feed.hasData(), 20000);
        QCOMPARE(feed.lastError(), QString());

        const qc::db::DashboardData& d = feed.data();
        const QDateTime start(QDate(2026, 1, 15), QTime(13, 0), Qt::UTC);
        QCOMPARE(d.range.start, start);
        QCOMPARE(d.range.end, kNow);
        QCOMPARE(d.range.step, std::chrono::seconds(60));
        const auto expect = qc::testsupport::figures(m_rows, start, kNow);
        QVERIFY(expect.requests > 4000);
        QCOMPARE(d.current.requests, expect.requests);
        QCOMPARE(d.current.denied, expect.denied);
        QCOMPARE(d.current.collisions, expect.collisions);
        QCOMPARE(d.current.slowChecks, expect.slowChecks);
        QCOMPARE(d.current.rateLimited, expect.rateLimited);
        QVERIFY(std::abs(d.current.costUsd - expect.costUsd) < 1e-6);
        const auto before = qc::testsupport::figures(m_rows, start.addSecs(-3630), start);
        QCOMPARE(d.previous.requests, before.requests);
        QCOMPARE(d.previous.denied, before.denied);
        QVERIFY(d.current.p95Ms.has_value());
        QVERIFY(*d.current.p95Ms > 1 && *d.current.p95Ms < 150);

        // Cost: today and month to date include the day before; the projection extends it.
        const auto today
            = qc::testsupport::figures(m_rows, QDateTime(kNow.date(), QTime(0, 0), Qt::UTC), kNow);
        const auto month = qc::testsupport::figures(
            m_rows, QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC), kNow);
        QVERIFY(std::abs(d.cost.todayUsd - today.costUsd) < 1e-6);
        QVERIFY(std::abs(d.cost.monthToDateUsd - month.costUsd) < 1e-6);
        QVERIFY(month.costUsd > today.costUsd);
        const double elapsed = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC).secsTo(kNow);
        QVERIFY(std::abs(d.cost.monthProjectionUsd - month.costUsd * 31 * 86400 / elapsed) < 1e-6);

        // Blocks in force now vs at the start; alerts open now and started in the range.
        QCOMPARE(d.blocksNow.total, 2);
        QCOMPARE(d.blocksNow.ip, 1);
        QCOMPARE(d.blocksNow.network, 1);
        QCOMPARE(d.blocksBefore.total, 0);
        QCOMPARE(d.firingAlerts, 1);
        QCOMPARE(d.acknowledgedAlerts, 1);
        QCOMPARE(d.alerts.size(), 2);

        // The tiles' values.
        const auto tiles = qc::services::computeKpis(d, std::nullopt, u"1 h"_s);
        const double minutes = start.secsTo(kNow) / 60.0;
        QCOMPARE(*kpi(tiles, u"requests"_s)->number, expect.requests / minutes);
        QCOMPARE(
            *kpi(tiles, u"denials"_s)->number, double(expect.denied) / double(expect.requests));
        QCOMPARE(*kpi(tiles, u"collisions"_s)->number,
            double(expect.collisions) / double(expect.requests));
        QCOMPARE(*kpi(tiles, u"blocks"_s)->number, 2.0);
        QCOMPARE(kpi(tiles, u"alerts"_s)->level, qc::services::thresholds::Level::Critical);
        // Three checks over 300 ms are enough to turn the latency tile red.
        QCOMPARE(kpi(tiles, u"p95"_s)->level,
            expect.slowChecks > 0 ? qc::services::thresholds::Level::Critical
                                  : qc::services::thresholds::Level::Ok);
        // The bot network is denied far more than 20 %: over the whole traffic it is not.
        QVERIFY(!kpi(tiles, u"denials"_s)->trend.isEmpty());

        // Top lists: the busiest IP (the hourly rollup covers the whole first hour).
        qc::models::TopListModel ips(qc::services::InvestigationTarget::Kind::Ip);
        QAbstractItemModelTester ipsTester(
            &ips, QAbstractItemModelTester::FailureReportingMode::QtTest);
        ips.resetData(d.topIps);
        const auto [ip, ipRequests]
            = qc::testsupport::busiest(m_rows, hourFloor(start), kNow, false);
        QCOMPARE(ips.index(0, qc::models::TopListModel::Identifier).data().toString(), ip);
        QCOMPARE(ips.index(0, qc::models::TopListModel::Requests)
                     .data(qc::models::TopListModel::SortRole)
                     .toLongLong(),
            ipRequests);
        qc::models::TopListModel users(qc::services::InvestigationTarget::Kind::User);
        QAbstractItemModelTester usersTester(
            &users, QAbstractItemModelTester::FailureReportingMode::QtTest);
        users.resetData(d.topUsers);
        const auto [user, userRequests]
            = qc::testsupport::busiest(m_rows, hourFloor(start), kNow, true);
        QCOMPARE(users.index(0, 0).data().toString(), user);
        QCOMPARE(
            users.index(0, 1).data(qc::models::TopListModel::SortRole).toLongLong(), userRequests);
        // Endpoints add up to the total.
        qint64 sum = 0;
        for (const auto& e : d.topEndpoints)
            sum += e.requests;
        QCOMPARE(sum, expect.requests);
        QCOMPARE(d.topEndpoints.size(), 5);

        // Filtering and sorting the IP list.
        qc::models::TopListFilterProxy proxy;
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&ips);
        proxy.setText(u"203.0.113."_s);
        QCOMPARE(proxy.rowCount(), 3);
        proxy.sort(qc::models::TopListModel::DenialPercent, Qt::DescendingOrder);
        QVERIFY(proxy.index(0, qc::models::TopListModel::DenialPercent)
                    .data(qc::models::TopListModel::SortRole)
                    .toDouble()
            > 50);

        // The requests chart's table adds up to the same requests, minute by minute.
        qc::models::TimeSeriesModel series;
        QAbstractItemModelTester seriesTester(
            &series, QAbstractItemModelTester::FailureReportingMode::QtTest);
        series.resetData(qc::services::requestsTable(d));
        QCOMPARE(series.rowCount(), 61);
        double total = 0;
        for (int row = 0; row < series.rowCount(); ++row) {
            // Per minute; the last step (14:00) has run for 30 s only.
            const double covered = row == series.rowCount() - 1 ? 0.5 : 1.0;
            total += covered
                * series.index(row, 1).data(qc::models::TimeSeriesModel::ValueRole).toDouble();
        }
        QCOMPARE(qint64(std::llround(total)), expect.requests);
        const auto minute
            = qc::testsupport::figures(m_rows, start.addSecs(600), start.addSecs(660));
        QCOMPARE(series.index(10, 1).data(qc::models::TimeSeriesModel::ValueRole).toDouble(),
            double(minute.requests));
        series.resetData(qc::services::latencyTable(d));
        QCOMPARE(series.table().markers.size(), 2);
        series.resetData(qc::services::denialsByReasonTable(d));
        QCOMPARE(series.headerData(1, Qt::Horizontal, qc::models::TimeSeriesModel::SeriesIdRole)
                     .toString(),
            u"all"_s);
        QVERIFY(series.columnCount() >= 4); // all + rate_limited, quota_exceeded, blocked, ...
    }

    void longerRangesUseCoarserSteps()
    {
        const QString name
            = TestCluster::instance().createDatabase(TestCluster::Schema::Migrated, m_seeded);
        Session session;
        connectAtNow(session, TestCluster::instance().conninfo(name));
        DashboardFeed feed(&session);
        qc::services::TimeRange range;
        range.preset = u"24h"_s;
        feed.setRange(range);
        QTRY_VERIFY_WITH_TIMEOUT(feed.hasData(), 20000);
        const qc::db::DashboardData& d = feed.data();
        QCOMPARE(d.range.step, std::chrono::seconds(300));
        const auto expect = qc::testsupport::figures(m_rows, d.range.start, kNow);
        QCOMPARE(d.current.requests, expect.requests);
        qint64 sum = 0;
        for (const auto& p : d.series)
            sum += p.requests;
        QCOMPARE(sum, expect.requests);
        QCOMPARE(qc::services::stepTimes(d.range).size(), 24 * 12 + 1);
        // Per minute on the chart: a 5-minute step's count divided by 5.
        const auto table = qc::services::requestsTable(d);
        const qc::db::SeriesPoint& p = d.series.at(d.series.size() - 10);
        const int row = int(table.times.indexOf(p.t));
        QVERIFY(row >= 0);
        QCOMPARE(table.columns.at(0).values.at(row), double(p.requests) / 5.0);
        // And over 7 days, hourly.
        range.preset = u"7d"_s;
        feed.setRange(range);
        QTRY_VERIFY_WITH_TIMEOUT(feed.hasData(), 20000);
        {
            const qc::db::DashboardData& w = feed.data();
            QCOMPARE(w.range.step, std::chrono::seconds(3600));
            const auto weekly = qc::services::requestsTable(w);
            const qc::db::SeriesPoint& h = w.series.at(w.series.size() - 2); // a full hour
            const int at = int(weekly.times.indexOf(h.t));
            QVERIFY(at >= 0);
            QCOMPARE(weekly.columns.at(0).values.at(at), double(h.requests) / 60.0);
            QVERIFY(h.requests > 1000);
        }
        // A custom range is fixed: the same answer again.
        feed.setRange(qc::services::TimeRange::custom(kNow.addSecs(-7200), kNow.addSecs(-3600)));
        QTRY_VERIFY_WITH_TIMEOUT(feed.hasData(), 20000);
        QCOMPARE(feed.data().current.requests,
            qc::testsupport::figures(m_rows, kNow.addSecs(-7230), kNow.addSecs(-3600)).requests);
    }

    // The dashboard's statements stay prepared in the session, so that a refresh does not parse
    // and plan its tier unions again; the session's planner settings are left as they were for
    // the other pages, and a session that lost its statements (DISCARD ALL) prepares them again.
    void statementsStayPreparedInTheSession()
    {
        const QString name
            = TestCluster::instance().createDatabase(TestCluster::Schema::Migrated, m_seeded);
        QVERIFY(!name.isEmpty());
        Session session;
        connectAtNow(session, TestCluster::instance().conninfo(name));
        DashboardFeed feed(&session);
        qc::services::TimeRange range;
        range.preset = u"24h"_s;
        feed.setRange(range);
        QTRY_VERIFY_WITH_TIMEOUT(feed.hasData(), 20000);
        QCOMPARE(feed.lastError(), QString());
        const qint64 requests = feed.data().current.requests;
        QVERIFY(requests > 0);

        struct SessionState {
            qint64 prepared = -1;
            QString planCacheMode;
            QString parallelWorkers;
        };
        // Runs `sql` first (if any), then reads the session's state, on the feed's connection.
        auto inspect = [&](const QString& sql) {
            SessionState state;
            bool done = false;
            session.reader()->post<SessionState>(
                QString(), this,
                [sql](QSqlDatabase& db) {
                    QSqlQuery q(db);
                    if (!sql.isEmpty())
                        q.exec(sql);
                    SessionState s;
                    if (q.exec(u"SELECT count(*) FROM pg_prepared_statements "
                               u"WHERE name LIKE 'qc\\_dashboard\\_%'"_s)
                        && q.next())
                        s.prepared = q.value(0).toLongLong();
                    if (q.exec(u"SHOW plan_cache_mode"_s) && q.next())
                        s.planCacheMode = q.value(0).toString();
                    if (q.exec(u"SHOW max_parallel_workers_per_gather"_s) && q.next())
                        s.parallelWorkers = q.value(0).toString();
                    return s;
                },
                [&](const qc::services::JobOutcome<SessionState>& o) {
                    state = o.value;
                    done = true;
                });
            if (!QTest::qWaitFor([&] { return done; }, 10000))
                qWarning("the session's state was not read");
            return state;
        };
        const SessionState first = inspect(QString());
        QVERIFY2(first.prepared >= 8, qPrintable(QString::number(first.prepared)));
        QCOMPARE(first.planCacheMode, u"auto"_s);
        QCOMPARE(first.parallelWorkers, u"2"_s);

        // Another refresh prepares nothing new.
        QSignalSpy changed(&feed, &DashboardFeed::dataChanged);
        feed.refresh();
        QVERIFY(changed.wait(20000));
        QCOMPARE(feed.lastError(), QString());
        QCOMPARE(inspect(QString()).prepared, first.prepared);

        // A session without the statements (a pooler's DISCARD ALL) prepares them again.
        QCOMPARE(inspect(u"DISCARD ALL"_s).prepared, 0);
        feed.refresh();
        QVERIFY(changed.wait(20000));
        QCOMPARE(feed.lastError(), QString());
        QCOMPARE(feed.data().current.requests, requests);
        QCOMPARE(inspect(QString()).prepared, first.prepared);
    }

    void anOutageKeepsTheLastDataMarkedStaleAndRecovers()
    {
        const QString name
            = TestCluster::instance().createDatabase(TestCluster::Schema::Migrated, m_seeded);
        Session session;
        Session::Timing timing;
        timing.firstRetry = std::chrono::milliseconds(200);
        timing.maxRetry = std::chrono::milliseconds(500);
        session.setTiming(timing);
        connectAtNow(session, TestCluster::instance().conninfo(name));
        DashboardFeed feed(&session);
        feed.setRefreshInterval(std::chrono::seconds(1));
        feed.start();
        QTRY_VERIFY_WITH_TIMEOUT(feed.hasData(), 20000);
        const qint64 requests = feed.data().current.requests;
        QVERIFY(!feed.isStale());

        QVERIFY(TestCluster::instance().stopServer().isEmpty());
        feed.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(!feed.lastError().isEmpty(), 10000);
        QVERIFY(feed.hasData());
        QVERIFY(feed.isStale());
        QCOMPARE(feed.data().current.requests, requests);
        QTRY_VERIFY(session.notices()->find(u"database/primary"_s));

        QVERIFY(TestCluster::instance().startServer().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(feed.lastError().isEmpty(), 15000);
        QVERIFY(!feed.isStale());
        QCOMPARE(feed.data().current.requests, requests);
        QTRY_VERIFY(!session.notices()->find(u"database/primary"_s));
    }
};

QTEST_MAIN(tst_Dashboard)
#include "tst_dashboard.moc"
