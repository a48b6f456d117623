#include "backfillcommit.h"

#include "backfillloader.h"
#include "backfillrows.h"
#include "enforcement/jsontext.h"
#include "pgsession.h"

using namespace Qt::StringLiterals;
namespace ef = qc::enforcement;

namespace qc::live {

namespace {

QString execError(PgSession& session, const std::string& sql)
{
    PgResult r = session.exec(sql);
    return r.ok() ? QString() : r.error();
}

QString loadIncidents(PgSession& session, const ef::Policy& policy, qint64 policyVersion,
    const std::vector<IncidentRow>& list, std::uint64_t* blocks)
{
    if (list.empty())
        return {};
    PgResult ids
        = session.exec("SELECT nextval(pg_get_serial_sequence('quota.abuse_incidents', 'id')) FROM "
                       "generate_series(1, "
            + std::to_string(list.size()) + ")");
    if (!ids.ok())
        return ids.error();
    std::string incidents;
    std::string blockRows;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const IncidentRow& row = list[i];
        const ef::Incident& inc = row.incident;
        const ef::AbusePattern& pattern = policy.abuse[std::size_t(inc.pattern)];
        const std::string id(ids.text(int(i), 0));
        incidents += id;
        incidents += '\t';
        appendCopyText(incidents, pattern.id);
        incidents += '\t';
        incidents += ef::toString(inc.scope);
        incidents += '\t';
        appendCopyText(incidents, inc.identifier);
        incidents += '\t';
        appendTimestamp(incidents, inc.ts);
        incidents += '\t';
        incidents += ef::toString(inc.severity);
        incidents += '\t';
        incidents += ef::toString(inc.action);
        incidents += '\t';
        if (inc.blockedUntil > 0)
            appendTimestamp(incidents, inc.blockedUntil);
        else
            incidents += "\\N";
        incidents += '\t';
        appendCopyText(incidents, row.requestId);
        incidents += '\t';
        std::string details = "{\"pattern_name\": ";
        ef::appendJsonString(details, pattern.name);
        details += ", \"kind\": ";
        ef::appendJsonString(details, ef::toString(pattern.kind));
        details += ", \"page\": ";
        details += inc.action == ef::AbuseAction::Escalate ? "true" : "false";
        details += ", \"endpoint\": ";
        ef::appendJsonString(details, row.endpoint);
        details += ", \"user_id\": ";
        if (row.userId.empty())
            details += "null";
        else
            ef::appendJsonString(details, row.userId);
        details += ", \"client_key\": ";
        ef::appendJsonString(details, row.clientKey);
        details += ", \"policy_version\": " + std::to_string(policyVersion);
        details += ", \"source\": \"backfill\"}";
        appendCopyText(incidents, details);
        incidents += '\n';
        if (inc.blockedUntil > 0) {
            const bool user = inc.scope == ef::AbuseScope::User;
            const bool v4 = inc.identifier.find(':') == std::string::npos;
            blockRows += user ? "user" : (v4 ? "ip" : "network");
            blockRows += '\t';
            appendCopyText(blockRows, inc.identifier);
            blockRows += '\t';
            appendTimestamp(blockRows, inc.ts);
            blockRows += '\t';
            appendTimestamp(blockRows, inc.blockedUntil);
            blockRows += "\tabuse pattern ";
            appendCopyText(blockRows, pattern.id);
            blockRows += "\tauto\t" + id + "\tquotactl loadgen --backfill\t";
            appendTimestamp(blockRows, inc.ts);
            blockRows += '\n';
            ++*blocks;
        }
    }
    if (QString e = session.copyIn(
            "COPY quota.abuse_incidents (id, pattern_id, scope, identifier, ts, severity, "
            "action, blocked_until, request_id, details) FROM STDIN",
            incidents);
        !e.isEmpty())
        return e;
    if (blockRows.empty())
        return {};
    return session.copyIn(
        "COPY quota.blocked_identifiers (target, value, blocked_from, blocked_until, reason, "
        "source, incident_id, created_by, created_at) FROM STDIN",
        blockRows);
}

QString seedUsers(PgSession& session, const std::vector<qc::trace::GeneratedUser>& users,
    const ef::Policy& policy, ef::TimeMs startMs)
{
    std::string rows;
    for (const auto& user : users) {
        appendCopyText(rows, user.userId);
        rows += '\t';
        appendCopyText(rows, policy.planIndex(user.plan) >= 0 ? user.plan : policy.defaultPlan);
        rows += '\n';
    }
    PgResult temp
        = session.exec("CREATE TEMP TABLE bf_users (user_id text, plan text) ON COMMIT DROP");
    if (!temp.ok())
        return temp.error();
    if (QString e = session.copyIn("COPY bf_users FROM STDIN", rows); !e.isEmpty())
        return e;
    const std::string start = sqlLiteral(timestampText(startMs));
    PgResult profiles = session.exec(
        "INSERT INTO quota.users (user_id, email, display_name) SELECT user_id, user_id || "
        "'@example.org', initcap(replace(user_id, '-', ' ')) FROM bf_users ON CONFLICT DO "
        "NOTHING");
    if (!profiles.ok())
        return profiles.error();
    PgResult subscriptions = session.exec(
        "WITH ins AS (INSERT INTO quota.subscriptions (user_id, plan, cycle_anchor, updated_by, "
        "updated_at) SELECT user_id, plan, "
        + start
        + ", session_user, now() FROM bf_users ON CONFLICT (user_id) DO NOTHING RETURNING "
          "user_id, plan) INSERT INTO quota.plan_change_log (user_id, from_plan, to_plan, kind, "
          "effective_at, reason) SELECT user_id, NULL, plan, 'initial', "
        + start + ", 'quotactl loadgen --backfill: the plan the history starts on' FROM ins");
    if (!subscriptions.ok())
        return subscriptions.error();
    return {};
}

QString loadEndState(PgSession& session, const std::vector<qc::trace::PlanChange>& changes,
    const ef::Policy& policy, const std::string& usage, const std::string& counters,
    const std::string& ledger, std::uint64_t* planChanges)
{
    const auto exec = [&](const std::string& sql) {
        PgResult r = session.exec(sql);
        return r.ok() ? QString() : r.error();
    };
    for (const qc::trace::PlanChange& change : changes) {
        if (policy.planIndex(change.plan) < 0)
            continue;
        PgResult r = session.execParams(
            "SELECT quota.apply_plan_change($1, $2, $3::timestamptz, NULL, $4)",
            { change.userId, change.plan, timestampText(change.ts),
                "quotactl loadgen --backfill: plan_change scenario, " + change.fromPlan + " to "
                    + change.plan + " mid-cycle" });
        if (!r.ok())
            return u"replaying the plan change of "_s + QString::fromStdString(change.userId)
                + u": "_s + r.error();
        ++*planChanges;
    }
    if (!usage.empty()) {
        if (QString e = exec("CREATE TEMP TABLE bf_usage (LIKE quota.quota_usage) ON COMMIT DROP");
            !e.isEmpty())
            return e;
        if (QString e = session.copyIn(
                "COPY bf_usage (user_id, metric, cycle_start, used, updated_at) FROM STDIN", usage);
            !e.isEmpty())
            return e;
        if (QString e = exec(
                "INSERT INTO quota.quota_usage AS u (user_id, metric, cycle_start, used, "
                "updated_at) SELECT user_id, metric, cycle_start, used, updated_at FROM bf_usage "
                "ORDER BY 1, 2, 3 ON CONFLICT (user_id, metric, cycle_start) DO UPDATE SET used "
                "= u.used + excluded.used, updated_at = greatest(u.updated_at, "
                "excluded.updated_at)");
            !e.isEmpty())
            return e;
    }
    if (!counters.empty()) {
        if (QString e
            = exec("CREATE TEMP TABLE bf_counters (LIKE quota.rate_counters) ON COMMIT DROP");
            !e.isEmpty())
            return e;
        if (QString e = session.copyIn(
                "COPY bf_counters (rule_id, identifier, endpoint, shape, win_index, prev_count, "
                "curr_count, tat_us, updated_ms, expires_ms) FROM STDIN",
                counters);
            !e.isEmpty())
            return e;
        if (QString e = exec(
                "INSERT INTO quota.rate_counters AS c SELECT * FROM bf_counters ORDER BY 1, 2, 3 "
                "ON CONFLICT (rule_id, identifier, endpoint) DO UPDATE SET shape = "
                "excluded.shape, win_index = excluded.win_index, prev_count = "
                "excluded.prev_count, curr_count = excluded.curr_count, tat_us = "
                "excluded.tat_us, updated_ms = excluded.updated_ms, expires_ms = "
                "excluded.expires_ms");
            !e.isEmpty())
            return e;
    }
    if (!ledger.empty()) {
        if (QString e
            = exec("CREATE TEMP TABLE bf_ledger (LIKE quota.idempotency_ledger) ON COMMIT DROP");
            !e.isEmpty())
            return e;
        if (QString e = session.copyIn(
                "COPY bf_ledger (scope, key, request_hash, user_agent, request_id, endpoint, "
                "first_seen_ms, first_seen, allowed, status, rule, lim, remaining, reset_at, "
                "collision_count) FROM STDIN",
                ledger);
            !e.isEmpty())
            return e;
        if (QString e = exec(
                "INSERT INTO quota.idempotency_ledger AS l SELECT * FROM bf_ledger ORDER BY 1, 2 "
                "ON CONFLICT (scope, key) DO NOTHING");
            !e.isEmpty())
            return e;
    }
    return {};
}

struct RollupTable {
    const char* table;
    const char* stage; // the staged table the rows come from
    const char* columns;
    const char* key;
    const char* update;
    // When not empty, the staged rows are summed first: the select list over `stage` and its
    // GROUP BY. `unit` is what the rollup's buckets are truncated to.
    const char* summedAs = "";
    const char* summedBy = "";
    const char* unit = "minute";
};

const RollupTable kRollups[] = {
    { "quota.rollup_minute", kStageMinute, kRollupMinuteColumns,
        "bucket, endpoint, plan, decision, reason",
        "requests = t.requests + excluded.requests, latency_buckets = "
        "quota.array_add(t.latency_buckets, excluded.latency_buckets), latency_count = "
        "t.latency_count + excluded.latency_count, latency_sum_ms = t.latency_sum_ms + "
        "excluded.latency_sum_ms, response_ms_sum = t.response_ms_sum + excluded.response_ms_sum, "
        "cost_usd = t.cost_usd + excluded.cost_usd, tokens = t.tokens + excluded.tokens, "
        "collisions = t.collisions + excluded.collisions, fail_open = t.fail_open + "
        "excluded.fail_open" },
    { "quota.rollup_identifier_hour", kStageIdentifier, kRollupIdentifierColumns,
        "bucket, kind, identifier",
        "requests = t.requests + excluded.requests, denials = t.denials + excluded.denials, "
        "cost_usd = t.cost_usd + excluded.cost_usd" },
    // The identifier day tier, summed from the staged identifier hours; in bulk like the others
    // (its two indexes built once instead of maintained for every row).
    { "quota.rollup_identifier_day", kStageIdentifier, kRollupIdentifierColumns,
        "kind, identifier, bucket",
        "requests = t.requests + excluded.requests, denials = t.denials + excluded.denials, "
        "cost_usd = t.cost_usd + excluded.cost_usd",
        "date_trunc('day', bucket, 'UTC') AS bucket, kind, identifier, sum(requests) AS requests, "
        "sum(denials) AS denials, sum(cost_usd) AS cost_usd",
        "1, 2, 3", "day" },
};

// Adds the staged rows to a rollup. When the rollup holds fewer rows than the history brings
// and none in its range, its indexes are dropped and built again after one bulk insert, which
// is several times faster than maintaining them row by row; otherwise the rows are upserted.
QString loadRollup(PgSession& session, const RollupTable& r, long long rows, ef::TimeMs startMs,
    ef::TimeMs endMs, bool* rebuilt)
{
    if (rows == 0)
        return {};
    std::string from = r.stage;
    if (*r.summedAs)
        from = std::string("(SELECT ") + r.summedAs + " FROM " + r.stage + " GROUP BY " + r.summedBy
            + ") AS summed";
    PgResult present = session.exec(std::string("SELECT (SELECT count(*) FROM (SELECT 1 FROM ")
        + r.table + " LIMIT " + std::to_string(rows) + ") x), EXISTS (SELECT 1 FROM " + r.table
        + " WHERE bucket >= date_trunc(" + sqlLiteral(r.unit) + ", "
        + sqlLiteral(timestampText(startMs)) + "::timestamptz, 'UTC') AND bucket < "
        + sqlLiteral(timestampText(endMs)) + ")");
    if (!present.ok())
        return present.error();
    const bool bulk = present.integer(0, 0) < rows && !present.boolean(0, 1);
    if (!bulk)
        return execError(session,
            std::string("INSERT INTO ") + r.table + " AS t (" + r.columns + ") SELECT " + r.columns
                + " FROM " + from + " ORDER BY " + r.key + " ON CONFLICT (" + r.key
                + ") DO UPDATE SET " + r.update);
    *rebuilt = true;
    if (QString e
        = execError(session, std::string("LOCK TABLE ") + r.table + " IN ACCESS EXCLUSIVE MODE");
        !e.isEmpty())
        return e;
    const std::string regclass = sqlLiteral(r.table) + "::regclass";
    PgResult constraints = session.exec(
        "SELECT format('%I', conname), pg_get_constraintdef(oid) FROM pg_constraint WHERE "
        "conrelid = "
        + regclass + " AND contype IN ('p', 'u', 'x') ORDER BY oid");
    PgResult indexes = session.exec(
        "SELECT format('%I.%I', n.nspname, c.relname), pg_get_indexdef(i.indexrelid) FROM "
        "pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = "
        "c.relnamespace WHERE i.indrelid = "
        + regclass
        + " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) "
          "ORDER BY i.indexrelid");
    if (!constraints.ok() || !indexes.ok())
        return constraints.ok() ? indexes.error() : constraints.error();
    for (int i = 0; i < constraints.rows(); ++i) {
        if (QString e = execError(session,
                std::string("ALTER TABLE ") + r.table + " DROP CONSTRAINT "
                    + std::string(constraints.text(i, 0)));
            !e.isEmpty())
            return e;
    }
    for (int i = 0; i < indexes.rows(); ++i) {
        if (QString e = execError(session, "DROP INDEX " + std::string(indexes.text(i, 0)));
            !e.isEmpty())
            return e;
    }
    if (QString e = execError(session,
            std::string("INSERT INTO ") + r.table + " (" + r.columns + ") SELECT " + r.columns
                + " FROM " + from);
        !e.isEmpty())
        return e;
    for (int i = 0; i < constraints.rows(); ++i) {
        if (QString e = execError(session,
                std::string("ALTER TABLE ") + r.table + " ADD CONSTRAINT "
                    + std::string(constraints.text(i, 0)) + " "
                    + std::string(constraints.text(i, 1)));
            !e.isEmpty())
            return e;
    }
    for (int i = 0; i < indexes.rows(); ++i) {
        if (QString e = execError(session, std::string(indexes.text(i, 1))); !e.isEmpty())
            return e;
    }
    return {};
}

// Attaches a staged day as its request_logs partition (or, when the partition exists, copies
// the rows into it).
QString attachDay(PgSession& session, ef::TimeMs dayStart)
{
    const std::string staged = stagedDayTable(dayStart);
    const std::string partition = "request_logs_p" + dayName(dayStart);
    PgResult exists
        = session.exec("SELECT to_regclass(" + sqlLiteral("quota." + partition) + ") IS NOT NULL");
    if (!exists.ok())
        return exists.error();
    if (exists.boolean(0, 0)) {
        if (QString e = execError(
                session, "INSERT INTO quota." + partition + " SELECT * FROM quota." + staged);
            !e.isEmpty())
            return e;
        return execError(session, "DROP TABLE quota." + staged);
    }
    const std::string from = sqlLiteral(timestampText(dayStart));
    const std::string to = sqlLiteral(timestampText(dayStart + ef::kDay));
    for (const std::string& sql : {
             "ALTER TABLE quota." + staged + " RENAME TO " + partition,
             "ALTER TABLE quota.request_logs ATTACH PARTITION quota." + partition
                 + " FOR VALUES FROM (" + from + ") TO (" + to + ")",
             "ALTER TABLE quota." + partition + " DROP CONSTRAINT " + staged + "_bounds",
         }) {
        if (QString e = execError(session, sql); !e.isEmpty())
            return e;
    }
    return {};
}

} // namespace

QString prepareStaging(PgSession& session)
{
    dropStaging(session);
    for (const std::string& sql : {
             std::string("CREATE UNLOGGED TABLE ") + kStageMinute + " (LIKE quota.rollup_minute)",
             std::string("CREATE UNLOGGED TABLE ") + kStageIdentifier
                 + " (LIKE quota.rollup_identifier_hour)",
         }) {
        if (QString e = execError(session, sql); !e.isEmpty())
            return e;
    }
    return {};
}

void dropStaging(PgSession& session)
{
    if (session.inTransaction())
        PgResult rollback = session.exec("ROLLBACK");
    PgResult tables = session.exec(
        "SELECT format('quota.%I', tablename) FROM pg_tables WHERE schemaname = 'quota' AND "
        "tablename LIKE 'backfill\\_stage\\_%'");
    for (int i = 0; tables.ok() && i < tables.rows(); ++i)
        PgResult dropped = session.exec("DROP TABLE IF EXISTS " + std::string(tables.text(i, 0)));
}

CommitResult commitBackfill(
    PgSession& session, const ef::Policy& policy, qint64 policyVersion, const CommitInput& in)
{
    CommitResult result;
    const auto fail = [&](const QString& what, const QString& error) {
        if (session.inTransaction())
            PgResult rollback = session.exec("ROLLBACK");
        result.error = what + u": "_s + error;
        return result;
    };
    if (QString e = execError(session, "BEGIN"); !e.isEmpty())
        return fail(u"starting the commit"_s, e);
    if (QString e = execError(session, "SET LOCAL maintenance_work_mem = '1GB'"); !e.isEmpty())
        return fail(u"starting the commit"_s, e);
    if (QString e = seedUsers(session, in.users, policy, in.startMs); !e.isEmpty())
        return fail(u"creating the users' subscriptions"_s, e);
    for (const ef::TimeMs day : in.days) {
        if (QString e = attachDay(session, day); !e.isEmpty())
            return fail(
                u"attaching the request logs of "_s + QString::fromStdString(dayName(day)), e);
    }
    const ef::TimeMs endMs = in.days.empty() ? in.startMs : in.days.back() + ef::kDay;
    for (const RollupTable& rollup : kRollups) {
        const long long rows = rollup.stage == kStageMinute ? (long long)in.minuteRows
                                                            : (long long)in.identifierRows;
        if (QString e
            = loadRollup(session, rollup, rows, in.startMs, endMs, &result.rebuiltRollupIndexes);
            !e.isEmpty())
            return fail(u"adding to "_s + QString::fromLatin1(rollup.table), e);
    }
    // The hour tier and the minute totals, from the same staged minute rows.
    if (in.minuteRows > 0) {
        if (QString e = execError(session,
                std::string("SELECT quota.add_minutes_to_rollup_tiers(") + sqlLiteral(kStageMinute)
                    + "::regclass)");
            !e.isEmpty())
            return fail(u"adding to quota.rollup_hour and quota.rollup_minute_total"_s, e);
    }
    if (QString e = loadIncidents(session, policy, policyVersion, in.incidents, &result.blocks);
        !e.isEmpty())
        return fail(u"writing the abuse incidents"_s, e);
    if (!in.collisions.empty()) {
        if (QString e = session.copyIn(
                "COPY quota.idempotency_collisions (ts, scope, key, request_id, first_request_id, "
                "flags, kind, different_parameters, late, different_user_agent, on_conflict, "
                "user_id, client_key, endpoint, method, stored_request_hash, request_hash, "
                "stored_user_agent, user_agent, first_seen, ms_since_first, metadata) FROM STDIN",
                in.collisions);
            !e.isEmpty())
            return fail(u"writing the idempotency collisions"_s, e);
    }
    if (QString e = loadEndState(
            session, in.planChanges, policy, in.usage, in.counters, in.ledger, &result.planChanges);
        !e.isEmpty())
        return fail(u"writing the end state"_s, e);
    for (const char* stage : { kStageMinute, kStageIdentifier }) {
        if (QString e = execError(session, std::string("DROP TABLE ") + stage); !e.isEmpty())
            return fail(u"dropping the staging tables"_s, e);
    }
    if (QString e = execError(session, "COMMIT"); !e.isEmpty())
        return fail(u"committing"_s, e);
    return result;
}

} // namespace qc::live
