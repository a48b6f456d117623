#include "metrics/prometheusclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>
#include <cmath>

namespace qc::metrics {

using namespace Qt::StringLiterals;

namespace {

QString formatTime(const QDateTime& time)
{
    // Seconds with millisecond fraction: accepted by every Prometheus version.
    return QString::number(double(time.toMSecsSinceEpoch()) / 1000.0, 'f', 3);
}

bool parsePoint(const QJsonValue& value, Point& point)
{
    const QJsonArray pair = value.toArray();
    if (pair.size() != 2 || !pair[0].isDouble() || !pair[1].isString())
        return false;
    point.timestampMs = qint64(std::llround(pair[0].toDouble() * 1000.0));
    const auto parsed = parseExpositionFloat(pair[1].toString().toLatin1());
    if (!parsed)
        return false;
    point.value = *parsed;
    return true;
}

Labels parseLabels(const QJsonObject& metric)
{
    Labels labels;
    labels.reserve(std::size_t(metric.size()));
    for (auto it = metric.begin(); it != metric.end(); ++it)
        labels.emplace_back(it.key(), it.value().toString());
    std::sort(labels.begin(), labels.end());
    return labels;
}

} // namespace

PrometheusClient::PrometheusClient(
    QNetworkAccessManager* network, QUrl baseUrl, HttpAuth auth, QObject* parent)
    : QObject(parent)
    , m_network(network)
    , m_baseUrl(std::move(baseUrl))
    , m_auth(std::move(auth))
{
}

PrometheusClient::~PrometheusClient() = default;

quint64 PrometheusClient::query(const QString& expression, const QDateTime& time)
{
    QList<std::pair<QString, QString>> form { { u"query"_s, expression } };
    if (time.isValid())
        form.append({ u"time"_s, formatTime(time) });
    return post(u"api/v1/query"_s, form);
}

quint64 PrometheusClient::queryRange(const QString& expression, const QDateTime& start,
    const QDateTime& end, std::chrono::milliseconds step)
{
    return post(u"api/v1/query_range"_s,
        { { u"query"_s, expression }, { u"start"_s, formatTime(start) },
            { u"end"_s, formatTime(end) },
            { u"step"_s, QString::number(double(step.count()) / 1000.0, 'f', 3) } });
}

quint64 PrometheusClient::post(const QString& path, const QList<std::pair<QString, QString>>& form)
{
    const quint64 id = ++m_nextId;
    QUrl url = m_baseUrl;
    QString basePath = url.path();
    if (!basePath.endsWith(u'/'))
        basePath += u'/';
    url.setPath(basePath + path);
    QUrlQuery query;
    for (const auto& [key, value] : form)
        query.addQueryItem(key, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/x-www-form-urlencoded"_s);
    request.setRawHeader("Accept", "application/json");
    request.setTransferTimeout(int(m_timeout.count()));
    m_auth.apply(request);
    if (!m_network) {
        QueryResult result;
        result.id = id;
        result.error = u"no network access manager"_s;
        result.errorType = u"network"_s;
        QTimer::singleShot(0, this, [this, result] { Q_EMIT finished(result); });
        return id;
    }
    QNetworkReply* reply = m_network->post(request, query.toString(QUrl::FullyEncoded).toLatin1());
    connect(reply, &QNetworkReply::finished, this, [this, reply, id, url] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        QueryResult result;
        if (status == 0) {
            result.error = url.toDisplayString(QUrl::RemoveQuery) % u": "_s % reply->errorString();
            result.errorType = u"network"_s;
        } else {
            result = parseResponse(body, status);
        }
        result.id = id;
        Q_EMIT finished(result);
    });
    return id;
}

QueryResult PrometheusClient::parseResponse(const QByteArray& json, int httpStatus)
{
    QueryResult result;
    QJsonParseError jsonError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &jsonError);
    if (document.isNull() || !document.isObject()) {
        result.errorType = u"http"_s;
        result.error = u"HTTP "_s % QString::number(httpStatus)
            % u": the answer is not Prometheus API JSON ("_s
            % (jsonError.error != QJsonParseError::NoError ? jsonError.errorString()
                                                           : u"not an object"_s)
            % u')';
        return result;
    }
    const QJsonObject root = document.object();
    for (const QJsonValue& warning : root.value(u"warnings").toArray())
        result.warnings.append(warning.toString());
    if (root.value(u"status").toString() != u"success") {
        result.errorType = root.value(u"errorType").toString(u"http"_s);
        result.error = root.value(u"error").toString();
        if (result.error.isEmpty())
            result.error
                = u"HTTP "_s % QString::number(httpStatus) % u" without an error message"_s;
        return result;
    }
    const QJsonObject data = root.value(u"data").toObject();
    const QString resultType = data.value(u"resultType").toString();
    const QJsonValue payload = data.value(u"result");
    const auto malformed = [&](const QString& what) {
        result.series.clear();
        result.errorType = u"bad_response"_s;
        result.error = u"malformed "_s % resultType % u" answer: "_s % what;
    };
    if (resultType == u"vector" || resultType == u"matrix") {
        const bool matrix = resultType == u"matrix";
        result.type = matrix ? QueryResult::Type::Matrix : QueryResult::Type::Vector;
        for (const QJsonValue& entry : payload.toArray()) {
            const QJsonObject object = entry.toObject();
            QuerySeries series;
            series.labels = parseLabels(object.value(u"metric").toObject());
            if (matrix) {
                for (const QJsonValue& value : object.value(u"values").toArray()) {
                    Point point;
                    if (!parsePoint(value, point)) {
                        malformed(u"a point is not [time, \"value\"]"_s);
                        return result;
                    }
                    series.points.push_back(point);
                }
            } else {
                Point point;
                if (!parsePoint(object.value(u"value"), point)) {
                    malformed(u"a sample is not [time, \"value\"]"_s);
                    return result;
                }
                series.points.push_back(point);
            }
            result.series.push_back(std::move(series));
        }
    } else if (resultType == u"scalar") {
        result.type = QueryResult::Type::Scalar;
        Point point;
        if (!parsePoint(payload, point)) {
            malformed(u"the scalar is not [time, \"value\"]"_s);
            return result;
        }
        result.series.push_back(QuerySeries { {}, { point } });
    } else if (resultType == u"string") {
        result.type = QueryResult::Type::String;
        result.stringValue = payload.toArray().at(1).toString();
    } else {
        result.errorType = u"bad_response"_s;
        result.error = u"unknown resultType '"_s % resultType % u'\'';
    }
    return result;
}

} // namespace qc::metrics
