#include "timeseriesmodel.h"

#include <QLocale>

#include <cmath>

namespace qc::models {

using namespace Qt::StringLiterals;

TimeSeriesModel::TimeSeriesModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void TimeSeriesModel::resetData(const services::TimeSeriesTable& table)
{
    beginResetModel();
    m_table = table;
    endResetModel();
}

int TimeSeriesModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_table.times.size());
}

int TimeSeriesModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : 1 + int(m_table.columns.size());
}

QVariant TimeSeriesModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QDateTime& t = m_table.times.at(index.row());
    if (index.column() == 0) {
        switch (role) {
        case Qt::DisplayRole:
            return QLocale().toString(t.toLocalTime(), QLocale::ShortFormat);
        case TimeRole:
        case ValueRole:
            return t.toMSecsSinceEpoch();
        default:
            return {};
        }
    }
    const services::SeriesColumn& c = m_table.columns.at(index.column() - 1);
    const double v = c.values.value(index.row(), std::nan(""));
    switch (role) {
    case Qt::DisplayRole:
        return std::isfinite(v) ? QLocale().toString(v, 'f', std::abs(v) < 10 ? 2 : 1) : QString();
    case ValueRole:
        return v;
    case TimeRole:
        return t.toMSecsSinceEpoch();
    case Qt::TextAlignmentRole:
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    default:
        return {};
    }
}

QVariant TimeSeriesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount())
        return QAbstractTableModel::headerData(section, orientation, role);
    if (section == 0)
        return role == Qt::DisplayRole ? QVariant(tr("Time")) : QVariant();
    const services::SeriesColumn& c = m_table.columns.at(section - 1);
    switch (role) {
    case Qt::DisplayRole:
        return m_table.unit.isEmpty() ? c.name : c.name + u" ("_s + m_table.unit + u')';
    case SourceRole:
        return int(c.source);
    case SeriesIdRole:
        return c.id;
    default:
        return {};
    }
}

} // namespace qc::models
