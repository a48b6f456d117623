#include "reportfiles.h"

#include <QCoreApplication>
#include <QImage>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgRenderer>
#include <QTextDocument>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace qc::workbench {

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(qc::workbench::ReportFiles)
};

QString writeFile(const QString& fileName, const QByteArray& data)
{
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly))
        return Tr::tr("Cannot write %1: %2").arg(fileName, file.errorString());
    if (file.write(data) != data.size() || !file.commit())
        return Tr::tr("Writing %1 failed: %2").arg(fileName, file.errorString());
    return {};
}

// Charts are drawn at twice their size so that they stay sharp when printed.
constexpr int kChartScale = 3;

} // namespace

simulation::HtmlPage ReportFiles::page(bool inlineCharts) const
{
    simulation::HtmlOptions options = html;
    options.inlineCharts = inlineCharts;
    if (report) {
        simulation::Report shown = *report;
        simulation::limitTopLists(shown, topN);
        return simulation::toHtml(shown, options, sweep ? &*sweep : nullptr);
    }
    if (sweep)
        return simulation::toHtml(*sweep, options);
    return {};
}

QString ReportFiles::writeHtml(const QString& fileName) const
{
    if (!report && !sweep)
        return Tr::tr("There are no results to export yet: run the simulation first.");
    return writeFile(fileName, page(true).html.toUtf8());
}

QString ReportFiles::writeCsv(const QString& fileName) const
{
    if (report)
        return writeFile(fileName, simulation::affectedIdentifiersCsv(*report));
    if (sweep)
        return writeFile(fileName, simulation::toCsv(*sweep));
    return Tr::tr("There are no results to export yet: run the simulation first.");
}

QString ReportFiles::writePdf(const QString& fileName) const
{
    if (!report && !sweep)
        return Tr::tr("There are no results to export yet: run the simulation first.");
    const simulation::HtmlPage page = this->page(false);
    QTextDocument document;
    document.setDocumentMargin(0);
    QFont font(u"DejaVu Sans"_s);
    font.setPointSizeF(9.5);
    document.setDefaultFont(font);
    for (qsizetype i = 0; i < page.charts.size(); ++i) {
        QSvgRenderer renderer(page.charts.at(i).toUtf8());
        if (!renderer.isValid())
            return Tr::tr("Chart %1 of the report could not be drawn.").arg(i + 1);
        const QSize size = renderer.defaultSize();
        QImage image(size * kChartScale, QImage::Format_RGB32);
        image.fill(Qt::white);
        {
            QPainter painter(&image);
            painter.setRenderHint(QPainter::Antialiasing);
            painter.setRenderHint(QPainter::TextAntialiasing);
            renderer.render(&painter);
        }
        image.setDevicePixelRatio(kChartScale);
        document.addResource(
            QTextDocument::ImageResource, QUrl(u"qc-chart:"_s % QString::number(i)), image);
    }
    document.setHtml(page.html);

    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly))
        return Tr::tr("Cannot write %1: %2").arg(fileName, file.errorString());
    {
        QPdfWriter writer(&file);
        writer.setTitle(html.title);
        writer.setCreator(u"Quota Console"_s);
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait,
            QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter));
        writer.setResolution(300);
        document.print(&writer);
    }
    if (!file.commit())
        return Tr::tr("Writing %1 failed: %2").arg(fileName, file.errorString());
    return {};
}

} // namespace qc::workbench
