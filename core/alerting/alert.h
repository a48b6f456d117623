#pragma once

#include "alerting/rule.h"
#include "metrics/metricfamily.h"

#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <optional>

namespace qc::alerting {

/// Where an alert is in Prometheus' state machine. Inactive alerts are not kept: an alert
/// that stops matching is dropped (pending) or reported resolved (firing).
enum class AlertState : std::uint8_t { Pending, Firing };

/// One alert of one rule: the rule's expression gave a value above the threshold for these
/// labels. A copyable value, safe to hand across threads.
struct Alert {
    QString rule;
    Severity severity = Severity::Warning;
    /// alertname, severity and the expression's labels (e.g. pattern), sorted by name.
    metrics::Labels labels;
    /// summary and description, rendered with the current value.
    QString summary;
    QString description;
    QString fingerprint; // of the labels: fingerprintOf(labels)
    AlertState state = AlertState::Pending;
    std::int64_t activeAtMs = 0; // first evaluation that exceeded the threshold
    std::int64_t firedAtMs = 0; // when it turned firing (0 while pending)
    double value = 0; // the expression's value at the last evaluation
};

/// What one evaluation changed about one alert.
struct AlertChange {
    enum class Kind : std::uint8_t {
        Pending, // started exceeding the threshold, waiting out the rule's `for`
        Firing, // fired (after `for`, or at once when the rule has none)
        Resolved, // was firing, no longer exceeds the threshold
        Cleared, // was pending, stopped exceeding before `for` passed (never fired)
    };
    Kind kind = Kind::Pending;
    std::int64_t atMs = 0;
    Alert alert; // as it is after the change (for Resolved/Cleared: as it last was)
};

/// "pending", "firing", "resolved", "cleared".
QString changeKindName(AlertChange::Kind kind);
QString alertStateName(AlertState state);

/// A stable identity of a label set: the first 16 hex digits of SHA-256 over the sorted
/// `name=value` pairs (each followed by a 0xff byte). Equal labels, equal fingerprint —
/// whichever process computes it; the alerts table keeps one open alert per fingerprint.
QString fingerprintOf(const metrics::Labels& labels);

/// The labels as a JSON object, and back (sorted by name).
QJsonObject labelsToJson(const metrics::Labels& labels);
metrics::Labels labelsFromJson(const QJsonObject& object);

/// An alert as JSON (the form quotactl hands to the database): rule, severity, labels,
/// annotations {summary, description}, fingerprint, state, active_at_ms, fired_at_ms, value.
QJsonObject alertToJson(const Alert& alert);
/// The reverse; nullopt when a field is missing or has the wrong type.
std::optional<Alert> alertFromJson(const QJsonObject& object);

} // namespace qc::alerting
