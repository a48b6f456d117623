// quota.sync_alerts and the evaluator lock (resources/sql/postgres/0005_alert_evaluator.sql)
// against a real PostgreSQL: who may call it, one open alert per fingerprint, acknowledged
// alerts left alone, resolution, the saved rule state.

#include "support/sqlcall.h"
#include "support/testcluster.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using qc::testsupport::sqlCall;
using qc::testsupport::SqlResult;
using qc::testsupport::TestCluster;

namespace {

QString alertJson(const QString& rule, const QString& fingerprint, const QString& state,
    const QString& severity = u"warning"_s, double activeAtMs = 1.7e12, double firedAtMs = 1.7e12)
{
    const QJsonObject alert {
        { u"rule"_s, rule },
        { u"severity"_s, severity },
        { u"labels"_s, QJsonObject { { u"alertname"_s, rule }, { u"severity"_s, severity } } },
        { u"annotations"_s,
            QJsonObject {
                { u"summary"_s, QString(rule + u" summary"_s) }, { u"description"_s, u"d"_s } } },
        { u"fingerprint"_s, fingerprint },
        { u"state"_s, state },
        { u"active_at_ms"_s, activeAtMs },
        { u"fired_at_ms"_s, state == u"firing"_s ? firedAtMs : 0.0 },
        { u"value"_s, 0.5 },
    };
    return QString::fromUtf8(QJsonDocument(alert).toJson(QJsonDocument::Compact));
}

QString array(const QStringList& alerts)
{
    return u'[' % alerts.join(u',') % u']';
}

const QString kSync = u"SELECT quota.sync_alerts(?::text[], ?::jsonb, now())"_s;
const QString kRules = u"{HighDenialRate,RateLimitViolations}"_s;
const QString kLock = u"SELECT pg_try_advisory_lock(quota.alert_evaluator_lock_key())"_s;

struct Fixture {
    QString database;
    QSqlDatabase su;
    QSqlDatabase evaluator;
    QString evaluatorRole;
};

} // namespace

class SyncAlertsTest : public QObject {
    Q_OBJECT

    bool fixture(Fixture& f)
    {
        TestCluster& cluster = TestCluster::instance();
        f.database = cluster.createDatabase();
        if (f.database.isEmpty())
            return false;
        f.su = cluster.open(f.database);
        f.evaluatorRole = cluster.createLoginRole(u"evaluator"_s, { u"quota_evaluator"_s });
        f.evaluator = cluster.open(f.database, {}, f.evaluatorRole);
        return f.su.isOpen() && f.evaluator.isOpen();
    }

    static int count(QSqlDatabase db, const QString& where)
    {
        return sqlCall(db, u"SELECT count(*) FROM quota.alerts WHERE "_s + where).value().toInt();
    }

private Q_SLOTS:
    void initTestCase() { QC_REQUIRE_CLUSTER(); }
    void cleanup() { TestCluster::instance().cleanup(); }

    void onlyEvaluatorsHoldingTheLockMayWrite()
    {
        Fixture f;
        QVERIFY(fixture(f));
        TestCluster& cluster = TestCluster::instance();
        const QString params = array({ alertJson(u"HighDenialRate"_s, u"f1"_s, u"firing"_s) });

        // A viewer (or operator) may not call it at all.
        const QString viewer = cluster.createLoginRole(u"viewer"_s, { u"quota_operator"_s });
        QSqlDatabase asViewer = cluster.open(f.database, {}, viewer);
        SqlResult r = sqlCall(asViewer, kSync, { kRules, params });
        QCOMPARE(r.sqlState, u"42501"_s);

        // An evaluator must hold the lock first.
        r = sqlCall(f.evaluator, kSync, { kRules, params });
        QCOMPARE(r.sqlState, u"55P03"_s);
        QVERIFY2(r.message.contains(u"does not hold the alert evaluator lock"_s),
            r.describe().constData());

        // One session at a time holds it; the holder is named to the others.
        QVERIFY(sqlCall(f.evaluator, kLock).value().toBool());
        QSqlDatabase second = cluster.open(f.database, {}, f.evaluatorRole);
        QVERIFY(sqlCall(second, u"SET application_name = 'second'"_s).ok);
        QCOMPARE(sqlCall(second, kLock).value().toBool(), false);
        r = sqlCall(second, kSync, { kRules, params });
        QCOMPARE(r.sqlState, u"55P03"_s);
        const SqlResult holder = sqlCall(asViewer, u"SELECT quota.alert_evaluator_lock_holder()"_s);
        QVERIFY2(holder.ok, holder.describe().constData());
        QCOMPARE(holder.json().value(u"role"_s).toString(), f.evaluatorRole);
        QVERIFY(holder.json().value(u"pid"_s).toInteger() > 0);

        r = sqlCall(f.evaluator, kSync, { kRules, params });
        QVERIFY2(r.ok, r.describe().constData());
        QCOMPARE(r.json().value(u"opened"_s).toArray().size(), 1);
        QCOMPARE(count(f.su, u"state = 'firing'"_s), 1);
        QCOMPARE(sqlCall(f.su, u"SELECT updated_by FROM quota.alerts"_s).value().toString(),
            f.evaluatorRole);
        // Nobody writes the tables directly.
        r = sqlCall(f.evaluator, u"UPDATE quota.alerts SET state = 'resolved'"_s);
        QCOMPARE(r.sqlState, u"42501"_s);
        r = sqlCall(f.evaluator, u"DELETE FROM quota.alert_rule_state"_s);
        QCOMPARE(r.sqlState, u"42501"_s);
    }

    void oneOpenAlertPerFingerprintAndAcknowledgedStaysAcknowledged()
    {
        Fixture f;
        QVERIFY(fixture(f));
        QVERIFY(sqlCall(f.evaluator, kLock).value().toBool());
        const QString firing = array({ alertJson(u"HighDenialRate"_s, u"f1"_s, u"firing"_s) });
        QVERIFY(sqlCall(f.evaluator, kSync, { kRules, firing }).ok);
        SqlResult again = sqlCall(f.evaluator, kSync, { kRules, firing });
        QVERIFY2(again.ok, again.describe().constData());
        QCOMPARE(again.json().value(u"opened"_s).toArray().size(), 0);
        QCOMPARE(count(f.su, u"true"_s), 1);
        const qint64 id = sqlCall(f.su, u"SELECT id FROM quota.alerts"_s).value().toLongLong();
        QCOMPARE(sqlCall(f.su, u"SELECT starts_at FROM quota.alerts"_s)
                     .value()
                     .toDateTime()
                     .toMSecsSinceEpoch(),
            qint64(1.7e12));

        // An operator acknowledges it; the evaluator, still seeing it firing, leaves it so,
        // and does not move its version (the operator's form does not go stale).
        const QString operatorRole
            = TestCluster::instance().createLoginRole(u"op"_s, { u"quota_operator"_s });
        QSqlDatabase op = TestCluster::instance().open(f.database, {}, operatorRole);
        const SqlResult ack = sqlCall(
            op, u"SELECT quota.acknowledge_alert('ack-1', ?, 1, 'looking into it')"_s, { id });
        QVERIFY2(ack.ok, ack.describe().constData());
        QVERIFY(sqlCall(f.evaluator, kSync, { kRules, firing }).ok);
        SqlResult row = sqlCall(f.su, u"SELECT state, version FROM quota.alerts"_s);
        QCOMPARE(row.value(0).toString(), u"acknowledged"_s);
        QCOMPARE(row.value(1).toInt(), 2);
        QCOMPARE(count(f.su, u"true"_s), 1);

        // Cleared: resolved (acknowledged or not), with the evaluation time as its end.
        SqlResult resolved = sqlCall(f.evaluator, kSync, { kRules, u"[]"_s });
        QVERIFY2(resolved.ok, resolved.describe().constData());
        QCOMPARE(resolved.json().value(u"resolved"_s).toArray().size(), 1);
        QCOMPARE(resolved.json().value(u"resolved"_s).toArray().at(0)[u"id"_s].toInteger(), id);
        row = sqlCall(f.su, u"SELECT state, version, ends_at IS NOT NULL FROM quota.alerts"_s);
        QCOMPARE(row.value(0).toString(), u"resolved"_s);
        QCOMPARE(row.value(1).toInt(), 3);
        QVERIFY(row.value(2).toBool());
        // The operator's stale form now gets a conflict naming the evaluator.
        const SqlResult stale
            = sqlCall(op, u"SELECT quota.unacknowledge_alert('ack-2', ?, 2, 'n')"_s, { id });
        QCOMPARE(stale.sqlState, u"QC409"_s);
        QVERIFY2(stale.message.contains(f.evaluatorRole), stale.describe().constData());

        // Firing again is a new alert.
        QVERIFY(sqlCall(f.evaluator, kSync, { kRules, firing }).ok);
        QCOMPARE(count(f.su, u"state = 'firing'"_s), 1);
        QCOMPARE(count(f.su, u"true"_s), 2);
        QVERIFY(sqlCall(f.su, u"SELECT id FROM quota.alerts WHERE state = 'firing'"_s)
                    .value()
                    .toLongLong()
            != id);
    }

    void otherRulesAreLeftAloneAndPendingIsSaved()
    {
        Fixture f;
        QVERIFY(fixture(f));
        QVERIFY(sqlCall(f.evaluator, kLock).value().toBool());
        QVERIFY(sqlCall(f.evaluator, kSync,
            { u"{HighDenialRate,DatabaseConnectionIssues}"_s,
                array({ alertJson(u"HighDenialRate"_s, u"f1"_s, u"firing"_s),
                    alertJson(
                        u"DatabaseConnectionIssues"_s, u"f2"_s, u"firing"_s, u"critical"_s) }) })
                    .ok);
        QCOMPARE(count(f.su, u"state = 'firing'"_s), 2);
        // A round in which DatabaseConnectionIssues could not be evaluated: its alert stays.
        const SqlResult r = sqlCall(f.evaluator, kSync,
            { u"{HighDenialRate}"_s,
                array({ alertJson(
                    u"HighDenialRate"_s, u"f3"_s, u"pending"_s, u"warning"_s, 1.7e12 + 60000) }) });
        QVERIFY2(r.ok, r.describe().constData());
        QCOMPARE(r.json().value(u"resolved"_s).toArray().size(), 1); // f1
        QCOMPARE(count(f.su, u"state = 'firing' AND fingerprint = 'f2'"_s), 1);
        QCOMPARE(count(f.su, u"fingerprint = 'f3'"_s), 0); // pending: not an alert yet
        const SqlResult saved = sqlCall(f.su,
            u"SELECT string_agg(fingerprint || ':' || state, ',' ORDER BY fingerprint) "
            u"FROM quota.alert_rule_state"_s);
        QCOMPARE(saved.value().toString(), u"f2:firing,f3:pending"_s);
        // Viewers can see the pending alerts (e.g. in the console).
        const QString viewer
            = TestCluster::instance().createLoginRole(u"viewer"_s, { u"quota_viewer"_s });
        QSqlDatabase asViewer = TestCluster::instance().open(f.database, {}, viewer);
        QCOMPARE(
            sqlCall(asViewer, u"SELECT count(*) FROM quota.alert_rule_state"_s).value().toInt(), 2);
    }

    void badInputIsRefusedWithItsPosition()
    {
        Fixture f;
        QVERIFY(fixture(f));
        QVERIFY(sqlCall(f.evaluator, kLock).value().toBool());
        SqlResult r = sqlCall(f.evaluator, kSync, { kRules, u"{\"not\": \"an array\"}"_s });
        QCOMPARE(r.sqlState, u"22023"_s);
        QVERIFY2(r.message.contains(u"must be a JSON array"_s), r.describe().constData());
        r = sqlCall(f.evaluator, kSync,
            { kRules,
                array({ alertJson(u"HighDenialRate"_s, u"f1"_s, u"firing"_s),
                    alertJson(u"SomethingElse"_s, u"f2"_s, u"firing"_s) }) });
        QCOMPARE(r.sqlState, u"22023"_s);
        QVERIFY2(r.message.contains(u"p_active[1]"_s), r.describe().constData());
        r = sqlCall(f.evaluator, kSync,
            { kRules, array({ alertJson(u"HighDenialRate"_s, u"f1"_s, u"burning"_s) }) });
        QCOMPARE(r.sqlState, u"22023"_s);
        QCOMPARE(count(f.su, u"true"_s), 0); // all or nothing
    }
};

QTEST_GUILESS_MAIN(SyncAlertsTest)
#include "tst_syncalerts.moc"
