#include "alertmonitor.h"

#include "services/databaseworker.h"
#include "services/logging.h"
#include "services/session.h"
#include "services/settingsstore.h"

#include <QCoreApplication>
#include <QJsonValue>
#include <QTimer>

#include <algorithm>

namespace qc::services {

using namespace Qt::StringLiterals;

namespace {

QString trMonitor(const char* text, const char* disambiguation = nullptr, int n = -1)
{
    return QCoreApplication::translate("qc::services::AlertMonitor", text, disambiguation, n);
}

QMap<QString, QString> labelsOf(const db::AlertRow& a)
{
    QMap<QString, QString> out;
    for (auto it = a.labels.begin(); it != a.labels.end(); ++it)
        out.insert(it.key(),
            it.value().isString() ? it.value().toString() : it.value().toVariant().toString());
    if (!out.contains(u"alertname"_s))
        out.insert(u"alertname"_s, a.rule);
    return out;
}

bool isSubset(const QMap<QString, QString>& part, const QMap<QString, QString>& whole)
{
    for (auto it = part.begin(); it != part.end(); ++it) {
        const auto w = whole.find(it.key());
        if (w == whole.end() || w.value() != it.value())
            return false;
    }
    return true;
}

bool liveSilence(const metrics::AmSilence& s)
{
    return s.state == u"active" || s.state == u"pending";
}

int stateOrder(const QString& state)
{
    if (state == u"firing")
        return 0;
    if (state == u"acknowledged")
        return 1;
    if (state == u"silenced")
        return 2;
    return 3;
}

int severityOrder(const QString& severity)
{
    if (severity == u"critical")
        return 0;
    if (severity == u"high" || severity == u"warning")
        return 1;
    return 2;
}

} // namespace

QMap<QString, QString> AlertItem::silenceLabels() const
{
    if (database)
        return labelsOf(*database);
    return alertmanager ? alertmanager->labels : labels;
}

QString AlertItem::sources() const
{
    if (database && alertmanager)
        return trMonitor("database + Alertmanager");
    return database ? trMonitor("database") : trMonitor("Alertmanager");
}

const AlertItem* AlertSnapshot::find(const QString& key) const
{
    for (const AlertItem& i : items) {
        if (i.key == key)
            return &i;
    }
    return nullptr;
}

QList<AlertItem> mergeAlerts(const QList<db::AlertRow>& database,
    const QList<metrics::AmAlert>& alertmanager, const QList<metrics::AmSilence>& silences)
{
    QList<AlertItem> items;
    items.reserve(database.size() + alertmanager.size());
    for (const db::AlertRow& a : database) {
        AlertItem i;
        i.key = u"db:"_s + QString::number(a.id);
        i.name = a.rule;
        i.severity = a.severity;
        i.state = a.state;
        i.labels = labelsOf(a);
        i.summary = a.annotations.value(u"summary").toString();
        i.description = a.annotations.value(u"description").toString();
        i.startsAt = a.startsAt;
        i.endsAt = a.endsAt;
        i.database = a;
        if (a.state == u"acknowledged") {
            i.acknowledgedBy = a.acknowledgedBy;
            i.acknowledgedAt = a.acknowledgedAt;
            i.note = a.acknowledgeNote;
        }
        items.append(i);
    }
    for (const metrics::AmAlert& am : alertmanager) {
        AlertItem* match = nullptr;
        for (AlertItem& i : items) {
            if (i.database && !i.alertmanager && i.database->state != u"resolved"
                && isSubset(i.labels, am.labels)) {
                match = &i;
                break;
            }
        }
        if (match) {
            match->alertmanager = am;
            if (match->summary.isEmpty())
                match->summary = am.annotations.value(u"summary"_s);
            if (match->description.isEmpty())
                match->description = am.annotations.value(u"description"_s);
            continue;
        }
        AlertItem i;
        i.key = u"am:"_s + am.fingerprint;
        i.name = am.name();
        i.severity = am.labels.value(u"severity"_s);
        i.labels = am.labels;
        i.summary = am.annotations.value(u"summary"_s);
        i.description = am.annotations.value(u"description"_s);
        i.startsAt = am.startsAt;
        i.alertmanager = am;
        i.state = am.state == u"suppressed" ? u"silenced"_s : u"firing"_s;
        items.append(i);
    }
    for (AlertItem& i : items) {
        const QMap<QString, QString> wanted = i.silenceLabels();
        for (const metrics::AmSilence& s : silences) {
            if (liveSilence(s) && s.matchesExactly(wanted))
                i.silences.append(s);
        }
        for (const metrics::AmSilence& s : std::as_const(i.silences)) {
            if (!i.acknowledgedUntil.isValid() || s.endsAt > i.acknowledgedUntil)
                i.acknowledgedUntil = s.endsAt;
        }
        if (!i.database && !i.silences.isEmpty()) {
            // An Alertmanager alert is acknowledged by its silence.
            const metrics::AmSilence& s = i.silences.constFirst();
            i.state = u"acknowledged"_s;
            i.acknowledgedBy = s.createdBy;
            i.acknowledgedAt = s.startsAt;
            i.note = s.comment;
        }
    }
    std::stable_sort(items.begin(), items.end(), [](const AlertItem& a, const AlertItem& b) {
        if (stateOrder(a.state) != stateOrder(b.state))
            return stateOrder(a.state) < stateOrder(b.state);
        if (severityOrder(a.severity) != severityOrder(b.severity))
            return severityOrder(a.severity) < severityOrder(b.severity);
        return a.startsAt > b.startsAt;
    });
    return items;
}

struct AlertMonitor::Round {
    quint64 alertsId = 0;
    quint64 silencesId = 0;
    bool databaseDone = false;
    bool alertsDone = false;
    bool silencesDone = false;
    db::AlertList database;
    metrics::AmAlertsResult alerts;
    metrics::AmSilencesResult silences;
};

AlertMonitor::AlertMonitor(Session* session, SettingsStore* settings, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_settings(settings)
    , m_runner(new ActionRunner(session, this))
    , m_timer(new QTimer(this))
    , m_channel(u"alerts/monitor/"_s + QString::number(quintptr(this), 16))
{
    qRegisterMetaType<AlertSnapshot>();
    qRegisterMetaType<AlertItem>();
    connect(m_runner, &ActionRunner::progress, this, &AlertMonitor::progress);
    if (session && session->alertmanagerUrl().isValid() && !session->alertmanagerUrl().isEmpty()) {
        const PreparedAuth auth = session->alertmanagerAuth();
        m_alertmanager = std::make_unique<metrics::AlertmanagerClient>(
            session->network(), session->alertmanagerUrl(), auth.auth);
        connect(m_alertmanager.get(), &metrics::AlertmanagerClient::alertsFetched, this,
            [this](const metrics::AmAlertsResult& r) {
                if (!m_round || r.id != m_round->alertsId)
                    return;
                m_round->alerts = r;
                m_round->alertsDone = true;
                onRoundComplete();
            });
        connect(m_alertmanager.get(), &metrics::AlertmanagerClient::silencesFetched, this,
            [this](const metrics::AmSilencesResult& r) {
                if (!m_round || r.id != m_round->silencesId)
                    return;
                m_round->silences = r;
                m_round->silencesDone = true;
                onRoundComplete();
            });
    }
    m_snapshot.alertmanagerConfigured = m_alertmanager != nullptr;
    const int seconds = settings ? settings->settings().alerts.pollSeconds : 30;
    m_timer->setInterval(qMax(5, seconds) * 1000);
    connect(m_timer, &QTimer::timeout, this, &AlertMonitor::refresh);
}

AlertMonitor::~AlertMonitor() = default;

void AlertMonitor::start()
{
    m_timer->start();
    refresh();
}

void AlertMonitor::stop()
{
    m_timer->stop();
}

void AlertMonitor::refresh()
{
    if (!m_session || !m_session->reader())
        return;
    auto round = std::make_shared<Round>();
    m_round = round;
    if (m_alertmanager) {
        round->alertsId = m_alertmanager->fetchAlerts();
        round->silencesId = m_alertmanager->fetchSilences();
    } else {
        round->alertsDone = round->silencesDone = true;
    }
    m_session->reader()->post<db::AlertList>(
        m_channel, this, [](QSqlDatabase& db) { return db::readAlerts(db, 24); },
        [this, round](const JobOutcome<db::AlertList>& o) {
            if (m_round != round)
                return;
            round->database = o.value;
            if (!o.ran())
                round->database.error = o.error;
            round->databaseDone = true;
            onRoundComplete();
        });
}

void AlertMonitor::onRoundComplete()
{
    const std::shared_ptr<Round> round = m_round;
    if (!round || !round->databaseDone || !round->alertsDone || !round->silencesDone)
        return;
    m_round.reset();
    AlertSnapshot s;
    s.alertmanagerConfigured = m_alertmanager != nullptr;
    s.databaseError = round->database.error;
    if (m_alertmanager) {
        s.alertmanagerError = !round->alerts.ok() ? round->alerts.error : round->silences.error;
    }
    // Keep the previous data of a source that failed this round (marked by its error).
    QList<db::AlertRow> database = round->database.alerts;
    if (!round->database.ok())
        for (const AlertItem& i : std::as_const(m_snapshot.items))
            if (i.database)
                database.append(*i.database);
    QList<metrics::AmAlert> am = round->alerts.alerts;
    QList<metrics::AmSilence> silences = round->silences.silences;
    if (m_alertmanager && !round->alerts.ok()) {
        for (const AlertItem& i : std::as_const(m_snapshot.items))
            if (i.alertmanager)
                am.append(*i.alertmanager);
    }
    if (m_alertmanager && !round->silences.ok()) {
        silences.clear();
        for (const AlertItem& i : std::as_const(m_snapshot.items))
            silences.append(i.silences);
    }
    s.items = mergeAlerts(database, am, silences);
    s.fetchedAt = QDateTime::currentDateTimeUtc();
    s.generation = m_snapshot.generation + 1;
    m_snapshot = s;

    // New firing alerts are told once each source has been read once: what fires when the
    // console starts (or a source comes back) is not "new".
    const bool databaseRead = round->database.ok();
    const bool alertmanagerRead = !m_alertmanager || round->alerts.ok();
    QSet<QString> firing;
    for (const AlertItem& i : std::as_const(m_snapshot.items)) {
        if (i.state != u"firing")
            continue;
        const bool fromDatabase = i.key.startsWith(u"db:");
        if (fromDatabase ? !databaseRead : !alertmanagerRead) {
            if (m_seenFiring.contains(i.key))
                firing.insert(i.key);
            continue;
        }
        firing.insert(i.key);
        const bool baseline = fromDatabase ? m_databaseBaseline : m_alertmanagerBaseline;
        if (baseline && !m_seenFiring.contains(i.key))
            Q_EMIT alertFired(i);
    }
    m_seenFiring = firing;
    m_databaseBaseline |= databaseRead;
    m_alertmanagerBaseline |= alertmanagerRead;
    Q_EMIT snapshotChanged(m_snapshot);
    if (m_alertmanager && round->alerts.ok() && round->silences.ok() && round->database.ok())
        keepSilences(m_snapshot);
}

void AlertMonitor::keepSilences(const AlertSnapshot& snapshot)
{
    if (!m_settings || !m_session)
        return;
    const QString profile = m_session->profile().id;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QStringList toExpire;
    QStringList gone;
    for (const auto& entry : m_settings->settings().alerts.silences) {
        if (entry.profileId != profile)
            continue;
        const AlertItem* item = snapshot.find(entry.alertKey);
        const metrics::AmSilence* silence = nullptr;
        if (item) {
            for (const metrics::AmSilence& s : item->silences)
                if (s.id == entry.silenceId)
                    silence = &s;
        }
        if (!item || !item->isOpen()) {
            // Its alert resolved: the acknowledgement ends with it.
            toExpire << entry.silenceId;
            continue;
        }
        if (!silence) {
            gone << entry.silenceId; // expired or replaced meanwhile
            continue;
        }
        if (entry.untilResolved && now.secsTo(silence->endsAt) < kUntilResolvedHours * 3600 / 2) {
            metrics::AmSilence extended = *silence;
            extended.endsAt = now.addSecs(kUntilResolvedHours * 3600);
            m_alertmanager->createSilence(extended);
        }
    }
    for (const QString& id : std::as_const(gone))
        forget(id);
    if (!toExpire.isEmpty()) {
        logger()->info("alerts: expiring {} silence(s) of resolved alerts", toExpire.size());
        expireSilences(toExpire, [this](const QStringList& expired, const QString&) {
            for (const QString& id : expired)
                forget(id);
        });
    }
}

void AlertMonitor::remember(const QString& silenceId, const QString& alertKey, bool untilResolved)
{
    if (!m_settings || !m_session)
        return;
    const QString profile = m_session->profile().id;
    m_settings->update([&](ConsoleSettings& s) {
        s.alerts.silences.append({ profile, silenceId, alertKey, untilResolved });
    });
}

void AlertMonitor::forget(const QString& silenceId)
{
    if (!m_settings)
        return;
    bool known = false;
    for (const auto& e : m_settings->settings().alerts.silences)
        known |= e.silenceId == silenceId;
    if (!known)
        return;
    m_settings->update([&](ConsoleSettings& s) {
        s.alerts.silences.removeIf(
            [&](const ConsoleSettings::AckSilence& e) { return e.silenceId == silenceId; });
    });
}

void AlertMonitor::createSilence(const AlertItem& item, const QString& note, const QDateTime& until,
    std::function<void(const QString&, const QString&)> done)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    metrics::AmSilence s;
    s.matchers = metrics::AmSilence::matchersFor(item.silenceLabels());
    s.startsAt = now;
    s.endsAt = until.isValid() ? until.toUTC() : now.addSecs(kUntilResolvedHours * 3600);
    s.createdBy = m_session ? m_session->identity().account : QString();
    if (s.createdBy.isEmpty())
        s.createdBy = u"quota-console"_s;
    s.comment = note;
    auto connection = std::make_shared<QMetaObject::Connection>();
    const quint64 id = m_alertmanager->createSilence(s);
    *connection = connect(m_alertmanager.get(), &metrics::AlertmanagerClient::silenceWritten, this,
        [connection, id, done](const metrics::AmWriteResult& r) {
            if (r.id != id)
                return;
            QObject::disconnect(*connection);
            done(r.silenceId, r.error);
        });
}

void AlertMonitor::expireSilences(
    const QStringList& ids, std::function<void(const QStringList&, const QString&)> done)
{
    if (ids.isEmpty()) {
        done({}, {});
        return;
    }
    struct State {
        QSet<quint64> waiting;
        QStringList expired;
        QString error;
        QMetaObject::Connection connection;
    };
    auto state = std::make_shared<State>();
    state->connection = connect(m_alertmanager.get(), &metrics::AlertmanagerClient::silenceWritten,
        this, [state, done](const metrics::AmWriteResult& r) {
            if (!state->waiting.remove(r.id))
                return;
            // An already expired silence answers 500 "silence ... already expired" on some
            // versions: it is expired either way.
            if (r.ok() || r.error.contains(u"already expired"_s))
                state->expired << r.silenceId;
            else if (state->error.isEmpty())
                state->error = r.error;
            if (state->waiting.isEmpty()) {
                QObject::disconnect(state->connection);
                done(state->expired, state->error);
            }
        });
    for (const QString& id : ids)
        state->waiting.insert(m_alertmanager->expireSilence(id));
}

void AlertMonitor::acknowledge(const AlertItem& item, const QString& note, const QDateTime& until,
    QObject* context, std::function<void(const AlertActionOutcome&)> done)
{
    const QPointer<QObject> guard(context);
    const bool guarded = context != nullptr;
    auto finish = [this, guard, guarded, done](const AlertActionOutcome& o) {
        refresh();
        if ((!guarded || guard) && done)
            done(o);
    };
    auto silence = [this, item, note, until, finish](AlertActionOutcome o) {
        if (!m_alertmanager || (!item.alertmanager && !item.database)) {
            o.ok = o.database ? o.database->applied() : false;
            finish(o);
            return;
        }
        createSilence(item, note, until,
            [this, o, item, until, finish](const QString& silenceId, const QString& error) mutable {
                o.silenceId = silenceId;
                o.alertmanagerError = error;
                if (error.isEmpty()) {
                    remember(silenceId, item.key, !until.isValid());
                    o.ok = !o.database || o.database->applied();
                    const QString where = o.database
                        ? trMonitor("in the database and in Alertmanager")
                        : trMonitor("in Alertmanager");
                    o.message = trMonitor("%1 acknowledged %2 (silence %3).")
                                    .arg(item.name, where, silenceId);
                } else {
                    o.ok = false;
                    o.message = o.database
                        ? trMonitor("%1 is acknowledged in the database, but Alertmanager refused "
                                    "the silence: %2")
                              .arg(item.name, error)
                        : trMonitor("Alertmanager refused the silence for %1: %2")
                              .arg(item.name, error);
                }
                finish(o);
            });
    };
    if (!item.database) {
        silence({});
        return;
    }
    const qint64 alertId = item.database->id;
    const qint64 version = item.database->version;
    const PendingAction action
        = ActionRunner::prepare(trMonitor("Acknowledge alert %1 (%2)").arg(alertId).arg(item.name),
            [alertId, version, note](db::AdminActions& a, const QString& id) {
                return a.acknowledgeAlert(id, alertId, version, note);
            });
    m_runner->run(action, this, [item, silence, finish](const ActionOutcome& db) {
        AlertActionOutcome o;
        o.database = db;
        if (!db.applied()) {
            o.message = db.message;
            finish(o);
            return;
        }
        o.message = trMonitor("%1 acknowledged in the database.").arg(item.name);
        silence(o);
    });
}

void AlertMonitor::unacknowledge(const AlertItem& item, const QString& note, QObject* context,
    std::function<void(const AlertActionOutcome&)> done)
{
    const QPointer<QObject> guard(context);
    const bool guarded = context != nullptr;
    auto finish = [this, guard, guarded, done](const AlertActionOutcome& o) {
        refresh();
        if ((!guarded || guard) && done)
            done(o);
    };
    auto unsilence = [this, item, finish](AlertActionOutcome o) {
        QStringList ids;
        for (const metrics::AmSilence& s : item.silences)
            ids << s.id;
        if (!m_alertmanager || ids.isEmpty()) {
            o.ok = !o.database || o.database->applied();
            finish(o);
            return;
        }
        expireSilences(
            ids, [this, o, item, finish](const QStringList& expired, const QString& error) mutable {
                for (const QString& id : expired)
                    forget(id);
                o.expiredSilences = expired;
                o.silenceId = expired.value(expired.size() - 1);
                o.alertmanagerError = error;
                o.ok = error.isEmpty() && (!o.database || o.database->applied());
                o.message = error.isEmpty()
                    ? trMonitor("%1 is no longer acknowledged; %n silence(s) expired.", nullptr,
                        int(expired.size()))
                          .arg(item.name)
                    : trMonitor("Alertmanager did not expire every silence of %1: %2")
                          .arg(item.name, error);
                finish(o);
            });
    };
    if (!item.database || item.database->state != u"acknowledged") {
        unsilence({});
        return;
    }
    const qint64 alertId = item.database->id;
    const qint64 version = item.database->version;
    const PendingAction action = ActionRunner::prepare(
        trMonitor("Un-acknowledge alert %1 (%2)").arg(alertId).arg(item.name),
        [alertId, version, note](db::AdminActions& a, const QString& id) {
            return a.unacknowledgeAlert(id, alertId, version, note);
        });
    m_runner->run(action, this, [item, unsilence, finish](const ActionOutcome& db) {
        AlertActionOutcome o;
        o.database = db;
        if (!db.applied()) {
            o.message = db.message;
            finish(o);
            return;
        }
        o.message = trMonitor("%1 is firing again in the database.").arg(item.name);
        unsilence(o);
    });
}

} // namespace qc::services
