#pragma once

#include "services/dashboardseries.h"

#include <QAbstractTableModel>

namespace qc::models {

/// One chart's data as a table: a row per time, column 0 the time, then one column per series.
/// Charts (and an accessible table view) read it; ValueRole gives the number (NaN = none),
/// TimeRole the time in ms since the epoch.
class TimeSeriesModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY(TimeSeriesModel)
public:
    enum Role {
        ValueRole = Qt::UserRole + 1,
        TimeRole,
        SourceRole, // header: services::SeriesColumn::Source as int
        SeriesIdRole, // header: the column's id
    };

    explicit TimeSeriesModel(QObject* parent = nullptr);

    void resetData(const services::TimeSeriesTable& table);
    const services::TimeSeriesTable& table() const { return m_table; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    services::TimeSeriesTable m_table;
};

} // namespace qc::models
