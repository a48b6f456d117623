#pragma once

#include "simulation/report.h"

#include <QAbstractTableModel>

namespace qc::workbench {

/// A breakdown (by reason, rule, plan tier, endpoint) of newly denied or admitted requests:
/// name, count and share of the total. Qt::UserRole gives numbers for sorting.
class NamedCountModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY(NamedCountModel)
public:
    enum Column { Name, Count, Share };

    explicit NamedCountModel(QString nameTitle, QObject* parent = nullptr);

    /// `total` is what the shares are of; `emptyName` names entries without a name
    /// (e.g. "(no rule)").
    void resetData(const QList<simulation::NamedCount>& counts, std::uint64_t total,
        const QString& emptyName = {});
    const QList<simulation::NamedCount>& counts() const { return m_counts; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QString m_nameTitle;
    QString m_emptyName;
    QList<simulation::NamedCount> m_counts;
    std::uint64_t m_total = 0;
};

} // namespace qc::workbench
