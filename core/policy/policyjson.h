#pragma once

#include "enforcement/policy.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace qc::policy {

/// One thing wrong with a policy file, located by JSON path (and line:column for syntax errors).
struct PolicyError {
    QString path; // e.g. "policy.rules[2].window"; "policy" for the whole document
    QString message;
    int line = 0; // 1-based; 0 = unknown (validation errors name the path instead)
    int column = 0;

    /// "policy.rules[2].window: '5x' is not a duration; use e.g. 90s, 5m, 2h, 1d", or with a
    /// position for syntax errors: "policy (line 3:14): ...".
    QString toString() const;
    friend bool operator==(const PolicyError&, const PolicyError&) = default;
};

/// A policy when the document is valid, else every error found (never only the first).
struct LoadResult {
    std::optional<qc::enforcement::Policy> policy;
    QList<PolicyError> errors;

    bool ok() const { return policy.has_value(); }
    /// All errors, one per line, for a console or a message box.
    QString errorText() const;
};

/// Reads and validates a policy in the JSON form of docs/policy.md, filling in defaults.
///
/// Where docs/policy.md names no default, the key is required: a rule's id, scope and
/// algorithm (window + limit, or rate + period + burst, by algorithm); an abuse pattern's id,
/// kind, scope, severity, action and its kind's own keys (window + threshold, window +
/// threshold_usd, user_agent_contains, countries); a plan's name; an endpoint_metrics entry's
/// endpoints and metric; a model's per_1k_tokens_usd. Other defaults: an abuse pattern's name is
/// its id; a cost.endpoints entry without memory_mb uses cost.default_memory_mb, without base_usd
/// costs 0. Keys that belong to another algorithm, kind or action (a window on a token bucket,
/// a threshold on a country pattern, block_for on a log action) are errors, as are abuse windows
/// over 31d. User agents are kept lower case, countries and methods upper case.
LoadResult parsePolicy(const QByteArray& json);
/// parsePolicy() of a file; a file that cannot be read is one error naming the file.
LoadResult loadPolicyFile(const QString& fileName);

/// resources/policies/default.json, as embedded in the library.
QByteArray defaultPolicyJson();
/// The embedded default policy (it is validated by the tests, so it is always valid).
qc::enforcement::Policy defaultPolicy();

/// Canonical JSON of docs/policy.md: keys in the documented order, defaults written out,
/// durations as "90s"/"1m"/"2h"/"1d" when whole seconds (else integer milliseconds), money as
/// exact decimal dollars. parsePolicy(toJson(p)) gives back p.
QByteArray toJson(const qc::enforcement::Policy& policy);

/// One difference between two policies, in words an admin reads.
struct PolicyChange {
    QString path; // "rules[ip_per_minute].limit", "plans[free].quotas.api_calls", "rules[x]"
    QString before; // empty when added
    QString after; // empty when removed

    /// "rules[ip_per_minute].limit: 20 → 10", "rules[x]: added (…)", "rules[x]: removed (…)".
    QString toString() const;
    friend bool operator==(const PolicyChange&, const PolicyChange&) = default;
};

/// What changes from `base` to `candidate`: rules/plans/patterns by id (added, removed, moved,
/// each changed field), top-level settings, quotas, endpoint metrics and the cost model.
/// Empty when the two policies decide every request the same way and read the same.
QList<PolicyChange> diff(
    const qc::enforcement::Policy& base, const qc::enforcement::Policy& candidate);

/// Text form of a duration as the policy file writes it: "90s", "2h", "1500ms" (0 → "0s").
QString formatDuration(qc::enforcement::TimeMs ms);
/// Parses "<integer><ms|s|m|h|d>"; nullopt when not a duration or out of range.
std::optional<qc::enforcement::TimeMs> parseDuration(QStringView text);
/// Exact decimal dollars of an amount in micro-dollars: 2000 → "0.002", 1000000 → "1.0".
QString formatUsd(qc::enforcement::MicroUsd microUsd);
/// Decimal dollars ("0.0025", "1e-3", "-2") to micro-dollars, rounded half away from zero.
std::optional<qc::enforcement::MicroUsd> parseUsd(std::string_view text);
/// Levenshtein distance of two names, for "did you mean" hints in error messages.
int editDistance(QStringView a, QStringView b);

} // namespace qc::policy
