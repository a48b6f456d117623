#include "enforcement/headers.h"
#include "enforcement/policy.h"
#include "enforcement/request.h"

#include <QTest>

using namespace qc::enforcement;
using namespace Qt::Literals::StringLiterals;

class TestPolicyHelpers : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void glob_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("matches");
        QTest::newRow("literal") << u"/api/chat"_s << u"/api/chat"_s << true;
        QTest::newRow("literal prefix only") << u"/api/chat"_s << u"/api/chat/x"_s << false;
        QTest::newRow("case sensitive") << u"/api/chat"_s << u"/API/chat"_s << false;
        QTest::newRow("star tail") << u"/api/*"_s << u"/api/items"_s << true;
        QTest::newRow("star crosses slash") << u"/api/*"_s << u"/api/ai/generate/long"_s << true;
        QTest::newRow("star empty run") << u"/api/*"_s << u"/api/"_s << true;
        QTest::newRow("star needs prefix") << u"/api/*"_s << u"/apx/items"_s << false;
        QTest::newRow("star middle") << u"/api/*/run"_s << u"/api/a/b/run"_s << true;
        QTest::newRow("star middle no tail") << u"/api/*/run"_s << u"/api/a/b/runs"_s << false;
        QTest::newRow("backtracking") << u"*a*b"_s << u"xaxxbxab"_s << true;
        QTest::newRow("backtracking fails") << u"*a*b"_s << u"xaxxbxa"_s << false;
        QTest::newRow("question one") << u"/v?/x"_s << u"/v1/x"_s << true;
        QTest::newRow("question not zero") << u"/v?/x"_s << u"/v/x"_s << false;
        QTest::newRow("question not two") << u"/v?/x"_s << u"/v12/x"_s << false;
        QTest::newRow("only star") << u"*"_s << QString() << true;
        QTest::newRow("empty pattern empty text") << QString() << QString() << true;
        QTest::newRow("empty pattern text") << QString() << u"/x"_s << false;
        QTest::newRow("stars") << u"***"_s << u"abc"_s << true;
        QTest::newRow("brackets literal") << u"/a[1]"_s << u"/a[1]"_s << true;
        QTest::newRow("brackets not a class") << u"/a[1]"_s << u"/a1"_s << false;
    }

    void glob()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, text);
        QFETCH(bool, matches);
        QCOMPARE(globMatch(pattern.toStdString(), text.toStdString()), matches);
    }

    void globLists()
    {
        QVERIFY(anyGlobMatches({}, "/anything"));
        QVERIFY(anyGlobMatches({ "/a", "/b*" }, "/bc"));
        QVERIFY(!anyGlobMatches({ "/a", "/b*" }, "/c"));
    }

    void cycles_data()
    {
        QTest::addColumn<qint64>("cycleMs");
        QTest::addColumn<qint64>("ts");
        QTest::addColumn<qint64>("start");
        QTest::addColumn<qint64>("end");
        // Calendar months, UTC.
        QTest::newRow("new year first ms")
            << qint64(0) << qint64(1767225600000) << qint64(1767225600000) << qint64(1769904000000);
        QTest::newRow("december last ms")
            << qint64(0) << qint64(1767225599999) << qint64(1764547200000) << qint64(1767225600000);
        QTest::newRow("leap february")
            << qint64(0) << qint64(1709208000000) << qint64(1706745600000) << qint64(1709251200000);
        QTest::newRow("epoch") << qint64(0) << qint64(0) << qint64(0) << qint64(31 * kDay);
        QTest::newRow("before epoch") << qint64(0) << qint64(-1) << qint64(-31 * kDay) << qint64(0);
        // Fixed cycles are aligned to the epoch.
        QTest::newRow("30d") << qint64(30 * kDay) << qint64(1767225600000) << qint64(1765152000000)
                             << qint64(1765152000000 + 30 * kDay);
        QTest::newRow("30d boundary") << qint64(30 * kDay) << qint64(1765152000000)
                                      << qint64(1765152000000) << qint64(1765152000000 + 30 * kDay);
    }

    void cycles()
    {
        QFETCH(qint64, cycleMs);
        QFETCH(qint64, ts);
        QFETCH(qint64, start);
        QFETCH(qint64, end);
        Policy policy;
        policy.billingCycleMs = cycleMs;
        QCOMPARE(cycleStart(policy, ts), start);
        QCOMPARE(cycleEnd(policy, ts), end);
    }

    void everyMonthOfFourYears()
    {
        // Day by day over 2024..2027: each day lies in its cycle, and each new cycle starts
        // exactly where the previous one ended.
        Policy policy;
        const TimeMs from = 1704067200000; // 2024-01-01
        TimeMs currentStart = cycleStart(policy, from);
        TimeMs currentEnd = cycleEnd(policy, from);
        QCOMPARE(currentStart, from);
        int months = 1;
        for (TimeMs day = from; day < from + 1461 * kDay; day += kDay) {
            const TimeMs start = cycleStart(policy, day + 12 * kHour);
            const TimeMs end = cycleEnd(policy, day + 12 * kHour);
            QVERIFY(start <= day && day < end);
            QVERIFY(end - start >= 28 * kDay && end - start <= 31 * kDay);
            if (start != currentStart) {
                QCOMPARE(start, currentEnd);
                currentStart = start;
                currentEnd = end;
                ++months;
            }
        }
        QCOMPARE(months, 48);
    }

    void planLookups()
    {
        Policy policy;
        policy.plans.resize(2);
        policy.plans[0].name = "free";
        policy.plans[1].name = "pro";
        QCOMPARE(policy.planIndex("pro"), 1);
        QCOMPARE(policy.planIndex("Pro"), -1);
        QCOMPARE(policy.planIndex(""), -1);
        QVERIFY(!policy.hasGlobalRules());
        Rule rule;
        rule.scope = Scope::Global;
        policy.rules.push_back(rule);
        QVERIFY(policy.hasGlobalRules());
    }

    void timestamps_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<qint64>("ms");
        QTest::newRow("Z millis") << u"2026-01-05T14:05:00.123Z"_s << true << qint64(1767621900123);
        QTest::newRow("no fraction") << u"2026-01-05T14:05:00Z"_s << true << qint64(1767621900000);
        QTest::newRow("one digit fraction")
            << u"2026-01-05T14:05:00.1Z"_s << true << qint64(1767621900100);
        QTest::newRow("micro fraction truncated")
            << u"2026-01-05T14:05:00.123999Z"_s << true << qint64(1767621900123);
        QTest::newRow("plus offset")
            << u"2026-01-05T16:05:00.123+02:00"_s << true << qint64(1767621900123);
        QTest::newRow("minus offset")
            << u"2026-01-05T09:35:00.123-04:30"_s << true << qint64(1767621900123);
        QTest::newRow("lower case t z")
            << u"2026-01-05t14:05:00.123z"_s << true << qint64(1767621900123);
        QTest::newRow("leap day") << u"2024-02-29T12:00:00Z"_s << true << qint64(1709208000000);
        QTest::newRow("epoch ms") << u"1767621900123"_s << true << qint64(1767621900123);
        QTest::newRow("epoch zero") << u"0"_s << true << qint64(0);
        QTest::newRow("negative epoch") << u"-1"_s << true << qint64(-1);
        QTest::newRow("no zone") << u"2026-01-05T14:05:00.123"_s << false << qint64(0);
        QTest::newRow("not leap") << u"2025-02-29T12:00:00Z"_s << false << qint64(0);
        QTest::newRow("month 13") << u"2026-13-01T00:00:00Z"_s << false << qint64(0);
        QTest::newRow("hour 24") << u"2026-01-01T24:00:00Z"_s << false << qint64(0);
        QTest::newRow("empty fraction") << u"2026-01-05T14:05:00.Z"_s << false << qint64(0);
        QTest::newRow("trailing text") << u"2026-01-05T14:05:00Zx"_s << false << qint64(0);
        QTest::newRow("short offset") << u"2026-01-05T14:05:00+02"_s << false << qint64(0);
        QTest::newRow("date only") << u"2026-01-05"_s << false << qint64(0);
        QTest::newRow("empty") << QString() << false << qint64(0);
        QTest::newRow("number with space") << u"12 3"_s << false << qint64(0);
    }

    void timestamps()
    {
        QFETCH(QString, input);
        QFETCH(bool, valid);
        QFETCH(qint64, ms);
        const auto parsed = parseTimestamp(input.toStdString());
        QCOMPARE(parsed.has_value(), valid);
        if (valid)
            QCOMPARE(*parsed, ms);
    }

    void formatting_data()
    {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("text");
        QTest::newRow("millis") << qint64(1767621900123) << u"2026-01-05T14:05:00.123Z"_s;
        QTest::newRow("epoch") << qint64(0) << u"1970-01-01T00:00:00.000Z"_s;
        QTest::newRow("before epoch") << qint64(-1) << u"1969-12-31T23:59:59.999Z"_s;
        QTest::newRow("leap day") << qint64(1709208000000) << u"2024-02-29T12:00:00.000Z"_s;
        QTest::newRow("year end") << qint64(1767225599999) << u"2025-12-31T23:59:59.999Z"_s;
    }

    void formatting()
    {
        QFETCH(qint64, ms);
        QFETCH(QString, text);
        QCOMPARE(QString::fromStdString(formatTimestamp(ms)), text);
        QCOMPARE(parseTimestamp(formatTimestamp(ms)), std::optional<TimeMs>(ms));
    }

    void dictionary()
    {
        Dictionary dictionary;
        QCOMPARE(dictionary.intern(Field::Ip, ""), 0u);
        QCOMPARE(dictionary.find(Field::Ip, ""), 0u);
        const auto a = dictionary.intern(Field::Ip, "203.0.113.7");
        QCOMPARE(a, 1u);
        QCOMPARE(dictionary.intern(Field::Ip, "203.0.113.7"), a);
        // Each field is its own id space.
        QCOMPARE(dictionary.intern(Field::User, "203.0.113.7"), 1u);
        QCOMPARE(dictionary.find(Field::Endpoint, "203.0.113.7"), UINT32_MAX);
        // Views stay valid while many more texts (and a long one) are added.
        const std::string_view first = dictionary.text(Field::Ip, a);
        std::vector<std::uint32_t> ids;
        for (int i = 0; i < 50000; ++i)
            ids.push_back(dictionary.intern(Field::Ip, "10.0." + std::to_string(i)));
        const std::string longText(100000, 'x');
        const auto longId = dictionary.intern(Field::Ip, longText);
        QCOMPARE(first, std::string_view("203.0.113.7"));
        for (int i = 0; i < 50000; ++i) {
            QCOMPARE(ids[static_cast<std::size_t>(i)], std::uint32_t(i + 2));
            QCOMPARE(dictionary.text(Field::Ip, ids[static_cast<std::size_t>(i)]),
                std::string_view("10.0." + std::to_string(i)));
        }
        QCOMPARE(dictionary.text(Field::Ip, longId), std::string_view(longText));
        QCOMPARE(dictionary.size(Field::Ip), 50003u);
        QVERIFY(dictionary.memoryBytes() > 50000u * 8);
        QCOMPARE(dictionary.text(Field::Ip, 999999), std::string_view());
    }

    void encodeDecode()
    {
        Dictionary dictionary;
        Request request;
        request.ts = 1767621900123;
        request.requestId = "r-1";
        request.ip = "203.0.113.7";
        request.forwardedFor = "198.51.100.1, 10.0.0.1";
        request.userId = "u-1";
        request.plan = "pro";
        request.endpoint = "/api/chat";
        request.method = "POST";
        request.userAgent = "curl/8";
        request.country = "DE";
        request.idempotencyKey = "k";
        request.requestHash = "h";
        request.costMicroUsd = 1234;
        request.tokens = 500;
        request.model = "gpt-4o";
        request.responseMs = 321;
        const EncodedRequest encoded = encode(dictionary, request);
        QCOMPARE(encoded.user, dictionary.find(Field::User, "u-1"));
        const Request back = decode(dictionary, encoded);
        QCOMPARE(back.ts, request.ts);
        QCOMPARE(back.requestId, request.requestId);
        QCOMPARE(back.ip, request.ip);
        QCOMPARE(back.forwardedFor, request.forwardedFor);
        QCOMPARE(back.userId, request.userId);
        QCOMPARE(back.plan, request.plan);
        QCOMPARE(back.endpoint, request.endpoint);
        QCOMPARE(back.method, request.method);
        QCOMPARE(back.userAgent, request.userAgent);
        QCOMPARE(back.country, request.country);
        QCOMPARE(back.idempotencyKey, request.idempotencyKey);
        QCOMPARE(back.requestHash, request.requestHash);
        QCOMPARE(back.costMicroUsd, request.costMicroUsd);
        QCOMPARE(back.tokens, request.tokens);
        QCOMPARE(back.model, request.model);
        QCOMPARE(back.responseMs, request.responseMs);
        const Request empty = decode(dictionary, encode(dictionary, Request {}));
        QVERIFY(empty.userId.empty() && empty.ip.empty() && empty.costMicroUsd == -1);
    }
};

QTEST_APPLESS_MAIN(TestPolicyHelpers)
#include "tst_policyhelpers.moc"
