#pragma once

#include "policy/policyjson.h"

#include <QAbstractTableModel>

namespace qc::workbench {

/// What the candidate changes from the baseline (policy::diff): what, before, after.
class PolicyChangeModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY(PolicyChangeModel)
public:
    enum Column { Path, Before, After };

    explicit PolicyChangeModel(QObject* parent = nullptr);

    void resetData(const QList<policy::PolicyChange>& changes);
    /// Column titles of the two sides ("Baseline"/"Candidate" unless set).
    void setTitles(const QString& before, const QString& after);
    const QList<policy::PolicyChange>& changes() const { return m_changes; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<policy::PolicyChange> m_changes;
    QString m_before;
    QString m_after;
};

} // namespace qc::workbench
