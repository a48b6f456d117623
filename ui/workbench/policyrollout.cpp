#include "policyrollout.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace qc::workbench {

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(qc::workbench::PolicyRollout)
};

QString describe(const db::ActionResult& r)
{
    if (r.isPermissionDenied())
        return Tr::tr("The database refused: %1. Rolling out a policy needs the quota_admin role.")
            .arg(r.message);
    QString text = r.message;
    if (!r.detail.isEmpty())
        text += u" ("_s % r.detail % u')';
    return text.isEmpty() ? Tr::tr("The database gave no reason.") : text;
}

void fillVersions(RolloutOutcome& outcome, const QSqlDatabase& database)
{
    const VersionList list = readVersions(database);
    outcome.versions = list.versions;
    outcome.activeId = list.activeId;
}

void activate(RolloutOutcome& outcome, QSqlDatabase& database, const ActivationRequest& request)
{
    db::AdminActions actions(database);
    const db::ActionResult r = actions.activatePolicyVersion(
        request.actionId, request.versionId, request.expectedActiveId, request.reason);
    outcome.versionId = request.versionId;
    if (r.ok) {
        outcome.activated = true;
        outcome.auditId = r.auditId;
    } else {
        outcome.conflict = r.isConflict();
        outcome.permissionDenied = r.isPermissionDenied();
        outcome.error = outcome.conflict
            ? Tr::tr("Not activated: %1. Another admin changed the active policy since you "
                     "looked; review the versions list and try again.")
                  .arg(r.message)
            : describe(r);
    }
}

} // namespace

RolloutOutcome rollOut(QSqlDatabase& database, const RolloutRequest& request)
{
    RolloutOutcome outcome;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.policyJson, &parseError);
    if (!document.isObject()) {
        outcome.error
            = Tr::tr("The candidate is not a JSON object: %1").arg(parseError.errorString());
        fillVersions(outcome, database);
        return outcome;
    }
    db::AdminActions actions(database);
    const db::ActionResult created
        = actions.createPolicyVersion(request.createActionId, document.object(), request.reason);
    if (!created.ok) {
        outcome.permissionDenied = created.isPermissionDenied();
        outcome.error = Tr::tr("The new version was not created: %1").arg(describe(created));
        fillVersions(outcome, database);
        return outcome;
    }
    outcome.created = true;
    outcome.versionId = created.result.value(u"id"_s).toInteger();
    activate(outcome, database,
        ActivationRequest { request.activateActionId, outcome.versionId, request.expectedActiveId,
            request.reason });
    fillVersions(outcome, database);
    return outcome;
}

RolloutOutcome activateVersion(QSqlDatabase& database, const ActivationRequest& request)
{
    RolloutOutcome outcome;
    activate(outcome, database, request);
    fillVersions(outcome, database);
    return outcome;
}

VersionList readVersions(const QSqlDatabase& database)
{
    VersionList list;
    list.versions = replay::listPolicyVersions(database, &list.error);
    for (const replay::PolicyVersion& v : list.versions) {
        if (v.active)
            list.activeId = v.id;
    }
    return list;
}

} // namespace qc::workbench
