#pragma once

#include "services/connectionprofile.h"

#include <QAbstractListModel>

namespace qc::models {

/// The connection profiles, for the profile manager and the Connect menu: one row per
/// profile, the environment label and colour as decoration.
class ProfileListModel final : public QAbstractListModel {
    Q_OBJECT
    Q_DISABLE_COPY(ProfileListModel)
public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        EnvironmentRole,
        EnvironmentColorRole,
        DatabaseRole, // the connection string (never has a password)
    };

    explicit ProfileListModel(QObject* parent = nullptr);

    void resetData(const QList<services::ConnectionProfile>& profiles);
    const QList<services::ConnectionProfile>& profiles() const { return m_profiles; }
    /// The row of the profile with `id`, -1 when absent.
    int rowOf(const QString& id) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    QList<services::ConnectionProfile> m_profiles;
};

} // namespace qc::models
