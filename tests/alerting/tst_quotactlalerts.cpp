// `quotactl alerts evaluate|list|rules` as an operator runs them: against the private
// PostgreSQL of tests/support, scraping a real HTTP /metrics endpoint on 127.0.0.1 whose
// counters grow with every scrape.

#include "support/quotactlrun.h"
#include "support/sqlcall.h"
#include "support/testcluster.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using qc::testsupport::sqlCall;
using qc::testsupport::SqlResult;
using qc::testsupport::TestCluster;

namespace {

using Run = qc::testsupport::QuotactlRun;
using qc::testsupport::runQuotactl;

// A service's /metrics page: every scrape is one more "second" of traffic — 100 fast quota
// checks and 100 allowed decisions, plus one check of 300-500 ms while `slow` is set.
// /broken answers 503.
class GrowingMetrics : public QTcpServer {
public:
    GrowingMetrics()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = nextPendingConnection())
                serve(socket);
        });
        listen(QHostAddress::LocalHost, 0);
    }
    QString url(const QString& path = u"/metrics"_s) const
    {
        return u"http://127.0.0.1:"_s % QString::number(serverPort()) % path;
    }
    bool slow = false;
    int scrapes = 0;

private:
    QByteArray page()
    {
        ++scrapes;
        m_fast += 100;
        m_slow += slow ? 1 : 0;
        QByteArray text = "# TYPE quota_check_duration_seconds histogram\n";
        for (const char* le : { "0.05", "0.1", "0.15", "0.25", "0.3" })
            text += "quota_check_duration_seconds_bucket{le=\"" + QByteArray(le) + "\"} "
                + QByteArray::number(m_fast) + '\n';
        for (const char* le : { "0.5", "1", "+Inf" })
            text += "quota_check_duration_seconds_bucket{le=\"" + QByteArray(le) + "\"} "
                + QByteArray::number(m_fast + m_slow) + '\n';
        text += "quota_check_duration_seconds_sum "
            + QByteArray::number(m_fast * 0.01 + m_slow * 0.4)
            + "\nquota_check_duration_seconds_count " + QByteArray::number(m_fast + m_slow) + '\n';
        text += "# TYPE quota_decisions_total counter\n"
                "quota_decisions_total{decision=\"allowed\",endpoint=\"/api/"
                "chat\",reason=\"admitted\"} "
            + QByteArray::number(m_fast) + '\n';
        return text;
    }

    void serve(QTcpSocket* socket)
    {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
            m_buffers[socket] += socket->readAll();
            const QByteArray& request = m_buffers[socket];
            if (!request.contains("\r\n\r\n"))
                return;
            const bool broken = request.startsWith("GET /broken");
            m_buffers.remove(socket);
            const QByteArray body = broken ? QByteArray("down for maintenance\n") : page();
            socket->write(
                QByteArray(broken ? "HTTP/1.1 503 Service Unavailable\r\n" : "HTTP/1.1 200 OK\r\n")
                + "Content-Type: text/plain; version=0.0.4\r\nContent-Length: "
                + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
            socket->disconnectFromHost();
        });
    }

    qint64 m_fast = 0;
    qint64 m_slow = 0;
    QHash<QTcpSocket*, QByteArray> m_buffers;
};

int scalar(QSqlDatabase db, const QString& sql)
{
    return sqlCall(db, sql).value().toInt();
}

} // namespace

class QuotactlAlertsTest : public QObject {
    Q_OBJECT

    QString m_database;
    QString m_conninfo;
    QSqlDatabase m_su;

    QStringList evaluateOnce(const QString& url)
    {
        return { u"alerts"_s, u"evaluate"_s, u"--db"_s, m_conninfo, u"--metrics"_s, url,
            u"--interval"_s, u"300ms"_s, u"--once"_s };
    }

private Q_SLOTS:
    void initTestCase() { QC_REQUIRE_CLUSTER(); }

    void init()
    {
        TestCluster& cluster = TestCluster::instance();
        m_database = cluster.createDatabase();
        QVERIFY2(!m_database.isEmpty(), qPrintable(cluster.errorString()));
        const QString role = cluster.createLoginRole(u"evaluator"_s, { u"quota_evaluator"_s });
        QVERIFY(!role.isEmpty());
        m_conninfo = cluster.conninfo(m_database, role);
        m_su = cluster.open(m_database);
        QVERIFY(m_su.isOpen());
    }
    void cleanup()
    {
        m_su = QSqlDatabase();
        TestCluster::instance().cleanup();
    }

    void onceFiresThenNeitherDuplicatesNorForgetsAcknowledgement()
    {
        GrowingMetrics metrics;
        metrics.slow = true;
        Run r = runQuotactl(evaluateOnce(metrics.url()));
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QVERIFY2(r.out.contains(u"firing   ImmediateHighLatency (warning) [alert "_s),
            r.describe().constData());
        QVERIFY2(r.out.contains(u"1 firing, 0 pending; opened 1, resolved 0 alerts"_s),
            r.describe().constData());
        QCOMPARE(metrics.scrapes, 2); // rates need two scrapes
        QCOMPARE(scalar(m_su, u"SELECT count(*) FROM quota.alerts"_s), 1);
        const SqlResult row = sqlCall(m_su,
            u"SELECT id, rule, severity, state, labels->>'alertname', annotations->>'summary' "
            u"FROM quota.alerts"_s);
        QCOMPARE(row.value(1).toString(), u"ImmediateHighLatency"_s);
        QCOMPARE(row.value(2).toString(), u"warning"_s);
        QCOMPARE(row.value(3).toString(), u"firing"_s);
        QCOMPARE(row.value(4).toString(), u"ImmediateHighLatency"_s);
        QCOMPARE(row.value(5).toString(),
            u"A quota check took more than 300ms (slowest histogram bucket: 500ms)"_s);
        const qint64 id = row.value(0).toLongLong();

        // Still slow: the same alert, no second row. The run kept its samples in the database,
        // so this one needs a single scrape for its rates.
        r = runQuotactl(evaluateOnce(metrics.url()));
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QVERIFY2(r.out.contains(u"1 firing, 0 pending; opened 0, resolved 0 alerts"_s),
            r.describe().constData());
        QCOMPARE(scalar(m_su, u"SELECT count(*) FROM quota.alerts"_s), 1);
        QCOMPARE(metrics.scrapes, 3);

        // Acknowledged by an operator: stays acknowledged while it keeps firing.
        const QString op
            = TestCluster::instance().createLoginRole(u"op"_s, { u"quota_operator"_s });
        QSqlDatabase asOperator = TestCluster::instance().open(m_database, {}, op);
        QVERIFY(
            sqlCall(asOperator, u"SELECT quota.acknowledge_alert('a1', ?, 1, 'on it')"_s, { id })
                .ok);
        r = runQuotactl(evaluateOnce(metrics.url()));
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QCOMPARE(sqlCall(m_su, u"SELECT state FROM quota.alerts"_s).value().toString(),
            u"acknowledged"_s);

        // `alerts list` shows it, with who acknowledged it.
        r = runQuotactl({ u"alerts"_s, u"list"_s, u"--db"_s, m_conninfo });
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QVERIFY2(r.out.contains(u"acknowledged warning  ImmediateHighLatency"_s),
            r.describe().constData());
        QVERIFY2(
            r.out.contains(u"acknowledged by "_s % op % u": on it"_s), r.describe().constData());
        QVERIFY2(r.out.contains(u"1 open alerts"_s), r.describe().constData());

        // The condition clears: resolved once no slow check is left in the rule's 1-minute
        // window. Rather than wait a minute, the kept samples are made too old to use: the run
        // then sees only its own two scrapes.
        metrics.slow = false;
        QVERIFY(sqlCall(
            m_su, u"UPDATE quota.alert_evaluator_series SET saved_at = now() - interval '1 hour'"_s)
                    .ok);
        r = runQuotactl(evaluateOnce(metrics.url()));
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QVERIFY2(r.out.contains(u"resolved ImmediateHighLatency (warning) [alert "_s
                     % QString::number(id) % u']'),
            r.describe().constData());
        const SqlResult resolved
            = sqlCall(m_su, u"SELECT state, ends_at IS NOT NULL FROM quota.alerts"_s);
        QCOMPARE(resolved.value(0).toString(), u"resolved"_s);
        QVERIFY(resolved.value(1).toBool());
        r = runQuotactl({ u"alerts"_s, u"list"_s, u"--db"_s, m_conninfo });
        QVERIFY2(r.out.contains(u"0 open alerts"_s), r.describe().constData());
    }

    void twoEvaluatorsAtOnceWriteOnce()
    {
        GrowingMetrics metrics;
        metrics.slow = true;
        std::vector<std::unique_ptr<QProcess>> processes;
        std::vector<std::unique_ptr<QSignalSpy>> spies;
        for (int i = 0; i < 3; ++i) {
            processes.push_back(std::make_unique<QProcess>());
            spies.push_back(
                std::make_unique<QSignalSpy>(processes.back().get(), &QProcess::finished));
            processes.back()->start(qc::testsupport::quotactlPath(), evaluateOnce(metrics.url()));
        }
        int wrote = 0;
        for (std::size_t i = 0; i < processes.size(); ++i) {
            QVERIFY(spies[i]->count() > 0 || spies[i]->wait(60000));
            const int code = processes[i]->exitCode();
            const QString err = QString::fromUtf8(processes[i]->readAllStandardError());
            // Each one either evaluated, or found another one running and said so.
            QVERIFY2(code == 0 || (code == 3 && err.contains(u"another evaluator is running"_s)),
                qPrintable(QString::number(code) % u": "_s % err));
            wrote += code == 0;
        }
        QVERIFY(wrote >= 1);
        QCOMPARE(scalar(m_su, u"SELECT count(*) FROM quota.alerts"_s), 1);

        // While another session holds the lock, --once does not evaluate at all.
        QSqlDatabase holder = TestCluster::instance().open(m_database);
        QVERIFY(sqlCall(holder, u"SET application_name = 'the other evaluator'"_s).ok);
        QVERIFY(sqlCall(holder, u"SELECT pg_advisory_lock(quota.alert_evaluator_lock_key())"_s).ok);
        metrics.slow = false;
        const Run r = runQuotactl(evaluateOnce(metrics.url()));
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains(u"another evaluator is running (pid "_s)
                && r.err.contains(u"application the other evaluator"_s),
            r.describe().constData());
        QCOMPARE(scalar(m_su, u"SELECT count(*) FROM quota.alerts WHERE state = 'firing'"_s), 1);
    }

    void aSecondEvaluatorWaitsAndTakesOver()
    {
        GrowingMetrics metrics;
        metrics.slow = true;
        QSqlDatabase holder = TestCluster::instance().open(m_database);
        QVERIFY(sqlCall(holder, u"SELECT pg_advisory_lock(quota.alert_evaluator_lock_key())"_s).ok);
        QProcess process;
        QSignalSpy output(&process, &QProcess::readyReadStandardOutput);
        process.start(qc::testsupport::quotactlPath(),
            { u"alerts"_s, u"evaluate"_s, u"--db"_s, m_conninfo, u"--metrics"_s, metrics.url(),
                u"--interval"_s, u"300ms"_s });
        QString out;
        const auto readUntil = [&](const QString& text) {
            while (!out.contains(text)) {
                if (!output.wait(20000))
                    return false;
                out += QString::fromUtf8(process.readAllStandardOutput());
            }
            return true;
        };
        QVERIFY2(readUntil(u"waiting to take over"_s), qPrintable(out));
        QCOMPARE(scalar(m_su, u"SELECT count(*) FROM quota.alerts"_s), 0);

        // The first evaluator goes away: the waiting one takes over and evaluates.
        QVERIFY(sqlCall(holder, u"SELECT pg_advisory_unlock_all()"_s).ok);
        QVERIFY2(readUntil(u"took over the alert evaluator lock"_s), qPrintable(out));
        QVERIFY2(readUntil(u"firing   ImmediateHighLatency"_s), qPrintable(out));
        QCOMPARE(scalar(m_su, u"SELECT count(*) FROM quota.alerts WHERE state = 'firing'"_s), 1);

        // SIGTERM stops it cleanly, and the lock is free again.
        QSignalSpy finished(&process, &QProcess::finished);
        process.terminate();
        QVERIFY(finished.wait(20000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
        out += QString::fromUtf8(process.readAllStandardOutput());
        QVERIFY2(out.contains(u" stopped\n"_s), qPrintable(out));
        QVERIFY(sqlCall(holder, u"SELECT pg_try_advisory_lock(quota.alert_evaluator_lock_key())"_s)
                    .value()
                    .toBool());
    }

    void rulesWithoutMetricsComeFromTheDatabase()
    {
        // No --metrics: denials from the minute rollups, incidents from abuse_incidents.
        const QString rows = uR"([
            {"ts": "%1", "endpoint": "/api/chat", "decision": "denied", "reason": "rate_limited",
             "quota_check_ms": 2.0},
            {"ts": "%1", "endpoint": "/api/chat", "decision": "allowed", "reason": "admitted",
             "quota_check_ms": 2.0}])"_s;
        const QString twoMinutesAgo
            = QDateTime::currentDateTimeUtc().addSecs(-120).toString(u"yyyy-MM-ddTHH:mm:ss.zzzZ"_s);
        SqlResult logged
            = sqlCall(m_su, u"SELECT quota.log_requests(?::jsonb)"_s, { rows.arg(twoMinutesAgo) });
        QVERIFY2(logged.ok, logged.describe().constData());
        QVERIFY(sqlCall(m_su,
            u"INSERT INTO quota.abuse_incidents (pattern_id, scope, identifier, ts, severity, "
            u"action) VALUES ('high_request_rate', 'ip', '203.0.113.7', now() - interval '2 "
            u"minutes', 'high', 'block')"_s)
                    .ok);
        // HighDenialRate was already pending for 10 minutes when the last evaluator stopped.
        QVERIFY(sqlCall(m_su,
            u"INSERT INTO quota.alert_rule_state VALUES ('fp-denial', 'HighDenialRate', "
            u"'{\"alertname\": \"HighDenialRate\", \"severity\": \"warning\"}', 'warning', "
            u"'pending', now() - interval '10 minutes', NULL, 0.5, now() - interval '30 seconds')"_s)
                    .ok);

        const Run r
            = runQuotactl({ u"alerts"_s, u"evaluate"_s, u"--db"_s, m_conninfo, u"--once"_s });
        QVERIFY2(r.exitCode == 0, r.describe().constData());
        QVERIFY2(r.out.contains(u"firing   AbuseIncidentRaised{pattern=\"high_request_rate\"} "
                                u"(warning, from the database)"_s),
            r.describe().constData());
        QVERIFY2(r.out.contains(u"firing   HighDenialRate (warning, from the database)"_s),
            r.describe().constData());
        QVERIFY2(r.out.contains(u"50% of requests are denied"_s), r.describe().constData());
        QCOMPARE(scalar(m_su,
                     u"SELECT count(*) FROM quota.alerts WHERE state = 'firing' AND "
                     u"labels->>'pattern' = 'high_request_rate'"_s),
            1);
        QCOMPARE(
            scalar(m_su, u"SELECT count(*) FROM quota.alerts WHERE rule = 'HighDenialRate'"_s), 1);

        // The saved state is lost (or too old): the open alerts themselves say what is firing,
        // so the next run neither resolves them nor raises them again.
        QVERIFY(sqlCall(m_su, u"DELETE FROM quota.alert_rule_state"_s).ok);
        const Run again
            = runQuotactl({ u"alerts"_s, u"evaluate"_s, u"--db"_s, m_conninfo, u"--once"_s });
        QVERIFY2(again.exitCode == 0, again.describe().constData());
        QVERIFY2(again.out.contains(u"2 firing, 0 pending; opened 0, resolved 0 alerts"_s),
            again.describe().constData());
        QCOMPARE(scalar(m_su, u"SELECT count(*) FROM quota.alerts WHERE state = 'firing'"_s), 2);
    }

    void mistakesAreReported()
    {
        GrowingMetrics metrics;
        // An endpoint that fails: the round still runs (its rules fall back to the database),
        // the failure is reported and --once exits 1.
        Run r = runQuotactl(evaluateOnce(metrics.url(u"/broken"_s)));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"cannot scrape "_s % metrics.url(u"/broken"_s)
                     % u": server returned HTTP status 503"_s),
            r.describe().constData());

        // A role that may read but not evaluate.
        const QString viewer
            = TestCluster::instance().createLoginRole(u"viewer"_s, { u"quota_viewer"_s });
        r = runQuotactl({ u"alerts"_s, u"evaluate"_s, u"--db"_s,
            TestCluster::instance().conninfo(m_database, viewer), u"--once"_s });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(
            r.err.contains(u"it must be a member of quota_evaluator (GRANT quota_evaluator TO "_s
                % viewer % u')'),
            r.describe().constData());
        // ... but may list.
        r = runQuotactl({ u"alerts"_s, u"list"_s, u"--db"_s,
            TestCluster::instance().conninfo(m_database, viewer) });
        QVERIFY2(r.exitCode == 0, r.describe().constData());

        r = runQuotactl({ u"alerts"_s, u"evaluate"_s, u"--db"_s, m_conninfo, u"--metrics"_s,
            u"ftp://example.org/metrics"_s, u"--once"_s });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"is not an http(s) URL"_s), r.describe().constData());
        r = runQuotactl(
            { u"alerts"_s, u"evaluate"_s, u"--db"_s, m_conninfo, u"--interval"_s, u"15x"_s });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"--interval '15x' is not a duration"_s), r.describe().constData());
        r = runQuotactl({ u"alerts"_s, u"evaluate"_s, u"--db"_s,
            u"host=/nonexistent dbname=nothing"_s, u"--once"_s });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"cannot connect"_s), r.describe().constData());
        r = runQuotactl({ u"alerts"_s, u"frobnicate"_s });
        QCOMPARE(r.exitCode, 2);
    }

    void rulesPrintsThePackagedRulesFile()
    {
        const Run r = runQuotactl({ u"alerts"_s, u"rules"_s, u"--prometheus"_s });
        QCOMPARE(r.exitCode, 0);
        QFile packaged(
            QStringLiteral(QC_SOURCE_DIR "/packaging/prometheus/quota-console.rules.yml"));
        QVERIFY(packaged.open(QIODevice::ReadOnly));
        QCOMPARE(r.out, QString::fromUtf8(packaged.readAll()));
    }
};

QTEST_GUILESS_MAIN(QuotactlAlertsTest)
#include "tst_quotactlalerts.moc"
