#pragma once

#include "simulationrun.h"

#include <QAbstractTableModel>

namespace qc::workbench {

/// The requests where the baseline decided differently from what was recorded live (fidelity):
/// where the request is in the trace, its identifiers, and both decisions.
class DisagreementModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY(DisagreementModel)
public:
    enum Column { Line, Time, RequestId, Client, User, Endpoint, Recorded, Simulated };
    enum Role { ClientRole = Qt::UserRole + 1, UserRole };

    explicit DisagreementModel(QObject* parent = nullptr);

    void resetData(const QList<simulation::Disagreement>& disagreements,
        const QList<DisagreementDetail>& details);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    /// "denied 429 rate_limited (ip_per_minute)".
    static QString decisionText(const simulation::DecisionText& decision);

private:
    QList<simulation::Disagreement> m_rows;
    QList<DisagreementDetail> m_details;
};

} // namespace qc::workbench
