// The actions of the console, driven from the GUI layer (offscreen) against the test
// PostgreSQL: the pages' and dialogs' action methods — what their buttons call — change
// exactly the rows they should, write one audit row each, are refused with a clear message
// for a role that may not do them, apply once after a lost reply, and show the conflict when
// two consoles change the same plan. Also the audit chain warning, the Investigate page and
// the desktop notification of a new alert.

#include "../db/investigationfixture.h"
#include "models/alertmodel.h"
#include "models/auditmodel.h"
#include "models/blockmodel.h"
#include "models/incidentmodel.h"
#include "models/investigationmodels.h"
#include "models/requestlogmodel.h"
#include "services/actionrunner.h"
#include "services/databaseworker.h"
#include "services/secretstore.h"
#include "services/session.h"
#include "services/settingsstore.h"
#include "support/sqlcall.h"
#include "support/testcluster.h"
#include "ui/alertnotifier.h"
#include "ui/alertspage.h"
#include "ui/auditpage.h"
#include "ui/blockdialog.h"
#include "ui/blockspage.h"
#include "ui/changeplandialog.h"
#include "ui/incidentspage.h"
#include "ui/investigatepage.h"
#include "ui/mainwindow.h"
#include "ui/requestlogview.h"

#include <QPushButton>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>

using namespace Qt::StringLiterals;
using qc::services::ActionOutcome;
using qc::testsupport::sqlCall;
using qc::testsupport::SqlResult;
using qc::testsupport::TestCluster;

namespace {

QString g_admin, g_admin2, g_operator, g_viewer;

// One console: its own settings file and session, connected to `database` as `role`.
struct Console {
    QTemporaryDir dir;
    qc::services::SettingsStore settings { dir.filePath(u"console.ini"_s) };
    qc::services::Session session;
    qc::ui::PageContext context { &session, &settings };

    Console(const QString& database, const QString& role)
    {
        qc::services::Session::Timing timing;
        timing.firstRetry = std::chrono::milliseconds(100);
        timing.maxRetry = std::chrono::milliseconds(300);
        timing.keepAlive = std::chrono::milliseconds(0);
        session.setTiming(timing);
        auto p = qc::services::ConnectionProfile::create(u"Test"_s, u"TEST"_s);
        p.setDatabaseConninfo(TestCluster::instance().conninfo(database, role));
        session.connectTo(p);
    }
    bool ready()
    {
        return QTest::qWaitFor([&] { return session.role() != qc::db::QuotaRole::None; }, 10000);
    }
};

qint64 count(const QString& database, const QString& sql)
{
    QSqlDatabase db = TestCluster::instance().open(database);
    const SqlResult r = sqlCall(db, sql);
    if (!r.ok)
        qWarning("%s", r.describe().constData());
    return r.value().toLongLong();
}

QVariant value(const QString& database, const QString& sql)
{
    QSqlDatabase db = TestCluster::instance().open(database);
    return sqlCall(db, sql).value();
}

#define QC_EXEC(database, sql)                                                                     \
    QCOMPARE(TestCluster::instance().execAsSuperuser(database, sql), QString())

} // namespace

class tst_ActionPages : public QObject {
    Q_OBJECT

private:
    QString m_seeded; // default policy active

    QString database()
    {
        return TestCluster::instance().createDatabase(TestCluster::Schema::Migrated, m_seeded);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QC_REQUIRE_CLUSTER();
        TestCluster& cluster = TestCluster::instance();
        g_admin = cluster.createLoginRole(u"alice"_s, { u"quota_admin"_s });
        g_admin2 = cluster.createLoginRole(u"bob"_s, { u"quota_admin"_s });
        g_operator = cluster.createLoginRole(u"olga"_s, { u"quota_operator"_s });
        g_viewer = cluster.createLoginRole(u"vic"_s, { u"quota_viewer"_s });
        m_seeded = cluster.createDatabase();
        QVERIFY(!m_seeded.isEmpty());
        QCOMPARE(qc::testfixture::activateDefaultPolicy(m_seeded), QString());
        QCOMPARE(cluster.execAsSuperuser(m_seeded, qc::testfixture::seedRequestsSql(0, 3000)),
            QString());
    }
    void cleanup()
    {
        qc::services::ActionRunner::setReplyLossHookForTests({});
        TestCluster::instance().cleanup();
    }

    void blockFromTheDialogWritesOneRowAndOneAuditRow()
    {
        const QString db = database();
        Console c(db, g_operator);
        QVERIFY(c.ready());
        qc::ui::BlocksPage page(c.context);
        page.activated();
        QSignalSpy refreshed(&page, &qc::ui::BlocksPage::refreshed);
        QVERIFY(refreshed.wait());
        QVERIFY(page.findChild<QPushButton*>(u"blockButton"_s)->isEnabled());
        const qint64 audits = count(db, u"SELECT count(*) FROM quota.admin_audit_log"_s);

        qc::ui::BlockDialog dialog({}, c.session.now());
        dialog.setValue(u"203.0.113.130/25"_s);
        dialog.setReason(u"scraping"_s);
        QVERIFY2(dialog.problem().contains(u"bits set after the prefix; the network is "
                                           "203.0.113.128/25"_s),
            qPrintable(dialog.problem()));
        dialog.setValue(u"203.0.113.128/25"_s);
        QVERIFY2(dialog.problem().isEmpty(), qPrintable(dialog.problem()));
        dialog.setDuration(u"7d"_s);
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        const qc::ui::BlockRequest request = dialog.request();
        QCOMPARE(request.targets.first().target, u"network"_s);

        QSignalSpy done(&page, &qc::ui::BlocksPage::actionsFinished);
        page.block(request);
        QVERIFY(done.wait(10000));
        const auto outcomes = done.first().first().value<QList<ActionOutcome>>();
        QCOMPARE(outcomes.size(), 1);
        QVERIFY2(outcomes.first().applied(), qPrintable(outcomes.first().message));
        QCOMPARE(outcomes.first().attempts, 1);
        QCOMPARE(count(db, u"SELECT count(*) FROM quota.blocked_identifiers"_s), qint64(1));
        QCOMPARE(value(db,
                     u"SELECT target || ' ' || value || ' ' || reason || ' ' || "
                     "created_by FROM quota.blocked_identifiers"_s)
                     .toString(),
            u"network 203.0.113.128/25 scraping "_s + g_operator);
        QVERIFY(value(db,
            u"SELECT blocked_until - blocked_from BETWEEN interval '6 days 23 hours' "
            "AND interval '7 days 1 hour' FROM quota.blocked_identifiers"_s)
                    .toBool());
        QCOMPARE(count(db, u"SELECT count(*) FROM quota.admin_audit_log"_s), audits + 1);
        QCOMPARE(value(db,
                     u"SELECT actor || ' ' || action || ' ' || reason FROM "
                     "quota.admin_audit_log ORDER BY id DESC LIMIT 1"_s)
                     .toString(),
            g_operator + u" block scraping"_s);
        QTRY_COMPARE(page.model()->rowCount(), 1);
    }

    void unblockSeveralSelectedRows()
    {
        const QString db = database();
        for (const char* ip : { "192.0.2.1", "192.0.2.2", "192.0.2.3" })
            QC_EXEC(
                db, u"SELECT quota.block('pre-%1', 'ip', '%1', 'test')"_s.arg(QLatin1String(ip)));
        Console c(db, g_operator);
        QVERIFY(c.ready());
        qc::ui::BlocksPage page(c.context);
        QSignalSpy refreshed(&page, &qc::ui::BlocksPage::refreshed);
        page.activated();
        QVERIFY(refreshed.wait());
        QCOMPARE(page.model()->rowCount(), 3);
        QList<qint64> two;
        for (const auto& b : page.model()->rows())
            if (b.value != u"192.0.2.2")
                two << b.id;
        page.selectIds(two);
        QCOMPARE(page.selectedIds().size(), 2);
        QVERIFY(page.findChild<QPushButton*>(u"unblockButton"_s)->isEnabled());
        const qint64 audits = count(db, u"SELECT count(*) FROM quota.admin_audit_log"_s);
        QSignalSpy done(&page, &qc::ui::BlocksPage::actionsFinished);
        page.unblock(page.selectedIds(), u"false positive"_s);
        QVERIFY(done.wait(10000));
        for (const ActionOutcome& o : done.first().first().value<QList<ActionOutcome>>())
            QVERIFY2(o.applied(), qPrintable(o.message));
        QCOMPARE(count(db,
                     u"SELECT count(*) FROM quota.blocked_identifiers WHERE unblocked_at IS "
                     "NOT NULL AND unblocked_by = '"_s
                         + g_operator + u"' AND version = 2"_s),
            qint64(2));
        QCOMPARE(count(db,
                     u"SELECT count(*) FROM quota.blocked_identifiers WHERE value = "
                     "'192.0.2.2' AND unblocked_at IS NULL"_s),
            qint64(1));
        QCOMPARE(count(db, u"SELECT count(*) FROM quota.admin_audit_log"_s), audits + 2);
        QCOMPARE(count(db,
                     u"SELECT count(*) FROM quota.admin_audit_log WHERE action = 'unblock' "
                     "AND reason = 'false positive'"_s),
            qint64(2));
        QTRY_COMPARE(page.model()->rowCount(), 1); // ended ones are hidden
    }

    void aViewerSeesWhyAndTheDatabaseRefusesAnyway()
    {
        const QString db = database();
        Console c(db, g_viewer);
        QVERIFY(c.ready());
        qc::ui::BlocksPage page(c.context);
        auto* block = page.findChild<QPushButton*>(u"blockButton"_s);
        QVERIFY(!block->isEnabled());
        QCOMPARE(block->toolTip(), u"Needs the quota_operator role; %1 is viewer."_s.arg(g_viewer));
        const qint64 audits = count(db, u"SELECT count(*) FROM quota.admin_audit_log"_s);
        // What the button would have called: the database says no, and the page says why.
        QSignalSpy done(&page, &qc::ui::BlocksPage::actionsFinished);
        page.block({ { { u"ip"_s, u"203.0.113.9"_s } }, u"test"_s, {} });
        QVERIFY(done.wait(10000));
        const ActionOutcome o = done.first().first().value<QList<ActionOutcome>>().first();
        QCOMPARE(o.status, ActionOutcome::Status::Refused);
        QVERIFY(o.result.isPermissionDenied());
        QVERIFY2(
            page.lastMessage().contains(
                u"permission denied: block requires role quota_operator, which %1 does not have"_s
                    .arg(g_viewer)),
            qPrintable(page.lastMessage()));
        QCOMPARE(count(db, u"SELECT count(*) FROM quota.blocked_identifiers"_s), qint64(0));
        QCOMPARE(count(db, u"SELECT count(*) FROM quota.admin_audit_log"_s), audits);

        // Unblocking neither.
        QC_EXEC(db, u"SELECT quota.block('by-op', 'ip', '192.0.2.50', 'test')"_s);
        const qint64 withBlock = count(db, u"SELECT count(*) FROM quota.admin_audit_log"_s);
        QSignalSpy refreshed(&page, &qc::ui::BlocksPage::refreshed);
        page.refresh();
        QVERIFY(refreshed.wait());
        QCOMPARE(page.model()->rowCount(), 1);
        QVERIFY(!page.findChild<QPushButton*>(u"unblockButton"_s)->isEnabled());
        done.clear();
        page.unblock({ page.model()->rows().first().id }, u"mine"_s);
        QVERIFY(done.wait(10000));
        QVERIFY(page.lastMessage().contains(u"unblock requires role quota_operator"_s));
        QCOMPARE(count(db,
                     u"SELECT count(*) FROM quota.blocked_identifiers WHERE unblocked_at "
                     "IS NULL"_s),
            qint64(1));
        QCOMPARE(count(db, u"SELECT count(*) FROM quota.admin_audit_log"_s), withBlock);

        // The Alerts page: acknowledging is for operators too.
        QC_EXEC(db,
            u"INSERT INTO quota.alerts (rule, labels, severity, fingerprint, starts_at) "
            "VALUES ('HighDenialRate', '{\"alertname\": \"HighDenialRate\"}', 'warning', "
            "'fp', now())"_s);
        qc::ui::AlertsPage alerts(c.context);
        QVERIFY(!alerts.findChild<QPushButton*>(u"acknowledgeButton"_s)->isEnabled());
        alerts.activated();
        QTRY_COMPARE(alerts.model()->rowCount(), 1);
        QSignalSpy acked(&alerts, &qc::ui::AlertsPage::actionFinished);
        alerts.acknowledge(alerts.model()->rows().first().key, u"mine"_s, {});
        QVERIFY(acked.wait(10000));
        QVERIFY(alerts.lastMessage().contains(u"requires role quota_operator"_s));
        QCOMPARE(value(db, u"SELECT state FROM quota.alerts"_s).toString(), u"firing"_s);
        QCOMPARE(count(db, u"SELECT count(*) FROM quota.admin_audit_log"_s), withBlock);
    }

    void changePlanFromTheDialog()
    {
        const QString db = database();
        QC_EXEC(db,
            u"INSERT INTO quota.quota_usage (user_id, metric, cycle_start, used) VALUES "
            "('u1', 'ai_generations', date_trunc('month', now() AT TIME ZONE 'UTC') AT "
            "TIME ZONE 'UTC', 70)"_s);
        Console c(db, g_admin);
        QVERIFY(c.ready());
        const qint64 audits = count(db, u"SELECT count(*) FROM quota.admin_audit_log"_s);
        {
            qc::ui::ChangePlanDialog dialog(&c.session, u"u1"_s);
            QSignalSpy loaded(&dialog, &qc::ui::ChangePlanDialog::loaded);
            QVERIFY2(loaded.wait(), qPrintable(dialog.message()));
            QVERIFY(!dialog.overview()->current.hasSubscription);
            dialog.setPlan(u"pro"_s);
            QVERIFY2(dialog.effectText().contains(u"starts on pro now"_s),
                qPrintable(dialog.effectText()));
            // No reason, no change.
            dialog.apply();
            QVERIFY(dialog.message().contains(u"reason is required"_s));
            QCOMPARE(count(db, u"SELECT count(*) FROM quota.subscriptions"_s), qint64(0));
            dialog.setReason(u"trial"_s);
            QSignalSpy applied(&dialog, &qc::ui::ChangePlanDialog::applied);
            dialog.findChild<QPushButton*>(u"changePlanOk"_s)->click();
            QVERIFY(applied.wait(10000));
        }
        QCOMPARE(value(db, u"SELECT plan || ' ' || version FROM quota.subscriptions"_s).toString(),
            u"pro 1"_s);
        QCOMPARE(count(db, u"SELECT count(*) FROM quota.admin_audit_log"_s), audits + 1);
        QCOMPARE(value(db,
                     u"SELECT action || ' ' || target || ' ' || reason FROM "
                     "quota.admin_audit_log ORDER BY id DESC LIMIT 1"_s)
                     .toString(),
            u"change_plan user:u1 trial"_s);

        // A downgrade says what stays and until when, and what is over the new quota.
        qc::ui::ChangePlanDialog down(&c.session, u"u1"_s);
        QSignalSpy loaded(&down, &qc::ui::ChangePlanDialog::loaded);
        QVERIFY(loaded.wait());
        QCOMPARE(down.overview()->current.version, qint64(1));
        down.setPlan(u"free"_s);
        const QString effect = down.effectText();
        QVERIFY2(effect.contains(u"Downgrade: u1 moves to free now, but keeps the quotas of pro "
                                 "during the grace period of 7d"_s),
            qPrintable(effect));
        QVERIFY2(effect.contains(u"ai_generations (70 used of 50)"_s), qPrintable(effect));
        down.setReason(u"unpaid"_s);
        QSignalSpy applied(&down, &qc::ui::ChangePlanDialog::applied);
        down.apply();
        QVERIFY(applied.wait(10000));
        QCOMPARE(value(db,
                     u"SELECT plan || ' ' || previous_plan || ' ' || version FROM "
                     "quota.subscriptions"_s)
                     .toString(),
            u"free pro 2"_s);
        QCOMPARE(count(db, u"SELECT count(*) FROM quota.admin_audit_log"_s), audits + 2);
    }

    void changePlanIsRefusedForAnOperator()
    {
        const QString db = database();
        Console c(db, g_operator);
        QVERIFY(c.ready());
        qc::ui::ChangePlanDialog dialog(&c.session, u"u2"_s);
        QSignalSpy loaded(&dialog, &qc::ui::ChangePlanDialog::loaded);
        QVERIFY(loaded.wait());
        auto* ok = dialog.findChild<QPushButton*>(u"changePlanOk"_s);
        QVERIFY(!ok->isEnabled());
        QCOMPARE(ok->toolTip(), u"Needs the quota_admin role; %1 is operator."_s.arg(g_operator));
        const qint64 audits = count(db, u"SELECT count(*) FROM quota.admin_audit_log"_s);
        dialog.setPlan(u"team"_s);
        dialog.setReason(u"why not"_s);
        QSignalSpy failed(&dialog, &qc::ui::ChangePlanDialog::failed);
        dialog.apply();
        QVERIFY(failed.wait(10000));
        QVERIFY2(
            dialog.message().contains(
                u"permission denied: change_plan requires role quota_admin, which %1 does not have"_s
                    .arg(g_operator)),
            qPrintable(dialog.message()));
        QCOMPARE(count(db, u"SELECT count(*) FROM quota.subscriptions"_s), qint64(0));
        QCOMPARE(count(db, u"SELECT count(*) FROM quota.admin_audit_log"_s), audits);
    }

    void twoConsolesChangingTheSamePlan()
    {
        const QString db = database();
        QC_EXEC(db, u"SELECT quota.change_plan('setup', 'u3', 'free', 0, 'signup')"_s);
        Console first(db, g_admin);
        Console second(db, g_admin2);
        QVERIFY(first.ready() && second.ready());
        qc::ui::ChangePlanDialog a(&first.session, u"u3"_s);
        qc::ui::ChangePlanDialog b(&second.session, u"u3"_s);
        QSignalSpy aLoaded(&a, &qc::ui::ChangePlanDialog::loaded);
        QSignalSpy bLoaded(&b, &qc::ui::ChangePlanDialog::loaded);
        QVERIFY(aLoaded.wait() || aLoaded.size() == 1);
        QTRY_COMPARE(bLoaded.size(), 1);
        QCOMPARE(a.overview()->current.version, qint64(1));
        QCOMPARE(b.overview()->current.version, qint64(1));
        a.setPlan(u"pro"_s);
        a.setReason(u"upgrade requested"_s);
        b.setPlan(u"team"_s);
        b.setReason(u"sales deal"_s);
        QSignalSpy applied(&a, &qc::ui::ChangePlanDialog::applied);
        a.apply();
        QVERIFY(applied.wait(10000));
        const qint64 audits = count(db, u"SELECT count(*) FROM quota.admin_audit_log"_s);
        QSignalSpy failed(&b, &qc::ui::ChangePlanDialog::failed);
        b.apply();
        QVERIFY(failed.wait(10000));
        const ActionOutcome o = failed.first().first().value<ActionOutcome>();
        QVERIFY(o.result.isConflict());
        const QString when = value(db,
            u"SELECT quota.format_time(updated_at) FROM "
            "quota.subscriptions WHERE user_id = 'u3'"_s)
                                 .toString();
        QVERIFY2(b.message().contains(u"changed by %1 at %2"_s.arg(g_admin, when)),
            qPrintable(b.message()));
        // The form reloads with what is there now.
        QTRY_COMPARE(b.overview()->current.version, qint64(2));
        QCOMPARE(b.overview()->current.plan, u"pro"_s);
        QCOMPARE(
            value(db, u"SELECT plan FROM quota.subscriptions WHERE user_id = 'u3'"_s).toString(),
            u"pro"_s);
        QCOMPARE(count(db, u"SELECT count(*) FROM quota.admin_audit_log"_s), audits);
    }

    void aLostReplyIsRetriedAndAppliesOnce()
    {
        const QString db = database();
        Console c(db, g_operator);
        QVERIFY(c.ready());
        // The reply of the first call never arrives: the backend dies right after the commit.
        std::atomic_int calls { 0 };
        qc::services::ActionRunner::setReplyLossHookForTests(
            [&calls](QSqlDatabase& connection, const qc::db::ActionResult& r) {
                if (calls++ > 0 || !r.ok)
                    return false;
                QSqlQuery q(connection);
                q.exec(u"SELECT pg_terminate_backend(pg_backend_pid())"_s);
                return true;
            });
        qc::ui::BlocksPage page(c.context);
        const qint64 audits = count(db, u"SELECT count(*) FROM quota.admin_audit_log"_s);
        QSignalSpy done(&page, &qc::ui::BlocksPage::actionsFinished);
        page.block({ { { u"user"_s, u"mallory"_s } }, u"chargebacks"_s, {} });
        QVERIFY(done.wait(20000));
        const ActionOutcome o = done.first().first().value<QList<ActionOutcome>>().first();
        QVERIFY2(o.applied(), qPrintable(o.message));
        QCOMPARE(o.attempts, 2);
        QVERIFY(o.result.replayed); // the second call found the first one's audit row
        QVERIFY2(o.message.contains(u"not applied twice"_s), qPrintable(o.message));
        QCOMPARE(calls.load(), 2);
        QCOMPARE(count(db, u"SELECT count(*) FROM quota.blocked_identifiers"_s), qint64(1));
        QCOMPARE(count(db, u"SELECT count(*) FROM quota.admin_audit_log"_s), audits + 1);
        QCOMPARE(count(db,
                     u"SELECT count(*) FROM quota.admin_audit_log WHERE client_action_id = '"_s
                         + o.clientActionId + u'\''),
            qint64(1));
    }

    void acknowledgeAndUnacknowledgeADatabaseAlert()
    {
        const QString db = database();
        QC_EXEC(db,
            u"INSERT INTO quota.alerts (rule, labels, annotations, severity, fingerprint, "
            "starts_at) VALUES ('HighDenialRate', '{\"alertname\": \"HighDenialRate\", "
            "\"severity\": \"warning\"}', '{\"summary\": \"27% denied\"}', 'warning', "
            "'fp1', now())"_s);
        Console c(db, g_operator);
        QVERIFY(c.ready());
        qc::ui::AlertsPage page(c.context);
        page.activated();
        QTRY_COMPARE(page.model()->rowCount(), 1);
        const QString key = page.model()->rows().first().key;
        QVERIFY(page.select(key));
        QVERIFY(page.findChild<QPushButton*>(u"acknowledgeButton"_s)->isEnabled());
        const qint64 audits = count(db, u"SELECT count(*) FROM quota.admin_audit_log"_s);
        QSignalSpy done(&page, &qc::ui::AlertsPage::actionFinished);
        page.acknowledge(key, u"looking into the bot burst"_s, {});
        QVERIFY(done.wait(10000));
        QVERIFY2(done.first().first().value<qc::services::AlertActionOutcome>().ok,
            qPrintable(page.lastMessage()));
        QCOMPARE(value(db,
                     u"SELECT state || ' ' || acknowledged_by || ' ' || acknowledge_note "
                     "FROM quota.alerts"_s)
                     .toString(),
            u"acknowledged "_s + g_operator + u" looking into the bot burst"_s);
        QCOMPARE(count(db, u"SELECT count(*) FROM quota.admin_audit_log"_s), audits + 1);
        QTRY_COMPARE(page.model()->rows().first().state, u"acknowledged"_s);
        QVERIFY(page.select(key));
        QVERIFY(page.findChild<QPushButton*>(u"unacknowledgeButton"_s)->isEnabled());
        done.clear();
        page.unacknowledge(key, u"not fixed after all"_s);
        QVERIFY(done.wait(10000));
        QCOMPARE(value(db, u"SELECT state FROM quota.alerts"_s).toString(), u"firing"_s);
        QCOMPARE(count(db, u"SELECT count(*) FROM quota.admin_audit_log"_s), audits + 2);
        QCOMPARE(value(db,
                     u"SELECT action || ' ' || reason FROM quota.admin_audit_log ORDER BY "
                     "id DESC LIMIT 1"_s)
                     .toString(),
            u"unacknowledge_alert not fixed after all"_s);
    }

    void theAuditPageWarnsWhenTheChainDoesNotVerify()
    {
        const QString db = database();
        QC_EXEC(db, u"SELECT quota.block('a1', 'ip', '192.0.2.10', 'first')"_s);
        QC_EXEC(db, u"SELECT quota.block('a2', 'ip', '192.0.2.11', 'second')"_s);
        Console c(db, g_viewer);
        QVERIFY(c.ready());
        qc::ui::AuditPage page(c.context);
        QSignalSpy refreshed(&page, &qc::ui::AuditPage::refreshed);
        page.activated();
        QVERIFY(refreshed.wait());
        QCOMPARE(page.chainIntact(), std::optional<bool>(true));
        QVERIFY(page.chainText().contains(u"verifies"_s));
        QVERIFY(page.model()->rowCount() >= 4);
        const auto& newest = page.model()->rows().first();
        QCOMPARE(newest.action, u"block"_s);
        QCOMPARE(newest.reason, u"second"_s);
        page.showEntry(newest.id);
        QVERIFY(page.diffModel()->rowCount() > 3); // a creation: every field added
        // A superuser edits a row with the guard triggers off.
        QC_EXEC(db,
            u"ALTER TABLE quota.admin_audit_log DISABLE TRIGGER admin_audit_log_no_update; "
            "UPDATE quota.admin_audit_log SET reason = 'nothing happened' WHERE "
            "client_action_id = 'a1'; "
            "ALTER TABLE quota.admin_audit_log ENABLE TRIGGER admin_audit_log_no_update"_s);
        const qint64 edited = value(db,
            u"SELECT id FROM quota.admin_audit_log WHERE "
            "client_action_id = 'a1'"_s)
                                  .toLongLong();
        refreshed.clear();
        page.refresh();
        QVERIFY(refreshed.wait());
        QCOMPARE(page.chainIntact(), std::optional<bool>(false));
        QVERIFY2(page.chainText().contains(u"does not verify"_s), qPrintable(page.chainText()));
        QVERIFY2(page.chainText().contains(u"Row %1"_s.arg(edited)), qPrintable(page.chainText()));
        auto* banner = page.findChild<QWidget*>(u"auditChain"_s);
        QVERIFY(banner->isVisibleTo(&page));
        QCOMPARE(banner->palette().color(QPalette::Window), QColor(0xc6, 0x28, 0x28));
    }

    void investigatingAnAddressShowsEverySection()
    {
        const QString db = database();
        QC_EXEC(db,
            u"SELECT quota.block('i1', 'ip', '198.51.1.7', 'scraping', now() + interval '1 day')"_s);
        QC_EXEC(db,
            u"INSERT INTO quota.abuse_incidents (pattern_id, scope, identifier, ts, "
            "severity, action, details) VALUES ('bot_behavior', 'ip', '198.51.1.7', "
            "'2026-01-05T12:03:00Z', 'low', 'log', '{\"pattern_name\": \"Bot behavior\"}')"_s);
        Console c(db, g_viewer);
        QVERIFY(c.ready());
        qc::ui::InvestigatePage page(c.context);
        page.show();
        QSignalSpy timeline(&page, &qc::ui::InvestigatePage::timelineShown);
        QSignalSpy details(&page, &qc::ui::InvestigatePage::detailsShown);
        qc::services::InvestigationTarget t;
        t.kind = qc::services::InvestigationTarget::Kind::Ip;
        t.value = u"198.51.1.7"_s;
        t.from = qc::testfixture::seedStart();
        t.to = t.from.addSecs(600);
        t.origin = u"test"_s;
        page.investigate(t);
        QVERIFY(timeline.wait(10000));
        QTRY_COMPARE(details.size(), 1);
        const qint64 expected = count(db,
            u"SELECT count(*) FROM quota.request_logs WHERE ip = "
            "'198.51.1.7' AND ts < '2026-01-05T12:10:00Z'"_s);
        QCOMPARE(page.timeline()->requests, expected);
        QCOMPARE(page.requestView()->model()->rowCount(), int(qMin<qint64>(expected, 200)));
        QVERIFY2(
            page.details()->warnings.isEmpty(), qPrintable(page.details()->warnings.join(u"; "_s)));
        QCOMPARE(page.blocks()->rowCount(), 1);
        QCOMPARE(page.incidents()->rowCount(), 1);
        QCOMPARE(page.rateLimits()->rowCount(), 3);
        QVERIFY(page.headerText().contains(u"198.51.1.7"_s));
        QVERIFY2(page.headerText().contains(u"BLOCKED"_s), qPrintable(page.headerText()));
        // The Block button is for operators: a viewer sees why.
        auto* block = page.findChild<QPushButton*>(u"investigateBlock"_s);
        QVERIFY(!block->isEnabled());
        QVERIFY(block->toolTip().contains(u"quota_operator"_s));
        // From there to the /24.
        timeline.clear();
        page.findChild<QPushButton*>(u"investigateNetwork"_s)->click();
        QVERIFY(timeline.wait(10000));
        QCOMPARE(page.subject()->value, u"198.51.1.0/24"_s);
        QCOMPARE(page.timeline()->requests,
            count(db,
                u"SELECT count(*) FROM quota.request_logs WHERE ip LIKE '198.51.1.%' AND ts "
                "< '2026-01-05T12:10:00Z'"_s));
        // A span without an identifier: who was active.
        QSignalSpy span(&page, &qc::ui::InvestigatePage::spanShown);
        qc::services::InvestigationTarget s;
        s.from = t.from;
        s.to = t.from.addSecs(3600);
        page.investigate(s);
        QVERIFY(span.wait(10000));
        // Typed in: a user.
        timeline.clear();
        page.investigateText(u"u12"_s);
        QVERIFY(timeline.wait(10000));
        QCOMPARE(page.subject()->kind, qc::db::Subject::Kind::User);
        page.investigateText(u"300.1.1.1"_s);
        QVERIFY(page.lastMessage().contains(u"not a valid IP address"_s));
    }

    void aPageShownBeforeTheDatabaseAnswersFillsItselfAndOldAlertsDoNotNotify()
    {
        const QString db = database();
        QC_EXEC(db, u"SELECT quota.block('early', 'ip', '192.0.2.77', 'test')"_s);
        QC_EXEC(db,
            u"INSERT INTO quota.alerts (rule, labels, severity, fingerprint, starts_at) "
            "VALUES ('HighDenialRate', '{}', 'warning', 'old', now() - interval '1 hour')"_s);
        Console c(db, g_operator); // not connected yet
        qc::ui::BlocksPage page(c.context);
        page.show();
        page.activated(); // answered "not connected"
        QTRY_COMPARE_WITH_TIMEOUT(page.model()->rowCount(), 1, 10000);
        qc::services::AlertMonitor monitor(&c.session, &c.settings);
        QSignalSpy fired(&monitor, &qc::services::AlertMonitor::alertFired);
        QSignalSpy snapshots(&monitor, &qc::services::AlertMonitor::snapshotChanged);
        monitor.refresh();
        QVERIFY(snapshots.wait(10000));
        QCOMPARE(monitor.snapshot().items.size(), 1);
        QCOMPARE(fired.size(), 0); // it fired before anyone looked: not new
    }

    void aNewAlertNotifiesAndItsClickOpensIt()
    {
        const QString db = database();
        TestCluster& cluster = TestCluster::instance();
        QTemporaryDir dir;
        qc::services::SettingsStore settings(dir.filePath(u"console.ini"_s));
        qc::services::SecretStore secrets(u"quota-console-test"_s);
        qc::services::Session session;
        qc::ui::MainWindow window({ &session, &settings }, &secrets);
        window.show();
        auto p = qc::services::ConnectionProfile::create(u"Test"_s, u"TEST"_s);
        p.setDatabaseConninfo(cluster.conninfo(db, g_operator));
        session.connectTo(p);
        QTRY_VERIFY(session.role() != qc::db::QuotaRole::None);
        auto* notifier = window.findChild<qc::ui::AlertNotifier*>();
        QVERIFY(notifier);
        QVERIFY(notifier->monitor());
        QSignalSpy snapshots(notifier->monitor(), &qc::services::AlertMonitor::snapshotChanged);
        QSignalSpy notified(notifier, &qc::ui::AlertNotifier::notified);
        notifier->monitor()->refresh();
        QVERIFY(snapshots.wait(10000)); // the baseline: nothing new yet
        QCOMPARE(notified.size(), 0);
        QC_EXEC(db,
            u"INSERT INTO quota.alerts (rule, labels, annotations, severity, fingerprint, "
            "starts_at) VALUES ('DatabaseConnectionIssues', '{\"alertname\": "
            "\"DatabaseConnectionIssues\"}', '{\"summary\": \"14 errors\"}', 'critical', "
            "'fp9', now())"_s);
        notifier->monitor()->refresh();
        QVERIFY(notified.wait(10000));
        const auto item = notified.first().first().value<qc::services::AlertItem>();
        QCOMPARE(item.name, u"DatabaseConnectionIssues"_s);
        // Clicking the notification shows it on the Alerts page.
        notifier->openAlert(notifier->lastNotified());
        QCOMPARE(window.currentPageId(), u"alerts"_s);
        auto* alerts = qobject_cast<qc::ui::AlertsPage*>(window.page(u"alerts"_s));
        QVERIFY(alerts);
        QTRY_COMPARE(alerts->selectedKey(), item.key);
        // Switched off in the settings: no notification for the next one.
        settings.update(
            [](qc::services::ConsoleSettings& s) { s.preferences.trayNotifications = false; });
        QC_EXEC(db,
            u"INSERT INTO quota.alerts (rule, labels, severity, fingerprint, starts_at) "
            "VALUES ('HighDenialRate', '{}', 'warning', 'fp10', now())"_s);
        snapshots.clear();
        notifier->monitor()->refresh();
        QVERIFY(snapshots.wait(10000));
        QCOMPARE(notified.size(), 1);
    }
};

QTEST_MAIN(tst_ActionPages)
#include "tst_actionpages.moc"
