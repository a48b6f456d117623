#pragma once

#include "simulation/report.h"

#include <QAbstractTableModel>

namespace qc::workbench {

/// The identifiers a candidate affects most: clients (IP, or IPv6 /64) and users with the
/// requests the candidate newly denies and newly admits, most newly denied first. A row leads
/// to that identifier's investigation (KindRole, IdentifierRole).
class AffectedIdentifierModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY(AffectedIdentifierModel)
public:
    enum Column { Kind, Identifier, NewlyDenied, NewlyAdmitted };
    enum Role {
        KindRole = Qt::UserRole + 1, // "client" or "user"
        IdentifierRole,
        SortRole, // numbers for the count columns
    };

    struct Entry {
        bool user = false;
        QString identifier;
        std::uint64_t newlyDenied = 0;
        std::uint64_t newlyAdmitted = 0;
        friend bool operator==(const Entry&, const Entry&) = default;
    };

    explicit AffectedIdentifierModel(QObject* parent = nullptr);

    void resetData(const simulation::Report& report);
    void clear();
    const QList<Entry>& entries() const { return m_entries; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<Entry> m_entries;
};

} // namespace qc::workbench
