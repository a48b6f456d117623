#pragma once

#include "simulation/report.h"

#include <QAbstractTableModel>

namespace qc::workbench {

/// The alerts that would fire under either policy (core/alerting's rules replayed over the
/// decisions): rule, policy, condition, first minute, minutes firing, peak; an alert that only
/// the candidate raises is marked new.
class AlertFiringModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY(AlertFiringModel)
public:
    enum Column { Rule, Policy, Condition, FirstMinute, Minutes, Peak };

    explicit AlertFiringModel(QObject* parent = nullptr);

    void resetData(const QList<simulation::AlertFiring>& alerts);
    /// Rules that fire under the candidate but not under the baseline.
    QStringList newUnderCandidate() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<simulation::AlertFiring> m_alerts;
};

} // namespace qc::workbench
