#pragma once

#include "metrics/expositionparser.h"
#include "metrics/httpauth.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <chrono>

class QNetworkAccessManager;
class QNetworkReply;

namespace qc::metrics {

/// The Accept header Prometheus 2.42 sends when it scrapes.
inline constexpr char kScrapeAcceptHeader[]
    = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
      "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

/// One `/metrics` endpoint and how to reach it.
struct ScrapeTarget {
    QUrl url;
    HttpAuth auth;
    std::chrono::milliseconds timeout { 10000 };
};

/// How an endpoint fared on its last scrape, as shown next to its numbers.
struct EndpointHealth {
    QUrl url;
    bool up = false;
    QDateTime lastScrape; // when the request was sent (UTC)
    std::chrono::milliseconds duration { 0 };
    QString error; // empty when up
};

/// What one scrape produced. `id` is the generation id returned by Scraper::scrape so that
/// answers to superseded requests can be recognised and dropped.
struct ScrapeResult {
    quint64 id = 0;
    EndpointHealth health;
    ExpositionFormat format = ExpositionFormat::PrometheusText;
    QByteArray contentType;
    qsizetype bodyBytes = 0; // after inflating
    std::vector<MetricFamily> families;
    std::optional<ParseError> parseError;
};

/// Scrapes `/metrics` endpoints asynchronously, the way Prometheus does: same Accept header,
/// gzip accepted, the format taken from the Content-Type, a timeout per request.
class Scraper final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY(Scraper)
public:
    /// `network` must outlive the scraper; it is shared so that connections are reused.
    explicit Scraper(QNetworkAccessManager* network, QObject* parent = nullptr);
    ~Scraper() override;

    /// Starts a scrape; the answer comes as `finished` carrying the returned id.
    quint64 scrape(const ScrapeTarget& target);

    /// Makes the given format win over the Content-Type (for endpoints that label OpenMetrics
    /// as text/plain). nullopt restores the Content-Type rule.
    void setFormatOverride(std::optional<ExpositionFormat> format) { m_formatOverride = format; }

Q_SIGNALS:
    void finished(const qc::metrics::ScrapeResult& result);

private:
    void handleReply(QNetworkReply* reply, quint64 id, const QUrl& url, const QDateTime& started,
        qint64 startedMs);

    QPointer<QNetworkAccessManager> m_network;
    quint64 m_nextId = 0;
    std::optional<ExpositionFormat> m_formatOverride;
};

} // namespace qc::metrics
