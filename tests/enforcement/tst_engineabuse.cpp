// docs/enforcement.md §8: abuse patterns, incidents, arming and automatic blocks.
#include "enginetesting.h"
#include "testpolicies.h"

#include <QTest>

using namespace qc::enforcement;
using namespace qc::enforcement::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

Policy withPattern(const AbusePattern& p)
{
    Policy policy = emptyPolicy();
    policy.abuse = { p };
    return policy;
}

AbusePattern ratePattern(
    std::int64_t threshold, TimeMs window, AbuseAction action, AbuseScope scope = AbuseScope::Ip)
{
    AbusePattern p = pattern("burst", AbuseKind::Rate, scope, action);
    p.threshold = threshold;
    p.windowMs = window;
    p.blockForMs = kHour;
    p.rearmMs = kDay;
    p.severity = Severity::High;
    return p;
}

} // namespace

class TestEngineAbuse : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rateBlocksFollowingRequests_data()
    {
        QTest::addColumn<QString>("ip");
        QTest::addColumn<QString>("neighbour"); // same client key
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("target");
        QTest::newRow("ipv4") << u"203.0.113.7"_s << u"203.0.113.7"_s << u"203.0.113.7"_s
                              << int(BlockTarget::Ip);
        QTest::newRow("ipv6 blocks the /64") << u"2001:db8:1:2::1"_s << u"2001:db8:1:2::abc"_s
                                             << u"2001:db8:1:2::/64"_s << int(BlockTarget::Network);
    }
    void rateBlocksFollowingRequests()
    {
        QFETCH(QString, ip);
        QFETCH(QString, neighbour);
        QFETCH(QString, key);
        QFETCH(int, target);
        Engine engine(withPattern(ratePattern(3, kMinute, AbuseAction::Block)));
        const std::string address = ip.toStdString();
        const std::string other = neighbour.toStdString();
        for (int i = 0; i < 3; ++i) {
            const Decision d = engine.decide(Req(kT0 + i * 1000, address));
            QCOMPARE(d.incidents, std::uint8_t(0));
        }
        const TimeMs ts = kT0 + 3000;
        const Decision fourth = engine.decide(Req(ts, address).id("req-4"));
        QCOMPARE(text(fourth.reason), text(Reason::Admitted)); // the block is for what follows
        QCOMPARE(fourth.incidents, std::uint8_t(1));
        const auto incidents = engine.takeIncidents();
        QCOMPARE(incidents.size(), std::size_t(1));
        QCOMPARE(incidents[0].ts, ts);
        QCOMPARE(incidents[0].pattern, 0);
        QCOMPARE(QString::fromStdString(incidents[0].identifier), key);
        QCOMPARE(text(incidents[0].action), text(AbuseAction::Block));
        QCOMPARE(text(incidents[0].severity), text(Severity::High));
        QCOMPARE(incidents[0].blockedUntil, ts + kHour);
        QCOMPARE(incidents[0].requestId, std::string("req-4"));
        QVERIFY(engine.takeIncidents().empty());
        // Same ts included, and the whole client key.
        QCOMPARE(text(engine.decide(Req(ts, other)).reason), text(Reason::Blocked));
        QCOMPARE(text(engine.decide(Req(ts + kHour - 1, address)).reason), text(Reason::Blocked));
        QCOMPARE(engine.stats().activeBlocks, std::uint64_t(1));
        // Still over the threshold but disarmed: no second incident.
        QVERIFY(engine.takeIncidents().empty());
        QCOMPARE(text(engine.decide(Req(ts + kHour, address)).reason), text(Reason::Admitted));
        // The block can be lifted by hand like any other.
        QCOMPARE(engine.unblock(static_cast<BlockTarget>(target), key.toStdString(), ts + kHour),
            0); // already expired
    }

    void oneIncidentUntilRearmed()
    {
        Engine engine(withPattern(ratePattern(2, 10 * kSecond, AbuseAction::Log)));
        int raised = 0;
        for (TimeMs at : { 0, 1, 2, 3, 4, 5 }) // 3rd raises; 4th..6th are over but disarmed
            raised += engine.decide(Req(kT0 + at, "203.0.113.7")).incidents;
        QCOMPARE(raised, 1);
        // The window empties: at the next evaluation the condition is false and it re-arms.
        QCOMPARE(engine.decide(Req(kT0 + 20000, "203.0.113.7")).incidents, std::uint8_t(0));
        QCOMPARE(engine.decide(Req(kT0 + 20001, "203.0.113.7")).incidents, std::uint8_t(0));
        QCOMPARE(engine.decide(Req(kT0 + 20002, "203.0.113.7")).incidents, std::uint8_t(1));
        QCOMPARE(engine.takeIncidents().size(), std::size_t(2));
        // Logging patterns block nobody.
        QCOMPARE(engine.stats().activeBlocks, std::uint64_t(0));
    }

    void windowIsHalfOpen()
    {
        // (ts - window, ts]: a request exactly one window earlier no longer counts.
        Engine engine(withPattern(ratePattern(1, kMinute, AbuseAction::Log)));
        QCOMPARE(engine.decide(Req(kT0, "203.0.113.7")).incidents, std::uint8_t(0));
        QCOMPARE(engine.decide(Req(kT0 + kMinute, "203.0.113.7")).incidents, std::uint8_t(0));
        QCOMPARE(
            engine.decide(Req(kT0 + 2 * kMinute - 1, "203.0.113.7")).incidents, std::uint8_t(1));
    }

    void rearmAfterTime_data()
    {
        QTest::addColumn<qint64>("rearm");
        QTest::addColumn<int>("incidents");
        QTest::newRow("1h rearm") << qint64(kHour) << 3; // at 0, 60 min, 120 min
        QTest::newRow("1d rearm") << qint64(kDay) << 1;
    }
    void rearmAfterTime()
    {
        QFETCH(qint64, rearm);
        QFETCH(int, incidents);
        AbusePattern geo = pattern("geo", AbuseKind::Country, AbuseScope::Ip, AbuseAction::Alert);
        geo.countries = { "RU" };
        geo.rearmMs = rearm;
        Engine engine(withPattern(geo));
        int raised = 0;
        for (TimeMs minute = 0; minute <= 120; minute += 10)
            raised += engine.decide(Req(kT0 + minute * kMinute, "203.0.113.7").country("ru"))
                          .incidents;
        QCOMPARE(raised, incidents);
    }

    void rearmWhenConditionFalse()
    {
        AbusePattern geo = pattern("geo", AbuseKind::Country, AbuseScope::Ip, AbuseAction::Alert);
        geo.countries = { "RU", "KP" };
        geo.rearmMs = kDay;
        Engine engine(withPattern(geo));
        QCOMPARE(engine.decide(Req(kT0, "203.0.113.7").country("RU")).incidents, std::uint8_t(1));
        QCOMPARE(engine.decide(Req(kT0, "203.0.113.7").country("KP")).incidents, std::uint8_t(0));
        QCOMPARE(engine.decide(Req(kT0, "203.0.113.7").country("US")).incidents, std::uint8_t(0));
        QCOMPARE(engine.decide(Req(kT0, "203.0.113.7").country("kp")).incidents, std::uint8_t(1));
        // Identifiers are armed independently.
        QCOMPARE(engine.decide(Req(kT0, "203.0.113.8").country("RU")).incidents, std::uint8_t(1));
    }

    void costPattern_data()
    {
        QTest::addColumn<qint64>("gap");
        QTest::addColumn<bool>("raised");
        QTest::newRow("inside the hour") << qint64(kHour - 1) << true;
        QTest::newRow("one hour apart") << qint64(kHour) << false;
    }
    void costPattern()
    {
        QFETCH(qint64, gap);
        QFETCH(bool, raised);
        AbusePattern spend
            = pattern("spend", AbuseKind::Cost, AbuseScope::Ip, AbuseAction::Escalate);
        spend.windowMs = kHour;
        spend.thresholdMicroUsd = 10000;
        spend.blockForMs = kDay;
        spend.rearmMs = kDay;
        Engine engine(withPattern(spend));
        QCOMPARE(engine.decide(Req(kT0, "203.0.113.7").cost(6000)).incidents, std::uint8_t(0));
        const Decision d = engine.decide(Req(kT0 + gap, "203.0.113.7").cost(6000));
        QCOMPARE(d.incidents, std::uint8_t(raised ? 1 : 0));
        if (raised) {
            const auto incidents = engine.takeIncidents();
            QCOMPARE(text(incidents[0].action), text(AbuseAction::Escalate));
            QCOMPARE(incidents[0].blockedUntil, kT0 + gap + kDay); // escalate blocks too
            QCOMPARE(
                text(engine.decide(Req(kT0 + gap, "203.0.113.7")).reason), text(Reason::Blocked));
        }
    }

    void costExactlyAtThresholdIsNotOver()
    {
        AbusePattern spend = pattern("spend", AbuseKind::Cost, AbuseScope::Ip, AbuseAction::Log);
        spend.windowMs = kHour;
        spend.thresholdMicroUsd = 10000;
        Engine engine(withPattern(spend));
        QCOMPARE(engine.decide(Req(kT0, "203.0.113.7").cost(5000)).incidents, std::uint8_t(0));
        QCOMPARE(engine.decide(Req(kT0, "203.0.113.7").cost(5000)).incidents, std::uint8_t(0));
        QCOMPARE(engine.decide(Req(kT0, "203.0.113.7").cost(1)).incidents, std::uint8_t(1));
    }

    // Many events in one window (past the two a client record holds inline): the sum stays
    // exact as events arrive and expire.
    void costWindowOfManyEvents()
    {
        AbusePattern spend = pattern("spend", AbuseKind::Cost, AbuseScope::Ip, AbuseAction::Log);
        spend.windowMs = kHour;
        spend.thresholdMicroUsd = 10000;
        Engine engine(withPattern(spend));
        const char* ip = "203.0.113.7";
        for (int i = 0; i < 8; ++i)
            QCOMPARE(
                engine.decide(Req(kT0 + i * kMinute, ip).cost(1000)).incidents, std::uint8_t(0));
        QCOMPARE(engine.decide(Req(kT0 + 8 * kMinute, ip).cost(2000)).incidents, std::uint8_t(0));
        QCOMPARE(engine.decide(Req(kT0 + 9 * kMinute, ip).cost(1)).incidents, std::uint8_t(1));
        // The first event (kT0) has left the window: 10001 - 1000 + 999 is not over, and the
        // pattern re-arms; one more µUSD is.
        QCOMPARE(engine.decide(Req(kT0 + kHour + 30000, ip).cost(999)).incidents, std::uint8_t(0));
        QCOMPARE(engine.decide(Req(kT0 + kHour + 31000, ip).cost(1)).incidents, std::uint8_t(1));
        // Ten minutes on, the events of the first ten minutes are gone: 999 + 1 remain.
        QCOMPARE(engine.decide(Req(kT0 + kHour + 10 * kMinute, ip).cost(7000)).incidents,
            std::uint8_t(0));
        QCOMPARE(engine.decide(Req(kT0 + kHour + 10 * kMinute, ip).cost(2001)).incidents,
            std::uint8_t(1));
    }

    void userAgent_data()
    {
        QTest::addColumn<QString>("agent");
        QTest::addColumn<bool>("raised");
        QTest::newRow("bot") << u"Mozilla/5.0 (compatible; Googlebot/2.1)"_s << true;
        QTest::newRow("upper case") << u"SUPER-CRAWLER"_s << true;
        QTest::newRow("browser") << u"Mozilla/5.0 (X11; Linux x86_64)"_s << false;
        QTest::newRow("absent") << QString() << false;
    }
    void userAgent()
    {
        QFETCH(QString, agent);
        QFETCH(bool, raised);
        Engine engine(defaultPolicy());
        const std::string a = agent.toStdString();
        const Decision d = engine.decide(Req(kT0, "203.0.113.7").userAgent(a));
        QCOMPARE(d.incidents, std::uint8_t(raised ? 1 : 0));
        if (raised) {
            const auto incidents = engine.takeIncidents();
            QCOMPARE(
                QString::fromStdString(engine.policy().abuse[std::size_t(incidents[0].pattern)].id),
                u"bot_behavior"_s);
            QCOMPARE(incidents[0].blockedUntil, TimeMs(0));
        }
    }

    void userScopeAndEndpoints()
    {
        AbusePattern spam = ratePattern(1, kMinute, AbuseAction::Escalate, AbuseScope::User);
        spam.endpoints = { "/api/chat" };
        Engine engine(withPattern(spam));
        // Anonymous requests are not counted for user patterns.
        for (int i = 0; i < 5; ++i)
            QCOMPARE(engine.decide(Req(kT0, "203.0.113.7").endpoint("/api/chat")).incidents,
                std::uint8_t(0));
        // Other endpoints are not counted.
        for (int i = 0; i < 5; ++i)
            QCOMPARE(
                engine.decide(Req(kT0, "203.0.113.7").user("alice")).incidents, std::uint8_t(0));
        QCOMPARE(
            engine.decide(Req(kT0, "203.0.113.7").user("alice").endpoint("/api/chat")).incidents,
            std::uint8_t(0));
        QCOMPARE(
            engine.decide(Req(kT0, "203.0.113.7").user("alice").endpoint("/api/chat")).incidents,
            std::uint8_t(1));
        const auto incidents = engine.takeIncidents();
        QCOMPARE(incidents[0].identifier, std::string("alice"));
        QCOMPARE(text(incidents[0].scope), text(AbuseScope::User));
        // The user is blocked from any address; the address is not.
        QCOMPARE(text(engine.decide(Req(kT0 + 1, "198.51.100.1").user("alice")).reason),
            text(Reason::Blocked));
        QCOMPARE(text(engine.decide(Req(kT0 + 1, "203.0.113.7").user("bob")).reason),
            text(Reason::Admitted));
        QCOMPARE(engine.unblock(BlockTarget::User, "alice", kT0 + 2), 1);
        QCOMPARE(text(engine.decide(Req(kT0 + 2, "198.51.100.1").user("alice")).reason),
            text(Reason::Admitted));
    }

    void deniedRequestsAreCounted()
    {
        Policy policy = withPattern(ratePattern(2, kMinute, AbuseAction::Log));
        policy.rules = { fixedRule("one", Scope::Ip, kMinute, 1) };
        Engine engine(policy);
        QVERIFY(engine.decide(Req(kT0, "203.0.113.7")).allowed);
        QVERIFY(!engine.decide(Req(kT0, "203.0.113.7")).allowed);
        const Decision third = engine.decide(Req(kT0, "203.0.113.7"));
        QCOMPARE(text(third.reason), text(Reason::RateLimited));
        QCOMPARE(third.incidents, std::uint8_t(1));
    }

    void skippedAndInvalidAreNotEvaluated()
    {
        Engine engine(defaultPolicy());
        engine.decide(Req(kT0, "203.0.113.7").endpoint("/health").userAgent("bot").country("RU"));
        engine.decide(Req(kT0, "not-an-ip").userAgent("bot").country("RU"));
        QVERIFY(engine.takeIncidents().empty());
    }

    void defaultPolicyHighRate()
    {
        // Seed 002: more than 100 requests a minute from one address blocks it for 24 h.
        Engine engine(defaultPolicy());
        int raised = 0;
        for (int i = 0; i < 101; ++i)
            raised += engine.decide(Req(kT0 + i * 100, "203.0.113.7")).incidents;
        QCOMPARE(raised, 1);
        const auto incidents = engine.takeIncidents();
        QCOMPARE(
            QString::fromStdString(engine.policy().abuse[std::size_t(incidents[0].pattern)].id),
            u"high_request_rate"_s);
        QCOMPARE(incidents[0].ts, kT0 + 10000);
        QCOMPARE(
            text(engine.decide(Req(kT0 + 10000, "203.0.113.7")).reason), text(Reason::Blocked));
        QCOMPARE(text(engine.decide(Req(kT0 + 10000 + kDay, "203.0.113.7")).reason),
            text(Reason::Admitted)); // the block ends after 24 h
    }

    // A burst moves a client's windows to the heap; once its events expire they move back
    // inline. Counts and sums stay exact on both sides of the move, at the window's edges.
    void windowsBackInlineAfterABurst()
    {
        AbusePattern rate = ratePattern(3, kMinute, AbuseAction::Log);
        rate.rearmMs = kMinute;
        AbusePattern spend = pattern("spend", AbuseKind::Cost, AbuseScope::Ip, AbuseAction::Log);
        spend.windowMs = kHour;
        spend.thresholdMicroUsd = 10000;
        Policy policy = emptyPolicy();
        policy.abuse = { rate, spend };
        Engine engine(policy);
        const char* ip = "203.0.113.7";
        auto incidents = [&](TimeMs ts, MicroUsd cost) {
            return int(engine.decide(Req(ts, ip).cost(cost)).incidents);
        };
        // Burst: the fourth request in a minute is over the rate, 12000 µUSD over the spend.
        for (int i = 0; i < 3; ++i)
            QCOMPARE(incidents(kT0 + i, 3000), 0);
        QCOMPARE(incidents(kT0 + 3, 3000), 2);
        // Both windows have emptied: single events again.
        const TimeMs t = kT0 + 2 * kHour;
        QCOMPARE(incidents(t, 1), 0);
        QCOMPARE(incidents(t + 2 * kMinute, 1), 0);
        // A second burst at the rate window's edges: (ts - 1 minute, ts] holds three events.
        const TimeMs u = t + 3 * kMinute;
        QCOMPARE(incidents(u, 1), 0);
        QCOMPARE(incidents(u + 1, 1), 0);
        QCOMPARE(incidents(u + 2, 1), 0);
        QCOMPARE(incidents(u + kMinute, 1), 0); // u has left: u + 1, u + 2, u + 1 minute
        QCOMPARE(incidents(u + kMinute + 1, 1), 0); // u + 1 has left
        QCOMPARE(incidents(u + kMinute + 1, 1), 1); // four in the window
        // The spend window holds eight events of 1 µUSD since t: 9992 more make exactly the
        // threshold (the rate pattern, still over, stays disarmed), one more is over it.
        QCOMPARE(incidents(u + kMinute + 2, 9992), 0);
        QCOMPARE(incidents(u + 2 * kMinute + 5, 1), 1);
        // Once the events up to u + 1 have left the hour, 10001 - 4 + 1 is not over.
        QCOMPARE(incidents(u + kHour + 1, 1), 0);
    }

    void heavyHitterWindowStaysBounded()
    {
        // A rate pattern never needs more than threshold + 1 events; memory must not grow with
        // traffic.
        Engine engine(withPattern(ratePattern(10, kHour, AbuseAction::Log)));
        for (int i = 0; i < 20; ++i) // the incident is raised, the window holds 11 events
            engine.decide(Req(kT0, "203.0.113.7"));
        const std::size_t before = engine.stats().memoryBytes;
        for (int i = 0; i < 100000; ++i)
            engine.decide(Req(kT0 + i, "203.0.113.7"));
        QVERIFY(engine.stats().memoryBytes < before + 1024);
    }
};

QTEST_APPLESS_MAIN(TestEngineAbuse)
#include "tst_engineabuse.moc"
