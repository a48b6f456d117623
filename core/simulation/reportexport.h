#pragma once

#include "report.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

class QIODevice;

namespace qc::simulation {

struct SweepResult;

/// What a report page says besides the report itself.
struct HtmlOptions {
    QString title = QStringLiteral("Policy simulation");
    QString generatedAt; // e.g. "2026-01-06T09:00:00Z"; empty = left out
    QString source; // where the trace came from, e.g. "request_logs 2026-01-05 … on quota@db"
    QStringList policyChanges; // candidate vs baseline (policy::diff), one line each
    QString condition; // a --fail-if budget, empty = none
    bool conditionBroken = false;
    QString conditionValues; // ReportCondition::explain()
    /// true: charts are inline <svg> (a browser shows and prints them as they are). false: each
    /// chart is an <img src="qc-chart:N"> and its SVG text is in HtmlPage::charts[N], for
    /// QTextDocument, which does not read inline SVG (register each one as a resource).
    bool inlineCharts = true;
};

/// A self-contained, printable HTML page: no script, no external file, charts as SVG.
struct HtmlPage {
    QString html;
    QStringList charts; // the SVG of each chart, in page order
};

/// The comparison report as a page: totals side by side, newly denied and admitted by reason,
/// rule, plan and endpoint, the identifiers most affected, paid plans, cost, alerts, the time
/// series of both policies' denials, fidelity with the disagreements, warnings; and the sweep
/// when `sweep` is given.
HtmlPage toHtml(
    const Report& report, const HtmlOptions& options = {}, const SweepResult* sweep = nullptr);
/// A sweep alone: the trade-off chart (legitimate denied, abusive admitted, cost) and its table.
HtmlPage toHtml(const SweepResult& sweep, const HtmlOptions& options = {});

/// Every identifier in the report's top lists (Options::topN: run with a large topN to get
/// all of them) as CSV: kind (client | user), identifier, newly_denied, newly_admitted; most
/// newly denied first. RFC 4180 quoting.
QByteArray affectedIdentifiersCsv(const Report& report);

/// Cuts every top list of the report to `topN` entries (they are sorted already).
void limitTopLists(Report& report, int topN);

} // namespace qc::simulation
