// The candidate policy behind the Simulate page's form and JSON view: one document, so that an
// edit in either view shows in the other, the round trip changes nothing, and a malformed
// candidate points at its bad field in both.

#include "policy/policyjson.h"
#include "workbench/jsonpath.h"
#include "workbench/policyabusemodel.h"
#include "workbench/policydocument.h"
#include "workbench/policyformat.h"
#include "workbench/policyplansmodel.h"
#include "workbench/policyrulesmodel.h"
#include "workbench/sweepchoices.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qc::workbench;
namespace ef = qc::enforcement;

namespace {

QString defaultText()
{
    return QString::fromUtf8(qc::policy::defaultPolicyJson());
}

QString cell(const QAbstractItemModel& model, int row, int column, int role = Qt::DisplayRole)
{
    return model.data(model.index(row, column), role).toString();
}

// The line (1-based) of `needle` in `text`.
int lineOf(const QString& text, const QString& needle)
{
    const qsizetype at = text.indexOf(needle);
    return at < 0 ? -1 : static_cast<int>(text.left(at).count(u'\n')) + 1;
}

} // namespace

class TestPolicyDocument : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { QTest::failOnWarning(QRegularExpression(u".*"_s)); }

    void pathsParseAndPrint_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("printed");
        QTest::newRow("policy prefix") << u"policy.rules[2].window"_s << u"rules[2].window"_s;
        QTest::newRow("plain") << u"plans[0].quotas.api_calls"_s << u"plans[0].quotas.api_calls"_s;
        QTest::newRow("root") << u"policy"_s << QString();
        QTest::newRow("nested index")
            << u"rules[0].match.plans[1]"_s << u"rules[0].match.plans[1]"_s;
    }
    void pathsParseAndPrint()
    {
        QFETCH(QString, text);
        QFETCH(QString, printed);
        const JsonPath path = JsonPath::parse(text);
        QCOMPARE(path.toString(), printed);
        QCOMPARE(JsonPath::parse(path.toPolicyPath()), path);
    }

    void formatIsStableAndValid()
    {
        // The default policy written by the form's writer is the same policy, and writing it
        // again changes nothing.
        const QJsonObject root = QJsonDocument::fromJson(qc::policy::defaultPolicyJson()).object();
        const QString text = formatPolicyJson(root);
        QCOMPARE(QJsonDocument::fromJson(text.toUtf8()).object(), root);
        QCOMPARE(formatPolicyJson(QJsonDocument::fromJson(text.toUtf8()).object()), text);
        QVERIFY(qc::policy::parsePolicy(text.toUtf8()).ok());
        // Keys in the documented order, one rule per line as in default.json.
        QVERIFY(text.startsWith(u"{\n  \"version\": 1,\n  \"fail_mode\": \"open\","_s));
        QVERIFY(text.contains(
            uR"({ "id": "ip_per_minute", "scope": "ip", "algorithm": "fixed_window", "window": "1m", "limit": 20 })"_s));
    }

    void formEditShowsInText()
    {
        PolicyDocument document;
        document.setText(defaultText(), PolicyDocument::Origin::Load);
        PolicyRulesModel rules(&document);
        QAbstractItemModelTester tester(
            &rules, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(rules.rowCount(), 4);
        QCOMPARE(cell(rules, 0, PolicyRulesModel::Id), u"ip_per_minute"_s);
        QCOMPARE(cell(rules, 0, PolicyRulesModel::Limit), u"20"_s);

        QSignalSpy changed(&document, &PolicyDocument::changed);
        QVERIFY(rules.setData(rules.index(0, PolicyRulesModel::Limit), u"10"_s));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).value<PolicyDocument::Origin>(), PolicyDocument::Origin::Form);
        // The text says it, and only that changed.
        QVERIFY(document.text().contains(uR"("window": "1m", "limit": 10 })"_s));
        const QJsonObject before
            = QJsonDocument::fromJson(qc::policy::defaultPolicyJson()).object();
        QJsonObject expected = before;
        QVERIFY(setValueAt(expected, JsonPath::parse(u"rules[0].limit"_s), 10));
        QCOMPARE(QJsonDocument::fromJson(document.text().toUtf8()).object(), expected);
        QVERIFY(document.isValid());
        QCOMPARE(document.policy()->rules.front().limit, 10);
        QCOMPARE(cell(rules, 0, PolicyRulesModel::Limit), u"10"_s);
    }

    void textEditShowsInForm()
    {
        PolicyDocument document;
        document.setText(defaultText(), PolicyDocument::Origin::Load);
        PolicyRulesModel rules(&document);
        PolicyPlansModel plans(&document);
        QAbstractItemModelTester tester1(
            &rules, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester tester2(
            &plans, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy dataChanged(&rules, &QAbstractItemModel::dataChanged);

        QString text = defaultText();
        text.replace(uR"("window": "1h", "limit": 100)"_s, uR"("window": "30m", "limit": 70)"_s);
        text.replace(uR"("ai_generations": 50,)"_s, uR"("ai_generations": 25,)"_s);
        document.setText(text);
        QVERIFY(dataChanged.size() >= 1);
        QCOMPARE(cell(rules, 1, PolicyRulesModel::Window), u"30m"_s);
        QCOMPARE(cell(rules, 1, PolicyRulesModel::Limit), u"70"_s);
        const int ai = plans.columnOf(JsonPath::parse(u"quotas.ai_generations"_s));
        QVERIFY(ai >= PolicyPlansModel::FirstQuota);
        QCOMPARE(cell(plans, 0, ai), u"25"_s);
        QCOMPARE(cell(plans, 3, ai), u"-1"_s);

        // A text edit is never rewritten by the form: the admin's text stays as typed.
        QCOMPARE(document.text(), text);
    }

    void roundTripEquals()
    {
        // form → text → a second document (as the JSON view would be reloaded) → the same form.
        PolicyDocument first;
        first.setText(defaultText(), PolicyDocument::Origin::Load);
        PolicyRulesModel rules(&first);
        PolicyAbuseModel abuse(&first);
        PolicyPlansModel plans(&first);
        QVERIFY(rules.setData(rules.index(2, PolicyRulesModel::Mode), u"shadow"_s));
        QVERIFY(rules.setData(rules.index(3, PolicyRulesModel::Plans), u"free, pro"_s));
        QVERIFY(abuse.setData(abuse.index(0, PolicyAbuseModel::Threshold), u"150"_s));
        QVERIFY(plans.setData(
            plans.index(1, PolicyPlansModel::Paid), Qt::Unchecked, Qt::CheckStateRole));
        QVERIFY(rules.moveItem(3, 0));
        QVERIFY(first.isValid());

        PolicyDocument second;
        second.setText(first.text(), PolicyDocument::Origin::Load);
        QCOMPARE(second.root(), first.root());
        PolicyRulesModel rules2(&second);
        PolicyAbuseModel abuse2(&second);
        PolicyPlansModel plans2(&second);
        for (const auto& [a, b] :
            { std::pair<QAbstractItemModel*, QAbstractItemModel*> { &rules, &rules2 },
                { &abuse, &abuse2 }, { &plans, &plans2 } }) {
            QCOMPARE(b->rowCount(), a->rowCount());
            QCOMPARE(b->columnCount(), a->columnCount());
            for (int r = 0; r < a->rowCount(); ++r) {
                for (int c = 0; c < a->columnCount(); ++c) {
                    for (int role : { int(Qt::DisplayRole), int(Qt::CheckStateRole) })
                        QCOMPARE(b->data(b->index(r, c), role), a->data(a->index(r, c), role));
                }
            }
        }
        QCOMPARE(cell(rules2, 0, PolicyRulesModel::Id), u"free_user_2h"_s);
        QCOMPARE(cell(rules2, 0, PolicyRulesModel::Plans), u"free, pro"_s);
        QCOMPARE(cell(rules2, 3, PolicyRulesModel::Mode), u"shadow"_s);
        // text → form → text: an edit that changes nothing leaves the text as it was.
        const QString text = second.text();
        QVERIFY(rules2.setData(
            rules2.index(1, PolicyRulesModel::Limit), cell(rules2, 1, PolicyRulesModel::Limit)));
        QCOMPARE(second.text(), text);
        // And the validated policies are the same policy.
        QVERIFY(qc::policy::diff(*first.policy(), *second.policy()).isEmpty());
    }

    void malformedCandidatePointsAtTheField()
    {
        PolicyDocument document;
        PolicyRulesModel rules(&document);
        QAbstractItemModelTester tester(
            &rules, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QString text = defaultText();
        text.replace(uR"("window": "1h", "limit": 100)"_s, uR"("window": "5x", "limit": 100)"_s);
        document.setText(text);
        QVERIFY(document.isSyntaxValid());
        QVERIFY(!document.isValid());
        QVERIFY(!document.policy());
        QCOMPARE(document.problems().size(), 1);
        const DocumentProblem& problem = document.problems().constFirst();
        QCOMPARE(problem.path.toString(), u"rules[1].window"_s);
        QVERIFY2(document.problemSummary().startsWith(
                     u"policy.rules[1].window: '5x' is not a duration"_s),
            qPrintable(document.problemSummary()));
        // The JSON view: the span is the bad value on its line.
        QCOMPARE(problem.span.line, lineOf(text, u"\"5x\""_s));
        QCOMPARE(text.mid(problem.span.start, problem.span.length), u"\"5x\""_s);
        // The form: that cell, red, with the message.
        const QModelIndex bad = rules.index(1, PolicyRulesModel::Window);
        QVERIFY(!rules.data(bad, PolicyTableModel::ProblemRole).toStringList().isEmpty());
        QVERIFY(rules.data(bad, Qt::BackgroundRole).isValid());
        QVERIFY(rules.data(bad, Qt::ToolTipRole).toString().contains(u"policy.rules[1].window"_s));
        QVERIFY(!rules.data(rules.index(1, PolicyRulesModel::Limit), Qt::BackgroundRole).isValid());
        QCOMPARE(rules.indexOfPath(problem.path), bad);
        // Fixing it in the form clears it.
        QVERIFY(rules.setData(bad, u"1h"_s));
        QVERIFY(document.isValid());
        QVERIFY(document.problemSummary().isEmpty());
    }

    void syntaxErrorStopsTheForm()
    {
        PolicyDocument document;
        document.setText(defaultText(), PolicyDocument::Origin::Load);
        PolicyRulesModel rules(&document);
        QString text = defaultText();
        text.replace(uR"("limit": 300 },)"_s, uR"("limit": 300 }})"_s);
        document.setText(text);
        QVERIFY(!document.isSyntaxValid());
        QVERIFY(!document.isValid());
        QVERIFY(document.problems().constFirst().syntax);
        // The JSON parser notices the stray brace at it or at the next token.
        const int line = document.problems().constFirst().span.line;
        const int expected = lineOf(text, u"\"limit\": 300 }}"_s);
        QVERIFY2(line == expected || line == expected + 1, qPrintable(QString::number(line)));
        QVERIFY(document.problemSummary().contains(u"line "_s));
        // The form still shows the last good document, read-only.
        QCOMPARE(rules.rowCount(), 4);
        QVERIFY(!(rules.flags(rules.index(0, PolicyRulesModel::Limit)) & Qt::ItemIsEditable));
        QVERIFY(!rules.setData(rules.index(0, PolicyRulesModel::Limit), u"5"_s));
        QCOMPARE(document.text(), text);
    }

    void missingKeyIsShownOnItsItem()
    {
        PolicyDocument document;
        PolicyRulesModel rules(&document);
        document.setText(uR"({"version": 1, "plans": [{"name": "free"}],
  "rules": [{"id": "a", "scope": "ip", "algorithm": "fixed_window", "window": "1m"}]})"_s);
        QVERIFY(!document.isValid());
        // "policy.rules[0].limit: is required ..." lands on the (empty) limit cell.
        const QModelIndex limit = rules.index(0, PolicyRulesModel::Limit);
        QVERIFY(rules.data(limit, Qt::ToolTipRole).toString().contains(u"is required"_s));
        QCOMPARE(rules.indexOfPath(document.problems().constFirst().path), limit);
        // In the text the missing key is shown on the rule that lacks it.
        QCOMPARE(document.problems().constFirst().span.line, 2);
    }

    void algorithmSwitchKeepsTheRuleStrict()
    {
        PolicyDocument document;
        document.setText(defaultText(), PolicyDocument::Origin::Load);
        PolicyRulesModel rules(&document);
        QVERIFY(rules.setData(rules.index(0, PolicyRulesModel::Algorithm), u"token_bucket"_s));
        QVERIFY2(document.isValid(), qPrintable(document.problemSummary()));
        const ef::Rule& rule = document.policy()->rules.front();
        QVERIFY(rule.algorithm == ef::Algorithm::TokenBucket);
        QCOMPARE(rule.rate, 20);
        QCOMPARE(rule.periodMs, ef::kMinute);
        QCOMPARE(rule.burst, 20);
        QVERIFY(!(rules.flags(rules.index(0, PolicyRulesModel::Window)) & Qt::ItemIsEditable));
        QVERIFY(rules.flags(rules.index(0, PolicyRulesModel::Burst)) & Qt::ItemIsEditable);
        QVERIFY(rules.setData(rules.index(0, PolicyRulesModel::Algorithm), u"sliding_window"_s));
        QVERIFY(document.isValid());
        QCOMPARE(document.policy()->rules.front().limit, 20);
        QCOMPARE(document.policy()->rules.front().windowMs, ef::kMinute);
    }

    void addRemoveReorderRules()
    {
        PolicyDocument document;
        document.setText(defaultText(), PolicyDocument::Origin::Load);
        PolicyRulesModel rules(&document);
        QAbstractItemModelTester tester(
            &rules, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(rules.addItem(1), 1);
        QCOMPARE(rules.rowCount(), 5);
        QCOMPARE(cell(rules, 1, PolicyRulesModel::Id), u"new_rule"_s);
        QVERIFY(document.isValid());
        QCOMPARE(rules.addItem(), 5);
        QCOMPARE(cell(rules, 5, PolicyRulesModel::Id), u"new_rule_2"_s);
        QVERIFY(rules.moveItem(5, 0));
        QCOMPARE(document.policy()->rules.front().id, "new_rule_2");
        QVERIFY(rules.removeItemAt(0));
        QVERIFY(rules.removeItemAt(1));
        QCOMPARE(rules.rowCount(), 4);
        QVERIFY(qc::policy::diff(qc::policy::defaultPolicy(), *document.policy()).isEmpty());
        // An emptied match list removes the key instead of writing "match": {}.
        QVERIFY(rules.setData(rules.index(3, PolicyRulesModel::Plans), QString()));
        QVERIFY(!document.value(JsonPath::parse(u"rules[3]"_s)).toObject().contains(u"match"_s));
    }

    void plansAndAbuse()
    {
        PolicyDocument document;
        document.setText(defaultText(), PolicyDocument::Origin::Load);
        PolicyPlansModel plans(&document);
        PolicyAbuseModel abuse(&document);
        QAbstractItemModelTester tester1(
            &plans, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester tester2(
            &abuse, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(plans.metrics(), (QStringList { u"ai_generations"_s, u"api_calls"_s }));
        const int api = plans.columnOf(JsonPath::parse(u"quotas.api_calls"_s));
        QVERIFY(plans.setData(plans.index(0, api), u"2,000"_s));
        QCOMPARE(document.policy()->plans.front().quotas.back().limit, 2000);
        QVERIFY(plans.addMetric(u"exports"_s));
        QCOMPARE(plans.columnCount(), PolicyPlansModel::FirstQuota + 3);
        QCOMPARE(plans.addItem(), 4);
        QVERIFY2(document.isValid(), qPrintable(document.problemSummary()));

        // Switching a rate pattern to a cost pattern trades threshold for threshold_usd.
        QVERIFY(abuse.setData(abuse.index(0, PolicyAbuseModel::Kind), u"cost"_s));
        QVERIFY2(document.isValid(), qPrintable(document.problemSummary()));
        QVERIFY(document.policy()->abuse.front().kind == ef::AbuseKind::Cost);
        QCOMPARE(document.policy()->abuse.front().thresholdMicroUsd, 1000000);
        QVERIFY(!(abuse.flags(abuse.index(0, PolicyAbuseModel::Threshold)) & Qt::ItemIsEditable));
        // A country pattern needs its countries: the empty list is pointed at.
        QVERIFY(abuse.setData(abuse.index(0, PolicyAbuseModel::Kind), u"country"_s));
        QVERIFY(!document.isValid());
        QVERIFY(
            !abuse.data(abuse.index(0, PolicyAbuseModel::Countries), PolicyTableModel::ProblemRole)
                 .toStringList()
                 .isEmpty());
        QVERIFY(abuse.setData(abuse.index(0, PolicyAbuseModel::Countries), u"KP, IR"_s));
        QVERIFY2(document.isValid(), qPrintable(document.problemSummary()));
    }

    void sweepValueAppliesToTheCandidate()
    {
        PolicyDocument document;
        document.setText(defaultText(), PolicyDocument::Origin::Load);
        const QList<SweepChoice> choices = sweepChoices(*document.policy());
        QVERIFY(choices.size() > 8);
        const SweepChoice& first = choices.constFirst();
        QCOMPARE(first.parameter.path(), u"rules[ip_per_minute].limit"_s);
        QCOMPARE(first.current, 20);
        QVERIFY(first.from < 20 && first.to > 20);
        QCOMPARE((first.to - first.from) % first.step, 0);
        for (const SweepChoice& choice : choices) {
            const auto edit = sweepEdit(document.root(), choice.parameter, choice.to);
            QVERIFY2(edit, qPrintable(choice.parameter.path()));
            PolicyDocument copy;
            copy.setText(document.text());
            QVERIFY(copy.setValue(edit->first, edit->second));
            QVERIFY2(copy.isValid(), qPrintable(copy.problemSummary()));
            QCOMPARE(choice.parameter.valueIn(*copy.policy()).value(), choice.to);
        }
    }
};

QTEST_GUILESS_MAIN(TestPolicyDocument)
#include "tst_policydocument.moc"
