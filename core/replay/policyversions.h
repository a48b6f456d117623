#pragma once

#include "enforcement/policy.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <optional>

namespace qc::replay {

/// One row of quota.policy_versions.
struct PolicyVersion {
    qint64 id = 0;
    bool active = false;
    QString reason;
    QString createdBy;
    QDateTime createdAt;
    QString activatedBy;
    QDateTime activatedAt; // invalid when never activated
    QByteArray json; // the policy as stored (jsonb text)
};

/// A policy version as a baseline, or why it cannot be one.
struct PolicyVersionResult {
    std::optional<PolicyVersion> version;
    std::optional<enforcement::Policy> policy; // set when the stored JSON is a valid policy
    QString error; // what went wrong (no such version, invalid JSON with every error, ...)

    bool ok() const { return policy.has_value(); }
};

/// The active policy version (`id` = 0) or the version `id`, validated as a policy file.
/// Use it on the thread that owns `database`.
PolicyVersionResult loadPolicyVersion(const QSqlDatabase& database, qint64 id = 0);

/// Every version, newest first (without their JSON). Empty with `error` set on failure.
QList<PolicyVersion> listPolicyVersions(const QSqlDatabase& database, QString* error = nullptr);

} // namespace qc::replay
