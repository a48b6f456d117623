#include "adminactions.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

namespace qc::db {

namespace {

QVariant orNull(std::optional<qint64> value)
{
    return value ? QVariant(*value) : QVariant(QMetaType::fromType<qint64>());
}

QVariant textOrNull(const QString& text)
{
    return text.isNull() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

// QPSQL reports libpq's whole text ("ERROR:  msg\nDETAIL:  ...\nHINT: ..."); split it up.
void splitServerText(const QString& text, ActionResult* r)
{
    const QStringList lines = text.split(u'\n');
    for (const QString& line : lines) {
        const QString trimmed = line.trimmed();
        const qsizetype colon = trimmed.indexOf(u':');
        if (colon < 0)
            continue;
        const QString label = trimmed.left(colon);
        const QString value = trimmed.mid(colon + 1).trimmed();
        if (r->message.isEmpty() && (label == u"ERROR" || label == u"FATAL"))
            r->message = value;
        else if (label == u"DETAIL")
            r->detail = value;
    }
    if (r->message.isEmpty())
        r->message = text.section(u'\n', 0, 0).trimmed();
}

} // namespace

AdminActions::AdminActions(QSqlDatabase database)
    : m_database(std::move(database))
{
}

QString AdminActions::newClientActionId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

ActionResult AdminActions::call(const QString& sql, const QVariantList& params)
{
    ActionResult r;
    QSqlQuery q(m_database);
    bool ok = q.prepare(sql);
    for (const QVariant& p : params)
        q.addBindValue(p);
    ok = ok && q.exec() && q.next();
    if (!ok) {
        const QSqlError error = q.lastError();
        r.sqlState = error.nativeErrorCode();
        splitServerText(error.databaseText().isEmpty() ? error.text() : error.databaseText(), &r);
        return r;
    }
    const QJsonObject reply = QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object();
    r.ok = true;
    r.auditId = reply.value(u"audit_id").toInteger();
    r.replayed = reply.value(u"replayed").toBool();
    r.result = reply.value(u"result").toObject();
    return r;
}

ActionResult AdminActions::changePlan(const QString& actionId, const QString& userId,
    const QString& plan, std::optional<qint64> expectedVersion, const QString& reason)
{
    return call(QStringLiteral("SELECT quota.change_plan(?, ?, ?, ?::bigint, ?)"),
        { actionId, userId, plan, orNull(expectedVersion), textOrNull(reason) });
}

ActionResult AdminActions::block(const QString& actionId, const QString& target,
    const QString& value, const QString& reason, const QDateTime& until)
{
    return call(QStringLiteral("SELECT quota.block(?, ?, ?, ?, ?::timestamptz)"),
        { actionId, target, value, textOrNull(reason),
            until.isValid() ? QVariant(until.toUTC().toString(Qt::ISODateWithMs))
                            : QVariant(QMetaType::fromType<QString>()) });
}

ActionResult AdminActions::unblock(const QString& actionId, qint64 blockId,
    std::optional<qint64> expectedVersion, const QString& reason)
{
    return call(QStringLiteral("SELECT quota.unblock(?, ?::bigint, ?::bigint, ?)"),
        { actionId, blockId, orNull(expectedVersion), textOrNull(reason) });
}

ActionResult AdminActions::acknowledgeAlert(const QString& actionId, qint64 alertId,
    std::optional<qint64> expectedVersion, const QString& note)
{
    return call(QStringLiteral("SELECT quota.acknowledge_alert(?, ?::bigint, ?::bigint, ?)"),
        { actionId, alertId, orNull(expectedVersion), textOrNull(note) });
}

ActionResult AdminActions::unacknowledgeAlert(const QString& actionId, qint64 alertId,
    std::optional<qint64> expectedVersion, const QString& note)
{
    return call(QStringLiteral("SELECT quota.unacknowledge_alert(?, ?::bigint, ?::bigint, ?)"),
        { actionId, alertId, orNull(expectedVersion), textOrNull(note) });
}

ActionResult AdminActions::createPolicyVersion(
    const QString& actionId, const QJsonObject& policy, const QString& reason)
{
    return call(QStringLiteral("SELECT quota.create_policy_version(?, ?::jsonb, ?)"),
        { actionId, QString::fromUtf8(QJsonDocument(policy).toJson(QJsonDocument::Compact)),
            textOrNull(reason) });
}

ActionResult AdminActions::activatePolicyVersion(const QString& actionId, qint64 versionId,
    std::optional<qint64> expectedActiveId, const QString& reason)
{
    return call(QStringLiteral("SELECT quota.activate_policy_version(?, ?::bigint, ?::bigint, ?)"),
        { actionId, versionId, orNull(expectedActiveId), textOrNull(reason) });
}

ActionResult AdminActions::rollbackPolicy(
    const QString& actionId, std::optional<qint64> expectedActiveId, const QString& reason)
{
    return call(QStringLiteral("SELECT quota.rollback_policy(?, ?::bigint, ?)"),
        { actionId, orNull(expectedActiveId), textOrNull(reason) });
}

std::optional<qint64> AdminActions::verifyAuditChain(QString* error)
{
    QSqlQuery q(m_database);
    if (!q.exec(QStringLiteral("SELECT quota.verify_audit_chain()")) || !q.next()) {
        if (error)
            *error = q.lastError().text();
        return std::nullopt;
    }
    if (q.value(0).isNull())
        return std::nullopt;
    return q.value(0).toLongLong();
}

} // namespace qc::db
