#include "auditmodel.h"

#include "models/displayformat.h"

#include <QBrush>
#include <QFont>
#include <QJsonObject>

#include <algorithm>

namespace qc::models {

using namespace Qt::StringLiterals;

namespace {

QList<JsonChange> changesOf(const db::AuditEntry& e)
{
    return diffJson(e.beforeIsNull ? QJsonValue(QJsonValue::Null) : QJsonValue(e.before),
        e.afterIsNull ? QJsonValue(QJsonValue::Null) : QJsonValue(e.after));
}

} // namespace

AuditModel::AuditModel(QObject* parent)
    : ValueTableModel<db::AuditEntry>(parent)
{
    using R = db::AuditEntry;
    const Qt::Alignment right = Qt::AlignRight | Qt::AlignVCenter;
    addColumn({ tr("#"), [](const R& r) -> QVariant { return r.id; }, {}, {}, right, {} });
    addColumn({ tr("Time (UTC)"), [](const R& r) -> QVariant { return display::time(r.ts); },
        [](const R& r) -> QVariant { return r.ts; }, {}, {}, {} });
    addColumn({ tr("Who"), [](const R& r) -> QVariant { return r.actor; }, {}, {}, {},
        tr("The database role that acted (session_user)") });
    addColumn({ tr("What"), [](const R& r) -> QVariant { return r.action; }, {}, {}, {}, {} });
    addColumn({ tr("Target"), [](const R& r) -> QVariant { return r.target; }, {}, {}, {}, {} });
    addColumn({ tr("Why"), [](const R& r) -> QVariant { return r.reason; }, {},
        [](const R& r, int role) -> QVariant {
            return role == Qt::ToolTipRole ? QVariant(r.reason) : QVariant();
        },
        {}, {} });
    addColumn({ tr("Changes"),
        [](const R& r) -> QVariant {
            const QList<JsonChange> changes = changesOf(r);
            QStringList fields;
            for (const JsonChange& c : changes) {
                if (c.path == u"version" || c.path == u"updated_at" || c.path == u"updated_by")
                    continue;
                if (c.kind == JsonChange::Kind::Changed)
                    fields << c.path + u": "_s + jsonText(c.before) + u" → "_s + jsonText(c.after);
            }
            if (r.beforeIsNull && !r.afterIsNull)
                return tr("created");
            return fields.join(u"; "_s);
        },
        {},
        [](const R& r, int role) -> QVariant {
            return role == Qt::ToolTipRole ? QVariant(describeChanges(changesOf(r))) : QVariant();
        },
        {}, {} });
    addColumn({ tr("Client action id"), [](const R& r) -> QVariant { return r.clientActionId; }, {},
        {}, {}, {} });
}

void AuditModel::resetPage(const db::AuditPage& page, quint64 generation)
{
    m_generation = generation;
    m_hasMore = page.hasMore;
    m_fetching = false;
    resetData(page.entries);
}

void AuditModel::appendPage(const db::AuditPage& page, quint64 generation)
{
    if (generation != m_generation || !m_fetching)
        return;
    m_fetching = false;
    m_hasMore = page.hasMore;
    appendRows(page.entries);
}

void AuditModel::fetchFailed(quint64 generation)
{
    if (generation == m_generation)
        m_fetching = false;
}

int AuditModel::rowOf(qint64 id) const
{
    for (int r = 0; r < rows().size(); ++r)
        if (rows().at(r).id == id)
            return r;
    return -1;
}

bool AuditModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && m_hasMore && !m_fetching && !rows().isEmpty();
}

void AuditModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent))
        return;
    m_fetching = true;
    Q_EMIT fetchRequested(rows().constLast().id, m_generation);
}

JsonDiffModel::JsonDiffModel(QObject* parent)
    : ValueTableModel<JsonChange>(parent)
{
    const auto colour = [](const JsonChange& c, int role) -> QVariant {
        if (role == Qt::ForegroundRole) {
            switch (c.kind) {
            case JsonChange::Kind::Added:
                return QBrush(QColor(0x2e, 0x7d, 0x32));
            case JsonChange::Kind::Removed:
                return QBrush(QColor(0xc6, 0x28, 0x28));
            case JsonChange::Kind::Changed:
                return QBrush(QColor(0x15, 0x65, 0xc0));
            case JsonChange::Kind::Same:
                return QBrush(QColor(0x75, 0x75, 0x75));
            }
        }
        if (role == Qt::FontRole && c.kind != JsonChange::Kind::Same) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    };
    addColumn({ tr("Field"), [](const JsonChange& c) -> QVariant { return c.path; }, {}, colour, {},
        {} });
    addColumn({ tr("Before"), [](const JsonChange& c) -> QVariant { return jsonText(c.before); },
        {}, colour, {}, {} });
    addColumn({ tr("After"), [](const JsonChange& c) -> QVariant { return jsonText(c.after); }, {},
        colour, {}, {} });
}

void JsonDiffModel::setEntry(const db::AuditEntry& e)
{
    QList<JsonChange> all
        = diffJson(e.beforeIsNull ? QJsonValue(QJsonValue::Null) : QJsonValue(e.before),
            e.afterIsNull ? QJsonValue(QJsonValue::Null) : QJsonValue(e.after), true);
    std::stable_partition(all.begin(), all.end(),
        [](const JsonChange& c) { return c.kind != JsonChange::Kind::Same; });
    resetData(all);
}

} // namespace qc::models
