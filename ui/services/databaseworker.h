#pragma once

#include "services/connectionstate.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <chrono>
#include <functional>
#include <memory>

class QThread;

namespace qc::services {

/// What a job posted to a DatabaseWorker gives back on the GUI thread.
template<typename Result> struct JobOutcome {
    quint64 generation = 0;
    Result value {}; // what the job returned (default-constructed when it did not run)
    QString error; // set when the job did not run: not connected, or superseded
    bool connectionLost = false; // the connection broke during the job; reconnecting
    bool ran() const { return error.isEmpty(); }
};

/// One database connection in a thread of its own (STYLE.md habit 12). The QSqlDatabase is
/// opened, used and closed only in that thread; the GUI posts jobs — callables that take the
/// connection and return a value struct — and gets the value back on the GUI thread.
///
/// - Every post on a *channel* gets a new generation id; an answer whose generation is no
///   longer the channel's latest is dropped (a refresh superseded by a newer one), and a job
///   that is already stale when its turn comes is not run at all.
/// - An answer is delivered only while its `context` object lives (QPointer), so a closed
///   page never receives a late result.
/// - When the connection is lost (or cannot be made) the worker reconnects with exponential
///   backoff and reports each step through stateChanged(); jobs posted meanwhile are answered
///   at once with `error` set, so pages show their last data marked as stale.
/// - Jobs must return values: never a QSqlQuery, a QSqlDatabase or a QObject.
class DatabaseWorker final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY(DatabaseWorker)
public:
    struct Options {
        QString name = QStringLiteral("primary"); // for logs and the thread's name
        QString conninfo; // libpq connection string (no password)
        QString password; // from the keychain; empty = libpq's .pgpass / PGPASSWORD
        std::chrono::milliseconds firstRetry { 1000 };
        std::chrono::milliseconds maxRetry { 30000 };
        /// While idle and connected, a `SELECT 1` this often notices an outage even when no
        /// page is refreshing. Zero disables it.
        std::chrono::milliseconds keepAlive { 15000 };
        /// Run after every (re)connect, e.g. SET statement_timeout.
        QStringList setupStatements = defaultSetup();
        static QStringList defaultSetup();
    };

    explicit DatabaseWorker(Options options, QObject* parent = nullptr);
    /// Does not wait for a running query: it is cancelled, the thread finishes on its own.
    ~DatabaseWorker() override;

    /// Starts connecting (asynchronously).
    void start();
    /// Tries again now instead of waiting for the backoff (the banner's "Retry now").
    void reconnectNow();

    ConnectionState state() const { return m_state; }
    QString name() const { return m_name; }

    /// Posts `job` (run on the worker thread as `Result job(QSqlDatabase&)`); `done` runs on
    /// the GUI thread with a JobOutcome<Result> unless `context` died or the answer is stale.
    /// An empty channel means "never superseded". Returns the generation id.
    template<typename Result>
    quint64 post(const QString& channel, QObject* context, std::function<Result(QSqlDatabase&)> job,
        std::function<void(const JobOutcome<Result>&)> done)
    {
        auto outcome = std::make_shared<JobOutcome<Result>>();
        return enqueue(
            channel, context,
            [outcome, job = std::move(job)](QSqlDatabase& db) { outcome->value = job(db); },
            [outcome, done = std::move(done)](quint64 generation, const QString& error, bool lost) {
                outcome->generation = generation;
                outcome->error = error;
                outcome->connectionLost = lost;
                if (done)
                    done(*outcome);
            });
    }

    /// Drops every pending answer of `channel` and cancels its running query, if any.
    void cancel(const QString& channel);
    /// Whether `generation` is still the latest of `channel`.
    bool isCurrent(const QString& channel, quint64 generation) const;

    /// Waits up to `timeout` for the threads of destroyed workers to finish (at exit).
    static bool waitForAll(std::chrono::milliseconds timeout);

Q_SIGNALS:
    void stateChanged(const qc::services::ConnectionState& state);

private:
    struct Link;
    class Inner;
    using Run = std::function<void(QSqlDatabase&)>;
    using Deliver = std::function<void(quint64, const QString&, bool)>;

    quint64 enqueue(const QString& channel, QObject* context, Run run, Deliver deliver);
    void complete(const QString& channel, quint64 generation, const QPointer<QObject>& context,
        const Deliver& deliver, const QString& error, bool lost);
    void setState(const ConnectionState& state);

    QString m_name;
    ConnectionState m_state;
    std::shared_ptr<Link> m_link;
    Inner* m_inner = nullptr; // lives in m_thread
    QThread* m_thread = nullptr;
    quint64 m_nextGeneration = 0;
    QHash<QString, quint64> m_latest; // channel → latest generation (GUI thread)
    bool m_started = false;
};

} // namespace qc::services
