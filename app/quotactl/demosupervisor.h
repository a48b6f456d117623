#pragma once

#include "demoenvironment.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <functional>

namespace qc::cli::demo {

/// What `quotactl demo start` was asked for (docs/demo.md).
struct StartOptions {
    QString pgBindir; // empty: the usual search (db::LocalCluster::findPrograms)
    QString backfill = QStringLiteral("30d");
    double backfillPerDay = 30000;
    int users = 3000;
    quint64 seed = 1;
    double rate = 2; // normal live traffic, requests per second (the scenarios add theirs)
    int metricsPort = 0; // 0: a free port
    QStringList scenarios; // loadgen --scenario values; empty + defaultScenarios: the schedule
    bool defaultScenarios = true;
    QString evaluatorInterval = QStringLiteral("15s");
    int backfillTimeoutMs = 30 * 60 * 1000;
    int progressFd = -1; // JSON lines of progress events (docs/demo.md "Progress")
    qint64 parentPid = 0; // stop when this process ends (quota-console)
    bool usersGiven = false;
    bool backfillGiven = false;
};

/// The demo's scenario schedule over the first minutes of live traffic.
QStringList defaultScenarioSchedule();

/// One progress event as a person reads it ("backfilling 30 days (42 %)…").
QString describeEvent(const QJsonObject& event);

/// Runs the demo in this process until SIGINT/SIGTERM/SIGHUP (or the parent's end): takes the
/// demo lock, starts PostgreSQL, migrates, seeds, backfills on the first start, runs loadgen
/// and the alert evaluator as children in process groups of their own; on the way out stops
/// all of them and the cluster. Returns the exit code.
int runSupervisor(const StartOptions& options);

} // namespace qc::cli::demo
