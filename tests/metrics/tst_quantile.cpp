#include "metrics/expositionparser.h"
#include "metrics/quantile.h"
#include "metrics/scrapemath.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace qc::metrics;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(std::vector<qc::metrics::Bucket>)

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

MetricFamily family(const QByteArray& text)
{
    ParseResult result = parseExposition(text, ExpositionFormat::PrometheusText);
    if (!result.ok() || result.families.size() != 1)
        qFatal("bad test page: %s",
            qPrintable(result.error ? result.error->toString() : u"not one family"_s));
    return std::move(result.families.front());
}

bool sameDouble(double a, double b)
{
    return (std::isnan(a) && std::isnan(b)) || a == b;
}
} // namespace

class TestQuantile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void bucketQuantile_data()
    {
        QTest::addColumn<double>("q");
        QTest::addColumn<std::vector<Bucket>>("buckets");
        QTest::addColumn<double>("expected");

        const std::vector<Bucket> normal { { 0.1, 10 }, { 0.2, 30 }, { 0.5, 90 }, { 1, 100 },
            { inf, 100 } };
        QTest::newRow("median interpolates inside its bucket")
            << 0.5 << normal << 0.2 + 0.3 * (20.0 / 60.0);
        QTest::newRow("lowest bucket starts at 0") << 0.05 << normal << 0.05;
        QTest::newRow("q=0 is the lower edge") << 0.0 << normal << 0.0;
        QTest::newRow("q=1 reaches the last finite bucket") << 1.0 << normal << 1.0;
        QTest::newRow("q<0 is -Inf") << -0.1 << normal << -inf;
        QTest::newRow("q>1 is +Inf") << 1.01 << normal << inf;
        QTest::newRow("NaN q is NaN") << kNaN << normal << kNaN;
        QTest::newRow("unsorted input is sorted")
            << 0.5
            << std::vector<Bucket> { { inf, 100 }, { 0.5, 90 }, { 0.1, 10 }, { 1, 100 },
                   { 0.2, 30 } }
            << 0.2 + 0.3 * (20.0 / 60.0);
        QTest::newRow("rank in +Inf bucket gives the second-highest bound")
            << 0.99 << std::vector<Bucket> { { 0.1, 10 }, { 0.2, 20 }, { inf, 100 } } << 0.2;
        QTest::newRow("no +Inf bucket is NaN")
            << 0.5 << std::vector<Bucket> { { 0.1, 10 }, { 0.2, 20 } } << kNaN;
        QTest::newRow("single +Inf bucket is NaN")
            << 0.5 << std::vector<Bucket> { { inf, 10 } } << kNaN;
        QTest::newRow("no observations is NaN")
            << 0.5 << std::vector<Bucket> { { 0.1, 0 }, { 0.2, 0 }, { inf, 0 } } << kNaN;
        QTest::newRow("no buckets is NaN") << 0.5 << std::vector<Bucket> {} << kNaN;
        QTest::newRow("duplicate le are added before anything else")
            << 0.5 << std::vector<Bucket> { { 0.1, 2 }, { 0.1, 3 }, { 1, 10 }, { inf, 10 } } << 0.1;
        // Duplicates collapse to two buckets: { 1: 5 } and { +Inf: 5 }; fewer than 2 → NaN
        // only when one bucket is left.
        QTest::newRow("duplicate +Inf collapse to one bucket")
            << 0.5 << std::vector<Bucket> { { inf, 2 }, { inf, 3 } } << kNaN;
        QTest::newRow("non-monotonic counts are raised to the running maximum")
            << 0.6 << std::vector<Bucket> { { 1, 10 }, { 2, 4 }, { 3, 20 }, { inf, 20 } }
            << 2 + 1 * ((0.6 * 20 - 10) / 10.0); // without the fix: 2 + (12 - 4) / 16 = 2.5
        QTest::newRow("decrease only at the end keeps the envelope")
            << 0.75 << std::vector<Bucket> { { 1, 10 }, { 2, 20 }, { inf, 15 } }
            << 1 + 1 * (5.0 / 10.0);
        QTest::newRow("negative lowest bound is returned as is")
            << 0.1 << std::vector<Bucket> { { -1, 5 }, { 0, 10 }, { 1, 20 }, { inf, 20 } } << -1.0;
        QTest::newRow("zero lowest bound is returned as is")
            << 0.1 << std::vector<Bucket> { { 0, 5 }, { 1, 20 }, { inf, 20 } } << 0.0;
        QTest::newRow("interpolation from a negative bucket")
            << 0.5 << std::vector<Bucket> { { -1, 5 }, { 0, 10 }, { 1, 20 }, { inf, 20 } }
            << -1 + 1 * (5.0 / 5.0);
        QTest::newRow("empty leading buckets are skipped")
            << 0.5 << std::vector<Bucket> { { 0.1, 0 }, { 0.2, 0 }, { 0.4, 4 }, { inf, 4 } }
            << 0.2 + 0.2 * 0.5;
    }

    void bucketQuantile()
    {
        QFETCH(double, q);
        QFETCH(std::vector<Bucket>, buckets);
        QFETCH(double, expected);
        const double actual = qc::metrics::bucketQuantile(q, buckets);
        QVERIFY2(sameDouble(actual, expected),
            qPrintable(u"got "_s % QString::number(actual, 'g', 17) % u", expected "_s
                % QString::number(expected, 'g', 17)));
    }

    void counterIncrease_data()
    {
        QTest::addColumn<double>("previous");
        QTest::addColumn<double>("current");
        QTest::addColumn<double>("expected");
        QTest::newRow("growth") << 10.0 << 15.0 << 5.0;
        QTest::newRow("unchanged") << 10.0 << 10.0 << 0.0;
        QTest::newRow("reset counts from zero") << 100.0 << 7.0 << 7.0;
        QTest::newRow("reset to zero") << 100.0 << 0.0 << 0.0;
    }

    void counterIncrease()
    {
        QFETCH(double, previous);
        QFETCH(double, current);
        QFETCH(double, expected);
        QCOMPARE(qc::metrics::counterIncrease(previous, current), expected);
    }

    void ratesAcrossScrapes()
    {
        const MetricFamily before = family("# TYPE d counter\n"
                                           "d{decision=\"allow\"} 100\n"
                                           "d{decision=\"deny\"} 50\n"
                                           "d{decision=\"gone\"} 1\n");
        const MetricFamily after = family("# TYPE d counter\n"
                                          "d{decision=\"allow\"} 160\n"
                                          "d{decision=\"deny\"} 30\n" // restarted: 30 new ones
                                          "d{decision=\"new\"} 5\n");
        const std::vector<SeriesValue> perSecond = rates(before, after, 10);
        QCOMPARE(perSecond.size(), std::size_t(2));
        QCOMPARE(labelValue(perSecond[0].labels, u"decision"), u"allow"_s);
        QCOMPARE(perSecond[0].value, 6.0);
        QCOMPARE(labelValue(perSecond[1].labels, u"decision"), u"deny"_s);
        QCOMPARE(perSecond[1].value, 3.0);
        QVERIFY(rates(before, after, 0).empty());
    }

    void sumAcrossInstances()
    {
        const MetricFamily a = family(
            "d{decision=\"allow\",endpoint=\"/x\"} 1\nd{decision=\"deny\",endpoint=\"/x\"} 2\n");
        const MetricFamily b = family(
            "d{decision=\"allow\",endpoint=\"/x\"} 10\nd{decision=\"allow\",endpoint=\"/y\"} 20\n");
        std::vector<SeriesValue> all = seriesValues(a, u"instance"_s, u"api-1:9100"_s);
        for (SeriesValue& value : seriesValues(b, u"instance"_s, u"api-2:9100"_s))
            all.push_back(std::move(value));
        QCOMPARE(all.size(), std::size_t(4));
        QCOMPARE(labelValue(all[0].labels, u"instance"), u"api-1:9100"_s);
        QCOMPARE(all[0].labels.front().first, u"decision"_s); // still sorted
        const std::vector<SeriesValue> summed = sumWithout(all);
        QCOMPARE(summed.size(), std::size_t(3));
        QCOMPARE(summed[0].value, 11.0);
        QCOMPARE(labelValue(summed[0].labels, u"instance"), QString());
        QCOMPARE(summed[1].value, 2.0);
        QCOMPARE(summed[2].value, 20.0);
        QCOMPARE(labelValue(summed[2].labels, u"endpoint"), u"/y"_s);
    }

    void p95FromBucketDeltas()
    {
        // Two endpoints; between the scrapes /a saw 100 checks, /b restarted and saw 20.
        const MetricFamily before
            = family("# TYPE quota_check_duration_seconds histogram\n"
                     "quota_check_duration_seconds_bucket{endpoint=\"/a\",le=\"0.05\"} 1000\n"
                     "quota_check_duration_seconds_bucket{endpoint=\"/a\",le=\"0.1\"} 1500\n"
                     "quota_check_duration_seconds_bucket{endpoint=\"/a\",le=\"0.2\"} 1600\n"
                     "quota_check_duration_seconds_bucket{endpoint=\"/a\",le=\"+Inf\"} 1600\n"
                     "quota_check_duration_seconds_bucket{endpoint=\"/b\",le=\"0.05\"} 500\n"
                     "quota_check_duration_seconds_bucket{endpoint=\"/b\",le=\"0.1\"} 900\n"
                     "quota_check_duration_seconds_bucket{endpoint=\"/b\",le=\"0.2\"} 950\n"
                     "quota_check_duration_seconds_bucket{endpoint=\"/b\",le=\"+Inf\"} 1000\n");
        const MetricFamily after
            = family("# TYPE quota_check_duration_seconds histogram\n"
                     "quota_check_duration_seconds_bucket{endpoint=\"/a\",le=\"0.05\"} 1050\n"
                     "quota_check_duration_seconds_bucket{endpoint=\"/a\",le=\"0.1\"} 1580\n"
                     "quota_check_duration_seconds_bucket{endpoint=\"/a\",le=\"0.2\"} 1700\n"
                     "quota_check_duration_seconds_bucket{endpoint=\"/a\",le=\"+Inf\"} 1700\n"
                     "quota_check_duration_seconds_bucket{endpoint=\"/b\",le=\"0.05\"} 0\n"
                     "quota_check_duration_seconds_bucket{endpoint=\"/b\",le=\"0.1\"} 0\n"
                     "quota_check_duration_seconds_bucket{endpoint=\"/b\",le=\"0.2\"} 10\n"
                     "quota_check_duration_seconds_bucket{endpoint=\"/b\",le=\"+Inf\"} 20\n");
        const std::vector<SeriesValue> perEndpoint
            = quantileOverIncrease(0.95, before, after, { u"endpoint"_s });
        QCOMPARE(perEndpoint.size(), std::size_t(2));
        // /a: increases 50, 80, 100, 100 → rank 95 lies in (0.1, 0.2]: 0.1 + 0.1 * 15/20.
        QCOMPARE(perEndpoint[0].value, 0.1 + 0.1 * (15.0 / 20.0));
        // /b: after the reset the new counts are the increases: 0, 0, 10, 20 → rank 19 in +Inf.
        QCOMPARE(perEndpoint[1].value, 0.2);
        // Both together: 50, 80, 110, 120 → rank 114 in +Inf → 0.2.
        const std::vector<SeriesValue> overall = quantileOverIncrease(0.95, before, after);
        QCOMPARE(overall.size(), std::size_t(1));
        QCOMPARE(overall[0].value, 0.2);
        QCOMPARE(quantileOverIncrease(0.5, before, after)[0].value, 0.05 + 0.05 * (10.0 / 30.0));
    }

    void histogramIncreaseKeepsSumAndCount()
    {
        const MetricFamily before = family("# TYPE h histogram\nh_bucket{le=\"1\"} "
                                           "2\nh_bucket{le=\"+Inf\"} 3\nh_sum 1.5\nh_count 3\n");
        const MetricFamily after = family("# TYPE h histogram\nh_bucket{le=\"1\"} "
                                          "4\nh_bucket{le=\"+Inf\"} 7\nh_sum 4\nh_count 7\n");
        const std::vector<HistogramSeries> delta = histogramIncrease(before, after);
        QCOMPARE(delta.size(), std::size_t(1));
        QCOMPARE(delta[0].buckets.size(), std::size_t(2));
        QCOMPARE(delta[0].buckets[0].count, 2.0);
        QCOMPARE(delta[0].buckets[1].count, 4.0);
        QCOMPARE(delta[0].sum, std::optional<double>(2.5));
        QCOMPARE(delta[0].count, std::optional<double>(4));
    }
};

QTEST_GUILESS_MAIN(TestQuantile)
#include "tst_quantile.moc"
