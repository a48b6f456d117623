// Sweeps: the parameter language, one run per value equal to separate simulate() runs, the
// legitimate/abusive split of docs/simulation.md computed independently, monotonicity where it
// must hold, cancellation.

#include "enforcement/engine.h"
#include "simulation/clientkey.h"
#include "simulation/sweep.h"
#include "simulationtesting.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <set>

using namespace Qt::StringLiterals;
using namespace qc;
using simulation::SweepParameter;

namespace {

// Fixed windows of one scope over every request, abuse by request rate only (its blocks do not
// depend on decisions): the policy family where a higher limit can never deny more.
const QByteArray kNestedWindows = R"({
  "version": 1,
  "rules": [
    {"id": "ip_minute", "scope": "ip", "algorithm": "fixed_window", "window": "1m", "limit": 20},
    {"id": "ip_hour", "scope": "ip", "algorithm": "fixed_window", "window": "1h", "limit": 400}
  ],
  "plans": [{"name": "free"}, {"name": "pro", "paid": true}],
  "abuse": [
    {"id": "flood", "kind": "rate", "scope": "ip", "window": "1m", "threshold": 60,
     "severity": "high", "action": "block", "block_for": "10m"},
    {"id": "bots", "kind": "user_agent", "scope": "ip", "user_agent_contains": ["bot"],
     "severity": "low", "action": "log"}
  ]
})";

trace::Trace withoutIdempotencyKeys(trace::Trace trace)
{
    for (enforcement::EncodedRequest& r : trace.requests) {
        r.idempotencyKey = 0;
        r.requestHash = 0;
    }
    return trace;
}

} // namespace

class TestSweep : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parsesParameters_data();
    void parsesParameters();
    void rejectsBadSpecs_data();
    void rejectsBadSpecs();
    void invalidValueNamesTheRule();
    void pointsEqualSeparateRuns_data();
    void pointsEqualSeparateRuns();
    void higherLimitNeverDeniesMore();
    void shortcutGivesTheSamePoints_data();
    void shortcutGivesTheSamePoints();
    void shortcutSkipsWhatAValueCannotChange();
    void cancelStopsTheSweep();
    void jsonAndCsv();
};

void TestSweep::parsesParameters_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QStringList>("values");
    QTest::newRow("short form") << u"ip_per_minute.limit=10:40:10"_s
                                << u"rules[ip_per_minute].limit"_s
                                << QStringList { u"10"_s, u"20"_s, u"30"_s, u"40"_s };
    QTest::newRow("bracket form, TO not on a step")
        << u"rules[ip_per_hour].limit=50:80:20"_s << u"rules[ip_per_hour].limit"_s
        << QStringList { u"50"_s, u"70"_s };
    QTest::newRow("window as durations")
        << u"ip_per_minute.window=30s:2m:30s"_s << u"rules[ip_per_minute].window"_s
        << QStringList { u"30s"_s, u"1m"_s, u"90s"_s, u"2m"_s };
    QTest::newRow("plan quota") << u"plans[free].quotas.api_calls=500:1500:500"_s
                                << u"plans[free].quotas.api_calls"_s
                                << QStringList { u"500"_s, u"1000"_s, u"1500"_s };
    QTest::newRow("abuse threshold in dollars")
        << u"abuse[cost_spike].threshold_usd=0.5:1.5:0.5"_s << u"abuse[cost_spike].threshold_usd"_s
        << QStringList { u"0.5"_s, u"1.0"_s, u"1.5"_s };
    QTest::newRow("abuse rate threshold")
        << u"abuse[high_request_rate].threshold=50:100:50"_s
        << u"abuse[high_request_rate].threshold"_s << QStringList { u"50"_s, u"100"_s };
    QTest::newRow("one value") << u"free_user_2h.limit=7:7:1"_s << u"rules[free_user_2h].limit"_s
                               << QStringList { u"7"_s };
}

void TestSweep::parsesParameters()
{
    QFETCH(QString, spec);
    QFETCH(QString, path);
    QFETCH(QStringList, values);
    QString error;
    const auto parsed = simulation::parseSweepSpec(spec, policy::defaultPolicy(), &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(parsed->parameter.path(), path);
    QStringList texts;
    for (const std::int64_t v : parsed->values)
        texts.push_back(parsed->parameter.formatValue(v));
    QCOMPARE(texts, values);
    // Every value gives a valid policy with exactly that value.
    for (const std::int64_t v : parsed->values) {
        const auto policy = simulation::policyWithValue(
            policy::defaultPolicyJson(), parsed->parameter, v, &error);
        QVERIFY2(policy, qPrintable(error));
        QCOMPARE(parsed->parameter.valueIn(*policy), std::optional<std::int64_t>(v));
    }
}

void TestSweep::rejectsBadSpecs_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("message");
    QTest::newRow("no range") << u"ip_per_minute.limit"_s << u"PARAMETER=FROM:TO:STEP"_s;
    QTest::newRow("unknown rule lists the rules")
        << u"ip-per-minute.limit=1:2:1"_s << u"its rules are ip_per_minute, ip_per_hour"_s;
    QTest::newRow("field of another algorithm")
        << u"ip_per_minute.burst=1:2:1"_s << u"fixed_window rule, which has no burst"_s;
    QTest::newRow("not a field") << u"ip_per_minute.limt=1:2:1"_s
                                 << u"'limt' is not a rule field"_s;
    QTest::newRow("two parts") << u"ip_per_minute.limit=1:2"_s << u"FROM:TO:STEP"_s;
    QTest::newRow("zero step") << u"ip_per_minute.limit=1:5:0"_s << u"greater than 0"_s;
    QTest::newRow("from after to") << u"ip_per_minute.limit=9:5:1"_s << u"greater than TO"_s;
    QTest::newRow("not a duration") << u"ip_per_minute.window=30x:1m:30s"_s << u"FROM '30x'"_s;
    QTest::newRow("too many values") << u"ip_per_minute.limit=1:100000:1"_s << u"at most 1000"_s;
    QTest::newRow("plan without metric") << u"plans[free].quotas.=1:2:1"_s << u"quotas"_s;
    QTest::newRow("unknown plan") << u"plans[gold].quotas.api_calls=1:2:1"_s << u"no plan 'gold'"_s;
    QTest::newRow("country pattern has no threshold")
        << u"abuse[geographic_anomaly].threshold=1:2:1"_s << u"only rate and cost patterns"_s;
}

void TestSweep::rejectsBadSpecs()
{
    QFETCH(QString, spec);
    QFETCH(QString, message);
    QString error;
    QVERIFY(!simulation::parseSweepSpec(spec, policy::defaultPolicy(), &error));
    QVERIFY2(error.contains(message), qPrintable(error));
}

void TestSweep::invalidValueNamesTheRule()
{
    QString error;
    const auto spec = simulation::parseSweepSpec(
        u"ip_per_minute.limit=0:10:5"_s, policy::defaultPolicy(), &error);
    QVERIFY2(spec, qPrintable(error)); // syntax is fine, the value 0 is not
    QVERIFY(!simulation::policyWithValue(policy::defaultPolicyJson(), spec->parameter, 0, &error));
    QVERIFY2(error.contains(u"rules[ip_per_minute].limit = 0"_s), qPrintable(error));
    QVERIFY2(error.contains(u"policy.rules[0].limit"_s), qPrintable(error));
    const simulation::SweepResult result = simulation::sweep(
        policy::defaultPolicy(), policy::defaultPolicyJson(), simtest::generatedTrace(2), *spec);
    QVERIFY(!result.ok());
    QVERIFY2(result.error.contains(u"= 0"_s), qPrintable(result.error));
}

void TestSweep::pointsEqualSeparateRuns_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<qint64>("warmupMs");
    QTest::newRow("per-minute limit") << u"ip_per_minute.limit=4:24:5"_s << qint64(0);
    QTest::newRow("free users' 2h limit, warm-up")
        << u"free_user_2h.limit=2:12:5"_s << qint64(5 * enforcement::kMinute);
    QTest::newRow("quota") << u"plans[free].quotas.ai_generations=5:45:20"_s << qint64(0);
    QTest::newRow("abuse window") << u"abuse[high_request_rate].window=30s:90s:30s"_s << qint64(0);
}

void TestSweep::pointsEqualSeparateRuns()
{
    QFETCH(QString, spec);
    QFETCH(qint64, warmupMs);
    const trace::Trace trace = simtest::generatedTrace(40);
    const enforcement::Policy baseline = policy::defaultPolicy();
    const QByteArray candidateJson = policy::defaultPolicyJson();
    QString error;
    const auto parsed = simulation::parseSweepSpec(spec, baseline, &error);
    QVERIFY2(parsed, qPrintable(error));
    simulation::SweepOptions options;
    options.threads = 2;
    options.warmupMs = warmupMs;
    const simulation::SweepResult result
        = simulation::sweep(baseline, candidateJson, trace, *parsed, options);
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.points.size(), static_cast<qsizetype>(parsed->values.size()));

    // The abusive identifiers, independently: every incident of a baseline Engine run.
    std::set<std::string> clients;
    std::set<std::string> users;
    {
        enforcement::Engine engine(baseline, trace.dictionary);
        for (const enforcement::EncodedRequest& r : trace.requests) {
            if (engine.decide(r).incidents == 0)
                continue;
            for (const enforcement::Incident& incident : engine.takeIncidents())
                (incident.scope == enforcement::AbuseScope::User ? users : clients)
                    .insert(incident.identifier);
        }
    }
    QVERIFY2(!clients.empty() && !users.empty(), "the trace must raise ip and user incidents");
    QCOMPARE(result.abusiveClients, clients.size());
    QCOMPARE(result.abusiveUsers, users.size());

    for (qsizetype i = 0; i < result.points.size(); ++i) {
        const simulation::SweepPoint& point = result.points.at(i);
        const auto candidate
            = simulation::policyWithValue(candidateJson, parsed->parameter, point.value, &error);
        QVERIFY2(candidate, qPrintable(error));
        simtest::RecordingSink baseSink;
        simtest::RecordingSink candSink;
        simulation::Options single;
        single.warmupMs = warmupMs;
        single.baselineSink = &baseSink;
        single.candidateSink = &candSink;
        const simulation::Report report = simulation::simulate(baseline, *candidate, trace, single);
        const QString at = u" at "_s % point.valueText;
        QVERIFY2(point.newlyDenied == report.newlyDenied.total, qPrintable(at));
        QVERIFY2(point.newlyAdmitted == report.newlyAdmitted.total, qPrintable(at));
        QVERIFY2(point.paidNewlyDenied == report.paidNewlyDenied, qPrintable(at));
        QVERIFY2(point.paidDeniedPct == report.paidDeniedPct, qPrintable(at));
        QVERIFY2(point.allowed == report.candidate.allowed, qPrintable(at));
        QVERIFY2(point.denied == report.candidate.denied, qPrintable(at));
        QVERIFY2(point.costAdmitted == report.candidate.costAdmitted, qPrintable(at));
        QVERIFY2(point.costSaved == report.costSaved, qPrintable(at));
        QVERIFY2(point.incidents == report.candidate.incidents, qPrintable(at));
        QCOMPARE(result.reportedRequests, report.reportedRequests);
        QCOMPARE(result.paidRequests, report.paidRequests);
        const int rule = parsed->parameter.ruleIndex(*candidate);
        if (rule >= 0)
            QVERIFY2(point.sweptRuleDenied == report.candidate.deniedByRule.at(rule).count,
                qPrintable(at));

        // Legitimate and abusive by the definition, from the decisions themselves.
        std::uint64_t legitimateDenied = 0, abusiveAdmitted = 0, abusiveRequests = 0;
        enforcement::MicroUsd abusiveCost = 0;
        for (std::size_t k = 0; k < candSink.indices.size(); ++k) {
            const enforcement::Request r
                = enforcement::decode(*trace.dictionary, trace.requests[candSink.indices[k]]);
            const std::string key = simulation::clientKeyOf(r.ip, r.forwardedFor, baseline);
            const bool abusive = (!key.empty() && clients.count(key) != 0)
                || (!r.userId.empty() && users.count(std::string(r.userId)) != 0);
            const enforcement::Decision& d = candSink.decisions[k];
            abusiveRequests += abusive;
            legitimateDenied += !abusive && !d.allowed;
            abusiveAdmitted += abusive && d.allowed;
            abusiveCost += abusive && d.allowed ? d.costMicroUsd : 0;
        }
        QCOMPARE(result.abusiveRequests, abusiveRequests);
        QVERIFY2(point.legitimateDenied == legitimateDenied, qPrintable(at));
        QVERIFY2(point.abusiveAdmitted == abusiveAdmitted, qPrintable(at));
        QVERIFY2(point.abusiveCostAdmitted == abusiveCost, qPrintable(at));
        QVERIFY(abusiveRequests > 0);
    }
    // The baseline row is the baseline measured the same way.
    QCOMPARE(result.baseline.newlyDenied, 0U);
    QCOMPARE(result.baseline.costSaved, 0);
}

void TestSweep::higherLimitNeverDeniesMore()
{
    const trace::Trace trace = withoutIdempotencyKeys(simtest::generatedTrace(60, 30, 11));
    const enforcement::Policy baseline = simtest::policyFrom(kNestedWindows);
    for (const QString& text : { u"ip_minute.limit=1:30:1"_s, u"ip_hour.limit=20:400:20"_s }) {
        QString error;
        const auto spec = simulation::parseSweepSpec(text, baseline, &error);
        QVERIFY2(spec, qPrintable(error));
        simulation::SweepOptions options;
        options.threads = 2;
        const simulation::SweepResult result
            = simulation::sweep(baseline, kNestedWindows, trace, *spec, options);
        QVERIFY2(result.ok(), qPrintable(result.error));
        QVERIFY(result.points.constFirst().denied > result.points.constLast().denied);
        for (qsizetype i = 1; i < result.points.size(); ++i) {
            const simulation::SweepPoint& lower = result.points.at(i - 1);
            const simulation::SweepPoint& higher = result.points.at(i);
            const QString at = text % u": "_s % lower.valueText % u" → "_s % higher.valueText;
            QVERIFY2(higher.denied <= lower.denied, qPrintable(at));
            // Every pattern is ip-scoped, so an address's requests are all abusive or all
            // legitimate and the count of each kind follows the address's own count. Cost is
            // not monotone: a higher limit can admit a cheap request that uses up the hour
            // before an expensive one (docs/simulation.md).
            QVERIFY2(higher.legitimateDenied <= lower.legitimateDenied, qPrintable(at));
            QVERIFY2(higher.abusiveAdmitted >= lower.abusiveAdmitted, qPrintable(at));
        }
    }
}

// Every kind of rule the shortcut handles, in a policy where they interact: ip and user
// scopes, per-endpoint counters, plan-matched rules, quotas, blocks from rate and cost.
const QByteArray kInteracting = R"({
  "version": 1,
  "default_plan": "free",
  "rules": [
    {"id": "ip_minute", "scope": "ip", "algorithm": "fixed_window", "window": "1m", "limit": 20},
    {"id": "ip_sliding", "scope": "ip", "algorithm": "sliding_window", "window": "5m", "limit": 60},
    {"id": "user_hour", "scope": "user", "algorithm": "sliding_window", "window": "1h", "limit": 90},
    {"id": "free_2h", "scope": "user", "algorithm": "fixed_window", "window": "2h", "limit": 30,
     "match": {"plans": ["free"]}},
    {"id": "search_ip", "scope": "ip_endpoint", "algorithm": "fixed_window", "window": "1m",
     "limit": 8, "match": {"endpoints": ["/api/search"]}},
    {"id": "chat_user", "scope": "user_endpoint", "algorithm": "fixed_window", "window": "1m",
     "limit": 3, "match": {"endpoints": ["/api/chat"], "methods": ["post"]}},
    {"id": "user_bucket", "scope": "user", "algorithm": "token_bucket", "rate": 2, "period": "1s",
     "burst": 6}
  ],
  "plans": [
    {"name": "free", "rank": 0, "quotas": {"ai_generations": 40, "api_calls": 300}},
    {"name": "pro", "rank": 1, "quotas": {"ai_generations": 200}},
    {"name": "team", "rank": 2},
    {"name": "enterprise", "rank": 3}
  ],
  "endpoint_metrics": [
    {"endpoints": ["/api/chat", "/api/generate"], "metric": "ai_generations"},
    {"endpoints": ["/api?*"], "metric": "api_calls"}
  ],
  "abuse": [
    {"id": "flood", "kind": "rate", "scope": "ip", "window": "1m", "threshold": 80,
     "severity": "high", "action": "block", "block_for": "10m"},
    {"id": "spend", "kind": "cost", "scope": "user", "window": "1h", "threshold_usd": 0.3,
     "severity": "critical", "action": "escalate", "block_for": "20m"}
  ]
})";

void TestSweep::shortcutGivesTheSamePoints_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<qint64>("warmupMs");
    QTest::newRow("fixed, ip") << u"ip_minute.limit=2:30:4"_s << qint64(0);
    QTest::newRow("sliding, ip") << u"ip_sliding.limit=5:85:20"_s << qint64(0);
    QTest::newRow("sliding, user, warm-up")
        << u"user_hour.limit=10:130:40"_s << qint64(10 * enforcement::kMinute);
    QTest::newRow("plan-matched") << u"free_2h.limit=1:41:10"_s << qint64(0);
    QTest::newRow("ip and endpoint") << u"search_ip.limit=1:13:3"_s << qint64(0);
    QTest::newRow("user and endpoint, methods") << u"chat_user.limit=1:5:1"_s << qint64(0);
    QTest::newRow("quota") << u"plans[free].quotas.api_calls=20:320:60"_s
                           << qint64(5 * enforcement::kMinute);
    QTest::newRow("quota of another plan")
        << u"plans[pro].quotas.ai_generations=1:41:20"_s << qint64(0);
}

void TestSweep::shortcutGivesTheSamePoints()
{
    QFETCH(QString, spec);
    QFETCH(qint64, warmupMs);
    static const trace::Trace trace = simtest::generatedTrace(40, 15, 23);
    const enforcement::Policy policy = simtest::policyFrom(kInteracting);
    QString error;
    const auto parsed = simulation::parseSweepSpec(spec, policy, &error);
    QVERIFY2(parsed, qPrintable(error));
    // The baseline as the candidate at one value (its run is the reference), and another
    // baseline (the candidate with the limit unbounded is).
    for (const enforcement::Policy& baseline : { policy, policy::defaultPolicy() }) {
        simulation::SweepOptions fast;
        fast.threads = 2;
        fast.warmupMs = warmupMs;
        simulation::SweepOptions whole = fast;
        whole.shortcut = false;
        const simulation::SweepResult a
            = simulation::sweep(baseline, kInteracting, trace, *parsed, fast);
        const simulation::SweepResult b
            = simulation::sweep(baseline, kInteracting, trace, *parsed, whole);
        QVERIFY(a.ok() && b.ok());
        QVERIFY(a.shortcut);
        QVERIFY(!b.shortcut);
        QCOMPARE(a.points.size(), b.points.size());
        QVERIFY(a.baseline == b.baseline);
        bool changes = false;
        for (qsizetype i = 0; i < a.points.size(); ++i) {
            simulation::SweepPoint x = a.points.at(i);
            const simulation::SweepPoint& y = b.points.at(i);
            QCOMPARE(y.decided, trace.size());
            QVERIFY(x.decided <= trace.size());
            x.decided = y.decided;
            if (!(x == y))
                QFAIL(qPrintable(u"value "_s % y.valueText % u": denied "_s
                    % QString::number(x.denied) % u" vs "_s % QString::number(y.denied)
                    % u", newly denied "_s % QString::number(x.newlyDenied) % u" vs "_s
                    % QString::number(y.newlyDenied) % u", incidents "_s
                    % QString::number(x.incidents) % u" vs "_s % QString::number(y.incidents)
                    % u", cost "_s % QString::number(x.costAdmitted) % u" vs "_s
                    % QString::number(y.costAdmitted)));
            changes = changes || y.newlyDenied != 0 || y.newlyAdmitted != 0;
        }
        QVERIFY2(changes, "the sweep must change decisions for the test to mean something");
    }
}

void TestSweep::shortcutSkipsWhatAValueCannotChange()
{
    // Sparse traffic (many addresses and users): above the busiest ordinary clients' load only
    // the bot burst's addresses are decided again.
    const trace::Trace trace = simtest::generatedTrace(60, 20, 5, 20000, 200000);
    const enforcement::Policy baseline = policy::defaultPolicy();
    QString error;
    const auto spec = simulation::parseSweepSpec(u"ip_per_minute.limit=5:60:5"_s, baseline, &error);
    QVERIFY2(spec, qPrintable(error));
    simulation::SweepOptions options;
    options.threads = 2;
    const simulation::SweepResult fast
        = simulation::sweep(baseline, policy::defaultPolicyJson(), trace, *spec, options);
    options.shortcut = false;
    const simulation::SweepResult whole
        = simulation::sweep(baseline, policy::defaultPolicyJson(), trace, *spec, options);
    QVERIFY(fast.ok() && whole.ok() && fast.shortcut);
    for (qsizetype i = 0; i < fast.points.size(); ++i) {
        simulation::SweepPoint p = fast.points.at(i);
        p.decided = trace.size();
        QVERIFY2(p == whole.points.at(i), qPrintable(p.valueText));
    }
    std::uint64_t bots = 0; // the burst comes from 203.0.113.0/24
    for (const enforcement::EncodedRequest& r : trace.requests)
        bots += trace.dictionary->text(enforcement::Field::Ip, r.ip).starts_with("203.0.113.");
    const simulation::SweepPoint& top = fast.points.constLast();
    QVERIFY2(bots > 0 && top.decided <= bots + trace.size() / 50,
        qPrintable(QString::number(top.decided) % u" decided, "_s % QString::number(bots)
            % u" from the burst, of "_s % QString::number(trace.size())));
    QVERIFY2(fast.decisions * 4 < whole.decisions * 3,
        qPrintable(QString::number(fast.decisions) % u" vs "_s % QString::number(whole.decisions)));
    // A parameter without a shortcut runs whole.
    const auto window
        = simulation::parseSweepSpec(u"ip_per_minute.window=30s:60s:30s"_s, baseline, &error);
    QVERIFY(!simulation::sweep(baseline, policy::defaultPolicyJson(), trace, *window).shortcut);
}

void TestSweep::cancelStopsTheSweep()
{
    const trace::Trace trace = simtest::generatedTrace(120, 40);
    QString error;
    const auto spec = simulation::parseSweepSpec(
        u"ip_per_minute.limit=1:200:1"_s, policy::defaultPolicy(), &error);
    QVERIFY2(spec, qPrintable(error));
    std::stop_source stop;
    simulation::SweepOptions options;
    options.threads = 2;
    options.stopToken = stop.get_token();
    int calls = 0;
    options.progress = [&](std::uint64_t done, std::uint64_t total) {
        ++calls;
        [&] { QVERIFY(total >= trace.size() * 2 && done <= total); }();
        if (done > trace.size() / 2)
            stop.request_stop(); // half-way through the baseline or later
        return true;
    };
    const auto started = std::chrono::steady_clock::now();
    const simulation::SweepResult result = simulation::sweep(
        policy::defaultPolicy(), policy::defaultPolicyJson(), trace, *spec, options);
    QVERIFY(result.cancelled);
    QVERIFY(result.points.isEmpty());
    QVERIFY(calls >= 1);
    // 201 runs would take far longer than the remaining run of each worker.
    QVERIFY(std::chrono::steady_clock::now() - started < std::chrono::seconds(20));

    // A false from progress cancels too.
    simulation::SweepOptions refuse;
    refuse.progress = [](std::uint64_t, std::uint64_t) { return false; };
    QVERIFY(simulation::sweep(
        policy::defaultPolicy(), policy::defaultPolicyJson(), trace, *spec, refuse)
                .cancelled);
}

void TestSweep::jsonAndCsv()
{
    const trace::Trace trace = simtest::generatedTrace(10);
    QString error;
    const auto spec = simulation::parseSweepSpec(
        u"ip_per_minute.limit=5:15:5"_s, policy::defaultPolicy(), &error);
    QVERIFY2(spec, qPrintable(error));
    const simulation::SweepResult result
        = simulation::sweep(policy::defaultPolicy(), policy::defaultPolicyJson(), trace, *spec);
    QVERIFY(result.ok());
    const QJsonObject json = simulation::toJson(result);
    QCOMPARE(json[u"parameter"_s].toString(), u"rules[ip_per_minute].limit"_s);
    QCOMPARE(json[u"candidate_value"_s].toString(), u"20"_s);
    const QJsonArray points = json[u"points"_s].toArray();
    QCOMPARE(points.size(), 3);
    for (const QString& key : { u"value"_s, u"legitimate_denied"_s, u"legitimate_denied_pct"_s,
             u"abusive_admitted"_s, u"abusive_admitted_pct"_s, u"cost_admitted_usd"_s,
             u"newly_denied"_s, u"paid_denied_pct"_s })
        QVERIFY2(points.at(0).toObject().contains(key), qPrintable(key));
    QCOMPARE(points.at(1).toObject()[u"legitimate_denied"_s].toInteger(),
        static_cast<qint64>(result.points.at(1).legitimateDenied));
    const QList<QByteArray> lines = simulation::toCsv(result).trimmed().split('\n');
    QCOMPARE(lines.size(), 5); // header, baseline, three values
    QVERIFY(lines.at(0).startsWith("value,allowed,denied,legitimate_denied"));
    QVERIFY(lines.at(1).startsWith("baseline,"));
    QVERIFY(lines.at(2).startsWith("5,"));
    QVERIFY(simulation::toText(result).contains(u"legitimate denied"_s));
}

QTEST_GUILESS_MAIN(TestSweep)
#include "tst_sweep.moc"
