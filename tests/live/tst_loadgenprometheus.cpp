// A real Prometheus (/usr/bin/prometheus on 127.0.0.1, temporary storage, 1 s scrapes)
// scrapes loadgen while it plays traffic against a real PostgreSQL. What PromQL reports —
// the p95 quota-check latency (histogram_quantile) and the denial rate — must agree with the
// request logs: exactly over the whole run, and for an interval between two scrapes within the
// histogram's bucket resolution.

#include "live/loadgenerator.h"
#include "live/metricsregistry.h"
#include "live/metricsserver.h"
#include "livetests.h"
#include "metrics/prometheusclient.h"
#include "metrics/quantile.h"

#include <QDateTime>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using qc::livetest::scalar;
using qc::metrics::PrometheusClient;
using qc::metrics::QueryResult;
using qc::testsupport::TestCluster;

namespace {

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

QueryResult query(PrometheusClient& client, const QString& expression, const QDateTime& at = {})
{
    QSignalSpy finished(&client, &PrometheusClient::finished);
    client.query(expression, at);
    if (!finished.wait(10000)) {
        QueryResult timeout;
        timeout.error = u"no answer"_s;
        return timeout;
    }
    return finished.first().first().value<QueryResult>();
}

// The value of a one-series instant vector (or scalar); NaN when there is none.
double value(const QueryResult& r)
{
    if (!r.ok() || r.series.size() != 1 || r.series[0].points.empty())
        return std::nan("");
    return r.series[0].points.back().value;
}

// The p95 of the database's latencies in (from, to] (epoch ms; no bound = all), bucketed as
// the metric is.
double databaseP95(QSqlDatabase db, qint64 from, qint64 to, double* bucketWidth)
{
    std::vector<double> counts(qc::live::kCheckBucketCount, 0);
    QSqlQuery q(db);
    q.prepare(u"SELECT quota_check_ms FROM quota.request_logs WHERE ts > timestamptz 'epoch' + "
              "?::bigint * interval '1 millisecond' AND ts <= timestamptz 'epoch' + ?::bigint * "
              "interval '1 millisecond'"_s);
    q.addBindValue(from);
    q.addBindValue(to);
    if (!q.exec())
        return std::nan("");
    while (q.next())
        ++counts[std::size_t(qc::live::checkBucketOf(q.value(0).toDouble()))];
    std::vector<qc::metrics::Bucket> buckets;
    double cumulative = 0;
    for (int i = 0; i < qc::live::kCheckBucketCount; ++i) {
        cumulative += counts[std::size_t(i)];
        buckets.push_back({ i < int(qc::live::kCheckBoundsMs.size())
                ? qc::live::kCheckBoundsMs[std::size_t(i)] / 1000
                : std::numeric_limits<double>::infinity(),
            cumulative });
    }
    const double p95 = qc::metrics::bucketQuantile(0.95, buckets);
    *bucketWidth = 0;
    for (std::size_t i = 0; i < buckets.size(); ++i) {
        if (p95 <= buckets[i].upperBound) {
            *bucketWidth = buckets[i].upperBound - (i > 0 ? buckets[i - 1].upperBound : 0);
            break;
        }
    }
    return p95;
}

double databaseDenialRate(QSqlDatabase db, qint64 from, qint64 to)
{
    const auto r = qc::testsupport::sqlCall(db,
        u"SELECT avg((decision = 'denied')::int) FROM quota.request_logs WHERE ts > timestamptz "
        "'epoch' + ?::bigint * interval '1 millisecond' AND ts <= timestamptz 'epoch' + "
        "?::bigint * interval '1 millisecond'"_s,
        { from, to });
    return r.value().toDouble();
}

} // namespace

class TestLoadgenPrometheus : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (!QFile::exists(u"/usr/bin/prometheus"_s))
            QSKIP("/usr/bin/prometheus is not installed (Debian package prometheus)");
        QC_REQUIRE_CLUSTER();
    }
    void cleanup() { TestCluster::instance().cleanup(); }

    void promqlAgreesWithTheDatabase()
    {
        const QString name = qc::livetest::databaseWithDefaultPolicy();
        QVERIFY(!name.isEmpty());
        qc::live::MetricsRegistry registry;
        qc::live::MetricsServer server(&registry);
        QCOMPARE(server.listen(), QString());

        QTemporaryDir dir;
        QFile config(dir.filePath(u"prometheus.yml"_s));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                     "  evaluation_interval: 1s\nscrape_configs:\n  - job_name: loadgen\n"
                     "    static_configs:\n      - targets: ['127.0.0.1:"
            + QByteArray::number(server.port()) + "']\n");
        config.close();
        const quint16 port = freePort();
        QProcess prometheus;
        prometheus.setProcessChannelMode(QProcess::MergedChannels);
        prometheus.start(u"/usr/bin/prometheus"_s,
            { u"--config.file="_s + config.fileName(),
                u"--storage.tsdb.path="_s + dir.filePath(u"data"_s),
                u"--web.listen-address=127.0.0.1:"_s + QString::number(port),
                u"--log.level=warn"_s });
        QVERIFY(prometheus.waitForStarted());
        const auto stopPrometheus = qScopeGuard([&] {
            prometheus.terminate();
            if (!prometheus.waitForFinished(10000))
                prometheus.kill();
        });
        QNetworkAccessManager network;
        const QUrl base(u"http://127.0.0.1:%1/"_s.arg(port));
        PrometheusClient client(&network, base);
        // Ready when it has scraped loadgen once (the endpoint is up before traffic starts).
        QVERIFY2(QTest::qWaitFor(
                     [&] { return value(query(client, u"up{job=\"loadgen\"}"_s)) == 1; }, 30000),
            prometheus.readAll().constData());

        qc::live::LoadOptions options;
        options.conninfo = TestCluster::instance().conninfo(name).toStdString();
        options.rate = 100;
        options.diurnal = false;
        options.durationMs = 10000;
        options.connections = 4;
        QString error;
        // A bot burst from one /24 keeps the denial rate well above zero.
        options.scenarios = { *qc::live::parseLiveScenario(u"bot_burst@0:10s:80"_s, &error) };
        const qint64 startedAt = QDateTime::currentMSecsSinceEpoch();
        qc::live::LoadGenerator generator(options, &registry);
        QCOMPARE(generator.start(), QString());
        QVERIFY(QTest::qWaitFor([&] { return generator.isFinished(); }, 60000));
        const qc::live::LoadSummary summary = generator.wait();
        QCOMPARE(summary.progress.logged, summary.progress.decided);
        // Wait for the scrape that sees the final values.
        const double total = double(registry.snapshot().checkCount);
        QVERIFY(QTest::qWaitFor(
            [&] { return value(query(client, u"quota_check_duration_seconds_count"_s)) == total; },
            15000));
        QSqlDatabase db = TestCluster::instance().open(name);

        // The whole run: the same buckets, so the very same numbers.
        double width = 0;
        const double dbP95 = databaseP95(db, 0, qint64(4102444800000) /* 2100 */, &width);
        const double promP95 = value(query(client,
            u"histogram_quantile(0.95, sum by (le) (quota_check_duration_seconds_bucket))"_s));
        QVERIFY2(std::abs(promP95 - dbP95) < 1e-12,
            qPrintable(u"PromQL %1 s, database %2 s"_s.arg(promP95).arg(dbP95)));
        const double dbDenial = databaseDenialRate(db, 0, qint64(4102444800000) /* 2100 */);
        const double promDenial = value(query(client,
            u"sum(quota_decisions_total{decision=\"denied\"}) / sum(quota_decisions_total)"_s));
        QVERIFY2(dbDenial > 0.05 && std::abs(promDenial - dbDenial) < 1e-12,
            qPrintable(u"PromQL %1, database %2"_s.arg(promDenial).arg(dbDenial)));

        // An interval between two scrapes in the middle of the run, by their timestamps.
        const QueryResult samples = query(client, u"quota_check_duration_seconds_count[1m]"_s);
        QVERIFY2(samples.ok() && samples.series.size() == 1, qPrintable(samples.error));
        qint64 from = 0;
        qint64 to = 0;
        for (const auto& point : samples.series[0].points) {
            if (!from && point.timestampMs >= startedAt + 3000)
                from = point.timestampMs;
            if (!to && point.timestampMs >= startedAt + 9000)
                to = point.timestampMs;
        }
        QVERIFY(from > 0 && to > from + 3000);
        // A range reaching 1 ms before the first scrape holds exactly the two scrapes' samples
        // (and whatever lies between), so increase() barely extrapolates.
        const QString range = QString::number(to - from + 1) + u"ms"_s;
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(to, Qt::UTC);
        const double intervalP95 = value(query(client,
            u"histogram_quantile(0.95, sum by (le) (increase(quota_check_duration_seconds_bucket[%1])))"_s
                .arg(range),
            at));
        const double intervalDbP95 = databaseP95(db, from, to, &width);
        QVERIFY2(std::abs(intervalP95 - intervalDbP95) <= width,
            qPrintable(u"PromQL %1 s, database %2 s, bucket width %3 s"_s.arg(intervalP95)
                           .arg(intervalDbP95)
                           .arg(width)));
        const double intervalDenial = value(query(client,
            u"sum(increase(quota_decisions_total{decision=\"denied\"}[%1])) / "
            "sum(increase(quota_decisions_total[%1]))"_s.arg(range),
            at));
        const double intervalDbDenial = databaseDenialRate(db, from, to);
        qInfo("whole run: p95 %.6g s, denial rate %.4f; interval of %lld ms: p95 PromQL %.6g s vs "
              "database %.6g s (bucket %.4g s), denial rate PromQL %.4f vs database %.4f",
            dbP95, dbDenial, static_cast<long long>(to - from), intervalP95, intervalDbP95, width,
            intervalDenial, intervalDbDenial);
        QVERIFY2(std::abs(intervalDenial - intervalDbDenial) < 0.03,
            qPrintable(u"PromQL %1, database %2"_s.arg(intervalDenial).arg(intervalDbDenial)));
    }
};

QTEST_GUILESS_MAIN(TestLoadgenPrometheus)
#include "tst_loadgenprometheus.moc"
