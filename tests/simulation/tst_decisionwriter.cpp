#include "enforcement/request.h"
#include "policy/policyjson.h"
#include "simulation/decisionwriter.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryFile>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qc;
using enforcement::Decision;
using enforcement::Reason;

class TestDecisionWriter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rowIsJsonWithRequiredKeys_data();
    void rowIsJsonWithRequiredKeys();
    void optionalKeysOnlyWhenSet();
    void oneLinePerDecisionInOrder();
    void throughput();
};

namespace {

struct Fixture {
    enforcement::Policy policy = policy::defaultPolicy();
    enforcement::Dictionary dictionary;
};

QJsonObject parseLine(const QByteArray& line)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("not JSON (%s): %s", qPrintable(error.errorString()), line.constData());
    return document.object();
}

} // namespace

void TestDecisionWriter::rowIsJsonWithRequiredKeys_data()
{
    QTest::addColumn<QString>("requestId");
    QTest::newRow("plain") << u"req-1"_s;
    QTest::newRow("empty") << QString();
    QTest::newRow("quote and backslash") << u"a\"b\\c"_s;
    QTest::newRow("control characters") << u"line\nbreak\ttab\u0001"_s;
    QTest::newRow("non-ASCII") << u"zürich-été-✓"_s;
}

void TestDecisionWriter::rowIsJsonWithRequiredKeys()
{
    QFETCH(QString, requestId);
    Fixture f;
    const QByteArray idUtf8 = requestId.toUtf8();
    enforcement::EncodedRequest request;
    request.ts = 1767571200123;
    request.requestId = f.dictionary.intern(enforcement::Field::RequestId, idUtf8.toStdString());
    Decision decision;
    decision.reason = Reason::RateLimited;
    decision.status = 429;
    decision.allowed = false;
    decision.rule = 1; // ip_per_hour
    decision.limit = 100;
    decision.remaining = 0;
    decision.resetAt = 1767574800000;
    decision.retryAfterS = 3600;

    QBuffer buffer;
    QVERIFY(buffer.open(QIODevice::WriteOnly));
    {
        simulation::DecisionWriter writer(f.policy, f.dictionary, buffer);
        writer.decided(0, request, decision);
        QVERIFY(writer.flush());
        QCOMPARE(writer.rows(), 1u);
    }
    QVERIFY(buffer.data().endsWith('\n'));
    QCOMPARE(buffer.data().count('\n'), 1);
    const QJsonObject row = parseLine(buffer.data().trimmed());
    QCOMPARE(row[u"request_id"_s].toString(), requestId);
    QCOMPARE(row[u"ts"_s].toInteger(), 1767571200123);
    QCOMPARE(row[u"allowed"_s].toBool(true), false);
    QCOMPARE(row[u"status"_s].toInt(), 429);
    QCOMPARE(row[u"reason"_s].toString(), u"rate_limited"_s);
    QCOMPARE(row[u"rule"_s].toString(), u"ip_per_hour"_s);
    QCOMPARE(row[u"limit"_s].toInteger(), 100);
    QCOMPARE(row[u"remaining"_s].toInteger(), 0);
    QCOMPARE(row[u"reset_at"_s].toInteger(), 1767574800000);
    QCOMPARE(row[u"retry_after_s"_s].toInteger(), 3600);
    QVERIFY(!row.contains(u"would_deny"_s));
    QVERIFY(!row.contains(u"collision"_s));
    QVERIFY(!row.contains(u"cost_usd"_s));
}

void TestDecisionWriter::optionalKeysOnlyWhenSet()
{
    Fixture f;
    enforcement::EncodedRequest request;
    Decision decision; // admitted, no limit information
    decision.wouldDeny = 0;
    decision.collision = enforcement::CollisionParameters | enforcement::CollisionLate;
    decision.costMicroUsd = 2002345; // $2.002345
    decision.incidents = 2;
    std::string out;
    QBuffer unused;
    simulation::DecisionWriter(f.policy, f.dictionary, unused).format(out, request, decision);
    const QJsonObject row = parseLine(QByteArray::fromStdString(out));
    QCOMPARE(row[u"allowed"_s].toBool(false), true);
    QCOMPARE(row[u"rule"_s].toString(u"x"_s), QString());
    QCOMPARE(row[u"limit"_s].toInteger(), -1);
    QCOMPARE(row[u"would_deny"_s].toString(), u"ip_per_minute"_s);
    QCOMPARE(row[u"collision"_s].toString(), u"late"_s);
    QCOMPARE(row[u"cost_usd"_s].toDouble(), 2.002345);
    QVERIFY(out.find("\"cost_usd\":2.002345") != std::string::npos); // exact, not rounded
    QCOMPARE(row[u"incidents"_s].toInt(), 2);
}

void TestDecisionWriter::oneLinePerDecisionInOrder()
{
    Fixture f;
    QBuffer buffer;
    QVERIFY(buffer.open(QIODevice::WriteOnly));
    constexpr int kRows = 50000; // crosses the internal flush threshold several times
    {
        simulation::DecisionWriter writer(f.policy, f.dictionary, buffer);
        for (int i = 0; i < kRows; ++i) {
            enforcement::EncodedRequest request;
            request.ts = i;
            request.requestId
                = f.dictionary.intern(enforcement::Field::RequestId, "id" + std::to_string(i));
            writer.decided(static_cast<std::size_t>(i), request, Decision {});
        }
    } // the destructor flushes
    const QList<QByteArray> lines = buffer.data().split('\n');
    QCOMPARE(lines.size(), kRows + 1);
    QVERIFY(lines.constLast().isEmpty());
    for (int i : { 0, 1, 12345, kRows - 1 })
        QCOMPARE(
            parseLine(lines[i])[u"request_id"_s].toString(), QString(u"id"_s + QString::number(i)));
}

void TestDecisionWriter::throughput()
{
    // Not a pass/fail timing (CI machines vary); it prints rows per second for the record.
    Fixture f;
    enforcement::EncodedRequest request;
    request.requestId = f.dictionary.intern(
        enforcement::Field::RequestId, "0f8fad5b-d9cb-469f-a165-70867728950e");
    Decision decision;
    decision.limit = 20;
    decision.remaining = 7;
    decision.resetAt = 1767571260000;
    decision.costMicroUsd = 1234;
    QTemporaryFile file; // a file, as `quotactl simulate --decisions` writes
    QVERIFY(file.open());
    simulation::DecisionWriter writer(f.policy, f.dictionary, file);
    constexpr int kRows = 1000000;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < kRows; ++i) {
        request.ts = 1767571200000 + i;
        writer.decided(static_cast<std::size_t>(i), request, decision);
    }
    QVERIFY(writer.flush());
    const double seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    qInfo("decision rows: %.1f M/s (%.0f MB/s)", kRows / seconds / 1e6,
        static_cast<double>(file.size()) / seconds / 1e6);
    QCOMPARE(writer.rows(), std::uint64_t(kRows));
}

QTEST_GUILESS_MAIN(TestDecisionWriter)
#include "tst_decisionwriter.moc"
