#include "metrics/scraper.h"

#include "metrics/gzip.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

namespace qc::metrics {

using namespace Qt::StringLiterals;

Scraper::Scraper(QNetworkAccessManager* network, QObject* parent)
    : QObject(parent)
    , m_network(network)
{
}

Scraper::~Scraper() = default;

quint64 Scraper::scrape(const ScrapeTarget& target)
{
    const quint64 id = ++m_nextId;
    QNetworkRequest request(target.url);
    request.setRawHeader("Accept", kScrapeAcceptHeader);
    // Set by hand so that Qt hands over the raw body: we inflate it ourselves and can then
    // tell a corrupt gzip body from a bad exposition, and cap the inflated size.
    request.setRawHeader("Accept-Encoding", "gzip");
    request.setRawHeader("User-Agent", "QuotaConsole/0.1");
    request.setAttribute(
        QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setTransferTimeout(int(target.timeout.count()));
    target.auth.apply(request);

    const QDateTime started = QDateTime::currentDateTimeUtc();
    QElapsedTimer clock;
    clock.start();
    const qint64 startedMs = clock.msecsSinceReference();
    if (!m_network) {
        ScrapeResult result;
        result.id = id;
        result.health
            = EndpointHealth { target.url, false, started, {}, u"no network access manager"_s };
        QTimer::singleShot(0, this, [this, result] { Q_EMIT finished(result); });
        return id;
    }
    QNetworkReply* reply = m_network->get(request);
    const QUrl url = target.url;
    connect(reply, &QNetworkReply::finished, this, [this, reply, id, url, started, startedMs] {
        handleReply(reply, id, url, started, startedMs);
    });
    return id;
}

void Scraper::handleReply(
    QNetworkReply* reply, quint64 id, const QUrl& url, const QDateTime& started, qint64 startedMs)
{
    reply->deleteLater();
    QElapsedTimer now;
    now.start();
    ScrapeResult result;
    result.id = id;
    result.health.url = url;
    result.health.lastScrape = started;
    result.health.duration
        = std::chrono::milliseconds(std::max<qint64>(0, now.msecsSinceReference() - startedMs));
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->error() == QNetworkReply::OperationCanceledError
        || reply->error() == QNetworkReply::TimeoutError) {
        result.health.error
            = u"no answer from "_s % url.toDisplayString() % u" within the scrape timeout"_s;
        Q_EMIT finished(result);
        return;
    }
    if (status != 0 && (status < 200 || status > 299)) {
        result.health.error = u"server returned HTTP status "_s % QString::number(status) % u' '
            % reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        Q_EMIT finished(result);
        return;
    }
    if (reply->error() != QNetworkReply::NoError) {
        result.health.error = reply->errorString();
        Q_EMIT finished(result);
        return;
    }
    QByteArray body = reply->readAll();
    if (reply->rawHeader("Content-Encoding").trimmed().compare("gzip", Qt::CaseInsensitive) == 0) {
        DecodedBody decoded = gunzip(body);
        if (!decoded.error.isEmpty()) {
            result.health.error = decoded.error;
            Q_EMIT finished(result);
            return;
        }
        body = std::move(decoded.bytes);
    }
    result.contentType = reply->rawHeader("Content-Type");
    result.bodyBytes = body.size();
    result.format = m_formatOverride.value_or(formatFromContentType(result.contentType));
    ParseResult parsed = parseExposition(body, result.format);
    if (parsed.error) {
        result.health.error = u"invalid exposition at line "_s % parsed.error->toString();
        result.parseError = std::move(parsed.error);
    } else {
        result.health.up = true;
        result.families = std::move(parsed.families);
    }
    Q_EMIT finished(result);
}

} // namespace qc::metrics
