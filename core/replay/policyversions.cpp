#include "policyversions.h"

#include "policy/policyjson.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace qc::replay {

namespace {

const QString kColumns = u"id, active, reason, created_by, created_at, activated_by, "
                         u"activated_at"_s;

PolicyVersion fromQuery(const QSqlQuery& query)
{
    PolicyVersion v;
    v.id = query.value(0).toLongLong();
    v.active = query.value(1).toBool();
    v.reason = query.value(2).toString();
    v.createdBy = query.value(3).toString();
    v.createdAt = query.value(4).toDateTime();
    v.activatedBy = query.value(5).toString();
    v.activatedAt = query.value(6).toDateTime();
    return v;
}

QString sqlError(const QSqlQuery& query)
{
    const QString text = query.lastError().databaseText().trimmed();
    return text.isEmpty() ? query.lastError().text() : text;
}

} // namespace

PolicyVersionResult loadPolicyVersion(const QSqlDatabase& database, qint64 id)
{
    PolicyVersionResult result;
    QSqlQuery query(database);
    query.setForwardOnly(true);
    const QString where = id > 0 ? u"id = ?"_s : u"active"_s;
    query.prepare(
        u"SELECT "_s % kColumns % u", policy::text FROM quota.policy_versions WHERE "_s % where);
    if (id > 0)
        query.addBindValue(id);
    if (!query.exec()) {
        result.error = u"cannot read quota.policy_versions: "_s % sqlError(query);
        return result;
    }
    if (!query.next()) {
        if (id > 0) {
            QString error;
            const QList<PolicyVersion> all = listPolicyVersions(database, &error);
            QStringList ids;
            for (const PolicyVersion& v : all)
                ids.push_back(QString::number(v.id) % (v.active ? u" (active)"_s : QString()));
            result.error = u"there is no policy version "_s % QString::number(id)
                % (ids.isEmpty() ? u"; the database has no policy versions"_s
                                 : u"; the versions are "_s % ids.join(u", "_s));
        } else {
            result.error = u"the database has no active policy version; activate one, or give "
                           u"the baseline as a file"_s;
        }
        return result;
    }
    PolicyVersion version = fromQuery(query);
    version.json = query.value(7).toString().toUtf8();
    policy::LoadResult loaded = policy::parsePolicy(version.json);
    if (!loaded.ok()) {
        QStringList errors;
        for (const policy::PolicyError& e : loaded.errors)
            errors.push_back(e.toString());
        result.error = u"policy version "_s % QString::number(version.id)
            % u" is not a valid policy: "_s % errors.join(u"; "_s);
    } else {
        result.policy = std::move(loaded.policy);
    }
    result.version = std::move(version);
    return result;
}

QList<PolicyVersion> listPolicyVersions(const QSqlDatabase& database, QString* error)
{
    QList<PolicyVersion> out;
    QSqlQuery query(database);
    query.setForwardOnly(true);
    if (!query.exec(u"SELECT "_s % kColumns % u" FROM quota.policy_versions ORDER BY id DESC"_s)) {
        if (error)
            *error = u"cannot read quota.policy_versions: "_s % sqlError(query);
        return out;
    }
    while (query.next())
        out.push_back(fromQuery(query));
    return out;
}

} // namespace qc::replay
