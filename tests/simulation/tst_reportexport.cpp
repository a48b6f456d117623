// The HTML report (self-contained, charts drawn as SVG, the report's numbers) and the CSV of
// affected identifiers.

#include "simulation/reportexport.h"
#include "simulation/sweep.h"
#include "simulationtesting.h"

#include <QRegularExpression>
#include <QTest>
#include <QXmlStreamReader>

#include <map>

using namespace Qt::StringLiterals;
using namespace qc;

namespace {

QString grouped(std::uint64_t value)
{
    QString digits = QString::number(value);
    for (qsizetype i = digits.size() - 3; i > 0; i -= 3)
        digits.insert(i, u',');
    return digits;
}

enforcement::Policy lowerLimits()
{
    enforcement::Policy policy = policy::defaultPolicy();
    for (enforcement::Rule& rule : policy.rules) {
        if (rule.id == "ip_per_minute")
            rule.limit = 5;
    }
    return policy;
}

struct Fixture {
    trace::Trace trace = simtest::generatedTrace(30);
    simulation::Report report;

    explicit Fixture(int topN = 20)
    {
        simulation::Options options;
        options.topN = topN;
        report = simulation::simulate(policy::defaultPolicy(), lowerLimits(), trace, options);
    }
};

// Every <svg> of the page, which must be well-formed XML on its own.
QStringList svgs(const QString& html)
{
    QStringList out;
    qsizetype at = 0;
    while ((at = html.indexOf(u"<svg"_s, at)) >= 0) {
        const qsizetype end = html.indexOf(u"</svg>"_s, at);
        if (end < 0)
            break;
        out.push_back(html.mid(at, end + 6 - at));
        at = end;
    }
    return out;
}

bool wellFormed(const QString& xml, QString* error)
{
    QXmlStreamReader reader(xml);
    while (!reader.atEnd())
        reader.readNext();
    if (reader.hasError())
        *error = reader.errorString() % u" at "_s % QString::number(reader.characterOffset());
    return !reader.hasError();
}

} // namespace

class TestReportExport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void htmlHasTheNumbersAndCharts();
    void htmlIsSelfContainedAndEscaped();
    void chartsAsResourcesForQTextDocument();
    void sweepPageHasTheTradeOffChart();
    void csvListsEveryAffectedIdentifier();
};

void TestReportExport::htmlHasTheNumbersAndCharts()
{
    const Fixture f;
    const simulation::Report& r = f.report;
    QVERIFY(r.newlyDenied.total > 0);
    simulation::HtmlOptions options;
    options.source = u"trace.csv"_s;
    options.policyChanges = { u"rules[ip_per_minute].limit: 20 → 5"_s };
    options.condition = u"paid_denied_pct > 0.5"_s;
    options.conditionBroken = true;
    options.conditionValues = u"paid_denied_pct = 3.2"_s;
    const simulation::HtmlPage page = simulation::toHtml(r, options);
    const QString& html = page.html;

    QVERIFY(html.startsWith(u"<!DOCTYPE html>"_s));
    QVERIFY(html.contains(u"Newly denied: "_s % grouped(r.newlyDenied.total)));
    QVERIFY(html.contains(u"Newly admitted: "_s % grouped(r.newlyAdmitted.total)));
    QVERIFY(html.contains(grouped(r.baseline.denied)));
    QVERIFY(html.contains(grouped(r.candidate.denied)));
    QVERIFY(html.contains(u"$"_s % policy::formatUsd(r.costSaved)));
    QVERIFY(html.contains(QString::number(r.paidDeniedPct, 'f', 2) % u" %"_s));
    QVERIFY(html.contains(u"rules[ip_per_minute].limit: 20 → 5"_s));
    QVERIFY(html.contains(u"Budget broken"_s));
    QVERIFY(html.contains(u"paid_denied_pct = 3.2"_s));
    for (const simulation::NamedCount& c : r.newlyDenied.topClients.mid(0, 5))
        QVERIFY2(html.contains(u"<td>"_s % c.name % u"</td>"_s), qPrintable(c.name));
    for (const simulation::NamedCount& c : r.newlyDenied.byEndpoint)
        QVERIFY2(html.contains(c.name.toHtmlEscaped()), qPrintable(c.name));

    // Charts: the time series with both policies' denials, bars by reason, plan and endpoint.
    const QStringList charts = svgs(html);
    QCOMPARE(charts, page.charts);
    QVERIFY(charts.size() >= 5);
    for (const QString& svg : charts) {
        QString error;
        QVERIFY2(wellFormed(svg, &error), qPrintable(error));
    }
    const auto chart = [&](const QString& title) {
        for (const QString& svg : charts) {
            if (svg.contains(u"<title>"_s % title % u"</title>"_s))
                return svg;
        }
        return QString();
    };
    const QString timeSeries = chart(u"Requests and denials per minute"_s);
    QVERIFY(!timeSeries.isEmpty());
    for (const QString& series : { u"requests"_s, u"baseline denied"_s, u"candidate denied"_s })
        QVERIFY2(timeSeries.contains(u"data-series=\""_s % series % u'"'), qPrintable(series));
    // One point per bucket: "M x,y" then an " L x,y" per further bucket.
    const QRegularExpression candidatePath(u"data-series=\"candidate denied\" d=\"([^\"]+)\""_s);
    const auto match = candidatePath.match(timeSeries);
    QVERIFY(match.hasMatch());
    QCOMPARE(match.captured(1).count(u'L') + 1, r.timeSeries.size());
    const QString byReason = chart(u"Newly denied by reason (the candidate's)"_s);
    QVERIFY(!byReason.isEmpty());
    QCOMPARE(byReason.count(u"class=\"bar\""_s), r.newlyDenied.byReason.size());
    QVERIFY(byReason.contains(u">"_s % grouped(r.newlyDenied.byReason.at(0).count) % u"<"_s));
    QVERIFY(!chart(u"Newly denied by plan"_s).isEmpty());
    QVERIFY(!chart(u"Decisions by reason"_s).isEmpty());
}

void TestReportExport::htmlIsSelfContainedAndEscaped()
{
    Fixture f;
    f.report.newlyDenied.byEndpoint.push_front({ u"/api/<script>alert(1)</script>"_s, 3 });
    f.report.warnings.push_back(u"a & b <c>"_s);
    simulation::HtmlOptions options;
    options.title = u"Q&A <test>"_s;
    const QString html = simulation::toHtml(f.report, options).html;
    QVERIFY(!html.contains(u"<script"_s, Qt::CaseInsensitive));
    QVERIFY(html.contains(u"&lt;script&gt;"_s));
    QVERIFY(html.contains(u"a &amp; b &lt;c&gt;"_s));
    QVERIFY(html.contains(u"<title>Q&amp;A &lt;test&gt;</title>"_s));
    // Nothing to fetch: no links to files or the network, no scripts, no external styles.
    for (const QString& outside :
        { u"src=\"http"_s, u"href=\"http"_s, u"<link"_s, u"@import"_s, u"url("_s })
        QVERIFY2(!html.contains(outside), qPrintable(outside));
    QVERIFY(html.contains(u"@media print"_s));
}

void TestReportExport::chartsAsResourcesForQTextDocument()
{
    const Fixture f;
    simulation::HtmlOptions options;
    options.inlineCharts = false;
    const simulation::HtmlPage page = simulation::toHtml(f.report, options);
    QVERIFY(!page.html.contains(u"<svg"_s));
    QVERIFY(page.charts.size() >= 5);
    for (qsizetype i = 0; i < page.charts.size(); ++i) {
        QVERIFY(page.html.contains(u"<img src=\"qc-chart:"_s % QString::number(i) % u'"'));
        QVERIFY(page.charts.at(i).startsWith(u"<svg"_s));
    }
}

void TestReportExport::sweepPageHasTheTradeOffChart()
{
    const Fixture f;
    QString error;
    const auto spec = simulation::parseSweepSpec(
        u"ip_per_minute.limit=5:25:10"_s, policy::defaultPolicy(), &error);
    QVERIFY2(spec, qPrintable(error));
    const simulation::SweepResult sweep
        = simulation::sweep(policy::defaultPolicy(), policy::defaultPolicyJson(), f.trace, *spec);
    QVERIFY(sweep.ok());
    const simulation::HtmlPage page = simulation::toHtml(sweep);
    QVERIFY(page.html.contains(u"Sweep of rules[ip_per_minute].limit"_s));
    QCOMPARE(page.charts.size(), 1);
    const QString& chart = page.charts.constFirst();
    for (const QString& series :
        { u"legitimate denied %"_s, u"abusive admitted %"_s, u"cost admitted"_s })
        QVERIFY2(chart.contains(u"data-series=\""_s % series % u'"'), qPrintable(series));
    QVERIFY(chart.contains(u"cost admitted (USD)"_s)); // the right-hand axis
    for (const simulation::SweepPoint& p : sweep.points) {
        QVERIFY(page.html.contains(u"<td>"_s % p.valueText % u"</td>"_s));
        QVERIFY(page.html.contains(grouped(p.legitimateDenied)));
    }
    // The comparison page can carry the sweep too.
    QVERIFY(simulation::toHtml(f.report, {}, &sweep).html.contains(u"Trade-off"_s));
}

void TestReportExport::csvListsEveryAffectedIdentifier()
{
    const Fixture all(INT_MAX);
    const simulation::Report& r = all.report;
    const QList<QByteArray> lines = simulation::affectedIdentifiersCsv(r).split('\n');
    QCOMPARE(lines.first(), QByteArray("kind,identifier,newly_denied,newly_admitted"));
    std::map<std::pair<QString, QString>, std::pair<std::uint64_t, std::uint64_t>> expected;
    for (const auto& c : r.newlyDenied.topClients)
        expected[{ u"client"_s, c.name }].first += c.count;
    for (const auto& c : r.newlyDenied.topUsers)
        expected[{ u"user"_s, c.name }].first += c.count;
    for (const auto& c : r.newlyAdmitted.topClients)
        expected[{ u"client"_s, c.name }].second += c.count;
    for (const auto& c : r.newlyAdmitted.topUsers)
        expected[{ u"user"_s, c.name }].second += c.count;
    QVERIFY(expected.size() > 20); // more than the report's usual top 20
    QCOMPARE(static_cast<std::size_t>(lines.size() - 2), expected.size()); // header, final \n
    std::uint64_t previous = UINT64_MAX;
    std::uint64_t clientTotal = 0;
    for (qsizetype i = 1; i + 1 < lines.size(); ++i) {
        const QList<QByteArray> cells = lines.at(i).split(',');
        QCOMPARE(cells.size(), 4);
        const auto it = expected.find({ QString::fromUtf8(cells[0]), QString::fromUtf8(cells[1]) });
        QVERIFY2(it != expected.end(), lines.at(i).constData());
        QCOMPARE(cells[2].toULongLong(), it->second.first);
        QCOMPARE(cells[3].toULongLong(), it->second.second);
        QVERIFY(cells[2].toULongLong() <= previous); // most newly denied first
        previous = cells[2].toULongLong();
        if (cells[0] == "client")
            clientTotal += cells[2].toULongLong();
    }
    QCOMPARE(clientTotal, r.newlyDenied.total); // every newly denied request has a client

    simulation::Report cut = r;
    simulation::limitTopLists(cut, 20);
    QCOMPARE(cut.newlyDenied.topClients.size(),
        std::min<qsizetype>(20, r.newlyDenied.topClients.size()));
    QCOMPARE(cut.newlyDenied.topClients, r.newlyDenied.topClients.mid(0, 20));

    simulation::Report quoted;
    quoted.newlyDenied.topUsers = { { u"a,\"b\""_s, 2 } };
    QVERIFY(simulation::affectedIdentifiersCsv(quoted).contains("user,\"a,\"\"b\"\"\",2,0\n"));
}

QTEST_GUILESS_MAIN(TestReportExport)
#include "tst_reportexport.moc"
