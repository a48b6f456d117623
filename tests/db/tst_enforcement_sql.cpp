// The live decision function against the edge cases of docs/enforcement.md, one table row per
// scenario: a policy, then steps (requests with the result expected, plan changes, blocks).

#include "support/testcluster.h"
#include "tst_enforcement_support.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

using qc::livetest::LiveEnforcer;
using qc::livetest::LiveIncident;
using qc::livetest::LiveRequest;
using qc::livetest::LiveResult;
using qc::testsupport::TestCluster;

namespace {

constexpr qint64 kT0 = 1767225600000; // 2026-01-01T00:00:00Z: a minute, hour, day, 2h boundary
constexpr qint64 kS = 1000;
constexpr qint64 kM = 60 * kS;
constexpr qint64 kH = 60 * kM;
constexpr qint64 kD = 24 * kH;
constexpr qint64 kFeb1 = 1769904000000; // 2026-02-01T00:00:00Z

// A request, written fluently in the tables below.
struct R {
    LiveRequest r;
    explicit R(qint64 ts) { r.ts = ts; }
    R& ip(const char* v)
    {
        r.ip = QLatin1String(v);
        return *this;
    }
    R& fwd(const char* v)
    {
        r.forwardedFor = QLatin1String(v);
        return *this;
    }
    R& user(const char* id, const char* plan = "")
    {
        r.userId = QLatin1String(id);
        r.plan = QLatin1String(plan);
        return *this;
    }
    R& ep(const char* v)
    {
        r.endpoint = QLatin1String(v);
        return *this;
    }
    R& ua(const char* v)
    {
        r.userAgent = QLatin1String(v);
        return *this;
    }
    R& key(const char* k, const char* hash)
    {
        r.idempotencyKey = QLatin1String(k);
        r.requestHash = QLatin1String(hash);
        return *this;
    }
};

struct Step {
    enum Kind { Check, CheckComplete, PlanChange, Block, Unblock } kind = Check;
    LiveRequest request;
    // Check: "<status> <reason> [rule=.. limit=.. remaining=.. reset=.. retry=.. would=..
    // collision=.. flags=.. incidents=a,b]" — only the keys given are compared.
    QString expect;
    QString a, b; // plan change: user, plan; block: target, value
    qint64 from = 0, until = -1;
};

Step check(const R& r, const char* expect)
{
    Step s;
    s.request = r.r;
    s.expect = QLatin1String(expect);
    return s;
}

Step full(const R& r, const char* expect)
{
    Step s = check(r, expect);
    s.kind = Step::CheckComplete;
    return s;
}

Step planChange(const char* user, const char* plan, qint64 ts)
{
    Step s;
    s.kind = Step::PlanChange;
    s.a = QLatin1String(user);
    s.b = QLatin1String(plan);
    s.from = ts;
    return s;
}

Step block(const char* target, const char* value, qint64 from, qint64 until)
{
    Step s;
    s.kind = Step::Block;
    s.a = QLatin1String(target);
    s.b = QLatin1String(value);
    s.from = from;
    s.until = until;
    return s;
}

Step unblock(const char* target, const char* value, qint64 at)
{
    Step s = block(target, value, at, -1);
    s.kind = Step::Unblock;
    return s;
}

QByteArray policy(const char* rules, const char* extra = "")
{
    return QByteArray(R"({"version": 1,
        "trusted_proxies": ["10.0.0.0/8"],
        "plans": [{"name": "free", "rank": 0, "quotas": {"ai": 2}},
                  {"name": "pro", "rank": 1, "quotas": {"ai": 3}},
                  {"name": "team", "rank": 2, "quotas": {"ai": 10}}],
        "endpoint_metrics": [{"endpoints": ["/api/ai*"], "metric": "ai"}],
        "rules": [)")
        + rules + "]" + extra + "}";
}

// Compares `actual` with the expectation text; returns what differs, empty when it matches.
QString mismatch(const QString& expect, const LiveResult& actual, const QList<LiveIncident>& inc)
{
    const QStringList parts = expect.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QStringList wrong;
    if (parts.value(0).toInt() != actual.status)
        wrong << QStringLiteral("status");
    if (parts.value(1) != actual.reason)
        wrong << QStringLiteral("reason");
    if (actual.allowed != (actual.status == 200))
        wrong << QStringLiteral("allowed");
    for (qsizetype i = 2; i < parts.size(); ++i) {
        const QString key = parts[i].section(QLatin1Char('='), 0, 0);
        const QString value = parts[i].section(QLatin1Char('='), 1);
        QString got;
        if (key == u"rule")
            got = actual.rule;
        else if (key == u"limit")
            got = QString::number(actual.limit);
        else if (key == u"remaining")
            got = QString::number(actual.remaining);
        else if (key == u"reset")
            got = QString::number(actual.resetAt);
        else if (key == u"retry")
            got = QString::number(actual.retryAfterS);
        else if (key == u"would")
            got = actual.wouldDeny;
        else if (key == u"collision")
            got = actual.collision;
        else if (key == u"flags")
            got = QString::number(actual.collisionFlags);
        else if (key == u"incidents") {
            QStringList ids;
            for (const LiveIncident& incident : inc)
                ids << incident.pattern;
            got = ids.join(QLatin1Char(','));
        } else
            wrong << QStringLiteral("unknown key ") + key;
        if (got != value)
            wrong << key + QStringLiteral(" (got '") + got + QStringLiteral("')");
    }
    return wrong.join(QStringLiteral(", "));
}

} // namespace

Q_DECLARE_METATYPE(QList<Step>)

class EnforcementSqlTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QC_REQUIRE_CLUSTER(); }

    void scenarios_data()
    {
        QTest::addColumn<QByteArray>("policyJson");
        QTest::addColumn<QList<Step>>("steps");

        const char* perMinute2
            = R"({"id": "f", "scope": "ip", "algorithm": "fixed_window", "window": "1m", "limit": 2})";
        QTest::newRow("fixed window edges")
            << policy(perMinute2)
            << QList<Step> {
                   check(R(kT0 + 59998).ip("203.0.113.7"),
                       "200 admitted limit=2 remaining=1 reset=1767225660000"),
                   check(R(kT0 + 59999).ip("203.0.113.7"), "200 admitted remaining=0"),
                   check(R(kT0 + 59999).ip("203.0.113.7"),
                       "429 rate_limited rule=f limit=2 remaining=0 reset=1767225660000 retry=1"),
                   check(R(kT0 + 60000).ip("203.0.113.7"),
                       "200 admitted remaining=1 reset=1767225720000"),
                   check(R(kT0 + 60000).ip("203.0.113.8"), "200 admitted remaining=1"),
               };

        QTest::newRow("2-hour window at even hours")
            << policy(R"({"id": "u2h", "scope": "user", "algorithm": "fixed_window",
                          "window": "2h", "limit": 1, "match": {"plans": ["free"]}})")
            << QList<Step> {
                   check(R(kT0 + 30 * kM).ip("198.51.100.1").user("alice", "free"),
                       "200 admitted limit=1 remaining=0 reset=1767232800000"),
                   check(R(kT0 + 2 * kH - 1).ip("198.51.100.2").user("alice", "free"),
                       "429 rate_limited rule=u2h reset=1767232800000 retry=1"),
                   check(R(kT0 + 2 * kH).ip("198.51.100.1").user("alice", "free"),
                       "200 admitted reset=1767240000000"),
                   check(R(kT0 + 2 * kH).ip("198.51.100.1").user("bob", "pro"),
                       "200 admitted limit=-1"),
                   check(R(kT0 + 2 * kH).ip("198.51.100.1"), "200 admitted limit=-1"),
               };

        QTest::newRow("sliding window estimate") << policy(
            R"({"id": "s", "scope": "ip", "algorithm": "sliding_window", "window": "1m", "limit": 4})")
                                                 << QList<Step> {
                                                        check(R(kT0 + 10 * kS).ip("203.0.113.7"),
                                                            "200 admitted remaining=3"),
                                                        check(R(kT0 + 10 * kS).ip("203.0.113.7"),
                                                            "200 admitted remaining=2"),
                                                        check(R(kT0 + 10 * kS).ip("203.0.113.7"),
                                                            "200 admitted remaining=1"),
                                                        check(R(kT0 + 10 * kS).ip("203.0.113.7"),
                                                            "200 admitted remaining=0"),
                                                        check(R(kT0 + 10 * kS).ip("203.0.113.7"),
                                                            "429 rate_limited rule=s "
                                                            "reset=1767225660000"),
                                                        // 15 s into the next window: 4 * 45/60 = 3
                                                        // carried over.
                                                        check(R(kT0 + 75 * kS).ip("203.0.113.7"),
                                                            "200 admitted remaining=0 "
                                                            "reset=1767225720000"),
                                                        check(R(kT0 + 75 * kS).ip("203.0.113.7"),
                                                            "429 rate_limited retry=45"),
                                                        // Two windows later nothing carries over.
                                                        check(R(kT0 + 180 * kS).ip("203.0.113.7"),
                                                            "200 admitted remaining=3"),
                                                    };

        QTest::newRow("token bucket") << policy(
            R"({"id": "tb", "scope": "ip", "algorithm": "token_bucket", "rate": 1, "period": "1s", "burst": 2})")
                                      << QList<Step> {
                                             check(R(kT0).ip("203.0.113.7"),
                                                 "200 admitted limit=2 remaining=1 "
                                                 "reset=1767225601000"),
                                             check(R(kT0).ip("203.0.113.7"),
                                                 "200 admitted remaining=0 reset=1767225602000"),
                                             check(R(kT0).ip("203.0.113.7"),
                                                 "429 rate_limited rule=tb limit=2 "
                                                 "reset=1767225601000 retry=1"),
                                             check(R(kT0 + 999).ip("203.0.113.7"),
                                                 "429 rate_limited retry=1"),
                                             check(R(kT0 + 1000).ip("203.0.113.7"),
                                                 "200 admitted remaining=0 reset=1767225603000"),
                                             check(R(kT0 + 10 * kS).ip("203.0.113.7"),
                                                 "200 admitted remaining=1"),
                                         };

        QTest::newRow("shadow rule reports, never denies") << policy(
            R"({"id": "sh", "scope": "ip", "algorithm": "fixed_window", "window": "1m", "limit": 1, "mode": "shadow"},
                         {"id": "en", "scope": "ip", "algorithm": "fixed_window", "window": "1m", "limit": 3})")
                                                           << QList<Step> {
                                                                  check(R(kT0).ip("203.0.113.7"),
                                                                      "200 admitted rule= limit=3 "
                                                                      "remaining=2 would="),
                                                                  check(R(kT0).ip("203.0.113.7"),
                                                                      "200 admitted remaining=1 "
                                                                      "would=sh"),
                                                                  check(R(kT0).ip("203.0.113.7"),
                                                                      "200 admitted remaining=0 "
                                                                      "would=sh"),
                                                                  check(R(kT0).ip("203.0.113.7"),
                                                                      "429 rate_limited rule=en "
                                                                      "would=sh"),
                                                              };

        QTest::newRow("replay and collisions") << policy(
            R"({"id": "f", "scope": "ip", "algorithm": "fixed_window", "window": "1m", "limit": 5})",
            R"(, "idempotency": {"ttl": "1h"})")
                                               << QList<Step> {
                                                      check(R(kT0)
                                                                .ip("203.0.113.7")
                                                                .ua("app/1")
                                                                .key("k1", "h1"),
                                                          "200 admitted remaining=4"),
                                                      check(R(kT0 + kS)
                                                                .ip("203.0.113.7")
                                                                .ua("app/1")
                                                                .key("k1", "h1"),
                                                          "200 idempotent_replay remaining=4 "
                                                          "reset=1767225660000 retry=0"),
                                                      check(R(kT0 + 2 * kS)
                                                                .ip("203.0.113.7")
                                                                .ua("app/1")
                                                                .key("k1", "h2"),
                                                          "409 idempotency_conflict "
                                                          "collision=parameters flags=1 limit=-1"),
                                                      check(R(kT0 + 300 * kS)
                                                                .ip("203.0.113.7")
                                                                .ua("app/1")
                                                                .key("k1", "h2"),
                                                          "409 idempotency_conflict "
                                                          "collision=parameters flags=1"),
                                                      check(R(kT0 + 300 * kS + 1)
                                                                .ip("203.0.113.7")
                                                                .ua("app/1")
                                                                .key("k1", "h2"),
                                                          "409 idempotency_conflict collision=late "
                                                          "flags=3"),
                                                      check(R(kT0 + 301 * kS)
                                                                .ip("203.0.113.7")
                                                                .ua("app/2")
                                                                .key("k1", "h3"),
                                                          "409 idempotency_conflict "
                                                          "collision=user_agent flags=7"),
                                                      // Another client: another scope.
                                                      check(R(kT0 + 302 * kS)
                                                                .ip("203.0.113.8")
                                                                .ua("app/1")
                                                                .key("k1", "h2"),
                                                          "200 admitted"),
                                                      // After the ttl the entry is dead: a new
                                                      // request, not a collision.
                                                      check(R(kT0 + kH)
                                                                .ip("203.0.113.7")
                                                                .ua("app/1")
                                                                .key("k1", "h9"),
                                                          "200 admitted collision= flags=0"),
                                                      check(R(kT0 + kH + 1)
                                                                .ip("203.0.113.7")
                                                                .ua("app/1")
                                                                .key("k1", "h9"),
                                                          "200 idempotent_replay"),
                                                  };

        QTest::newRow("denied requests create no entry") << policy(
            R"({"id": "f", "scope": "ip", "algorithm": "fixed_window", "window": "1m", "limit": 1})")
                                                         << QList<Step> {
                                                                check(R(kT0).ip("203.0.113.7"),
                                                                    "200 admitted"),
                                                                check(R(kT0 + 1)
                                                                          .ip("203.0.113.7")
                                                                          .key("k2", "h1"),
                                                                    "429 rate_limited"),
                                                                check(R(kT0 + kM)
                                                                          .ip("203.0.113.7")
                                                                          .key("k2", "h1"),
                                                                    "200 admitted"),
                                                                check(R(kT0 + kM + 1)
                                                                          .ip("203.0.113.7")
                                                                          .key("k2", "h1"),
                                                                    "200 idempotent_replay"),
                                                            };

        QTest::newRow("on_conflict process: first writer wins")
            << policy(perMinute2, R"(, "idempotency": {"on_conflict": "process"})")
            << QList<Step> {
                   check(R(kT0).ip("203.0.113.7").user("carol", "pro").key("k", "h1"),
                       "200 admitted remaining=1"),
                   check(R(kT0 + 1).ip("203.0.113.7").user("carol", "pro").key("k", "h2"),
                       "200 admitted remaining=0 collision=parameters flags=1"),
                   check(R(kT0 + 2).ip("203.0.113.7").user("carol", "pro").key("k", "h2"),
                       "429 rate_limited collision=parameters flags=1"),
                   check(R(kT0 + 3).ip("203.0.113.7").user("carol", "pro").key("k", "h1"),
                       "200 idempotent_replay remaining=1"),
               };

        QTest::newRow("blocks start, expire and end by unblock")
            << policy("")
            << QList<Step> {
                   block("ip", "203.0.113.7", kT0 + 10 * kS, kT0 + 20 * kS),
                   block("network", "198.51.100.0/24", kT0, -1),
                   block("network", "2001:db8:1:2::/64", kT0, -1),
                   block("user", "mallory", kT0, kT0 + kH),
                   check(R(kT0 + 10 * kS - 1).ip("203.0.113.7"), "200 admitted"),
                   check(R(kT0 + 10 * kS).ip("203.0.113.7"), "403 blocked limit=-1"),
                   check(R(kT0 + 20 * kS - 1).ip("203.0.113.7"), "403 blocked"),
                   check(R(kT0 + 20 * kS).ip("203.0.113.7"), "200 admitted"),
                   check(R(kT0 + kS).ip("198.51.100.77"), "403 blocked"),
                   check(R(kT0 + kS).ip("198.51.101.1"), "200 admitted"),
                   check(R(kT0 + kS).ip("2001:db8:1:2:ffff::1"), "403 blocked"),
                   check(R(kT0 + kS).ip("2001:db8:1:3::1"), "200 admitted"),
                   check(R(kT0 + 29 * kM).ip("192.0.2.1").user("mallory", "free"), "403 blocked"),
                   unblock("user", "mallory", kT0 + 30 * kM),
                   check(
                       R(kT0 + 30 * kM - 1).ip("192.0.2.1").user("mallory", "free"), "403 blocked"),
                   check(R(kT0 + 30 * kM).ip("192.0.2.1").user("mallory", "free"), "200 admitted"),
               };

        QTest::newRow("downgrade grace starts and ends, upgrade at once")
            << policy("")
            << QList<Step> {
                   planChange("alice", "pro", kT0),
                   check(R(kT0 + kS).ip("192.0.2.1").user("alice", "pro").ep("/api/ai/chat"),
                       "200 admitted"),
                   check(R(kT0 + 2 * kS).ip("192.0.2.1").user("alice", "pro").ep("/api/ai/chat"),
                       "200 admitted"),
                   planChange("alice", "free", kT0 + kH),
                   // The previous plan's limit (3) holds from the change on, usage is kept (2).
                   check(R(kT0 + kH).ip("192.0.2.1").user("alice", "free").ep("/api/ai/chat"),
                       "200 admitted"),
                   check(R(kT0 + 2 * kH).ip("192.0.2.1").user("alice", "free").ep("/api/ai/chat"),
                       "429 quota_exceeded limit=3 remaining=0 reset=1769904000000"),
                   check(R(kT0 + kH + 7 * kD - 1)
                             .ip("192.0.2.1")
                             .user("alice", "free")
                             .ep("/api/ai/chat"),
                       "429 quota_exceeded limit=3"),
                   check(R(kT0 + kH + 7 * kD)
                             .ip("192.0.2.1")
                             .user("alice", "free")
                             .ep("/api/ai/chat"),
                       "429 quota_exceeded limit=2"),
                   planChange("alice", "team", kT0 + 8 * kD),
                   check(R(kT0 + 8 * kD).ip("192.0.2.1").user("alice", "team").ep("/api/ai/chat"),
                       "200 admitted"),
                   // Unknown plan without a subscription: the default plan (free, 2).
                   check(R(kT0 + 8 * kD).ip("192.0.2.1").user("dave", "gold").ep("/api/ai/x"),
                       "200 admitted"),
                   check(R(kT0 + 8 * kD).ip("192.0.2.1").user("dave", "gold").ep("/api/ai/x"),
                       "200 admitted"),
                   check(R(kT0 + 8 * kD).ip("192.0.2.1").user("dave", "gold").ep("/api/ai/x"),
                       "429 quota_exceeded limit=2"),
                   // A new calendar month starts a new cycle.
                   check(R(kFeb1).ip("192.0.2.1").user("dave", "gold").ep("/api/ai/x"),
                       "200 admitted"),
                   check(R(kFeb1 - 1).ip("192.0.2.1").user("eve", "free").ep("/api/other"),
                       "200 admitted"),
               };

        QTest::newRow("identifiers, proxies and skip") << policy(
            R"({"id": "one", "scope": "ip", "algorithm": "fixed_window", "window": "1m", "limit": 1})")
                                                       << QList<Step> {
                                                              check(
                                                                  R(kT0)
                                                                      .ip("10.0.0.1")
                                                                      .fwd("1.1.1.1, "
                                                                           "203.0.113.9,10.0.0.2"),
                                                                  "200 admitted"),
                                                              check(R(kT0).ip("203.0.113.9"),
                                                                  "429 rate_limited"),
                                                              check(R(kT0)
                                                                        .ip("10.0.0.1")
                                                                        .fwd("01.2.3.4"),
                                                                  "400 invalid_identifier"),
                                                              check(R(kT0)
                                                                        .ip("10.0.0.1")
                                                                        .fwd("203.0.113.10,"),
                                                                  "400 invalid_identifier"),
                                                              check(R(kT0).ip("1.2.3.4:80"),
                                                                  "400 invalid_identifier"),
                                                              check(R(kT0).ip(" 1.2.3.4"),
                                                                  "400 invalid_identifier"),
                                                              check(R(kT0).ip("[2001:db8::1]"),
                                                                  "400 invalid_identifier"),
                                                              check(R(kT0).ip("fe80::1%eth0"),
                                                                  "400 invalid_identifier"),
                                                              check(
                                                                  R(kT0), "400 invalid_identifier"),
                                                              check(R(kT0).ip("").fwd(
                                                                        " 203.0.113.11 "),
                                                                  "200 admitted"),
                                                              check(R(kT0).ip("2001:db8:5:6::1"),
                                                                  "200 admitted"),
                                                              check(R(kT0).ip(
                                                                        "2001:DB8:5:6:ffff:0:0:2"),
                                                                  "429 rate_limited"),
                                                              check(
                                                                  R(kT0).ip("::ffff:203.0.113.50"),
                                                                  "200 admitted"),
                                                              check(R(kT0).ip("203.0.113.50"),
                                                                  "429 rate_limited"),
                                                              check(R(kT0)
                                                                        .ip("10.0.0.1")
                                                                        .fwd("10.9.9.9"),
                                                                  "200 admitted"),
                                                              check(R(kT0).ip("10.0.0.1"),
                                                                  "429 rate_limited"),
                                                              check(R(kT0)
                                                                        .ip("not an address")
                                                                        .ep("/health"),
                                                                  "200 skipped limit=-1"),
                                                          };

        QTest::newRow("abuse: incident, auto block, re-arm") << policy(
            R"({"id": "f", "scope": "ip", "algorithm": "fixed_window", "window": "1m", "limit": 100})",
            R"(, "abuse": [
                  {"id": "fast", "kind": "rate", "scope": "ip", "window": "1m", "threshold": 3,
                   "severity": "high", "action": "block", "block_for": "1h"},
                  {"id": "bots", "kind": "user_agent", "scope": "ip", "user_agent_contains": ["bot"],
                   "severity": "low", "action": "log"},
                  {"id": "chat", "kind": "rate", "scope": "user", "window": "1m", "threshold": 1,
                   "endpoints": ["/api/chat"], "severity": "critical", "action": "escalate",
                   "block_for": "10m"}])")
                                                             << QList<Step> {
                                                                    full(R(kT0 + 1 * kS)
                                                                             .ip("203.0.113.7"),
                                                                        "200 admitted incidents="),
                                                                    full(R(kT0 + 2 * kS)
                                                                             .ip("203.0.113.7"),
                                                                        "200 admitted incidents="),
                                                                    full(R(kT0 + 3 * kS)
                                                                             .ip("203.0.113.7"),
                                                                        "200 admitted incidents="),
                                                                    full(R(kT0 + 4 * kS)
                                                                             .ip("203.0.113.7"),
                                                                        "200 admitted "
                                                                        "incidents=fast"),
                                                                    full(R(kT0 + 4 * kS)
                                                                             .ip("203.0.113.7"),
                                                                        "403 blocked incidents="),
                                                                    full(R(kT0 + kH + 4 * kS - 1)
                                                                             .ip("203.0.113.7"),
                                                                        "403 blocked incidents="),
                                                                    full(R(kT0 + kH + 4 * kS)
                                                                             .ip("203.0.113.7"),
                                                                        "200 admitted incidents="),
                                                                    full(R(kT0 + 2 * kH)
                                                                             .ip("203.0.113.8")
                                                                             .ua("MyBot/2"),
                                                                        "200 admitted "
                                                                        "incidents=bots"),
                                                                    full(R(kT0 + 2 * kH + kM)
                                                                             .ip("203.0.113.8")
                                                                             .ua("mybot"),
                                                                        "200 admitted incidents="),
                                                                    full(R(kT0 + 2 * kH + 2 * kM)
                                                                             .ip("203.0.113.8")
                                                                             .ua("curl"),
                                                                        "200 admitted incidents="),
                                                                    full(R(kT0 + 2 * kH + 3 * kM)
                                                                             .ip("203.0.113.8")
                                                                             .ua("BOT"),
                                                                        "200 admitted "
                                                                        "incidents=bots"),
                                                                    // Only /api/chat counts for the
                                                                    // user pattern; the escalation
                                                                    // blocks the user.
                                                                    full(R(kT0 + 3 * kH)
                                                                             .ip("192.0.2.9")
                                                                             .user("zed", "free")
                                                                             .ep("/api/chat"),
                                                                        "200 admitted incidents="),
                                                                    full(R(kT0 + 3 * kH + 1)
                                                                             .ip("192.0.2.9")
                                                                             .user("zed", "free")
                                                                             .ep("/api/other"),
                                                                        "200 admitted incidents="),
                                                                    full(R(kT0 + 3 * kH + 2)
                                                                             .ip("192.0.2.9")
                                                                             .user("zed", "free")
                                                                             .ep("/api/chat"),
                                                                        "200 admitted "
                                                                        "incidents=chat"),
                                                                    full(R(kT0 + 3 * kH + 3)
                                                                             .ip("192.0.2.10")
                                                                             .user("zed", "free")
                                                                             .ep("/api/other"),
                                                                        "403 blocked incidents="),
                                                                };
    }

    void scenarios()
    {
        QFETCH(QByteArray, policyJson);
        QFETCH(QList<Step>, steps);
        QC_TEST_DATABASE(name);
        LiveEnforcer live(TestCluster::instance().open(name));
        QVERIFY2(live.setPolicy(policyJson), qPrintable(live.lastError()));
        int n = 0;
        for (const Step& step : steps) {
            ++n;
            switch (step.kind) {
            case Step::PlanChange:
                QVERIFY2(live.changePlan(step.a, step.b, step.from), qPrintable(live.lastError()));
                continue;
            case Step::Block:
                QVERIFY2(live.addBlock(step.a, step.b, step.from, step.until),
                    qPrintable(live.lastError()));
                continue;
            case Step::Unblock:
                QVERIFY2(live.unblock(step.a, step.b, step.from), qPrintable(live.lastError()));
                continue;
            case Step::Check:
            case Step::CheckComplete:
                break;
            }
            const auto result = live.check(step.request);
            QVERIFY2(result, qPrintable(live.lastError()));
            QList<LiveIncident> incidents;
            if (step.kind == Step::CheckComplete) {
                const auto raised = live.complete(step.request, *result);
                QVERIFY2(raised, qPrintable(live.lastError()));
                incidents = *raised;
            }
            const QString wrong = mismatch(step.expect, *result, incidents);
            QVERIFY2(wrong.isEmpty(),
                qPrintable(QStringLiteral("step %1 (ts %2, ip '%3'): expected '%4', got %5; "
                                          "differs in %6")
                               .arg(n)
                               .arg(step.request.ts)
                               .arg(step.request.ip, step.expect, result->toString(), wrong)));
        }
    }

    void autoBlockIsRecordedWithItsIncident()
    {
        QC_TEST_DATABASE(name);
        LiveEnforcer live(TestCluster::instance().open(name));
        QVERIFY2(live.setPolicy(policy("", R"(, "abuse": [{"id": "fast", "kind": "rate",
            "scope": "ip", "window": "1m", "threshold": 1, "severity": "high", "action": "block",
            "block_for": "2h"}])")),
            qPrintable(live.lastError()));
        R r(kT0);
        r.ip("2001:db8:7:8:1:2:3:4");
        for (int i = 0; i < 2; ++i) {
            const auto result = live.check(r.r);
            QVERIFY2(result, qPrintable(live.lastError()));
            QVERIFY2(live.complete(r.r, *result), qPrintable(live.lastError()));
        }
        const QVariant row = live.scalar(
            QStringLiteral("SELECT b.target || ' ' || b.value || ' ' || b.source || ' ' || "
                           "(b.blocked_until - b.blocked_from)::text || ' ' || i.pattern_id || ' ' "
                           "|| i.identifier "
                           "FROM quota.blocked_identifiers b JOIN quota.abuse_incidents i ON i.id "
                           "= b.incident_id"));
        QVERIFY2(row.isValid(), qPrintable(live.lastError()));
        QCOMPARE(row.toString(),
            QStringLiteral("network 2001:db8:7:8::/64 auto 02:00:00 fast 2001:db8:7:8::/64"));
        // The request log carries both requests with their decision.
        QCOMPARE(live.scalar(QStringLiteral("SELECT count(*) FROM quota.request_logs "
                                            "WHERE decision = 'allowed'"))
                     .toInt(),
            2);
    }

    void collisionsAreRecordedForInvestigation()
    {
        QC_TEST_DATABASE(name);
        LiveEnforcer live(TestCluster::instance().open(name));
        QVERIFY2(live.setPolicy(policy("")), qPrintable(live.lastError()));
        R first(kT0);
        first.ip("203.0.113.7").user("alice", "pro").ua("app/1").key("order-1", "h1");
        QVERIFY(live.check(first.r));
        R second(kT0 + 10 * kM);
        second.ip("203.0.113.7").user("alice", "pro").ua("app/2").key("order-1", "h2");
        QVERIFY(live.check(second.r));
        const QVariant row = live.scalar(QStringLiteral(
            "SELECT scope || ' ' || key || ' ' || kind || ' ' || flags || ' ' || late || ' ' || "
            "different_user_agent || ' ' || ms_since_first || ' ' || stored_request_hash "
            "FROM quota.idempotency_collisions"));
        QVERIFY2(row.isValid(), qPrintable(live.lastError()));
        QCOMPARE(
            row.toString(), QStringLiteral("user:alice order-1 user_agent 7 true true 600000 h1"));
        QCOMPARE(live.scalar(QStringLiteral("SELECT collision_count FROM quota.idempotency_ledger"))
                     .toInt(),
            1);
    }

    void globsAreLiteralExceptStarAndQuestionMark()
    {
        QC_TEST_DATABASE(name);
        LiveEnforcer live(TestCluster::instance().open(name));
        QVERIFY2(live.setPolicy(policy(R"({"id": "g", "scope": "ip", "algorithm": "fixed_window",
            "window": "1m", "limit": 1, "match": {"endpoints": ["/v?/a_b%*"], "methods": ["post"]}})")),
            qPrintable(live.lastError()));
        const auto run = [&](const char* endpoint, const char* method) {
            R r(kT0);
            r.ip("203.0.113.7").ep(endpoint);
            r.r.method = QLatin1String(method);
            const auto first = live.check(r.r);
            const auto second = live.check(r.r);
            return first && second ? second->reason : live.lastError();
        };
        QCOMPARE(run("/v1/a_b%/x", "Post"), QStringLiteral("rate_limited"));
        QCOMPARE(run("/v1/aXb%/x", "POST"), QStringLiteral("admitted")); // '_' is literal
        QCOMPARE(run("/v1/a_bX/x", "POST"), QStringLiteral("admitted")); // '%' is literal
        QCOMPARE(run("/v12/a_b%", "POST"), QStringLiteral("admitted")); // '?' is one character
        QCOMPARE(run("/v2/a_b%", "GET"), QStringLiteral("admitted"));
    }

    void housekeepingKeepsDecisionsUnchanged()
    {
        QC_TEST_DATABASE(name);
        LiveEnforcer live(TestCluster::instance().open(name));
        QVERIFY2(live.setPolicy(policy(R"({"id": "f", "scope": "ip", "algorithm": "fixed_window",
            "window": "1m", "limit": 2})")),
            qPrintable(live.lastError()));
        R r(kT0);
        r.ip("203.0.113.7").key("k", "h");
        QVERIFY(live.check(r.r));
        R other(kT0 + 30 * kS);
        other.ip("203.0.113.7");
        QVERIFY(live.check(other.r));
        // At kT0 + 59 s nothing has expired yet; at +1 min the window and nothing else has.
        QVERIFY(
            live.exec(QStringLiteral("SELECT * FROM quota.enforcement_housekeeping("
                                     "timestamptz 'epoch' + interval '1 millisecond' * ?::bigint)"),
                { kT0 + 59 * kS }));
        R again(kT0 + 59 * kS);
        again.ip("203.0.113.7");
        QCOMPARE(live.check(again.r)->reason, QStringLiteral("rate_limited"));
        QCOMPARE(live.scalar(QStringLiteral("SELECT count(*) FROM quota.enforcement_housekeeping("
                                            "timestamptz 'epoch' + interval '1 millisecond' * "
                                            "?::bigint) WHERE removed > 0"),
                         { kT0 + kM })
                     .toInt(),
            1);
        QCOMPARE(
            live.scalar(QStringLiteral("SELECT count(*) FROM quota.rate_counters")).toInt(), 0);
        R replay(kT0 + kM + 1);
        replay.ip("203.0.113.7").key("k", "h");
        QCOMPARE(live.check(replay.r)->reason, QStringLiteral("idempotent_replay"));
    }

    void servicesMayCallOnlyTheTwoFunctions()
    {
        QC_TEST_DATABASE(name);
        {
            LiveEnforcer admin(TestCluster::instance().open(name));
            QVERIFY2(admin.setPolicy(policy("")), qPrintable(admin.lastError()));
        }
        const QString role = TestCluster::instance().createLoginRole(
            QStringLiteral("svc"), { QStringLiteral("quota_service") });
        QVERIFY2(!role.isEmpty(), qPrintable(TestCluster::instance().errorString()));
        QSqlDatabase db = TestCluster::instance().open(name, {}, role);
        QVERIFY2(db.isOpen(), qPrintable(db.lastError().text()));
        LiveEnforcer service(db);
        R r(kT0);
        r.ip("203.0.113.7").user("alice", "free");
        const auto result = service.check(r.r);
        QVERIFY2(result, qPrintable(service.lastError()));
        QCOMPARE(result->reason, QStringLiteral("admitted"));
        QVERIFY2(service.complete(r.r, *result), qPrintable(service.lastError()));
        QSqlQuery q(db);
        QVERIFY(!q.exec(QStringLiteral("SELECT count(*) FROM quota.rate_counters")));
        QVERIFY(!q.exec(QStringLiteral("DELETE FROM quota.blocked_identifiers")));
    }
};

QTEST_GUILESS_MAIN(EnforcementSqlTest)
#include "tst_enforcement_sql.moc"
