#pragma once

#include "db/adminviews.h"
#include "models/valuetablemodel.h"

#include <QDateTime>
#include <QObject>

namespace qc::models {

/// Blocks (quota.blocked_identifiers): target, value, from, until, reason, source and, for
/// automatic blocks, the incident that made them.
class BlockModel final : public ValueTableModel<db::BlockRow> {
    Q_OBJECT
    Q_DISABLE_COPY(BlockModel)
public:
    enum Column { Target, Value, State, From, Until, Reason, Source, Incident, CreatedBy, Lifted };
    explicit BlockModel(QObject* parent = nullptr);

    /// Rows and the time "active" is judged at (the database's now()).
    void resetData(const QList<db::BlockRow>& rows, const QDateTime& now);
    QDateTime now() const { return m_now; }

protected:
    QVariant keyOf(const db::BlockRow& row) const override { return row.id; }

private:
    QDateTime m_now;
};

} // namespace qc::models
