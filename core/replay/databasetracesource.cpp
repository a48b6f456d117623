#include "databasetracesource.h"

#include "db/pgconnection.h"
#include "enforcement/headers.h"
#include "enforcement/request.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <libpq-fe.h>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

using namespace Qt::StringLiterals;

namespace qc::replay {

using enforcement::TimeMs;
using trace::StateEvent;

namespace {

using Clock = std::chrono::steady_clock;
using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

double since(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Times are read as epoch microseconds. A stored time t acts on requests with ts_ms * 1000 >= t
// (blocks from, plan changes) or < t (block ends, grace ends), i.e. from ceil(t / 1000) ms.
TimeMs ceilMs(qint64 us)
{
    const qint64 q = us / 1000;
    return (us % 1000 > 0) ? q + 1 : q;
}

QByteArray tsLiteral(TimeMs ms)
{
    return "(timestamptz 'epoch' + " + QByteArray::number(static_cast<qlonglong>(ms))
        + "::bigint * interval '1 millisecond')";
}

const char* const kUs = "(extract(epoch FROM %1) * 1000000)::bigint";

QByteArray us(const QByteArray& column)
{
    return QByteArray(kUs).replace("%1", column);
}

// One connection's statements, with the server's message on failure.
class Session {
public:
    explicit Session(PGconn* conn)
        : m_conn(conn)
    {
    }

    ResultPtr exec(const QByteArray& sql, QString* error)
    {
        ResultPtr result(PQexec(m_conn, sql.constData()), &PQclear);
        const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
            *error = message(result.get());
            return ResultPtr(nullptr, &PQclear);
        }
        return result;
    }

    QString message(const PGresult* result) const
    {
        const char* text = result ? PQresultErrorMessage(result) : PQerrorMessage(m_conn);
        QString out = QString::fromUtf8(text).trimmed();
        if (out.startsWith(u"ERROR:  "_s))
            out = out.mid(8);
        return out.isEmpty() ? QString::fromUtf8(PQerrorMessage(m_conn)).trimmed() : out;
    }

    PGconn* conn() const { return m_conn; }

private:
    PGconn* m_conn;
};

// Ends the transaction however load() leaves.
class Transaction {
public:
    explicit Transaction(PGconn* conn)
        : m_conn(conn)
    {
    }
    ~Transaction()
    {
        if (!m_open)
            return;
        // A result still being received must be drained before the connection takes SQL.
        while (PGresult* pending = PQgetResult(m_conn))
            PQclear(pending);
        PQclear(PQexec(m_conn, "ROLLBACK"));
    }
    void opened() { m_open = true; }
    void ended() { m_open = false; }

private:
    PGconn* m_conn;
    bool m_open = false;
};

QString text(const PGresult* result, int row, int column)
{
    return QString::fromUtf8(PQgetvalue(result, row, column), PQgetlength(result, row, column));
}

qint64 integer(const PGresult* result, int row, int column)
{
    return QByteArray(PQgetvalue(result, row, column)).toLongLong();
}

bool null(const PGresult* result, int row, int column)
{
    return PQgetisnull(result, row, column) != 0;
}

// Binary FETCH results: big-endian integers, text as raw bytes.
std::int64_t be64(const char* p)
{
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
        v = (v << 8) | static_cast<unsigned char>(p[i]);
    return static_cast<std::int64_t>(v);
}

std::int32_t be32(const char* p)
{
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i)
        v = (v << 8) | static_cast<unsigned char>(p[i]);
    return static_cast<std::int32_t>(v);
}

std::int16_t be16(const char* p)
{
    return static_cast<std::int16_t>(
        (static_cast<unsigned char>(p[0]) << 8) | static_cast<unsigned char>(p[1]));
}

// PostgreSQL's binary timestamps count microseconds from 2000-01-01T00:00:00Z.
constexpr qint64 kPgEpochUs = 946684800000000LL;

enum Column : int {
    ColTs,
    ColRequestId,
    ColIp,
    ColForwardedFor,
    ColUser,
    ColPlan,
    ColEndpoint,
    ColMethod,
    ColUserAgent,
    ColCountry,
    ColIdempotencyKey,
    ColRequestHash,
    ColCost,
    ColTokens,
    ColModel,
    ColResponseMs,
    ColStatus,
    ColDecision,
    ColReason,
    ColRule,
    ColFailOpen,
    ColumnCount
};

const char* const kSelect = "SELECT ts, request_id, ip, forwarded_for, user_id, plan, endpoint, "
                            "method, user_agent, country, idempotency_key, request_hash, "
                            "(cost_usd * 1000000)::bigint, tokens, model, response_ms, status, "
                            "decision, reason, rule, fail_open FROM quota.request_logs";

struct Decoder {
    trace::Trace& trace;
    std::uint64_t failOpen = 0;
    // Rule names seen, so that a row's rule is interned without a search.
    std::map<std::string, std::uint32_t, std::less<>> rules;

    // NULL and '' are both "absent" (docs/enforcement.md): a NULL has length 0, no need to ask.
    std::string_view view(const PGresult* r, int row, int column) const
    {
        return { PQgetvalue(r, row, column),
            static_cast<std::size_t>(PQgetlength(r, row, column)) };
    }

    std::uint32_t rule(std::string_view name)
    {
        if (name.empty())
            return 0;
        const auto it = rules.find(name);
        if (it != rules.end())
            return it->second;
        const std::uint32_t id = trace.internRule(name);
        rules.emplace(std::string(name), id);
        return id;
    }

    void decode(const PGresult* r)
    {
        const int rows = PQntuples(r);
        enforcement::Dictionary& dictionary = *trace.dictionary;
        for (int row = 0; row < rows; ++row) {
            enforcement::Request q;
            q.ts = (be64(PQgetvalue(r, row, ColTs)) + kPgEpochUs) / 1000;
            q.requestId = view(r, row, ColRequestId);
            q.ip = view(r, row, ColIp);
            q.forwardedFor = view(r, row, ColForwardedFor);
            q.userId = view(r, row, ColUser);
            q.plan = view(r, row, ColPlan);
            q.endpoint = view(r, row, ColEndpoint);
            q.method = view(r, row, ColMethod);
            q.userAgent = view(r, row, ColUserAgent);
            q.country = view(r, row, ColCountry);
            q.idempotencyKey = view(r, row, ColIdempotencyKey);
            q.requestHash = view(r, row, ColRequestHash);
            q.model = view(r, row, ColModel);
            q.tokens = PQgetisnull(r, row, ColTokens) ? 0 : be32(PQgetvalue(r, row, ColTokens));
            q.responseMs
                = PQgetisnull(r, row, ColResponseMs) ? 0 : be32(PQgetvalue(r, row, ColResponseMs));

            trace::RecordedDecision recorded;
            const std::string_view decision = view(r, row, ColDecision);
            recorded.allowed = decision == "allowed";
            recorded.status
                = PQgetisnull(r, row, ColStatus) ? 0 : be16(PQgetvalue(r, row, ColStatus));
            if (const auto reason = enforcement::reasonFromString(view(r, row, ColReason))) {
                recorded.reason = *reason;
                recorded.hasReason = true;
            }
            recorded.rule = rule(view(r, row, ColRule));
            const bool failedOpen
                = !PQgetisnull(r, row, ColFailOpen) && *PQgetvalue(r, row, ColFailOpen) != 0;
            // Fail-open decisions were made without the database: nothing to compare with.
            recorded.present = !failedOpen;
            failOpen += failedOpen;

            // The log holds the cost live charged: that of an allowed request; a denied one
            // cost nothing, so its cost is left to the policy's cost model should a candidate
            // admit it.
            q.costMicroUsd = !recorded.allowed || PQgetisnull(r, row, ColCost)
                ? -1
                : be64(PQgetvalue(r, row, ColCost));

            trace.requests.push_back(enforcement::encode(dictionary, q));
            trace.recorded.push_back(recorded);
        }
    }
};

// Receives the cursor's batches on its own thread, a few ahead, so that the server keeps
// sending while the caller decodes (a socket buffer holds far less than one batch). Only this
// thread touches the connection until the fetcher is destroyed.
class BatchFetcher {
public:
    BatchFetcher(PGconn* conn, QByteArray fetch, int batchRows)
        : m_conn(conn)
        , m_fetch(std::move(fetch))
        , m_batchRows(batchRows)
        , m_thread([this] { run(); })
    {
    }
    ~BatchFetcher()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_changed.notify_all();
        m_thread.join();
    }
    BatchFetcher(const BatchFetcher&) = delete;
    BatchFetcher& operator=(const BatchFetcher&) = delete;

    /// The next batch (maybe a failed result), or null when there are no more rows.
    ResultPtr next()
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return !m_ready.empty() || m_done; });
        if (m_ready.empty())
            return ResultPtr(nullptr, &PQclear);
        ResultPtr batch = std::move(m_ready.front());
        m_ready.pop_front();
        lock.unlock();
        m_changed.notify_all();
        return batch;
    }
    QString error() const
    {
        std::lock_guard lock(m_mutex);
        return m_error;
    }

private:
    static constexpr std::size_t kAhead = 3;

    void run()
    {
        for (;;) {
            {
                std::unique_lock lock(m_mutex);
                m_changed.wait(lock, [this] { return m_ready.size() < kAhead || m_stop; });
                if (m_stop)
                    break;
            }
            if (PQsendQueryParams(
                    m_conn, m_fetch.constData(), 0, nullptr, nullptr, nullptr, nullptr, 1)
                != 1) {
                std::lock_guard lock(m_mutex);
                m_error = QString::fromUtf8(PQerrorMessage(m_conn)).trimmed();
                break;
            }
            ResultPtr batch(PQgetResult(m_conn), &PQclear);
            while (PGresult* extra = PQgetResult(m_conn))
                PQclear(extra);
            const bool failed = !batch || PQresultStatus(batch.get()) != PGRES_TUPLES_OK;
            const int rows = failed ? 0 : PQntuples(batch.get());
            {
                std::lock_guard lock(m_mutex);
                if (failed || rows > 0)
                    m_ready.push_back(std::move(batch));
            }
            m_changed.notify_all();
            if (failed || rows < m_batchRows)
                break;
        }
        {
            std::lock_guard lock(m_mutex);
            m_done = true;
        }
        m_changed.notify_all();
    }

    PGconn* m_conn;
    QByteArray m_fetch;
    int m_batchRows;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<ResultPtr> m_ready;
    bool m_done = false;
    bool m_stop = false;
    QString m_error;
    std::thread m_thread;
};

} // namespace

DatabaseTraceSource::DatabaseTraceSource(QString connectionName, Range range, QString label)
    : m_connectionName(std::move(connectionName))
    , m_range(range)
    , m_label(std::move(label))
{
}

QString DatabaseTraceSource::description() const
{
    QString text = u"request_logs "_s
        % QString::fromStdString(enforcement::formatTimestamp(m_range.fromMs)) % u" to "_s
        % QString::fromStdString(enforcement::formatTimestamp(m_range.toMs));
    if (!m_label.isEmpty())
        text += u" on "_s % m_label;
    return text;
}

simulation::LoadedTrace DatabaseTraceSource::load(const simulation::LoadOptions& options)
{
    const auto started = Clock::now();
    m_stats = {};
    simulation::LoadedTrace out;
    out.trace.dictionary
        = options.dictionary ? options.dictionary : std::make_shared<enforcement::Dictionary>();
    trace::Trace& trace = out.trace;
    const auto finish = [&]() -> simulation::LoadedTrace {
        m_stats.totalSeconds = since(started);
        out.seconds = m_stats.totalSeconds;
        return std::move(out);
    };
    if (m_range.toMs <= m_range.fromMs) {
        out.error = u"the time range is empty: 'to' ("_s
            % QString::fromStdString(enforcement::formatTimestamp(m_range.toMs))
            % u") must be after 'from' ("_s
            % QString::fromStdString(enforcement::formatTimestamp(m_range.fromMs)) % u')';
        return finish();
    }
    const QSqlDatabase database = QSqlDatabase::database(m_connectionName, false);
    QString error;
    PGconn* conn = db::pgConnection(database, &error);
    if (!conn) {
        out.error = error;
        return finish();
    }
    Session session(conn);
    Transaction transaction(conn);
    const auto failed = [&](const QString& what) {
        out.error = what % u": "_s % error;
        return finish();
    };
    if (!session.exec("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", &error))
        return failed(u"cannot start a read-only transaction"_s);
    transaction.opened();
    // A cursor is read a batch at a time: compiling the query with JIT only costs time.
    session.exec("SET LOCAL jit = off", &error);
    {
        ResultPtr schema
            = session.exec("SELECT to_regclass('quota.request_logs') IS NOT NULL", &error);
        if (!schema)
            return failed(u"cannot read the quota schema"_s);
        if (QByteArray(PQgetvalue(schema.get(), 0, 0)) != "t") {
            out.error = u"the database has no quota.request_logs table; is it a quota database? "
                        u"(create the schema with 'quotactl migrate')"_s;
            return finish();
        }
    }
    const TimeMs readFrom = m_range.fromMs - std::max<TimeMs>(0, m_range.warmupMs);
    const QByteArray from = tsLiteral(readFrom);
    const QByteArray to = tsLiteral(m_range.toMs);
    if (m_range.warmupMs > 0)
        out.reportFromMs = m_range.fromMs;

    // Bounds of the rows, for progress by time, and an estimate of their number.
    TimeMs firstTs = readFrom;
    TimeMs lastTs = m_range.toMs;
    {
        const QByteArray where = " FROM quota.request_logs WHERE ts >= " + from + " AND ts < " + to;
        ResultPtr bounds = session.exec(QByteArray("SELECT ") + us("(SELECT min(ts)" + where + ")")
                + ", " + us("(SELECT max(ts)" + where + ")"),
            &error);
        if (!bounds)
            return failed(u"cannot read request_logs"_s);
        if (!null(bounds.get(), 0, 0)) {
            firstTs = integer(bounds.get(), 0, 0) / 1000;
            lastTs = integer(bounds.get(), 0, 1) / 1000;
        }
    }

    // ---- state events ----------------------------------------------------------------------
    struct StoredBlock {
        enforcement::Block block; // from/until in ms, until = the earlier of until and unblock
        bool automatic = false;
        bool explicitEvent = false; // added as a Block event (not re-derived by the engines)
        TimeMs unblockedAt = enforcement::kForever; // kForever = never lifted
        TimeMs declaredUntil = enforcement::kForever;
    };
    std::vector<StoredBlock> blocks;
    {
        ResultPtr rows = session.exec("SELECT target, value, " + us("blocked_from") + ", "
                + us("blocked_until") + ", " + us("unblocked_at")
                + ", source, reason FROM quota.blocked_identifiers WHERE blocked_from < " + to
                + " AND (blocked_until IS NULL OR blocked_until > " + from
                + ") AND (unblocked_at IS NULL OR unblocked_at > " + from
                + ") ORDER BY blocked_from, id",
            &error);
        if (!rows)
            return failed(u"cannot read quota.blocked_identifiers"_s);
        for (int i = 0; i < PQntuples(rows.get()); ++i) {
            const auto target = enforcement::blockTargetFromString(PQgetvalue(rows.get(), i, 0));
            if (!target)
                continue;
            StoredBlock b;
            b.block.target = *target;
            b.block.value = std::string(PQgetvalue(rows.get(), i, 1));
            b.block.from = ceilMs(integer(rows.get(), i, 2));
            b.declaredUntil = null(rows.get(), i, 3) ? enforcement::kForever
                                                     : ceilMs(integer(rows.get(), i, 3));
            b.unblockedAt = null(rows.get(), i, 4) ? enforcement::kForever
                                                   : ceilMs(integer(rows.get(), i, 4));
            b.block.until = std::min(b.declaredUntil, b.unblockedAt);
            b.automatic = QByteArray(PQgetvalue(rows.get(), i, 5)) == "auto";
            b.block.automatic = b.automatic;
            b.block.reason = std::string(PQgetvalue(rows.get(), i, 6));
            // Engines raise the incidents of the range themselves, blocks included; blocks
            // from before the range (and every manual one) are facts to add.
            b.explicitEvent = !b.automatic || b.block.from < readFrom;
            if (b.block.until > b.block.from)
                blocks.push_back(std::move(b));
        }
    }
    std::vector<StateEvent>& events = trace.events;
    for (const StoredBlock& b : blocks) {
        if (b.explicitEvent) {
            StateEvent e;
            e.kind = StateEvent::Kind::Block;
            e.ts = b.block.from;
            e.block = b.block;
            events.push_back(std::move(e));
            ++m_stats.blocks;
            continue;
        }
        // An auto block of the range lifted by an admin: lift whatever block the engine raised
        // on that identifier at that time, then put back the explicit blocks the lift ends too.
        if (b.unblockedAt < b.declaredUntil && b.unblockedAt < m_range.toMs) {
            const TimeMs at = b.unblockedAt;
            StateEvent lift;
            lift.kind = StateEvent::Kind::Unblock;
            lift.ts = at;
            lift.block.target = b.block.target;
            lift.block.value = b.block.value;
            events.push_back(std::move(lift));
            ++m_stats.unblocks;
            for (const StoredBlock& other : blocks) {
                if (other.explicitEvent && other.block.target == b.block.target
                    && other.block.value == b.block.value && other.block.from < at
                    && at < other.block.until) {
                    StateEvent again;
                    again.kind = StateEvent::Kind::Block;
                    again.ts = at;
                    again.block = other.block;
                    again.block.from = at;
                    events.push_back(std::move(again));
                }
            }
        }
    }
    {
        // Users in a downgrade's grace when the range starts: their previous plan, then the
        // current one with the grace end recorded.
        ResultPtr rows = session.exec("SELECT user_id, to_plan, previous_plan, " + us("grace_end")
                + " FROM (SELECT DISTINCT ON (user_id) user_id, to_plan, kind, previous_plan, "
                  "grace_end FROM quota.plan_change_log WHERE effective_at < "
                + from
                + " ORDER BY user_id, effective_at DESC, id DESC) AS last WHERE kind = "
                  "'downgrade' AND previous_plan IS NOT NULL AND grace_end > "
                + from,
            &error);
        if (!rows)
            return failed(u"cannot read quota.plan_change_log"_s);
        for (int i = 0; i < PQntuples(rows.get()); ++i) {
            StateEvent previous;
            previous.kind = StateEvent::Kind::PlanChange;
            previous.ts = readFrom;
            previous.user = std::string(PQgetvalue(rows.get(), i, 0));
            previous.plan = std::string(PQgetvalue(rows.get(), i, 2));
            previous.graceMs = 0;
            StateEvent current = previous;
            current.plan = std::string(PQgetvalue(rows.get(), i, 1));
            current.graceMs = ceilMs(integer(rows.get(), i, 3)) - readFrom;
            events.push_back(std::move(previous));
            events.push_back(std::move(current));
            m_stats.planChanges += 2;
        }
    }
    {
        ResultPtr rows = session.exec("SELECT user_id, to_plan, " + us("effective_at") + ", "
                + us("grace_end") + " FROM quota.plan_change_log WHERE effective_at >= " + from
                + " AND effective_at < " + to + " ORDER BY effective_at, id",
            &error);
        if (!rows)
            return failed(u"cannot read quota.plan_change_log"_s);
        for (int i = 0; i < PQntuples(rows.get()); ++i) {
            StateEvent change;
            change.kind = StateEvent::Kind::PlanChange;
            change.ts = ceilMs(integer(rows.get(), i, 2));
            change.user = std::string(PQgetvalue(rows.get(), i, 0));
            change.plan = std::string(PQgetvalue(rows.get(), i, 1));
            // The grace the change was made with (none for upgrades and first plans).
            change.graceMs
                = null(rows.get(), i, 3) ? 0 : ceilMs(integer(rows.get(), i, 3)) - change.ts;
            events.push_back(std::move(change));
            ++m_stats.planChanges;
        }
    }
    std::stable_sort(events.begin(), events.end(), [](const StateEvent& a, const StateEvent& b) {
        return a.ts != b.ts ? a.ts < b.ts : a.kind < b.kind;
    });
    // Engines sharing the dictionary must only read it while they decide.
    for (const StateEvent& e : events) {
        if (!e.user.empty())
            trace.dictionary->intern(enforcement::Field::User, e.user);
        if (!e.plan.empty())
            trace.dictionary->intern(enforcement::Field::Plan, e.plan);
        if (e.block.target == enforcement::BlockTarget::User && !e.block.value.empty())
            trace.dictionary->intern(enforcement::Field::User, e.block.value);
    }
    {
        ResultPtr rows = session.exec(
            "SELECT id, activated_at FROM quota.policy_versions WHERE activated_at >= " + from
                + " AND activated_at < " + to + " ORDER BY activated_at",
            &error);
        if (!rows)
            return failed(u"cannot read quota.policy_versions"_s);
        for (int i = 0; i < PQntuples(rows.get()); ++i)
            out.warnings.push_back(u"policy version "_s % text(rows.get(), i, 0)
                % u" was activated at "_s % text(rows.get(), i, 1)
                % u", inside the replayed range: requests before it were decided live under "
                  u"another version and may disagree with the baseline"_s);
    }

    // ---- requests --------------------------------------------------------------------------
    // In time order, and requests of the same millisecond in the order they were logged: the
    // ts index keeps equal keys in heap order (PostgreSQL >= 12 sorts index duplicates by
    // their row's physical position), so an index scan gives that order for free, where
    // "ORDER BY ts, ctid" would sort every millisecond again (2.6 times the server's time).
    session.exec("SET LOCAL enable_seqscan = off", &error);
    session.exec("SET LOCAL enable_bitmapscan = off", &error);
    if (!session.exec("DECLARE qc_replay NO SCROLL CURSOR FOR " + QByteArray(kSelect)
                + " WHERE ts >= " + from + " AND ts < " + to + " ORDER BY ts",
            &error))
        return failed(u"cannot read quota.request_logs"_s);
    m_stats.setupSeconds = since(started);

    // Rows expected (the planner's estimate), so that the trace grows once.
    {
        ResultPtr plan = session.exec("EXPLAIN (FORMAT JSON) SELECT 1 FROM quota.request_logs "
                                      "WHERE ts >= "
                + from + " AND ts < " + to,
            &error);
        if (plan) {
            const QJsonDocument doc
                = QJsonDocument::fromJson(QByteArray(PQgetvalue(plan.get(), 0, 0)));
            const double rows = doc.array()
                                    .at(0)
                                    .toObject()
                                    .value(u"Plan"_s)
                                    .toObject()
                                    .value(u"Plan Rows"_s)
                                    .toDouble();
            if (rows > 0 && rows < 5e8) {
                const auto expected = static_cast<std::size_t>(rows * 1.05);
                trace.requests.reserve(expected);
                trace.recorded.reserve(expected);
                trace.dictionary->reserve(enforcement::Field::RequestId, expected);
            }
        }
    }

    Decoder decoder { trace };
    {
        BatchFetcher fetcher(conn,
            "FETCH FORWARD " + QByteArray::number(m_fetchRows) + " FROM qc_replay", m_fetchRows);
        const double span = static_cast<double>(std::max<TimeMs>(1, lastTs - firstTs));
        for (;;) {
            const auto waitStart = Clock::now();
            ResultPtr batch = fetcher.next();
            m_stats.waitSeconds += since(waitStart);
            if (!batch)
                break; // the last batch was short or empty
            if (PQresultStatus(batch.get()) != PGRES_TUPLES_OK) {
                error = session.message(batch.get());
                return failed(u"reading quota.request_logs failed"_s);
            }
            if (PQnfields(batch.get()) != ColumnCount) {
                out.error = u"quota.request_logs returned an unexpected row shape"_s;
                return finish();
            }
            const auto decodeStart = Clock::now();
            decoder.decode(batch.get());
            m_stats.decodeSeconds += since(decodeStart);
            ++m_stats.batches;
            if (trace.requests.empty())
                continue;
            const double fraction = static_cast<double>(trace.requests.back().ts - firstTs) / span;
            if (options.stopToken.stop_requested()
                || (options.progress
                    && !options.progress(trace.requests.size(), std::clamp(fraction, 0.0, 1.0)))) {
                out.cancelled = true;
                return finish(); // the fetcher stops, then the transaction guard rolls back
            }
        }
        if (!fetcher.error().isEmpty()) {
            error = fetcher.error();
            return failed(u"reading quota.request_logs failed"_s);
        }
    } // the fetcher has stopped: the connection is this thread's again
    m_stats.rows = trace.requests.size();
    m_stats.failOpen = decoder.failOpen;
    if (decoder.failOpen > 0)
        out.warnings.push_back(QString::number(decoder.failOpen)
            % u" requests were decided fail-open live (the database was unreachable); they "
              u"are replayed but not compared for fidelity"_s);
    session.exec("CLOSE qc_replay", &error);
    session.exec("COMMIT", &error);
    transaction.ended();
    return finish();
}

} // namespace qc::replay
