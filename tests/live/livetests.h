#pragma once

// Helpers of the live tests: a test database with the default policy, and the checks that the
// rollups agree with the raw request logs, computed independently from request_logs here.

#include "live/metricsregistry.h"
#include "policy/policyjson.h"
#include "support/sqlcall.h"
#include "support/testcluster.h"

#include <QSqlDatabase>
#include <QString>

namespace qc::livetest {

/// A fresh migrated database with the embedded default policy active; empty on failure.
inline QString databaseWithDefaultPolicy()
{
    auto& cluster = qc::testsupport::TestCluster::instance();
    const QString name = cluster.createDatabase();
    if (name.isEmpty())
        return {};
    const QString error = cluster.execAsSuperuser(name,
        QStringLiteral("INSERT INTO quota.policy_versions (policy, active, reason) VALUES "
                       "('%1', true, 'live test')")
            .arg(QString::fromUtf8(qc::policy::defaultPolicyJson())
                     .replace(QStringLiteral("'"), QStringLiteral("''"))));
    return error.isEmpty() ? name : QString();
}

/// The minute rollup's latency buckets computed from the raw rows (bounds of
/// quota.latency_bucket_bounds(); a value on a bound counts in that bucket).
inline QString latencyBucketsSql()
{
    QString parts;
    double previous = -1;
    for (const double bound : qc::live::kCheckBoundsMs) {
        parts += QStringLiteral(
            "count(*) FILTER (WHERE quota_check_ms %1 AND quota_check_ms <= %2), ")
                     .arg(previous < 0 ? QStringLiteral("IS NOT NULL")
                                       : QStringLiteral("> %1").arg(previous))
                     .arg(bound);
        previous = bound;
    }
    parts += QStringLiteral("count(*) FILTER (WHERE quota_check_ms > %1)").arg(previous);
    return QStringLiteral("ARRAY[") + parts + QStringLiteral("]::bigint[]");
}

/// Rows that differ between each rollup and the same aggregation over request_logs (both ways),
/// as "minute: N, identifier: M, hour: H, total: T, tiers: D, day: Y" (hour, total and tiers:
/// rollup_hour, rollup_minute_total and the dashboard tiers rollup_totals, rollup_endpoints,
/// rollup_denials against the sums of rollup_minute; day: rollup_identifier_day against the raw
/// rows); all 0 when they agree.
inline QString rollupDifferences(QSqlDatabase db)
{
    const QString minuteRaw = QStringLiteral(
        "SELECT date_trunc('minute', ts, 'UTC') AS bucket, endpoint, coalesce(plan, '') AS plan, "
        "decision, coalesce(reason, '') AS reason, count(*) AS requests, %1 AS b, "
        "count(quota_check_ms) AS latency_count, round(coalesce(sum(quota_check_ms), 0)::numeric, "
        "6) AS latency_sum_ms, coalesce(sum(response_ms), 0) AS response_ms_sum, "
        "coalesce(sum(cost_usd), 0) AS cost_usd, coalesce(sum(tokens), 0) AS tokens, count(*) "
        "FILTER (WHERE collision <> 0) AS collisions, count(*) FILTER (WHERE fail_open) AS "
        "fail_open FROM quota.request_logs GROUP BY 1, 2, 3, 4, 5")
                                  .arg(latencyBucketsSql());
    const QString minuteRollup = QStringLiteral(
        "SELECT bucket, endpoint, plan, decision, reason, requests, latency_buckets, "
        "latency_count, round(latency_sum_ms::numeric, 6), response_ms_sum, cost_usd, tokens, "
        "collisions, fail_open FROM quota.rollup_minute");
    const QString identRaw = QStringLiteral(
        "SELECT date_trunc('hour', ts, 'UTC'), kind, identifier, count(*), count(*) FILTER "
        "(WHERE decision = 'denied'), coalesce(sum(cost_usd), 0) FROM (SELECT ts, 'ip' AS kind, "
        "ip AS identifier, decision, cost_usd FROM quota.request_logs WHERE coalesce(ip, '') <> "
        "'' UNION ALL SELECT ts, 'user', user_id, decision, cost_usd FROM quota.request_logs "
        "WHERE coalesce(user_id, '') <> '') x GROUP BY 1, 2, 3");
    const QString identRollup
        = QStringLiteral("SELECT bucket, kind, identifier, requests, denials, cost_usd FROM "
                         "quota.rollup_identifier_hour");
    const QString diff = QStringLiteral(
        "SELECT (SELECT count(*) FROM ((%1) EXCEPT ALL (%2)) a) + (SELECT count(*) FROM ((%2) "
        "EXCEPT ALL (%1)) b)");
    const auto count = [&](const QString& a, const QString& b) {
        const auto r = qc::testsupport::sqlCall(db, diff.arg(a, b));
        return r.ok ? r.value().toString() : QString::fromUtf8(r.describe());
    };
    // The hour tier and the minute totals are the sums of the minute rows.
    const QString sums
        = QStringLiteral(
            "sum(requests), %1, sum(latency_count), round(sum(latency_sum_ms)::numeric, 6), ")
              .arg(QStringLiteral("ARRAY[sum(latency_buckets[1]), "
                                  "sum(latency_buckets[2]), sum(latency_buckets[3]), "
                                  "sum(latency_buckets[4]), sum(latency_buckets[5]), "
                                  "sum(latency_buckets[6]), sum(latency_buckets[7]), "
                                  "sum(latency_buckets[8]), sum(latency_buckets[9]), "
                                  "sum(latency_buckets[10]), sum(latency_buckets[11]), "
                                  "sum(latency_buckets[12]), "
                                  "sum(latency_buckets[13])]::bigint[]"));
    const QString hourFromMinutes
        = QStringLiteral(
              "SELECT date_trunc('hour', bucket, 'UTC'), endpoint, plan, decision, reason, ")
        + sums
        + QStringLiteral("sum(response_ms_sum), sum(cost_usd), sum(tokens), sum(collisions), "
                         "sum(fail_open) FROM quota.rollup_minute GROUP BY 1, 2, 3, 4, 5");
    const QString hourRollup = QStringLiteral(
        "SELECT bucket, endpoint, plan, decision, reason, requests, latency_buckets, "
        "latency_count, round(latency_sum_ms::numeric, 6), response_ms_sum, cost_usd, tokens, "
        "collisions, fail_open FROM quota.rollup_hour");
    const QString totalFromMinutes
        = QStringLiteral(
              "SELECT bucket, coalesce(sum(requests) FILTER (WHERE decision = 'denied'), 0), "
              "coalesce(sum(requests) FILTER (WHERE reason = 'rate_limited'), 0), ")
        + sums
        + QStringLiteral("sum(cost_usd), sum(collisions), sum(fail_open) FROM quota.rollup_minute "
                         "GROUP BY 1");
    const QString totalRollup = QStringLiteral(
        "SELECT bucket, denied, rate_limited, requests, latency_buckets, latency_count, "
        "round(latency_sum_ms::numeric, 6), cost_usd, collisions, fail_open FROM "
        "quota.rollup_minute_total");
    // The dashboard tiers: sums of the minute rows per grain (minutes); the identifier day tier
    // against the raw rows per UTC day.
    const QString grains = QStringLiteral(
        "(VALUES (1, interval '1 minute'), (5, interval '5 minutes'), (60, interval '1 hour')) AS "
        "k(grain, step)");
    const QString tiersFromMinutes = QStringLiteral(
        "SELECT 'total', k.grain, date_bin(k.step, bucket, timestamptz '2000-01-01'), '', "
        "sum(requests), coalesce(sum(requests) FILTER (WHERE decision = 'denied'), 0), "
        "coalesce(sum(requests) FILTER (WHERE reason = 'rate_limited'), 0), sum(cost_usd), "
        "quota.array_sum(latency_buckets) FROM quota.rollup_minute CROSS JOIN %1 WHERE k.grain "
        "<> 1 GROUP BY 2, 3 UNION ALL SELECT 'endpoint', k.grain, date_bin(k.step, bucket, "
        "timestamptz '2000-01-01'), endpoint, sum(requests), coalesce(sum(requests) FILTER "
        "(WHERE decision = 'denied'), 0), 0, sum(cost_usd), quota.array_sum(latency_buckets) "
        "FROM quota.rollup_minute CROSS JOIN %1 GROUP BY 2, 3, 4 UNION ALL SELECT 'denial', "
        "k.grain, date_bin(k.step, bucket, timestamptz '2000-01-01'), reason, sum(requests), "
        "sum(requests), 0, 0, NULL FROM quota.rollup_minute CROSS JOIN %1 WHERE decision = "
        "'denied' GROUP BY 2, 3, 4")
                                         .arg(grains);
    const QString tiers = QStringLiteral(
        "SELECT 'total', grain, bucket, '', requests, denied, rate_limited, cost_usd, "
        "latency_buckets FROM quota.rollup_totals UNION ALL SELECT 'endpoint', grain, bucket, "
        "endpoint, requests, denied, 0, cost_usd, latency_buckets FROM quota.rollup_endpoints "
        "UNION ALL SELECT 'denial', grain, bucket, reason, denials, denials, 0, 0, NULL FROM "
        "quota.rollup_denials");
    const QString dayRaw = QString(identRaw).replace(
        QStringLiteral("date_trunc('hour'"), QStringLiteral("date_trunc('day'"));
    const QString dayRollup
        = QStringLiteral("SELECT bucket, kind, identifier, requests, denials, cost_usd FROM "
                         "quota.rollup_identifier_day");
    return QStringLiteral("minute: ") + count(minuteRaw, minuteRollup)
        + QStringLiteral(", identifier: ") + count(identRaw, identRollup)
        + QStringLiteral(", hour: ") + count(hourFromMinutes, hourRollup)
        + QStringLiteral(", total: ") + count(totalFromMinutes, totalRollup)
        + QStringLiteral(", tiers: ") + count(tiersFromMinutes, tiers) + QStringLiteral(", day: ")
        + count(dayRaw, dayRollup);
}

inline QVariant scalar(QSqlDatabase db, const QString& sql, const QVariantList& params = {})
{
    return qc::testsupport::sqlCall(db, sql, params).value();
}

} // namespace qc::livetest
