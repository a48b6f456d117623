// Replaying the quota database (core/replay): traffic decided by the live SQL functions, read
// back from request_logs with the blocks and plan changes of its time, must be reproduced
// exactly by the same policy (fidelity 100 %); a candidate must deny exactly what an
// independent Engine over the same history denies; the report must count what the decision
// files say.

#include "policy/policyjson.h"
#include "replay/databasetracesource.h"
#include "replay/policyversions.h"
#include "replaytraffic.h"
#include "simulation/decisionwriter.h"
#include "simulation/simulator.h"
#include "support/sqlcall.h"
#include "support/testcluster.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QTest>

#include <map>
#include <set>

using namespace Qt::StringLiterals;
using namespace qc;
using qc::testsupport::sqlCall;
using qc::testsupport::TestCluster;
using replaytest::History;
using replaytest::Step;

namespace {

constexpr qint64 kStart = 1769814000000; // 2026-01-30T23:00:00Z: the traffic crosses a month

enforcement::Policy policyOf(const QByteArray& json)
{
    policy::LoadResult loaded = policy::parsePolicy(json);
    if (!loaded.ok())
        qFatal("replay policy invalid: %s", qPrintable(loaded.errorText()));
    return *loaded.policy;
}

struct Loaded {
    simulation::LoadedTrace trace;
    replay::LoadStats stats;
};

Loaded load(const QString& connection, replay::Range range, int fetchRows = 0,
    simulation::LoadOptions options = {})
{
    replay::DatabaseTraceSource source(connection, range);
    if (fetchRows > 0)
        source.setFetchRows(fetchRows);
    Loaded out { source.load(options), {} };
    out.stats = source.stats();
    return out;
}

std::vector<QJsonObject> jsonLines(const QByteArray& data)
{
    std::vector<QJsonObject> out;
    for (const QByteArray& line : data.split('\n')) {
        if (!line.isEmpty())
            out.push_back(QJsonDocument::fromJson(line).object());
    }
    return out;
}

QList<simulation::NamedCount> sorted(const std::map<QString, std::uint64_t>& counts)
{
    QList<simulation::NamedCount> out;
    for (const auto& [name, count] : counts)
        out.push_back({ name, count });
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.count != b.count ? a.count > b.count : a.name < b.name;
    });
    return out;
}

} // namespace

class TestReplay : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup() { TestCluster::instance().cleanup(); }
    void fidelityIsFullUnderTheSamePolicy();
    void warmupFromTheDatabase();
    void lowerLimitDeniesExactlyWhatTheOracleSays();
    void planStateAtTheStartOfTheRange();
    void readsInBatchesWithProgressAndCancel();
    void baselinesFromPolicyVersions();
    void failOpenRowsAreNotCompared();
    void refusesWhatIsNotAQuotaDatabase();

private:
    QString copy();

    QString m_seed;
    History m_history;
};

void TestReplay::initTestCase()
{
    QC_REQUIRE_CLUSTER();
    m_seed = TestCluster::instance().createDatabase();
    QVERIFY(!m_seed.isEmpty());
    {
        QSqlDatabase db = TestCluster::instance().open(m_seed, u"seed"_s);
        livetest::LiveEnforcer live(db);
        QVERIFY2(live.setPolicy(replaytest::replayPolicy()), qPrintable(live.lastError()));
        replaytest::TrafficGenerator generator(live, db, 20260130, kStart);
        QString error;
        std::optional<History> history = generator.run(1100, &error);
        QVERIFY2(history, qPrintable(error));
        m_history = std::move(*history);
    }
    // Nobody may be connected to a database that is copied; the first copy makes the seed
    // a template that cleanup() keeps.
    QSqlDatabase::database(u"seed"_s, false).close();
    // The history must exercise what the replay claims to handle.
    for (const char* reason : { "admitted", "skipped", "invalid_identifier", "blocked",
             "idempotent_replay", "idempotency_conflict", "rate_limited", "quota_exceeded" })
        QVERIFY2(m_history.reasons[QLatin1String(reason)] > 0, reason);
    for (int kind = 0; kind < 4; ++kind)
        QVERIFY2(m_history.actions[kind] > 0,
            qPrintable(u"no admin action of kind "_s % QString::number(kind)));
    QVERIFY(m_history.incidents > 0);
    qInfo("history: %d requests, %d incidents, actions: %d plan changes, %d blocks, %d manual "
          "lifts, %d auto lifts",
        m_history.requests, m_history.incidents, m_history.actions[0], m_history.actions[1],
        m_history.actions[2], m_history.actions[3]);
}

QString TestReplay::copy()
{
    const QString name
        = TestCluster::instance().createDatabase(TestCluster::Schema::Migrated, m_seed);
    if (name.isEmpty())
        return {};
    TestCluster::instance().open(name, u"replay"_s);
    return name;
}

void TestReplay::fidelityIsFullUnderTheSamePolicy()
{
    QVERIFY(!copy().isEmpty());
    const Loaded loaded = load(u"replay"_s, { m_history.start, m_history.end });
    QVERIFY2(loaded.trace.ok(), qPrintable(loaded.trace.error));
    const trace::Trace& trace = loaded.trace.trace;
    QCOMPARE(trace.size(), static_cast<std::size_t>(m_history.requests));
    QVERIFY(loaded.stats.blocks > 0 && loaded.stats.unblocks > 0 && loaded.stats.planChanges > 0);

    // Requests come back in the order they were decided, ties included, with the decisions
    // recorded live.
    std::size_t i = 0;
    for (const Step& s : m_history.steps) {
        if (s.isAction)
            continue;
        const enforcement::Request r = enforcement::decode(*trace.dictionary, trace.requests[i]);
        QCOMPARE(
            QString::fromUtf8(r.requestId.data(), r.requestId.size()), s.request.live.requestId);
        QCOMPARE(r.ts, s.request.live.ts);
        const trace::RecordedDecision& recorded = trace.recorded[i];
        QVERIFY(recorded.present);
        QCOMPARE(recorded.allowed, s.live.allowed);
        QCOMPARE(int(recorded.status), s.live.status);
        QCOMPARE(QString::fromLatin1(enforcement::toString(recorded.reason)), s.live.reason);
        QCOMPARE(QString::fromStdString(std::string(trace.ruleName(recorded.rule))), s.live.rule);
        ++i;
    }

    replay::PolicyVersionResult baseline
        = replay::loadPolicyVersion(QSqlDatabase::database(u"replay"_s, false));
    QVERIFY2(baseline.ok(), qPrintable(baseline.error));
    QVERIFY(baseline.version->active);
    simulation::Options options;
    const simulation::Report report
        = simulation::simulate(*baseline.policy, *baseline.policy, trace, options);
    QVERIFY(report.fidelity.available);
    QCOMPARE(report.fidelity.compared, trace.size());
    if (report.fidelity.agreed != report.fidelity.compared) {
        const simulation::Disagreement& d = report.fidelity.disagreements.constFirst();
        QFAIL(qPrintable(u"request "_s % d.requestId % u" (#"_s % QString::number(d.index)
            % u"): recorded "_s % d.recorded.reason % u' ' % d.recorded.rule % u", simulated "_s
            % d.simulated.reason % u' ' % d.simulated.rule));
    }
    QCOMPARE(report.fidelity.agreementPct, 100.0);
    QCOMPARE(report.baseline.incidents, static_cast<std::uint64_t>(m_history.incidents));
    QCOMPARE(report.newlyDenied.total, 0U);
}

void TestReplay::warmupFromTheDatabase()
{
    QVERIFY(!copy().isEmpty());
    // Report the last 40 % of the requests; the warm-up reads everything before them.
    std::vector<qint64> times;
    for (const Step& s : m_history.steps) {
        if (!s.isAction)
            times.push_back(s.request.live.ts);
    }
    const qint64 from = times[times.size() * 6 / 10];
    const qint64 to = times.back() + 1;
    const auto reported = std::count_if(
        times.begin(), times.end(), [&](qint64 ts) { return ts >= from && ts < to; });
    const Loaded loaded = load(u"replay"_s, { from, to, from - m_history.start });
    QVERIFY2(loaded.trace.ok(), qPrintable(loaded.trace.error));
    QCOMPARE(loaded.trace.trace.size(), times.size());
    QCOMPARE(loaded.trace.reportFromMs, from);
    const enforcement::Policy policy = policyOf(replaytest::replayPolicy());
    simulation::Options options;
    options.warmupMs = loaded.trace.warmupMs();
    const simulation::Report report
        = simulation::simulate(policy, policy, loaded.trace.trace, options);
    QCOMPARE(report.reportedRequests, static_cast<std::uint64_t>(reported));
    QCOMPARE(report.fidelity.compared, static_cast<std::uint64_t>(reported));
    QCOMPARE(report.fidelity.agreementPct, 100.0);

    // The range is [from, to): a request at `to` is not read.
    const Loaded shorter = load(u"replay"_s, { from, times.back(), 0 });
    QCOMPARE(static_cast<qint64>(shorter.trace.trace.size()),
        std::count_if(times.begin(), times.end(),
            [&](qint64 ts) { return ts >= from && ts < times.back(); }));
}

void TestReplay::lowerLimitDeniesExactlyWhatTheOracleSays()
{
    QVERIFY(!copy().isEmpty());
    const Loaded loaded = load(u"replay"_s, { m_history.start, m_history.end });
    QVERIFY2(loaded.trace.ok(), qPrintable(loaded.trace.error));
    const trace::Trace& trace = loaded.trace.trace;
    const enforcement::Policy baseline = policyOf(replaytest::replayPolicy());
    const enforcement::Policy candidate = policyOf(replaytest::replayPolicy(6, 2));

    QBuffer baselineFile, candidateFile;
    baselineFile.open(QIODevice::WriteOnly);
    candidateFile.open(QIODevice::WriteOnly);
    simulation::DecisionWriter baselineWriter(baseline, *trace.dictionary, baselineFile);
    simulation::DecisionWriter candidateWriter(candidate, *trace.dictionary, candidateFile);
    simulation::Options options;
    options.baselineSink = &baselineWriter;
    options.candidateSink = &candidateWriter;
    options.topN = 1000;
    const simulation::Report report = simulation::simulate(baseline, candidate, trace, options);
    QVERIFY(baselineWriter.flush() && candidateWriter.flush());
    QVERIFY(report.newlyDenied.total > 20);

    // 1. Exactly the oracle's decisions, request by request.
    const std::vector<enforcement::Decision> oracle
        = replaytest::oracleDecisions(candidate, m_history);
    const std::vector<QJsonObject> candidateRows = jsonLines(candidateFile.data());
    const std::vector<QJsonObject> baselineRows = jsonLines(baselineFile.data());
    QCOMPARE(candidateRows.size(), oracle.size());
    QCOMPARE(baselineRows.size(), oracle.size());
    std::vector<const Step*> requests;
    for (const Step& s : m_history.steps) {
        if (!s.isAction)
            requests.push_back(&s);
    }
    for (std::size_t i = 0; i < oracle.size(); ++i) {
        const QJsonObject& row = candidateRows[i];
        const enforcement::Decision& o = oracle[i];
        const QString rule = o.rule >= 0
            ? QString::fromStdString(candidate.rules[static_cast<std::size_t>(o.rule)].id)
            : QString();
        const QString where = u"request "_s % requests[i]->request.live.requestId;
        QCOMPARE(row[u"request_id"_s].toString(), requests[i]->request.live.requestId);
        QVERIFY2(row[u"allowed"_s].toBool() == o.allowed, qPrintable(where));
        QVERIFY2(row[u"status"_s].toInt() == o.status, qPrintable(where));
        QVERIFY2(
            row[u"reason"_s].toString() == QString::fromLatin1(enforcement::toString(o.reason)),
            qPrintable(where % u": "_s % row[u"reason"_s].toString()));
        QVERIFY2(row[u"rule"_s].toString() == rule, qPrintable(where));
        QVERIFY2(
            row[u"limit"_s].toInteger() == o.limit && row[u"reset_at"_s].toInteger() == o.resetAt,
            qPrintable(where));
    }

    // 2. The report's numbers, counted again from the two decision files.
    std::uint64_t newlyDenied = 0, newlyAdmitted = 0, candidateDenied = 0, paid = 0,
                  paidNewlyDenied = 0;
    enforcement::MicroUsd candidateCost = 0, baselineCost = 0;
    std::map<QString, std::uint64_t> byReason, byRule, byEndpoint, byPlan, byUser, admittedByReason,
        candidateReasons;
    for (std::size_t i = 0; i < oracle.size(); ++i) {
        const QJsonObject& b = baselineRows[i];
        const QJsonObject& c = candidateRows[i];
        const replaytest::Request& r = requests[i]->request;
        const auto cost = [](const QJsonObject& row) { // 6 decimals: exact after rounding
            return static_cast<enforcement::MicroUsd>(
                qRound64(row[u"cost_usd"_s].toDouble() * 1e6));
        };
        if (c[u"allowed"_s].toBool())
            candidateCost += cost(c);
        else
            ++candidateDenied;
        if (b[u"allowed"_s].toBool())
            baselineCost += cost(b);
        ++candidateReasons[c[u"reason"_s].toString()];
        const QString plan = r.userId.empty() ? u"anonymous"_s : QString::fromStdString(r.plan);
        const bool isPaid = plan == u"pro"_s || plan == u"team"_s;
        paid += isPaid;
        if (b[u"allowed"_s].toBool() && !c[u"allowed"_s].toBool()) {
            ++newlyDenied;
            paidNewlyDenied += isPaid;
            ++byReason[c[u"reason"_s].toString()];
            ++byRule[c[u"rule"_s].toString()];
            ++byEndpoint[QString::fromStdString(r.endpoint)];
            ++byPlan[plan];
            if (!r.userId.empty())
                ++byUser[QString::fromStdString(r.userId)];
        } else if (!b[u"allowed"_s].toBool() && c[u"allowed"_s].toBool()) {
            ++newlyAdmitted;
            ++admittedByReason[b[u"reason"_s].toString()];
        }
    }
    QCOMPARE(report.newlyDenied.total, newlyDenied);
    QCOMPARE(report.newlyAdmitted.total, newlyAdmitted);
    QCOMPARE(report.candidate.denied, candidateDenied);
    QCOMPARE(report.candidate.costAdmitted, candidateCost);
    QCOMPARE(report.baseline.costAdmitted, baselineCost);
    QCOMPARE(report.costSaved, baselineCost - candidateCost);
    QCOMPARE(report.paidRequests, paid);
    QCOMPARE(report.paidNewlyDenied, paidNewlyDenied);
    QCOMPARE(report.newlyDenied.byReason, sorted(byReason));
    QCOMPARE(report.newlyDenied.byRule, sorted(byRule));
    QCOMPARE(report.newlyDenied.byEndpoint, sorted(byEndpoint));
    QCOMPARE(report.newlyDenied.byPlan, sorted(byPlan));
    QCOMPARE(report.newlyDenied.topUsers, sorted(byUser));
    QCOMPARE(report.newlyAdmitted.byReason, sorted(admittedByReason));
    for (int reason = 0; reason < enforcement::kReasonCount; ++reason) {
        const QString name
            = QString::fromLatin1(enforcement::toString(static_cast<enforcement::Reason>(reason)));
        QCOMPARE(
            report.candidate.byReason[static_cast<std::size_t>(reason)], candidateReasons[name]);
    }
}

void TestReplay::planStateAtTheStartOfTheRange()
{
    // A user downgraded from team to pro an hour before the range, with a two-hour grace: in
    // the range team's unlimited generations still apply until the grace ends, then pro's 40.
    // Without the plan state at the start of the range the replay would deny after 40.
    QC_TEST_DATABASE(name);
    QSqlDatabase db = TestCluster::instance().open(name, u"grace"_s);
    livetest::LiveEnforcer live(db);
    QVERIFY2(live.setPolicy(replaytest::replayPolicy()), qPrintable(live.lastError()));
    const qint64 downgrade = kStart;
    QVERIFY(live.changePlan(u"u1"_s, u"team"_s, downgrade - 1000));
    QVERIFY(sqlCall(db,
        u"SELECT quota.apply_plan_change('u1', 'pro', timestamptz 'epoch' + ?::bigint * "
        u"interval '1 millisecond', interval '2 hours')"_s,
        { downgrade })
                .ok);
    const qint64 from = downgrade + enforcement::kHour;
    int denied = 0;
    for (int i = 0; i < 70; ++i) {
        livetest::LiveRequest r;
        r.ts = from + i * 70000LL; // one every 70 s, crossing the grace end at 60 minutes
        r.requestId = u"g"_s % QString::number(i);
        r.ip = u"192.0.2."_s % QString::number(i % 200 + 1);
        r.userId = u"u1"_s;
        r.plan = u"pro"_s;
        r.endpoint = u"/api/generate"_s;
        const auto result = live.check(r);
        QVERIFY2(result, qPrintable(live.lastError()));
        QVERIFY2(live.complete(r, *result), qPrintable(live.lastError()));
        denied += result->reason == u"quota_exceeded"_s;
    }
    QCOMPARE(denied, 70 - 52); // 52 generations before the grace ended, then over pro's 40
    const Loaded loaded = load(u"grace"_s, { from, from + 70 * 70000LL });
    QVERIFY2(loaded.trace.ok(), qPrintable(loaded.trace.error));
    QCOMPARE(loaded.stats.planChanges, 2U); // previous plan, then current with its grace end
    const enforcement::Policy policy = policyOf(replaytest::replayPolicy());
    const simulation::Report report = simulation::simulate(policy, policy, loaded.trace.trace, {});
    QCOMPARE(report.fidelity.compared, 70U);
    QCOMPARE(report.fidelity.agreementPct, 100.0);
}

void TestReplay::readsInBatchesWithProgressAndCancel()
{
    QVERIFY(!copy().isEmpty());
    const replay::Range all { m_history.start, m_history.end };
    const Loaded whole = load(u"replay"_s, all);
    QVERIFY(whole.trace.ok());
    QCOMPARE(whole.stats.batches, 1U);

    std::vector<std::uint64_t> counts;
    std::vector<double> fractions;
    simulation::LoadOptions options;
    options.progress = [&](std::uint64_t requests, double fraction) {
        counts.push_back(requests);
        fractions.push_back(fraction);
        return true;
    };
    const Loaded batched = load(u"replay"_s, all, 100, options);
    QVERIFY(batched.trace.ok());
    QCOMPARE(batched.stats.batches, (whole.stats.rows + 99) / 100);
    QCOMPARE(batched.trace.trace.size(), whole.trace.trace.size());
    for (std::size_t i = 0; i < whole.trace.trace.size(); ++i) {
        const auto& a = whole.trace.trace.requests[i];
        const auto& b = batched.trace.trace.requests[i];
        QVERIFY(a.ts == b.ts && a.requestId == b.requestId && a.ip == b.ip && a.user == b.user);
    }
    QCOMPARE(counts.size(), static_cast<std::size_t>(batched.stats.batches));
    QVERIFY(std::is_sorted(counts.begin(), counts.end()));
    QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
    QCOMPARE(counts.back(), static_cast<std::uint64_t>(m_history.requests));
    QCOMPARE(fractions.back(), 1.0);

    // Cancel from progress: the load stops, the connection stays usable.
    int calls = 0;
    simulation::LoadOptions cancelling;
    cancelling.progress = [&](std::uint64_t, double) { return ++calls < 3; };
    const Loaded cancelled = load(u"replay"_s, all, 100, cancelling);
    QVERIFY(cancelled.trace.cancelled);
    QVERIFY(!cancelled.trace.ok());
    QCOMPARE(calls, 3);
    QCOMPARE(cancelled.stats.batches, 3U);
    const testsupport::SqlResult after = sqlCall(
        QSqlDatabase::database(u"replay"_s, false), u"SELECT count(*) FROM quota.request_logs"_s);
    QVERIFY2(after.ok, after.describe());
    QCOMPARE(after.value().toInt(), m_history.requests);
    // A stop requested before the load cancels it too, and loading again works.
    std::stop_source stop;
    stop.request_stop();
    simulation::LoadOptions stopped;
    stopped.stopToken = stop.get_token();
    QVERIFY(load(u"replay"_s, all, 100, stopped).trace.cancelled);
    QVERIFY(load(u"replay"_s, all).trace.ok());
}

void TestReplay::baselinesFromPolicyVersions()
{
    QVERIFY(!copy().isEmpty());
    QSqlDatabase db = QSqlDatabase::database(u"replay"_s, false);
    const replay::PolicyVersionResult active = replay::loadPolicyVersion(db);
    QVERIFY2(active.ok(), qPrintable(active.error));
    const qint64 activeId = active.version->id;
    // An earlier version, and one that is not a valid policy.
    const testsupport::SqlResult older = sqlCall(db,
        u"INSERT INTO quota.policy_versions (policy, reason) VALUES (?::jsonb, 'older') "
        u"RETURNING id"_s,
        { QString::fromUtf8(replaytest::replayPolicy(50, 10)) });
    QVERIFY2(older.ok, older.describe());
    const testsupport::SqlResult broken = sqlCall(db,
        u"INSERT INTO quota.policy_versions (policy, reason) VALUES ('{\"version\": 1, "
        u"\"rules\": [{\"id\": \"x\", \"scope\": \"ip\", \"algorithm\": \"fixed_window\", "
        u"\"window\": \"5x\", \"limit\": 1}], \"plans\": [{\"name\": \"free\"}]}', 'broken') "
        u"RETURNING id"_s);
    QVERIFY2(broken.ok, broken.describe());

    const replay::PolicyVersionResult byId
        = replay::loadPolicyVersion(db, older.value().toLongLong());
    QVERIFY2(byId.ok(), qPrintable(byId.error));
    QVERIFY(!byId.version->active);
    QCOMPARE(byId.version->reason, u"older"_s);
    QCOMPARE(byId.policy->rules.front().limit, 50);

    const replay::PolicyVersionResult invalid
        = replay::loadPolicyVersion(db, broken.value().toLongLong());
    QVERIFY(!invalid.ok());
    QVERIFY2(invalid.error.contains(u"policy.rules[0].window"_s), qPrintable(invalid.error));

    const replay::PolicyVersionResult missing = replay::loadPolicyVersion(db, 999);
    QVERIFY(!missing.ok());
    QVERIFY2(missing.error.contains(u"there is no policy version 999"_s)
            && missing.error.contains(QString::number(activeId) % u" (active)"_s),
        qPrintable(missing.error));
    QCOMPARE(replay::listPolicyVersions(db).size(), 3);

    // A version activated inside the range is worth a warning: part of the traffic was
    // decided under another policy.
    QVERIFY(sqlCall(db,
        u"UPDATE quota.policy_versions SET activated_at = timestamptz 'epoch' + "
        u"?::bigint * interval '1 millisecond' WHERE id = ?"_s,
        { m_history.start + 60000, activeId })
                .ok);
    const Loaded loaded = load(u"replay"_s, { m_history.start, m_history.end });
    QVERIFY(loaded.trace.ok());
    QCOMPARE(loaded.trace.warnings.size(), 1);
    QVERIFY2(loaded.trace.warnings.constFirst().contains(
                 u"policy version "_s % QString::number(activeId) % u" was activated"_s),
        qPrintable(loaded.trace.warnings.constFirst()));
}

void TestReplay::failOpenRowsAreNotCompared()
{
    QVERIFY(!copy().isEmpty());
    QSqlDatabase db = QSqlDatabase::database(u"replay"_s, false);
    // Logged after the database came back: decided without it, after every other request.
    const testsupport::SqlResult logged = sqlCall(db,
        u"SELECT quota.log_request(jsonb_build_object('ts', (timestamptz 'epoch' + ?::bigint * "
        u"interval '1 millisecond')::text, 'request_id', 'fo1', 'endpoint', '/api/items', 'ip', "
        u"'203.0.113.7', 'status', 200, 'decision', 'allowed', 'reason', 'fail_open', "
        u"'fail_open', true))"_s,
        { m_history.end });
    QVERIFY2(logged.ok, logged.describe());
    const Loaded loaded = load(u"replay"_s, { m_history.start, m_history.end + 1 });
    QVERIFY2(loaded.trace.ok(), qPrintable(loaded.trace.error));
    QCOMPARE(loaded.trace.trace.size(), static_cast<std::size_t>(m_history.requests + 1));
    QCOMPARE(loaded.stats.failOpen, 1U);
    QVERIFY(loaded.trace.warnings.join(u' ').contains(u"1 requests were decided fail-open"_s));
    const enforcement::Policy policy = policyOf(replaytest::replayPolicy());
    const simulation::Report report = simulation::simulate(policy, policy, loaded.trace.trace);
    QCOMPARE(report.fidelity.compared, static_cast<std::uint64_t>(m_history.requests));
    QCOMPARE(report.fidelity.agreementPct, 100.0);
}

void TestReplay::refusesWhatIsNotAQuotaDatabase()
{
    const QString empty = TestCluster::instance().createDatabase(TestCluster::Schema::Empty);
    QVERIFY(!empty.isEmpty());
    TestCluster::instance().open(empty, u"empty"_s);
    const Loaded none = load(u"empty"_s, { kStart, kStart + 1000 });
    QVERIFY(!none.trace.ok());
    QVERIFY2(none.trace.error.contains(u"quotactl migrate"_s), qPrintable(none.trace.error));
    const Loaded backwards = load(u"empty"_s, { kStart, kStart });
    QVERIFY2(backwards.trace.error.contains(u"must be after"_s), qPrintable(backwards.trace.error));
    const Loaded noConnection = load(u"no such connection"_s, { kStart, kStart + 1 });
    QVERIFY(!noConnection.trace.error.isEmpty());
}

QTEST_GUILESS_MAIN(TestReplay)
#include "tst_replay.moc"
