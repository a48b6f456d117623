#pragma once

#include "services/livemetrics.h"

#include <QAbstractTableModel>

namespace qc::models {

/// The profile's metrics endpoints and how their last scrape went: name, URL, up/down, last
/// scrape, duration, page size, error.
class EndpointHealthModel final : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY(EndpointHealthModel)
public:
    enum Column { Name, Url, Status, LastScrape, Duration, Size, Error, ColumnCount };
    enum Role { UpRole = Qt::UserRole + 1 };

    explicit EndpointHealthModel(QObject* parent = nullptr);

    void resetData(const QList<services::EndpointStatus>& endpoints);
    const QList<services::EndpointStatus>& endpoints() const { return m_endpoints; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<services::EndpointStatus> m_endpoints;
};

} // namespace qc::models
