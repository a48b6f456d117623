#include "services/noticeboard.h"
#include "services/secretstore.h"
#include "services/session.h"
#include "services/settingsstore.h"
#include "support/testcluster.h"
#include "ui/bannerarea.h"
#include "ui/headerbar.h"
#include "ui/mainwindow.h"
#include "ui/roleguard.h"

#include <QAction>
#include <QLabel>
#include <QMenuBar>
#include <QSignalSpy>
#include <QStatusBar>
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
            if (action->shortcut() == QKeySequence(QKeySequence::Quit))
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
