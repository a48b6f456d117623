#pragma once

#include "metrics/httpauth.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>

#include <chrono>

class QNetworkAccessManager;

namespace qc::metrics {

/// One alert as Alertmanager's API v2 lists it (GET /api/v2/alerts).
struct AmAlert {
    QString fingerprint;
    QMap<QString, QString> labels; // alertname, severity, ...
    QMap<QString, QString> annotations;
    QDateTime startsAt; // UTC
    QDateTime endsAt;
    QDateTime updatedAt;
    QString state; // active | suppressed | unprocessed
    QStringList silencedBy; // silence ids
    QStringList inhibitedBy;
    QStringList receivers;
    QString generatorUrl;

    QString name() const { return labels.value(QStringLiteral("alertname")); }
    bool operator==(const AmAlert&) const = default;
};

/// A label matcher of a silence.
struct AmMatcher {
    QString name;
    QString value;
    bool isRegex = false;
    bool isEqual = true;
    bool operator==(const AmMatcher&) const = default;
};

/// A silence (GET /api/v2/silences, POST /api/v2/silences).
struct AmSilence {
    QString id; // empty for a new one
    QList<AmMatcher> matchers;
    QDateTime startsAt;
    QDateTime endsAt;
    QDateTime updatedAt;
    QString createdBy;
    QString comment;
    QString state; // active | pending | expired

    /// Equality matchers for exactly the labels of an alert: the silence of "acknowledge".
    static QList<AmMatcher> matchersFor(const QMap<QString, QString>& labels);
    /// Whether these matchers select exactly `labels` (every label matched by equality, and
    /// nothing else): a silence made by matchersFor() for that alert.
    bool matchesExactly(const QMap<QString, QString>& labels) const;
    bool operator==(const AmSilence&) const = default;
};

/// Every answer carries the id the request returned; `error` is empty on success.
struct AmAlertsResult {
    quint64 id = 0;
    QList<AmAlert> alerts;
    QString error;
    bool ok() const { return error.isEmpty(); }
};
struct AmSilencesResult {
    quint64 id = 0;
    QList<AmSilence> silences;
    QString error;
    bool ok() const { return error.isEmpty(); }
};
/// The outcome of creating, expiring or posting: the silence id when one was made.
struct AmWriteResult {
    quint64 id = 0;
    QString silenceId;
    QString error;
    int httpStatus = 0;
    bool ok() const { return error.isEmpty(); }
};

/// A client of the Alertmanager API v2: list alerts and silences, create and expire silences,
/// post alerts. Answers come as signals carrying value structs and the id (generation) of the
/// request they answer, as PrometheusClient does.
class AlertmanagerClient final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY(AlertmanagerClient)
public:
    /// `baseUrl` is the server root (e.g. http://alertmanager:9093/); `network` must outlive
    /// the client.
    AlertmanagerClient(QNetworkAccessManager* network, QUrl baseUrl, HttpAuth auth = {},
        QObject* parent = nullptr);
    ~AlertmanagerClient() override;

    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    QUrl baseUrl() const { return m_baseUrl; }

    /// GET /api/v2/alerts (active, silenced and inhibited ones). → alertsFetched
    quint64 fetchAlerts();
    /// GET /api/v2/silences. → silencesFetched
    quint64 fetchSilences();
    /// POST /api/v2/silences (a new silence, or an update when `silence.id` is set).
    /// → silenceWritten with the silence id
    quint64 createSilence(const AmSilence& silence);
    /// DELETE /api/v2/silence/{id}: expires it. → silenceWritten
    quint64 expireSilence(const QString& silenceId);
    /// POST /api/v2/alerts (what Prometheus does; tests and the demo use it). → alertsPosted
    quint64 postAlerts(const QList<AmAlert>& alerts);

    /// Parsers of the API's JSON (exposed for tests).
    static AmAlertsResult parseAlerts(const QByteArray& json);
    static AmSilencesResult parseSilences(const QByteArray& json);
    /// RFC 3339 with any number of fraction digits (Alertmanager writes nanoseconds).
    static QDateTime parseTime(const QString& text);
    static QString formatTime(const QDateTime& time);

Q_SIGNALS:
    void alertsFetched(const qc::metrics::AmAlertsResult& result);
    void silencesFetched(const qc::metrics::AmSilencesResult& result);
    void silenceWritten(const qc::metrics::AmWriteResult& result);
    void alertsPosted(const qc::metrics::AmWriteResult& result);

private:
    enum class Verb { Get, Post, Delete };
    using Handler = std::function<void(int status, const QByteArray& body, const QString& error)>;
    void send(Verb verb, const QString& path, const QByteArray& body, Handler handler);

    QPointer<QNetworkAccessManager> m_network;
    QUrl m_baseUrl;
    HttpAuth m_auth;
    std::chrono::milliseconds m_timeout { 15000 };
    quint64 m_nextId = 0;
};

} // namespace qc::metrics

Q_DECLARE_METATYPE(qc::metrics::AmAlertsResult)
Q_DECLARE_METATYPE(qc::metrics::AmSilencesResult)
Q_DECLARE_METATYPE(qc::metrics::AmWriteResult)
