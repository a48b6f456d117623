// The service metrics of DESIGN §3 as loadgen exposes them: the registry's pages in both
// formats (parsed back by core/metrics, accepted by the real promtool), content negotiation as
// Prometheus 2.42 asks, gzip, and the HTTP server's keep-alive, pipelining and error answers.

#include "live/httpnegotiation.h"
#include "live/metricsregistry.h"
#include "live/metricsserver.h"
#include "metrics/expositionparser.h"
#include "metrics/gzip.h"
#include "metrics/quantile.h"
#include "metrics/scraper.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;
using qc::live::MetricsRegistry;
using qc::live::MetricsServer;
using qc::live::RequestOutcome;
using qc::metrics::ExpositionFormat;
using qc::metrics::MetricFamily;
using qc::metrics::MetricType;

Q_DECLARE_METATYPE(qc::metrics::ExpositionFormat)

namespace {

// A registry with one of everything, including values on bucket bounds and a label that needs
// escaping.
void fill(MetricsRegistry& registry)
{
    registry.declareRules({ "ip_per_minute", "free_user_2h" });
    registry.declarePatterns({ { "ip_flood", "block" }, { "bot_user_agent", "log" } });
    registry.countIncident("ip_flood", "block");
    const double checks[] = { 0.4, 1.0, 2.5, 2.6, 7, 120, 300, 480, 1500 };
    for (const double ms : checks) {
        RequestOutcome o;
        o.endpoint = "/api/chat";
        o.allowed = true;
        o.reason = "admitted";
        o.checkMs = ms;
        o.costMicroUsd = 2345;
        registry.record(o);
    }
    RequestOutcome denied;
    denied.endpoint = "/api/items";
    denied.allowed = false;
    denied.reason = "rate_limited";
    denied.rule = "ip_per_minute";
    denied.hasIdempotencyKey = true;
    denied.checkMs = 3;
    registry.record(denied);
    RequestOutcome collision = denied;
    collision.reason = "idempotency_conflict";
    collision.rule = {};
    collision.collisionKind = "user_agent";
    collision.endpoint = "/api/odd\"path\\with\nnewline";
    registry.record(collision);
    registry.countDbError(2);
}

const MetricFamily* family(const std::vector<MetricFamily>& families, const QString& name)
{
    for (const MetricFamily& f : families) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

double sampleValue(const MetricFamily& f, const QString& name, const QString& label = {},
    const QString& value = {})
{
    for (const qc::metrics::Sample& s : f.samples) {
        if (s.name == name && (label.isEmpty() || f.labelValue(s, label) == value))
            return s.value;
    }
    return -1;
}

QString promtool()
{
    if (QFile::exists(u"/usr/bin/promtool"_s))
        return u"/usr/bin/promtool"_s;
    return QStandardPaths::findExecutable(u"promtool"_s);
}

// Complete answers in `data` (status line, head, Content-Length body).
int completeAnswers(const QByteArray& data)
{
    qsizetype pos = 0;
    int complete = 0;
    while (true) {
        const qsizetype head = data.indexOf("\r\n\r\n", pos);
        if (head < 0)
            return complete;
        const qsizetype cl = data.indexOf("Content-Length: ", pos);
        const qsizetype length = data.mid(cl + 16, data.indexOf('\r', cl) - cl - 16).toLongLong();
        const bool bodyless = data.mid(pos, 5) == "HEAD ";
        if (data.size() < head + 4 + (bodyless ? 0 : length))
            return complete;
        ++complete;
        pos = head + 4 + length;
    }
}

// One raw HTTP exchange on a socket of this thread (the server answers from the event loop):
// everything read until `responses` complete answers are in or the peer closes.
QByteArray exchange(QTcpSocket& socket, const QByteArray& request, int responses, bool head = false)
{
    socket.write(request);
    QByteArray out;
    static_cast<void>(QTest::qWaitFor(
        [&] {
            out += socket.readAll();
            if (head)
                return out.count("\r\n\r\n") >= responses;
            return completeAnswers(out) >= responses
                || socket.state() != QAbstractSocket::ConnectedState;
        },
        5000));
    return out;
}

bool closed(QTcpSocket& socket)
{
    return QTest::qWaitFor(
        [&] { return socket.state() == QAbstractSocket::UnconnectedState; }, 5000);
}

} // namespace

class TestMetricsExposition : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void bothFormatsParseWithTheSameValues_data()
    {
        QTest::addColumn<ExpositionFormat>("format");
        QTest::newRow("text 0.0.4") << ExpositionFormat::PrometheusText;
        QTest::newRow("OpenMetrics 1.0") << ExpositionFormat::OpenMetrics;
    }

    void bothFormatsParseWithTheSameValues()
    {
        QFETCH(ExpositionFormat, format);
        MetricsRegistry registry;
        fill(registry);
        const QByteArray page = registry.render(format);
        const qc::metrics::ParseResult parsed = qc::metrics::parseExposition(page, format);
        QVERIFY2(
            parsed.ok(), qPrintable(parsed.error->toString() + u"\n"_s + QString::fromUtf8(page)));
        const bool om = format == ExpositionFormat::OpenMetrics;
        // Exactly the names of DESIGN §3 and docs/loadgen.md (OpenMetrics names counter families
        // without _total).
        QStringList names;
        for (const MetricFamily& f : parsed.families)
            names << f.name;
        const QString t = om ? QString() : u"_total"_s;
        QCOMPARE(names,
            QStringList({ u"quota_check_duration_seconds"_s, u"quota_decisions"_s + t,
                u"quota_idempotency_requests"_s + t, u"quota_idempotency_collisions"_s + t,
                u"quota_rate_limit_hits"_s + t, u"quota_db_errors"_s + t, u"quota_cost_usd"_s + t,
                u"quota_abuse_incidents"_s + t }));

        const MetricFamily* histogram = family(parsed.families, u"quota_check_duration_seconds"_s);
        QVERIFY(histogram);
        QCOMPARE(histogram->type, MetricType::Histogram);
        const auto series = qc::metrics::histogramSeries(*histogram);
        QCOMPARE(series.size(), std::size_t(1));
        QCOMPARE(series[0].buckets.size(), std::size_t(13));
        // 0.4 and 1.0 in le=0.001 (a value on a bound counts in that bucket), 2.5 in 0.0025 ...
        QCOMPARE(series[0].buckets[0].upperBound, 0.001);
        QCOMPARE(series[0].buckets[0].count, 2.0);
        QCOMPARE(series[0].buckets[1].count, 3.0);
        QCOMPARE(series[0].buckets[2].count, 6.0); // + 2.6, 3, 3
        QCOMPARE(series[0].buckets[9].upperBound, 0.3);
        QCOMPARE(series[0].buckets[9].count, 9.0); // 300 ms is in le=0.3
        QCOMPARE(series[0].buckets[12].count, 11.0);
        QCOMPARE(*series[0].count, 11.0);
        QVERIFY(qAbs(*series[0].sum - 2.4195) < 1e-12);

        const QString total = u"_total"_s;
        const MetricFamily* decisions = family(parsed.families, u"quota_decisions"_s + t);
        QVERIFY(decisions);
        QCOMPARE(decisions->type, MetricType::Counter);
        QCOMPARE(
            sampleValue(*decisions, u"quota_decisions_total"_s, u"reason"_s, u"admitted"_s), 9.0);
        QCOMPARE(sampleValue(*decisions, u"quota_decisions_total"_s, u"endpoint"_s,
                     u"/api/odd\"path\\with\nnewline"_s),
            1.0);
        const MetricFamily* cost = family(parsed.families, u"quota_cost_usd"_s + t);
        QCOMPARE(
            sampleValue(*cost, u"quota_cost_usd_total"_s, u"endpoint"_s, u"/api/chat"_s), 0.021105);
        const MetricFamily* hits = family(parsed.families, u"quota_rate_limit_hits"_s + t);
        QCOMPARE(
            sampleValue(*hits, u"quota_rate_limit_hits_total"_s, u"rule"_s, u"ip_per_minute"_s),
            1.0);
        // Declared rules read 0 before their first hit, so Prometheus sees every increase.
        QCOMPARE(sampleValue(*hits, u"quota_rate_limit_hits_total"_s, u"rule"_s, u"free_user_2h"_s),
            0.0);
        const MetricFamily* collisions
            = family(parsed.families, u"quota_idempotency_collisions"_s + t);
        QCOMPARE(sampleValue(*collisions, u"quota_idempotency_collisions_total"_s, u"kind"_s,
                     u"user_agent"_s),
            1.0);
        QCOMPARE(
            sampleValue(*collisions, u"quota_idempotency_collisions_total"_s, u"kind"_s, u"late"_s),
            0.0);
        QCOMPARE(sampleValue(*family(parsed.families, u"quota_idempotency_requests"_s + t),
                     u"quota_idempotency_requests"_s + total),
            2.0);
        QCOMPARE(sampleValue(*family(parsed.families, u"quota_db_errors"_s + t),
                     u"quota_db_errors"_s + total),
            2.0);
        const MetricFamily* incidents = family(parsed.families, u"quota_abuse_incidents"_s + t);
        QVERIFY(incidents);
        QCOMPARE(
            sampleValue(*incidents, u"quota_abuse_incidents_total"_s, u"pattern"_s, u"ip_flood"_s),
            1.0);
        QCOMPARE(sampleValue(*incidents, u"quota_abuse_incidents_total"_s, u"pattern"_s,
                     u"bot_user_agent"_s),
            0.0);
        if (om) {
            QVERIFY(page.endsWith("# EOF\n"));
            QCOMPARE(histogram->unit, u"seconds"_s);
        }
    }

    void promtoolAcceptsTheTextPage()
    {
        const QString tool = promtool();
        if (tool.isEmpty())
            QSKIP("promtool is not installed (Debian package prometheus)");
        MetricsRegistry registry;
        fill(registry);
        for (const bool empty : { true, false }) {
            MetricsRegistry blank;
            QProcess process;
            process.start(tool, { u"check"_s, u"metrics"_s });
            QVERIFY(process.waitForStarted());
            process.write((empty ? blank : registry).render(ExpositionFormat::PrometheusText));
            process.closeWriteChannel();
            QVERIFY(process.waitForFinished(30000));
            const QString output = QString::fromUtf8(
                process.readAllStandardOutput() + process.readAllStandardError());
            QVERIFY2(process.exitCode() == 0 && output.trimmed().isEmpty(), qPrintable(output));
        }
    }

    void negotiation_data()
    {
        QTest::addColumn<QByteArray>("accept");
        QTest::addColumn<ExpositionFormat>("format");
        QTest::newRow("Prometheus 2.42")
            << QByteArray(qc::metrics::kScrapeAcceptHeader) << ExpositionFormat::OpenMetrics;
        QTest::newRow("none") << QByteArray() << ExpositionFormat::PrometheusText;
        QTest::newRow("curl */*") << "*/*"_ba << ExpositionFormat::PrometheusText;
        QTest::newRow("text only") << "text/plain"_ba << ExpositionFormat::PrometheusText;
        QTest::newRow("openmetrics")
            << "application/openmetrics-text"_ba << ExpositionFormat::OpenMetrics;
        QTest::newRow("openmetrics refused")
            << "application/openmetrics-text;q=0, */*"_ba << ExpositionFormat::PrometheusText;
        QTest::newRow("text preferred") << "application/openmetrics-text;q=0.3, text/plain;q=0.9"_ba
                                        << ExpositionFormat::PrometheusText;
        QTest::newRow("other openmetrics version only")
            << "application/openmetrics-text;version=0.0.1"_ba << ExpositionFormat::PrometheusText;
        QTest::newRow("case and spaces")
            << "Application/OpenMetrics-Text ; Version=1.0.0 ; q=0.8 , "
               "text/plain;q=0.5"_ba
            << ExpositionFormat::OpenMetrics;
        QTest::newRow("json only") << "application/json"_ba << ExpositionFormat::PrometheusText;
    }

    void negotiation()
    {
        QFETCH(QByteArray, accept);
        QFETCH(ExpositionFormat, format);
        QCOMPARE(qc::live::negotiateExposition(accept), format);
    }

    void gzipNegotiation()
    {
        QVERIFY(qc::live::acceptsGzip("gzip"));
        QVERIFY(qc::live::acceptsGzip("deflate, gzip;q=0.5"));
        QVERIFY(qc::live::acceptsGzip("*"));
        QVERIFY(!qc::live::acceptsGzip(""));
        QVERIFY(!qc::live::acceptsGzip("gzip;q=0, *"));
        QVERIFY(!qc::live::acceptsGzip("identity"));
    }

    // The project's own scraper (Prometheus' Accept header, gzip) reads the endpoint.
    void scrapedLikePrometheus()
    {
        MetricsRegistry registry;
        fill(registry);
        MetricsServer server(&registry);
        QCOMPARE(server.listen(), QString());
        QVERIFY(server.url().toString().startsWith(u"http://127.0.0.1:"_s));
        QNetworkAccessManager network;
        qc::metrics::Scraper scraper(&network);
        QSignalSpy finished(&scraper, &qc::metrics::Scraper::finished);
        scraper.scrape({ server.url(), {}, std::chrono::seconds(5) });
        QVERIFY(finished.wait(10000));
        const auto result = finished.first().first().value<qc::metrics::ScrapeResult>();
        QVERIFY2(result.health.up, qPrintable(result.health.error));
        QCOMPARE(result.format, ExpositionFormat::OpenMetrics);
        QVERIFY(result.contentType.startsWith("application/openmetrics-text; version=1.0.0"));
        QCOMPARE(result.families.size(), std::size_t(8));
        QCOMPARE(server.scrapes(), std::uint64_t(1));
    }

    void httpBehaviour()
    {
        MetricsRegistry registry;
        fill(registry);
        MetricsServer server(&registry);
        QCOMPARE(server.listen(), QString());
        QTcpSocket socket;
        socket.connectToHost(u"127.0.0.1"_s, server.port());
        QVERIFY(QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }));

        // Two pipelined requests on one connection: both answered, the connection stays open.
        const QByteArray two = exchange(socket,
            "GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: text/plain\r\n\r\n"
            "GET /metrics?x=1 HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n",
            2);
        QCOMPARE(two.count("HTTP/1.1 200 OK"), 2);
        QVERIFY(two.contains("Content-Type: text/plain; version=0.0.4; charset=utf-8"));
        QVERIFY(two.contains("Content-Encoding: gzip"));
        QVERIFY(two.contains("Connection: keep-alive"));
        const qsizetype gz = two.lastIndexOf("\r\n\r\n") + 4;
        const auto inflated = qc::metrics::gunzip(QByteArrayView(two).sliced(gz));
        QVERIFY2(inflated.error.isEmpty(), qPrintable(inflated.error));
        QCOMPARE(inflated.bytes, registry.render(ExpositionFormat::PrometheusText));
        QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);

        const QByteArray notFound = exchange(socket, "GET /other HTTP/1.1\r\n\r\n", 1);
        QVERIFY(notFound.startsWith("HTTP/1.1 404 Not Found"));
        const QByteArray post
            = exchange(socket, "POST /metrics HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", 1);
        QVERIFY(post.startsWith("HTTP/1.1 405"));
        QVERIFY(post.contains("Allow: GET, HEAD"));
        const QByteArray head = exchange(socket, "HEAD /metrics HTTP/1.1\r\n\r\n", 1, true);
        QVERIFY(head.startsWith("HTTP/1.1 200 OK"));
        QVERIFY(head.endsWith("\r\n\r\n")); // no body
        QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);

        // Connection: close is honoured.
        const QByteArray closing
            = exchange(socket, "GET /metrics HTTP/1.1\r\nConnection: close\r\n\r\n", 1);
        QVERIFY(closing.contains("Connection: close"));
        QVERIFY(closed(socket));

        // HTTP/1.0 closes after the answer; garbage gets 400 and a close.
        QTcpSocket old;
        old.connectToHost(u"127.0.0.1"_s, server.port());
        QVERIFY(QTest::qWaitFor([&] { return old.state() == QAbstractSocket::ConnectedState; }));
        QVERIFY(exchange(old, "GET /metrics HTTP/1.0\r\n\r\n", 1).contains("Connection: close"));
        QVERIFY(closed(old));
        QTcpSocket bad;
        bad.connectToHost(u"127.0.0.1"_s, server.port());
        QVERIFY(QTest::qWaitFor([&] { return bad.state() == QAbstractSocket::ConnectedState; }));
        QVERIFY(exchange(bad, "NONSENSE\r\n\r\n", 1).startsWith("HTTP/1.1 400"));
        QVERIFY(closed(bad));
    }

    void busyPortIsAnError()
    {
        MetricsRegistry registry;
        MetricsServer first(&registry);
        QCOMPARE(first.listen(), QString());
        MetricsServer second(&registry);
        const QString error = second.listen(QHostAddress(QHostAddress::LocalHost), first.port());
        QVERIFY2(error.contains(QString::number(first.port())), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestMetricsExposition)
#include "tst_metricsexposition.moc"
