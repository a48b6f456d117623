#pragma once

#include <QHostAddress>
#include <QObject>
#include <QUrl>

#include <chrono>
#include <cstdint>

class QTcpServer;
class QTcpSocket;

namespace qc::live {

class MetricsRegistry;

/// A small HTTP/1.1 server for Prometheus: `GET`/`HEAD /metrics` answers the registry in text
/// 0.0.4 or OpenMetrics 1.0 by content negotiation (Accept), gzip-compressed when
/// Accept-Encoding allows it; every other path is 404, other methods 405. Connections stay
/// open between requests (keep-alive, pipelining) until the client closes them, asks to
/// (`Connection: close`, HTTP/1.0) or stays idle past the idle timeout. Runs in the thread
/// that owns it (its event loop); rendering takes the registry's lock only to copy the values.
class MetricsServer final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY(MetricsServer)
public:
    /// `registry` must outlive the server.
    explicit MetricsServer(const MetricsRegistry* registry, QObject* parent = nullptr);
    ~MetricsServer() override;

    /// Listens on `address`:`port` (0 = a free port the system picks). Returns the error, empty
    /// on success.
    QString listen(
        const QHostAddress& address = QHostAddress(QHostAddress::LocalHost), quint16 port = 0);
    void close();
    bool isListening() const;
    quint16 port() const;
    /// http://ADDRESS:PORT/metrics
    QUrl url() const;

    void setIdleTimeout(std::chrono::milliseconds timeout) { m_idleTimeout = timeout; }
    /// Answers to /metrics so far.
    std::uint64_t scrapes() const { return m_scrapes; }

Q_SIGNALS:
    /// After each answer to /metrics has been queued for sending.
    void scraped();

private:
    void accept(QTcpSocket* socket);

    const MetricsRegistry* m_registry;
    QTcpServer* m_server;
    std::chrono::milliseconds m_idleTimeout { 60000 };
    std::uint64_t m_scrapes = 0;
};

} // namespace qc::live
