#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace qc::db {

/// The outcome of one audited admin action (docs/database.md "Admin actions").
struct ActionResult {
    bool ok = false;
    qint64 auditId = 0;
    bool replayed = false; // a retry of an action already applied: nothing changed now
    QJsonObject result; // the changed row as it is afterwards
    QString sqlState; // "QC409" stale version, "42501" role, "22023" bad input, ...
    QString message; // the server's primary message, e.g. "conflict: changed by bob at ..."
    QString detail;

    bool isConflict() const { return sqlState == u"QC409"; }
    bool isPermissionDenied() const { return sqlState == u"42501"; }
};

/// Calls the quota.* admin functions on one connection (use it in that connection's thread).
/// Every call takes a client action id: make one per intended action (newClientActionId())
/// and pass the same id when retrying after a lost reply.
class AdminActions {
public:
    explicit AdminActions(QSqlDatabase database);

    static QString newClientActionId();

    ActionResult changePlan(const QString& actionId, const QString& userId, const QString& plan,
        std::optional<qint64> expectedVersion, const QString& reason);
    ActionResult block(const QString& actionId, const QString& target, const QString& value,
        const QString& reason, const QDateTime& until = {});
    ActionResult unblock(const QString& actionId, qint64 blockId,
        std::optional<qint64> expectedVersion, const QString& reason);
    ActionResult acknowledgeAlert(const QString& actionId, qint64 alertId,
        std::optional<qint64> expectedVersion, const QString& note);
    ActionResult unacknowledgeAlert(const QString& actionId, qint64 alertId,
        std::optional<qint64> expectedVersion, const QString& note);
    ActionResult createPolicyVersion(
        const QString& actionId, const QJsonObject& policy, const QString& reason);
    /// `expectedActiveId`: the version the admin saw active (0 = none).
    ActionResult activatePolicyVersion(const QString& actionId, qint64 versionId,
        std::optional<qint64> expectedActiveId, const QString& reason);
    ActionResult rollbackPolicy(
        const QString& actionId, std::optional<qint64> expectedActiveId, const QString& reason);

    /// NULL (nullopt) when the audit chain is intact, else the id of the first broken row.
    /// Errors are reported through `error`.
    std::optional<qint64> verifyAuditChain(QString* error = nullptr);

private:
    ActionResult call(const QString& sql, const QVariantList& params);

    QSqlDatabase m_database;
};

} // namespace qc::db
