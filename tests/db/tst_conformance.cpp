// Conformance: random traces decided by the live SQL functions (quota_check + quota_complete)
// and by the C++ core (qc::enforcement::Engine) must agree request by request, incidents
// included (docs/enforcement.md is the contract both implement).

#include "enforcement/engine.h"
#include "policy/policyjson.h"
#include "support/testcluster.h"
#include "tst_enforcement_support.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTest>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

using qc::livetest::LiveEnforcer;
using qc::livetest::LiveIncident;
using qc::livetest::LiveRequest;
using qc::livetest::LiveResult;
using qc::testsupport::TestCluster;
namespace enf = qc::enforcement;

namespace {

// Small limits so that every rule kind denies often within a few hundred requests.
QByteArray conformancePolicy(const char* onConflict)
{
    return QByteArray(R"({
  "version": 1,
  "trusted_proxies": ["10.0.0.0/8", "fd00::/8"],
  "skip_endpoints": ["/health", "/metrics"],
  "default_plan": "free",
  "downgrade_grace": "2h",
  "idempotency": {"ttl": "10m", "on_conflict": ")")
        + onConflict + R"("},
  "rules": [
    {"id": "ip_minute", "scope": "ip", "algorithm": "fixed_window", "window": "1m", "limit": 9},
    {"id": "ip_sliding", "scope": "ip", "algorithm": "sliding_window", "window": "5m", "limit": 25},
    {"id": "ip_shadow", "scope": "ip", "algorithm": "fixed_window", "window": "1m", "limit": 4,
     "mode": "shadow"},
    {"id": "user_bucket", "scope": "user", "algorithm": "token_bucket", "rate": 1, "period": "2s",
     "burst": 4},
    {"id": "free_2h", "scope": "user", "algorithm": "fixed_window", "window": "2h", "limit": 30,
     "match": {"plans": ["free"]}},
    {"id": "chat_user", "scope": "user_endpoint", "algorithm": "fixed_window", "window": "1m",
     "limit": 3, "match": {"endpoints": ["/api/chat"], "methods": ["POST"]}},
    {"id": "ip_endpoint_sliding", "scope": "ip_endpoint", "algorithm": "sliding_window",
     "window": "2m", "limit": 6, "match": {"endpoints": ["/api/ai?*", "/api/gen*"]}},
    {"id": "global_bucket", "scope": "global", "algorithm": "token_bucket", "rate": 5,
     "period": "1s", "burst": 12},
    {"id": "shadow_bucket", "scope": "user", "algorithm": "token_bucket", "rate": 1,
     "period": "5s", "burst": 2, "mode": "shadow"}
  ],
  "plans": [
    {"name": "free", "rank": 0, "quotas": {"ai_generations": 6, "api_calls": 40}},
    {"name": "pro", "rank": 1, "quotas": {"ai_generations": 14, "api_calls": 90}},
    {"name": "team", "rank": 2, "quotas": {"ai_generations": -1}}
  ],
  "endpoint_metrics": [
    {"endpoints": ["/api/chat", "/api/generate", "/api/ai?*"], "metric": "ai_generations"},
    {"endpoints": ["/api?*"], "metric": "api_calls"}
  ],
  "abuse": [
    {"id": "ip_rate", "kind": "rate", "scope": "ip", "window": "1m", "threshold": 14,
     "severity": "high", "action": "block", "block_for": "4m"},
    {"id": "chat_spam", "kind": "rate", "scope": "user", "window": "1m", "threshold": 4,
     "endpoints": ["/api/chat"], "severity": "critical", "action": "escalate", "block_for": "3m"},
    {"id": "geo", "kind": "country", "scope": "ip", "countries": ["CN", "kp"],
     "severity": "medium", "action": "alert", "rearm": "10m"},
    {"id": "cost_ip", "kind": "cost", "scope": "ip", "window": "10m", "threshold_usd": 0.05,
     "severity": "critical", "action": "escalate", "block_for": "2m"},
    {"id": "bots", "kind": "user_agent", "scope": "ip", "user_agent_contains": ["bot", "Crawler"],
     "severity": "low", "action": "log"},
    {"id": "user_cost", "kind": "cost", "scope": "user", "window": "30m", "threshold_usd": 0.04,
     "severity": "high", "action": "alert"}
  ],
  "cost": {
    "gb_hour_usd": 0.18,
    "default_memory_mb": 1024,
    "endpoints": [
      {"endpoints": ["/api/chat"], "base_usd": 0.002, "memory_mb": 2048},
      {"endpoints": ["/api/gen*", "/api/ai?*"], "base_usd": 0.001, "memory_mb": 1024},
      {"endpoints": ["/api?*"], "base_usd": 0.0, "memory_mb": 512}
    ],
    "models": {"gpt-4o": {"per_1k_tokens_usd": 0.005}, "mini": {"per_1k_tokens_usd": 0.00015}}
  }
})";
}

using TraceRequest = qc::livetest::OwnedRequest;

QString str(const std::string& s)
{
    return QString::fromStdString(s);
}

LiveResult fromEngine(const enf::Policy& policy, const enf::Decision& d)
{
    LiveResult out;
    out.allowed = d.allowed;
    out.status = d.status;
    out.reason = str(std::string(enf::toString(d.reason)));
    if (d.rule >= 0)
        out.rule = str(policy.rules[static_cast<std::size_t>(d.rule)].id);
    out.limit = d.limit;
    out.remaining = d.remaining;
    out.resetAt = d.resetAt;
    out.retryAfterS = d.retryAfterS;
    if (d.wouldDeny >= 0)
        out.wouldDeny = str(policy.rules[static_cast<std::size_t>(d.wouldDeny)].id);
    out.collision = str(std::string(enf::collisionKind(d.collision)));
    out.collisionFlags = d.collision;
    return out;
}

bool sameResult(const LiveResult& a, const LiveResult& b)
{
    return a.allowed == b.allowed && a.status == b.status && a.reason == b.reason
        && a.rule == b.rule && a.limit == b.limit && a.remaining == b.remaining
        && a.resetAt == b.resetAt && a.retryAfterS == b.retryAfterS && a.wouldDeny == b.wouldDeny
        && a.collision == b.collision && a.collisionFlags == b.collisionFlags;
}

QStringList incidentTexts(const QList<LiveIncident>& incidents)
{
    QStringList out;
    for (const LiveIncident& i : incidents)
        out << i.toString();
    // Both sides raise the same set per request; the engine walks ip-scoped patterns before
    // user-scoped ones, the SQL function walks policy order, so compare in a fixed order.
    out.sort();
    return out;
}

QList<LiveIncident> fromEngine(const enf::Policy& policy, const std::vector<enf::Incident>& list)
{
    QList<LiveIncident> out;
    for (const enf::Incident& i : list) {
        LiveIncident li;
        li.pattern = str(policy.abuse[static_cast<std::size_t>(i.pattern)].id);
        li.scope = str(std::string(enf::toString(i.scope)));
        li.identifier = str(i.identifier);
        li.ts = i.ts;
        li.severity = str(std::string(enf::toString(i.severity)));
        li.action = str(std::string(enf::toString(i.action)));
        li.blockedUntil = i.blockedUntil;
        out << li;
    }
    return out;
}

// Generates a reproducible trace with plan changes and blocks interleaved.
class TraceGenerator {
public:
    explicit TraceGenerator(quint64 seed)
        : m_rng(seed)
    {
    }

    int pick(int n) { return static_cast<int>(m_rng() % static_cast<quint64>(n)); }
    bool chance(int percent) { return pick(100) < percent; }

    template<typename T, std::size_t N> const T& oneOf(const T (&items)[N])
    {
        return items[pick(static_cast<int>(N))];
    }

    void advance()
    {
        const int r = pick(1000);
        if (r < 5)
            m_ts += (1 + pick(3)) * 86400000LL + pick(3600000);
        else if (r < 30)
            m_ts += 600000LL + pick(5400000);
        else if (r < 300)
            m_ts += 0; // same millisecond: ties must behave the same
        else
            m_ts += pick(900);
    }

    qint64 ts() const { return m_ts; }

    TraceRequest next(int index)
    {
        static const char* const kClients[] = { "203.0.113.7", "203.0.113.8", "198.51.100.20",
            "198.51.100.21", "192.0.2.33", "2001:db8:1:2::10", "2001:db8:1:2:aaaa::11",
            "2001:db8:9::1", "::ffff:203.0.113.7", "2001:DB8:1:2:0:0:0:12" };
        static const char* const kInvalid[] = { "01.2.3.4", "1.2.3", "256.0.0.1", "1.2.3.4:80",
            "fe80::1%eth0", "[2001:db8::1]", "1::2::3", "bogus" };
        static const char* const kEndpoints[] = { "/api/chat", "/api/chat", "/api/generate",
            "/api/ai/img", "/api/items", "/api/items", "/api/orders", "/api/chat", "/health",
            "/static/app.js", "/api/orders", "/api/generate", "/metrics", "/api/items" };
        static const char* const kMethods[] = { "GET", "POST", "POST", "post", "PUT" };
        static const char* const kAgents[]
            = { "app/1.0", "app/1.0", "app/2.0", "GoogleBot/2.1", "curl/8.1", "site-crawler" };
        static const char* const kCountries[] = { "US", "US", "DE", "", "cn", "KP", "FR" };
        static const char* const kModels[] = { "gpt-4o", "mini", "", "unknown-model" };

        advance();
        TraceRequest t;
        t.live.ts = m_ts;
        t.requestId = "r" + std::to_string(index);

        const int shape = pick(100);
        // A few busy clients hit their limits; the rest add variety.
        const std::string client = chance(60) ? kClients[pick(3)] : oneOf(kClients);
        if (shape < 4) {
            t.ip = oneOf(kInvalid);
        } else if (shape < 6) {
            t.ip = "10.0.0.1";
            t.forwardedFor = std::string(oneOf(kInvalid)) + ", " + client;
        } else if (shape < 14) {
            // Proxied: a spoofed left entry, the client, then trusted proxies.
            t.ip = chance(50) ? "10.0.0.1" : "fd00::5";
            t.forwardedFor = "6.6.6.6, " + client + (chance(50) ? ",10.2.3.4" : "");
        } else if (shape < 16) {
            t.ip = "10.0.0.2";
            t.forwardedFor = "\t10.9.9.9 ";
        } else if (shape < 17) {
            t.ip = "";
            t.forwardedFor = "";
        } else {
            t.ip = client;
        }

        if (chance(70)) {
            const int u = pick(6);
            t.userId = "user" + std::to_string(u);
            auto it = m_plans.find(t.userId);
            if (it == m_plans.end()) {
                static const char* const kStart[] = { "free", "free", "pro", "team" };
                it = m_plans.emplace(t.userId, oneOf(kStart)).first;
                m_newUser = true;
            }
            t.plan = it->second;
        }
        t.endpoint = oneOf(kEndpoints);
        t.method = oneOf(kMethods);
        t.userAgent = oneOf(kAgents);
        t.country = oneOf(kCountries);

        if (chance(25)) {
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
            t.model = oneOf(kModels);
            t.live.responseMs = pick(5000);
        }

        t.live.requestId = str(t.requestId);
        t.live.ip = str(t.ip);
        t.live.forwardedFor = str(t.forwardedFor);
        t.live.userId = str(t.userId);
        t.live.plan = str(t.plan);
        t.live.endpoint = str(t.endpoint);
        t.live.method = str(t.method);
        t.live.userAgent = str(t.userAgent);
        t.live.country = str(t.country);
        t.live.idempotencyKey = str(t.idempotencyKey);
        t.live.requestHash = str(t.requestHash);
        t.live.model = str(t.model);
        return t;
    }

    bool takeNewUser() { return std::exchange(m_newUser, false); }
    std::map<std::string, std::string>& plans() { return m_plans; }

private:
    std::mt19937_64 m_rng;
    qint64 m_ts = 1769814000000; // 2026-01-30T23:00:00Z: the trace crosses a month boundary
    std::map<std::string, std::string> m_plans;
    std::map<std::string, std::string> m_hashes;
    bool m_newUser = false;
};

} // namespace

class ConformanceTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QC_REQUIRE_CLUSTER(); }

    void traces_data()
    {
        QTest::addColumn<quint64>("seed");
        QTest::addColumn<QByteArray>("onConflict");
        QTest::addColumn<int>("requests");
        QTest::newRow("seed 1, reject") << quint64(1) << QByteArray("reject") << 500;
        QTest::newRow("seed 2, process") << quint64(2) << QByteArray("process") << 500;
        QTest::newRow("seed 3, reject") << quint64(3) << QByteArray("reject") << 500;
        QTest::newRow("seed 4, process") << quint64(4) << QByteArray("process") << 500;
    }

    void traces()
    {
        QFETCH(quint64, seed);
        QFETCH(QByteArray, onConflict);
        QFETCH(int, requests);

        const QByteArray json = conformancePolicy(onConflict.constData());
        const auto loaded = qc::policy::parsePolicy(json);
        QVERIFY2(loaded.ok(), qPrintable(loaded.errorText()));
        const enf::Policy& policy = *loaded.policy;
        enf::Engine engine(policy);

        QC_TEST_DATABASE(name);
        LiveEnforcer live(TestCluster::instance().open(name));
        QVERIFY2(live.setPolicy(json), qPrintable(live.lastError()));

        TraceGenerator gen(seed);
        QStringList trace;
        QHash<QString, int> reasons;
        int incidents = 0;
        qint64 checkNs = 0;
        qint64 completeNs = 0;
        const auto fail = [&](const QString& what) -> QString {
            const QString file
                = QDir::temp().filePath(QStringLiteral("conformance-seed-%1.trace").arg(seed));
            QFile out(file);
            if (out.open(QIODevice::WriteOnly))
                out.write(trace.join(QLatin1Char('\n')).toUtf8());
            return what + QStringLiteral("\nlast steps:\n")
                + trace.mid(std::max<qsizetype>(0, trace.size() - 25)).join(QLatin1Char('\n'))
                + QStringLiteral("\nwhole trace so far: ") + file;
        };

        for (int i = 0; i < requests; ++i) {
            TraceRequest t = gen.next(i);

            // Subscriptions are created when a user is first seen, as a sign-up would.
            if (gen.takeNewUser()) {
                QVERIFY2(live.changePlan(t.live.userId, t.live.plan, t.live.ts),
                    qPrintable(live.lastError()));
                trace << QStringLiteral("subscribe %1 %2 at %3")
                             .arg(t.live.userId, t.live.plan)
                             .arg(t.live.ts);
            }

            // Admin actions between requests: plan changes, manual blocks and unblocks.
            if (gen.chance(3) && !gen.plans().empty()) {
                auto it = gen.plans().begin();
                std::advance(it, gen.pick(static_cast<int>(gen.plans().size())));
                static const char* const kPlans[] = { "free", "pro", "team" };
                const std::string plan = gen.oneOf(kPlans);
                engine.changePlan(it->first, plan, t.live.ts);
                QVERIFY2(live.changePlan(str(it->first), str(plan), t.live.ts),
                    qPrintable(live.lastError()));
                trace << QStringLiteral("plan %1 %2 -> %3 at %4")
                             .arg(str(it->first), str(it->second), str(plan))
                             .arg(t.live.ts);
                it->second = plan;
                if (it->first == t.userId) {
                    t.plan = plan;
                    t.live.plan = str(plan);
                }
            }
            if (gen.chance(2)) {
                static const char* const kTargets[][2] = { { "ip", "203.0.113.8" },
                    { "ip", "2001:db8:1:2::10" }, { "network", "198.51.100.0/24" },
                    { "network", "2001:db8:1::/48" }, { "network", "203.0.113.0/25" },
                    { "user", "user2" }, { "user", "user4" } };
                const auto& target = kTargets[gen.pick(7)];
                if (gen.chance(30)) {
                    const int ended = engine.unblock(
                        *enf::blockTargetFromString(target[0]), target[1], t.live.ts);
                    QVERIFY2(
                        live.unblock(QLatin1String(target[0]), QLatin1String(target[1]), t.live.ts),
                        qPrintable(live.lastError()));
                    trace << QStringLiteral("unblock %1 %2 at %3 (%4 ended)")
                                 .arg(QLatin1String(target[0]), QLatin1String(target[1]))
                                 .arg(t.live.ts)
                                 .arg(ended);
                } else {
                    enf::Block b;
                    b.target = *enf::blockTargetFromString(target[0]);
                    b.value = target[1];
                    b.from = t.live.ts;
                    b.until = gen.chance(10) ? enf::kForever
                                             : t.live.ts + 1000LL * (30 + gen.pick(600));
                    b.reason = "conformance";
                    engine.addBlock(b);
                    QVERIFY2(live.addBlock(QLatin1String(target[0]), QLatin1String(target[1]),
                                 b.from, b.until == enf::kForever ? -1 : b.until),
                        qPrintable(live.lastError()));
                    trace << QStringLiteral("block %1 %2 from %3 until %4")
                                 .arg(QLatin1String(target[0]), QLatin1String(target[1]))
                                 .arg(b.from)
                                 .arg(b.until);
                }
            }

            QElapsedTimer timer;
            timer.start();
            const auto sql = live.check(t.live);
            checkNs += timer.nsecsElapsed();
            QVERIFY2(sql, qPrintable(fail(t.toString() + QStringLiteral(": ") + live.lastError())));
            timer.restart();
            const auto sqlIncidents = live.complete(t.live, *sql);
            completeNs += timer.nsecsElapsed();
            QVERIFY2(sqlIncidents,
                qPrintable(fail(t.toString() + QStringLiteral(": ") + live.lastError())));

            const enf::Decision decision = engine.decide(t.engineRequest());
            const LiveResult cpp = fromEngine(policy, decision);
            const QList<LiveIncident> cppIncidents = fromEngine(policy, engine.takeIncidents());

            trace << QStringLiteral("#%1 %2\n    sql %3\n    c++ %4")
                         .arg(i)
                         .arg(t.toString(), sql->toString(), cpp.toString());
            QVERIFY2(sameResult(*sql, cpp),
                qPrintable(fail(QStringLiteral("decision differs at request #%1").arg(i))));
            const QStringList a = incidentTexts(*sqlIncidents);
            const QStringList b = incidentTexts(cppIncidents);
            if (!a.isEmpty() || !b.isEmpty())
                trace << QStringLiteral("    incidents sql [%1] c++ [%2]")
                             .arg(a.join(QStringLiteral("; ")), b.join(QStringLiteral("; ")));
            QVERIFY2(
                a == b, qPrintable(fail(QStringLiteral("incidents differ at request #%1").arg(i))));
            ++reasons[sql->reason];
            if (!sql->wouldDeny.isEmpty())
                ++reasons[QStringLiteral("(would_deny)")];
            if (sql->collisionFlags != 0)
                ++reasons[QStringLiteral("(collision)")];
            incidents += int(a.size());
        }

        // The request log and its rollups, kept by quota_complete, say the same.
        QCOMPARE(live.rollupDifferences(), 0);

        // The trace must have exercised what it claims to, or agreement proves little.
        for (const char* reason : { "admitted", "skipped", "invalid_identifier", "blocked",
                 "idempotent_replay", "rate_limited", "quota_exceeded" })
            QVERIFY2(reasons.value(QLatin1String(reason)) > 0,
                qPrintable(QStringLiteral("seed %1 never produced %2")
                               .arg(seed)
                               .arg(QLatin1String(reason))));
        QVERIFY2(
            onConflict != "reject" || reasons.value(QStringLiteral("idempotency_conflict")) > 0,
            "no idempotency conflict in a reject trace");
        QVERIFY2(incidents > 0, "no abuse incident raised");
        QVERIFY2(reasons.value(QStringLiteral("(would_deny)")) > 0, "no shadow rule ever denied");
        QVERIFY2(reasons.value(QStringLiteral("(collision)")) > 0, "no idempotency collision");
        qInfo("seed %llu: %d requests (quota_check %.2f ms, quota_complete %.2f ms on average), "
              "%d incidents, reasons %s",
            seed, requests, checkNs / 1e6 / requests, completeNs / 1e6 / requests, incidents,
            qPrintable([&] {
                QStringList parts;
                for (auto it = reasons.cbegin(); it != reasons.cend(); ++it)
                    parts << it.key() + QLatin1Char('=') + QString::number(it.value());
                parts.sort();
                return parts.join(QLatin1Char(' '));
            }()));
    }
};

QTEST_GUILESS_MAIN(ConformanceTest)
#include "tst_conformance.moc"
