#pragma once

#include "simulation/sweep.h"

#include <QAbstractTableModel>

namespace qc::workbench {

/// A sweep's points, the baseline first: value, denied, legitimate traffic denied, abusive
/// traffic admitted, cost admitted and saved, newly denied (paid plans), incidents. The row of
/// the candidate's current value is marked.
class SweepPointModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY(SweepPointModel)
public:
    enum Column {
        Value,
        Denied,
        LegitimateDenied,
        AbusiveAdmitted,
        CostAdmitted,
        CostSaved,
        NewlyDenied,
        PaidNewlyDenied,
        Incidents,
    };
    enum Role { ValueRole = Qt::UserRole + 1, IsBaselineRole };

    explicit SweepPointModel(QObject* parent = nullptr);

    void resetData(const simulation::SweepResult& result);
    void clear();
    const simulation::SweepResult& result() const { return m_result; }
    /// The point of a row; nullptr for the baseline row.
    const simulation::SweepPoint* pointAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    simulation::SweepResult m_result;
    bool m_empty = true;
};

} // namespace qc::workbench
