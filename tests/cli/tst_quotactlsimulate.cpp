// quotactl simulate as a CI job or an admin runs it: --fail-if exit codes and messages, the
// HTML and CSV reports, sweeps, usage errors. (The --db source: tests/db/tst_quotactlreplay.)

#include "support/quotactlrun.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

using Run = qc::testsupport::QuotactlRun;
using qc::testsupport::runQuotactl;

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString& path, const QByteArray& data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

QString grouped(qint64 value)
{
    QString digits = QString::number(value);
    for (qsizetype i = digits.size() - 3; i > 0; i -= 3)
        digits.insert(i, u',');
    return digits;
}

} // namespace

class TestQuotactlSimulate : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void failIfExitCodes_data();
    void failIfExitCodes();
    void malformedFailIfSaysWhere_data();
    void malformedFailIfSaysWhere();
    void htmlCsvAndJsonAgree();
    void sweepWritesEveryValue();
    void usageErrors_data();
    void usageErrors();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }

    QTemporaryDir m_dir;
    QString m_trace;
    QString m_candidate;
};

void TestQuotactlSimulate::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_trace = path(u"trace.csv"_s);
    const Run generate = runQuotactl({ u"trace"_s, u"generate"_s, u"--out"_s, m_trace,
        u"--duration"_s, u"30m"_s, u"--rate"_s, u"20"_s, u"--scenario"_s, u"normal"_s,
        u"--scenario"_s, u"bot_burst:5m:5m"_s, u"--scenario"_s, u"plan_change"_s });
    QVERIFY2(generate.exitCode == 0, qPrintable(generate.err));
    QByteArray policy = readAll(QStringLiteral(QC_SOURCE_DIR "/resources/policies/default.json"));
    QVERIFY(policy.contains(R"("window": "1m", "limit": 20)"));
    policy.replace(R"("window": "1m", "limit": 20)", R"("window": "1m", "limit": 4)");
    policy.replace(R"("window": "2h", "limit": 20)", R"("window": "2h", "limit": 6)");
    m_candidate = path(u"candidate.json"_s);
    QVERIFY(writeFile(m_candidate, policy));
}

void TestQuotactlSimulate::failIfExitCodes_data()
{
    QTest::addColumn<QString>("condition");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("broken") << u"newly_denied.total > 10"_s << 1
                            << u"budget broken: newly_denied.total > 10 (newly_denied.total = "_s;
    QTest::newRow("kept") << u"newly_denied.total > 100000000"_s << 0 << u"budget kept"_s;
    QTest::newRow("combination broken")
        << u"paid_denied_pct > 50 or newly_denied.by_rule.ip_per_minute > 0"_s << 1
        << u"newly_denied.by_rule.ip_per_minute = "_s;
    QTest::newRow("combination kept")
        << u"paid_denied_pct > 50 and newly_denied.total > 0"_s << 0 << u"budget kept"_s;
}

void TestQuotactlSimulate::failIfExitCodes()
{
    QFETCH(QString, condition);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const QString json = path(u"budget.json"_s);
    const Run run = runQuotactl({ u"simulate"_s, u"--policy"_s, m_candidate, u"--trace"_s, m_trace,
        u"--json"_s, json, u"--fail-if"_s, condition });
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
    // The report is written either way: CI keeps it as an artefact.
    QVERIFY(QJsonDocument::fromJson(readAll(json)).object()[u"newly_denied"_s].isObject());
}

void TestQuotactlSimulate::malformedFailIfSaysWhere_data()
{
    QTest::addColumn<QString>("condition");
    QTest::addColumn<QString>("message");
    QTest::newRow("dangling operator")
        << u"paid_denied_pct >"_s << u"column 18: expected a number or a report key after '>'"_s;
    QTest::newRow("misspelt key") << u"paid_denid_pct > 0.5"_s
                                  << u"column 1: unknown report key 'paid_denid_pct'; did you "
                                     u"mean 'paid_denied_pct'?"_s;
    QTest::newRow("single =") << u"newly_denied.total = 3"_s
                              << u"column 20: '=' is not an operator"_s;
}

void TestQuotactlSimulate::malformedFailIfSaysWhere()
{
    QFETCH(QString, condition);
    QFETCH(QString, message);
    const Run run = runQuotactl({ u"simulate"_s, u"--policy"_s, m_candidate, u"--trace"_s, m_trace,
        u"--fail-if"_s, condition });
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(u"quotactl simulate: --fail-if "_s % message), qPrintable(run.err));
    QVERIFY2(run.err.contains(u"  "_s % condition % u'\n'), qPrintable(run.err)); // and the caret
    QVERIFY(run.out.isEmpty()); // nothing ran
}

void TestQuotactlSimulate::htmlCsvAndJsonAgree()
{
    const QString html = path(u"report.html"_s);
    const QString csv = path(u"affected.csv"_s);
    const QString json = path(u"report.json"_s);
    const Run run = runQuotactl(
        { u"simulate"_s, u"--policy"_s, m_candidate, u"--trace"_s, m_trace, u"--html"_s, html,
            u"--csv"_s, csv, u"--json"_s, json, u"--fail-if"_s, u"paid_denied_pct > 0.5"_s });
    QVERIFY2(run.exitCode == 0 || run.exitCode == 1, qPrintable(run.err));
    QVERIFY(run.out.isEmpty()); // output files: no summary
    const QJsonObject report = QJsonDocument::fromJson(readAll(json)).object();
    const qint64 newlyDenied = report[u"newly_denied"_s][u"total"_s].toInteger();
    QVERIFY(newlyDenied > 0);

    const QString page = QString::fromUtf8(readAll(html));
    QVERIFY(page.startsWith(u"<!DOCTYPE html>"_s));
    QVERIFY(page.contains(u"Newly denied: "_s % grouped(newlyDenied)));
    QVERIFY(page.count(u"<svg"_s) >= 5);
    QVERIFY(page.contains(u"Requests and denials per minute"_s));
    QVERIFY(page.contains(u"rules[ip_per_minute].limit: 20 → 4"_s)); // the policy diff
    QVERIFY(page.contains(u"paid_denied_pct &gt; 0.5"_s));
    QVERIFY(page.contains(m_trace));
    QVERIFY(!page.contains(u"<script"_s));

    const QList<QByteArray> rows = readAll(csv).trimmed().split('\n');
    QCOMPARE(rows.first(), QByteArray("kind,identifier,newly_denied,newly_admitted"));
    // The JSON keeps the 20 most affected clients; the CSV has all of them, the same first.
    const QJsonArray topClients = report[u"newly_denied"_s][u"top_clients"_s].toArray();
    QVERIFY(topClients.size() <= 20 && !topClients.isEmpty());
    qint64 csvDenied = 0;
    qint64 mostDenied = 0;
    qsizetype clients = 0;
    for (qsizetype i = 1; i < rows.size(); ++i) {
        const QList<QByteArray> cells = rows.at(i).split(',');
        if (cells.at(0) != "client")
            continue;
        ++clients;
        csvDenied += cells.at(2).toLongLong();
        mostDenied = std::max(mostDenied, cells.at(2).toLongLong());
    }
    QCOMPARE(csvDenied, newlyDenied); // every newly denied request has a client
    QVERIFY(clients >= topClients.size());
    QCOMPARE(mostDenied, topClients.at(0)[u"count"_s].toInteger());
}

void TestQuotactlSimulate::sweepWritesEveryValue()
{
    const QString json = path(u"sweep.json"_s);
    const QString csv = path(u"sweep.csv"_s);
    const QString html = path(u"sweep.html"_s);
    const Run run = runQuotactl(
        { u"simulate"_s, u"--trace"_s, m_trace, u"--sweep"_s, u"ip_per_minute.limit=5:25:5"_s,
            u"--threads"_s, u"2"_s, u"--json"_s, json, u"--csv"_s, csv, u"--html"_s, html });
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonObject sweep = QJsonDocument::fromJson(readAll(json)).object();
    QCOMPARE(sweep[u"parameter"_s].toString(), u"rules[ip_per_minute].limit"_s);
    const QJsonArray points = sweep[u"points"_s].toArray();
    QCOMPARE(points.size(), 5);
    QCOMPARE(points.at(0)[u"value"_s].toString(), u"5"_s);
    QCOMPARE(points.at(4)[u"value"_s].toString(), u"25"_s);
    QCOMPARE(readAll(csv).trimmed().split('\n').size(), 7); // header, baseline, 5 values
    const QString page = QString::fromUtf8(readAll(html));
    QVERIFY(page.contains(u"Trade-off: rules[ip_per_minute].limit"_s));
    QVERIFY(page.contains(u"data-series=\"legitimate denied %\""_s));

    const Run table = runQuotactl({ u"simulate"_s, u"--trace"_s, m_trace, u"--sweep"_s,
        u"rules[ip_per_hour].limit=50:100:50"_s });
    QVERIFY2(table.exitCode == 0, qPrintable(table.err));
    QVERIFY2(table.out.contains(u"Sweep of rules[ip_per_hour].limit"_s), qPrintable(table.out));
    QVERIFY(table.out.contains(u"abusive admitted"_s));
}

void TestQuotactlSimulate::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    const QString t = u"t.csv"_s;
    QTest::newRow("trace and db") << QStringList { u"--policy"_s, u"p"_s, u"--trace"_s, t,
        u"--db"_s, u"host=x"_s } << u"--trace FILE or --db"_s;
    QTest::newRow("db without from") << QStringList { u"--policy"_s, u"p"_s, u"--db"_s, u"host=x"_s,
        u"--to"_s, u"2026-01-05T00:00:00Z"_s }
                                     << u"--db needs --from"_s;
    QTest::newRow("bad time") << QStringList { u"--policy"_s, u"p"_s, u"--db"_s, u"host=x"_s,
        u"--from"_s, u"yesterday"_s, u"--to"_s, u"2026-01-05T00:00:00Z"_s }
                              << u"'yesterday' is not a time"_s;
    QTest::newRow("to before from") << QStringList { u"--policy"_s, u"p"_s, u"--db"_s, u"host=x"_s,
        u"--from"_s, u"2026-01-05T00:00:00Z"_s, u"--to"_s, u"2026-01-04T00:00:00Z"_s }
                                    << u"--to must be after --from"_s;
    QTest::newRow("from without db") << QStringList { u"--policy"_s, u"p"_s, u"--trace"_s, t,
        u"--from"_s, u"0"_s } << u"--from needs --db"_s;
    QTest::newRow("version without db")
        << QStringList { u"--policy"_s, u"p"_s, u"--trace"_s, t, u"--baseline-version"_s, u"3"_s }
        << u"--baseline-version needs --db"_s;
    QTest::newRow("bad version") << QStringList { u"--policy"_s, u"p"_s, u"--db"_s, u"host=x"_s,
        u"--from"_s, u"0"_s, u"--to"_s, u"1"_s, u"--baseline-version"_s, u"latest"_s }
                                 << u"not a version id"_s;
    QTest::newRow("fail-if with sweep") << QStringList { u"--trace"_s, t, u"--sweep"_s,
        u"ip_per_minute.limit=1:2:1"_s, u"--fail-if"_s, u"paid_denied_pct > 1"_s }
                                        << u"cannot be combined with --sweep"_s;
    QTest::newRow("decisions with sweep") << QStringList { u"--trace"_s, t, u"--sweep"_s,
        u"ip_per_minute.limit=1:2:1"_s, u"--decisions"_s, u"d.jsonl"_s }
                                          << u"cannot be combined with --sweep"_s;
    QTest::newRow("threads without sweep") << QStringList { u"--policy"_s, u"p"_s, u"--trace"_s, t,
        u"--threads"_s, u"2"_s } << u"--threads applies to --sweep"_s;
    QTest::newRow("two outputs on stdout") << QStringList { u"--policy"_s, u"p"_s, u"--trace"_s, t,
        u"--json"_s, u"-"_s, u"--html"_s, u"-"_s }
                                           << u"only one output"_s;
    QTest::newRow("same file twice") << QStringList { u"--policy"_s, u"p"_s, u"--trace"_s, t,
        u"--json"_s, u"x"_s, u"--csv"_s, u"x"_s }
                                     << u"same file 'x'"_s;
    QTest::newRow("sweep of an unknown rule")
        << QStringList { u"--trace"_s, t, u"--sweep"_s, u"ip-per-minute.limit=10:40:5"_s }
        << u"--sweep: the candidate has no rule 'ip-per-minute'; its rules are ip_per_minute"_s;
    QTest::newRow("sweep value the policy refuses") << QStringList { u"--trace"_s, t, u"--sweep"_s,
        u"ip_per_minute.limit=0:10:5"_s } << u"rules[ip_per_minute].limit = 0"_s;
    QTest::newRow("bad db connection string") << QStringList { u"--policy"_s,
        QStringLiteral(QC_SOURCE_DIR "/resources/policies/default.json"), u"--db"_s, u"hots=x"_s,
        u"--from"_s, u"0"_s, u"--to"_s, u"1"_s }
                                              << u"invalid connection option"_s;
}

void TestQuotactlSimulate::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const Run run = runQuotactl(QStringList { u"simulate"_s } + arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
}

QTEST_GUILESS_MAIN(TestQuotactlSimulate)
#include "tst_quotactlsimulate.moc"
