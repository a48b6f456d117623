#include "investigation.h"

#include "db/dashboardqueries.h"
#include "enforcement/ipaddress.h"
#include "querysupport_p.h"

#include <QElapsedTimer>
#include <QRegularExpression>

namespace qc::db {

using namespace Qt::StringLiterals;
using detail::bind;
using detail::PgQuery;
using detail::us;

namespace {

// Ranges up to this long get a fine activity chart from request_logs; longer ones are drawn
// from the hourly rollup.
constexpr qint64 kFineRangeSeconds = 6 * 3600;

// The client key of an address subject (IP-scoped rules and incidents use it).
QString clientKeyOf(const QString& address)
{
    const auto ip = enforcement::IpAddress::parse(address.toStdString());
    return ip ? QString::fromStdString(enforcement::clientKey(*ip)) : address;
}

// SQL: the identifier column `column` (an address or an IPv6 client key) lies in `network`.
// The addresses of a network of at most 4,096 are listed (equality reads each from the
// identifier's index); a larger network's are narrowed by their text prefix, then tested.
QString inNetwork(const QString& column, const QString& network, QVariantList& params)
{
    if (const QString listed = detail::networkAddressArray(network); !listed.isEmpty())
        return column + u" = ANY ("_s + bind(params, listed) + u"::text[])"_s;
    return column + u" LIKE "_s + bind(params, detail::networkPrefixPattern(network))
        + u" AND (CASE WHEN position('/' IN "_s + column + u") > 0 THEN "_s + column
        + u"::inet ELSE quota.enf_parse_ip("_s + column + u") END) <<= "_s + bind(params, network)
        + u"::inet"_s;
}

QString stepText(std::chrono::seconds step)
{
    return QString::number(step.count()) + u" seconds"_s;
}

// The activity of every step from `origin` to the end of the range, zero where the query has
// no row (the steps without requests): a line chart of only the rows would draw a slope across
// hours in which nothing happened.
void readActivity(
    const PgQuery& q, InvestigationTimeline& t, const QDateTime& origin, std::chrono::seconds step)
{
    const auto rowPoint = [&q](int r) {
        ActivityPoint p;
        p.t = q.timeUs(r, 0);
        p.requests = q.integer(r, 1);
        p.denials = q.integer(r, 2);
        p.costUsd = q.number(r, 3);
        return p;
    };
    int r = 0;
    for (QDateTime at = origin; at < t.to; at = at.addSecs(step.count())) {
        for (; r < q.rows() && q.timeUs(r, 0) < at; ++r)
            t.activity.append(rowPoint(r)); // off the grid: kept as it is
        if (r < q.rows() && q.timeUs(r, 0) == at) {
            t.activity.append(rowPoint(r++));
        } else {
            ActivityPoint zero;
            zero.t = at;
            t.activity.append(zero);
        }
    }
    for (; r < q.rows(); ++r)
        t.activity.append(rowPoint(r));
}

} // namespace

std::optional<Subject> Subject::parse(const QString& typed, QString* error)
{
    const auto fail = [&](const QString& message) -> std::optional<Subject> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    const QString text = typed.trimmed();
    if (text.isEmpty())
        return fail(u"Type an IP address, a network such as 198.51.100.0/24, a user id or an "
                    "endpoint such as /api/chat."_s);
    if (text.startsWith(u"user:")) {
        if (text.size() == 5)
            return fail(u"'user:' needs a user id after it."_s);
        return Subject { Kind::User, text.mid(5) };
    }
    if (text.startsWith(u"endpoint:"))
        return Subject { Kind::Endpoint, text.mid(9) };
    if (text.startsWith(u'/'))
        return Subject { Kind::Endpoint, text };
    const std::string s = text.toStdString();
    if (text.contains(u'/')) {
        const auto cidr = enforcement::Cidr::parse(s);
        if (!cidr)
            return fail(
                u"'%1' is not a network; use e.g. 198.51.100.0/24 or 2001:db8:1:2::/64."_s.arg(
                    text));
        const bool single = cidr->prefix128 == 128;
        if (single)
            return Subject { Kind::Ip, QString::fromStdString(cidr->base.toString()) };
        return Subject { Kind::Network, QString::fromStdString(cidr->toString()) };
    }
    if (const auto ip = enforcement::IpAddress::parse(s))
        return Subject { Kind::Ip, QString::fromStdString(ip->toString()) };
    static const QRegularExpression looksLikeV4(u"^[0-9]+(\\.[0-9]+){3}$"_s);
    static const QRegularExpression looksLikeV6(u"^[0-9A-Fa-f]*:[0-9A-Fa-f:.]*$"_s);
    if (looksLikeV4.match(text).hasMatch() || looksLikeV6.match(text).hasMatch())
        return fail(u"'%1' is not a valid IP address; use e.g. 203.0.113.7 or 2001:db8::1 (or "
                    "user:%1 for a user of that name)."_s.arg(text));
    return Subject { Kind::User, text };
}

std::optional<Subject> Subject::enclosingNetwork() const
{
    if (kind != Kind::Ip)
        return std::nullopt;
    const auto ip = enforcement::IpAddress::parse(value.toStdString());
    if (!ip)
        return std::nullopt;
    const int prefix = ip->isV4() ? 96 + 24 : 64;
    const enforcement::Cidr cidr { ip->masked(prefix), prefix };
    return Subject { Kind::Network, QString::fromStdString(cidr.toString()) };
}

RequestLogFilter Subject::requestFilter(const QDateTime& from, const QDateTime& to) const
{
    RequestLogFilter f;
    f.from = from;
    f.to = to;
    switch (kind) {
    case Kind::Ip:
        f.ip = value;
        break;
    case Kind::Network:
        f.network = value;
        break;
    case Kind::User:
        f.userId = value;
        break;
    case Kind::Endpoint:
        f.endpoint = value;
        break;
    }
    return f;
}

QString Subject::kindName() const
{
    switch (kind) {
    case Kind::Ip:
        return u"ip"_s;
    case Kind::Network:
        return u"network"_s;
    case Kind::User:
        return u"user"_s;
    case Kind::Endpoint:
        break;
    }
    return u"endpoint"_s;
}

InvestigationTimeline readInvestigationTimeline(QSqlDatabase database, const Subject& subject,
    const QDateTime& fromTime, const QDateTime& toTime, int firstPageRows)
{
    InvestigationTimeline t;
    QElapsedTimer timer;
    timer.start();
    t.subject = subject;
    t.from = fromTime.toUTC();
    t.to = toTime.toUTC();
    if (!t.from.isValid() || !t.to.isValid() || t.from >= t.to) {
        t.error = u"the time range is empty"_s;
        return t;
    }
    const qint64 seconds = t.from.secsTo(t.to);
    const bool fine = seconds <= kFineRangeSeconds && subject.kind != Subject::Kind::Endpoint;
    QVariantList params;
    QString sql;
    // The chart's steps: from the range's start at the dashboard's step, or its whole hours.
    QDateTime origin = t.from;
    std::chrono::seconds stepLength = defaultStep(std::chrono::seconds(seconds));
    if (subject.kind == Subject::Kind::Endpoint) {
        // rollup_minute: one row per minute · endpoint · plan · decision · reason.
        const QString step = stepText(stepLength);
        const QString from = bind(params, t.from);
        const QString to = bind(params, t.to);
        const QString ep = bind(params, subject.value);
        const QString st = bind(params, step);
        sql = u"SELECT "_s
            + us(u"date_bin("_s + st + u"::interval, bucket, "_s + from + u"::timestamptz)"_s)
            + u", sum(requests), coalesce(sum(requests) FILTER (WHERE decision = 'denied'), 0), "
              "sum(cost_usd) FROM quota.rollup_minute WHERE bucket >= "_s
            + from + u"::timestamptz AND bucket < "_s + to + u"::timestamptz AND endpoint = "_s + ep
            + u" GROUP BY 1 ORDER BY 1"_s;
    } else if (fine) {
        // Short ranges: exact, per step, from the subject's indexed request_logs rows.
        const QString step = stepText(stepLength);
        const QStringList where = requestLogConditions(subject.requestFilter(t.from, t.to), params);
        const QString st = bind(params, step);
        const QString from = bind(params, t.from);
        sql = u"SELECT "_s
            + us(u"date_bin("_s + st + u"::interval, ts, "_s + from + u"::timestamptz)"_s)
            + u", count(*), count(*) FILTER (WHERE decision = 'denied'), coalesce(sum(cost_usd), "
              u"0) "
              "FROM quota.request_logs WHERE "_s
            + where.join(u" AND "_s) + u" GROUP BY 1 ORDER BY 1"_s;
    } else {
        origin = QDateTime::fromSecsSinceEpoch(t.from.toSecsSinceEpoch() / 3600 * 3600, Qt::UTC);
        stepLength = std::chrono::hours(1);
        const QString from = bind(params, t.from);
        const QString to = bind(params, t.to);
        QString match;
        if (subject.kind == Subject::Kind::Network) {
            match = u"kind = 'ip' AND "_s + inNetwork(u"identifier"_s, subject.value, params);
        } else {
            match = (subject.kind == Subject::Kind::User ? u"kind = 'user'"_s : u"kind = 'ip'"_s)
                + u" AND identifier = "_s + bind(params, subject.value);
        }
        sql = u"SELECT "_s + us(u"bucket"_s)
            + u", sum(requests), sum(denials), sum(cost_usd) FROM quota.rollup_identifier_hour "
              "WHERE bucket >= date_trunc('hour', "_s
            + from + u"::timestamptz, 'UTC') AND bucket < "_s + to + u"::timestamptz AND "_s + match
            + u" GROUP BY bucket ORDER BY bucket"_s;
    }
    const PgQuery activity(database, u"activity"_s, sql, params);
    if (!activity.ok()) {
        t.error = activity.error();
        return t;
    }
    readActivity(activity, t, origin, stepLength);
    for (const ActivityPoint& p : std::as_const(t.activity)) {
        t.requests += p.requests;
        t.denials += p.denials;
        t.costUsd += p.costUsd;
        if (p.requests > 0) {
            if (!t.firstSeen.isValid())
                t.firstSeen = p.t;
            t.lastSeen = p.t;
        }
    }
    if (firstPageRows > 0) {
        t.firstPage
            = fetchRequestLogPage(database, subject.requestFilter(t.from, t.to), {}, firstPageRows);
        if (!t.firstPage.ok())
            t.error = t.firstPage.error;
    }
    t.queryMs = timer.elapsed();
    return t;
}

namespace {

void readDenials(QSqlDatabase db, const Subject& s, const QDateTime& from, const QDateTime& to,
    InvestigationDetails& d)
{
    QVariantList params;
    QString sql;
    if (s.kind == Subject::Kind::Endpoint) {
        const QString f = bind(params, from);
        const QString t = bind(params, to);
        const QString ep = bind(params, s.value);
        sql = u"SELECT reason, sum(requests) FROM quota.rollup_minute WHERE bucket >= "_s + f
            + u"::timestamptz AND bucket < "_s + t + u"::timestamptz AND endpoint = "_s + ep
            + u" AND decision = 'denied' GROUP BY reason ORDER BY 2 DESC, 1"_s;
    } else {
        const QStringList where = requestLogConditions(s.requestFilter(from, to), params);
        sql = u"SELECT coalesce(reason, ''), count(*) FROM quota.request_logs WHERE "_s
            + where.join(u" AND "_s) + u" AND decision = 'denied' GROUP BY 1 ORDER BY 2 DESC, 1"_s;
    }
    const PgQuery q(db, u"denials by reason"_s, sql, params);
    if (!q.ok()) {
        d.warnings << q.error();
        return;
    }
    for (int r = 0; r < q.rows(); ++r)
        d.denialsByReason.append({ q.text(r, 0), q.integer(r, 1) });
}

void readSubjectBlocks(QSqlDatabase db, const Subject& s, InvestigationDetails& d)
{
    QVariantList params;
    QString condition;
    switch (s.kind) {
    case Subject::Kind::Ip: {
        const QString ip = bind(params, s.value);
        condition = u"((b.target = 'ip' AND b.value = "_s + ip
            + u") OR (b.target = 'network' AND quota.enf_parse_ip("_s + ip
            + u") <<= b.value::inet))"_s;
        break;
    }
    case Subject::Kind::Network: {
        const QString net = bind(params, s.value);
        condition = u"((b.target = 'network' AND b.value::inet && "_s + net
            + u"::inet) OR (b.target = 'ip' AND quota.enf_parse_ip(b.value) <<= "_s + net
            + u"::inet))"_s;
        break;
    }
    case Subject::Kind::User:
        condition = u"b.target = 'user' AND b.value = "_s + bind(params, s.value);
        break;
    case Subject::Kind::Endpoint:
        return;
    }
    const BlockList blocks = readBlocksMatching(db, condition, params, 200);
    if (!blocks.ok())
        d.warnings << blocks.error;
    d.blocks = blocks.blocks;
}

void readSubjectIncidents(QSqlDatabase db, const Subject& s, const QDateTime& from,
    const QDateTime& to, InvestigationDetails& d)
{
    QVariantList params;
    QStringList where { u"i.ts >= "_s + bind(params, from) + u"::timestamptz"_s,
        u"i.ts < "_s + bind(params, to) + u"::timestamptz"_s };
    switch (s.kind) {
    case Subject::Kind::Ip:
        where << u"i.scope = 'ip' AND i.identifier = "_s + bind(params, clientKeyOf(s.value));
        break;
    case Subject::Kind::Network:
        where << u"i.scope = 'ip' AND "_s + inNetwork(u"i.identifier"_s, s.value, params);
        break;
    case Subject::Kind::User: {
        const QString user = bind(params, s.value);
        where << u"((i.scope = 'user' AND i.identifier = "_s + user
                + u") OR i.details->>'user_id' = "_s + user + u')';
        break;
    }
    case Subject::Kind::Endpoint:
        where << u"i.details->>'endpoint' = "_s + bind(params, s.value);
        break;
    }
    const IncidentList incidents = readIncidentsMatching(db, where.join(u" AND "_s), params, 500);
    if (!incidents.ok())
        d.warnings << incidents.error;
    d.incidents = incidents.incidents;
}

void readSubjectCollisions(QSqlDatabase db, const Subject& s, const QDateTime& from,
    const QDateTime& to, const QDateTime& now, InvestigationDetails& d)
{
    QVariantList params;
    QStringList where { u"ts >= "_s + bind(params, from) + u"::timestamptz"_s,
        u"ts < "_s + bind(params, to) + u"::timestamptz"_s };
    QString match;
    switch (s.kind) {
    case Subject::Kind::Ip:
        match = u"client_key = "_s + bind(params, clientKeyOf(s.value));
        break;
    case Subject::Kind::Network:
        match = inNetwork(u"client_key"_s, s.value, params);
        break;
    case Subject::Kind::User:
        match = u"scope = "_s + bind(params, QString(u"user:"_s + s.value));
        break;
    case Subject::Kind::Endpoint:
        match = u"endpoint = "_s + bind(params, s.value);
        break;
    }
    where << match;
    const PgQuery q(db, u"idempotency collisions"_s,
        u"SELECT id, "_s + us(u"ts"_s)
            + u", scope, key, request_id, first_request_id, flags, kind, different_parameters, "
              "late, different_user_agent, user_id, client_key, endpoint, method, "
              "stored_user_agent, user_agent, "_s
            + us(u"first_seen"_s) + u", ms_since_first FROM quota.idempotency_collisions WHERE "_s
            + where.join(u" AND "_s) + u" ORDER BY ts DESC, id DESC LIMIT 500"_s,
        params);
    if (!q.ok()) {
        d.warnings << q.error();
        return;
    }
    for (int r = 0; r < q.rows(); ++r) {
        CollisionRow c;
        c.id = q.integer(r, 0);
        c.ts = q.timeUs(r, 1);
        c.scope = q.text(r, 2);
        c.key = q.text(r, 3);
        c.requestId = q.text(r, 4);
        c.firstRequestId = q.text(r, 5);
        c.flags = int(q.integer(r, 6));
        c.kind = q.text(r, 7);
        c.differentParameters = q.boolean(r, 8);
        c.late = q.boolean(r, 9);
        c.differentUserAgent = q.boolean(r, 10);
        c.userId = q.text(r, 11);
        c.clientKey = q.text(r, 12);
        c.endpoint = q.text(r, 13);
        c.method = q.text(r, 14);
        c.storedUserAgent = q.text(r, 15);
        c.userAgent = q.text(r, 16);
        c.firstSeen = q.timeUs(r, 17);
        c.msSinceFirst = q.integer(r, 18);
        d.collisions.append(c);
    }
    if (s.kind == Subject::Kind::User) {
        const PgQuery n(db, u"collisions in 24 h"_s,
            u"SELECT count(*) FROM quota.idempotency_collisions WHERE scope = $1 "
            "AND ts >= $2::timestamptz - interval '24 hours' AND ts < $2::timestamptz"_s,
            { QString(u"user:"_s + s.value), now.toUTC() });
        if (n.ok())
            d.collisions24h = n.integer(0, 0);
        else
            d.warnings << n.error();
    }
}

// The current cycle's usage of every metric of the active policy, with the limit of the
// plan that applies (the previous one during a downgrade's grace), as quota_check decides.
QList<UsageRow> readUsage(
    QSqlDatabase db, const QString& userId, const QDateTime& now, QString* error)
{
    QList<UsageRow> out;
    const PgQuery q(db, u"plan usage"_s,
        uR"(WITH v AS (
    SELECT s.version_id, s.billing_cycle_ms, s.default_plan, s.plan_names
    FROM quota.enf_settings s JOIN quota.policy_versions p ON p.id = s.version_id AND p.active),
c AS (
    SELECT CASE WHEN v.billing_cycle_ms > 0
                THEN quota.enf_tstz(quota.enf_ms($2::timestamptz) / v.billing_cycle_ms * v.billing_cycle_ms)
                ELSE date_trunc('month', $2::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' END AS cycle_start
    FROM v),
sub AS (SELECT plan, previous_plan, grace_end FROM quota.subscriptions WHERE user_id = $1),
eff AS (
    SELECT coalesce(CASE WHEN sub.grace_end > $2::timestamptz THEN sub.previous_plan END,
                    CASE WHEN sub.plan = ANY (v.plan_names) THEN sub.plan END, v.default_plan) AS plan
    FROM v LEFT JOIN sub ON true)
SELECT m.metric, coalesce(u.used, 0), coalesce(q.lim, -1), eff.plan, )"_s
            + us(u"c.cycle_start"_s) + uR"(
FROM (SELECT DISTINCT metric FROM quota.enf_endpoint_metrics
      WHERE version_id = (SELECT version_id FROM v)) m
CROSS JOIN c CROSS JOIN eff
LEFT JOIN quota.quota_usage u ON u.user_id = $1 AND u.metric = m.metric AND u.cycle_start = c.cycle_start
LEFT JOIN quota.enf_plan_quotas q ON q.version_id = (SELECT version_id FROM v)
     AND q.plan = eff.plan AND q.metric = m.metric
ORDER BY m.metric)"_s,
        { userId, now.toUTC() });
    if (!q.ok()) {
        if (error)
            *error = q.error();
        return out;
    }
    for (int r = 0; r < q.rows(); ++r) {
        UsageRow u;
        u.metric = q.text(r, 0);
        u.used = q.integer(r, 1);
        u.limit = q.integer(r, 2);
        u.limitPlan = q.text(r, 3);
        u.cycleStart = q.timeUs(r, 4);
        out.append(u);
    }
    return out;
}

std::optional<PlanInfo> readPlanInfo(QSqlDatabase db, const QString& userId, QString* error)
{
    const PgQuery q(db, u"subscription"_s,
        u"SELECT s.plan, s.previous_plan, "_s + us(u"s.grace_end"_s) + u", "_s
            + us(u"s.cycle_anchor"_s) + u", s.version, s.updated_by, "_s + us(u"s.updated_at"_s)
            + u", (SELECT e.default_plan FROM quota.enf_settings e JOIN quota.policy_versions p "
              "ON p.id = e.version_id AND p.active) "
              "FROM (SELECT 1) AS one LEFT JOIN quota.subscriptions s ON s.user_id = $1"_s,
        { userId });
    if (!q.ok()) {
        if (error)
            *error = q.error();
        return std::nullopt;
    }
    PlanInfo p;
    p.hasSubscription = !q.isNull(0, 0);
    p.plan = p.hasSubscription ? q.text(0, 0) : q.text(0, 7);
    p.previousPlan = q.text(0, 1);
    p.graceEnd = q.timeUs(0, 2);
    p.cycleAnchor = q.timeUs(0, 3);
    p.version = p.hasSubscription ? q.integer(0, 4) : 0;
    p.updatedBy = q.text(0, 5);
    p.updatedAt = q.timeUs(0, 6);
    return p;
}

void readPlanChanges(QSqlDatabase db, const QString& userId, InvestigationDetails& d)
{
    const PgQuery q(db, u"plan changes"_s,
        u"SELECT id, user_id, from_plan, to_plan, kind, "_s + us(u"effective_at"_s)
            + u", previous_plan, "_s + us(u"grace_end"_s)
            + u", changed_by, reason FROM quota.plan_change_log WHERE user_id = $1 "
              "ORDER BY effective_at DESC, id DESC LIMIT 200"_s,
        { userId });
    if (!q.ok()) {
        d.warnings << q.error();
        return;
    }
    for (int r = 0; r < q.rows(); ++r) {
        PlanChangeRow c;
        c.id = q.integer(r, 0);
        c.userId = q.text(r, 1);
        c.fromPlan = q.text(r, 2);
        c.toPlan = q.text(r, 3);
        c.kind = q.text(r, 4);
        c.effectiveAt = q.timeUs(r, 5);
        c.previousPlan = q.text(r, 6);
        c.graceEnd = q.timeUs(r, 7);
        c.changedBy = q.text(r, 8);
        c.reason = q.text(r, 9);
        d.planChanges.append(c);
    }
}

void readRateLimits(
    QSqlDatabase db, const Subject& s, const QDateTime& now, InvestigationDetails& d)
{
    const PgQuery q(db, u"rate-limit state"_s,
        u"SELECT ord, rule_id, scope, algorithm, shadow, identifier, endpoint, lim, used, "
        "remaining, window_ms, "_s
            + us(u"reset_at"_s) + u", admits, note, "_s + us(u"updated_at"_s)
            + u" FROM quota.rate_limit_state($1, $2, $3::timestamptz)"_s,
        { s.kindName(), s.value, now.toUTC() });
    if (!q.ok()) {
        d.warnings << q.error();
        return;
    }
    for (int r = 0; r < q.rows(); ++r) {
        RateLimitState st;
        st.order = int(q.integer(r, 0));
        st.ruleId = q.text(r, 1);
        st.scope = q.text(r, 2);
        st.algorithm = q.text(r, 3);
        st.shadow = q.boolean(r, 4);
        st.identifier = q.text(r, 5);
        st.endpoint = q.text(r, 6);
        st.limit = q.integer(r, 7);
        st.used = q.integer(r, 8);
        st.remaining = q.integer(r, 9);
        st.windowMs = q.integer(r, 10);
        st.resetAt = q.timeUs(r, 11);
        st.admits = q.boolean(r, 12);
        st.note = q.text(r, 13);
        st.updatedAt = q.timeUs(r, 14);
        d.rateLimits.append(st);
    }
}

void readRelated(QSqlDatabase db, const Subject& s, const QDateTime& from, const QDateTime& to,
    InvestigationDetails& d)
{
    const bool ofUser = s.kind != Subject::Kind::User;
    const QString column = ofUser ? u"user_id"_s : u"ip"_s;
    QVariantList params;
    const QStringList where = requestLogConditions(s.requestFilter(from, to), params);
    const PgQuery q(db, u"related identifiers"_s,
        u"SELECT "_s + column
            + u", count(*), count(*) FILTER (WHERE decision = 'denied') FROM quota.request_logs "
              "WHERE "_s
            + where.join(u" AND "_s) + u" AND coalesce("_s + column
            + u", '') <> '' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20"_s,
        params);
    if (!q.ok()) {
        d.warnings << q.error();
        return;
    }
    for (int r = 0; r < q.rows(); ++r)
        d.related.append(
            { ofUser ? u"user"_s : u"ip"_s, q.text(r, 0), q.integer(r, 1), q.integer(r, 2) });
}

} // namespace

InvestigationDetails readInvestigationDetails(QSqlDatabase database, const Subject& subject,
    const QDateTime& fromTime, const QDateTime& toTime, const QDateTime& now)
{
    InvestigationDetails d;
    QElapsedTimer timer;
    timer.start();
    d.subject = subject;
    const QDateTime from = fromTime.toUTC();
    const QDateTime to = toTime.toUTC();
    if (!from.isValid() || !to.isValid() || from >= to) {
        d.error = u"the time range is empty"_s;
        return d;
    }
    readDenials(database, subject, from, to, d);
    readSubjectBlocks(database, subject, d);
    readSubjectIncidents(database, subject, from, to, d);
    readSubjectCollisions(database, subject, from, to, now, d);
    if (subject.kind == Subject::Kind::User) {
        QString error;
        d.plan = readPlanInfo(database, subject.value, &error);
        if (!error.isEmpty())
            d.warnings << error;
        error.clear();
        d.usage = readUsage(database, subject.value, now, &error);
        if (!error.isEmpty())
            d.warnings << error;
        readPlanChanges(database, subject.value, d);
    }
    readRateLimits(database, subject, now, d);
    readRelated(database, subject, from, to, d);
    d.queryMs = timer.elapsed();
    return d;
}

SpanOverview readSpanOverview(
    QSqlDatabase database, const QDateTime& fromTime, const QDateTime& toTime, int limit)
{
    SpanOverview o;
    o.from = fromTime.toUTC();
    o.to = toTime.toUTC();
    // The minute rollup's rows cover whole minutes: start on one.
    const QDateTime start
        = QDateTime::fromSecsSinceEpoch(o.from.toSecsSinceEpoch() / 60 * 60, Qt::UTC);
    const auto readTop = [&](const QString& what, const QString& sql, const QVariantList& params,
                             bool endpoints, QList<TopRow>& out) {
        const PgQuery q(database, what, sql, params);
        if (!q.ok()) {
            o.error = q.error();
            return false;
        }
        for (int r = 0; r < q.rows() && r < limit; ++r) {
            TopRow t;
            t.identifier = q.text(r, 0);
            t.requests = q.integer(r, 1);
            t.denials = q.integer(r, 2);
            t.denialPercent = q.number(r, 3);
            t.costUsd = q.number(r, 4);
            if (endpoints)
                t.p95Ms = q.optionalNumber(r, 5);
            out.append(t);
        }
        return true;
    };
    if (!readTop(u"top IPs"_s, dashboardsql::topIdentifiers(u"ip"_s),
            { start, o.to, qint64(limit) }, false, o.ips))
        return o;
    if (!readTop(u"top users"_s, dashboardsql::topIdentifiers(u"user"_s),
            { start, o.to, qint64(limit) }, false, o.users))
        return o;
    readTop(u"top endpoints"_s, dashboardsql::topEndpoints(), { start, o.to }, true, o.endpoints);
    return o;
}

PlanOverview readPlanOverview(QSqlDatabase database, const QString& userId, const QDateTime& now)
{
    PlanOverview o;
    o.userId = userId;
    QString error;
    const auto info = readPlanInfo(database, userId, &error);
    if (!info) {
        o.error = error;
        return o;
    }
    o.current = *info;
    o.usage = readUsage(database, userId, now, &error);
    if (!error.isEmpty()) {
        o.error = error;
        return o;
    }
    const PgQuery plans(database, u"plans"_s,
        u"SELECT name, rank, paid, quotas::text FROM quota.plans ORDER BY display_order, rank"_s);
    if (!plans.ok()) {
        o.error = plans.error();
        return o;
    }
    for (int r = 0; r < plans.rows(); ++r)
        o.plans.append({ plans.text(r, 0), int(plans.integer(r, 1)), plans.boolean(r, 2),
            plans.jsonObject(r, 3) });
    const PgQuery settings(database, u"policy settings"_s,
        u"SELECT s.downgrade_grace_ms, s.default_plan FROM quota.enf_settings s "
        "JOIN quota.policy_versions p ON p.id = s.version_id AND p.active"_s);
    if (!settings.ok()) {
        o.error = settings.error();
        return o;
    }
    if (settings.rows() == 0) {
        o.error = u"there is no active, compiled policy; roll out a policy first"_s;
        return o;
    }
    o.downgradeGraceMs = settings.integer(0, 0);
    o.defaultPlan = settings.text(0, 1);
    return o;
}

} // namespace qc::db
