#include "requestlog.h"

#include "db/pgconnection.h"
#include "enforcement/ipaddress.h"
#include "querysupport_p.h"

#include <QElapsedTimer>
#include <QIODevice>

#include <libpq-fe.h>

namespace qc::db {

using namespace Qt::StringLiterals;
using detail::bind;
using detail::PgQuery;

namespace {

const QString kColumns
    = u"id, "_s + detail::us(u"ts"_s) + uR"(, request_id, endpoint, method, user_id, plan, ip,
       forwarded_for, user_agent, country, idempotency_key, request_hash, quota_check_ms,
       response_ms, status, decision, reason, rule, cost_usd, tokens, model, fail_open,
       collision, would_deny)"_s;

const QStringList kKnownReasons = { u"skipped"_s, u"invalid_identifier"_s, u"blocked"_s,
    u"idempotent_replay"_s, u"idempotency_conflict"_s, u"rate_limited"_s, u"quota_exceeded"_s,
    u"admitted"_s, u"fail_open"_s };

RequestLogRow readRow(const PgQuery& q, int r)
{
    RequestLogRow row;
    row.id = q.integer(r, 0);
    row.tsMicros = q.integer(r, 1);
    row.ts = detail::fromMicros(row.tsMicros);
    row.requestId = q.text(r, 2);
    row.endpoint = q.text(r, 3);
    row.method = q.text(r, 4);
    row.userId = q.text(r, 5);
    row.plan = q.text(r, 6);
    row.ip = q.text(r, 7);
    row.forwardedFor = q.text(r, 8);
    row.userAgent = q.text(r, 9);
    row.country = q.text(r, 10);
    row.idempotencyKey = q.text(r, 11);
    row.requestHash = q.text(r, 12);
    row.quotaCheckMs = q.optionalNumber(r, 13);
    row.responseMs = q.optionalInteger(r, 14);
    row.status = q.optionalInteger(r, 15);
    row.decision = q.text(r, 16);
    row.reason = q.text(r, 17);
    row.rule = q.text(r, 18);
    row.costUsd = q.optionalNumber(r, 19);
    row.tokens = q.optionalInteger(r, 20);
    row.model = q.text(r, 21);
    row.failOpen = q.boolean(r, 22);
    row.collision = int(q.integer(r, 23));
    row.wouldDeny = q.text(r, 24);
    return row;
}

// A filter's network: its canonical text and the LIKE pattern of its addresses' texts.
struct NetworkMatch {
    QString canonical;
    QString pattern;

    explicit NetworkMatch(const QString& network)
        : pattern(detail::networkPrefixPattern(network))
    {
        const auto cidr = enforcement::Cidr::parse(network.trimmed().toStdString());
        canonical = cidr ? QString::fromStdString(cidr->toString()) : network.trimmed();
    }

    // An IPv4 network of at least one whole octet: its addresses' texts share a prefix.
    bool hasTextPrefix() const { return !pattern.startsWith(u'%'); }
};

// The addresses of the filter's network that made requests in its range, from the hourly
// rollup: an array expression.
QString networkAddresses(const RequestLogFilter& f, QVariantList& params)
{
    const NetworkMatch n(f.network);
    return u"ARRAY(SELECT DISTINCT h.identifier FROM quota.rollup_identifier_hour h "
           "WHERE h.kind = 'ip' AND h.bucket >= coalesce(date_trunc('hour', "_s
        + bind(params, detail::timeParam(f.from))
        + u"::timestamptz, 'UTC'), '-infinity') AND h.bucket < coalesce("_s
        + bind(params, detail::timeParam(f.to))
        + u"::timestamptz, 'infinity') AND h.identifier LIKE "_s + bind(params, n.pattern)
        + u" AND quota.enf_parse_ip(h.identifier) <<= "_s + bind(params, n.canonical)
        + u"::inet)"_s;
}

QStringList conditionsOf(const RequestLogFilter& f, QVariantList& params)
{
    QStringList where;
    const auto param = [&](const QVariant& v) { return bind(params, v); };
    if (f.from.isValid())
        where << u"ts >= "_s + param(f.from.toUTC()) + u"::timestamptz"_s;
    if (f.to.isValid())
        where << u"ts < "_s + param(f.to.toUTC()) + u"::timestamptz"_s;
    if (!f.ip.isEmpty())
        where << u"ip = "_s + param(f.ip);
    // A network's addresses (listed when it has at most 4,096, else those that made requests
    // in the range, from the hourly rollup), then request_logs through its (ip, ts) index.
    if (!f.network.isEmpty()) {
        const QString listed = detail::networkAddressArray(f.network);
        where << u"ip = ANY ("_s
                + (listed.isEmpty() ? networkAddresses(f, params) : param(listed) + u"::text[]"_s)
                + u')';
    }
    if (!f.userId.isEmpty())
        where << u"user_id = "_s + param(f.userId);
    if (!f.endpoint.isEmpty()) {
        if (f.endpoint.contains(u'*') || f.endpoint.contains(u'?'))
            where << u"endpoint LIKE "_s + param(detail::globToLike(f.endpoint));
        else
            where << u"endpoint = "_s + param(f.endpoint);
    }
    if (f.status)
        where << u"status = "_s + param(qint64(*f.status)) + u"::smallint"_s;
    if (!f.decision.isEmpty())
        where << u"decision = "_s + param(f.decision);
    if (!f.reason.isEmpty())
        where << u"reason = "_s + param(f.reason);
    if (!f.rule.isEmpty())
        where << u"rule = "_s + param(f.rule);
    if (!f.requestId.isEmpty())
        where << u"request_id = "_s + param(f.requestId);
    return where;
}

QString whereClause(const QStringList& where)
{
    return where.isEmpty() ? QString() : u" WHERE "_s + where.join(u" AND "_s);
}

void appendCsv(QByteArray& out, const QString& text)
{
    if (text.isEmpty())
        return;
    const QByteArray utf8 = text.toUtf8();
    bool quote = false;
    for (const char c : utf8) {
        if (c == ',' || c == '"' || c == '\n' || c == '\r') {
            quote = true;
            break;
        }
    }
    if (!quote) {
        out += utf8;
        return;
    }
    out += '"';
    for (const char c : utf8) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}

QString optionalText(const std::optional<qint64>& v)
{
    return v ? QString::number(*v) : QString();
}

} // namespace

QStringList requestLogConditions(const RequestLogFilter& filter, QVariantList& params)
{
    return conditionsOf(filter, params);
}

void RequestLogFilter::setIdentifier(const QString& text)
{
    ip.clear();
    network.clear();
    userId.clear();
    const QString t = text.trimmed();
    if (t.isEmpty())
        return;
    if (t.startsWith(u"user:")) {
        userId = t.mid(5);
        return;
    }
    const std::string s = t.toStdString();
    // An address with a prefix is a network, also a wrong one (validateFilter says so).
    if (t.contains(u'/') && enforcement::IpAddress::parse(t.section(u'/', 0, 0).toStdString())) {
        network = t;
        return;
    }
    if (enforcement::IpAddress::parse(s)) {
        ip = t;
        return;
    }
    userId = text;
}

QString RequestLogFilter::identifier() const
{
    if (!ip.isEmpty())
        return ip;
    if (!network.isEmpty())
        return network;
    if (userId.isEmpty())
        return {};
    const std::string s = userId.trimmed().toStdString();
    if (enforcement::IpAddress::parse(s) || enforcement::Cidr::parse(s))
        return u"user:"_s + userId;
    return userId;
}

QString validateFilter(const RequestLogFilter& f)
{
    QStringList problems;
    if (f.from.isValid() && f.to.isValid() && f.from >= f.to)
        problems << u"time range: the start %1 is not before the end %2"_s.arg(
            f.from.toUTC().toString(Qt::ISODate), f.to.toUTC().toString(Qt::ISODate));
    if (!f.network.isEmpty()) {
        const QString n = f.network.trimmed();
        const auto cidr = enforcement::Cidr::parse(n.toStdString());
        if (!cidr || !n.contains(u'/'))
            problems << u"network: '%1' is not a network; use e.g. 198.51.100.0/24 or "
                        "2001:db8:1:2::/64"_s.arg(n);
    }
    if (f.status && (*f.status < 100 || *f.status > 599))
        problems << u"status: %1 is not an HTTP status (100-599)"_s.arg(*f.status);
    if (!f.decision.isEmpty() && f.decision != u"allowed" && f.decision != u"denied")
        problems << u"decision: '%1' is neither allowed nor denied"_s.arg(f.decision);
    if (!f.reason.isEmpty() && !kKnownReasons.contains(f.reason))
        problems << u"reason: '%1' is not a reason code; use one of %2"_s.arg(
            f.reason, kKnownReasons.join(u", "_s));
    return problems.join(u"; "_s);
}

BoundQuery requestLogPageQuery(
    const RequestLogFilter& filter, const RequestLogKey& after, int limit)
{
    BoundQuery b;
    // An IPv4 network's page: its listed addresses (up to 4,096) together with their text
    // prefix, else the prefix and the exact containment test; never the rollup's addresses
    // (`ip = ANY (…)` of those reads and sorts all their rows in the range: a busy /24's day
    // has 150,000 for a page of 200). The planner reads a busy network's newest rows through
    // the (ts) index until it has a page, and a quiet one's from (ip, ts): by the prefix's range
    // under the C collation, by the listed addresses under any other. The listed addresses
    // alone make it overestimate a quiet network's rows and read its whole range by (ts).
    RequestLogFilter rest = filter;
    QString networkRows;
    if (const NetworkMatch n(filter.network); !filter.network.isEmpty() && n.hasTextPrefix()) {
        rest.network.clear();
        const QString listed = detail::networkAddressArray(filter.network);
        if (listed.isEmpty())
            networkRows = u"ip LIKE "_s + bind(b.params, n.pattern)
                + u" AND quota.enf_parse_ip(ip) <<= "_s + bind(b.params, n.canonical) + u"::inet"_s;
        else
            networkRows = u"ip = ANY ("_s + bind(b.params, listed) + u"::text[]) AND ip LIKE "_s
                + bind(b.params, n.pattern);
    }
    QStringList where = conditionsOf(rest, b.params);
    if (!networkRows.isEmpty())
        where << networkRows;
    if (!after.isNull()) {
        // (ts, id) < (after): written so that the ts bound is usable by every ts index.
        const QString ts = u"(timestamptz 'epoch' + "_s + bind(b.params, after.tsMicros)
            + u"::bigint * interval '1 microsecond')"_s;
        where << u"ts <= "_s + ts + u" AND (ts < "_s + ts + u" OR id < "_s
                + bind(b.params, after.id) + u"::bigint)"_s;
    }
    b.sql = u"SELECT "_s + kColumns + u" FROM quota.request_logs"_s + whereClause(where)
        + u" ORDER BY ts DESC, id DESC LIMIT "_s + bind(b.params, qint64(limit) + 1);
    return b;
}

RequestLogPage fetchRequestLogPage(
    QSqlDatabase database, const RequestLogFilter& filter, const RequestLogKey& after, int limit)
{
    RequestLogPage page;
    QElapsedTimer timer;
    timer.start();
    if (const QString problem = validateFilter(filter); !problem.isEmpty()) {
        page.error = problem;
        return page;
    }
    const BoundQuery b = requestLogPageQuery(filter, after, limit);
    const PgQuery q(database, u"request log page"_s, b.sql, b.params);
    if (!q.ok()) {
        page.error = q.error();
        return page;
    }
    const int n = q.rows();
    page.rows.reserve(qMin(n, limit));
    for (int r = 0; r < n && r < limit; ++r)
        page.rows.append(readRow(q, r));
    page.hasMore = n > limit;
    if (!page.rows.isEmpty())
        page.next = page.rows.constLast().key();
    page.queryMs = timer.elapsed();
    return page;
}

QStringList requestLogCsvColumns()
{
    return { u"ts"_s, u"request_id"_s, u"ip"_s, u"forwarded_for"_s, u"user_id"_s, u"plan"_s,
        u"endpoint"_s, u"method"_s, u"user_agent"_s, u"country"_s, u"idempotency_key"_s,
        u"request_hash"_s, u"cost_usd"_s, u"tokens"_s, u"model"_s, u"response_ms"_s, u"status"_s,
        u"decision"_s, u"reason"_s, u"rule"_s, u"id"_s, u"quota_check_ms"_s, u"fail_open"_s,
        u"collision"_s, u"would_deny"_s };
}

ExportResult exportRequestLogCsv(QSqlDatabase database, const RequestLogFilter& filter,
    QIODevice& out, const std::function<bool(const ExportProgress&)>& progress,
    const std::atomic_bool* cancel, int batchRows)
{
    ExportResult result;
    if (const QString problem = validateFilter(filter); !problem.isEmpty()) {
        result.error = problem;
        return result;
    }
    QString connError;
    PGconn* conn = pgConnection(database, &connError);
    if (!conn) {
        result.error = connError;
        return result;
    }

    // The span that progress is measured against: the filter's, else the table's.
    qint64 spanFrom = filter.from.isValid() ? filter.from.toMSecsSinceEpoch() * 1000 : 0;
    qint64 spanTo = filter.to.isValid() ? filter.to.toMSecsSinceEpoch() * 1000 : 0;
    if (!filter.from.isValid() || !filter.to.isValid()) {
        const PgQuery span(conn, u"request log span"_s,
            u"SELECT "_s + detail::us(u"min(ts)"_s) + u", "_s + detail::us(u"max(ts)"_s)
                + u" FROM quota.request_logs"_s);
        if (!span.ok()) {
            result.error = span.error();
            return result;
        }
        if (!filter.from.isValid())
            spanFrom = span.integer(0, 0);
        if (!filter.to.isValid())
            spanTo = span.integer(0, 1) + 1;
    }

    QByteArray buffer = requestLogCsvColumns().join(u',').toUtf8() + '\n';
    if (out.write(buffer) != buffer.size()) {
        result.error = u"cannot write the CSV file: %1"_s.arg(out.errorString());
        return result;
    }

    if (QString e = detail::command(conn, u"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"_s);
        !e.isEmpty()) {
        result.error = e;
        return result;
    }
    const auto finish
        = [&](bool commit) { detail::command(conn, commit ? u"COMMIT"_s : u"ROLLBACK"_s); };
    QVariantList params;
    const QStringList where = conditionsOf(filter, params);
    const PgQuery declare(conn, u"export cursor"_s,
        u"DECLARE qc_request_export NO SCROLL CURSOR FOR SELECT "_s + kColumns
            + u" FROM quota.request_logs"_s + whereClause(where) + u" ORDER BY ts, id"_s,
        params);
    if (!declare.ok()) {
        if (declare.sqlState() == u"57014" || (cancel && cancel->load()))
            result.cancelled = true; // cancelled while waiting (e.g. for a lock)
        else
            result.error = declare.error();
        finish(false);
        return result;
    }
    const QString fetch = u"FETCH FORWARD %1 FROM qc_request_export"_s.arg(qMax(1, batchRows));
    for (;;) {
        if (cancel && cancel->load()) {
            result.cancelled = true;
            break;
        }
        const PgQuery batch(conn, u"export batch"_s, fetch);
        if (!batch.ok()) {
            if (batch.sqlState() == u"57014")
                result.cancelled = true;
            else
                result.error = batch.error();
            break;
        }
        const int n = batch.rows();
        if (n == 0)
            break;
        buffer.clear();
        qint64 lastMicros = 0;
        for (int r = 0; r < n; ++r) {
            const RequestLogRow row = readRow(batch, r);
            lastMicros = row.tsMicros;
            buffer += row.ts.toString(u"yyyy-MM-ddTHH:mm:ss.zzzZ"_s).toUtf8();
            for (const QString& cell :
                { row.requestId, row.ip, row.forwardedFor, row.userId, row.plan, row.endpoint,
                    row.method, row.userAgent, row.country, row.idempotencyKey, row.requestHash,
                    batch.text(r, 19), optionalText(row.tokens), row.model,
                    optionalText(row.responseMs), optionalText(row.status), row.decision,
                    row.reason, row.rule, QString::number(row.id), batch.text(r, 13),
                    row.failOpen ? u"true"_s : u"false"_s, QString::number(row.collision),
                    row.wouldDeny }) {
                buffer += ',';
                appendCsv(buffer, cell);
            }
            buffer += '\n';
        }
        if (out.write(buffer) != buffer.size()) {
            result.error = u"cannot write the CSV file: %1"_s.arg(out.errorString());
            break;
        }
        result.rows += n;
        if (progress) {
            ExportProgress p;
            p.rows = result.rows;
            p.fraction = spanTo > spanFrom
                ? qBound(0.0, double(lastMicros - spanFrom) / double(spanTo - spanFrom), 1.0)
                : 1.0;
            if (!progress(p)) {
                result.cancelled = true;
                break;
            }
        }
    }
    if (!result.error.isEmpty() || result.cancelled) {
        // A cancelled FETCH leaves the transaction aborted; roll it back either way.
        PQclear(PQexec(conn, "CLOSE qc_request_export"));
        finish(false);
        return result;
    }
    PQclear(PQexec(conn, "CLOSE qc_request_export"));
    finish(true);
    return result;
}

} // namespace qc::db
