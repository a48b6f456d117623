#include "reportexport.h"

#include "enforcement/headers.h"
#include "policy/policyjson.h"
#include "svgchart_p.h"
#include "sweep.h"

#include <QMap>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace qc::simulation {

namespace {

const QString kBaselineColor = u"#4a6fa5"_s;
const QString kCandidateColor = u"#d9822b"_s;

QString esc(const QString& text)
{
    return text.toHtmlEscaped();
}

QString grouped(std::uint64_t value)
{
    QString digits = QString::number(value);
    for (qsizetype i = digits.size() - 3; i > 0; i -= 3)
        digits.insert(i, u',');
    return digits;
}

QString pct(double value)
{
    return QString::number(value, 'f', 2) % u" %"_s;
}

QString pctOf(std::uint64_t part, std::uint64_t whole)
{
    return whole == 0 ? u"0.00 %"_s
                      : pct(100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

QString usd(enforcement::MicroUsd value)
{
    return u"$"_s % policy::formatUsd(value);
}

QString timestamp(enforcement::TimeMs ts)
{
    return QString::fromStdString(enforcement::formatTimestamp(ts));
}

QString nameOrNone(const QString& name)
{
    return name.isEmpty() ? u"(none)"_s : name;
}

const char* const kStyle = R"(
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; font-size: 10.5pt; color: #222;
       margin: 24px auto; max-width: 800px; }
h1 { font-size: 17pt; margin: 0 0 4px 0; }
h2 { font-size: 13pt; margin: 22px 0 6px 0; border-bottom: 1px solid #bbb; padding-bottom: 2px; }
h3 { font-size: 11pt; margin: 14px 0 4px 0; }
table { border-collapse: collapse; margin: 4px 0 10px 0; }
th, td { padding: 2px 8px; border-bottom: 1px solid #e3e3e3; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.meta td { border: none; padding: 1px 8px 1px 0; }
.verdict { padding: 6px 10px; margin: 10px 0; border: 2px solid; }
.broken { border-color: #b3261e; color: #b3261e; }
.kept { border-color: #2e7d32; color: #2e7d32; }
.warning { color: #8a5a00; }
.figures td { border: 1px solid #ddd; padding: 6px 10px; }
.figures .v { font-size: 14pt; font-weight: bold; }
svg.chart { display: block; max-width: 100%; height: auto; margin: 6px 0; }
section, table, svg { page-break-inside: avoid; }
@media print { body { margin: 0; max-width: none; } h2 { page-break-after: avoid; } }
)";

class Page {
public:
    explicit Page(const HtmlOptions& options)
        : m_options(options)
    {
    }

    void chart(const QString& svg, int width, int height)
    {
        m_page.charts.push_back(svg);
        if (m_options.inlineCharts) {
            m_body += svg % u'\n';
        } else {
            m_body += u"<p><img src=\"qc-chart:"_s % QString::number(m_page.charts.size() - 1)
                % u"\" width=\""_s % QString::number(width) % u"\" height=\""_s
                % QString::number(height) % u"\" alt=\"chart\"></p>\n"_s;
        }
    }
    QString& body() { return m_body; }

    HtmlPage finish()
    {
        m_page.html = u"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"_s
                      u"<meta name=\"generator\" content=\"Quota Console\"><title>"_s
            % esc(m_options.title) % u"</title><style>"_s % QString::fromLatin1(kStyle)
            % u"</style></head>\n<body>\n"_s % m_body % u"</body></html>\n"_s;
        return std::move(m_page);
    }

private:
    const HtmlOptions& m_options;
    QString m_body;
    HtmlPage m_page;
};

int heightOfBars(qsizetype bars)
{
    return 30 + 20 * static_cast<int>(std::max<qsizetype>(1, bars)) + 10;
}

void header(Page& page, const HtmlOptions& options, const QString& baseline,
    const QString& candidate, const QString& span, const QString& requests)
{
    QString& b = page.body();
    b += u"<h1>"_s % esc(options.title) % u"</h1>\n<table class=\"meta\">"_s;
    const auto meta = [&b](const QString& label, const QString& value) {
        if (!value.isEmpty())
            b += u"<tr><td>"_s % esc(label) % u"</td><td>"_s % esc(value) % u"</td></tr>"_s;
    };
    meta(u"Generated"_s, options.generatedAt);
    meta(u"Traffic"_s, options.source);
    meta(u"Time span"_s, span);
    meta(u"Requests"_s, requests);
    meta(u"Baseline"_s, baseline);
    meta(u"Candidate"_s, candidate);
    b += u"</table>\n"_s;
    if (!options.condition.isEmpty()) {
        b += u"<div class=\"verdict "_s % (options.conditionBroken ? u"broken"_s : u"kept"_s)
            % u"\">"_s % (options.conditionBroken ? u"Budget broken: "_s : u"Budget kept: "_s)
            % u"<code>"_s % esc(options.condition) % u"</code>"_s
            % (options.conditionValues.isEmpty() ? QString()
                                                 : u" ("_s % esc(options.conditionValues) % u')')
            % u"</div>\n"_s;
    }
}

void namedTable(QString& b, const QString& title, const QString& column,
    const QList<NamedCount>& counts, std::uint64_t total)
{
    b += u"<h3>"_s % esc(title) % u"</h3>"_s;
    if (counts.isEmpty()) {
        b += u"<p>none</p>\n"_s;
        return;
    }
    b += u"<table><tr><th>"_s % esc(column)
        % u"</th><th class=\"n\">requests</th>"_s
          u"<th class=\"n\">share</th></tr>"_s;
    for (const NamedCount& entry : counts)
        b += u"<tr><td>"_s % esc(nameOrNone(entry.name)) % u"</td><td class=\"n\">"_s
            % grouped(entry.count) % u"</td><td class=\"n\">"_s % pctOf(entry.count, total)
            % u"</td></tr>"_s;
    b += u"</table>\n"_s;
}

void barChart(Page& page, const QString& title, const QList<NamedCount>& counts,
    const QString& color, int limit = 12)
{
    svg::BarChart chart;
    chart.title = title;
    chart.color = color;
    for (const NamedCount& entry : counts.mid(0, limit))
        chart.bars.push_back(
            { nameOrNone(entry.name), static_cast<double>(entry.count), grouped(entry.count) });
    page.chart(svg::render(chart), chart.width, heightOfBars(chart.bars.size()));
}

void changeSection(Page& page, const QString& title, const ChangeBreakdown& change,
    const QString& reasonOf, const QString& color)
{
    QString& b = page.body();
    b += u"<section><h2>"_s % esc(title) % u": "_s % grouped(change.total) % u"</h2>\n"_s;
    if (change.total == 0) {
        b += u"<p>none</p></section>\n"_s;
        return;
    }
    barChart(page, title % u" by reason ("_s % reasonOf % u')', change.byReason, color);
    barChart(page, title % u" by plan"_s, change.byPlan, color);
    barChart(page, title % u" by endpoint"_s, change.byEndpoint, color);
    namedTable(b, u"By rule ("_s % reasonOf % u")"_s, u"rule"_s, change.byRule, change.total);
    namedTable(b, u"By plan"_s, u"plan"_s, change.byPlan, change.total);
    namedTable(b, u"By endpoint"_s, u"endpoint"_s, change.byEndpoint, change.total);
    namedTable(b, u"Most affected clients"_s, u"client"_s, change.topClients, change.total);
    namedTable(b, u"Most affected users"_s, u"user"_s, change.topUsers, change.total);
    b += u"</section>\n"_s;
}

QString bucketLabel(enforcement::TimeMs start, enforcement::TimeMs bucketMs, bool multiDay)
{
    const QString full = timestamp(start); // 2026-01-05T14:05:00.000Z
    if (bucketMs < enforcement::kHour && !multiDay)
        return full.mid(11, 5);
    return full.mid(5, 5) % u' ' % full.mid(11, 5);
}

void sweepSection(Page& page, const SweepResult& sweep)
{
    QString& b = page.body();
    b += u"<section><h2>Sweep of "_s % esc(sweep.parameter.path()) % u"</h2>\n"_s;
    b += u"<p>"_s % grouped(sweep.points.size()) % u" values, one run each, over "_s
        % grouped(sweep.reportedRequests) % u" requests: "_s % grouped(sweep.legitimateRequests)
        % u" legitimate, "_s % grouped(sweep.abusiveRequests) % u" abusive (from "_s
        % grouped(sweep.abusiveClients) % u" clients and "_s % grouped(sweep.abusiveUsers)
        % u" users that raised abuse incidents under the baseline). The candidate has "_s
        % esc(sweep.parameter.formatValue(sweep.candidateValue)) % u".</p>\n"_s;
    svg::LineChart chart;
    chart.title = u"Trade-off: "_s % sweep.parameter.path();
    chart.xTitle = sweep.parameter.path();
    chart.leftTitle = u"% of legitimate / abusive requests"_s;
    chart.rightTitle = u"cost admitted (USD)"_s;
    svg::Series legitimate { u"legitimate denied %"_s, kBaselineColor, {} };
    svg::Series abusive { u"abusive admitted %"_s, kCandidateColor, {} };
    abusive.dashed = true;
    svg::Series cost { u"cost admitted"_s, u"#6a8f3a"_s, {} };
    cost.rightAxis = true;
    for (const SweepPoint& p : sweep.points) {
        chart.xLabels.push_back(p.valueText);
        legitimate.values.push_back(p.legitimateDeniedPct);
        abusive.values.push_back(p.abusiveAdmittedPct);
        cost.values.push_back(static_cast<double>(p.costAdmitted) / 1e6);
    }
    chart.series = { legitimate, abusive, cost };
    page.chart(svg::render(chart), chart.width, chart.height);

    b += u"<table><tr><th>value</th><th class=\"n\">denied</th><th class=\"n\">legitimate "_s
         u"denied</th><th class=\"n\">abusive admitted</th><th class=\"n\">cost admitted</th>"_s
         u"<th class=\"n\">newly denied</th><th class=\"n\">paid newly denied</th></tr>"_s;
    const auto row = [&b](const QString& label, const SweepPoint& p) {
        b += u"<tr><td>"_s % esc(label) % u"</td><td class=\"n\">"_s % grouped(p.denied)
            % u"</td><td class=\"n\">"_s % grouped(p.legitimateDenied) % u" ("_s
            % pct(p.legitimateDeniedPct) % u")</td><td class=\"n\">"_s % grouped(p.abusiveAdmitted)
            % u" ("_s % pct(p.abusiveAdmittedPct) % u")</td><td class=\"n\">"_s
            % usd(p.costAdmitted) % u"</td><td class=\"n\">"_s % grouped(p.newlyDenied)
            % u"</td><td class=\"n\">"_s % grouped(p.paidNewlyDenied) % u" ("_s
            % pct(p.paidDeniedPct) % u")</td></tr>"_s;
    };
    row(u"baseline"_s, sweep.baseline);
    for (const SweepPoint& p : sweep.points)
        row(p.valueText, p);
    b += u"</table>\n"_s;
    for (const QString& warning : sweep.warnings)
        b += u"<p class=\"warning\">Warning: "_s % esc(warning) % u"</p>\n"_s;
    b += u"<p>Legitimate and abusive traffic are defined in docs/simulation.md (Sweeps).</p>"_s
         u"</section>\n"_s;
}

} // namespace

HtmlPage toHtml(const Report& report, const HtmlOptions& options, const SweepResult* sweep)
{
    Page page(options);
    QString& b = page.body();
    const PolicyTotals& base = report.baseline;
    const PolicyTotals& cand = report.candidate;
    QString requests = grouped(report.traceRequests);
    if (report.warmupRequests > 0 || report.warmupMs > 0)
        requests += u" ("_s % grouped(report.warmupRequests) % u" in the "_s
            % policy::formatDuration(report.warmupMs) % u" warm-up, "_s
            % grouped(report.reportedRequests) % u" reported)"_s;
    header(page, options, base.name, cand.name,
        report.traceRequests == 0
            ? QString()
            : timestamp(report.traceStart) % u" to "_s % timestamp(report.traceEnd),
        requests);
    if (report.cancelled) {
        b += u"<p>The simulation was cancelled; there is no report.</p>\n"_s;
        return page.finish();
    }

    b += u"<section><h2>Summary</h2><table class=\"figures\"><tr>"_s;
    const auto figure = [&b](const QString& label, const QString& value, const QString& note) {
        b += u"<td><div>"_s % esc(label) % u"</div><div class=\"v\">"_s % esc(value)
            % u"</div><div>"_s % esc(note) % u"</div></td>"_s;
    };
    figure(u"Newly denied"_s, grouped(report.newlyDenied.total),
        pctOf(report.newlyDenied.total, report.reportedRequests) % u" of requests"_s);
    figure(u"Newly admitted"_s, grouped(report.newlyAdmitted.total),
        pctOf(report.newlyAdmitted.total, report.reportedRequests) % u" of requests"_s);
    figure(u"Paying customers newly denied"_s, grouped(report.paidNewlyDenied),
        pct(report.paidDeniedPct) % u" of "_s % grouped(report.paidRequests) % u" paid"_s);
    figure(u"Cost saved"_s, usd(report.costSaved),
        usd(base.costAdmitted) % u" → "_s % usd(cand.costAdmitted));
    if (report.fidelity.available)
        figure(u"Fidelity"_s, pct(report.fidelity.agreementPct),
            grouped(report.fidelity.agreed) % u" of "_s % grouped(report.fidelity.compared)
                % u" recorded"_s);
    b += u"</tr></table></section>\n"_s;

    if (!options.policyChanges.isEmpty()) {
        b += u"<section><h2>Candidate vs baseline</h2><ul>"_s;
        for (const QString& change : options.policyChanges)
            b += u"<li><code>"_s % esc(change) % u"</code></li>"_s;
        b += u"</ul></section>\n"_s;
    }

    b += u"<section><h2>Totals</h2><table><tr><th></th><th class=\"n\">baseline</th>"_s
         u"<th class=\"n\">candidate</th></tr>"_s;
    const auto totalRow = [&b](const QString& label, const QString& x, const QString& y) {
        b += u"<tr><td>"_s % esc(label) % u"</td><td class=\"n\">"_s % esc(x)
            % u"</td><td class=\"n\">"_s % esc(y) % u"</td></tr>"_s;
    };
    totalRow(u"requests"_s, grouped(base.requests), grouped(cand.requests));
    totalRow(u"allowed"_s, grouped(base.allowed), grouped(cand.allowed));
    totalRow(u"denied"_s, grouped(base.denied) % u" ("_s % pctOf(base.denied, base.requests) % u')',
        grouped(cand.denied) % u" ("_s % pctOf(cand.denied, cand.requests) % u')');
    svg::PairedBars reasons;
    reasons.title = u"Decisions by reason"_s;
    reasons.firstName = u"baseline"_s;
    reasons.secondName = u"candidate"_s;
    for (int r = 0; r < enforcement::kReasonCount; ++r) {
        const auto i = static_cast<std::size_t>(r);
        if (base.byReason[i] == 0 && cand.byReason[i] == 0)
            continue;
        const QString name
            = QString::fromLatin1(enforcement::toString(static_cast<enforcement::Reason>(r)));
        totalRow(u"  "_s % name, grouped(base.byReason[i]), grouped(cand.byReason[i]));
        reasons.categories.push_back(name);
        reasons.first.push_back(static_cast<double>(base.byReason[i]));
        reasons.second.push_back(static_cast<double>(cand.byReason[i]));
    }
    totalRow(u"cost admitted"_s, usd(base.costAdmitted), usd(cand.costAdmitted));
    totalRow(u"idempotency collisions"_s, grouped(base.collisions), grouped(cand.collisions));
    totalRow(u"abuse incidents"_s, grouped(base.incidents), grouped(cand.incidents));
    b += u"</table>\n"_s;
    page.chart(svg::render(reasons), reasons.width,
        44 + 30 * std::max<int>(1, static_cast<int>(reasons.categories.size())) + 10);
    b += u"</section>\n"_s;

    if (!report.timeSeries.isEmpty()) {
        b += u"<section><h2>Denials over time</h2>\n"_s;
        svg::LineChart chart;
        const bool hourly = report.bucketMs >= enforcement::kHour;
        chart.title
            = hourly ? u"Requests and denials per hour"_s : u"Requests and denials per minute"_s;
        chart.leftTitle = hourly ? u"requests per hour"_s : u"requests per minute"_s;
        chart.xTitle = u"UTC"_s;
        const bool multiDay
            = report.timeSeries.constLast().start - report.timeSeries.constFirst().start
            >= enforcement::kDay;
        svg::Series requestsSeries { u"requests"_s, u"#9e9e9e"_s, {} };
        requestsSeries.area = true;
        svg::Series baselineSeries { u"baseline denied"_s, kBaselineColor, {} };
        svg::Series candidateSeries { u"candidate denied"_s, kCandidateColor, {} };
        candidateSeries.dashed = true;
        for (const TimeBucket& bucket : report.timeSeries) {
            chart.xLabels.push_back(bucketLabel(bucket.start, report.bucketMs, multiDay));
            requestsSeries.values.push_back(static_cast<double>(bucket.requests));
            baselineSeries.values.push_back(static_cast<double>(bucket.baselineDenied));
            candidateSeries.values.push_back(static_cast<double>(bucket.candidateDenied));
        }
        chart.series = { requestsSeries, baselineSeries, candidateSeries };
        page.chart(svg::render(chart), chart.width, chart.height);
        b += u"</section>\n"_s;
    }

    changeSection(
        page, u"Newly denied"_s, report.newlyDenied, u"the candidate's"_s, kCandidateColor);
    b += u"<p>Paying customers: "_s % grouped(report.paidNewlyDenied) % u" of "_s
        % grouped(report.paidRequests) % u" requests on paid plans newly denied ("_s
        % pct(report.paidDeniedPct) % u").</p>\n"_s;
    changeSection(
        page, u"Newly admitted"_s, report.newlyAdmitted, u"the baseline's"_s, kBaselineColor);

    b += u"<section><h2>Alerts that would fire</h2>\n"_s;
    if (report.alerts.isEmpty()) {
        b += u"<p>none</p>\n"_s;
    } else {
        b += u"<table><tr><th>policy</th><th>alert</th><th>condition</th><th>first minute</th>"_s
             u"<th class=\"n\">minutes</th><th class=\"n\">peak</th></tr>"_s;
        for (const AlertFiring& alert : report.alerts)
            b += u"<tr><td>"_s % esc(alert.policy) % u"</td><td>"_s % esc(alert.rule)
                % u"</td><td>"_s % esc(alert.condition) % u"</td><td>"_s
                % timestamp(alert.firstMinute) % u"</td><td class=\"n\">"_s % grouped(alert.minutes)
                % u"</td><td class=\"n\">"_s % QString::number(alert.peak, 'f', 1)
                % u"</td></tr>"_s;
        b += u"</table>\n"_s;
    }
    b += u"</section>\n"_s;

    if (report.fidelity.available) {
        const Fidelity& f = report.fidelity;
        b += u"<section><h2>Fidelity</h2><p>The baseline agrees with "_s % pct(f.agreementPct)
            % u" of the "_s % grouped(f.compared) % u" decisions recorded live ("_s
            % grouped(f.compared - f.agreed) % u" disagree).</p>\n"_s;
        if (!f.disagreements.isEmpty()) {
            b += u"<table><tr><th class=\"n\">#</th><th>request</th><th>recorded</th>"_s
                 u"<th>simulated</th></tr>"_s;
            const auto text = [](const DecisionText& d) {
                QString t = (d.allowed ? u"allowed"_s : u"denied"_s);
                if (d.status != 0)
                    t += u' ' % QString::number(d.status);
                if (!d.reason.isEmpty())
                    t += u' ' % d.reason;
                if (!d.rule.isEmpty())
                    t += u" ("_s % d.rule % u')';
                return t;
            };
            for (const Disagreement& d : f.disagreements)
                b += u"<tr><td class=\"n\">"_s % QString::number(d.index) % u"</td><td>"_s
                    % esc(d.requestId) % u"</td><td>"_s % esc(text(d.recorded)) % u"</td><td>"_s
                    % esc(text(d.simulated)) % u"</td></tr>"_s;
            b += u"</table>\n"_s;
        }
        b += u"</section>\n"_s;
    }
    if (sweep)
        sweepSection(page, *sweep);
    if (!report.warnings.isEmpty()) {
        b += u"<section><h2>Warnings</h2>"_s;
        for (const QString& warning : report.warnings)
            b += u"<p class=\"warning\">"_s % esc(warning) % u"</p>"_s;
        b += u"</section>\n"_s;
    }
    return page.finish();
}

HtmlPage toHtml(const SweepResult& sweep, const HtmlOptions& options)
{
    Page page(options);
    header(page, options, sweep.baselineName, sweep.candidateName, QString(),
        grouped(sweep.traceRequests));
    if (sweep.cancelled)
        page.body() += u"<p>The sweep was cancelled; there is no result.</p>\n"_s;
    else if (!sweep.error.isEmpty())
        page.body() += u"<p>The sweep could not run: "_s % esc(sweep.error) % u"</p>\n"_s;
    else
        sweepSection(page, sweep);
    return page.finish();
}

namespace {

QByteArray csvCell(const QString& text)
{
    QByteArray utf8 = text.toUtf8();
    if (utf8.contains(',') || utf8.contains('"') || utf8.contains('\n') || utf8.contains('\r')) {
        utf8.replace("\"", "\"\"");
        return '"' + utf8 + '"';
    }
    return utf8;
}

} // namespace

QByteArray affectedIdentifiersCsv(const Report& report)
{
    struct Row {
        std::uint64_t denied = 0;
        std::uint64_t admitted = 0;
    };
    QMap<std::pair<QString, QString>, Row> rows; // (kind, identifier)
    for (const NamedCount& c : report.newlyDenied.topClients)
        rows[{ u"client"_s, c.name }].denied += c.count;
    for (const NamedCount& c : report.newlyDenied.topUsers)
        rows[{ u"user"_s, c.name }].denied += c.count;
    for (const NamedCount& c : report.newlyAdmitted.topClients)
        rows[{ u"client"_s, c.name }].admitted += c.count;
    for (const NamedCount& c : report.newlyAdmitted.topUsers)
        rows[{ u"user"_s, c.name }].admitted += c.count;
    std::vector<std::pair<std::pair<QString, QString>, Row>> sorted;
    for (auto it = rows.cbegin(); it != rows.cend(); ++it)
        sorted.emplace_back(it.key(), it.value());
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
        if (a.second.denied != b.second.denied)
            return a.second.denied > b.second.denied;
        return a.second.admitted > b.second.admitted;
    });
    QByteArray out = "kind,identifier,newly_denied,newly_admitted\n";
    for (const auto& [key, row] : sorted)
        out += csvCell(key.first) + ',' + csvCell(key.second) + ','
            + QByteArray::number(static_cast<qulonglong>(row.denied)) + ','
            + QByteArray::number(static_cast<qulonglong>(row.admitted)) + '\n';
    return out;
}

void limitTopLists(Report& report, int topN)
{
    const qsizetype n = std::max(0, topN);
    for (ChangeBreakdown* change : { &report.newlyDenied, &report.newlyAdmitted }) {
        if (change->topClients.size() > n)
            change->topClients.resize(n);
        if (change->topUsers.size() > n)
            change->topUsers.resize(n);
    }
}

} // namespace qc::simulation
