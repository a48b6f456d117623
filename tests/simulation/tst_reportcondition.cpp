// --fail-if conditions: what they mean on a report, and where a malformed one is wrong.

#include "simulation/report.h"
#include "simulation/reportcondition.h"

#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qc;
using simulation::ConditionError;
using simulation::ReportCondition;

namespace {

simulation::Report sampleReport()
{
    simulation::Report r;
    r.traceRequests = 1000;
    r.reportedRequests = 900;
    r.paidRequests = 200;
    r.paidNewlyDenied = 2;
    r.paidDeniedPct = 1.0;
    r.costSaved = 2500000; // $2.50
    r.baseline.name = u"baseline"_s;
    r.baseline.requests = 900;
    r.baseline.denied = 40;
    r.candidate.requests = 900;
    r.candidate.denied = 160;
    r.candidate.byReason[static_cast<std::size_t>(enforcement::Reason::RateLimited)] = 150;
    r.newlyDenied.total = 120;
    r.newlyDenied.byEndpoint = { { u"/api/chat"_s, 100 }, { u"/api/items"_s, 20 } };
    r.newlyDenied.topClients = { { u"203.0.113.7"_s, 80 } };
    r.newlyDenied.byRule = { { u"ip_per_minute"_s, 120 } };
    r.newlyAdmitted.total = 0;
    r.alerts = { { u"HighDenialRate"_s, u"candidate"_s, u"denial rate"_s, 0, 3, 25.0 } };
    r.fidelity.available = true;
    r.fidelity.agreementPct = 99.5;
    return r;
}

} // namespace

class TestReportCondition : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void evaluates_data();
    void evaluates();
    void reportsWhereItIsWrong_data();
    void reportsWhereItIsWrong();
    void explainsTheValuesRead();
    void everyDocumentedKeyIsKnown();
};

void TestReportCondition::evaluates_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<bool>("met");
    QTest::newRow("greater") << u"paid_denied_pct > 0.5"_s << true;
    QTest::newRow("not greater") << u"paid_denied_pct > 1"_s << false;
    QTest::newRow("greater or equal") << u"paid_denied_pct >= 1"_s << true;
    QTest::newRow("nested key") << u"newly_denied.total > 100"_s << true;
    QTest::newRow("and") << u"paid_denied_pct > 0.5 and newly_denied.total > 500"_s << false;
    QTest::newRow("or") << u"paid_denied_pct > 5 or newly_denied.total > 100"_s << true;
    QTest::newRow("and binds tighter than or")
        << u"newly_denied.total > 100 or paid_denied_pct > 5 and cost_saved_usd < 0"_s << true;
    QTest::newRow("parentheses")
        << u"(newly_denied.total > 100 or paid_denied_pct > 5) and cost_saved_usd < 0"_s << false;
    QTest::newRow("not") << u"not fidelity.agreement_pct < 99"_s << true;
    QTest::newRow("symbols") << u"!(paid_denied_pct < 0.5) && newly_admitted.total == 0"_s << true;
    QTest::newRow("arithmetic") << u"candidate.denied - baseline.denied > 100"_s
                                << true; // 160 - 40
    QTest::newRow("ratio") << u"newly_denied.total / trace.reported_requests * 100 > 10"_s
                           << true; // 13.3 %
    QTest::newRow("unary minus") << u"-cost_saved_usd < -2"_s << true;
    QTest::newRow("money") << u"cost_saved_usd == 2.5"_s << true;
    QTest::newRow("reason counts") << u"candidate.by_reason.rate_limited >= 150"_s << true;
    QTest::newRow("list entry by name")
        << u"newly_denied.by_endpoint[\"/api/chat\"] > 50"_s << true;
    QTest::newRow("list entry with dots")
        << u"newly_denied.top_clients.203.0.113.7 == 80"_s << true;
    QTest::newRow("absent list entry is 0")
        << u"newly_denied.by_endpoint[\"/api/none\"] == 0"_s << true;
    QTest::newRow("rule list") << u"newly_denied.by_rule.ip_per_minute > 0"_s << true;
    QTest::newRow("alerts") << u"alerts.candidate > alerts.baseline"_s << true;
    QTest::newRow("boolean key") << u"fidelity.available == 1"_s << true;
    QTest::newRow("case of words") << u"paid_denied_pct > 5 OR newly_denied.total > 1"_s << true;
    QTest::newRow("exponent") << u"newly_denied.total < 1e3"_s << true;
}

void TestReportCondition::evaluates()
{
    QFETCH(QString, expression);
    QFETCH(bool, met);
    ConditionError error;
    const auto condition = ReportCondition::parse(expression, &error);
    QVERIFY2(condition, qPrintable(error.toString(expression)));
    const simulation::Report report = sampleReport();
    QCOMPARE(condition->evaluate(report), met);
    QCOMPARE(condition->evaluate(simulation::toJson(report)), met);
}

void TestReportCondition::reportsWhereItIsWrong_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << u"  "_s << 1 << u"empty"_s;
    QTest::newRow("missing right side")
        << u"paid_denied_pct >"_s << 18 << u"expected a number or a report key after '>'"_s;
    QTest::newRow("single =") << u"paid_denied_pct = 1"_s << 17 << u"compare with '=='"_s;
    QTest::newRow("typo suggests the key")
        << u"paid_denid_pct > 0.5"_s << 1 << u"did you mean 'paid_denied_pct'?"_s;
    QTest::newRow("unknown key") << u"frobnication > 1"_s << 1 << u"unknown report key"_s;
    QTest::newRow("bare number") << u"paid_denied_pct"_s << 1 << u"not a condition"_s;
    QTest::newRow("missing operator") << u"paid_denied_pct 5"_s << 17 << u"expected a comparison"_s;
    QTest::newRow("dangling and") << u"paid_denied_pct > 1 and"_s << 24 << u"after 'and'"_s;
    QTest::newRow("unclosed parenthesis")
        << u"(paid_denied_pct > 1"_s << 21 << u"expected ')' to close the '(' of column 1"_s;
    QTest::newRow("chained comparison") << u"0 < paid_denied_pct < 1"_s << 21 << u"do not chain"_s;
    QTest::newRow("number and condition")
        << u"paid_denied_pct > 1 and 5"_s << 25 << u"is a number"_s;
    QTest::newRow("percent sign") << u"paid_denied_pct > 0.5%"_s << 22 << u"plain numbers"_s;
    QTest::newRow("stray character")
        << u"paid_denied_pct > 1 ; rm"_s << 21 << u"unexpected character ';'"_s;
    QTest::newRow("two conditions without a word")
        << u"paid_denied_pct > 1 newly_denied.total > 2"_s << 21 << u"'and' or 'or'"_s;
    QTest::newRow("a list without a name")
        << u"newly_denied.by_endpoint > 1"_s << 1 << u"is a list"_s;
    QTest::newRow("unterminated name")
        << u"newly_denied.by_endpoint[\"/api > 1"_s << 25 << u"unterminated"_s;
}

void TestReportCondition::reportsWhereItIsWrong()
{
    QFETCH(QString, expression);
    QFETCH(int, column);
    QFETCH(QString, message);
    ConditionError error;
    QVERIFY(!ReportCondition::parse(expression, &error));
    QVERIFY2(error.message.contains(message), qPrintable(error.message));
    QCOMPARE(error.column, column);
    // The caret sits under the column.
    const QStringList lines = error.toString(expression).split(u'\n');
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines[0].startsWith(u"column "_s % QString::number(column) % u": "_s));
    QCOMPARE(lines[2].indexOf(u'^') - 2, column - 1);
}

void TestReportCondition::explainsTheValuesRead()
{
    const auto condition
        = ReportCondition::parse(u"paid_denied_pct > 0.5 or newly_denied.total > 100"_s, nullptr);
    QVERIFY(condition);
    QCOMPARE(condition->keys(), (QStringList { u"paid_denied_pct"_s, u"newly_denied.total"_s }));
    QCOMPARE(condition->explain(simulation::toJson(sampleReport())),
        u"paid_denied_pct = 1, newly_denied.total = 120"_s);

    // Fractions read as a person writes them, not with ten significant digits.
    simulation::Report report = sampleReport();
    report.paidDeniedPct = 100.0 / 3.0;
    report.fidelity.agreementPct = 2.0 / 3000.0;
    const auto fractions = ReportCondition::parse(
        u"paid_denied_pct > 50 or fidelity.agreement_pct < 0.001"_s, nullptr);
    QVERIFY(fractions);
    QCOMPARE(fractions->explain(simulation::toJson(report)),
        u"paid_denied_pct = 33.33, fidelity.agreement_pct = 0.000667"_s);
}

void TestReportCondition::everyDocumentedKeyIsKnown()
{
    const QStringList keys = ReportCondition::reportKeys();
    for (const QString& key : { u"paid_denied_pct"_s, u"paid_newly_denied"_s,
             u"newly_denied.total"_s, u"newly_admitted.total"_s, u"cost_saved_usd"_s,
             u"baseline.denied"_s, u"candidate.cost_admitted_usd"_s,
             u"candidate.by_reason.quota_exceeded"_s, u"fidelity.agreement_pct"_s,
             u"trace.reported_requests"_s, u"alerts.candidate"_s, u"candidate.incidents"_s })
        QVERIFY2(keys.contains(key), qPrintable(key));
    QVERIFY(ReportCondition::namedLists().contains(u"newly_denied.by_plan"_s));
}

QTEST_GUILESS_MAIN(TestReportCondition)
#include "tst_reportcondition.moc"
