// `quotactl loadgen --backfill` against a real PostgreSQL (tests/support): a two-day history
// through the C++ core, bulk-loaded with COPY. The rollups agree with the raw logs, the day
// partitions are attached with their indexes, incidents/blocks/collisions/subscriptions are
// written, and the end state live traffic continues from (quota usage, fixed-window counters)
// is exactly what the logged requests add up to. History is never written twice; an
// interrupted backfill leaves nothing.

#include "live/backfill.h"
#include "livetests.h"
#include "support/quotactlrun.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>

using namespace Qt::StringLiterals;
using qc::livetest::rollupDifferences;
using qc::livetest::scalar;
using qc::testsupport::sqlCall;
using qc::testsupport::TestCluster;
namespace ef = qc::enforcement;

namespace {

ef::TimeMs nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch())
        .count();
}

qc::live::BackfillOptions options(const QString& database, ef::TimeMs endMs)
{
    qc::live::BackfillOptions o;
    o.conninfo = TestCluster::instance().conninfo(database).toStdString();
    o.endMs = endMs;
    o.lengthMs = 2 * ef::kDay;
    o.requestsPerDay = 12000;
    o.users = 1500;
    o.ips = 6000;
    return o;
}

// Rows of `a` not in `b` plus rows of `b` not in `a`.
int differences(QSqlDatabase db, const QString& a, const QString& b)
{
    const auto r = sqlCall(db,
        u"SELECT (SELECT count(*) FROM ((%1) EXCEPT ALL (%2)) x) + (SELECT count(*) FROM ((%2) "
        "EXCEPT ALL (%1)) y)"_s.arg(a, b));
    if (!r.ok)
        qWarning("%s", r.describe().constData());
    return r.ok ? r.value().toInt() : -1;
}

} // namespace

class TestBackfill : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QC_REQUIRE_CLUSTER(); }
    void cleanup() { TestCluster::instance().cleanup(); }

    void twoDaysOfHistory()
    {
        const QString name = qc::livetest::databaseWithDefaultPolicy();
        QVERIFY(!name.isEmpty());
        const ef::TimeMs end = nowMs();
        QList<int> progress;
        const qc::live::BackfillSummary s
            = qc::live::Backfill(options(name, end)).run([&](int done, int) { progress << done; });
        QVERIFY2(s.error.isEmpty(), qPrintable(s.error));
        QVERIFY(!s.skipped);
        QCOMPARE(s.days, 3); // two days ending now touch three UTC dates
        QVERIFY(!progress.isEmpty() && progress.last() == 3);
        QSqlDatabase db = TestCluster::instance().open(name);

        QCOMPARE(
            scalar(db, u"SELECT count(*) FROM quota.request_logs"_s).toULongLong(), s.requests);
        QVERIFY(s.requests > 24000);
        QCOMPARE(scalar(db, u"SELECT count(*) FROM quota.request_logs WHERE ts < ? OR ts >= ?"_s,
                     { QDateTime::fromMSecsSinceEpoch(end - 2 * ef::kDay, Qt::UTC),
                         QDateTime::fromMSecsSinceEpoch(end, Qt::UTC) })
                     .toInt(),
            0);
        QCOMPARE(scalar(db, u"SELECT count(*) FROM quota.request_logs WHERE decision = 'denied'"_s)
                     .toULongLong(),
            s.denied);
        QCOMPARE(rollupDifferences(db),
            u"minute: 0, identifier: 0, hour: 0, total: 0, tiers: 0, day: 0"_s);

        // Attached day partitions with the parent's four indexes each; nothing staged is left,
        // and the rollups have their indexes again.
        QCOMPARE(scalar(db,
                     u"SELECT count(*) FROM pg_inherits WHERE inhparent = "
                     "'quota.request_logs'::regclass"_s)
                     .toInt(),
            3);
        QCOMPARE(scalar(db,
                     u"SELECT count(*) FROM pg_indexes WHERE schemaname = 'quota' AND tablename "
                     "LIKE 'request_logs_p%'"_s)
                     .toInt(),
            12);
        QCOMPARE(scalar(db, u"SELECT count(*) FROM pg_tables WHERE tablename LIKE 'backfill%'"_s)
                     .toInt(),
            0);
        QCOMPARE(scalar(db,
                     u"SELECT count(*) FROM pg_indexes WHERE tablename IN ('rollup_minute', "
                     "'rollup_identifier_hour')"_s)
                     .toInt(),
            3);
        QVERIFY(
            scalar(db,
                u"SELECT count(*) FROM pg_constraint WHERE conname = 'rollup_identifier_hour_pkey'"_s)
                .toInt()
            == 1);

        // The population, its starting plans and the plan changes of the history.
        QCOMPARE(scalar(db, u"SELECT count(*) FROM quota.subscriptions"_s).toULongLong(), s.users);
        QCOMPARE(scalar(db, u"SELECT count(*) FROM quota.plan_change_log WHERE kind = 'initial'"_s)
                     .toULongLong(),
            s.users);
        QVERIFY(s.planChanges > 0);
        QCOMPARE(scalar(db, u"SELECT count(*) FROM quota.plan_change_log WHERE kind <> 'initial'"_s)
                     .toULongLong(),
            s.planChanges);

        // Incidents with their auto blocks (the bot burst from one /24), collisions.
        QCOMPARE(
            scalar(db, u"SELECT count(*) FROM quota.abuse_incidents"_s).toULongLong(), s.incidents);
        QVERIFY(s.blocks > 0);
        QCOMPARE(scalar(db,
                     u"SELECT count(*) FROM quota.blocked_identifiers b JOIN quota.abuse_incidents "
                     "i ON i.id = b.incident_id WHERE b.source = 'auto' AND b.value = i.identifier "
                     "AND b.blocked_from = i.ts AND b.blocked_until = i.blocked_until"_s)
                     .toULongLong(),
            s.blocks);
        QVERIFY(scalar(db,
                    u"SELECT count(*) FROM quota.blocked_identifiers WHERE value LIKE "
                    "'203.0.113.%'"_s)
                    .toInt()
            > 0);
        QVERIFY(scalar(db,
                    u"SELECT count(*) FROM quota.request_logs WHERE reason = 'blocked' AND ip LIKE "
                    "'203.0.113.%'"_s)
                    .toInt()
            > 0);
        QVERIFY(s.collisions > 0);
        QCOMPARE(scalar(db, u"SELECT count(*) FROM quota.idempotency_collisions"_s).toULongLong(),
            s.collisions);
        QCOMPARE(scalar(db, u"SELECT count(*) FROM quota.request_logs WHERE collision <> 0"_s)
                     .toULongLong(),
            s.collisions);

        // Quota usage per user, metric and cycle is the count of admitted requests.
        const QString usageFromLogs = u"SELECT user_id, CASE WHEN endpoint IN ('/api/chat', "
                                      "'/api/generate') OR endpoint LIKE '/api/ai/%' THEN "
                                      "'ai_generations' ELSE 'api_calls' END, date_trunc('month', "
                                      "ts, 'UTC'), count(*) FROM quota.request_logs WHERE reason = "
                                      "'admitted' AND user_id IS NOT NULL AND endpoint LIKE "
                                      "'/api/%' GROUP BY 1, 2, 3"_s;
        QCOMPARE(differences(db, usageFromLogs,
                     u"SELECT user_id, metric, cycle_start, used FROM quota.quota_usage"_s),
            0);

        // Fixed-window counters containing the end are the admitted requests of their window.
        const QString clientKey
            = u"quota.enf_client_key(quota.enf_client_address(ip, forwarded_for, (SELECT "
              "trusted_proxies FROM quota.enf_settings WHERE version_id = "
              "quota.enf_active_version())))"_s;
        struct Window {
            QString rule;
            qint64 ms;
            QString identifier;
            QString filter;
        };
        const Window windows[] = {
            { u"ip_per_minute"_s, ef::kMinute, clientKey, u"true"_s },
            { u"ip_per_hour"_s, ef::kHour, clientKey, u"true"_s },
            { u"ip_per_day"_s, ef::kDay, clientKey, u"true"_s },
            { u"free_user_2h"_s, 2 * ef::kHour, u"user_id"_s, u"plan = 'free'"_s },
        };
        for (const Window& w : windows) {
            const qint64 from = end / w.ms * w.ms;
            const QString logs = u"SELECT %1, count(*) FROM quota.request_logs WHERE reason = "
                                 "'admitted' AND ts >= timestamptz 'epoch' + %2 * interval '1 "
                                 "millisecond' AND %3 GROUP BY 1"_s.arg(w.identifier)
                                     .arg(from)
                                     .arg(w.filter);
            const QString counters = u"SELECT identifier, curr_count FROM quota.rate_counters "
                                     "WHERE rule_id = '%1' AND win_index = %2"_s.arg(w.rule)
                                         .arg(end / w.ms);
            QCOMPARE(differences(db, logs, counters), 0);
        }
        // (A window that has just begun may hold nothing yet; all of them cannot.)
        QVERIFY(scalar(db, u"SELECT count(*) FROM quota.rate_counters"_s).toInt() > 0);
        // Live traffic continues from them: the hottest client of the day has that much less
        // left (the per-day window is the tightest for it or the limit already holds).
        QSqlQuery hot(db);
        QVERIFY(hot.exec(u"SELECT identifier, curr_count FROM quota.rate_counters WHERE rule_id = "
                         "'ip_per_day' AND identifier NOT LIKE '%:%' AND identifier NOT IN "
                         "(SELECT value FROM quota.blocked_identifiers) ORDER BY curr_count DESC "
                         "LIMIT 1"_s));
        if (!hot.next())
            QSKIP("the UTC day has just begun: no per-day counter to continue from");
        const auto check = sqlCall(db,
            u"SELECT allowed, reason, remaining FROM quota.quota_check(timestamptz 'epoch' + "
            "?::bigint * interval '1 millisecond', 'r1', ?, NULL, NULL, NULL, '/api/items', "
            "'GET', 'curl/8', 'US', NULL, NULL)"_s,
            { qlonglong(end + 1), hot.value(0) });
        QVERIFY2(check.ok, check.describe().constData());
        const int used = hot.value(1).toInt();
        if (used >= 300)
            QCOMPARE(check.value(1).toString(), u"rate_limited"_s);
        else
            QVERIFY(check.value(2).toInt() <= 300 - used - 1);
    }

    void historyIsWrittenOnce()
    {
        const QString name = qc::livetest::databaseWithDefaultPolicy();
        QVERIFY(!name.isEmpty());
        const ef::TimeMs end = nowMs();
        auto o = options(name, end);
        o.lengthMs = ef::kDay / 2;
        const auto first = qc::live::Backfill(o).run();
        QVERIFY2(first.error.isEmpty(), qPrintable(first.error));
        QSqlDatabase db = TestCluster::instance().open(name);
        const qint64 rows = scalar(db, u"SELECT count(*) FROM quota.request_logs"_s).toLongLong();

        const auto again = qc::live::Backfill(o).run();
        QVERIFY2(
            again.error.contains(u"already has request logs between"_s), qPrintable(again.error));
        o.skipWhenPresent = true;
        const auto skipped = qc::live::Backfill(o).run();
        QVERIFY2(skipped.error.isEmpty(), qPrintable(skipped.error));
        QVERIFY(skipped.skipped);
        QCOMPARE(scalar(db, u"SELECT count(*) FROM quota.request_logs"_s).toLongLong(), rows);

        // An earlier range is fine, and rollups of its hours kept from before (their logs
        // dropped) are added to, not overwritten.
        o.skipWhenPresent = false;
        o.endMs = end - ef::kDay;
        const QString bucket
            = QDateTime::fromMSecsSinceEpoch(o.endMs - ef::kHour, Qt::UTC).toString(Qt::ISODate);
        QVERIFY(sqlCall(db,
            u"INSERT INTO quota.rollup_minute VALUES (date_trunc('minute', ?::timestamptz), "
            "'/kept', '', 'allowed', 'admitted', 5, '{5,0,0,0,0,0,0,0,0,0,0,0,0}', 5, 2.5, 10, 0, "
            "0, 0, 0)"_s,
            { bucket })
                    .ok);
        const auto earlier = qc::live::Backfill(o).run();
        QVERIFY2(earlier.error.isEmpty(), qPrintable(earlier.error));
        QCOMPARE(scalar(db, u"SELECT sum(requests) FROM quota.rollup_minute"_s).toLongLong(),
            scalar(db, u"SELECT count(*) FROM quota.request_logs"_s).toLongLong() + 5);
    }

    void interruptedBackfillLeavesNothing()
    {
        const QString name = qc::livetest::databaseWithDefaultPolicy();
        QVERIFY(!name.isEmpty());
        std::atomic<bool> cancel { false };
        const auto s = qc::live::Backfill(options(name, nowMs()))
                           .run(
                               [&](int done, int) {
                                   if (done >= 1)
                                       cancel = true;
                               },
                               &cancel);
        QVERIFY2(s.error.contains(u"interrupted"_s), qPrintable(s.error));
        QSqlDatabase db = TestCluster::instance().open(name);
        for (const QString& table : { u"request_logs"_s, u"rollup_minute"_s,
                 u"rollup_identifier_hour"_s, u"subscriptions"_s, u"abuse_incidents"_s })
            QCOMPARE(scalar(db, u"SELECT count(*) FROM quota."_s + table).toInt(), 0);
        QCOMPARE(scalar(db, u"SELECT count(*) FROM pg_tables WHERE tablename LIKE 'backfill%'"_s)
                     .toInt(),
            0);
    }

    void fromTheCommandLine()
    {
        const QString name = qc::livetest::databaseWithDefaultPolicy();
        QVERIFY(!name.isEmpty());
        QTemporaryDir dir;
        const QString summary = dir.filePath(u"s.json"_s);
        QProcess process;
        process.start(qc::testsupport::quotactlPath(),
            { u"loadgen"_s, u"--db"_s, TestCluster::instance().conninfo(name), u"--backfill"_s,
                u"6h"_s, u"--backfill-per-day"_s, u"8000"_s, u"--backfill-only"_s,
                u"--no-metrics"_s, u"--summary-json"_s, summary });
        QVERIFY(process.waitForFinished(60000));
        const QString out = QString::fromUtf8(process.readAllStandardOutput());
        QVERIFY2(process.exitCode() == 0,
            qPrintable(out + QString::fromUtf8(process.readAllStandardError())));
        QVERIFY2(out.startsWith(u"backfill: "_s), qPrintable(out));
        QFile file(summary);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject b
            = QJsonDocument::fromJson(file.readAll()).object()[u"backfill"_s].toObject();
        QSqlDatabase db = TestCluster::instance().open(name);
        QCOMPARE(qint64(b[u"requests"_s].toDouble()),
            scalar(db, u"SELECT count(*) FROM quota.request_logs"_s).toLongLong());
        QVERIFY(!file.readAll().contains("live"));
    }
};

QTEST_GUILESS_MAIN(TestBackfill)
#include "tst_backfill.moc"
