#pragma once

// Calls the live enforcement functions (quota.quota_check / quota.quota_complete of
// resources/sql/postgres/0002_enforcement.sql) the way a service does, for the SQL tests.

#include "enforcement/request.h"

#include <QList>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <optional>
#include <string>

namespace qc::livetest {

struct LiveRequest {
    qint64 ts = 0;
    QString requestId;
    QString ip;
    QString forwardedFor;
    QString userId;
    QString plan;
    QString endpoint = QStringLiteral("/api/items");
    QString method = QStringLiteral("GET");
    QString userAgent;
    QString country;
    QString idempotencyKey;
    QString requestHash;
    qint64 costMicroUsd = -1; // -1 = not recorded
    qint64 tokens = 0;
    QString model;
    qint64 responseMs = 0;
};

/// The text of one request, owning the storage the engine's string_views point into: what the
/// tests send to quota_check (`live`) and to the C++ core (`engineRequest()`).
struct OwnedRequest {
    LiveRequest live;
    std::string requestId, ip, forwardedFor, userId, plan, endpoint, method, userAgent, country,
        idempotencyKey, requestHash, model;

    enforcement::Request engineRequest() const
    {
        enforcement::Request r;
        r.ts = live.ts;
        r.requestId = requestId;
        r.ip = ip;
        r.forwardedFor = forwardedFor;
        r.userId = userId;
        r.plan = plan;
        r.endpoint = endpoint;
        r.method = method;
        r.userAgent = userAgent;
        r.country = country;
        r.idempotencyKey = idempotencyKey;
        r.requestHash = requestHash;
        r.costMicroUsd = live.costMicroUsd;
        r.tokens = live.tokens;
        r.model = model;
        r.responseMs = live.responseMs;
        return r;
    }

    QString toString() const
    {
        return QStringLiteral("ts=%1 id=%2 ip='%3' xff='%4' user='%5' plan='%6' %7 %8 ua='%9' "
                              "country='%10' key='%11' hash='%12' cost=%13")
            .arg(live.ts)
            .arg(live.requestId, live.ip, live.forwardedFor, live.userId, live.plan, live.method,
                live.endpoint, live.userAgent)
            .arg(live.country, live.idempotencyKey, live.requestHash)
            .arg(live.costMicroUsd);
    }
};

struct LiveResult {
    bool allowed = false;
    int status = 0;
    QString reason;
    QString rule;
    qint64 limit = -1;
    qint64 remaining = -1;
    qint64 resetAt = 0;
    qint64 retryAfterS = 0;
    QString wouldDeny;
    QString collision;
    int collisionFlags = 0;

    QString toString() const
    {
        return QStringLiteral("allowed=%1 status=%2 reason=%3 rule=%4 limit=%5 remaining=%6 "
                              "reset_at=%7 retry_after_s=%8 would_deny=%9 collision=%10/%11")
            .arg(allowed)
            .arg(status)
            .arg(reason, rule.isEmpty() ? QStringLiteral("-") : rule)
            .arg(limit)
            .arg(remaining)
            .arg(resetAt)
            .arg(retryAfterS)
            .arg(wouldDeny.isEmpty() ? QStringLiteral("-") : wouldDeny,
                collision.isEmpty() ? QStringLiteral("-") : collision)
            .arg(collisionFlags);
    }
};

struct LiveIncident {
    qint64 id = 0;
    QString pattern;
    QString scope;
    QString identifier;
    qint64 ts = 0;
    QString severity;
    QString action;
    qint64 blockedUntil = 0; // 0 = no block

    QString toString() const
    {
        return QStringLiteral("%1 %2:%3 at %4 %5/%6 until %7")
            .arg(pattern, scope, identifier)
            .arg(ts)
            .arg(severity, action)
            .arg(blockedUntil);
    }
};

inline QVariant textOrNull(const QString& text)
{
    return text.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(text);
}

/// One connection's view of the live functions. Errors are kept in lastError().
class LiveEnforcer {
public:
    explicit LiveEnforcer(QSqlDatabase db)
        : m_db(std::move(db))
        , m_check(m_db)
        , m_complete(m_db)
    {
        m_check.prepare(QStringLiteral(
            "SELECT allowed, status, reason, rule, \"limit\", remaining, reset_at, retry_after_s, "
            "would_deny, collision, collision_flags FROM quota.quota_check("
            "timestamptz 'epoch' + ?::bigint * interval '1 millisecond', "
            "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        m_complete.prepare(QStringLiteral(
            "SELECT incident_id, pattern_id, scope, identifier, "
            "(extract(epoch FROM ts) * 1000)::bigint, severity, action, "
            "coalesce((extract(epoch FROM blocked_until) * 1000)::bigint, 0) "
            "FROM quota.quota_complete(timestamptz 'epoch' + ?::bigint * interval '1 millisecond', "
            "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::numeric / 1000000, ?, ?, ?, ?, ?, ?, "
            "?)"));
    }

    QString lastError() const { return m_error; }

    /// Makes `json` the one active policy version.
    bool setPolicy(const QByteArray& json)
    {
        return exec(QStringLiteral("UPDATE quota.policy_versions SET active = false WHERE active"))
            && exec(QStringLiteral("INSERT INTO quota.policy_versions (policy, active, reason) "
                                   "VALUES (?::jsonb, true, 'test')"),
                { QString::fromUtf8(json) });
    }

    std::optional<LiveResult> check(const LiveRequest& r)
    {
        bindRequest(m_check, r);
        if (!m_check.exec() || !m_check.next()) {
            m_error = QStringLiteral("quota_check: ") + m_check.lastError().text();
            return std::nullopt;
        }
        LiveResult out;
        out.allowed = m_check.value(0).toBool();
        out.status = m_check.value(1).toInt();
        out.reason = m_check.value(2).toString();
        out.rule = m_check.value(3).toString();
        out.limit = m_check.value(4).toLongLong();
        out.remaining = m_check.value(5).toLongLong();
        out.resetAt = m_check.value(6).toLongLong();
        out.retryAfterS = m_check.value(7).toLongLong();
        out.wouldDeny = m_check.value(8).toString();
        out.collision = m_check.value(9).toString();
        out.collisionFlags = m_check.value(10).toInt();
        m_check.finish();
        return out;
    }

    std::optional<QList<LiveIncident>> complete(const LiveRequest& r, const LiveResult& result)
    {
        bindRequest(m_complete, r);
        m_complete.addBindValue(result.allowed);
        m_complete.addBindValue(result.status);
        m_complete.addBindValue(result.reason);
        m_complete.addBindValue(textOrNull(result.rule));
        m_complete.addBindValue(r.costMicroUsd >= 0 ? QVariant(r.costMicroUsd)
                                                    : QVariant(QMetaType(QMetaType::LongLong)));
        m_complete.addBindValue(r.tokens);
        m_complete.addBindValue(textOrNull(r.model));
        m_complete.addBindValue(r.responseMs);
        // a quota-check latency that falls into every histogram bucket across a trace
        m_complete.addBindValue(double(r.ts % 4999) / 4.0);
        m_complete.addBindValue(false);
        m_complete.addBindValue(result.collisionFlags);
        m_complete.addBindValue(textOrNull(result.wouldDeny));
        if (!m_complete.exec()) {
            m_error = QStringLiteral("quota_complete: ") + m_complete.lastError().text();
            return std::nullopt;
        }
        QList<LiveIncident> out;
        while (m_complete.next()) {
            LiveIncident incident;
            incident.id = m_complete.value(0).toLongLong();
            incident.pattern = m_complete.value(1).toString();
            incident.scope = m_complete.value(2).toString();
            incident.identifier = m_complete.value(3).toString();
            incident.ts = m_complete.value(4).toLongLong();
            incident.severity = m_complete.value(5).toString();
            incident.action = m_complete.value(6).toString();
            incident.blockedUntil = m_complete.value(7).toLongLong();
            out.append(incident);
        }
        m_complete.finish();
        return out;
    }

    bool changePlan(const QString& user, const QString& plan, qint64 ts)
    {
        return exec(QStringLiteral("SELECT quota.apply_plan_change(?, ?, timestamptz 'epoch' + "
                                   "?::bigint * interval '1 millisecond')"),
            { user, plan, ts });
    }

    /// A manual block; until < 0 = permanent.
    bool addBlock(const QString& target, const QString& value, qint64 from, qint64 until)
    {
        return exec(QStringLiteral(
                        "INSERT INTO quota.blocked_identifiers (target, value, blocked_from, "
                        "blocked_until, reason, source) VALUES (?, ?, timestamptz 'epoch' + "
                        "?::bigint * interval '1 millisecond', CASE WHEN ?::bigint < 0 THEN NULL "
                        "ELSE timestamptz 'epoch' + ?::bigint * interval '1 millisecond' END, "
                        "'test block', 'manual')"),
            { target, value, from, until, until });
    }

    bool unblock(const QString& target, const QString& value, qint64 at)
    {
        return exec(QStringLiteral("UPDATE quota.blocked_identifiers SET unblocked_at = "
                                   "timestamptz 'epoch' + ?::bigint * interval '1 millisecond', "
                                   "unblocked_by = 'test' WHERE target = ? AND value = ? AND "
                                   "unblocked_at IS NULL"),
            { at, target, value });
    }

    /// Rows in which the rollups (rollup_minute, rollup_hour, rollup_minute_total,
    /// rollup_identifier_hour) differ from the same aggregation of quota.request_logs; -1 on
    /// error. Latency sums are floating point, added in another order: compared to the µs.
    int rollupDifferences()
    {
        const QString dims = QStringLiteral(
            "endpoint, coalesce(plan, '') AS plan, decision, coalesce(reason, '') AS reason, ");
        const QString values = QStringLiteral(
            "count(*) AS requests, quota.array_sum(quota.latency_one_hot(quota_check_ms)) AS lb, "
            "count(quota_check_ms) AS lc, round(coalesce(sum(quota_check_ms), 0)::numeric, 3) AS "
            "ls, coalesce(sum(response_ms), 0) AS rs, coalesce(sum(cost_usd), 0) AS cost, "
            "coalesce(sum(tokens), 0) AS tokens, count(*) FILTER (WHERE collision <> 0) AS coll, "
            "count(*) FILTER (WHERE fail_open) AS fo FROM quota.request_logs");
        const QString rollupValues = QStringLiteral(
            "endpoint, plan, decision, reason, requests, latency_buckets, latency_count, "
            "round(latency_sum_ms::numeric, 3), response_ms_sum, cost_usd, tokens, collisions, "
            "fail_open");
        const QString minuteRaw = QStringLiteral("SELECT date_trunc('minute', ts, 'UTC'), ") + dims
            + values + QStringLiteral(" GROUP BY 1, 2, 3, 4, 5");
        const QString hourRaw = QStringLiteral("SELECT date_trunc('hour', ts, 'UTC'), ") + dims
            + values + QStringLiteral(" GROUP BY 1, 2, 3, 4, 5");
        const QString totalRaw = QStringLiteral(
            "SELECT date_trunc('minute', ts, 'UTC'), count(*), count(*) FILTER (WHERE decision = "
            "'denied'), count(*) FILTER (WHERE reason = 'rate_limited'), "
            "quota.array_sum(quota.latency_one_hot(quota_check_ms)), count(quota_check_ms), "
            "round(coalesce(sum(quota_check_ms), 0)::numeric, 3), coalesce(sum(cost_usd), 0), "
            "count(*) FILTER (WHERE collision <> 0), count(*) FILTER (WHERE fail_open) FROM "
            "quota.request_logs GROUP BY 1");
        const QString identRaw = QStringLiteral(
            "SELECT date_trunc('hour', ts, 'UTC'), kind, identifier, count(*), count(*) FILTER "
            "(WHERE decision = 'denied'), coalesce(sum(cost_usd), 0) FROM (SELECT ts, 'ip' AS "
            "kind, ip AS identifier, decision, cost_usd FROM quota.request_logs WHERE "
            "coalesce(ip, '') <> '' UNION ALL SELECT ts, 'user', user_id, decision, cost_usd "
            "FROM quota.request_logs WHERE coalesce(user_id, '') <> '') x GROUP BY 1, 2, 3");
        const QString pairs[][2] = {
            { QStringLiteral("SELECT bucket, ") + rollupValues
                    + QStringLiteral(" FROM quota.rollup_minute"),
                minuteRaw },
            { QStringLiteral("SELECT bucket, ") + rollupValues
                    + QStringLiteral(" FROM quota.rollup_hour"),
                hourRaw },
            { QStringLiteral("SELECT bucket, requests, denied, rate_limited, latency_buckets, "
                             "latency_count, round(latency_sum_ms::numeric, 3), cost_usd, "
                             "collisions, fail_open FROM quota.rollup_minute_total"),
                totalRaw },
            { QStringLiteral("SELECT bucket, kind, identifier, requests, denials, cost_usd FROM "
                             "quota.rollup_identifier_hour"),
                identRaw },
            { QStringLiteral("SELECT bucket, kind, identifier, requests, denials, cost_usd FROM "
                             "quota.rollup_identifier_day"),
                QString(identRaw).replace(
                    QStringLiteral("date_trunc('hour'"), QStringLiteral("date_trunc('day'")) },
            // The dashboard tiers, per grain (minutes).
            { QStringLiteral(
                  "SELECT grain, bucket, requests, denied, rate_limited, latency_buckets, "
                  "latency_count, round(latency_sum_ms::numeric, 3), cost_usd, "
                  "collisions, fail_open FROM quota.rollup_totals"),
                QStringLiteral(
                    "SELECT k.grain, date_bin(k.step, ts, timestamptz '2000-01-01'), count(*), "
                    "count(*) FILTER (WHERE decision = 'denied'), count(*) FILTER (WHERE reason = "
                    "'rate_limited'), quota.array_sum(quota.latency_one_hot(quota_check_ms)), "
                    "count(quota_check_ms), round(coalesce(sum(quota_check_ms), 0)::numeric, 3), "
                    "coalesce(sum(cost_usd), 0), count(*) FILTER (WHERE collision <> 0), count(*) "
                    "FILTER (WHERE fail_open) FROM quota.request_logs CROSS JOIN (VALUES (5, "
                    "interval '5 minutes'), (60, interval '1 hour')) AS k(grain, step) GROUP BY 1, "
                    "2") },
            { QStringLiteral("SELECT grain, bucket, endpoint, requests, denied, cost_usd, "
                             "latency_buckets FROM quota.rollup_endpoints"),
                QStringLiteral(
                    "SELECT k.grain, date_bin(k.step, ts, timestamptz '2000-01-01'), endpoint, "
                    "count(*), count(*) FILTER (WHERE decision = 'denied'), "
                    "coalesce(sum(cost_usd), 0), "
                    "quota.array_sum(quota.latency_one_hot(quota_check_ms)) FROM "
                    "quota.request_logs CROSS JOIN (VALUES (1, interval '1 minute'), (5, interval "
                    "'5 minutes'), (60, interval '1 hour')) AS k(grain, step) GROUP BY 1, 2, 3") },
            { QStringLiteral("SELECT grain, bucket, reason, denials FROM quota.rollup_denials"),
                QStringLiteral(
                    "SELECT k.grain, date_bin(k.step, ts, timestamptz '2000-01-01'), "
                    "coalesce(reason, ''), count(*) FROM quota.request_logs CROSS JOIN (VALUES "
                    "(1, interval '1 minute'), (5, interval '5 minutes'), (60, interval '1 hour')) "
                    "AS k(grain, step) WHERE decision = 'denied' GROUP BY 1, 2, 3") },
        };
        int differences = 0;
        for (const auto& [rollup, raw] : pairs) {
            const QVariant n = scalar(QStringLiteral("SELECT (SELECT count(*) FROM ((%1) EXCEPT "
                                                     "(%2)) a) + (SELECT count(*) FROM ((%2) "
                                                     "EXCEPT (%1)) b)")
                                          .arg(rollup, raw));
            if (!n.isValid())
                return -1;
            differences += n.toInt();
        }
        return differences;
    }

    /// First column of the first row of `sql`, or an invalid QVariant (see lastError()).
    QVariant scalar(const QString& sql, const QVariantList& binds = {})
    {
        QSqlQuery q(m_db);
        q.prepare(sql);
        for (const QVariant& v : binds)
            q.addBindValue(v);
        if (!q.exec() || !q.next()) {
            m_error = sql + QStringLiteral(": ") + q.lastError().text();
            return {};
        }
        return q.value(0);
    }

    bool exec(const QString& sql, const QVariantList& binds = {})
    {
        QSqlQuery q(m_db);
        q.prepare(sql);
        for (const QVariant& v : binds)
            q.addBindValue(v);
        if (!q.exec()) {
            m_error = sql + QStringLiteral(": ") + q.lastError().text();
            return false;
        }
        return true;
    }

private:
    static void bindRequest(QSqlQuery& q, const LiveRequest& r)
    {
        q.addBindValue(r.ts);
        q.addBindValue(textOrNull(r.requestId));
        q.addBindValue(textOrNull(r.ip));
        q.addBindValue(textOrNull(r.forwardedFor));
        q.addBindValue(textOrNull(r.userId));
        q.addBindValue(textOrNull(r.plan));
        q.addBindValue(textOrNull(r.endpoint));
        q.addBindValue(textOrNull(r.method));
        q.addBindValue(textOrNull(r.userAgent));
        q.addBindValue(textOrNull(r.country));
        q.addBindValue(textOrNull(r.idempotencyKey));
        q.addBindValue(textOrNull(r.requestHash));
    }

    QSqlDatabase m_db;
    QSqlQuery m_check;
    QSqlQuery m_complete;
    QString m_error;
};

} // namespace qc::livetest
