#include "localhttpserver.h"
#include "metrics/gzip.h"
#include "metrics/scraper.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

Q_DECLARE_METATYPE(CannedResponse)
Q_DECLARE_METATYPE(qc::metrics::HttpAuth)
Q_DECLARE_METATYPE(qc::metrics::ExpositionFormat)

using namespace qc::metrics;
using namespace Qt::StringLiterals;

namespace {
const QByteArray kTextPage
    = "# HELP quota_decisions_total Decisions.\n# TYPE quota_decisions_total counter\n"
      "quota_decisions_total{decision=\"allowed\",endpoint=\"/v1/x\",reason=\"admitted\"} 42\n";
const QByteArray kOpenMetricsPage
    = "# TYPE quota_decisions counter\n"
      "quota_decisions_total{decision=\"denied\",endpoint=\"/v1/x\",reason=\"rate_limited\"} 7\n"
      "# EOF\n";
} // namespace

class TestScraper : public QObject {
    Q_OBJECT

private:
    ScrapeResult scrapeOnce(Scraper& scraper, const ScrapeTarget& target)
    {
        QSignalSpy spy(&scraper, &Scraper::finished);
        const quint64 id = scraper.scrape(target);
        if (!spy.wait(5000))
            return ScrapeResult {};
        const auto result = spy.takeFirst().at(0).value<ScrapeResult>();
        if (result.id != id)
            qWarning("answer for another scrape");
        return result;
    }

private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<qc::metrics::ScrapeResult>(); }

    void formatsAndEncodings_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<bool>("gzipped");
        QTest::addColumn<QByteArray>("page");
        QTest::addColumn<ExpositionFormat>("format");
        QTest::addColumn<QString>("family");
        QTest::addColumn<double>("value");
        QTest::newRow("text 0.0.4")
            << "text/plain; version=0.0.4; charset=utf-8"_ba << false << kTextPage
            << ExpositionFormat::PrometheusText << u"quota_decisions_total"_s << 42.0;
        QTest::newRow("openmetrics")
            << "application/openmetrics-text; version=1.0.0; charset=utf-8"_ba << false
            << kOpenMetricsPage << ExpositionFormat::OpenMetrics << u"quota_decisions"_s << 7.0;
        QTest::newRow("gzip text")
            << "text/plain; version=0.0.4"_ba << true << kTextPage
            << ExpositionFormat::PrometheusText << u"quota_decisions_total"_s << 42.0;
        QTest::newRow("gzip openmetrics")
            << "application/openmetrics-text; version=1.0.0"_ba << true << kOpenMetricsPage
            << ExpositionFormat::OpenMetrics << u"quota_decisions"_s << 7.0;
    }

    void formatsAndEncodings()
    {
        QFETCH(QByteArray, contentType);
        QFETCH(bool, gzipped);
        QFETCH(QByteArray, page);
        QFETCH(ExpositionFormat, format);
        QFETCH(QString, family);
        QFETCH(double, value);
        LocalHttpServer server;
        CannedResponse response { 200, { { "Content-Type", contentType } },
            gzipped ? gzip(page) : page, false };
        if (gzipped)
            response.headers.append(std::pair("Content-Encoding"_ba, "gzip"_ba));
        server.route("/metrics", response);
        QNetworkAccessManager network;
        Scraper scraper(&network);
        const ScrapeResult result = scrapeOnce(scraper,
            { QUrl(QString::fromLatin1(server.url("/metrics"))), {}, std::chrono::seconds(5) });
        QVERIFY2(result.health.up, qPrintable(result.health.error));
        QCOMPARE(result.format, format);
        QCOMPARE(result.bodyBytes, page.size());
        QCOMPARE(result.families.size(), std::size_t(1));
        QCOMPARE(result.families[0].name, family);
        QCOMPARE(result.families[0].type, MetricType::Counter);
        QCOMPARE(result.families[0].samples[0].value, value);
        QVERIFY(result.health.lastScrape.isValid());

        QCOMPARE(server.requests().size(), 1);
        const RecordedRequest& request = server.requests().first();
        QCOMPARE(request.method, "GET"_ba);
        QCOMPARE(request.target, "/metrics"_ba);
        QCOMPARE(request.headers.value("accept"),
            "application/openmetrics-text;version=1.0.0,application/"
            "openmetrics-text;version=0.0.1;q=0.75,"
            "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"_ba);
        QCOMPARE(request.headers.value("accept-encoding"), "gzip"_ba);
        QVERIFY(!request.headers.contains("authorization"));
    }

    void failures_data()
    {
        QTest::addColumn<CannedResponse>("response");
        QTest::addColumn<QString>("error");
        QTest::newRow("invalid page") << CannedResponse { 200, { { "Content-Type", "text/plain" } },
            "ok 1\nbad{ 1\n", false } << u"invalid exposition at line 2:6: expected a label name"_s;
        QTest::newRow("openmetrics without EOF") << CannedResponse {
            200, { { "Content-Type", "application/openmetrics-text" } }, "a 1\n", false
        } << u"line 2:1: the exposition ends without '# EOF'"_s;
        QTest::newRow("server error")
            << CannedResponse { 503, {}, "down\n", false } << u"HTTP status 503"_s;
        QTest::newRow("corrupt gzip") << CannedResponse { 200, { { "Content-Encoding", "gzip" } },
            "\x1f\x8bnot really"_ba, false }
                                      << u"gzip body"_s;
        QTest::newRow("timeout") << CannedResponse { 200, {}, {}, true }
                                 << u"within the scrape timeout"_s;
    }

    void failures()
    {
        QFETCH(CannedResponse, response);
        QFETCH(QString, error);
        LocalHttpServer server;
        server.route("/metrics", response);
        QNetworkAccessManager network;
        Scraper scraper(&network);
        const ScrapeResult result = scrapeOnce(scraper,
            { QUrl(QString::fromLatin1(server.url("/metrics"))), {},
                std::chrono::milliseconds(400) });
        QVERIFY(!result.health.up);
        QVERIFY2(result.health.error.contains(error), qPrintable(result.health.error));
        QVERIFY(result.families.empty());
    }

    void connectionRefused()
    {
        quint16 port = 0;
        {
            LocalHttpServer closed;
            port = closed.serverPort();
        }
        QNetworkAccessManager network;
        Scraper scraper(&network);
        const ScrapeResult result = scrapeOnce(scraper,
            { QUrl(u"http://127.0.0.1:"_s % QString::number(port) % u"/metrics"_s), {},
                std::chrono::seconds(5) });
        QVERIFY(!result.health.up);
        QVERIFY2(result.health.error.contains(u"refused"_s, Qt::CaseInsensitive),
            qPrintable(result.health.error));
    }

    void authentication_data()
    {
        QTest::addColumn<HttpAuth>("auth");
        QTest::addColumn<QByteArray>("header");
        HttpAuth basic;
        basic.kind = HttpAuth::Kind::Basic;
        basic.user = u"scraper"_s;
        basic.password = u"s3cret:x"_s;
        QTest::newRow("basic") << basic << "Basic " + "scraper:s3cret:x"_ba.toBase64();
        HttpAuth bearer;
        bearer.kind = HttpAuth::Kind::Bearer;
        bearer.token = u"tok-123"_s;
        QTest::newRow("bearer") << bearer << "Bearer tok-123"_ba;
        HttpAuth hook;
        hook.prepare
            = [](QNetworkRequest& request) { request.setRawHeader("Authorization", "Custom abc"); };
        QTest::newRow("prepare hook") << hook << "Custom abc"_ba;
    }

    void authentication()
    {
        QFETCH(HttpAuth, auth);
        QFETCH(QByteArray, header);
        LocalHttpServer server;
        server.route("/metrics", CannedResponse { 200, {}, kTextPage, false });
        QNetworkAccessManager network;
        Scraper scraper(&network);
        const ScrapeResult result = scrapeOnce(scraper,
            { QUrl(QString::fromLatin1(server.url("/metrics"))), auth, std::chrono::seconds(5) });
        QVERIFY2(result.health.up, qPrintable(result.health.error));
        QCOMPARE(server.requests().first().headers.value("authorization"), header);
    }

    void formatOverride()
    {
        LocalHttpServer server;
        server.route("/metrics",
            CannedResponse { 200, { { "Content-Type", "text/plain" } }, kOpenMetricsPage, false });
        QNetworkAccessManager network;
        Scraper scraper(&network);
        scraper.setFormatOverride(ExpositionFormat::OpenMetrics);
        const ScrapeResult result = scrapeOnce(scraper,
            { QUrl(QString::fromLatin1(server.url("/metrics"))), {}, std::chrono::seconds(5) });
        QVERIFY2(result.health.up, qPrintable(result.health.error));
        QCOMPARE(result.format, ExpositionFormat::OpenMetrics);
        QCOMPARE(result.families[0].name, u"quota_decisions"_s);
    }
};

QTEST_GUILESS_MAIN(TestScraper)
#include "tst_scraper.moc"
