// Workspace files: what is saved is what is read back, and a bad file says where it is wrong.

#include "simulation/report.h"
#include "simulation/workspace.h"

#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qc;
using simulation::Workspace;
using simulation::WorkspaceBaseline;
using simulation::WorkspaceSource;

namespace {

Workspace databaseWorkspace()
{
    Workspace w;
    w.name = u"Tighter per-minute limit"_s;
    w.savedAt = QDateTime::fromString(u"2026-01-06T09:00:00.000Z"_s, Qt::ISODateWithMs);
    w.source.kind = WorkspaceSource::Kind::Database;
    w.source.connection = u"host=db.example.org dbname=quota user=alice"_s;
    w.source.fromMs = 1767571200000;
    w.source.toMs = 1767657600000;
    w.source.warmupMs = enforcement::kHour;
    w.baseline.kind = WorkspaceBaseline::Kind::Version;
    w.baseline.versionId = 7;
    w.candidateJson = R"({"version": 1, "plans": [{"name": "free"}]})";
    w.sweep = u"ip_per_minute.limit=10:40:5"_s;
    simulation::Report report;
    report.reportedRequests = 1000;
    report.newlyDenied.total = 12;
    report.newlyAdmitted.total = 3;
    report.paidNewlyDenied = 2;
    report.paidDeniedPct = 0.4;
    report.costSaved = 1500;
    report.fidelity.available = true;
    report.fidelity.agreementPct = 99.9;
    simulation::WorkspaceResults results;
    results.ranAt = QDateTime::fromString(u"2026-01-06T08:59:00.000Z"_s, Qt::ISODateWithMs);
    results.report = simulation::toJson(report);
    results.summary = simulation::summaryOf(results.report);
    w.results = results;
    return w;
}

QByteArray documentWith(const char* path, const QJsonValue& value)
{
    QJsonObject root = QJsonDocument::fromJson(*simulation::toJson(databaseWorkspace())).object();
    const QList<QByteArray> keys = QByteArray(path).split('.');
    // Set root[k0][k1]... = value (objects only).
    std::function<QJsonObject(QJsonObject, qsizetype)> set = [&](QJsonObject o, qsizetype i) {
        const QString key = QString::fromUtf8(keys.at(i));
        if (i + 1 == keys.size()) {
            if (value.isUndefined())
                o.remove(key);
            else
                o.insert(key, value);
        } else {
            o.insert(key, set(o.value(key).toObject(), i + 1));
        }
        return o;
    };
    return QJsonDocument(set(root, 0)).toJson();
}

} // namespace

class TestWorkspace : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTripsEverySourceKind_data();
    void roundTripsEverySourceKind();
    void keepsADraftCandidateAsText();
    void savesAtomicallyAndLoads();
    void neverSavesAPassword();
    void reportsEveryProblemWithItsPath_data();
    void reportsEveryProblemWithItsPath();
};

void TestWorkspace::roundTripsEverySourceKind_data()
{
    QTest::addColumn<int>("kind");
    QTest::newRow("database") << int(WorkspaceSource::Kind::Database);
    QTest::newRow("file") << int(WorkspaceSource::Kind::File);
    QTest::newRow("generated") << int(WorkspaceSource::Kind::Generated);
}

void TestWorkspace::roundTripsEverySourceKind()
{
    QFETCH(int, kind);
    Workspace w = databaseWorkspace();
    w.source.kind = static_cast<WorkspaceSource::Kind>(kind);
    if (w.source.kind == WorkspaceSource::Kind::File) {
        w.source.path = u"/var/traces/monday.csv"_s;
        w.source.format = trace::Format::Csv;
        w.baseline.kind = WorkspaceBaseline::Kind::File;
        w.baseline.path = u"/etc/quota/policy.json"_s;
    } else if (w.source.kind == WorkspaceSource::Kind::Generated) {
        w.source.generator.seed = 42;
        w.source.generator.durationMs = 2 * enforcement::kHour;
        w.source.generator.users = 900;
        w.source.generator.requestsPerSecond = 12.5;
        trace::Scenario burst;
        burst.kind = trace::ScenarioKind::BotBurst;
        burst.offsetMs = 30 * enforcement::kMinute;
        burst.durationMs = 10 * enforcement::kMinute;
        burst.rate = 40;
        w.source.generator.scenarios = { trace::Scenario {}, burst };
        w.baseline.kind = WorkspaceBaseline::Kind::Inline;
        w.baseline.policyJson = R"({"version": 1, "plans": [{"name": "pro"}]})";
    }
    const auto json = simulation::toJson(w);
    QVERIFY(json);
    const simulation::WorkspaceLoadResult loaded = simulation::parseWorkspace(*json);
    QVERIFY2(loaded.ok(), qPrintable(loaded.errorText()));
    const Workspace& back = *loaded.workspace;
    QCOMPARE(back.name, w.name);
    QCOMPARE(back.savedAt, w.savedAt);
    QCOMPARE(back.source.kind, w.source.kind);
    QCOMPARE(back.source.warmupMs, w.source.warmupMs);
    QCOMPARE(back.baseline.kind, w.baseline.kind);
    QCOMPARE(back.sweep, w.sweep);
    QCOMPARE(QJsonDocument::fromJson(back.candidateJson), QJsonDocument::fromJson(w.candidateJson));
    QVERIFY(back.results);
    QCOMPARE(back.results->ranAt, w.results->ranAt);
    QCOMPARE(back.results->report, w.results->report);
    QCOMPARE(back.results->summary, w.results->summary);
    QCOMPARE(back.results->summary.newlyDenied, 12U);
    QCOMPARE(back.results->summary.fidelityPct, std::optional<double>(99.9));
    switch (w.source.kind) {
    case WorkspaceSource::Kind::Database:
        QCOMPARE(back.source.connection, w.source.connection);
        QCOMPARE(back.source.fromMs, w.source.fromMs);
        QCOMPARE(back.source.toMs, w.source.toMs);
        QCOMPARE(back.baseline.versionId, 7);
        break;
    case WorkspaceSource::Kind::File:
        QCOMPARE(back.source.path, w.source.path);
        QCOMPARE(back.source.format, trace::Format::Csv);
        QCOMPARE(back.baseline.path, w.baseline.path);
        break;
    case WorkspaceSource::Kind::Generated: {
        const trace::GeneratorOptions& g = back.source.generator;
        QCOMPARE(g.seed, 42U);
        QCOMPARE(g.durationMs, 2 * enforcement::kHour);
        QCOMPARE(g.users, 900);
        QCOMPARE(g.requestsPerSecond, 12.5);
        QCOMPARE(g.startMs, w.source.generator.startMs);
        QCOMPARE(g.scenarios.size(), 2);
        QCOMPARE(g.scenarios.at(1).kind, trace::ScenarioKind::BotBurst);
        QCOMPARE(g.scenarios.at(1).offsetMs, std::optional<enforcement::TimeMs>(1800000));
        QCOMPARE(g.scenarios.at(1).durationMs, std::optional<enforcement::TimeMs>(600000));
        QCOMPARE(g.scenarios.at(1).rate, 40.0);
        QCOMPARE(QJsonDocument::fromJson(back.baseline.policyJson),
            QJsonDocument::fromJson(w.baseline.policyJson));
        break;
    }
    }
    // Saving what was read gives the same document.
    QCOMPARE(*simulation::toJson(back), *json);
}

void TestWorkspace::keepsADraftCandidateAsText()
{
    Workspace w = databaseWorkspace();
    w.candidateJson = R"({"version": 1, "rules": [ {"id": "x", )"; // being typed
    const QByteArray json = *simulation::toJson(w);
    QVERIFY(json.contains("\"text\""));
    const auto loaded = simulation::parseWorkspace(json);
    QVERIFY2(loaded.ok(), qPrintable(loaded.errorText()));
    QCOMPARE(loaded.workspace->candidateJson, w.candidateJson);
}

void TestWorkspace::savesAtomicallyAndLoads()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(u"w.qcworkspace"_s);
    QVERIFY(QFile(file).open(QIODevice::WriteOnly)); // an old file to replace
    QCOMPARE(simulation::saveWorkspace(databaseWorkspace(), file), QString());
    const auto loaded = simulation::loadWorkspace(file);
    QVERIFY2(loaded.ok(), qPrintable(loaded.errorText()));
    QCOMPARE(loaded.workspace->name, u"Tighter per-minute limit"_s);
    QVERIFY(!simulation::saveWorkspace(databaseWorkspace(), dir.filePath(u"no/such/dir/w"_s))
                 .isEmpty());
    const auto missing = simulation::loadWorkspace(dir.filePath(u"missing"_s));
    QVERIFY(!missing.ok());
    QVERIFY(missing.errorText().contains(u"cannot read"_s));
}

void TestWorkspace::neverSavesAPassword()
{
    for (const QString& connection :
        { u"host=db password=secret dbname=quota"_s, u"postgresql://alice:secret@db/quota"_s,
            u"postgresql://db/quota?password=secret"_s }) {
        Workspace w = databaseWorkspace();
        w.source.connection = connection;
        QString error;
        QVERIFY2(!simulation::toJson(w, &error), qPrintable(connection));
        QVERIFY(error.contains(u"password"_s));
        QVERIFY(!simulation::saveWorkspace(w, u"/tmp/unused"_s).isEmpty());
    }
    Workspace ok = databaseWorkspace();
    ok.source.connection = u"postgresql://alice@db/quota?sslmode=verify-full"_s;
    QVERIFY(simulation::toJson(ok));
}

void TestWorkspace::reportsEveryProblemWithItsPath_data()
{
    QTest::addColumn<QByteArray>("document");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not JSON") << QByteArray("{\n  \"format\": ,\n}")
                              << u"workspace: not JSON (line 2:"_s;
    QTest::newRow("not a workspace") << QByteArray(R"({"version": 1})")
                                     << u"workspace.format: must be \"quota-console-workspace\""_s;
    QTest::newRow("newer version")
        << documentWith("version", 2) << u"workspace.version: version 2 was written by a newer"_s;
    QTest::newRow("bad time") << documentWith("source.from", u"2026-13-01"_s)
                              << u"workspace.source.from: '2026-13-01' is not a time"_s;
    QTest::newRow("unknown source kind") << documentWith("source.kind",
        u"ftp"_s) << u"workspace.source.kind: 'ftp' is not file, database or generated"_s;
    QTest::newRow("range backwards") << documentWith("source.to", u"2026-01-01T00:00:00Z"_s)
                                     << u"workspace.source.to: must be after from"_s;
    QTest::newRow("bad warm-up") << documentWith("source.warmup", u"1 hour"_s)
                                 << u"workspace.source.warmup: '1 hour' is not a duration"_s;
    QTest::newRow("version id") << documentWith("baseline.id", -3)
                                << u"workspace.baseline.id: must be an integer of at least 1"_s;
    QTest::newRow("missing candidate")
        << documentWith("candidate", QJsonValue::Undefined) << u"workspace.candidate: missing"_s;
    QTest::newRow("password") << documentWith("source.connection", u"host=x password=y"_s)
                              << u"workspace.source.connection: contains a password"_s;
    QTest::newRow("results without report") << documentWith("results.report",
        QJsonValue::Undefined) << u"workspace.results: holds neither a report nor a sweep"_s;
    QTest::newRow("report not a report") << documentWith("results.report",
        QJsonObject { { u"x"_s, 1 } }) << u"workspace.results.report.trace: missing"_s;
}

void TestWorkspace::reportsEveryProblemWithItsPath()
{
    QFETCH(QByteArray, document);
    QFETCH(QString, expected);
    const auto loaded = simulation::parseWorkspace(document);
    QVERIFY(!loaded.ok());
    QVERIFY2(loaded.errorText().contains(expected), qPrintable(loaded.errorText()));
}

QTEST_GUILESS_MAIN(TestWorkspace)
#include "tst_workspace.moc"
