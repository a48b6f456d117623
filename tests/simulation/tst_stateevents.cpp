// State events of a trace (blocks, unblocks, plan changes) take effect at their time in every
// run: simulate() for both policies and every run of a sweep.

#include "simulation/eventplayer.h"
#include "simulation/sweep.h"
#include "simulationtesting.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace qc;
using enforcement::kSecond;
using enforcement::TimeMs;
using trace::StateEvent;

namespace {

constexpr TimeMs kStart = 1767571200000; // 2026-01-05T00:00:00Z

const QByteArray kPolicy = R"({
  "version": 1,
  "rules": [{"id": "ip_minute", "scope": "ip", "algorithm": "fixed_window", "window": "1m",
             "limit": 1000}],
  "plans": [{"name": "free", "rank": 0, "quotas": {"calls": 5}},
            {"name": "pro", "rank": 1, "paid": true, "quotas": {"calls": 1000}}],
  "endpoint_metrics": [{"endpoints": ["/api*"], "metric": "calls"}],
  "abuse": [{"id": "flood", "kind": "rate", "scope": "ip", "window": "10s", "threshold": 30,
             "severity": "high", "action": "block", "block_for": "1h"}]
})";

// One request a second from 203.0.113.7 (user u1, on pro until `downgradeAt`, then on free as
// the request log would say) for two minutes, plus a flood from 198.51.100.9 in the first 20 s
// (80 requests) that raises an auto block, and a request of it every 3 s after.
trace::Trace baseTrace(TimeMs downgradeAt = enforcement::kForever)
{
    trace::Trace t;
    t.dictionary = std::make_shared<enforcement::Dictionary>();
    std::vector<std::pair<TimeMs, bool>> times; // ts, flood
    for (int s = 0; s < 120; ++s)
        times.push_back({ kStart + s * kSecond, false });
    for (int i = 0; i < 80; ++i)
        times.push_back({ kStart + i * 250 + 1, true });
    for (int s = 21; s < 120; s += 3)
        times.push_back({ kStart + s * kSecond + 2, true });
    std::sort(times.begin(), times.end());
    int n = 0;
    for (const auto& [ts, flood] : times) {
        const std::string id = "r" + std::to_string(n++);
        enforcement::Request r;
        r.ts = ts;
        r.requestId = id;
        r.ip = flood ? "198.51.100.9" : "203.0.113.7";
        r.userId = flood ? "" : "u1";
        r.plan = flood ? "" : ts >= downgradeAt ? "free" : "pro";
        r.endpoint = "/api/items";
        r.method = "GET";
        t.requests.push_back(enforcement::encode(*t.dictionary, r));
    }
    return t;
}

StateEvent block(TimeMs from, TimeMs until, const char* value,
    enforcement::BlockTarget target = enforcement::BlockTarget::Ip)
{
    StateEvent e;
    e.kind = StateEvent::Kind::Block;
    e.ts = from;
    e.block.target = target;
    e.block.value = value;
    e.block.from = from;
    e.block.until = until;
    return e;
}

StateEvent unblock(TimeMs at, const char* value)
{
    StateEvent e;
    e.kind = StateEvent::Kind::Unblock;
    e.ts = at;
    e.block.value = value;
    return e;
}

StateEvent planChange(TimeMs at, const char* user, const char* plan, TimeMs graceMs)
{
    StateEvent e;
    e.kind = StateEvent::Kind::PlanChange;
    e.ts = at;
    e.user = user;
    e.plan = plan;
    e.graceMs = graceMs;
    return e;
}

struct Run {
    std::vector<enforcement::Decision> baseline;
    std::vector<enforcement::Decision> candidate;
    std::vector<enforcement::EncodedRequest> requests;
};

Run simulateBoth(const trace::Trace& t)
{
    const enforcement::Policy policy = simtest::policyFrom(kPolicy);
    simtest::RecordingSink b, c;
    simulation::Options options;
    options.baselineSink = &b;
    options.candidateSink = &c;
    simulation::simulate(policy, policy, t, options);
    return { b.decisions, c.decisions, t.requests };
}

std::string_view ipOf(const trace::Trace& t, std::size_t i)
{
    return t.dictionary->text(enforcement::Field::Ip, t.requests[i].ip);
}

} // namespace

class TestStateEvents : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void manualBlockCoversItsInterval();
    void unblockLiftsAnAutoBlockButNotAManualOne();
    void planChangeWithRecordedGrace();
    void sweepRunsSeeTheEventsToo();
};

void TestStateEvents::manualBlockCoversItsInterval()
{
    trace::Trace t = baseTrace();
    t.events = { block(kStart + 10 * kSecond, kStart + 20 * kSecond, "203.0.113.7") };
    const Run run = simulateBoth(t);
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (ipOf(t, i) != "203.0.113.7")
            continue;
        const TimeMs ts = t.requests[i].ts;
        const bool inside = ts >= kStart + 10 * kSecond && ts < kStart + 20 * kSecond;
        QCOMPARE(run.baseline[i].reason == enforcement::Reason::Blocked, inside);
        QVERIFY(run.candidate[i].reason == run.baseline[i].reason);
    }
}

void TestStateEvents::unblockLiftsAnAutoBlockButNotAManualOne()
{
    // The flood raises an auto block on 198.51.100.9 within its first seconds; an admin lifts
    // it at 60 s. A manual block on the same address from 30 s to 90 s must outlive the lift,
    // as it does in the database (the lift named one block, the auto one).
    trace::Trace t = baseTrace();
    const TimeMs lift = kStart + 60 * kSecond;
    StateEvent manual = block(kStart + 30 * kSecond, kStart + 90 * kSecond, "198.51.100.9");
    StateEvent again = manual;
    again.ts = lift;
    again.block.from = lift;
    t.events = { manual, unblock(lift, "198.51.100.9"), again };
    std::stable_sort(
        t.events.begin(), t.events.end(), [](const StateEvent& a, const StateEvent& b) {
            return a.ts != b.ts ? a.ts < b.ts : a.kind < b.kind;
        });
    const Run run = simulateBoth(t);
    int blockedBeforeManual = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (ipOf(t, i) != "198.51.100.9")
            continue;
        const TimeMs ts = t.requests[i].ts;
        const bool blocked = run.baseline[i].reason == enforcement::Reason::Blocked;
        if (ts > kStart + 22 * kSecond && ts < kStart + 90 * kSecond)
            QVERIFY2(blocked, qPrintable(QString::number(ts - kStart)));
        if (ts >= kStart + 90 * kSecond)
            QVERIFY2(!blocked, qPrintable(QString::number(ts - kStart)));
        blockedBeforeManual += blocked && ts < kStart + 30 * kSecond;
    }
    QVERIFY2(blockedBeforeManual > 0, "the flood must have raised an auto block");

    // Without the manual block the lift ends the auto block at once.
    t.events = { unblock(lift, "198.51.100.9") };
    const Run lifted = simulateBoth(t);
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (ipOf(t, i) == "198.51.100.9" && t.requests[i].ts >= lift)
            QVERIFY(lifted.baseline[i].reason != enforcement::Reason::Blocked);
    }
}

void TestStateEvents::planChangeWithRecordedGrace()
{
    // u1 goes from pro to free at 30 s with a recorded 40 s grace: pro's quota (1000) holds
    // until 70 s, then free's (5, long used up) denies.
    trace::Trace t = baseTrace(kStart + 30 * kSecond);
    t.events = { planChange(kStart + 30 * kSecond, "u1", "free", 40 * kSecond) };
    const Run run = simulateBoth(t);
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (ipOf(t, i) != "203.0.113.7")
            continue;
        const TimeMs ts = t.requests[i].ts;
        const bool quota = run.baseline[i].reason == enforcement::Reason::QuotaExceeded;
        QVERIFY2(quota == (ts >= kStart + 70 * kSecond), qPrintable(QString::number(ts - kStart)));
    }
    // With the policy's own grace (-1: 7 days) nothing is denied in two minutes.
    t.events = { planChange(kStart + 30 * kSecond, "u1", "free", -1) };
    for (const enforcement::Decision& d : simulateBoth(t).baseline)
        QVERIFY(d.reason != enforcement::Reason::QuotaExceeded);
}

void TestStateEvents::sweepRunsSeeTheEventsToo()
{
    trace::Trace t = baseTrace(kStart + 30 * kSecond);
    t.events = { block(kStart + 10 * kSecond, kStart + 20 * kSecond, "203.0.113.7"),
        planChange(kStart + 30 * kSecond, "u1", "free", 40 * kSecond) };
    const enforcement::Policy policy = simtest::policyFrom(kPolicy);
    QString error;
    const auto spec = simulation::parseSweepSpec(u"ip_minute.limit=1000:1000:1"_s, policy, &error);
    QVERIFY2(spec, qPrintable(error));
    const simulation::SweepResult sweep = simulation::sweep(policy, kPolicy, t, *spec);
    QVERIFY(sweep.ok());
    const Run run = simulateBoth(t);
    std::uint64_t denied = 0;
    for (const enforcement::Decision& d : run.candidate)
        denied += !d.allowed;
    QCOMPARE(sweep.points.at(0).denied, denied);
    QCOMPARE(sweep.baseline.denied, denied);
    QCOMPARE(sweep.points.at(0).newlyDenied, 0U);
}

QTEST_GUILESS_MAIN(TestStateEvents)
#include "tst_stateevents.moc"
