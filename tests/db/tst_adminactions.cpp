#include "support/sqlcall.h"
#include "support/testcluster.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QSqlDatabase>
#include <QTest>

#include <thread>

using namespace Qt::StringLiterals;
using qc::testsupport::sqlCall;
using qc::testsupport::SqlResult;
using qc::testsupport::TestCluster;

namespace {

QString defaultPolicy()
{
    QFile f(QStringLiteral(QC_SOURCE_DIR "/resources/policies/default.json"));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// Roles belong to the cluster, so the people are made once for all tests.
QString g_admin, g_admin2, g_operator;

/// A database with the default policy active (made by alice, an admin). Connections are
/// opened on first use: a new server process costs more than most of these tests.
struct Fixture {
    static inline QString seeded; // cloned for every test
    QString database;
    QString admin = g_admin;
    QString admin2 = g_admin2;
    QString operatorRole = g_operator;
    QString error;

    QSqlDatabase su() { return connection(u"su"_s, {}); }
    QSqlDatabase asAdmin() { return connection(u"admin"_s, admin); }
    QSqlDatabase asAdmin2() { return connection(u"admin2"_s, admin2); }
    QSqlDatabase asOperator() { return connection(u"operator"_s, operatorRole); }

    QSqlDatabase connection(const QString& who, const QString& role)
    {
        const QString name = database % u'_' % who;
        return QSqlDatabase::contains(name) ? QSqlDatabase::database(name)
                                            : TestCluster::instance().open(database, name, role);
    }

    bool setUp()
    {
        TestCluster& cluster = TestCluster::instance();
        database = cluster.createDatabase(TestCluster::Schema::Migrated, seeded);
        if (database.isEmpty()) {
            error = cluster.errorString();
            return false;
        }
        return true;
    }

    static QString seed()
    {
        TestCluster& cluster = TestCluster::instance();
        const QString name = cluster.createDatabase();
        QSqlDatabase db = cluster.open(name, u"seeding"_s, g_admin);
        const SqlResult created = sqlCall(db,
            u"SELECT quota.create_policy_version('setup-1', ?::jsonb, 'initial policy')"_s,
            { defaultPolicy() });
        const SqlResult activated
            = sqlCall(db, u"SELECT quota.activate_policy_version('setup-2', 1, 0, 'go live')"_s);
        db.close();
        if (!created.ok || !activated.ok)
            return {};
        return name;
    }
};

#define QC_FIXTURE(f)                                                                              \
    Fixture f;                                                                                     \
    QVERIFY2(f.setUp(), qPrintable(f.error))

#define QC_SQL_OK(result) QVERIFY2((result).ok, (result).describe().constData())

qint64 scalar(QSqlDatabase db, const QString& sql, const QVariantList& params = {})
{
    return sqlCall(db, sql, params).value().toLongLong();
}

} // namespace

class AdminActionsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QC_REQUIRE_CLUSTER();
        TestCluster& cluster = TestCluster::instance();
        g_admin = cluster.createLoginRole(u"alice"_s, { u"quota_admin"_s });
        g_admin2 = cluster.createLoginRole(u"bob"_s, { u"quota_admin"_s });
        g_operator = cluster.createLoginRole(u"olga"_s, { u"quota_operator"_s });
        QVERIFY2(!g_admin.isEmpty() && !g_admin2.isEmpty() && !g_operator.isEmpty(),
            qPrintable(cluster.errorString()));
        Fixture::seeded = Fixture::seed();
        QVERIFY2(!Fixture::seeded.isEmpty(), "cannot seed the fixture database");
    }
    void cleanup() { TestCluster::instance().cleanup(); }

    void everyActionIsAuditedAndTheChainVerifies()
    {
        QC_FIXTURE(f);
        QC_SQL_OK(
            sqlCall(f.asAdmin(), u"SELECT quota.change_plan('c1', 'u1', 'pro', 0, 'trial')"_s));
        QC_SQL_OK(sqlCall(f.asOperator(),
            u"SELECT quota.block('c2', 'ip', '203.0.113.7', 'scraping', now() + interval '1 day')"_s));
        QC_SQL_OK(sqlCall(f.asOperator(), u"SELECT quota.unblock('c3', 1, 1, 'false alarm')"_s));
        QC_SQL_OK(sqlCall(f.su(),
            u"INSERT INTO quota.alerts (rule, severity, fingerprint, starts_at) "
            "VALUES ('denial_rate', 'high', 'fp1', now())"_s));
        QC_SQL_OK(sqlCall(
            f.asOperator(), u"SELECT quota.acknowledge_alert('c4', 1, 1, 'looking into it')"_s));
        QC_SQL_OK(sqlCall(f.asOperator(), u"SELECT quota.unacknowledge_alert('c5', 1, 2, NULL)"_s));
        QC_SQL_OK(sqlCall(f.asAdmin(),
            u"SELECT quota.create_policy_version('c6', ?::jsonb, 'stricter')"_s,
            { defaultPolicy() }));
        QC_SQL_OK(sqlCall(
            f.asAdmin(), u"SELECT quota.activate_policy_version('c7', 2, 1, 'roll out')"_s));
        QC_SQL_OK(sqlCall(f.asAdmin(), u"SELECT quota.rollback_policy('c8', 2, 'too strict')"_s));
        QCOMPARE(scalar(f.su(), u"SELECT id FROM quota.policy_versions WHERE active"_s), 1);

        const QStringList expected
            = { u"create_policy_version"_s, u"activate_policy_version"_s, u"change_plan"_s,
                  u"block"_s, u"unblock"_s, u"acknowledge_alert"_s, u"unacknowledge_alert"_s,
                  u"create_policy_version"_s, u"activate_policy_version"_s, u"rollback_policy"_s };
        const SqlResult actions = sqlCall(f.su(),
            u"SELECT string_agg(action, ',' ORDER BY id), string_agg(actor, ',' ORDER BY id) "
            "FROM quota.admin_audit_log"_s);
        QCOMPARE(actions.value(0).toString(), expected.join(u','));
        const QStringList actors = actions.value(1).toString().split(u',');
        QCOMPARE(actors[2], f.admin);
        QCOMPARE(actors[3], f.operatorRole);

        // Before/after of the unblock, in the same row as the action.
        const SqlResult unblock = sqlCall(f.su(),
            u"SELECT before ->> 'unblocked_by', after ->> 'unblocked_by', reason, target "
            "FROM quota.admin_audit_log WHERE client_action_id = 'c3'"_s);
        QVERIFY(unblock.value(0).isNull());
        QCOMPARE(unblock.value(1).toString(), f.operatorRole);
        QCOMPARE(unblock.value(2).toString(), u"false alarm"_s);
        QCOMPARE(unblock.value(3).toString(), u"ip:203.0.113.7"_s);

        const SqlResult verified = sqlCall(f.asOperator(), u"SELECT quota.verify_audit_chain()"_s);
        QC_SQL_OK(verified);
        QVERIFY2(verified.value().isNull(), "an untouched chain must verify");
    }

    void plansMirrorTheActivePolicy()
    {
        QC_FIXTURE(f);
        const QString plans = u"SELECT string_agg(name || ':' || rank || ':' || paid || ':' || "
                              "display_order, ',' ORDER BY display_order) FROM quota.plans"_s;
        QCOMPARE(sqlCall(f.su(), plans).value().toString(),
            u"free:0:false:0,pro:1:true:1,team:2:true:2,enterprise:3:true:3"_s);
        QC_SQL_OK(sqlCall(f.asAdmin(),
            u"SELECT quota.create_policy_version('m1', '{\"version\": 1, \"plans\": "
            "[{\"name\": \"basic\"}, {\"name\": \"max\", \"rank\": 5, "
            "\"quotas\": {\"api_calls\": 10}}]}', 'two plans')"_s));
        QC_SQL_OK(sqlCall(
            f.asAdmin(), u"SELECT quota.activate_policy_version('m2', 2, 1, 'simplify')"_s));
        QCOMPARE(sqlCall(f.su(), plans).value().toString(), u"basic:0:false:0,max:5:true:1"_s);
        QCOMPARE(
            sqlCall(f.su(), u"SELECT quotas ->> 'api_calls' FROM quota.plans WHERE name = 'max'"_s)
                .value()
                .toInt(),
            10);
        QC_SQL_OK(sqlCall(f.asAdmin(), u"SELECT quota.rollback_policy('m3', 2, 'too simple')"_s));
        QCOMPARE(sqlCall(f.su(), plans).value().toString(),
            u"free:0:false:0,pro:1:true:1,team:2:true:2,enterprise:3:true:3"_s);
    }

    void tamperingIsDetected_data()
    {
        QTest::addColumn<QString>("tamper");
        QTest::addColumn<int>("firstBroken");
        QTest::newRow("reason edited")
            << u"UPDATE quota.admin_audit_log SET reason = 'nothing to see' WHERE id = 3"_s << 3;
        QTest::newRow("after edited")
            << u"UPDATE quota.admin_audit_log SET after = '{}' WHERE id = 2"_s << 2;
        QTest::newRow("actor edited, hash recomputed without the chain")
            << u"UPDATE quota.admin_audit_log SET actor = 'someone', "
               "hash = quota.audit_row_hash(admin_audit_log, NULL) WHERE id = 3"_s
            << 3;
        QTest::newRow("middle row deleted")
            << u"DELETE FROM quota.admin_audit_log WHERE id = 2"_s << 3;
        QTest::newRow("last row deleted")
            << u"DELETE FROM quota.admin_audit_log WHERE id = 4"_s << 4;
    }

    void tamperingIsDetected()
    {
        QFETCH(QString, tamper);
        QFETCH(int, firstBroken);
        QC_FIXTURE(f);
        QC_SQL_OK(
            sqlCall(f.asAdmin(), u"SELECT quota.change_plan('t1', 'u1', 'pro', 0, 'trial')"_s));
        QC_SQL_OK(sqlCall(f.asOperator(), u"SELECT quota.block('t2', 'user', 'u2', 'fraud')"_s));
        QVERIFY(sqlCall(f.su(), u"SELECT quota.verify_audit_chain()"_s).value().isNull());

        // Only someone who can switch the append-only triggers off can do this at all.
        const QString error = TestCluster::instance().execAsSuperuser(
            f.database, u"SET session_replication_role = replica; "_s + tamper);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const SqlResult verified = sqlCall(f.su(), u"SELECT quota.verify_audit_chain()"_s);
        QC_SQL_OK(verified);
        QCOMPARE(verified.value().toInt(), firstBroken);
    }

    void theAuditLogIsAppendOnly_data()
    {
        QTest::addColumn<QString>("statement");
        QTest::newRow("update") << u"UPDATE quota.admin_audit_log SET reason = 'x'"_s;
        QTest::newRow("delete") << u"DELETE FROM quota.admin_audit_log"_s;
        QTest::newRow("truncate") << u"TRUNCATE quota.admin_audit_log"_s;
        QTest::newRow("insert by hand")
            << u"INSERT INTO quota.admin_audit_log (action, target, client_action_id, hash) "
               "VALUES ('change_plan', 'user:x', 'forged', 'x')"_s;
    }

    void theAuditLogIsAppendOnly()
    {
        QFETCH(QString, statement);
        QC_FIXTURE(f);
        // Even the database owner is stopped by the triggers, an admin already by the grants.
        const SqlResult asAdmin = sqlCall(f.asAdmin(), statement);
        QVERIFY(!asAdmin.ok);
        QCOMPARE(asAdmin.sqlState, u"42501"_s);
        if (!statement.startsWith(u"INSERT"_s)) {
            const SqlResult asOwner = sqlCall(f.su(), statement);
            QVERIFY(!asOwner.ok);
            QCOMPARE(asOwner.sqlState, u"42501"_s);
            QVERIFY2(asOwner.message.contains(u"append-only"_s), asOwner.describe().constData());
        }
        QCOMPARE(scalar(f.su(), u"SELECT count(*) FROM quota.admin_audit_log"_s), 2);
    }

    void aStaleFormGetsTheConflict_data()
    {
        QTest::addColumn<QString>("first");
        QTest::addColumn<QString>("second");
        QTest::addColumn<QString>("changedAtSql");
        QTest::newRow("plan change")
            << u"SELECT quota.change_plan('a1', 'u1', 'team', 1, 'upsell')"_s
            << u"SELECT quota.change_plan('b1', 'u1', 'free', 1, 'refund')"_s
            << u"SELECT updated_at FROM quota.subscriptions WHERE user_id = 'u1'"_s;
        QTest::newRow("unblock")
            << u"SELECT quota.unblock('a1', 1, 1, 'resolved')"_s
            << u"SELECT quota.unblock('b1', 1, 1, 'resolved too')"_s
            << u"SELECT unblocked_at FROM quota.blocked_identifiers WHERE id = 1"_s;
        QTest::newRow("acknowledge") << u"SELECT quota.acknowledge_alert('a1', 1, 1, 'mine')"_s
                                     << u"SELECT quota.acknowledge_alert('b1', 1, 1, 'no, mine')"_s
                                     << u"SELECT updated_at FROM quota.alerts WHERE id = 1"_s;
        QTest::newRow("policy activation")
            << u"SELECT quota.activate_policy_version('a1', 2, 1, 'new limits')"_s
            << u"SELECT quota.activate_policy_version('b1', 3, 1, 'other limits')"_s
            << u"SELECT activated_at FROM quota.policy_versions WHERE id = 2"_s;
    }

    void aStaleFormGetsTheConflict()
    {
        QFETCH(QString, first);
        QFETCH(QString, second);
        QFETCH(QString, changedAtSql);
        QC_FIXTURE(f);
        QC_SQL_OK(sqlCall(f.su(),
            u"SELECT quota.apply_plan_change('u1', 'pro', now(), NULL); "
            "SELECT quota.block('s1', 'ip', '198.51.100.1', 'test'); "
            "INSERT INTO quota.alerts (rule, severity, fingerprint, starts_at) "
            "VALUES ('p95', 'high', 'fp', now()); "
            "SELECT quota.create_policy_version('s2', policy, 'v2') FROM quota.policy_versions; "
            "SELECT quota.create_policy_version('s3', policy, 'v3') FROM quota.policy_versions "
            "WHERE id = 1"_s));

        QC_SQL_OK(sqlCall(f.asAdmin(), first));
        const SqlResult stale = sqlCall(f.asAdmin2(), second);
        QVERIFY(!stale.ok);
        QCOMPARE(stale.sqlState, u"QC409"_s);
        const QDateTime when = sqlCall(f.su(), changedAtSql).value().toDateTime().toUTC();
        const QString expected = u"conflict: changed by "_s % f.admin % u" at "_s
            % when.toString(u"yyyy-MM-ddTHH:mm:ssZ"_s);
        QCOMPARE(stale.message, expected);
        QCOMPARE(scalar(f.su(),
                     u"SELECT count(*) FROM quota.admin_audit_log WHERE client_action_id = 'b1'"_s),
            0);
    }

    void aConcurrentChangeWaitsThenConflicts()
    {
        QC_FIXTURE(f);
        QC_SQL_OK(sqlCall(f.su(), u"SELECT quota.apply_plan_change('u1', 'pro', now(), NULL)"_s));
        // Alice's change is in flight (row locked, not committed) when Bob submits his form.
        QC_SQL_OK(sqlCall(f.asAdmin(), u"BEGIN"_s));
        QC_SQL_OK(
            sqlCall(f.asAdmin(), u"SELECT quota.change_plan('a', 'u1', 'team', 1, 'upsell')"_s));

        SqlResult bobs;
        const QString database = f.database;
        const QString bob = f.admin2;
        std::thread other([&] {
            {
                QSqlDatabase db = TestCluster::instance().open(database, u"bob_thread"_s, bob);
                bobs = sqlCall(db, u"SELECT quota.change_plan('b', 'u1', 'free', 1, 'refund')"_s);
            }
            QSqlDatabase::removeDatabase(u"bob_thread"_s);
        });
        // Bob must be waiting for Alice's row lock before she commits.
        QTRY_VERIFY_WITH_TIMEOUT(scalar(f.su(),
                                     u"SELECT count(*) FROM pg_stat_activity "
                                     "WHERE usename = ? AND wait_event_type = 'Lock'"_s,
                                     { bob })
                == 1,
            10000);
        QC_SQL_OK(sqlCall(f.asAdmin(), u"COMMIT"_s));
        other.join();
        QCOMPARE(bobs.sqlState, u"QC409"_s);
        QVERIFY2(bobs.message.startsWith(u"conflict: changed by "_s % f.admin % u" at "_s),
            bobs.describe().constData());
        QCOMPARE(sqlCall(f.su(), u"SELECT plan FROM quota.subscriptions"_s).value().toString(),
            u"team"_s);
    }

    void aRetryAfterALostReplyAppliesOnce()
    {
        QC_FIXTURE(f);
        const QString call = u"SELECT quota.change_plan('retry-1', 'u1', 'pro', 0, 'signup')"_s;
        const SqlResult first = sqlCall(f.asAdmin(), call);
        QC_SQL_OK(first);
        // The reply was lost; the client retries the same action id (even with a stale version).
        const SqlResult again = sqlCall(f.asAdmin(), call);
        QC_SQL_OK(again);
        QCOMPARE(first.json().value(u"replayed"_s).toBool(), false);
        QCOMPARE(again.json().value(u"replayed"_s).toBool(), true);
        QCOMPARE(again.json().value(u"audit_id"_s), first.json().value(u"audit_id"_s));
        QCOMPARE(again.json().value(u"result"_s), first.json().value(u"result"_s));
        QCOMPARE(
            scalar(f.su(), u"SELECT version FROM quota.subscriptions WHERE user_id = 'u1'"_s), 1);
        QCOMPARE(scalar(f.su(), u"SELECT count(*) FROM quota.plan_change_log"_s), 1);

        const QString block
            = u"SELECT quota.block('retry-2', 'network', '192.0.2.0/24', 'abuse')"_s;
        QC_SQL_OK(sqlCall(f.asOperator(), block));
        QC_SQL_OK(sqlCall(f.asOperator(), block));
        QCOMPARE(scalar(f.su(), u"SELECT count(*) FROM quota.blocked_identifiers"_s), 1);
        QCOMPARE(
            scalar(f.su(),
                u"SELECT count(*) FROM quota.admin_audit_log WHERE client_action_id LIKE 'retry-%'"_s),
            2);

        // The same id for a different action is a client bug, not a retry.
        const SqlResult reused
            = sqlCall(f.asOperator(), u"SELECT quota.block('retry-1', 'user', 'u9', 'x')"_s);
        QCOMPARE(reused.sqlState, u"QC422"_s);
        QVERIFY(reused.message.contains(u"change_plan"_s));
    }

    void textIsStoredVerbatim_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("quotes and semicolons")
            << u"x'); DROP TABLE quota.plans; -- \" ; \\ $$ %s %I"_s;
        QTest::newRow("unicode")
            << u"Ünïcödé ✓ 👩‍💻 نام کاربر a\u0301 \u200f"_s;
        QTest::newRow("newlines and tabs") << u"line 1\nline 2\r\n\tindented"_s;
        QTest::newRow("10 kB") << QString(10 * 1024, u'ß');
    }

    void textIsStoredVerbatim()
    {
        QFETCH(QString, text);
        QC_FIXTURE(f);
        const SqlResult blocked = sqlCall(f.asOperator(), u"SELECT quota.block(?, 'user', ?, ?)"_s,
            { QString(u"id "_s + text), text, text });
        QC_SQL_OK(blocked);
        QC_SQL_OK(sqlCall(f.su(),
            u"INSERT INTO quota.alerts (rule, severity, fingerprint, starts_at) "
            "VALUES ('r', 'low', 'f', now())"_s));
        QC_SQL_OK(
            sqlCall(f.asOperator(), u"SELECT quota.acknowledge_alert('ack', 1, 1, ?)"_s, { text }));
        QC_SQL_OK(sqlCall(
            f.asAdmin(), u"SELECT quota.change_plan('plan', ?, 'pro', 0, ?)"_s, { text, text }));

        const SqlResult row
            = sqlCall(f.su(), u"SELECT value, reason FROM quota.blocked_identifiers"_s);
        QCOMPARE(row.value(0).toString(), text);
        QCOMPARE(row.value(1).toString(), text);
        QCOMPARE(sqlCall(f.su(), u"SELECT acknowledge_note FROM quota.alerts"_s).value().toString(),
            text);
        QCOMPARE(
            sqlCall(f.su(), u"SELECT user_id FROM quota.subscriptions"_s).value().toString(), text);
        const SqlResult audit = sqlCall(f.su(),
            u"SELECT target, reason, after ->> 'value' FROM quota.admin_audit_log "
            "WHERE client_action_id = ?"_s,
            { QString(u"id "_s + text) });
        QCOMPARE(audit.value(0).toString(), u"user:"_s + text);
        QCOMPARE(audit.value(1).toString(), text);
        QCOMPARE(audit.value(2).toString(), text);
        QCOMPARE(blocked.json().value(u"result"_s).toObject().value(u"value"_s).toString(), text);
        QVERIFY(sqlCall(f.su(), u"SELECT quota.verify_audit_chain()"_s).value().isNull());
        QCOMPARE(scalar(f.su(), u"SELECT count(*) FROM quota.plans"_s), 4);
    }

    void invalidInputIsRefusedWithItsName_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("not an ip") << u"SELECT quota.block('v', 'ip', '300.1.2.3', 'r')"_s
                                   << u"\"300.1.2.3\" is not an IP address"_s;
        QTest::newRow("ip with a prefix")
            << u"SELECT quota.block('v', 'ip', '10.0.0.0/8', 'r')"_s << u"target network"_s;
        QTest::newRow("host bits in a network")
            << u"SELECT quota.block('v', 'network', '10.0.0.1/8', 'r')"_s
            << u"\"10.0.0.1/8\" is not a network"_s;
        QTest::newRow("unknown target")
            << u"SELECT quota.block('v', 'email', 'a@b', 'r')"_s << u"target \"email\""_s;
        QTest::newRow("no reason")
            << u"SELECT quota.block('v', 'user', 'u1', '  ')"_s << u"reason is required"_s;
        QTest::newRow("end before start")
            << u"SELECT quota.block('v', 'user', 'u1', 'r', now() - interval '1 hour')"_s
            << u"is not after the start"_s;
        QTest::newRow("unknown plan")
            << u"SELECT quota.change_plan('v', 'u1', 'platinum', 0, 'r')"_s
            << u"plan \"platinum\" is not in the active policy"_s;
        QTest::newRow("no reason for a plan change")
            << u"SELECT quota.change_plan('v', 'u1', 'pro', 0, NULL)"_s
            << u"change_plan: reason is required"_s;
        QTest::newRow("no client action id")
            << u"SELECT quota.change_plan(NULL, 'u1', 'pro', 0, 'r')"_s
            << u"client action id is required"_s;
        QTest::newRow("policy without plans")
            << u"SELECT quota.create_policy_version('v', '{\"version\": 1}', 'r')"_s
            << u"policy.plans"_s;
    }

    void invalidInputIsRefusedWithItsName()
    {
        QFETCH(QString, sql);
        QFETCH(QString, mentions);
        QC_FIXTURE(f);
        const SqlResult r = sqlCall(f.asAdmin(), sql);
        QVERIFY(!r.ok);
        QCOMPARE(r.sqlState, u"22023"_s);
        QVERIFY2(r.message.contains(mentions), r.describe().constData());
        QCOMPARE(scalar(f.su(), u"SELECT count(*) FROM quota.admin_audit_log"_s), 2);
    }

    void addressesAreStoredCanonically_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("stored");
        QTest::newRow("ipv4") << u"ip"_s << u" 203.0.113.7 "_s << u"203.0.113.7"_s;
        QTest::newRow("ipv6") << u"ip"_s << u"2001:DB8:0:0::1"_s << u"2001:db8::1"_s;
        QTest::newRow("ipv4-mapped ipv6 is ipv4")
            << u"ip"_s << u"::ffff:198.51.100.9"_s << u"198.51.100.9"_s;
        QTest::newRow("ipv6 /64") << u"network"_s << u"2001:db8:1:2::/64"_s
                                  << u"2001:db8:1:2::/64"_s;
        QTest::newRow("ipv4 /24") << u"network"_s << u"192.0.2.0/24"_s << u"192.0.2.0/24"_s;
    }

    void addressesAreStoredCanonically()
    {
        QFETCH(QString, target);
        QFETCH(QString, value);
        QFETCH(QString, stored);
        QC_FIXTURE(f);
        QC_SQL_OK(
            sqlCall(f.asOperator(), u"SELECT quota.block('c', ?, ?, 'r')"_s, { target, value }));
        QCOMPARE(
            sqlCall(f.su(), u"SELECT value FROM quota.blocked_identifiers"_s).value().toString(),
            stored);
    }

    // docs/enforcement.md §6 through quota.apply_plan_change (ranks: free 0 < pro 1 < team 2).
    void planChanges_data()
    {
        QTest::addColumn<QStringList>("plans"); // applied at day 1, 2, 3, ...
        QTest::addColumn<QString>("plan");
        QTest::addColumn<QString>("previous");
        QTest::addColumn<int>("graceEndDay"); // 0 = none
        QTest::addColumn<QString>("kinds");
        QTest::newRow("first plan: no grace")
            << QStringList { u"pro"_s } << u"pro"_s << QString() << 0 << u"initial"_s;
        QTest::newRow("upgrade at once") << QStringList { u"free"_s, u"team"_s } << u"team"_s
                                         << QString() << 0 << u"initial,upgrade"_s;
        QTest::newRow("downgrade keeps the old plan for 7 days") << QStringList { u"team"_s,
            u"pro"_s } << u"pro"_s << u"team"_s << 9 << u"initial,downgrade"_s;
        QTest::newRow("upgrade during grace clears it") << QStringList { u"team"_s, u"free"_s,
            u"pro"_s } << u"pro"_s << QString() << 0 << u"initial,downgrade,upgrade"_s;
        QTest::newRow("second downgrade: previous is the plan just left")
            << QStringList { u"team"_s, u"pro"_s, u"free"_s } << u"free"_s << u"pro"_s << 10
            << u"initial,downgrade,downgrade"_s;
        QTest::newRow("same plan again changes nothing")
            << QStringList { u"pro"_s, u"pro"_s } << u"pro"_s << QString() << 0 << u"initial"_s;
    }

    void planChanges()
    {
        QFETCH(QStringList, plans);
        QFETCH(QString, plan);
        QFETCH(QString, previous);
        QFETCH(int, graceEndDay);
        QFETCH(QString, kinds);
        QC_FIXTURE(f);
        for (qsizetype i = 0; i < plans.size(); ++i) {
            QC_SQL_OK(
                sqlCall(f.su(), u"SELECT quota.apply_plan_change('u1', ?, ?::timestamptz, NULL)"_s,
                    { plans[i], u"2026-01-%1T00:00:00Z"_s.arg(i + 1, 2, 10, QLatin1Char('0')) }));
        }
        const SqlResult s = sqlCall(f.su(),
            u"SELECT plan, previous_plan, extract(day FROM grace_end)::int, cycle_anchor "
            "FROM quota.subscriptions WHERE user_id = 'u1'"_s);
        QCOMPARE(s.value(0).toString(), plan);
        QCOMPARE(s.value(1).toString(), previous);
        QCOMPARE(s.value(2).toInt(), graceEndDay);
        QCOMPARE(
            s.value(3).toDateTime().toUTC(), QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC));
        QCOMPARE(sqlCall(f.su(),
                     u"SELECT string_agg(kind, ',' ORDER BY id) FROM quota.plan_change_log"_s)
                     .value()
                     .toString(),
            kinds);
    }
};

QTEST_GUILESS_MAIN(AdminActionsTest)
#include "tst_adminactions.moc"
