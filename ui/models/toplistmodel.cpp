#include "toplistmodel.h"

#include <QLocale>

namespace qc::models {

using namespace Qt::StringLiterals;

TopListModel::TopListModel(services::InvestigationTarget::Kind kind, QObject* parent)
    : QAbstractTableModel(parent)
    , m_kind(kind)
{
}

void TopListModel::resetData(const QList<db::TopRow>& rows)
{
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

int TopListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TopListModel::columnCount(const QModelIndex& parent) const
{
    if (parent.isValid())
        return 0;
    return m_kind == services::InvestigationTarget::Kind::Endpoint ? ColumnCount : P95;
}

QVariant TopListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const db::TopRow& r = m_rows.at(index.row());
    const QLocale locale;
    if (role == IdentifierRole)
        return r.identifier;
    if (role == Qt::TextAlignmentRole)
        return index.column() == Identifier ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                            : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == SortRole) {
        switch (index.column()) {
        case Identifier:
            return r.identifier;
        case Requests:
            return r.requests;
        case Denials:
            return r.denials;
        case DenialPercent:
            return r.denialPercent;
        case Cost:
            return r.costUsd;
        case P95:
            return r.p95Ms ? *r.p95Ms : -1.0;
        }
        return {};
    }
    if (role == Qt::ToolTipRole && index.column() == Identifier)
        return tr("Double-click to investigate %1").arg(r.identifier);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Identifier:
        return r.identifier;
    case Requests:
        return locale.toString(r.requests);
    case Denials:
        return locale.toString(r.denials);
    case DenialPercent:
        return locale.toString(r.denialPercent, 'f', 2);
    case Cost:
        return QString(u"$"_s + locale.toString(r.costUsd, 'f', r.costUsd < 100 ? 4 : 2));
    case P95:
        return r.p95Ms ? locale.toString(*r.p95Ms, 'f', 1) : QString();
    }
    return {};
}

QVariant TopListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Identifier:
        switch (m_kind) {
        case services::InvestigationTarget::Kind::Ip:
            return tr("IP");
        case services::InvestigationTarget::Kind::User:
            return tr("User");
        case services::InvestigationTarget::Kind::Endpoint:
            return tr("Endpoint");
        default:
            return tr("Identifier");
        }
    case Requests:
        return tr("Requests");
    case Denials:
        return tr("Denials");
    case DenialPercent:
        return tr("Denial %");
    case Cost:
        return tr("Cost");
    case P95:
        return tr("p95 ms");
    }
    return {};
}

} // namespace qc::models
