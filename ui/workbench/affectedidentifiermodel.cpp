#include "affectedidentifiermodel.h"

#include "displayformat.h"

#include <QHash>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace qc::workbench {

AffectedIdentifierModel::AffectedIdentifierModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void AffectedIdentifierModel::clear()
{
    beginResetModel();
    m_entries.clear();
    endResetModel();
}

void AffectedIdentifierModel::resetData(const simulation::Report& report)
{
    QList<Entry> entries;
    QHash<QString, qsizetype> rows; // "c:" / "u:" + identifier → row
    auto add = [&](bool user, const QList<simulation::NamedCount>& list, bool denied) {
        for (const simulation::NamedCount& n : list) {
            const QString key = (user ? u"u:"_s : u"c:"_s) % n.name;
            auto it = rows.find(key);
            if (it == rows.end()) {
                it = rows.insert(key, entries.size());
                entries.push_back(Entry { user, n.name, 0, 0 });
            }
            Entry& e = entries[*it];
            (denied ? e.newlyDenied : e.newlyAdmitted) += n.count;
        }
    };
    add(false, report.newlyDenied.topClients, true);
    add(true, report.newlyDenied.topUsers, true);
    add(false, report.newlyAdmitted.topClients, false);
    add(true, report.newlyAdmitted.topUsers, false);
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        if (a.newlyDenied != b.newlyDenied)
            return a.newlyDenied > b.newlyDenied;
        if (a.newlyAdmitted != b.newlyAdmitted)
            return a.newlyAdmitted > b.newlyAdmitted;
        return a.identifier < b.identifier;
    });
    beginResetModel();
    m_entries = std::move(entries);
    endResetModel();
}

int AffectedIdentifierModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

int AffectedIdentifierModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : 4;
}

QVariant AffectedIdentifierModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Entry& e = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Kind:
            return e.user ? tr("user") : tr("client");
        case Identifier:
            return e.identifier;
        case NewlyDenied:
            return countText(e.newlyDenied);
        case NewlyAdmitted:
            return countText(e.newlyAdmitted);
        }
        return {};
    case Qt::ToolTipRole:
        return e.identifier == u"(invalid)"_s
            ? tr("Requests without a valid client address")
            : tr("Double-click to investigate %1").arg(e.identifier);
    case Qt::TextAlignmentRole:
        if (index.column() >= NewlyDenied)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case KindRole:
        return e.user ? u"user"_s : u"client"_s;
    case IdentifierRole:
        return e.identifier;
    case SortRole:
        switch (index.column()) {
        case NewlyDenied:
            return static_cast<qulonglong>(e.newlyDenied);
        case NewlyAdmitted:
            return static_cast<qulonglong>(e.newlyAdmitted);
        case Kind:
            return e.user ? 1 : 0;
        default:
            return e.identifier;
        }
    default:
        return {};
    }
}

QVariant AffectedIdentifierModel::headerData(
    int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Kind:
        return tr("Kind");
    case Identifier:
        return tr("Identifier");
    case NewlyDenied:
        return tr("Newly denied");
    case NewlyAdmitted:
        return tr("Newly admitted");
    }
    return {};
}

} // namespace qc::workbench
