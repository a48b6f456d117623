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
/// as "minute: N, identifier: M"; "minute: 0, identifier: 0" when they agree.
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
    return QStringLiteral("minute: ") + count(minuteRaw, minuteRollup)
        + QStringLiteral(", identifier: ") + count(identRaw, identRollup);
}

inline QVariant scalar(QSqlDatabase db, const QString& sql, const QVariantList& params = {})
{
    return qc::testsupport::sqlCall(db, sql, params).value();
}

} // namespace qc::livetest
