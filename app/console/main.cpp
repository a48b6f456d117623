#include "demomode.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QStatusBar>
#include <QTextStream>

int main(int argc, char* argv[])
{
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

    if (parser.isSet(demo)) {
        // The demo runs as a child process: the window stays responsive while it starts, and
        // what it started stops when the console quits (or dies).
        QApplication::setQuitOnLastWindowClosed(false);
        qc::ui::MainWindow window;
        qc::console::DemoMode demoMode(&window);
        QObject::connect(&demoMode, &qc::console::DemoMode::connected, &window,
            [&window](const qc::console::DemoConnection& connection) {
                window.setWindowTitle(QApplication::translate("main", "Quota Console — DEMO"));
                window.statusBar()->showMessage(
                    QApplication::translate("main", "DEMO: database %1 · metrics %2")
                        .arg(connection.conninfo, connection.metricsUrl.toString()));
                window.show();
            });
        QObject::connect(
            &app, &QGuiApplication::lastWindowClosed, &demoMode, [&demoMode] { demoMode.quit(0); });
        QObject::connect(&demoMode, &qc::console::DemoMode::finished, &app,
            [](int code) { QCoreApplication::exit(code); });
        demoMode.start();
        return app.exec();
    }

    qc::ui::MainWindow window;
    window.show();
    return app.exec();
}
