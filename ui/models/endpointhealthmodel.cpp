#include "endpointhealthmodel.h"

#include <QColor>
#include <QLocale>

namespace qc::models {

using namespace Qt::StringLiterals;

EndpointHealthModel::EndpointHealthModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void EndpointHealthModel::resetData(const QList<services::EndpointStatus>& endpoints)
{
    // Same endpoints, new figures: a dataChanged keeps the view's selection and scroll.
    bool sameRows = endpoints.size() == m_endpoints.size();
    for (qsizetype i = 0; sameRows && i < endpoints.size(); ++i)
        sameRows = endpoints.at(i).id == m_endpoints.at(i).id;
    if (sameRows && !m_endpoints.isEmpty()) {
        m_endpoints = endpoints;
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_endpoints = endpoints;
    endResetModel();
}

int EndpointHealthModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_endpoints.size());
}

int EndpointHealthModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EndpointHealthModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const services::EndpointStatus& e = m_endpoints.at(index.row());
    if (role == UpRole)
        return e.health.up;
    if (role == Qt::DecorationRole && index.column() == Status)
        return !e.scraped ? QColor(0x90, 0x90, 0x90)
            : e.health.up ? QColor(0x2e, 0x9d, 0x46)
                          : QColor(0xe0, 0x45, 0x3a);
    if (role == Qt::ToolTipRole && index.column() == Error)
        return e.health.error;
    if (role != Qt::DisplayRole)
        return {};
    const QLocale locale;
    switch (index.column()) {
    case Name:
        return e.name;
    case Url:
        return e.url.toDisplayString();
    case Status:
        return !e.scraped ? tr("waiting") : e.health.up ? tr("up") : tr("down");
    case LastScrape:
        return e.health.lastScrape.isValid()
            ? e.health.lastScrape.toLocalTime().toString(u"HH:mm:ss"_s)
            : QString();
    case Duration:
        return e.scraped ? tr("%1 ms").arg(e.health.duration.count()) : QString();
    case Size:
        return e.health.up ? locale.formattedDataSize(e.bodyBytes) : QString();
    case Error:
        return e.health.error;
    }
    return {};
}

QVariant EndpointHealthModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name:
        return tr("Endpoint");
    case Url:
        return tr("URL");
    case Status:
        return tr("Status");
    case LastScrape:
        return tr("Last scrape");
    case Duration:
        return tr("Duration");
    case Size:
        return tr("Size");
    case Error:
        return tr("Error");
    }
    return {};
}

} // namespace qc::models
