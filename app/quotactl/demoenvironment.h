#pragma once

#include "db/localcluster.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace qc::cli::demo {

/// The demo's database and the role the console uses (a quota_admin member).
inline const QString kDatabase = QStringLiteral("quota_demo");
inline const QString kAdminRole = QStringLiteral("demo_admin");
inline const QString kEvaluatorRole = QStringLiteral("demo_evaluator"); // quota_evaluator
inline const QString kSuperuser = QStringLiteral("postgres");
inline constexpr int kPort = 5432; // the socket lives in a private directory: no clash

/// A process the demo started, as recorded in run.json: the pid and the process's start time
/// (from /proc), so that a pid reused by another process after a crash is never signalled.
struct ProcessRecord {
    qint64 pid = -1;
    qint64 startTicks = -1;

    static ProcessRecord of(qint64 pid);
    bool isSet() const { return pid > 0; }
    /// Still the same process, and not a zombie.
    bool alive() const;
    QJsonObject toJson() const;
    static ProcessRecord fromJson(const QJsonObject& object);
};

/// What persists between runs (demo.json).
struct DemoState {
    QDateTime createdAt;
    QString postgresVersion;
    quint64 seed = 1;
    int users = 0;
    QString backfillLength; // "30d"
    double backfillPerDay = 0;
    QDateTime backfillCompletedAt; // invalid = history not (completely) loaded
    qint64 policyVersion = 0;
    QDateTime lastStart;
    QDateTime lastStop;
    int starts = 0;

    QJsonObject toJson() const;
    static DemoState fromJson(const QJsonObject& object);
};

/// What the running supervisor wrote (run.json); removed when the demo stops.
struct RunRecord {
    QString state; // "starting", "running", "stopping"
    QString step; // while starting
    ProcessRecord supervisor;
    ProcessRecord loadgen;
    ProcessRecord evaluator;
    QString metricsUrl;
    QString loadgenExit; // when loadgen ended on its own: how
    QString evaluatorExit;
    QDateTime startedAt;

    QJsonObject toJson() const;
    static RunRecord fromJson(const QJsonObject& object);
};

/// The demo's files: $XDG_DATA_HOME/quota-console/demo (default ~/.local/share/...), 0700,
/// holding demo.json, run.json, demo.lock, logs/ and the cluster directory pg/ (data/, the
/// unix socket, server.log; 0700, owned by the server account). As root, the server runs as an
/// unprivileged account, which cannot enter root's home: then the cluster directory is
/// /var/lib/quota-console/demo-<hash of the demo directory> and pg is a symlink to it.
class DemoEnvironment {
public:
    /// Locates the directories (creates nothing).
    static DemoEnvironment locate();

    const QString& directory() const { return m_directory; }
    QString logDirectory() const { return m_directory + u"/logs"; }
    QString logFile(const QString& name) const { return logDirectory() + u'/' + name + u".log"; }
    QString lockFile() const { return m_directory + u"/demo.lock"; }
    QString stateFile() const { return m_directory + u"/demo.json"; }
    QString runFile() const { return m_directory + u"/run.json"; }
    /// pg/ below the demo directory, or the directory under /var/lib when root.
    const QString& clusterDirectory() const { return m_clusterDirectory; }
    QString dataDirectory() const { return m_clusterDirectory + u"/data"; }
    QString socketDirectory() const { return m_clusterDirectory; }
    QString serverLog() const { return m_clusterDirectory + u"/server.log"; }
    bool clusterOutsideDemoDirectory() const { return m_clusterOutside; }

    /// Creates the demo directory (0700) and logs/; the error, empty on success.
    QString createDirectories() const;
    /// Creates the cluster directory for the account (0700, owned by it; the pg symlink).
    QString createClusterDirectory(const db::ServerAccount& account) const;

    std::optional<DemoState> readState(QString* error = nullptr) const;
    QString writeState(const DemoState& state) const;
    std::optional<RunRecord> readRun() const;
    QString writeRun(const RunRecord& record) const;
    void removeRun() const;

    /// The pid of the supervisor holding demo.lock, -1 when none (a stale lock counts as none).
    qint64 supervisorPid() const;

    /// libpq connection strings to the demo database.
    QString conninfo(const QString& user, const QString& database = kDatabase) const;

    /// The cluster as `quotactl demo` runs it (pg_ctl, the demo's settings).
    db::LocalCluster::Options clusterOptions(
        const db::ServerPrograms& programs, const db::ServerAccount& account) const;

    /// Stops what a run left behind (its supervisor gone: a crash, a kill -9): the recorded
    /// children (their whole process groups) and a running postmaster; removes run.json, a
    /// stale postmaster.pid and socket. Appends what it stopped to `stopped`.
    QString stopLeftovers(QStringList* stopped) const;

    /// Everything `quotactl demo status` reports, as JSON (see docs/demo.md).
    QJsonObject status() const;

private:
    QString m_directory;
    QString m_clusterDirectory;
    bool m_clusterOutside = false;
};

/// Sends SIGTERM to a process group, then SIGKILL after `timeoutMs`; true when it is gone.
bool stopProcessGroup(const ProcessRecord& record, int timeoutMs);

/// Sum of the file sizes below `path`.
qint64 directorySize(const QString& path);

QString isoTime(const QDateTime& time);

} // namespace qc::cli::demo
