#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTextStream>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("quota-console"));
    QApplication::setApplicationDisplayName(QStringLiteral("Quota Console"));
    QApplication::setOrganizationName(QStringLiteral("quota-console"));
    QApplication::setApplicationVersion(QStringLiteral(QC_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Desktop console for the quota database of an API."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption demo(
        QStringLiteral("demo"), QApplication::translate("main", "Open the embedded demo."));
    parser.addOption(demo);
    parser.process(app);

    if (parser.isSet(demo)) {
        QTextStream(stderr) << QApplication::translate("main",
            "The embedded demo is not yet available in this version. Meanwhile, try:\n"
            "  quotactl trace generate --out /tmp/trace.csv --scenario normal --scenario "
            "bot_burst\n"
            "  quotactl simulate --policy candidate.json --trace /tmp/trace.csv\n");
        return 0;
    }

    qc::ui::MainWindow window;
    window.show();
    return app.exec();
}
