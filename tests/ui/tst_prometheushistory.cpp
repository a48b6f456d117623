// The dashboard's history from a real Prometheus (/usr/bin/prometheus, 2.42) scraping a
// quota service's /metrics page on 127.0.0.1, and the profile editor's tests of Prometheus and
// Alertmanager (/usr/bin/prometheus-alertmanager) against the real servers.
#include "fixtures/metricsexposer.h"
#include "localhttpserver.h"
#include "services/connectiontester.h"
#include "services/dashboardfeed.h"
#include "services/session.h"
#include "support/testcluster.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using qc::services::ConnectionTester;
using qc::testsupport::TestCluster;

namespace {

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost);
    return probe.serverPort();
}

// GET `url`; the body, or empty on failure.
QByteArray get(QNetworkAccessManager& network, const QString& url)
{
    QNetworkReply* reply = network.get(QNetworkRequest(QUrl(url)));
    QSignalSpy done(reply, &QNetworkReply::finished);
    done.wait(3000);
    const QByteArray body
        = reply->error() == QNetworkReply::NoError ? reply->readAll() : QByteArray();
    reply->deleteLater();
    return body;
}

} // namespace

class tst_PrometheusHistory : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    LocalHttpServer m_service;
    qc::testsupport::MetricsExposer m_exposer;
    QTimer m_traffic;
    QProcess m_prometheus;
    QProcess m_alertmanager;
    QString m_prometheusUrl;
    QString m_alertmanagerUrl;
    quint32 m_seed = 1;

    void serve()
    {
        m_exposer.simulate(0.2, 200, m_seed++);
        m_service.route("/metrics",
            { 200, { { "Content-Type", "text/plain; version=0.0.4" } }, m_exposer.page(), false });
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFileInfo(u"/usr/bin/prometheus"_s).isExecutable()
            || !QFileInfo(u"/usr/bin/prometheus-alertmanager"_s).isExecutable())
            QSKIP("needs /usr/bin/prometheus and /usr/bin/prometheus-alertmanager (Debian "
                  "packages prometheus, prometheus-alertmanager)");
        QC_REQUIRE_CLUSTER();
        serve();
        connect(&m_traffic, &QTimer::timeout, this, [this] { serve(); });
        m_traffic.start(200);

        QFile config(m_dir.filePath(u"prometheus.yml"_s));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write("global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: quota\n"
                     "    static_configs:\n      - targets: ['127.0.0.1:"
            + QByteArray::number(m_service.serverPort()) + "']\n");
        config.close();
        const quint16 promPort = freePort();
        m_prometheusUrl = u"http://127.0.0.1:%1/"_s.arg(promPort);
        m_prometheus.setProcessChannelMode(QProcess::MergedChannels);
        m_prometheus.start(u"/usr/bin/prometheus"_s,
            { u"--config.file="_s + config.fileName(),
                u"--storage.tsdb.path="_s + m_dir.filePath(u"data"_s),
                u"--web.listen-address=127.0.0.1:%1"_s.arg(promPort) });
        QVERIFY(m_prometheus.waitForStarted());

        QFile amConfig(m_dir.filePath(u"alertmanager.yml"_s));
        QVERIFY(amConfig.open(QIODevice::WriteOnly));
        amConfig.write("route:\n  receiver: nobody\nreceivers:\n  - name: nobody\n");
        amConfig.close();
        const quint16 amPort = freePort();
        m_alertmanagerUrl = u"http://127.0.0.1:%1/"_s.arg(amPort);
        m_alertmanager.setProcessChannelMode(QProcess::MergedChannels);
        m_alertmanager.start(u"/usr/bin/prometheus-alertmanager"_s,
            { u"--config.file="_s + amConfig.fileName(),
                u"--storage.path="_s + m_dir.filePath(u"am"_s),
                u"--web.listen-address=127.0.0.1:%1"_s.arg(amPort),
                u"--cluster.listen-address="_s });
        QVERIFY(m_alertmanager.waitForStarted());

        // Prometheus has scraped a few times (rate() needs two samples in its window).
        QNetworkAccessManager network;
        const bool ready = QTest::qWaitFor(
            [&] {
                const QByteArray body = get(
                    network, m_prometheusUrl + u"api/v1/query?query=count_over_time(up%5B1m%5D)"_s);
                const QJsonArray result = QJsonDocument::fromJson(body)
                                              .object()
                                              .value(u"data"_s)
                                              .toObject()
                                              .value(u"result"_s)
                                              .toArray();
                return !result.isEmpty()
                    && result.at(0).toObject().value(u"value"_s).toArray().at(1).toString().toInt()
                    >= 4;
            },
            30000);
        QVERIFY2(ready, m_prometheus.readAll().constData());
    }

    void cleanupTestCase()
    {
        for (QProcess* p : { &m_prometheus, &m_alertmanager }) {
            if (p->state() != QProcess::NotRunning) {
                p->terminate();
                if (!p->waitForFinished(5000))
                    p->kill();
                p->waitForFinished();
            }
        }
        TestCluster::instance().cleanup();
    }

    void theDashboardReadsHistoryFromPrometheus()
    {
        QC_TEST_DATABASE(name);
        qc::services::Session session;
        auto profile = qc::services::ConnectionProfile::create(u"with prometheus"_s);
        profile.setDatabaseConninfo(TestCluster::instance().conninfo(name));
        profile.prometheus.id = u"prometheus"_s;
        profile.prometheus.url = QUrl(m_prometheusUrl);
        session.connectTo(profile);
        QVERIFY(session.prometheus());
        qc::services::DashboardFeed feed(&session);
        QSignalSpy history(&feed, &qc::services::DashboardFeed::historyChanged);
        qc::services::TimeRange range;
        range.preset = u"15m"_s;
        feed.setRange(range);
        feed.start();
        QVERIFY(history.wait(20000));
        QVERIFY2(feed.history().error.isEmpty(), qPrintable(feed.history().error));
        QVERIFY(!feed.history().requestsPerMinute.empty());
        // Traffic is simulated while the test's event loop runs: some hundreds a minute.
        const double perMinute = feed.history().requestsPerMinute.back().value;
        QVERIFY2(perMinute > 60, qPrintable(QString::number(perMinute)));
        QVERIFY(!feed.history().p95Ms.empty());
        const double p95 = feed.history().p95Ms.back().value;
        QVERIFY2(p95 > 1 && p95 < 25, qPrintable(QString::number(p95)));
        // Merged into the chart tables as their own line.
        QTRY_VERIFY_WITH_TIMEOUT(feed.hasData(), 20000);
        const auto table = qc::services::requestsTable(feed.data(), {}, &feed.history());
        bool hasPrometheus = false;
        for (const auto& c : table.columns)
            hasPrometheus |= c.id == u"prometheus";
        QVERIFY(hasPrometheus);
    }

    void aBadPrometheusQueryIsReported()
    {
        QC_TEST_DATABASE(name);
        qc::services::Session session;
        auto profile = qc::services::ConnectionProfile::create(u"wrong prometheus"_s);
        profile.setDatabaseConninfo(TestCluster::instance().conninfo(name));
        profile.prometheus.id = u"prometheus"_s;
        profile.prometheus.url = QUrl(m_alertmanagerUrl); // not a Prometheus
        session.connectTo(profile);
        qc::services::DashboardFeed feed(&session);
        QSignalSpy history(&feed, &qc::services::DashboardFeed::historyChanged);
        feed.start();
        QVERIFY(history.wait(20000));
        QVERIFY(!feed.history().error.isEmpty());
        QVERIFY(feed.history().requestsPerMinute.empty());
    }

    void theProfileEditorTestsPrometheusAndAlertmanager()
    {
        QNetworkAccessManager network;
        ConnectionTester tester(&network);
        QSignalSpy tested(&tester, &ConnectionTester::httpTested);
        qc::services::HttpEndpoint e;
        e.url = QUrl(m_prometheusUrl);
        const quint64 a = tester.testHttp(ConnectionTester::HttpKind::Prometheus, e, {});
        QVERIFY(tested.wait(10000));
        QCOMPARE(tested.last().at(0).toULongLong(), a);
        auto check = tested.last().at(1).value<qc::services::HttpCheck>();
        QVERIFY2(check.ok(), qPrintable(check.message));
        QVERIFY2(check.detail.startsWith(u"Prometheus 2.42"_s), qPrintable(check.detail));

        e.url = QUrl(m_alertmanagerUrl);
        tester.testHttp(ConnectionTester::HttpKind::Alertmanager, e, {});
        QVERIFY(tested.wait(10000));
        check = tested.last().at(1).value<qc::services::HttpCheck>();
        QVERIFY2(check.ok(), qPrintable(check.message));
        QVERIFY2(check.detail.startsWith(u"Alertmanager 0.25"_s), qPrintable(check.detail));

        // Each one mistaken for the other is said so.
        tester.testHttp(ConnectionTester::HttpKind::Prometheus, e, {});
        QVERIFY(tested.wait(10000));
        check = tested.last().at(1).value<qc::services::HttpCheck>();
        QVERIFY(!check.ok());

        // The service's own page as a metrics endpoint: quota metrics found.
        e.url = QUrl(QString::fromLatin1(m_service.url("/metrics")));
        tester.testHttp(ConnectionTester::HttpKind::Metrics, e, {});
        QVERIFY(tested.wait(10000));
        check = tested.last().at(1).value<qc::services::HttpCheck>();
        QVERIFY2(check.ok(), qPrintable(check.message));
        QVERIFY2(check.detail.contains(u"quota metrics"_s), qPrintable(check.detail));
        // Prometheus' own /metrics has no quota metrics: the wrong endpoint.
        e.url = QUrl(m_prometheusUrl + u"metrics"_s);
        tester.testHttp(ConnectionTester::HttpKind::Metrics, e, {});
        QVERIFY(tested.wait(10000));
        check = tested.last().at(1).value<qc::services::HttpCheck>();
        QCOMPARE(check.problem, qc::services::HttpCheck::Problem::BadContent);
        // Nothing listening.
        e.url = QUrl(u"http://127.0.0.1:%1/metrics"_s.arg(freePort()));
        tester.testHttp(ConnectionTester::HttpKind::Metrics, e, {});
        QVERIFY(tested.wait(10000));
        QCOMPARE(tested.last().at(1).value<qc::services::HttpCheck>().problem,
            qc::services::HttpCheck::Problem::Refused);
    }
};

QTEST_MAIN(tst_PrometheusHistory)
#include "tst_prometheushistory.moc"
