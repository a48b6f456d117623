// The Simulate page against the test cluster, with real widgets (offscreen): a malformed
// candidate cannot run and says where; a run can be cancelled mid-way, leaving the page usable
// and no worker running; request_logs replayed from the database reproduce the live decisions
// exactly, and so does traffic played by loadgen (a baseline that differs lists the requests it
// decides otherwise); the form and the JSON view stay in step; sweeps, exports and workspaces.
// Rollout and rollback: tst_simulaterollout.
#include "simulatepagefixture.h"

using namespace simulatepagetest;

class TestSimulatePage : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup() { TestCluster::instance().cleanup(); }

    void malformedCandidateCannotRun();
    void formAndJsonViewsStayInStep();
    void cancelMidRunLeavesThePageUsable();
    void replayFromTheDatabase();
    void fidelityOnLoadgenTraffic();
    void sweepAndApply();
    void exports();
    void workspaceRoundTrip();

private:
    QString database() const { return m_seeded.copy(); }

    SeededDatabase m_seeded;
};

void TestSimulatePage::initTestCase()
{
    QC_REQUIRE_CLUSTER();
    qRegisterMetaType<ui::RolloutDialog*>();
    const QString error = m_seeded.seed();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    // A database copied from is kept by cleanup() (a test that copies none may run first).
    QVERIFY(!database().isEmpty());
}

void TestSimulatePage::malformedCandidateCannotRun()
{
    const QString name = database();
    const QString admin = TestCluster::instance().createLoginRole(u"admin"_s, { u"quota_admin"_s });
    Console c;
    QVERIFY(c.connect(TestCluster::instance().conninfo(name, admin), db::QuotaRole::Admin));
    ui::SimulatePage& page = *c.page;
    // The candidate starts as the active version once it is read.
    QTRY_VERIFY_WITH_TIMEOUT(page.baselineWidget()->state().ready(), 10000);
    QTRY_VERIFY(page.candidate()->isValid());
    QTRY_VERIFY(page.runAction()->isEnabled());
    QCOMPARE(page.candidate()->policy()->rules.front().id, "ip_minute");

    QString text = page.candidate()->text();
    const qsizetype at = text.indexOf(u"\"5m\""_s);
    QVERIFY(at > 0);
    text.replace(at, 4, u"\"5 minutes\""_s); // ip_sliding's window
    page.candidate()->setText(text);

    QVERIFY(!page.runAction()->isEnabled());
    QVERIFY2(
        page.runBlocker().contains(u"policy.rules[1].window"_s), qPrintable(page.runBlocker()));
    QVERIFY(page.runAction()->toolTip().contains(u"'5 minutes' is not a duration"_s));
    QVERIFY(page.runBlocker().contains(u"'5 minutes' is not a duration"_s));
    // Trying anyway: refused, with the reason in the status line, and the field shown.
    page.sections()->setCurrentIndex(ui::SimulatePage::ResultsSection);
    QVERIFY(!page.run());
    QVERIFY(!page.isRunning());
    QCOMPARE(page.runner()->activeJobs(), 0);
    QVERIFY(page.statusText().contains(u"policy.rules[1].window"_s));
    QCOMPARE(page.sections()->currentIndex(), int(ui::SimulatePage::SetupSection));
    ui::CandidateEditor* editor = page.candidateEditor();
    QCOMPARE(editor->rulesView()->currentIndex(),
        editor->rulesModel()->index(1, workbench::PolicyRulesModel::Window));
    QVERIFY(editor->rulesModel()
                ->data(editor->rulesModel()->index(1, workbench::PolicyRulesModel::Window),
                    Qt::BackgroundRole)
                .isValid());
    QCOMPARE(editor->problemList()->count(), 1);
    QVERIFY(editor->problemList()->item(0)->text().startsWith(u"policy.rules[1].window"_s));
    // The JSON view marks the same place.
    const QList<workbench::TextSpan> marked = editor->textEdit()->markedSpans();
    QCOMPARE(marked.size(), 1);
    QCOMPARE(text.mid(marked.front().start, marked.front().length), u"\"5 minutes\""_s);
    editor->showProblem(0); // from the list, in the JSON view
    editor->tabs()->setCurrentIndex(ui::CandidateEditor::JsonTab);
    editor->showProblem(0);
    QCOMPARE(editor->textEdit()->textCursor().selectedText(), u"\"5 minutes\""_s);
    c.shot(u"malformed-candidate"_s);
    // Rolling out is refused as well.
    QVERIFY(!page.versionsWidget()->rollOutButton()->isEnabled());

    // Fixed: it runs.
    text.replace(u"\"5 minutes\""_s, u"\"5m\""_s);
    page.candidate()->setText(text);
    QVERIFY(page.runAction()->isEnabled());
    QVERIFY(page.runBlocker().isEmpty());
}

void TestSimulatePage::formAndJsonViewsStayInStep()
{
    Console c;
    QVERIFY(c.connect(TestCluster::instance().conninfo(database()), db::QuotaRole::Admin));
    ui::SimulatePage& page = *c.page;
    QTRY_VERIFY_WITH_TIMEOUT(page.baselineWidget()->state().ready(), 10000);
    ui::CandidateEditor* editor = page.candidateEditor();
    QTableView* rules = editor->rulesView();
    QAbstractItemModelTester tester(
        rules->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);

    // Form → JSON: type a new limit into the rules table.
    const QModelIndex limit = rules->model()->index(0, workbench::PolicyRulesModel::Limit);
    rules->setCurrentIndex(limit);
    rules->edit(limit);
    auto* line = rules->findChild<QLineEdit*>();
    QVERIFY(line);
    line->selectAll();
    QTest::keyClicks(line, u"7"_s);
    QTest::keyClick(line, Qt::Key_Return); // the view commits it from its event loop
    QTRY_COMPARE(limit.data().toString(), u"7"_s);
    QVERIFY(editor->textEdit()->toPlainText().contains(uR"("window": "1m", "limit": 7 })"_s));
    QCOMPARE(editor->textEdit()->toPlainText(), page.candidate()->text());
    // The diff against the baseline says so before anything runs.
    QTRY_COMPARE(page.changeModel()->rowCount(), 1);
    QCOMPARE(page.changeModel()->changes().front().path, u"rules[ip_minute].limit"_s);
    QCOMPARE(page.changeModel()->changes().front().after, u"7"_s);

    // Form: pick an algorithm from the combo box.
    const QModelIndex algorithm = rules->model()->index(3, workbench::PolicyRulesModel::Algorithm);
    rules->setCurrentIndex(algorithm);
    rules->edit(algorithm);
    auto* combo = rules->findChild<QComboBox*>();
    QVERIFY(combo);
    combo->setCurrentIndex(combo->findText(u"fixed_window"_s));
    Q_EMIT combo->activated(combo->currentIndex());
    QTRY_COMPARE(algorithm.data().toString(), u"fixed_window"_s);
    QVERIFY(page.candidate()->isValid());
    QCOMPARE(page.candidate()->policy()->rules[3].limit, 1); // token bucket rate 1 → limit 1

    // JSON → form: type in the text; after the pause the table follows.
    editor->tabs()->setCurrentIndex(ui::CandidateEditor::JsonTab);
    ui::PolicyTextEdit* json = editor->textEdit();
    QTextCursor cursor = json->document()->find(u"\"limit\": 7 }"_s);
    QVERIFY(!cursor.isNull());
    const int seven = cursor.selectionStart() + 9; // after `"limit": `
    cursor.setPosition(seven);
    cursor.setPosition(seven + 1, QTextCursor::KeepAnchor);
    json->setTextCursor(cursor);
    QTest::keyClicks(json, u"9"_s);
    QTRY_COMPARE(limit.data().toString(), u"9"_s);
    QCOMPARE(page.candidate()->policy()->rules.front().limit, 9);
    QTRY_COMPARE(page.changeModel()->changes().front().after, u"9"_s);

    // Round trip: the text the form shows is the text, and reading it back changes nothing.
    workbench::PolicyDocument copy;
    copy.setText(json->toPlainText());
    QCOMPARE(copy.root(), page.candidate()->root());
    QVERIFY(policy::diff(*copy.policy(), *page.candidate()->policy()).isEmpty());
    c.shot(u"json-view"_s);
}

void TestSimulatePage::cancelMidRunLeavesThePageUsable()
{
    Console c;
    QVERIFY(c.connect(TestCluster::instance().conninfo(database()), db::QuotaRole::Admin));
    ui::SimulatePage& page = *c.page;
    QTRY_VERIFY_WITH_TIMEOUT(page.baselineWidget()->state().ready(), 10000);
    // About two million requests: long enough to be caught deciding them.
    page.sourceWidget()->setSource(generated(1200, 30 * enforcement::kMinute));
    QVERIFY2(page.runBlocker().isEmpty(), qPrintable(page.runBlocker()));
    QSignalSpy finished(&page, &ui::SimulatePage::runFinished);
    QVERIFY(page.run());
    QVERIFY(page.isRunning());
    QVERIFY(page.cancelAction()->isEnabled());
    QVERIFY(!page.runAction()->isEnabled());
    QVERIFY(page.progressBar()->isVisible());
    // Wait until it is deciding (the GUI thread keeps running meanwhile: this loop is it).
    QTRY_VERIFY_WITH_TIMEOUT(
        page.runner()->progress().phase == workbench::RunProgress::Phase::Simulating
            && page.runner()->progress().done > 0,
        60000);
    QVERIFY(page.statusText().contains(u"requests"_s));
    c.shot(u"running"_s);
    QCOMPARE(finished.size(), 0);
    page.cancel();
    QVERIFY(finished.wait(10000));
    const auto result = finished.at(0).at(0).value<workbench::RunResult>();
    QVERIFY(result.cancelled);
    QVERIFY(!result.report);
    // No worker is left, and the page works: it runs again (on the kept trace, a smaller one
    // would do as well) and edits are taken.
    QTRY_COMPARE(page.runner()->activeJobs(), 0);
    QVERIFY(!page.isRunning());
    QVERIFY(!page.progressBar()->isVisible());
    QVERIFY(page.statusText().contains(u"Cancelled"_s));
    QVERIFY(page.runAction()->isEnabled());
    QVERIFY(!page.cancelAction()->isEnabled());
    QVERIFY(!page.resultsWidget()->hasResult());
    page.sourceWidget()->setSource(generated(20, 10 * enforcement::kMinute));
    QVERIFY(page.candidateEditor()->rulesModel()->setData(
        page.candidateEditor()->rulesModel()->index(0, workbench::PolicyRulesModel::Limit),
        u"6"_s));
    finished.clear();
    QVERIFY(page.run());
    QVERIFY(finished.wait(60000));
    QVERIFY(finished.at(0).at(0).value<workbench::RunResult>().ok());
    QVERIFY(page.resultsWidget()->hasResult());
    QTRY_COMPARE(page.runner()->activeJobs(), 0);
}

void TestSimulatePage::replayFromTheDatabase()
{
    Console c;
    QVERIFY(c.connect(TestCluster::instance().conninfo(database()), db::QuotaRole::Admin));
    ui::SimulatePage& page = *c.page;
    QTRY_VERIFY_WITH_TIMEOUT(page.baselineWidget()->state().ready(), 10000);
    QVERIFY(page.baselineWidget()->state().name.contains(u"(active)"_s));
    simulation::WorkspaceSource source;
    source.kind = simulation::WorkspaceSource::Kind::Database;
    source.fromMs = m_seeded.history().start;
    source.toMs = m_seeded.history().end;
    page.sourceWidget()->setSource(source);
    QCOMPARE(page.sourceWidget()->source().kind, simulation::WorkspaceSource::Kind::Database);
    page.candidate()->setText(withIpMinuteLimit(4));
    QTRY_VERIFY(page.runAction()->isEnabled());

    QSignalSpy finished(&page, &ui::SimulatePage::runFinished);
    QVERIFY(page.run());
    QVERIFY(finished.wait(60000));
    const auto result = finished.at(0).at(0).value<workbench::RunResult>();
    QVERIFY2(result.ok(), qPrintable(result.error));
    QVERIFY(result.load.database);
    QCOMPARE(result.load.database->rows, std::uint64_t(m_seeded.history().requests));
    const simulation::Report& r = *result.report;
    // The baseline is the policy that decided live: it agrees with every decision.
    QVERIFY(r.fidelity.available);
    QCOMPARE(r.fidelity.compared,
        std::uint64_t(m_seeded.history().requests - result.load.database->failOpen));
    QCOMPARE(r.fidelity.agreed, r.fidelity.compared);
    QCOMPARE(r.fidelity.agreementPct, 100.0);
    QVERIFY(page.resultsWidget()->fidelityText().contains(u"100"_s));
    QVERIFY(r.newlyDenied.total > 0);
    QCOMPARE(page.sections()->currentIndex(), int(ui::SimulatePage::ResultsSection));
    c.shot(u"results"_s);

    // The most affected identifier leads to its investigation.
    ui::SimulationResultsWidget* results = page.resultsWidget();
    QAbstractItemModelTester tester(
        results->affectedView()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(results->affectedModel()->rowCount() > 0);
    QSignalSpy investigate(&page, &ui::Page::investigateRequested);
    const QModelIndex first = results->affectedView()->model()->index(0, 0);
    results->affectedView()->doubleClicked(first);
    QCOMPARE(investigate.size(), 1);
    const auto target = investigate.at(0).at(0).value<services::InvestigationTarget>();
    QVERIFY(target.hasIdentifier());
    QCOMPARE(
        target.value, first.data(workbench::AffectedIdentifierModel::IdentifierRole).toString());
    QCOMPARE(target.from.toMSecsSinceEpoch(), r.traceStart);
    QCOMPARE(target.origin, u"simulate/affected"_s);
    const auto top = results->affectedModel()->entries().front();
    QCOMPARE(target.kind,
        top.user ? services::InvestigationTarget::Kind::User
                 : services::InvestigationTarget::Kind::Ip);
}

void TestSimulatePage::fidelityOnLoadgenTraffic()
{
    // Live traffic as `quotactl loadgen` plays it (quota_check + quota_complete under the
    // default policy): normal traffic, a bot burst past the IP limits and abuse patterns, a
    // client reusing idempotency keys and an expensive chat user. One connection: requests
    // are decided in the order they are logged (docs/simulation.md, what makes replay
    // disagree).
    const QString name = TestCluster::instance().createDatabase();
    QVERIFY(!name.isEmpty());
    QSqlDatabase db = TestCluster::instance().open(name);
    {
        livetest::LiveEnforcer live(db);
        QVERIFY2(live.setPolicy(policy::defaultPolicyJson()), qPrintable(live.lastError()));
    }
    live::LoadOptions options;
    options.conninfo = TestCluster::instance().conninfo(name).toStdString();
    options.rate = 60;
    options.diurnal = false;
    options.durationMs = 4000;
    options.connections = 1;
    options.users = 300;
    options.ips = 600;
    options.seed = 7;
    for (const QString& text :
        { u"bot_burst@0:4s:80"_s, u"buggy_client@0:4s:6"_s, u"cost_spike@0:4s:3"_s }) {
        QString error;
        const auto scenario = live::parseLiveScenario(text, &error);
        QVERIFY2(scenario, qPrintable(error));
        options.scenarios.push_back(*scenario);
    }
    live::MetricsRegistry registry;
    live::LoadGenerator generator(options, &registry);
    const QString started = generator.start();
    QVERIFY2(started.isEmpty(), qPrintable(started));
    QVERIFY(QTest::qWaitFor([&] { return generator.isFinished(); }, 60000));
    const live::LoadSummary summary = generator.wait();
    QVERIFY2(summary.error.isEmpty(), qPrintable(summary.error));
    QVERIFY(summary.progress.decided > 300);
    QCOMPARE(summary.progress.logged, summary.progress.decided);
    QVERIFY(summary.progress.denied > 0);
    const auto span = sqlCall(db,
        u"SELECT floor(extract(epoch FROM min(ts)) * 1000)::bigint, "
        "floor(extract(epoch FROM max(ts)) * 1000)::bigint, count(*) "
        "FROM quota.request_logs"_s);
    QVERIFY2(span.ok, span.describe());
    const qint64 from = span.value(0).toLongLong();
    const qint64 to = span.value(1).toLongLong() + 1;
    QCOMPARE(span.value(2).toULongLong(), summary.progress.logged);

    Console c;
    QVERIFY(c.connect(TestCluster::instance().conninfo(name), db::QuotaRole::Admin));
    ui::SimulatePage& page = *c.page;
    QTRY_VERIFY_WITH_TIMEOUT(page.baselineWidget()->state().ready(), 10000);
    simulation::WorkspaceSource source;
    source.kind = simulation::WorkspaceSource::Kind::Database;
    source.fromMs = from;
    source.toMs = to;
    page.sourceWidget()->setSource(source);
    QByteArray tighter = policy::defaultPolicyJson();
    const QByteArray ipRule = R"("window": "1m", "limit": 20 })";
    QVERIFY(tighter.contains(ipRule));
    tighter.replace(ipRule, R"("window": "1m", "limit": 5 })");
    page.candidate()->setText(QString::fromUtf8(tighter));
    QTRY_VERIFY(page.runAction()->isEnabled());
    QSignalSpy finished(&page, &ui::SimulatePage::runFinished);
    QVERIFY(page.run());
    QVERIFY(finished.wait(60000));
    auto result = finished.takeFirst().at(0).value<workbench::RunResult>();
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.load.database->rows, summary.progress.logged);
    const simulation::Report& r = *result.report;
    QVERIFY(r.fidelity.available);
    QCOMPARE(r.fidelity.compared, summary.progress.logged - result.load.database->failOpen);
    QVERIFY2(r.fidelity.agreed == r.fidelity.compared,
        qPrintable(page.resultsWidget()->disagreementModel()->rowCount() > 0
                ? page.resultsWidget()
                        ->disagreementModel()
                        ->index(0, workbench::DisagreementModel::Recorded)
                        .data()
                        .toString()
                    % u" / "_s
                    % page.resultsWidget()
                          ->disagreementModel()
                          ->index(0, workbench::DisagreementModel::Simulated)
                          .data()
                          .toString()
                : QString::number(r.fidelity.agreed)));
    QCOMPARE(r.fidelity.agreementPct, 100.0);
    QCOMPARE(page.resultsWidget()->disagreementModel()->rowCount(), 0);
    QVERIFY(page.resultsWidget()->fidelityText().contains(u"100"_s));
    QVERIFY(r.baseline.denied > 0);
    QVERIFY(r.newlyDenied.total > 0);

    // A baseline that is not what decided live (a file with the tighter limit): the fidelity
    // drops and the requests it decides otherwise are listed, each recorded vs simulated.
    QTemporaryDir dir;
    const QString file = dir.filePath(u"tighter.json"_s);
    {
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(tighter);
    }
    simulation::WorkspaceBaseline baseline;
    baseline.kind = simulation::WorkspaceBaseline::Kind::File;
    baseline.path = file;
    page.baselineWidget()->setBaseline(baseline);
    QTRY_VERIFY_WITH_TIMEOUT(page.baselineWidget()->state().ready(), 10000);
    QTRY_VERIFY(page.runAction()->isEnabled());
    QVERIFY(page.run());
    QVERIFY(finished.wait(60000));
    result = finished.takeFirst().at(0).value<workbench::RunResult>();
    QVERIFY2(result.ok(), qPrintable(result.error));
    const simulation::Report& off = *result.report;
    QVERIFY(off.fidelity.agreed < off.fidelity.compared);
    QVERIFY(off.fidelity.agreementPct < 100.0);
    // The baseline denies what live admitted: at least the requests the first run newly denied.
    QVERIFY(off.fidelity.compared - off.fidelity.agreed >= r.newlyDenied.total);
    workbench::DisagreementModel* listed = page.resultsWidget()->disagreementModel();
    QAbstractItemModelTester tester(listed, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(std::uint64_t(listed->rowCount()),
        std::min<std::uint64_t>(off.fidelity.compared - off.fidelity.agreed, 10000));
    bool deniedWhatLiveAllowed = false;
    for (int row = 0; row < listed->rowCount(); ++row) {
        const QString recorded
            = listed->index(row, workbench::DisagreementModel::Recorded).data().toString();
        const QString simulated
            = listed->index(row, workbench::DisagreementModel::Simulated).data().toString();
        QVERIFY(recorded != simulated);
        deniedWhatLiveAllowed = deniedWhatLiveAllowed
            || (recorded.startsWith(u"allowed"_s) && simulated.contains(u"ip_per_minute"_s));
    }
    QVERIFY(deniedWhatLiveAllowed);
    page.resultsWidget()->tabs()->setCurrentIndex(ui::SimulationResultsWidget::FidelityTab);
    c.shot(u"fidelity-disagreements"_s);
}

void TestSimulatePage::sweepAndApply()
{
    Console c;
    QVERIFY(c.connect(TestCluster::instance().conninfo(database()), db::QuotaRole::Admin));
    ui::SimulatePage& page = *c.page;
    QTRY_VERIFY_WITH_TIMEOUT(page.baselineWidget()->state().ready(), 10000);
    page.sourceWidget()->setSource(generated(30, 30 * enforcement::kMinute));
    ui::SweepWidget* sweep = page.sweepWidget();
    QAbstractItemModelTester tester(
        sweep->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(sweep->parameterBox()->count() > 5);
    sweep->setSpecText(u"rules[ip_minute].limit=4:16:4"_s);
    QCOMPARE(sweep->specText(), u"rules[ip_minute].limit=4:16:4"_s);
    QSignalSpy finished(&page, &ui::SimulatePage::runFinished);
    QVERIFY(page.runSweep());
    QVERIFY(finished.wait(60000));
    const auto result = finished.at(0).at(0).value<workbench::RunResult>();
    QVERIFY2(result.ok(), qPrintable(result.error));
    QVERIFY(result.sweep);
    QCOMPARE(result.sweep->points.size(), 4);
    QCOMPARE(sweep->model()->rowCount(), 5); // the baseline and four values
    QCOMPARE(page.sections()->currentIndex(), int(ui::SimulatePage::SweepSection));
    // Stricter values deny more legitimate traffic and admit less abusive traffic.
    QVERIFY(result.sweep->points.front().legitimateDenied
        >= result.sweep->points.back().legitimateDenied);
    c.shot(u"sweep"_s);
    // Pick 8 and put it into the candidate.
    sweep->selectValue(8);
    QTest::mouseClick(sweep->findChild<QPushButton*>(u"sweepApply"_s), Qt::LeftButton);
    QCOMPARE(page.candidate()->policy()->rules.front().limit, 8);
    QVERIFY(page.candidate()->text().contains(uR"("window": "1m", "limit": 8 })"_s));
    QTRY_COMPARE(page.changeModel()->rowCount(), 1);
}

void TestSimulatePage::exports()
{
    Console c;
    QVERIFY(c.connect(TestCluster::instance().conninfo(database()), db::QuotaRole::Admin));
    ui::SimulatePage& page = *c.page;
    QTRY_VERIFY2_WITH_TIMEOUT(page.baselineWidget()->state().ready(),
        qPrintable(page.baselineWidget()->state().error), 10000);
    page.sourceWidget()->setSource(generated(30, 40 * enforcement::kMinute));
    page.candidate()->setText(withIpMinuteLimit(3));
    // A budget that is not a condition blocks the run and says where.
    page.budgetEdit()->setText(u"newly_denied.total >"_s);
    QVERIFY(!page.runAction()->isEnabled());
    QVERIFY2(page.runBlocker().contains(u"column"_s), qPrintable(page.runBlocker()));
    page.budgetEdit()->setText(u"newly_denied.total > 0"_s);
    QVERIFY2(page.runBlocker().isEmpty(), qPrintable(page.runBlocker()));
    QSignalSpy finished(&page, &ui::SimulatePage::runFinished);
    QVERIFY(page.run());
    QVERIFY(finished.wait(60000));
    const simulation::Report report = *finished.at(0).at(0).value<workbench::RunResult>().report;
    QVERIFY(report.newlyDenied.total > 0);
    // The budget's verdict comes first in the results and in the report.
    QVERIFY2(page.resultsWidget()->calloutText().contains(u"Budget broken"_s),
        qPrintable(page.resultsWidget()->calloutText()));
    QVERIFY(page.resultsWidget()->calloutText().contains(
        u"newly_denied.total = "_s % QString::number(report.newlyDenied.total)));
    // Editing the budget after the run gives the shown results its verdict at once.
    page.budgetEdit()->setText(u"newly_denied.total > 1000000000"_s);
    QVERIFY2(page.resultsWidget()->calloutText().contains(u"Within budget"_s),
        qPrintable(page.resultsWidget()->calloutText()));
    page.budgetEdit()->clear();
    QVERIFY(!page.resultsWidget()->calloutText().contains(u"budget"_s, Qt::CaseInsensitive));
    page.budgetEdit()->setText(u"newly_denied.total > 0"_s);
    QVERIFY(page.resultsWidget()->calloutText().contains(u"Budget broken"_s));

    QTemporaryDir dir;
    QSignalSpy exported(&page, &ui::SimulatePage::exportFinished);
    for (const auto& [format, file] :
        { std::pair { ui::SimulatePage::ExportFormat::Html, u"report.html"_s },
            std::pair { ui::SimulatePage::ExportFormat::Pdf, u"report.pdf"_s },
            std::pair { ui::SimulatePage::ExportFormat::Csv, u"affected.csv"_s } }) {
        exported.clear();
        page.exportResults(format, dir.filePath(file));
        QVERIFY(exported.wait(30000));
        QVERIFY2(
            exported.at(0).at(1).toString().isEmpty(), qPrintable(exported.at(0).at(1).toString()));
    }
    QFile html(dir.filePath(u"report.html"_s));
    QVERIFY(html.open(QIODevice::ReadOnly));
    const QByteArray page1 = html.readAll();
    QVERIFY(page1.contains("<svg"));
    QVERIFY(page1.contains("rules[ip_minute].limit: 12 → 3"));
    QVERIFY(page1.contains("Budget broken: <code>newly_denied.total &gt; 0</code>"));
    QFile csv(dir.filePath(u"affected.csv"_s));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> rows = csv.readAll().trimmed().split('\n');
    QVERIFY(rows.front().startsWith("kind,identifier,newly_denied,newly_admitted"));
    // Every affected identifier, not only the top of the list.
    QCOMPARE(
        rows.size() - 1,
        report.newlyDenied.topClients.size() + report.newlyDenied.topUsers.size() + [&] {
            qsizetype extra = 0;
            for (const auto& n : report.newlyAdmitted.topClients)
                extra += !std::any_of(report.newlyDenied.topClients.begin(),
                    report.newlyDenied.topClients.end(),
                    [&](const simulation::NamedCount& d) { return d.name == n.name; });
            for (const auto& n : report.newlyAdmitted.topUsers)
                extra += !std::any_of(report.newlyDenied.topUsers.begin(),
                    report.newlyDenied.topUsers.end(),
                    [&](const simulation::NamedCount& d) { return d.name == n.name; });
            return extra;
        }());
    QFile pdf(dir.filePath(u"report.pdf"_s));
    QVERIFY(pdf.open(QIODevice::ReadOnly));
    QVERIFY(pdf.read(5) == "%PDF-");
    QVERIFY(pdf.size() > 20000); // the charts are images in it
    if (!qEnvironmentVariable("QC_SCREENSHOT_DIR").isEmpty())
        QFile::copy(dir.filePath(u"report.pdf"_s),
            qEnvironmentVariable("QC_SCREENSHOT_DIR") % u"/report.pdf"_s);
}

void TestSimulatePage::workspaceRoundTrip()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(u"tighter.json"_s);
    const QString name = database();
    QString savedText;
    QJsonObject savedReport;
    simulation::WorkspaceSource savedSource;
    {
        Console c;
        QVERIFY(c.connect(TestCluster::instance().conninfo(name), db::QuotaRole::Admin));
        ui::SimulatePage& page = *c.page;
        QTRY_VERIFY_WITH_TIMEOUT(page.baselineWidget()->state().ready(), 10000);
        simulation::WorkspaceSource source;
        source.kind = simulation::WorkspaceSource::Kind::Database;
        source.fromMs = m_seeded.history().start;
        source.toMs = m_seeded.history().end;
        source.warmupMs = 10 * enforcement::kMinute;
        page.sourceWidget()->setSource(source);
        page.candidate()->setText(withIpMinuteLimit(6));
        page.sweepWidget()->setSpecText(u"rules[ip_minute].limit=2:10:2"_s);
        page.budgetEdit()->setText(u"paid_denied_pct > 50"_s);
        QSignalSpy finished(&page, &ui::SimulatePage::runFinished);
        QVERIFY(page.run());
        QVERIFY(finished.wait(60000));
        QVERIFY(page.lastResult() && page.lastResult()->ok());
        QCOMPARE(page.saveWorkspace(file), QString());
        savedText = page.candidate()->text();
        savedSource = page.sourceWidget()->source();
        const auto loaded = simulation::loadWorkspace(file);
        QVERIFY2(loaded.ok(), qPrintable(loaded.errorText()));
        QVERIFY(loaded.workspace->results);
        savedReport = loaded.workspace->results->report;
        QCOMPARE(loaded.workspace->source.connection, u"Replay test"_s);
        QCOMPARE(loaded.workspace->results->summary.fidelityPct.value_or(0), 100.0);
    }
    // A new page (another day): everything comes back, results included, without a run.
    Console c;
    QVERIFY(c.connect(TestCluster::instance().conninfo(name), db::QuotaRole::Admin));
    ui::SimulatePage& page = *c.page;
    QCOMPARE(page.openWorkspace(file), QString());
    // The same policy, in the policy file layout (the workspace keeps it as a JSON object).
    const QJsonObject savedRoot = QJsonDocument::fromJson(savedText.toUtf8()).object();
    QCOMPARE(page.candidate()->root(), savedRoot);
    QCOMPARE(page.candidate()->text(), workbench::formatPolicyJson(savedRoot));
    const simulation::WorkspaceSource source = page.sourceWidget()->source();
    QCOMPARE(source.kind, savedSource.kind);
    QCOMPARE(source.fromMs, savedSource.fromMs);
    QCOMPARE(source.toMs, savedSource.toMs);
    QCOMPARE(source.warmupMs, savedSource.warmupMs);
    QCOMPARE(page.baselineWidget()->state().spec.kind,
        simulation::WorkspaceBaseline::Kind::ActiveVersion);
    QCOMPARE(page.sweepWidget()->specText(), u"rules[ip_minute].limit=2:10:2"_s);
    QCOMPARE(page.budgetEdit()->text(), u"paid_denied_pct > 50"_s);
    QVERIFY2(page.resultsWidget()->calloutText().contains(u"Within budget"_s),
        qPrintable(page.resultsWidget()->calloutText()));
    QVERIFY(page.resultsWidget()->hasResult());
    QVERIFY(page.resultsWidget()->summaryText().contains(u"saved with the workspace"_s));
    QCOMPARE(simulation::toJson(*page.lastResult()->report), savedReport);
    QVERIFY(page.resultsWidget()->fidelityText().contains(u"100"_s));
    QCOMPARE(page.sections()->currentIndex(), int(ui::SimulatePage::ResultsSection));
    QTRY_VERIFY_WITH_TIMEOUT(page.baselineWidget()->state().ready(), 10000);
    // Saving it again writes the same workspace.
    const QString again = dir.filePath(u"again.json"_s);
    QCOMPARE(page.saveWorkspace(again), QString());
    auto a = simulation::loadWorkspace(file);
    auto b = simulation::loadWorkspace(again);
    QVERIFY(a.ok() && b.ok());
    QCOMPARE(b.workspace->candidateJson, a.workspace->candidateJson);
    QCOMPARE(b.workspace->baseline, a.workspace->baseline);
    QCOMPARE(b.workspace->sweep, a.workspace->sweep);
    QCOMPARE(b.workspace->budget, a.workspace->budget);
    QCOMPARE(b.workspace->results->report, a.workspace->results->report);
    QCOMPARE(b.workspace->results->summary, a.workspace->results->summary);
    QCOMPARE(b.workspace->results->ranAt, a.workspace->results->ranAt);
    // A broken file says what is wrong and changes nothing.
    QFile broken(dir.filePath(u"broken.json"_s));
    QVERIFY(broken.open(QIODevice::WriteOnly));
    broken.write(
        R"({"format": "quota-console-workspace", "version": 1, "source": {"kind": "tape"}})");
    broken.close();
    const QString error = page.openWorkspace(broken.fileName());
    QVERIFY2(error.contains(u"workspace.source"_s), qPrintable(error));
    QCOMPARE(page.candidate()->root(), savedRoot);
}

QTEST_MAIN(TestSimulatePage)
#include "tst_simulatepage.moc"
