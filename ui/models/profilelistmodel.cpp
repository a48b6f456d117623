#include "profilelistmodel.h"

namespace qc::models {

ProfileListModel::ProfileListModel(QObject* parent)
    : QAbstractListModel(parent)
{
}

void ProfileListModel::resetData(const QList<services::ConnectionProfile>& profiles)
{
    beginResetModel();
    m_profiles = profiles;
    endResetModel();
}

int ProfileListModel::rowOf(const QString& id) const
{
    for (int i = 0; i < m_profiles.size(); ++i) {
        if (m_profiles.at(i).id == id)
            return i;
    }
    return -1;
}

int ProfileListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_profiles.size());
}

QVariant ProfileListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const services::ConnectionProfile& p = m_profiles.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return p.environmentLabel.isEmpty()
            ? p.name
            : p.name + QStringLiteral("  [") + p.environmentLabel + u']';
    case Qt::DecorationRole:
    case EnvironmentColorRole:
        return p.environmentColor;
    case Qt::ToolTipRole:
    case DatabaseRole:
        return p.databaseConninfo;
    case IdRole:
        return p.id;
    case EnvironmentRole:
        return p.environmentLabel;
    default:
        return {};
    }
}

QHash<int, QByteArray> ProfileListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(IdRole, "profileId");
    names.insert(EnvironmentRole, "environment");
    names.insert(EnvironmentColorRole, "environmentColor");
    names.insert(DatabaseRole, "database");
    return names;
}

} // namespace qc::models
