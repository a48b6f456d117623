// Live figures from real /metrics endpoints on 127.0.0.1: rates between two scrapes summed
// across instances, p95 from the bucket increases of all instances, counter resets, health.
#include "fixtures/metricsexposer.h"
#include "localhttpserver.h"
#include "services/metricspoller.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using qc::services::LiveMetrics;
using qc::services::MetricsPoller;
using qc::testsupport::MetricsExposer;

namespace {

void serve(LocalHttpServer& server, const MetricsExposer& exposer)
{
    server.route("/metrics",
        { 200, { { "Content-Type", "text/plain; version=0.0.4" } }, exposer.page(), false });
}

MetricsPoller::Target target(const QString& id, const QByteArray& url)
{
    MetricsPoller::Target t;
    t.id = id;
    t.name = id;
    t.scrape.url = QUrl(QString::fromLatin1(url));
    t.scrape.timeout = std::chrono::milliseconds(2000);
    return t;
}

// One round of scrapes, answered.
bool round(MetricsPoller& poller)
{
    // Instances are scraped a few ms apart; a second between rounds makes that negligible, so
    // that summed rates keep the ratios of the increases.
    QTest::qWait(500);
    QSignalSpy spy(&poller, &MetricsPoller::updated);
    poller.pollNow();
    return spy.wait(5000);
}

} // namespace

class tst_MetricsPoller : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sumsInstancesAndComputesP95FromBucketIncreases()
    {
        LocalHttpServer a, b;
        MetricsExposer pa, pb;
        pa.simulate(10, 50, 1); // some history before the first scrape
        pb.simulate(10, 50, 2);
        serve(a, pa);
        serve(b, pb);
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const QByteArray downUrl
            = "http://127.0.0.1:" + QByteArray::number(closed.serverPort()) + "/metrics";
        closed.close();

        MetricsPoller poller({ target(u"a"_s, a.url("/metrics")), target(u"b"_s, b.url("/metrics")),
                                 target(u"down"_s, downUrl) },
            std::chrono::hours(1));
        QVERIFY(round(poller));
        QVERIFY(!poller.latest().hasData()); // one scrape: nothing to compare yet
        QCOMPARE(poller.latest().endpointsUp, 2);
        QCOMPARE(poller.latest().endpointsTotal, 3);

        // Between the scrapes: 600 fast decisions on a (60 denied), 400 slow ones on b.
        pa.record(u"/v1/items"_s, u"allowed"_s, u"admitted"_s, 0.004, 540, 0.5);
        pa.record(u"/v1/items"_s, u"denied"_s, u"rate_limited"_s, 0.004, 60);
        pa.recordRateLimitHits(u"ip_per_minute"_s, 60);
        pb.record(u"/v1/generate"_s, u"allowed"_s, u"admitted"_s, 0.2, 400, 1.5);
        pa.recordIdempotent(100, 3);
        pb.recordIdempotent(100, 7);
        pb.recordDbErrors(5);
        serve(a, pa);
        serve(b, pb);
        QVERIFY(round(poller));
        const LiveMetrics m = poller.latest();
        QVERIFY(m.hasData());
        QCOMPARE(m.endpointsCounted, 2);
        QVERIFY(m.windowSeconds > 0);
        // Rates depend on the measured interval; their ratios do not.
        QVERIFY(m.requestsPerMinute && m.deniedPerMinute);
        QVERIFY2(
            std::abs(*m.denialRate - 0.06) < 0.002, qPrintable(QString::number(*m.denialRate)));
        QVERIFY(std::abs(*m.deniedPerMinute / *m.requestsPerMinute - *m.denialRate) < 1e-12);
        QVERIFY2(std::abs(*m.collisionRate - 0.05) < 0.002,
            qPrintable(QString::number(*m.collisionRate)));
        QVERIFY(std::abs(*m.rateLimitHitsPerMinute / *m.deniedPerMinute - 1) < 0.35);
        QVERIFY(m.dbErrorsPerMinute && *m.dbErrorsPerMinute > 0);
        QVERIFY(m.costUsdPerHour && *m.costUsdPerHour > 0);
        // 600 observations in (2.5, 5] ms and 400 in (150, 250] ms: rank 950 lies in the slow
        // bucket, 350 of 400 into it: 150 + 100 · 350/400 = 237.5 ms.
        QVERIFY(m.p95Ms.has_value());
        QVERIFY2(std::abs(*m.p95Ms - 237.5) < 1e-6, qPrintable(QString::number(*m.p95Ms)));
        QCOMPARE(m.deniedPerMinuteByReason.keys(), QStringList({ u"rate_limited"_s }));

        // Health of each endpoint.
        const QList<qc::services::EndpointStatus> endpoints = poller.endpoints();
        QCOMPARE(endpoints.size(), 3);
        QVERIFY(endpoints[0].health.up && endpoints[1].health.up);
        QVERIFY(!endpoints[2].health.up);
        QVERIFY(!endpoints[2].health.error.isEmpty());
        QVERIFY(endpoints[0].bodyBytes > 0 && endpoints[0].families > 5);

        // b restarts: its counters start from zero; what it counted since is its increase.
        pb.reset();
        pb.record(u"/v1/generate"_s, u"allowed"_s, u"admitted"_s, 0.2, 100);
        pa.record(u"/v1/items"_s, u"allowed"_s, u"admitted"_s, 0.004, 100);
        serve(b, pb);
        serve(a, pa);
        QVERIFY(round(poller));
        const LiveMetrics after = poller.latest();
        QCOMPARE(*after.denialRate, 0.0);
        QVERIFY(after.requestsPerMinute && *after.requestsPerMinute > 0);
        // 100 fast + 100 slow: rank 190 in the slow bucket, 90 of 100 into it: 240 ms.
        QVERIFY2(std::abs(*after.p95Ms - 240) < 1e-6, qPrintable(QString::number(*after.p95Ms)));
        QCOMPARE(poller.history().size(), 2);
    }

    void anEndpointThatComesBackIsCountedAgain()
    {
        LocalHttpServer a;
        MetricsExposer pa;
        serve(a, pa);
        MetricsPoller poller({ target(u"a"_s, a.url("/metrics")) }, std::chrono::hours(1));
        QVERIFY(round(poller));
        a.route("/metrics", { 503, {}, "overloaded\n", false });
        QVERIFY(round(poller));
        QVERIFY(!poller.endpoints()[0].health.up);
        QVERIFY2(poller.endpoints()[0].health.error.contains(u"503"_s),
            qPrintable(poller.endpoints()[0].health.error));
        QCOMPARE(poller.latest().endpointsUp, 0);
        pa.record(u"/v1/items"_s, u"allowed"_s, u"admitted"_s, 0.004, 10);
        serve(a, pa);
        QVERIFY(round(poller));
        QVERIFY(poller.endpoints()[0].health.up);
        QVERIFY(poller.latest().hasData()); // compared with the scrape before the outage
        QCOMPARE(*poller.latest().denialRate, 0.0);
    }
};

QTEST_MAIN(tst_MetricsPoller)
#include "tst_metricspoller.moc"
