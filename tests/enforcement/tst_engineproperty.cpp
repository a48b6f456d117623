// Properties over random traces (fixed seeds): limits hold, an independent model of fixed-window
// admission agrees decision by decision, and identical traces give identical decisions.
#include "enginetesting.h"
#include "testpolicies.h"

#include <QTest>

#include <map>
#include <random>
#include <span>
#include <tuple>

using namespace qc::enforcement;
using namespace qc::enforcement::testing;

namespace {

struct TraceRequest {
    TimeMs ts = 0;
    std::string ip;
    std::string user;
    std::string plan;
    std::string endpoint;
    std::string method;
    std::string userAgent;
    std::string country;
    std::string key;
    std::string hash;
    MicroUsd cost = -1;

    Request view() const
    {
        Request r;
        r.ts = ts;
        r.ip = ip;
        r.userId = user;
        r.plan = plan;
        r.endpoint = endpoint;
        r.method = method;
        r.userAgent = userAgent;
        r.country = country;
        r.idempotencyKey = key;
        r.requestHash = hash;
        r.costMicroUsd = cost;
        return r;
    }
};

std::vector<TraceRequest> randomTrace(std::uint32_t seed, int count)
{
    std::mt19937_64 random(seed);
    auto pick = [&random](int n) { return static_cast<int>(random() % std::uint64_t(n)); };
    const char* endpoints[] = { "/api/chat", "/api/items", "/api/search", "/health" };
    const char* agents[] = { "app/1", "app/2", "SomeBot/1", "" };
    const char* countries[] = { "US", "DE", "RU", "" };
    std::vector<TraceRequest> trace;
    TimeMs ts = kT0 + pick(3600000);
    for (int i = 0; i < count; ++i) {
        // Mostly dense bursts, sometimes long gaps, so that windows both fill and roll over.
        ts += pick(10) == 0 ? pick(120000) : pick(150);
        TraceRequest r;
        r.ts = ts;
        const int who = pick(40);
        if (who < 30)
            r.ip = "198.51.100." + std::to_string(who);
        else
            r.ip = "2001:db8:" + std::to_string(who % 4) + "::" + std::to_string(pick(1000));
        if (pick(3) != 0) {
            const int user = pick(25);
            r.user = "user-" + std::to_string(user);
            static const char* plans[] = { "free", "pro", "" };
            r.plan = plans[user % 3];
        }
        r.endpoint = endpoints[pick(4)];
        r.method = pick(2) == 0 ? "GET" : "POST";
        r.userAgent = agents[pick(4)];
        r.country = countries[pick(4)];
        if (pick(4) == 0) {
            r.key = "k" + std::to_string(pick(50));
            r.hash = "h" + std::to_string(pick(2));
        }
        if (pick(2) == 0)
            r.cost = pick(300000);
        trace.push_back(std::move(r));
    }
    return trace;
}

Policy fixedWindowPolicy()
{
    Policy policy = emptyPolicy();
    policy.endpointMetrics.clear(); // no quota: the model below covers rules only
    policy.rules = {
        fixedRule("ip_second", Scope::Ip, kSecond, 3),
        fixedRule("ip_minute", Scope::Ip, kMinute, 40),
        fixedRule("free_hour", Scope::User, kHour, 60, { {}, {}, { "free" } }),
        fixedRule(
            "chat_post", Scope::UserEndpoint, 10 * kSecond, 2, { { "/api/chat" }, { "POST" }, {} }),
        fixedRule("search_ip", Scope::IpEndpoint, kMinute, 5, { { "/api/search" }, {}, {} }),
        fixedRule("shadow", Scope::Ip, kMinute, 10, {}, Mode::Shadow),
    };
    return policy;
}

} // namespace

class TestEngineProperty : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fixedWindowsMatchModel_data()
    {
        QTest::addColumn<uint>("seed");
        for (uint seed : { 1u, 2u, 3u, 42u, 2026u })
            QTest::newRow(qPrintable(QString::number(seed))) << seed;
    }
    void fixedWindowsMatchModel()
    {
        QFETCH(uint, seed);
        const Policy policy = fixedWindowPolicy();
        Engine engine(policy);
        // The model: a map of (rule, identifier, window index) -> count, straight from §5.
        std::map<std::tuple<int, std::string, TimeMs>, std::int64_t> counts;
        std::map<std::tuple<int, std::string, TimeMs>, std::int64_t> admittedPerWindow;
        int admitted = 0;
        for (const TraceRequest& r : randomTrace(seed, 20000)) {
            if (!r.key.empty())
                continue; // idempotency is checked elsewhere; keep the model to rules
            const Decision d = engine.decide(r.view());
            if (r.endpoint == "/health") {
                QCOMPARE(text(d.reason), text(Reason::Skipped));
                continue;
            }
            const std::string client = clientKey(*IpAddress::parse(r.ip));
            std::vector<std::tuple<int, std::string, TimeMs>> keys;
            int firstDenying = -1;
            std::vector<bool> admits;
            for (std::size_t i = 0; i < policy.rules.size(); ++i) {
                const Rule& rule = policy.rules[i];
                if (!anyGlobMatches(rule.match.endpoints, r.endpoint))
                    continue;
                if (!rule.match.methods.empty() && rule.match.methods[0] != r.method)
                    continue;
                const std::string plan = r.plan.empty() ? "free" : r.plan;
                if (!rule.match.plans.empty() && (r.user.empty() || rule.match.plans[0] != plan))
                    continue;
                std::string id;
                switch (rule.scope) {
                case Scope::Ip:
                    id = client;
                    break;
                case Scope::User:
                    id = r.user;
                    break;
                case Scope::UserEndpoint:
                    id = r.user.empty() ? std::string() : r.user + ' ' + r.endpoint;
                    break;
                case Scope::IpEndpoint:
                    id = client + ' ' + r.endpoint;
                    break;
                case Scope::Global:
                    id = "*";
                    break;
                }
                if (id.empty())
                    continue;
                const auto key = std::make_tuple(int(i), id, r.ts / rule.windowMs);
                const bool ok = counts[key] < rule.limit;
                if (!ok && rule.mode == Mode::Enforce && firstDenying < 0)
                    firstDenying = int(i);
                keys.push_back(key);
                admits.push_back(ok);
            }
            QCOMPARE(d.allowed, firstDenying < 0);
            QCOMPARE(int(d.rule), firstDenying);
            if (d.allowed) {
                ++admitted;
                for (std::size_t k = 0; k < keys.size(); ++k) {
                    if (admits[k]) {
                        ++counts[keys[k]];
                        ++admittedPerWindow[keys[k]];
                    }
                }
            }
        }
        // The property itself, independent of the model's internals: no window over its limit.
        for (const auto& [key, n] : admittedPerWindow)
            QVERIFY(n <= policy.rules[std::size_t(std::get<0>(key))].limit);
        QVERIFY(admitted > 1000); // the trace exercised admissions...
        QVERIFY(admitted < 15000); // ...and denials
    }

    void identicalTracesIdenticalDecisions_data()
    {
        QTest::addColumn<uint>("seed");
        for (uint seed : { 7u, 8u, 9u })
            QTest::newRow(qPrintable(QString::number(seed))) << seed;
    }
    void identicalTracesIdenticalDecisions()
    {
        QFETCH(uint, seed);
        Policy policy = defaultPolicy();
        policy.rules.push_back(slidingRule("sliding", Scope::Ip, kMinute, 15));
        policy.rules.push_back(bucketRule("bucket", Scope::User, 5, kSecond, 4));
        policy.abuse[0].threshold = 30; // let the rate pattern fire in a short trace
        const auto trace = randomTrace(seed, 15000);

        // One engine decides text requests; the other decides encoded ones from a shared
        // dictionary, with prefetch hints, as simulation does.
        Engine byText(policy);
        auto dictionary = std::make_shared<Dictionary>();
        std::vector<EncodedRequest> encoded;
        for (const TraceRequest& r : trace)
            encoded.push_back(encode(*dictionary, r.view()));
        Engine byId(policy, dictionary);
        int incidents = 0;
        std::vector<Decision> decisions;
        for (std::size_t i = 0; i < trace.size(); ++i) {
            if (i + 4 < encoded.size())
                byId.prefetch(encoded[i + 4]);
            const Decision a = byText.decide(trace[i].view());
            const Decision b = byId.decide(encoded[i]);
            decisions.push_back(a);
            if (!(a == b))
                QFAIL(qPrintable(QStringLiteral("decisions differ at request %1").arg(i)));
            incidents += a.incidents;
        }
        const auto ia = byText.takeIncidents();
        const auto ib = byId.takeIncidents();
        QCOMPARE(ia.size(), ib.size());
        QCOMPARE(int(ia.size()), incidents);
        QVERIFY(incidents > 0);
        for (std::size_t i = 0; i < ia.size(); ++i) {
            QCOMPARE(ia[i].ts, ib[i].ts);
            QCOMPARE(ia[i].pattern, ib[i].pattern);
            QCOMPARE(ia[i].identifier, ib[i].identifier);
        }
        QCOMPARE(byText.stats().clients, byId.stats().clients);
        QCOMPARE(byText.stats().activeBlocks, byId.stats().activeBlocks);

        // A third decides the same requests in batches of uneven sizes (the simulator's loop)
        // and only counts its incidents.
        Engine inBatches(policy, dictionary);
        std::vector<Decision> batch(97);
        std::vector<std::uint64_t> byPattern;
        std::size_t counted = 0;
        for (std::size_t i = 0; i < encoded.size();) {
            const std::size_t n
                = std::min<std::size_t>(1 + (i * 7919) % batch.size(), encoded.size() - i);
            inBatches.decide(std::span(encoded).subspan(i, n), std::span(batch).first(n));
            for (std::size_t k = 0; k < n; ++k) {
                if (!(batch[k] == decisions[i + k]))
                    QFAIL(qPrintable(
                        QStringLiteral("batch decision differs at request %1").arg(i + k)));
            }
            counted += inBatches.countIncidents(byPattern);
            i += n;
        }
        QCOMPARE(int(counted), incidents);
        std::vector<std::uint64_t> expected(policy.abuse.size(), 0);
        for (const Incident& incident : ia)
            ++expected[std::size_t(incident.pattern)];
        QCOMPARE(byPattern, expected);
        QCOMPARE(inBatches.stats().clients, byId.stats().clients);
    }
};

QTEST_APPLESS_MAIN(TestEngineProperty)
#include "tst_engineproperty.moc"
