// Rolling a candidate out from the Simulate page, with real widgets (offscreen) against the
// test cluster: rollout and rollback change the active version, write audit rows, and live
// enforcement (quota.quota_check) follows; a version activated by someone else meanwhile is a
// conflict the dialog names; viewers cannot roll out.

#include "simulatepagefixture.h"

using namespace simulatepagetest;

class TestSimulateRollout : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup() { TestCluster::instance().cleanup(); }

    void rolloutThenRollback();
    void rolloutConflictIsShown();
    void viewersCannotRollOut();

private:
    QString database() const { return m_seeded.copy(); }

    SeededDatabase m_seeded;
};

void TestSimulateRollout::initTestCase()
{
    QC_REQUIRE_CLUSTER();
    qRegisterMetaType<ui::RolloutDialog*>();
    const QString error = m_seeded.seed();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // A database copied from is kept by cleanup() (a test that copies none may run first).
    QVERIFY(!database().isEmpty());
}

void TestSimulateRollout::rolloutThenRollback()
{
    const QString name = database();
    const QString admin = TestCluster::instance().createLoginRole(u"admin"_s, { u"quota_admin"_s });
    QSqlDatabase db = TestCluster::instance().open(name);
    const qint64 before = activeVersion(db);
    QVERIFY(before > 0);
    const qint64 probeTs = m_seeded.history().end + enforcement::kHour;
    // Live enforcement before: the per-minute limit is 12.
    QCOMPARE(liveReasons(db, u"192.0.2.201"_s, probeTs), QStringList(4, u"admitted"_s));

    Console c;
    QVERIFY(c.connect(TestCluster::instance().conninfo(name, admin), db::QuotaRole::Admin));
    ui::SimulatePage& page = *c.page;
    QTRY_VERIFY_WITH_TIMEOUT(page.baselineWidget()->state().ready(), 10000);
    ui::PolicyVersionsWidget* versions = page.versionsWidget();
    QAbstractItemModelTester tester(
        versions->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_COMPARE(versions->model()->rowCount(), 1);
    page.candidate()->setText(withIpMinuteLimit(3));
    QTRY_VERIFY(versions->rollOutButton()->isEnabled());

    // Roll out: the dialog shows the change and wants a reason.
    QSignalSpy opened(&page, &ui::SimulatePage::rolloutDialogOpened);
    QSignalSpy done(&page, &ui::SimulatePage::activationFinished);
    page.sections()->setCurrentIndex(ui::SimulatePage::VersionsSection);
    QTest::mouseClick(versions->rollOutButton(), Qt::LeftButton);
    ui::RolloutDialog* dialog = waitForDialog(opened);
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    auto* ok = dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    QVERIFY(!ok->isEnabled()); // no reason yet
    dialog->setReason(u"Per-minute limit 12 → 3 after the bot burst"_s);
    QVERIFY(ok->isEnabled());
    if (const QString out = qEnvironmentVariable("QC_SCREENSHOT_DIR"); !out.isEmpty())
        dialog->grab().save(out % u"/rollout-dialog.png"_s);
    QTest::mouseClick(ok, Qt::LeftButton);
    QVERIFY(done.wait(10000));
    auto outcome = done.takeFirst().at(0).value<workbench::RolloutOutcome>();
    QVERIFY2(outcome.ok(), qPrintable(outcome.error));
    const qint64 rolledOut = outcome.versionId;
    QVERIFY(rolledOut != before);
    QCOMPARE(activeVersion(db), rolledOut);
    QVERIFY(versions->statusText().contains(u"is now the active policy"_s));
    QTRY_COMPARE(versions->model()->rowCount(), 2);
    QCOMPARE(versions->model()->activeId(), rolledOut);
    const replay::PolicyVersion& top = versions->model()->versions().front();
    QCOMPARE(top.reason, u"Per-minute limit 12 → 3 after the bot burst"_s);
    QCOMPARE(top.createdBy, admin);
    QCOMPARE(top.activatedBy, admin);
    // Audited: the new version and its activation, by that admin, with the reason.
    const auto audit = sqlCall(db,
        u"SELECT count(*), string_agg(action, ',' ORDER BY id) FROM quota.admin_audit_log "
        "WHERE actor = ? AND reason = ?"_s,
        { admin, u"Per-minute limit 12 → 3 after the bot burst"_s });
    QVERIFY2(audit.ok, audit.describe());
    QCOMPARE(audit.value(0).toInt(), 2);
    // Live enforcement follows from the next request.
    QCOMPARE(liveReasons(db, u"192.0.2.202"_s, probeTs),
        (QStringList { u"admitted"_s, u"admitted"_s, u"admitted"_s, u"rate_limited:ip_minute"_s }));
    // The baseline "active version" is the new one now.
    QTRY_VERIFY(page.baselineWidget()->state().name.contains(QString::number(rolledOut)));
    c.shot(u"versions"_s);

    // Roll back to the version before, from the list.
    versions->select(before);
    QVERIFY(versions->activateButton()->isEnabled());
    QTest::mouseClick(versions->activateButton(), Qt::LeftButton);
    dialog = waitForDialog(opened);
    QVERIFY(dialog);
    dialog->setReason(u"Back to 12: support tickets from a partner"_s);
    dialog->accept();
    QVERIFY(done.wait(10000));
    outcome = done.takeFirst().at(0).value<workbench::RolloutOutcome>();
    QVERIFY2(outcome.ok(), qPrintable(outcome.error));
    QCOMPARE(activeVersion(db), before);
    QTRY_COMPARE(versions->model()->activeId(), before);
    const auto rollbackAudit = sqlCall(db,
        u"SELECT count(*) FROM quota.admin_audit_log WHERE actor = ? AND reason = ?"_s,
        { admin, u"Back to 12: support tickets from a partner"_s });
    QCOMPARE(rollbackAudit.value(0).toInt(), 1);
    QCOMPARE(liveReasons(db, u"192.0.2.203"_s, probeTs), QStringList(4, u"admitted"_s));
    // The audit log's hash chain is intact.
    const auto chain = sqlCall(db, u"SELECT quota.verify_audit_chain()"_s);
    QVERIFY2(chain.ok, chain.describe());
    QVERIFY(chain.value().isNull());
}

void TestSimulateRollout::rolloutConflictIsShown()
{
    const QString name = database();
    const QString admin = TestCluster::instance().createLoginRole(u"admin"_s, { u"quota_admin"_s });
    QSqlDatabase db = TestCluster::instance().open(name);
    const qint64 before = activeVersion(db);
    Console c;
    QVERIFY(c.connect(TestCluster::instance().conninfo(name, admin), db::QuotaRole::Admin));
    ui::SimulatePage& page = *c.page;
    QTRY_VERIFY_WITH_TIMEOUT(page.baselineWidget()->state().ready(), 10000);
    page.candidate()->setText(withIpMinuteLimit(5));
    QSignalSpy opened(&page, &ui::SimulatePage::rolloutDialogOpened);
    QSignalSpy done(&page, &ui::SimulatePage::activationFinished);
    page.requestRollout();
    ui::RolloutDialog* dialog = waitForDialog(opened);
    QVERIFY(dialog);
    // Another admin changes the active policy while this one reads the dialog.
    livetest::LiveEnforcer other(db);
    QVERIFY(other.setPolicy(withIpMinuteLimit(30).toUtf8()));
    const qint64 theirs = activeVersion(db);
    QVERIFY(theirs != before);
    dialog->setReason(u"tighter"_s);
    dialog->accept();
    QVERIFY(done.wait(10000));
    const auto outcome = done.takeFirst().at(0).value<workbench::RolloutOutcome>();
    QVERIFY(!outcome.ok());
    QVERIFY(outcome.conflict);
    QVERIFY(outcome.created); // the version exists, inactive; nothing was overwritten
    QCOMPARE(activeVersion(db), theirs);
    QVERIFY2(page.versionsWidget()->statusText().contains(u"Another admin changed"_s),
        qPrintable(page.versionsWidget()->statusText()));
    // Trying again reads the new state and succeeds.
    page.requestRollout();
    dialog = waitForDialog(opened);
    QVERIFY(dialog);
    dialog->setReason(u"tighter, after review"_s);
    dialog->accept();
    QVERIFY(done.wait(10000));
    const auto retried = done.takeFirst().at(0).value<workbench::RolloutOutcome>();
    QVERIFY2(retried.ok(), qPrintable(retried.error));
    QCOMPARE(retried.versionId, outcome.versionId); // the same version, created once
    QCOMPARE(activeVersion(db), outcome.versionId);
}

void TestSimulateRollout::viewersCannotRollOut()
{
    const QString name = database();
    const QString viewer
        = TestCluster::instance().createLoginRole(u"viewer"_s, { u"quota_viewer"_s });
    Console c;
    QVERIFY(c.connect(TestCluster::instance().conninfo(name, viewer), db::QuotaRole::Viewer));
    ui::SimulatePage& page = *c.page;
    QTRY_VERIFY_WITH_TIMEOUT(page.baselineWidget()->state().ready(), 10000);
    // Viewers simulate, but the rollout buttons are off and say which role is missing.
    QVERIFY(page.runAction()->isEnabled());
    QPushButton* rollOut = page.versionsWidget()->rollOutButton();
    QVERIFY(!rollOut->isEnabled());
    QVERIFY(!rollOut->parentWidget()->isEnabled());
    QVERIFY2(rollOut->parentWidget()->toolTip().contains(u"quota_admin"_s),
        qPrintable(rollOut->parentWidget()->toolTip()));
}

QTEST_MAIN(TestSimulateRollout)
#include "tst_simulaterollout.moc"
