#pragma once

#include "db/adminviews.h"
#include "models/jsondiff.h"
#include "models/valuetablemodel.h"

#include <QObject>

namespace qc::models {

/// The audit log (quota.admin_audit_log), newest first, a page at a time (keyset on id): who,
/// when, what, why.
class AuditModel final : public ValueTableModel<db::AuditEntry> {
    Q_OBJECT
    Q_DISABLE_COPY(AuditModel)
public:
    enum Column { Id, Time, Actor, Action, Target, Reason, Changes, ClientActionId };
    explicit AuditModel(QObject* parent = nullptr);

    void resetPage(const db::AuditPage& page, quint64 generation = 0);
    void appendPage(const db::AuditPage& page, quint64 generation = 0);
    void fetchFailed(quint64 generation = 0);
    bool hasMore() const { return m_hasMore; }
    quint64 generation() const { return m_generation; }
    /// The row of the entry with `id`, -1 when absent.
    int rowOf(qint64 id) const;

    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

Q_SIGNALS:
    /// Read the entries older than `beforeId` and appendPage() them.
    void fetchRequested(qint64 beforeId, quint64 generation);

protected:
    QVariant keyOf(const db::AuditEntry& row) const override { return row.id; }

private:
    bool m_hasMore = false;
    bool m_fetching = false;
    quint64 m_generation = 0;
};

/// The before/after of one audit row as a table of fields: changed ones first in colour,
/// unchanged ones grey.
class JsonDiffModel final : public ValueTableModel<JsonChange> {
    Q_OBJECT
    Q_DISABLE_COPY(JsonDiffModel)
public:
    enum Column { Field, Before, After };
    explicit JsonDiffModel(QObject* parent = nullptr);
    /// Shows the difference of an audit entry's before and after.
    void setEntry(const db::AuditEntry& entry);
};

} // namespace qc::models
