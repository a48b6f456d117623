#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace qc::services {

/// What an admin picked to look into: a row of a top list (an IP, a user, an endpoint), a
/// time span dragged on a chart, or both. Emitted by pages as
/// `investigateRequested(const InvestigationTarget&)`; the main window routes it to the page
/// that investigates (see docs/console-architecture.md).
struct InvestigationTarget {
    enum class Kind {
        TimeSpan, // only a time span; `value` is empty
        Ip,
        User,
        Endpoint,
        Rule, // an alert rule
    };
    Kind kind = Kind::TimeSpan;
    QString value; // the identifier ("203.0.113.7", "user-42", "/v1/generate")
    QDateTime from; // UTC, inclusive
    QDateTime to; // UTC, exclusive
    QString origin; // page id and widget it came from, e.g. "dashboard/top-ips" (for logs)

    bool hasIdentifier() const { return kind != Kind::TimeSpan && !value.isEmpty(); }
    bool operator==(const InvestigationTarget&) const = default;
};

/// "ip", "user", "endpoint", "rule" or "time" (stable; used in logs and URLs).
inline QString kindName(InvestigationTarget::Kind kind)
{
    switch (kind) {
    case InvestigationTarget::Kind::Ip:
        return QStringLiteral("ip");
    case InvestigationTarget::Kind::User:
        return QStringLiteral("user");
    case InvestigationTarget::Kind::Endpoint:
        return QStringLiteral("endpoint");
    case InvestigationTarget::Kind::Rule:
        return QStringLiteral("rule");
    case InvestigationTarget::Kind::TimeSpan:
        break;
    }
    return QStringLiteral("time");
}

} // namespace qc::services

Q_DECLARE_METATYPE(qc::services::InvestigationTarget)
