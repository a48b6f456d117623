#include "blockmodel.h"

#include "models/displayformat.h"

#include <QBrush>

namespace qc::models {

using namespace Qt::StringLiterals;

BlockModel::BlockModel(QObject* parent)
    : ValueTableModel<db::BlockRow>(parent)
{
    using R = db::BlockRow;
    addColumn({ tr("Target"), [](const R& r) -> QVariant { return r.target; }, {}, {}, {}, {} });
    addColumn({ tr("Value"), [](const R& r) -> QVariant { return r.value; }, {}, {}, {}, {} });
    addColumn({ tr("State"),
        [this](const R& r) -> QVariant {
            if (r.unblockedAt.isValid())
                return tr("lifted");
            if (r.activeAt(m_now))
                return tr("active");
            return r.from > m_now ? tr("scheduled") : tr("ended");
        },
        {},
        [this](const R& r, int role) -> QVariant {
            if (role == Qt::ForegroundRole && r.activeAt(m_now))
                return QBrush(display::severityColor(u"critical"_s));
            return {};
        },
        {}, {} });
    addColumn({ tr("From (UTC)"), [](const R& r) -> QVariant { return display::time(r.from); },
        [](const R& r) -> QVariant { return r.from; }, {}, {}, {} });
    addColumn({ tr("Until (UTC)"),
        [](const R& r) -> QVariant {
            return r.until.isValid() ? display::time(r.until) : tr("permanent");
        },
        [](const R& r) -> QVariant {
            return r.until.isValid() ? r.until : QDateTime::fromMSecsSinceEpoch(253402300799000LL);
        },
        {}, {}, {} });
    addColumn({ tr("Reason"), [](const R& r) -> QVariant { return r.reason; }, {},
        [](const R& r, int role) -> QVariant {
            return role == Qt::ToolTipRole ? QVariant(r.reason) : QVariant();
        },
        {}, {} });
    addColumn({ tr("Source"), [](const R& r) -> QVariant { return r.source; }, {}, {}, {},
        tr("auto: made by an abuse pattern; manual: by an operator") });
    addColumn({ tr("Incident"),
        [](const R& r) -> QVariant {
            if (!r.incidentId)
                return {};
            return r.incidentPattern.isEmpty()
                ? tr("#%1").arg(*r.incidentId)
                : tr("#%1 (%2)").arg(*r.incidentId).arg(r.incidentPattern);
        },
        [](const R& r) -> QVariant { return r.incidentId ? QVariant(*r.incidentId) : QVariant(); },
        {}, {}, tr("The abuse incident that made an automatic block") });
    addColumn({ tr("By"), [](const R& r) -> QVariant { return r.createdBy; }, {}, {}, {}, {} });
    addColumn({ tr("Lifted"),
        [](const R& r) -> QVariant {
            if (!r.unblockedAt.isValid())
                return {};
            return tr("%1 by %2").arg(display::time(r.unblockedAt), r.unblockedBy);
        },
        [](const R& r) -> QVariant { return r.unblockedAt; }, {}, {}, {} });
}

void BlockModel::resetData(const QList<db::BlockRow>& rows, const QDateTime& now)
{
    m_now = now;
    ValueTableModel<db::BlockRow>::resetData(rows);
}

} // namespace qc::models
