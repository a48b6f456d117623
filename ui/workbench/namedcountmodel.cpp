#include "namedcountmodel.h"

#include "displayformat.h"

using namespace Qt::StringLiterals;

namespace qc::workbench {

NamedCountModel::NamedCountModel(QString nameTitle, QObject* parent)
    : QAbstractTableModel(parent)
    , m_nameTitle(std::move(nameTitle))
{
}

void NamedCountModel::resetData(
    const QList<simulation::NamedCount>& counts, std::uint64_t total, const QString& emptyName)
{
    beginResetModel();
    m_counts = counts;
    m_total = total;
    m_emptyName = emptyName;
    endResetModel();
}

int NamedCountModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_counts.size());
}

int NamedCountModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : 3;
}

QVariant NamedCountModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const simulation::NamedCount& entry = m_counts.at(index.row());
    const double share = m_total == 0
        ? 0.0
        : 100.0 * static_cast<double>(entry.count) / static_cast<double>(m_total);
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Name:
            return entry.name.isEmpty() ? m_emptyName : entry.name;
        case Count:
            return countText(entry.count);
        case Share:
            return percentText(share, 1);
        }
    } else if (role == Qt::UserRole) {
        switch (index.column()) {
        case Name:
            return entry.name;
        case Count:
            return static_cast<qulonglong>(entry.count);
        case Share:
            return share;
        }
    } else if (role == Qt::TextAlignmentRole && index.column() != Name) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant NamedCountModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return m_nameTitle;
    case Count:
        return tr("Requests");
    case Share:
        return tr("Share");
    }
    return {};
}

} // namespace qc::workbench
