#pragma once

#include "alerting/evaluator.h"
#include "alertstore.h"
#include "metrics/scraper.h"

#include <QNetworkAccessManager>
#include <QString>
#include <QUrl>

#include <map>
#include <vector>

class QEventLoop;

namespace qc::cli {

/// Exit status of `quotactl alerts evaluate` when another evaluator holds the lock (with
/// --once or --no-wait).
inline constexpr int ExitLocked = 3;

/// One --metrics endpoint.
struct Endpoint {
    QUrl url;
    QString instance; // host:port, as Prometheus labels a target
    bool up = true; // as last reported
    QString lastError;
};

/// What `quotactl alerts evaluate` was asked to do.
struct EvaluateOptions {
    QString conninfo;
    std::vector<Endpoint> endpoints;
    qint64 intervalMs = 15'000;
    bool once = false;
    bool wait = true;
};

/// The evaluator of `quotactl alerts evaluate` (docs/alerting.md "The evaluator"): rounds of
/// scrapes, evaluation and quota.sync_alerts, under the evaluator lock.
class EvaluateRun {
public:
    /// `connectionName`: the QSqlDatabase connection name to open and use.
    EvaluateRun(EvaluateOptions options, const QString& connectionName);
    ~EvaluateRun();
    Q_DISABLE_COPY(EvaluateRun)

    /// Runs until SIGINT/SIGTERM (or one round with `once`); returns the exit status.
    int exec();

private:
    bool connect(QString* error);
    // true: holding the lock; false: stopped, or (with --once / --no-wait) held by another
    bool lock(bool* heldByOther);
    void restore();
    bool scrapeAll();
    bool evaluateRound(qint64 nowMs, qint64 minWindowMs = 0);
    // The oldest of the endpoints' newest kept samples, 0 when one has none recent enough.
    qint64 historyFor(qint64 nowMs) const;
    bool sleepFor(qint64 ms);
    void stop();
    static qint64 now();
    static QString labelsText(const metrics::Labels& labels);

    EvaluateOptions m_options;
    QString m_connection;
    QNetworkAccessManager m_network;
    metrics::Scraper m_scraper;
    alerting::Evaluator m_evaluator;
    AlertStore m_store;
    DatabaseMinutes m_databaseMinutes;
    bool m_connected = false;
    bool m_locked = false;
    bool m_stop = false;
    QEventLoop* m_loop = nullptr;
    std::map<QString, QString> m_ruleErrors; // rule → last error printed
};

} // namespace qc::cli
