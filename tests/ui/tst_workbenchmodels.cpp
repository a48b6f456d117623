// The Simulate page's result models over a real report (QAbstractItemModelTester on each), the
// runner's cancellation and trace reuse, and the exported PDF: its charts are drawn, and drawn
// inside the page (rendered with pdftoppm and looked at pixel by pixel).

#include "policy/policyjson.h"
#include "simulation/simulator.h"
#include "trace/generator.h"
#include "workbench/affectedidentifiermodel.h"
#include "workbench/alertfiringmodel.h"
#include "workbench/disagreementmodel.h"
#include "workbench/namedcountmodel.h"
#include "workbench/policychangemodel.h"
#include "workbench/policyversionmodel.h"
#include "workbench/reportfiles.h"
#include "workbench/simulationrunner.h"
#include "workbench/sweeppointmodel.h"
#include "workbench/totalsmodel.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QImage>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qc;

namespace {

QByteArray tighter()
{
    QByteArray json = policy::defaultPolicyJson();
    json.replace(R"("window": "1m", "limit": 20)", R"("window": "1m", "limit": 6)");
    return json;
}

simulation::WorkspaceSource generated(double rate, qint64 durationMs)
{
    simulation::WorkspaceSource s;
    s.kind = simulation::WorkspaceSource::Kind::Generated;
    s.generator.durationMs = durationMs;
    s.generator.requestsPerSecond = rate;
    s.generator.users = 300;
    s.generator.ips = 500;
    trace::Scenario bots;
    bots.kind = trace::ScenarioKind::BotBurst;
    bots.offsetMs = durationMs / 3;
    s.generator.scenarios = { trace::Scenario {}, bots };
    return s;
}

workbench::RunRequest request(const simulation::WorkspaceSource& source)
{
    workbench::RunRequest r;
    r.source = source;
    r.baseline = policy::defaultPolicy();
    r.baselineName = u"default policy"_s;
    r.candidateJson = tighter();
    r.candidate = *policy::parsePolicy(r.candidateJson).policy;
    return r;
}

// Runs `r` and returns what finished() gave.
std::optional<workbench::RunResult> runOnce(
    workbench::SimulationRunner& runner, workbench::RunRequest r)
{
    QSignalSpy finished(&runner, &workbench::SimulationRunner::finished);
    if (!runner.start(std::move(r)) || !finished.wait(60000))
        return std::nullopt;
    return finished.at(0).at(0).value<workbench::RunResult>();
}

// Share of the pixels of `image` in `rect` that are near `color`.
double shareOf(const QImage& image, const QRect& rect, QColor color)
{
    qint64 hits = 0;
    qint64 total = 0;
    for (int y = rect.top(); y <= rect.bottom(); ++y) {
        for (int x = rect.left(); x <= rect.right(); ++x) {
            const QColor c = image.pixelColor(x, y);
            ++total;
            if (std::abs(c.red() - color.red()) < 40 && std::abs(c.green() - color.green()) < 40
                && std::abs(c.blue() - color.blue()) < 40)
                ++hits;
        }
    }
    return total == 0 ? 0.0 : static_cast<double>(hits) / static_cast<double>(total);
}

} // namespace

class TestWorkbenchModels : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        workbench::SimulationRunner runner;
        const auto result = runOnce(runner, request(generated(25, 40 * enforcement::kMinute)));
        QVERIFY(result);
        QVERIFY2(result->ok(), qPrintable(result->error));
        m_result = *result;
        QVERIFY(m_result.report->newlyDenied.total > 0);
        QTRY_COMPARE(runner.activeJobs(), 0);
    }

    void everyModelPassesTheTester()
    {
        using Tester = QAbstractItemModelTester;
        const auto mode = Tester::FailureReportingMode::QtTest;
        const simulation::Report& r = *m_result.report;

        workbench::TotalsModel totals;
        Tester t1(&totals, mode);
        totals.resetData(r);
        QVERIFY(totals.rowCount() >= 6);
        QCOMPARE(totals.index(0, workbench::TotalsModel::Baseline).data().toString(),
            QLocale().toString(static_cast<qulonglong>(r.baseline.requests)));

        workbench::NamedCountModel byRule(u"Rule"_s);
        Tester t2(&byRule, mode);
        byRule.resetData(r.newlyDenied.byRule, r.newlyDenied.total, u"(no rule)"_s);
        QCOMPARE(byRule.rowCount(), r.newlyDenied.byRule.size());
        QCOMPARE(byRule.index(0, 0).data().toString(), u"ip_per_minute"_s);

        workbench::AffectedIdentifierModel affected;
        Tester t3(&affected, mode);
        affected.resetData(r);
        QVERIFY(affected.rowCount() > 0);
        // Most newly denied first, each identifier once.
        for (int row = 1; row < affected.rowCount(); ++row)
            QVERIFY(affected.entries().at(row - 1).newlyDenied
                >= affected.entries().at(row).newlyDenied);
        QCOMPARE(affected.entries().front().newlyDenied,
            r.newlyDenied.topClients.front().count
                    > (r.newlyDenied.topUsers.isEmpty() ? 0 : r.newlyDenied.topUsers.front().count)
                ? r.newlyDenied.topClients.front().count
                : r.newlyDenied.topUsers.front().count);

        workbench::AlertFiringModel alerts;
        Tester t4(&alerts, mode);
        alerts.resetData(r.alerts);
        QCOMPARE(alerts.rowCount(), r.alerts.size());

        workbench::DisagreementModel disagreements;
        Tester t5(&disagreements, mode);
        simulation::Disagreement d;
        d.index = 3;
        d.requestId = u"r3"_s;
        d.line = 5;
        d.recorded = { false, 429, u"rate_limited"_s, u"ip_per_minute"_s };
        d.simulated = { true, 200, u"admitted"_s, {} };
        disagreements.resetData({ d },
            { workbench::DisagreementDetail {
                1, u"203.0.113.7"_s, {}, u"/api/chat"_s, u"POST"_s } });
        QCOMPARE(disagreements.rowCount(), 1);
        QCOMPARE(disagreements.index(0, workbench::DisagreementModel::Recorded).data().toString(),
            u"denied 429 rate_limited (ip_per_minute)"_s);
        QCOMPARE(disagreements.index(0, workbench::DisagreementModel::Endpoint).data().toString(),
            u"POST /api/chat"_s);

        workbench::PolicyChangeModel changes;
        Tester t6(&changes, mode);
        changes.resetData(
            policy::diff(policy::defaultPolicy(), *policy::parsePolicy(tighter()).policy));
        QCOMPARE(changes.rowCount(), 1);
        QCOMPARE(changes.index(0, workbench::PolicyChangeModel::Path).data().toString(),
            u"rules[ip_per_minute].limit"_s);

        workbench::PolicyVersionModel versions;
        Tester t7(&versions, mode);
        replay::PolicyVersion v1;
        v1.id = 1;
        v1.reason = u"initial"_s;
        v1.createdBy = u"alice"_s;
        v1.createdAt = QDateTime::fromMSecsSinceEpoch(1767571200000, Qt::UTC);
        replay::PolicyVersion v2 = v1;
        v2.id = 2;
        v2.active = true;
        v2.activatedAt = v1.createdAt;
        versions.resetData({ v2, v1 });
        QCOMPARE(versions.activeId(), 2);
        QCOMPARE(versions.index(1, workbench::PolicyVersionModel::State).data().toString(),
            u"never activated"_s);

        workbench::SweepPointModel points;
        Tester t8(&points, mode);
        QCOMPARE(points.rowCount(), 0);
        simulation::SweepResult sweep;
        QString error;
        sweep.parameter = *simulation::parseSweepParameter(
            u"ip_per_minute.limit"_s, policy::defaultPolicy(), &error);
        sweep.candidateValue = 20;
        simulation::SweepPoint p;
        p.value = 20;
        p.valueText = u"20"_s;
        sweep.points = { p };
        points.resetData(sweep);
        QCOMPARE(points.rowCount(), 2);
        QCOMPARE(points.index(1, 0).data().toString(), u"20 (candidate)"_s);
        QVERIFY(!points.pointAt(0));
        QCOMPARE(points.pointAt(1)->value, 20);
        points.clear();
        QCOMPARE(points.rowCount(), 0);
    }

    void runnerKeepsTheTraceAndCancels()
    {
        workbench::SimulationRunner runner;
        const simulation::WorkspaceSource source = generated(25, 20 * enforcement::kMinute);
        auto first = runOnce(runner, request(source));
        QVERIFY(first && first->ok());
        QVERIFY(!first->load.reused);
        // The same traffic again: not read again.
        auto second = runOnce(runner, request(source));
        QVERIFY(second && second->ok());
        QVERIFY(second->load.reused);
        QCOMPARE(simulation::toJson(*second->report).value(u"newly_denied"_s),
            simulation::toJson(*first->report).value(u"newly_denied"_s));
        QSignalSpy finished(&runner, &workbench::SimulationRunner::finished);
        QVERIFY(runner.start(request(source)));
        QVERIFY(runner.isRunning());
        QVERIFY(!runner.start(request(source))); // one run at a time
        runner.cancel();
        QVERIFY(finished.wait(10000));
        QVERIFY(finished.at(0).at(0).value<workbench::RunResult>().cancelled);
        QTRY_COMPARE(runner.activeJobs(), 0);
        // A source that cannot be read says so.
        simulation::WorkspaceSource missing;
        missing.kind = simulation::WorkspaceSource::Kind::File;
        missing.path = u"/nonexistent/trace.csv"_s;
        auto failed = runOnce(runner, request(missing));
        QVERIFY(failed);
        QVERIFY(!failed->ok());
        QVERIFY2(failed->error.contains(u"/nonexistent/trace.csv"_s), qPrintable(failed->error));
        // Without a database a request_logs source cannot run, and says why.
        simulation::WorkspaceSource logs;
        logs.kind = simulation::WorkspaceSource::Kind::Database;
        logs.fromMs = 0;
        logs.toMs = 1;
        auto noDb = runOnce(runner, request(logs));
        QVERIFY(noDb);
        QVERIFY(noDb->error.contains(u"Connect to a quota database"_s));
    }

    void pdfHasItsChartsOnThePage()
    {
        const QString pdftoppm = QStandardPaths::findExecutable(u"pdftoppm"_s);
        if (pdftoppm.isEmpty())
            QFAIL("pdftoppm is missing: apt-get install poppler-utils "
                  "(packaging/debian-packages.txt)");
        QTemporaryDir dir;
        workbench::ReportFiles files;
        files.report = m_result.report;
        files.html.title = u"Policy simulation"_s;
        files.html.policyChanges = { u"rules[ip_per_minute].limit: 20 → 6"_s };
        const QString pdf = dir.filePath(u"report.pdf"_s);
        QCOMPARE(files.writePdf(pdf), QString());
        QProcess render;
        render.start(pdftoppm, { u"-r"_s, u"50"_s, u"-png"_s, pdf, dir.filePath(u"page"_s) });
        QVERIFY(render.waitForFinished(30000));
        QCOMPARE(render.exitCode(), 0);
        const QStringList pages
            = QDir(dir.path()).entryList({ u"page-*.png"_s }, QDir::Files, QDir::Name);
        QVERIFY(pages.size() >= 2);
        // The charts use the report's colours: baseline blue, candidate orange. They are there,
        // and nothing is drawn in the right margin (a chart wider than the page would be cut).
        const QColor baseline(0x4a, 0x6f, 0xa5);
        const QColor candidate(0xd9, 0x82, 0x2b);
        double blue = 0;
        double orange = 0;
        for (const QString& name : pages) {
            const QImage image(dir.filePath(name));
            QVERIFY(!image.isNull());
            const QRect body(0, 0, image.width(), image.height());
            blue += shareOf(image, body, baseline);
            orange += shareOf(image, body, candidate);
            const int margin = image.width() * 12 / 210; // inside the 15 mm margin
            const QRect right(image.width() - margin, 0, margin, image.height());
            QCOMPARE(shareOf(image, right, Qt::white), 1.0);
        }
        QVERIFY2(blue > 0.002, qPrintable(QString::number(blue)));
        QVERIFY2(orange > 0.002, qPrintable(QString::number(orange)));

        // HTML and CSV of the same results.
        QCOMPARE(files.writeHtml(dir.filePath(u"report.html"_s)), QString());
        QCOMPARE(files.writeCsv(dir.filePath(u"affected.csv"_s)), QString());
        QFile html(dir.filePath(u"report.html"_s));
        QVERIFY(html.open(QIODevice::ReadOnly));
        QVERIFY(html.readAll().contains("<svg"));
        // A file that cannot be written says which.
        const QString error = files.writePdf(u"/nonexistent/dir/report.pdf"_s);
        QVERIFY2(error.contains(u"/nonexistent/dir/report.pdf"_s), qPrintable(error));
    }

private:
    workbench::RunResult m_result;
};

QTEST_MAIN(TestWorkbenchModels)
#include "tst_workbenchmodels.moc"
