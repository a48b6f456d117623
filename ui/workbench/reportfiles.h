#pragma once

#include "simulation/report.h"
#include "simulation/reportexport.h"
#include "simulation/sweep.h"

#include <QString>

#include <optional>

namespace qc::workbench {

/// What the Simulate page exports: the report (and the sweep, if one ran) as a self-contained
/// HTML page or a PDF of the same page with its charts, and the affected identifiers as CSV.
/// Each function writes one file and returns an error a person can act on, empty on success.
/// They use no widget and may run on a worker thread.
struct ReportFiles {
    std::optional<simulation::Report> report; // every identifier kept (for the CSV)
    std::optional<simulation::SweepResult> sweep;
    simulation::HtmlOptions html; // title, time, source, policy changes
    int topN = 20; // identifiers listed in the HTML and PDF

    QString writeHtml(const QString& fileName) const;
    /// The page as PDF (A4), laid out by QTextDocument; each chart is rendered from its SVG.
    QString writePdf(const QString& fileName) const;
    QString writeCsv(const QString& fileName) const;

    /// The page as written by writeHtml (inlineCharts) or for QTextDocument (not inline).
    simulation::HtmlPage page(bool inlineCharts) const;
};

} // namespace qc::workbench
