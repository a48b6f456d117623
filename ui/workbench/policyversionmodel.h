#pragma once

#include "replay/policyversions.h"

#include <QAbstractTableModel>

namespace qc::workbench {

/// The policy versions of the quota database, newest first: id, state (active, was active,
/// never activated), who created it when and why, who activated it when.
class PolicyVersionModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY(PolicyVersionModel)
public:
    enum Column { Id, State, Reason, CreatedBy, CreatedAt, ActivatedBy, ActivatedAt };
    enum Role { IdRole = Qt::UserRole + 1, ActiveRole };

    explicit PolicyVersionModel(QObject* parent = nullptr);

    void resetData(const QList<replay::PolicyVersion>& versions);
    const QList<replay::PolicyVersion>& versions() const { return m_versions; }
    /// The active version's id, 0 when none is active.
    qint64 activeId() const;
    int rowOf(qint64 id) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<replay::PolicyVersion> m_versions;
};

} // namespace qc::workbench
