#pragma once

#include "db/adminviews.h"
#include "db/dashboardqueries.h"
#include "db/requestlog.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace qc::db {

/// What is being investigated (docs/investigation.md).
struct Subject {
    enum class Kind { Ip, Network, User, Endpoint };
    Kind kind = Kind::Ip;
    QString value; // canonical: an address, a CIDR, a user id, an endpoint

    /// Reads what someone typed: an address, a CIDR (any prefix), "user:<id>", an endpoint
    /// (starting with '/'), else a user id. `error` says what is wrong when it returns nullopt.
    static std::optional<Subject> parse(const QString& text, QString* error = nullptr);
    /// The /24 (IPv4) or /64 (IPv6) network of an address subject.
    std::optional<Subject> enclosingNetwork() const;
    /// The filter of the subject's requests in [from, to).
    RequestLogFilter requestFilter(const QDateTime& from, const QDateTime& to) const;
    /// "ip", "network", "user", "endpoint".
    QString kindName() const;
    bool operator==(const Subject&) const = default;
};

/// Requests, denials and cost of one hour (or, for endpoints, one rollup step).
struct ActivityPoint {
    QDateTime t;
    qint64 requests = 0;
    qint64 denials = 0;
    double costUsd = 0;
};

struct ReasonCount {
    QString reason;
    qint64 count = 0;
};

/// The rate-limit state of one rule for the subject right now (quota.rate_limit_state).
struct RateLimitState {
    int order = 0; // position in the policy
    QString ruleId;
    QString scope;
    QString algorithm;
    bool shadow = false;
    QString identifier;
    QString endpoint; // for *_endpoint scopes
    qint64 limit = 0;
    qint64 used = 0;
    qint64 remaining = 0;
    qint64 windowMs = 0;
    QDateTime resetAt;
    bool admits = true;
    QString note; // why the rule may not apply to every request
    QDateTime updatedAt; // of the counter; null without one
};

/// Usage of one plan-quota metric in the current billing cycle.
struct UsageRow {
    QString metric;
    qint64 used = 0;
    qint64 limit = -1; // -1 = unlimited; 0 = none allowed
    QString limitPlan; // the plan whose limit applies (the previous one during a grace)
    QDateTime cycleStart;
};

/// The subscription of a user.
struct PlanInfo {
    bool hasSubscription = false;
    QString plan; // current (or the default plan without a subscription)
    QString previousPlan; // during a downgrade's grace
    QDateTime graceEnd;
    QDateTime cycleAnchor;
    qint64 version = 0; // 0 = no subscription
    QString updatedBy;
    QDateTime updatedAt;
};

struct PlanChangeRow {
    qint64 id = 0;
    QString userId;
    QString fromPlan;
    QString toPlan;
    QString kind; // initial | upgrade | downgrade
    QDateTime effectiveAt;
    QString previousPlan;
    QDateTime graceEnd;
    QString changedBy;
    QString reason;
};

/// One identifier seen together with the subject (users of an IP, IPs of a user).
struct RelatedIdentifier {
    QString kind; // "ip" or "user"
    QString identifier;
    qint64 requests = 0;
    qint64 denials = 0;
};

/// What an investigation shows first: totals, the activity chart and the newest requests.
/// Answered from rollup_identifier_hour (or rollup_minute for an endpoint) and one indexed,
/// time-bounded page of request_logs, so that it paints fast on a large database.
struct InvestigationTimeline {
    Subject subject;
    QDateTime from;
    QDateTime to;
    qint64 requests = 0;
    qint64 denials = 0;
    double costUsd = 0;
    QDateTime firstSeen; // first hour with requests in the range
    QDateTime lastSeen;
    QList<ActivityPoint> activity;
    RequestLogPage firstPage; // newest first; page on with fetchRequestLogPage
    QString error;
    qint64 queryMs = 0;
    bool ok() const { return error.isEmpty(); }
};

/// The rest: denials by reason, blocks, incidents, collisions, plan, usage, plan changes,
/// rate-limit state and related identifiers.
struct InvestigationDetails {
    Subject subject;
    QList<ReasonCount> denialsByReason;
    QList<BlockRow> blocks; // on the subject (and, for an address, its network's blocks)
    QList<IncidentRow> incidents;
    QList<CollisionRow> collisions;
    qint64 collisions24h = 0; // of a user, for the buggy-client flag
    std::optional<PlanInfo> plan; // users only
    QList<UsageRow> usage; // users only
    QList<PlanChangeRow> planChanges; // users only
    QList<RateLimitState> rateLimits;
    QList<RelatedIdentifier> related;
    QStringList warnings; // parts that could not be read, with the reason
    QString error;
    qint64 queryMs = 0;
    bool ok() const { return error.isEmpty(); }
};

/// Reads the timeline of `subject` in [from, to) (in the connection's thread) and, when
/// `firstPageRows` > 0, the first page of its requests (newest first).
InvestigationTimeline readInvestigationTimeline(QSqlDatabase database, const Subject& subject,
    const QDateTime& from, const QDateTime& to, int firstPageRows = 200);
/// Reads the details of `subject` in [from, to); the rate-limit state is the one at `now`.
InvestigationDetails readInvestigationDetails(QSqlDatabase database, const Subject& subject,
    const QDateTime& from, const QDateTime& to, const QDateTime& now);

/// Who was active in a span (a time range dragged on a chart, without an identifier): the
/// busiest IPs, users and endpoints, from the rollups (the dashboard's top-list queries).
struct SpanOverview {
    QDateTime from;
    QDateTime to;
    QList<TopRow> ips;
    QList<TopRow> users;
    QList<TopRow> endpoints;
    QString error;
    bool ok() const { return error.isEmpty(); }
};
SpanOverview readSpanOverview(
    QSqlDatabase database, const QDateTime& from, const QDateTime& to, int limit = 50);

/// Users of one plan's quota metrics in the current cycle of `plan` (for the change-plan form):
/// the subscription, its usage, and every plan of the active policy with its quotas.
struct PlanQuota {
    QString plan;
    int rank = 0;
    bool paid = false;
    QJsonObject quotas; // metric → limit (-1 = unlimited)
};
struct PlanOverview {
    QString userId;
    PlanInfo current;
    QList<UsageRow> usage;
    QList<PlanQuota> plans; // in display order
    qint64 downgradeGraceMs = 0; // the active policy's
    QString defaultPlan;
    QString error;
    bool ok() const { return error.isEmpty(); }
};
PlanOverview readPlanOverview(QSqlDatabase database, const QString& userId, const QDateTime& now);

} // namespace qc::db
