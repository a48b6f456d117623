#pragma once

#include "alerting/alert.h"
#include "alerting/minuteseries.h"
#include "alerting/ruleresult.h"

#include <QDateTime>
#include <QJsonArray>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <map>
#include <optional>
#include <vector>

namespace qc::cli {

/// An alert row as `quotactl alerts list` shows it.
struct AlertRow {
    qint64 id = 0;
    QString rule;
    QString severity;
    QString state;
    QJsonObject labels;
    QString summary;
    QDateTime startsAt;
    QDateTime endsAt;
    QString acknowledgedBy;
    QString acknowledgeNote;
};

/// An alert row that one sync opened or resolved.
struct SyncedAlert {
    qint64 id = 0;
    QString rule;
    QString fingerprint;
};

struct SyncOutcome {
    bool ok = false;
    QString error;
    QString sqlState;
    std::vector<SyncedAlert> opened;
    std::vector<SyncedAlert> resolved;
};

/// The alert evaluator's side of the quota database (docs/alerting.md "The evaluator"): the
/// advisory lock, the saved rule state, quota.sync_alerts, and the per-minute numbers the
/// database knows (rollups, request logs, abuse incidents) for rules whose metrics no endpoint
/// exposes. Works on one open QPSQL connection, on the thread that opened it.
class AlertStore {
public:
    explicit AlertStore(QString connectionName);

    QSqlDatabase database() const;

    /// Nothing when the database has migration 0005 and the role may evaluate, else what to do.
    QString checkReady(bool forWriting) const;

    /// pg_try_advisory_lock on the evaluator key: true = taken, false = another session has it,
    /// nullopt = error (in `error`).
    std::optional<bool> tryLock(QString* error) const;
    /// Who holds the lock, for people: "pid 4242, role alerts, application 'quotactl alerts
    /// evaluate', local, connected since 2026-01-05T14:05:00Z"; empty when nobody does.
    QString lockHolder() const;
    void unlock() const;

    /// The pending and firing alerts saved by the last evaluation that are not older than
    /// `notBefore` (older ones are stale: the evaluator was down too long to trust their `for`),
    /// and the open alerts of quota.alerts they do not cover, as firing since they started.
    std::optional<std::vector<alerting::Alert>> savedAlerts(
        const QDateTime& notBefore, QString* error) const;

    /// quota.sync_alerts for the rules evaluated this round; with `series`, also the samples
    /// to keep for the next run.
    SyncOutcome sync(const QStringList& rules, const std::vector<alerting::Alert>& active,
        const QDateTime& at, const std::optional<QJsonArray>& series = std::nullopt) const;

    /// The samples the last `--once` run kept (empty when none, or saved before `notBefore`).
    std::optional<QJsonArray> savedSeries(const QDateTime& notBefore, QString* error) const;

    /// Open alerts (all states with `all`, newest 100), for `quotactl alerts list`.
    std::optional<std::vector<AlertRow>> alerts(bool all, QString* error) const;

    /// The bounds (seconds, finite ones) of the rollups' latency histogram.
    std::optional<std::vector<double>> latencyBounds(QString* error) const;
    /// One MinuteCounts per minute in [fromMs, toMs) (minutes without traffic included, zero),
    /// from rollup_minute and abuse_incidents; with `keyedRequests` also the requests with an
    /// idempotency key, counted in request_logs (the rollups do not have them).
    std::optional<std::vector<alerting::MinuteCounts>> minutes(
        qint64 fromMs, qint64 toMs, bool keyedRequests, QString* error) const;

    /// True when a trivial query still works (to tell a lost connection from a failed query).
    bool alive() const;

private:
    QString m_connection;
};

/// The database as a source of rule values: keeps the complete minutes it has read and
/// evaluates the rules over them (docs/alerting.md "Database-derived values").
class DatabaseMinutes {
public:
    /// A minute is read once it has been over for `lagMs` (request logs arrive late).
    explicit DatabaseMinutes(std::int64_t lagMs = 15'000);

    /// The rules' values at the end of the last complete minute before `nowMs`; rules in
    /// `wanted` only (others get a failed result, which is never used). On a database error
    /// every wanted rule's result is failed with the message.
    std::vector<alerting::RuleResult> evaluate(const AlertStore& store,
        const std::vector<alerting::Rule>& rules, const std::vector<bool>& wanted,
        std::int64_t nowMs);

    /// The end of the minute the last evaluate() read up to.
    std::int64_t evaluatedAtMs() const { return m_evaluatedAtMs; }

private:
    std::int64_t m_lagMs;
    std::map<std::int64_t, alerting::MinuteCounts> m_minutes; // complete minutes read
    std::map<std::int64_t, double> m_keyed; // keyed requests of complete minutes read
    std::optional<std::vector<double>> m_bounds;
    std::int64_t m_evaluatedAtMs = 0;
};

} // namespace qc::cli
