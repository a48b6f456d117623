#include "alerting/alert.h"

#include <QCryptographicHash>

#include <algorithm>

namespace qc::alerting {

using namespace Qt::StringLiterals;

QString changeKindName(AlertChange::Kind kind)
{
    switch (kind) {
    case AlertChange::Kind::Pending:
        return u"pending"_s;
    case AlertChange::Kind::Firing:
        return u"firing"_s;
    case AlertChange::Kind::Resolved:
        return u"resolved"_s;
    case AlertChange::Kind::Cleared:
        return u"cleared"_s;
    }
    return {};
}

QString alertStateName(AlertState state)
{
    return state == AlertState::Firing ? u"firing"_s : u"pending"_s;
}

QString fingerprintOf(const metrics::Labels& labels)
{
    metrics::Labels sorted = labels;
    std::sort(sorted.begin(), sorted.end());
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const auto& [name, value] : sorted) {
        hash.addData(name.toUtf8());
        hash.addData(QByteArrayView("=", 1));
        hash.addData(value.toUtf8());
        hash.addData(QByteArrayView("\xff", 1));
    }
    return QString::fromLatin1(hash.result().toHex().left(16));
}

QJsonObject labelsToJson(const metrics::Labels& labels)
{
    QJsonObject object;
    for (const auto& [name, value] : labels)
        object.insert(name, value);
    return object;
}

metrics::Labels labelsFromJson(const QJsonObject& object)
{
    metrics::Labels labels;
    for (auto it = object.begin(); it != object.end(); ++it)
        labels.emplace_back(it.key(), it.value().toString());
    std::sort(labels.begin(), labels.end());
    return labels;
}

QJsonObject alertToJson(const Alert& alert)
{
    return QJsonObject {
        { u"rule"_s, alert.rule },
        { u"severity"_s, severityName(alert.severity) },
        { u"labels"_s, labelsToJson(alert.labels) },
        { u"annotations"_s,
            QJsonObject {
                { u"summary"_s, alert.summary }, { u"description"_s, alert.description } } },
        { u"fingerprint"_s, alert.fingerprint },
        { u"state"_s, alertStateName(alert.state) },
        { u"active_at_ms"_s, double(alert.activeAtMs) },
        { u"fired_at_ms"_s, double(alert.firedAtMs) },
        { u"value"_s, alert.value },
    };
}

std::optional<Alert> alertFromJson(const QJsonObject& object)
{
    const auto text = [&](const QString& key) { return object.value(key).toString(); };
    Alert alert;
    alert.rule = text(u"rule"_s);
    const QString severity = text(u"severity"_s);
    if (severity == u"info"_s)
        alert.severity = Severity::Info;
    else if (severity == u"warning"_s)
        alert.severity = Severity::Warning;
    else if (severity == u"critical"_s)
        alert.severity = Severity::Critical;
    else
        return std::nullopt;
    if (!object.value(u"labels"_s).isObject())
        return std::nullopt;
    alert.labels = labelsFromJson(object.value(u"labels"_s).toObject());
    const QJsonObject annotations = object.value(u"annotations"_s).toObject();
    alert.summary = annotations.value(u"summary"_s).toString();
    alert.description = annotations.value(u"description"_s).toString();
    alert.fingerprint = text(u"fingerprint"_s);
    const QString state = text(u"state"_s);
    if (state == u"firing"_s)
        alert.state = AlertState::Firing;
    else if (state == u"pending"_s)
        alert.state = AlertState::Pending;
    else
        return std::nullopt;
    if (!object.value(u"active_at_ms"_s).isDouble() || alert.rule.isEmpty()
        || alert.fingerprint.isEmpty())
        return std::nullopt;
    alert.activeAtMs = static_cast<std::int64_t>(object.value(u"active_at_ms"_s).toDouble());
    alert.firedAtMs = static_cast<std::int64_t>(object.value(u"fired_at_ms"_s).toDouble());
    alert.value = object.value(u"value"_s).toDouble();
    return alert;
}

} // namespace qc::alerting
