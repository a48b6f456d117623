// The two copies of the rule set agree: packaging/prometheus/quota-console.rules.yml is the
// C++ rule set written out; the real promtool (Prometheus 2.42) checks it and runs the cases of
// quota-console.rules.test.yml; and core/alerting, replaying the same cases, finds the same
// alerts (labels and annotations) at the same evaluation times.

#include "alerting/evaluator.h"
#include "metrics/expositionparser.h"
#include "policy/policyjson.h"
#include "yamljson.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace qc::alerting;
using namespace Qt::StringLiterals;
namespace metrics = qc::metrics;

namespace {

const QString kDirectory = QStringLiteral(QC_SOURCE_DIR "/packaging/prometheus");
const QString kRulesFile = kDirectory + u"/quota-console.rules.yml"_s;
const QString kTestFile = kDirectory + u"/quota-console.rules.test.yml"_s;

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString promtool()
{
    const QString path = QStandardPaths::findExecutable(u"promtool"_s);
    return path.isEmpty() && QFile::exists(u"/usr/bin/promtool"_s) ? u"/usr/bin/promtool"_s : path;
}

struct Run {
    int exitCode = -1;
    QString output;
};

Run runPromtool(const QStringList& arguments, const QString& directory)
{
    QProcess process;
    process.setWorkingDirectory(directory);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(promtool(), arguments);
    Run run;
    if (!process.waitForFinished(60000))
        return run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.output = QString::fromUtf8(process.readAll());
    return run;
}

std::int64_t duration(const QString& text)
{
    const std::optional<qc::enforcement::TimeMs> ms = qc::policy::parseDuration(text);
    return ms ? *ms : -1;
}

// Prometheus durations may combine units ("13m15s"); policy durations do not.
std::int64_t promDuration(const QString& text)
{
    std::int64_t total = 0;
    qsizetype at = 0;
    while (at < text.size()) {
        qsizetype end = at;
        while (end < text.size() && text[end].isDigit())
            ++end;
        qsizetype unitEnd = end;
        while (unitEnd < text.size() && !text[unitEnd].isDigit())
            ++unitEnd;
        const std::int64_t part = duration(text.mid(at, unitEnd - at));
        if (part < 0 || end == at)
            return -1;
        total += part;
        at = unitEnd;
    }
    return total;
}

// promtool's series values: "a", "a+bxN" (N+1 values), "a-bxN", "_" (no sample).
std::optional<std::vector<std::optional<double>>> expandValues(const QString& text)
{
    std::vector<std::optional<double>> values;
    for (const QString& token : text.split(u' ', Qt::SkipEmptyParts)) {
        if (token == u"_"_s) {
            values.emplace_back();
            continue;
        }
        const qsizetype x = token.indexOf(u'x');
        if (x < 0) {
            bool ok = false;
            values.emplace_back(token.toDouble(&ok));
            if (!ok)
                return std::nullopt;
            continue;
        }
        const QString head = token.left(x);
        const qsizetype sign = std::max(head.lastIndexOf(u'+'), head.lastIndexOf(u'-'));
        if (sign <= 0)
            return std::nullopt;
        bool ok1 = false, ok2 = false, ok3 = false;
        const double start = head.left(sign).toDouble(&ok1);
        double step = head.mid(sign + 1).toDouble(&ok2);
        if (head[sign] == u'-')
            step = -step;
        const int count = token.mid(x + 1).toInt(&ok3);
        if (!ok1 || !ok2 || !ok3)
            return std::nullopt;
        for (int i = 0; i <= count; ++i)
            values.emplace_back(start + i * step);
    }
    return values;
}

struct Expected {
    std::map<QString, QString> labels;
    QString summary;
    QString description;
    bool operator==(const Expected&) const = default;
};

QByteArray describe(const std::vector<Expected>& alerts)
{
    QStringList parts;
    for (const Expected& alert : alerts) {
        QStringList labels;
        for (const auto& [name, value] : alert.labels)
            labels << name % u'=' % value;
        parts << u'{' % labels.join(u',') % u"} summary=\""_s % alert.summary
                % u"\" description=\""_s % alert.description % u'"';
    }
    return (u'[' % parts.join(u", "_s) % u']').toUtf8();
}

} // namespace

class PromtoolRulesTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void theRulesFileIsTheCppRuleSet()
    {
        const QString committed = QString::fromUtf8(readFile(kRulesFile));
        QVERIFY2(!committed.isEmpty(), qPrintable(kRulesFile));
        const QString generated = prometheusRulesFile(standardRules());
        if (committed != generated) {
            const QStringList a = committed.split(u'\n');
            const QStringList b = generated.split(u'\n');
            qsizetype line = 0;
            while (line < a.size() && line < b.size() && a[line] == b[line])
                ++line;
            QFAIL(qPrintable(u"packaging/prometheus/quota-console.rules.yml differs from the C++ "
                             u"rule set at line "_s
                % QString::number(line + 1) % u":\n  file: "_s % a.value(line) % u"\n  C++:  "_s
                % b.value(line)
                % u"\nRegenerate it: quotactl alerts rules --prometheus > "
                  u"packaging/prometheus/quota-console.rules.yml"_s));
        }
    }

    void theRulesFileAgreesOnNamesThresholdsForAndSeverities()
    {
        // Read back as YAML, independently of how the generator writes it.
        QString error;
        const QJsonValue yaml = readYaml(readFile(kRulesFile), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QJsonArray rules
            = yaml[u"groups"_s].toArray().at(0).toObject().value(u"rules"_s).toArray();
        QCOMPARE(rules.size(), qsizetype(standardRules().size()));
        for (qsizetype i = 0; i < rules.size(); ++i) {
            const QJsonObject rule = rules.at(i).toObject();
            const Rule& cpp = standardRules()[std::size_t(i)];
            QCOMPARE(rule.value(u"alert"_s).toString(), cpp.name);
            QCOMPARE(promDuration(rule.value(u"for"_s).toString()), cpp.forMs);
            QCOMPARE(rule.value(u"labels"_s).toObject().value(u"severity"_s).toString(),
                severityName(cpp.severity));
            const QString expr = rule.value(u"expr"_s).toString();
            const qsizetype gt = expr.lastIndexOf(u" > "_s);
            QVERIFY2(gt > 0, qPrintable(expr));
            QCOMPARE(expr.mid(gt + 3).toDouble(), cpp.threshold);
            QVERIFY2(
                expr.contains(u'[' % prometheusDuration(cpp.windowMs) % u']'), qPrintable(expr));
            QCOMPARE(rule.value(u"annotations"_s).toObject().value(u"summary"_s).toString(),
                cpp.summary);
        }
    }

    void promtoolChecksTheRules()
    {
        if (promtool().isEmpty())
            QSKIP("promtool is not installed (Debian package prometheus)");
        const Run run = runPromtool({ u"check"_s, u"rules"_s, kRulesFile }, kDirectory);
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        QVERIFY2(run.output.contains(
                     u"SUCCESS: "_s % QString::number(standardRules().size()) % u" rules found"_s),
            qPrintable(run.output));
    }

    void promtoolPassesTheTestCases()
    {
        if (promtool().isEmpty())
            QSKIP("promtool is not installed (Debian package prometheus)");
        const Run run = runPromtool({ u"test"_s, u"rules"_s, kTestFile }, kDirectory);
        QVERIFY2(run.exitCode == 0 && run.output.contains(u"SUCCESS"_s), qPrintable(run.output));
    }

    void theTestCasesPinEveryRulesFor()
    {
        // With every rule firing 15 s later than it does, promtool must report every rule: the
        // cases would not notice a drifted `for` otherwise. (promtool reports all failing cases.)
        if (promtool().isEmpty())
            QSKIP("promtool is not installed (Debian package prometheus)");
        QTemporaryDir directory;
        QVERIFY(directory.isValid());
        QVERIFY(QFile::copy(kTestFile, directory.filePath(u"quota-console.rules.test.yml"_s)));
        std::vector<Rule> rules = standardRules();
        for (Rule& rule : rules)
            rule.forMs += 15'000;
        QFile file(directory.filePath(u"quota-console.rules.yml"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(prometheusRulesFile(rules).toUtf8());
        file.close();
        const Run run = runPromtool(
            { u"test"_s, u"rules"_s, u"quota-console.rules.test.yml"_s }, directory.path());
        QCOMPARE(run.exitCode, 1);
        for (const Rule& rule : rules)
            QVERIFY2(run.output.contains(u"alertname: "_s % rule.name % u','),
                qPrintable(rule.name % u" with a longer `for` passed:\n"_s % run.output));
    }

    void coreAlertingFindsWhatPromtoolFinds()
    {
        QString error;
        const QJsonValue yaml = readYaml(readFile(kTestFile), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const std::int64_t evaluationInterval
            = promDuration(yaml[u"evaluation_interval"_s].toString(u"1m"_s));
        const QJsonArray tests = yaml[u"tests"_s].toArray();
        QVERIFY(!tests.isEmpty());
        int checked = 0;
        for (qsizetype t = 0; t < tests.size(); ++t) {
            const QJsonObject test = tests.at(t).toObject();
            const std::int64_t interval = promDuration(test.value(u"interval"_s).toString(u"1m"_s));
            // The replay samples and evaluates on the same grid.
            QCOMPARE(interval, evaluationInterval);

            Evaluator evaluator;
            struct Input {
                SeriesStore::SeriesId id;
                std::vector<std::optional<double>> values;
            };
            std::vector<Input> inputs;
            for (const QJsonValue& value : test.value(u"input_series"_s).toArray()) {
                const QString selector = value[u"series"_s].toString();
                const metrics::ParseResult parsed = metrics::parseExposition(
                    selector.toUtf8() + " 0\n", metrics::ExpositionFormat::PrometheusText);
                QVERIFY2(parsed.ok() && parsed.families.size() == 1, qPrintable(selector));
                const metrics::Sample& sample = parsed.families.front().samples.front();
                const auto values = expandValues(value[u"values"_s].toString());
                QVERIFY2(values.has_value(), qPrintable(value[u"values"_s].toString()));
                inputs.push_back(Input { evaluator.series().series(
                                             sample.name, parsed.families.front().labelsOf(sample)),
                    *values });
            }

            std::map<std::int64_t, std::vector<QJsonObject>> checks;
            std::int64_t last = 0;
            for (const QJsonValue& value : test.value(u"alert_rule_test"_s).toArray()) {
                const std::int64_t at = promDuration(value[u"eval_time"_s].toString());
                QVERIFY2(
                    at >= 0 && at % interval == 0, qPrintable(value[u"eval_time"_s].toString()));
                checks[at].push_back(value.toObject());
                last = std::max(last, at);
            }

            for (std::int64_t at = 0; at <= last; at += interval) {
                const auto index = std::size_t(at / interval);
                for (const Input& input : inputs) {
                    if (index < input.values.size() && input.values[index])
                        evaluator.series().append(input.id, at, *input.values[index]);
                }
                evaluator.evaluate(at);
                const auto due = checks.find(at);
                if (due == checks.end())
                    continue;
                for (const QJsonObject& check : due->second) {
                    const QString alertname = check.value(u"alertname"_s).toString();
                    QVERIFY2(findRule(evaluator.rules(), alertname), qPrintable(alertname));
                    std::vector<Expected> want;
                    for (const QJsonValue& alert : check.value(u"exp_alerts"_s).toArray()) {
                        Expected e;
                        const QJsonObject labels = alert[u"exp_labels"_s].toObject();
                        for (auto it = labels.begin(); it != labels.end(); ++it)
                            e.labels[it.key()] = it.value().toString();
                        e.summary = alert[u"exp_annotations"_s][u"summary"_s].toString();
                        e.description = alert[u"exp_annotations"_s][u"description"_s].toString();
                        want.push_back(e);
                    }
                    std::vector<Expected> got;
                    for (const Alert& alert : evaluator.alerts()) {
                        if (alert.rule != alertname || alert.state != AlertState::Firing)
                            continue;
                        Expected e;
                        for (const auto& [name, value] : alert.labels) {
                            if (name != u"alertname"_s)
                                e.labels[name] = value;
                        }
                        e.summary = alert.summary;
                        e.description = alert.description;
                        got.push_back(e);
                    }
                    const auto byLabels
                        = [](const Expected& a, const Expected& b) { return a.labels < b.labels; };
                    std::sort(want.begin(), want.end(), byLabels);
                    std::sort(got.begin(), got.end(), byLabels);
                    if (got != want)
                        QFAIL(qPrintable(u"test "_s % QString::number(t) % u", "_s % alertname
                            % u" at "_s % prometheusDuration(at) % u":\n  promtool expects "_s
                            % QString::fromUtf8(describe(want)) % u"\n  core/alerting has    "_s
                            % QString::fromUtf8(describe(got))));
                    ++checked;
                }
            }
        }
        QVERIFY2(checked >= 30, "the test file should hold the cases of every rule");
    }
};

QTEST_GUILESS_MAIN(PromtoolRulesTest)
#include "tst_promtoolrules.moc"
