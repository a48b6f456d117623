#pragma once

#include "db/adminactions.h"
#include "replay/policyversions.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QSqlDatabase>
#include <QString>

namespace qc::workbench {

/// Making a candidate the active policy version (docs/database.md "Admin actions"): create it
/// with the reason, then activate it if the active version is still the one the admin saw.
/// Make the action ids once per intended rollout and keep them for a retry after a lost
/// reply: the database applies each action once.
struct RolloutRequest {
    QString createActionId;
    QString activateActionId;
    QByteArray policyJson; // the candidate as validated
    QString reason;
    qint64 expectedActiveId = 0; // the version the admin saw active (0 = none)
};

/// Activating an existing version (a rollback to it, or a retry of a rollout).
struct ActivationRequest {
    QString actionId;
    qint64 versionId = 0;
    qint64 expectedActiveId = 0;
    QString reason;
};

struct RolloutOutcome {
    qint64 versionId = 0; // the version created (or activated)
    bool created = false;
    bool activated = false;
    bool conflict = false; // another admin changed the active version meanwhile
    bool permissionDenied = false;
    QString error; // what went wrong, for the admin; empty on success
    qint64 auditId = 0; // of the activation
    QList<replay::PolicyVersion> versions; // the list afterwards (also after a failure)
    qint64 activeId = 0; // active version afterwards

    bool ok() const { return activated && error.isEmpty(); }
};

/// The versions list and the active version, for the Versions panel.
struct VersionList {
    QList<replay::PolicyVersion> versions;
    qint64 activeId = 0;
    QString error;
};

/// Run these in the primary's worker (they write and must see the latest state).
RolloutOutcome rollOut(QSqlDatabase& database, const RolloutRequest& request);
RolloutOutcome activateVersion(QSqlDatabase& database, const ActivationRequest& request);
VersionList readVersions(const QSqlDatabase& database);

} // namespace qc::workbench

Q_DECLARE_METATYPE(qc::workbench::RolloutOutcome)
