#include "dashboardfeed.h"

#include "metrics/prometheusclient.h"
#include "services/databaseworker.h"
#include "services/logging.h"
#include "services/metricspoller.h"
#include "services/session.h"

#include <QTimer>

namespace qc::services {

using namespace Qt::StringLiterals;

namespace {

const QString kChannel = u"dashboard/refresh"_s;

// A rate window of at least two scrape intervals (Prometheus' usual 15 s, twice over) and
// of the chart's step, so that every step is covered.
QString rateWindow(std::chrono::seconds step)
{
    const qint64 seconds = qMax<qint64>(120, step.count());
    return QString::number(seconds) + u's';
}

} // namespace

DashboardFeed::DashboardFeed(Session* session, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &DashboardFeed::refresh);
    if (MetricsPoller* poller = session->metrics()) {
        connect(poller, &MetricsPoller::updated, this, &DashboardFeed::liveChanged);
        connect(poller, &MetricsPoller::endpointsChanged, this, &DashboardFeed::liveChanged);
    }
    if (metrics::PrometheusClient* prometheus = session->prometheus()) {
        connect(prometheus, &metrics::PrometheusClient::finished, this,
            [this](const metrics::QueryResult& r) {
                if (r.id != m_p95Query && r.id != m_requestsQuery)
                    return;
                std::vector<metrics::Point> points;
                if (r.ok() && !r.series.empty())
                    points = r.series.front().points;
                if (r.id == m_p95Query) {
                    m_history.p95Ms = std::move(points);
                    m_p95Query = 0;
                } else {
                    m_history.requestsPerMinute = std::move(points);
                    m_requestsQuery = 0;
                }
                if (!r.ok())
                    m_history.error = r.error;
                if (m_p95Query == 0 && m_requestsQuery == 0) {
                    m_history.fetchedAt = QDateTime::currentDateTimeUtc();
                    Q_EMIT historyChanged();
                }
            });
    }
    // When the database is (back) up, do not wait for the next tick.
    if (DatabaseWorker* reader = session->reader()) {
        connect(reader, &DatabaseWorker::stateChanged, this, [this](const ConnectionState& s) {
            if (s.isConnected() && (m_waiting || (m_started && (!m_hasData || !m_error.isEmpty()))))
                refresh();
        });
    }
}

DashboardFeed::~DashboardFeed() = default;

void DashboardFeed::setRange(const TimeRange& range)
{
    if (range == m_range && m_hasData)
        return;
    m_range = range;
    m_hasData = false; // the old data is of another range
    m_inFlight = false; // a newer post supersedes the one in flight
    Q_EMIT dataChanged();
    refresh();
}

void DashboardFeed::setRefreshInterval(std::chrono::seconds interval)
{
    m_interval = std::max(interval, std::chrono::seconds(1));
    scheduleNext();
}

void DashboardFeed::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    if (paused)
        m_timer->stop();
    else
        refresh();
    Q_EMIT statusChanged();
}

void DashboardFeed::start()
{
    m_started = true;
    refresh();
}

void DashboardFeed::stop()
{
    m_started = false;
    m_timer->stop();
}

void DashboardFeed::refresh()
{
    m_timer->stop();
    if (!m_session || !m_session->reader())
        return;
    if (m_inFlight) {
        scheduleNext();
        return;
    }
    // Before the first connection is made there is nothing to ask yet: the state change
    // triggers the refresh. (While reconnecting, the job is answered at once as stale.)
    const ConnectionState state = m_session->reader()->state();
    const bool starting = state.status == ConnectionState::Status::Idle
        || (state.status == ConnectionState::Status::Connecting && state.failedAttempts == 0);
    m_waiting = starting;
    if (starting) {
        Q_EMIT statusChanged();
        return;
    }
    const db::DashboardRange range = m_range.resolve(m_session->now());
    m_inFlight = true;
    m_lastAttempt = QDateTime::currentDateTimeUtc();
    Q_EMIT statusChanged();
    m_session->reader()->post<db::DashboardResult>(
        kChannel, this, [range](QSqlDatabase& db) { return db::readDashboard(db, range); },
        [this](const JobOutcome<db::DashboardResult>& o) {
            onAnswer(o.value, o.ran() ? o.value.error : o.error);
        });
    queryPrometheus(range);
}

void DashboardFeed::onAnswer(const db::DashboardResult& result, const QString& error)
{
    m_inFlight = false;
    if (error.isEmpty()) {
        m_data = result.data;
        m_hasData = true;
        m_error.clear();
        Q_EMIT dataChanged();
    } else {
        if (error != m_error)
            logger()->warn("dashboard refresh failed: {}", toLog(error));
        m_error = error;
    }
    Q_EMIT statusChanged();
    scheduleNext();
}

void DashboardFeed::scheduleNext()
{
    if (!m_started || m_paused || !m_range.isRolling() || m_inFlight)
        return;
    m_timer->start(int(std::chrono::milliseconds(m_interval).count()));
}

void DashboardFeed::queryPrometheus(const db::DashboardRange& range)
{
    metrics::PrometheusClient* prometheus = m_session ? m_session->prometheus() : nullptr;
    if (!prometheus || m_p95Query || m_requestsQuery)
        return;
    const QString window = rateWindow(range.step);
    // Evaluation times counted back from the end, so that the newest point is "now".
    const qint64 step = range.step.count();
    const qint64 steps = std::max<qint64>(1, range.start.secsTo(range.end) / step);
    const QDateTime start = range.end.addSecs(-steps * step);
    m_p95Query = prometheus->queryRange(
        u"histogram_quantile(0.95, sum by (le) (rate(quota_check_duration_seconds_bucket[%1]))) "
        "* 1000"_s.arg(window),
        start, range.end, range.step);
    m_requestsQuery = prometheus->queryRange(
        u"sum(rate(quota_decisions_total[%1])) * 60"_s.arg(window), start, range.end, range.step);
    m_history.error.clear();
}

bool DashboardFeed::isStale() const
{
    if (!m_hasData)
        return false;
    if (!m_error.isEmpty())
        return true;
    if (!m_range.isRolling() || m_paused)
        return false;
    const qint64 age = m_data.fetchedAt.secsTo(QDateTime::currentDateTimeUtc());
    return age > 3 * m_interval.count() + 30;
}

std::optional<LiveMetrics> DashboardFeed::freshLive() const
{
    MetricsPoller* poller = m_session ? m_session->metrics() : nullptr;
    if (!poller)
        return std::nullopt;
    LiveMetrics m = poller->latest();
    m.endpointsTotal = int(poller->endpoints().size());
    m.endpointsUp = 0;
    for (const EndpointStatus& e : poller->endpoints())
        m.endpointsUp += e.health.up ? 1 : 0;
    const qint64 maxAge
        = 3 * std::chrono::duration_cast<std::chrono::seconds>(poller->interval()).count() + 5;
    if (!m.hasData() || m.at.secsTo(QDateTime::currentDateTimeUtc()) > maxAge) {
        // Only the endpoint counts are current.
        LiveMetrics counts;
        counts.endpointsTotal = m.endpointsTotal;
        counts.endpointsUp = m.endpointsUp;
        return counts;
    }
    return m;
}

QList<LiveMetrics> DashboardFeed::liveHistory() const
{
    MetricsPoller* poller = m_session ? m_session->metrics() : nullptr;
    return poller ? poller->history() : QList<LiveMetrics>();
}

QList<EndpointStatus> DashboardFeed::endpoints() const
{
    MetricsPoller* poller = m_session ? m_session->metrics() : nullptr;
    return poller ? poller->endpoints() : QList<EndpointStatus>();
}

bool DashboardFeed::hasPrometheus() const
{
    return m_session && m_session->prometheus();
}

} // namespace qc::services
