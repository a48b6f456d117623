#include "policy/policyjson.h"

#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;
namespace ef = qc::enforcement;
using namespace qc::policy;

namespace {

// The smallest valid policy; cases splice their mistake into it.
QByteArray withTop(const char* extra)
{
    return QByteArray(R"({"version": 1, "plans": [{"name": "free"}, {"name": "pro"}])")
        + (qstrlen(extra) ? QByteArray(", ") + extra : QByteArray()) + "}";
}

QByteArray withRule(const char* rule)
{
    return withTop(QByteArray(QByteArray(R"("rules": [)") + rule + "]").constData());
}

QByteArray withAbuse(const char* pattern)
{
    return withTop(QByteArray(QByteArray(R"("abuse": [)") + pattern + "]").constData());
}

const ef::Rule* ruleById(const ef::Policy& p, std::string_view id)
{
    for (const ef::Rule& r : p.rules) {
        if (r.id == id)
            return &r;
    }
    return nullptr;
}

const ef::AbusePattern* patternById(const ef::Policy& p, std::string_view id)
{
    for (const ef::AbusePattern& a : p.abuse) {
        if (a.id == id)
            return &a;
    }
    return nullptr;
}

// Enums compare by their policy-file names, which also makes failures readable.
template<typename E> QString name(E value)
{
    const std::string_view text = ef::toString(value);
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

std::int64_t quota(const ef::Plan& plan, std::string_view metric)
{
    for (const ef::PlanQuota& q : plan.quotas) {
        if (q.metric == metric)
            return q.limit;
    }
    return -2; // not listed
}

} // namespace

class TestPolicyJson : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void validationErrors_data();
    void validationErrors();
    void syntaxErrorHasLineAndColumn();
    void collectsEveryError();
    void defaultsAreFilled();
    void moneyRoundsHalfAwayFromZero_data();
    void moneyRoundsHalfAwayFromZero();
    void durations_data();
    void durations();
    void defaultPolicyMatchesTheSeeds();
    void defaultPolicyJsonIsTheShippedFile();
    void toJsonRoundTrip_data();
    void toJsonRoundTrip();
    void loadPolicyFileNamesMissingFile();
};

void TestPolicyJson::validationErrors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("message");

    QTest::newRow("top level not an object")
        << QByteArray("[1]") << u"policy"_s << u"expected a JSON object"_s;
    QTest::newRow("version missing") << QByteArray(R"({"plans": [{"name": "free"}]})")
                                     << u"policy.version"_s << u"is required"_s;
    QTest::newRow("version 2") << QByteArray(R"({"version": 2, "plans": [{"name": "free"}]})")
                               << u"policy.version"_s << u"unsupported version 2"_s;
    QTest::newRow("plans missing")
        << QByteArray(R"({"version": 1})") << u"policy.plans"_s << u"is required"_s;
    QTest::newRow("no plans") << QByteArray(R"({"version": 1, "plans": []})") << u"policy.plans"_s
                              << u"must list at least one plan"_s;
    QTest::newRow("unknown top-level key") << withTop(R"("rulez": [])") << u"policy.rulez"_s
                                           << u"unknown key 'rulez'; did you mean 'rules'?"_s;
    QTest::newRow("fail_mode enum") << withTop(R"("fail_mode": "half")") << u"policy.fail_mode"_s
                                    << u"'half' is not one of \"open\", \"closed\""_s;
    QTest::newRow("fail_mode type")
        << withTop(R"("fail_mode": 1)") << u"policy.fail_mode"_s << u"got a number"_s;
    QTest::newRow("bad CIDR") << withTop(R"("trusted_proxies": ["10.0.0.0/8", "10.0.0.0/33"])")
                              << u"policy.trusted_proxies[1]"_s
                              << u"'10.0.0.0/33' is not a network"_s;
    QTest::newRow("skip_endpoints type")
        << withTop(R"("skip_endpoints": "/health")") << u"policy.skip_endpoints"_s
        << u"expected a list of strings"_s;
    QTest::newRow("default_plan unknown")
        << withTop(R"("default_plan": "gold")") << u"policy.default_plan"_s
        << u"'gold' is not a plan of this policy; known plans: free, pro"_s;
    QTest::newRow("billing_cycle")
        << withTop(R"("billing_cycle": "monthly")") << u"policy.billing_cycle"_s
        << u"neither \"calendar_month\" nor a duration"_s;
    QTest::newRow("grace not a duration")
        << withTop(R"("downgrade_grace": "1 week")") << u"policy.downgrade_grace"_s
        << u"'1 week' is not a duration; use e.g. 90s, 5m, 2h, 1d"_s;
    QTest::newRow("ttl zero") << withTop(R"("idempotency": {"ttl": "0s"})")
                              << u"policy.idempotency.ttl"_s << u"must be at least 1ms"_s;
    QTest::newRow("on_conflict") << withTop(R"("idempotency": {"on_conflict": "merge"})")
                                 << u"policy.idempotency.on_conflict"_s
                                 << u"'merge' is not one of"_s;

    QTest::newRow("window not a duration") << withRule(
        R"({"id": "a", "scope": "ip", "algorithm": "fixed_window", "window": "5x", "limit": 1})")
                                           << u"policy.rules[0].window"_s
                                           << u"'5x' is not a duration; use e.g. 90s, 5m, 2h, 1d"_s;
    QTest::newRow("window fractional ms") << withRule(
        R"({"id": "a", "scope": "ip", "algorithm": "fixed_window", "window": 1.5, "limit": 1})")
                                          << u"policy.rules[0].window"_s
                                          << u"1.5 is not a duration"_s;
    QTest::newRow("limit zero") << withRule(
        R"({"id": "a", "scope": "ip", "algorithm": "fixed_window", "window": "1m", "limit": 0})")
                                << u"policy.rules[0].limit"_s
                                << u"0 is out of range; use 1 … 1000000000"_s;
    QTest::newRow("limit too big") << withRule(
        R"({"id": "a", "scope": "ip", "algorithm": "fixed_window", "window": "1m", "limit": 1000000001})")
                                   << u"policy.rules[0].limit"_s << u"out of range"_s;
    QTest::newRow("limit fraction") << withRule(
        R"({"id": "a", "scope": "ip", "algorithm": "fixed_window", "window": "1m", "limit": 2.5})")
                                    << u"policy.rules[0].limit"_s
                                    << u"expected an integer, got 2.5"_s;
    QTest::newRow("limit string") << withRule(
        R"({"id": "a", "scope": "ip", "algorithm": "fixed_window", "window": "1m", "limit": "20"})")
                                  << u"policy.rules[0].limit"_s
                                  << u"expected an integer, got a string"_s;
    QTest::newRow("sliding window over 31d") << withRule(
        R"({"id": "a", "scope": "ip", "algorithm": "sliding_window", "window": "32d", "limit": 5})")
                                             << u"policy.rules[0].window"_s
                                             << u"32d is too long; at most 31d"_s;
    QTest::newRow("limit missing")
        << withRule(R"({"id": "a", "scope": "ip", "algorithm": "fixed_window", "window": "1m"})")
        << u"policy.rules[0].limit"_s << u"is required for fixed_window rules"_s;
    QTest::newRow("scope enum") << withRule(
        R"({"id": "a", "scope": "tenant", "algorithm": "fixed_window", "window": "1m", "limit": 1})")
                                << u"policy.rules[0].scope"_s << u"'tenant' is not one of"_s;
    QTest::newRow("algorithm missing")
        << withRule(R"({"id": "a", "scope": "ip", "window": "1m", "limit": 1})")
        << u"policy.rules[0].algorithm"_s << u"is required"_s;
    QTest::newRow("bucket under a microsecond") << withRule(
        R"({"id": "a", "scope": "ip", "algorithm": "token_bucket", "rate": 2000, "period": "1ms", "burst": 1})")
                                                << u"policy.rules[0].rate"_s
                                                << u"faster than one request per microsecond"_s;
    QTest::newRow("bucket burst zero") << withRule(
        R"({"id": "a", "scope": "ip", "algorithm": "token_bucket", "rate": 5, "period": "1s", "burst": 0})")
                                       << u"policy.rules[0].burst"_s << u"0 is out of range"_s;
    QTest::newRow("bucket burst missing") << withRule(
        R"({"id": "a", "scope": "ip", "algorithm": "token_bucket", "rate": 5, "period": "1s"})")
                                          << u"policy.rules[0].burst"_s
                                          << u"is required for token_bucket rules"_s;
    QTest::newRow("bucket with window") << withRule(
        R"({"id": "a", "scope": "ip", "algorithm": "token_bucket", "rate": 5, "period": "1s", "burst": 2, "window": "1m"})")
                                        << u"policy.rules[0].window"_s
                                        << u"does not apply to token_bucket rules"_s;
    QTest::newRow("window rule with rate") << withRule(
        R"({"id": "a", "scope": "ip", "algorithm": "fixed_window", "window": "1m", "limit": 1, "rate": 3})")
                                           << u"policy.rules[0].rate"_s
                                           << u"applies only to token_bucket rules"_s;
    QTest::newRow("misspelt rule key") << withRule(
        R"({"id": "a", "scope": "ip", "algorithm": "fixed_window", "windw": "1m", "limit": 1})")
                                       << u"policy.rules[0].windw"_s << u"did you mean 'window'?"_s;
    QTest::newRow("bad rule id") << withRule(
        R"({"id": "per ip", "scope": "ip", "algorithm": "fixed_window", "window": "1m", "limit": 1})")
                                 << u"policy.rules[0].id"_s << u"'per ip' is not a valid id"_s;
    QTest::newRow("duplicate rule id") << withRule(
        R"({"id": "a", "scope": "ip", "algorithm": "fixed_window", "window": "1m", "limit": 1},
                       {"id": "a", "scope": "user", "algorithm": "fixed_window", "window": "1h", "limit": 9})")
                                       << u"policy.rules[1].id"_s << u"duplicate rule id 'a'"_s;
    QTest::newRow("match plan unknown") << withRule(
        R"({"id": "a", "scope": "user", "algorithm": "fixed_window", "window": "1m", "limit": 1, "match": {"plans": ["free", "gold"]}})")
                                        << u"policy.rules[0].match.plans[1]"_s
                                        << u"'gold' is not a plan of this policy"_s;
    QTest::newRow("match unknown key") << withRule(
        R"({"id": "a", "scope": "user", "algorithm": "fixed_window", "window": "1m", "limit": 1, "match": {"paths": []}})")
                                       << u"policy.rules[0].match.paths"_s
                                       << u"unknown key 'paths'"_s;
    QTest::newRow("mode enum") << withRule(
        R"({"id": "a", "scope": "ip", "algorithm": "fixed_window", "window": "1m", "limit": 1, "mode": "dry"})")
                               << u"policy.rules[0].mode"_s
                               << u"'dry' is not one of \"enforce\", \"shadow\""_s;

    QTest::newRow("duplicate plan")
        << QByteArray(R"({"version": 1, "plans": [{"name": "free"}, {"name": "free"}]})")
        << u"policy.plans[1].name"_s << u"duplicate plan name 'free'"_s;
    QTest::newRow("quota below -1")
        << QByteArray(R"({"version": 1, "plans": [{"name": "free", "quotas": {"api_calls": -2}}]})")
        << u"policy.plans[0].quotas.api_calls"_s << u"-2 is out of range"_s;
    QTest::newRow("paid not bool")
        << QByteArray(R"({"version": 1, "plans": [{"name": "free", "paid": "no"}]})")
        << u"policy.plans[0].paid"_s << u"expected true or false"_s;
    QTest::newRow("endpoint metric without metric")
        << withTop(R"("endpoint_metrics": [{"endpoints": ["/api/*"]}])")
        << u"policy.endpoint_metrics[0].metric"_s << u"is required"_s;

    QTest::newRow("abuse kind enum") << withAbuse(
        R"({"id": "p", "kind": "weird", "scope": "ip", "severity": "low", "action": "log"})")
                                     << u"policy.abuse[0].kind"_s << u"'weird' is not one of"_s;
    QTest::newRow("rate pattern without threshold") << withAbuse(
        R"({"id": "p", "kind": "rate", "scope": "ip", "window": "1m", "severity": "low", "action": "log"})")
                                                    << u"policy.abuse[0].threshold"_s
                                                    << u"is required for rate patterns"_s;
    QTest::newRow("threshold on a country pattern") << withAbuse(
        R"({"id": "p", "kind": "country", "scope": "ip", "countries": ["RU"], "threshold": 3, "severity": "low", "action": "log"})")
                                                    << u"policy.abuse[0].threshold"_s
                                                    << u"does not apply to country patterns"_s;
    QTest::newRow("country code") << withAbuse(
        R"({"id": "p", "kind": "country", "scope": "ip", "countries": ["RUS"], "severity": "low", "action": "alert"})")
                                  << u"policy.abuse[0].countries[0]"_s
                                  << u"'RUS' is not a two-letter ISO 3166 country code"_s;
    QTest::newRow("block_for on log") << withAbuse(
        R"({"id": "p", "kind": "user_agent", "scope": "ip", "user_agent_contains": ["bot"], "severity": "low", "action": "log", "block_for": "1h"})")
                                      << u"policy.abuse[0].block_for"_s
                                      << u"does not apply to action 'log'"_s;
    QTest::newRow("severity missing") << withAbuse(
        R"({"id": "p", "kind": "user_agent", "scope": "ip", "user_agent_contains": ["bot"], "action": "log"})")
                                      << u"policy.abuse[0].severity"_s << u"is required"_s;
    QTest::newRow("duplicate pattern") << withAbuse(
        R"({"id": "p", "kind": "country", "scope": "ip", "countries": ["RU"], "severity": "low", "action": "log"},
                        {"id": "p", "kind": "country", "scope": "ip", "countries": ["CN"], "severity": "low", "action": "log"})")
                                       << u"policy.abuse[1].id"_s << u"duplicate pattern id 'p'"_s;

    QTest::newRow("cost money type")
        << withTop(R"("cost": {"gb_hour_usd": "0.18"})") << u"policy.cost.gb_hour_usd"_s
        << u"expected an amount of dollars"_s;
    QTest::newRow("cost negative")
        << withTop(R"("cost": {"endpoints": [{"endpoints": ["/a"], "base_usd": -0.5}]})")
        << u"policy.cost.endpoints[0].base_usd"_s << u"-0.5 is negative"_s;
    QTest::newRow("model price key")
        << withTop(R"("cost": {"models": {"gpt-4o": {"per_1k_tokens": 0.005}}})")
        << u"policy.cost.models.gpt-4o.per_1k_tokens"_s << u"did you mean 'per_1k_tokens_usd'?"_s;
}

void TestPolicyJson::validationErrors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, path);
    QFETCH(QString, message);
    const LoadResult result = parsePolicy(json);
    QVERIFY2(!result.policy, "an invalid policy must not load");
    bool found = false;
    for (const PolicyError& e : result.errors)
        found = found || (e.path == path && e.message.contains(message));
    QVERIFY2(found,
        qPrintable(
            u"expected "_s + path + u": …"_s + message + u"…; got:\n"_s + result.errorText()));
}

void TestPolicyJson::syntaxErrorHasLineAndColumn()
{
    const LoadResult result = parsePolicy("{\n  \"version\": 1,\n  \"plans\": [}\n");
    QCOMPARE(result.errors.size(), 1);
    QCOMPARE(result.errors[0].line, 3);
    QVERIFY(result.errors[0].column > 1);
    QVERIFY2(result.errors[0].toString().startsWith(u"policy (line 3:"_s),
        qPrintable(result.errors[0].toString()));
}

void TestPolicyJson::collectsEveryError()
{
    const LoadResult result = parsePolicy(withTop(
        R"("fail_mode": "x", "rules": [{"id": "a", "scope": "ip", "algorithm": "fixed_window", "window": "5x", "limit": 0}], "default_plan": "gold")"));
    QVERIFY(!result.policy);
    QStringList paths;
    for (const PolicyError& e : result.errors)
        paths.append(e.path);
    QCOMPARE(paths.size(), 4);
    QVERIFY(paths.contains(u"policy.fail_mode"_s));
    QVERIFY(paths.contains(u"policy.rules[0].window"_s));
    QVERIFY(paths.contains(u"policy.rules[0].limit"_s));
    QVERIFY(paths.contains(u"policy.default_plan"_s));
    QVERIFY(result.errorText().contains(
        u"policy.rules[0].window: '5x' is not a duration; use e.g. 90s, 5m, 2h, 1d"_s));
}

void TestPolicyJson::defaultsAreFilled()
{
    const LoadResult result = parsePolicy(R"({"version": 1,
        "plans": [{"name": "free"}, {"name": "pro"}, {"name": "team", "rank": 7, "paid": false}],
        "rules": [{"id": "m", "scope": "user", "algorithm": "fixed_window", "window": 60000, "limit": 3,
                   "match": {"methods": ["post"]}}],
        "abuse": [
          {"id": "b", "kind": "rate", "scope": "ip", "window": "1m", "threshold": 5, "severity": "high", "action": "block"},
          {"id": "w", "kind": "rate", "scope": "ip", "window": "10m", "threshold": 5, "severity": "high", "action": "alert"},
          {"id": "c", "kind": "country", "scope": "ip", "countries": ["ru"], "severity": "low", "action": "log"},
          {"id": "e", "kind": "cost", "scope": "user", "window": "1h", "threshold_usd": 2, "severity": "low", "action": "escalate", "block_for": "2h"},
          {"id": "r", "kind": "user_agent", "scope": "ip", "user_agent_contains": ["Bot"], "severity": "low", "action": "log", "rearm": "5m"}
        ]})");
    QVERIFY2(result.policy, qPrintable(result.errorText()));
    const ef::Policy& p = *result.policy;
    QCOMPARE(p.defaultPlan, std::string("free"));
    QCOMPARE(p.plans[0].rank, 0);
    QCOMPARE(p.plans[0].paid, false);
    QCOMPARE(p.plans[1].rank, 1);
    QCOMPARE(p.plans[1].paid, true);
    QCOMPARE(p.plans[2].rank, 7);
    QCOMPARE(p.plans[2].paid, false);
    QCOMPARE(name(p.failMode), name(ef::FailMode::Open));
    QCOMPARE(p.skipEndpoints, (std::vector<std::string> { "/health", "/metrics" }));
    QCOMPARE(p.billingCycleMs, 0);
    QCOMPARE(p.downgradeGraceMs, 7 * ef::kDay);
    QCOMPARE(p.idempotencyTtlMs, ef::kDay);
    QCOMPARE(name(p.onConflict), name(ef::OnConflict::Reject));
    QCOMPARE(p.rules[0].windowMs, ef::kMinute);
    QCOMPARE(name(p.rules[0].mode), name(ef::Mode::Enforce));
    QCOMPARE(p.rules[0].match.methods, (std::vector<std::string> { "POST" }));
    // docs/enforcement.md §8: rearm = block_for for block/escalate, else window, else 1h.
    QCOMPARE(patternById(p, "b")->blockForMs, ef::kDay);
    QCOMPARE(patternById(p, "b")->rearmMs, ef::kDay);
    QCOMPARE(patternById(p, "w")->rearmMs, 10 * ef::kMinute);
    QCOMPARE(patternById(p, "c")->rearmMs, ef::kHour);
    QCOMPARE(patternById(p, "c")->countries, (std::vector<std::string> { "RU" }));
    QCOMPARE(patternById(p, "e")->rearmMs, 2 * ef::kHour);
    QCOMPARE(patternById(p, "e")->thresholdMicroUsd, 2'000'000);
    QCOMPARE(patternById(p, "r")->rearmMs, 5 * ef::kMinute);
    QCOMPARE(patternById(p, "r")->userAgentContains, (std::vector<std::string> { "bot" }));
    QCOMPARE(patternById(p, "r")->name, std::string("r"));
    QCOMPARE(p.cost.gbHourMicroUsd, 180000);
    QCOMPARE(p.cost.defaultMemoryMb, 2048);
}

void TestPolicyJson::moneyRoundsHalfAwayFromZero_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<qint64>("micro");
    QTest::newRow("exact") << QByteArray("0.0025") << qint64(2500);
    QTest::newRow("half up") << QByteArray("0.0000005") << qint64(1);
    QTest::newRow("below half") << QByteArray("0.0000004999") << qint64(0);
    QTest::newRow("half of a larger amount") << QByteArray("1.2345675") << qint64(1234568);
    QTest::newRow("negative half away") << QByteArray("-0.0000015") << qint64(-2);
    QTest::newRow("exponent") << QByteArray("1e-3") << qint64(1000);
    QTest::newRow("big exponent") << QByteArray("2E2") << qint64(200'000'000);
    QTest::newRow("integer") << QByteArray("3") << qint64(3'000'000);
    QTest::newRow("leading dot") << QByteArray(".5") << qint64(500'000);
    QTest::newRow("tiny") << QByteArray("5e-30") << qint64(0);
}

void TestPolicyJson::moneyRoundsHalfAwayFromZero()
{
    QFETCH(QByteArray, text);
    QFETCH(qint64, micro);
    const auto parsed = parseUsd(std::string_view(text.constData(), std::size_t(text.size())));
    QVERIFY(parsed);
    QCOMPARE(*parsed, micro);
    // The same amounts written in a policy go through a double and must round the same way.
    if (micro >= 0) {
        const LoadResult result = parsePolicy(withTop(
            QByteArray(QByteArray(R"("cost": {"gb_hour_usd": )") + text + "}").constData()));
        QVERIFY2(result.policy, qPrintable(result.errorText()));
        QCOMPARE(result.policy->cost.gbHourMicroUsd, micro);
    }
    QVERIFY(!parseUsd("1.2.3"));
    QVERIFY(!parseUsd("abc"));
    QVERIFY(!parseUsd(""));
    QVERIFY(!parseUsd("1e"));
    QVERIFY(!parseUsd("99999999999999999999"));
}

void TestPolicyJson::durations_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("canonical");
    QTest::newRow("ms") << u"1500ms"_s << qint64(1500) << u"1500ms"_s;
    QTest::newRow("seconds") << u"90s"_s << qint64(90'000) << u"90s"_s;
    QTest::newRow("minutes") << u"5m"_s << qint64(300'000) << u"5m"_s;
    QTest::newRow("hours as minutes") << u"120m"_s << qint64(2 * 3'600'000) << u"2h"_s;
    QTest::newRow("days") << u"1d"_s << qint64(86'400'000) << u"1d"_s;
    QTest::newRow("zero") << u"0s"_s << qint64(0) << u"0s"_s;
}

void TestPolicyJson::durations()
{
    QFETCH(QString, text);
    QFETCH(qint64, ms);
    QFETCH(QString, canonical);
    QCOMPARE(parseDuration(text), std::optional<ef::TimeMs>(ms));
    QCOMPARE(formatDuration(ms), canonical);
    QVERIFY(!parseDuration(u"5x"));
    QVERIFY(!parseDuration(u"m"));
    QVERIFY(!parseDuration(u"-5m"));
    QVERIFY(!parseDuration(u"1.5h"));
    QVERIFY(!parseDuration(u"99999999999999999999d"));
}

void TestPolicyJson::defaultPolicyMatchesTheSeeds()
{
    const LoadResult loaded = parsePolicy(defaultPolicyJson());
    QVERIFY2(loaded.policy, qPrintable(loaded.errorText()));
    const ef::Policy p = defaultPolicy();
    QVERIFY(diff(p, *loaded.policy).isEmpty());

    struct Expected {
        const char* id;
        ef::Scope scope;
        ef::TimeMs window;
        std::int64_t limit;
    };
    // Seed 001: 20/min, 100/hour and 300/day per IP; seed 003: 20 per 2-hour window per free user.
    const Expected expected[] = { { "ip_per_minute", ef::Scope::Ip, ef::kMinute, 20 },
        { "ip_per_hour", ef::Scope::Ip, ef::kHour, 100 },
        { "ip_per_day", ef::Scope::Ip, ef::kDay, 300 },
        { "free_user_2h", ef::Scope::User, 2 * ef::kHour, 20 } };
    QCOMPARE(p.rules.size(), std::size(expected));
    for (const Expected& e : expected) {
        const ef::Rule* rule = ruleById(p, e.id);
        QVERIFY2(rule, e.id);
        QCOMPARE(name(rule->algorithm), name(ef::Algorithm::FixedWindow));
        QCOMPARE(name(rule->scope), name(e.scope));
        QCOMPARE(rule->windowMs, e.window);
        QCOMPARE(rule->limit, e.limit);
        QCOMPARE(name(rule->mode), name(ef::Mode::Enforce));
    }
    QCOMPARE(ruleById(p, "free_user_2h")->match.plans, (std::vector<std::string> { "free" }));
    QVERIFY(ruleById(p, "ip_per_minute")->match.plans.empty());

    QCOMPARE(p.defaultPlan, std::string("free"));
    QCOMPARE(p.plans.size(), std::size_t(4));
    QCOMPARE(p.plans[0].name, std::string("free"));
    QCOMPARE(p.plans[0].paid, false);
    QCOMPARE(quota(p.plans[0], "ai_generations"), 50);
    QCOMPARE(p.plans[3].name, std::string("enterprise"));
    QCOMPARE(quota(p.plans[3], "ai_generations"), -1);
    QVERIFY(ef::Cidr::parse("10.0.0.0/8").has_value());
    QCOMPARE(p.trustedProxies.size(), std::size_t(2));
    QVERIFY(p.trustedProxies[0].contains(*ef::IpAddress::parse("10.1.2.3")));

    // Seed 002's abuse patterns.
    QCOMPARE(p.abuse.size(), std::size_t(5));
    const ef::AbusePattern* rate = patternById(p, "high_request_rate");
    QVERIFY(rate);
    QCOMPARE(name(rate->kind), name(ef::AbuseKind::Rate));
    QCOMPARE(name(rate->scope), name(ef::AbuseScope::Ip));
    QCOMPARE(rate->windowMs, ef::kMinute);
    QCOMPARE(rate->threshold, 100);
    QCOMPARE(name(rate->action), name(ef::AbuseAction::Block));
    QCOMPARE(name(rate->severity), name(ef::Severity::High));
    QCOMPARE(rate->blockForMs, ef::kDay);
    const ef::AbusePattern* spam = patternById(p, "expensive_endpoint_spam");
    QVERIFY(spam);
    QCOMPARE(name(spam->scope), name(ef::AbuseScope::User));
    QCOMPARE(spam->threshold, 10);
    QCOMPARE(spam->endpoints, (std::vector<std::string> { "/api/chat" }));
    QCOMPARE(name(spam->action), name(ef::AbuseAction::Escalate));
    QCOMPARE(name(spam->severity), name(ef::Severity::Critical));
    const ef::AbusePattern* geo = patternById(p, "geographic_anomaly");
    QVERIFY(geo);
    QCOMPARE(geo->countries, (std::vector<std::string> { "CN", "RU", "KP", "IR" }));
    QCOMPARE(name(geo->action), name(ef::AbuseAction::Alert));
    const ef::AbusePattern* cost = patternById(p, "cost_spike");
    QVERIFY(cost);
    QCOMPARE(cost->thresholdMicroUsd, 1'000'000);
    QCOMPARE(cost->windowMs, ef::kHour);
    const ef::AbusePattern* bot = patternById(p, "bot_behavior");
    QVERIFY(bot);
    QCOMPARE(bot->userAgentContains,
        (std::vector<std::string> { "bot", "crawler", "spider", "scraper" }));
    QCOMPARE(name(bot->action), name(ef::AbuseAction::Log));

    // Seed 002's cost model: $0.18 per GB-hour, 2 GB by default.
    QCOMPARE(p.cost.gbHourMicroUsd, 180'000);
    QCOMPARE(p.cost.defaultMemoryMb, 2048);
    QCOMPARE(p.cost.endpoints[0].baseMicroUsd, 2000);
}

void TestPolicyJson::defaultPolicyJsonIsTheShippedFile()
{
    QFile file(QStringLiteral(QC_SOURCE_DIR "/resources/policies/default.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(defaultPolicyJson(), file.readAll());
}

void TestPolicyJson::toJsonRoundTrip_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("default") << defaultPolicyJson();
    QTest::newRow("every kind of setting") << QByteArray(R"({"version": 1, "fail_mode": "closed",
        "trusted_proxies": ["192.168.0.0/16", "2001:db8::/32"], "skip_endpoints": [],
        "billing_cycle": "30d", "downgrade_grace": 0, "idempotency": {"ttl": 1500, "on_conflict": "process"},
        "plans": [{"name": "basic", "rank": 2, "quotas": {"b": 5, "a": -1}}, {"name": "max", "rank": 1, "paid": true}],
        "default_plan": "max",
        "rules": [
          {"id": "tb", "scope": "ip_endpoint", "algorithm": "token_bucket", "rate": 3, "period": "1s", "burst": 6,
           "match": {"endpoints": ["/api/*"], "methods": ["POST", "put"]}},
          {"id": "sw", "scope": "global", "algorithm": "sliding_window", "window": "31d", "limit": 1000000000, "mode": "shadow"},
          {"id": "fw", "scope": "user_endpoint", "algorithm": "fixed_window", "window": "2500ms", "limit": 1,
           "match": {"plans": ["basic"]}}],
        "endpoint_metrics": [{"endpoints": ["/x", "/y/*"], "metric": "a"}],
        "abuse": [{"id": "c", "name": "Cost \"spike\"", "kind": "cost", "scope": "user", "window": "90s",
                   "threshold_usd": 0.0000015, "severity": "critical", "action": "escalate", "rearm": "1500ms"}],
        "cost": {"gb_hour_usd": 0.25, "default_memory_mb": 128,
                 "endpoints": [{"endpoints": ["/x"], "base_usd": 1.5}],
                 "models": {"m2": {"per_1k_tokens_usd": 0.000001}, "m1": {"per_1k_tokens_usd": 12}}}})");
}

void TestPolicyJson::toJsonRoundTrip()
{
    QFETCH(QByteArray, json);
    const LoadResult first = parsePolicy(json);
    QVERIFY2(first.policy, qPrintable(first.errorText()));
    const QByteArray canonical = toJson(*first.policy);
    const LoadResult second = parsePolicy(canonical);
    QVERIFY2(
        second.policy, qPrintable(second.errorText() + u"\n"_s + QString::fromUtf8(canonical)));
    const QList<PolicyChange> changes = diff(*first.policy, *second.policy);
    QVERIFY2(changes.isEmpty(), qPrintable(changes.value(0).toString()));
    QCOMPARE(toJson(*second.policy), canonical);
    // Spot checks that the canonical text is the documented form, not just self-consistent.
    if (QTest::currentDataTag() == QByteArrayView("default")) {
        QVERIFY(canonical.contains(R"("window": "2h")"));
        QVERIFY(canonical.contains(R"("threshold_usd": 1.0)"));
        QVERIFY(canonical.contains(R"("base_usd": 0.002)"));
    } else {
        QVERIFY(canonical.contains(R"("window": 2500)"));
        QVERIFY(canonical.contains(R"("ttl": 1500)"));
        QVERIFY(canonical.contains(R"("billing_cycle": "30d")"));
        QVERIFY(canonical.contains(R"("threshold_usd": 0.000002)"));
        QVERIFY(canonical.contains(R"("methods": ["POST", "PUT"])"));
        QVERIFY(canonical.contains(R"("trusted_proxies": ["192.168.0.0/16", "2001:db8::/32"])"));
    }
}

void TestPolicyJson::loadPolicyFileNamesMissingFile()
{
    const QString name = u"/nonexistent/dir/policy.json"_s;
    const LoadResult result = loadPolicyFile(name);
    QVERIFY(!result.policy);
    QCOMPARE(result.errors.size(), 1);
    QCOMPARE(result.errors[0].path, name);
    QVERIFY(result.errors[0].message.startsWith(u"cannot read the policy file"_s));
}

QTEST_GUILESS_MAIN(TestPolicyJson)
#include "tst_policyjson.moc"
