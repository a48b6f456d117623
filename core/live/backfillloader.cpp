#include "backfillloader.h"

#include "backfillrows.h"

using namespace Qt::StringLiterals;
namespace ef = qc::enforcement;

namespace qc::live {

std::string stagedDayTable(ef::TimeMs dayStart)
{
    return std::string(kStagePrefix) + "p" + dayName(dayStart);
}

DayQueue::DayQueue(std::size_t capacity)
    : m_capacity(capacity)
{
}

bool DayQueue::push(std::unique_ptr<DayBatch> batch)
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_closed || m_items.size() < m_capacity; });
    if (m_closed)
        return false;
    m_items.push_back(std::move(batch));
    m_changed.notify_all();
    return true;
}

std::unique_ptr<DayBatch> DayQueue::pop()
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_closed || !m_items.empty(); });
    if (m_items.empty())
        return nullptr;
    auto out = std::move(m_items.front());
    m_items.pop_front();
    m_changed.notify_all();
    return out;
}

void DayQueue::close()
{
    std::lock_guard lock(m_mutex);
    m_closed = true;
    m_changed.notify_all();
}

void DayQueue::abort()
{
    std::lock_guard lock(m_mutex);
    m_closed = true;
    m_items.clear();
    m_changed.notify_all();
}

void DayQueue::recycle(std::unique_ptr<DayBatch> batch)
{
    std::lock_guard lock(m_mutex);
    if (m_recycled.empty())
        m_recycled.push_back(std::move(batch));
}

std::unique_ptr<DayBatch> DayQueue::takeRecycled()
{
    std::lock_guard lock(m_mutex);
    if (m_recycled.empty())
        return nullptr;
    auto out = std::move(m_recycled.back());
    m_recycled.pop_back();
    return out;
}

DayLoader::DayLoader(std::vector<std::string> indexes)
    : m_indexes(std::move(indexes))
{
}

QString DayLoader::open(const std::string& conninfo, int index)
{
    const std::string name = "quotactl loadgen backfill " + std::to_string(index);
    if (QString error = m_session.connect(conninfo, name.c_str()); !error.isEmpty())
        return error;
    for (const char* sql : { "SET synchronous_commit = off", "SET maintenance_work_mem = '256MB'",
             "SET statement_timeout = 0" }) {
        PgResult r = m_session.exec(sql);
        if (!r.ok())
            return r.error();
    }
    return {};
}

QString DayLoader::stage(const DayBatch& batch)
{
    QString error = stageInTransaction(batch);
    if (!error.isEmpty()) {
        PgResult rollback = m_session.exec("ROLLBACK");
        return u"loading the day "_s + QString::fromStdString(dayName(batch.dayStart)) + u": "_s
            + error;
    }
    return {};
}

QString DayLoader::exec(const std::string& sql)
{
    PgResult r = m_session.exec(sql);
    return r.ok() ? QString() : r.error();
}

QString DayLoader::stageInTransaction(const DayBatch& batch)
{
    const std::string table = stagedDayTable(batch.dayStart);
    const std::string partition = "request_logs_p" + dayName(batch.dayStart);
    const std::string from = sqlLiteral(timestampText(batch.dayStart));
    const std::string to = sqlLiteral(timestampText(batch.dayStart + ef::kDay));
    if (QString e = exec("BEGIN"); !e.isEmpty())
        return e;
    // The day's partition may exist already (empty: the range was checked). Its indexes then
    // own the names ours would take; the commit copies the rows into it instead of attaching.
    PgResult exists
        = m_session.exec("SELECT to_regclass(" + sqlLiteral("quota." + partition) + ") IS NULL");
    if (!exists.ok())
        return exists.error();
    const bool named = exists.boolean(0, 0);
    // Filled and indexed in bulk: much faster than routing rows through the partitioned table's
    // indexes one by one. The CHECK lets ATTACH PARTITION skip its validation scan.
    if (QString e = exec("CREATE TABLE quota." + table
            + " (LIKE quota.request_logs INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CONSTRAINT "
            + table + "_bounds CHECK (ts >= " + from + " AND ts < " + to + "))");
        !e.isEmpty())
        return e;
    if (QString e = m_session.copyIn("COPY quota." + table + " (" + kRequestLogColumns
                + ") FROM STDIN WITH (FORMAT binary, FREEZE)",
            batch.logs);
        !e.isEmpty())
        return e;
    for (const std::string& index : m_indexes) {
        // "btree (ip, ts)" → request_logs_p20260105_ip_ts_idx, the name PostgreSQL gives the
        // index of a partition created with PARTITION OF.
        std::string name;
        const std::size_t open = index.find('(');
        const std::size_t close = index.rfind(')');
        if (named && open != std::string::npos && close > open) {
            name = partition;
            for (std::size_t i = open + 1; i < close; ++i) {
                const char c = index[i];
                if (c == ',')
                    name += '_';
                else if (c != ' ' && c != '"')
                    name += c;
            }
            name.insert(partition.size(), "_");
            name += "_idx";
            const bool plain = name.size() <= 63
                && name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_")
                    == std::string::npos;
            if (!plain)
                name.clear(); // an expression index: PostgreSQL picks the name
        }
        if (QString e = exec("CREATE INDEX " + name + " ON quota." + table + " USING " + index);
            !e.isEmpty())
            return e;
    }
    if (QString e = m_session.copyIn(std::string("COPY ") + kStageMinute + " ("
                + kRollupMinuteColumns + ") FROM STDIN WITH (FORMAT binary)",
            batch.minute);
        !e.isEmpty())
        return e;
    if (QString e = m_session.copyIn(std::string("COPY ") + kStageIdentifier + " ("
                + kRollupIdentifierColumns + ") FROM STDIN WITH (FORMAT binary)",
            batch.identifier);
        !e.isEmpty())
        return e;
    return exec("COMMIT");
}

} // namespace qc::live
