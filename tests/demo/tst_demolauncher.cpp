// The console's side of the demo: DemoLauncher runs the real quotactl demo as its child,
// DemoMode shows its progress in real widgets (offscreen) and stops it when the console quits.

#include "demolauncher.h"
#include "demomode.h"

#include <QApplication>
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
        QTest::newRow("backfill") << u"backfill"_s << 42 << u"Backfilling 30 days (42 %)…"_s
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

    // The window opens on the demo, and closing the console stops everything it started.
    void demoModeStartsShowsProgressAndStopsOnQuit()
    {
        QMainWindow window;
        DemoMode mode(&window);
        mode.launcher()->setStartArguments(kSmall);
        QSignalSpy connected(&mode, &DemoMode::connected);
        QSignalSpy finished(&mode, &DemoMode::finished);
        QSignalSpy progress(mode.launcher(), &DemoLauncher::progress);
        mode.start();
        QTRY_VERIFY_WITH_TIMEOUT(window.findChild<QProgressDialog*>() != nullptr
                && window.findChild<QProgressDialog*>()->isVisible(),
            10000);
        QVERIFY(connected.wait(180000));
        const DemoConnection c = connected.at(0).at(0).value<DemoConnection>();
        QVERIFY(c.startedHere);
        QVERIFY(c.conninfo.contains(u"dbname='quota_demo'"_s));
        QVERIFY(c.conninfo.contains(u"user='demo_admin'"_s));
        QCOMPARE(c.metricsUrl.host(), u"127.0.0.1"_s);
        QVERIFY(!window.findChild<QProgressDialog*>()->isVisible());

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
        QVERIFY(texts.contains(u"Backfilling 1 day (100 %)…"_s));

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
        QCOMPARE(finished.at(0).at(0).toInt(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!alive(postmaster) && !alive(loadgen), 10000);
        QCOMPARE(demoStatus(m_home.path(), &code).value(u"state"_s).toString(), u"stopped"_s);
        QCOMPARE(code, 3);
    }

    // A demo that `quotactl demo start` left running is used, and left running at exit.
    void runningDemoIsReusedAndLeftRunning()
    {
        QProcess start;
        start.start(QStringLiteral(QUOTACTL_PATH), QStringList { u"demo"_s, u"start"_s } + kSmall);
        QVERIFY(start.waitForFinished(180000));
        QVERIFY2(start.exitCode() == 0, start.readAllStandardError().constData());

        DemoLauncher launcher;
        QSignalSpy ready(&launcher, &DemoLauncher::ready);
        QSignalSpy stopped(&launcher, &DemoLauncher::stopped);
        launcher.start();
        QVERIFY(ready.wait(60000));
        QVERIFY(!ready.at(0).at(0).value<DemoConnection>().startedHere);
        QVERIFY(!ready.at(0).at(0).value<DemoConnection>().metricsUrl.isEmpty());
        QTRY_VERIFY(!launcher.ownsDemo());
        launcher.stop();
        QTRY_COMPARE(stopped.size(), 1);
        int code = -1;
        QCOMPARE(demoStatus(m_home.path(), &code).value(u"state"_s).toString(), u"running"_s);
        QCOMPARE(code, 0);
        QCOMPARE(QProcess::execute(QStringLiteral(QUOTACTL_PATH), { u"demo"_s, u"stop"_s }), 0);
    }
};

QTEST_MAIN(DemoLauncherTest)
#include "tst_demolauncher.moc"
