#pragma once

#include "db/adminviews.h"
#include "models/valuetablemodel.h"

#include <QObject>

namespace qc::models {

/// Abuse incidents (quota.abuse_incidents), newest first: when, the pattern that raised it,
/// severity, identifier, action and the block it made.
class IncidentModel final : public ValueTableModel<db::IncidentRow> {
    Q_OBJECT
    Q_DISABLE_COPY(IncidentModel)
public:
    enum Column {
        Time,
        Severity,
        Pattern,
        Scope,
        Identifier,
        Action,
        BlockedUntil,
        Value,
        Request
    };
    explicit IncidentModel(QObject* parent = nullptr);

protected:
    QVariant keyOf(const db::IncidentRow& row) const override { return row.id; }
};

/// Users with more than 10 idempotency collisions in 24 h ("buggy clients").
class BuggyClientModel final : public ValueTableModel<db::BuggyClient> {
    Q_OBJECT
    Q_DISABLE_COPY(BuggyClientModel)
public:
    enum Column { User, Collisions, Parameters, Late, UserAgent, First, Last, LastKey };
    explicit BuggyClientModel(QObject* parent = nullptr);

protected:
    QVariant keyOf(const db::BuggyClient& row) const override { return row.userId; }
};

} // namespace qc::models
