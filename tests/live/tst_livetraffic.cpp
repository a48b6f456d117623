// What loadgen sends: scenario and schedule syntax, the merged traffic of core/trace's
// Generator (time order, scenario windows, plan changes, segments), the population shared with
// a backfill, and the middleware's cost and client address agreeing with the C++ core.

#include "enforcement/clientaddress.h"
#include "enforcement/engine.h"
#include "live/costmodel.h"
#include "live/livescenario.h"
#include "live/trafficsource.h"
#include "policy/policyjson.h"
#include "trace/generator.h"

#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using qc::live::LiveScenario;
using qc::live::LiveScenarioKind;
namespace ef = qc::enforcement;

Q_DECLARE_METATYPE(qc::live::LiveScenario)

namespace {

LiveScenario scenario(
    LiveScenarioKind kind, ef::TimeMs offset, std::optional<ef::TimeMs> duration, double rate = 0)
{
    LiveScenario s;
    s.kind = kind;
    s.offsetMs = offset;
    s.durationMs = duration;
    s.rate = rate;
    return s;
}

constexpr ef::TimeMs kStart = 1767571200000; // 2026-01-05T00:00:00Z

} // namespace

class TestLiveTraffic : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parseScenarios_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<LiveScenario>("expected");
        QTest::newRow("offset") << u"bot_burst@+2m"_s
                                << scenario(LiveScenarioKind::BotBurst, 120000, std::nullopt);
        QTest::newRow("offset without plus")
            << u"bot_burst@90s"_s << scenario(LiveScenarioKind::BotBurst, 90000, std::nullopt);
        QTest::newRow("all parts") << u"cost_spike@+5m:10m:2"_s
                                   << scenario(LiveScenarioKind::CostSpike, 300000, 600000, 2);
        QTest::newRow("zero offset, default duration, rate")
            << u"buggy_client@0::3"_s
            << scenario(LiveScenarioKind::BuggyClient, 0, std::nullopt, 3);
        QTest::newRow("hiccup") << u"db_hiccup@+1m:20s"_s
                                << scenario(LiveScenarioKind::DbHiccup, 60000, 20000);
        QTest::newRow("trace generate form")
            << u"bot_burst:30m:10m:40"_s
            << scenario(LiveScenarioKind::BotBurst, 1800000, 600000, 40);
        QTest::newRow("name only")
            << u"plan_change"_s << scenario(LiveScenarioKind::PlanChange, 0, std::nullopt);
    }

    void parseScenarios()
    {
        QFETCH(QString, text);
        QFETCH(LiveScenario, expected);
        QString error;
        const auto parsed = qc::live::parseLiveScenario(text, &error);
        QVERIFY2(parsed, qPrintable(error));
        QCOMPARE(*parsed, expected);
    }

    void scenarioErrors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown") << u"bots@+1m"_s << u"'bots' is not a scenario"_s;
        QTest::newRow("bad offset") << u"bot_burst@soon"_s << u"offset 'soon' is not a duration"_s;
        QTest::newRow("zero duration")
            << u"bot_burst@+1m:0s"_s << u"duration '0s' is not a positive duration"_s;
        QTest::newRow("bad rate") << u"bot_burst@+1m:1m:fast"_s << u"rate 'fast'"_s;
        QTest::newRow("hiccup rate") << u"db_hiccup@+1m:10s:5"_s << u"db_hiccup takes no rate"_s;
        QTest::newRow("too many") << u"bot_burst@1m:1m:1:1"_s << u"too many parts"_s;
    }

    void scenarioErrors()
    {
        QFETCH(QString, text);
        QFETCH(QString, message);
        QString error;
        QVERIFY(!qc::live::parseLiveScenario(text, &error));
        QVERIFY2(error.contains(message), qPrintable(error));
    }

    void scheduleFile()
    {
        const QByteArray text = "# the demo's first minutes\n"
                                "+0     normal\n"
                                "+2m    bot_burst     5m   40   # one /24\n"
                                "\n"
                                "+4m    buggy_client  -    2\n"
                                "+6m    db_hiccup     20s\n";
        const qc::live::Schedule schedule = qc::live::parseSchedule(text, u"demo.schedule"_s);
        QVERIFY2(schedule.error.isEmpty(), qPrintable(schedule.error));
        QCOMPARE(schedule.scenarios.size(), 4);
        QCOMPARE(schedule.scenarios[1], scenario(LiveScenarioKind::BotBurst, 120000, 300000, 40));
        QCOMPARE(schedule.scenarios[2],
            scenario(LiveScenarioKind::BuggyClient, 240000, std::nullopt, 2));
        QCOMPARE(schedule.scenarios[3], scenario(LiveScenarioKind::DbHiccup, 360000, 20000));

        const qc::live::Schedule bad
            = qc::live::parseSchedule("+0 normal\n+1m cost_spyke\n", u"demo.schedule"_s);
        QVERIFY(bad.scenarios.isEmpty());
        QVERIFY2(bad.error.startsWith(u"demo.schedule:2: 'cost_spyke' is not a scenario"_s),
            qPrintable(bad.error));
        const qc::live::Schedule missing = qc::live::readSchedule(u"/nonexistent/schedule"_s);
        QVERIFY(missing.error.contains(u"cannot read schedule '/nonexistent/schedule'"_s));
    }

    void trafficFollowsTheSchedule()
    {
        qc::live::TrafficOptions options;
        options.startMs = kStart;
        options.durationMs = 10 * ef::kMinute;
        options.normalRate = 20;
        options.diurnal = false;
        options.segmentMs = ef::kMinute; // many segments: time order must hold across them
        options.scenarios
            = { scenario(LiveScenarioKind::BotBurst, ef::kMinute, 2 * ef::kMinute, 30),
                  scenario(LiveScenarioKind::PlanChange, 0, 5 * ef::kMinute, 1),
                  scenario(LiveScenarioKind::DbHiccup, 0, 30000) };
        qc::live::TrafficSource source(options);
        QVERIFY(!source.planChanges().empty());
        qc::live::TrafficEvent event;
        ef::TimeMs last = 0;
        QSet<QString> ids;
        int requests = 0;
        int bot = 0;
        int planChanges = 0;
        while (source.next(event)) {
            QVERIFY(event.at >= last);
            last = event.at;
            QVERIFY(event.at >= kStart && event.at < kStart + 10 * ef::kMinute);
            if (event.type == qc::live::TrafficEvent::Type::PlanChange) {
                ++planChanges;
                QVERIFY(event.at < kStart + 5 * ef::kMinute);
                QVERIFY(event.planChange.fromPlan != event.planChange.plan);
                continue;
            }
            ++requests;
            const QString id = QString::fromStdString(event.request.requestId);
            QVERIFY(id.startsWith(u"req-"_s) && id.size() == 20);
            QVERIFY2(!ids.contains(id), qPrintable(id));
            ids.insert(id);
            if (event.request.ip.starts_with("203.0.113.")) {
                ++bot;
                QVERIFY(event.at >= kStart + ef::kMinute && event.at < kStart + 3 * ef::kMinute);
                QVERIFY(event.request.userAgent.find("Bot") != std::string::npos);
            }
        }
        QCOMPARE(std::size_t(planChanges), source.planChanges().size());
        // 20/s normal for 10 min, 30/s bot for 2 min, 1/s plan-change users for 5 min.
        const double expected = 20 * 600 + 30 * 120 + 300;
        QVERIFY2(qAbs(requests - expected) < expected * 0.1, qPrintable(QString::number(requests)));
        QVERIFY2(qAbs(bot - 3600) < 360, qPrintable(QString::number(bot)));
    }

    void populationIsSharedWithABackfill()
    {
        qc::trace::GeneratorOptions a;
        a.durationMs = ef::kMinute;
        a.seed = 7;
        a.users = 300;
        a.ips = 900;
        qc::trace::GeneratorOptions b = a;
        b.streamSeed = 99;
        qc::trace::Generator first(a);
        qc::trace::Generator second(b);
        const auto usersA = first.users();
        const auto usersB = second.users();
        QCOMPARE(usersA.size(), std::size_t(302)); // and the buggy and heavy clients
        for (std::size_t i = 0; i < usersA.size(); ++i) {
            QCOMPARE(usersA[i].userId, usersB[i].userId);
            QCOMPARE(usersA[i].plan, usersB[i].plan);
        }
        ef::EncodedRequest ra;
        ef::EncodedRequest rb;
        QVERIFY(first.next(ra) && second.next(rb));
        QVERIFY(ra.ts != rb.ts); // other streams: other requests
    }

    void flatOrDiurnal()
    {
        const auto perHour = [](bool diurnal) {
            qc::trace::GeneratorOptions o;
            o.startMs = kStart;
            o.durationMs = ef::kDay;
            o.requestsPerSecond = 0.5;
            o.diurnal = diurnal;
            o.requestIds = false;
            qc::trace::Generator g(o);
            std::vector<int> counts(24, 0);
            ef::EncodedRequest r;
            while (g.next(r))
                ++counts[std::size_t((r.ts - kStart) / ef::kHour)];
            return counts;
        };
        const auto flat = perHour(false);
        const auto shaped = perHour(true);
        for (const int c : flat)
            QVERIFY2(c > 1500 && c < 2100, qPrintable(QString::number(c))); // 1800 ± noise
        QVERIFY(shaped[3] < 1000 && shaped[14] > 2300); // night vs afternoon (UTC)
    }

    // The middleware computes the cost it logs; it must be the engine's (which the SQL's is).
    void costAndClientKeyAgreeWithTheEngine()
    {
        const ef::Policy policy = qc::policy::defaultPolicy();
        qc::trace::GeneratorOptions o;
        o.startMs = kStart;
        o.durationMs = 20 * ef::kMinute;
        o.scenarios = { qc::trace::Scenario {}, { qc::trace::ScenarioKind::CostSpike, 0, {}, 2 } };
        qc::trace::Generator generator(o);
        ef::Engine engine(policy, generator.dictionary());
        ef::EncodedRequest r;
        int allowed = 0;
        int keys = 0;
        while (generator.next(r)) {
            const ef::Decision d = engine.decide(r);
            const ef::Request text = ef::decode(*generator.dictionary(), r);
            if (d.allowed) {
                ++allowed;
                QCOMPARE(qc::live::modelCost(
                             policy, text.endpoint, text.model, text.tokens, text.responseMs),
                    d.costMicroUsd);
            }
            const auto address
                = qc::enforcement::clientAddressOf(policy, text.ip, text.forwardedFor);
            for (const ef::RuleStatus& status : engine.ruleStatus(text)) {
                if (policy.rules[std::size_t(status.rule)].scope == ef::Scope::Ip) {
                    QVERIFY(address);
                    QCOMPARE(ef::clientKey(*address), status.identifier);
                    ++keys;
                }
            }
        }
        QVERIFY(allowed > 10000);
        QVERIFY(keys > 10000);
        QCOMPARE(qc::live::metricOf(policy, "/api/chat").value_or(""),
            std::string_view("ai_generations"));
        QCOMPARE(
            qc::live::metricOf(policy, "/api/items").value_or(""), std::string_view("api_calls"));
        QVERIFY(!qc::live::metricOf(policy, "/health"));
        QVERIFY(!qc::enforcement::clientAddressOf(policy, "", ""));
        QVERIFY(!qc::enforcement::clientAddressOf(policy, "not-an-ip", ""));
        QCOMPARE(ef::clientKey(*qc::enforcement::clientAddressOf(
                     policy, "10.0.0.3", "198.51.100.9, 10.0.0.7")),
            std::string("198.51.100.9"));
    }
};

QTEST_GUILESS_MAIN(TestLiveTraffic)
#include "tst_livetraffic.moc"
