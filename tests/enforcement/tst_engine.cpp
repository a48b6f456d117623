// docs/enforcement.md §1–§4: skip, identifier, blocks, idempotency.
#include "enginetesting.h"
#include "testpolicies.h"

#include <QTest>

using namespace qc::enforcement;
using namespace qc::enforcement::testing;
using namespace Qt::Literals::StringLiterals;

class TestEngine : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // §1
    void skip_data()
    {
        QTest::addColumn<QString>("endpoint");
        QTest::addColumn<bool>("skipped");
        QTest::newRow("health") << u"/health"_s << true;
        QTest::newRow("metrics") << u"/metrics"_s << true;
        QTest::newRow("glob") << u"/internal/ping"_s << true;
        QTest::newRow("health sub path is not health") << u"/health/deep"_s << false;
        QTest::newRow("api") << u"/api/items"_s << false;
    }
    void skip()
    {
        QFETCH(QString, endpoint);
        QFETCH(bool, skipped);
        Policy policy = oneIpRule(kMinute, 1);
        policy.skipEndpoints = { "/health", "/metrics", "/internal/*" };
        Engine engine(policy);
        const std::string e = endpoint.toStdString();
        for (int i = 0; i < 3; ++i) {
            const Decision d = engine.decide(Req(kT0, "203.0.113.7").endpoint(e).userAgent("bot"));
            if (skipped) {
                QCOMPARE(text(d.reason), text(Reason::Skipped));
                QVERIFY(d.allowed);
                QCOMPARE(d.status, std::uint16_t(200));
                QCOMPARE(d.limit, std::int64_t(-1));
            } else {
                QCOMPARE(text(d.reason), text(i == 0 ? Reason::Admitted : Reason::RateLimited));
            }
        }
        // Skipped requests counted nothing: the limit-1 rule still admits the next request.
        const Decision next = engine.decide(Req(kT0, "203.0.113.7"));
        QCOMPARE(text(next.reason), text(skipped ? Reason::Admitted : Reason::RateLimited));
    }

    void skipIsNotEvaluatedForIdentifier()
    {
        Engine engine(oneIpRule(kMinute, 1));
        const Decision d = engine.decide(Req(kT0, "not an address").endpoint("/health"));
        QCOMPARE(text(d.reason), text(Reason::Skipped));
    }

    // §2
    void identifier_data()
    {
        QTest::addColumn<QString>("ip");
        QTest::addColumn<QString>("forwardedFor");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("key");
        QTest::newRow("socket address")
            << u"203.0.113.7"_s << QString() << true << u"203.0.113.7"_s;
        QTest::newRow("trusted proxy forwards")
            << u"10.0.0.1"_s << u"203.0.113.7"_s << true << u"203.0.113.7"_s;
        QTest::newRow("spoofed forwarded-for ignored")
            << u"198.51.100.1"_s << u"203.0.113.7"_s << true << u"198.51.100.1"_s;
        QTest::newRow("chain through two proxies")
            << u"10.0.0.1"_s << u"203.0.113.9, 10.1.1.1"_s << true << u"203.0.113.9"_s;
        QTest::newRow("right-most untrusted wins")
            << u"10.0.0.1"_s << u"1.1.1.1,203.0.113.9"_s << true << u"203.0.113.9"_s;
        QTest::newRow("spaces and tabs trimmed")
            << u"10.0.0.1"_s << u" 203.0.113.9 \t,\t10.1.1.1 "_s << true << u"203.0.113.9"_s;
        QTest::newRow("all trusted: right-most")
            << u"10.0.0.1"_s << u"10.0.0.5, 10.0.0.6"_s << true << u"10.0.0.1"_s;
        QTest::newRow("no socket address")
            << QString() << u"203.0.113.9"_s << true << u"203.0.113.9"_s;
        QTest::newRow("garbage left of the client is never read")
            << u"10.0.0.1"_s << u"garbage, 203.0.113.9"_s << true << u"203.0.113.9"_s;
        QTest::newRow("garbage right of the client")
            << u"10.0.0.1"_s << u"203.0.113.9, garbage"_s << false << QString();
        QTest::newRow("invalid socket address")
            << u"999.1.1.1"_s << QString() << false << QString();
        QTest::newRow("invalid socket before trusted chain")
            << u"nonsense"_s << u"203.0.113.9"_s << false << QString();
        QTest::newRow("empty chain") << QString() << QString() << false << QString();
        QTest::newRow("empty entry reached")
            << u"10.0.0.1"_s << u"203.0.113.9,,"_s << false << QString();
        QTest::newRow("port is not an address")
            << u"203.0.113.7:443"_s << QString() << false << QString();
        QTest::newRow("ipv6 grouped by /64")
            << u"2001:db8:1:2:3:4:5:6"_s << QString() << true << u"2001:db8:1:2::/64"_s;
        QTest::newRow("ipv6 trusted proxy")
            << u"fd00::1"_s << u"2001:db8:9::1"_s << true << u"2001:db8:9::/64"_s;
        QTest::newRow("ipv4-mapped is ipv4")
            << u"::ffff:203.0.113.7"_s << QString() << true << u"203.0.113.7"_s;
        QTest::newRow("zone index rejected")
            << u"fe80::1%eth0"_s << QString() << false << QString();
    }
    void identifier()
    {
        QFETCH(QString, ip);
        QFETCH(QString, forwardedFor);
        QFETCH(bool, valid);
        QFETCH(QString, key);
        Policy policy = oneIpRule(kMinute, 5);
        policy.trustedProxies = { *Cidr::parse("10.0.0.0/8"), *Cidr::parse("fd00::/8") };
        AbusePattern bot = pattern("bot", AbuseKind::UserAgent, AbuseScope::Ip, AbuseAction::Log);
        bot.userAgentContains = { "bot" };
        policy.abuse = { bot };
        Engine engine(policy);
        const std::string ipText = ip.toStdString();
        const std::string chain = forwardedFor.toStdString();
        const Request request = Req(kT0, ipText).forwardedFor(chain).userAgent("bot");
        const Decision d = engine.decide(request);
        if (!valid) {
            QCOMPARE(text(d.reason), text(Reason::InvalidIdentifier));
            QCOMPARE(d.status, std::uint16_t(400));
            QVERIFY(!d.allowed);
            QVERIFY(engine.takeIncidents().empty()); // no abuse evaluation without identifier
            QCOMPARE(engine.stats().clients, std::uint64_t(0));
            return;
        }
        QCOMPARE(text(d.reason), text(Reason::Admitted));
        const auto incidents = engine.takeIncidents();
        QCOMPARE(incidents.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(incidents[0].identifier), key);
        const auto status = engine.ruleStatus(request);
        QCOMPARE(status.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(status[0].identifier), key);
        QCOMPARE(status[0].remaining, std::int64_t(4));
    }

    void ipv6SharesOneCounterPerSlash64()
    {
        Engine engine(oneIpRule(kMinute, 2));
        QVERIFY(engine.decide(Req(kT0, "2001:db8:1:2::1")).allowed);
        QVERIFY(engine.decide(Req(kT0, "2001:db8:1:2:ffff:ffff:ffff:ffff")).allowed);
        const Decision third = engine.decide(Req(kT0, "2001:db8:1:2:abcd::9"));
        QCOMPARE(text(third.reason), text(Reason::RateLimited));
        QVERIFY(engine.decide(Req(kT0, "2001:db8:1:3::1")).allowed);
        QCOMPARE(engine.stats().clients, std::uint64_t(2));
    }

    // §3
    void blocks_data()
    {
        QTest::addColumn<int>("target");
        QTest::addColumn<QString>("value");
        QTest::addColumn<qint64>("from");
        QTest::addColumn<qint64>("until"); // -1 = permanent
        QTest::addColumn<qint64>("unblockAt"); // -1 = never
        QTest::addColumn<QString>("ip");
        QTest::addColumn<QString>("user");
        QTest::addColumn<qint64>("ts");
        QTest::addColumn<bool>("blocked");
        const int ip = int(BlockTarget::Ip);
        const int net = int(BlockTarget::Network);
        const int user = int(BlockTarget::User);
        const qint64 h = kHour;
        const qint64 t0 = kT0;
        QTest::newRow("ip active") << ip << u"203.0.113.7"_s << t0 << t0 + h << -1LL
                                   << u"203.0.113.7"_s << QString() << t0 + 10 << true;
        QTest::newRow("ip from is inclusive") << ip << u"203.0.113.7"_s << t0 << t0 + h << -1LL
                                              << u"203.0.113.7"_s << QString() << t0 << true;
        QTest::newRow("ip before from") << ip << u"203.0.113.7"_s << t0 << t0 + h << -1LL
                                        << u"203.0.113.7"_s << QString() << t0 - 1 << false;
        QTest::newRow("ip until is exclusive") << ip << u"203.0.113.7"_s << t0 << t0 + h << -1LL
                                               << u"203.0.113.7"_s << QString() << t0 + h << false;
        QTest::newRow("ip permanent") << ip << u"203.0.113.7"_s << t0 << -1LL << -1LL
                                      << u"203.0.113.7"_s << QString() << t0 + 400 * kDay << true;
        QTest::newRow("ip other address") << ip << u"203.0.113.7"_s << t0 << t0 + h << -1LL
                                          << u"203.0.113.8"_s << QString() << t0 + 10 << false;
        QTest::newRow("ip unblocked before") << ip << u"203.0.113.7"_s << t0 << t0 + h << t0 + 5
                                             << u"203.0.113.7"_s << QString() << t0 + 5 << false;
        QTest::newRow("ip unblocked later") << ip << u"203.0.113.7"_s << t0 << t0 + h << t0 + 50
                                            << u"203.0.113.7"_s << QString() << t0 + 49 << true;
        QTest::newRow("network contains") << net << u"198.51.100.0/24"_s << t0 << t0 + h << -1LL
                                          << u"198.51.100.200"_s << QString() << t0 + 1 << true;
        QTest::newRow("network excludes") << net << u"198.51.100.0/24"_s << t0 << t0 + h << -1LL
                                          << u"198.51.101.1"_s << QString() << t0 + 1 << false;
        QTest::newRow("wide network") << net << u"198.0.0.0/8"_s << t0 << t0 + h << -1LL
                                      << u"198.51.100.200"_s << QString() << t0 + 1 << true;
        QTest::newRow("network unblocked") << net << u"198.51.100.0/24"_s << t0 << t0 + h << t0
                                           << u"198.51.100.200"_s << QString() << t0 + 1 << false;
        QTest::newRow("ipv6 /64 network") << net << u"2001:db8:1:2::/64"_s << t0 << t0 + h << -1LL
                                          << u"2001:db8:1:2::99"_s << QString() << t0 + 1 << true;
        QTest::newRow("ipv6 ip block is one address")
            << ip << u"2001:db8:1:2::1"_s << t0 << t0 + h << -1LL << u"2001:db8:1:2::2"_s
            << QString() << t0 + 1 << false;
        QTest::newRow("ipv6 ip block hits its address")
            << ip << u"2001:db8:1:2::1"_s << t0 << t0 + h << -1LL << u"2001:db8:1:2:0::1"_s
            << QString() << t0 + 1 << true;
        QTest::newRow("ipv6 /80 inside a /64")
            << net << u"2001:db8:1:2:aaaa::/80"_s << t0 << t0 + h << -1LL
            << u"2001:db8:1:2:aaaa::5"_s << QString() << t0 + 1 << true;
        QTest::newRow("ipv6 /80 other part of the /64")
            << net << u"2001:db8:1:2:aaaa::/80"_s << t0 << t0 + h << -1LL
            << u"2001:db8:1:2:bbbb::5"_s << QString() << t0 + 1 << false;
        QTest::newRow("user") << user << u"alice"_s << t0 << t0 + h << -1LL << u"203.0.113.7"_s
                              << u"alice"_s << t0 + 1 << true;
        QTest::newRow("user other") << user << u"alice"_s << t0 << t0 + h << -1LL
                                    << u"203.0.113.7"_s << u"bob"_s << t0 + 1 << false;
        QTest::newRow("user anonymous") << user << u"alice"_s << t0 << t0 + h << -1LL
                                        << u"203.0.113.7"_s << QString() << t0 + 1 << false;
        QTest::newRow("user expired") << user << u"alice"_s << t0 << t0 + h << -1LL
                                      << u"203.0.113.7"_s << u"alice"_s << t0 + h << false;
    }
    void blocks()
    {
        QFETCH(int, target);
        QFETCH(QString, value);
        QFETCH(qint64, from);
        QFETCH(qint64, until);
        QFETCH(qint64, unblockAt);
        QFETCH(QString, ip);
        QFETCH(QString, user);
        QFETCH(qint64, ts);
        QFETCH(bool, blocked);
        for (bool seenBefore : { false, true }) {
            // The block must work for identifiers known before it and first seen after it.
            Engine engine(oneIpRule(kMinute, 100));
            const std::string ipText = ip.toStdString();
            const std::string userText = user.toStdString();
            if (seenBefore)
                QVERIFY(engine.decide(Req(from - kDay, ipText).user(userText)).allowed);
            Block block;
            block.target = static_cast<BlockTarget>(target);
            block.value = value.toStdString();
            block.from = from;
            block.until = until < 0 ? kForever : until;
            engine.addBlock(block);
            if (unblockAt >= 0)
                QCOMPARE(engine.unblock(block.target, block.value, unblockAt), 1);
            const Decision d = engine.decide(Req(ts, ipText).user(userText));
            QCOMPARE(text(d.reason), text(blocked ? Reason::Blocked : Reason::Admitted));
            QCOMPARE(d.status, std::uint16_t(blocked ? 403 : 200));
            QCOMPARE(d.costMicroUsd, MicroUsd(0) + (blocked ? 0 : d.costMicroUsd));
        }
    }

    void blockedRequestsConsumeNothing()
    {
        Engine engine(oneIpRule(kMinute, 1));
        Block block;
        block.value = "203.0.113.7";
        block.from = kT0;
        block.until = kT0 + 1000;
        engine.addBlock(block);
        QCOMPARE(text(engine.decide(Req(kT0, "203.0.113.7")).reason), text(Reason::Blocked));
        QCOMPARE(
            text(engine.decide(Req(kT0 + 1000, "203.0.113.7")).reason), text(Reason::Admitted));
        QCOMPARE(engine.unblock(BlockTarget::Ip, "203.0.113.7", kT0 + 2000), 0);
    }

    // §4
    void replayReturnsStoredResultAndConsumesNothing()
    {
        Engine engine(oneIpRule(kMinute, 3));
        const Decision first = engine.decide(Req(kT0, "203.0.113.7").key("k1", "h1"));
        QCOMPARE(text(first.reason), text(Reason::Admitted));
        QCOMPARE(first.remaining, std::int64_t(2));
        for (int i = 1; i <= 5; ++i) {
            const Decision replay
                = engine.decide(Req(kT0 + i * 1000, "203.0.113.7").key("k1", "h1").cost(7));
            QCOMPARE(text(replay.reason), text(Reason::IdempotentReplay));
            QVERIFY(replay.allowed);
            QCOMPARE(replay.status, std::uint16_t(200));
            QCOMPARE(replay.limit, first.limit);
            QCOMPARE(replay.remaining, first.remaining);
            QCOMPARE(replay.resetAt, first.resetAt);
            QCOMPARE(replay.retryAfterS, std::int64_t(0));
            QCOMPARE(replay.costMicroUsd, MicroUsd(7));
        }
        // Five replays consumed nothing: two more requests fit in the window.
        QCOMPARE(engine.decide(Req(kT0 + 10000, "203.0.113.7")).remaining, std::int64_t(1));
        QCOMPARE(engine.decide(Req(kT0 + 10000, "203.0.113.7")).remaining, std::int64_t(0));
        QCOMPARE(
            text(engine.decide(Req(kT0 + 10000, "203.0.113.7")).reason), text(Reason::RateLimited));
        QCOMPARE(engine.stats().idempotencyEntries, std::uint64_t(1));
    }

    void collisions_data()
    {
        QTest::addColumn<qint64>("delay");
        QTest::addColumn<bool>("sameAgent");
        QTest::addColumn<bool>("reject");
        QTest::addColumn<int>("flags");
        QTest::addColumn<QString>("kind");
        const int p = CollisionParameters;
        QTest::newRow("parameters") << 1000LL << true << true << p << u"parameters"_s;
        QTest::newRow("5 min is not late") << 300000LL << true << true << p << u"parameters"_s;
        QTest::newRow("late") << 300001LL << true << true << (p | CollisionLate) << u"late"_s;
        QTest::newRow("user agent")
            << 1000LL << false << true << (p | CollisionUserAgent) << u"user_agent"_s;
        QTest::newRow("late and user agent")
            << 400000LL << false << true << (p | CollisionLate | CollisionUserAgent)
            << u"user_agent"_s;
        QTest::newRow("process parameters") << 1000LL << true << false << p << u"parameters"_s;
        QTest::newRow("process late agent")
            << 400000LL << false << false << (p | CollisionLate | CollisionUserAgent)
            << u"user_agent"_s;
    }
    void collisions()
    {
        QFETCH(qint64, delay);
        QFETCH(bool, sameAgent);
        QFETCH(bool, reject);
        QFETCH(int, flags);
        QFETCH(QString, kind);
        Policy policy = oneIpRule(kHour, 10);
        policy.onConflict = reject ? OnConflict::Reject : OnConflict::Process;
        Engine engine(policy);
        const Decision first = engine.decide(
            Req(kT0, "203.0.113.7").user("alice").key("k", "h1").userAgent("app/1"));
        QCOMPARE(first.remaining, std::int64_t(9));
        const Decision second = engine.decide(Req(kT0 + delay, "198.51.100.1")
                                                  .user("alice")
                                                  .key("k", "h2")
                                                  .userAgent(sameAgent ? "app/1" : "app/2"));
        QCOMPARE(int(second.collision), flags);
        QCOMPARE(QString::fromUtf8(collisionKind(second.collision)), kind);
        if (reject) {
            QCOMPARE(text(second.reason), text(Reason::IdempotencyConflict));
            QCOMPARE(second.status, std::uint16_t(409));
            QVERIFY(!second.allowed);
            QCOMPARE(second.costMicroUsd, MicroUsd(0));
        } else {
            QCOMPARE(text(second.reason), text(Reason::Admitted));
            QCOMPARE(second.remaining, std::int64_t(9)); // another client address: own counter
        }
        // First writer wins: the original request still replays its own result.
        const Decision replay
            = engine.decide(Req(kT0 + delay + 1, "203.0.113.7").user("alice").key("k", "h1"));
        QCOMPARE(text(replay.reason), text(Reason::IdempotentReplay));
        QCOMPARE(replay.remaining, std::int64_t(9));
    }

    void deniedRequestsCreateNoEntry()
    {
        Engine engine(oneIpRule(kMinute, 1));
        QVERIFY(engine.decide(Req(kT0, "203.0.113.7")).allowed);
        const Decision denied = engine.decide(Req(kT0 + 1, "203.0.113.7").key("k", "h"));
        QCOMPARE(text(denied.reason), text(Reason::RateLimited));
        QCOMPARE(engine.stats().idempotencyEntries, std::uint64_t(0));
        // The client retries with the same key after the window: evaluated as new.
        const Decision retry = engine.decide(Req(kT0 + kMinute, "203.0.113.7").key("k", "h"));
        QCOMPARE(text(retry.reason), text(Reason::Admitted));
        QCOMPARE(text(engine.decide(Req(kT0 + kMinute, "203.0.113.7").key("k", "h")).reason),
            text(Reason::IdempotentReplay));
    }

    void ledgerTtl_data()
    {
        QTest::addColumn<qint64>("after");
        QTest::addColumn<bool>("replayed");
        QTest::newRow("last live ms") << qint64(kHour - 1) << true;
        QTest::newRow("expired") << qint64(kHour) << false;
        QTest::newRow("long expired") << qint64(3 * kHour) << false;
    }
    void ledgerTtl()
    {
        QFETCH(qint64, after);
        QFETCH(bool, replayed);
        Policy policy = oneIpRule(kDay, 100);
        policy.idempotencyTtlMs = kHour;
        Engine engine(policy);
        QVERIFY(engine.decide(Req(kT0, "203.0.113.7").key("k", "h")).allowed);
        // Other keys keep the ledger busy in between.
        QVERIFY(engine.decide(Req(kT0 + 1, "203.0.113.7").key("other", "h")).allowed);
        const Decision d = engine.decide(Req(kT0 + after, "203.0.113.7").key("k", "h2"));
        QCOMPARE(text(d.reason), text(replayed ? Reason::IdempotencyConflict : Reason::Admitted));
        const Decision again = engine.decide(Req(kT0 + after, "203.0.113.7").key("k", "h2"));
        QCOMPARE(text(again.reason),
            text(replayed ? Reason::IdempotencyConflict : Reason::IdempotentReplay));
    }

    void idempotencyScopes()
    {
        Engine engine(oneIpRule(kMinute, 100));
        QVERIFY(engine.decide(Req(kT0, "203.0.113.7").user("alice").key("k", "h1")).allowed);
        // Same key, another user: another scope, no collision.
        QCOMPARE(text(engine.decide(Req(kT0, "203.0.113.7").user("bob").key("k", "h2")).reason),
            text(Reason::Admitted));
        // Anonymous requests are scoped by client key (an IPv6 /64).
        QCOMPARE(text(engine.decide(Req(kT0, "2001:db8::1").key("k", "h3")).reason),
            text(Reason::Admitted));
        QCOMPARE(text(engine.decide(Req(kT0, "2001:db8::2").key("k", "h3")).reason),
            text(Reason::IdempotentReplay));
        QCOMPARE(text(engine.decide(Req(kT0, "2001:db8:0:1::2").key("k", "h3")).reason),
            text(Reason::Admitted));
        // A user's key follows the user across addresses.
        QCOMPARE(text(engine.decide(Req(kT0, "198.51.100.1").user("alice").key("k", "h1")).reason),
            text(Reason::IdempotentReplay));
    }
};

QTEST_APPLESS_MAIN(TestEngine)
#include "tst_engine.moc"
