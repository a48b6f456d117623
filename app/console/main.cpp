#include "demomode.h"
#include "services/databaseworker.h"
#include "services/logging.h"
#include "services/secretstore.h"
#include "services/session.h"
#include "services/settingsstore.h"
#include "ui/dashboardpage.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEvent>
#include <QTextStream>
#include <QTimer>

namespace {

// Reports the first paint of what it filters, then quits (QUOTA_CONSOLE_STARTUP_PROBE=2).
class FirstPaint final : public QObject {
public:
    explicit FirstPaint(const QElapsedTimer* since)
        : m_since(since)
    {
    }
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::Paint && !m_done) {
            m_done = true;
            watched->removeEventFilter(this);
            const qint64 ms = m_since->elapsed();
            QTimer::singleShot(0, qApp, [ms] {
                QTextStream(stdout) << "startup-probe: window painted after " << ms << " ms\n";
                QApplication::quit();
            });
        }
        return false;
    }

private:
    const QElapsedTimer* m_since;
    bool m_done = false;
};

} // namespace

int main(int argc, char* argv[])
{
    QElapsedTimer sinceStart;
    sinceStart.start();
    QApplication::setApplicationName(QStringLiteral("quota-console"));
    QApplication::setApplicationDisplayName(QStringLiteral("Quota Console"));
    QApplication::setOrganizationName(QStringLiteral("quota-console"));
    QApplication::setApplicationVersion(QStringLiteral(QC_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.quota_console.QuotaConsole"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Desktop console for the quota database of an API."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    QCommandLineOption demo(QStringLiteral("demo"),
        QApplication::translate(
            "main", "Start the embedded demo (or use the running one) and connect to it."));
    parser.addOption(demo);
    QCommandLineOption profile(QStringLiteral("profile"),
        QApplication::translate("main", "Connect to the saved connection profile <name>."),
        QApplication::translate("main", "name"));
    parser.addOption(profile);

    // --version and --help answer before QApplication exists: it aborts without a display
    // (ssh sessions, package checks). Qt's own options (-platform, ...) are only known to it.
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    parser.parse(arguments); // a bad option is reported by process() below
    if (parser.isSet(version) || parser.isSet(help)) {
        const QCoreApplication noDisplay(argc, argv);
        if (parser.isSet(version))
            parser.showVersion();
        parser.showHelp();
    }

    QApplication app(argc, argv);
    parser.process(app);

    const QString logError = qc::services::initLogging();
    qc::services::logger()->info("Quota Console {} starting", QC_VERSION);
    if (!logError.isEmpty())
        qc::services::logger()->warn("{}", qc::services::toLog(logError));

    int status = 0;
    {
        qc::services::SettingsStore settings;
        qc::services::SecretStore secrets;
        qc::services::Session session;
        qc::ui::MainWindow window({ &session, &settings }, &secrets);
        // QUOTA_CONSOLE_STARTUP_PROBE=1 (benchmarks): print when the dashboard first shows data,
        // then quit.
        if (qEnvironmentVariableIntValue("QUOTA_CONSOLE_STARTUP_PROBE") == 1) {
            QObject::connect(&window, &qc::ui::MainWindow::pageCreated, &app,
                [&sinceStart](const QString&, qc::ui::Page* page) {
                    auto* dashboard = qobject_cast<qc::ui::DashboardPage*>(page);
                    if (!dashboard)
                        return;
                    QObject::connect(dashboard, &qc::ui::DashboardPage::firstDataShown, dashboard,
                        [&sinceStart] {
                            QTextStream(stdout) << "startup-probe: dashboard painted after "
                                                << sinceStart.elapsed() << " ms\n";
                            QTimer::singleShot(0, qApp, &QApplication::quit);
                        });
                });
        }
        // QUOTA_CONSOLE_STARTUP_PROBE=2: the same for the window's first paint (the baseline).
        FirstPaint firstPaint(&sinceStart);
        if (qEnvironmentVariableIntValue("QUOTA_CONSOLE_STARTUP_PROBE") == 2)
            window.installEventFilter(&firstPaint);
        window.show();
        // --demo: the demo runs as a child process, so the window stays responsive while it
        // starts; the console connects to it as the DEMO profile, and what it started stops
        // when the console quits (or dies).
        qc::console::DemoMode demoMode(&window);
        if (parser.isSet(demo)) {
            QApplication::setQuitOnLastWindowClosed(false);
            demoMode.connectConsole(&session, &settings);
            QObject::connect(&app, &QGuiApplication::lastWindowClosed, &demoMode,
                [&demoMode] { demoMode.quit(0); });
            QObject::connect(&demoMode, &qc::console::DemoMode::finished, &app,
                [](int code) { QCoreApplication::exit(code); });
            demoMode.start();
        } else if (parser.isSet(profile)) {
            const QString name = parser.value(profile);
            QString id;
            for (const auto& p : settings.settings().profiles) {
                if (p.name == name)
                    id = p.id;
            }
            if (id.isEmpty()) {
                QTextStream(stderr)
                    << QApplication::translate("main", "There is no connection profile '%1'.\n")
                           .arg(name);
                return 2;
            }
            window.connectToProfile(id);
        } else {
            window.connectOnStart();
        }
        status = app.exec();
    }
    // Database threads close their connections on their own; give them a moment.
    qc::services::DatabaseWorker::waitForAll(std::chrono::seconds(3));
    qc::services::logger()->info("Quota Console exiting");
    qc::services::flushLog();
    return status;
}
