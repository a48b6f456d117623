#pragma once

#include "models/valuetablemodel.h"
#include "services/alertmonitor.h"

#include <QObject>
#include <QSortFilterProxyModel>

namespace qc::models {

/// The one list of alerts of the Alerts page: the database's and Alertmanager's, merged
/// (services::mergeAlerts), with who acknowledged them and until when.
class AlertModel final : public ValueTableModel<services::AlertItem> {
    Q_OBJECT
    Q_DISABLE_COPY(AlertModel)
public:
    enum Column { State, Severity, Name, Summary, Since, Source, Acknowledged, Until };
    enum Role { StateRole = Qt::UserRole + 200 };
    explicit AlertModel(QObject* parent = nullptr);

    /// The row of the alert with `key`, -1 when absent.
    int rowOf(const QString& key) const;

protected:
    QVariant keyOf(const services::AlertItem& row) const override { return row.key; }
};

/// Open alerts only (firing, acknowledged, silenced), or all of them.
class AlertStateProxyModel final : public QSortFilterProxyModel {
    Q_OBJECT
    Q_DISABLE_COPY(AlertStateProxyModel)
public:
    explicit AlertStateProxyModel(QObject* parent = nullptr);
    void setOpenOnly(bool openOnly);
    bool openOnly() const { return m_openOnly; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    bool m_openOnly = true;
};

} // namespace qc::models
