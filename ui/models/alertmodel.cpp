#include "alertmodel.h"

#include "models/displayformat.h"

#include <QBrush>
#include <QFont>

namespace qc::models {

using namespace Qt::StringLiterals;
using services::AlertItem;

AlertModel::AlertModel(QObject* parent)
    : ValueTableModel<AlertItem>(parent)
{
    addColumn({ tr("State"), [](const AlertItem& a) -> QVariant { return a.state; }, {},
        [](const AlertItem& a, int role) -> QVariant {
            if (role == StateRole)
                return a.state;
            if (role == Qt::ForegroundRole && a.state == u"firing")
                return QBrush(display::severityColor(u"critical"_s));
            if (role == Qt::FontRole && a.state == u"firing") {
                QFont f;
                f.setBold(true);
                return f;
            }
            if (role == Qt::ToolTipRole && a.state == u"silenced")
                return tr("Silenced in Alertmanager by a silence this console did not make");
            return {};
        },
        {}, {} });
    addColumn({ tr("Severity"), [](const AlertItem& a) -> QVariant { return a.severity; }, {},
        [](const AlertItem& a, int role) -> QVariant {
            if (role == Qt::ForegroundRole)
                return QBrush(display::severityColor(a.severity));
            return {};
        },
        {}, {} });
    addColumn({ tr("Alert"), [](const AlertItem& a) -> QVariant { return a.name; }, {},
        [](const AlertItem& a, int role) -> QVariant {
            if (role != Qt::ToolTipRole)
                return {};
            QStringList labels;
            for (auto it = a.labels.begin(); it != a.labels.end(); ++it)
                labels << it.key() + u"=\""_s + it.value() + u'"';
            return labels.join(u", "_s);
        },
        {}, {} });
    addColumn({ tr("Summary"), [](const AlertItem& a) -> QVariant { return a.summary; }, {},
        [](const AlertItem& a, int role) -> QVariant {
            return role == Qt::ToolTipRole ? QVariant(a.description) : QVariant();
        },
        {}, {} });
    addColumn({ tr("Since (UTC)"),
        [](const AlertItem& a) -> QVariant { return display::time(a.startsAt); },
        [](const AlertItem& a) -> QVariant { return a.startsAt; }, {}, {}, {} });
    addColumn({ tr("Source"), [](const AlertItem& a) -> QVariant { return a.sources(); }, {}, {},
        {}, tr("Where the alert comes from: the quota database, Alertmanager, or both") });
    addColumn({ tr("Acknowledged"),
        [](const AlertItem& a) -> QVariant {
            if (a.acknowledgedBy.isEmpty())
                return {};
            return a.note.isEmpty() ? a.acknowledgedBy : a.acknowledgedBy + u": "_s + a.note;
        },
        {},
        [](const AlertItem& a, int role) -> QVariant {
            if (role == Qt::ToolTipRole && a.acknowledgedAt.isValid())
                return tr("Acknowledged by %1 at %2")
                    .arg(a.acknowledgedBy, display::time(a.acknowledgedAt));
            return {};
        },
        {}, {} });
    addColumn({ tr("Silenced until"),
        [](const AlertItem& a) -> QVariant {
            if (a.silences.isEmpty())
                return {};
            return display::time(a.acknowledgedUntil);
        },
        [](const AlertItem& a) -> QVariant { return a.acknowledgedUntil; }, {}, {},
        tr("End of the Alertmanager silence of the acknowledgement") });
}

int AlertModel::rowOf(const QString& key) const
{
    for (int r = 0; r < rows().size(); ++r) {
        if (rows().at(r).key == key)
            return r;
    }
    return -1;
}

AlertStateProxyModel::AlertStateProxyModel(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(SortRole);
}

void AlertStateProxyModel::setOpenOnly(bool openOnly)
{
    if (m_openOnly == openOnly)
        return;
    m_openOnly = openOnly;
    invalidateFilter();
}

bool AlertStateProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (!m_openOnly)
        return true;
    const QModelIndex i = sourceModel()->index(sourceRow, AlertModel::State, sourceParent);
    return i.data(AlertModel::StateRole).toString() != u"resolved";
}

} // namespace qc::models
