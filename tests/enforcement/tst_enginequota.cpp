// docs/enforcement.md §6 (plan quota), §7 (cost) and §9 (headers and the 429 body).
#include "enforcement/headers.h"
#include "enginetesting.h"
#include "testpolicies.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace qc::enforcement;
using namespace qc::enforcement::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

constexpr TimeMs kFebruary = 1769904000000; // 2026-02-01T00:00:00Z

/// free: 2 generations, 3 calls; pro: 5 and 10; team: 20 and 40; enterprise: unlimited.
Policy smallQuotas()
{
    Policy policy = emptyPolicy();
    policy.plans[0].quotas = { { "ai_generations", 2 }, { "api_calls", 3 } };
    policy.plans[1].quotas = { { "ai_generations", 5 }, { "api_calls", 10 } };
    policy.plans[2].quotas = { { "ai_generations", 20 }, { "api_calls", 40 } };
    return policy;
}

Request chat(TimeMs ts, std::string_view plan = "free")
{
    return Req(ts, "203.0.113.7").user("alice", plan).endpoint("/api/chat").method("POST");
}

} // namespace

class TestEngineQuota : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void quotaPerMetric()
    {
        Engine engine(smallQuotas());
        QVERIFY(engine.decide(chat(kT0)).allowed);
        QVERIFY(engine.decide(chat(kT0 + 1)).allowed);
        const Decision denied = engine.decide(chat(kT0 + 2));
        QCOMPARE(text(denied.reason), text(Reason::QuotaExceeded));
        QCOMPARE(denied.status, std::uint16_t(429));
        QCOMPARE(denied.limit, std::int64_t(2));
        QCOMPARE(denied.remaining, std::int64_t(0));
        QCOMPARE(denied.rule, std::int16_t(-1));
        QCOMPARE(denied.headerRule, std::int16_t(-1));
        QCOMPARE(denied.resetAt, kFebruary);
        QCOMPARE(denied.retryAfterS, (kFebruary - kT0 - 2 + 999) / 1000);
        // Another metric has its own usage.
        const Request items = Req(kT0 + 3, "203.0.113.7").user("alice", "free");
        for (int i = 0; i < 3; ++i)
            QVERIFY(engine.decide(items).allowed);
        QCOMPARE(text(engine.decide(items).reason), text(Reason::QuotaExceeded));
        QCOMPARE(engine.quotaUsage("alice", "ai_generations", kT0),
            std::make_pair(std::int64_t(2), std::int64_t(2)));
        QCOMPARE(engine.quotaUsage("alice", "api_calls", kT0),
            std::make_pair(std::int64_t(3), std::int64_t(3)));
        // Endpoints without a metric consume no quota.
        QVERIFY(
            engine.decide(Req(kT0 + 4, "203.0.113.7").user("alice").endpoint("/other")).allowed);
    }

    void calendarMonthRollover()
    {
        Engine engine(smallQuotas());
        const TimeMs lastMs = kFebruary - 1;
        QVERIFY(engine.decide(chat(lastMs - 10)).allowed);
        QVERIFY(engine.decide(chat(lastMs - 5)).allowed);
        const Decision denied = engine.decide(chat(lastMs));
        QCOMPARE(text(denied.reason), text(Reason::QuotaExceeded));
        QCOMPARE(denied.retryAfterS, std::int64_t(1));
        QVERIFY(engine.decide(chat(kFebruary)).allowed);
        QCOMPARE(engine.quotaUsage("alice", "ai_generations", kFebruary),
            std::make_pair(std::int64_t(1), std::int64_t(2)));
    }

    void fixedCycle()
    {
        Policy policy = smallQuotas();
        policy.billingCycleMs = 30 * kDay;
        Engine engine(policy);
        const TimeMs cycleEnd = 1765152000000 + 30 * kDay; // cycles are aligned to the epoch
        QVERIFY(engine.decide(chat(cycleEnd - 2)).allowed);
        QVERIFY(engine.decide(chat(cycleEnd - 2)).allowed);
        const Decision denied = engine.decide(chat(cycleEnd - 1));
        QCOMPARE(denied.resetAt, cycleEnd);
        QVERIFY(engine.decide(chat(cycleEnd)).allowed);
    }

    void noQuota_data()
    {
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("plan");
        QTest::newRow("anonymous") << QString() << QString();
        QTest::newRow("unlimited plan") << u"bob"_s << u"enterprise"_s;
    }
    void noQuota()
    {
        QFETCH(QString, user);
        QFETCH(QString, plan);
        Engine engine(smallQuotas());
        const std::string u = user.toStdString();
        const std::string p = plan.toStdString();
        for (int i = 0; i < 50; ++i) {
            const Decision d
                = engine.decide(Req(kT0 + i, "203.0.113.7").user(u, p).endpoint("/api/chat"));
            QCOMPARE(text(d.reason), text(Reason::Admitted));
            QCOMPARE(d.limit, std::int64_t(-1));
        }
    }

    void upgradeAppliesAtOnce()
    {
        Engine engine(smallQuotas());
        QVERIFY(engine.decide(chat(kT0)).allowed);
        QVERIFY(engine.decide(chat(kT0 + 1)).allowed);
        QVERIFY(!engine.decide(chat(kT0 + 2)).allowed);
        // The plan field changes: pro applies to this very request; usage is kept.
        const Decision d = engine.decide(chat(kT0 + 3, "pro"));
        QVERIFY(d.allowed);
        QCOMPARE(engine.quotaUsage("alice", "ai_generations", kT0 + 3),
            std::make_pair(std::int64_t(3), std::int64_t(5)));
    }

    void downgradeGrace_data()
    {
        QTest::addColumn<bool>("byApi");
        QTest::newRow("plan field in the trace") << false;
        QTest::newRow("changePlan()") << true;
    }
    void downgradeGrace()
    {
        QFETCH(bool, byApi);
        Engine engine(smallQuotas());
        const TimeMs d0 = kT0 + kDay;
        const TimeMs graceEnd = d0 + 7 * kDay;
        for (int i = 0; i < 3; ++i)
            QVERIFY(engine.decide(chat(kT0 + i, "pro")).allowed); // pro is the starting plan
        if (byApi)
            engine.changePlan("alice", "free", d0);
        // During the grace the previous plan's 5 apply, not free's 2.
        QVERIFY(engine.decide(chat(d0, "free")).allowed);
        QCOMPARE(engine.quotaUsage("alice", "ai_generations", d0),
            std::make_pair(std::int64_t(4), std::int64_t(5)));
        QVERIFY(engine.decide(chat(graceEnd - 2, "free")).allowed);
        const Decision inGrace = engine.decide(chat(graceEnd - 1, "free"));
        QCOMPARE(text(inGrace.reason), text(Reason::QuotaExceeded));
        QCOMPARE(inGrace.limit, std::int64_t(5));
        const Decision after = engine.decide(chat(graceEnd, "free"));
        QCOMPARE(text(after.reason), text(Reason::QuotaExceeded));
        QCOMPARE(after.limit, std::int64_t(2));
        // Usage was never reset.
        QCOMPARE(engine.quotaUsage("alice", "ai_generations", graceEnd),
            std::make_pair(std::int64_t(5), std::int64_t(2)));
    }

    void upgradeEndsGrace()
    {
        Engine engine(smallQuotas());
        QVERIFY(engine.decide(chat(kT0, "team")).allowed);
        engine.changePlan("alice", "free", kT0 + 1); // grace: team's 20
        QCOMPARE(engine.quotaUsage("alice", "ai_generations", kT0 + 2).second, std::int64_t(20));
        engine.changePlan("alice", "pro", kT0 + 3); // an upgrade from free: pro at once
        QCOMPARE(engine.quotaUsage("alice", "ai_generations", kT0 + 4).second, std::int64_t(5));
        // The request plan field equal to the last change is not another change.
        QVERIFY(engine.decide(chat(kT0 + 5, "pro")).allowed);
        QCOMPARE(engine.quotaUsage("alice", "ai_generations", kT0 + 5),
            std::make_pair(std::int64_t(2), std::int64_t(5)));
    }

    void planRulesFollowPlanChanges()
    {
        Policy policy = emptyPolicy();
        policy.rules = { fixedRule("free_only", Scope::User, kHour, 1, { {}, {}, { "free" } }) };
        Engine engine(policy);
        QVERIFY(engine.decide(Req(kT0, "203.0.113.7").user("a", "free")).allowed);
        QVERIFY(!engine.decide(Req(kT0, "203.0.113.7").user("a", "free")).allowed);
        QVERIFY(engine.decide(Req(kT0, "203.0.113.7").user("a", "pro")).allowed);
        // No plan field: the user keeps the plan last seen.
        QVERIFY(engine.decide(Req(kT0, "203.0.113.7").user("a")).allowed);
    }

    // §7 cost
    void cost_data()
    {
        QTest::addColumn<QString>("endpoint");
        QTest::addColumn<qint64>("responseMs");
        QTest::addColumn<qint64>("tokens");
        QTest::addColumn<QString>("model");
        QTest::addColumn<qint64>("recorded");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("chat base + memory")
            << u"/api/chat"_s << 1000LL << 0LL << QString() << -1LL << 2100LL;
        QTest::newRow("chat + gpt-4o tokens")
            << u"/api/chat"_s << 1000LL << 500LL << u"gpt-4o"_s << -1LL << 4600LL;
        QTest::newRow("one GB-hour")
            << u"/api/generate"_s << 3600000LL << 0LL << QString() << -1LL << 181000LL;
        QTest::newRow("memory term truncated")
            << u"/api/items"_s << 500LL << 0LL << QString() << -1LL << 12LL;
        QTest::newRow("token term truncated")
            << u"/api/items"_s << 0LL << 333LL << u"gpt-4o-mini"_s << -1LL << 49LL;
        QTest::newRow("unknown model")
            << u"/api/items"_s << 0LL << 1000LL << u"mystery"_s << -1LL << 0LL;
        QTest::newRow("no cost entry: default memory")
            << u"/other"_s << 1000LL << 0LL << QString() << -1LL << 100LL;
        QTest::newRow("recorded wins")
            << u"/api/chat"_s << 1000LL << 500LL << u"gpt-4o"_s << 1234LL << 1234LL;
        QTest::newRow("recorded zero")
            << u"/api/chat"_s << 1000LL << 0LL << QString() << 0LL << 0LL;
        QTest::newRow("skipped requests cost too")
            << u"/health"_s << 1000LL << 0LL << QString() << -1LL << 100LL;
    }
    void cost()
    {
        QFETCH(QString, endpoint);
        QFETCH(qint64, responseMs);
        QFETCH(qint64, tokens);
        QFETCH(QString, model);
        QFETCH(qint64, recorded);
        QFETCH(qint64, expected);
        Engine engine(defaultPolicy());
        const std::string e = endpoint.toStdString();
        const std::string m = model.toStdString();
        const Decision d = engine.decide(
            Req(kT0, "203.0.113.7").endpoint(e).usage(responseMs, tokens, m).cost(recorded));
        QVERIFY(d.allowed);
        QCOMPARE(d.costMicroUsd, expected);
    }

    void deniedRequestsCostNothing()
    {
        Policy policy = defaultPolicy();
        policy.rules = { fixedRule("one", Scope::Ip, kMinute, 1) };
        Engine engine(policy);
        QVERIFY(engine.decide(Req(kT0, "203.0.113.7").cost(500)).allowed);
        const Decision d = engine.decide(Req(kT0, "203.0.113.7").cost(500));
        QVERIFY(!d.allowed);
        QCOMPARE(d.costMicroUsd, MicroUsd(0));
    }

    // §9
    void headersOfAdmission()
    {
        Policy policy = defaultPolicy();
        Engine engine(policy);
        const TimeMs ts = kT0 + 30500;
        const Decision d = engine.decide(Req(ts, "203.0.113.7"));
        QCOMPARE(d.headerRule, std::int16_t(0));
        const auto headers = rateLimitHeaders(policy, d, ts);
        const std::vector<std::pair<std::string, std::string>> expected {
            { "X-RateLimit-Limit", "20" },
            { "X-RateLimit-Remaining", "19" },
            { "X-RateLimit-Reset", std::to_string((kT0 + kMinute) / 1000) },
            { "RateLimit-Policy", "\"ip_per_minute\";q=20;w=60" },
            { "RateLimit", "\"ip_per_minute\";r=19;t=30" },
        };
        QCOMPARE(headers, expected);
        QVERIFY(tooManyRequestsBody(policy, d, ts, "/api/items").empty());
    }

    void headersAndBodyOfRateLimit()
    {
        Policy policy = defaultPolicy();
        Engine engine(policy);
        const TimeMs ts = kT0 + 30500;
        Decision d;
        for (int i = 0; i < 21; ++i)
            d = engine.decide(Req(ts, "203.0.113.7"));
        QCOMPARE(text(d.reason), text(Reason::RateLimited));
        QCOMPARE(d.retryAfterS, std::int64_t(30));
        const auto headers = rateLimitHeaders(policy, d, ts);
        QCOMPARE(headers.size(), std::size_t(6));
        QCOMPARE(
            headers[1], std::make_pair(std::string("X-RateLimit-Remaining"), std::string("0")));
        QCOMPARE(headers[5], std::make_pair(std::string("Retry-After"), std::string("30")));
        const std::string body = tooManyRequestsBody(policy, d, ts, "/api/items");
        const QJsonObject error = QJsonDocument::fromJson(QByteArray::fromStdString(body))
                                      .object()[u"error"_s]
                                      .toObject();
        QCOMPARE(error[u"code"_s].toString(), u"RATE_LIMIT_EXCEEDED"_s);
        QCOMPARE(error[u"limitType"_s].toString(), u"ip_per_minute"_s);
        QCOMPARE(error[u"retryAfter"_s].toInt(), 30);
        QCOMPARE(error[u"windowEnd"_s].toString(), u"2026-01-01T00:01:00.000Z"_s);
        QVERIFY(!error[u"message"_s].toString().isEmpty());
    }

    void bodyOfQuotaExceeded()
    {
        Policy policy = smallQuotas();
        Engine engine(policy);
        engine.decide(chat(kT0));
        engine.decide(chat(kT0));
        const Decision d = engine.decide(chat(kT0));
        const std::string body = tooManyRequestsBody(policy, d, kT0, "/api/chat");
        const QJsonObject error = QJsonDocument::fromJson(QByteArray::fromStdString(body))
                                      .object()[u"error"_s]
                                      .toObject();
        QCOMPARE(error[u"code"_s].toString(), u"QUOTA_EXCEEDED"_s);
        QCOMPARE(error[u"limitType"_s].toString(), u"ai_generations"_s);
        QCOMPARE(error[u"windowEnd"_s].toString(), u"2026-02-01T00:00:00.000Z"_s);
        const auto headers = rateLimitHeaders(policy, d, kT0, "/api/chat");
        QCOMPARE(headers[3].second, std::string("\"ai_generations\";q=2;w=2678400"));
    }

    void noHeadersWithoutLimit()
    {
        Policy policy = emptyPolicy();
        Engine engine(policy);
        const Decision d = engine.decide(Req(kT0, "203.0.113.7"));
        QCOMPARE(d.limit, std::int64_t(-1));
        QVERIFY(rateLimitHeaders(policy, d, kT0).empty());
        QVERIFY(tooManyRequestsBody(policy, d, kT0, "/api/items").empty());
    }

    void statsCountState()
    {
        Engine engine(defaultPolicy());
        engine.decide(Req(kT0, "203.0.113.7").user("a").key("k", "h"));
        engine.decide(Req(kT0, "203.0.113.8").user("b"));
        engine.decide(Req(kT0, "2001:db8::1"));
        engine.decide(Req(kT0, "bad"));
        const EngineStats stats = engine.stats();
        QCOMPARE(stats.decisions, std::uint64_t(4));
        QCOMPARE(stats.clients, std::uint64_t(3));
        QCOMPARE(stats.users, std::uint64_t(2));
        QCOMPARE(stats.idempotencyEntries, std::uint64_t(1));
        QCOMPARE(stats.activeBlocks, std::uint64_t(0));
        QVERIFY(stats.memoryBytes > 0);
    }
};

QTEST_APPLESS_MAIN(TestEngineQuota)
#include "tst_enginequota.moc"
