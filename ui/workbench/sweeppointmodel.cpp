#include "sweeppointmodel.h"

#include "displayformat.h"

#include <QFont>

using namespace Qt::StringLiterals;

namespace qc::workbench {

SweepPointModel::SweepPointModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void SweepPointModel::resetData(const simulation::SweepResult& result)
{
    beginResetModel();
    m_result = result;
    m_empty = false;
    endResetModel();
}

void SweepPointModel::clear()
{
    beginResetModel();
    m_result = {};
    m_empty = true;
    endResetModel();
}

const simulation::SweepPoint* SweepPointModel::pointAt(int row) const
{
    if (m_empty || row < 1 || row > m_result.points.size())
        return nullptr;
    return &m_result.points.at(row - 1);
}

int SweepPointModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() || m_empty)
        return 0;
    return static_cast<int>(m_result.points.size()) + 1;
}

int SweepPointModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : 9;
}

QVariant SweepPointModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const bool baseline = index.row() == 0;
    const simulation::SweepPoint& p
        = baseline ? m_result.baseline : m_result.points.at(index.row() - 1);
    const bool current = !baseline && p.value == m_result.candidateValue;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Value:
            if (baseline)
                return tr("baseline");
            return current ? tr("%1 (candidate)").arg(p.valueText) : p.valueText;
        case Denied:
            return countText(p.denied);
        case LegitimateDenied:
            return QString(countText(p.legitimateDenied) % u" ("_s
                % percentText(p.legitimateDeniedPct) % u')');
        case AbusiveAdmitted:
            return QString(
                countText(p.abusiveAdmitted) % u" ("_s % percentText(p.abusiveAdmittedPct) % u')');
        case CostAdmitted:
            return moneyText(p.costAdmitted);
        case CostSaved:
            return moneyText(p.costSaved);
        case NewlyDenied:
            return countText(p.newlyDenied);
        case PaidNewlyDenied:
            return countText(p.paidNewlyDenied);
        case Incidents:
            return countText(p.incidents);
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() != Value)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::FontRole:
        if (baseline || current) {
            QFont font;
            font.setBold(current);
            font.setItalic(baseline);
            return font;
        }
        return {};
    case ValueRole:
        return baseline ? QVariant() : QVariant(static_cast<qlonglong>(p.value));
    case IsBaselineRole:
        return baseline;
    default:
        return {};
    }
}

QVariant SweepPointModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case LegitimateDenied:
            return tr("Requests of clients and users that raised no abuse incident under the "
                      "baseline, denied by this value (share of all legitimate requests)");
        case AbusiveAdmitted:
            return tr("Requests of clients and users that raised an abuse incident under the "
                      "baseline, admitted by this value");
        case CostSaved:
            return tr("Baseline's cost admitted minus this value's");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Value:
        return m_empty ? tr("Value") : m_result.parameter.path();
    case Denied:
        return tr("Denied");
    case LegitimateDenied:
        return tr("Legitimate denied");
    case AbusiveAdmitted:
        return tr("Abusive admitted");
    case CostAdmitted:
        return tr("Cost admitted");
    case CostSaved:
        return tr("Cost saved");
    case NewlyDenied:
        return tr("Newly denied");
    case PaidNewlyDenied:
        return tr("Paid newly denied");
    case Incidents:
        return tr("Incidents");
    }
    return {};
}

} // namespace qc::workbench
