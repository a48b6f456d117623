#include "trace/generator.h"
#include "trace/trace.h"

#include <QBuffer>
#include <QTest>

using namespace Qt::StringLiterals;
namespace ef = qc::enforcement;
using namespace qc::trace;

namespace {

// Requests compared as text, since two dictionaries number the same strings differently.
bool sameRequests(const Trace& a, const Trace& b, QString& why)
{
    if (a.size() != b.size()) {
        why = u"sizes differ: %1 vs %2"_s.arg(a.size()).arg(b.size());
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        const ef::Request x = ef::decode(*a.dictionary, a.requests[i]);
        const ef::Request y = ef::decode(*b.dictionary, b.requests[i]);
        const bool same = x.ts == y.ts && x.requestId == y.requestId && x.ip == y.ip
            && x.forwardedFor == y.forwardedFor && x.userId == y.userId && x.plan == y.plan
            && x.endpoint == y.endpoint && x.method == y.method && x.userAgent == y.userAgent
            && x.country == y.country && x.idempotencyKey == y.idempotencyKey
            && x.requestHash == y.requestHash && x.costMicroUsd == y.costMicroUsd
            && x.tokens == y.tokens && x.model == y.model && x.responseMs == y.responseMs;
        if (!same) {
            why = u"request %1 differs"_s.arg(i);
            return false;
        }
    }
    if (a.recorded.size() != b.recorded.size()) {
        why = u"recorded sizes differ"_s;
        return false;
    }
    for (std::size_t i = 0; i < a.recorded.size(); ++i) {
        RecordedDecision x = a.recorded[i];
        RecordedDecision y = b.recorded[i];
        if (a.ruleName(x.rule) != b.ruleName(y.rule)) {
            why = u"recorded rule %1 differs"_s.arg(i);
            return false;
        }
        x.rule = y.rule = 0;
        if (!(x == y)) {
            why = u"recorded decision %1 differs"_s.arg(i);
            return false;
        }
    }
    return true;
}

// A trace with every awkward kind of cell, plus recorded decisions.
Trace awkwardTrace()
{
    Trace t;
    t.dictionary = std::make_shared<ef::Dictionary>();
    ef::Request r;
    r.ts = 1767621900123;
    r.requestId = "r,1";
    r.ip = "2001:db8::1";
    r.forwardedFor = "203.0.113.9, 10.0.0.1";
    r.userId = "user \"quoted\"";
    r.plan = "pro";
    r.endpoint = "/api/chat";
    r.method = "POST";
    r.userAgent = "line\nbreak\tand\r\ncrlf, caf\xC3\xA9";
    r.country = "DE";
    r.idempotencyKey = "k";
    r.requestHash = "h";
    r.costMicroUsd = 12345;
    r.tokens = 99;
    r.model = "gpt-4o";
    r.responseMs = 1200;
    t.requests.push_back(ef::encode(*t.dictionary, r));
    ef::Request s;
    s.ts = 1767621900123; // equal ts is in order
    s.ip = "1.2.3.4";
    s.costMicroUsd = 0;
    t.requests.push_back(ef::encode(*t.dictionary, s));
    ef::Request u;
    u.ts = -5; // before 1970: still written and read exactly
    t.requests.insert(t.requests.begin(), ef::encode(*t.dictionary, u));

    RecordedDecision none;
    RecordedDecision denied;
    denied.present = true;
    denied.status = 429;
    denied.reason = ef::Reason::RateLimited;
    denied.hasReason = true;
    denied.allowed = false;
    denied.rule = t.internRule("ip,per \"minute\"");
    RecordedDecision onlyStatus;
    onlyStatus.present = true;
    onlyStatus.status = 200;
    t.recorded = { none, denied, onlyStatus };
    return t;
}

} // namespace

class TestTraceWriter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void csvHeader();
    void timestampText();
};

void TestTraceWriter::roundTrip_data()
{
    QTest::addColumn<bool>("csv");
    QTest::addColumn<bool>("generated");
    QTest::newRow("csv awkward") << true << false;
    QTest::newRow("jsonl awkward") << false << false;
    QTest::newRow("csv generated") << true << true;
    QTest::newRow("jsonl generated") << false << true;
}

void TestTraceWriter::roundTrip()
{
    QFETCH(bool, csv);
    QFETCH(bool, generated);
    Trace trace;
    if (generated) {
        GeneratorOptions options;
        options.durationMs = 20 * ef::kMinute;
        options.users = 300;
        options.ips = 500;
        options.requestsPerSecond = 20;
        options.scenarios = { Scenario {}, Scenario { ScenarioKind::BotBurst, 0, 60000 },
            Scenario { ScenarioKind::BuggyClient, 0, {} },
            Scenario { ScenarioKind::CostSpike, 0, {} },
            Scenario { ScenarioKind::PlanChange, {}, {} } };
        trace = generate(options);
        trace.requests[3].costMicroUsd = 1; // a recorded cost in micro-dollars
    } else {
        trace = awkwardTrace();
    }
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QVERIFY(csv ? writeCsv(trace, buffer) : writeJsonl(trace, buffer));
    const ReadResult back = readTraceData(buffer.data(), csv ? Format::Csv : Format::Jsonl);
    QVERIFY2(back.ok() && back.errors.isEmpty(),
        qPrintable(back.fatal + back.errors.value(0).toString()));
    QString why;
    QVERIFY2(sameRequests(trace, back.trace, why), qPrintable(why));

    // Written again, the bytes are the same: the text form is canonical.
    QBuffer again;
    again.open(QIODevice::WriteOnly);
    QVERIFY(csv ? writeCsv(back.trace, again) : writeJsonl(back.trace, again));
    QCOMPARE(again.data(), buffer.data());
}

void TestTraceWriter::csvHeader()
{
    Trace trace = awkwardTrace();
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QVERIFY(writeCsv(trace, buffer));
    QVERIFY(buffer.data().startsWith(
        "ts,request_id,ip,forwarded_for,user_id,plan,endpoint,method,user_agent,country,"
        "idempotency_key,request_hash,cost_usd,tokens,model,response_ms,status,decision,reason,"
        "rule\n"));
    QVERIFY(buffer.data().contains(
        ",0.012345,99,gpt-4o,1200,429,denied,rate_limited,\"ip,per \"\"minute\"\"\"\n"));
    trace.recorded.clear();
    QBuffer plain;
    plain.open(QIODevice::WriteOnly);
    QVERIFY(writeCsv(trace, plain));
    QVERIFY(plain.data().startsWith("ts,request_id,ip,forwarded_for,user_id,plan,endpoint,method,"
                                    "user_agent,country,idempotency_key,request_hash,cost_usd,"
                                    "tokens,model,response_ms\n"));
}

void TestTraceWriter::timestampText()
{
    std::string out;
    appendTimestamp(out, 1767621900123);
    QCOMPARE(out, std::string("2026-01-05T14:05:00.123Z"));
    out.clear();
    appendTimestamp(out, 0);
    QCOMPARE(out, std::string("1970-01-01T00:00:00.000Z"));
    out.clear();
    appendTimestamp(out, -1);
    QCOMPARE(out, std::string("1969-12-31T23:59:59.999Z"));
}

QTEST_GUILESS_MAIN(TestTraceWriter)
#include "tst_tracewriter.moc"
