// quota_check under concurrency: 64 connections at once, READ COMMITTED, no retries. Limits must
// hold exactly, no admitted request may go uncounted, and no two calls may deadlock.

#include "support/testcluster.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <atomic>
#include <functional>
#include <latch>
#include <libpq-fe.h>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using qc::testsupport::TestCluster;

namespace {

constexpr int kConnections = 64;
constexpr long long kT0 = 1767225600000; // 2026-01-01T00:00:00Z

struct Call {
    long long ts = kT0 + 1000;
    std::string ip = "203.0.113.7";
    std::string user;
    std::string plan;
    std::string endpoint = "/api/items";
    std::string key;
    std::string hash;
};

struct Outcome {
    std::string reason;
    std::string error; // non-empty when the call failed
};

// Runs `calls(connection index, call index)` on kConnections libpq connections started together.
class Swarm {
public:
    Swarm(std::string conninfo, int callsPerConnection)
        : m_conninfo(std::move(conninfo))
        , m_calls(callsPerConnection)
    {
    }

    std::vector<Outcome> run(const std::function<Call(int, int)>& makeCall)
    {
        std::vector<Outcome> outcomes(static_cast<std::size_t>(kConnections * m_calls));
        std::latch ready(kConnections);
        std::vector<std::thread> threads;
        for (int c = 0; c < kConnections; ++c) {
            threads.emplace_back([&, c] {
                PGconn* conn = PQconnectdb(m_conninfo.c_str());
                const bool ok = PQstatus(conn) == CONNECTION_OK;
                PGresult* prepared = ok ? PQprepare(conn, "check",
                                         "SELECT reason FROM quota.quota_check("
                                         "timestamptz 'epoch' + $1::bigint * interval "
                                         "'1 millisecond', $2, $3, NULL, $4, $5, $6, "
                                         "'POST', 'load/1', 'US', $7, $8)",
                                         8, nullptr)
                                        : nullptr;
                const bool preparedOk = prepared && PQresultStatus(prepared) == PGRES_COMMAND_OK;
                const std::string setupError = ok
                    ? (preparedOk ? std::string() : PQerrorMessage(conn))
                    : PQerrorMessage(conn);
                PQclear(prepared);
                ready.arrive_and_wait();
                for (int i = 0; i < m_calls; ++i) {
                    Outcome& out = outcomes[static_cast<std::size_t>(c * m_calls + i)];
                    if (!setupError.empty()) {
                        out.error = setupError;
                        continue;
                    }
                    const Call call = makeCall(c, i);
                    const std::string ts = std::to_string(call.ts);
                    const std::string id = "c" + std::to_string(c) + "-" + std::to_string(i);
                    const char* values[8] = { ts.c_str(), id.c_str(), call.ip.c_str(),
                        call.user.empty() ? nullptr : call.user.c_str(),
                        call.plan.empty() ? nullptr : call.plan.c_str(), call.endpoint.c_str(),
                        call.key.empty() ? nullptr : call.key.c_str(),
                        call.hash.empty() ? nullptr : call.hash.c_str() };
                    PGresult* res = PQexecPrepared(conn, "check", 8, values, nullptr, nullptr, 0);
                    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
                        out.reason = PQgetvalue(res, 0, 0);
                    else
                        out.error = PQresultErrorMessage(res);
                    PQclear(res);
                }
                PQfinish(conn);
            });
        }
        for (std::thread& t : threads)
            t.join();
        return outcomes;
    }

private:
    std::string m_conninfo;
    int m_calls;
};

int countReason(const std::vector<Outcome>& outcomes, const char* reason)
{
    int n = 0;
    for (const Outcome& o : outcomes)
        n += o.reason == reason ? 1 : 0;
    return n;
}

QString firstError(const std::vector<Outcome>& outcomes)
{
    for (const Outcome& o : outcomes) {
        if (!o.error.empty())
            return QString::fromStdString(o.error);
    }
    return {};
}

QByteArray policy(const char* rules, const char* ai = "1000")
{
    return QByteArray(R"({"version": 1,
        "plans": [{"name": "free", "quotas": {"ai": )")
        + ai + R"(}}],
        "endpoint_metrics": [{"endpoints": ["/api/ai?*"], "metric": "ai"}],
        "rules": [)"
        + rules + "]}";
}

} // namespace

class ConcurrencyTest : public QObject {
    Q_OBJECT

private:
    QString prepare(const QByteArray& policyJson)
    {
        const QString name = TestCluster::instance().createDatabase();
        if (name.isEmpty())
            return {};
        const QString error = TestCluster::instance().execAsSuperuser(name,
            QStringLiteral("INSERT INTO quota.policy_versions (policy, active, reason) "
                           "VALUES ('%1', true, 'concurrency test')")
                .arg(QString::fromUtf8(policyJson)));
        if (!error.isEmpty()) {
            qWarning("%s", qPrintable(error));
            return {};
        }
        return name;
    }

    qlonglong scalar(const QString& database, const QString& sql)
    {
        QSqlDatabase db = TestCluster::instance().open(database);
        QSqlQuery q(db);
        if (!q.exec(sql) || !q.next()) {
            qWarning("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
            return -1;
        }
        return q.value(0).toLongLong();
    }

private Q_SLOTS:
    void initTestCase() { QC_REQUIRE_CLUSTER(); }

    void exactlyTheLimitIsAdmitted_data()
    {
        QTest::addColumn<QByteArray>("rule");
        QTest::newRow("fixed window") << QByteArray(
            R"({"id": "r", "scope": "ip", "algorithm": "fixed_window", "window": "1h", "limit": 20})");
        QTest::newRow("sliding window") << QByteArray(
            R"({"id": "r", "scope": "ip", "algorithm": "sliding_window", "window": "1h", "limit": 20})");
        QTest::newRow("token bucket") << QByteArray(
            R"({"id": "r", "scope": "ip", "algorithm": "token_bucket", "rate": 1, "period": "1h", "burst": 20})");
    }

    void exactlyTheLimitIsAdmitted()
    {
        QFETCH(QByteArray, rule);
        const QString name = prepare(policy(rule.constData()));
        QVERIFY2(!name.isEmpty(), qPrintable(TestCluster::instance().errorString()));
        Swarm swarm(TestCluster::instance().conninfo(name).toStdString(), 3);
        const auto outcomes = swarm.run([](int, int) { return Call {}; });
        QVERIFY2(firstError(outcomes).isEmpty(), qPrintable(firstError(outcomes)));
        QCOMPARE(countReason(outcomes, "admitted"), 20);
        QCOMPARE(countReason(outcomes, "rate_limited"), kConnections * 3 - 20);
    }

    void quotaUsageCountsEveryAdmission_data()
    {
        QTest::addColumn<int>("quota");
        QTest::newRow("quota not reached") << 1000;
        QTest::newRow("quota reached") << 150;
    }

    void quotaUsageCountsEveryAdmission()
    {
        QFETCH(int, quota);
        const QString name = prepare(policy("", QByteArray::number(quota).constData()));
        QVERIFY2(!name.isEmpty(), qPrintable(TestCluster::instance().errorString()));
        Swarm swarm(TestCluster::instance().conninfo(name).toStdString(), 5);
        const auto outcomes = swarm.run([](int c, int i) {
            Call call;
            call.ip = "198.51.100." + std::to_string(c);
            call.user = "alice";
            call.plan = "free";
            call.endpoint = "/api/ai/generate";
            call.ts += i;
            return call;
        });
        QVERIFY2(firstError(outcomes).isEmpty(), qPrintable(firstError(outcomes)));
        const int admitted = countReason(outcomes, "admitted");
        QCOMPARE(admitted, std::min(quota, kConnections * 5));
        QCOMPARE(countReason(outcomes, "quota_exceeded"), kConnections * 5 - admitted);
        QCOMPARE(scalar(name,
                     QStringLiteral("SELECT used FROM quota.quota_usage WHERE user_id = "
                                    "'alice' AND metric = 'ai'")),
            qlonglong(admitted));
    }

    void overlappingRuleSetsDoNotDeadlock()
    {
        // Each call touches a different subset of counter rows (per ip, per user, per user and
        // endpoint, one global row); a lock order that depended on the caller would deadlock.
        const QString name = prepare(policy(R"(
            {"id": "a_global", "scope": "global", "algorithm": "fixed_window", "window": "1h", "limit": 100000},
            {"id": "m_user", "scope": "user", "algorithm": "fixed_window", "window": "1h", "limit": 100000},
            {"id": "b_ip", "scope": "ip", "algorithm": "sliding_window", "window": "1h", "limit": 100000},
            {"id": "z_user_ep", "scope": "user_endpoint", "algorithm": "token_bucket", "rate": 1000,
             "period": "1s", "burst": 100000},
            {"id": "c_ip_ep", "scope": "ip_endpoint", "algorithm": "fixed_window", "window": "1h",
             "limit": 100000, "match": {"endpoints": ["/api/b"]}})"));
        QVERIFY2(!name.isEmpty(), qPrintable(TestCluster::instance().errorString()));
        Swarm swarm(TestCluster::instance().conninfo(name).toStdString(), 12);
        const auto outcomes = swarm.run([](int c, int i) {
            Call call;
            call.ip = "192.0.2." + std::to_string((c + i) % 5);
            if ((c + i) % 3 != 0) {
                call.user = "u" + std::to_string((c * 7 + i) % 4);
                call.plan = "free";
            }
            call.endpoint = (c + i) % 2 ? "/api/a" : "/api/b";
            call.ts += i;
            return call;
        });
        QVERIFY2(firstError(outcomes).isEmpty(), qPrintable(firstError(outcomes)));
        const int total = kConnections * 12;
        QCOMPARE(countReason(outcomes, "admitted"), total);
        QCOMPARE(scalar(name,
                     QStringLiteral("SELECT curr_count FROM quota.rate_counters "
                                    "WHERE rule_id = 'a_global'")),
            qlonglong(total));
        QCOMPARE(scalar(name,
                     QStringLiteral("SELECT sum(curr_count) FROM quota.rate_counters "
                                    "WHERE rule_id = 'b_ip'")),
            qlonglong(total));
        QCOMPARE(scalar(name,
                     QStringLiteral("SELECT sum(curr_count) FROM quota.rate_counters "
                                    "WHERE rule_id = 'c_ip_ep'")),
            qlonglong(countReason(outcomes, "admitted") / 2));
    }

    void oneKeyIsAdmittedOnce()
    {
        const QString name = prepare(policy(
            R"({"id": "r", "scope": "user", "algorithm": "fixed_window", "window": "1h", "limit": 1000})"));
        QVERIFY2(!name.isEmpty(), qPrintable(TestCluster::instance().errorString()));
        Swarm swarm(TestCluster::instance().conninfo(name).toStdString(), 2);
        const auto outcomes = swarm.run([](int c, int i) {
            Call call;
            call.user = "alice";
            call.plan = "free";
            call.key = "order-42";
            // Half the calls carry other parameters: collisions, rejected.
            call.hash = (c + i) % 2 ? "same" : "other-" + std::to_string(c);
            call.ip = "192.0.2." + std::to_string(c);
            return call;
        });
        QVERIFY2(firstError(outcomes).isEmpty(), qPrintable(firstError(outcomes)));
        QCOMPARE(countReason(outcomes, "admitted"), 1);
        QCOMPARE(countReason(outcomes, "admitted") + countReason(outcomes, "idempotent_replay")
                + countReason(outcomes, "idempotency_conflict"),
            kConnections * 2);
        QCOMPARE(scalar(name, QStringLiteral("SELECT curr_count FROM quota.rate_counters")), 1LL);
        QCOMPARE(scalar(name, QStringLiteral("SELECT count(*) FROM quota.idempotency_collisions")),
            qlonglong(countReason(outcomes, "idempotency_conflict")));
    }
};

QTEST_GUILESS_MAIN(ConcurrencyTest)
#include "tst_concurrency.moc"
