#include "policychangemodel.h"

#include <QBrush>
#include <QColor>

using namespace Qt::StringLiterals;

namespace qc::workbench {

PolicyChangeModel::PolicyChangeModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void PolicyChangeModel::resetData(const QList<policy::PolicyChange>& changes)
{
    if (changes == m_changes)
        return;
    beginResetModel();
    m_changes = changes;
    endResetModel();
}

void PolicyChangeModel::setTitles(const QString& before, const QString& after)
{
    m_before = before;
    m_after = after;
    Q_EMIT headerDataChanged(Qt::Horizontal, Before, After);
}

int PolicyChangeModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_changes.size());
}

int PolicyChangeModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : 3;
}

QVariant PolicyChangeModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const policy::PolicyChange& c = m_changes.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Path:
            return c.path;
        case Before:
            return c.before.isEmpty() ? tr("(added)") : c.before;
        case After:
            return c.after.isEmpty() ? tr("(removed)") : c.after;
        }
        return {};
    case Qt::ToolTipRole:
        return c.toString();
    case Qt::ForegroundRole:
        if ((index.column() == Before && c.before.isEmpty())
            || (index.column() == After && c.after.isEmpty()))
            return QBrush(QColor(0x80, 0x80, 0x80));
        return {};
    default:
        return {};
    }
}

QVariant PolicyChangeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Path:
        return tr("Changed");
    case Before:
        return m_before.isEmpty() ? tr("Baseline") : m_before;
    case After:
        return m_after.isEmpty() ? tr("Candidate") : m_after;
    }
    return {};
}

} // namespace qc::workbench
