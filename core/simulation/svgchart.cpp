#include "svgchart_p.h"

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace qc::simulation::svg {

namespace {

const QString kFont = u"font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\""_s;

QString num(double v)
{
    return QString::number(v, 'f', 1);
}

QString esc(const QString& text)
{
    return text.toHtmlEscaped();
}

QString grouped(double value)
{
    QString digits = QString::number(value, 'f', 0);
    const qsizetype first = digits.startsWith(u'-') ? 1 : 0;
    for (qsizetype i = digits.size() - 3; i > first; i -= 3)
        digits.insert(i, u',');
    return digits;
}

// A round step giving about `count` ticks over [0, max].
double niceStep(double max, int count)
{
    if (max <= 0)
        return 1;
    const double raw = max / count;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double fraction = raw / magnitude;
    const double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
    return nice * magnitude;
}

struct Axis {
    double min = 0;
    double max = 1;
    double step = 1;
};

Axis axisFor(double low, double high)
{
    Axis axis;
    low = std::min(0.0, low);
    high = std::max(high, low + 1e-9);
    if (high - low < 1e-9)
        high = low + 1;
    axis.step = niceStep(high - low, 5);
    axis.min = std::floor(low / axis.step) * axis.step;
    axis.max = std::ceil(high / axis.step) * axis.step;
    if (axis.max <= axis.min)
        axis.max = axis.min + axis.step;
    return axis;
}

QString svgOpen(int width, int height, const QString& title)
{
    return u"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 "_s
        % QString::number(width) % u' ' % QString::number(height) % u"\" width=\""_s
        % QString::number(width) % u"\" height=\""_s % QString::number(height)
        % u"\" role=\"img\" aria-label=\""_s % esc(title) % u"\"><title>"_s % esc(title)
        % u"</title><rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"_s
        % u"<text x=\"8\" y=\"18\" "_s % kFont
        % u" font-size=\"13\" font-weight=\"bold\" fill=\"#222\">"_s % esc(title) % u"</text>"_s;
}

QString text(double x, double y, const QString& content, const QString& anchor = u"start"_s,
    int size = 11, const QString& color = u"#444"_s)
{
    return u"<text x=\""_s % num(x) % u"\" y=\""_s % num(y) % u"\" "_s % kFont % u" font-size=\""_s
        % QString::number(size) % u"\" text-anchor=\""_s % anchor % u"\" fill=\""_s % color
        % u"\">"_s % esc(content) % u"</text>"_s;
}

} // namespace

QString compact(double value)
{
    const double a = std::fabs(value);
    if (a >= 1e9)
        return QString::number(value / 1e9, 'g', 3) % u'G';
    if (a >= 1e6)
        return QString::number(value / 1e6, 'g', 3) % u'M';
    if (a >= 1e4)
        return QString::number(value / 1e3, 'g', 3) % u'k';
    return QString::number(value, 'g', 4);
}

QString render(const LineChart& chart)
{
    const int left = 64;
    const int right = chart.rightTitle.isEmpty() ? 20 : 64;
    const int top = 44;
    const int bottom = 46;
    const double plotW = chart.width - left - right;
    const double plotH = chart.height - top - bottom;
    std::size_t points = 0;
    double lowL = 0, highL = 0, lowR = 0, highR = 0;
    for (const Series& s : chart.series) {
        points = std::max(points, s.values.size());
        for (const double v : s.values) {
            if (!std::isfinite(v))
                continue;
            (s.rightAxis ? lowR : lowL) = std::min(s.rightAxis ? lowR : lowL, v);
            (s.rightAxis ? highR : highL) = std::max(s.rightAxis ? highR : highL, v);
        }
    }
    const Axis axisL = axisFor(lowL, highL);
    const Axis axisR = axisFor(lowR, highR);
    const auto xOf = [&](std::size_t i) {
        return left + (points <= 1 ? plotW / 2 : plotW * static_cast<double>(i) / (points - 1));
    };
    const auto yOf = [&](double v, bool rightAxis) {
        const Axis& a = rightAxis ? axisR : axisL;
        return top + plotH - plotH * (v - a.min) / (a.max - a.min);
    };

    QString out = svgOpen(chart.width, chart.height, chart.title);
    // Grid and left ticks.
    for (double v = axisL.min; v <= axisL.max + axisL.step / 2; v += axisL.step) {
        const double y = yOf(v, false);
        out += u"<line x1=\""_s % num(left) % u"\" y1=\""_s % num(y) % u"\" x2=\""_s
            % num(left + plotW) % u"\" y2=\""_s % num(y) % u"\" stroke=\"#e3e3e3\"/>"_s;
        out += text(left - 6, y + 4, compact(v), u"end"_s);
    }
    if (!chart.rightTitle.isEmpty()) {
        for (double v = axisR.min; v <= axisR.max + axisR.step / 2; v += axisR.step)
            out += text(left + plotW + 6, yOf(v, true) + 4, compact(v));
        out += u"<text transform=\"translate("_s % num(chart.width - 10) % u','
            % num(top + plotH / 2) % u") rotate(90)\" "_s % kFont
            % u" font-size=\"11\" text-anchor=\"middle\" fill=\"#444\">"_s % esc(chart.rightTitle)
            % u"</text>"_s;
    }
    out += u"<text transform=\"translate(12,"_s % num(top + plotH / 2) % u") rotate(-90)\" "_s
        % kFont % u" font-size=\"11\" text-anchor=\"middle\" fill=\"#444\">"_s
        % esc(chart.leftTitle) % u"</text>"_s;
    // X labels: at most about eight, evenly spaced.
    const std::size_t labels = std::min<std::size_t>(8, points);
    for (std::size_t k = 0; k < labels && points > 0; ++k) {
        const std::size_t i = labels <= 1 ? 0 : k * (points - 1) / (labels - 1);
        if (i < static_cast<std::size_t>(chart.xLabels.size()))
            out += text(
                xOf(i), top + plotH + 16, chart.xLabels.at(static_cast<qsizetype>(i)), u"middle"_s);
    }
    if (!chart.xTitle.isEmpty())
        out += text(left + plotW / 2, chart.height - 8, chart.xTitle, u"middle"_s);
    out += u"<rect x=\""_s % num(left) % u"\" y=\""_s % num(top) % u"\" width=\""_s % num(plotW)
        % u"\" height=\""_s % num(plotH) % u"\" fill=\"none\" stroke=\"#999\"/>"_s;

    // Areas first, then lines, so that lines stay visible.
    for (int pass = 0; pass < 2; ++pass) {
        for (const Series& s : chart.series) {
            if (s.area != (pass == 0) || s.values.empty())
                continue;
            QString path;
            for (std::size_t i = 0; i < s.values.size(); ++i) {
                const double v = std::isfinite(s.values[i]) ? s.values[i] : 0;
                path += (i == 0 ? u"M"_s : u" L"_s) % num(xOf(i)) % u',' % num(yOf(v, s.rightAxis));
            }
            if (s.area) {
                path += u" L"_s % num(xOf(s.values.size() - 1)) % u',' % num(yOf(0, s.rightAxis))
                    % u" L"_s % num(xOf(0)) % u',' % num(yOf(0, s.rightAxis)) % u" Z"_s;
                out += u"<path class=\"series\" data-series=\""_s % esc(s.name) % u"\" d=\""_s
                    % path % u"\" fill=\""_s % s.color
                    % u"\" fill-opacity=\"0.35\" stroke=\"none\"/>"_s;
            } else {
                out += u"<path class=\"series\" data-series=\""_s % esc(s.name) % u"\" d=\""_s
                    % path % u"\" fill=\"none\" stroke=\""_s % s.color % u"\" stroke-width=\"2\""_s
                    % (s.dashed ? u" stroke-dasharray=\"6 3\""_s : QString()) % u"/>"_s;
                if (s.values.size() <= 60) {
                    for (std::size_t i = 0; i < s.values.size(); ++i)
                        out += u"<circle cx=\""_s % num(xOf(i)) % u"\" cy=\""_s
                            % num(yOf(std::isfinite(s.values[i]) ? s.values[i] : 0, s.rightAxis))
                            % u"\" r=\"2.5\" fill=\""_s % s.color % u"\"/>"_s;
                }
            }
        }
    }
    // Legend along the top.
    double x = left;
    for (const Series& s : chart.series) {
        out += u"<rect x=\""_s % num(x) % u"\" y=\"27\" width=\"14\" height=\"8\" fill=\""_s
            % s.color % u"\""_s % (s.area ? u" fill-opacity=\"0.35\""_s : QString()) % u"/>"_s;
        const QString label = s.name
            % (s.rightAxis && !chart.rightTitle.isEmpty() ? u" (right axis)"_s : QString());
        out += text(x + 18, 35, label);
        x += 30 + 6.2 * label.size();
    }
    out += u"</svg>"_s;
    return out;
}

QString render(const BarChart& chart)
{
    const int rowH = 20;
    const int top = 30;
    const int labelW = 220;
    const int valueW = 90;
    const int height = top + rowH * std::max<int>(1, static_cast<int>(chart.bars.size())) + 10;
    const double plotW = chart.width - labelW - valueW - 16;
    double max = 0;
    for (const Bar& bar : chart.bars)
        max = std::max(max, bar.value);
    QString out = svgOpen(chart.width, height, chart.title);
    if (chart.bars.isEmpty())
        out += text(labelW, top + 14, u"none"_s);
    for (qsizetype i = 0; i < chart.bars.size(); ++i) {
        const Bar& bar = chart.bars.at(i);
        const double y = top + rowH * static_cast<double>(i);
        QString label = bar.label.isEmpty() ? u"(none)"_s : bar.label;
        if (label.size() > 34)
            label = label.left(33) % u"…"_s;
        out += text(labelW - 8, y + 14, label, u"end"_s);
        const double w = max > 0 ? plotW * bar.value / max : 0;
        out += u"<rect class=\"bar\" x=\""_s % num(labelW) % u"\" y=\""_s % num(y + 3)
            % u"\" width=\""_s % num(std::max(w, bar.value > 0 ? 1.0 : 0.0)) % u"\" height=\""_s
            % num(rowH - 6) % u"\" fill=\""_s % chart.color % u"\"/>"_s;
        out += text(labelW + w + 6, y + 14, bar.valueText);
    }
    out += u"</svg>"_s;
    return out;
}

QString render(const PairedBars& chart)
{
    const int rowH = 30;
    const int top = 44;
    const int labelW = 170;
    const int valueW = 90;
    const int n = static_cast<int>(chart.categories.size());
    const int height = top + rowH * std::max(1, n) + 10;
    const double plotW = chart.width - labelW - valueW - 16;
    double max = 0;
    for (const double v : chart.first)
        max = std::max(max, v);
    for (const double v : chart.second)
        max = std::max(max, v);
    QString out = svgOpen(chart.width, height, chart.title);
    out += u"<rect x=\""_s % num(labelW)
        % u"\" y=\"27\" width=\"14\" height=\"8\" "
          u"fill=\"#4a6fa5\"/>"_s
        % text(labelW + 18, 35, chart.firstName);
    const double second = labelW + 40 + 6.2 * chart.firstName.size();
    out += u"<rect x=\""_s % num(second)
        % u"\" y=\"27\" width=\"14\" height=\"8\" "
          u"fill=\"#d9822b\"/>"_s
        % text(second + 18, 35, chart.secondName);
    for (int i = 0; i < n; ++i) {
        const double y = top + rowH * i;
        out += text(labelW - 8, y + 18, chart.categories.at(i), u"end"_s);
        const double values[2] = {
            i < static_cast<int>(chart.first.size()) ? chart.first[static_cast<std::size_t>(i)] : 0,
            i < static_cast<int>(chart.second.size()) ? chart.second[static_cast<std::size_t>(i)]
                                                      : 0
        };
        for (int k = 0; k < 2; ++k) {
            const double w = max > 0 ? plotW * values[k] / max : 0;
            const double by = y + 3 + k * 12;
            out += u"<rect class=\"bar\" x=\""_s % num(labelW) % u"\" y=\""_s % num(by)
                % u"\" width=\""_s % num(std::max(w, values[k] > 0 ? 1.0 : 0.0))
                % u"\" height=\"11\" fill=\""_s % (k == 0 ? u"#4a6fa5"_s : u"#d9822b"_s)
                % u"\"/>"_s;
            out += text(labelW + w + 6, by + 10, grouped(values[k]), u"start"_s, 10);
        }
    }
    out += u"</svg>"_s;
    return out;
}

} // namespace qc::simulation::svg
