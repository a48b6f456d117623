#pragma once

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace qc::simulation {

struct Report;

/// Where a condition is wrong: a 1-based column of the expression and what is wrong there.
struct ConditionError {
    int column = 0;
    QString message;

    /// "column 19: expected a number or a report key after '>'" followed by the expression
    /// and a caret under the column, for a terminal.
    QString toString(const QString& expression) const;
};

/// A budget over a report's numeric keys, e.g. `paid_denied_pct > 0.5 or newly_denied.total >
/// 100` (docs/simulation.md "Budgets"): comparisons (> >= < <= == !=) of numbers, report keys
/// and arithmetic (+ - * /, parentheses), combined with and, or, not. Keys are the dotted
/// paths of the report JSON (`candidate.by_reason.rate_limited`); breakdown lists are indexed
/// by name (`newly_denied.by_endpoint["/api/chat"]`, 0 when absent); `alerts.baseline` and
/// `alerts.candidate` count the alert rules that would fire.
class ReportCondition {
public:
    ReportCondition();
    ~ReportCondition();
    ReportCondition(ReportCondition&&) noexcept;
    ReportCondition& operator=(ReportCondition&&) noexcept;

    /// Parses and checks every key against the report's schema. nullopt with `error` set when
    /// the expression is malformed or names a key a report does not have.
    static std::optional<ReportCondition> parse(const QString& expression, ConditionError* error);

    const QString& expression() const;
    /// The keys the expression reads, in order of appearance, without repeats.
    QStringList keys() const;

    /// True when the report meets the condition (for --fail-if: the budget is broken).
    bool evaluate(const Report& report) const;
    bool evaluate(const QJsonObject& reportJson) const;
    /// "paid_denied_pct = 0.83, newly_denied.total = 120": the values the expression read.
    QString explain(const QJsonObject& reportJson) const;

    /// Every numeric key of a report (for completion and messages), e.g. "paid_denied_pct".
    static QStringList reportKeys();
    /// The breakdown lists that are indexed by name, e.g. "newly_denied.by_endpoint".
    static QStringList namedLists();

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace qc::simulation
