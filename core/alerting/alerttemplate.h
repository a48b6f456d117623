#pragma once

#include "metrics/metricfamily.h"

#include <QString>

#include <vector>

namespace qc::alerting {

/// The text of an annotation template, or why it could not be rendered.
struct RenderedText {
    QString text;
    QString error; // empty on success

    bool ok() const { return error.isEmpty(); }
};

/// An annotation template parsed once (see renderTemplate for what it may hold), rendered at
/// every evaluation.
class AlertTemplate {
public:
    static AlertTemplate compile(const QString& text);

    bool ok() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }
    QString render(const metrics::Labels& labels, double value) const;

private:
    struct Part {
        enum Kind { Literal, Label, Percentage, Duration, Fixed, General } kind;
        QString text; // literal text, or the label name
        int precision;
    };
    std::vector<Part> m_parts;
    QString m_error;
};

/// Renders the subset of Prometheus' alert templates (Go text/template) the rules use, with the
/// same output Prometheus 2.42 gives:
///   {{ $labels.NAME }}                    the value of a label of the alert's expression
///   {{ $value | humanizePercentage }}     printf("%.4g%%", value * 100)
///   {{ $value | humanizeDuration }}       "250ms", "1.5s", "2m 5s", ...
///   {{ printf "%.Nf" $value }}            fixed-point with N digits (also %.Ng)
/// Anything else is an error naming the action, so that a rule cannot use a template the C++
/// side would render differently from Prometheus.
RenderedText renderTemplate(const QString& text, const metrics::Labels& labels, double value);

/// Prometheus' humanizeDuration and humanizePercentage, as template functions compute them.
QString humanizeDuration(double seconds);
QString humanizePercentage(double ratio);

} // namespace qc::alerting
