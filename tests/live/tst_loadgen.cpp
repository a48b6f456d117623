// quotactl loadgen against a real PostgreSQL (tests/support): every decided request is logged,
// the rollups agree with the raw logs, the /metrics endpoint (scraped over HTTP and parsed by
// core/metrics) counts exactly what the database holds, SIGTERM/SIGINT stop the real command
// cleanly, a db_hiccup fails open, plan changes go through the audited change_plan.

#include "live/loadgenerator.h"
#include "live/metricsregistry.h"
#include "live/metricsserver.h"
#include "livetests.h"
#include "metrics/scraper.h"
#include "policy/policyjson.h"
#include "support/quotactlrun.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <map>

using namespace Qt::StringLiterals;
using qc::livetest::rollupDifferences;
using qc::livetest::scalar;
using qc::testsupport::sqlCall;
using qc::testsupport::TestCluster;
namespace ef = qc::enforcement;

namespace {

struct Run {
    qc::live::LoadSummary summary;
    qc::metrics::ScrapeResult scrape;
};

qc::live::LiveScenario scenario(const QString& text)
{
    QString error;
    const auto parsed = qc::live::parseLiveScenario(text, &error);
    if (!parsed)
        qFatal("bad scenario %s: %s", qPrintable(text), qPrintable(error));
    return *parsed;
}

// Runs the load generator in this process with its metrics endpoint, then scrapes the endpoint
// once over HTTP, the way Prometheus does.
Run runLoad(const QString& database, qc::live::LoadOptions options)
{
    options.conninfo = TestCluster::instance().conninfo(database).toStdString();
    Run run;
    qc::live::MetricsRegistry registry;
    qc::live::MetricsServer server(&registry);
    if (!server.listen().isEmpty())
        return run;
    qc::live::LoadGenerator generator(options, &registry);
    if (const QString error = generator.start(); !error.isEmpty()) {
        run.summary.error = error;
        return run;
    }
    if (!QTest::qWaitFor([&] { return generator.isFinished(); }, 60000))
        generator.requestStop();
    run.summary = generator.wait();
    QNetworkAccessManager network;
    qc::metrics::Scraper scraper(&network);
    QSignalSpy finished(&scraper, &qc::metrics::Scraper::finished);
    scraper.scrape({ server.url(), {}, std::chrono::seconds(10) });
    if (finished.wait(15000))
        run.scrape = finished.first().first().value<qc::metrics::ScrapeResult>();
    return run;
}

const qc::metrics::MetricFamily* family(const Run& run, const QString& name)
{
    for (const auto& f : run.scrape.families) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

// The samples of a family as "label values joined by |" → value.
std::map<QString, double> byLabels(const qc::metrics::MetricFamily* f, const QStringList& labels)
{
    std::map<QString, double> out;
    if (!f)
        return out;
    for (const auto& sample : f->samples) {
        QStringList key;
        for (const QString& label : labels)
            key << f->labelValue(sample, label);
        out[key.join(u'|')] = sample.value;
    }
    return out;
}

std::map<QString, double> fromDatabase(QSqlDatabase db, const QString& sql)
{
    std::map<QString, double> out;
    QSqlQuery q(db);
    if (!q.exec(sql))
        qWarning("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
    while (q.next())
        out[q.value(0).toString()] = q.value(1).toDouble();
    return out;
}

// Drops zero-valued entries (series declared before their first event).
std::map<QString, double> nonZero(std::map<QString, double> values)
{
    std::erase_if(values, [](const auto& entry) { return entry.second == 0; });
    return values;
}

QString describe(const std::map<QString, double>& values)
{
    QStringList out;
    for (const auto& [key, value] : values)
        out << key + u'=' + QString::number(value, 'g', 12);
    return out.join(u", "_s);
}

} // namespace

class TestLoadgen : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QC_REQUIRE_CLUSTER(); }
    void cleanup() { TestCluster::instance().cleanup(); }

    void trafficIsLoggedAndMetricsMatchTheDatabase()
    {
        const QString name = qc::livetest::databaseWithDefaultPolicy();
        QVERIFY(!name.isEmpty());
        qc::live::LoadOptions options;
        options.rate = 120;
        options.diurnal = false;
        options.durationMs = 4000;
        options.connections = 4;
        // 16 bot addresses at 200/s for 4 s: about 50 each, well past 20 per minute.
        options.scenarios = { scenario(u"bot_burst@0:4s:200"_s), scenario(u"buggy_client@0:4s:8"_s),
            scenario(u"cost_spike@0:4s:3"_s) };
        const Run run = runLoad(name, options);
        QVERIFY2(run.summary.error.isEmpty(), qPrintable(run.summary.error));
        QVERIFY2(run.scrape.health.up, qPrintable(run.scrape.health.error));
        QSqlDatabase db = TestCluster::instance().open(name);

        const auto& p = run.summary.progress;
        // About 1,300 requests are due in 4 s; a loaded machine sheds some of them (--max-lag),
        // which the counts below must account for as well.
        QVERIFY2(p.decided > 200, qPrintable(QString::number(p.decided)));
        QCOMPARE(p.logged, p.decided);
        QCOMPARE(scalar(db, u"SELECT count(*) FROM quota.request_logs"_s).toULongLong(), p.decided);
        QCOMPARE(rollupDifferences(db),
            u"minute: 0, identifier: 0, hour: 0, total: 0, tiers: 0, day: 0"_s);
        QVERIFY(
            scalar(db, u"SELECT count(*) FROM quota.request_logs WHERE reason = 'rate_limited'"_s)
                .toInt()
            > 0);
        QVERIFY(
            scalar(db, u"SELECT count(*) FROM quota.request_logs WHERE collision <> 0"_s).toInt()
            > 0);

        // Counter by counter, the endpoint says what the database says.
        const auto decisions = byLabels(
            family(run, u"quota_decisions"_s), { u"decision"_s, u"reason"_s, u"endpoint"_s });
        const auto dbDecisions = fromDatabase(db,
            u"SELECT decision || '|' || reason || '|' || endpoint, count(*) FROM "
            "quota.request_logs GROUP BY 1"_s);
        QVERIFY2(decisions == dbDecisions,
            qPrintable(describe(decisions) + u"\nvs\n"_s + describe(dbDecisions)));

        const auto keyed = byLabels(family(run, u"quota_idempotency_requests"_s), {});
        QCOMPARE(keyed.at(QString()),
            scalar(
                db, u"SELECT count(*) FROM quota.request_logs WHERE idempotency_key IS NOT NULL"_s)
                .toDouble());
        const auto collisions
            = byLabels(family(run, u"quota_idempotency_collisions"_s), { u"kind"_s });
        const auto dbCollisions = fromDatabase(db,
            u"SELECT CASE WHEN collision & 4 <> 0 THEN 'user_agent' WHEN collision & 2 <> 0 THEN "
            "'late' ELSE 'parameters' END, count(*) FROM quota.request_logs WHERE collision <> 0 "
            "GROUP BY 1"_s);
        QVERIFY2(nonZero(collisions) == dbCollisions, qPrintable(describe(collisions)));
        const auto hits = byLabels(family(run, u"quota_rate_limit_hits"_s), { u"rule"_s });
        const auto dbHits = fromDatabase(db,
            u"SELECT rule, count(*) FROM quota.request_logs WHERE reason = 'rate_limited' GROUP BY "
            "1"_s);
        QVERIFY2(
            nonZero(hits) == dbHits, qPrintable(describe(hits) + u" vs "_s + describe(dbHits)));
        QCOMPARE(hits.size(), std::size_t(4)); // every enforcing rule of the default policy
        const auto cost = byLabels(family(run, u"quota_cost_usd"_s), { u"endpoint"_s });
        const auto dbCost = fromDatabase(db,
            u"SELECT endpoint, sum(cost_usd) FROM quota.request_logs WHERE decision = 'allowed' "
            "GROUP BY 1"_s);
        QCOMPARE(cost.size(), dbCost.size());
        for (const auto& [endpoint, usd] : dbCost)
            QVERIFY2(qAbs(cost.at(endpoint) - usd) < 1e-9, qPrintable(endpoint));
        QCOMPARE(byLabels(family(run, u"quota_db_errors"_s), {}).at(QString()), 0.0);
        const auto incidents
            = byLabels(family(run, u"quota_abuse_incidents"_s), { u"pattern"_s, u"action"_s });
        const auto dbIncidents = fromDatabase(db,
            u"SELECT pattern_id || '|' || action, count(*) FROM quota.abuse_incidents GROUP BY 1"_s);
        QVERIFY2(nonZero(incidents) == dbIncidents,
            qPrintable(describe(incidents) + u" vs "_s + describe(dbIncidents)));
        // Every pattern of the policy has its series from the start, so the first incident counts.
        QCOMPARE(incidents.size(), qc::policy::defaultPolicy().abuse.size());

        // The histogram is the minute rollup's latency histogram, bucket for bucket.
        const auto* histogram = family(run, u"quota_check_duration_seconds"_s);
        QVERIFY(histogram);
        const auto series = qc::metrics::histogramSeries(*histogram);
        QCOMPARE(series.size(), std::size_t(1));
        QSqlQuery buckets(db);
        QVERIFY(buckets.exec(u"SELECT i, sum(b) FROM quota.rollup_minute, unnest(latency_buckets) "
                             "WITH ORDINALITY AS t(b, i) GROUP BY i ORDER BY i"_s));
        double cumulative = 0;
        for (const auto& bucket : series[0].buckets) {
            QVERIFY(buckets.next());
            cumulative += buckets.value(1).toDouble();
            QCOMPARE(bucket.count, cumulative);
        }
        QCOMPARE(*series[0].count, double(p.decided));
        QVERIFY(
            qAbs(*series[0].sum * 1000
                - scalar(db, u"SELECT sum(quota_check_ms) FROM quota.request_logs"_s).toDouble())
            < 1e-6 * double(p.decided));
    }

    void stopSignalsEndCleanly_data()
    {
        QTest::addColumn<int>("signal");
        QTest::newRow("SIGTERM") << int(SIGTERM);
        QTest::newRow("SIGINT") << int(SIGINT);
    }

    // The real command, as the demo starts it: a stop signal mid-run finishes what is being
    // handled, logs it, and exits 0 with as many rows as decisions.
    void stopSignalsEndCleanly()
    {
        QFETCH(int, signal);
        const QString name = qc::livetest::databaseWithDefaultPolicy();
        QVERIFY(!name.isEmpty());
        QTemporaryDir dir;
        const QString summaryFile = dir.filePath(u"summary.json"_s);
        QProcess process;
        process.start(qc::testsupport::quotactlPath(),
            { u"loadgen"_s, u"--db"_s, TestCluster::instance().conninfo(name), u"--rate"_s,
                u"150"_s, u"--flat"_s, u"--connections"_s, u"6"_s, u"--scenario"_s,
                u"bot_burst@0:1m:30"_s, u"--summary-json"_s, summaryFile, u"--quiet"_s });
        QVERIFY(process.waitForStarted());
        QVERIFY(QTest::qWaitFor(
            [&] { return process.canReadLine() || process.state() != QProcess::Running; }, 20000));
        const QString first = QString::fromUtf8(process.readLine());
        QVERIFY2(first.startsWith(u"metrics: http://127.0.0.1:"_s), qPrintable(first));
        QSqlDatabase db = TestCluster::instance().open(name);
        QVERIFY(QTest::qWaitFor(
            [&] { return scalar(db, u"SELECT count(*) FROM quota.request_logs"_s).toInt() > 200; },
            30000));
        ::kill(pid_t(process.processId()), signal);
        QVERIFY(process.waitForFinished(30000));
        const QString out = QString::fromUtf8(process.readAllStandardOutput());
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QVERIFY2(process.exitCode() == 0, qPrintable(out + err));
        QVERIFY2(out.contains(u"live: "_s), qPrintable(out));
        QFile file(summaryFile);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject live
            = QJsonDocument::fromJson(file.readAll()).object()[u"live"_s].toObject();
        const qint64 decided = qint64(live[u"decided"_s].toDouble());
        QVERIFY(decided > 200);
        QCOMPARE(qint64(live[u"logged"_s].toDouble()), decided);
        QCOMPARE(qint64(live[u"unlogged"_s].toDouble()), 0);
        QCOMPARE(scalar(db, u"SELECT count(*) FROM quota.request_logs"_s).toLongLong(), decided);
        QCOMPARE(rollupDifferences(db),
            u"minute: 0, identifier: 0, hour: 0, total: 0, tiers: 0, day: 0"_s);
    }

    void hiccupFailsOpen()
    {
        const QString name = qc::livetest::databaseWithDefaultPolicy();
        QVERIFY(!name.isEmpty());
        qc::live::LoadOptions options;
        options.rate = 60;
        options.diurnal = false;
        options.durationMs = 4000;
        options.connections = 4;
        options.checkTimeoutMs = 150;
        options.scenarios = { scenario(u"db_hiccup@+1s:2s"_s) };
        const Run run = runLoad(name, options);
        QVERIFY2(run.summary.error.isEmpty(), qPrintable(run.summary.error));
        QSqlDatabase db = TestCluster::instance().open(name);
        const auto& p = run.summary.progress;
        QCOMPARE(p.hiccups, std::uint64_t(1));
        QVERIFY2(p.failOpen >= 10, qPrintable(QString::number(p.failOpen)));
        QCOMPARE(p.logged, p.decided);
        // Logged as the service decided them: allowed by fail_mode open, fail_open = true,
        // after a check that ran into the query timeout.
        QCOMPARE(
            scalar(db, u"SELECT count(*) FROM quota.request_logs WHERE fail_open"_s).toULongLong(),
            p.failOpen);
        QCOMPARE(scalar(db,
                     u"SELECT count(*) FROM quota.request_logs WHERE fail_open AND (reason <> "
                     "'fail_open' OR decision <> 'allowed' OR status <> 200 OR quota_check_ms < "
                     "140)"_s)
                     .toInt(),
            0);
        QCOMPARE(byLabels(family(run, u"quota_db_errors"_s), {}).at(QString()), double(p.dbErrors));
        // Every failed check was decided by fail_mode; a log call that timed out as well (a busy
        // machine) is retried, not lost.
        QCOMPARE(p.dbErrors, p.failOpen + p.logRetries);
        QCOMPARE(scalar(db, u"SELECT sum(fail_open) FROM quota.rollup_minute"_s).toULongLong(),
            p.failOpen);
        QCOMPARE(rollupDifferences(db),
            u"minute: 0, identifier: 0, hour: 0, total: 0, tiers: 0, day: 0"_s);
        // Checks after the hiccup are decided by the database again.
        QVERIFY(scalar(db,
                    u"SELECT count(*) FROM quota.request_logs WHERE NOT fail_open AND ts > "
                    "(SELECT max(ts) FROM quota.request_logs WHERE fail_open)"_s)
                    .toInt()
            > 0);
    }

    void planChangesAreAudited()
    {
        const QString name = qc::livetest::databaseWithDefaultPolicy();
        QVERIFY(!name.isEmpty());
        qc::live::LoadOptions options;
        options.rate = 5;
        options.diurnal = false;
        // The scenario's changes all fall in its first 2 s (upgrades at 10-40 %, downgrades at
        // 60-90 % of the window); the run goes on for 8 s more, so that they reach even a
        // database slowed by a full test suite on two cores (each change is a transaction of
        // its own, played in order with the requests).
        options.durationMs = 10000;
        options.users = 400; // the scenario changes the plans of 5 of them
        options.scenarios = { scenario(u"plan_change@0:2s:5"_s) };
        const Run run = runLoad(name, options);
        QVERIFY2(run.summary.error.isEmpty(), qPrintable(run.summary.error));
        QVERIFY2(run.summary.warnings.isEmpty(), qPrintable(run.summary.warnings.join(u'\n')));
        QSqlDatabase db = TestCluster::instance().open(name);
        QCOMPARE(run.summary.progress.planChanges, std::uint64_t(10));
        QCOMPARE(scalar(db, u"SELECT count(*) FROM quota.plan_change_log WHERE kind = 'upgrade'"_s)
                     .toInt(),
            5);
        QCOMPARE(
            scalar(db, u"SELECT count(*) FROM quota.plan_change_log WHERE kind = 'downgrade'"_s)
                .toInt(),
            5);
        // Every change is an audited admin action (initial plan + upgrade + downgrade).
        QCOMPARE(
            scalar(db, u"SELECT count(*) FROM quota.admin_audit_log WHERE action = 'change_plan'"_s)
                .toInt(),
            15);
        QVERIFY(scalar(db, u"SELECT quota.verify_audit_chain() IS NULL"_s).toBool());
        // Users whose last change was a downgrade keep the previous plan until the grace end
        // (7 days); after an upgrade there is none.
        const QString last = u"(SELECT kind FROM quota.plan_change_log l WHERE l.user_id = "
                             "s.user_id ORDER BY effective_at DESC, id DESC LIMIT 1)"_s;
        QCOMPARE(
            scalar(db,
                u"SELECT count(*) FROM quota.subscriptions s WHERE (%1 = 'downgrade') <> "
                "(previous_plan IS NOT NULL AND grace_end > now() + interval '6 days')"_s.arg(last))
                .toInt(),
            0);
    }

    void commandLineErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("rate") << QStringList { u"--rate"_s, u"fast"_s } << 2
                              << u"--rate 'fast' is not a number"_s;
        QTest::newRow("scenario") << QStringList { u"--scenario"_s, u"bots@+1m"_s } << 2
                                  << u"'bots' is not a scenario"_s;
        QTest::newRow("duration") << QStringList { u"--duration"_s, u"5x"_s } << 2
                                  << u"--duration '5x' is not a duration"_s;
        QTest::newRow("backfill options")
            << QStringList { u"--backfill-only"_s } << 2 << u"need --backfill D"_s;
        QTest::newRow("connection string")
            << QStringList { u"--db"_s, u"hots=x"_s } << 2 << u"invalid connection option"_s;
        QTest::newRow("no policy") << QStringList { u"@empty"_s } << 1 << u"--init-policy"_s;
        QTest::newRow("unreachable")
            << QStringList { u"--db"_s, u"host=/nonexistent port=1"_s, u"--duration"_s, u"1s"_s }
            << 1 << u"cannot connect to the quota database"_s;
    }

    void commandLineErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        if (arguments.value(0) == u"@empty"_s) {
            QC_TEST_DATABASE(name);
            arguments
                = { u"--db"_s, TestCluster::instance().conninfo(name), u"--duration"_s, u"1s"_s };
        }
        QProcess process;
        process.start(qc::testsupport::quotactlPath(), QStringList { u"loadgen"_s } + arguments);
        QVERIFY(process.waitForFinished(30000));
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QCOMPARE(process.exitCode(), exitCode);
        QVERIFY2(err.contains(message), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestLoadgen)
#include "tst_loadgen.moc"
