// Prometheus itself checks our histogram_quantile: for each bucket set, a `promtool test rules`
// file is written whose expected samples are what qc::metrics::bucketQuantile computes; the
// real promtool then evaluates histogram_quantile over the same buckets and must agree exactly.

#include "metrics/metricfamily.h"
#include "metrics/quantile.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <limits>

using namespace qc::metrics;
using namespace Qt::StringLiterals;

namespace {

struct BucketSet {
    QString name;
    QList<std::pair<QString, double>> buckets; // le as written, count
};

QList<BucketSet> bucketSets()
{
    return {
        { u"normal"_s,
            { { u"0.005"_s, 120 }, { u"0.01"_s, 480 }, { u"0.025"_s, 1900 }, { u"0.05"_s, 4100 },
                { u"0.1"_s, 5200 }, { u"0.15"_s, 5350 }, { u"0.3"_s, 5390 }, { u"1"_s, 5399 },
                { u"+Inf"_s, 5400 } } },
        { u"nonmonotonic"_s,
            { { u"0.1"_s, 10 }, { u"0.2"_s, 4 }, { u"0.5"_s, 20 }, { u"1"_s, 15 },
                { u"+Inf"_s, 30 } } },
        { u"allzero"_s, { { u"0.1"_s, 0 }, { u"0.5"_s, 0 }, { u"+Inf"_s, 0 } } },
        { u"single"_s, { { u"0.5"_s, 10 } } },
        { u"infonly"_s, { { u"+Inf"_s, 10 } } },
        { u"coalesced"_s,
            { { u"0.1"_s, 3 }, { u"0.10"_s, 4 }, { u"1e-1"_s, 1 }, { u"0.5"_s, 10 },
                { u"+Inf"_s, 12 } } },
        { u"negative"_s, { { u"-1"_s, 2 }, { u"0"_s, 5 }, { u"1"_s, 9 }, { u"+Inf"_s, 10 } } },
        { u"noinf"_s, { { u"0.1"_s, 1 }, { u"0.2"_s, 2 } } },
        { u"awkward"_s,
            { { u"0.3"_s, 7 }, { u"0.7"_s, 13 }, { u"1.1"_s, 29 }, { u"+Inf"_s, 31 } } },
        { u"infcoalesced"_s, { { u"1"_s, 1 }, { u"+Inf"_s, 2 }, { u"+inf"_s, 3 } } },
    };
}

const QList<std::pair<QString, double>>& quantiles()
{
    static const QList<std::pair<QString, double>> list {
        { u"-0.5"_s, -0.5 },
        { u"0"_s, 0 },
        { u"0.01"_s, 0.01 },
        { u"0.25"_s, 0.25 },
        { u"0.5"_s, 0.5 },
        { u"0.75"_s, 0.75 },
        { u"0.9"_s, 0.9 },
        { u"0.95"_s, 0.95 },
        { u"0.99"_s, 0.99 },
        { u"1"_s, 1 },
        { u"1.5"_s, 1.5 },
        { u"NaN"_s, std::numeric_limits<double>::quiet_NaN() },
    };
    return list;
}

// A YAML float that round-trips exactly (shortest form, with a '.' so YAML reads a float).
QString yamlNumber(double value)
{
    if (std::isinf(value))
        return value > 0 ? u".inf"_s : u"-.inf"_s;
    QString text = QString::number(value, 'g', QLocale::FloatingPointShortest);
    const qsizetype exponent = text.indexOf(u'e');
    if (exponent >= 0 && !text.left(exponent).contains(u'.'))
        text.insert(exponent, u".0"_s);
    return text;
}

struct RulesFile {
    QString yaml;
    int cases = 0;
    int finiteCases = 0; // the ones a one-ulp change affects
};

// `perturb` shifts every finite expectation by one ulp: promtool must then fail.
RulesFile buildRulesFile(bool perturb)
{
    RulesFile file;
    QString series;
    QString tests;
    for (const BucketSet& set : bucketSets()) {
        std::vector<Bucket> buckets;
        for (const auto& [le, count] : set.buckets) {
            series += u"      - series: 'h_bucket{set=\""_s % set.name % u"\",le=\""_s % le
                % u"\"}'\n"_s % u"        values: '"_s % yamlNumber(count) % u"'\n"_s;
            buckets.push_back(Bucket { *parseExpositionFloat(le.toLatin1()), count });
        }
        for (const auto& [qText, q] : quantiles()) {
            double expected = bucketQuantile(q, buckets);
            const QString call
                = u"histogram_quantile("_s % qText % u", h_bucket{set=\""_s % set.name % u"\"})"_s;
            tests += u"      - eval_time: 0m\n"_s;
            if (std::isnan(expected)) {
                // promtool compares NaN as unequal to itself; "x != bool x" is 1 exactly for NaN.
                tests += u"        expr: '"_s % call % u" != bool "_s % call % u"'\n"_s
                    % u"        exp_samples:\n          - labels: '{set=\""_s % set.name
                    % u"\"}'\n"_s % u"            value: 1\n"_s;
            } else {
                if (std::isfinite(expected)) {
                    ++file.finiteCases;
                    if (perturb)
                        expected
                            = std::nextafter(expected, std::numeric_limits<double>::infinity());
                }
                tests += u"        expr: '"_s % call % u"'\n"_s
                    % u"        exp_samples:\n          - labels: '{set=\""_s % set.name
                    % u"\"}'\n"_s % u"            value: "_s % yamlNumber(expected) % u'\n';
            }
            ++file.cases;
        }
    }
    file.yaml
        = u"rule_files: []\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n"_s
        % series % u"    promql_expr_test:\n"_s % tests;
    return file;
}

struct PromtoolRun {
    int exitCode = -1;
    QString output;
};

PromtoolRun runPromtool(const QString& promtool, const QString& yaml)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"quantiles_test.yml"_s);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return { -1, u"cannot write "_s % path };
    file.write(yaml.toUtf8());
    file.close();
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(promtool, { u"test"_s, u"rules"_s, path });
    if (!process.waitForFinished(60000))
        return { -1, u"promtool did not finish"_s };
    return { process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
        QString::fromUtf8(process.readAll()) };
}

QString findPromtool()
{
    if (QFile::exists(u"/usr/bin/promtool"_s))
        return u"/usr/bin/promtool"_s;
    return QStandardPaths::findExecutable(u"promtool"_s);
}

} // namespace

class TestPromtoolQuantile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void prometheusAgreesWithOurQuantiles()
    {
        const QString promtool = findPromtool();
        if (promtool.isEmpty())
            QSKIP("promtool (Prometheus 2.42) is not installed");
        const RulesFile rules = buildRulesFile(false);
        QCOMPARE(rules.cases, int(bucketSets().size() * quantiles().size()));
        const PromtoolRun run = runPromtool(promtool, rules.yaml);
        QVERIFY2(run.exitCode == 0, qPrintable(run.output));
        QVERIFY2(run.output.contains(u"SUCCESS"_s), qPrintable(run.output));
    }

    // The comparison above is only worth something if promtool notices a one-ulp difference.
    void promtoolRejectsOffByOneUlp()
    {
        const QString promtool = findPromtool();
        if (promtool.isEmpty())
            QSKIP("promtool (Prometheus 2.42) is not installed");
        const RulesFile rules = buildRulesFile(true);
        const PromtoolRun run = runPromtool(promtool, rules.yaml);
        QVERIFY2(run.exitCode != 0, qPrintable(run.output));
        QVERIFY2(run.output.contains(u"FAILED"_s), qPrintable(run.output));
        // Every finite expectation must have been reported, each as one "exp:" line.
        QVERIFY(rules.finiteCases > 50);
        QCOMPARE(int(run.output.count(u"exp:"_s)), rules.finiteCases);
    }
};

QTEST_GUILESS_MAIN(TestPromtoolQuantile)
#include "tst_promtoolquantile.moc"
