#include "enforcement/request.h"
#include "policy/policyjson.h"
#include "simulation/simulator.h"
#include "trace/trace.h"

#include <QBuffer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <map>
#include <thread>

using namespace Qt::StringLiterals;
using namespace qc;
using enforcement::Decision;
using enforcement::EncodedRequest;
using enforcement::kMinute;
using enforcement::Reason;
using enforcement::TimeMs;

namespace {

constexpr TimeMs kStart = 1767571200000; // 2026-01-05T00:00:00Z

enforcement::Policy policyFrom(const QByteArray& json)
{
    policy::LoadResult result = policy::parsePolicy(json);
    if (!result.ok())
        qFatal("test policy invalid: %s", qPrintable(result.errorText()));
    return *result.policy;
}

/// A policy with one fixed-window rule per IP and nothing else that could deny.
enforcement::Policy ipPolicy(int limit, const char* window = "1m", const char* extraRules = "")
{
    return policyFrom(QByteArray(R"({"version":1,"rules":[{"id":"ip_rule","scope":"ip",)"
                                 R"("algorithm":"fixed_window","window":")")
        + window + R"(","limit":)" + QByteArray::number(limit) + "}" + extraRules
        + R"(],"plans":[{"name":"free"}]})");
}

/// Collects one policy's decisions (called on that policy's worker thread only).
class RecordingSink final : public simulation::DecisionSink {
public:
    void decided(std::size_t index, const EncodedRequest&, const Decision& decision) override
    {
        indices.push_back(index);
        decisions.push_back(decision);
    }
    std::vector<std::size_t> indices;
    std::vector<Decision> decisions;
};

/// Slows a run down so that progress and cancellation can be observed.
class SlowSink final : public simulation::DecisionSink {
public:
    void decided(std::size_t, const EncodedRequest&, const Decision&) override
    {
        if (++seen % 200 == 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    std::uint64_t seen = 0;
};

class TraceBuilder {
public:
    TraceBuilder() { m_trace.dictionary = std::make_shared<enforcement::Dictionary>(); }
    void add(const enforcement::Request& request)
    {
        m_trace.requests.push_back(enforcement::encode(*m_trace.dictionary, request));
    }
    trace::Trace& trace() { return m_trace; }

private:
    trace::Trace m_trace;
};

QString ipOf(int i)
{
    return u"198.51.100."_s + QString::number(i);
}

/// Named counts sorted as the report sorts them: by count, then name.
QList<simulation::NamedCount> sortedCounts(
    const std::map<QString, std::uint64_t>& counts, std::size_t limit = SIZE_MAX)
{
    QList<simulation::NamedCount> out;
    for (const auto& [name, count] : counts) {
        if (count != 0)
            out.push_back({ name, count });
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.count != b.count ? a.count > b.count : a.name < b.name;
    });
    if (static_cast<std::size_t>(out.size()) > limit)
        out.resize(static_cast<qsizetype>(limit));
    return out;
}

// A deterministic mix: users on every plan and anonymous clients, proxies, idempotency keys
// (replays and collisions), skipped endpoints, recorded costs, a busy client.
trace::Trace mixedTrace(int requests)
{
    TraceBuilder builder;
    std::uint64_t state = 42;
    const auto next = [&state](std::uint64_t bound) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return (state >> 33) % bound;
    };
    const char* plans[] = { "free", "pro", "team", "enterprise", "", "gold" };
    const char* endpoints[]
        = { "/api/chat", "/api/generate", "/api/items", "/api/search", "/health" };
    const char* agents[] = { "app/1.0", "curl/8.0", "Googlebot/2.1" };
    std::vector<std::string> strings; // keep texts alive until encoded
    TimeMs ts = kStart;
    for (int i = 0; i < requests; ++i) {
        ts += static_cast<TimeMs>(next(180)); // about 30 minutes for 20k requests
        const bool busy = next(10) == 0; // one client sends a tenth of the traffic
        const int ipIndex = busy ? 7 : static_cast<int>(next(60));
        const bool anonymous = next(4) == 0;
        const int user = static_cast<int>(next(40));
        const std::string ip = "198.51.100." + std::to_string(ipIndex);
        const bool proxied = next(5) == 0;
        const std::string id = "r" + std::to_string(i);
        const std::string userId = anonymous ? std::string() : "u" + std::to_string(user);
        const std::string key = next(6) == 0 ? "k" + std::to_string(next(30)) : std::string();
        const std::string hash = "h" + std::to_string(next(2));
        enforcement::Request request;
        request.ts = ts;
        request.requestId = id;
        request.ip = proxied ? std::string_view("10.0.0.1") : std::string_view(ip);
        request.forwardedFor = proxied ? std::string_view(ip) : std::string_view();
        request.userId = userId;
        request.plan = anonymous ? "" : plans[user % 6];
        request.endpoint = endpoints[next(5)];
        request.method = "POST";
        request.userAgent = agents[next(3)];
        request.country = next(50) == 0 ? "RU" : "DE";
        request.idempotencyKey = key;
        request.requestHash = key.empty() ? std::string_view() : std::string_view(hash);
        request.costMicroUsd = next(3) == 0 ? static_cast<std::int64_t>(next(5000)) : -1;
        request.tokens = static_cast<std::int64_t>(next(2000));
        request.model = "gpt-4o-mini";
        request.responseMs = static_cast<std::int64_t>(next(3000));
        builder.add(request);
    }
    return std::move(builder.trace());
}

enforcement::Policy stricterDefault()
{
    enforcement::Policy policy = policy::defaultPolicy();
    for (enforcement::Rule& rule : policy.rules) {
        if (rule.id == "ip_per_minute")
            rule.limit = 6;
        if (rule.id == "free_user_2h")
            rule.limit = 5;
    }
    for (enforcement::Plan& plan : policy.plans) {
        for (enforcement::PlanQuota& quota : plan.quotas) {
            if (quota.metric == "ai_generations" && quota.limit > 0)
                quota.limit = std::min<std::int64_t>(quota.limit, 25);
        }
    }
    return policy;
}

} // namespace

class TestSimulator : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void changedLimitChangesExactlyTheCountedRequests_data();
    void changedLimitChangesExactlyTheCountedRequests();
    void reportMatchesDecisionStream();
    void fidelityFullWhenRecordedBySamePolicy();
    void fidelityListsDisagreements();
    void fidelityThroughCsvRoundTrip();
    void fileSimulationMatchesInMemory();
    void samePolicyTwiceMatchesTwoEngines();
    void cancelStopsTheRun_data();
    void cancelStopsTheRun();
    void warmupBuildsStateWithoutReporting();
    void globalRulesAreWarnedAbout();
    void jsonHasDocumentedKeys();
    void emptyTrace();
};

void TestSimulator::changedLimitChangesExactlyTheCountedRequests_data()
{
    QTest::addColumn<int>("baselineLimit");
    QTest::addColumn<int>("candidateLimit");
    QTest::newRow("20 -> 10") << 20 << 10;
    QTest::newRow("20 -> 19") << 20 << 19;
    QTest::newRow("5 -> 1") << 5 << 1;
    QTest::newRow("10 -> 20 (raised)") << 10 << 20;
    QTest::newRow("unchanged") << 12 << 12;
}

void TestSimulator::changedLimitChangesExactlyTheCountedRequests()
{
    QFETCH(int, baselineLimit);
    QFETCH(int, candidateLimit);

    // 30 clients, 6 minutes, a varying number of requests per client and minute; within a
    // minute request k of a client is denied by a limit L exactly when k >= L.
    TraceBuilder builder;
    std::map<QString, std::uint64_t> deniedByClient, admittedByClient, deniedByEndpoint;
    std::uint64_t newlyDenied = 0, newlyAdmitted = 0, baselineDenied = 0;
    for (int minute = 0; minute < 6; ++minute) {
        std::vector<std::pair<int, int>> order; // (client, k), interleaved across clients
        for (int client = 0; client < 30; ++client) {
            const int count = (client * 7 + minute * 3) % 35;
            for (int k = 0; k < count; ++k)
                order.emplace_back(client, k);
        }
        std::stable_sort(order.begin(), order.end(),
            [](const auto& a, const auto& b) { return a.second < b.second; });
        for (std::size_t i = 0; i < order.size(); ++i) {
            const auto [client, k] = order[i];
            const QByteArray ip = ipOf(client).toLatin1();
            const char* endpoint = k % 3 == 0 ? "/api/a" : "/api/b";
            enforcement::Request request;
            request.ts = kStart + minute * kMinute + static_cast<TimeMs>(i);
            request.ip = ip.constData();
            request.endpoint = endpoint;
            request.method = "GET";
            builder.add(request);
            const bool baseDenies = k >= baselineLimit;
            const bool candDenies = k >= candidateLimit;
            baselineDenied += baseDenies;
            if (!baseDenies && candDenies) {
                ++newlyDenied;
                ++deniedByClient[ipOf(client)];
                ++deniedByEndpoint[QString::fromLatin1(endpoint)];
            }
            if (baseDenies && !candDenies) {
                ++newlyAdmitted;
                ++admittedByClient[ipOf(client)];
            }
        }
    }

    const simulation::Report report
        = simulation::simulate(ipPolicy(baselineLimit), ipPolicy(candidateLimit), builder.trace());
    QVERIFY(!report.cancelled);
    QCOMPARE(report.reportedRequests, builder.trace().size());
    QCOMPARE(report.baseline.denied, baselineDenied);
    QCOMPARE(report.newlyDenied.total, newlyDenied);
    QCOMPARE(report.newlyAdmitted.total, newlyAdmitted);
    QCOMPARE(report.candidate.denied, baselineDenied + newlyDenied - newlyAdmitted);
    QCOMPARE(report.newlyDenied.topClients, sortedCounts(deniedByClient, 20));
    QCOMPARE(report.newlyAdmitted.topClients, sortedCounts(admittedByClient, 20));
    QCOMPARE(report.newlyDenied.byEndpoint, sortedCounts(deniedByEndpoint));
    if (newlyDenied > 0) {
        QCOMPARE(report.newlyDenied.byRule,
            (QList<simulation::NamedCount> { { u"ip_rule"_s, newlyDenied } }));
        QCOMPARE(report.newlyDenied.byReason,
            (QList<simulation::NamedCount> { { u"rate_limited"_s, newlyDenied } }));
        QCOMPARE(report.newlyDenied.byPlan,
            (QList<simulation::NamedCount> { { u"anonymous"_s, newlyDenied } }));
    } else {
        QVERIFY(report.newlyDenied.byRule.isEmpty());
    }
    QVERIFY(report.newlyDenied.topUsers.isEmpty()); // every request is anonymous
}

void TestSimulator::reportMatchesDecisionStream()
{
    const trace::Trace trace = mixedTrace(20000);
    const enforcement::Policy baseline = policy::defaultPolicy();
    const enforcement::Policy candidate = stricterDefault();
    RecordingSink baseSink, candSink;
    simulation::Options options;
    options.baselineSink = &baseSink;
    options.candidateSink = &candSink;
    const simulation::Report report = simulation::simulate(baseline, candidate, trace, options);
    QVERIFY(!report.cancelled);
    const std::size_t n = trace.size();
    QCOMPARE(baseSink.decisions.size(), n);
    QCOMPARE(candSink.decisions.size(), n);
    for (std::size_t i = 0; i < n; ++i)
        QCOMPARE(candSink.indices[i], i);

    const enforcement::Dictionary& dictionary = *trace.dictionary;
    const auto text = [&](enforcement::Field field, std::uint32_t id) {
        return QString::fromUtf8(dictionary.text(field, id));
    };
    // Totals of each policy, straight from its decisions.
    const std::pair<const simulation::PolicyTotals*, const RecordingSink*> runs[]
        = { { &report.baseline, &baseSink }, { &report.candidate, &candSink } };
    for (const auto& [totals, sink] : runs) {
        std::uint64_t allowed = 0, collisions = 0, keyed = 0, incidents = 0;
        std::array<std::uint64_t, enforcement::kReasonCount> byReason {};
        std::map<QString, std::uint64_t> byRule;
        enforcement::MicroUsd cost = 0;
        const enforcement::Policy& policy = totals == &report.baseline ? baseline : candidate;
        for (std::size_t i = 0; i < n; ++i) {
            const Decision& d = sink->decisions[i];
            allowed += d.allowed;
            ++byReason[static_cast<std::size_t>(d.reason)];
            if (!d.allowed && d.rule >= 0)
                ++byRule[QString::fromStdString(policy.rules[static_cast<std::size_t>(d.rule)].id)];
            if (d.allowed)
                cost += d.costMicroUsd;
            collisions += d.collision != 0;
            keyed += trace.requests[i].idempotencyKey != 0;
            incidents += d.incidents;
        }
        QCOMPARE(totals->requests, n);
        QCOMPARE(totals->allowed, allowed);
        QCOMPARE(totals->denied, n - allowed);
        QCOMPARE(totals->byReason, byReason);
        for (const simulation::NamedCount& entry : totals->deniedByRule)
            QCOMPARE(entry.count, byRule[entry.name]);
        QCOMPARE(totals->costAdmitted, cost);
        QCOMPARE(totals->collisions, collisions);
        QCOMPARE(totals->idempotencyRequests, keyed);
        QCOMPARE(totals->incidents, incidents);
    }
    QVERIFY(report.baseline.byReason[static_cast<std::size_t>(Reason::Skipped)] > 0);
    QVERIFY(report.baseline.collisions > 0);

    // The comparison: every request allowed by one and denied by the other, broken down.
    std::map<QString, std::uint64_t> reasons, rules, plans, endpoints, users, clients;
    std::uint64_t newlyDenied = 0, newlyAdmitted = 0, paid = 0, paidDenied = 0;
    std::map<TimeMs, std::array<std::uint64_t, 3>> minutes; // requests, base denied, cand denied
    for (std::size_t i = 0; i < n; ++i) {
        const EncodedRequest& r = trace.requests[i];
        const Decision& b = baseSink.decisions[i];
        const Decision& c = candSink.decisions[i];
        const QString planText = text(enforcement::Field::Plan, r.plan);
        const QString plan = r.user == 0                       ? u"anonymous"_s
            : candidate.planIndex(planText.toStdString()) >= 0 ? planText
                                                               : u"free"_s;
        const bool isPaid = plan == u"pro"_s || plan == u"team"_s || plan == u"enterprise"_s;
        paid += isPaid;
        auto& minute = minutes[(r.ts / kMinute) * kMinute];
        ++minute[0];
        minute[1] += !b.allowed;
        minute[2] += !c.allowed;
        if (b.allowed && !c.allowed) {
            ++newlyDenied;
            paidDenied += isPaid;
            ++reasons[QString::fromLatin1(enforcement::toString(c.reason))];
            ++rules[c.rule >= 0
                    ? QString::fromStdString(candidate.rules[static_cast<std::size_t>(c.rule)].id)
                    : QString()];
            ++plans[plan];
            ++endpoints[text(enforcement::Field::Endpoint, r.endpoint)];
            if (r.user != 0)
                ++users[text(enforcement::Field::User, r.user)];
            // The only proxy in the trace is 10.0.0.1 (trusted): the client is the address it
            // forwarded for.
            ++clients[r.forwardedFor != 0 ? text(enforcement::Field::ForwardedFor, r.forwardedFor)
                                          : text(enforcement::Field::Ip, r.ip)];
        }
        newlyAdmitted += !b.allowed && c.allowed;
    }
    QVERIFY2(newlyDenied > 100, "the stricter candidate must deny more");
    QCOMPARE(report.newlyDenied.total, newlyDenied);
    QCOMPARE(report.newlyAdmitted.total, newlyAdmitted);
    QCOMPARE(report.newlyDenied.byReason, sortedCounts(reasons));
    QCOMPARE(report.newlyDenied.byRule, sortedCounts(rules));
    QCOMPARE(report.newlyDenied.byPlan, sortedCounts(plans));
    QCOMPARE(report.newlyDenied.byEndpoint, sortedCounts(endpoints));
    QCOMPARE(report.newlyDenied.topUsers, sortedCounts(users, 20));
    QCOMPARE(report.newlyDenied.topClients, sortedCounts(clients, 20));
    QCOMPARE(report.paidRequests, paid);
    QCOMPARE(report.paidNewlyDenied, paidDenied);
    QCOMPARE(report.paidDeniedPct, 100.0 * double(paidDenied) / double(paid));
    QCOMPARE(report.costSaved, report.baseline.costAdmitted - report.candidate.costAdmitted);
    QVERIFY(report.costSaved > 0);

    // Time series: per minute (the trace spans less than a day), gaps filled with zeros.
    QCOMPARE(report.bucketMs, kMinute);
    QCOMPARE(report.timeSeries.size(),
        qsizetype((minutes.rbegin()->first - minutes.begin()->first) / kMinute + 1));
    for (const simulation::TimeBucket& bucket : report.timeSeries) {
        const auto found = minutes.find(bucket.start);
        const std::array<std::uint64_t, 3> expected
            = found == minutes.end() ? std::array<std::uint64_t, 3> {} : found->second;
        QCOMPARE(bucket.requests, expected[0]);
        QCOMPARE(bucket.baselineDenied, expected[1]);
        QCOMPARE(bucket.candidateDenied, expected[2]);
    }

    // HighDenialRate (docs/alerting.md): denied / all over the 5 minutes before each minute's
    // end > 20 %, at every evaluation for 2 minutes; evaluated at the end of every minute. The
    // rates are computed as PromQL computes them (each series' increase / 300 s, then summed).
    TimeMs firstHigh = -1;
    std::uint64_t highMinutes = 0;
    TimeMs exceedingSince = -1;
    for (TimeMs end = minutes.begin()->first + kMinute; end <= minutes.rbegin()->first + kMinute;
         end += kMinute) {
        double denied = 0;
        double all = 0;
        for (auto it = minutes.lower_bound(end - 5 * kMinute);
             it != minutes.end() && it->first < end; ++it) {
            denied += double(it->second[2]);
            all += double(it->second[0]);
        }
        const double deniedRate = denied / 300;
        const double ratio = deniedRate / ((all - denied) / 300 + deniedRate);
        if (all == 0 || !(ratio > 0.2)) {
            exceedingSince = -1;
            continue;
        }
        if (exceedingSince < 0)
            exceedingSince = end;
        if (end - exceedingSince >= 2 * kMinute) {
            if (firstHigh < 0)
                firstHigh = end - kMinute;
            ++highMinutes;
        }
    }
    const auto alert = std::find_if(report.alerts.begin(), report.alerts.end(),
        [&](const auto& a) { return a.rule == u"HighDenialRate"_s && a.policy == u"candidate"_s; });
    if (firstHigh < 0) {
        QVERIFY(alert == report.alerts.end());
    } else {
        QVERIFY(alert != report.alerts.end());
        QCOMPARE(alert->firstMinute, firstHigh);
        QCOMPARE(alert->minutes, highMinutes);
    }
    QVERIFY(!report.fidelity.available); // the trace records no decisions
}

namespace {

/// Records the decisions of `policy` into the trace, as a live system would have logged them.
void recordDecisions(trace::Trace& trace, const enforcement::Policy& policy)
{
    RecordingSink sink;
    simulation::Options options;
    options.baselineSink = &sink;
    trace.recorded.clear();
    simulation::simulate(policy, policy, trace, options);
    for (const Decision& d : sink.decisions) {
        trace::RecordedDecision recorded;
        recorded.present = true;
        recorded.status = static_cast<std::int16_t>(d.status);
        recorded.reason = d.reason;
        recorded.hasReason = true;
        recorded.allowed = d.allowed;
        recorded.rule
            = d.rule >= 0 ? trace.internRule(policy.rules[static_cast<std::size_t>(d.rule)].id) : 0;
        trace.recorded.push_back(recorded);
    }
}

} // namespace

void TestSimulator::fidelityFullWhenRecordedBySamePolicy()
{
    trace::Trace trace = mixedTrace(5000);
    const enforcement::Policy policy = policy::defaultPolicy();
    recordDecisions(trace, policy);
    const simulation::Report report = simulation::simulate(policy, stricterDefault(), trace);
    QVERIFY(report.fidelity.available);
    QCOMPARE(report.fidelity.compared, trace.size());
    QCOMPARE(report.fidelity.agreed, trace.size());
    QCOMPARE(report.fidelity.agreementPct, 100.0);
    QVERIFY(report.fidelity.disagreements.isEmpty());
}

void TestSimulator::fidelityListsDisagreements()
{
    trace::Trace trace = mixedTrace(5000);
    const enforcement::Policy live = stricterDefault();
    recordDecisions(trace, live);
    const enforcement::Policy baseline = policy::defaultPolicy();

    RecordingSink sink;
    simulation::Options options;
    options.baselineSink = &sink;
    const simulation::Report report = simulation::simulate(baseline, live, trace, options);
    std::vector<std::size_t> differing;
    for (std::size_t i = 0; i < trace.size(); ++i) {
        const Decision& d = sink.decisions[i];
        const trace::RecordedDecision& r = trace.recorded[i];
        if (d.allowed != r.allowed || d.status != r.status || d.reason != r.reason
            || (d.rule >= 0 ? trace.ruleName(r.rule) != baseline.rules[std::size_t(d.rule)].id
                            : r.rule != 0))
            differing.push_back(i);
    }
    QVERIFY(differing.size() > 100);
    QVERIFY(report.fidelity.available);
    QCOMPARE(report.fidelity.compared, trace.size());
    QCOMPARE(report.fidelity.agreed, trace.size() - differing.size());
    QVERIFY(report.fidelity.agreementPct < 100.0);
    QCOMPARE(report.fidelity.disagreements.size(), 100);
    for (int k = 0; k < 100; ++k) {
        const simulation::Disagreement& d = report.fidelity.disagreements[k];
        const std::size_t i = differing[static_cast<std::size_t>(k)];
        QCOMPARE(d.index, i);
        QCOMPARE(d.requestId, QString(u"r"_s + QString::number(i)));
        QCOMPARE(d.recorded.allowed, trace.recorded[i].allowed);
        QCOMPARE(d.simulated.allowed, sink.decisions[i].allowed);
        QCOMPARE(d.simulated.reason,
            QString::fromLatin1(enforcement::toString(sink.decisions[i].reason)));
    }
}

void TestSimulator::fidelityThroughCsvRoundTrip()
{
    // What `quotactl simulate` sees: a trace file with the decision columns a live system wrote.
    trace::Trace trace = mixedTrace(3000);
    const enforcement::Policy policy = policy::defaultPolicy();
    recordDecisions(trace, policy);
    QBuffer buffer;
    QVERIFY(buffer.open(QIODevice::WriteOnly));
    QVERIFY(trace::writeCsv(trace, buffer));
    const trace::ReadResult read = trace::readTraceData(buffer.data(), trace::Format::Csv);
    QVERIFY2(read.ok(), qPrintable(read.fatal));
    QCOMPARE(read.trace.size(), trace.size());
    const simulation::Report report = simulation::simulate(policy, policy, read.trace);
    QVERIFY(report.fidelity.available);
    QCOMPARE(report.fidelity.compared, trace.size());
    QCOMPARE(report.fidelity.agreementPct, 100.0);
}

void TestSimulator::fileSimulationMatchesInMemory()
{
    // simulateFile() reads while it decides, in chunks (several of them here), and never holds
    // the trace: the report and the decision stream must be those of readTrace() + simulate().
    trace::Trace trace = mixedTrace(120000);
    recordDecisions(trace, ipPolicy(3)); // fidelity with disagreements
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"trace.csv"_s);
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(trace::writeCsv(trace, file));
    }
    const enforcement::Policy baseline = policy::defaultPolicy();
    const enforcement::Policy candidate = ipPolicy(25, "1m",
        R"(,{"id":"user_rule","scope":"user","algorithm":"sliding_window","window":"10m",)"
        R"("limit":40})");
    // The whole trace on one thread; the streamed runs read it on several threads (ranges of
    // 64 KiB: a few dozen), which must decide exactly the same.
    auto run = [&](bool streamed, RecordingSink* baseSink, RecordingSink* candSink,
                   int parseThreads = 3) {
        simulation::Options options;
        options.warmupMs = 5 * kMinute;
        options.baselineSink = baseSink;
        options.candidateSink = candSink;
        options.maxDisagreements = 30;
        simulation::Report report;
        trace::ReadOptions reading;
        reading.parseThreads = streamed ? parseThreads : 1;
        reading.parseRangeBytes = 64 * 1024;
        if (streamed) {
            bool started = false;
            const simulation::FileSimulation file = simulation::simulateFile(
                baseline, candidate, path, reading, options, {}, [&] { return started = true; });
            if (!file.read.ok() || !started)
                qFatal("simulateFile failed: %s", qPrintable(file.read.fatal));
            report = file.report;
        } else {
            const trace::ReadResult read = trace::readTrace(path, reading);
            if (!read.ok())
                qFatal("readTrace failed: %s", qPrintable(read.fatal));
            report = simulation::simulate(baseline, candidate, read.trace, options);
        }
        QJsonObject json = simulation::toJson(report);
        json.remove(u"elapsed_s"_s);
        json.remove(u"events_per_s"_s);
        return json;
    };
    RecordingSink wholeBase, wholeCand, fileBase, fileCand;
    const QJsonObject whole = run(false, &wholeBase, &wholeCand);
    const QJsonObject streamed = run(true, &fileBase, &fileCand);
    QCOMPARE(streamed, whole);
    // Without decision sinks the reader keeps only the request ids of rows with a recorded
    // decision: the report, the disagreements' request ids included, is the same.
    const QJsonObject unsunk = run(true, nullptr, nullptr);
    QCOMPARE(unsunk, whole);
    // And on the calling thread alone.
    RecordingSink serialBase, serialCand;
    QCOMPARE(run(true, &serialBase, &serialCand, 1), whole);
    QVERIFY(serialCand.decisions == wholeCand.decisions);
    QVERIFY(serialBase.decisions == wholeBase.decisions);
    QVERIFY(whole[u"fidelity"_s][u"disagreements"_s].toArray().size() == 30);
    QVERIFY(whole[u"newly_denied"_s][u"total"_s].toInteger() > 0);
    QCOMPARE(fileCand.indices, wholeCand.indices);
    QCOMPARE(fileBase.indices, wholeBase.indices);
    QVERIFY(fileCand.decisions == wholeCand.decisions);
    QVERIFY(fileBase.decisions == wholeBase.decisions);
    QVERIFY(wholeCand.decisions.size() > 100000);
}

void TestSimulator::samePolicyTwiceMatchesTwoEngines()
{
    // A policy against itself is decided by one engine for both sides: the report and both
    // decision streams are those of two engines deciding the policy each (`version` does not
    // change a decision, but makes the two policies differ).
    trace::Trace trace = mixedTrace(60000);
    const enforcement::Policy policy = ipPolicy(3);
    recordDecisions(trace, policy::defaultPolicy()); // fidelity with disagreements
    enforcement::Policy twin = policy;
    twin.version = 2;
    auto run = [&](const enforcement::Policy& candidate, RecordingSink& baseSink,
                   RecordingSink& candSink) {
        simulation::Options options;
        options.warmupMs = 5 * kMinute;
        options.baselineSink = &baseSink;
        options.candidateSink = &candSink;
        QJsonObject json
            = simulation::toJson(simulation::simulate(policy, candidate, trace, options));
        json.remove(u"elapsed_s"_s);
        json.remove(u"events_per_s"_s);
        return json;
    };
    RecordingSink onceBase, onceCand, twoBase, twoCand;
    const QJsonObject once = run(policy, onceBase, onceCand);
    const QJsonObject two = run(twin, twoBase, twoCand);
    QCOMPARE(once, two);
    QVERIFY(once[u"baseline"_s][u"denied"_s].toInteger() > 0);
    QVERIFY(once[u"fidelity"_s][u"compared"_s].toInteger() > 0);
    QVERIFY(onceBase.decisions.size() > 50000);
    QCOMPARE(onceBase.indices, twoBase.indices);
    QCOMPARE(onceCand.indices, twoCand.indices);
    QVERIFY(onceBase.decisions == twoBase.decisions);
    QVERIFY(onceCand.decisions == twoCand.decisions);
}

void TestSimulator::cancelStopsTheRun_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("stop requested before") << u"token-before"_s;
    QTest::newRow("stop requested while running") << u"token-during"_s;
    QTest::newRow("progress returns false") << u"progress"_s;
}

void TestSimulator::cancelStopsTheRun()
{
    QFETCH(QString, how);
    static const trace::Trace trace = mixedTrace(400000); // built once for the three rows
    SlowSink sink; // more than 2 s for the whole trace
    std::stop_source stop;
    simulation::Options options;
    options.candidateSink = &sink;
    options.stopToken = stop.get_token();
    int progressCalls = 0;
    if (how == u"token-before"_s)
        stop.request_stop();
    options.progress = [&](std::uint64_t done, std::uint64_t total) {
        ++progressCalls;
        [&] { QCOMPARE(total, trace.size()); }();
        Q_UNUSED(done);
        if (how == u"token-during"_s)
            stop.request_stop();
        return how != u"progress"_s;
    };
    const auto started = std::chrono::steady_clock::now();
    const simulation::Report report
        = simulation::simulate(policy::defaultPolicy(), stricterDefault(), trace, options);
    const auto elapsed = std::chrono::steady_clock::now() - started;
    QVERIFY(report.cancelled);
    QVERIFY2(sink.seen < trace.size(), "the candidate must not have decided every request");
    QVERIFY(elapsed < std::chrono::milliseconds(1500));
    if (how != u"token-before"_s)
        QVERIFY(progressCalls >= 1);
    QVERIFY(report.newlyDenied.total == 0 && report.timeSeries.isEmpty());
}

void TestSimulator::warmupBuildsStateWithoutReporting()
{
    // One client, daily limit 5: five requests in the first hour, five in the second.
    TraceBuilder builder;
    for (int i = 0; i < 10; ++i) {
        enforcement::Request request;
        request.ts = kStart + (i < 5 ? i * kMinute : enforcement::kHour + (i - 5) * kMinute);
        request.ip = "203.0.113.9";
        request.endpoint = "/api/items";
        request.method = "GET";
        builder.add(request);
    }
    const enforcement::Policy policy = ipPolicy(5, "1d");
    RecordingSink sink;
    simulation::Options options;
    options.warmupMs = enforcement::kHour;
    options.baselineSink = &sink;
    const simulation::Report warm = simulation::simulate(policy, policy, builder.trace(), options);
    QCOMPARE(warm.warmupRequests, 5u);
    QCOMPARE(warm.reportedRequests, 5u);
    QCOMPARE(warm.baseline.requests, 5u);
    // The day's five were used up during the warm-up: every reported request is denied.
    QCOMPARE(warm.baseline.denied, 5u);
    QCOMPARE(sink.indices, (std::vector<std::size_t> { 5, 6, 7, 8, 9 }));
    QCOMPARE(warm.timeSeries.constFirst().start, kStart + enforcement::kHour);

    const simulation::Report cold = simulation::simulate(policy, policy, builder.trace());
    QCOMPARE(cold.reportedRequests, 10u);
    QCOMPARE(cold.baseline.denied, 5u);

    // A request exactly at the end of the warm-up is reported.
    options.warmupMs = enforcement::kHour - 1;
    options.baselineSink = nullptr;
    QCOMPARE(simulation::simulate(policy, policy, builder.trace(), options).reportedRequests, 5u);
}

void TestSimulator::globalRulesAreWarnedAbout()
{
    const enforcement::Policy plain = ipPolicy(10);
    const enforcement::Policy global = ipPolicy(10, "1m",
        R"(,{"id":"all_traffic","scope":"global","algorithm":"fixed_window","window":"1s","limit":1000})");
    TraceBuilder builder;
    enforcement::Request request;
    request.ts = kStart;
    request.ip = "203.0.113.1";
    request.endpoint = "/api/items";
    builder.add(request);
    QVERIFY(simulation::simulate(plain, plain, builder.trace()).warnings.isEmpty());
    const simulation::Report report = simulation::simulate(plain, global, builder.trace());
    QCOMPARE(report.warnings.size(), 1);
    QVERIFY(report.warnings.constFirst().contains(u"all_traffic"_s));
    QVERIFY(report.warnings.constFirst().contains(u"sharded"_s));
}

void TestSimulator::jsonHasDocumentedKeys()
{
    const trace::Trace trace = mixedTrace(3000);
    const simulation::Report report
        = simulation::simulate(policy::defaultPolicy(), stricterDefault(), trace);
    const QJsonObject json = simulation::toJson(report);
    for (const QString& key : { u"trace"_s, u"baseline"_s, u"candidate"_s, u"newly_denied"_s,
             u"newly_admitted"_s, u"paid_requests"_s, u"paid_newly_denied"_s, u"paid_denied_pct"_s,
             u"cost_saved_usd"_s, u"cost_saved_micro_usd"_s, u"alerts"_s, u"time_series"_s,
             u"fidelity"_s, u"warnings"_s, u"cancelled"_s, u"elapsed_s"_s, u"events_per_s"_s })
        QVERIFY2(json.contains(key), qPrintable(key));
    const QJsonObject candidate = json[u"candidate"_s].toObject();
    QCOMPARE(candidate[u"requests"_s].toInteger(), qint64(report.candidate.requests));
    QCOMPARE(candidate[u"by_reason"_s].toObject()[u"rate_limited"_s].toInteger(),
        qint64(report.candidate.byReason[std::size_t(Reason::RateLimited)]));
    const QJsonObject denied = json[u"newly_denied"_s].toObject();
    QCOMPARE(denied[u"total"_s].toInteger(), qint64(report.newlyDenied.total));
    const QJsonArray byPlan = denied[u"by_plan"_s].toArray();
    QCOMPARE(byPlan.size(), report.newlyDenied.byPlan.size());
    QCOMPARE(byPlan.first()[u"plan"_s].toString(), report.newlyDenied.byPlan.first().name);
    QCOMPARE(json[u"paid_denied_pct"_s].toDouble(), report.paidDeniedPct);
    QCOMPARE(json[u"time_series"_s][u"bucket"_s].toString(), u"minute"_s);
    QCOMPARE(json[u"time_series"_s][u"buckets"_s].toArray().size(), report.timeSeries.size());
    QVERIFY(!simulation::toText(report).isEmpty());
    QVERIFY(simulation::toText(report).contains(u"Newly denied"_s));
}

void TestSimulator::emptyTrace()
{
    TraceBuilder builder;
    const simulation::Report report
        = simulation::simulate(ipPolicy(1), ipPolicy(2), builder.trace());
    QVERIFY(!report.cancelled);
    QCOMPARE(report.reportedRequests, 0u);
    QVERIFY(report.timeSeries.isEmpty());
    QVERIFY(report.alerts.isEmpty());
}

QTEST_GUILESS_MAIN(TestSimulator)
#include "tst_simulator.moc"
