#include "livemetrics.h"

#include "metrics/quantile.h"
#include "metrics/scrapemath.h"

#include <cmath>

namespace qc::services {

using namespace Qt::StringLiterals;

namespace {

struct CounterSum {
    double total = 0;
    bool present = false;
};

// Per-second increase of the `_total` samples of counter `base`, summed; `keep` filters series.
template<typename Keep>
CounterSum counterRate(const ScrapePair& pair, const QString& base, Keep keep)
{
    CounterSum sum;
    const metrics::MetricFamily* before = findFamily(pair.before, base);
    const metrics::MetricFamily* after = findFamily(pair.after, base);
    if (!before || !after)
        return sum;
    sum.present = true;
    for (const metrics::SeriesValue& v : metrics::rates(*before, *after, pair.seconds)) {
        if (!v.name.endsWith(u"_total"_s) || !keep(v))
            continue;
        sum.total += v.value;
    }
    return sum;
}

CounterSum counterRate(const ScrapePair& pair, const QString& base)
{
    return counterRate(pair, base, [](const metrics::SeriesValue&) { return true; });
}

} // namespace

const metrics::MetricFamily* findFamily(
    const std::vector<metrics::MetricFamily>& families, const QString& base)
{
    for (const metrics::MetricFamily& f : families) {
        if (f.name == base || f.name == base + u"_total"_s)
            return &f;
    }
    return nullptr;
}

LiveMetrics computeLiveMetrics(const QList<ScrapePair>& pairs)
{
    LiveMetrics m;
    double requests = 0, denied = 0, collisions = 0, idempotent = 0, rateLimit = 0, dbErrors = 0,
           cost = 0;
    bool hasDecisions = false, hasCollisions = false, hasIdempotent = false, hasRateLimit = false,
         hasDbErrors = false, hasCost = false;
    std::vector<metrics::HistogramSeries> increases;
    for (const ScrapePair& pair : pairs) {
        if (pair.seconds <= 0)
            continue;
        ++m.endpointsCounted;
        m.windowSeconds = std::max(m.windowSeconds, pair.seconds);
        const CounterSum all = counterRate(pair, u"quota_decisions"_s);
        if (all.present) {
            hasDecisions = true;
            requests += all.total;
            const metrics::MetricFamily* before = findFamily(pair.before, u"quota_decisions"_s);
            const metrics::MetricFamily* after = findFamily(pair.after, u"quota_decisions"_s);
            for (const metrics::SeriesValue& v : metrics::rates(*before, *after, pair.seconds)) {
                if (!v.name.endsWith(u"_total"_s)
                    || metrics::labelValue(v.labels, u"decision") != u"denied")
                    continue;
                denied += v.value;
                const QString reason = metrics::labelValue(v.labels, u"reason");
                m.deniedPerMinuteByReason[reason.isEmpty() ? u"unknown"_s : reason] += v.value * 60;
            }
        }
        const CounterSum c = counterRate(pair, u"quota_idempotency_collisions"_s);
        hasCollisions |= c.present;
        collisions += c.total;
        const CounterSum i = counterRate(pair, u"quota_idempotency_requests"_s);
        hasIdempotent |= i.present;
        idempotent += i.total;
        const CounterSum r = counterRate(pair, u"quota_rate_limit_hits"_s);
        hasRateLimit |= r.present;
        rateLimit += r.total;
        const CounterSum e = counterRate(pair, u"quota_db_errors"_s);
        hasDbErrors |= e.present;
        dbErrors += e.total;
        const CounterSum usd = counterRate(pair, u"quota_cost_usd"_s);
        hasCost |= usd.present;
        cost += usd.total;

        const metrics::MetricFamily* hb
            = findFamily(pair.before, u"quota_check_duration_seconds"_s);
        const metrics::MetricFamily* ha = findFamily(pair.after, u"quota_check_duration_seconds"_s);
        if (hb && ha) {
            for (metrics::HistogramSeries& s : metrics::histogramIncrease(*hb, *ha))
                increases.push_back(std::move(s));
        }
    }
    if (hasDecisions) {
        m.requestsPerMinute = requests * 60;
        m.deniedPerMinute = denied * 60;
        if (requests > 0)
            m.denialRate = denied / requests;
    }
    if (hasCollisions && hasIdempotent && idempotent > 0)
        m.collisionRate = collisions / idempotent;
    if (hasRateLimit)
        m.rateLimitHitsPerMinute = rateLimit * 60;
    if (hasDbErrors)
        m.dbErrorsPerMinute = dbErrors * 60;
    if (hasCost)
        m.costUsdPerHour = cost * 3600;
    if (!increases.empty()) {
        const std::vector<metrics::HistogramSeries> summed = metrics::sumHistogramsBy(increases);
        if (!summed.empty()) {
            const double p95 = metrics::histogramQuantile(0.95, summed.front());
            if (std::isfinite(p95))
                m.p95Ms = p95 * 1000;
            // Observations over 300 ms: the total minus the 0.3 s bucket, when there is one.
            const auto& buckets = summed.front().buckets;
            double total = 0, upTo300 = -1;
            for (const metrics::Bucket& b : buckets) {
                if (std::isinf(b.upperBound))
                    total = b.count;
                if (std::abs(b.upperBound - 0.3) < 1e-9)
                    upTo300 = b.count;
            }
            if (upTo300 >= 0 && m.windowSeconds > 0) {
                // Increases are per pair; spread over the window like the counters.
                m.slowChecksPerMinute = std::max(0.0, total - upTo300) * 60 / m.windowSeconds;
            }
        }
    }
    return m;
}

} // namespace qc::services
