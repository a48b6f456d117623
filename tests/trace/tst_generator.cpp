#include "trace/generator.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QTest>

#include <map>
#include <set>

using namespace Qt::StringLiterals;
namespace ef = qc::enforcement;
using namespace qc::trace;

namespace {

GeneratorOptions allScenarios(quint64 seed)
{
    GeneratorOptions options;
    options.seed = seed;
    options.durationMs = 2 * ef::kHour;
    options.users = 2000;
    options.ips = 4000;
    options.requestsPerSecond = 10;
    options.scenarios = { Scenario {}, Scenario { ScenarioKind::BotBurst },
        Scenario { ScenarioKind::BuggyClient }, Scenario { ScenarioKind::CostSpike },
        Scenario { ScenarioKind::PlanChange } };
    return options;
}

QByteArray csvOf(const Trace& trace)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    writeCsv(trace, buffer);
    return buffer.data();
}

std::string str(std::string_view v)
{
    return std::string(v);
}

} // namespace

class TestGenerator : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void sameSeedSameBytes();
    void differentSeedDifferentTraffic();
    void timeOrderAndWindow();
    void normalTraffic();
    void botBurst();
    void buggyClient();
    void costSpike();
    void planChanges();
    void scenarioWindowsAndRates();
    void streamEqualsCollected();
    void parseScenarios_data();
    void parseScenarios();

private:
    Trace m_trace;
};

void TestGenerator::initTestCase()
{
    m_trace = generate(allScenarios(42));
}

void TestGenerator::sameSeedSameBytes()
{
    const QByteArray a = csvOf(m_trace);
    const QByteArray b = csvOf(generate(allScenarios(42)));
    QCOMPARE(a.size(), b.size());
    QVERIFY(a == b);
    // Pinned digest: a change here means every recorded demo and test trace changes too, which
    // must be a deliberate decision (update the digest in the same commit).
    const QByteArray digest
        = QCryptographicHash::hash(a, QCryptographicHash::Sha256).toHex().left(16);
    qInfo("trace digest for seed 42: %s (%lld bytes)", digest.constData(), qlonglong(a.size()));
}

void TestGenerator::differentSeedDifferentTraffic()
{
    const Trace other = generate(allScenarios(43));
    QVERIFY(csvOf(other) != csvOf(m_trace));
}

void TestGenerator::timeOrderAndWindow()
{
    const GeneratorOptions options = allScenarios(42);
    QVERIFY(m_trace.size() > 10000);
    for (std::size_t i = 0; i < m_trace.size(); ++i) {
        const ef::TimeMs ts = m_trace.requests[i].ts;
        QVERIFY(ts >= options.startMs);
        QVERIFY(ts < options.startMs + options.durationMs);
        if (i > 0 && ts < m_trace.requests[i - 1].ts)
            QFAIL(qPrintable(u"request %1 is earlier than the one before"_s.arg(i)));
    }
}

void TestGenerator::normalTraffic()
{
    const ef::Dictionary& d = *m_trace.dictionary;
    std::set<std::string> plans;
    std::set<std::string> endpoints;
    std::set<std::string> methods;
    std::set<std::string> countries;
    std::set<std::string> models;
    std::set<std::string> users;
    std::map<std::pair<std::uint32_t, std::uint32_t>, int> keyHash;
    int ipv6 = 0;
    int proxied = 0;
    int anonymous = 0;
    for (const ef::EncodedRequest& r : m_trace.requests) {
        plans.insert(str(d.text(ef::Field::Plan, r.plan)));
        endpoints.insert(str(d.text(ef::Field::Endpoint, r.endpoint)));
        methods.insert(str(d.text(ef::Field::Method, r.method)));
        countries.insert(str(d.text(ef::Field::Country, r.country)));
        models.insert(str(d.text(ef::Field::Model, r.model)));
        users.insert(str(d.text(ef::Field::User, r.user)));
        ipv6 += d.text(ef::Field::Ip, r.ip).find(':') != std::string_view::npos;
        proxied += r.forwardedFor != 0;
        anonymous += r.user == 0;
        if (r.idempotencyKey)
            ++keyHash[{ r.idempotencyKey, r.requestHash }];
        QVERIFY(r.ip != 0);
        QVERIFY(r.requestId != 0);
        QVERIFY(r.responseMs > 0);
    }
    for (const char* plan : { "free", "pro", "team", "enterprise" })
        QVERIFY2(plans.count(plan), plan);
    for (const char* endpoint :
        { "/api/chat", "/api/generate", "/api/search", "/api/items", "/health" })
        QVERIFY2(endpoints.count(endpoint), endpoint);
    QVERIFY(methods.count("GET") && methods.count("POST"));
    QVERIFY(countries.size() >= 10);
    QVERIFY(models.count("gpt-4o-mini") && models.count("claude-sonnet"));
    QVERIFY(users.size() > 500);
    const auto n = double(m_trace.size());
    QVERIFY(ipv6 > n * 0.03);
    QVERIFY(proxied > n * 0.1);
    QVERIFY(anonymous > n * 0.05);
    // Retries: the same key with the same body again (replays).
    int replays = 0;
    for (const auto& [pair, count] : keyHash)
        replays += count > 1;
    QVERIFY2(replays > 20, qPrintable(QString::number(replays)));
}

void TestGenerator::botBurst()
{
    const ef::Dictionary& d = *m_trace.dictionary;
    std::map<std::pair<std::string, ef::TimeMs>, int> perIpMinute;
    int bot = 0;
    for (const ef::EncodedRequest& r : m_trace.requests) {
        const std::string_view ip = d.text(ef::Field::Ip, r.ip);
        const std::string_view ua = d.text(ef::Field::UserAgent, r.userAgent);
        if (ip.substr(0, 10) != "203.0.113.")
            continue;
        ++bot;
        QVERIFY(ua.find("Bot") != std::string_view::npos);
        QCOMPARE(r.user, 0u);
        ++perIpMinute[{ str(ip), r.ts / ef::kMinute }];
    }
    QVERIFY(bot > 1000);
    // Enough per address to trip seed 002's "more than 100 requests per minute per IP".
    int over = 0;
    for (const auto& [key, count] : perIpMinute)
        over += count > 100;
    QVERIFY2(over > 0, "no address of the burst exceeds 100 requests in a minute");
}

void TestGenerator::buggyClient()
{
    const ef::Dictionary& d = *m_trace.dictionary;
    const std::uint32_t user = d.find(ef::Field::User, "user-buggy-client");
    QVERIFY(user != UINT32_MAX);
    std::map<std::uint32_t, std::set<std::uint32_t>> hashesPerKey;
    std::map<std::uint32_t, std::pair<ef::TimeMs, ef::TimeMs>> span;
    for (const ef::EncodedRequest& r : m_trace.requests) {
        if (r.user != user)
            continue;
        QVERIFY(r.idempotencyKey != 0);
        hashesPerKey[r.idempotencyKey].insert(r.requestHash);
        auto [it, added] = span.try_emplace(r.idempotencyKey, r.ts, r.ts);
        it->second.second = r.ts;
    }
    int reused = 0;
    int late = 0;
    for (const auto& [key, hashes] : hashesPerKey) {
        reused += hashes.size() > 1;
        late += span[key].second - span[key].first > 5 * ef::kMinute;
    }
    QVERIFY2(reused > 5, "the buggy client must reuse keys with different request hashes");
    QVERIFY2(late > 0, "some key must come back more than 5 minutes later");
}

void TestGenerator::costSpike()
{
    const ef::Dictionary& d = *m_trace.dictionary;
    const std::uint32_t user = d.find(ef::Field::User, "user-heavy-ai");
    QVERIFY(user != UINT32_MAX);
    std::int64_t tokens = 0;
    int requests = 0;
    for (const ef::EncodedRequest& r : m_trace.requests) {
        if (r.user != user)
            continue;
        ++requests;
        tokens += r.tokens;
        QCOMPARE(str(d.text(ef::Field::Endpoint, r.endpoint)), std::string("/api/chat"));
        QCOMPARE(str(d.text(ef::Field::Model, r.model)), std::string("gpt-4o"));
    }
    QVERIFY(requests > 100);
    // At $0.005 per 1k tokens this alone is far beyond seed 002's $1 per hour.
    QVERIFY(tokens / requests >= 20000);
}

void TestGenerator::planChanges()
{
    const ef::Dictionary& d = *m_trace.dictionary;
    std::map<std::uint32_t, std::vector<std::uint32_t>> sequence; // user -> plans as they change
    for (const ef::EncodedRequest& r : m_trace.requests) {
        if (!r.user)
            continue;
        auto& seq = sequence[r.user];
        if (seq.empty() || seq.back() != r.plan)
            seq.push_back(r.plan);
    }
    const auto rank = [&](std::uint32_t plan) {
        const std::string_view p = d.text(ef::Field::Plan, plan);
        return p == "free" ? 0 : p == "pro" ? 1 : p == "team" ? 2 : 3;
    };
    int upgrades = 0;
    int downgrades = 0;
    for (const auto& [user, seq] : sequence) {
        for (std::size_t i = 1; i < seq.size(); ++i) {
            upgrades += rank(seq[i]) > rank(seq[i - 1]);
            downgrades += rank(seq[i]) < rank(seq[i - 1]);
        }
    }
    QVERIFY2(upgrades >= 3, qPrintable(QString::number(upgrades)));
    QVERIFY2(downgrades >= 3, qPrintable(QString::number(downgrades)));

    // Without the scenario nobody changes plan.
    GeneratorOptions options = allScenarios(42);
    options.scenarios = { Scenario {} };
    const Trace calm = generate(options);
    std::map<std::uint32_t, std::uint32_t> planOf;
    for (const ef::EncodedRequest& r : calm.requests) {
        if (!r.user)
            continue;
        auto [it, added] = planOf.try_emplace(r.user, r.plan);
        QCOMPARE(it->second, r.plan);
    }
}

void TestGenerator::scenarioWindowsAndRates()
{
    GeneratorOptions options;
    options.durationMs = ef::kHour;
    options.scenarios
        = { Scenario { ScenarioKind::BotBurst, 10 * ef::kMinute, 5 * ef::kMinute, 20 } };
    const Trace t = generate(options);
    QVERIFY(!t.requests.empty());
    QVERIFY(t.requests.front().ts >= options.startMs + 10 * ef::kMinute);
    QVERIFY(t.requests.back().ts < options.startMs + 15 * ef::kMinute);
    // 20/s for 300 s: Poisson, so within a few standard deviations of 6000.
    QVERIFY2(t.size() > 5600 && t.size() < 6400, qPrintable(QString::number(t.size())));

    // A scenario never changes the requests of the others.
    GeneratorOptions one = allScenarios(7);
    one.scenarios = { Scenario {} };
    GeneratorOptions two = one;
    two.scenarios.append(Scenario { ScenarioKind::CostSpike });
    const Trace a = generate(one);
    const Trace b = generate(two);
    const std::uint32_t heavy = b.dictionary->find(ef::Field::User, "user-heavy-ai");
    std::vector<std::string> ra;
    std::vector<std::string> rb;
    for (const auto& r : a.requests)
        ra.push_back(str(a.dictionary->text(ef::Field::RequestId, r.requestId)));
    for (const auto& r : b.requests) {
        if (r.user != heavy)
            rb.push_back(str(b.dictionary->text(ef::Field::RequestId, r.requestId)));
    }
    QVERIFY(ra == rb);
}

void TestGenerator::streamEqualsCollected()
{
    GeneratorOptions options = allScenarios(42);
    options.durationMs = 10 * ef::kMinute;
    const Trace collected = generate(options);
    Generator generator(options);
    ef::EncodedRequest r;
    std::size_t i = 0;
    while (generator.next(r)) {
        QVERIFY(i < collected.size());
        QCOMPARE(r.ts, collected.requests[i].ts);
        QCOMPARE(generator.dictionary()->text(ef::Field::RequestId, r.requestId),
            collected.dictionary->text(ef::Field::RequestId, collected.requests[i].requestId));
        ++i;
    }
    QCOMPARE(i, collected.size());
}

void TestGenerator::parseScenarios_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("kind");
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<qint64>("duration");
    QTest::addColumn<double>("rate");
    QTest::newRow("name only") << u"normal"_s << true << int(ScenarioKind::Normal) << qint64(-1)
                               << qint64(-1) << 0.0;
    QTest::newRow("all parts") << u"bot_burst:30m:10m:40"_s << true << int(ScenarioKind::BotBurst)
                               << qint64(30 * 60000) << qint64(10 * 60000) << 40.0;
    QTest::newRow("skip offset") << u"cost_spike::1h"_s << true << int(ScenarioKind::CostSpike)
                                 << qint64(-1) << qint64(3600000) << 0.0;
    QTest::newRow("unknown") << u"ddos"_s << false << 0 << qint64(-1) << qint64(-1) << 0.0;
    QTest::newRow("bad offset") << u"plan_change:soon"_s << false << 0 << qint64(-1) << qint64(-1)
                                << 0.0;
    QTest::newRow("bad rate") << u"buggy_client:1m:1m:-3"_s << false << 0 << qint64(-1)
                              << qint64(-1) << 0.0;
    QTest::newRow("too many") << u"normal:1:2:3:4"_s << false << 0 << qint64(-1) << qint64(-1)
                              << 0.0;
}

void TestGenerator::parseScenarios()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(int, kind);
    QFETCH(qint64, offset);
    QFETCH(qint64, duration);
    QFETCH(double, rate);
    QString error;
    const auto s = parseScenario(text, &error);
    QCOMPARE(s.has_value(), ok);
    if (!ok) {
        QVERIFY(!error.isEmpty());
        return;
    }
    QCOMPARE(int(s->kind), kind);
    QCOMPARE(s->offsetMs.value_or(-1), offset);
    QCOMPARE(s->durationMs.value_or(-1), duration);
    QCOMPARE(s->rate, rate);
    QCOMPARE(scenarioKindFromName(scenarioName(s->kind)), std::optional<ScenarioKind>(s->kind));
}

QTEST_GUILESS_MAIN(TestGenerator)
#include "tst_generator.moc"
