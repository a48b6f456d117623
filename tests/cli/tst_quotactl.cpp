#include "support/quotactlrun.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

using Run = qc::testsupport::QuotactlRun;
using qc::testsupport::runQuotactl;

QByteArray readAll(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

bool writeFile(const QString& path, const QByteArray& data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

QByteArray defaultPolicyWith(const QByteArray& from, const QByteArray& to)
{
    QByteArray json = readAll(QStringLiteral(QC_SOURCE_DIR "/resources/policies/default.json"));
    if (!json.contains(from))
        qFatal("default.json no longer contains %s", from.constData());
    return json.replace(from, to);
}

} // namespace

class TestQuotactl : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void helpForEveryCommand_data();
    void helpForEveryCommand();
    void everyListedCommandHasHelp();
    void version();
    void usageErrorsExitTwo_data();
    void usageErrorsExitTwo();
    void invalidPolicyExitsOneNamingThePath();
    void validPolicyValidates();
    void policyDiff();
    void showDefaultIsValid();
    void traceGenerateIsDeterministic();
    void simulateWritesOneDecisionPerRow();
    void simulatePrintsSummaryAndJson();
    void simulateReportsBadRows();
    void simulateMissingTraceFails();

private:
    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.filePath(name); }
};

void TestQuotactl::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFile::exists(qc::testsupport::quotactlPath()),
        qPrintable(qc::testsupport::quotactlPath()));
}

void TestQuotactl::helpForEveryCommand_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("usage");
    QTest::newRow("--help") << QStringList { u"--help"_s } << u"Usage: quotactl <command>"_s;
    QTest::newRow("simulate") << QStringList { u"simulate"_s, u"--help"_s }
                              << u"Usage: quotactl simulate"_s;
    QTest::newRow("policy") << QStringList { u"policy"_s, u"--help"_s }
                            << u"Usage: quotactl policy"_s;
    QTest::newRow("policy validate") << QStringList { u"policy"_s, u"validate"_s, u"--help"_s }
                                     << u"Usage: quotactl policy validate"_s;
    QTest::newRow("policy diff") << QStringList { u"policy"_s, u"diff"_s, u"--help"_s }
                                 << u"Usage: quotactl policy diff"_s;
    QTest::newRow("policy show-default") << QStringList { u"policy"_s, u"show-default"_s,
        u"--help"_s } << u"Usage: quotactl policy show-default"_s;
    QTest::newRow("trace") << QStringList { u"trace"_s, u"--help"_s } << u"Usage: quotactl trace"_s;
    QTest::newRow("trace generate") << QStringList { u"trace"_s, u"generate"_s, u"--help"_s }
                                    << u"Usage: quotactl trace generate"_s;
}

void TestQuotactl::helpForEveryCommand()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, usage);
    const Run run = runQuotactl(arguments);
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.startsWith(usage), qPrintable(run.out));
    QVERIFY(run.err.isEmpty());
}

void TestQuotactl::everyListedCommandHasHelp()
{
    // Commands added by other parts (migrate, scrape, ...) are held to the same convention.
    const Run help = runQuotactl({ u"--help"_s });
    QCOMPARE(help.exitCode, 0);
    const qsizetype start = help.out.indexOf(u"Commands:\n"_s);
    QVERIFY(start >= 0);
    QStringList names;
    for (const QString& line : help.out.mid(start).split(u'\n').mid(1)) {
        if (!line.startsWith(u"  "_s))
            break;
        names.push_back(line.trimmed().section(u' ', 0, 0));
    }
    QVERIFY2(
        names.contains(u"simulate"_s) && names.contains(u"policy"_s) && names.contains(u"trace"_s),
        qPrintable(names.join(u' ')));
    for (const QString& name : names) {
        const Run run = runQuotactl({ name, u"--help"_s });
        QVERIFY2(run.exitCode == 0, qPrintable(name));
        QVERIFY2(run.out.startsWith(u"Usage: quotactl "_s % name), qPrintable(run.out));
    }
}

void TestQuotactl::version()
{
    const Run run = runQuotactl({ u"--version"_s });
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.startsWith(u"quotactl "_s));
    QVERIFY(run.out.contains(u'.'));
}

void TestQuotactl::usageErrorsExitTwo_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("no command") << QStringList {} << u"Usage:"_s;
    QTest::newRow("unknown command") << QStringList { u"frobnicate"_s } << u"frobnicate"_s;
    QTest::newRow("simulate without --policy")
        << QStringList { u"simulate"_s, u"--trace"_s, u"t.csv"_s } << u"--policy"_s;
    QTest::newRow("simulate without --trace")
        << QStringList { u"simulate"_s, u"--policy"_s, u"p.json"_s } << u"--trace"_s;
    QTest::newRow("unknown option") << QStringList { u"simulate"_s, u"--frob"_s } << u"frob"_s;
    QTest::newRow("bad warm-up") << QStringList { u"simulate"_s, u"--policy"_s, u"p"_s,
        u"--trace"_s, u"t"_s, u"--warmup"_s, u"5x"_s }
                                 << u"5x"_s;
    QTest::newRow("policy without subcommand") << QStringList { u"policy"_s } << u"validate"_s;
    QTest::newRow("policy validate without files")
        << QStringList { u"policy"_s, u"validate"_s } << u"no policy file"_s;
    QTest::newRow("policy diff with one file")
        << QStringList { u"policy"_s, u"diff"_s, u"a.json"_s } << u"two policy files"_s;
    QTest::newRow("trace generate without --out")
        << QStringList { u"trace"_s, u"generate"_s } << u"--out"_s;
    QTest::newRow("trace generate bad extension")
        << QStringList { u"trace"_s, u"generate"_s, u"--out"_s, u"x.txt"_s } << u".csv"_s;
    QTest::newRow("trace generate bad seed") << QStringList { u"trace"_s, u"generate"_s, u"--out"_s,
        u"x.csv"_s, u"--seed"_s, u"-3"_s } << u"--seed"_s;
    QTest::newRow("trace generate bad scenario") << QStringList { u"trace"_s, u"generate"_s,
        u"--out"_s, u"x.csv"_s, u"--scenario"_s, u"meteor_strike"_s }
                                                 << u"meteor_strike"_s;
}

void TestQuotactl::usageErrorsExitTwo()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const Run run = runQuotactl(arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
    QVERIFY(run.out.isEmpty());
}

void TestQuotactl::invalidPolicyExitsOneNamingThePath()
{
    const QString bad = path(u"bad.json"_s);
    QVERIFY(writeFile(bad,
        defaultPolicyWith(R"("window": "1m", "limit": 20)", R"("window": "5x", "limit": 20)")));
    const Run run = runQuotactl({ u"policy"_s, u"validate"_s, bad });
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(u"policy.rules[0].window"_s), qPrintable(run.err));
    QVERIFY2(run.err.contains(bad), qPrintable(run.err));

    const Run simulate
        = runQuotactl({ u"simulate"_s, u"--policy"_s, bad, u"--trace"_s, path(u"none.csv"_s) });
    QCOMPARE(simulate.exitCode, 1);
    QVERIFY2(simulate.err.contains(u"policy.rules[0].window"_s), qPrintable(simulate.err));

    // Every file is checked, and one bad file fails the whole run.
    const QString good = path(u"good.json"_s);
    QVERIFY(writeFile(good, defaultPolicyWith("{", "{")));
    const Run both = runQuotactl({ u"policy"_s, u"validate"_s, good, bad });
    QCOMPARE(both.exitCode, 1);
    QVERIFY(both.out.contains(good));
}

void TestQuotactl::validPolicyValidates()
{
    const Run run = runQuotactl({ u"policy"_s, u"validate"_s,
        QStringLiteral(QC_SOURCE_DIR "/resources/policies/default.json") });
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.contains(u"valid"_s));
}

void TestQuotactl::policyDiff()
{
    const QString candidate = path(u"stricter.json"_s);
    QVERIFY(writeFile(candidate,
        defaultPolicyWith(R"("window": "1m", "limit": 20)", R"("window": "1m", "limit": 10)")));
    const QString base = QStringLiteral(QC_SOURCE_DIR "/resources/policies/default.json");
    const Run run = runQuotactl({ u"policy"_s, u"diff"_s, base, candidate });
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(u"rules[ip_per_minute].limit"_s), qPrintable(run.out));
    QVERIFY(run.out.contains(u"20"_s) && run.out.contains(u"10"_s));
    QCOMPARE(run.out.trimmed().count(u'\n'), 0); // exactly one change

    const Run same = runQuotactl({ u"policy"_s, u"diff"_s, base, u"-"_s });
    QCOMPARE(same.exitCode, 0);
    QCOMPARE(same.out, u"no differences\n"_s);
}

void TestQuotactl::showDefaultIsValid()
{
    const Run run = runQuotactl({ u"policy"_s, u"show-default"_s });
    QCOMPARE(run.exitCode, 0);
    const QString file = path(u"default.json"_s);
    QVERIFY(writeFile(file, run.out.toUtf8()));
    QCOMPARE(runQuotactl({ u"policy"_s, u"validate"_s, file }).exitCode, 0);
}

void TestQuotactl::traceGenerateIsDeterministic()
{
    const QStringList options { u"--seed"_s, u"7"_s, u"--duration"_s, u"10m"_s, u"--rate"_s,
        u"20"_s, u"--scenario"_s, u"bot_burst:2m:3m"_s };
    const QString a = path(u"a.csv"_s), b = path(u"b.csv"_s), c = path(u"c.csv"_s);
    QCOMPARE(
        runQuotactl(QStringList { u"trace"_s, u"generate"_s, u"--out"_s, a } + options).exitCode,
        0);
    QCOMPARE(
        runQuotactl(QStringList { u"trace"_s, u"generate"_s, u"--out"_s, b } + options).exitCode,
        0);
    QStringList other = options;
    other[1] = u"8"_s;
    QCOMPARE(
        runQuotactl(QStringList { u"trace"_s, u"generate"_s, u"--out"_s, c } + other).exitCode, 0);
    const QByteArray first = readAll(a);
    QVERIFY(first.count('\n') > 1000);
    QVERIFY(first.startsWith("ts,") || first.contains("request_id"));
    QCOMPARE(readAll(b), first);
    QVERIFY(readAll(c) != first);

    const QString jsonl = path(u"a.jsonl"_s);
    QCOMPARE(runQuotactl(QStringList { u"trace"_s, u"generate"_s, u"--out"_s, jsonl } + options)
                 .exitCode,
        0);
    QCOMPARE(readAll(jsonl).count('\n'), first.count('\n') - 1); // no header row
}

void TestQuotactl::simulateWritesOneDecisionPerRow()
{
    const QString trace = path(u"sim.csv"_s);
    QCOMPARE(runQuotactl({ u"trace"_s, u"generate"_s, u"--out"_s, trace, u"--duration"_s, u"5m"_s,
                             u"--rate"_s, u"30"_s, u"--scenario"_s, u"bot_burst:1m:2m"_s })
                 .exitCode,
        0);
    const qsizetype rows = readAll(trace).count('\n') - 1;
    QVERIFY(rows > 1000);
    const QString candidate = path(u"cand.json"_s);
    QVERIFY(writeFile(candidate,
        defaultPolicyWith(R"("window": "1m", "limit": 20)", R"("window": "1m", "limit": 5)")));
    const QString decisions = path(u"decisions.jsonl"_s);
    const Run run = runQuotactl({ u"simulate"_s, u"--policy"_s, candidate, u"--trace"_s, trace,
        u"--decisions"_s, decisions });
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY(run.out.isEmpty()); // the summary is only printed without output files
    QVERIFY(!run.err.contains(u'\r')); // no progress indication when stderr is not a terminal
    const QList<QByteArray> lines = readAll(decisions).split('\n');
    QCOMPARE(lines.size() - 1, rows);
    bool sawDenial = false;
    for (qsizetype i = 0; i < rows; ++i) {
        QJsonParseError error;
        const QJsonObject row = QJsonDocument::fromJson(lines[i], &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, lines[i].constData());
        for (const QString& key : { u"request_id"_s, u"allowed"_s, u"status"_s, u"reason"_s,
                 u"rule"_s, u"limit"_s, u"remaining"_s, u"reset_at"_s, u"retry_after_s"_s })
            QVERIFY2(
                row.contains(key), qPrintable(key + u" missing in line "_s + QString::number(i)));
        sawDenial = sawDenial || !row[u"allowed"_s].toBool();
    }
    QVERIFY(sawDenial);
}

void TestQuotactl::simulatePrintsSummaryAndJson()
{
    const QString trace = path(u"sum.jsonl"_s);
    QCOMPARE(runQuotactl({ u"trace"_s, u"generate"_s, u"--out"_s, trace, u"--duration"_s, u"20m"_s,
                             u"--rate"_s, u"20"_s })
                 .exitCode,
        0);
    const QString candidate = path(u"cand2.json"_s);
    QVERIFY(writeFile(candidate,
        defaultPolicyWith(R"("window": "1m", "limit": 20)", R"("window": "1m", "limit": 3)")));
    const Run summary = runQuotactl(
        { u"simulate"_s, u"--policy"_s, candidate, u"--trace"_s, trace, u"--warmup"_s, u"5m"_s });
    QVERIFY2(summary.exitCode == 0, qPrintable(summary.err));
    QVERIFY2(summary.out.contains(u"Newly denied"_s), qPrintable(summary.out));
    QVERIFY(summary.out.contains(u"Warm-up"_s));

    const QString report = path(u"report.json"_s);
    const Run json = runQuotactl(
        { u"simulate"_s, u"--policy"_s, candidate, u"--trace"_s, trace, u"--json"_s, report });
    QCOMPARE(json.exitCode, 0);
    const QJsonObject object = QJsonDocument::fromJson(readAll(report)).object();
    QVERIFY(object[u"newly_denied"_s][u"total"_s].toInteger() > 0);
    QCOMPARE(object[u"baseline"_s][u"name"_s].toString(), u"default policy"_s);
    QCOMPARE(object[u"candidate"_s][u"name"_s].toString(), candidate);
}

void TestQuotactl::simulateReportsBadRows()
{
    const QString trace = path(u"bad.csv"_s);
    QVERIFY(writeFile(trace,
        "ts,request_id,ip,endpoint,method\n"
        "2026-01-05T00:00:00.000Z,r1,203.0.113.1,/api/items,GET\n"
        "not-a-time,r2,203.0.113.1,/api/items,GET\n"
        "2026-01-05T00:00:01.000Z,r3,203.0.113.1,/api/items,GET\n"));
    const QString policy = QStringLiteral(QC_SOURCE_DIR "/resources/policies/default.json");
    const QString decisions = path(u"bad-decisions.jsonl"_s);
    const Run lenient = runQuotactl(
        { u"simulate"_s, u"--policy"_s, policy, u"--trace"_s, trace, u"--decisions"_s, decisions });
    QCOMPARE(lenient.exitCode, 0);
    QVERIFY2(lenient.err.contains(u"line 3"_s), qPrintable(lenient.err));
    QCOMPARE(readAll(decisions).count('\n'), 2);

    const Run strict = runQuotactl({ u"simulate"_s, u"--policy"_s, policy, u"--trace"_s, trace,
        u"--strict"_s, u"--decisions"_s, decisions });
    QCOMPARE(strict.exitCode, 1);
    QVERIFY2(strict.err.contains(u"line 3"_s), qPrintable(strict.err));
}

void TestQuotactl::simulateMissingTraceFails()
{
    const QString missing = path(u"missing.csv"_s);
    const Run run = runQuotactl({ u"simulate"_s, u"--policy"_s,
        QStringLiteral(QC_SOURCE_DIR "/resources/policies/default.json"), u"--trace"_s, missing });
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(missing), qPrintable(run.err));
}

QTEST_GUILESS_MAIN(TestQuotactl)
#include "tst_quotactl.moc"
