#include "support/sqlcall.h"
#include "support/testcluster.h"

#include <QFile>
#include <QTest>

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

enum Level { Viewer, Operator, Admin };

// Every statement a person might try, and the least role that may run it (-1: nobody).
struct Attempt {
    const char* name;
    const char* sql;
    int allowedFrom;
};

const Attempt kAttempts[] = {
    { "read subscriptions", "SELECT count(*) FROM quota.subscriptions", Viewer },
    { "read audit log", "SELECT count(*) FROM quota.admin_audit_log", Viewer },
    { "read request logs", "SELECT count(*) FROM quota.request_logs", Viewer },
    { "verify audit chain", "SELECT quota.verify_audit_chain()", Viewer },
    { "block", "SELECT quota.block(gen_random_uuid()::text, 'ip', '192.0.2.1', 'test')", Operator },
    { "unblock", "SELECT quota.unblock(gen_random_uuid()::text, 1, NULL, 'test')", Operator },
    { "acknowledge", "SELECT quota.acknowledge_alert(gen_random_uuid()::text, 1, NULL, 'n')",
        Operator },
    { "change plan", "SELECT quota.change_plan(gen_random_uuid()::text, 'u1', 'team', NULL, 'r')",
        Admin },
    { "create policy",
        "SELECT quota.create_policy_version(gen_random_uuid()::text, policy, 'r') "
        "FROM quota.policy_versions WHERE id = 1",
        Admin },
    { "insert subscription", "INSERT INTO quota.subscriptions (user_id, plan) VALUES ('x', 'pro')",
        -1 },
    { "update subscription", "UPDATE quota.subscriptions SET plan = 'enterprise'", -1 },
    { "delete blocks", "DELETE FROM quota.blocked_identifiers", -1 },
    { "update alerts", "UPDATE quota.alerts SET state = 'resolved'", -1 },
    { "write policy", "UPDATE quota.policy_versions SET active = true", -1 },
    { "plan change without audit", "SELECT quota.apply_plan_change('u1', 'team', now(), NULL)",
        -1 },
    { "log requests", "SELECT quota.log_requests('[]')", -1 },
    { "drop partitions", "SELECT quota.drop_request_logs_before('2100-01-01')", -1 },
    { "create table", "CREATE TABLE quota.mine (x int)", -1 },
};

} // namespace

class RolesTest : public QObject {
    Q_OBJECT

    // One database for the whole table: every attempt runs in a transaction that is rolled back.
    QString m_database;
    QString m_roles[3];

private Q_SLOTS:
    void initTestCase()
    {
        QC_REQUIRE_CLUSTER();
        TestCluster& cluster = TestCluster::instance();
        m_database = cluster.createDatabase();
        QVERIFY2(!m_database.isEmpty(), qPrintable(cluster.errorString()));
        QSqlDatabase su = cluster.open(m_database);
        const QVariantList policy { defaultPolicy() };
        for (const auto& [statement, params] : {
                 std::pair {
                     u"SELECT quota.create_policy_version('p1', ?::jsonb, 'initial')"_s, policy },
                 std::pair { u"SELECT quota.activate_policy_version('p2', 1, 0, 'live')"_s,
                     QVariantList() },
                 std::pair { u"SELECT quota.apply_plan_change('u1', 'pro', now(), NULL)"_s,
                     QVariantList() },
                 std::pair { u"SELECT quota.block('b1', 'user', 'u2', 'test')"_s, QVariantList() },
                 std::pair { u"INSERT INTO quota.alerts (rule, severity, fingerprint, starts_at) "
                             "VALUES ('r', 'low', 'f', now())"_s,
                     QVariantList() },
             }) {
            const SqlResult r = sqlCall(su, statement, params);
            QVERIFY2(r.ok, r.describe().constData());
        }
        const QString groups[3] = { u"quota_viewer"_s, u"quota_operator"_s, u"quota_admin"_s };
        for (int level : { Viewer, Operator, Admin }) {
            m_roles[level] = cluster.createLoginRole(u"person"_s, { groups[level] });
            QVERIFY(!m_roles[level].isEmpty());
            QVERIFY(cluster.open(m_database, u"as_"_s + groups[level], m_roles[level]).isOpen());
        }
    }
    void cleanupTestCase() { TestCluster::instance().cleanup(); }

    void eachRoleMayDoExactlyItsShare_data()
    {
        QTest::addColumn<int>("level");
        QTest::addColumn<QString>("sql");
        QTest::addColumn<bool>("allowed");
        const char* const names[] = { "viewer", "operator", "admin" };
        for (int level : { Viewer, Operator, Admin }) {
            for (const Attempt& a : kAttempts) {
                QTest::addRow("%s: %s", names[level], a.name)
                    << level << QString::fromUtf8(a.sql)
                    << (a.allowedFrom >= 0 && level >= a.allowedFrom);
            }
        }
    }

    void eachRoleMayDoExactlyItsShare()
    {
        QFETCH(int, level);
        QFETCH(QString, sql);
        QFETCH(bool, allowed);
        const QString groups[3] = { u"quota_viewer"_s, u"quota_operator"_s, u"quota_admin"_s };
        QSqlDatabase db = QSqlDatabase::database(u"as_"_s + groups[level]);
        QVERIFY(sqlCall(db, u"BEGIN"_s).ok);
        const SqlResult r = sqlCall(db, sql);
        QVERIFY(sqlCall(db, u"ROLLBACK"_s).ok);
        if (allowed) {
            QVERIFY2(r.ok, r.describe().constData());
        } else {
            QVERIFY2(!r.ok, "must be refused");
            QCOMPARE(r.sqlState, u"42501"_s);
            QVERIFY2(r.message.contains(u"permission denied"_s), r.describe().constData());
        }
    }

    void theFunctionsCheckTheRoleThemselves()
    {
        // Should EXECUTE ever be granted too widely, the function still refuses, and says why.
        TestCluster& cluster = TestCluster::instance();
        const QString name = cluster.createDatabase();
        QVERIFY(cluster
                    .execAsSuperuser(name,
                        u"GRANT EXECUTE ON FUNCTION quota.change_plan(text, text, text, bigint, "
                        "text, timestamptz, interval) TO quota_viewer"_s)
                    .isEmpty());
        const QString role = cluster.createLoginRole(u"viewer"_s, { u"quota_viewer"_s });
        const SqlResult r = sqlCall(cluster.open(name, {}, role),
            u"SELECT quota.change_plan('x', 'u1', 'pro', NULL, 'r')"_s);
        QCOMPARE(r.sqlState, u"42501"_s);
        QCOMPARE(r.message,
            u"permission denied: change_plan requires role quota_admin, which "_s % role
                % u" does not have"_s);
    }

    void rolesAreCreatedOnceAndNest()
    {
        TestCluster& cluster = TestCluster::instance();
        const SqlResult r = sqlCall(cluster.open(m_database),
            u"SELECT string_agg(rolname || ':' || rolcanlogin, ',' ORDER BY rolname), "
            "bool_and(pg_has_role('quota_admin', 'quota_viewer', 'MEMBER')), "
            "bool_and(NOT pg_has_role('quota_viewer', 'quota_operator', 'MEMBER')) "
            "FROM pg_roles WHERE rolname IN ('quota_viewer', 'quota_operator', 'quota_admin')"_s);
        QCOMPARE(
            r.value(0).toString(), u"quota_admin:false,quota_operator:false,quota_viewer:false"_s);
        QVERIFY(r.value(1).toBool());
        QVERIFY(r.value(2).toBool());
    }
};

QTEST_GUILESS_MAIN(RolesTest)
#include "tst_roles.moc"
