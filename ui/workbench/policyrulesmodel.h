#pragma once

#include "policytablemodel.h"

namespace qc::workbench {

/// The candidate's rate-limit rules in evaluation order: id, scope, algorithm, window, limit,
/// rate, period, burst, what they match and their mode. Switching a rule between a window
/// algorithm and a token bucket carries its numbers over (limit per window ↔ rate per period,
/// burst = limit), so the rule stays about as strict.
class PolicyRulesModel final : public PolicyTableModel {
    Q_OBJECT
    Q_DISABLE_COPY(PolicyRulesModel)
public:
    enum Column {
        Id,
        Scope,
        Algorithm,
        Window,
        Limit,
        Rate,
        Period,
        Burst,
        Endpoints,
        Methods,
        Plans,
        Mode,
    };

    explicit PolicyRulesModel(PolicyDocument* document, QObject* parent = nullptr);

protected:
    QJsonObject newItem(const QJsonArray& existing) const override;
    void adjust(QJsonObject& item, const JsonPath& changed) const override;
};

} // namespace qc::workbench
