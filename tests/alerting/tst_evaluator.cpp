// The rule set's state machine over metric series: every rule fires at (not before) its
// threshold and `for`, resolves when its condition clears, and counts across counter resets —
// evaluated every 15 s over counters scraped every 15 s, as Prometheus would.

#include "alerting/alerttemplate.h"
#include "alerting/evaluator.h"
#include "metrics/expositionparser.h"
#include "metrics/scrapemath.h"

#include <QJsonObject>
#include <QTest>

#include <functional>
#include <map>

using namespace qc::alerting;
using namespace Qt::StringLiterals;
namespace metrics = qc::metrics;

namespace {

constexpr std::int64_t kStepMs = 15'000;
constexpr std::int64_t kT0 = 1'767'225'600'000; // 2026-01-01T00:00:00Z

// Cumulative counters written at every step, like a service's /metrics page.
class Counters {
public:
    explicit Counters(Evaluator& evaluator)
        : m_store(evaluator.series())
    {
    }
    void add(const QString& name, const metrics::Labels& labels, double by)
    {
        m_totals[{ name, labels }] += by;
    }
    void set(const QString& name, const metrics::Labels& labels, double value)
    {
        m_totals[{ name, labels }] = value;
    }
    void sample(std::int64_t atMs)
    {
        for (const auto& [key, total] : m_totals)
            m_store.append(m_store.series(key.first, key.second), atMs, total);
    }

private:
    SeriesStore& m_store;
    std::map<std::pair<QString, metrics::Labels>, double> m_totals;
};

// What happens between sample n-1 and sample n (n >= 1); sample 0 is the counters' start.
using Scenario = std::function<void(int n, Counters&)>;

const metrics::Labels kAllowed { { u"decision"_s, u"allowed"_s } };
const metrics::Labels kDenied { { u"decision"_s, u"denied"_s } };

void decisions(Counters& c, double allowed, double denied)
{
    c.add(u"quota_decisions_total"_s, kAllowed, allowed);
    c.add(u"quota_decisions_total"_s, kDenied, denied);
}

// Buckets of quota_check_duration_seconds; counts per step are given non-cumulatively.
const QStringList kBounds { u"0.05"_s, u"0.1"_s, u"0.15"_s, u"0.25"_s, u"0.3"_s, u"0.5"_s, u"1"_s,
    u"+Inf"_s };

void latency(Counters& c, const std::map<QString, double>& perBucket)
{
    double cumulative = 0;
    for (const QString& le : kBounds) {
        const auto it = perBucket.find(le);
        cumulative += it == perBucket.end() ? 0 : it->second;
        c.add(u"quota_check_duration_seconds_bucket"_s, { { u"le"_s, le } }, cumulative);
    }
}

bool bad(int n, int from, int steps)
{
    return n >= from && n < from + steps;
}

enum class Expect : char { None = '.', Pending = 'p', Firing = 'F' };

struct Timeline {
    QString states; // one character per sample: '.', 'p', 'F'
    std::vector<AlertChange> changes;
    std::vector<Alert> firingAt; // the rule's alerts at the last firing evaluation
};

Timeline run(const QString& ruleName, const Scenario& scenario, int samples)
{
    Evaluator evaluator;
    Counters counters(evaluator);
    Timeline timeline;
    for (int n = 0; n < samples; ++n) {
        if (n > 0)
            scenario(n, counters);
        const std::int64_t at = kT0 + n * kStepMs;
        counters.sample(at);
        for (AlertChange& change : evaluator.evaluate(at)) {
            if (change.alert.rule == ruleName)
                timeline.changes.push_back(std::move(change));
        }
        Expect state = Expect::None;
        std::vector<Alert> firing;
        for (const Alert& alert : evaluator.alerts()) {
            if (alert.rule != ruleName)
                continue;
            state = alert.state == AlertState::Firing ? Expect::Firing : Expect::Pending;
            if (alert.state == AlertState::Firing)
                firing.push_back(alert);
        }
        if (!firing.empty())
            timeline.firingAt = firing;
        timeline.states += QChar(char16_t(state));
    }
    return timeline;
}

QString expected(int samples, int pendingFrom, int firingFrom, int inactiveFrom)
{
    QString states;
    for (int n = 0; n < samples; ++n) {
        if (pendingFrom < 0 || n < pendingFrom || n >= inactiveFrom)
            states += u'.';
        else if (firingFrom >= 0 && n >= firingFrom)
            states += u'F';
        else
            states += u'p';
    }
    return states;
}

} // namespace

class EvaluatorTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void ruleTimeline_data()
    {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<Scenario>("scenario");
        QTest::addColumn<int>("samples");
        QTest::addColumn<int>("pendingFrom"); // -1: never exceeds
        QTest::addColumn<int>("firingFrom"); // -1: never fires
        QTest::addColumn<int>("inactiveFrom");

        // HighDenialRate: 100 decisions a step; during the burst 90 of them denied. The 5m
        // window holds 20 steps: the ratio is 90k/2000 after k burst steps, > 0.2 from k = 5.
        const auto denials = [](int from, int steps) -> Scenario {
            return [=](int n, Counters& c) {
                bad(n, from, steps) ? decisions(c, 10, 90) : decisions(c, 100, 0);
            };
        };
        QTest::newRow("denial rate: fires after 2m, resolves when the window clears")
            << u"HighDenialRate"_s << denials(41, 30) << 100 << 45 << 53 << 86;
        QTest::newRow("denial rate: 4.4 % of a window is not enough")
            << u"HighDenialRate"_s << denials(41, 2) << 100 << -1 << -1 << 0;

        // RateLimitViolations: the 1m window holds 4 steps; 30 hits a step = 120 > 100.
        const auto hits = [](int from, int steps, double perStep) -> Scenario {
            return [=](int n, Counters& c) {
                c.add(u"quota_rate_limit_hits_total"_s, { { u"rule"_s, u"per_ip_minute"_s } },
                    bad(n, from, steps) ? perStep : 0);
            };
        };
        QTest::newRow("rate-limit hits: fires after 2m")
            << u"RateLimitViolations"_s << hits(41, 20, 30) << 80 << 44 << 52 << 61;
        QTest::newRow("rate-limit hits: 7 evaluations pending never fire")
            << u"RateLimitViolations"_s << hits(41, 10, 30) << 80 << 44 << -1 << 51;
        QTest::newRow("rate-limit hits: exactly 100 a minute is not above 100")
            << u"RateLimitViolations"_s << hits(41, 30, 25) << 80 << -1 << -1 << 0;
        QTest::newRow("rate-limit hits: a reset in the burst still counts")
            << u"RateLimitViolations"_s << Scenario([](int n, Counters& c) {
                   const metrics::Labels rule { { u"rule"_s, u"per_ip_minute"_s } };
                   if (n == 1)
                       c.set(u"quota_rate_limit_hits_total"_s, rule, 5000);
                   if (n == 50) // the service restarted: its counter starts again from 0
                       c.set(u"quota_rate_limit_hits_total"_s, rule, 0);
                   c.add(u"quota_rate_limit_hits_total"_s, rule, bad(n, 41, 20) ? 30 : 0);
               })
            << 80 << 44 << 52 << 61;
        QTest::newRow("rate-limit hits: a reset alone is no hit")
            << u"RateLimitViolations"_s << Scenario([](int n, Counters& c) {
                   const metrics::Labels rule { { u"rule"_s, u"per_ip_minute"_s } };
                   if (n == 1)
                       c.set(u"quota_rate_limit_hits_total"_s, rule, 100000);
                   if (n == 50)
                       c.set(u"quota_rate_limit_hits_total"_s, rule, 0);
               })
            << 80 << -1 << -1 << 0;

        // DatabaseConnectionIssues: 3 errors a step = 12 a minute > 10, for 1m (4 steps).
        QTest::newRow("database errors: fires after 1m")
            << u"DatabaseConnectionIssues"_s << Scenario([](int n, Counters& c) {
                   c.add(u"quota_db_errors_total"_s, {}, bad(n, 41, 20) ? 3 : 0);
               })
            << 80 << 44 << 48 << 61;

        // ExcessiveIdempotencyCollisions: 100 keyed requests a step, 22 colliding in the burst:
        // 22k/2000 > 0.05 from k = 5.
        QTest::newRow("collisions: fires after 2m")
            << u"ExcessiveIdempotencyCollisions"_s << Scenario([](int n, Counters& c) {
                   c.add(u"quota_idempotency_requests_total"_s, {}, 100);
                   c.add(u"quota_idempotency_collisions_total"_s,
                       { { u"kind"_s, u"parameters"_s } }, bad(n, 41, 30) ? 22 : 0);
               })
            << 100 << 45 << 53 << 86;
        QTest::newRow("collisions: no keyed requests, no rate")
            << u"ExcessiveIdempotencyCollisions"_s << Scenario([](int, Counters& c) {
                   c.add(u"quota_idempotency_requests_total"_s, {}, 0);
                   c.add(u"quota_idempotency_collisions_total"_s, {}, 0);
               })
            << 60 << -1 << -1 << 0;

        // HighQuotaCheckLatency: 100 checks a step, <= 50 ms normally, 250-300 ms in the burst.
        // After 2 burst steps fewer than 95 % of the window's checks are fast: p95 > 150 ms.
        const auto slow = [](int from, int steps) -> Scenario {
            return [=](int n, Counters& c) {
                latency(c,
                    bad(n, from, steps) ? std::map<QString, double> { { u"0.3"_s, 100 } }
                                        : std::map<QString, double> { { u"0.05"_s, 100 } });
            };
        };
        QTest::newRow("p95 latency: fires after 5m")
            << u"HighQuotaCheckLatency"_s << slow(41, 40) << 110 << 42 << 62 << 99;
        QTest::newRow("p95 latency: 19 steps (4m45s) pending never fire")
            << u"HighQuotaCheckLatency"_s << slow(41, 3) << 80 << 42 << -1 << 62;

        // ImmediateHighLatency: one check of 300-500 ms at step 50; the 1m window holds it for
        // 4 evaluations. Checks of exactly <= 300 ms (le="0.3") never count.
        QTest::newRow("slowest check: one check above 300 ms fires at once")
            << u"ImmediateHighLatency"_s << Scenario([](int n, Counters& c) {
                   std::map<QString, double> buckets { { u"0.05"_s, 50 }, { u"0.3"_s, 5 } };
                   if (n == 50)
                       buckets[u"0.5"_s] = 1;
                   latency(c, buckets);
               })
            << 70 << 50 << 50 << 54;

        // Abuse incidents, per pattern; `log` incidents never alert.
        QTest::newRow("abuse: a block incident alerts for 15m")
            << u"AbuseIncidentRaised"_s << Scenario([](int n, Counters& c) {
                   const metrics::Labels block { { u"action"_s, u"block"_s },
                       { u"pattern"_s, u"high_request_rate"_s } };
                   const metrics::Labels log { { u"action"_s, u"log"_s },
                       { u"pattern"_s, u"bot_behavior"_s } };
                   c.add(u"quota_abuse_incidents_total"_s, block, n == 50 ? 1 : 0);
                   c.add(u"quota_abuse_incidents_total"_s, log, n % 3 == 0 ? 1 : 0);
               })
            << 120 << 50 << 50 << 110;
        QTest::newRow("abuse: escalations are their own rule")
            << u"AbuseIncidentEscalated"_s << Scenario([](int n, Counters& c) {
                   const metrics::Labels escalate { { u"action"_s, u"escalate"_s },
                       { u"pattern"_s, u"cost_spike"_s } };
                   c.add(u"quota_abuse_incidents_total"_s, escalate, n == 50 ? 2 : 0);
               })
            << 120 << 50 << 50 << 110;
        QTest::newRow("abuse: log incidents never alert")
            << u"AbuseIncidentRaised"_s << Scenario([](int n, Counters& c) {
                   c.add(u"quota_abuse_incidents_total"_s,
                       { { u"action"_s, u"log"_s }, { u"pattern"_s, u"bot_behavior"_s } }, n);
               })
            << 60 << -1 << -1 << 0;
    }

    void ruleTimeline()
    {
        QFETCH(QString, rule);
        QFETCH(Scenario, scenario);
        QFETCH(int, samples);
        QFETCH(int, pendingFrom);
        QFETCH(int, firingFrom);
        QFETCH(int, inactiveFrom);
        const Timeline timeline = run(rule, scenario, samples);
        QCOMPARE(timeline.states, expected(samples, pendingFrom, firingFrom, inactiveFrom));

        // The changes say the same, once each.
        std::vector<std::pair<AlertChange::Kind, std::int64_t>> want;
        if (pendingFrom >= 0) {
            if (firingFrom != pendingFrom)
                want.emplace_back(AlertChange::Kind::Pending, kT0 + pendingFrom * kStepMs);
            if (firingFrom >= 0)
                want.emplace_back(AlertChange::Kind::Firing, kT0 + firingFrom * kStepMs);
            if (inactiveFrom < samples)
                want.emplace_back(
                    firingFrom >= 0 ? AlertChange::Kind::Resolved : AlertChange::Kind::Cleared,
                    kT0 + inactiveFrom * kStepMs);
        }
        std::vector<std::pair<AlertChange::Kind, std::int64_t>> got;
        for (const AlertChange& change : timeline.changes)
            got.emplace_back(change.kind, change.atMs);
        QCOMPARE(got, want);
        for (const AlertChange& change : timeline.changes) {
            QCOMPARE(change.alert.rule, rule);
            QCOMPARE(change.alert.activeAtMs, kT0 + pendingFrom * kStepMs);
            QCOMPARE(metrics::labelValue(change.alert.labels, u"alertname"), rule);
            QVERIFY(!change.alert.summary.contains(u"{{"_s));
            QVERIFY(!change.alert.description.contains(u"{{"_s));
        }
    }

    void alertsCarryTheValueAndLabels()
    {
        // p95 of a window that is all 250-300 ms checks: 0.25 + 0.05 * 1900/2000 = 0.2975.
        const Timeline latency = run(
            u"HighQuotaCheckLatency"_s,
            [](int n, Counters& c) {
                ::latency(c,
                    n > 40 ? std::map<QString, double> { { u"0.3"_s, 100 } }
                           : std::map<QString, double> { { u"0.05"_s, 100 } });
            },
            90);
        QCOMPARE(latency.firingAt.size(), std::size_t(1));
        const Alert& alert = latency.firingAt.front();
        QCOMPARE(alert.value, 0.2975);
        QCOMPARE(alert.summary, u"p95 quota check latency is 297.5ms, above 150ms for 5 minutes"_s);
        QCOMPARE(alert.severity, Severity::Critical);
        QCOMPARE(alert.labels,
            (metrics::Labels { { u"alertname"_s, u"HighQuotaCheckLatency"_s },
                { u"severity"_s, u"critical"_s } }));
        QCOMPARE(alert.fingerprint, fingerprintOf(alert.labels));

        const Timeline abuse = run(
            u"AbuseIncidentRaised"_s,
            [](int n, Counters& c) {
                for (const QString& pattern : { u"high_request_rate"_s, u"geographic_anomaly"_s })
                    c.add(u"quota_abuse_incidents_total"_s,
                        { { u"action"_s,
                              pattern == u"high_request_rate"_s ? u"block"_s : u"alert"_s },
                            { u"instance"_s, u"api-1:9100"_s }, { u"pattern"_s, pattern } },
                        n == 10 ? 1 : 0);
            },
            20);
        QCOMPARE(abuse.firingAt.size(), std::size_t(2)); // one alert per pattern
        for (const Alert& one : abuse.firingAt) {
            QCOMPARE(one.labels.size(), std::size_t(3)); // alertname, pattern, severity
            const QString pattern = metrics::labelValue(one.labels, u"pattern");
            QCOMPARE(one.summary,
                u"Abuse pattern "_s % pattern % u" raised incidents in the last 15 minutes"_s);
            QVERIFY2(one.description.startsWith(
                         u"1 incident(s) of abuse pattern "_s % pattern % u" (action alert"_s),
                qPrintable(one.description));
        }
    }

    void seriesOfSeveralInstancesAreSummed()
    {
        // Instance a admits everything, instance b denies everything: 50 % overall.
        Evaluator evaluator;
        SeriesStore& store = evaluator.series();
        const auto id = [&](const QString& instance, const QString& decision) {
            return store.series(u"quota_decisions_total"_s,
                { { u"decision"_s, decision }, { u"instance"_s, instance } });
        };
        for (int n = 0; n <= 40; ++n) {
            const std::int64_t at = kT0 + n * kStepMs;
            store.append(id(u"a"_s, u"allowed"_s), at, 100.0 * n);
            store.append(id(u"b"_s, u"denied"_s), at, 100.0 * n);
            evaluator.evaluate(at);
        }
        const std::vector<RuleResult> results = evaluator.results(kT0 + 40 * kStepMs);
        const auto rule = std::find_if(evaluator.rules().begin(), evaluator.rules().end(),
            [](const Rule& r) { return r.name == u"HighDenialRate"_s; });
        const RuleResult& denial = results[std::size_t(rule - evaluator.rules().begin())];
        QCOMPARE(denial.samples.size(), std::size_t(1));
        QCOMPARE(denial.samples.front().value, 0.5);
        QCOMPARE(evaluator.alerts().size(), std::size_t(1));
        QCOMPARE(evaluator.alerts().front().state, AlertState::Firing);
        QCOMPARE(evaluator.alerts().front().summary, u"50% of requests are denied (above 20%)"_s);
    }

    void aFailedEvaluationLeavesAlertsAsTheyAre()
    {
        Evaluator evaluator;
        const std::size_t rules = evaluator.rules().size();
        std::vector<RuleResult> results(rules);
        const auto index = [&](const QString& name) {
            return std::size_t(std::find_if(evaluator.rules().begin(), evaluator.rules().end(),
                                   [&](const Rule& r) { return r.name == name; })
                - evaluator.rules().begin());
        };
        const std::size_t db = index(u"DatabaseConnectionIssues"_s);
        results[db].samples.push_back(ResultSample { {}, 50 });
        QCOMPARE(evaluator.apply(kT0, results).size(), std::size_t(1)); // pending
        std::vector<RuleResult> failing(rules);
        failing[db] = RuleResult::failed(u"database unreachable"_s);
        QVERIFY(evaluator.apply(kT0 + 30'000, failing).empty());
        QCOMPARE(evaluator.alerts().size(), std::size_t(1));
        // `for` counted on through the failed evaluation: firing after 1m.
        const auto changes = evaluator.apply(kT0 + 60'000, results);
        QCOMPARE(changes.size(), std::size_t(1));
        QCOMPARE(changes.front().kind, AlertChange::Kind::Firing);
        // An empty result (no value) resolves it.
        QCOMPARE(evaluator.apply(kT0 + 75'000, std::vector<RuleResult>(rules)).front().kind,
            AlertChange::Kind::Resolved);
        QVERIFY(evaluator.alerts().empty());
    }

    void restoredAlertsKeepCountingTheirFor()
    {
        Evaluator first;
        std::vector<RuleResult> results(first.rules().size());
        const auto latency
            = std::size_t(std::find_if(first.rules().begin(), first.rules().end(),
                              [](const Rule& r) { return r.name == u"HighQuotaCheckLatency"_s; })
                - first.rules().begin());
        results[latency].samples.push_back(ResultSample { {}, 0.2 });
        first.apply(kT0, results);
        first.apply(kT0 + 120'000, results);

        // A new process, restored from what the first one saved: fires at kT0 + 5m.
        Evaluator second;
        std::vector<Alert> saved;
        for (const Alert& alert : first.alerts()) {
            const std::optional<Alert> copy = alertFromJson(alertToJson(alert));
            QVERIFY(copy.has_value());
            saved.push_back(*copy);
        }
        second.restore(saved);
        QVERIFY(second.apply(kT0 + 285'000, results).empty());
        const auto changes = second.apply(kT0 + 300'000, results);
        QCOMPARE(changes.size(), std::size_t(1));
        QCOMPARE(changes.front().kind, AlertChange::Kind::Firing);
        QCOMPARE(changes.front().alert.activeAtMs, kT0);
        QCOMPARE(changes.front().alert.fingerprint, saved.front().fingerprint);
    }

    void theFirstScrapeAfterARestartResolvesNothing()
    {
        // A restarted evaluator has its firing alert back from the database but one scrape
        // only: no rate yet, so no reason to resolve (and raise again 2 minutes later).
        Evaluator evaluator;
        Alert firing;
        firing.rule = u"HighDenialRate"_s;
        firing.severity = Severity::Warning;
        firing.labels
            = { { u"alertname"_s, u"HighDenialRate"_s }, { u"severity"_s, u"warning"_s } };
        firing.fingerprint = fingerprintOf(firing.labels);
        firing.state = AlertState::Firing;
        firing.activeAtMs = kT0 - 600'000;
        firing.firedAtMs = kT0 - 480'000;
        evaluator.restore({ firing });
        Counters counters(evaluator);
        decisions(counters, 50, 50);
        counters.sample(kT0);
        QVERIFY(evaluator.evaluate(kT0).empty());
        QCOMPARE(evaluator.alerts().size(), std::size_t(1));
        QCOMPARE(evaluator.alerts().front().state, AlertState::Firing);
        decisions(counters, 50, 50);
        counters.sample(kT0 + kStepMs);
        QVERIFY(evaluator.evaluate(kT0 + kStepMs).empty()); // still 50 %: still firing
        QCOMPARE(evaluator.alerts().front().firedAtMs, kT0 - 480'000);
        for (int n = 2; n < 40; ++n) {
            decisions(counters, 100, 0);
            counters.sample(kT0 + n * kStepMs);
            for (const AlertChange& change : evaluator.evaluate(kT0 + n * kStepMs)) {
                QCOMPARE(change.kind, AlertChange::Kind::Resolved);
                QVERIFY(evaluator.alerts().empty());
                return;
            }
        }
        QFAIL("the alert never resolved");
    }

    void openMetricsAndTextPagesGiveTheSameValues()
    {
        // OpenMetrics names the counter family without _total and adds _created samples; the
        // rules read the sample names, so both formats give the same rate.
        const auto families = [](int n, bool openMetrics) {
            const QByteArray allowed = QByteArray::number(100 * n);
            const QByteArray denied = QByteArray::number(60 * n);
            const QByteArray text = openMetrics
                ? QByteArray("# TYPE quota_decisions counter\n"
                             "quota_decisions_total{decision=\"allowed\"} "
                    + allowed
                    + "\n"
                      "quota_decisions_created{decision=\"allowed\"} 1767225600\n"
                      "quota_decisions_total{decision=\"denied\"} "
                    + denied
                    + "\n"
                      "quota_decisions_created{decision=\"denied\"} 1767225600\n# EOF\n")
                : QByteArray("# TYPE quota_decisions_total counter\n"
                             "quota_decisions_total{decision=\"allowed\"} "
                    + allowed
                    + "\n"
                      "quota_decisions_total{decision=\"denied\"} "
                    + denied + "\n");
            const metrics::ParseResult parsed = metrics::parseExposition(text,
                openMetrics ? metrics::ExpositionFormat::OpenMetrics
                            : metrics::ExpositionFormat::PrometheusText);
            return parsed.families;
        };
        double values[2] = {};
        for (const bool openMetrics : { false, true }) {
            Evaluator evaluator;
            for (int n = 0; n <= 20; ++n)
                evaluator.addScrape(u"api-1:9464"_s, kT0 + n * kStepMs, families(n, openMetrics));
            const Rule* rule = findRule(evaluator.rules(), u"HighDenialRate"_s);
            const RuleResult result = evaluateRule(*rule, evaluator.series(), kT0 + 20 * kStepMs);
            QCOMPARE(result.samples.size(), std::size_t(1));
            values[openMetrics] = result.samples.front().value;
        }
        QCOMPARE(values[0], 0.375);
        QCOMPARE(values[1], values[0]);
    }

    void quantilesAgreeWithCoreMetrics()
    {
        // Two scrapes of a real page, 5 minutes apart (the window of the p95 rule): the rule's
        // value is core/metrics' quantileOverIncrease, histogram_quantile over the increases.
        const auto page = [](int n) {
            QByteArray text = "# TYPE quota_check_duration_seconds histogram\n";
            const char* bounds[] = { "0.01", "0.05", "0.1", "0.15", "0.25", "0.3", "+Inf" };
            const int perStep[] = { 700, 150, 60, 40, 25, 15, 10 };
            for (const char* endpoint : { "/api/chat", "/api/images" }) {
                long long cumulative = 0;
                for (int b = 0; b < 7; ++b) {
                    cumulative += 100000 + perStep[b] * n * (endpoint[5] == 'c' ? 1 : 3);
                    text += "quota_check_duration_seconds_bucket{endpoint=\"" + QByteArray(endpoint)
                        + "\",le=\"" + bounds[b] + "\"} " + QByteArray::number(cumulative) + '\n';
                }
            }
            return metrics::parseExposition(text, metrics::ExpositionFormat::PrometheusText)
                .families;
        };
        const auto before = page(1);
        const auto after = page(21);
        Evaluator evaluator;
        evaluator.addScrape(u"a:1"_s, kT0, before);
        evaluator.addScrape(u"a:1"_s, kT0 + 300'000, after);
        const Rule* p95 = findRule(evaluator.rules(), u"HighQuotaCheckLatency"_s);
        QVERIFY(p95);
        const RuleResult result = evaluateRule(*p95, evaluator.series(), kT0 + 300'000);
        QCOMPARE(result.samples.size(), std::size_t(1));
        const auto expected = metrics::quantileOverIncrease(0.95, before.front(), after.front());
        QCOMPARE(expected.size(), std::size_t(1));
        // Exactly, not just within QCOMPARE's fuzz.
        QVERIFY2(result.samples.front().value == expected.front().value,
            qPrintable(QString::number(result.samples.front().value, 'g', 17) % u" != "_s
                % QString::number(expected.front().value, 'g', 17)));
        QVERIFY(result.samples.front().value > 0.1 && result.samples.front().value < 0.3);
    }

    void aRunAMinuteLaterStartsFromTheKeptSamples()
    {
        // `quotactl alerts evaluate --once` from a timer: one run scrapes at :00 and :15 and
        // keeps its samples; the next one starts 60.3 s later (timers jitter) and scrapes once.
        const metrics::Labels rule { { u"instance"_s, u"api-1:9464"_s },
            { u"rule"_s, u"per_ip_minute"_s } };
        Evaluator first;
        SeriesStore& before = first.series();
        before.append(before.series(u"quota_rate_limit_hits_total"_s, rule), kT0, 1000);
        before.append(before.series(u"quota_rate_limit_hits_total"_s, rule), kT0 + 15'000, 1030);
        const QJsonArray kept = before.toJson();

        Evaluator next;
        QVERIFY(next.series().addJson(kept));
        QVERIFY(!next.series().addJson(QJsonArray { QJsonObject { { u"name"_s, 1 } } }));
        QCOMPARE(next.series().newestSample(u"instance"_s, u"api-1:9464"_s), kT0 + 15'000);
        const std::int64_t at = kT0 + 75'300;
        next.series().append(
            next.series().series(u"quota_rate_limit_hits_total"_s, rule), at, 1160);
        const Rule* hits = findRule(next.rules(), u"RateLimitViolations"_s);
        const std::size_t index = std::size_t(hits - next.rules().data());
        // Over the rule's own 1m window the kept sample is 0.3 s too old: no rate yet.
        QVERIFY(next.results(at)[index].warmingUp);
        // Widened to reach it: 130 hits in 60.3 s.
        const RuleResult widened = next.results(at, at - (kT0 + 15'000))[index];
        QVERIFY(!widened.warmingUp);
        QCOMPARE(widened.samples.size(), std::size_t(1));
        QCOMPARE(widened.samples.front().value, 130.0);
    }

    void fingerprintsDependOnLabelsOnly()
    {
        const metrics::Labels a { { u"alertname"_s, u"X"_s }, { u"severity"_s, u"warning"_s } };
        const metrics::Labels b { { u"severity"_s, u"warning"_s }, { u"alertname"_s, u"X"_s } };
        QCOMPARE(fingerprintOf(a), fingerprintOf(b));
        QCOMPARE(fingerprintOf(a).size(), 16);
        QVERIFY(fingerprintOf(a)
            != fingerprintOf({ { u"alertname"_s, u"X"_s }, { u"severity"_s, u"critical"_s } }));
        // Label boundaries matter: {a="bc"} is not {ab="c"}.
        QVERIFY(fingerprintOf({ { u"a"_s, u"bc"_s } }) != fingerprintOf({ { u"ab"_s, u"c"_s } }));
        // Fixed (SHA-256 of "alertname=X\xffseverity=warning\xff"), so that the database's open
        // alerts keep matching across versions.
        QCOMPARE(fingerprintOf(a), u"619a4977aed9dfaf"_s);
    }

    void templatesRenderAsPrometheusDoes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("rendered");
        // Expected outputs as Prometheus 2.42's template functions give them.
        QTest::newRow("duration 0") << u"{{ $value | humanizeDuration }}"_s << 0.0 << u"0s"_s;
        QTest::newRow("duration ms") << u"{{ $value | humanizeDuration }}"_s << 0.25 << u"250ms"_s;
        QTest::newRow("duration fraction ms")
            << u"{{ $value | humanizeDuration }}"_s << 0.2975 << u"297.5ms"_s;
        QTest::newRow("duration us")
            << u"{{humanizeDuration $value}}"_s << 0.0000123 << u"12.3us"_s;
        QTest::newRow("duration s") << u"{{ $value | humanizeDuration }}"_s << 1.5 << u"1.5s"_s;
        QTest::newRow("duration m") << u"{{ $value | humanizeDuration }}"_s << 125.0 << u"2m 5s"_s;
        QTest::newRow("duration h")
            << u"{{ $value | humanizeDuration }}"_s << 3725.0 << u"1h 2m 5s"_s;
        QTest::newRow("duration d")
            << u"{{ $value | humanizeDuration }}"_s << 90061.0 << u"1d 1h 1m 1s"_s;
        QTest::newRow("percentage")
            << u"{{ $value | humanizePercentage }}"_s << 0.1234567 << u"12.35%"_s;
        QTest::newRow("percentage whole")
            << u"{{ $value | humanizePercentage }}"_s << 0.5 << u"50%"_s;
        QTest::newRow("percentage tiny")
            << u"{{ $value | humanizePercentage }}"_s << 0.0000001 << u"1e-05%"_s;
        QTest::newRow("printf") << u"{{ printf \"%.0f\" $value }} hits"_s << 120.4 << u"120 hits"_s;
        QTest::newRow("printf 2") << u"{{ printf \"%.2f\" $value }}"_s << 0.125 << u"0.12"_s;
        QTest::newRow("label") << u"pattern {{ $labels.pattern }}, missing '{{ $labels.x }}'"_s
                               << 1.0 << u"pattern p1, missing ''"_s;
    }

    void templatesRenderAsPrometheusDoes()
    {
        QFETCH(QString, text);
        QFETCH(double, value);
        QFETCH(QString, rendered);
        const RenderedText result = renderTemplate(text, { { u"pattern"_s, u"p1"_s } }, value);
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(result.text, rendered);
    }

    void unsupportedTemplatesAreErrors()
    {
        for (const QString& text : { u"{{ $value }}"_s, u"{{ $value | humanize }}"_s,
                 u"{{ .Labels.x }}"_s, u"{{ printf \"%d\" $value }}"_s, u"{{ $value"_s }) {
            const RenderedText result = renderTemplate(text, {}, 1);
            QVERIFY2(!result.ok(), qPrintable(text));
        }
        // Every annotation of the standard rules renders.
        for (const Rule& rule : standardRules()) {
            for (const QString& text : { rule.summary, rule.description }) {
                const RenderedText result = renderTemplate(text, { { u"pattern"_s, u"p"_s } }, 0.5);
                QVERIFY2(result.ok(), qPrintable(rule.name % u": "_s % result.error));
            }
        }
    }
};

QTEST_GUILESS_MAIN(EvaluatorTest)
#include "tst_evaluator.moc"
