#include "dashboardkpis.h"

#include "services/localization.h"

#include <QCoreApplication>
#include <QLocale>

#include <cmath>

namespace qc::services {

using namespace Qt::StringLiterals;
namespace th = thresholds;

namespace {

// One translation context for the file (lupdate reads Tr::tr with it).
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(qc::services::Kpis)
};

QString number(double v, int decimals = 0)
{
    return QLocale().toString(v, 'f', decimals);
}

QString count(qint64 v)
{
    return QLocale().toString(v);
}

QString percent(double share)
{
    const double p = share * 100;
    return number(p, p < 10 ? 2 : 1) + u" %"_s;
}

QString money(double usd)
{
    return display::money(usd, usd < 100 ? 2 : 0);
}

QString perMinute(double v)
{
    return number(v, v < 10 ? 1 : 0) + Tr::tr("/min");
}

QString ms(double v)
{
    return number(v, v < 10 ? 1 : 0) + u" ms"_s;
}

// Relative change "▲ 12 %" (for counts and latencies).
void relativeTrend(
    KpiValue& k, std::optional<double> now, std::optional<double> before, const QString& range)
{
    if (!now || !before)
        return;
    if (*before == 0) {
        if (*now == 0) {
            k.trend = Tr::tr("= no change vs previous %1").arg(range);
            return;
        }
        k.trendDirection = 1;
        k.trend = Tr::tr("▲ from 0 in the previous %1").arg(range);
        return;
    }
    const double change = (*now - *before) / *before * 100;
    k.trendDirection = std::abs(change) < 0.5 ? 0 : (change > 0 ? 1 : -1);
    if (change >= 900) {
        // "▲ 19,198 %" says less than "▲ 193×".
        const double times = *now / *before;
        k.trend = times > 1000 ? Tr::tr("▲ over 1,000× the previous %1").arg(range)
                               : Tr::tr("▲ %1× the previous %2").arg(number(times, 0), range);
        return;
    }
    const QString arrow = k.trendDirection > 0 ? u"▲"_s : k.trendDirection < 0 ? u"▼"_s : u"="_s;
    k.trend = Tr::tr("%1 %2 % vs previous %3").arg(arrow, number(std::abs(change), 0), range);
}

// Change in percentage points "▲ 1.2 pp" (for rates).
void pointsTrend(
    KpiValue& k, std::optional<double> now, std::optional<double> before, const QString& range)
{
    if (!now || !before)
        return;
    const double change = (*now - *before) * 100;
    k.trendDirection = std::abs(change) < 0.05 ? 0 : (change > 0 ? 1 : -1);
    const QString arrow = k.trendDirection > 0 ? u"▲"_s : k.trendDirection < 0 ? u"▼"_s : u"="_s;
    k.trend = Tr::tr("%1 %2 pp vs previous %3").arg(arrow, number(std::abs(change), 1), range);
}

} // namespace

QList<KpiValue> computeKpis(
    const db::DashboardData& d, const std::optional<LiveMetrics>& live, const QString& range)
{
    QList<KpiValue> out;
    const db::KpiFigures& now = d.current;
    const db::KpiFigures& before = d.previous;

    {
        KpiValue k;
        k.id = u"requests"_s;
        k.title = Tr::tr("Requests");
        k.number = now.requestsPerMinute();
        k.value = k.number ? perMinute(*k.number) : Tr::tr("—");
        relativeTrend(k, now.requestsPerMinute(), before.requestsPerMinute(), range);
        k.detail
            = Tr::tr("%1 requests, %2 fail-open").arg(count(now.requests), count(now.failOpen));
        if (live && live->requestsPerMinute)
            k.live = Tr::tr("live %1").arg(perMinute(*live->requestsPerMinute));
        k.level = th::Level::Ok;
        out << k;
    }
    {
        KpiValue k;
        k.id = u"p95"_s;
        k.title = Tr::tr("p95 quota check");
        k.number = now.p95Ms;
        k.value = now.p95Ms ? ms(*now.p95Ms) : Tr::tr("—");
        relativeTrend(k, now.p95Ms, before.p95Ms, range);
        if (now.slowChecks > 1)
            k.detail = Tr::tr("%1 checks over %2 ms")
                           .arg(count(now.slowChecks), number(th::anyCheckMs()));
        else if (now.slowChecks == 1)
            k.detail = Tr::tr("one check over %1 ms").arg(number(th::anyCheckMs()));
        else
            k.detail = Tr::tr("no check over %1 ms").arg(number(th::anyCheckMs()));
        k.level = th::levelOf(now.p95Ms, th::p95Ms());
        if (now.slowChecks > 0)
            k.level = th::Level::Critical;
        std::optional<double> liveP95 = live ? live->p95Ms : std::nullopt;
        if (liveP95) {
            k.live = Tr::tr("live %1").arg(ms(*liveP95));
            k.level = th::worst(k.level, th::levelOf(liveP95, th::p95Ms()));
        }
        if (live && live->slowChecksPerMinute && *live->slowChecksPerMinute > 0)
            k.level = th::Level::Critical;
        k.thresholdText = Tr::tr("Alert when the p95 is above %1 ms or any check takes over %2 ms.")
                              .arg(number(th::p95Ms()), number(th::anyCheckMs()));
        out << k;
    }
    {
        KpiValue k;
        k.id = u"denials"_s;
        k.title = Tr::tr("Denial rate");
        k.number = now.denialRate();
        k.value = k.number ? percent(*k.number) : Tr::tr("—");
        pointsTrend(k, now.denialRate(), before.denialRate(), range);
        const std::optional<double> limited = now.rateLimitedPerMinute();
        k.detail = Tr::tr("%1 denied; rate-limited %2")
                       .arg(count(now.denied), limited ? perMinute(*limited) : Tr::tr("—"));
        k.level = th::worst(th::levelOf(k.number, th::denialRate()),
            th::levelOf(limited, th::rateLimitHitsPerMinute()));
        if (live && live->denialRate) {
            k.live = Tr::tr("live %1").arg(percent(*live->denialRate));
            k.level = th::worst(k.level, th::levelOf(live->denialRate, th::denialRate()));
        }
        if (live && live->rateLimitHitsPerMinute)
            k.level = th::worst(
                k.level, th::levelOf(live->rateLimitHitsPerMinute, th::rateLimitHitsPerMinute()));
        k.thresholdText
            = Tr::tr("Alert when more than %1 % of requests are denied or rate-limit "
                     "hits exceed %2/min.")
                  .arg(number(th::denialRate() * 100), number(th::rateLimitHitsPerMinute()));
        out << k;
    }
    {
        KpiValue k;
        k.id = u"collisions"_s;
        k.title = Tr::tr("Collision rate");
        k.number = now.collisionRate();
        k.value = k.number ? percent(*k.number) : Tr::tr("—");
        pointsTrend(k, now.collisionRate(), before.collisionRate(), range);
        k.detail = Tr::tr("%1 idempotency-key collisions").arg(count(now.collisions));
        k.level = th::levelOf(k.number, th::collisionRate());
        if (live && live->collisionRate) {
            k.live = Tr::tr("live %1").arg(percent(*live->collisionRate));
            k.level = th::worst(k.level, th::levelOf(live->collisionRate, th::collisionRate()));
        }
        k.thresholdText = Tr::tr("Alert when more than %1 % of idempotent requests collide.")
                              .arg(number(th::collisionRate() * 100));
        out << k;
    }
    {
        KpiValue k;
        k.id = u"cost"_s;
        k.title = Tr::tr("Cost today");
        k.number = d.cost.todayUsd;
        k.value = money(d.cost.todayUsd);
        relativeTrend(k, now.costUsd, before.costUsd, range);
        if (!k.trend.isEmpty())
            k.trend = Tr::tr("%1 (range cost %2)").arg(k.trend, money(now.costUsd));
        k.detail = Tr::tr("month to date %1, projected %2")
                       .arg(money(d.cost.monthToDateUsd), money(d.cost.monthProjectionUsd));
        if (live && live->costUsdPerHour)
            k.live = Tr::tr("live %1/h").arg(money(*live->costUsdPerHour));
        k.level = th::Level::Ok;
        out << k;
    }
    {
        KpiValue k;
        k.id = u"blocks"_s;
        k.title = Tr::tr("Active blocks");
        k.number = double(d.blocksNow.total);
        k.value = count(d.blocksNow.total);
        const qint64 change = d.blocksNow.total - d.blocksBefore.total;
        k.trendDirection = change > 0 ? 1 : change < 0 ? -1 : 0;
        k.trend = change == 0 ? Tr::tr("= as many as %1 ago").arg(range)
            : change > 0      ? Tr::tr("▲ %1 more than %2 ago").arg(count(change), range)
                              : Tr::tr("▼ %1 fewer than %2 ago").arg(count(-change), range);
        k.detail
            = Tr::tr("%1 IPs, %2 networks, %3 users")
                  .arg(count(d.blocksNow.ip), count(d.blocksNow.network), count(d.blocksNow.user));
        k.level = th::Level::Ok;
        out << k;
    }
    {
        KpiValue k;
        k.id = u"alerts"_s;
        k.title = Tr::tr("Firing alerts");
        k.number = double(d.firingAlerts);
        k.value = count(d.firingAlerts);
        k.detail = Tr::tr("%1 acknowledged; %2 raised in the range")
                       .arg(count(d.acknowledgedAlerts), count(qint64(d.alerts.size())));
        k.level = d.firingAlerts > 0 ? th::Level::Critical : th::Level::Ok;
        out << k;
    }
    if (live && live->endpointsTotal > 0) {
        KpiValue k;
        k.id = u"services"_s;
        k.title = Tr::tr("Metrics endpoints");
        k.number = live->endpointsUp;
        k.value = Tr::tr("%1 of %2 up").arg(count(live->endpointsUp), count(live->endpointsTotal));
        k.detail = live->dbErrorsPerMinute
            ? Tr::tr("DB errors %1").arg(perMinute(*live->dbErrorsPerMinute))
            : Tr::tr("no DB error counter");
        k.level = live->endpointsUp < live->endpointsTotal ? th::Level::Warning : th::Level::Ok;
        k.level = th::worst(k.level, th::levelOf(live->dbErrorsPerMinute, th::dbErrorsPerMinute()));
        k.thresholdText = Tr::tr("Alert when the services report more than %1 database errors a "
                                 "minute.")
                              .arg(number(th::dbErrorsPerMinute()));
        out << k;
    }
    return out;
}

} // namespace qc::services
