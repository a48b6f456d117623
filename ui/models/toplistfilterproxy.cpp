#include "toplistfilterproxy.h"

#include "models/toplistmodel.h"

namespace qc::models {

TopListFilterProxy::TopListFilterProxy(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(TopListModel::SortRole);
}

void TopListFilterProxy::setText(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    invalidateRowsFilter();
}

void TopListFilterProxy::setMinimumRequests(qint64 minimum)
{
    if (minimum == m_minimumRequests)
        return;
    m_minimumRequests = minimum;
    invalidateRowsFilter();
}

bool TopListFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QModelIndex id = sourceModel()->index(sourceRow, TopListModel::Identifier, sourceParent);
    if (!m_text.isEmpty()
        && !id.data(TopListModel::IdentifierRole).toString().contains(m_text, Qt::CaseInsensitive))
        return false;
    if (m_minimumRequests > 0) {
        const QModelIndex requests
            = sourceModel()->index(sourceRow, TopListModel::Requests, sourceParent);
        if (requests.data(TopListModel::SortRole).toLongLong() < m_minimumRequests)
            return false;
    }
    return true;
}

bool TopListFilterProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    const QVariant a = left.data(TopListModel::SortRole);
    const QVariant b = right.data(TopListModel::SortRole);
    if (a.typeId() == QMetaType::QString)
        return QString::compare(a.toString(), b.toString(), Qt::CaseInsensitive) < 0;
    return a.toDouble() < b.toDouble();
}

} // namespace qc::models
