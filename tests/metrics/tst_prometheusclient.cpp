#include "localhttpserver.h"
#include "metrics/prometheusclient.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

#include <cmath>

using namespace qc::metrics;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(CannedResponse)

namespace {
// Answers recorded from Prometheus 2.42 (trimmed to a few series).
const QByteArray kVector
    = R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","instance":"api-1:9100","job":"quota"},"value":[1700000000.123,"1"]},{"metric":{"__name__":"up","instance":"api-2:9100","job":"quota"},"value":[1700000000.123,"0"]}]}})";
const QByteArray kMatrix
    = R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{"endpoint":"/v1/generate"},"values":[[1700000000,"0.12"],[1700000015,"NaN"],[1700000030,"+Inf"]]}]}})";
const QByteArray kScalar
    = R"({"status":"success","data":{"resultType":"scalar","result":[1700000000.5,"42"]}})";
const QByteArray kString
    = R"({"status":"success","data":{"resultType":"string","result":[1700000000.5,"hello"]}})";
const QByteArray kBadData
    = R"({"status":"error","errorType":"bad_data","error":"1:15: parse error: unexpected right parenthesis ')'"})";
const QByteArray kWarnings
    = R"({"status":"success","warnings":["query hit the sample limit"],"data":{"resultType":"vector","result":[]}})";
} // namespace

class TestPrometheusClient : public QObject {
    Q_OBJECT

private:
    QueryResult await(PrometheusClient& client, quint64 id)
    {
        QSignalSpy spy(&client, &PrometheusClient::finished);
        if (!spy.wait(5000))
            return QueryResult {};
        const auto result = spy.takeFirst().at(0).value<QueryResult>();
        if (result.id != id)
            qWarning("answer for another query");
        return result;
    }

private Q_SLOTS:
    void instantVector()
    {
        LocalHttpServer server;
        server.route("/prom/api/v1/query",
            CannedResponse { 200, { { "Content-Type", "application/json" } }, kVector, false });
        QNetworkAccessManager network;
        PrometheusClient client(&network, QUrl(QString::fromLatin1(server.url("/prom"))));
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(1700000000123, Qt::UTC);
        const QueryResult result
            = await(client, client.query(u"up{job=\"quota\"} == 1 and on() vector(1) > 0"_s, at));
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(result.type, QueryResult::Type::Vector);
        QCOMPARE(result.series.size(), std::size_t(2));
        QCOMPARE(labelValue(result.series[0].labels, u"instance"), u"api-1:9100"_s);
        QCOMPARE(labelValue(result.series[0].labels, u"__name__"), u"up"_s);
        QCOMPARE(result.series[0].points.size(), std::size_t(1));
        QCOMPARE(result.series[0].points[0].timestampMs, qint64(1700000000123));
        QCOMPARE(result.series[1].points[0].value, 0.0);

        // The expression travels form-encoded in a POST, intact.
        QCOMPARE(server.requests().size(), 1);
        const RecordedRequest& request = server.requests().first();
        QCOMPARE(request.method, "POST"_ba);
        QCOMPARE(request.headers.value("content-type"), "application/x-www-form-urlencoded"_ba);
        const QUrlQuery form(QString::fromLatin1(request.body));
        QCOMPARE(form.queryItemValue(u"query"_s, QUrl::FullyDecoded),
            u"up{job=\"quota\"} == 1 and on() vector(1) > 0"_s);
        QCOMPARE(form.queryItemValue(u"time"_s), u"1700000000.123"_s);
    }

    void rangeMatrix()
    {
        LocalHttpServer server;
        server.route("/api/v1/query_range",
            CannedResponse { 200, { { "Content-Type", "application/json" } }, kMatrix, false });
        QNetworkAccessManager network;
        HttpAuth auth;
        auth.kind = HttpAuth::Kind::Bearer;
        auth.token = u"t0k"_s;
        PrometheusClient client(&network, QUrl(QString::fromLatin1(server.url("/"))), auth);
        const QDateTime start = QDateTime::fromSecsSinceEpoch(1700000000, Qt::UTC);
        const QueryResult result = await(client,
            client.queryRange(
                u"histogram_quantile(0.95, sum by (le) (rate(quota_check_duration_seconds_bucket[5m])))"_s,
                start, start.addSecs(30), std::chrono::seconds(15)));
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(result.type, QueryResult::Type::Matrix);
        QCOMPARE(result.series.size(), std::size_t(1));
        const std::vector<Point>& points = result.series[0].points;
        QCOMPARE(points.size(), std::size_t(3));
        QCOMPARE(points[0].value, 0.12);
        QCOMPARE(points[1].timestampMs, qint64(1700000015000));
        QVERIFY(std::isnan(points[1].value));
        QVERIFY(std::isinf(points[2].value));
        const RecordedRequest& request = server.requests().first();
        QCOMPARE(request.headers.value("authorization"), "Bearer t0k"_ba);
        const QUrlQuery form(QString::fromLatin1(request.body));
        QCOMPARE(form.queryItemValue(u"start"_s), u"1700000000.000"_s);
        QCOMPARE(form.queryItemValue(u"end"_s), u"1700000030.000"_s);
        QCOMPARE(form.queryItemValue(u"step"_s), u"15.000"_s);
    }

    void answers_data()
    {
        QTest::addColumn<CannedResponse>("response");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("errorType");
        QTest::addColumn<int>("type");
        QTest::newRow("scalar") << CannedResponse { 200, {}, kScalar, false } << QString()
                                << QString() << int(QueryResult::Type::Scalar);
        QTest::newRow("string") << CannedResponse { 200, {}, kString, false } << QString()
                                << QString() << int(QueryResult::Type::String);
        QTest::newRow("bad_data") << CannedResponse { 400, {}, kBadData, false }
                                  << u"1:15: parse error: unexpected right parenthesis ')'"_s
                                  << u"bad_data"_s << int(QueryResult::Type::None);
        QTest::newRow("not JSON from a proxy")
            << CannedResponse { 502, {}, "<html>Bad Gateway</html>", false }
            << u"HTTP 502: the answer is not Prometheus API JSON"_s << u"http"_s
            << int(QueryResult::Type::None);
        QTest::newRow("malformed sample") << CannedResponse { 200, {},
            R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,2]}]}})",
            false } << u"malformed vector answer"_s
                                          << u"bad_response"_s << int(QueryResult::Type::Vector);
        QTest::newRow("warnings") << CannedResponse { 200, {}, kWarnings, false } << QString()
                                  << QString() << int(QueryResult::Type::Vector);
    }

    void answers()
    {
        QFETCH(CannedResponse, response);
        QFETCH(QString, error);
        QFETCH(QString, errorType);
        QFETCH(int, type);
        LocalHttpServer server;
        server.route("/api/v1/query", response);
        QNetworkAccessManager network;
        PrometheusClient client(&network, QUrl(QString::fromLatin1(server.url(""))));
        const QueryResult result = await(client, client.query(u"x"_s));
        QCOMPARE(int(result.type), type);
        QVERIFY2(result.error.startsWith(error), qPrintable(result.error));
        QCOMPARE(result.errorType, errorType);
        if (qstrcmp(QTest::currentDataTag(), "scalar") == 0) {
            QCOMPARE(result.series.size(), std::size_t(1));
            QCOMPARE(result.series[0].points[0].value, 42.0);
            QCOMPARE(result.series[0].points[0].timestampMs, qint64(1700000000500));
        } else if (qstrcmp(QTest::currentDataTag(), "string") == 0) {
            QCOMPARE(result.stringValue, u"hello"_s);
        } else if (qstrcmp(QTest::currentDataTag(), "warnings") == 0) {
            QCOMPARE(result.warnings, QStringList { u"query hit the sample limit"_s });
        }
    }

    void unreachableServer()
    {
        quint16 port = 0;
        {
            LocalHttpServer closed;
            port = closed.serverPort();
        }
        QNetworkAccessManager network;
        PrometheusClient client(&network, QUrl(u"http://127.0.0.1:"_s % QString::number(port)));
        const QueryResult result = await(client, client.query(u"up"_s));
        QCOMPARE(result.errorType, u"network"_s);
        QVERIFY2(
            result.error.contains(u"refused"_s, Qt::CaseInsensitive), qPrintable(result.error));
    }
};

QTEST_GUILESS_MAIN(TestPrometheusClient)
#include "tst_prometheusclient.moc"
