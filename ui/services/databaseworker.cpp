#include "databaseworker.h"

#include "db/connectionstring.h"
#include "db/pgconnection.h"
#include "services/logging.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QMutex>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QTimer>
#include <QUuid>
#include <QWaitCondition>

#include <libpq-fe.h>

namespace qc::services {

using namespace Qt::StringLiterals;

namespace {

QString trWorker(const char* text)
{
    return QCoreApplication::translate("qc::services::DatabaseWorker", text);
}

// Threads of destroyed workers that have not finished yet (waitForAll at exit).
QMutex g_threadsMutex;
QWaitCondition g_threadsDone;
int g_runningThreads = 0;

bool retries(db::ConnectionProblem problem)
{
    switch (problem) {
    case db::ConnectionProblem::InvalidConnectionString:
    case db::ConnectionProblem::Authentication:
    case db::ConnectionProblem::UnknownAccount:
    case db::ConnectionProblem::UnknownDatabase:
    case db::ConnectionProblem::Tls:
        return false; // the same attempt would fail the same way
    default:
        return true;
    }
}

} // namespace

// Shared between the GUI-side worker and its thread. The mutex guards everything here.
struct DatabaseWorker::Link {
    QMutex mutex;
    DatabaseWorker* owner = nullptr; // null once the owner is gone
    QHash<QString, quint64> latest; // channel → latest generation, for skipping stale jobs
    PGcancel* cancel = nullptr; // of the open connection
    QString runningChannel; // of the job being run; null when idle
    bool running = false;

    // Posts `f(owner)` to the owner's thread if the owner still exists. Events posted to an
    // object are discarded when it is destroyed, so `o` is valid whenever `f` runs.
    template<typename F> void toOwner(F f)
    {
        QMutexLocker locker(&mutex);
        if (DatabaseWorker* o = owner)
            QMetaObject::invokeMethod(
                o, [o, f = std::move(f)] { f(o); }, Qt::QueuedConnection);
    }

    void cancelRunning(const QString& channel, bool any)
    {
        QMutexLocker locker(&mutex);
        if (!running || !cancel || (!any && runningChannel != channel))
            return;
        char message[256];
        PQcancel(cancel, message, sizeof message);
    }
};

// Lives in the worker thread; created in the GUI thread and moved there before use.
class DatabaseWorker::Inner final : public QObject {
public:
    Inner(Options options, std::shared_ptr<Link> link)
        : m_options(std::move(options))
        , m_link(std::move(link))
        , m_connectionName(
              u"qc_worker_"_s + m_options.name + u'_' + QUuid::createUuid().toString(QUuid::Id128))
        , m_retryTimer(new QTimer(this))
        , m_keepAlive(new QTimer(this))
    {
        m_retryTimer->setSingleShot(true);
        QObject::connect(m_retryTimer, &QTimer::timeout, this, [this] { connectNow(); });
        m_keepAlive->setInterval(int(m_options.keepAlive.count()));
        QObject::connect(m_keepAlive, &QTimer::timeout, this, [this] { ping(); });
        const db::ConnectionString cs = db::ConnectionString::parse(m_options.conninfo);
        m_state.target = cs.isValid() ? cs.redacted() : m_options.conninfo;
    }

    ~Inner() override { closeConnection(); }

    void connectNow()
    {
        m_retryTimer->stop();
        closeConnection();
        if (m_state.status != ConnectionState::Status::Reconnecting) {
            m_state.status = ConnectionState::Status::Connecting;
            publish();
        }
        db::ConnectionString cs = db::ConnectionString::parse(m_options.conninfo);
        QString error;
        if (cs.isValid()) {
            if (!m_options.password.isEmpty())
                cs.setValue(u"password"_s, m_options.password);
            if (cs.value(u"connect_timeout"_s).isEmpty())
                cs.setValue(u"connect_timeout"_s, u"5"_s);
            if (cs.value(u"application_name"_s).isEmpty())
                cs.setValue(u"application_name"_s, u"quota-console"_s);
            error = cs.open(m_connectionName);
        } else {
            error = cs.errorString();
        }
        QString serverText = error;
        if (error.isEmpty()) {
            m_db = QSqlDatabase::database(m_connectionName, false);
            for (const QString& statement : std::as_const(m_options.setupStatements)) {
                QSqlQuery q(m_db);
                if (!q.exec(statement)) {
                    error = trWorker("setting up the session failed (%1): %2")
                                .arg(statement, q.lastError().databaseText().trimmed());
                    serverText = error;
                    break;
                }
            }
        } else if (QSqlDatabase::contains(m_connectionName)) {
            const QString text
                = QSqlDatabase::database(m_connectionName, false).lastError().databaseText();
            if (!text.isEmpty())
                serverText = text;
        }
        if (error.isEmpty()) {
            QString pgError;
            PGconn* conn = db::pgConnection(m_db, &pgError);
            {
                QMutexLocker locker(&m_link->mutex);
                if (m_link->cancel)
                    PQfreeCancel(m_link->cancel);
                m_link->cancel = conn ? PQgetCancel(conn) : nullptr;
            }
            m_state.status = ConnectionState::Status::Connected;
            m_state.error.clear();
            m_state.problem = db::ConnectionProblem::None;
            m_state.since = QDateTime::currentDateTimeUtc();
            m_state.retryAt = {};
            m_state.failedAttempts = 0;
            logger()->info(
                "database {}: connected to {}", toLog(m_options.name), toLog(m_state.target));
            publish();
            if (m_options.keepAlive.count() > 0)
                m_keepAlive->start();
            return;
        }
        closeConnection();
        fail(serverText, db::classifyConnectError(serverText));
    }

    void run(const QString& channel, quint64 generation, const Run& job, const Deliver& deliver)
    {
        {
            QMutexLocker locker(&m_link->mutex);
            if (!channel.isEmpty() && m_link->latest.value(channel) != generation) {
                locker.unlock();
                reply(deliver, generation, trWorker("superseded by a newer request"), false);
                return;
            }
        }
        if (m_state.status != ConnectionState::Status::Connected) {
            reply(deliver, generation,
                m_state.error.isEmpty()
                    ? trWorker("the database is not connected yet")
                    : trWorker("the database is unreachable: %1").arg(m_state.error),
                false);
            return;
        }
        {
            QMutexLocker locker(&m_link->mutex);
            m_link->running = true;
            m_link->runningChannel = channel;
        }
        job(m_db);
        {
            QMutexLocker locker(&m_link->mutex);
            m_link->running = false;
            m_link->runningChannel.clear();
        }
        if (m_keepAlive->isActive())
            m_keepAlive->start(); // restart: only idle time counts
        const bool lost = connectionLost();
        reply(deliver, generation, {}, lost);
        if (lost)
            fail(trWorker("the connection to the database was lost"), db::ConnectionProblem::Other);
    }

private:
    void ping()
    {
        if (m_state.status != ConnectionState::Status::Connected)
            return;
        QSqlQuery q(m_db);
        q.exec(u"SELECT 1"_s);
        if (connectionLost())
            fail(trWorker("the connection to the database was lost"), db::ConnectionProblem::Other);
    }

    bool connectionLost() const
    {
        QString error;
        PGconn* conn = db::pgConnection(m_db, &error);
        return !conn || PQstatus(conn) == CONNECTION_BAD;
    }

    void fail(const QString& serverText, db::ConnectionProblem problem)
    {
        closeConnection();
        const bool wasUp = m_state.status == ConnectionState::Status::Connected;
        if (wasUp || m_state.failedAttempts == 0)
            m_state.since = QDateTime::currentDateTimeUtc();
        ++m_state.failedAttempts;
        m_state.problem = problem;
        m_state.error = problem == db::ConnectionProblem::Other
            ? serverText.trimmed()
            : db::explainConnectError(problem, serverText);
        if (retries(problem)) {
            const qint64 first = m_options.firstRetry.count();
            const qint64 shift = qMin(m_state.failedAttempts - 1, 16);
            const qint64 delay = qMin<qint64>(m_options.maxRetry.count(), first << shift);
            m_state.status = ConnectionState::Status::Reconnecting;
            m_state.retryAt = QDateTime::currentDateTimeUtc().addMSecs(delay);
            m_retryTimer->start(int(delay));
        } else {
            m_state.status = ConnectionState::Status::Failed;
            m_state.retryAt = {};
        }
        logger()->warn("database {}: {} (attempt {}, {})", toLog(m_options.name),
            toLog(m_state.error), m_state.failedAttempts,
            m_state.status == ConnectionState::Status::Failed ? "not retrying"
                                                              : "retrying with backoff");
        publish();
    }

    void closeConnection()
    {
        m_keepAlive->stop();
        {
            QMutexLocker locker(&m_link->mutex);
            if (m_link->cancel)
                PQfreeCancel(m_link->cancel);
            m_link->cancel = nullptr;
        }
        if (m_db.isValid())
            m_db.close();
        m_db = QSqlDatabase();
        if (QSqlDatabase::contains(m_connectionName))
            QSqlDatabase::removeDatabase(m_connectionName);
    }

    void publish()
    {
        const ConnectionState state = m_state;
        m_link->toOwner([state](DatabaseWorker* owner) { owner->setState(state); });
    }

    void reply(const Deliver& deliver, quint64 generation, const QString& error, bool lost)
    {
        // `channel` and `context` were captured by the owner; only the verdict travels back.
        m_link->toOwner([deliver, generation, error, lost](
                            DatabaseWorker*) { deliver(generation, error, lost); });
    }

    Options m_options;
    std::shared_ptr<Link> m_link;
    QString m_connectionName;
    QTimer* m_retryTimer;
    QTimer* m_keepAlive;
    QSqlDatabase m_db;
    ConnectionState m_state;
};

QStringList DatabaseWorker::Options::defaultSetup()
{
    // JIT compiles cost more than they save on the dashboard's small aggregates; a runaway
    // query must not hold the connection forever.
    return { u"SET jit = off"_s, u"SET statement_timeout = '60s'"_s,
        u"SET idle_in_transaction_session_timeout = '60s'"_s };
}

DatabaseWorker::DatabaseWorker(Options options, QObject* parent)
    : QObject(parent)
    , m_name(options.name)
    , m_link(std::make_shared<Link>())
{
    qRegisterMetaType<ConnectionState>();
    m_link->owner = this;
    m_state.target = db::ConnectionString::parse(options.conninfo).redacted();
    m_thread = new QThread;
    m_thread->setObjectName(u"db-"_s + m_name);
    m_inner = new Inner(std::move(options), m_link);
    m_inner->moveToThread(m_thread);
    {
        QMutexLocker locker(&g_threadsMutex);
        ++g_runningThreads;
    }
    QThread* thread = m_thread;
    // Direct: runs in the finishing thread, so that waitForAll() works after the event loop.
    connect(
        m_thread, &QThread::finished, m_thread,
        [thread] {
            thread->deleteLater();
            QMutexLocker locker(&g_threadsMutex);
            --g_runningThreads;
            g_threadsDone.wakeAll();
        },
        Qt::DirectConnection);
    m_thread->start();
}

DatabaseWorker::~DatabaseWorker()
{
    {
        QMutexLocker locker(&m_link->mutex);
        m_link->owner = nullptr;
    }
    m_link->cancelRunning({}, true);
    Inner* inner = m_inner;
    // Runs after whatever is queued: the connection is closed in its own thread.
    QMetaObject::invokeMethod(
        inner,
        [inner] {
            delete inner;
            QThread::currentThread()->quit();
        },
        Qt::QueuedConnection);
}

bool DatabaseWorker::waitForAll(std::chrono::milliseconds timeout)
{
    QDeadlineTimer deadline(timeout);
    QMutexLocker locker(&g_threadsMutex);
    while (g_runningThreads > 0) {
        if (!g_threadsDone.wait(&g_threadsMutex, deadline))
            return false;
    }
    return true;
}

void DatabaseWorker::start()
{
    if (m_started)
        return;
    m_started = true;
    Inner* inner = m_inner;
    QMetaObject::invokeMethod(
        inner, [inner] { inner->connectNow(); }, Qt::QueuedConnection);
}

void DatabaseWorker::reconnectNow()
{
    m_started = true;
    Inner* inner = m_inner;
    QMetaObject::invokeMethod(
        inner, [inner] { inner->connectNow(); }, Qt::QueuedConnection);
}

quint64 DatabaseWorker::enqueue(const QString& channel, QObject* context, Run run, Deliver deliver)
{
    const quint64 generation = ++m_nextGeneration;
    if (!channel.isEmpty()) {
        m_latest.insert(channel, generation);
        QMutexLocker locker(&m_link->mutex);
        m_link->latest.insert(channel, generation);
    }
    const QPointer<QObject> guard(context);
    const bool guarded = context != nullptr;
    // Runs on the GUI thread (posted back by the inner object).
    Deliver onGuiThread
        = [this, channel, guard, guarded, deliver](quint64 gen, const QString& error, bool lost) {
              if (guarded && !guard)
                  return; // the receiver is gone
              complete(channel, gen, guard, deliver, error, lost);
          };
    Inner* inner = m_inner;
    QMetaObject::invokeMethod(
        inner,
        [inner, channel, generation, run = std::move(run), onGuiThread] {
            inner->run(channel, generation, run, onGuiThread);
        },
        Qt::QueuedConnection);
    return generation;
}

void DatabaseWorker::complete(const QString& channel, quint64 generation, const QPointer<QObject>&,
    const Deliver& deliver, const QString& error, bool lost)
{
    if (!channel.isEmpty() && m_latest.value(channel) != generation)
        return; // superseded: a newer post on this channel is on its way
    deliver(generation, error, lost);
}

void DatabaseWorker::cancel(const QString& channel)
{
    const quint64 generation = ++m_nextGeneration;
    m_latest.insert(channel, generation);
    {
        QMutexLocker locker(&m_link->mutex);
        m_link->latest.insert(channel, generation);
    }
    m_link->cancelRunning(channel, false);
}

bool DatabaseWorker::isCurrent(const QString& channel, quint64 generation) const
{
    return m_latest.value(channel) == generation;
}

void DatabaseWorker::setState(const ConnectionState& state)
{
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT stateChanged(m_state);
}

} // namespace qc::services
