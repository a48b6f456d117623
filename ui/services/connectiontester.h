#pragma once

#include "db/connectioncheck.h"
#include "db/migrator.h"
#include "services/connectionprofile.h"

#include <QObject>
#include <QPointer>

class QNetworkAccessManager;
class QNetworkReply;

namespace qc::services {

/// The outcome of testing one HTTP endpoint of a profile.
struct HttpCheck {
    enum class Problem {
        None,
        InvalidUrl,
        HostNotFound, // DNS
        Refused,
        Timeout,
        Tls, // handshake, untrusted or mismatching certificate, client certificate refused
        Authentication, // 401
        Forbidden, // 403
        NotFound, // 404: probably the wrong path
        HttpError, // another non-2xx status
        BadContent, // answered, but not what that kind of endpoint answers
        Other,
    };
    Problem problem = Problem::None;
    QString message; // a sentence a person can act on
    QString detail; // e.g. "12 families, 3 of them quota metrics", "Prometheus 2.42.0"
    bool ok() const { return problem == Problem::None; }
};

/// Runs the profile editor's "Test connection" buttons: each part of a profile on its own,
/// without blocking the GUI (the database check runs on a pool thread, HTTP asynchronously).
/// Results arrive as signals carrying value structs and the request id they answer.
class ConnectionTester final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY(ConnectionTester)
public:
    enum class HttpKind { Metrics, Prometheus, Alertmanager };

    explicit ConnectionTester(QNetworkAccessManager* network, QObject* parent = nullptr);
    ~ConnectionTester() override;

    /// Checks reachability, login, role and schema (db::checkConnection). Returns a request id.
    quint64 testDatabase(const QString& conninfo, const QString& password);
    /// Fetches the endpoint the way the console will use it (/metrics, Prometheus'
    /// /api/v1/status/buildinfo, Alertmanager's /api/v2/status) with its authentication.
    quint64 testHttp(HttpKind kind, const HttpEndpoint& endpoint, const QString& secret);
    /// Applies the pending migrations to that database (offered only when the check said the
    /// account may).
    quint64 migrate(const QString& conninfo, const QString& password);

    /// Classifies a finished reply (exposed for tests).
    static HttpCheck classifyReply(QNetworkReply* reply);

Q_SIGNALS:
    void databaseTested(quint64 id, const qc::db::ConnectionCheck& check);
    void httpTested(quint64 id, const qc::services::HttpCheck& check);
    void migrated(quint64 id, const qc::db::MigrationRun& run);

private:
    void inspectBody(quint64 id, HttpKind kind, const QByteArray& body, const QByteArray& type);

    QPointer<QNetworkAccessManager> m_network;
    quint64 m_nextId = 0;
};

} // namespace qc::services

Q_DECLARE_METATYPE(qc::db::ConnectionCheck)
Q_DECLARE_METATYPE(qc::services::HttpCheck)
