#pragma once

#include "enforcement/policy.h"

#include <QString>

#include <optional>

namespace qc::live {

class PgSession;

/// The active policy version of a quota database, parsed, or why there is none.
struct ActivePolicy {
    std::optional<qc::enforcement::Policy> policy;
    qint64 versionId = 0;
    QString error;
};

ActivePolicy readActivePolicy(PgSession& session);

/// When the database has no active policy, rolls out the embedded default policy through the
/// audited admin actions (create_policy_version + activate_policy_version; needs quota_admin).
/// Returns the error, empty when a policy is active afterwards. `installed` tells whether it
/// rolled one out.
QString ensureActivePolicy(PgSession& session, bool* installed = nullptr);

} // namespace qc::live
