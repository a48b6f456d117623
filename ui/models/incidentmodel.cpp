#include "incidentmodel.h"

#include "models/displayformat.h"

#include <QBrush>
#include <QFont>
#include <QJsonValue>

namespace qc::models {

using namespace Qt::StringLiterals;

namespace {

const Qt::Alignment kRight = Qt::AlignRight | Qt::AlignVCenter;

QString incidentValue(const db::IncidentRow& i)
{
    const QJsonValue v = i.details.value(u"value");
    if (v.isUndefined() || v.isNull())
        return {};
    if (i.kind == u"cost")
        return display::money(v.toDouble() / 1e6);
    if (v.isDouble())
        return QString::number(v.toDouble());
    return v.toString();
}

} // namespace

IncidentModel::IncidentModel(QObject* parent)
    : ValueTableModel<db::IncidentRow>(parent)
{
    using R = db::IncidentRow;
    addColumn({ tr("Time (UTC)"), [](const R& r) -> QVariant { return display::time(r.ts); },
        [](const R& r) -> QVariant { return r.ts; }, {}, {}, {} });
    addColumn({ tr("Severity"), [](const R& r) -> QVariant { return r.severity; }, {},
        [](const R& r, int role) -> QVariant {
            if (role == Qt::ForegroundRole)
                return QBrush(display::severityColor(r.severity));
            if (role == Qt::FontRole && (r.severity == u"critical" || r.severity == u"high")) {
                QFont f;
                f.setBold(true);
                return f;
            }
            return {};
        },
        {}, {} });
    addColumn({ tr("Pattern"),
        [](const R& r) -> QVariant {
            return r.patternName.isEmpty() ? r.patternId
                                           : QString(r.patternName + u" ("_s + r.patternId + u')');
        },
        {},
        [](const R& r, int role) -> QVariant {
            if (role == Qt::ToolTipRole && !r.kind.isEmpty())
                return tr("Pattern kind: %1").arg(r.kind);
            return {};
        },
        {}, tr("The abuse pattern that raised the incident (docs/enforcement.md §8)") });
    addColumn({ tr("Scope"), [](const R& r) -> QVariant { return r.scope; }, {}, {}, {}, {} });
    addColumn(
        { tr("Identifier"), [](const R& r) -> QVariant { return r.identifier; }, {}, {}, {}, {} });
    addColumn({ tr("Action"), [](const R& r) -> QVariant { return r.action; }, {}, {}, {}, {} });
    addColumn({ tr("Blocked until"),
        [](const R& r) -> QVariant {
            if (r.blockedUntil.isValid())
                return QString(display::time(r.blockedUntil)
                    + (r.blockId ? tr(" (block %1)").arg(*r.blockId) : QString()));
            return {};
        },
        [](const R& r) -> QVariant { return r.blockedUntil; }, {}, {}, {} });
    addColumn({ tr("Value"), [](const R& r) -> QVariant { return incidentValue(r); }, {}, {},
        kRight, tr("What the pattern measured: requests in its window, or cost") });
    addColumn({ tr("Request"), [](const R& r) -> QVariant { return r.requestId; }, {}, {}, {},
        tr("The request that raised it") });
}

BuggyClientModel::BuggyClientModel(QObject* parent)
    : ValueTableModel<db::BuggyClient>(parent)
{
    using R = db::BuggyClient;
    addColumn({ tr("User"), [](const R& r) -> QVariant { return r.userId; }, {}, {}, {}, {} });
    addColumn({ tr("Collisions (24 h)"), [](const R& r) -> QVariant { return r.collisions; }, {},
        [](const R&, int role) -> QVariant {
            if (role == Qt::ForegroundRole)
                return QBrush(display::severityColor(u"high"_s));
            return {};
        },
        kRight, {} });
    addColumn({ tr("Parameters"), [](const R& r) -> QVariant { return r.parameters; }, {}, {},
        kRight, tr("Same key, different request parameters") });
    addColumn({ tr("Late"), [](const R& r) -> QVariant { return r.late; }, {}, {}, kRight,
        tr("Same key more than 5 minutes after the first request") });
    addColumn({ tr("User agent"), [](const R& r) -> QVariant { return r.userAgent; }, {}, {},
        kRight, tr("Same key from a different user agent") });
    addColumn({ tr("First"), [](const R& r) -> QVariant { return display::time(r.first); },
        [](const R& r) -> QVariant { return r.first; }, {}, {}, {} });
    addColumn({ tr("Last"), [](const R& r) -> QVariant { return display::time(r.last); },
        [](const R& r) -> QVariant { return r.last; }, {}, {}, {} });
    addColumn({ tr("Last key"), [](const R& r) -> QVariant { return r.lastKey; }, {}, {}, {}, {} });
}

} // namespace qc::models
