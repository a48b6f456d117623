// Replaying the quota database: N logged requests read from request_logs through
// qc::replay::DatabaseTraceSource (server-side cursor, binary batches) and decided under two
// policies, end to end, next to what each part costs alone in the same run (the machine is
// shared: compare the figures of one run with each other):
//   copy    COPY (SELECT …) TO STDOUT binary, same plan, rows discarded: the server's best
//   fetch   the source's cursor and batches, rows received but not decoded
//   load    DatabaseTraceSource::load(): fetch + decode into the trace (waiting / decoding)
//   decide  simulate() of the loaded trace, baseline and candidate in parallel
//   e2e     load + simulate, as `quotactl simulate --db` does (the target: 10 M in < 30 s)
//
// Data: a private PostgreSQL (tests/support TestCluster); N rows over one UTC day made by SQL
// (generate_series and a hash: 250,000 addresses, 50,000 users, two thirds signed in, the
// default policy's endpoints), loaded into a table with the partition's indexes and attached.
//
//   bench_replay                          # 1 million rows, 3 runs
//   bench_replay --full                   # 10 million rows, 1 run (setup ~3 min on 2 cores)
//   bench_replay --rows=N --runs=R --fetch=ROWS
//   bench_replay --benchmark_filter=Smoke # what CTest runs: 20,000 rows, 1 run

#include "policy/policyjson.h"
#include "replay/databasetracesource.h"
#include "simulation/simulator.h"
#include "support/testcluster.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <libpq-fe.h>
#include <stdexcept>
#include <string>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

using qc::testsupport::TestCluster;
using Clock = std::chrono::steady_clock;

namespace {

double since(Clock::time_point t)
{
    return std::chrono::duration<double>(Clock::now() - t).count();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// CPU seconds: this process (every thread), and a server backend from /proc. On a shared
// machine wall time depends on the neighbours; CPU time says what each side costs.
double selfCpu()
{
    rusage u {};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
        + static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double processCpu(long pid)
{
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const std::size_t close = text.rfind(')');
    if (close == std::string::npos)
        return 0;
    std::vector<std::string> fields;
    std::size_t at = close + 2;
    while (at < text.size()) {
        const std::size_t space = text.find(' ', at);
        fields.push_back(text.substr(at, space - at));
        if (space == std::string::npos)
            break;
        at = space + 1;
    }
    // Fields after the command: state is [0], utime [11], stime [12] (clock ticks).
    if (fields.size() < 13)
        return 0;
    return static_cast<double>(std::stoll(fields[11]) + std::stoll(fields[12]))
        / static_cast<double>(sysconf(_SC_CLK_TCK));
}

struct Cpu {
    double client = 0;
    double server = 0;
};

class Connection {
public:
    explicit Connection(const std::string& conninfo)
        : m_conn(PQconnectdb(conninfo.c_str()))
    {
        if (PQstatus(m_conn) != CONNECTION_OK)
            throw std::runtime_error(PQerrorMessage(m_conn));
    }
    ~Connection() { PQfinish(m_conn); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    void exec(const std::string& sql)
    {
        PGresult* r = PQexec(m_conn, sql.c_str());
        const ExecStatusType s = PQresultStatus(r);
        const std::string error = PQresultErrorMessage(r);
        PQclear(r);
        if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
            throw std::runtime_error(sql.substr(0, 80) + ": " + error);
    }
    PGconn* get() const { return m_conn; }

private:
    PGconn* m_conn;
};

constexpr const char* kDay = "2026-01-05";
constexpr long long kDayStartMs = 1767571200000;

// N rows over one day, columns as quota_complete logs them. Recorded decisions follow a fixed
// pattern (the figures measure reading and deciding, not agreement).
std::string generate(long long rows)
{
    const std::string n = std::to_string(rows);
    return R"(
INSERT INTO quota.bulk_day (ts, request_id, endpoint, method, user_id, plan, ip, user_agent,
    country, idempotency_key, request_hash, status, decision, reason, rule, cost_usd, tokens,
    model, response_ms, quota_check_ms)
SELECT timestamptz ')"
        + std::string(kDay) + R"( 00:00:00+00' + (((i - 1)::bigint * 86400000) / )" + n
        + R"() * interval '1 millisecond',
       'r' || i,
       (ARRAY['/api/items','/api/items','/api/items','/api/items','/api/orders','/api/orders',
              '/api/chat','/api/chat','/api/generate','/health'])[1 + (i % 10)],
       (ARRAY['GET','POST'])[1 + i % 2],
       CASE WHEN u.a THEN 'user' || u.u END,
       CASE WHEN u.a THEN (ARRAY['free','free','free','pro','team','enterprise'])[1 + u.u % 6] END,
       '10.' || (k.k / 65536) || '.' || (k.k / 256 % 256) || '.' || (k.k % 256),
       CASE WHEN i % 100 = 0 THEN 'crawler-bot/1.0' ELSE 'app/1.0' END, 'US',
       CASE WHEN i % 10 = 3 THEN 'k' || (i / 10) END,
       CASE WHEN i % 10 = 3 THEN 'h' || (i / 10) END,
       CASE WHEN i % 20 = 1 AND i % 10 <> 9 THEN 429 ELSE 200 END,
       CASE WHEN i % 20 = 1 AND i % 10 <> 9 THEN 'denied' ELSE 'allowed' END,
       CASE WHEN i % 10 = 9 THEN 'skipped' WHEN i % 20 = 1 THEN 'rate_limited' ELSE 'admitted' END,
       CASE WHEN i % 20 = 1 AND i % 10 <> 9 THEN 'ip_per_minute' END,
       CASE WHEN i % 20 = 1 AND i % 10 <> 9 THEN 0 ELSE 0.0012 END, 100, 'gpt-4o-mini', 120, 1.5
FROM generate_series(1, )"
        + n + R"() AS i,
     LATERAL (SELECT (hashint4(i) & 2147483647) % 3 <> 0 AS a,
                     (hashint4(i * 3) & 2147483647) % 50000 AS u) AS u,
     LATERAL (SELECT (hashint4(i * 7) & 2147483647) % 250000 AS k) AS k)";
}

void load(const std::string& conninfo, long long rows)
{
    Connection c(conninfo);
    c.exec("SET maintenance_work_mem = '256MB'");
    c.exec("SET jit = off");
    const std::string from = std::string(kDay) + " 00:00:00+00";
    c.exec("CREATE TABLE quota.bulk_day (LIKE quota.request_logs INCLUDING DEFAULTS INCLUDING "
           "CONSTRAINTS)");
    c.exec(generate(rows));
    // The partition's indexes, so that ATTACH adopts them; the CHECK spares its scan.
    c.exec("CREATE INDEX ON quota.bulk_day (ts)");
    c.exec("CREATE INDEX ON quota.bulk_day (ip, ts)");
    c.exec("CREATE INDEX ON quota.bulk_day (user_id, ts)");
    c.exec("CREATE INDEX ON quota.bulk_day (request_id)");
    c.exec("ALTER TABLE quota.bulk_day ADD CONSTRAINT bench_range CHECK (ts >= '" + from
        + "' AND ts < timestamptz '" + from + "' + interval '1 day')");
    c.exec("VACUUM (ANALYZE) quota.bulk_day");
    c.exec("ALTER TABLE quota.request_logs ATTACH PARTITION quota.bulk_day FOR VALUES FROM ('"
        + from + "') TO (timestamptz '" + from + "' + interval '1 day')");
    c.exec("ALTER TABLE quota.bulk_day DROP CONSTRAINT bench_range");
    const QByteArray policy = qc::policy::defaultPolicyJson();
    const char* params[] = { policy.constData() };
    PGresult* r = PQexecParams(c.get(),
        "INSERT INTO quota.policy_versions (policy, active, reason) VALUES ($1::jsonb, true, "
        "'bench')",
        1, nullptr, params, nullptr, nullptr, 0);
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    const std::string error = PQresultErrorMessage(r);
    PQclear(r);
    if (!ok)
        throw std::runtime_error(error);
}

const char* const kSelect = "SELECT ts, request_id, ip, forwarded_for, user_id, plan, endpoint, "
                            "method, user_agent, country, idempotency_key, request_hash, "
                            "(cost_usd * 1000000)::bigint, tokens, model, response_ms, status, "
                            "decision, reason, rule, fail_open FROM quota.request_logs WHERE "
                            "ts >= '2026-01-05 00:00:00+00' AND ts < '2026-01-06 00:00:00+00'";

// The rows as the server sends them at best: COPY, binary.
long long copyRows(const std::string& conninfo, Cpu& cpu)
{
    Connection c(conninfo);
    const double server0 = processCpu(PQbackendPID(c.get()));
    const double client0 = selfCpu();
    c.exec("SET jit = off");
    c.exec("SET enable_seqscan = off"); // the same plan as the cursor's: the ts index in order
    c.exec("SET enable_bitmapscan = off");
    const std::string copy
        = std::string("COPY (") + kSelect + " ORDER BY ts) TO STDOUT (FORMAT binary)";
    PGresult* started = PQexec(c.get(), copy.c_str());
    const bool copying = PQresultStatus(started) == PGRES_COPY_OUT;
    const std::string error = PQresultErrorMessage(started);
    PQclear(started);
    if (!copying)
        throw std::runtime_error("COPY: " + error);
    long long rows = 0; // one message per row, the header with the first, the trailer alone
    char* buffer = nullptr;
    int n = 0;
    while ((n = PQgetCopyData(c.get(), &buffer, 0)) > 0) {
        ++rows;
        PQfreemem(buffer);
    }
    PQclear(PQgetResult(c.get()));
    cpu.server = processCpu(PQbackendPID(c.get())) - server0;
    cpu.client = selfCpu() - client0;
    return rows - 1;
}

// The source's cursor and binary batches, without decoding.
long long fetchRows(const std::string& conninfo, int batch, Cpu& cpu)
{
    Connection c(conninfo);
    const double server0 = processCpu(PQbackendPID(c.get()));
    const double client0 = selfCpu();
    c.exec("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    c.exec("SET LOCAL jit = off");
    c.exec("SET LOCAL enable_seqscan = off");
    c.exec("SET LOCAL enable_bitmapscan = off");
    c.exec(std::string("DECLARE cur NO SCROLL CURSOR FOR ") + kSelect + " ORDER BY ts");
    const std::string fetch = "FETCH FORWARD " + std::to_string(batch) + " FROM cur";
    long long rows = 0;
    for (;;) {
        PGresult* r
            = PQexecParams(c.get(), fetch.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 1);
        const int got = PQntuples(r);
        PQclear(r);
        rows += got;
        if (got < batch)
            break;
    }
    c.exec("COMMIT");
    cpu.server = processCpu(PQbackendPID(c.get())) - server0;
    cpu.client = selfCpu() - client0;
    return rows;
}

int usage()
{
    std::fprintf(stderr,
        "usage: bench_replay [--full | --rows=N] [--runs=N] [--fetch=ROWS]\n"
        "                    [--benchmark_filter=Smoke]\n");
    return 2;
}

} // namespace

int main(int argc, char** argv)
{
    long long rows = 1000000;
    int runs = 3;
    int batch = 20000;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--full") {
            rows = 10000000;
            runs = 1;
        } else if (a.rfind("--rows=", 0) == 0) {
            rows = std::atoll(a.c_str() + 7);
        } else if (a.rfind("--runs=", 0) == 0) {
            runs = std::atoi(a.c_str() + 7);
        } else if (a.rfind("--fetch=", 0) == 0) {
            batch = std::atoi(a.c_str() + 8);
        } else if (a.rfind("--benchmark_filter=", 0) == 0 && a.find("Smoke") != std::string::npos) {
            rows = 20000;
            runs = 1;
        } else {
            return usage();
        }
    }
    if (rows < 1000 || runs < 1 || batch < 1)
        return usage();

    QCoreApplication app(argc, argv);
    TestCluster& cluster = TestCluster::instance();
    if (!cluster.isRunning()) {
        std::fprintf(stderr, "bench_replay: %s\n", qPrintable(cluster.errorString()));
        return 1;
    }
    const QString dbName = cluster.createDatabase();
    if (dbName.isEmpty()) {
        std::fprintf(stderr, "bench_replay: %s\n", qPrintable(cluster.errorString()));
        return 1;
    }
    const std::string conninfo = cluster.conninfo(dbName).toStdString();
    int status = 0;
    try {
        const auto t0 = Clock::now();
        load(conninfo, rows);
        std::printf("loaded %lld rows in %.1f s\n", rows, since(t0));

        const qc::enforcement::Policy baseline = qc::policy::defaultPolicy();
        qc::enforcement::Policy candidate = baseline;
        for (qc::enforcement::Rule& rule : candidate.rules) {
            if (rule.id == "ip_per_minute")
                rule.limit = 10;
        }
        QSqlDatabase db = cluster.open(dbName, QStringLiteral("bench"));
        if (!db.isOpen())
            throw std::runtime_error("cannot open the QPSQL connection");
        const qc::replay::Range range { kDayStartMs, kDayStartMs + 86400000LL, 0 };

        long backend = 0;
        {
            QSqlQuery pid(db);
            if (pid.exec(QStringLiteral("SELECT pg_backend_pid()")) && pid.next())
                backend = pid.value(0).toLongLong();
        }
        std::vector<double> copyS, fetchS, loadS, waitS, decodeS, decideS, e2eS;
        std::vector<Cpu> copyC, fetchC, loadC, decideC;
        std::size_t memory = 0;
        for (int run = 0; run < runs; ++run) {
            Cpu cpu;
            auto t = Clock::now();
            const long long copied = copyRows(conninfo, cpu);
            copyS.push_back(since(t));
            copyC.push_back(cpu);
            t = Clock::now();
            const long long fetched = fetchRows(conninfo, batch, cpu);
            fetchS.push_back(since(t));
            fetchC.push_back(cpu);
            if (copied != rows || fetched != rows)
                throw std::runtime_error("row counts differ: copy " + std::to_string(copied)
                    + ", fetch " + std::to_string(fetched));

            // End to end: load, then decide under both policies.
            const double server0 = processCpu(backend);
            const double client0 = selfCpu();
            t = Clock::now();
            qc::replay::DatabaseTraceSource source(QStringLiteral("bench"), range);
            source.setFetchRows(batch);
            const qc::simulation::LoadedTrace loaded = source.load({});
            if (!loaded.ok())
                throw std::runtime_error(loaded.error.toStdString());
            const double loadSeconds = since(t);
            loadC.push_back({ selfCpu() - client0, processCpu(backend) - server0 });
            const double client1 = selfCpu();
            const auto decideStart = Clock::now();
            const qc::simulation::Report report
                = qc::simulation::simulate(baseline, candidate, loaded.trace);
            decideS.push_back(since(decideStart));
            decideC.push_back({ selfCpu() - client1, 0 });
            e2eS.push_back(since(t));
            loadS.push_back(loadSeconds);
            waitS.push_back(source.stats().waitSeconds);
            decodeS.push_back(source.stats().decodeSeconds);
            if (report.reportedRequests != static_cast<std::uint64_t>(rows))
                throw std::runtime_error("the simulation did not see every row");
            memory = loaded.trace.dictionary->memoryBytes()
                + loaded.trace.requests.capacity() * sizeof(qc::enforcement::EncodedRequest)
                + loaded.trace.recorded.capacity() * sizeof(qc::trace::RecordedDecision);
            std::printf("run %d: e2e %.2f s (load %.2f s, decide %.2f s, %llu newly denied)\n",
                run + 1, e2eS.back(), loadSeconds, decideS.back(),
                static_cast<unsigned long long>(report.newlyDenied.total));
            std::fflush(stdout);
        }
        const auto perSecond = [rows](double s) { return static_cast<double>(rows) / s / 1e6; };
        const auto mid = [](const std::vector<Cpu>& v, bool server) {
            std::vector<double> x;
            for (const Cpu& c : v)
                x.push_back(server ? c.server : c.client);
            return median(x);
        };
        std::printf("\n%lld rows, %d run(s), medians; batches of %d rows; load average %s\n", rows,
            runs, batch,
            [] {
                std::ifstream f("/proc/loadavg");
                std::string a;
                f >> a;
                return a;
            }()
                .c_str());
        std::printf("%-8s %9s %10s %11s %11s  %s\n", "part", "wall s", "M rows/s", "client cpu",
            "server cpu", "");
        const auto line = [&](const char* part, double wall, double client, double server,
                              const std::string& note) {
            std::printf("%-8s %9.2f %10.2f %11.2f %11s  %s\n", part, wall, perSecond(wall), client,
                server < 0 ? "-" : std::to_string(server).substr(0, 5).c_str(), note.c_str());
        };
        line("copy", median(copyS), mid(copyC, false), mid(copyC, true),
            "COPY TO STDOUT binary, same plan, rows discarded");
        line("fetch", median(fetchS), mid(fetchC, false), mid(fetchC, true),
            "cursor + binary FETCH, rows discarded (no fetcher thread)");
        line("load", median(loadS), mid(loadC, false), mid(loadC, true),
            "source: waiting " + std::to_string(median(waitS)).substr(0, 5) + " s, decoding "
                + std::to_string(median(decodeS)).substr(0, 5) + " s");
        line("decide", median(decideS), mid(decideC, false), -1,
            "simulate(): both policies, one thread each");
        std::printf("%-8s %9.2f %10.2f %11s %11s  target < 30 s for 10 M: %s\n", "e2e",
            median(e2eS), perSecond(median(e2eS)), "", "",
            rows >= 10000000 ? (median(e2eS) < 30 ? "met" : "MISSED") : "(not a 10 M run)");
        std::printf("trace in memory: %.0f MB (%.0f bytes per request)\n", memory / 1e6,
            static_cast<double>(memory) / static_cast<double>(rows));
        std::printf("ratios: load/fetch %.2f, fetch/copy %.2f, e2e/load %.2f; CPU of e2e: "
                    "server %.0f %%, decoding %.0f %%, deciding %.0f %%\n",
            median(loadS) / median(fetchS), median(fetchS) / median(copyS),
            median(e2eS) / median(loadS),
            100 * mid(loadC, true) / (mid(loadC, true) + mid(loadC, false) + mid(decideC, false)),
            100 * mid(loadC, false) / (mid(loadC, true) + mid(loadC, false) + mid(decideC, false)),
            100 * mid(decideC, false)
                / (mid(loadC, true) + mid(loadC, false) + mid(decideC, false)));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_replay: %s\n", e.what());
        status = 1;
    }
    cluster.cleanup();
    cluster.stop();
    return status;
}
