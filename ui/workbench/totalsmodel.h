#pragma once

#include "simulation/report.h"

#include <QAbstractTableModel>

namespace qc::workbench {

/// The two policies' totals side by side: requests, allowed, denied, each reason, cost
/// admitted, collisions, abuse incidents, with the change from baseline to candidate.
class TotalsModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY(TotalsModel)
public:
    enum Column { Measure, Baseline, Candidate, Change };

    explicit TotalsModel(QObject* parent = nullptr);

    void resetData(const simulation::Report& report);
    void clear();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Row {
        QString measure;
        QString baseline;
        QString candidate;
        QString change;
        int direction = 0; // +1 more denials / less cost admitted etc.: tinted
        bool indent = false;
    };
    QList<Row> m_rows;
    QString m_baselineName;
    QString m_candidateName;
};

} // namespace qc::workbench
