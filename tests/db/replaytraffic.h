#pragma once

// Traffic for the replay tests: requests decided by the live SQL functions (quota_check +
// quota_complete, the way a service calls them) with admin actions between them — plan changes
// (some with an explicit grace), manual blocks and their lifting, lifting of auto blocks —
// recorded so that a test can run an independent Engine over exactly the same history.

#include "enforcement/engine.h"
#include "support/sqlcall.h"
#include "tst_enforcement_support.h"

#include <QString>

#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace qc::replaytest {

using livetest::LiveEnforcer;
using livetest::LiveRequest;
using livetest::LiveResult;

// Small limits so that every rule kind, quotas, abuse blocks and idempotency all act within a
// thousand requests.
inline QByteArray replayPolicy(int ipMinuteLimit = 12, int chatLimit = 4)
{
    return QByteArray(R"({
  "version": 1,
  "trusted_proxies": ["10.0.0.0/8"],
  "default_plan": "free",
  "downgrade_grace": "30m",
  "idempotency": {"ttl": "10m", "on_conflict": "reject"},
  "rules": [
    {"id": "ip_minute", "scope": "ip", "algorithm": "fixed_window", "window": "1m", "limit": )")
        + QByteArray::number(ipMinuteLimit) + R"(},
    {"id": "ip_sliding", "scope": "ip", "algorithm": "sliding_window", "window": "5m", "limit": 45},
    {"id": "ip_shadow", "scope": "ip", "algorithm": "fixed_window", "window": "1m", "limit": 5,
     "mode": "shadow"},
    {"id": "user_bucket", "scope": "user", "algorithm": "token_bucket", "rate": 1, "period": "2s",
     "burst": 5},
    {"id": "free_2h", "scope": "user", "algorithm": "fixed_window", "window": "2h", "limit": 40,
     "match": {"plans": ["free"]}},
    {"id": "chat_user", "scope": "user_endpoint", "algorithm": "fixed_window", "window": "1m",
     "limit": )"
        + QByteArray::number(chatLimit)
        + R"(, "match": {"endpoints": ["/api/chat"], "methods": ["POST"]}}
  ],
  "plans": [
    {"name": "free", "rank": 0, "quotas": {"ai_generations": 12, "api_calls": 70}},
    {"name": "pro", "rank": 1, "quotas": {"ai_generations": 40, "api_calls": 250}},
    {"name": "team", "rank": 2, "quotas": {"ai_generations": -1}}
  ],
  "endpoint_metrics": [
    {"endpoints": ["/api/chat", "/api/generate", "/api/ai?*"], "metric": "ai_generations"},
    {"endpoints": ["/api?*"], "metric": "api_calls"}
  ],
  "abuse": [
    {"id": "ip_rate", "kind": "rate", "scope": "ip", "window": "1m", "threshold": 30,
     "severity": "high", "action": "block", "block_for": "3m"},
    {"id": "chat_spam", "kind": "rate", "scope": "user", "window": "1m", "threshold": 6,
     "endpoints": ["/api/chat"], "severity": "critical", "action": "escalate", "block_for": "2m"},
    {"id": "cost_ip", "kind": "cost", "scope": "ip", "window": "10m", "threshold_usd": 0.08,
     "severity": "critical", "action": "escalate", "block_for": "2m"},
    {"id": "bots", "kind": "user_agent", "scope": "ip", "user_agent_contains": ["bot"],
     "severity": "low", "action": "log"},
    {"id": "geo", "kind": "country", "scope": "ip", "countries": ["CN"], "severity": "medium",
     "action": "alert", "rearm": "10m"}
  ],
  "cost": {
    "default_memory_mb": 1024,
    "endpoints": [
      {"endpoints": ["/api/chat"], "base_usd": 0.002, "memory_mb": 2048},
      {"endpoints": ["/api/gen*", "/api/ai?*"], "base_usd": 0.001, "memory_mb": 1024}
    ],
    "models": {"gpt-4o": {"per_1k_tokens_usd": 0.005}}
  }
})";
}

struct Action {
    enum class Kind { PlanChange, Block, LiftManual, LiftAuto };
    Kind kind = Kind::PlanChange;
    qint64 at = 0;
    std::string user, plan;
    qint64 graceMs = -1; // -1: the policy's downgrade_grace
    enforcement::BlockTarget target = enforcement::BlockTarget::Ip;
    std::string value;
    qint64 until = enforcement::kForever;
    qint64 blockId = 0;
};

using Request = livetest::OwnedRequest;

/// One step of the history: an admin action or a request with its live result.
struct Step {
    bool isAction = false;
    Action action;
    Request request;
    LiveResult live;
    int incidents = 0;
};

struct History {
    std::vector<Step> steps;
    qint64 start = 0;
    qint64 end = 0; // after the last request
    int requests = 0;
    int actions[4] = {}; // by Action::Kind
    std::map<QString, int> reasons;
    int incidents = 0;
};

class TrafficGenerator {
public:
    TrafficGenerator(LiveEnforcer& live, QSqlDatabase db, quint64 seed, qint64 start)
        : m_live(live)
        , m_db(std::move(db))
        , m_rng(seed)
        , m_ts(start)
    {
    }

    int pick(int n) { return static_cast<int>(m_rng() % static_cast<quint64>(n)); }
    bool chance(int percent) { return pick(100) < percent; }

    /// Runs `count` requests through the live functions; nullopt with `error` on a failure.
    std::optional<History> run(int count, QString* error)
    {
        History h;
        h.start = m_ts;
        for (int i = 0; i < count; ++i) {
            advance();
            if (chance(7)) {
                ++m_ts; // actions come strictly after the requests before them
                std::optional<Action> action = adminAction(error);
                if (!error->isEmpty())
                    return std::nullopt;
                if (action) {
                    Step step;
                    step.isAction = true;
                    step.action = *action;
                    ++h.actions[static_cast<int>(action->kind)];
                    h.steps.push_back(step);
                }
            }
            Step step;
            step.request = request(i);
            if (m_newUser) {
                m_newUser = false;
                if (!m_live.changePlan(QString::fromStdString(step.request.userId),
                        QString::fromStdString(step.request.plan), step.request.live.ts)) {
                    *error = m_live.lastError();
                    return std::nullopt;
                }
            }
            const auto result = m_live.check(step.request.live);
            if (!result) {
                *error = m_live.lastError();
                return std::nullopt;
            }
            const auto incidents = m_live.complete(step.request.live, *result);
            if (!incidents) {
                *error = m_live.lastError();
                return std::nullopt;
            }
            step.live = *result;
            step.incidents = static_cast<int>(incidents->size());
            ++h.reasons[result->reason];
            h.incidents += step.incidents;
            ++h.requests;
            h.steps.push_back(step);
        }
        h.end = m_ts + 1;
        return h;
    }

private:
    void advance()
    {
        const int r = pick(1000);
        if (r < 40)
            m_ts += 120000 + pick(780000); // a pause of 2 to 15 minutes
        else if (r < 120)
            m_ts += 1000 + pick(19000);
        else if (r < 350)
            m_ts += 0; // the same millisecond: ties keep their logged order
        else
            m_ts += pick(700);
    }

    static const char* const* clients()
    {
        static const char* const kClients[]
            = { "203.0.113.7", "203.0.113.8", "198.51.100.20", "198.51.100.21", "192.0.2.33",
                  "2001:db8:1:2::10", "2001:db8:1:2:aaaa::11", "2001:db8:9::1" };
        return kClients;
    }

    Request request(int index)
    {
        static const char* const kEndpoints[]
            = { "/api/chat", "/api/chat", "/api/generate", "/api/ai/img", "/api/items",
                  "/api/items", "/api/orders", "/health", "/static/app.js", "/api/items" };
        static const char* const kMethods[] = { "GET", "POST", "POST", "PUT" };
        static const char* const kAgents[]
            = { "app/1.0", "app/1.0", "app/2.0", "GoogleBot/2.1", "curl/8.1" };
        static const char* const kCountries[] = { "US", "US", "DE", "", "CN", "FR" };
        static const char* const kPlans[] = { "free", "free", "pro", "team" };
        Request t;
        t.live.ts = m_ts;
        t.requestId = "r" + std::to_string(index);
        const std::string client = chance(60) ? clients()[pick(3)] : clients()[pick(8)];
        const int shape = pick(100);
        if (shape < 3) {
            t.ip = "01.2.3.4"; // invalid
        } else if (shape < 11) {
            t.ip = "10.0.0.1";
            t.forwardedFor = "6.6.6.6, " + client;
        } else {
            t.ip = client;
        }
        if (chance(70)) {
            t.userId = "user" + std::to_string(pick(8));
            auto it = m_plans.find(t.userId);
            if (it == m_plans.end()) {
                it = m_plans.emplace(t.userId, kPlans[pick(4)]).first;
                m_newUser = true;
            }
            t.plan = it->second;
        }
        t.endpoint = kEndpoints[pick(10)];
        t.method = kMethods[pick(4)];
        t.userAgent = kAgents[pick(5)];
        t.country = kCountries[pick(6)];
        if (chance(20)) {
            const std::string scope = t.userId.empty() ? t.ip + t.forwardedFor : t.userId;
            t.idempotencyKey = "key" + std::to_string(pick(3));
            std::string& hash = m_hashes[scope + "|" + t.idempotencyKey];
            if (hash.empty() || chance(30))
                hash = "h" + std::to_string(pick(1000));
            t.requestHash = hash;
        }
        if (chance(20)) {
            t.live.costMicroUsd = pick(20000);
        } else {
            t.live.tokens = pick(3000);
            t.model = chance(50) ? "gpt-4o" : "";
            t.live.responseMs = pick(5000);
        }
        t.live.requestId = QString::fromStdString(t.requestId);
        t.live.ip = QString::fromStdString(t.ip);
        t.live.forwardedFor = QString::fromStdString(t.forwardedFor);
        t.live.userId = QString::fromStdString(t.userId);
        t.live.plan = QString::fromStdString(t.plan);
        t.live.endpoint = QString::fromStdString(t.endpoint);
        t.live.method = QString::fromStdString(t.method);
        t.live.userAgent = QString::fromStdString(t.userAgent);
        t.live.country = QString::fromStdString(t.country);
        t.live.idempotencyKey = QString::fromStdString(t.idempotencyKey);
        t.live.requestHash = QString::fromStdString(t.requestHash);
        t.live.model = QString::fromStdString(t.model);
        return t;
    }

    QString tsSql() const
    {
        return QStringLiteral("timestamptz 'epoch' + %1::bigint * interval '1 millisecond'")
            .arg(m_ts);
    }

    // An active block chosen at random, of `source`, as (id, target, value); for auto blocks
    // only on identifiers without an active manual block (the oracle lifts by identifier).
    std::optional<std::tuple<qint64, std::string, std::string>> activeBlock(const char* source)
    {
        const QString active = QStringLiteral(
            "blocked_from <= %1 AND (blocked_until IS NULL OR blocked_until > %1) AND "
            "(unblocked_at IS NULL OR unblocked_at > %1)")
                                   .arg(tsSql());
        QString sql = QStringLiteral("SELECT id, target, value FROM quota.blocked_identifiers b "
                                     "WHERE source = '%1' AND %2")
                          .arg(QLatin1String(source), active);
        if (QLatin1String(source) == QLatin1String("auto"))
            sql += QStringLiteral(" AND NOT EXISTS (SELECT 1 FROM quota.blocked_identifiers m "
                                  "WHERE m.source = 'manual' AND m.target = b.target AND "
                                  "m.value = b.value AND m.%1)")
                       .arg(active);
        sql += QStringLiteral(" ORDER BY id");
        QSqlQuery q(m_db);
        if (!q.exec(sql))
            return std::nullopt;
        std::vector<std::tuple<qint64, std::string, std::string>> rows;
        while (q.next())
            rows.emplace_back(q.value(0).toLongLong(), q.value(1).toString().toStdString(),
                q.value(2).toString().toStdString());
        if (rows.empty())
            return std::nullopt;
        return rows[static_cast<std::size_t>(pick(static_cast<int>(rows.size())))];
    }

    std::optional<Action> adminAction(QString* error)
    {
        Action a;
        a.at = m_ts;
        const int r = pick(100);
        if (r < 40 && !m_plans.empty()) {
            auto it = m_plans.begin();
            std::advance(it, pick(static_cast<int>(m_plans.size())));
            static const char* const kPlans[] = { "free", "pro", "team" };
            a.kind = Action::Kind::PlanChange;
            a.user = it->first;
            a.plan = kPlans[pick(3)];
            if (chance(35))
                a.graceMs = 60000LL * (5 + pick(60)); // an admin's own grace
            const testsupport::SqlResult done = testsupport::sqlCall(m_db,
                QStringLiteral("SELECT quota.apply_plan_change(?, ?, %1, %2)")
                    .arg(tsSql(),
                        a.graceMs < 0
                            ? QStringLiteral("NULL")
                            : QStringLiteral("%1 * interval '1 millisecond'").arg(a.graceMs)),
                { QString::fromStdString(a.user), QString::fromStdString(a.plan) });
            if (!done.ok)
                *error = QString::fromUtf8(done.describe());
            it->second = a.plan;
            return a;
        }
        if (r < 70) {
            static const char* const kTargets[][2] = { { "ip", "203.0.113.8" },
                { "ip", "2001:db8:1:2::10" }, { "network", "198.51.100.0/24" },
                { "network", "2001:db8:9::/48" }, { "user", "user2" }, { "user", "user5" } };
            const auto& target = kTargets[pick(6)];
            a.kind = Action::Kind::Block;
            a.target = *enforcement::blockTargetFromString(target[0]);
            a.value = target[1];
            a.until = chance(10) ? enforcement::kForever : m_ts + 1000LL * (30 + pick(600));
            QSqlQuery q(m_db);
            q.prepare(QStringLiteral("INSERT INTO quota.blocked_identifiers (target, value, "
                                     "blocked_from, blocked_until, reason, source) VALUES (?, ?, "
                                     "%1, %2, 'replay test', 'manual') RETURNING id")
                          .arg(tsSql(),
                              a.until == enforcement::kForever
                                  ? QStringLiteral("NULL")
                                  : QStringLiteral("timestamptz 'epoch' + %1::bigint * interval "
                                                   "'1 millisecond'")
                                        .arg(a.until)));
            q.addBindValue(QLatin1String(target[0]));
            q.addBindValue(QLatin1String(target[1]));
            if (!q.exec() || !q.next()) {
                *error = q.lastError().text();
                return std::nullopt;
            }
            a.blockId = q.value(0).toLongLong();
            return a;
        }
        const bool manual = r < 85;
        const auto block = activeBlock(manual ? "manual" : "auto");
        if (!block)
            return std::nullopt;
        a.kind = manual ? Action::Kind::LiftManual : Action::Kind::LiftAuto;
        a.blockId = std::get<0>(*block);
        a.target = *enforcement::blockTargetFromString(std::get<1>(*block));
        a.value = std::get<2>(*block);
        const testsupport::SqlResult done = testsupport::sqlCall(m_db,
            QStringLiteral("UPDATE quota.blocked_identifiers SET unblocked_at = %1, "
                           "unblocked_by = 'replay test', version = version + 1 WHERE id = ?")
                .arg(tsSql()),
            { a.blockId });
        if (!done.ok)
            *error = QString::fromUtf8(done.describe());
        return a;
    }

    LiveEnforcer& m_live;
    QSqlDatabase m_db;
    std::mt19937_64 m_rng;
    qint64 m_ts;
    std::map<std::string, std::string> m_plans;
    std::map<std::string, std::string> m_hashes;
    bool m_newUser = false;
};

/// The decisions an independent Engine with `policy` makes over the history, per request in
/// order: admin actions applied as they happened (a manual block ends when it was lifted, a
/// lifted auto block ends at the lift, a plan change keeps an admin's explicit grace), and each
/// request's cost as the request log keeps it (what live charged if it was allowed, unknown if
/// it was denied).
inline std::vector<enforcement::Decision> oracleDecisions(
    const enforcement::Policy& policy, const History& history)
{
    std::map<qint64, enforcement::TimeMs> liftedAt; // manual block id -> lift time
    for (const Step& s : history.steps) {
        if (s.isAction && s.action.kind == Action::Kind::LiftManual)
            liftedAt[s.action.blockId] = s.action.at;
    }
    enforcement::Engine engine(policy);
    std::vector<enforcement::Decision> out;
    for (const Step& s : history.steps) {
        if (s.isAction) {
            const Action& a = s.action;
            switch (a.kind) {
            case Action::Kind::PlanChange:
                engine.changePlan(a.user, a.plan,
                    a.graceMs < 0 ? a.at : a.at + a.graceMs - policy.downgradeGraceMs);
                break;
            case Action::Kind::Block: {
                enforcement::Block b;
                b.target = a.target;
                b.value = a.value;
                b.from = a.at;
                b.until = a.until;
                if (const auto it = liftedAt.find(a.blockId); it != liftedAt.end())
                    b.until = std::min(b.until, it->second);
                engine.addBlock(b);
                break;
            }
            case Action::Kind::LiftManual:
                break;
            case Action::Kind::LiftAuto:
                engine.unblock(a.target, a.value, a.at);
                break;
            }
            continue;
        }
        enforcement::Request r = s.request.engineRequest();
        if (!s.live.allowed)
            r.costMicroUsd = -1;
        out.push_back(engine.decide(r));
        engine.takeIncidents();
    }
    return out;
}

} // namespace qc::replaytest
