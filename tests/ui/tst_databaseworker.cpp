#include "services/databaseworker.h"
#include "services/whenfinished.h"
#include "support/sqlcall.h"
#include "support/testcluster.h"

#include <QElapsedTimer>
#include <QPromise>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include <memory>
#include <stdexcept>
#include <thread>

using namespace Qt::StringLiterals;
using qc::services::ConnectionState;
using qc::services::DatabaseWorker;
using qc::services::JobOutcome;
using qc::services::whenFinished;
using qc::testsupport::TestCluster;

namespace {

struct Answer {
    qint64 value = -1;
    QString error;
    Qt::HANDLE thread = nullptr;
};

std::function<Answer(QSqlDatabase&)> query(const QString& sql)
{
    return [sql](QSqlDatabase& db) {
        Answer a;
        a.thread = QThread::currentThreadId();
        QSqlQuery q(db);
        if (q.exec(sql) && q.next())
            a.value = q.value(0).toLongLong();
        else
            a.error = q.lastError().text();
        return a;
    };
}

std::unique_ptr<DatabaseWorker> makeWorker(const QString& conninfo)
{
    DatabaseWorker::Options o;
    o.name = u"test"_s;
    o.conninfo = conninfo;
    o.firstRetry = std::chrono::milliseconds(100);
    o.maxRetry = std::chrono::milliseconds(400);
    return std::make_unique<DatabaseWorker>(o);
}

bool waitConnected(DatabaseWorker& w, int ms = 10000)
{
    return QTest::qWaitFor([&] { return w.state().isConnected(); }, ms);
}

} // namespace

class tst_DatabaseWorker : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QC_REQUIRE_CLUSTER(); }
    void cleanup()
    {
        QVERIFY(TestCluster::instance().startServer().isEmpty());
        TestCluster::instance().cleanup();
    }

    void runsJobsInItsThreadAndAnswersOnTheGuiThread()
    {
        QC_TEST_DATABASE(name);
        auto worker = makeWorker(TestCluster::instance().conninfo(name));
        QSignalSpy states(worker.get(), &DatabaseWorker::stateChanged);
        worker->start();
        QVERIFY(waitConnected(*worker));
        QCOMPARE(states.first().first().value<ConnectionState>().status,
            ConnectionState::Status::Connecting);
        QVERIFY(worker->state().since.isValid());

        std::optional<JobOutcome<Answer>> got;
        Qt::HANDLE deliveredOn = nullptr;
        QObject context;
        worker->post<Answer>(
            u"a"_s, &context, query(u"SELECT 41 + 1"_s), [&](const JobOutcome<Answer>& o) {
                got = o;
                deliveredOn = QThread::currentThreadId();
            });
        QTRY_VERIFY(got.has_value());
        QVERIFY(got->ran());
        QCOMPARE(got->value.value, 42);
        QVERIFY(got->value.thread != QThread::currentThreadId());
        QCOMPARE(deliveredOn, QThread::currentThreadId());
        // The session set-up ran on the connection.
        std::optional<JobOutcome<Answer>> jit;
        worker->post<Answer>({}, &context,
            query(u"SELECT CASE WHEN current_setting('jit') = 'off' THEN 1 ELSE 0 END"_s),
            [&](const JobOutcome<Answer>& o) { jit = o; });
        QTRY_VERIFY(jit.has_value());
        QCOMPARE(jit->value.value, 1);
    }

    void aNewerPostOnTheChannelSupersedesOlderOnes()
    {
        QC_TEST_DATABASE(name);
        auto worker = makeWorker(TestCluster::instance().conninfo(name));
        worker->start();
        QVERIFY(waitConnected(*worker));
        QList<qint64> delivered;
        QObject context;
        QList<quint64> generations;
        for (int i = 1; i <= 3; ++i)
            generations << worker->post<Answer>(u"refresh"_s, &context,
                query(u"SELECT %1 FROM pg_sleep(0.05)"_s.arg(i)),
                [&](const JobOutcome<Answer>& o) { delivered << o.value.value; });
        // Another channel is independent.
        worker->post<Answer>(u"other"_s, &context, query(u"SELECT 7"_s),
            [&](const JobOutcome<Answer>& o) { delivered << o.value.value; });
        QTRY_COMPARE(delivered.size(), 2);
        QTest::qWait(200);
        QCOMPARE(delivered, QList<qint64>({ 3, 7 }));
        QVERIFY(worker->isCurrent(u"refresh"_s, generations.last()));
        QVERIFY(!worker->isCurrent(u"refresh"_s, generations.first()));
    }

    void answersForADestroyedReceiverAreDropped()
    {
        QC_TEST_DATABASE(name);
        auto worker = makeWorker(TestCluster::instance().conninfo(name));
        worker->start();
        QVERIFY(waitConnected(*worker));
        bool called = false;
        auto page = std::make_unique<QObject>();
        worker->post<Answer>({}, page.get(), query(u"SELECT 1 FROM pg_sleep(0.1)"_s),
            [&](const JobOutcome<Answer>&) { called = true; });
        page.reset();
        bool later = false;
        QObject context;
        worker->post<Answer>(
            {}, &context, query(u"SELECT 2"_s), [&](const JobOutcome<Answer>&) { later = true; });
        QTRY_VERIFY(later);
        QVERIFY(!called);
    }

    // Work done off the GUI thread (connection tests, exports, simulations) answers through
    // whenFinished: on the context's thread, never inside the call that started it (even when
    // the work finished first, so that the caller can store the id it matches answers with),
    // and not at all once the context is gone.
    void whenFinishedAnswersLaterOnTheContextsThread()
    {
        QObject context;
        QList<int> answers;
        whenFinished(&context, QtFuture::makeReadyFuture(7), [&](int v) { answers.append(v); });
        QVERIFY(answers.isEmpty());
        QTRY_COMPARE(answers, QList<int>({ 7 }));

        QPromise<int> promise;
        Qt::HANDLE answeredOn = nullptr;
        whenFinished(&context, promise.future(), [&](int v) {
            answers.append(v);
            answeredOn = QThread::currentThreadId();
        });
        std::thread work([&] {
            promise.start();
            promise.addResult(9);
            promise.finish();
        });
        work.join();
        QTRY_COMPARE(answers, QList<int>({ 7, 9 }));
        QCOMPARE(answeredOn, QThread::currentThreadId());

        bool voidDone = false;
        whenFinished(&context, QtFuture::makeReadyFuture(), [&] { voidDone = true; });
        QVERIFY(!voidDone);
        QTRY_VERIFY(voidDone);

        // Work that threw (out of memory on a huge trace) is logged, not rethrown at the GUI.
        QPromise<int> failing;
        bool failedDone = false;
        whenFinished(&context, failing.future(), [&](int) { failedDone = true; });
        failing.start();
        failing.setException(std::make_exception_ptr(std::runtime_error("no memory")));
        failing.finish();
        QPromise<void> failingVoid;
        whenFinished(&context, failingVoid.future(), [&] { failedDone = true; });
        failingVoid.start();
        failingVoid.setException(std::make_exception_ptr(std::runtime_error("no memory")));
        failingVoid.finish();
        QTest::qWait(50);
        QVERIFY(!failedDone);

        bool called = false;
        auto gone = std::make_unique<QObject>();
        whenFinished(gone.get(), QtFuture::makeReadyFuture(1), [&](int) { called = true; });
        gone.reset();
        QTest::qWait(50);
        QVERIFY(!called);
    }

    void reconnectsAfterTheBackendIsKilled()
    {
        QC_TEST_DATABASE(name);
        auto worker = makeWorker(TestCluster::instance().conninfo(name));
        worker->start();
        QVERIFY(waitConnected(*worker));
        QSignalSpy states(worker.get(), &DatabaseWorker::stateChanged);
        QCOMPARE(TestCluster::instance().execAsSuperuser(name,
                     u"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     "WHERE application_name = 'quota-console' AND datname = current_database()"_s),
            QString());
        std::optional<JobOutcome<Answer>> got;
        QObject context;
        worker->post<Answer>(
            {}, &context, query(u"SELECT 1"_s), [&](const JobOutcome<Answer>& o) { got = o; });
        QTRY_VERIFY(got.has_value());
        QVERIFY(got->connectionLost);
        QVERIFY(!got->value.error.isEmpty());
        QTRY_VERIFY(!states.isEmpty());
        QCOMPARE(states.first().first().value<ConnectionState>().status,
            ConnectionState::Status::Reconnecting);
        QVERIFY(waitConnected(*worker));
        got.reset();
        worker->post<Answer>(
            {}, &context, query(u"SELECT 5"_s), [&](const JobOutcome<Answer>& o) { got = o; });
        QTRY_VERIFY(got.has_value());
        QCOMPARE(got->value.value, 5);
    }

    void rideOutAServerOutageWithBackoff()
    {
        QC_TEST_DATABASE(name);
        auto worker = makeWorker(TestCluster::instance().conninfo(name));
        worker->start();
        QVERIFY(waitConnected(*worker));
        QVERIFY(TestCluster::instance().stopServer().isEmpty());

        QObject context;
        std::optional<JobOutcome<Answer>> got;
        worker->post<Answer>(
            {}, &context, query(u"SELECT 1"_s), [&](const JobOutcome<Answer>& o) { got = o; });
        QTRY_VERIFY(got.has_value());
        QVERIFY(got->connectionLost || !got->ran());
        QTRY_COMPARE(worker->state().status, ConnectionState::Status::Reconnecting);
        // The first failure is the lost connection, the attempts after it are refused.
        QTRY_VERIFY(worker->state().failedAttempts >= 2);
        const ConnectionState down = worker->state();
        QCOMPARE(down.problem, qc::db::ConnectionProblem::Refused);
        QVERIFY2(!down.error.isEmpty(), qPrintable(down.error));
        QVERIFY(down.retryAt > down.since);
        // Attempts keep failing and are counted; the outage keeps its start time.
        QTRY_VERIFY(worker->state().failedAttempts >= 4);
        QCOMPARE(worker->state().since, down.since);
        // While down, a job is answered at once instead of waiting.
        got.reset();
        worker->post<Answer>(
            {}, &context, query(u"SELECT 1"_s), [&](const JobOutcome<Answer>& o) { got = o; });
        QTRY_VERIFY(got.has_value());
        QVERIFY(!got->ran());
        QVERIFY2(got->error.contains(u"unreachable"_s), qPrintable(got->error));

        QVERIFY(TestCluster::instance().startServer().isEmpty());
        QVERIFY(waitConnected(*worker, 15000));
        QCOMPARE(worker->state().failedAttempts, 0);
        got.reset();
        worker->post<Answer>(
            {}, &context, query(u"SELECT 9"_s), [&](const JobOutcome<Answer>& o) { got = o; });
        QTRY_VERIFY(got.has_value());
        QCOMPARE(got->value.value, 9);
    }

    void aBadConnectionStringFailsWithoutRetrying()
    {
        auto worker = makeWorker(u"hots=nowhere"_s);
        worker->start();
        QTRY_COMPARE(worker->state().status, ConnectionState::Status::Failed);
        QCOMPARE(worker->state().problem, qc::db::ConnectionProblem::InvalidConnectionString);
        QVERIFY(!worker->state().retryAt.isValid());
    }

    void destroyingTheWorkerCancelsItsQueryAndDoesNotBlock()
    {
        QC_TEST_DATABASE(name);
        auto worker = makeWorker(TestCluster::instance().conninfo(name));
        worker->start();
        QVERIFY(waitConnected(*worker));
        bool called = false;
        QObject context;
        worker->post<Answer>({}, &context, query(u"SELECT 1 FROM pg_sleep(30)"_s),
            [&](const JobOutcome<Answer>&) { called = true; });
        QTest::qWait(100); // the query is running
        QElapsedTimer timer;
        timer.start();
        worker.reset();
        QVERIFY(timer.elapsed() < 500);
        QVERIFY(DatabaseWorker::waitForAll(std::chrono::seconds(10)));
        QVERIFY(timer.elapsed() < 10000);
        QTest::qWait(50);
        QVERIFY(!called);
    }
};

QTEST_MAIN(tst_DatabaseWorker)
#include "tst_databaseworker.moc"
