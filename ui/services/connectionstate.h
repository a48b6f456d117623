#pragma once

#include "db/connectioncheck.h"

#include <QDateTime>
#include <QMetaType>
#include <QString>

namespace qc::services {

/// The state of one database connection, as shown in the window header and the banner.
struct ConnectionState {
    enum class Status {
        Idle, // not started
        Connecting, // first attempt
        Connected,
        Reconnecting, // lost or not reached; next attempt at retryAt
        Failed, // will not retry by itself (bad connection string, password, TLS setup)
    };
    Status status = Status::Idle;
    QString error; // why it is not connected (empty when connected)
    db::ConnectionProblem problem = db::ConnectionProblem::None;
    QDateTime since; // UTC: connected since, or unreachable since (first failure)
    QDateTime retryAt; // UTC: next attempt while Reconnecting
    int failedAttempts = 0; // in a row
    QString target; // the connection string with the password hidden

    bool isConnected() const { return status == Status::Connected; }
    bool operator==(const ConnectionState&) const = default;
};

} // namespace qc::services

Q_DECLARE_METATYPE(qc::services::ConnectionState)
