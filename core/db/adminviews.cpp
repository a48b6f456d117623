#include "adminviews.h"

#include "querysupport_p.h"

namespace qc::db {

using namespace Qt::StringLiterals;
using detail::bind;
using detail::PgQuery;
using detail::us;

namespace {

QString where(const QStringList& conditions)
{
    return conditions.isEmpty() ? QString() : u" WHERE "_s + conditions.join(u" AND "_s);
}

} // namespace

QString CollisionRow::classification() const
{
    QStringList parts;
    if (differentParameters)
        parts << u"parameters"_s;
    if (late)
        parts << u"late"_s;
    if (differentUserAgent)
        parts << u"user agent"_s;
    return parts.join(u", "_s);
}

QList<BuggyClient> readBuggyClients(QSqlDatabase database, const QDateTime& end, QString* error)
{
    QList<BuggyClient> out;
    const PgQuery q(database, u"buggy clients"_s,
        u"SELECT user_id, count(*), count(*) FILTER (WHERE kind = 'parameters'), "
        "count(*) FILTER (WHERE kind = 'late'), count(*) FILTER (WHERE kind = 'user_agent'), "_s
            + us(u"min(ts)"_s) + u", "_s + us(u"max(ts)"_s)
            + u", (array_agg(key ORDER BY ts DESC))[1] "
              "FROM quota.idempotency_collisions "
              "WHERE ts >= $1::timestamptz - interval '24 hours' AND ts < $1::timestamptz "
              "AND user_id IS NOT NULL "
              "GROUP BY user_id HAVING count(*) > $2 "
              "ORDER BY count(*) DESC, user_id LIMIT 500"_s,
        { end.toUTC(), qint64(kBuggyClientCollisions) });
    if (!q.ok()) {
        if (error)
            *error = q.error();
        return out;
    }
    for (int r = 0; r < q.rows(); ++r) {
        BuggyClient b;
        b.userId = q.text(r, 0);
        b.collisions = q.integer(r, 1);
        b.parameters = q.integer(r, 2);
        b.late = q.integer(r, 3);
        b.userAgent = q.integer(r, 4);
        b.first = q.timeUs(r, 5);
        b.last = q.timeUs(r, 6);
        b.lastKey = q.text(r, 7);
        out.append(b);
    }
    return out;
}

IncidentList readIncidents(QSqlDatabase database, const IncidentFilter& f)
{
    QVariantList params;
    QStringList conditions;
    if (f.from.isValid())
        conditions << u"i.ts >= "_s + bind(params, f.from.toUTC()) + u"::timestamptz"_s;
    if (f.to.isValid())
        conditions << u"i.ts < "_s + bind(params, f.to.toUTC()) + u"::timestamptz"_s;
    if (!f.identifier.isEmpty())
        conditions << u"i.identifier = "_s + bind(params, f.identifier);
    if (!f.severity.isEmpty())
        conditions << u"i.severity = "_s + bind(params, f.severity);
    IncidentList list = readIncidentsMatching(
        database, conditions.isEmpty() ? u"true"_s : conditions.join(u" AND "_s), params, f.limit);
    if (!list.ok())
        return list;
    list.buggyClients = readBuggyClients(
        database, f.to.isValid() ? f.to : QDateTime::currentDateTimeUtc(), &list.error);
    return list;
}

IncidentList readIncidentsMatching(
    QSqlDatabase database, const QString& condition, const QVariantList& given, int limit)
{
    IncidentList list;
    QVariantList params = given;
    const QString limitParam = bind(params, qint64(qMax(1, limit)));
    const PgQuery q(database, u"abuse incidents"_s,
        u"SELECT i.id, "_s + us(u"i.ts"_s)
            + u", i.pattern_id, i.details->>'pattern_name', i.details->>'kind', i.scope, "
              "i.identifier, i.severity, i.action, "_s
            + us(u"i.blocked_until"_s) + u", i.request_id, i.details::text, "_s
            + u"(SELECT min(b.id) FROM quota.blocked_identifiers b WHERE b.incident_id = i.id) "
              "FROM quota.abuse_incidents i WHERE "_s
            + condition + u" ORDER BY i.ts DESC, i.id DESC LIMIT "_s + limitParam,
        params);
    if (!q.ok()) {
        list.error = q.error();
        return list;
    }
    for (int r = 0; r < q.rows(); ++r) {
        IncidentRow i;
        i.id = q.integer(r, 0);
        i.ts = q.timeUs(r, 1);
        i.patternId = q.text(r, 2);
        i.patternName = q.text(r, 3);
        i.kind = q.text(r, 4);
        i.scope = q.text(r, 5);
        i.identifier = q.text(r, 6);
        i.severity = q.text(r, 7);
        i.action = q.text(r, 8);
        i.blockedUntil = q.timeUs(r, 9);
        i.requestId = q.text(r, 10);
        i.details = q.jsonObject(r, 11);
        i.blockId = q.optionalInteger(r, 12);
        list.incidents.append(i);
    }
    return list;
}

BlockList readBlocks(QSqlDatabase database, const BlockFilter& f)
{
    QVariantList params;
    QStringList conditions;
    if (!f.includeEnded)
        conditions
            << u"b.unblocked_at IS NULL AND (b.blocked_until IS NULL OR b.blocked_until > now())"_s;
    if (!f.value.isEmpty())
        conditions << u"b.value = "_s + bind(params, f.value);
    return readBlocksMatching(
        database, conditions.isEmpty() ? u"true"_s : conditions.join(u" AND "_s), params, f.limit);
}

BlockList readBlocksMatching(
    QSqlDatabase database, const QString& condition, const QVariantList& given, int limit)
{
    BlockList list;
    QVariantList params = given;
    const QString limitParam = bind(params, qint64(qMax(1, limit)));
    const PgQuery q(database, u"blocks"_s,
        u"SELECT b.id, b.target, b.value, "_s + us(u"b.blocked_from"_s) + u", "_s
            + us(u"b.blocked_until"_s)
            + u", b.reason, b.source, b.incident_id, i.pattern_id, b.created_by, "_s
            + us(u"b.created_at"_s) + u", b.unblocked_by, "_s + us(u"b.unblocked_at"_s)
            + u", b.version FROM quota.blocked_identifiers b "
              "LEFT JOIN quota.abuse_incidents i ON i.id = b.incident_id WHERE "_s
            + condition + u" ORDER BY b.blocked_from DESC, b.id DESC LIMIT "_s + limitParam,
        params);
    if (!q.ok()) {
        list.error = q.error();
        return list;
    }
    for (int r = 0; r < q.rows(); ++r) {
        BlockRow b;
        b.id = q.integer(r, 0);
        b.target = q.text(r, 1);
        b.value = q.text(r, 2);
        b.from = q.timeUs(r, 3);
        b.until = q.timeUs(r, 4);
        b.reason = q.text(r, 5);
        b.source = q.text(r, 6);
        b.incidentId = q.optionalInteger(r, 7);
        b.incidentPattern = q.text(r, 8);
        b.createdBy = q.text(r, 9);
        b.createdAt = q.timeUs(r, 10);
        b.unblockedBy = q.text(r, 11);
        b.unblockedAt = q.timeUs(r, 12);
        b.version = q.integer(r, 13);
        list.blocks.append(b);
    }
    const PgQuery now(database, u"database time"_s, u"SELECT "_s + us(u"now()"_s));
    list.readAt = now.ok() ? now.timeUs(0, 0) : QDateTime::currentDateTimeUtc();
    return list;
}

AlertList readAlerts(QSqlDatabase database, int resolvedHours)
{
    AlertList list;
    const PgQuery q(database, u"alerts"_s,
        u"SELECT id, rule, labels::text, annotations::text, severity, state, fingerprint, "_s
            + us(u"starts_at"_s) + u", "_s + us(u"ends_at"_s) + u", acknowledged_by, "_s
            + us(u"acknowledged_at"_s) + u", acknowledge_note, version, updated_by, "_s
            + us(u"updated_at"_s)
            + u" FROM quota.alerts "
              "WHERE state <> 'resolved' OR ends_at >= now() - make_interval(hours => $1::int) "
              "ORDER BY (state = 'firing') DESC, (state = 'acknowledged') DESC, starts_at DESC, "
              "id DESC LIMIT 2000"_s,
        { qint64(resolvedHours) });
    if (!q.ok()) {
        list.error = q.error();
        return list;
    }
    for (int r = 0; r < q.rows(); ++r) {
        AlertRow a;
        a.id = q.integer(r, 0);
        a.rule = q.text(r, 1);
        a.labels = q.jsonObject(r, 2);
        a.annotations = q.jsonObject(r, 3);
        a.severity = q.text(r, 4);
        a.state = q.text(r, 5);
        a.fingerprint = q.text(r, 6);
        a.startsAt = q.timeUs(r, 7);
        a.endsAt = q.timeUs(r, 8);
        a.acknowledgedBy = q.text(r, 9);
        a.acknowledgedAt = q.timeUs(r, 10);
        a.acknowledgeNote = q.text(r, 11);
        a.version = q.integer(r, 12);
        a.updatedBy = q.text(r, 13);
        a.updatedAt = q.timeUs(r, 14);
        list.alerts.append(a);
    }
    return list;
}

AuditPage readAuditLog(QSqlDatabase database, const AuditFilter& f, bool verifyChain)
{
    AuditPage page;
    QVariantList params;
    QStringList conditions;
    if (!f.actor.isEmpty())
        conditions << u"actor = "_s + bind(params, f.actor);
    if (!f.action.isEmpty())
        conditions << u"action = "_s + bind(params, f.action);
    if (!f.target.isEmpty())
        conditions << u"strpos(target, "_s + bind(params, f.target) + u") > 0"_s;
    if (f.from.isValid())
        conditions << u"ts >= "_s + bind(params, f.from.toUTC()) + u"::timestamptz"_s;
    if (f.to.isValid())
        conditions << u"ts < "_s + bind(params, f.to.toUTC()) + u"::timestamptz"_s;
    if (f.beforeId > 0)
        conditions << u"id < "_s + bind(params, f.beforeId) + u"::bigint"_s;
    const int limit = qMax(1, f.limit);
    const QString limitParam = bind(params, qint64(limit) + 1);
    const PgQuery q(database, u"audit log"_s,
        u"SELECT id, "_s + us(u"ts"_s)
            + u", actor, action, target, reason, before::text, after::text, result::text, "
              "client_action_id FROM quota.admin_audit_log"_s
            + where(conditions) + u" ORDER BY id DESC LIMIT "_s + limitParam,
        params);
    if (!q.ok()) {
        page.error = q.error();
        return page;
    }
    for (int r = 0; r < q.rows() && r < limit; ++r) {
        AuditEntry e;
        e.id = q.integer(r, 0);
        e.ts = q.timeUs(r, 1);
        e.actor = q.text(r, 2);
        e.action = q.text(r, 3);
        e.target = q.text(r, 4);
        e.reason = q.text(r, 5);
        e.beforeIsNull = q.isNull(r, 6);
        e.before = q.jsonObject(r, 6);
        e.afterIsNull = q.isNull(r, 7);
        e.after = q.jsonObject(r, 7);
        e.result = q.jsonObject(r, 8);
        e.clientActionId = q.text(r, 9);
        page.entries.append(e);
    }
    page.hasMore = q.rows() > limit;
    if (verifyChain) {
        const PgQuery v(
            database, u"audit chain verification"_s, u"SELECT quota.verify_audit_chain()"_s);
        if (!v.ok()) {
            page.error = v.error();
            return page;
        }
        page.verified = true;
        page.brokenAt = v.optionalInteger(0, 0);
    }
    return page;
}

} // namespace qc::db
