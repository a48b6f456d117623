// docs/enforcement.md §5 and §7: fixed and sliding windows, token buckets, shadow rules,
// admission across rules, rule matching.
#include "enginetesting.h"
#include "testpolicies.h"

#include <QTest>

using namespace qc::enforcement;
using namespace qc::enforcement::testing;
using namespace Qt::Literals::StringLiterals;

namespace {

std::int64_t remainingOf(const Engine& engine, const Request& request, int rule)
{
    for (const RuleStatus& status : engine.ruleStatus(request)) {
        if (status.rule == rule)
            return status.remaining;
    }
    return -100; // rule does not apply
}

} // namespace

class TestEngineWindows : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // §5 fixed windows
    void fixedWindow_data()
    {
        QTest::addColumn<qint64>("window");
        QTest::addColumn<qint64>("boundary");
        QTest::newRow("1m") << qint64(kMinute) << qint64(kT0 + 5 * kMinute);
        QTest::newRow("1h at :00") << qint64(kHour) << qint64(kT0 + 3 * kHour);
        QTest::newRow("1d at midnight UTC") << qint64(kDay) << qint64(kT0 + kDay);
        QTest::newRow("2h at an even hour") << qint64(2 * kHour) << qint64(kT0 + 2 * kHour);
        QTest::newRow("2h at midnight") << qint64(2 * kHour) << qint64(kT0 + kDay);
        QTest::newRow("90s from the epoch") << qint64(90000) << qint64(kT0 + 90000 * 7);
    }
    void fixedWindow()
    {
        QFETCH(qint64, window);
        QFETCH(qint64, boundary);
        QCOMPARE(boundary % window, 0);
        Engine engine(oneIpRule(window, 2));
        const TimeMs last = boundary - 1; // the last ms of a window
        const Decision a = engine.decide(Req(last, "203.0.113.7"));
        QCOMPARE(text(a.reason), text(Reason::Admitted));
        QCOMPARE(a.limit, std::int64_t(2));
        QCOMPARE(a.remaining, std::int64_t(1));
        QCOMPARE(a.resetAt, boundary);
        QCOMPARE(a.headerRule, std::int16_t(0));
        QCOMPARE(engine.decide(Req(last, "203.0.113.7")).remaining, std::int64_t(0));
        const Decision denied = engine.decide(Req(last, "203.0.113.7"));
        QCOMPARE(text(denied.reason), text(Reason::RateLimited));
        QCOMPARE(denied.status, std::uint16_t(429));
        QCOMPARE(denied.rule, std::int16_t(0));
        QCOMPARE(denied.remaining, std::int64_t(0));
        QCOMPARE(denied.resetAt, boundary);
        QCOMPARE(denied.retryAfterS, std::int64_t(1)); // 1 ms, rounded up to a second
        // The first ms of the next window starts from zero.
        const Decision next = engine.decide(Req(boundary, "203.0.113.7"));
        QCOMPARE(text(next.reason), text(Reason::Admitted));
        QCOMPARE(next.remaining, std::int64_t(1));
        QCOMPARE(next.resetAt, boundary + window);
        engine.decide(Req(boundary, "203.0.113.7"));
        const Decision full = engine.decide(Req(boundary, "203.0.113.7"));
        QCOMPARE(full.retryAfterS, window / 1000);
    }

    void twoHourWindowsAreEvenHours()
    {
        Engine engine(oneIpRule(2 * kHour, 2));
        // 00:59:59.999 and 01:00 are in the same 2-hour window [00:00, 02:00).
        QVERIFY(engine.decide(Req(kT0 + kHour - 1, "203.0.113.7")).allowed);
        QVERIFY(engine.decide(Req(kT0 + kHour, "203.0.113.7")).allowed);
        const Decision d = engine.decide(Req(kT0 + kHour + 1, "203.0.113.7"));
        QCOMPARE(text(d.reason), text(Reason::RateLimited));
        QCOMPARE(d.resetAt, kT0 + 2 * kHour);
        QCOMPARE(d.retryAfterS, std::int64_t(3600));
    }

    void burstAtOneTimestamp()
    {
        Engine engine(oneIpRule(kMinute, 20));
        int admitted = 0;
        for (int i = 0; i < 100; ++i) {
            const Decision d = engine.decide(Req(kT0 + 123, "203.0.113.7"));
            if (d.allowed) {
                QCOMPARE(d.remaining, std::int64_t(19 - admitted));
                ++admitted;
            } else {
                QCOMPARE(text(d.reason), text(Reason::RateLimited));
            }
        }
        QCOMPARE(admitted, 20);
    }

    // §5 sliding windows
    void slidingWindow_data()
    {
        QTest::addColumn<int>("previous");
        QTest::addColumn<qint64>("elapsed");
        QTest::addColumn<int>("admitted");
        // L = 10, W = 60 s: admitted = L - floor(previous * (W - elapsed) / W)
        QTest::newRow("full previous, window start") << 10 << 0LL << 0;
        QTest::newRow("full previous, half way") << 10 << 30000LL << 5;
        QTest::newRow("floor 2.5") << 10 << 45000LL << 8;
        QTest::newRow("floor 4.67") << 7 << 20000LL << 6;
        QTest::newRow("last ms") << 10 << 59999LL << 10;
        QTest::newRow("empty previous") << 0 << 1000LL << 10;
    }
    void slidingWindow()
    {
        QFETCH(int, previous);
        QFETCH(qint64, elapsed);
        QFETCH(int, admitted);
        Policy policy = emptyPolicy();
        policy.rules = { slidingRule("slide", Scope::Ip, kMinute, 10) };
        Engine engine(policy);
        for (int i = 0; i < previous; ++i)
            QVERIFY(engine.decide(Req(kT0 + 100 + i, "203.0.113.7")).allowed);
        const TimeMs ts = kT0 + kMinute + elapsed;
        const std::int64_t estimate = std::int64_t(previous) * (kMinute - elapsed) / kMinute;
        int count = 0;
        for (int i = 0; i < 20; ++i) {
            const Decision d = engine.decide(Req(ts, "203.0.113.7"));
            if (d.allowed) {
                QCOMPARE(d.remaining, std::max<std::int64_t>(0, 10 - (estimate + count + 1)));
                QCOMPARE(d.resetAt, kT0 + 2 * kMinute);
                ++count;
            }
        }
        QCOMPARE(count, admitted);
    }

    void slidingWindowForgetsOlderWindows()
    {
        Policy policy = emptyPolicy();
        policy.rules = { slidingRule("slide", Scope::Ip, kMinute, 3) };
        Engine engine(policy);
        for (int i = 0; i < 3; ++i)
            QVERIFY(engine.decide(Req(kT0, "203.0.113.7")).allowed);
        // Two windows later the previous window is empty.
        for (int i = 0; i < 3; ++i)
            QVERIFY(engine.decide(Req(kT0 + 2 * kMinute, "203.0.113.7")).allowed);
        QVERIFY(!engine.decide(Req(kT0 + 2 * kMinute, "203.0.113.7")).allowed);
    }

    // Client and user records keep window indices relative to a per-rule base, in 32 bits, and
    // in 16 bits for fixed windows of a minute or more with limits below 65536 (the compact
    // counters of the fast path); a window 2^32 (2^16) windows later must not be mistaken for
    // the stored one (their low bits are equal), and counters stay exact across the base moving.
    void windowIndicesFarApart_data()
    {
        QTest::addColumn<bool>("sliding");
        QTest::addColumn<TimeMs>("window");
        QTest::addColumn<QList<qint64>>("steps"); // in windows after the start
        // 1 ms windows: 2^32 of them are 50 days.
        const QList<qint64> wide { qint64(1) << 32, (qint64(1) << 33) + 5, qint64(1) << 40 };
        // 1-minute windows: 2^16 of them are 45 days; the first step stays within the range.
        const QList<qint64> compact { (qint64(1) << 15) + 3, qint64(1) << 16, (qint64(1) << 17) + 5,
            qint64(1) << 32 };
        QTest::newRow("fixed") << false << TimeMs(1) << wide;
        QTest::newRow("sliding") << true << TimeMs(1) << wide;
        QTest::newRow("fixed compact") << false << kMinute << compact;
        QTest::newRow("sliding minutes") << true << kMinute << compact;
    }
    void windowIndicesFarApart()
    {
        QFETCH(bool, sliding);
        QFETCH(TimeMs, window);
        QFETCH(QList<qint64>, steps);
        Policy policy = emptyPolicy();
        policy.rules = { sliding ? slidingRule("w", Scope::Ip, window, 1)
                                 : fixedRule("w", Scope::Ip, window, 1),
            sliding ? slidingRule("u", Scope::User, window, 2)
                    : fixedRule("u", Scope::User, window, 2) };
        Engine engine(policy);
        const TimeMs start = kT0; // a whole minute
        QVERIFY(engine.decide(Req(start, "203.0.113.7").user("u1")).allowed);
        QVERIFY(!engine.decide(Req(start, "203.0.113.7").user("u1")).allowed);
        QVERIFY(engine.decide(Req(start, "203.0.113.8").user("u1")).allowed);
        QCOMPARE(text(engine.decide(Req(start, "203.0.113.9").user("u1")).reason),
            text(Reason::RateLimited)); // u1 used its 2
        TimeMs ts = start;
        for (const qint64 step : steps) {
            ts = start + step * window;
            const Decision first = engine.decide(Req(ts, "203.0.113.7").user("u1"));
            QCOMPARE(text(first.reason), text(Reason::Admitted));
            QCOMPARE(first.remaining, std::int64_t(0));
            QCOMPARE(first.resetAt, ts + window);
            const Decision second = engine.decide(Req(ts, "203.0.113.7").user("u1"));
            QCOMPARE(text(second.reason), text(Reason::RateLimited));
            QCOMPARE(second.rule, std::int16_t(0));
            // The user's counter came along: one of its two is used.
            QVERIFY(engine.decide(Req(ts, "203.0.113.8").user("u1")).allowed);
            QCOMPARE(engine.decide(Req(ts, "203.0.113.9").user("u1")).rule, std::int16_t(1));
            // 203.0.113.9 was admitted never, 203.0.113.8 once in this window.
            const auto status = engine.ruleStatus(Req(ts, "203.0.113.8").user("u1"));
            QCOMPARE(status.size(), std::size_t(2));
            QCOMPARE(status[0].remaining, std::int64_t(0));
            QCOMPARE(status[1].remaining, std::int64_t(0));
        }
        // The window right after: a fixed window starts from zero, a sliding one still counts
        // most of the previous window (all of it in a 1 ms window, where elapsed is always 0).
        const TimeMs next = ts + window;
        const Decision after = engine.decide(Req(next, "203.0.113.7").user("u1"));
        QCOMPARE(after.allowed, !sliding);
        if (sliding)
            QCOMPARE(after.rule, std::int16_t(0));
    }

    // §5 token bucket
    void tokenBucket()
    {
        Policy policy = emptyPolicy();
        policy.rules = { bucketRule("bucket", Scope::Ip, 10, kSecond, 3) }; // T = 100 ms
        Engine engine(policy);
        struct Step {
            TimeMs at;
            bool allowed;
            std::int64_t remaining;
            TimeMs resetAt;
            std::int64_t retryAfter;
        };
        const Step steps[] = {
            { 0, true, 2, 100, 0 },
            { 0, true, 1, 200, 0 },
            { 0, true, 0, 300, 0 },
            { 0, false, 0, 100, 1 },
            { 99, false, 0, 100, 1 },
            { 100, true, 0, 400, 0 },
            { 1000, true, 2, 1100, 0 },
            { 1000, true, 1, 1200, 0 },
        };
        for (const Step& step : steps) {
            const Decision d = engine.decide(Req(kT0 + step.at, "203.0.113.7"));
            QCOMPARE(d.allowed, step.allowed);
            QCOMPARE(d.limit, std::int64_t(3));
            QCOMPARE(d.remaining, step.remaining);
            QCOMPARE(d.resetAt, kT0 + step.resetAt);
            QCOMPARE(d.retryAfterS, step.retryAfter);
        }
    }

    void tokenBucketMicroseconds()
    {
        Policy policy = emptyPolicy();
        policy.rules = { bucketRule("bucket", Scope::Ip, 3, kSecond, 1) }; // T = 333333 µs
        Engine engine(policy);
        QVERIFY(engine.decide(Req(kT0, "203.0.113.7")).allowed);
        const Decision early = engine.decide(Req(kT0 + 333, "203.0.113.7"));
        QVERIFY(!early.allowed);
        QCOMPARE(early.resetAt, kT0 + 334); // ceil(333.333 ms)
        QVERIFY(engine.decide(Req(kT0 + 334, "203.0.113.7")).allowed);
        // Three a second, exactly, in the long run.
        int admitted = 0;
        for (TimeMs t = kT0 + 2000; t < kT0 + 12000; ++t)
            admitted += engine.decide(Req(t, "203.0.113.7")).allowed ? 1 : 0;
        QVERIFY(admitted >= 29 && admitted <= 31);
    }

    // §5 shadow rules
    void shadowNeverDenies()
    {
        Policy policy = emptyPolicy();
        policy.rules = { fixedRule("shadow", Scope::Ip, kMinute, 1, {}, Mode::Shadow),
            fixedRule("enforced", Scope::Ip, kMinute, 3) };
        Engine engine(policy);
        const Decision a = engine.decide(Req(kT0, "203.0.113.7"));
        QCOMPARE(a.wouldDeny, std::int16_t(-1));
        QCOMPARE(a.headerRule, std::int16_t(1)); // shadow rules are not reported
        QCOMPARE(a.remaining, std::int64_t(2));
        const Decision b = engine.decide(Req(kT0, "203.0.113.7"));
        QVERIFY(b.allowed);
        QCOMPARE(b.wouldDeny, std::int16_t(0));
        QCOMPARE(b.rule, std::int16_t(-1));
        QVERIFY(engine.decide(Req(kT0, "203.0.113.7")).allowed);
        const Decision d = engine.decide(Req(kT0, "203.0.113.7"));
        QCOMPARE(text(d.reason), text(Reason::RateLimited));
        QCOMPARE(d.rule, std::int16_t(1));
        QCOMPARE(d.wouldDeny, std::int16_t(0));
    }

    void shadowCounterMovesOnlyOnAdmission()
    {
        Policy policy = emptyPolicy();
        policy.rules = { fixedRule("shadow", Scope::Ip, kMinute, 2, {}, Mode::Shadow),
            fixedRule("per_user", Scope::User, kMinute, 1) };
        Engine engine(policy);
        QVERIFY(engine.decide(Req(kT0, "203.0.113.7").user("a")).allowed);
        QVERIFY(!engine.decide(Req(kT0, "203.0.113.7").user("a")).allowed); // denied: no move
        QCOMPARE(remainingOf(engine, Req(kT0, "203.0.113.7"), 0), std::int64_t(1));
        const Decision b = engine.decide(Req(kT0, "203.0.113.7").user("b"));
        QCOMPARE(b.wouldDeny, std::int16_t(-1));
        const Decision c = engine.decide(Req(kT0, "203.0.113.7").user("c"));
        QVERIFY(c.allowed);
        QCOMPARE(c.wouldDeny, std::int16_t(0));
    }

    // §5 and §7: all or nothing
    void deniedRequestMovesNoCounter()
    {
        Policy policy = emptyPolicy();
        policy.rules = { fixedRule("per_ip", Scope::Ip, kMinute, 5),
            fixedRule("per_user", Scope::User, kMinute, 2) };
        Engine engine(policy);
        const Request alice = Req(kT0, "203.0.113.7").user("alice");
        QVERIFY(engine.decide(alice).allowed);
        QVERIFY(engine.decide(alice).allowed);
        const Decision denied = engine.decide(alice);
        QCOMPARE(denied.rule, std::int16_t(1));
        QCOMPARE(denied.limit, std::int64_t(2));
        QCOMPARE(remainingOf(engine, alice, 0), std::int64_t(3)); // not 2
        // Anonymous requests are not subject to user rules.
        const Decision anonymous = engine.decide(Req(kT0, "203.0.113.7"));
        QVERIFY(anonymous.allowed);
        QCOMPARE(anonymous.remaining, std::int64_t(2));
        QCOMPARE(remainingOf(engine, Req(kT0, "203.0.113.7"), 1), std::int64_t(-100));
    }

    void quotaDenialMovesNoRuleCounter()
    {
        Policy policy = emptyPolicy();
        policy.plans[0].quotas = { { "api_calls", 2 } };
        policy.rules = { fixedRule("per_ip", Scope::Ip, kMinute, 10) };
        Engine engine(policy);
        const Request alice = Req(kT0, "203.0.113.7").user("alice", "free");
        QVERIFY(engine.decide(alice).allowed);
        QVERIFY(engine.decide(alice).allowed);
        QCOMPARE(text(engine.decide(alice).reason), text(Reason::QuotaExceeded));
        QCOMPARE(remainingOf(engine, alice, 0), std::int64_t(8));
    }

    void firstDenyingRuleInPolicyOrder()
    {
        Policy policy = emptyPolicy();
        policy.rules = { fixedRule("hour", Scope::Ip, kHour, 1),
            fixedRule("minute", Scope::Ip, kMinute, 1) };
        Engine engine(policy);
        QVERIFY(engine.decide(Req(kT0, "203.0.113.7")).allowed);
        const Decision d = engine.decide(Req(kT0, "203.0.113.7"));
        QCOMPARE(d.rule, std::int16_t(0));
        QCOMPARE(d.resetAt, kT0 + kHour);
    }

    void reportedRuleHasSmallestRemaining_data()
    {
        QTest::addColumn<int>("hourLimit");
        QTest::addColumn<int>("minuteLimit");
        QTest::addColumn<int>("reported");
        QTest::newRow("minute smaller") << 100 << 3 << 1;
        QTest::newRow("hour smaller") << 2 << 3 << 0;
        QTest::newRow("tie: policy order") << 3 << 3 << 0;
    }
    void reportedRuleHasSmallestRemaining()
    {
        QFETCH(int, hourLimit);
        QFETCH(int, minuteLimit);
        QFETCH(int, reported);
        Policy policy = emptyPolicy();
        policy.rules = { fixedRule("hour", Scope::Ip, kHour, hourLimit),
            fixedRule("minute", Scope::Ip, kMinute, minuteLimit) };
        Engine engine(policy);
        const Decision d = engine.decide(Req(kT0, "203.0.113.7"));
        QCOMPARE(d.headerRule, std::int16_t(reported));
        QCOMPARE(d.limit, std::int64_t(reported == 0 ? hourLimit : minuteLimit));
    }

    void ruleMatching_data()
    {
        QTest::addColumn<QString>("endpoint");
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("plan");
        QTest::addColumn<bool>("applies");
        QTest::newRow("all fit") << u"/api/chat"_s << u"POST"_s << u"u"_s << u"free"_s << true;
        QTest::newRow("method case-insensitive")
            << u"/api/chat"_s << u"post"_s << u"u"_s << u"free"_s << true;
        QTest::newRow("other method") << u"/api/chat"_s << u"GET"_s << u"u"_s << u"free"_s << false;
        QTest::newRow("other endpoint")
            << u"/api/items"_s << u"POST"_s << u"u"_s << u"free"_s << false;
        QTest::newRow("glob endpoint")
            << u"/api/ai/x"_s << u"POST"_s << u"u"_s << u"free"_s << true;
        QTest::newRow("other plan") << u"/api/chat"_s << u"POST"_s << u"u"_s << u"pro"_s << false;
        QTest::newRow("unknown plan is the default")
            << u"/api/chat"_s << u"POST"_s << u"u"_s << u"gold"_s << true;
        QTest::newRow("no plan is the default")
            << u"/api/chat"_s << u"POST"_s << u"u"_s << QString() << true;
        QTest::newRow("anonymous has no plan")
            << u"/api/chat"_s << u"POST"_s << QString() << QString() << false;
    }
    void ruleMatching()
    {
        QFETCH(QString, endpoint);
        QFETCH(QString, method);
        QFETCH(QString, user);
        QFETCH(QString, plan);
        QFETCH(bool, applies);
        Policy policy = emptyPolicy();
        policy.rules = { fixedRule("free_chat", Scope::Ip, kMinute, 1,
            { { "/api/chat", "/api/ai/*" }, { "POST" }, { "free" } }) };
        Engine engine(policy);
        const std::string e = endpoint.toStdString();
        const std::string m = method.toStdString();
        const std::string u = user.toStdString();
        const std::string p = plan.toStdString();
        const Request request = Req(kT0, "203.0.113.7").endpoint(e).method(m).user(u, p);
        QVERIFY(engine.decide(request).allowed);
        QCOMPARE(text(engine.decide(request).reason),
            text(applies ? Reason::RateLimited : Reason::Admitted));
    }

    void scopedRules()
    {
        Policy policy = emptyPolicy();
        policy.rules = { fixedRule("user_endpoint", Scope::UserEndpoint, kMinute, 1),
            fixedRule("ip_endpoint", Scope::IpEndpoint, kMinute, 2),
            fixedRule("global", Scope::Global, kMinute, 4) };
        Engine engine(policy);
        QVERIFY(engine.decide(Req(kT0, "203.0.113.7").user("a").endpoint("/api/x")).allowed);
        // Same user, other endpoint: its own user_endpoint counter.
        QVERIFY(engine.decide(Req(kT0, "203.0.113.7").user("a").endpoint("/api/y")).allowed);
        const Decision d = engine.decide(Req(kT0, "203.0.113.7").user("a").endpoint("/api/x"));
        QCOMPARE(d.rule, std::int16_t(0));
        // ip_endpoint: two per address and endpoint.
        QVERIFY(engine.decide(Req(kT0, "203.0.113.7").endpoint("/api/x")).allowed);
        QCOMPARE(engine.decide(Req(kT0, "203.0.113.7").endpoint("/api/x")).rule, std::int16_t(1));
        // global: four admitted in all, whoever sends them.
        QVERIFY(engine.decide(Req(kT0, "198.51.100.1").endpoint("/api/z")).allowed);
        const Decision g = engine.decide(Req(kT0, "198.51.100.2").endpoint("/api/w"));
        QCOMPARE(g.rule, std::int16_t(2));
        const auto status = engine.ruleStatus(Req(kT0, "203.0.113.7").user("a").endpoint("/api/x"));
        QCOMPARE(status.size(), std::size_t(3));
        QCOMPARE(status[0].identifier, std::string("a /api/x"));
        QCOMPARE(status[0].remaining, std::int64_t(0));
        QCOMPARE(status[1].identifier, std::string("203.0.113.7 /api/x"));
        QCOMPARE(status[2].remaining, std::int64_t(0));
    }
};

QTEST_APPLESS_MAIN(TestEngineWindows)
#include "tst_enginewindows.moc"
