// Opens the console on a private database with a few days of realistic traffic, blocks and
// alerts, and two live /metrics endpoints (plus one that is down): for looking at the console
// (screenshots) without a demo environment. Not a test; runs until closed.
//
//   qc_console_harness [--dark] [--range 15m|1h|24h|7d|30d] [--per-minute N] [--days D]
//                      [--dialog profile|profiles] [--outage SECONDS] [--label PROD]
//                      [--language de|fa] [--utc] [--screenshot-page PAGE --screenshot-out FILE]
//                      [--page ID] [--investigate TEXT] [--alertmanager]
// scripts/user-guide-screenshots uses it when no demo is available.
//
// --investigate opens the Investigate page on an address, network, user or endpoint over the
// dashboard's range; --page shows a page (alerts, blocks, incidents, requests, audit);
// --alertmanager starts the real /usr/bin/prometheus-alertmanager on 127.0.0.1 with two alerts
// (one also in the database) and names it in the profile. The default policy is active, with
// an incident that made the auto-block of 203.0.113.7, rate counters for it, a plan change and
// 12 idempotency collisions of user-3 (a buggy client).
#include "db/investigation.h"
#include "fixtures/dashboardseed.h"
#include "fixtures/metricsexposer.h"
#include "localhttpserver.h"
#include "metrics/alertmanagerclient.h"
#include "services/localization.h"
#include "services/secretstore.h"
#include "services/session.h"
#include "services/settingsstore.h"
#include "services/timerange.h"
#include "support/testcluster.h"
#include "ui/appearance.h"
#include "ui/investigatepage.h"
#include "ui/mainwindow.h"
#include "ui/profiledialog.h"
#include "ui/screenshotter.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QPushButton>
#include <QSqlError>
#include <QSqlQuery>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <cstdio>
#include <memory>

using namespace Qt::StringLiterals;
using qc::testsupport::TestCluster;

namespace {

// What the Investigate, Incidents and Alerts pages show beyond the dashboard's seed.
QString seedInvestigation(QSqlDatabase db, const QDateTime& now)
{
    QFile policy(QStringLiteral(QC_SOURCE_DIR "/resources/policies/default.json"));
    if (!policy.open(QIODevice::ReadOnly))
        return u"cannot read "_s + policy.fileName();
    const QString t = now.toUTC().toString(Qt::ISODateWithMs);
    const QStringList statements {
        u"SELECT quota.create_policy_version('harness-policy', $json$"_s
            + QString::fromUtf8(policy.readAll()) + u"$json$::jsonb, 'default policy')"_s,
        u"SELECT quota.activate_policy_version('harness-activate', "
        "(SELECT max(id) FROM quota.policy_versions), NULL, 'go live')"_s,
        uR"(INSERT INTO quota.abuse_incidents (pattern_id, scope, identifier, ts, severity, action,
                blocked_until, request_id, details)
            VALUES ('high_request_rate', 'ip', '203.0.113.7', '%1'::timestamptz - interval '41 minutes',
                    'high', 'block', '%1'::timestamptz + interval '1 day', 'req-harness-1',
                    '{"pattern_name": "High request rate", "value": 412, "window": "1m"}'),
                   ('bot_behavior', 'ip', '203.0.113.7', '%1'::timestamptz - interval '70 minutes',
                    'low', 'log', NULL, 'req-harness-2', '{"pattern_name": "Bot behavior"}'))"_s,
        uR"(UPDATE quota.blocked_identifiers SET incident_id = (SELECT id FROM quota.abuse_incidents
                WHERE pattern_id = 'high_request_rate') WHERE value = '203.0.113.7')"_s,
        uR"(SELECT quota.quota_check('%1'::timestamptz - interval '1 second' * g, 'rc-' || g,
                '203.0.113.8', NULL, 'user-3', 'free', '/v1/generate', 'POST', 'client/1.0', 'DE',
                NULL, NULL) FROM generate_series(1, 25) AS g)"_s,
        uR"(SELECT quota.change_plan('harness-plan-1', 'user-3', 'pro', NULL, 'trial of pro',
                '%1'::timestamptz - interval '2 days'))"_s,
        uR"(SELECT quota.change_plan('harness-plan-2', 'user-3', 'free',
                (SELECT version FROM quota.subscriptions WHERE user_id = 'user-3'),
                'trial ended', '%1'::timestamptz - interval '6 hours'))"_s,
        uR"(INSERT INTO quota.idempotency_collisions (ts, scope, key, request_id, first_request_id,
                flags, kind, different_parameters, late, different_user_agent, on_conflict, user_id,
                client_key, endpoint, method, first_seen, ms_since_first)
            SELECT '%1'::timestamptz - interval '7 minutes' * g, 'user:user-3', 'k-' || (g / 2),
                   'req-c' || g, 'req-f' || g, CASE WHEN g % 3 = 0 THEN 2 ELSE 1 END,
                   CASE WHEN g % 3 = 0 THEN 'late' ELSE 'parameters' END, g % 3 <> 0, g % 3 = 0,
                   false, 'reject', 'user-3', '203.0.113.8', '/v1/generate', 'POST',
                   '%1'::timestamptz - interval '7 minutes' * g
                       - CASE WHEN g % 3 = 0 THEN interval '9 minutes' ELSE interval '4 seconds' END,
                   CASE WHEN g % 3 = 0 THEN 540000 ELSE 4000 END
            FROM generate_series(1, 12) AS g)"_s,
    };
    for (const QString& sql : statements) {
        QSqlQuery q(db);
        if (!q.exec(sql.contains(u"%1"_s) ? sql.arg(t) : sql))
            return q.lastError().text() + u" in: "_s + sql.left(200);
    }
    return {};
}

// The real Alertmanager on 127.0.0.1 with a temporary storage; stopped with the harness.
class Alertmanager {
public:
    QString start()
    {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0))
            return u"no free port on 127.0.0.1"_s;
        m_port = probe.serverPort();
        probe.close();
        QFile config(m_dir.filePath(u"alertmanager.yml"_s));
        if (!config.open(QIODevice::WriteOnly))
            return config.errorString();
        config.write(
            "route:\n  receiver: nobody\n  group_wait: 1h\nreceivers:\n  - name: nobody\n");
        config.close();
        m_process.setProgram(u"/usr/bin/prometheus-alertmanager"_s);
        m_process.setArguments({ u"--config.file="_s + config.fileName(),
            u"--storage.path="_s + m_dir.filePath(u"data"_s),
            u"--web.listen-address=127.0.0.1:"_s + QString::number(m_port),
            u"--cluster.listen-address="_s, u"--log.level=warn"_s });
        m_process.start();
        if (!m_process.waitForStarted(5000))
            return m_process.errorString();
        QNetworkAccessManager network;
        for (int i = 0; i < 100 && m_process.state() == QProcess::Running; ++i) {
            QNetworkReply* reply = network.get(QNetworkRequest(url().resolved(QUrl(u"-/ready"_s))));
            QEventLoop loop;
            QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            QTimer::singleShot(1000, &loop, &QEventLoop::quit);
            loop.exec();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            reply->deleteLater();
            if (status == 200)
                return {};
            QThread::msleep(100);
        }
        return u"Alertmanager did not become ready"_s;
    }
    ~Alertmanager()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(5000))
                m_process.kill();
        }
    }
    QUrl url() const { return QUrl(u"http://127.0.0.1:%1/"_s.arg(m_port)); }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};

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
    QCommandLineOption language(u"language"_s, u"Language (en, de, fa)."_s, u"code"_s);
    QCommandLineOption utc(u"utc"_s, u"Show times in UTC."_s);
    QCommandLineOption shotPage(u"screenshot-page"_s, u"Page to grab, then quit."_s, u"page"_s);
    QCommandLineOption shotOut(u"screenshot-out"_s, u"PNG file."_s, u"file"_s, u"screenshot.png"_s);
    QCommandLineOption page(u"page"_s, u"Show a page."_s, u"id"_s);
    QCommandLineOption investigate(u"investigate"_s, u"Investigate TEXT."_s, u"text"_s);
    QCommandLineOption alertmanager(u"alertmanager"_s, u"Start a real Alertmanager."_s);
    QCommandLineOption tabOption(u"tab"_s, u"Investigate: show tab N."_s, u"n"_s);
    parser.addOptions({ dark, range, perMinute, days, dialog, outage, label, size, language, utc,
        shotPage, shotOut, page, investigate, alertmanager, tabOption });
    parser.process(app);
    qc::ui::applyTheme(parser.isSet(dark) ? qc::services::Preferences::Theme::Dark
                                          : qc::services::Preferences::Theme::Light);
    qc::services::applyLanguage(parser.value(language));
    if (parser.isSet(utc))
        qc::services::setDisplayTimeZone(qc::services::Preferences::TimeZone::Utc);

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
        if (error.isEmpty())
            error = seedInvestigation(db, now);
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
    Alertmanager am;
    QNetworkAccessManager amNetwork;
    std::unique_ptr<qc::metrics::AlertmanagerClient> amClient;
    if (parser.isSet(alertmanager)) {
        if (const QString error = am.start(); !error.isEmpty()) {
            std::fprintf(stderr, "alertmanager: %s\n", qPrintable(error));
            return 1;
        }
        profile.alertmanager.id = u"am"_s;
        profile.alertmanager.name = u"alertmanager"_s;
        profile.alertmanager.url = am.url();
        amClient = std::make_unique<qc::metrics::AlertmanagerClient>(&amNetwork, am.url());
        qc::metrics::AmAlert same; // the database's QuotaCheckLatencyHigh, as Prometheus sends it
        same.labels = { { u"alertname"_s, u"QuotaCheckLatencyHigh"_s },
            { u"endpoint"_s, u"/v1/generate"_s }, { u"severity"_s, u"warning"_s },
            { u"cluster"_s, u"eu-1"_s } };
        same.annotations = { { u"summary"_s, u"p95 quota check over 25 ms"_s } };
        same.startsAt = now.addSecs(-25 * 60);
        qc::metrics::AmAlert only;
        only.labels = { { u"alertname"_s, u"QuotaDatabaseErrors"_s },
            { u"severity"_s, u"critical"_s }, { u"cluster"_s, u"eu-1"_s } };
        only.annotations = { { u"summary"_s, u"quota_check errors on the primary"_s } };
        only.startsAt = now.addSecs(-8 * 60);
        amClient->postAlerts({ same, only });
    }
    settings.update([&](qc::services::ConsoleSettings& s) { s.upsert(profile); });

    qc::ui::MainWindow window({ &session, &settings }, &secrets);
    const QStringList wh = parser.value(size).split(u'x');
    window.resize(wh.value(0).toInt(), wh.value(1).toInt());
    window.move(0, 0);
    window.show();
    if (parser.isSet(shotPage))
        new qc::ui::Screenshotter(&window, parser.value(shotPage), parser.value(shotOut));
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
    if (parser.isSet(page) || parser.isSet(investigate)) {
        QTimer::singleShot(1500, [&] {
            if (parser.isSet(investigate)) {
                QString error;
                const auto subject = qc::db::Subject::parse(parser.value(investigate), &error);
                if (!subject) {
                    std::fprintf(stderr, "--investigate: %s\n", qPrintable(error));
                    return;
                }
                window.showPage(u"investigate"_s);
                if (auto* p
                    = qobject_cast<qc::ui::InvestigatePage*>(window.page(u"investigate"_s))) {
                    p->open(*subject,
                        now.addSecs(-qc::services::presetLength(parser.value(range)).count()),
                        QDateTime::currentDateTimeUtc());
                    if (parser.isSet(tabOption))
                        p->findChild<QTabWidget*>(u"investigateTabs"_s)
                            ->setCurrentIndex(parser.value(tabOption).toInt());
                }
            } else {
                window.showPage(parser.value(page));
            }
        });
    }
    if (parser.isSet(outage))
        QTimer::singleShot(parser.value(outage).toInt() * 1000, [&] { cluster.stopServer(); });
    const int status = app.exec();
    cluster.stop();
    return status;
}
