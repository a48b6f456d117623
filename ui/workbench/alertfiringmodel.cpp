#include "alertfiringmodel.h"

#include "displayformat.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace qc::workbench {

AlertFiringModel::AlertFiringModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void AlertFiringModel::resetData(const QList<simulation::AlertFiring>& alerts)
{
    beginResetModel();
    m_alerts = alerts;
    endResetModel();
}

QStringList AlertFiringModel::newUnderCandidate() const
{
    QStringList baseline;
    QStringList candidate;
    for (const simulation::AlertFiring& a : m_alerts)
        (a.policy == u"baseline"_s ? baseline : candidate).push_back(a.rule);
    QStringList out;
    for (const QString& rule : candidate) {
        if (!baseline.contains(rule) && !out.contains(rule))
            out.push_back(rule);
    }
    return out;
}

int AlertFiringModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_alerts.size());
}

int AlertFiringModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : 6;
}

QVariant AlertFiringModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const simulation::AlertFiring& a = m_alerts.at(index.row());
    const bool isNew = a.policy == u"candidate"_s && newUnderCandidate().contains(a.rule);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Rule:
            return a.rule;
        case Policy:
            return a.policy == u"baseline"_s ? tr("baseline")
                : isNew                      ? tr("candidate (new)")
                                             : tr("candidate");
        case Condition:
            return a.condition;
        case FirstMinute:
            return timeText(a.firstMinute);
        case Minutes:
            return countText(a.minutes);
        case Peak:
            return QLocale().toString(a.peak, 'f', 1);
        }
        return {};
    case Qt::ForegroundRole:
        if (isNew)
            return QBrush(QColor(0xb3, 0x26, 0x1e));
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() >= Minutes)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

QVariant AlertFiringModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Rule:
        return tr("Alert");
    case Policy:
        return tr("Policy");
    case Condition:
        return tr("Condition");
    case FirstMinute:
        return tr("First firing");
    case Minutes:
        return tr("Minutes");
    case Peak:
        return tr("Peak");
    }
    return {};
}

} // namespace qc::workbench
