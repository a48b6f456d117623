#include "connectiontester.h"

#include "db/connectionstring.h"
#include "metrics/expositionparser.h"
#include "metrics/scraper.h"
#include "services/logging.h"
#include "services/whenfinished.h"

#include <QCoreApplication>
#include <QFuture>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSqlDatabase>
#include <QSslError>
#include <QUuid>
#include <QtConcurrent/QtConcurrentRun>

namespace qc::services {

using namespace Qt::StringLiterals;

namespace {

QUrl withPath(QUrl base, const QString& path)
{
    QString p = base.path();
    if (!p.endsWith(u'/'))
        p += u'/';
    base.setPath(p + path);
    return base;
}

db::MigrationRun runMigrations(const QString& conninfo, const QString& password)
{
    db::MigrationRun run;
    db::ConnectionString cs = db::ConnectionString::parse(conninfo);
    if (!password.isEmpty())
        cs.setValue(u"password"_s, password);
    if (cs.value(u"connect_timeout"_s).isEmpty())
        cs.setValue(u"connect_timeout"_s, u"10"_s);
    const QString name = u"qc_migrate_"_s + QUuid::createUuid().toString(QUuid::Id128);
    run.error = cs.open(name);
    if (run.error.isEmpty()) {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        db::Migrator migrator(db);
        run = migrator.migrate();
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return run;
}

} // namespace

ConnectionTester::ConnectionTester(QNetworkAccessManager* network, QObject* parent)
    : QObject(parent)
    , m_network(network)
{
    qRegisterMetaType<db::ConnectionCheck>();
    qRegisterMetaType<HttpCheck>();
}

ConnectionTester::~ConnectionTester() = default;

quint64 ConnectionTester::testDatabase(const QString& conninfo, const QString& password)
{
    const quint64 id = ++m_nextId;
    whenFinished(this,
        QtConcurrent::run([conninfo, password] { return db::checkConnection(conninfo, password); }),
        [this, id](const db::ConnectionCheck& check) {
            logger()->info("connection test: {}", check.ok() ? "ok" : toLog(check.message));
            Q_EMIT databaseTested(id, check);
        });
    return id;
}

quint64 ConnectionTester::migrate(const QString& conninfo, const QString& password)
{
    const quint64 id = ++m_nextId;
    whenFinished(this,
        QtConcurrent::run([conninfo, password] { return runMigrations(conninfo, password); }),
        [this, id](const db::MigrationRun& run) { Q_EMIT migrated(id, run); });
    return id;
}

quint64 ConnectionTester::testHttp(
    HttpKind kind, const HttpEndpoint& endpoint, const QString& secret)
{
    const quint64 id = ++m_nextId;
    auto answer = [this, id](HttpCheck check) {
        QMetaObject::invokeMethod(
            this, [this, id, check] { Q_EMIT httpTested(id, check); }, Qt::QueuedConnection);
    };
    if (!endpoint.isSet() || (endpoint.url.scheme() != u"http" && endpoint.url.scheme() != u"https")
        || endpoint.url.host().isEmpty()) {
        answer({ HttpCheck::Problem::InvalidUrl,
            tr("Enter a URL such as https://gateway.example.org:9100/metrics."), {} });
        return id;
    }
    const PreparedAuth auth = prepareAuth(endpoint, secret);
    if (!auth.error.isEmpty()) {
        answer({ HttpCheck::Problem::Tls, auth.error, {} });
        return id;
    }
    if (!m_network) {
        answer({ HttpCheck::Problem::Other, tr("No network access."), {} });
        return id;
    }
    QUrl url = endpoint.url;
    if (kind == HttpKind::Prometheus)
        url = withPath(url, u"api/v1/status/buildinfo"_s);
    else if (kind == HttpKind::Alertmanager)
        url = withPath(url, u"api/v2/status"_s);
    QNetworkRequest request(url);
    if (kind == HttpKind::Metrics)
        request.setRawHeader("Accept", metrics::kScrapeAcceptHeader);
    request.setTransferTimeout(10000);
    request.setAttribute(
        QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    auth.auth.apply(request);
    QNetworkReply* reply = m_network->get(request);
    auto sslErrors = std::make_shared<QStringList>();
    connect(reply, &QNetworkReply::sslErrors, this, [sslErrors](const QList<QSslError>& errors) {
        for (const QSslError& e : errors)
            *sslErrors << e.errorString();
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply, id, kind, sslErrors] {
        reply->deleteLater();
        HttpCheck check = classifyReply(reply);
        if (check.problem == HttpCheck::Problem::Tls && !sslErrors->isEmpty())
            check.message = tr("The TLS handshake failed: %1. Set the CA file for a private CA, "
                               "or check that the certificate matches the host name.")
                                .arg(sslErrors->join(u"; "_s));
        if (!check.ok()) {
            Q_EMIT httpTested(id, check);
            return;
        }
        inspectBody(id, kind, reply->readAll(),
            reply->header(QNetworkRequest::ContentTypeHeader).toByteArray());
    });
    return id;
}

HttpCheck ConnectionTester::classifyReply(QNetworkReply* reply)
{
    HttpCheck c;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QString url = reply->url().toDisplayString();
    switch (reply->error()) {
    case QNetworkReply::NoError:
        break;
    case QNetworkReply::HostNotFoundError:
        c.problem = HttpCheck::Problem::HostNotFound;
        c.message
            = tr("The host name of %1 could not be resolved (DNS). Check its spelling.").arg(url);
        return c;
    case QNetworkReply::ConnectionRefusedError:
        c.problem = HttpCheck::Problem::Refused;
        c.message = tr("%1 refused the connection: nothing listens on that port.").arg(url);
        return c;
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:
        c.problem = HttpCheck::Problem::Timeout;
        c.message = tr("%1 did not answer within 10 s.").arg(url);
        return c;
    case QNetworkReply::SslHandshakeFailedError:
        c.problem = HttpCheck::Problem::Tls;
        c.message = tr("The TLS handshake with %1 failed: %2").arg(url, reply->errorString());
        return c;
    default:
        if (status == 0) {
            c.problem = HttpCheck::Problem::Other;
            c.message = tr("%1: %2").arg(url, reply->errorString());
            return c;
        }
        break;
    }
    if (status == 401) {
        c.problem = HttpCheck::Problem::Authentication;
        c.message = tr("%1 asks for authentication (HTTP 401): check the user, password or "
                       "token.")
                        .arg(url);
    } else if (status == 403) {
        c.problem = HttpCheck::Problem::Forbidden;
        c.message = tr("%1 refused access (HTTP 403): the credentials are valid but not allowed "
                       "there.")
                        .arg(url);
    } else if (status == 404) {
        c.problem = HttpCheck::Problem::NotFound;
        c.message = tr("%1 does not exist (HTTP 404): check the path.").arg(url);
    } else if (status < 200 || status > 299) {
        c.problem = HttpCheck::Problem::HttpError;
        c.message
            = tr("%1 answered HTTP %2 %3.")
                  .arg(url)
                  .arg(status)
                  .arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString());
    }
    return c;
}

void ConnectionTester::inspectBody(
    quint64 id, HttpKind kind, const QByteArray& body, const QByteArray& type)
{
    if (kind == HttpKind::Metrics) {
        // Pages can be megabytes: parse off the GUI thread.
        whenFinished(this, QtConcurrent::run([body, type] {
            HttpCheck c;
            const metrics::ParseResult parsed
                = metrics::parseExposition(body, metrics::formatFromContentType(type));
            if (parsed.error) {
                c.problem = HttpCheck::Problem::BadContent;
                c.message = tr("The page is not a valid metrics exposition: line %1")
                                .arg(parsed.error->toString());
                return c;
            }
            int quota = 0;
            for (const metrics::MetricFamily& f : parsed.families)
                quota += f.name.startsWith(u"quota_"_s) ? 1 : 0;
            c.detail = tr("%1 metric families, %2 of them quota metrics")
                           .arg(parsed.families.size())
                           .arg(quota);
            if (quota == 0) {
                c.problem = HttpCheck::Problem::BadContent;
                c.message = tr("The page has %1 metric families but none of the quota services' "
                               "(quota_decisions_total, quota_check_duration_seconds, ...): is "
                               "this the right endpoint?")
                                .arg(parsed.families.size());
            }
            return c;
        }),
            [this, id](const HttpCheck& c) { Q_EMIT httpTested(id, c); });
        return;
    }
    HttpCheck c;
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    if (kind == HttpKind::Prometheus) {
        const QString version = root.value(u"data"_s).toObject().value(u"version"_s).toString();
        if (root.value(u"status"_s).toString() != u"success" || version.isEmpty()) {
            c.problem = HttpCheck::Problem::BadContent;
            c.message = tr("The server answered, but not like the Prometheus HTTP API: is the "
                           "URL the server's root (e.g. http://prometheus:9090/)?");
        } else {
            c.detail = tr("Prometheus %1").arg(version);
        }
    } else {
        const QString version
            = root.value(u"versionInfo"_s).toObject().value(u"version"_s).toString();
        if (version.isEmpty()) {
            c.problem = HttpCheck::Problem::BadContent;
            c.message = tr("The server answered, but not like the Alertmanager API v2: is the "
                           "URL the server's root (e.g. http://alertmanager:9093/)?");
        } else {
            c.detail = tr("Alertmanager %1").arg(version);
        }
    }
    Q_EMIT httpTested(id, c);
}

} // namespace qc::services
