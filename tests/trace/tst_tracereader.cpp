#include "tracereadertesting.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
namespace ef = qc::enforcement;
using namespace qc::trace;
using namespace qc::trace::testing;

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

QTEST_GUILESS_MAIN(TestTraceReader)
#include "tst_tracereader.moc"
