// Opens the console on a private database with a few days of realistic traffic, blocks and
// alerts, and two live /metrics endpoints (plus one that is down): for looking at the console
// (screenshots) without a demo environment. Not a test; runs until closed.
//
//   qc_console_harness [--dark] [--range 15m|1h|24h|7d|30d] [--per-minute N] [--days D]
//                      [--dialog profile|profiles] [--outage SECONDS] [--label PROD]
#include "fixtures/dashboardseed.h"
#include "fixtures/metricsexposer.h"
#include "localhttpserver.h"
#include "services/secretstore.h"
#include "services/session.h"
#include "services/settingsstore.h"
#include "support/testcluster.h"
#include "ui/mainwindow.h"
#include "ui/profiledialog.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QPushButton>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;
using qc::testsupport::TestCluster;

namespace {

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x31));
    p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Base, QColor(0x1f, 0x21, 0x24));
    p.setColor(QPalette::AlternateBase, QColor(0x2a, 0x2c, 0x30));
    p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Button, QColor(0x35, 0x37, 0x3c));
    p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7e, 0xd6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9d, 0xa3));
    p.setColor(QPalette::ToolTipBase, QColor(0x35, 0x37, 0x3c));
    p.setColor(QPalette::ToolTipText, QColor(0xe6, 0xe6, 0xe6));
    return p;
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    QCommandLineOption dark(u"dark"_s, u"Dark palette."_s);
    QCommandLineOption range(u"range"_s, u"Dashboard range."_s, u"range"_s, u"1h"_s);
    QCommandLineOption perMinute(u"per-minute"_s, u"Rows per minute."_s, u"n"_s, u"40"_s);
    QCommandLineOption days(u"days"_s, u"Days of history."_s, u"d"_s, u"2"_s);
    QCommandLineOption dialog(u"dialog"_s, u"Open a dialog: profile, profiles."_s, u"which"_s);
    QCommandLineOption outage(u"outage"_s, u"Stop the database after N seconds."_s, u"s"_s);
    QCommandLineOption label(u"label"_s, u"Environment label."_s, u"label"_s, u"STAGING"_s);
    QCommandLineOption size(u"size"_s, u"Window size WxH."_s, u"size"_s, u"1580x980"_s);
    parser.addOptions({ dark, range, perMinute, days, dialog, outage, label, size });
    parser.process(app);
    app.setStyle(QStyleFactory::create(u"Fusion"_s));
    if (parser.isSet(dark))
        app.setPalette(darkPalette());

    TestCluster& cluster = TestCluster::instance();
    if (!cluster.isRunning()) {
        std::fprintf(stderr, "%s\n", qPrintable(cluster.errorString()));
        return 1;
    }
    const QString name = cluster.createDatabase();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    {
        QSqlDatabase db = cluster.open(name);
        const auto rows = qc::testsupport::generateTraffic(
            now.addDays(-parser.value(days).toInt()), now, parser.value(perMinute).toDouble(), 42);
        QString error = qc::testsupport::logRows(db, rows);
        if (error.isEmpty())
            error = qc::testsupport::seedBlocksAndAlerts(db, now);
        if (!error.isEmpty()) {
            std::fprintf(stderr, "seeding: %s\n", qPrintable(error));
            return 1;
        }
    }

    // Two instances whose counters grow every second, and one that is down.
    LocalHttpServer gw1, gw2;
    qc::testsupport::MetricsExposer e1, e2;
    quint32 seed = 1;
    auto tick = [&] {
        // About the seeded traffic's rate, split over two instances.
        const double perSecond = parser.value(perMinute).toDouble() / 60.0;
        e1.simulate(1, perSecond * 0.6, seed++);
        e2.simulate(1, perSecond * 0.4, seed++);
        gw1.route("/metrics",
            { 200, { { "Content-Type", "text/plain; version=0.0.4" } }, e1.page(), false });
        gw2.route("/metrics",
            { 200, { { "Content-Type", "text/plain; version=0.0.4" } }, e2.page(), false });
    };
    tick();
    QTimer ticker;
    QObject::connect(&ticker, &QTimer::timeout, tick);
    ticker.start(1000);

    QTemporaryDir dir;
    qc::services::SettingsStore settings(dir.filePath(u"console.ini"_s));
    settings.update(
        [&](qc::services::ConsoleSettings& s) { s.dashboard.range = parser.value(range); });
    qc::services::SecretStore secrets(u"quota-console-harness"_s);
    qc::services::Session session;
    qc::services::Session::Timing timing;
    timing.keepAlive = std::chrono::seconds(2);
    session.setTiming(timing);
    auto profile = qc::services::ConnectionProfile::create(u"Staging EU"_s, parser.value(label));
    profile.setDatabaseConninfo(cluster.conninfo(name));
    profile.scrapeIntervalSeconds = 2;
    for (auto [id, url] :
        { std::pair { u"gw1"_s, gw1.url("/metrics") }, std::pair { u"gw2"_s, gw2.url("/metrics") },
            std::pair { u"gw3"_s, QByteArray("http://127.0.0.1:1/metrics") } }) {
        qc::services::HttpEndpoint e;
        e.id = id;
        e.name = u"gateway-"_s + id.mid(2);
        e.url = QUrl(QString::fromLatin1(url));
        profile.metricsEndpoints << e;
    }
    settings.update([&](qc::services::ConsoleSettings& s) { s.upsert(profile); });

    qc::ui::MainWindow window({ &session, &settings }, &secrets);
    const QStringList wh = parser.value(size).split(u'x');
    window.resize(wh.value(0).toInt(), wh.value(1).toInt());
    window.move(0, 0);
    window.show();
    session.connectTo(profile);
    if (parser.value(dialog).startsWith(u"profile:"_s) || parser.value(dialog) == u"profile") {
        // profile:N opens tab N; the database test runs on the Database tab.
        const int tab = parser.value(dialog).section(u':', 1).toInt();
        QTimer::singleShot(500, [&, tab] {
            auto* d = new qc::ui::ProfileDialog(profile, {}, session.network(), &window);
            d->setAttribute(Qt::WA_DeleteOnClose);
            d->findChild<QTabWidget*>()->setCurrentIndex(tab);
            d->show();
            if (tab == 1)
                d->databaseTestButton()->click();
        });
    } else if (parser.value(dialog) == u"profiles") {
        QTimer::singleShot(500, [&] { window.openProfiles(); });
    }
    if (parser.isSet(outage))
        QTimer::singleShot(parser.value(outage).toInt() * 1000, [&] { cluster.stopServer(); });
    const int status = app.exec();
    cluster.stop();
    return status;
}
