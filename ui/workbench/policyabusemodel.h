#pragma once

#include "policytablemodel.h"

namespace qc::workbench {

/// The candidate's abuse patterns: what each watches (rate, cost, user agent, country), its
/// window and threshold, severity, action and how long a block lasts. Switching a pattern's
/// kind or action drops the members the new one does not use and adds what it needs.
class PolicyAbuseModel final : public PolicyTableModel {
    Q_OBJECT
    Q_DISABLE_COPY(PolicyAbuseModel)
public:
    enum Column {
        Id,
        Name,
        Kind,
        Scope,
        Window,
        Threshold,
        ThresholdUsd,
        Endpoints,
        UserAgents,
        Countries,
        Severity,
        Action,
        BlockFor,
    };

    explicit PolicyAbuseModel(PolicyDocument* document, QObject* parent = nullptr);

protected:
    QJsonObject newItem(const QJsonArray& existing) const override;
    void adjust(QJsonObject& item, const JsonPath& changed) const override;
};

} // namespace qc::workbench
