// quotactl simulate --db: the quota database's request_logs as the traffic, the active (or an
// earlier) policy version as the baseline, budgets and sweeps on it.

#include "replaytraffic.h"
#include "support/quotactlrun.h"
#include "support/sqlcall.h"
#include "support/testcluster.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qc;
using qc::testsupport::TestCluster;

namespace {

using Run = qc::testsupport::QuotactlRun;
using qc::testsupport::runQuotactl;

constexpr qint64 kStart = 1767571200000; // 2026-01-05T00:00:00Z

QJsonObject readJson(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object()
                                          : QJsonObject();
}

QString iso(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

} // namespace

class TestQuotactlReplay : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase() { TestCluster::instance().cleanup(); }
    void replaysTheDatabaseWithFullFidelity();
    void budgetsOnTheDatabase();
    void earlierVersionAsBaseline();
    void sweepOverTheDatabase();
    void explainsWhatIsMissing();

private:
    QStringList range() const
    {
        return { u"--db"_s, m_conninfo, u"--from"_s, iso(m_history.start), u"--to"_s,
            iso(m_history.end) };
    }

    QTemporaryDir m_dir;
    QString m_database;
    QString m_conninfo;
    QString m_candidate;
    qint64 m_olderVersion = 0;
    replaytest::History m_history;
};

void TestQuotactlReplay::initTestCase()
{
    QC_REQUIRE_CLUSTER();
    m_database = TestCluster::instance().createDatabase();
    QVERIFY(!m_database.isEmpty());
    QSqlDatabase db = TestCluster::instance().open(m_database);
    livetest::LiveEnforcer live(db);
    // An older version first, then the one in force.
    QVERIFY2(live.setPolicy(replaytest::replayPolicy(3, 1)), qPrintable(live.lastError()));
    m_olderVersion
        = live.scalar(u"SELECT id FROM quota.policy_versions WHERE active"_s).toLongLong();
    QVERIFY2(live.setPolicy(replaytest::replayPolicy()), qPrintable(live.lastError()));
    replaytest::TrafficGenerator generator(live, db, 7, kStart);
    QString error;
    std::optional<replaytest::History> history = generator.run(400, &error);
    QVERIFY2(history, qPrintable(error));
    m_history = std::move(*history);
    m_conninfo = TestCluster::instance().conninfo(m_database);
    m_candidate = m_dir.filePath(u"candidate.json"_s);
    QFile file(m_candidate);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(replaytest::replayPolicy(5, 2));
}

void TestQuotactlReplay::replaysTheDatabaseWithFullFidelity()
{
    const QString json = m_dir.filePath(u"report.json"_s);
    const QString html = m_dir.filePath(u"report.html"_s);
    const Run run = runQuotactl(QStringList { u"simulate"_s, u"--policy"_s, m_candidate } + range()
        + QStringList { u"--json"_s, json, u"--html"_s, html });
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.err.contains(u"Read "_s % QString::number(m_history.requests) % u" requests"_s),
        qPrintable(run.err));
    const QJsonObject report = readJson(json);
    QVERIFY(report[u"baseline"_s][u"name"_s].toString().startsWith(u"policy version "_s));
    QVERIFY(report[u"baseline"_s][u"name"_s].toString().endsWith(u"(active)"_s));
    QCOMPARE(report[u"fidelity"_s][u"compared"_s].toInteger(), m_history.requests);
    QCOMPARE(report[u"fidelity"_s][u"agreement_pct"_s].toDouble(), 100.0);
    QVERIFY(report[u"newly_denied"_s][u"total"_s].toInteger() > 0);
    QFile page(html);
    QVERIFY(page.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(page.readAll());
    QVERIFY(text.contains(u"request_logs "_s % iso(m_history.start)));
    QVERIFY(text.contains(u"The baseline agrees with 100.00 %"_s));
    QVERIFY(text.contains(u"<svg"_s));
}

void TestQuotactlReplay::budgetsOnTheDatabase()
{
    const Run kept = runQuotactl(QStringList { u"simulate"_s, u"--policy"_s, m_candidate } + range()
        + QStringList { u"--json"_s, m_dir.filePath(u"b.json"_s), u"--fail-if"_s,
            u"fidelity.agreement_pct < 100"_s });
    QVERIFY2(kept.exitCode == 0, qPrintable(kept.err));
    QVERIFY(kept.err.contains(u"budget kept"_s));
    const Run broken
        = runQuotactl(QStringList { u"simulate"_s, u"--policy"_s, m_candidate } + range()
            + QStringList { u"--json"_s, m_dir.filePath(u"b.json"_s), u"--fail-if"_s,
                u"newly_denied.by_rule.ip_minute > 0 or paid_denied_pct > 0.5"_s });
    QCOMPARE(broken.exitCode, 1);
    QVERIFY2(broken.err.contains(u"budget broken"_s), qPrintable(broken.err));
}

void TestQuotactlReplay::earlierVersionAsBaseline()
{
    const QString json = m_dir.filePath(u"older.json"_s);
    const Run run = runQuotactl(QStringList { u"simulate"_s, u"--policy"_s, m_candidate } + range()
        + QStringList {
            u"--baseline-version"_s, QString::number(m_olderVersion), u"--json"_s, json });
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonObject report = readJson(json);
    QCOMPARE(report[u"baseline"_s][u"name"_s].toString(),
        u"policy version "_s % QString::number(m_olderVersion));
    // The traffic was decided under the newer version: the older one disagrees.
    QVERIFY(report[u"fidelity"_s][u"agreement_pct"_s].toDouble() < 100.0);

    const Run missing = runQuotactl(QStringList { u"simulate"_s, u"--policy"_s, m_candidate }
        + range() + QStringList { u"--baseline-version"_s, u"999"_s });
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains(u"there is no policy version 999"_s), qPrintable(missing.err));
}

void TestQuotactlReplay::sweepOverTheDatabase()
{
    const QString json = m_dir.filePath(u"sweep.json"_s);
    const Run run
        = runQuotactl(QStringList { u"simulate"_s, u"--sweep"_s, u"ip_minute.limit=4:12:4"_s }
            + range() + QStringList { u"--json"_s, json });
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonObject sweep = readJson(json);
    const QJsonArray points = sweep[u"points"_s].toArray();
    QCOMPARE(points.size(), 3);
    // The last value is the active version's own: nothing changes against it.
    QCOMPARE(points.at(2)[u"value"_s].toString(), u"12"_s);
    QCOMPARE(points.at(2)[u"newly_denied"_s].toInteger(), 0);
    QVERIFY(points.at(0)[u"newly_denied"_s].toInteger() > 0);
    QVERIFY(sweep[u"abusive_requests"_s].toInteger() > 0);
}

void TestQuotactlReplay::explainsWhatIsMissing()
{
    const QString empty = TestCluster::instance().createDatabase();
    const Run noVersion = runQuotactl({ u"simulate"_s, u"--policy"_s, m_candidate, u"--db"_s,
        TestCluster::instance().conninfo(empty), u"--from"_s, iso(kStart), u"--to"_s,
        iso(kStart + 1000) });
    QCOMPARE(noVersion.exitCode, 1);
    QVERIFY2(noVersion.err.contains(u"no active policy version"_s), qPrintable(noVersion.err));
    const Run unreachable = runQuotactl(
        { u"simulate"_s, u"--policy"_s, m_candidate, u"--db"_s, u"host=/nonexistent dbname=quota"_s,
            u"--from"_s, iso(kStart), u"--to"_s, iso(kStart + 1000) });
    QCOMPARE(unreachable.exitCode, 1);
    QVERIFY2(unreachable.err.contains(u"cannot connect"_s), qPrintable(unreachable.err));
}

QTEST_GUILESS_MAIN(TestQuotactlReplay)
#include "tst_quotactlreplay.moc"
