#pragma once

#include <QString>
#include <QStringList>

#include <optional>
#include <sys/types.h>

namespace qc::db {

/// The PostgreSQL server programs (postgres, initdb, pg_ctl) of one installation.
struct ServerPrograms {
    QString directory; // empty when not found
    int majorVersion = 0; // 0 when not read
    QString version; // e.g. "15.6", when read
    QString error; // what was searched and which Debian package to install
    bool ok() const { return error.isEmpty(); }
    QString program(const QString& name) const { return directory + u'/' + name; }
};

/// The account a server runs as: the current user, or, when the caller is root (PostgreSQL
/// refuses to run as root), an unprivileged account the children switch to.
struct ServerAccount {
    QString name;
    uid_t uid = 0;
    gid_t gid = 0;
    bool switchUser = false; // true: we are root and children run as uid/gid
};

/// A PostgreSQL cluster on this machine, listening on a unix socket only: initdb, start, stop,
/// as the current user or — when root — as an unprivileged account. Shared by the test harness
/// (tests/support, a throw-away cluster tied to the test process) and `quotactl demo` (a
/// persistent cluster started with pg_ctl that outlives the command). Every step has a timeout
/// and fails with a message a person can act on.
class LocalCluster {
public:
    static constexpr int kMinimumMajorVersion = 15;

    enum class Lifetime {
        /// postgres is a direct child with a parent-death signal (bound to the starting thread):
        /// it dies with the process even when that is killed outright. Stopped by the destructor.
        TiedToParent,
        /// started by `pg_ctl start` in a session of its own; it outlives this object and this
        /// process; stop() runs `pg_ctl stop -m fast`, escalating when that times out.
        Detached,
    };

    struct Options {
        ServerPrograms programs;
        ServerAccount account;
        QString dataDirectory;
        QString socketDirectory; // must exist, owned by the account; the socket's only place
        QString logFile; // writable by the account
        int port = 5432;
        QStringList settings; // "name=value", passed as -c name=value
        Lifetime lifetime = Lifetime::TiedToParent;
        int startTimeoutMs = 60000;
        int stopTimeoutMs = 30000;
    };

    /// The server programs: only in `directory` when it is given; else in $QC_PG_BINDIR, then
    /// /usr/lib/postgresql/15/bin, then `pg_config --bindir`. With `readVersion`, runs
    /// `postgres -V` and refuses versions older than kMinimumMajorVersion.
    static ServerPrograms findPrograms(const QString& directory = {}, bool readVersion = false);

    /// The current user; when root, the first existing account of `candidatesWhenRoot`.
    static std::optional<ServerAccount> serverAccount(
        const QStringList& candidatesWhenRoot, QString* error);

    /// Runs initdb (as the account) into `dataDirectory` with `arguments` after -D.
    static QString initdb(const ServerPrograms& programs, const ServerAccount& account,
        const QString& dataDirectory, const QStringList& arguments, const QString& logFile,
        int timeoutMs = 120000);

    /// Runs a program to completion as the account, output appended to `logFile`; on failure
    /// (exit status, or still running after `timeoutMs`: then killed) an error naming it.
    static QString run(const QString& program, const QStringList& arguments, const QString& logFile,
        const ServerAccount& account, int timeoutMs);

    /// Whether `account` can enter `directory` (every ancestor searchable).
    static bool accountCanEnter(const ServerAccount& account, const QString& directory);
    /// chown -R to the account (nothing when not switching users).
    static QString giveTo(const QString& path, const ServerAccount& account);
    static QString copyTree(const QString& from, const QString& to);
    static QString lastLines(const QString& path, int lines = 30);
    /// `directory/.s.PGSQL.<port>`; error when longer than a unix socket path can be.
    static QString socketPath(const QString& directory, int port, QString* error = nullptr);
    /// The pid of the postmaster running on `dataDirectory` according to its postmaster.pid,
    /// or -1 (no file, or its process is gone or is no postgres: a stale file).
    static qint64 runningPostmaster(const QString& dataDirectory);
    /// The PG_VERSION of a data directory (0 when there is none).
    static int dataDirectoryVersion(const QString& dataDirectory);

    explicit LocalCluster(Options options);
    ~LocalCluster();
    LocalCluster(const LocalCluster&) = delete;
    LocalCluster& operator=(const LocalCluster&) = delete;

    /// Starts the server and waits until it accepts connections. Empty on success.
    QString start();
    /// Fast shutdown (SIGINT, then SIGQUIT, then SIGKILL for a tied server; `pg_ctl stop -m
    /// fast`, then the same signals for a detached one), removing a socket left behind.
    QString stop();
    bool isRunning() const;
    /// The postmaster's pid, -1 when not running.
    qint64 pid() const;
    const Options& options() const { return m_options; }
    /// libpq keyword/value string for `database` as `user`.
    QString conninfo(const QString& database, const QString& user) const;

private:
    QString startTied();
    QString startDetached();
    QString waitUntilAccepting(qint64 deadlineMs);
    void removeStaleSocket() const;

    Options m_options;
    pid_t m_child = -1; // tied: the postmaster, our child
    qint64 m_detachedPid = -1;
};

/// libpq quoting for a keyword/value connection string value.
QString conninfoQuote(const QString& value);

} // namespace qc::db
