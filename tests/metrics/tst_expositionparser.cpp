#include "metrics/expositionparser.h"
#include "metrics/gzip.h"

#include <QFile>
#include <QRandomGenerator>
#include <QTest>

#include <cmath>
#include <cstdlib>

using namespace qc::metrics;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(qc::metrics::ExpositionFormat)

namespace {

QByteArray fixture(const char* name)
{
    QFile file(
        QStringLiteral(QC_SOURCE_DIR "/tests/metrics/fixtures/") + QString::fromLatin1(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", name);
    return file.readAll();
}

QString number(double value)
{
    if (std::isnan(value))
        return u"NaN"_s;
    if (std::isinf(value))
        return value > 0 ? u"+Inf"_s : u"-Inf"_s;
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

QString labelsText(const Labels& labels)
{
    QString text = u"{"_s;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        QString value = labels[i].second;
        value.replace(u'\n', u"\\n"_s);
        text += (i ? u","_s : QString()) % labels[i].first % u"=\""_s % value % u'"';
    }
    return text % u'}';
}

// One line per family and per sample, so that a table row states the whole expected result.
QString dump(const std::vector<MetricFamily>& families)
{
    QString text;
    for (const MetricFamily& family : families) {
        text += family.name % u' ' % metricTypeName(family.type);
        if (!family.unit.isEmpty())
            text += u" unit="_s % family.unit;
        if (!family.help.isEmpty())
            text += u" help="_s % QString(family.help).replace(u'\n', u"\\n"_s);
        text += u'\n';
        for (const Sample& sample : family.samples) {
            text += u"  "_s % sample.name
                % (family.labelsOf(sample).empty() ? QString()
                                                   : labelsText(family.labelsOf(sample)))
                % u' ' % number(sample.value);
            if (sample.timestampMs)
                text += u" @"_s % QString::number(*sample.timestampMs);
            if (sample.exemplar) {
                text += u" # "_s % labelsText(sample.exemplar->labels) % u' '
                    % number(sample.exemplar->value);
                if (sample.exemplar->timestampMs)
                    text += u" @"_s % QString::number(*sample.exemplar->timestampMs);
            }
            text += u'\n';
        }
    }
    return text;
}

constexpr auto Text = ExpositionFormat::PrometheusText;
constexpr auto Om = ExpositionFormat::OpenMetrics;

} // namespace

class TestExpositionParser : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void formatFromContentType_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<ExpositionFormat>("expected");
        QTest::newRow("openmetrics with parameters")
            << "application/openmetrics-text; version=1.0.0; charset=utf-8"_ba << Om;
        QTest::newRow("openmetrics bare") << "application/openmetrics-text"_ba << Om;
        QTest::newRow("media type is case-insensitive")
            << "Application/OpenMetrics-Text;version=0.0.1"_ba << Om;
        QTest::newRow("text 0.0.4") << "text/plain; version=0.0.4; charset=utf-8"_ba << Text;
        QTest::newRow("missing header") << QByteArray() << Text;
        QTest::newRow("anything else") << "application/json"_ba << Text;
        QTest::newRow("openmetrics as a parameter only")
            << "text/plain; x=application/openmetrics-text"_ba << Text;
    }

    void formatFromContentType()
    {
        QFETCH(QByteArray, contentType);
        QFETCH(ExpositionFormat, expected);
        QCOMPARE(qc::metrics::formatFromContentType(contentType), expected);
    }

    void valid_data()
    {
        QTest::addColumn<ExpositionFormat>("format");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("expected");

        QTest::newRow("text minimal") << Text << "a 1\n"_ba << u"a unknown\n  a 1\n"_s;
        QTest::newRow("text without final newline") << Text << "a 1"_ba << u"a unknown\n  a 1\n"_s;
        QTest::newRow("text blanks everywhere and trailing comma")
            << Text << "  a { x = \"1\" ,\ty=\"2\", }\t3   1500  \n"_ba
            << u"a unknown\n  a{x=\"1\",y=\"2\"} 3 @1500\n"_s;
        QTest::newRow("labels come out sorted") << Text << "a{z=\"1\",b=\"2\",m=\"3\"} 1\n"_ba
                                                << u"a unknown\n  a{b=\"2\",m=\"3\",z=\"1\"} 1\n"_s;
        QTest::newRow("label value escapes")
            << Text << "a{p=\"C:\\\\DIR\",q=\"l1\\nl2\",r=\"say \\\"hi\\\"\",s=\"\\a\"} 1"_ba
            << u"a unknown\n  a{p=\"C:\\DIR\",q=\"l1\\nl2\",r=\"say \"hi\"\",s=\"\\a\"} 1\n"_s;
        QTest::newRow("special values")
            << Text
            << "a{k=\"1\"} NaN\na{k=\"2\"} +Inf\na{k=\"3\"} -Inf\na{k=\"4\"} inf\na{k=\"5\"} 1e3\na{k=\"6\"} -.5\na{k=\"7\"} +2\n"_ba
            << u"a unknown\n  a{k=\"1\"} NaN\n  a{k=\"2\"} +Inf\n  a{k=\"3\"} -Inf\n  a{k=\"4\"} +Inf\n  a{k=\"5\"} 1000\n  a{k=\"6\"} -0.5\n  a{k=\"7\"} 2\n"_s;
        QTest::newRow("negative millisecond timestamp")
            << Text << "a 1 -3982045\n"_ba << u"a unknown\n  a 1 @-3982045\n"_s;
        QTest::newRow("text families may be interleaved")
            << Text << "# TYPE a counter\na 1\nb 2\na{x=\"y\"} 3\n"_ba
            << u"a counter\n  a 1\n  a{x=\"y\"} 3\nb unknown\n  b 2\n"_s;
        QTest::newRow("text HELP escapes backslash and newline only")
            << Text << "# HELP a x\\ny \\\\ \\\"q\n"_ba << u"a unknown help=x\\ny \\ \\\"q\n"_s;
        QTest::newRow("comments and blank lines are ignored")
            << Text << "# just a comment\n\n   \n#TYPE a gauge\na 1\n"_ba << u"a gauge\n  a 1\n"_s;
        QTest::newRow("untyped is unknown")
            << Text << "# TYPE a untyped\na 1\n"_ba << u"a unknown\n  a 1\n"_s;
        QTest::newRow("text counter has no _total rule")
            << Text << "# TYPE requests counter\nrequests 5\n"_ba
            << u"requests counter\n  requests 5\n"_s;
        QTest::newRow("histogram series with sum and count")
            << Text
            << "# TYPE h histogram\nh_bucket{le=\"0.1\",path=\"/a\"} 1\nh_bucket{le=\"+Inf\",path=\"/a\"} 2\nh_sum{path=\"/a\"} 0.5\nh_count{path=\"/a\"} 2\n"_ba
            << u"h histogram\n  h_bucket{le=\"0.1\",path=\"/a\"} 1\n  h_bucket{le=\"+Inf\",path=\"/a\"} 2\n  h_sum{path=\"/a\"} 0.5\n  h_count{path=\"/a\"} 2\n"_s;
        QTest::newRow("text buckets need not be cumulative")
            << Text << "# TYPE h histogram\nh_bucket{le=\"1\"} 5\nh_bucket{le=\"+Inf\"} 3\n"_ba
            << u"h histogram\n  h_bucket{le=\"1\"} 5\n  h_bucket{le=\"+Inf\"} 3\n"_s;
        QTest::newRow("openmetrics minimal") << Om << "# EOF\n"_ba << QString();
        QTest::newRow("openmetrics without final newline")
            << Om << "a 1\n# EOF"_ba << u"a unknown\n  a 1\n"_s;
        QTest::newRow("openmetrics counter with created and second timestamps")
            << Om
            << "# TYPE c counter\nc_total 3 1520879607.789\nc_created 1520430000.123\n# EOF\n"_ba
            << u"c counter\n  c_total 3 @1520879607789\n  c_created 1520430000.123\n"_s;
        QTest::newRow("openmetrics empty HELP and UNIT count as absent")
            << Om
            << "# TYPE c_seconds gauge\n# UNIT c_seconds \n# HELP c_seconds \nc_seconds 1\n# EOF\n"_ba
            << u"c_seconds gauge\n  c_seconds 1\n"_s;
        QTest::newRow("openmetrics HELP escapes quotes too")
            << Om << "# HELP a say \\\"hi\\\"\\n\n# EOF\n"_ba
            << u"a unknown help=say \"hi\"\\n\n"_s;
        QTest::newRow("openmetrics exemplar is kept")
            << Om << "# TYPE c counter\nc_total 1 # {trace_id=\"abc\"} 0.5 12.5\n# EOF\n"_ba
            << u"c counter\n  c_total 1 # {trace_id=\"abc\"} 0.5 @12500\n"_s;
        QTest::newRow("openmetrics empty label set")
            << Om << "a{} 0\n# EOF\n"_ba << u"a unknown\n  a 0\n"_s;
        QTest::newRow("openmetrics unit is a suffix")
            << Om
            << "# TYPE d_seconds histogram\n# UNIT d_seconds seconds\nd_seconds_bucket{le=\"+Inf\"} 0\n# EOF\n"_ba
            << u"d_seconds histogram unit=seconds\n  d_seconds_bucket{le=\"+Inf\"} 0\n"_s;
        QTest::newRow("openmetrics unknown named like a counter")
            << Om << "x_total 1\n# EOF\n"_ba << u"x_total unknown\n  x_total 1\n"_s;
        QTest::newRow("non-ASCII label value and help")
            << Om << "# HELP a Größe\na{city=\"Zürich\"} 1\n# EOF\n"_ba
            << u"a unknown help=Größe\n  a{city=\"Zürich\"} 1\n"_s;
    }

    void valid()
    {
        QFETCH(ExpositionFormat, format);
        QFETCH(QByteArray, input);
        QFETCH(QString, expected);
        const ParseResult result = parseExposition(input, format);
        if (!result.ok())
            QFAIL(qPrintable(result.error->toString()));
        QCOMPARE(dump(result.families), expected);
    }

    void invalid_data()
    {
        QTest::addColumn<ExpositionFormat>("format");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("message");

        // Text 0.0.4
        QTest::newRow("missing comma")
            << Text << "metric{a=\"b\" 1\n"_ba << 1 << 14 << u"expected ',' or '}'"_s;
        QTest::newRow("duplicate label")
            << Text << "metric{a=\"b\",a=\"c\"} 1\n"_ba << 1 << 14 << u"'a' appears twice"_s;
        QTest::newRow("label name starts with digit")
            << Text << "metric{0a=\"b\"} 1\n"_ba << 1 << 8 << u"expected a label name"_s;
        QTest::newRow("label name with dash") << Text << "metric{a-b=\"c\"} 1\n"_ba << 1 << 9
                                              << u"expected '=' after label name 'a'"_s;
        QTest::newRow("metric name starts with digit")
            << Text << "0metric 1\n"_ba << 1 << 1 << u"expected a metric name"_s;
        QTest::newRow("metric name with dash")
            << Text << "met-ric 1\n"_ba << 1 << 4 << u"unexpected character '-' in metric name"_s;
        QTest::newRow("unterminated value")
            << Text << "ok 1\nmetric{a=\"b} 1\n"_ba << 2 << 10 << u"no closing '\"'"_s;
        QTest::newRow("unquoted value")
            << Text << "metric{a=b} 1\n"_ba << 1 << 10 << u"expected '\"'"_s;
        QTest::newRow("empty label") << Text << "metric{a=\"b\",,} 1\n"_ba << 1 << 14
                                     << u"expected a label name, found ','"_s;
        QTest::newRow("bad value")
            << Text << "metric abc\n"_ba << 1 << 8 << u"'abc' is not a valid sample value"_s;
        QTest::newRow("hex value")
            << Text << "metric 0x1p3\n"_ba << 1 << 8 << u"is not a valid sample value"_s;
        QTest::newRow("missing value")
            << Text << "metric{a=\"b\"}\n"_ba << 1 << 14 << u"expected a value"_s;
        QTest::newRow("value glued to labels")
            << Text << "metric{a=\"b\"}1\n"_ba << 1 << 14 << u"expected a blank before the value"_s;
        QTest::newRow("float timestamp")
            << Text << "metric 1 1.5\n"_ba << 1 << 10 << u"integer milliseconds"_s;
        QTest::newRow("text after timestamp")
            << Text << "metric 1 15 x\n"_ba << 1 << 13 << u"unexpected text after the timestamp"_s;
        QTest::newRow("second TYPE") << Text << "# TYPE m counter\n# TYPE m gauge\n"_ba << 2 << 8
                                     << u"second '# TYPE' line for m"_s;
        QTest::newRow("second HELP")
            << Text << "# HELP m a\n# HELP m b\n"_ba << 2 << 8 << u"second '# HELP' line for m"_s;
        QTest::newRow("TYPE after samples")
            << Text << "m 1\n# TYPE m counter\n"_ba << 2 << 10 << u"comes after its samples"_s;
        QTest::newRow("TYPE after samples, other family between")
            << Text << "m 1\nn 1\n# TYPE m counter\n"_ba << 3 << 10 << u"comes after its samples"_s;
        QTest::newRow("unknown type")
            << Text << "# TYPE m bogus\n"_ba << 1 << 10 << u"unknown metric type 'bogus'"_s;
        QTest::newRow("openmetrics-only type in text")
            << Text << "# TYPE m info\n"_ba << 1 << 10 << u"unknown metric type 'info'"_s;
        QTest::newRow("TYPE without name")
            << Text << "# TYPE\n"_ba << 1 << 7 << u"expected a metric name"_s;
        QTest::newRow("histogram without +Inf")
            << Text
            << "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"2\"} 1\nh_count 1\n"_ba << 3
            << 1 << u"has no le=\"+Inf\" bucket"_s;
        QTest::newRow("bucket without le")
            << Text << "# TYPE h histogram\nh_bucket 1\n"_ba << 2 << 1 << u"has no 'le' label"_s;
        QTest::newRow("le not a number") << Text << "# TYPE h histogram\nh_bucket{le=\"x\"} 1\n"_ba
                                         << 2 << 1 << u"le=\"x\" of h_bucket is not a number"_s;
        QTest::newRow("histogram sample without suffix")
            << Text << "# TYPE h histogram\nh 1\n"_ba << 2 << 1 << u"needs one"_s;
        QTest::newRow("summary without quantile")
            << Text << "# TYPE s summary\ns 1\n"_ba << 2 << 1 << u"has no 'quantile' label"_s;
        QTest::newRow("carriage return")
            << Text << "metric 1\r\n"_ba << 1 << 9 << u"carriage return"_s;
        QTest::newRow("invalid UTF-8 in label value")
            << Text << "m{a=\"\xff\"} 1\n"_ba << 1 << 6 << u"not valid UTF-8"_s;
        QTest::newRow("column counts characters")
            << Text << "m{a=\"Zürich\" 1\n"_ba << 1 << 14 << u"expected ',' or '}'"_s;

        // OpenMetrics 1.0
        QTest::newRow("om missing EOF")
            << Om << "# TYPE a gauge\na 1\n"_ba << 3 << 1 << u"without '# EOF'"_s;
        QTest::newRow("om text after EOF")
            << Om << "# EOF\na 1\n"_ba << 2 << 1 << u"nothing may follow '# EOF'"_s;
        QTest::newRow("om empty line")
            << Om << "a 1\n\n# EOF\n"_ba << 2 << 1 << u"empty lines are not allowed"_s;
        QTest::newRow("om interleaved families")
            << Om << "# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na 2\n# EOF\n"_ba << 5 << 1
            << u"interleaved"_s;
        QTest::newRow("om metadata of an earlier family")
            << Om << "a 1\nb 1\n# HELP a late\n# EOF\n"_ba << 3 << 8 << u"interleaved"_s;
        QTest::newRow("om counter without _total")
            << Om << "# TYPE c counter\nc 1\n# EOF\n"_ba << 2 << 1 << u"needs one (e.g. _total)"_s;
        QTest::newRow("om comment")
            << Om << "# hello\n# EOF\n"_ba << 1 << 1 << u"comments are not allowed"_s;
        QTest::newRow("om two spaces")
            << Om << "a  1\n# EOF\n"_ba << 1 << 3 << u"expected sample value"_s;
        QTest::newRow("om tab separator")
            << Om << "a\t1\n# EOF\n"_ba << 1 << 2 << u"single space"_s;
        QTest::newRow("om trailing comma")
            << Om << "a{b=\"c\",} 1\n# EOF\n"_ba << 1 << 9 << u"expected a label name, found '}'"_s;
        QTest::newRow("om blanks inside labels") << Om << "a{b = \"c\"} 1\n# EOF\n"_ba << 1 << 4
                                                 << u"expected '=' after label name 'b'"_s;
        QTest::newRow("om buckets not cumulative")
            << Om
            << "# TYPE h histogram\nh_bucket{le=\"1\"} 5\nh_bucket{le=\"2\"} 3\nh_bucket{le=\"+Inf\"} 5\n# EOF\n"_ba
            << 3 << 1 << u"buckets are cumulative"_s;
        QTest::newRow("om buckets out of order")
            << Om
            << "# TYPE h histogram\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\n# EOF\n"_ba
            << 3 << 1 << u"increasing le"_s;
        QTest::newRow("om histogram without +Inf")
            << Om << "# TYPE h histogram\nh_bucket{le=\"1\"} 1\n# EOF\n"_ba << 2 << 1
            << u"has no le=\"+Inf\" bucket"_s;
        QTest::newRow("om count differs from +Inf bucket")
            << Om << "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 3\nh_sum 1\n# EOF\n"_ba
            << 3 << 1 << u"they must be equal"_s;
        QTest::newRow("om sum without count")
            << Om << "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\n# EOF\n"_ba << 3 << 1
            << u"has a sum but no count"_s;
        QTest::newRow("om unit not a suffix")
            << Om << "# TYPE foo counter\n# UNIT foo seconds\n# EOF\n"_ba << 2 << 12
            << u"must be the suffix"_s;
        QTest::newRow("om exemplar on a gauge")
            << Om << "# TYPE g gauge\ng 1 # {a=\"b\"} 1\n# EOF\n"_ba << 2 << 5
            << u"exemplars are only allowed"_s;
        QTest::newRow("om exemplar too long") << Om
                                              << "# TYPE c counter\nc_total 1 # {trace_id=\""
                + QByteArray(121, 'x') + "\"} 1\n# EOF\n"_ba
                                              << 2 << 13 << u"at most 128"_s;
        QTest::newRow("om exemplar without value")
            << Om << "# TYPE c counter\nc_total 1 # {a=\"b\"}\n# EOF\n"_ba << 2 << 20
            << u"exemplar value"_s;
        QTest::newRow("om TYPE after samples")
            << Om << "a 1\n# TYPE a gauge\n# EOF\n"_ba << 2 << 8 << u"comes after its samples"_s;
        QTest::newRow("om untyped is not a type") << Om << "# TYPE a untyped\n# EOF\n"_ba << 1 << 10
                                                  << u"unknown metric type 'untyped'"_s;
        QTest::newRow("om type is lower case")
            << Om << "# TYPE a Gauge\n# EOF\n"_ba << 1 << 10 << u"unknown metric type 'Gauge'"_s;
        QTest::newRow("om negative counter") << Om << "# TYPE c counter\nc_total -1\n# EOF\n"_ba
                                             << 2 << 1 << u"must not be negative"_s;
        QTest::newRow("om quantile above 1")
            << Om << "# TYPE s summary\ns{quantile=\"1.5\"} 1\n# EOF\n"_ba << 2 << 1
            << u"outside 0..1"_s;
        QTest::newRow("om timestamp not a number")
            << Om << "a 1 abc\n# EOF\n"_ba << 1 << 5 << u"not a valid timestamp"_s;
        QTest::newRow("om timestamp infinite")
            << Om << "a 1 +Inf\n# EOF\n"_ba << 1 << 5 << u"not a valid timestamp"_s;
        QTest::newRow("om leading blank")
            << Om << " a 1\n# EOF\n"_ba << 1 << 1 << u"expected a metric name"_s;
        QTest::newRow("om unescaped quote in HELP")
            << Om << "# HELP a say \"hi\"\n# EOF\n"_ba << 1 << 14 << u"must be escaped"_s;
    }

    void invalid()
    {
        QFETCH(ExpositionFormat, format);
        QFETCH(QByteArray, input);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, message);
        const ParseResult result = parseExposition(input, format);
        QVERIFY2(!result.ok(), qPrintable(u"accepted:\n"_s % dump(result.families)));
        QVERIFY(result.families.empty());
        const QString text = result.error->toString();
        QVERIFY2(result.error->message.contains(message), qPrintable(text));
        QCOMPARE(result.error->line, line);
        QCOMPARE(result.error->column, column);
    }

    void textSpecificationExample()
    {
        const ParseResult result = parseExposition(fixture("prometheus_text_example.txt"), Text);
        QVERIFY2(result.ok(), qPrintable(result.error ? result.error->toString() : QString()));
        QCOMPARE(result.families.size(), std::size_t(6));
        const MetricFamily& requests = result.families[0];
        QCOMPARE(requests.name, u"http_requests_total"_s);
        QCOMPARE(requests.type, MetricType::Counter);
        QCOMPARE(requests.help, u"The total number of HTTP requests."_s);
        QCOMPARE(requests.samples.size(), std::size_t(2));
        QCOMPARE(requests.samples[1].value, 3.0);
        QCOMPARE(requests.samples[1].timestampMs, std::optional<qint64>(1395066363000));
        QCOMPARE(requests.labelsOf(requests.samples[0]),
            (Labels { { u"code"_s, u"200"_s }, { u"method"_s, u"post"_s } }));

        const MetricFamily& msdos = result.families[1];
        QCOMPARE(msdos.labelValue(msdos.samples[0], u"path"), u"C:\\DIR\\FILE.TXT"_s);
        QCOMPARE(
            msdos.labelValue(msdos.samples[0], u"error"), u"Cannot find file:\n\"FILE.TXT\""_s);
        QCOMPARE(msdos.samples[0].value, 1.458255915e9);

        const MetricFamily& weird = result.families[3];
        QVERIFY(std::isinf(weird.samples[0].value) && weird.samples[0].value > 0);
        QCOMPARE(weird.samples[0].timestampMs, std::optional<qint64>(-3982045));

        const MetricFamily& histogram = result.families[4];
        QCOMPARE(histogram.type, MetricType::Histogram);
        const std::vector<HistogramSeries> series = histogramSeries(histogram);
        QCOMPARE(series.size(), std::size_t(1));
        QCOMPARE(series[0].buckets.size(), std::size_t(6));
        QCOMPARE(series[0].buckets[2].upperBound, 0.2);
        QCOMPARE(series[0].buckets[2].count, 100392.0);
        QVERIFY(std::isinf(series[0].buckets[5].upperBound));
        QCOMPARE(series[0].sum, std::optional<double>(53423));
        QCOMPARE(series[0].count, std::optional<double>(144320));

        const MetricFamily& summary = result.families[5];
        QCOMPARE(summary.type, MetricType::Summary);
        QCOMPARE(summary.samples.size(), std::size_t(7));
        QCOMPARE(summary.samples[5].name, u"rpc_duration_seconds_sum"_s);
        QCOMPARE(summary.samples[5].value, 1.7560473e+07);
    }

    void openMetricsSpecificationExamples()
    {
        const ParseResult overall = parseExposition(fixture("openmetrics_example.txt"), Om);
        QVERIFY2(overall.ok(), qPrintable(overall.error ? overall.error->toString() : QString()));
        QCOMPARE(overall.families.size(), std::size_t(3));
        QCOMPARE(overall.families[0].unit, u"seconds"_s);
        QCOMPARE(overall.families[0].help, u"Latency though all of ACME's HTTP request router."_s);
        QCOMPARE(overall.families[0].samples.size(), std::size_t(6));
        QCOMPARE(overall.families[2].samples[0].name, u"process_cpu_seconds_total"_s);
        QCOMPARE(overall.families[2].samples[0].value, 4.20072246e+06);

        const ParseResult types = parseExposition(fixture("openmetrics_types.txt"), Om);
        QVERIFY2(types.ok(), qPrintable(types.error ? types.error->toString() : QString()));
        QStringList kinds;
        for (const MetricFamily& family : types.families)
            kinds << family.name % u':' % metricTypeName(family.type);
        QCOMPARE(kinds.join(u' '),
            u"foo_seconds:counter gauge_points:gauge labelled:gauge states:stateset build:info "
            u"rpc:summary "
            u"wide:histogram exemplified:histogram queue:gaugehistogram mystery:unknown escapes:gauge"_s);
        QCOMPARE(types.families[0].help, u"Some text and \n some \" escaping"_s);
        QCOMPARE(types.families[0].samples[0].timestampMs, std::optional<qint64>(1520879607789));
        QVERIFY(types.families[0].samples[0].exemplar.has_value());
        const std::vector<HistogramSeries> exemplified = histogramSeries(types.families[7]);
        QCOMPARE(exemplified[0].buckets.size(), std::size_t(5));
        QCOMPARE(types.families[7].samples[3].exemplar->timestampMs,
            std::optional<qint64>(1520879607789));
        QCOMPARE(types.families[7].samples[3].exemplar->value, 9.8);
        QCOMPARE(histogramSeries(types.families[8])[0].count, std::optional<double>(42));
        QCOMPARE(types.families[10].labelValue(types.families[10].samples[0], u"b"),
            u"escaping\" example \n "_s);
    }

    void gzipBody()
    {
        const DecodedBody decoded = gunzip(fixture("prometheus_text_example.txt.gz"));
        QVERIFY2(decoded.error.isEmpty(), qPrintable(decoded.error));
        QCOMPARE(decoded.bytes, fixture("prometheus_text_example.txt"));
        QCOMPARE(dump(parseExposition(decoded.bytes, Text).families),
            dump(parseExposition(fixture("prometheus_text_example.txt"), Text).families));

        // Two members in a row are one valid stream.
        const QByteArray twice = gzip("a 1\n") + gzip("b 2\n");
        QCOMPARE(gunzip(twice).bytes, "a 1\nb 2\n"_ba);
    }

    void gzipErrors_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<qsizetype>("maxSize");
        QTest::addColumn<QString>("message");
        const QByteArray good = gzip(QByteArray(100000, 'a'));
        QTest::newRow("not gzip") << "a 1\n"_ba << qsizetype(1 << 20) << u"not gzip data"_s;
        QTest::newRow("truncated")
            << good.first(good.size() / 2) << qsizetype(1 << 20) << u"truncated"_s;
        QByteArray corrupt = good;
        corrupt[12] = char(0xff);
        corrupt[13] = char(0xff);
        QTest::newRow("corrupt") << corrupt << qsizetype(1 << 20) << u"corrupt"_s;
        QTest::newRow("inflates past the cap")
            << good << qsizetype(50000) << u"more than 50000 bytes"_s;
    }

    void gzipErrors()
    {
        QFETCH(QByteArray, body);
        QFETCH(qsizetype, maxSize);
        QFETCH(QString, message);
        const DecodedBody decoded = gunzip(body, maxSize);
        QVERIFY2(decoded.error.contains(message), qPrintable(decoded.error));
        QVERIFY(decoded.bytes.isEmpty());
    }

    // Random mutations of valid pages: the parser must never crash, and must either accept the
    // page or point at a line and column inside it.
    // Samples of one series share one label set; a bucket keeps its `le` apart.
    void labelSetsShared()
    {
        const ParseResult result = parseExposition("# TYPE h histogram\n"
                                                   "h_bucket{z=\"1\",a=\"x\",le=\"0.5\"} 1\n"
                                                   "h_bucket{z=\"1\",a=\"x\",le=\"+Inf\"} 2\n"
                                                   "h_bucket{a=\"y\",z=\"1\",le=\"+Inf\"} 3\n"
                                                   "h_sum{a=\"x\",z=\"1\"} 0.7\n"
                                                   "h_count{a=\"x\",z=\"1\"} 2\n"
                                                   "h_sum{a=\"y\",z=\"1\"} 1\n"
                                                   "h_count{a=\"y\",z=\"1\"} 3\n"
                                                   "u{le=\"1\",v=\"a\\\"b\"} 1\n"
                                                   "u{le=\"2\",v=\"a\\\"b\"} 2\n"
                                                   "u{le=\"1\",v=\"a\\\"b\"} 3\n"_ba,
            Text);
        QVERIFY2(result.ok(), qPrintable(result.error->toString()));
        const MetricFamily& h = result.families[0];
        QCOMPARE(h.labelSets.size(), std::size_t(2));
        const Labels x { { u"a"_s, u"x"_s }, { u"z"_s, u"1"_s } };
        QCOMPARE(h.seriesLabels(h.samples[0]), x);
        QCOMPARE(h.samples[0].le, u"0.5"_s);
        QCOMPARE(h.labelValue(h.samples[1], u"le"), u"+Inf"_s);
        const Labels full { { u"a"_s, u"x"_s }, { u"le"_s, u"0.5"_s }, { u"z"_s, u"1"_s } };
        QCOMPARE(h.labelsOf(h.samples[0]), full);
        for (const std::size_t same : { 1, 3, 4 })
            QCOMPARE(h.samples[same].labelSet, h.samples[0].labelSet);
        for (const std::size_t other : { 5, 6 })
            QCOMPARE(h.samples[other].labelSet, h.samples[2].labelSet);
        QVERIFY(h.samples[3].le.isNull());
        QCOMPARE(h.labelsOf(h.samples[3]), x);
        const std::vector<HistogramSeries> series = histogramSeries(h);
        QCOMPARE(series.size(), std::size_t(2));
        QCOMPARE(series[0].buckets.size(), std::size_t(2));
        QCOMPARE(series[0].count, std::optional<double>(2));

        // Outside a histogram `le` is an ordinary label; equal sets are shared even when not
        // consecutive and when the values have escapes.
        const MetricFamily& u = result.families[1];
        QCOMPARE(u.labelSets.size(), std::size_t(2));
        QVERIFY(u.samples[0].le.isNull());
        QCOMPARE(u.samples[2].labelSet, u.samples[0].labelSet);
        QVERIFY(u.samples[1].labelSet != u.samples[0].labelSet);
        QCOMPARE(u.labelValue(u.samples[1], u"le"), u"2"_s);
        QCOMPARE(u.labelValue(u.samples[1], u"v"), u"a\"b"_s);
    }

    // The parser's shortcuts for plain numbers must give exactly what a full conversion gives.
    void numbersAreExact()
    {
        QRandomGenerator random(20261201);
        for (int i = 0; i < 20000; ++i) {
            const int digits = 1 + int(random.bounded(18));
            QByteArray text;
            for (int d = 0; d < digits; ++d)
                text += char('0' + random.bounded(10));
            if (digits > 1 && random.bounded(3) != 0)
                text.insert(1 + random.bounded(digits - 1), '.');
            if (random.bounded(4) == 0)
                text.prepend('-');
            const double expected = std::strtod(text.constData(), nullptr);
            const auto parsed = parseExpositionFloat(text);
            QVERIFY2(
                parsed && *parsed == expected && std::signbit(*parsed) == std::signbit(expected),
                text.constData());
            const ParseResult page = parseExposition("m " + text + "\n", Text);
            QVERIFY2(page.ok(), text.constData());
            QVERIFY2(page.families[0].samples[0].value == expected, text.constData());
        }
    }

    void fuzzMutations()
    {
        const QList<std::pair<QByteArray, ExpositionFormat>> seeds {
            { fixture("prometheus_text_example.txt"), Text },
            { fixture("openmetrics_example.txt"), Om },
            { fixture("openmetrics_types.txt"), Om },
        };
        static constexpr char interesting[] = "{}=\",\\# \t\n_:.+-eE0123456789aINn\r\xc3\xff";
        QRandomGenerator random(20260105);
        int accepted = 0;
        int rejected = 0;
        for (int iteration = 0; iteration < 4000; ++iteration) {
            const auto& [seed, format] = seeds[iteration % seeds.size()];
            QByteArray page = seed;
            const int mutations = 1 + int(random.bounded(4));
            for (int m = 0; m < mutations && !page.isEmpty(); ++m) {
                const qsizetype at = random.bounded(page.size());
                switch (random.bounded(5)) {
                case 0:
                    page[at] = interesting[random.bounded(int(sizeof(interesting) - 1))];
                    break;
                case 1:
                    page.insert(at, interesting[random.bounded(int(sizeof(interesting) - 1))]);
                    break;
                case 2:
                    page.remove(at, 1 + random.bounded(8));
                    break;
                case 3: {
                    const qsizetype from = random.bounded(page.size());
                    page.insert(at, page.mid(from, 1 + random.bounded(40)));
                    break;
                }
                default:
                    page.truncate(at);
                    break;
                }
            }
            for (const ExpositionFormat asFormat : { format, format == Om ? Text : Om }) {
                const ParseResult result = parseExposition(page, asFormat);
                if (result.ok()) {
                    ++accepted;
                    continue;
                }
                ++rejected;
                QVERIFY(result.families.empty());
                const int lines = int(page.count('\n')) + 1;
                QVERIFY2(result.error->line >= 1 && result.error->line <= lines + 1,
                    qPrintable(result.error->toString()));
                QVERIFY(result.error->column >= 1);
                QVERIFY(!result.error->message.isEmpty());
            }
        }
        // Both outcomes must occur, or the mutations are not exercising anything.
        QVERIFY(accepted > 100);
        QVERIFY(rejected > 1000);
    }
};

QTEST_GUILESS_MAIN(TestExpositionParser)
#include "tst_expositionparser.moc"
