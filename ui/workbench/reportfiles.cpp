#include "reportfiles.h"

#include <QCoreApplication>
#include <QImage>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QRegularExpression>
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

// Charts are drawn at three times their size so that they stay sharp when printed.
constexpr int kChartScale = 3;
// The text width of an A4 page with 15 mm margins, in CSS pixels (96 per inch): 180 mm.
constexpr int kTextWidthPx = 660;

// Charts wider than the page are scaled down to it (QTextDocument would cut them off).
QString fitCharts(QString html)
{
    static const QRegularExpression img(
        uR"re(<img src="(qc-chart:\d+)" width="(\d+)" height="(\d+)")re"_s);
    QString out;
    qsizetype last = 0;
    for (auto it = img.globalMatch(html); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        int width = m.captured(2).toInt();
        int height = m.captured(3).toInt();
        if (width > kTextWidthPx) {
            height = height * kTextWidthPx / width;
            width = kTextWidthPx;
        }
        out += QStringView(html).mid(last, m.capturedStart() - last);
        out += u"<img src=\""_s % m.captured(1) % u"\" width=\""_s % QString::number(width)
            % u"\" height=\""_s % QString::number(height) % u'"';
        last = m.capturedEnd();
    }
    out += QStringView(html).mid(last);
    return out;
}

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
    document.setHtml(fitCharts(page.html));

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
