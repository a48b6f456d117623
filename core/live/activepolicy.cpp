#include "activepolicy.h"

#include "pgsession.h"
#include "policy/policyjson.h"

#include <QUuid>

using namespace Qt::StringLiterals;

namespace qc::live {

ActivePolicy readActivePolicy(PgSession& session)
{
    ActivePolicy out;
    PgResult row = session.exec("SELECT policy::text, id FROM quota.policy_versions WHERE active");
    if (!row.ok()) {
        if (row.sqlState() == u"42P01"_s || row.sqlState() == u"3F000"_s)
            out.error = u"the database has no quota schema; run 'quotactl migrate' first"_s;
        else
            out.error = u"reading the active policy: "_s + row.error();
        return out;
    }
    if (row.rows() == 0) {
        out.error = u"the database has no active policy version; roll one out first (or run "
                    u"loadgen with --init-policy to activate the default policy)"_s;
        return out;
    }
    const std::string_view json = row.text(0, 0);
    out.versionId = row.integer(0, 1);
    const qc::policy::LoadResult parsed
        = qc::policy::parsePolicy(QByteArray(json.data(), qsizetype(json.size())));
    if (!parsed.ok()) {
        out.error = u"the active policy (version "_s + QString::number(out.versionId)
            + u") is not valid: "_s + parsed.errorText();
        return out;
    }
    out.policy = *parsed.policy;
    return out;
}

QString ensureActivePolicy(PgSession& session, bool* installed)
{
    if (installed)
        *installed = false;
    PgResult active = session.exec("SELECT count(*) FROM quota.policy_versions WHERE active");
    if (!active.ok())
        return active.sqlState() == u"42P01"_s || active.sqlState() == u"3F000"_s
            ? u"the database has no quota schema; run 'quotactl migrate' first"_s
            : active.error();
    if (active.integer(0, 0) > 0)
        return {};
    const QByteArray json = qc::policy::defaultPolicyJson();
    PgResult created = session.execParams(
        "SELECT (quota.create_policy_version($1, $2::jsonb, $3) -> 'result' ->> 'id')::bigint",
        { QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString(), json.toStdString(),
            std::string("quotactl loadgen --init-policy: the default policy") });
    if (!created.ok())
        return u"creating the default policy version: "_s + created.error();
    PgResult activated
        = session.execParams("SELECT quota.activate_policy_version($1, $2::bigint, 0, $3)",
            { QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString(),
                std::string(created.text(0, 0)),
                std::string("quotactl loadgen --init-policy: the default policy") });
    if (!activated.ok())
        return u"activating the default policy version: "_s + activated.error();
    if (installed)
        *installed = true;
    return {};
}

} // namespace qc::live
