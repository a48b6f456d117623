#include "fixtures/dashboardseed.h"
#include "models/toplistmodel.h"
#include "services/dashboardfeed.h"
#include "services/noticeboard.h"
#include "services/secretstore.h"
#include "services/session.h"
#include "services/settingsstore.h"
#include "support/testcluster.h"
#include "ui/bannerarea.h"
#include "ui/dashboardpage.h"
#include "ui/headerbar.h"
#include "ui/investigatepage.h"
#include "ui/kpitile.h"
#include "ui/mainwindow.h"
#include "ui/roleguard.h"
#include "ui/timeserieschart.h"
#include "ui/toplistview.h"

#include <QAction>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using qc::services::ConnectionProfile;
using qc::testsupport::TestCluster;

namespace {

// A window with its own settings file, session and keychain client.
struct Console {
    QTemporaryDir dir;
    qc::services::SettingsStore settings { dir.filePath(u"console.ini"_s) };
    qc::services::SecretStore secrets { u"quota-console-test"_s };
    qc::services::Session session;
    qc::ui::MainWindow window { { &session, &settings }, &secrets };

    Console()
    {
        qc::services::Session::Timing timing;
        timing.firstRetry = std::chrono::milliseconds(200);
        timing.maxRetry = std::chrono::milliseconds(500);
        timing.keepAlive = std::chrono::milliseconds(300);
        session.setTiming(timing);
    }
};

ConnectionProfile profileFor(const QString& conninfo, const QString& label = u"PROD"_s)
{
    ConnectionProfile p = ConnectionProfile::create(u"Production EU"_s, label);
    p.setDatabaseConninfo(conninfo);
    return p;
}

} // namespace

class tst_MainWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QC_REQUIRE_CLUSTER(); }
    void cleanup()
    {
        QVERIFY(TestCluster::instance().startServer().isEmpty());
        TestCluster::instance().cleanup();
    }

    void opensOnTheStartPage()
    {
        Console c;
        c.window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&c.window));
        QCOMPARE(c.window.windowTitle(), QStringLiteral("Quota Console"));
        // Before any connection exists the status bar says so instead of showing stale data.
        QCOMPARE(c.window.statusBar()->currentMessage(), QStringLiteral("Not connected"));
        bool mentionsSimulate = false;
        for (auto* label : c.window.findChildren<QLabel*>())
            mentionsSimulate |= label->text().contains(QLatin1String("quotactl simulate"));
        QVERIFY(mentionsSimulate);
        QCOMPARE(c.window.headerBar()->connectionText(), u"Offline"_s);
    }

    void quitHasTheStandardShortcut()
    {
        Console c;
        QAction* quit = nullptr;
        for (auto* action : c.window.menuBar()->findChildren<QAction*>()) {
            const QList<QKeySequence> standard = QKeySequence::keyBindings(QKeySequence::Quit);
            if (action->shortcuts()
                == (standard.isEmpty() ? QList { QKeySequence(Qt::CTRL | Qt::Key_Q) } : standard))
                quit = action;
        }
        QVERIFY(quit);
        bool logFolder = false;
        for (auto* action : c.window.menuBar()->findChildren<QAction*>())
            logFolder |= action->objectName() == u"openLogFolder";
        QVERIFY(logFolder);
    }

    void theHeaderShowsEnvironmentAccountAndRole()
    {
        QC_TEST_DATABASE(name);
        const QString op
            = TestCluster::instance().createLoginRole(u"alice"_s, { u"quota_operator"_s });
        Console c;
        c.window.show();
        c.session.connectTo(profileFor(TestCluster::instance().conninfo(name, op)));
        QCOMPARE(c.window.headerBar()->environmentText(), u"PROD"_s);
        QTRY_VERIFY(c.window.headerBar()->connectionText().startsWith(u"Connected since"_s));
        QTRY_COMPARE(c.window.headerBar()->accountText(), op + u" · operator"_s);
        QCOMPARE(c.window.windowTitle(), u"Production EU [PROD] — Quota Console"_s);
        QCOMPARE(c.window.currentPageId(), u"dashboard"_s);
        QVERIFY(c.window.page(u"dashboard"_s));
        QVERIFY(c.window.bannerArea()->isHidden());
        // The environment label is drawn in the profile's colour with readable text.
        auto* env = c.window.findChild<QLabel*>(u"environmentLabel"_s);
        QVERIFY(env);
        QCOMPARE(env->palette().color(QPalette::Window), QColor(0xc6, 0x28, 0x28));
        QCOMPARE(env->palette().color(QPalette::WindowText), QColor(Qt::white));

        c.session.disconnectFromProfile();
        QCOMPARE(c.window.statusBar()->currentMessage(), u"Not connected"_s);
        QCOMPARE(c.window.headerBar()->connectionText(), u"Offline"_s);
    }

    void actionsNeedingAHigherRoleAreDisabledWithTheReason()
    {
        QC_TEST_DATABASE(name);
        const QString viewer
            = TestCluster::instance().createLoginRole(u"bob"_s, { u"quota_viewer"_s });
        Console c;
        QAction block(u"Block"_s);
        QAction look(u"Look"_s);
        qc::ui::RoleGuard::require(&block, &c.session, qc::db::QuotaRole::Operator, u"Block it"_s);
        qc::ui::RoleGuard::require(&look, &c.session, qc::db::QuotaRole::Viewer, u"Look at it"_s);
        QVERIFY(!block.isEnabled());
        QCOMPARE(block.toolTip(), u"Connect to a quota database first."_s);
        c.session.connectTo(profileFor(TestCluster::instance().conninfo(name, viewer)));
        QTRY_VERIFY(look.isEnabled());
        QVERIFY(!block.isEnabled());
        QCOMPARE(block.toolTip(), u"Needs the quota_operator role; %1 is viewer."_s.arg(viewer));
        QCOMPARE(look.toolTip(), u"Look at it"_s);
    }

    void aDatabaseOutageShowsABannerAndRecovers()
    {
        QC_TEST_DATABASE(name);
        Console c;
        c.window.show();
        c.session.connectTo(profileFor(TestCluster::instance().conninfo(name)));
        QTRY_VERIFY(c.window.headerBar()->connectionText().startsWith(u"Connected since"_s));
        QVERIFY(TestCluster::instance().stopServer().isEmpty());
        // The keep-alive notices the outage; the banner says since when and when it retries.
        QTRY_VERIFY_WITH_TIMEOUT(!c.window.bannerArea()->isHidden(), 10000);
        const QString text = c.window.bannerArea()->texts().value(0);
        QVERIFY2(text.startsWith(u"Database unreachable"_s), qPrintable(text));
        QVERIFY2(text.contains(u"since"_s), qPrintable(text));
        QVERIFY2(text.contains(u"retrying"_s), qPrintable(text));
        QVERIFY(c.window.headerBar()->connectionText().startsWith(u"Unreachable since"_s));
        QVERIFY(c.window.findChild<QWidget*>(u"bannerAction"_s));

        QVERIFY(TestCluster::instance().startServer().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(c.window.bannerArea()->isHidden(), 15000);
        QTRY_VERIFY(c.window.headerBar()->connectionText().startsWith(u"Connected since"_s));
    }

    void theDashboardShowsTheDatabaseNumbers()
    {
        QC_TEST_DATABASE(name);
        const QDateTime now(QDate(2026, 1, 15), QTime(14, 0, 30), Qt::UTC);
        QList<qc::testsupport::SeedRow> rows;
        {
            QSqlDatabase db = TestCluster::instance().open(name);
            rows = qc::testsupport::generateTraffic(now.addSecs(-7200), now, 60, 11);
            QCOMPARE(qc::testsupport::logRows(db, rows), QString());
            QCOMPARE(qc::testsupport::seedBlocksAndAlerts(db, now), QString());
        }
        Console c;
        c.session.setClock([now] { return now; });
        c.window.resize(1400, 900);
        c.window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&c.window));
        c.session.connectTo(profileFor(TestCluster::instance().conninfo(name)));
        auto* page = qobject_cast<qc::ui::DashboardPage*>(c.window.page(u"dashboard"_s));
        QVERIFY(page);
        QTRY_VERIFY_WITH_TIMEOUT(page->feed()->hasData(), 20000);

        const QDateTime start(QDate(2026, 1, 15), QTime(13, 0), Qt::UTC);
        const auto f = qc::testsupport::figures(rows, start, now);
        const QLocale locale;
        const double perMinute = double(f.requests) / (start.secsTo(now) / 60.0);
        QCOMPARE(
            page->tile(u"requests"_s)->valueText(), locale.toString(perMinute, 'f', 0) + u"/min"_s);
        const double denial = 100.0 * double(f.denied) / double(f.requests);
        QCOMPARE(page->tile(u"denials"_s)->valueText(),
            locale.toString(denial, 'f', denial < 10 ? 2 : 1) + u" %"_s);
        QCOMPARE(page->tile(u"blocks"_s)->valueText(), u"2"_s);
        QCOMPARE(page->tile(u"alerts"_s)->valueText(), u"1"_s);
        QVERIFY(page->tile(u"requests"_s)->value().detail.contains(locale.toString(f.requests)));
        QVERIFY(!page->tile(u"services"_s)->isVisible()); // no metrics endpoints in this profile
        QCOMPARE(page->tile(u"alerts"_s)->value().level, qc::services::thresholds::Level::Critical);
        // Charts are drawn from the same data, with the alerts as markers.
        // (drawn one per event-loop turn after the answer)
        QTRY_VERIFY(page->chart(u"requests"_s)->seriesCount() >= 2);
        QTRY_COMPARE(page->chart(u"latency"_s)->markerCount(), 2);
        QVERIFY(page->chart(u"latency"_s)
                    ->hoverText(start.addSecs(600))
                    .contains(u"p95 (database rollups)"_s));
        // The busiest IP leads its list; activating it asks for an investigation of it.
        qc::ui::TopListView* ips = page->topList(u"ip"_s);
        const auto [ip, count] = qc::testsupport::busiest(rows, start, now, false);
        QCOMPARE(ips->table()->model()->index(0, 0).data().toString(), ip);
        QSignalSpy investigate(page, &qc::ui::Page::investigateRequested);
        ips->activateRow(0);
        QCOMPARE(investigate.size(), 1);
        const auto target = investigate.first().first().value<qc::services::InvestigationTarget>();
        QCOMPARE(target.kind, qc::services::InvestigationTarget::Kind::Ip);
        QCOMPARE(target.value, ip);
        QCOMPARE(target.from, start);
        QCOMPARE(target.to, now);
        // The window opens the Investigate page on that address and range.
        QCOMPARE(c.window.currentPageId(), u"investigate"_s);
        auto* investigatePage
            = qobject_cast<qc::ui::InvestigatePage*>(c.window.page(u"investigate"_s));
        QVERIFY(investigatePage);
        QCOMPARE(investigatePage->subject()->kind, qc::db::Subject::Kind::Ip);
        QCOMPARE(investigatePage->subject()->value, ip);
        QTRY_VERIFY(investigatePage->timeline().has_value());
        QCOMPARE(investigatePage->timeline()->requests, qint64(count));
        QVERIFY(c.window.showPage(u"dashboard"_s));
        // Typing in the filter narrows the list (after the debounce).
        QTest::keyClicks(ips->filter(), u"203.0.113"_s);
        QTRY_COMPARE(ips->table()->model()->rowCount(), 3);
        // A span dragged on a chart.
        QSignalSpy spans(page->chart(u"requests"_s), &qc::ui::TimeSeriesChart::spanSelected);
        qc::ui::TimeSeriesChart* chart = page->chart(u"requests"_s);
        const QRectF plot = chart->chart()->plotArea();
        const QPoint a(int(plot.left() + plot.width() * 0.25), int(plot.center().y()));
        const QPoint b(int(plot.left() + plot.width() * 0.5), int(plot.center().y()));
        QTest::mousePress(chart->viewport(), Qt::LeftButton, {}, a);
        QTest::mouseMove(chart->viewport(), b);
        QTest::mouseRelease(chart->viewport(), Qt::LeftButton, {}, b);
        QCOMPARE(spans.size(), 1);
        const QDateTime from = spans.first().at(0).toDateTime();
        const QDateTime to = spans.first().at(1).toDateTime();
        QVERIFY(from >= start && to <= now && from < to);
        QVERIFY(std::abs(start.secsTo(from) - 15 * 60) < 120);
        QVERIFY(std::abs(start.secsTo(to) - 30 * 60) < 120);
        QCOMPARE(investigate.size(), 2);
        // A span without an identifier: the page shows who was active in it.
        QCOMPARE(c.window.currentPageId(), u"investigate"_s);
        QVERIFY(!investigatePage->subject());
        QSignalSpy spanShown(investigatePage, &qc::ui::InvestigatePage::spanShown);
        QVERIFY(spanShown.wait(10000));
    }

    void theDatabaseStoppedMidRefreshMarksTheDashboardStale()
    {
        QC_TEST_DATABASE(name);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        {
            QSqlDatabase db = TestCluster::instance().open(name);
            QCOMPARE(qc::testsupport::logRows(
                         db, qc::testsupport::generateTraffic(now.addSecs(-1800), now, 40, 3)),
                QString());
        }
        Console c;
        c.window.show();
        c.session.connectTo(profileFor(TestCluster::instance().conninfo(name)));
        auto* page = qobject_cast<qc::ui::DashboardPage*>(c.window.page(u"dashboard"_s));
        QVERIFY(page);
        page->feed()->setRefreshInterval(std::chrono::seconds(1));
        QTRY_VERIFY_WITH_TIMEOUT(page->feed()->hasData(), 20000);
        // The refresh in flight when the server goes away fails; the window stays responsive.
        page->feed()->refresh();
        QVERIFY(TestCluster::instance().stopServer().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!c.window.bannerArea()->isHidden(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!page->tile(u"requests"_s)->staleText().isEmpty(), 10000);
        // The last good figure stays while refreshes keep failing.
        const QString before = page->tile(u"requests"_s)->valueText();
        QVERIFY(before != u"…"_s);
        // Another refresh attempt (every second here) fails and changes nothing shown.
        QSignalSpy attempts(page->feed(), &qc::services::DashboardFeed::statusChanged);
        QVERIFY(attempts.wait(5000));
        QTRY_VERIFY(!page->feed()->isLoading());
        QCOMPARE(page->tile(u"requests"_s)->valueText(), before);
        QVERIFY(!page->tile(u"requests"_s)->staleText().isEmpty());
        QVERIFY2(page->statusText().startsWith(u"Data from"_s), qPrintable(page->statusText()));
        QElapsedTimer responsive;
        responsive.start();
        QTest::qWait(50);
        QVERIFY(responsive.elapsed() < 1000);

        QVERIFY(TestCluster::instance().startServer().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(c.window.bannerArea()->isHidden(), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(page->tile(u"requests"_s)->staleText().isEmpty(), 15000);
        QVERIFY(!page->statusText().startsWith(u"Data from"_s));
    }

    void anUnmigratedDatabaseOffersMigrationToItsOwner()
    {
        const QString name = TestCluster::instance().createDatabase(TestCluster::Schema::Empty);
        QVERIFY(!name.isEmpty());
        Console c;
        c.window.show();
        c.session.connectTo(profileFor(TestCluster::instance().conninfo(name), u"STAGING"_s));
        QTRY_VERIFY(c.session.notices()->find(u"schema"_s));
        const qc::services::Notice* n = c.session.notices()->find(u"schema"_s);
        QVERIFY2(n->text.contains(u"no quota schema"_s), qPrintable(n->text));
        QCOMPARE(n->actionId, u"migrate"_s);
        // Migrating (what the notice's button does after confirmation) clears it.
        bool done = false;
        c.session.migrate(this, [&](const qc::db::MigrationRun& run) {
            QVERIFY2(run.ok(), qPrintable(run.error));
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 20000);
        QTRY_VERIFY(!c.session.notices()->find(u"schema"_s));
        QTRY_COMPARE(c.session.identity().pendingMigrations, 0);
    }
};

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
