#pragma once

#include "policytablemodel.h"

namespace qc::workbench {

/// The candidate's plans with their quotas: name, rank, paid, then one column per quota metric
/// (every metric a plan or endpoint_metrics names). An empty quota cell is unlimited.
class PolicyPlansModel final : public PolicyTableModel {
    Q_OBJECT
    Q_DISABLE_COPY(PolicyPlansModel)
public:
    enum Column { Name, Rank, Paid, FirstQuota };

    explicit PolicyPlansModel(PolicyDocument* document, QObject* parent = nullptr);

    /// The quota metrics shown, in column order.
    QStringList metrics() const;
    /// Adds a quota column (as a quota of the first plan, unlimited) when it is new.
    bool addMetric(const QString& metric);

protected:
    QJsonObject newItem(const QJsonArray& existing) const override;
    QList<PolicyColumn> columnsFor(const QJsonObject& root) const override;
};

} // namespace qc::workbench
