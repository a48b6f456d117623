#include "disagreementmodel.h"

#include "displayformat.h"

using namespace Qt::StringLiterals;

namespace qc::workbench {

DisagreementModel::DisagreementModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void DisagreementModel::resetData(
    const QList<simulation::Disagreement>& disagreements, const QList<DisagreementDetail>& details)
{
    beginResetModel();
    m_rows = disagreements;
    m_details = details;
    endResetModel();
}

QString DisagreementModel::decisionText(const simulation::DecisionText& d)
{
    QString text = d.allowed ? tr("allowed") : tr("denied");
    if (d.status != 0)
        text += u' ' % QString::number(d.status);
    if (!d.reason.isEmpty())
        text += u' ' % d.reason;
    if (!d.rule.isEmpty())
        text += u" ("_s % d.rule % u')';
    return text;
}

int DisagreementModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int DisagreementModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : 8;
}

QVariant DisagreementModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const simulation::Disagreement& d = m_rows.at(index.row());
    const DisagreementDetail detail
        = index.row() < m_details.size() ? m_details.at(index.row()) : DisagreementDetail {};
    if (role == ClientRole)
        return detail.client;
    if (role == UserRole)
        return detail.user;
    if (role == Qt::TextAlignmentRole && index.column() == Line)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Line:
        return d.line > 0 ? QString::number(d.line) : QString::number(d.index + 1);
    case Time:
        return detail.ts != 0 ? timeText(detail.ts, true) : QString();
    case RequestId:
        return d.requestId;
    case Client:
        return detail.client;
    case User:
        return detail.user;
    case Endpoint:
        return detail.method.isEmpty() ? detail.endpoint
                                       : QString(detail.method % u' ' % detail.endpoint);
    case Recorded:
        return decisionText(d.recorded);
    case Simulated:
        return decisionText(d.simulated);
    }
    return {};
}

QVariant DisagreementModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Line:
        return tr("Row");
    case Time:
        return tr("Time");
    case RequestId:
        return tr("Request");
    case Client:
        return tr("Client");
    case User:
        return tr("User");
    case Endpoint:
        return tr("Endpoint");
    case Recorded:
        return tr("Recorded live");
    case Simulated:
        return tr("Baseline decided");
    }
    return {};
}

} // namespace qc::workbench
