#include "db/adminactions.h"
#include "support/sqlcall.h"
#include "support/testcluster.h"

#include <QFile>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using qc::db::ActionResult;
using qc::db::AdminActions;
using qc::testsupport::sqlCall;
using qc::testsupport::TestCluster;

// qc::db::AdminActions, the C++ face of the admin functions the console calls.
class AdminActionsApiTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QC_REQUIRE_CLUSTER(); }
    void cleanup() { TestCluster::instance().cleanup(); }

    void actionsConflictsAndRetries()
    {
        TestCluster& cluster = TestCluster::instance();
        QC_TEST_DATABASE(name);
        const QString alice = cluster.createLoginRole(u"alice"_s, { u"quota_admin"_s });
        const QString bob = cluster.createLoginRole(u"bob"_s, { u"quota_admin"_s });
        const QString olga = cluster.createLoginRole(u"olga"_s, { u"quota_operator"_s });
        AdminActions asAlice(cluster.open(name, {}, alice));
        AdminActions asBob(cluster.open(name, {}, bob));
        AdminActions asOlga(cluster.open(name, {}, olga));

        QFile policyFile(QStringLiteral(QC_SOURCE_DIR "/resources/policies/default.json"));
        QVERIFY(policyFile.open(QIODevice::ReadOnly));
        const QJsonObject policy = QJsonDocument::fromJson(policyFile.readAll()).object();
        ActionResult r
            = asAlice.createPolicyVersion(AdminActions::newClientActionId(), policy, u"initial"_s);
        QVERIFY2(r.ok, qPrintable(r.message));
        const qint64 versionId = r.result.value(u"id"_s).toInteger();
        r = asAlice.activatePolicyVersion(
            AdminActions::newClientActionId(), versionId, 0, u"go live"_s);
        QVERIFY2(r.ok, qPrintable(r.message));

        const QString id = AdminActions::newClientActionId();
        r = asAlice.changePlan(id, u"u1"_s, u"pro"_s, 0, u"trial"_s);
        QVERIFY2(r.ok, qPrintable(r.message));
        QVERIFY(!r.replayed);
        QCOMPARE(r.result.value(u"plan"_s).toString(), u"pro"_s);
        const qint64 version = r.result.value(u"version"_s).toInteger();
        const ActionResult retry = asAlice.changePlan(id, u"u1"_s, u"pro"_s, 0, u"trial"_s);
        QVERIFY(retry.ok && retry.replayed);
        QCOMPARE(retry.auditId, r.auditId);

        QVERIFY(asAlice
                    .changePlan(
                        AdminActions::newClientActionId(), u"u1"_s, u"team"_s, version, u"upsell"_s)
                    .ok);
        const ActionResult stale = asBob.changePlan(
            AdminActions::newClientActionId(), u"u1"_s, u"free"_s, version, u"refund"_s);
        QVERIFY(!stale.ok);
        QVERIFY(stale.isConflict());
        QVERIFY2(stale.message.startsWith(u"conflict: changed by "_s + alice + u" at "_s),
            qPrintable(stale.message));
        QVERIFY2(stale.detail.contains(u"expected version"_s), qPrintable(stale.detail));

        const ActionResult denied = asOlga.changePlan(
            AdminActions::newClientActionId(), u"u1"_s, u"free"_s, std::nullopt, u"r"_s);
        QVERIFY(denied.isPermissionDenied());

        const QDateTime until = QDateTime::currentDateTimeUtc().addDays(1);
        r = asOlga.block(
            AdminActions::newClientActionId(), u"ip"_s, u"203.0.113.9"_s, u"scraper"_s, until);
        QVERIFY2(r.ok, qPrintable(r.message));
        QCOMPARE(
            QDateTime::fromString(r.result.value(u"blocked_until"_s).toString(), Qt::ISODateWithMs)
                .toSecsSinceEpoch(),
            until.toSecsSinceEpoch());
        r = asOlga.unblock(AdminActions::newClientActionId(), r.result.value(u"id"_s).toInteger(),
            1, u"false alarm"_s);
        QVERIFY2(r.ok, qPrintable(r.message));

        const ActionResult invalid
            = asOlga.block(AdminActions::newClientActionId(), u"ip"_s, u"nope"_s, u"x"_s);
        QCOMPARE(invalid.sqlState, u"22023"_s);
        QVERIFY(invalid.message.contains(u"\"nope\" is not an IP address"_s));

        QString error;
        QCOMPARE(asOlga.verifyAuditChain(&error), std::nullopt);
        QVERIFY(error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(AdminActionsApiTest)
#include "tst_adminactionsapi.moc"
