// quotactl demo as a person uses it, with real processes: a private PostgreSQL cluster,
// quotactl loadgen and quotactl alerts evaluate, started, inspected, stopped, restarted,
// killed and cleaned up (docs/demo.md). The test cases run in order on one demo directory.

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <set>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
    QString all() const { return out + err; }
};

// Small enough for seconds: a day of history at 3,000 requests, 200 users.
const QStringList kSmall { u"--backfill"_s, u"1d"_s, u"--backfill-per-day"_s, u"3000"_s,
    u"--users"_s, u"200"_s, u"--rate"_s, u"10"_s, u"--evaluator-interval"_s, u"1s"_s };

QString procText(qint64 pid, const char* file)
{
    QFile f(u"/proc/%1/%2"_s.arg(pid).arg(QLatin1StringView(file)));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QByteArray bytes = f.readAll();
    bytes.replace('\0', ' ');
    return QString::fromLocal8Bit(bytes);
}

bool processAlive(qint64 pid)
{
    const QString stat = procText(pid, "stat");
    if (stat.isEmpty())
        return false;
    const qsizetype close = stat.lastIndexOf(u')');
    return close > 0 && stat.mid(close + 2, 1) != u"Z"_s;
}

QList<qint64> allPids()
{
    QList<qint64> pids;
    for (const QString& name : QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        bool ok = false;
        const qint64 pid = name.toLongLong(&ok);
        if (ok)
            pids << pid;
    }
    return pids;
}

qint64 parentOf(qint64 pid)
{
    const QString stat = procText(pid, "stat");
    const qsizetype close = stat.lastIndexOf(u')');
    return close > 0 ? stat.mid(close + 2).split(u' ').value(1).toLongLong() : -1;
}

} // namespace

class DemoTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_home;
    QJsonObject m_firstStatus;

    QProcessEnvironment environment(const QString& bindir = {}) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"XDG_DATA_HOME"_s, m_home.path());
        if (!bindir.isEmpty())
            env.insert(u"QC_PG_BINDIR"_s, bindir);
        return env;
    }

    Run quotactl(const QStringList& arguments, int timeoutMs = 120000) const
    {
        QProcess p;
        p.setProcessEnvironment(environment());
        p.start(QStringLiteral(QUOTACTL_PATH), arguments);
        Run r;
        if (!p.waitForStarted(10000))
            return r;
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished();
            r.err = u"quotactl did not finish within the timeout"_s;
            return r;
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err += QString::fromUtf8(p.readAllStandardError());
        return r;
    }

    QJsonObject status(int* exitCode = nullptr) const
    {
        const Run r = quotactl({ u"demo"_s, u"status"_s, u"--json"_s });
        if (exitCode)
            *exitCode = r.exitCode;
        return QJsonDocument::fromJson(r.out.toUtf8()).object();
    }

    QString demoDirectory() const { return m_home.path() + u"/quota-console/demo"_s; }

    // Every process of the demo: supervisor, postmaster and its backends, loadgen, evaluator.
    static QList<qint64> demoPids(const QJsonObject& s)
    {
        QList<qint64> pids;
        for (const QJsonValue& v :
            { s.value(u"supervisor_pid"_s), s.value(u"cluster"_s).toObject().value(u"pid"_s),
                s.value(u"loadgen"_s).toObject().value(u"pid"_s),
                s.value(u"evaluator"_s).toObject().value(u"pid"_s) }) {
            if (v.toInteger() > 0)
                pids << v.toInteger();
        }
        const qint64 postmaster = s.value(u"cluster"_s).toObject().value(u"pid"_s).toInteger();
        for (qint64 pid : allPids()) {
            if (postmaster > 0 && parentOf(pid) == postmaster)
                pids << pid;
        }
        return pids;
    }

    // Processes that still belong to the demo: working in its cluster directory (postgres
    // does) or naming the demo's directories on their command line (quotactl children do).
    QStringList survivors(const QJsonObject& s) const
    {
        const QString cluster
            = QFileInfo(s.value(u"cluster_directory"_s).toString()).canonicalFilePath();
        const QString clusterPath = s.value(u"cluster_directory"_s).toString();
        QStringList found;
        for (qint64 pid : allPids()) {
            if (pid == QCoreApplication::applicationPid() || !processAlive(pid))
                continue;
            const QString cwd = QFileInfo(u"/proc/%1/cwd"_s.arg(pid)).symLinkTarget();
            const QString cmdline = procText(pid, "cmdline");
            if ((!cluster.isEmpty() && cwd.startsWith(cluster)) || cmdline.contains(clusterPath)
                || cmdline.contains(demoDirectory()))
                found << u"%1: %2 (cwd %3)"_s.arg(pid).arg(cmdline, cwd);
        }
        return found;
    }

    void verifyNothingLeft(const QJsonObject& runningStatus, const QList<qint64>& pids)
    {
        for (qint64 pid : pids)
            QVERIFY2(!processAlive(pid),
                qPrintable(u"pid %1 survived: %2"_s.arg(pid).arg(procText(pid, "cmdline"))));
        const QStringList left = survivors(runningStatus);
        QVERIFY2(left.isEmpty(), qPrintable(left.join(u'\n')));
        const QString socket
            = runningStatus.value(u"cluster"_s).toObject().value(u"socket"_s).toString();
        QVERIFY(!socket.isEmpty());
        QVERIFY2(!QFileInfo::exists(socket), qPrintable(socket));
        QVERIFY2(!QFileInfo::exists(socket + u".lock"_s), qPrintable(socket));
        QVERIFY(!QFileInfo::exists(demoDirectory() + u"/run.json"_s));
        int code = -1;
        const QJsonObject after = status(&code);
        QCOMPARE(after.value(u"state"_s).toString(), u"stopped"_s);
        QCOMPARE(code, 3);
    }

    void verifyRunning(const QJsonObject& s)
    {
        QVERIFY2(s.value(u"running"_s).toBool(), QJsonDocument(s).toJson().constData());
        QCOMPARE(s.value(u"state"_s).toString(), u"running"_s);
        const QJsonObject cluster = s.value(u"cluster"_s).toObject();
        QVERIFY(processAlive(cluster.value(u"pid"_s).toInteger()));
        QVERIFY(cluster.value(u"socket_exists"_s).toBool());
        QVERIFY(cluster.value(u"data_bytes"_s).toInteger() > 0);
        // The server never runs as root.
        QVERIFY(QFileInfo(u"/proc/%1"_s.arg(cluster.value(u"pid"_s).toInteger())).ownerId() != 0);
        const QJsonObject loadgen = s.value(u"loadgen"_s).toObject();
        QVERIFY(loadgen.value(u"running"_s).toBool());
        QVERIFY(processAlive(loadgen.value(u"pid"_s).toInteger()));
        QVERIFY(s.value(u"evaluator"_s).toObject().value(u"running"_s).toBool());
        QVERIFY(processAlive(s.value(u"supervisor_pid"_s).toInteger()));

        // loadgen's endpoint answers with the metric names of DESIGN §3.
        const QUrl url(loadgen.value(u"metrics_url"_s).toString());
        QVERIFY2(url.isValid() && url.host() == u"127.0.0.1"_s, qPrintable(url.toString()));
        QNetworkAccessManager network;
        QNetworkReply* reply = network.get(QNetworkRequest(url));
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(15000));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QVERIFY(reply->readAll().contains("quota_check_duration_seconds"));
        reply->deleteLater();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_home.isValid()); }

    void cleanupTestCase()
    {
        // The cluster may live outside the temporary directory (as root: /var/lib).
        const Run r = quotactl({ u"demo"_s, u"reset"_s });
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
    }

    void missingServerProgramsNameThePackage()
    {
        QTemporaryDir empty;
        QElapsedTimer timer;
        timer.start();
        const Run r = quotactl({ u"demo"_s, u"start"_s, u"--pg-bindir"_s, empty.path() }, 60000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"postgresql-15"_s), qPrintable(r.all()));
        QVERIFY2(r.err.contains(empty.path()), qPrintable(r.all()));
        QVERIFY2(timer.elapsed() < 30000, "a missing server must be reported, not waited for");
        int code = -1;
        const QJsonObject s = status(&code);
        QCOMPARE(code, 3);
        QVERIFY(!s.value(u"running"_s).toBool());
        QVERIFY(!s.value(u"created"_s).toBool());

        // The same in the foreground, which the console runs.
        QProcess p;
        p.setProcessEnvironment(environment(empty.path()));
        p.start(QStringLiteral(QUOTACTL_PATH),
            { u"demo"_s, u"start"_s, u"--foreground"_s, u"--progress-fd"_s, u"1"_s,
                u"--pg-bindir"_s, empty.path() });
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 1);
        const QList<QByteArray> lines = p.readAllStandardOutput().trimmed().split('\n');
        const QJsonObject last = QJsonDocument::fromJson(lines.constLast()).object();
        QCOMPARE(last.value(u"event"_s).toString(), u"error"_s);
        QCOMPARE(last.value(u"step"_s).toString(), u"prepare"_s);
        QVERIFY(last.value(u"message"_s).toString().contains(u"postgresql-15"_s));
    }

    void foregroundStartReportsProgressAndStopsOnSignal()
    {
        QProcess p;
        p.setProcessEnvironment(environment());
        p.start(QStringLiteral(QUOTACTL_PATH),
            QStringList { u"demo"_s, u"start"_s, u"--foreground"_s, u"--progress-fd"_s, u"1"_s }
                + kSmall);
        QVERIFY(p.waitForStarted());
        QStringList steps;
        QJsonObject ready;
        QByteArray buffer;
        QElapsedTimer timer;
        timer.start();
        while (ready.isEmpty() && timer.elapsed() < 180000 && p.state() == QProcess::Running) {
            p.waitForReadyRead(1000);
            buffer += p.readAllStandardOutput();
            qsizetype newline;
            while ((newline = buffer.indexOf('\n')) >= 0) {
                const QJsonObject event = QJsonDocument::fromJson(buffer.left(newline)).object();
                buffer.remove(0, newline + 1);
                const QString kind = event.value(u"event"_s).toString();
                QVERIFY2(kind != u"error"_s, qPrintable(event.value(u"message"_s).toString()));
                if (kind == u"step"_s) {
                    const QString step = event.value(u"step"_s).toString();
                    if (step == u"backfill"_s && event.value(u"percent"_s).toInt() == 100)
                        steps << u"backfill 100"_s;
                    else if (steps.isEmpty() || steps.constLast() != step)
                        steps << step;
                } else if (kind == u"ready"_s) {
                    ready = event.value(u"status"_s).toObject();
                }
            }
        }
        QVERIFY2(!ready.isEmpty(), qPrintable(QString::fromUtf8(p.readAllStandardError())));
        // The first start creates everything, in this order.
        QStringList order;
        for (const QString& s : { u"prepare"_s, u"initdb"_s, u"postgres"_s, u"migrate"_s, u"seed"_s,
                 u"backfill"_s, u"backfill 100"_s, u"loadgen"_s, u"evaluator"_s }) {
            if (steps.contains(s))
                order << s;
        }
        QCOMPARE(order.size(), 9);
        QCOMPARE(steps.indexOf(u"initdb"_s) < steps.indexOf(u"postgres"_s), true);
        QCOMPARE(steps.indexOf(u"backfill 100"_s) < steps.indexOf(u"loadgen"_s), true);

        const QJsonObject s = status();
        verifyRunning(s);
        m_firstStatus = s;

        // The demo database: plans of the default policy rolled out as an audited action by
        // the console's role, users on every plan, a day of history.
        {
            const QString name = u"tst_demo"_s;
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
            const QString socketDir = s.value(u"cluster_directory"_s).toString();
            db.setHostName(socketDir);
            db.setPort(5432);
            db.setDatabaseName(u"quota_demo"_s);
            db.setUserName(u"demo_admin"_s);
            QVERIFY2(db.open(), qPrintable(db.lastError().text()));
            QSqlQuery q(db);
            QVERIFY(q.exec(u"SELECT count(*) FROM quota.policy_versions WHERE active"_s));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toInt(), 1);
            QVERIFY(q.exec(u"SELECT count(*) FROM quota.admin_audit_log WHERE actor = "
                           u"'demo_admin' AND action IN ('create_policy_version', "
                           u"'activate_policy_version')"_s));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toInt(), 2);
            QVERIFY(q.exec(u"SELECT (SELECT count(*) FROM quota.plans), count(DISTINCT plan), "
                           u"count(*) FROM quota.subscriptions"_s));
            QVERIFY(q.next());
            QVERIFY(q.value(0).toInt() >= 2);
            QCOMPARE(q.value(1).toInt(), q.value(0).toInt());
            QVERIFY(q.value(2).toInt() >= 150);
            QVERIFY(q.exec(u"SELECT count(*) FROM quota.request_logs"_s));
            QVERIFY(q.next());
            QVERIFY(q.value(0).toLongLong() >= 1000);
            db.close();
        }
        QSqlDatabase::removeDatabase(u"tst_demo"_s);

        const QList<qint64> pids = demoPids(s);
        QVERIFY(pids.size() >= 5);
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(90000));
        QCOMPARE(p.exitCode(), 0);
        verifyNothingLeft(s, pids);
    }

    void restartReusesTheClusterAndSecondStartSaysRunning()
    {
        const QJsonObject before = status();
        const Run started = quotactl(QStringList { u"demo"_s, u"start"_s } + kSmall);
        QVERIFY2(started.exitCode == 0, qPrintable(started.all()));
        QVERIFY2(!started.err.contains(u"backfilling"_s), qPrintable(started.err));
        QVERIFY2(
            !started.err.contains(u"creating the PostgreSQL cluster"_s), qPrintable(started.err));
        QVERIFY2(started.out.contains(u"running"_s), qPrintable(started.out));

        int code = -1;
        const QJsonObject s = status(&code);
        QCOMPARE(code, 0);
        verifyRunning(s);
        QCOMPARE(s.value(u"created_at"_s), before.value(u"created_at"_s));
        QCOMPARE(s.value(u"backfill"_s).toObject().value(u"completed_at"_s),
            before.value(u"backfill"_s).toObject().value(u"completed_at"_s));
        QCOMPARE(s.value(u"starts"_s).toInt(), 2);
        QCOMPARE(s.value(u"policy_version"_s), before.value(u"policy_version"_s));

        const Run twice = quotactl(QStringList { u"demo"_s, u"start"_s } + kSmall);
        QCOMPARE(twice.exitCode, 0);
        QVERIFY2(twice.out.contains(u"already running"_s), qPrintable(twice.all()));
        QCOMPARE(status().value(u"supervisor_pid"_s), s.value(u"supervisor_pid"_s));

        const QList<qint64> pids = demoPids(s);
        const Run stopped = quotactl({ u"demo"_s, u"stop"_s });
        QVERIFY2(stopped.exitCode == 0, qPrintable(stopped.all()));
        QVERIFY2(stopped.out.contains(u"Stopped"_s), qPrintable(stopped.out));
        verifyNothingLeft(s, pids);

        const Run again = quotactl({ u"demo"_s, u"stop"_s });
        QCOMPARE(again.exitCode, 0);
        QVERIFY2(again.out.contains(u"not running"_s), qPrintable(again.out));
    }

    void stopCleansUpAfterACrash()
    {
        const Run started = quotactl(QStringList { u"demo"_s, u"start"_s } + kSmall);
        QVERIFY2(started.exitCode == 0, qPrintable(started.all()));
        const QJsonObject s = status();
        verifyRunning(s);
        const QList<qint64> pids = demoPids(s);

        // The supervisor dies outright: its children notice (parent-death signal), the
        // detached PostgreSQL server does not.
        const qint64 supervisor = s.value(u"supervisor_pid"_s).toInteger();
        QVERIFY(::kill(pid_t(supervisor), SIGKILL) == 0);
        QTRY_VERIFY_WITH_TIMEOUT(!processAlive(supervisor), 10000);
        int code = -1;
        QJsonObject left = status(&code);
        QCOMPARE(left.value(u"state"_s).toString(), u"left running"_s);
        QCOMPARE(code, 1);
        QVERIFY(left.value(u"cluster"_s).toObject().value(u"running"_s).toBool());

        const Run stopped = quotactl({ u"demo"_s, u"stop"_s });
        QVERIFY2(stopped.exitCode == 0, qPrintable(stopped.all()));
        QVERIFY2(stopped.out.contains(u"PostgreSQL"_s), qPrintable(stopped.out));
        verifyNothingLeft(s, pids);
    }

    // Everything killed outright: the pid file and socket name a dead server; the next start
    // clears them and the cluster recovers.
    void startAfterEverythingWasKilled()
    {
        const Run started = quotactl(QStringList { u"demo"_s, u"start"_s } + kSmall);
        QVERIFY2(started.exitCode == 0, qPrintable(started.all()));
        const QJsonObject s = status();
        verifyRunning(s);
        const qint64 supervisor = s.value(u"supervisor_pid"_s).toInteger();
        const qint64 postmaster = s.value(u"cluster"_s).toObject().value(u"pid"_s).toInteger();
        QVERIFY(::kill(pid_t(supervisor), SIGKILL) == 0);
        QVERIFY(::kill(pid_t(postmaster), SIGKILL) == 0);
        QTRY_VERIFY_WITH_TIMEOUT(!processAlive(supervisor) && !processAlive(postmaster), 10000);
        const QString pidFile
            = s.value(u"cluster"_s).toObject().value(u"data_directory"_s).toString()
            + u"/postmaster.pid"_s;
        QVERIFY(QFileInfo::exists(pidFile));
        QVERIFY(s.value(u"cluster"_s).toObject().value(u"socket_exists"_s).toBool());

        const Run again = quotactl(QStringList { u"demo"_s, u"start"_s } + kSmall);
        QVERIFY2(again.exitCode == 0, qPrintable(again.all()));
        const QJsonObject after = status();
        verifyRunning(after);
        QVERIFY(after.value(u"cluster"_s).toObject().value(u"pid"_s).toInteger() != postmaster);
        QCOMPARE(after.value(u"created_at"_s), s.value(u"created_at"_s));

        const QList<qint64> pids = demoPids(after);
        const Run stopped = quotactl({ u"demo"_s, u"stop"_s });
        QVERIFY2(stopped.exitCode == 0, qPrintable(stopped.all()));
        verifyNothingLeft(after, pids);
    }

    void resetRemovesEverything()
    {
        const QString cluster = status().value(u"cluster_directory"_s).toString();
        QVERIFY(QFileInfo::exists(cluster));
        const Run r = quotactl({ u"demo"_s, u"reset"_s });
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QVERIFY(!QFileInfo::exists(cluster));
        QVERIFY(!QFileInfo::exists(demoDirectory()));
        int code = -1;
        QCOMPARE(status(&code).value(u"state"_s).toString(), u"not created"_s);
        QCOMPARE(code, 3);
    }
};

QTEST_GUILESS_MAIN(DemoTest)
#include "tst_demo.moc"
