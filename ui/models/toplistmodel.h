#pragma once

#include "db/dashboardqueries.h"
#include "services/investigationtarget.h"

#include <QAbstractTableModel>

namespace qc::models {

/// A top list of the dashboard (IPs, users or endpoints): identifier, requests, denials,
/// denial %, cost and, for endpoints, p95. DisplayRole is formatted text, SortRole the number.
class TopListModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY(TopListModel)
public:
    enum Column { Identifier, Requests, Denials, DenialPercent, Cost, P95, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1, // numbers for sorting
        IdentifierRole, // the identifier text, for investigation
    };

    explicit TopListModel(services::InvestigationTarget::Kind kind, QObject* parent = nullptr);

    void resetData(const QList<db::TopRow>& rows);
    const QList<db::TopRow>& rows() const { return m_rows; }
    services::InvestigationTarget::Kind kind() const { return m_kind; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    services::InvestigationTarget::Kind m_kind;
    QList<db::TopRow> m_rows;
};

} // namespace qc::models
