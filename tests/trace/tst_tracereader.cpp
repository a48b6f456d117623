#include "enforcement/headers.h"
#include "trace/chunkpool.h"
#include "trace/trace.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
namespace ef = qc::enforcement;
using namespace qc::trace;

namespace {

QString text(const Trace& trace, ef::Field field, std::uint32_t id)
{
    const std::string_view t = trace.dictionary->text(field, id);
    return QString::fromUtf8(t.data(), qsizetype(t.size()));
}

QString errorsOf(const ReadResult& r)
{
    QStringList out;
    for (const TraceError& e : r.errors)
        out.append(e.toString());
    if (!r.fatal.isEmpty())
        out.append(u"fatal: "_s + r.fatal);
    return out.join(u'\n');
}

QString reasonName(ef::Reason reason)
{
    const std::string_view t = ef::toString(reason);
    return QString::fromUtf8(t.data(), qsizetype(t.size()));
}

constexpr ef::TimeMs kT0 = 1767621900123; // 2026-01-05T14:05:00.123Z

// Everything a read produced, ids included: a read on several threads interns in file order,
// so its ids are those of the one-thread read.
QString describe(const ReadResult& r)
{
    QStringList out;
    out.append(u"skipped "_s + QString::number(r.skippedRows) + u" cancelled "_s
        + QString::number(r.cancelled));
    out.append(errorsOf(r));
    const Trace& t = r.trace;
    out.append(u"rules "_s + QString::number(qsizetype(t.ruleNames.size())));
    for (std::size_t i = 0; i < t.size(); ++i) {
        const ef::EncodedRequest& q = t.requests[i];
        QString row = QString::number(t.lineOf(i)) + u' ' + QString::number(q.ts) + u' '
            + QString::number(q.costMicroUsd) + u' ' + QString::number(q.tokens) + u' '
            + QString::number(q.responseMs);
        for (const std::uint32_t id :
            { q.requestId, q.ip, q.forwardedFor, q.user, q.plan, q.endpoint, q.method, q.userAgent,
                q.country, q.idempotencyKey, q.requestHash, q.model })
            row += u' ' + QString::number(id);
        row += u" ua=" + text(t, ef::Field::UserAgent, q.userAgent);
        row += u" rid=" + text(t, ef::Field::RequestId, q.requestId);
        if (!t.recorded.empty()) {
            const RecordedDecision& d = t.recorded[i];
            row += u" rec " + QString::number(d.present) + u' ' + QString::number(d.status) + u' '
                + QString::number(d.allowed) + u' ' + reasonName(d.reason) + u' '
                + QString::fromStdString(std::string(t.ruleName(d.rule)));
        }
        out.append(row);
    }
    return out.join(u'\n');
}

// Writes `bytes` to t.csv in `dir`: the file's path, or empty when it could not be written.
QString writeCsv(const QTemporaryDir& dir, const QByteArray& bytes)
{
    const QString path = dir.filePath(u"t.csv"_s);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        return {};
    return path;
}

ReadOptions onThreads(int threads, qint64 rangeBytes)
{
    ReadOptions options;
    options.parseThreads = threads;
    options.parseRangeBytes = rangeBytes;
    return options;
}

// A trace with what makes splitting it hard: quoted cells with commas, "" and line breaks
// (one of them holding text that looks like a row of its own), CRLF and blank lines, bad rows
// of every kind, a row out of time order, decision columns and rule names from the middle on.
QByteArray awkwardCsv(int rows)
{
    QByteArray csv
        = "ts,request_id,ip,user_id,plan,user_agent,tokens,cost_usd,status,reason,rule\n";
    for (int i = 0; i < rows; ++i) {
        const QByteArray n = QByteArray::number(i);
        const QByteArray ts = QByteArray::number(kT0 + i * 10);
        QByteArray ua = "agent-" + QByteArray::number(i % 5);
        if (i % 11 == 3)
            ua = "\"multi\nline " + n + ",\n" + QByteArray::number(kT0) + ",r,1.2.3.4,,,,,,,,\n\"";
        else if (i % 13 == 4)
            ua = "\"quote \"\"" + n + "\"\", comma\"";
        const QByteArray decision = i > rows / 2
            ? ",429,rate_limited,rule_" + QByteArray::number(i % 3)
            : QByteArray(",,,");
        QByteArray row = ts + ",r" + n + ",10." + QByteArray::number(i % 200) + ".0.1,u"
            + QByteArray::number(i % 17) + ",free," + ua + "," + QByteArray::number(i % 100)
            + ",0.0" + QByteArray::number(i % 10) + decision;
        if (i % 29 == 10)
            row = "nope" + row.mid(ts.size()); // bad ts
        else if (i % 31 == 12)
            row += ",extra"; // a cell too many
        else if (i % 37 == 14)
            row = ts + ",r" + n + ",10.0.0.1,,,,x,,,,"; // bad tokens
        else if (i % 43 == 20)
            row = QByteArray::number(kT0) + ",r" + n + ",10.0.0.1,,,,,,,,"; // out of order
        csv += row + (i % 7 == 2 ? "\r\n" : "\n");
        if (i % 19 == 6)
            csv += "\n";
    }
    return csv;
}

} // namespace

class TestTraceReader : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void csvColumnsInAnyOrder();
    void csvQuoting();
    void csvQuotedCellsAtEveryPosition();
    void timestamps_data();
    void timestamps();
    void fastTimestampsAgreeWithTheParser();
    void badRowsAreReportedAndSkipped_data();
    void badRowsAreReportedAndSkipped();
    void strictModeStopsAtTheFirstBadRow();
    void outOfOrderRowNamesItsLine();
    void errorListIsCapped();
    void headerProblemsAreFatal_data();
    void headerProblemsAreFatal();
    void recordedDecisions();
    void noDecisionColumnsMeansNoRecorded();
    void jsonl();
    void jsonlErrors_data();
    void jsonlErrors();
    void csvAndJsonlAgree();
    void formatByExtensionAndSniffing();
    void cancelThroughProgress();
    void chunksMatchOneRead();
    void requestIdsOfRecordedRowsOnly();
    void chunkPoolReusesBuffers();
    void sharedDictionary();
    void parallelReadMatchesOneThread_data();
    void parallelReadMatchesOneThread();
    void parallelQuotedLineBreakAcrossRanges();
    void parallelBadRowInALaterRange();
    void parallelUnclosedQuoteNamesItsLine();
    void parallelChunksProgressAndCancel();
};

void TestTraceReader::csvColumnsInAnyOrder()
{
    const QByteArray csv
        = "endpoint,extra,ts,ip,user_id,plan,method,cost_usd,tokens,response_ms,model,"
          "idempotency_key,request_hash,forwarded_for,country,user_agent,request_id\r\n"
          "/api/chat,whatever,2026-01-05T14:05:00.123Z,10.0.0.5,u1,pro,POST,0.0125,"
          "1500,2300,gpt-4o,k1,h1,203.0.113.9,DE,curl/8,r-1\r\n"
          "/health,,1767621901000,198.51.100.1,,,GET,,,,,,,,,,\r\n";
    const ReadResult r = readTraceData(csv, Format::Csv);
    QVERIFY2(r.ok() && r.errors.isEmpty(), qPrintable(errorsOf(r)));
    QCOMPARE(r.trace.size(), std::size_t(2));
    const ef::EncodedRequest& a = r.trace.requests[0];
    QCOMPARE(a.ts, kT0);
    QCOMPARE(text(r.trace, ef::Field::Endpoint, a.endpoint), u"/api/chat"_s);
    QCOMPARE(text(r.trace, ef::Field::Ip, a.ip), u"10.0.0.5"_s);
    QCOMPARE(text(r.trace, ef::Field::ForwardedFor, a.forwardedFor), u"203.0.113.9"_s);
    QCOMPARE(text(r.trace, ef::Field::User, a.user), u"u1"_s);
    QCOMPARE(text(r.trace, ef::Field::Plan, a.plan), u"pro"_s);
    QCOMPARE(text(r.trace, ef::Field::Method, a.method), u"POST"_s);
    QCOMPARE(text(r.trace, ef::Field::Model, a.model), u"gpt-4o"_s);
    QCOMPARE(text(r.trace, ef::Field::IdempotencyKey, a.idempotencyKey), u"k1"_s);
    QCOMPARE(text(r.trace, ef::Field::RequestHash, a.requestHash), u"h1"_s);
    QCOMPARE(text(r.trace, ef::Field::Country, a.country), u"DE"_s);
    QCOMPARE(text(r.trace, ef::Field::UserAgent, a.userAgent), u"curl/8"_s);
    QCOMPARE(text(r.trace, ef::Field::RequestId, a.requestId), u"r-1"_s);
    QCOMPARE(a.costMicroUsd, 12500);
    QCOMPARE(a.tokens, 1500);
    QCOMPARE(a.responseMs, 2300);

    // Empty cells are absent: id 0, cost unknown (-1), counts 0.
    const ef::EncodedRequest& b = r.trace.requests[1];
    QCOMPARE(b.ts, ef::TimeMs(1767621901000));
    QCOMPARE(b.user, 0u);
    QCOMPARE(b.plan, 0u);
    QCOMPARE(b.costMicroUsd, -1);
    QCOMPARE(b.tokens, 0);
    QVERIFY(r.trace.recorded.empty());
    QCOMPARE(r.trace.lines, (std::vector<qint64> { 2, 3 }));
}

void TestTraceReader::csvQuoting()
{
    const QByteArray csv = "ts,user_agent,endpoint\n"
                           "1000,\"Mozilla/5.0 (X11, Linux) \"\"quoted\"\"\",/a\n"
                           "2000,\"two\nlines\",\"/b\"\n"
                           "3000,\"\",/c\n"
                           "4000,plain,/d";
    const ReadResult r = readTraceData(csv, Format::Csv);
    QVERIFY2(r.ok() && r.errors.isEmpty(), qPrintable(errorsOf(r)));
    QCOMPARE(r.trace.size(), std::size_t(4));
    QCOMPARE(text(r.trace, ef::Field::UserAgent, r.trace.requests[0].userAgent),
        u"Mozilla/5.0 (X11, Linux) \"quoted\""_s);
    QCOMPARE(text(r.trace, ef::Field::UserAgent, r.trace.requests[1].userAgent), u"two\nlines"_s);
    QCOMPARE(text(r.trace, ef::Field::Endpoint, r.trace.requests[1].endpoint), u"/b"_s);
    QCOMPARE(r.trace.requests[2].userAgent, 0u);
    // A row after a quoted line break starts one line later.
    QCOMPARE(r.trace.lines, (std::vector<qint64> { 2, 3, 5, 6 }));
}

void TestTraceReader::csvQuotedCellsAtEveryPosition()
{
    // Quoted cells first, last and in the middle of a row, before CRLF and at the very end of
    // the file, long enough to span the reader's 64-byte blocks, with and without "" and line
    // breaks: the short way (no "" or line break inside) and the long way agree.
    const QByteArray longUa = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 "
                              "(KHTML, like Gecko) Version/17.2 Safari/605.1.15";
    const QByteArray csv = "\"ts\",user_agent,\"endpoint\"\r\n"
                           "\"1000\",\""
        + longUa
        + "\",\"/a\"\r\n"
          "2000,\"a\rb\",/b\r\n"
          "3000,\"x\"\""
        + longUa
        + "\",\"/c,d\"\n"
          "4000,\"\",\"/e\"";
    const ReadResult r = readTraceData(csv, Format::Csv);
    QVERIFY2(r.ok() && r.errors.isEmpty(), qPrintable(errorsOf(r)));
    QCOMPARE(r.trace.size(), std::size_t(4));
    QCOMPARE(r.trace.requests[0].ts, 1000);
    QCOMPARE(text(r.trace, ef::Field::UserAgent, r.trace.requests[0].userAgent),
        QString::fromLatin1(longUa));
    QCOMPARE(text(r.trace, ef::Field::Endpoint, r.trace.requests[0].endpoint), u"/a"_s);
    QCOMPARE(text(r.trace, ef::Field::UserAgent, r.trace.requests[1].userAgent), u"a\rb"_s);
    QCOMPARE(text(r.trace, ef::Field::UserAgent, r.trace.requests[2].userAgent),
        u"x\""_s + QString::fromLatin1(longUa));
    QCOMPARE(text(r.trace, ef::Field::Endpoint, r.trace.requests[2].endpoint), u"/c,d"_s);
    QCOMPARE(r.trace.requests[3].userAgent, 0u);
    QCOMPARE(text(r.trace, ef::Field::Endpoint, r.trace.requests[3].endpoint), u"/e"_s);
    QCOMPARE(r.trace.lines, (std::vector<qint64> { 2, 3, 4, 5 }));

    // Text after the closing quote of a quoted cell that needs no unescaping, and one left open
    // at the end of the file.
    const ReadResult bad
        = readTraceData("ts,user_agent\n1000,\"" + longUa + "\"x\n2000,\"open", Format::Csv);
    QCOMPARE(errorsOf(bad),
        u"line 2: unexpected text after a closing quote; a quote inside a quoted cell is written "
        u"twice (\"\")\nline 3: a quoted cell opened on line 3 is never closed"_s);
}

void TestTraceReader::timestamps_data()
{
    QTest::addColumn<QByteArray>("cell");
    QTest::addColumn<qint64>("ms");
    QTest::newRow("rfc3339 ms") << QByteArray("2026-01-05T14:05:00.123Z") << qint64(kT0);
    QTest::newRow("epoch ms") << QByteArray("1767621900123") << qint64(kT0);
    QTest::newRow("offset") << QByteArray("2026-01-05T15:05:00.123+01:00") << qint64(kT0);
    QTest::newRow("no fraction") << QByteArray("2026-01-05T14:05:00Z") << qint64(kT0 - 123);
    QTest::newRow("leap day") << QByteArray("2024-02-29T00:00:00.000Z") << qint64(1709164800000);
    QTest::newRow("epoch start") << QByteArray("1970-01-01T00:00:00.000Z") << qint64(0);
    QTest::newRow("end of year") << QByteArray("2025-12-31T23:59:59.999Z") << qint64(1767225599999);
}

void TestTraceReader::fastTimestampsAgreeWithTheParser()
{
    // The reader decodes the writers' form "YYYY-MM-DDTHH:MM:SS.mmmZ" itself; whatever it
    // accepts or refuses there, ef::parseTimestamp() must agree.
    QList<QByteArray> cells;
    const QByteArray good = "2026-01-05T14:05:00.123Z";
    for (int i = 11; i < 23; ++i) {
        for (const char c :
            { '0', '5', '9', ':', '/', 'a', ' ', '.', char(0xB0), char(0x39 + 0x80) }) {
            QByteArray cell = good;
            cell[i] = c;
            cells.append(cell);
        }
    }
    cells << "2026-01-05T23:59:59.999Z"
          << "2026-01-05T24:00:00.000Z"
          << "2026-01-05T00:60:00.000Z"
          << "2026-01-05T00:00:60.000Z"
          << "2026-01-05T00:00:00.000Z"
          << "2026-01-05T19:59:59.999Z";
    for (const QByteArray& cell : cells) {
        const auto expected
            = ef::parseTimestamp(std::string_view(cell.constData(), std::size_t(cell.size())));
        const ReadResult r = readTraceData("ts\n" + cell + "\n", Format::Csv);
        QVERIFY2(r.trace.size() == (expected ? 1U : 0U), cell.constData());
        if (expected)
            QVERIFY2(r.trace.requests[0].ts == *expected, cell.constData());
    }
}

void TestTraceReader::timestamps()
{
    QFETCH(QByteArray, cell);
    QFETCH(qint64, ms);
    const ReadResult r = readTraceData("ts\n" + cell + "\n", Format::Csv);
    QVERIFY2(r.ok() && r.errors.isEmpty(), qPrintable(errorsOf(r)));
    QCOMPARE(r.trace.size(), std::size_t(1));
    QCOMPARE(r.trace.requests[0].ts, ms);
}

void TestTraceReader::badRowsAreReportedAndSkipped_data()
{
    QTest::addColumn<QByteArray>("row");
    QTest::addColumn<QString>("message");
    QTest::newRow("month 13") << QByteArray("2026-13-01T00:00:00.000Z,1.0,1,200")
                              << u"line 3: ts '2026-13-01T00:00:00.000Z' is not a timestamp"_s;
    QTest::newRow("30 February") << QByteArray("2026-02-30T00:00:00.000Z,,,")
                                 << u"line 3: ts '2026-02-30T00:00:00.000Z' is not a timestamp"_s;
    QTest::newRow("words") << QByteArray("yesterday,,,")
                           << u"line 3: ts 'yesterday' is not a timestamp"_s;
    QTest::newRow("empty ts") << QByteArray(",0.5,,") << u"line 3: ts is empty"_s;
    QTest::newRow("cost") << QByteArray("1767621901000,$1,,")
                          << u"line 3: cost_usd '$1' is not an amount of dollars"_s;
    QTest::newRow("negative cost")
        << QByteArray("1767621901000,-1,,") << u"line 3: cost_usd '-1'"_s;
    QTest::newRow("tokens") << QByteArray("1767621901000,,12k,")
                            << u"line 3: tokens '12k' is not a whole number"_s;
    QTest::newRow("status") << QByteArray("1767621901000,,,42")
                            << u"line 3: status '42' is not an HTTP status"_s;
    QTest::newRow("too few cells")
        << QByteArray("1767621901000,1") << u"line 3: has 2 cells, the header has 4"_s;
    QTest::newRow("too many cells")
        << QByteArray("1767621901000,,,,x") << u"line 3: has 5 cells, the header has 4"_s;
    QTest::newRow("text after quote") << QByteArray("1767621901000,\"1\"x,,")
                                      << u"line 3: unexpected text after a closing quote"_s;
}

void TestTraceReader::badRowsAreReportedAndSkipped()
{
    QFETCH(QByteArray, row);
    QFETCH(QString, message);
    const QByteArray csv = "ts,cost_usd,tokens,status\n"
                           "1767621900000,0.1,5,200\n"
        + row + "\n1767621902000,,,429\n";
    const ReadResult r = readTraceData(csv, Format::Csv);
    QVERIFY2(r.fatal.isEmpty(), qPrintable(r.fatal));
    QCOMPARE(r.skippedRows, 1);
    QCOMPARE(r.errors.size(), 1);
    QCOMPARE(r.errors[0].line, 3);
    QVERIFY2(r.errors[0].toString().startsWith(message), qPrintable(r.errors[0].toString()));
    QCOMPARE(r.trace.size(), std::size_t(2));
    QCOMPARE(r.trace.lines, (std::vector<qint64> { 2, 4 }));
    QCOMPARE(r.trace.requests[1].ts, ef::TimeMs(1767621902000));
}

void TestTraceReader::strictModeStopsAtTheFirstBadRow()
{
    const QByteArray csv = "ts,tokens\n1000,1\n2000,x\n3000,y\n";
    ReadOptions options;
    options.strict = true;
    const ReadResult r = readTraceData(csv, Format::Csv, options);
    QVERIFY(!r.ok());
    QVERIFY2(r.fatal.startsWith(u"line 3: tokens 'x'"_s), qPrintable(r.fatal));
    QCOMPARE(r.trace.size(), std::size_t(1));
    QCOMPARE(r.skippedRows, 1);

    options.strict = false;
    const ReadResult lenient = readTraceData(csv, Format::Csv, options);
    QVERIFY(lenient.ok());
    QCOMPARE(lenient.skippedRows, 2);
    QCOMPARE(lenient.trace.size(), std::size_t(1));
}

void TestTraceReader::outOfOrderRowNamesItsLine()
{
    const QByteArray csv = "ts,endpoint\n"
                           "2026-01-05T14:05:00.000Z,/a\n"
                           "2026-01-05T14:05:01.000Z,/b\n"
                           "2026-01-05T14:04:59.000Z,/c\n"
                           "2026-01-05T14:05:01.000Z,/d\n";
    const ReadResult r = readTraceData(csv, Format::Csv);
    QCOMPARE(r.skippedRows, 1);
    QCOMPARE(r.errors.size(), 1);
    QCOMPARE(r.errors[0].toString(),
        u"line 4: ts 2026-01-05T14:04:59.000Z is earlier than 2026-01-05T14:05:01.000Z on line 3; "
        u"rows must be in time order"_s);
    // Equal timestamps are in order.
    QCOMPARE(r.trace.size(), std::size_t(3));

    ReadOptions strict;
    strict.strict = true;
    const ReadResult s = readTraceData(csv, Format::Csv, strict);
    QVERIFY(s.fatal.startsWith(u"line 4: "_s));
}

void TestTraceReader::errorListIsCapped()
{
    QByteArray csv = "ts\n";
    for (int i = 0; i < 10; ++i)
        csv += "bad\n";
    csv += "5\n";
    ReadOptions options;
    options.maxReportedErrors = 3;
    const ReadResult r = readTraceData(csv, Format::Csv, options);
    QCOMPARE(r.errors.size(), 3);
    QCOMPARE(r.skippedRows, 10);
    QCOMPARE(r.trace.size(), std::size_t(1));
    QCOMPARE(r.errors[2].line, 4);
}

void TestTraceReader::headerProblemsAreFatal_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << QByteArray() << u"empty"_s;
    QTest::newRow("only blank lines") << QByteArray("\n\n") << u"the file is empty"_s;
    QTest::newRow("no ts column") << QByteArray("time,ip\n1,2\n")
                                  << u"line 1: the header has no 'ts' column"_s;
    QTest::newRow("duplicate column")
        << QByteArray("ts,ip,ip\n") << u"line 1: column 'ip' appears twice"_s;
}

void TestTraceReader::headerProblemsAreFatal()
{
    QFETCH(QByteArray, csv);
    QFETCH(QString, message);
    const ReadResult r = readTraceData(csv, Format::Csv);
    QVERIFY2(r.fatal.contains(message), qPrintable(r.fatal));
    QVERIFY(!r.ok());
}

void TestTraceReader::recordedDecisions()
{
    const QByteArray csv = "ts,ip,status,decision,reason,rule\n"
                           "1000,1.2.3.4,200,allowed,admitted,\n"
                           "2000,1.2.3.4,429,denied,rate_limited,ip_per_minute\n"
                           "3000,1.2.3.4,,,,\n"
                           "4000,1.2.3.4,403,,,\n"
                           "5000,1.2.3.4,429,denied,quota_exceeded,ip_per_minute\n"
                           "6000,1.2.3.4,,,fail_open,\n";
    const ReadResult r = readTraceData(csv, Format::Csv);
    QVERIFY2(r.ok() && r.errors.isEmpty(), qPrintable(errorsOf(r)));
    QCOMPARE(r.trace.recorded.size(), std::size_t(6));
    const auto& rec = r.trace.recorded;
    QVERIFY(rec[0].present && rec[0].allowed && rec[0].hasReason);
    QCOMPARE(rec[0].status, 200);
    QCOMPARE(reasonName(rec[0].reason), reasonName(ef::Reason::Admitted));
    QCOMPARE(rec[0].rule, 0u);
    QVERIFY(rec[1].present && !rec[1].allowed);
    QCOMPARE(reasonName(rec[1].reason), reasonName(ef::Reason::RateLimited));
    QCOMPARE(r.trace.ruleName(rec[1].rule), std::string_view("ip_per_minute"));
    QCOMPARE(rec[4].rule, rec[1].rule);
    QVERIFY(!rec[2].present);
    // Without a decision column, allowed follows the status, then the reason.
    QVERIFY(rec[3].present && !rec[3].allowed && !rec[3].hasReason);
    QVERIFY(rec[5].present && rec[5].allowed);
    QCOMPARE(reasonName(rec[5].reason), reasonName(ef::Reason::FailOpen));

    const ReadResult bad
        = readTraceData("ts,reason,decision\n1,throttled,\n2,,maybe\n", Format::Csv);
    QCOMPARE(bad.errors.size(), 2);
    QVERIFY(bad.errors[0].message.startsWith(u"reason 'throttled' is not a reason code"_s));
    QVERIFY(
        bad.errors[1].message.startsWith(u"decision 'maybe' is neither 'allowed' nor 'denied'"_s));
}

void TestTraceReader::noDecisionColumnsMeansNoRecorded()
{
    const ReadResult r = readTraceData("ts,ip,status\n1,1.2.3.4,\n2,1.2.3.4,\n", Format::Csv);
    QCOMPARE(r.trace.size(), std::size_t(2));
    QVERIFY(r.trace.recorded.empty());
    // A later row with a decision makes the recorded list parallel to all requests.
    const ReadResult later
        = readTraceData("ts,ip,status\n1,1.2.3.4,\n2,1.2.3.4,200\n", Format::Csv);
    QCOMPARE(later.trace.recorded.size(), std::size_t(2));
    QVERIFY(!later.trace.recorded[0].present);
    QVERIFY(later.trace.recorded[1].present);
}

void TestTraceReader::jsonl()
{
    const QByteArray jsonl
        = R"({"ts": "2026-01-05T14:05:00.123Z", "ip": "1.2.3.4", "user_agent": "caf\u00e9 \"bot\" \ud83d\ude00", "tokens": 12, "cost_usd": 0.5, "plan": null, "meta": {"a": [1, {"b": "}"}]}, "flag": true})"
          "\n\n"
          R"({"ts":1767621900124,"endpoint":"/api/items","status":429,"decision":"denied","reason":"rate_limited","rule":"r1"})"
          "\r\n";
    const ReadResult r = readTraceData(jsonl, Format::Jsonl);
    QVERIFY2(r.ok() && r.errors.isEmpty(), qPrintable(errorsOf(r)));
    QCOMPARE(r.trace.size(), std::size_t(2));
    QCOMPARE(r.trace.requests[0].ts, kT0);
    QCOMPARE(text(r.trace, ef::Field::UserAgent, r.trace.requests[0].userAgent),
        QString::fromUtf8("café \"bot\" \xF0\x9F\x98\x80"));
    QCOMPARE(r.trace.requests[0].tokens, 12);
    QCOMPARE(r.trace.requests[0].costMicroUsd, 500000);
    QCOMPARE(r.trace.requests[0].plan, 0u);
    QCOMPARE(r.trace.requests[1].ts, kT0 + 1);
    QCOMPARE(r.trace.lines, (std::vector<qint64> { 1, 3 }));
    QCOMPARE(r.trace.recorded.size(), std::size_t(2));
    QVERIFY(!r.trace.recorded[0].present);
    QCOMPARE(r.trace.recorded[1].status, 429);
    QCOMPARE(r.trace.ruleName(r.trace.recorded[1].rule), std::string_view("r1"));
}

void TestTraceReader::jsonlErrors_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("message");
    QTest::newRow("not an object") << QByteArray("[1,2]") << u"line 2: expected a JSON object"_s;
    QTest::newRow("unclosed string")
        << QByteArray(R"({"ts": "2026)") << u"line 2: a string is not closed"_s;
    QTest::newRow("nested column") << QByteArray(R"({"ts": 5, "ip": ["1.2.3.4"]})")
                                   << u"line 2: \"ip\" must be a string or a number"_s;
    QTest::newRow("missing colon")
        << QByteArray(R"({"ts" 5})") << u"line 2: expected ':' after the key \"ts\""_s;
    QTest::newRow("two objects") << QByteArray(R"({"ts": 5} {"ts": 6})")
                                 << u"line 2: unexpected text after the object"_s;
    QTest::newRow("bad literal") << QByteArray(R"({"ts": 5, "ip": nope})")
                                 << u"line 2: the value of \"ip\" is not valid JSON"_s;
    QTest::newRow("bad ts") << QByteArray(R"({"ts": "noon"})")
                            << u"line 2: ts 'noon' is not a timestamp"_s;
}

void TestTraceReader::jsonlErrors()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, message);
    const ReadResult r = readTraceData("{\"ts\": 1}\n" + line + "\n{\"ts\": 7}\n", Format::Jsonl);
    QCOMPARE(r.skippedRows, 1);
    QCOMPARE(r.errors.size(), 1);
    QVERIFY2(r.errors[0].toString().startsWith(message), qPrintable(r.errors[0].toString()));
    QCOMPARE(r.trace.size(), std::size_t(2));
}

void TestTraceReader::csvAndJsonlAgree()
{
    const QByteArray csv = "ts,ip,user_id,endpoint,cost_usd\n"
                           "2026-01-05T14:05:00.123Z,1.2.3.4,u,/x,0.25\n";
    const QByteArray jsonl
        = R"({"ts":"2026-01-05T14:05:00.123Z","ip":"1.2.3.4","user_id":"u","endpoint":"/x","cost_usd":"0.25"})"
          "\n";
    const ReadResult a = readTraceData(csv, Format::Csv);
    const ReadResult b = readTraceData(jsonl, Format::Jsonl);
    QCOMPARE(a.trace.size(), std::size_t(1));
    QCOMPARE(b.trace.size(), std::size_t(1));
    const ef::Request ra = ef::decode(*a.trace.dictionary, a.trace.requests[0]);
    const ef::Request rb = ef::decode(*b.trace.dictionary, b.trace.requests[0]);
    QCOMPARE(ra.ts, rb.ts);
    QCOMPARE(ra.ip, rb.ip);
    QCOMPARE(ra.userId, rb.userId);
    QCOMPARE(ra.endpoint, rb.endpoint);
    QCOMPARE(ra.costMicroUsd, 250000);
    QCOMPARE(rb.costMicroUsd, 250000);
}

void TestTraceReader::formatByExtensionAndSniffing()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto write = [&](const QString& name, const QByteArray& data) {
        QFile f(dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(data);
    };
    const QByteArray jsonl = "{\"ts\": 1, \"ip\": \"1.2.3.4\"}\n";
    const QByteArray csv = "ts,ip\n1,1.2.3.4\n";
    write(u"a.ndjson"_s, jsonl);
    write(u"b.jsonl"_s, jsonl);
    write(u"c.csv"_s, csv);
    write(u"d.log"_s, jsonl); // unknown extension: sniffed
    write(u"e.txt"_s, "\xEF\xBB\xBF" + csv); // BOM is skipped
    for (const QString& name :
        { u"a.ndjson"_s, u"b.jsonl"_s, u"c.csv"_s, u"d.log"_s, u"e.txt"_s }) {
        const ReadResult r = readTrace(dir.filePath(name));
        QVERIFY2(r.ok() && r.errors.isEmpty(), qPrintable(name + u": "_s + errorsOf(r)));
        QCOMPARE(r.trace.size(), std::size_t(1));
        QCOMPARE(text(r.trace, ef::Field::Ip, r.trace.requests[0].ip), u"1.2.3.4"_s);
    }
    const ReadResult missing = readTrace(dir.filePath(u"nope.csv"_s));
    QVERIFY(missing.fatal.startsWith(u"cannot open the trace "_s));
    QVERIFY(missing.fatal.contains(u"nope.csv"_s));
}

void TestTraceReader::cancelThroughProgress()
{
    QByteArray csv = "ts,ip\n";
    const int rows = 200000;
    csv.reserve(rows * 16);
    for (int i = 0; i < rows; ++i)
        csv += QByteArray::number(1000 + i) + ",10.1.2.3\n";
    int calls = 0;
    qint64 lastDone = -1;
    qint64 total = 0;
    ReadOptions options;
    options.progress = [&](qint64 done, qint64 all) {
        ++calls;
        QTest::qVerify(done > lastDone, "done", "progress moves forward", __FILE__, __LINE__);
        lastDone = done;
        total = all;
        return calls < 2;
    };
    const ReadResult r = readTraceData(csv, Format::Csv, options);
    QVERIFY(r.cancelled);
    QVERIFY(!r.ok());
    QCOMPARE(calls, 2);
    QCOMPARE(total, qint64(csv.size()));
    QVERIFY(r.trace.size() > 0);
    QVERIFY(r.trace.size() < std::size_t(rows));

    ReadOptions all;
    int finalCalls = 0;
    all.progress = [&](qint64 done, qint64 whole) {
        ++finalCalls;
        return done <= whole;
    };
    const ReadResult full = readTraceData(csv, Format::Csv, all);
    QVERIFY(!full.cancelled);
    QCOMPARE(full.trace.size(), std::size_t(rows));
    QVERIFY(finalCalls >= 3);
}

void TestTraceReader::chunksMatchOneRead()
{
    // Quoted cells, bad rows, blank lines, decision columns from the middle on: the chunks of
    // readTraceChunks() put together are what readTrace() reads.
    QByteArray csv = "ts,request_id,ip,user_agent,tokens,status,rule\n";
    for (int i = 0; i < 200; ++i) {
        const QByteArray ts = QByteArray::number(kT0 + i * 10);
        if (i % 37 == 5)
            csv += "bad," + QByteArray::number(i) + ",1.2.3.4,,,,\n";
        else if (i % 41 == 7)
            csv += "\n";
        csv += ts + ",r" + QByteArray::number(i) + ",10.0." + QByteArray::number(i % 7)
            + ".1,\"agent, \"\"v" + QByteArray::number(i % 3) + "\"\"\"," + QByteArray::number(i)
            + (i > 120 ? ",429,r" + QByteArray::number(i % 2) : QByteArray(",,")) + "\n";
    }
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = writeCsv(dir, csv);
    QVERIFY(!path.isEmpty());
    const ReadResult whole = readTrace(path);
    QVERIFY2(whole.fatal.isEmpty(), qPrintable(whole.fatal));
    QVERIFY(whole.skippedRows > 0);
    QVERIFY(!whole.trace.recorded.empty());

    std::vector<Trace> chunks;
    const ReadResult chunked = readTraceChunks(
        path, {}, {},
        [&](Trace&& chunk) {
            chunks.push_back(std::move(chunk));
            return true;
        },
        17);
    QVERIFY(chunked.ok());
    QVERIFY(chunked.trace.requests.empty());
    QCOMPARE(errorsOf(chunked), errorsOf(whole));
    QCOMPARE(chunked.skippedRows, whole.skippedRows);
    std::size_t i = 0;
    for (const Trace& chunk : chunks) {
        QVERIFY(chunk.size() <= 17);
        QCOMPARE(chunk.lines.size(), chunk.size());
        QVERIFY(chunk.recorded.empty() || chunk.recorded.size() == chunk.size());
        for (std::size_t k = 0; k < chunk.size(); ++k, ++i) {
            const ef::EncodedRequest& a = whole.trace.requests[i];
            const ef::EncodedRequest& b = chunk.requests[k];
            QCOMPARE(b.ts, a.ts);
            QCOMPARE(b.tokens, a.tokens);
            QCOMPARE(text(chunk, ef::Field::RequestId, b.requestId),
                text(whole.trace, ef::Field::RequestId, a.requestId));
            QCOMPARE(text(chunk, ef::Field::Ip, b.ip), text(whole.trace, ef::Field::Ip, a.ip));
            QCOMPARE(text(chunk, ef::Field::UserAgent, b.userAgent),
                text(whole.trace, ef::Field::UserAgent, a.userAgent));
            QCOMPARE(chunk.lines[k], whole.trace.lines[i]);
            const RecordedDecision none;
            const RecordedDecision& ra = whole.trace.recorded[i];
            const RecordedDecision& rb = chunk.recorded.empty() ? none : chunk.recorded[k];
            QCOMPARE(rb.present, ra.present);
            QCOMPARE(rb.status, ra.status);
            QCOMPARE(chunk.ruleName(rb.rule), whole.trace.ruleName(ra.rule));
        }
    }
    QCOMPARE(i, whole.trace.size());

    // Stopping from the consumer: a cancelled read, the rows handed over so far kept.
    std::size_t handed = 0;
    const ReadResult stopped = readTraceChunks(
        path, {}, {},
        [&](Trace&& chunk) {
            handed += chunk.size();
            return handed < 40;
        },
        17);
    QVERIFY(stopped.cancelled);
    QCOMPARE(handed, std::size_t(51));
}

void TestTraceReader::requestIdsOfRecordedRowsOnly()
{
    // Rows with a recorded decision keep their request ids; the others get none (the
    // dictionary holds no text for them), everything else is read as usual.
    ReadOptions options;
    options.requestIds = RequestIdTexts::RecordedRowsOnly;
    for (const Format format : { Format::Csv, Format::Jsonl }) {
        const QByteArray data = format == Format::Csv
            ? QByteArray(
                "ts,request_id,ip,status\n1,r1,1.1.1.1,\n2,r2,2.2.2.2,429\n3,r3,3.3.3.3,\n")
            : QByteArray("{\"ts\":1,\"request_id\":\"r1\",\"ip\":\"1.1.1.1\"}\n"
                         "{\"ts\":2,\"request_id\":\"r2\",\"ip\":\"2.2.2.2\",\"status\":429}\n"
                         "{\"ts\":3,\"request_id\":\"r3\",\"ip\":\"3.3.3.3\"}\n");
        const ReadResult r = readTraceData(data, format, options);
        QVERIFY2(r.ok(), qPrintable(r.fatal));
        QCOMPARE(r.trace.size(), std::size_t(3));
        QCOMPARE(r.trace.requests[0].requestId, 0U);
        QCOMPARE(text(r.trace, ef::Field::RequestId, r.trace.requests[1].requestId), u"r2"_s);
        QCOMPARE(r.trace.requests[2].requestId, 0U);
        QCOMPARE(r.trace.dictionary->size(ef::Field::RequestId), 2U); // "" and r2
        QCOMPARE(text(r.trace, ef::Field::Ip, r.trace.requests[2].ip), u"3.3.3.3"_s);
        QCOMPARE(readTraceData(data, format).trace.dictionary->size(ef::Field::RequestId), 4U);
    }
}

void TestTraceReader::chunkPoolReusesBuffers()
{
    // A consumer that recycles its chunks gets the same buffers back, filled with the next rows.
    QByteArray csv = "ts,request_id,ip\n";
    for (int i = 0; i < 100; ++i)
        csv += QByteArray::number(kT0 + i) + ",r" + QByteArray::number(i) + ",10.0.0."
            + QByteArray::number(i % 9) + "\n";
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = writeCsv(dir, csv);
    QVERIFY(!path.isEmpty());
    ChunkPool pool(2);
    std::vector<const ef::EncodedRequest*> buffers;
    int rows = 0;
    const ReadResult read = readTraceChunks(
        path, {}, {},
        [&](Trace&& chunk) {
            buffers.push_back(chunk.requests.data());
            for (std::size_t k = 0; k < chunk.size(); ++k, ++rows) {
                if (chunk.requests[k].ts != kT0 + rows
                    || text(chunk, ef::Field::RequestId, chunk.requests[k].requestId)
                        != u"r"_s + QString::number(rows)
                    || chunk.lines[k] != rows + 2)
                    return false;
            }
            pool.recycle(chunk);
            return true;
        },
        10, Format::Auto, &pool);
    QVERIFY2(read.ok(), qPrintable(read.fatal));
    QCOMPARE(rows, 100);
    QCOMPARE(buffers.size(), std::size_t(10));
    // The first two chunks' buffers were new (the reader fills the next while the consumer has
    // the last), every later one is the buffer given back the chunk before.
    QVERIFY(buffers[1] != buffers[0]);
    for (std::size_t i = 2; i < buffers.size(); ++i)
        QCOMPARE(buffers[i], buffers[i - 2]);
}

void TestTraceReader::sharedDictionary()
{
    auto dictionary = std::make_shared<ef::Dictionary>();
    const std::uint32_t known = dictionary->intern(ef::Field::Ip, "1.2.3.4");
    const ReadResult r = readTraceData("ts,ip\n1,1.2.3.4\n", Format::Csv, {}, dictionary);
    QCOMPARE(r.trace.dictionary.get(), dictionary.get());
    QCOMPARE(r.trace.requests[0].ip, known);
}

void TestTraceReader::parallelReadMatchesOneThread_data()
{
    QTest::addColumn<int>("threads");
    QTest::addColumn<qint64>("rangeBytes");
    QTest::newRow("2 threads, 1-byte ranges") << 2 << qint64(1);
    QTest::newRow("2 threads, 61-byte ranges") << 2 << qint64(61);
    QTest::newRow("3 threads, 97-byte ranges") << 3 << qint64(97);
    QTest::newRow("3 threads, 500-byte ranges") << 3 << qint64(500);
    QTest::newRow("2 threads, 4 KiB ranges") << 2 << qint64(4096);
    QTest::newRow("4 threads, one range") << 4 << qint64(1 << 20);
}

void TestTraceReader::parallelReadMatchesOneThread()
{
    QFETCH(int, threads);
    QFETCH(qint64, rangeBytes);
    const QByteArray csv = awkwardCsv(400);
    const ReadResult serial = readTraceData(csv, Format::Csv, onThreads(1, 0));
    QVERIFY(serial.skippedRows > 20);
    QVERIFY(!serial.trace.recorded.empty());
    QVERIFY(serial.trace.ruleNames.size() == 4);
    const QString expected = describe(serial);
    QVERIFY(expected.contains(u"multi\nline 3,\n"_s));
    QVERIFY(expected.contains(u"earlier than"_s));
    const ReadResult parallel = readTraceData(csv, Format::Csv, onThreads(threads, rangeBytes));
    QCOMPARE(describe(parallel), expected);

    // Strict: the same first bad row ends both, with the same rows before it.
    ReadOptions strict = onThreads(1, 0);
    strict.strict = true;
    const ReadResult strictSerial = readTraceData(csv, Format::Csv, strict);
    strict = onThreads(threads, rangeBytes);
    strict.strict = true;
    const ReadResult strictParallel = readTraceData(csv, Format::Csv, strict);
    QVERIFY(!strictSerial.fatal.isEmpty());
    QCOMPARE(strictParallel.fatal, strictSerial.fatal);
    QCOMPARE(describe(strictParallel), describe(strictSerial));

    // Only the request ids of rows with a recorded decision, into a shared dictionary.
    ReadOptions some = onThreads(1, 0);
    some.requestIds = RequestIdTexts::RecordedRowsOnly;
    const ReadResult someSerial = readTraceData(csv, Format::Csv, some);
    some = onThreads(threads, rangeBytes);
    some.requestIds = RequestIdTexts::RecordedRowsOnly;
    auto dictionary = std::make_shared<ef::Dictionary>();
    const ReadResult someParallel = readTraceData(csv, Format::Csv, some, dictionary);
    QCOMPARE(someParallel.trace.dictionary.get(), dictionary.get());
    QCOMPARE(describe(someParallel), describe(someSerial));
}

void TestTraceReader::parallelQuotedLineBreakAcrossRanges()
{
    // A quoted cell whose line breaks are followed by text that parses as rows: whichever
    // byte a range is guessed to start at, the rows are those of one thread.
    const QByteArray csv = "ts,ip,user_agent\n"
                           "1000,1.1.1.1,plain\n"
                           "1001,2.2.2.2,\"first\n1002,9.9.9.9,not a row\n1003,8.8.8.8,\"\"nor "
                           "this\"\"\n\"\n"
                           "1004,3.3.3.3,\"a,b\"\n"
                           "1005,4.4.4.4,\"\n\n\"\n"
                           "1006,5.5.5.5,last\n";
    const ReadResult serial = readTraceData(csv, Format::Csv, onThreads(1, 0));
    QCOMPARE(serial.trace.size(), std::size_t(5));
    QCOMPARE(text(serial.trace, ef::Field::UserAgent, serial.trace.requests[1].userAgent),
        u"first\n1002,9.9.9.9,not a row\n1003,8.8.8.8,\"nor this\"\n"_s);
    QCOMPARE(serial.trace.lines, (std::vector<qint64> { 2, 3, 7, 8, 11 }));
    const QString expected = describe(serial);
    for (qint64 rangeBytes = 1; rangeBytes <= qint64(csv.size()); ++rangeBytes) {
        const ReadResult parallel = readTraceData(csv, Format::Csv, onThreads(2, rangeBytes));
        QVERIFY2(describe(parallel) == expected,
            qPrintable(u"range bytes "_s + QString::number(rangeBytes)));
    }
}

void TestTraceReader::parallelBadRowInALaterRange()
{
    // Line numbers count the line breaks inside quoted cells of earlier ranges.
    QByteArray csv = "ts,ip,user_agent,tokens\n";
    for (int i = 0; i < 30; ++i)
        csv += QByteArray::number(1000 + i) + ",1.1.1.1,\"two\nlines\"," + QByteArray::number(i)
            + "\n";
    csv += "2000,1.1.1.1,ok,many\n"; // line 62
    csv += "2001,1.1.1.1,ok,5\n";
    csv += "1500,1.1.1.1,ok,6\n"; // line 64: earlier than line 63
    ReadOptions options = onThreads(2, 64);
    const ReadResult r = readTraceData(csv, Format::Csv, options);
    QCOMPARE(r.trace.size(), std::size_t(31));
    QCOMPARE(r.errors.size(), 2);
    QCOMPARE(r.errors[0].toString(), u"line 62: tokens 'many' is not a whole number ≥ 0"_s);
    QVERIFY2(
        r.errors[1].toString().startsWith(u"line 64: ts "_s), qPrintable(r.errors[1].toString()));
    QVERIFY2(r.errors[1].toString().contains(u"on line 63;"_s), qPrintable(r.errors[1].toString()));
    QCOMPARE(r.trace.lines.back(), qint64(63));

    options.strict = true;
    std::size_t handed = 0;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = writeCsv(dir, csv);
    QVERIFY(!path.isEmpty());
    const ReadResult strict = readTraceChunks(
        path, options, {},
        [&](Trace&& chunk) {
            handed += chunk.size();
            return true;
        },
        7);
    QVERIFY2(strict.fatal.startsWith(u"line 62: tokens 'many'"_s), qPrintable(strict.fatal));
    QCOMPARE(handed, std::size_t(30)); // every row before the bad one
}

void TestTraceReader::parallelUnclosedQuoteNamesItsLine()
{
    QByteArray csv = "ts,ip,user_agent\n";
    for (int i = 0; i < 20; ++i)
        csv += QByteArray::number(1000 + i) + ",1.1.1.1,\"a\nb\"\n";
    csv += "2000,1.1.1.1,\"never\nclosed\n3000,2.2.2.2,x\n"; // line 42
    const ReadResult serial = readTraceData(csv, Format::Csv, onThreads(1, 0));
    QCOMPARE(errorsOf(serial), u"line 42: a quoted cell opened on line 42 is never closed"_s);
    for (const qint64 rangeBytes : { 5, 50, 120, 333 }) {
        const ReadResult parallel = readTraceData(csv, Format::Csv, onThreads(3, rangeBytes));
        QCOMPARE(describe(parallel), describe(serial));
    }
}

void TestTraceReader::parallelChunksProgressAndCancel()
{
    QByteArray csv = awkwardCsv(3000);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = writeCsv(dir, csv);
    QVERIFY(!path.isEmpty());
    const ReadResult whole = readTrace(path, onThreads(1, 0));
    // The chunks of a read on several threads put together are the one-thread read.
    ReadResult joined;
    joined.trace.dictionary = std::make_shared<ef::Dictionary>();
    bool recorded = false;
    const ReadResult chunked = readTraceChunks(
        path, onThreads(3, 700), joined.trace.dictionary,
        [&](Trace&& chunk) {
            if (!chunk.recorded.empty() && !recorded) {
                joined.trace.recorded.resize(joined.trace.size());
                recorded = true;
            }
            joined.trace.requests.insert(
                joined.trace.requests.end(), chunk.requests.begin(), chunk.requests.end());
            joined.trace.lines.insert(
                joined.trace.lines.end(), chunk.lines.begin(), chunk.lines.end());
            if (recorded)
                joined.trace.recorded.insert(
                    joined.trace.recorded.end(), chunk.recorded.begin(), chunk.recorded.end());
            joined.trace.ruleNames = chunk.ruleNames;
            return true;
        },
        100);
    QVERIFY(chunked.ok());
    joined.errors = chunked.errors;
    joined.skippedRows = chunked.skippedRows;
    QCOMPARE(describe(joined), describe(whole));

    // Progress moves forward and ends at the whole file; returning false cancels.
    QByteArray big = "ts,ip\n";
    const int rows = 300000;
    for (int i = 0; i < rows; ++i)
        big += QByteArray::number(1000 + i) + ",10.1.2." + QByteArray::number(i % 250) + "\n";
    ReadOptions options = onThreads(2, 16 * 1024);
    qint64 lastDone = -1;
    qint64 lastTotal = 0;
    int calls = 0;
    options.progress = [&](qint64 done, qint64 total) {
        QTest::qVerify(done > lastDone, "done", "progress moves forward", __FILE__, __LINE__);
        lastDone = done;
        lastTotal = total;
        ++calls;
        return true;
    };
    const ReadResult full = readTraceData(big, Format::Csv, options);
    QVERIFY(full.ok());
    QCOMPARE(full.trace.size(), std::size_t(rows));
    QVERIFY(calls >= 3);
    QCOMPARE(lastDone, qint64(big.size()));
    QCOMPARE(lastTotal, qint64(big.size()));
    calls = 0;
    lastDone = -1;
    options.progress = [&](qint64 done, qint64) {
        lastDone = done;
        return ++calls < 2;
    };
    const ReadResult cancelled = readTraceData(big, Format::Csv, options);
    QVERIFY(cancelled.cancelled);
    QCOMPARE(calls, 2);
    QVERIFY(cancelled.trace.size() > 0);
    QVERIFY(cancelled.trace.size() < std::size_t(rows));
    QCOMPARE(cancelled.trace.lines.back(), qint64(cancelled.trace.size()) + 1);
}

QTEST_GUILESS_MAIN(TestTraceReader)
#include "tst_tracereader.moc"
