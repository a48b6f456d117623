#include "policyversionmodel.h"

#include "services/localization.h"

#include <QFont>

using namespace Qt::StringLiterals;

namespace qc::workbench {

namespace {

QString when(const QDateTime& t)
{
    return t.isValid() ? services::display::dateTime(t, true, true) : QString();
}

} // namespace

PolicyVersionModel::PolicyVersionModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void PolicyVersionModel::resetData(const QList<replay::PolicyVersion>& versions)
{
    beginResetModel();
    m_versions = versions;
    endResetModel();
}

qint64 PolicyVersionModel::activeId() const
{
    for (const replay::PolicyVersion& v : m_versions) {
        if (v.active)
            return v.id;
    }
    return 0;
}

int PolicyVersionModel::rowOf(qint64 id) const
{
    for (qsizetype i = 0; i < m_versions.size(); ++i) {
        if (m_versions.at(i).id == id)
            return static_cast<int>(i);
    }
    return -1;
}

int PolicyVersionModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_versions.size());
}

int PolicyVersionModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : 7;
}

QVariant PolicyVersionModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const replay::PolicyVersion& v = m_versions.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Id:
            return QString::number(v.id);
        case State:
            return v.active               ? tr("active")
                : v.activatedAt.isValid() ? tr("was active")
                                          : tr("never activated");
        case Reason:
            return v.reason;
        case CreatedBy:
            return v.createdBy;
        case CreatedAt:
            return when(v.createdAt);
        case ActivatedBy:
            return v.activatedBy;
        case ActivatedAt:
            return when(v.activatedAt);
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Reason)
            return v.reason;
        return {};
    case Qt::FontRole:
        if (v.active) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Id)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case IdRole:
        return v.id;
    case ActiveRole:
        return v.active;
    default:
        return {};
    }
}

QVariant PolicyVersionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Id:
        return tr("Version");
    case State:
        return tr("State");
    case Reason:
        return tr("Why");
    case CreatedBy:
        return tr("Created by");
    case CreatedAt:
        return tr("Created");
    case ActivatedBy:
        return tr("Activated by");
    case ActivatedAt:
        return tr("Last activated");
    }
    return {};
}

} // namespace qc::workbench
