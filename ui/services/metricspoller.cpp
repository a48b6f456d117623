#include "metricspoller.h"

#include "services/logging.h"

#include <QHash>
#include <QNetworkAccessManager>
#include <QSet>
#include <QThread>
#include <QTimer>

namespace qc::services {

using namespace Qt::StringLiterals;

// Lives in the poller's thread with its own network access manager.
class MetricsPoller::Inner final : public QObject {
public:
    Inner(QList<Target> targets, std::chrono::milliseconds interval, MetricsPoller* owner)
        : m_targets(std::move(targets))
        , m_interval(interval)
        , m_owner(owner)
    {
        for (const Target& t : std::as_const(m_targets)) {
            EndpointStatus s;
            s.id = t.id;
            s.name = t.name;
            s.url = t.scrape.url;
            s.health.url = t.scrape.url;
            m_status.append(s);
        }
        m_previous.resize(m_targets.size());
    }

    // Called in the thread: objects made here belong to it.
    void setUp()
    {
        m_network = new QNetworkAccessManager(this);
        m_scraper = new metrics::Scraper(m_network, this);
        m_timer = new QTimer(this);
        connect(m_timer, &QTimer::timeout, this, [this] { round(); });
        connect(m_scraper, &metrics::Scraper::finished, this,
            [this](const metrics::ScrapeResult& r) { onResult(r); });
    }

    void start()
    {
        m_timer->start(int(m_interval.count()));
        round();
    }
    void stop() { m_timer->stop(); }

    void round()
    {
        if (!m_pending.isEmpty())
            return; // the previous round is still out; its timeouts bound it
        m_results = QList<std::optional<metrics::ScrapeResult>>(m_targets.size());
        for (int i = 0; i < m_targets.size(); ++i) {
            metrics::ScrapeTarget t = m_targets.at(i).scrape;
            t.timeout = std::min(t.timeout, std::max(m_interval, std::chrono::milliseconds(1000)));
            m_pending.insert(m_scraper->scrape(t), i);
        }
        if (m_targets.isEmpty())
            finish();
    }

private:
    struct Previous {
        std::vector<metrics::MetricFamily> families;
        QDateTime at;
        bool valid = false;
    };

    void onResult(const metrics::ScrapeResult& r)
    {
        const auto it = m_pending.constFind(r.id);
        if (it == m_pending.cend())
            return;
        const int index = it.value();
        m_pending.erase(it);
        m_results[index] = r;
        if (m_pending.isEmpty())
            finish();
    }

    void finish()
    {
        QList<ScrapePair> pairs;
        int up = 0;
        QDateTime newest;
        for (int i = 0; i < m_targets.size(); ++i) {
            std::optional<metrics::ScrapeResult>& r = m_results[i];
            if (!r)
                continue;
            EndpointStatus& s = m_status[i];
            const bool wasUp = s.health.up;
            s.health = r->health;
            s.bodyBytes = r->bodyBytes;
            s.families = int(r->families.size());
            s.scraped = true;
            if (!r->health.up) {
                if (wasUp || !m_warned.contains(i))
                    logger()->warn("metrics endpoint {} ({}): {}", toLog(s.name),
                        toLog(s.url.toDisplayString()), toLog(r->health.error));
                m_warned.insert(i);
                continue;
            }
            m_warned.remove(i);
            ++up;
            Previous& prev = m_previous[i];
            const QDateTime at = r->health.lastScrape;
            if (prev.valid) {
                ScrapePair pair;
                pair.before = std::move(prev.families);
                pair.after = r->families;
                pair.seconds = double(prev.at.msecsTo(at)) / 1000.0;
                pairs.append(std::move(pair));
            }
            prev.families = std::move(r->families);
            prev.at = at;
            prev.valid = true;
            if (!newest.isValid() || at > newest)
                newest = at;
        }
        LiveMetrics m = computeLiveMetrics(pairs);
        m.endpointsTotal = int(m_targets.size());
        m.endpointsUp = up;
        m.at = newest.isValid() ? newest : QDateTime::currentDateTimeUtc();
        const QList<EndpointStatus> status = m_status;
        // The owner outlives this thread (its destructor quits and waits for it), and a queued
        // call to a destroyed object is discarded with it.
        MetricsPoller* owner = m_owner;
        QMetaObject::invokeMethod(
            owner, [owner, m, status] { owner->deliver(m, status); }, Qt::QueuedConnection);
    }

    QList<Target> m_targets;
    std::chrono::milliseconds m_interval;
    MetricsPoller* m_owner;
    QNetworkAccessManager* m_network = nullptr;
    metrics::Scraper* m_scraper = nullptr;
    QTimer* m_timer = nullptr;
    QHash<quint64, int> m_pending; // scrape id → target index
    QList<std::optional<metrics::ScrapeResult>> m_results;
    QList<EndpointStatus> m_status;
    std::vector<Previous> m_previous;
    QSet<int> m_warned;
};

MetricsPoller::MetricsPoller(
    QList<Target> targets, std::chrono::milliseconds interval, QObject* parent)
    : QObject(parent)
    , m_interval(interval)
{
    qRegisterMetaType<LiveMetrics>();
    qRegisterMetaType<EndpointStatus>();
    for (const Target& t : std::as_const(targets)) {
        EndpointStatus s;
        s.id = t.id;
        s.name = t.name;
        s.url = t.scrape.url;
        m_endpoints.append(s);
    }
    m_thread = new QThread(this);
    m_thread->setObjectName(u"metrics"_s);
    m_inner = new Inner(std::move(targets), interval, this);
    m_inner->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_inner, &QObject::deleteLater);
    m_thread->start();
    Inner* inner = m_inner;
    QMetaObject::invokeMethod(
        inner, [inner] { inner->setUp(); }, Qt::QueuedConnection);
}

MetricsPoller::~MetricsPoller()
{
    // Scrapes are bounded by their timeouts and run asynchronously, so the thread's event
    // loop answers quit() promptly.
    m_thread->quit();
    m_thread->wait();
}

void MetricsPoller::start()
{
    m_running = true;
    Inner* inner = m_inner;
    QMetaObject::invokeMethod(
        inner, [inner] { inner->start(); }, Qt::QueuedConnection);
}

void MetricsPoller::stop()
{
    m_running = false;
    Inner* inner = m_inner;
    QMetaObject::invokeMethod(
        inner, [inner] { inner->stop(); }, Qt::QueuedConnection);
}

void MetricsPoller::pollNow()
{
    Inner* inner = m_inner;
    QMetaObject::invokeMethod(
        inner, [inner] { inner->round(); }, Qt::QueuedConnection);
}

void MetricsPoller::deliver(const LiveMetrics& metrics, const QList<EndpointStatus>& endpoints)
{
    m_endpoints = endpoints;
    Q_EMIT endpointsChanged(m_endpoints);
    if (metrics.hasData()) {
        m_latest = metrics;
        m_history.append(metrics);
        const QDateTime horizon = metrics.at.addSecs(-3600);
        while (!m_history.isEmpty() && m_history.first().at < horizon)
            m_history.removeFirst();
    } else {
        m_latest.endpointsUp = metrics.endpointsUp;
        m_latest.endpointsTotal = metrics.endpointsTotal;
    }
    Q_EMIT updated(m_latest);
}

} // namespace qc::services
