#pragma once

#include "db/dashboardqueries.h"
#include "services/dashboardseries.h"
#include "services/livemetrics.h"
#include "services/timerange.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>

#include <chrono>
#include <optional>

class QTimer;

namespace qc::services {

class Session;

/// The dashboard's data, kept up to date: the rollup queries for the range (on the session's
/// reader, one refresh in flight at a time, a newer range superseding an older one), the live
/// figures of the metrics poller, and Prometheus history when the profile has a Prometheus.
/// Auto-refreshes rolling ranges while started and not paused. Keeps the last good answer when
/// a refresh fails and says how old it is.
class DashboardFeed final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY(DashboardFeed)
public:
    explicit DashboardFeed(Session* session, QObject* parent = nullptr);
    ~DashboardFeed() override;

    void setRange(const TimeRange& range);
    const TimeRange& range() const { return m_range; }
    void setRefreshInterval(std::chrono::seconds interval);
    std::chrono::seconds refreshInterval() const { return m_interval; }
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }

    /// Starts auto-refreshing (and refreshes now); stop() when the page is hidden.
    void start();
    void stop();
    /// Refreshes now (also when paused).
    void refresh();

    bool hasData() const { return m_hasData; }
    const db::DashboardData& data() const { return m_data; }
    bool isLoading() const { return m_inFlight || m_waiting; }
    /// The last refresh's error (empty when it succeeded).
    QString lastError() const { return m_error; }
    /// When the shown data was read (UTC); invalid before the first answer.
    QDateTime dataTime() const { return m_hasData ? m_data.fetchedAt : QDateTime(); }
    /// The data is older than what the last refresh should have given.
    bool isStale() const;

    /// The poller's latest figures if they are fresh (at most three scrape intervals old).
    std::optional<LiveMetrics> freshLive() const;
    QList<LiveMetrics> liveHistory() const;
    QList<EndpointStatus> endpoints() const;
    bool hasPrometheus() const;
    const PrometheusHistory& history() const { return m_history; }

Q_SIGNALS:
    void dataChanged();
    /// Loading, error or staleness changed.
    void statusChanged();
    void liveChanged();
    void historyChanged();

private:
    void onAnswer(const db::DashboardResult& result, const QString& error);
    void queryPrometheus(const db::DashboardRange& range);
    void scheduleNext();

    QPointer<Session> m_session;
    TimeRange m_range;
    std::chrono::seconds m_interval { 15 };
    bool m_paused = false;
    bool m_started = false;
    bool m_inFlight = false;
    bool m_waiting = false; // for the first connection
    bool m_hasData = false;
    db::DashboardData m_data;
    QString m_error;
    QDateTime m_lastAttempt;
    QTimer* m_timer;
    PrometheusHistory m_history;
    quint64 m_p95Query = 0;
    quint64 m_requestsQuery = 0;
};

} // namespace qc::services
