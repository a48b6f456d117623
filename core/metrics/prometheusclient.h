#pragma once

#include "metrics/httpauth.h"
#include "metrics/metricfamily.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <chrono>

class QNetworkAccessManager;
class QNetworkReply;

namespace qc::metrics {

/// One point of a range query: milliseconds since the epoch and the value.
struct Point {
    qint64 timestampMs = 0;
    double value = 0;
};

/// One series of a query answer; instant vectors have exactly one point.
struct QuerySeries {
    Labels labels; // including __name__ when the answer has it
    std::vector<Point> points;
};

/// The answer to `/api/v1/query` or `/api/v1/query_range`.
struct QueryResult {
    enum class Type { Vector, Matrix, Scalar, String, None };
    quint64 id = 0;
    Type type = Type::None;
    std::vector<QuerySeries> series; // vector, matrix, or one unlabelled series for a scalar
    QString stringValue; // for a string answer
    QStringList warnings;
    QString error; // empty on success
    QString errorType; // the API's errorType ("bad_data", "timeout", ...) or "network"/"http"

    bool ok() const { return error.isEmpty(); }
};

/// A client of the Prometheus HTTP API (v1) for history: instant and range queries, answered
/// as `finished` signals carrying value structs.
class PrometheusClient final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY(PrometheusClient)
public:
    /// `baseUrl` is the server root (e.g. http://prometheus:9090/); `network` must outlive
    /// the client.
    PrometheusClient(QNetworkAccessManager* network, QUrl baseUrl, HttpAuth auth = {},
        QObject* parent = nullptr);
    ~PrometheusClient() override;

    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }

    /// `/api/v1/query`; `time` empty = now on the server. Returns the generation id.
    quint64 query(const QString& expression, const QDateTime& time = {});
    /// `/api/v1/query_range` from `start` to `end` every `step`.
    quint64 queryRange(const QString& expression, const QDateTime& start, const QDateTime& end,
        std::chrono::milliseconds step);

    /// Parses an API answer (exposed for tests and for answers read from files).
    static QueryResult parseResponse(const QByteArray& json, int httpStatus);

Q_SIGNALS:
    void finished(const qc::metrics::QueryResult& result);

private:
    quint64 post(const QString& path, const QList<std::pair<QString, QString>>& form);

    QPointer<QNetworkAccessManager> m_network;
    QUrl m_baseUrl;
    HttpAuth m_auth;
    std::chrono::milliseconds m_timeout { 30000 };
    quint64 m_nextId = 0;
};

} // namespace qc::metrics
