#pragma once

// Charts as SVG text for the HTML report: drawn here, no script, no fonts to load. Internal to
// qc_simulation.

#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

namespace qc::simulation::svg {

struct Series {
    QString name;
    QString color;
    std::vector<double> values; // one per x position
    bool dashed = false;
    bool area = false; // filled to the axis, drawn behind the lines
    bool rightAxis = false; // scaled on the right-hand axis
};

struct LineChart {
    QString title;
    QStringList xLabels; // one per x position (only some are drawn)
    QString xTitle;
    QString leftTitle;
    QString rightTitle; // empty: no right-hand axis
    QList<Series> series;
    int width = 760;
    int height = 300;
};

struct Bar {
    QString label;
    double value = 0;
    QString valueText;
};

struct BarChart {
    QString title;
    QList<Bar> bars; // drawn top to bottom
    QString color = QStringLiteral("#d9822b");
    int width = 760;
};

/// Two values per category side by side (baseline and candidate).
struct PairedBars {
    QString title;
    QStringList categories;
    QString firstName;
    QString secondName;
    std::vector<double> first;
    std::vector<double> second;
    int width = 760;
};

QString render(const LineChart& chart);
QString render(const BarChart& chart);
QString render(const PairedBars& chart);

/// 1234 → "1.2k", 2500000 → "2.5M": axis labels.
QString compact(double value);

} // namespace qc::simulation::svg
