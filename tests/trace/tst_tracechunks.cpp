// Reading in chunks, the chunk pool, a shared dictionary, and reading on several threads
// (docs/simulation.md).
#include "trace/chunkpool.h"
#include "tracereadertesting.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
namespace ef = qc::enforcement;
using namespace qc::trace;
using namespace qc::trace::testing;

namespace {

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

class TestTraceChunks : public QObject {
    Q_OBJECT

private Q_SLOTS:
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

void TestTraceChunks::chunksMatchOneRead()
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

void TestTraceChunks::requestIdsOfRecordedRowsOnly()
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

void TestTraceChunks::chunkPoolReusesBuffers()
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

void TestTraceChunks::sharedDictionary()
{
    auto dictionary = std::make_shared<ef::Dictionary>();
    const std::uint32_t known = dictionary->intern(ef::Field::Ip, "1.2.3.4");
    const ReadResult r = readTraceData("ts,ip\n1,1.2.3.4\n", Format::Csv, {}, dictionary);
    QCOMPARE(r.trace.dictionary.get(), dictionary.get());
    QCOMPARE(r.trace.requests[0].ip, known);
}

void TestTraceChunks::parallelReadMatchesOneThread_data()
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

void TestTraceChunks::parallelReadMatchesOneThread()
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

void TestTraceChunks::parallelQuotedLineBreakAcrossRanges()
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

void TestTraceChunks::parallelBadRowInALaterRange()
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

void TestTraceChunks::parallelUnclosedQuoteNamesItsLine()
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

void TestTraceChunks::parallelChunksProgressAndCancel()
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

QTEST_GUILESS_MAIN(TestTraceChunks)
#include "tst_tracechunks.moc"
