#include "policy/policyjson.h"

#include <QTest>

#include <functional>

using namespace Qt::StringLiterals;
namespace ef = qc::enforcement;
using namespace qc::policy;

namespace {

ef::Rule* ruleById(ef::Policy& p, std::string_view id)
{
    for (ef::Rule& r : p.rules) {
        if (r.id == id)
            return &r;
    }
    return nullptr;
}

QStringList texts(const QList<PolicyChange>& changes)
{
    QStringList out;
    for (const PolicyChange& c : changes)
        out.append(c.toString());
    return out;
}

} // namespace

using Edit = std::function<void(ef::Policy&)>;
Q_DECLARE_METATYPE(Edit)

class TestPolicyDiff : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void identicalPoliciesHaveNoChanges();
    void wording_data();
    void wording();
    void insertionIsNotAMove();
};

void TestPolicyDiff::identicalPoliciesHaveNoChanges()
{
    QVERIFY(diff(defaultPolicy(), defaultPolicy()).isEmpty());
}

void TestPolicyDiff::wording_data()
{
    QTest::addColumn<Edit>("edit");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("limit") << Edit([](ef::Policy& p) { ruleById(p, "ip_per_minute")->limit = 10; })
                           << QStringList { u"rules[ip_per_minute].limit: 20 → 10"_s };
    QTest::newRow("window") << Edit([](ef::Policy& p) {
        ruleById(p, "free_user_2h")->windowMs = 3 * ef::kHour;
    }) << QStringList { u"rules[free_user_2h].window: 2h → 3h"_s };
    QTest::newRow("shadow") << Edit([](ef::Policy& p) {
        ruleById(p, "ip_per_day")->mode = ef::Mode::Shadow;
    }) << QStringList { u"rules[ip_per_day].mode: enforce → shadow"_s };
    QTest::newRow("match plans") << Edit([](ef::Policy& p) {
        ruleById(p, "free_user_2h")->match.plans.push_back("pro");
    }) << QStringList { u"rules[free_user_2h].match.plans: free → free, pro"_s };
    QTest::newRow("rule removed") << Edit([](ef::Policy& p) {
        p.rules.erase(p.rules.begin() + 1);
    }) << QStringList { u"rules[ip_per_hour]: removed (fixed_window ip 100 per 1h)"_s };
    QTest::newRow("rule added")
        << Edit([](ef::Policy& p) {
               ef::Rule r;
               r.id = "chat_bucket";
               r.scope = ef::Scope::User;
               r.algorithm = ef::Algorithm::TokenBucket;
               r.rate = 5;
               r.periodMs = ef::kMinute;
               r.burst = 10;
               r.match.endpoints = { "/api/chat" };
               p.rules.push_back(r);
           })
        << QStringList {
               u"rules[chat_bucket]: added (token_bucket user 5 per 1m, burst 10, endpoints /api/chat at position 5)"_s
           };
    QTest::newRow("rule moved") << Edit([](ef::Policy& p) { std::swap(p.rules[0], p.rules[1]); })
                                << QStringList { u"rules[ip_per_hour].position: 2 → 1"_s,
                                       u"rules[ip_per_minute].position: 1 → 2"_s };
    QTest::newRow("algorithm")
        << Edit([](ef::Policy& p) {
               ef::Rule& r = *ruleById(p, "ip_per_minute");
               r.algorithm = ef::Algorithm::TokenBucket;
               r.rate = 20;
               r.periodMs = ef::kMinute;
               r.burst = 5;
           })
        << QStringList { u"rules[ip_per_minute].algorithm: fixed_window → token_bucket"_s,
               u"rules[ip_per_minute].window: 1m → (none)"_s,
               u"rules[ip_per_minute].limit: 20 → (none)"_s,
               u"rules[ip_per_minute].rate: (none) → 20"_s,
               u"rules[ip_per_minute].period: (none) → 1m"_s,
               u"rules[ip_per_minute].burst: (none) → 5"_s };
    QTest::newRow("quota") << Edit([](ef::Policy& p) { p.plans[0].quotas[0].limit = 100; })
                           << QStringList { u"plans[free].quotas.ai_generations: 50 → 100"_s };
    QTest::newRow("quota unlimited")
        << Edit([](ef::Policy& p) { p.plans[1].quotas[1].limit = -1; })
        << QStringList { u"plans[pro].quotas.api_calls: 50000 → unlimited"_s };
    QTest::newRow("unlisted equals unlimited")
        << Edit([](ef::Policy& p) { p.plans[3].quotas.clear(); }) << QStringList {};
    QTest::newRow("top-level settings")
        << Edit([](ef::Policy& p) {
               p.failMode = ef::FailMode::Closed;
               p.downgradeGraceMs = 3 * ef::kDay;
               p.onConflict = ef::OnConflict::Process;
           })
        << QStringList { u"fail_mode: open → closed"_s, u"downgrade_grace: 7d → 3d"_s,
               u"idempotency.on_conflict: reject → process"_s };
    QTest::newRow("abuse threshold")
        << Edit([](ef::Policy& p) { p.abuse[0].threshold = 200; })
        << QStringList { u"abuse[high_request_rate].threshold: 100 → 200"_s };
    QTest::newRow("cost threshold")
        << Edit([](ef::Policy& p) { p.abuse[3].thresholdMicroUsd = 2'500'000; })
        << QStringList { u"abuse[cost_spike].threshold_usd: 1.0 → 2.5"_s };
    QTest::newRow("model price") << Edit([](ef::Policy& p) {
        p.cost.models[0].per1kTokensMicroUsd = 10000;
    }) << QStringList { u"cost.models[claude-sonnet].per_1k_tokens_usd: 0.003 → 0.01"_s };
}

void TestPolicyDiff::wording()
{
    QFETCH(Edit, edit);
    QFETCH(QStringList, expected);
    const ef::Policy base = defaultPolicy();
    ef::Policy candidate = defaultPolicy();
    edit(candidate);
    QCOMPARE(texts(diff(base, candidate)), expected);
}

void TestPolicyDiff::insertionIsNotAMove()
{
    const ef::Policy base = defaultPolicy();
    ef::Policy candidate = defaultPolicy();
    ef::Rule r = candidate.rules[0];
    r.id = "first";
    candidate.rules.insert(candidate.rules.begin(), r);
    const QList<PolicyChange> changes = diff(base, candidate);
    QCOMPARE(changes.size(), 1);
    QCOMPARE(changes[0].path, u"rules[first]"_s);
    QVERIFY(changes[0].before.isEmpty());
}

QTEST_GUILESS_MAIN(TestPolicyDiff)
#include "tst_policydiff.moc"
