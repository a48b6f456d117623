#include "alertstore.h"

#include "alerting/ruleresult.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <cmath>
#include <limits>

namespace qc::cli {

using namespace Qt::StringLiterals;

namespace {

constexpr std::int64_t kMinuteMs = 60'000;

QString describe(const QSqlError& error)
{
    const QString text = error.databaseText().trimmed();
    return text.isEmpty() ? error.text().trimmed() : text;
}

QDateTime utc(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

std::optional<QSqlQuery> run(const QSqlDatabase& db, const QString& sql, const QVariantList& params,
    QString* error, QString* sqlState = nullptr)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.prepare(sql)) {
        if (error)
            *error = describe(query.lastError());
        if (sqlState)
            *sqlState = query.lastError().nativeErrorCode();
        return std::nullopt;
    }
    for (const QVariant& param : params)
        query.addBindValue(param);
    if (!query.exec()) {
        if (error)
            *error = describe(query.lastError());
        if (sqlState)
            *sqlState = query.lastError().nativeErrorCode();
        return std::nullopt;
    }
    return query;
}

// "{1,2,0}" → {1, 2, 0}
std::vector<double> parseArray(const QString& text)
{
    std::vector<double> values;
    const QString inner = text.mid(1, text.size() - 2);
    if (inner.isEmpty())
        return values;
    for (const QString& part : inner.split(u',')) {
        const QString trimmed = part.trimmed();
        if (trimmed.compare(u"Infinity"_s, Qt::CaseInsensitive) == 0)
            values.push_back(std::numeric_limits<double>::infinity());
        else
            values.push_back(trimmed.toDouble());
    }
    return values;
}

} // namespace

AlertStore::AlertStore(QString connectionName)
    : m_connection(std::move(connectionName))
{
}

QSqlDatabase AlertStore::database() const
{
    return QSqlDatabase::database(m_connection, false);
}

QString AlertStore::checkReady(bool forWriting) const
{
    QString error;
    auto query = run(database(),
        u"SELECT to_regprocedure('quota.sync_alerts(text[], jsonb, timestamptz, jsonb)') IS NOT "
        u"NULL, "
        u"pg_has_role(session_user, 'quota_evaluator', 'MEMBER'), session_user::text"_s,
        {}, &error);
    if (!query)
        return error;
    QSqlQuery& q = *query;
    if (!q.next())
        return u"the database did not answer"_s;
    if (!q.value(0).toBool())
        return u"the database has no alert evaluator yet (quota.sync_alerts is missing): apply "
               u"migration 0005_alert_evaluator.sql with 'quotactl migrate'"_s;
    if (forWriting && !q.value(1).toBool())
        return u"role "_s % q.value(2).toString()
            % u" may not write alerts: it must be a member of quota_evaluator (GRANT "
              u"quota_evaluator TO "_s
            % q.value(2).toString() % u')';
    return {};
}

std::optional<bool> AlertStore::tryLock(QString* error) const
{
    auto query = run(
        database(), u"SELECT pg_try_advisory_lock(quota.alert_evaluator_lock_key())"_s, {}, error);
    if (!query)
        return std::nullopt;
    QSqlQuery& q = *query;
    if (!q.next()) {
        if (error)
            *error = u"the database did not answer"_s;
        return std::nullopt;
    }
    return q.value(0).toBool();
}

QString AlertStore::lockHolder() const
{
    auto query
        = run(database(), u"SELECT quota.alert_evaluator_lock_holder()::text"_s, {}, nullptr);
    if (!query)
        return {};
    QSqlQuery& q = *query;
    if (!q.next() || q.value(0).isNull())
        return {};
    const QJsonObject holder = QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object();
    QString text = u"pid "_s % QString::number(holder.value(u"pid"_s).toInteger());
    const auto part = [&](const QString& key, const QString& label) {
        const QString value = holder.value(key).toString();
        if (!value.isEmpty())
            text += u", "_s % label % value;
    };
    part(u"role"_s, u"role "_s);
    part(u"application"_s, u"application "_s);
    part(u"client"_s, u"client "_s);
    part(u"since"_s, u"connected since "_s);
    return text;
}

void AlertStore::unlock() const
{
    run(database(), u"SELECT pg_advisory_unlock(quota.alert_evaluator_lock_key())"_s, {}, nullptr);
}

std::optional<std::vector<alerting::Alert>> AlertStore::savedAlerts(
    const QDateTime& notBefore, QString* error) const
{
    // The saved state, and the open alerts it does not cover (state older than the tolerance,
    // or lost): those are firing since they started, so that they are not resolved and raised
    // again while their condition still holds.
    auto query = run(database(),
        u"SELECT rule, labels::text, severity, state, fingerprint, "
        u"(extract(epoch FROM active_at) * 1000)::bigint, "
        u"coalesce((extract(epoch FROM fired_at) * 1000)::bigint, 0), coalesce(value, 0) "
        u"FROM quota.alert_rule_state WHERE evaluated_at >= ? "
        u"UNION ALL "
        u"SELECT rule, labels::text, severity, 'firing', fingerprint, "
        u"(extract(epoch FROM starts_at) * 1000)::bigint, "
        u"(extract(epoch FROM starts_at) * 1000)::bigint, 0 "
        u"FROM quota.alerts a WHERE state <> 'resolved' AND NOT EXISTS (SELECT 1 FROM "
        u"quota.alert_rule_state s WHERE s.fingerprint = a.fingerprint AND s.evaluated_at >= ?) "
        u"ORDER BY 1, 5"_s,
        { notBefore, notBefore }, error);
    QSqlQuery& q = *query;
    std::vector<alerting::Alert> alerts;
    while (q.next()) {
        QJsonObject object {
            { u"rule"_s, q.value(0).toString() },
            { u"labels"_s, QJsonDocument::fromJson(q.value(1).toString().toUtf8()).object() },
            { u"severity"_s, q.value(2).toString() },
            { u"state"_s, q.value(3).toString() },
            { u"fingerprint"_s, q.value(4).toString() },
            { u"active_at_ms"_s, double(q.value(5).toLongLong()) },
            { u"fired_at_ms"_s, double(q.value(6).toLongLong()) },
            { u"value"_s, q.value(7).toDouble() },
        };
        if (std::optional<alerting::Alert> alert = alerting::alertFromJson(object))
            alerts.push_back(std::move(*alert));
    }
    return alerts;
}

SyncOutcome AlertStore::sync(const QStringList& rules, const std::vector<alerting::Alert>& active,
    const QDateTime& at, const std::optional<QJsonArray>& series) const
{
    SyncOutcome outcome;
    QJsonArray alerts;
    for (const alerting::Alert& alert : active) {
        if (rules.contains(alert.rule))
            alerts.append(alerting::alertToJson(alert));
    }
    QString array = u"{"_s;
    for (qsizetype i = 0; i < rules.size(); ++i) {
        QString name = rules[i];
        array += (i ? u","_s : QString()) % u'"'
            % name.replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s) % u'"';
    }
    array += u'}';
    const QVariant samples = series
        ? QVariant(QString::fromUtf8(QJsonDocument(*series).toJson(QJsonDocument::Compact)))
        : QVariant(QMetaType::fromType<QString>()); // NULL: keep what is saved
    auto query
        = run(database(), u"SELECT quota.sync_alerts(?::text[], ?::jsonb, ?, ?::jsonb)::text"_s,
            { array, QString::fromUtf8(QJsonDocument(alerts).toJson(QJsonDocument::Compact)), at,
                samples },
            &outcome.error, &outcome.sqlState);
    if (!query)
        return outcome;
    QSqlQuery& q = *query;
    if (!q.next()) {
        outcome.error = u"quota.sync_alerts returned nothing"_s;
        return outcome;
    }
    const QJsonObject result = QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object();
    const auto list = [&](const QString& key) {
        std::vector<SyncedAlert> rows;
        for (const QJsonValue& value : result.value(key).toArray()) {
            const QJsonObject row = value.toObject();
            rows.push_back(SyncedAlert { row.value(u"id"_s).toInteger(),
                row.value(u"rule"_s).toString(), row.value(u"fingerprint"_s).toString() });
        }
        return rows;
    };
    outcome.opened = list(u"opened"_s);
    outcome.resolved = list(u"resolved"_s);
    outcome.ok = true;
    return outcome;
}

std::optional<QJsonArray> AlertStore::savedSeries(const QDateTime& notBefore, QString* error) const
{
    auto query = run(database(),
        u"SELECT series::text FROM quota.alert_evaluator_series WHERE saved_at >= ?"_s,
        { notBefore }, error);
    if (!query)
        return std::nullopt;
    if (!query->next())
        return QJsonArray();
    return QJsonDocument::fromJson(query->value(0).toString().toUtf8()).array();
}

std::optional<std::vector<AlertRow>> AlertStore::alerts(bool all, QString* error) const
{
    const QString sql = u"SELECT id, rule, severity, state, labels::text, "
                        u"coalesce(annotations->>'summary', ''), starts_at, ends_at, "
                        u"coalesce(acknowledged_by, ''), coalesce(acknowledge_note, '') "
                        u"FROM quota.alerts "_s
        % (all ? u"ORDER BY starts_at DESC, id DESC LIMIT 100"_s
               : u"WHERE state <> 'resolved' ORDER BY CASE severity WHEN 'critical' THEN 0 "
                 u"WHEN 'warning' THEN 1 ELSE 2 END, starts_at, id"_s);
    auto query = run(database(), sql, {}, error);
    if (!query)
        return std::nullopt;
    QSqlQuery& q = *query;
    std::vector<AlertRow> rows;
    while (q.next()) {
        AlertRow row;
        row.id = q.value(0).toLongLong();
        row.rule = q.value(1).toString();
        row.severity = q.value(2).toString();
        row.state = q.value(3).toString();
        row.labels = QJsonDocument::fromJson(q.value(4).toString().toUtf8()).object();
        row.summary = q.value(5).toString();
        row.startsAt = q.value(6).toDateTime().toUTC();
        if (!q.value(7).isNull())
            row.endsAt = q.value(7).toDateTime().toUTC();
        row.acknowledgedBy = q.value(8).toString();
        row.acknowledgeNote = q.value(9).toString();
        rows.push_back(std::move(row));
    }
    return rows;
}

std::optional<std::vector<double>> AlertStore::latencyBounds(QString* error) const
{
    auto query = run(database(), u"SELECT quota.latency_bucket_bounds()::text"_s, {}, error);
    if (!query)
        return std::nullopt;
    QSqlQuery& q = *query;
    if (!q.next()) {
        if (error)
            *error = u"quota.latency_bucket_bounds() returned nothing"_s;
        return std::nullopt;
    }
    std::vector<double> bounds;
    for (const double ms : parseArray(q.value(0).toString())) {
        if (!std::isinf(ms))
            bounds.push_back(ms / 1000);
    }
    return bounds;
}

std::optional<std::vector<alerting::MinuteCounts>> AlertStore::minutes(
    qint64 fromMs, qint64 toMs, bool keyedRequests, QString* error) const
{
    std::map<qint64, alerting::MinuteCounts> byMinute;
    for (qint64 m = fromMs; m < toMs; m += kMinuteMs)
        byMinute[m].startMs = m;
    const QVariantList range { utc(fromMs), utc(toMs) };

    auto rollups = run(database(),
        u"SELECT (extract(epoch FROM bucket) * 1000)::bigint, decision, reason, requests, "
        u"latency_buckets::text, collisions, fail_open, cost_usd::float8 "
        u"FROM quota.rollup_minute WHERE bucket >= ? AND bucket < ?"_s,
        range, error);
    if (!rollups)
        return std::nullopt;
    while (rollups->next()) {
        const auto it = byMinute.find(rollups->value(0).toLongLong());
        if (it == byMinute.end())
            continue;
        alerting::MinuteCounts& m = it->second;
        const double requests = rollups->value(3).toDouble();
        m.decisions += requests;
        if (rollups->value(1).toString() == u"denied"_s)
            m.denied += requests;
        if (rollups->value(2).toString() == u"rate_limited"_s)
            m.rateLimitHits += requests;
        const std::vector<double> buckets = parseArray(rollups->value(4).toString());
        if (m.latencyBuckets.size() < buckets.size())
            m.latencyBuckets.resize(buckets.size(), 0);
        for (std::size_t i = 0; i < buckets.size(); ++i)
            m.latencyBuckets[i] += buckets[i];
        m.collisions += rollups->value(5).toDouble();
        m.dbErrors += rollups->value(6).toDouble();
        m.costUsd += rollups->value(7).toDouble();
    }

    auto incidents = run(database(),
        u"SELECT (extract(epoch FROM date_trunc('minute', ts, 'UTC')) * 1000)::bigint, "
        u"pattern_id, action, count(*) FROM quota.abuse_incidents WHERE ts >= ? AND ts < ? "
        u"GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"_s,
        range, error);
    if (!incidents)
        return std::nullopt;
    while (incidents->next()) {
        const auto it = byMinute.find(incidents->value(0).toLongLong());
        if (it != byMinute.end())
            it->second.incidents.push_back(alerting::IncidentCount { incidents->value(1).toString(),
                incidents->value(2).toString(), incidents->value(3).toDouble() });
    }

    if (keyedRequests) {
        auto keyed = run(database(),
            u"SELECT (extract(epoch FROM date_trunc('minute', ts, 'UTC')) * 1000)::bigint, "
            u"count(*) FROM quota.request_logs WHERE ts >= ? AND ts < ? "
            u"AND idempotency_key IS NOT NULL GROUP BY 1"_s,
            range, error);
        if (!keyed)
            return std::nullopt;
        while (keyed->next()) {
            const auto it = byMinute.find(keyed->value(0).toLongLong());
            if (it != byMinute.end())
                it->second.idempotencyRequests = keyed->value(1).toDouble();
        }
    }

    std::vector<alerting::MinuteCounts> result;
    result.reserve(byMinute.size());
    for (auto& [start, counts] : byMinute)
        result.push_back(std::move(counts));
    return result;
}

bool AlertStore::alive() const
{
    QSqlDatabase db = database();
    if (!db.isOpen())
        return false;
    QSqlQuery q(db);
    return q.exec(u"SELECT 1"_s) && q.next();
}

DatabaseMinutes::DatabaseMinutes(std::int64_t lagMs)
    : m_lagMs(lagMs)
{
}

std::vector<alerting::RuleResult> DatabaseMinutes::evaluate(const AlertStore& store,
    const std::vector<alerting::Rule>& rules, const std::vector<bool>& wanted, std::int64_t nowMs)
{
    const auto failAll = [&](const QString& message) {
        std::vector<alerting::RuleResult> results(
            rules.size(), alerting::RuleResult::failed(u"not evaluated from the database"_s));
        for (std::size_t r = 0; r < rules.size(); ++r) {
            if (r < wanted.size() && wanted[r])
                results[r] = alerting::RuleResult::failed(message);
        }
        return results;
    };
    std::int64_t longest = 0;
    bool keyed = false;
    for (std::size_t r = 0; r < rules.size(); ++r) {
        if (r >= wanted.size() || !wanted[r])
            continue;
        longest = std::max(longest, rules[r].windowMs);
        keyed = keyed
            || (rules[r].kind == alerting::RuleKind::Ratio
                && (rules[r].signal == alerting::Signal::IdempotencyRequests
                    || rules[r].denominator == alerting::Signal::IdempotencyRequests));
    }
    const std::int64_t end = (nowMs - m_lagMs) / kMinuteMs * kMinuteMs;
    // One minute more than the window, so that the window's first sample is a minute boundary
    // with the counters of the minute before it.
    const std::int64_t start = end - (longest + kMinuteMs - 1) / kMinuteMs * kMinuteMs - kMinuteMs;

    QString error;
    if (!m_bounds) {
        m_bounds = store.latencyBounds(&error);
        if (!m_bounds)
            return failAll(u"cannot read the database: "_s % error);
    }
    // Read the minutes not read yet (the window moves by about one minute a round).
    m_minutes.erase(m_minutes.begin(), m_minutes.lower_bound(start));
    m_keyed.erase(m_keyed.begin(), m_keyed.lower_bound(start));
    std::int64_t firstMissing = start;
    while (firstMissing < end && m_minutes.contains(firstMissing)
        && (!keyed || m_keyed.contains(firstMissing)))
        firstMissing += kMinuteMs;
    if (firstMissing < end) {
        const auto fetched = store.minutes(firstMissing, end, keyed, &error);
        if (!fetched)
            return failAll(u"cannot read the database: "_s % error);
        for (const alerting::MinuteCounts& minute : *fetched) {
            m_minutes.insert_or_assign(minute.startMs, minute);
            if (keyed)
                m_keyed.insert_or_assign(minute.startMs, minute.idempotencyRequests);
        }
    }

    alerting::SeriesStore series(alerting::sampleNamesOf(rules), end - start + kMinuteMs);
    alerting::MinuteSeries writer(series,
        { alerting::Signal::Decisions, alerting::Signal::Denied,
            alerting::Signal::IdempotencyRequests, alerting::Signal::IdempotencyCollisions,
            alerting::Signal::RateLimitHits, alerting::Signal::DbErrors, alerting::Signal::CostUsd,
            alerting::Signal::AbuseIncidents, alerting::Signal::AbuseEscalations,
            alerting::Signal::CheckDurationBuckets },
        *m_bounds);
    for (auto it = m_minutes.lower_bound(start); it != m_minutes.end() && it->first < end; ++it) {
        alerting::MinuteCounts minute = it->second;
        const auto k = m_keyed.find(it->first);
        minute.idempotencyRequests = k == m_keyed.end() ? 0 : k->second;
        writer.add(minute);
    }
    m_evaluatedAtMs = end;
    std::vector<alerting::RuleResult> results = alerting::evaluateRules(rules, series, end);
    for (std::size_t r = 0; r < rules.size(); ++r) {
        if (r >= wanted.size() || !wanted[r])
            results[r] = alerting::RuleResult::failed(u"not evaluated from the database"_s);
    }
    return results;
}

} // namespace qc::cli
