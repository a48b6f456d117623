#include "evaluaterun.h"

#include "command.h"
#include "db/connectionstring.h"
#include "policy/policyjson.h"

#include <QDateTime>
#include <QEventLoop>
#include <QSocketNotifier>
#include <QSqlQuery>
#include <QTimer>

#include <csignal>
#include <fcntl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace qc::cli {

namespace {

/// Saved pending/firing state older than this is not restored (Prometheus' default
/// rules.alert.for-outage-tolerance).
constexpr qint64 kOutageToleranceMs = 3600'000;
/// --once computes rates from the previous run's samples when they are at most this old (the
/// longest window of the metrics rules); else it scrapes twice.
constexpr qint64 kOnceHistoryMs = 5 * 60'000;

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
}

// SIGINT/SIGTERM → a byte on a pipe → a QSocketNotifier in the event loop (the handler itself
// only writes, which is async-signal-safe).
int g_signalPipe[2] = { -1, -1 };

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &byte, 1);
}

class StopOnSignal {
public:
    explicit StopOnSignal(std::function<void()> stop)
    {
        if (::pipe2(g_signalPipe, O_CLOEXEC | O_NONBLOCK) != 0)
            return;
        m_notifier = std::make_unique<QSocketNotifier>(g_signalPipe[0], QSocketNotifier::Read);
        QObject::connect(m_notifier.get(), &QSocketNotifier::activated, [stop] {
            char buffer[16];
            while (::read(g_signalPipe[0], buffer, sizeof buffer) > 0) { }
            stop();
        });
        struct sigaction action { };
        action.sa_handler = onSignal;
        sigemptyset(&action.sa_mask);
        ::sigaction(SIGINT, &action, &m_oldInt);
        ::sigaction(SIGTERM, &action, &m_oldTerm);
    }
    ~StopOnSignal()
    {
        if (!m_notifier)
            return;
        ::sigaction(SIGINT, &m_oldInt, nullptr);
        ::sigaction(SIGTERM, &m_oldTerm, nullptr);
        m_notifier.reset();
        ::close(g_signalPipe[0]);
        ::close(g_signalPipe[1]);
        g_signalPipe[0] = g_signalPipe[1] = -1;
    }
    Q_DISABLE_COPY(StopOnSignal)

private:
    std::unique_ptr<QSocketNotifier> m_notifier;
    struct sigaction m_oldInt { };
    struct sigaction m_oldTerm { };
};

} // namespace

EvaluateRun::EvaluateRun(EvaluateOptions options, const QString& connectionName)
    : m_options(std::move(options))
    , m_connection(connectionName)
    , m_scraper(&m_network)
    , m_store(connectionName)
{
}

EvaluateRun::~EvaluateRun() = default;

void EvaluateRun::stop()
{
    m_stop = true;
    if (m_loop)
        m_loop->quit();
}

qint64 EvaluateRun::now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString EvaluateRun::labelsText(const metrics::Labels& labels)
{
    QStringList parts;
    for (const auto& [name, value] : labels) {
        if (name != u"alertname"_s && name != u"severity"_s)
            parts << name % u"=\""_s % value % u'"';
    }
    return parts.isEmpty() ? QString() : u'{' % parts.join(u',') % u'}';
}

bool EvaluateRun::connect(QString* error)
{
    const db::ConnectionString connection = db::ConnectionString::parse(m_options.conninfo);
    if (QString failure = connection.open(m_connection); !failure.isEmpty()) {
        *error = failure;
        return false;
    }
    QSqlQuery(m_store.database()).exec(u"SET application_name = 'quotactl alerts evaluate'"_s);
    if (QString failure = m_store.checkReady(true); !failure.isEmpty()) {
        *error = failure;
        return false;
    }
    m_connected = true;
    return true;
}

bool EvaluateRun::lock(bool* heldByOther)
{
    *heldByOther = false;
    bool announced = false;
    while (!m_stop) {
        QString error;
        const std::optional<bool> taken = m_store.tryLock(&error);
        if (!taken) {
            printCommandError(u"alerts evaluate"_s, u"cannot take the evaluator lock: "_s % error);
            return false;
        }
        if (*taken) {
            m_locked = true;
            if (announced)
                printOut(isoTime(now()) % u" took over the alert evaluator lock\n"_s);
            return true;
        }
        const QString holder = m_store.lockHolder();
        if (m_options.once || !m_options.wait) {
            *heldByOther = true;
            printCommandError(u"alerts evaluate"_s,
                u"another evaluator is running ("_s
                    % (holder.isEmpty() ? u"it just let go; try again"_s : holder)
                    % u"); not evaluating, so that alerts are written once"_s);
            return false;
        }
        if (!announced) {
            printOut(isoTime(now()) % u" another evaluator is running ("_s % holder
                % u"); waiting to take over\n"_s);
            announced = true;
        }
        if (!sleepFor(m_options.intervalMs))
            return false;
    }
    return false;
}

void EvaluateRun::restore()
{
    QString error;
    const QDateTime notBefore = QDateTime::fromMSecsSinceEpoch(now() - kOutageToleranceMs, Qt::UTC);
    if (const auto saved = m_store.savedAlerts(notBefore, &error)) {
        m_evaluator.restore(*saved);
    } else {
        printCommandError(u"alerts evaluate"_s,
            u"cannot read the saved rule state (rules start from inactive): "_s % error);
    }
    // The samples the last --once run kept: rates can start from them.
    const QDateTime recent
        = QDateTime::fromMSecsSinceEpoch(now() - m_evaluator.series().retentionMs(), Qt::UTC);
    const auto series = m_store.savedSeries(recent, &error);
    if (!series || !m_evaluator.series().addJson(*series))
        printCommandError(u"alerts evaluate"_s,
            u"cannot read the saved samples (rates start from the next scrapes): "_s
                % (series ? u"unexpected JSON"_s : error));
    m_evaluator.series().prune(now());
}

qint64 EvaluateRun::historyFor(qint64 nowMs) const
{
    qint64 oldest = nowMs;
    for (const Endpoint& endpoint : m_options.endpoints) {
        const qint64 newest = m_evaluator.series().newestSample(u"instance"_s, endpoint.instance);
        if (newest == 0 || nowMs - newest > kOnceHistoryMs)
            return 0;
        oldest = std::min(oldest, newest);
    }
    return oldest;
}

bool EvaluateRun::sleepFor(qint64 ms)
{
    if (m_stop)
        return false;
    if (ms > 0) {
        QEventLoop loop;
        m_loop = &loop;
        QTimer::singleShot(std::chrono::milliseconds(ms), &loop, &QEventLoop::quit);
        loop.exec();
        m_loop = nullptr;
    }
    return !m_stop;
}

bool EvaluateRun::scrapeAll()
{
    if (m_options.endpoints.empty())
        return true;
    std::map<quint64, std::size_t> pending;
    std::vector<metrics::ScrapeResult> results(m_options.endpoints.size());
    QEventLoop loop;
    const QMetaObject::Connection connection = QObject::connect(
        &m_scraper, &metrics::Scraper::finished, &loop, [&](const metrics::ScrapeResult& result) {
            const auto it = pending.find(result.id);
            if (it == pending.end())
                return;
            results[it->second] = result;
            pending.erase(it);
            if (pending.empty())
                loop.quit();
        });
    const auto timeout = std::chrono::milliseconds(std::min<qint64>(10'000, m_options.intervalMs));
    for (std::size_t i = 0; i < m_options.endpoints.size(); ++i)
        pending.emplace(
            m_scraper.scrape(metrics::ScrapeTarget { m_options.endpoints[i].url, {}, timeout }), i);
    m_loop = &loop;
    loop.exec();
    m_loop = nullptr;
    QObject::disconnect(connection);
    if (m_stop)
        return false;
    bool allUp = true;
    for (std::size_t i = 0; i < results.size(); ++i) {
        Endpoint& endpoint = m_options.endpoints[i];
        const metrics::ScrapeResult& result = results[i];
        const bool up = result.health.up && !result.parseError;
        const QString error = result.parseError
            ? u"invalid exposition at line "_s % result.parseError->toString()
            : result.health.error;
        if (up) {
            m_evaluator.addScrape(
                endpoint.instance, result.health.lastScrape.toMSecsSinceEpoch(), result.families);
            if (!endpoint.up)
                printOut(isoTime(now()) % u" metrics endpoint "_s % endpoint.url.toDisplayString()
                    % u" is up again\n"_s);
        } else {
            allUp = false;
            if (endpoint.up || endpoint.lastError != error)
                printError(isoTime(now()) % u" cannot scrape "_s % endpoint.url.toDisplayString()
                    % u": "_s % error
                    % u" (its rules use the database's numbers once the window has no samples)\n"_s);
        }
        endpoint.up = up;
        endpoint.lastError = up ? QString() : error;
    }
    return allUp;
}

bool EvaluateRun::evaluateRound(qint64 nowMs, qint64 minWindowMs)
{
    const std::vector<alerting::Rule>& rules = m_evaluator.rules();
    std::vector<alerting::RuleResult> results = m_evaluator.results(nowMs, minWindowMs);
    std::vector<bool> fromDatabase(rules.size(), false);
    bool anyFromDatabase = false;
    for (std::size_t r = 0; r < rules.size(); ++r) {
        fromDatabase[r] = !results[r].hasData;
        anyFromDatabase = anyFromDatabase || fromDatabase[r];
    }
    if (anyFromDatabase) {
        std::vector<alerting::RuleResult> database = m_connected
            ? m_databaseMinutes.evaluate(m_store, rules, fromDatabase, nowMs)
            : std::vector<alerting::RuleResult>(
                rules.size(), alerting::RuleResult::failed(u"no database connection"_s));
        for (std::size_t r = 0; r < rules.size(); ++r) {
            if (fromDatabase[r])
                results[r] = std::move(database[r]);
        }
    }
    const std::vector<alerting::AlertChange> changes = m_evaluator.apply(nowMs, results);
    m_evaluator.series().prune(nowMs);

    QStringList evaluated;
    for (std::size_t r = 0; r < rules.size(); ++r) {
        const QString& name = rules[r].name;
        if (results[r].ok && results[r].warmingUp)
            continue; // no rate yet: its alerts stay as they are, in memory and in the table
        if (results[r].ok) {
            evaluated << name;
            if (m_ruleErrors.erase(name) != 0)
                printOut(isoTime(nowMs) % u" "_s % name % u" can be evaluated again\n"_s);
        } else if (m_ruleErrors[name] != results[r].error) {
            m_ruleErrors[name] = results[r].error;
            printError(isoTime(nowMs) % u" cannot evaluate "_s % name % u": "_s % results[r].error
                % u" (its alerts stay as they are)\n"_s);
        }
    }

    SyncOutcome outcome;
    if (m_connected && m_locked) {
        // --once keeps its samples for the next run; a long-running evaluator has them in memory.
        outcome = m_store.sync(evaluated, m_evaluator.alerts(),
            QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC),
            m_options.once ? std::optional<QJsonArray>(m_evaluator.series().toJson())
                           : std::nullopt);
        if (!outcome.ok) {
            if (outcome.sqlState == u"55P03"_s) {
                m_locked = false;
            } else if (!m_store.alive()) {
                m_connected = false;
                m_locked = false;
            }
            printError(isoTime(nowMs) % u" cannot write the alerts: "_s % outcome.error
                % u" (will write them at the next evaluation)\n"_s);
        }
    }

    std::map<QString, qint64> opened;
    std::map<QString, qint64> resolved;
    for (const SyncedAlert& row : outcome.opened)
        opened.emplace(row.fingerprint, row.id);
    for (const SyncedAlert& row : outcome.resolved)
        resolved.emplace(row.fingerprint, row.id);
    QString text;
    for (const alerting::AlertChange& change : changes) {
        const auto r
            = std::size_t(std::find_if(rules.begin(), rules.end(), [&](const alerting::Rule& rule) {
                  return rule.name == change.alert.rule;
              }) - rules.begin());
        auto& ids = change.kind == alerting::AlertChange::Kind::Resolved ? resolved : opened;
        const auto id = ids.find(change.alert.fingerprint);
        text += isoTime(change.atMs) % u' ' % alerting::changeKindName(change.kind).leftJustified(9)
            % change.alert.rule % labelsText(change.alert.labels) % u" ("_s
            % alerting::severityName(change.alert.severity)
            % (r < fromDatabase.size() && fromDatabase[r] ? u", from the database"_s : QString())
            % u")"_s
            % (id != ids.end() ? u" [alert "_s % QString::number(id->second) % u']' : QString())
            % (change.kind == alerting::AlertChange::Kind::Resolved
                        || change.kind == alerting::AlertChange::Kind::Cleared
                    ? QString()
                    : u": "_s % change.alert.summary)
            % u'\n';
        if (id != ids.end())
            ids.erase(id);
    }
    // Rows written for changes of earlier rounds (after a database outage), or resolved because
    // their alert is gone for another reason.
    for (const auto& [fingerprint, id] : opened)
        text += isoTime(nowMs) % u" opened alert "_s % QString::number(id) % u" (fingerprint "_s
            % fingerprint % u")\n"_s;
    for (const auto& [fingerprint, id] : resolved)
        text += isoTime(nowMs) % u" resolved alert "_s % QString::number(id) % u" (fingerprint "_s
            % fingerprint % u")\n"_s;
    if (m_options.once) {
        int firing = 0;
        int pendingCount = 0;
        for (const alerting::Alert& alert : m_evaluator.alerts())
            (alert.state == alerting::AlertState::Firing ? firing : pendingCount) += 1;
        text += u"evaluated "_s % QString::number(evaluated.size()) % u" of "_s
            % QString::number(rules.size()) % u" rules at "_s % isoTime(nowMs) % u": "_s
            % QString::number(firing) % u" firing, "_s % QString::number(pendingCount)
            % u" pending; opened "_s % QString::number(outcome.opened.size()) % u", resolved "_s
            % QString::number(outcome.resolved.size()) % u" alerts\n"_s;
    }
    printOut(text);
    return outcome.ok;
}

int EvaluateRun::exec()
{
    StopOnSignal signals([this] { stop(); });
    QString error;
    if (!connect(&error)) {
        printCommandError(u"alerts evaluate"_s, error);
        return ExitFailure;
    }
    bool heldByOther = false;
    if (!lock(&heldByOther)) {
        m_store.database().close();
        return heldByOther ? ExitLocked : (m_stop ? ExitOk : ExitFailure);
    }
    restore();
    QStringList urls;
    for (const Endpoint& endpoint : m_options.endpoints)
        urls << endpoint.url.toDisplayString();
    if (!m_options.once)
        printOut(isoTime(now()) % u" evaluating "_s % QString::number(m_evaluator.rules().size())
            % u" rules every "_s % policy::formatDuration(m_options.intervalMs) % u" over "_s
            % (urls.isEmpty() ? u"the database"_s : urls.join(u", "_s) % u" and the database"_s)
            % u'\n');

    int result = ExitOk;
    if (m_options.once) {
        bool scraped = true;
        qint64 minWindowMs = 0;
        if (!m_options.endpoints.empty()) {
            // Rates need two samples: the previous run's, kept in the database, or else a second
            // scrape `interval` after the first.
            const qint64 previous = historyFor(now());
            scraped = scrapeAll();
            if (previous == 0)
                scraped = sleepFor(m_options.intervalMs) && scrapeAll() && scraped;
            else // a run a minute later still has the previous run's samples in every window
                minWindowMs = now() - previous;
        }
        if (!m_stop && !evaluateRound(now(), minWindowMs))
            result = ExitFailure;
        if (!scraped && !m_stop)
            result = ExitFailure;
    } else {
        while (!m_stop) {
            const qint64 roundStart = now();
            if (!m_connected || !m_locked) {
                bool held = false;
                if (!m_connected && !connect(&error)) {
                    printError(isoTime(roundStart) % u" cannot reconnect: "_s % error % u'\n');
                } else if (!m_locked && lock(&held)) {
                    restore(); // the state the evaluator that had the lock meanwhile left
                } else if (held) {
                    result = ExitLocked; // --no-wait
                    break;
                }
            }
            scrapeAll();
            if (m_stop)
                break;
            evaluateRound(now());
            sleepFor(roundStart + m_options.intervalMs - now());
        }
        printOut(isoTime(now()) % u" stopped\n"_s);
    }
    if (m_connected && m_locked)
        m_store.unlock();
    m_store.database().close();
    return result;
}

} // namespace qc::cli
