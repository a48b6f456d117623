#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QVariantList>

#include <optional>

namespace qc::db {

/// One row of quota.blocked_identifiers, with the incident that made an automatic block.
struct BlockRow {
    qint64 id = 0;
    QString target; // ip | network | user
    QString value;
    QDateTime from;
    QDateTime until; // null = permanent
    QString reason;
    QString source; // auto | manual
    std::optional<qint64> incidentId;
    QString incidentPattern; // pattern id of that incident
    QString createdBy;
    QDateTime createdAt;
    QString unblockedBy;
    QDateTime unblockedAt;
    qint64 version = 1;

    /// In force at `t`: started, not ended, not lifted.
    bool activeAt(const QDateTime& t) const
    {
        return from <= t && (!until.isValid() || t < until)
            && (!unblockedAt.isValid() || t < unblockedAt);
    }
};

/// One row of quota.abuse_incidents (docs/enforcement.md §8).
struct IncidentRow {
    qint64 id = 0;
    QString patternId;
    QString patternName; // details.pattern_name
    QString kind; // rate | cost | user_agent | country
    QString scope; // ip | user
    QString identifier;
    QDateTime ts;
    QString severity;
    QString action; // log | alert | block | escalate
    QDateTime blockedUntil;
    QString requestId;
    QJsonObject details;
    std::optional<qint64> blockId; // the block it made, if any
};

/// One row of quota.idempotency_collisions.
struct CollisionRow {
    qint64 id = 0;
    QDateTime ts;
    QString scope;
    QString key;
    QString requestId;
    QString firstRequestId;
    int flags = 0;
    QString kind; // parameters | late | user_agent (the first of user agent, late, parameters)
    bool differentParameters = false;
    bool late = false;
    bool differentUserAgent = false;
    QString userId;
    QString clientKey;
    QString endpoint;
    QString method;
    QString storedUserAgent;
    QString userAgent;
    QDateTime firstSeen;
    qint64 msSinceFirst = 0;

    /// "parameters, late, user agent" — every flag, for display.
    QString classification() const;
};

/// A user with more idempotency collisions in 24 h than a well-behaved client makes: a
/// "buggy client" (docs/investigation.md).
struct BuggyClient {
    QString userId;
    qint64 collisions = 0;
    qint64 parameters = 0;
    qint64 late = 0;
    qint64 userAgent = 0;
    QDateTime first;
    QDateTime last;
    QString lastKey;
};
inline constexpr int kBuggyClientCollisions = 10; // more than this many in 24 h

/// One row of quota.alerts.
struct AlertRow {
    qint64 id = 0;
    QString rule;
    QJsonObject labels;
    QJsonObject annotations;
    QString severity;
    QString state; // firing | acknowledged | resolved
    QString fingerprint;
    QDateTime startsAt;
    QDateTime endsAt;
    QString acknowledgedBy;
    QDateTime acknowledgedAt;
    QString acknowledgeNote;
    qint64 version = 1;
    QString updatedBy;
    QDateTime updatedAt;
};

/// One row of quota.admin_audit_log.
struct AuditEntry {
    qint64 id = 0;
    QDateTime ts;
    QString actor;
    QString action;
    QString target;
    QString reason;
    QJsonObject before;
    QJsonObject after;
    QJsonObject result;
    QString clientActionId;
    bool beforeIsNull = true;
    bool afterIsNull = true;
};

struct IncidentFilter {
    QDateTime from;
    QDateTime to;
    QString identifier; // exact, empty = all
    QString severity; // empty = all
    int limit = 1000;
};
struct IncidentList {
    QList<IncidentRow> incidents;
    QList<BuggyClient> buggyClients; // in the 24 h before `to`
    QString error;
    bool ok() const { return error.isEmpty(); }
};
/// Incidents of [from, to), newest first, and the buggy clients of the 24 h before `to`.
IncidentList readIncidents(QSqlDatabase database, const IncidentFilter& filter);
/// Incidents matching `condition` (SQL over `quota.abuse_incidents i`, with $n placeholders
/// for `params`), newest first; no buggy clients. For callers in this library that know the
/// condition; values always go through `params`.
IncidentList readIncidentsMatching(
    QSqlDatabase database, const QString& condition, const QVariantList& params, int limit = 500);
/// Users with more than kBuggyClientCollisions collisions in [end - 24 h, end).
QList<BuggyClient> readBuggyClients(
    QSqlDatabase database, const QDateTime& end, QString* error = nullptr);

struct BlockFilter {
    bool includeEnded = false; // also blocks that ended or were lifted
    QString value; // exact target value, empty = all
    int limit = 2000;
};
struct BlockList {
    QList<BlockRow> blocks;
    QDateTime readAt; // the database's now()
    QString error;
    bool ok() const { return error.isEmpty(); }
};
BlockList readBlocks(QSqlDatabase database, const BlockFilter& filter);
/// Blocks matching `condition` (SQL over `b`, the quota.blocked_identifiers row, with $n
/// placeholders for `params`), newest first. For callers in this library that know the
/// condition; values always go through `params`.
BlockList readBlocksMatching(
    QSqlDatabase database, const QString& condition, const QVariantList& params, int limit = 500);

struct AlertList {
    QList<AlertRow> alerts;
    QString error;
    bool ok() const { return error.isEmpty(); }
};
/// Open alerts (firing, acknowledged) and those resolved in the last `resolvedHours`.
AlertList readAlerts(QSqlDatabase database, int resolvedHours = 24);

/// A page of the audit log, newest first (keyset on id).
struct AuditFilter {
    QString actor; // exact
    QString action; // exact
    QString target; // substring
    QDateTime from;
    QDateTime to;
    qint64 beforeId = 0; // 0 = from the newest
    int limit = 500;
};
struct AuditPage {
    QList<AuditEntry> entries;
    bool hasMore = false;
    /// quota.verify_audit_chain(): the first row that does not verify; nullopt when intact.
    std::optional<qint64> brokenAt;
    bool verified = false; // the check ran (only done for the first page)
    QString error;
    bool ok() const { return error.isEmpty(); }
};
AuditPage readAuditLog(QSqlDatabase database, const AuditFilter& filter, bool verifyChain);

} // namespace qc::db
