#pragma once

// The small tables of the Investigate page, one model per section. Kept in one file: each is
// a column list over a value struct of db/investigation.h and nothing else.

#include "db/investigation.h"
#include "models/valuetablemodel.h"

#include <QObject>

namespace qc::models {

/// The state of every rate-limit rule for the subject right now.
class RateLimitModel final : public ValueTableModel<db::RateLimitState> {
    Q_OBJECT
    Q_DISABLE_COPY(RateLimitModel)
public:
    enum Column { Rule, Scope, Algorithm, Identifier, Used, Remaining, Resets, Admits, Note };
    explicit RateLimitModel(QObject* parent = nullptr);
    /// "now" for the "resets in" column.
    void resetData(const QList<db::RateLimitState>& rows, const QDateTime& now);

private:
    QDateTime m_now;
};

/// Denials by reason.
class ReasonCountModel final : public ValueTableModel<db::ReasonCount> {
    Q_OBJECT
    Q_DISABLE_COPY(ReasonCountModel)
public:
    enum Column { Reason, Count, Share };
    explicit ReasonCountModel(QObject* parent = nullptr);
    void resetData(const QList<db::ReasonCount>& rows);

private:
    qint64 m_total = 0;
};

/// Idempotency collisions with their classification.
class CollisionModel final : public ValueTableModel<db::CollisionRow> {
    Q_OBJECT
    Q_DISABLE_COPY(CollisionModel)
public:
    enum Column { Time, Kind, Classification, Key, Endpoint, User, Client, SinceFirst, Request };
    explicit CollisionModel(QObject* parent = nullptr);
};

/// Plan changes of a user.
class PlanChangeModel final : public ValueTableModel<db::PlanChangeRow> {
    Q_OBJECT
    Q_DISABLE_COPY(PlanChangeModel)
public:
    enum Column { Effective, Kind, From, To, GraceEnd, By, Reason };
    explicit PlanChangeModel(QObject* parent = nullptr);
};

/// Usage of each plan-quota metric against its limit this cycle.
class UsageModel final : public ValueTableModel<db::UsageRow> {
    Q_OBJECT
    Q_DISABLE_COPY(UsageModel)
public:
    enum Column { Metric, Used, Limit, Share, LimitPlan, CycleStart };
    explicit UsageModel(QObject* parent = nullptr);
};

/// Users seen from an address, or addresses a user came from.
class RelatedModel final : public ValueTableModel<db::RelatedIdentifier> {
    Q_OBJECT
    Q_DISABLE_COPY(RelatedModel)
public:
    enum Column { Kind, Identifier, Requests, Denials };
    explicit RelatedModel(QObject* parent = nullptr);
};

/// A top list of the span overview: the busiest IPs, users or endpoints of a span.
class SpanTopModel final : public ValueTableModel<db::TopRow> {
    Q_OBJECT
    Q_DISABLE_COPY(SpanTopModel)
public:
    enum Column { Identifier, Requests, Denials, DenialPercent, Cost };
    explicit SpanTopModel(const QString& title, QObject* parent = nullptr);
};

} // namespace qc::models
