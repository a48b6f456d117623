// The console's side of the demo: DemoLauncher runs the real quotactl demo as its child,
// DemoMode shows its progress in real widgets (offscreen), connects the console's window to it
// as the DEMO profile (the dashboard with the demo's figures) and stops it when the console
// quits.

#include "demolauncher.h"
#include "demomode.h"
#include "services/dashboardkpis.h"
#include "services/secretstore.h"
#include "services/session.h"
#include "services/settingsstore.h"
#include "ui/dashboardpage.h"
#include "ui/headerbar.h"
#include "ui/kpitile.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMainWindow>
#include <QProcess>
#include <QProgressDialog>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;
using qc::console::DemoConnection;
using qc::console::DemoLauncher;
using qc::console::DemoMode;

namespace {

const QStringList kSmall { u"--backfill"_s, u"1d"_s, u"--backfill-per-day"_s, u"2000"_s,
    u"--users"_s, u"150"_s, u"--rate"_s, u"5"_s, u"--no-scenarios"_s };

QJsonObject demoStatus(const QString& home, int* exitCode = nullptr)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"XDG_DATA_HOME"_s, home);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(QUOTACTL_PATH), { u"demo"_s, u"status"_s, u"--json"_s });
    p.waitForFinished(60000);
    if (exitCode)
        *exitCode = p.exitCode();
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

// The console as quota-console --demo assembles it, with a settings file of its own.
struct Console {
    QTemporaryDir dir;
    qc::services::SettingsStore settings { dir.filePath(u"console.ini"_s) };
    qc::services::SecretStore secrets { u"quota-console-test"_s };
    qc::services::Session session;
    qc::ui::MainWindow window { { &session, &settings }, &secrets };
};

bool alive(qint64 pid)
{
    return pid > 0 && ::kill(pid_t(pid), 0) == 0;
}

} // namespace

class DemoLauncherTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_home;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        // The launcher's child inherits the environment: a private demo directory.
        qputenv("XDG_DATA_HOME", QFile::encodeName(m_home.path()));
        qputenv("QC_QUOTACTL", QUOTACTL_PATH);
        qRegisterMetaType<DemoConnection>();
    }

    void cleanupTestCase()
    {
        QProcess::execute(QStringLiteral(QUOTACTL_PATH), { u"demo"_s, u"reset"_s });
    }

    void describesEveryStep_data()
    {
        QTest::addColumn<QString>("step");
        QTest::addColumn<int>("percent");
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("overall");
        QTest::newRow("postgres") << u"postgres"_s << 0 << u"Starting PostgreSQL…"_s << 6;
        QTest::newRow("migrate") << u"migrate"_s << 0 << u"Migrating…"_s << 9;
        QTest::newRow("backfill") << u"backfill"_s << 42
                                  << u"Backfilling 30 days of history: 12 done…"_s
                                  << 15 + 77 * 42 / 100;
        QTest::newRow("evaluator")
            << u"evaluator"_s << 0 << u"Starting the alert evaluator…"_s << 96;
    }

    void describesEveryStep()
    {
        QFETCH(QString, step);
        QFETCH(int, percent);
        QFETCH(QString, text);
        QFETCH(int, overall);
        int computed = -1;
        QCOMPARE(DemoLauncher::describe(step, percent, u"30d"_s, &computed), text);
        QCOMPARE(computed, overall);
    }

    void missingServerProgramsFail()
    {
        QTemporaryDir empty;
        DemoLauncher launcher;
        launcher.setStartArguments({ u"--pg-bindir"_s, empty.path() });
        QSignalSpy failed(&launcher, &DemoLauncher::failed);
        QSignalSpy ready(&launcher, &DemoLauncher::ready);
        launcher.start();
        QVERIFY(failed.wait(30000));
        QVERIFY2(failed.at(0).at(0).toString().contains(u"postgresql-15"_s),
            qPrintable(failed.at(0).at(0).toString()));
        QCOMPARE(ready.size(), 0);
    }

    // The window opens the dashboard on the demo as its DEMO profile, and closing the console
    // stops everything it started.
    void demoModeStartsShowsProgressAndStopsOnQuit()
    {
        Console console;
        console.window.show();
        DemoMode mode(&console.window);
        mode.launcher()->setStartArguments(kSmall);
        mode.connectConsole(&console.session, &console.settings);
        QSignalSpy connected(&mode, &DemoMode::connected);
        QSignalSpy finished(&mode, &DemoMode::finished);
        QSignalSpy progress(mode.launcher(), &DemoLauncher::progress);
        mode.start();
        QTRY_VERIFY_WITH_TIMEOUT(console.window.findChild<QProgressDialog*>() != nullptr
                && console.window.findChild<QProgressDialog*>()->isVisible(),
            10000);
        QVERIFY(connected.wait(180000));
        const DemoConnection c = connected.at(0).at(0).value<DemoConnection>();
        QVERIFY(c.startedHere);
        QVERIFY(c.conninfo.contains(u"dbname='quota_demo'"_s));
        QVERIFY(c.conninfo.contains(u"user='demo_admin'"_s));
        QCOMPARE(c.metricsUrl.host(), u"127.0.0.1"_s);
        QVERIFY(!console.window.findChild<QProgressDialog*>()->isVisible());

        // A DEMO profile was saved and the session uses it: the demo's database, loadgen's
        // endpoint, the DEMO label and its colour.
        QCOMPARE(console.settings.settings().profiles.size(), 1);
        const qc::services::ConnectionProfile saved = console.settings.settings().profiles.at(0);
        QCOMPARE(saved.id, DemoMode::profileId(c.directory));
        QCOMPARE(saved.environmentLabel, u"DEMO"_s);
        QCOMPARE(saved.environmentColor, qc::services::defaultEnvironmentColor(u"DEMO"_s));
        QCOMPARE(saved.databaseConninfo, c.conninfo);
        QCOMPARE(saved.metricsEndpoints.size(), 1);
        QCOMPARE(saved.metricsEndpoints.at(0).url, c.metricsUrl);
        QVERIFY(console.session.isActive());
        QCOMPARE(console.session.profile().id, saved.id);
        QCOMPARE(console.window.headerBar()->environmentText(), u"DEMO"_s);
        QTRY_COMPARE_WITH_TIMEOUT(console.session.role(), qc::db::QuotaRole::Admin, 30000);

        // The dashboard shows the demo's figures: the history's requests from the database,
        // and live ones scraped from loadgen.
        auto* dashboard = qobject_cast<qc::ui::DashboardPage*>(console.window.page(u"dashboard"_s));
        QVERIFY(dashboard);
        QTRY_VERIFY_WITH_TIMEOUT(
            dashboard->tile(u"requests"_s)->value().number.value_or(0) > 0, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(!dashboard->tile(u"requests"_s)->value().live.isEmpty(), 30000);

        // Progress moved forward through the steps and ended at 100.
        QStringList texts;
        int last = -1;
        for (const QList<QVariant>& args : std::as_const(progress)) {
            texts << args.at(0).toString();
            QVERIFY2(args.at(1).toInt() >= last, qPrintable(texts.join(u" | "_s)));
            last = args.at(1).toInt();
        }
        QCOMPARE(last, 100);
        QVERIFY(texts.contains(u"Starting PostgreSQL…"_s));
        QVERIFY(texts.contains(u"Backfilling 1 day of history…"_s));

        int code = -1;
        const QJsonObject running = demoStatus(m_home.path(), &code);
        QCOMPARE(code, 0);
        const qint64 postmaster
            = running.value(u"cluster"_s).toObject().value(u"pid"_s).toInteger();
        const qint64 loadgen = running.value(u"loadgen"_s).toObject().value(u"pid"_s).toInteger();
        QVERIFY(alive(postmaster));
        QVERIFY(alive(loadgen));

        mode.quit();
        QVERIFY(finished.wait(90000));
        QVERIFY(!console.session.isActive());
        QCOMPARE(finished.at(0).at(0).toInt(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!alive(postmaster) && !alive(loadgen), 10000);
        QCOMPARE(demoStatus(m_home.path(), &code).value(u"state"_s).toString(), u"stopped"_s);
        QCOMPARE(code, 3);
    }

    // A demo that `quotactl demo start` left running is used, and left running at exit; the
    // DEMO profile of an earlier start is reused with the demo's current endpoints, as the user
    // left it otherwise.
    void runningDemoIsReusedAndLeftRunning()
    {
        QProcess start;
        start.start(QStringLiteral(QUOTACTL_PATH), QStringList { u"demo"_s, u"start"_s } + kSmall);
        QVERIFY(start.waitForFinished(180000));
        QVERIFY2(start.exitCode() == 0, start.readAllStandardError().constData());

        Console console;
        const QString directory = m_home.filePath(u"quota-console/demo"_s);
        DemoConnection earlier;
        earlier.directory = directory;
        earlier.conninfo = u"host='/gone' dbname='quota_demo' user='demo_admin'"_s;
        earlier.metricsUrl = QUrl(u"http://127.0.0.1:1/metrics"_s);
        qc::services::ConnectionProfile mine = DemoMode::profile(earlier);
        mine.name = u"My demo"_s;
        mine.scrapeIntervalSeconds = 7;
        QVERIFY(console.settings.update([&](qc::services::ConsoleSettings& s) { s.upsert(mine); })
                    .isEmpty());

        DemoMode mode(&console.window);
        mode.connectConsole(&console.session, &console.settings);
        QSignalSpy connected(&mode, &DemoMode::connected);
        QSignalSpy finished(&mode, &DemoMode::finished);
        mode.start();
        QVERIFY(connected.wait(60000));
        const DemoConnection c = connected.at(0).at(0).value<DemoConnection>();
        QVERIFY(!c.startedHere);
        QVERIFY(!c.metricsUrl.isEmpty());
        QCOMPARE(QDir::cleanPath(c.directory), QDir::cleanPath(directory));
        QCOMPARE(console.settings.settings().profiles.size(), 1);
        const qc::services::ConnectionProfile reused = console.settings.settings().profiles.at(0);
        QCOMPARE(reused.id, mine.id);
        QCOMPARE(reused.name, u"My demo"_s);
        QCOMPARE(reused.scrapeIntervalSeconds, 7);
        QCOMPARE(reused.databaseConninfo, c.conninfo);
        QCOMPARE(reused.metricsEndpoints.size(), 1);
        QCOMPARE(reused.metricsEndpoints.at(0).url, c.metricsUrl);
        QCOMPARE(console.session.profile().id, mine.id);
        QTRY_VERIFY(!mode.launcher()->ownsDemo());

        // With nothing of its own to stop, quit() may finish before it returns.
        mode.quit();
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 30000);
        QVERIFY(!console.session.isActive());
        int code = -1;
        QCOMPARE(demoStatus(m_home.path(), &code).value(u"state"_s).toString(), u"running"_s);
        QCOMPARE(code, 0);
        QCOMPARE(QProcess::execute(QStringLiteral(QUOTACTL_PATH), { u"demo"_s, u"stop"_s }), 0);
    }
};

QTEST_MAIN(DemoLauncherTest)
#include "tst_demolauncher.moc"
