#pragma once

#include "services/livemetrics.h"

#include <QList>
#include <QObject>

#include <chrono>

class QThread;

namespace qc::services {

/// Scrapes the profile's /metrics endpoints every interval, in a thread of its own (network
/// and parsing never run on the GUI thread), and hands out value structs: the live figures
/// summed across instances, and each endpoint's health.
class MetricsPoller final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY(MetricsPoller)
public:
    struct Target {
        QString id;
        QString name;
        metrics::ScrapeTarget scrape;
    };

    MetricsPoller(
        QList<Target> targets, std::chrono::milliseconds interval, QObject* parent = nullptr);
    ~MetricsPoller() override;

    void start();
    void stop();
    /// Starts a round now (unless one is running).
    void pollNow();
    bool isRunning() const { return m_running; }

    QList<EndpointStatus> endpoints() const { return m_endpoints; }
    LiveMetrics latest() const { return m_latest; }
    /// Up to the last hour of live figures, oldest first.
    QList<LiveMetrics> history() const { return m_history; }
    std::chrono::milliseconds interval() const { return m_interval; }

Q_SIGNALS:
    void updated(const qc::services::LiveMetrics& metrics);
    void endpointsChanged(const QList<qc::services::EndpointStatus>& endpoints);

private:
    class Inner;
    void deliver(const LiveMetrics& metrics, const QList<EndpointStatus>& endpoints);

    std::chrono::milliseconds m_interval;
    Inner* m_inner = nullptr;
    QThread* m_thread = nullptr;
    bool m_running = false;
    QList<EndpointStatus> m_endpoints;
    LiveMetrics m_latest;
    QList<LiveMetrics> m_history;
};

} // namespace qc::services
