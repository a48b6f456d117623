#pragma once

#include "db/adminviews.h"
#include "metrics/alertmanagerclient.h"
#include "services/actionrunner.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>
#include <memory>
#include <optional>

class QTimer;

namespace qc::services {

class Session;
class SettingsStore;

/// One alert of the Alerts page: a row of quota.alerts, an alert of Alertmanager, or both
/// when they are the same alert (the database's labels are a subset of Alertmanager's).
struct AlertItem {
    QString key; // "db:<id>" or "am:<fingerprint>"
    QString name; // alertname / rule
    QString severity;
    /// firing | acknowledged | silenced (by a silence someone else made) | resolved
    QString state;
    QString summary;
    QString description;
    QMap<QString, QString> labels;
    QDateTime startsAt;
    QDateTime endsAt;
    std::optional<db::AlertRow> database;
    std::optional<metrics::AmAlert> alertmanager;
    /// Active or pending Alertmanager silences whose matchers are exactly silenceLabels():
    /// the acknowledgement of this alert in Alertmanager.
    QList<metrics::AmSilence> silences;
    QString acknowledgedBy;
    QDateTime acknowledgedAt;
    QString note;
    QDateTime acknowledgedUntil; // end of the silence; null = until it resolves / no silence

    bool isOpen() const { return state != u"resolved"; }
    /// The labels an acknowledgement silences: the database's labels when the alert is in the
    /// database (so that Alertmanager's copy with extra labels is matched too), else
    /// Alertmanager's.
    QMap<QString, QString> silenceLabels() const;
    /// "database", "Alertmanager" or "database + Alertmanager".
    QString sources() const;
};

struct AlertSnapshot {
    QList<AlertItem> items; // open first (firing, acknowledged, silenced), then resolved
    QString databaseError;
    QString alertmanagerError;
    bool alertmanagerConfigured = false;
    QDateTime fetchedAt;
    quint64 generation = 0;

    const AlertItem* find(const QString& key) const;
};

/// What acknowledging or un-acknowledging did, in the database and in Alertmanager.
struct AlertActionOutcome {
    bool ok = false; // everything that applies was done
    QString message; // for a person
    std::optional<ActionOutcome> database; // when the alert is in the database
    QString silenceId; // made (acknowledge) or the last one expired (unacknowledge)
    QStringList expiredSilences;
    QString alertmanagerError;
    bool conflict() const { return database && database->result.isConflict(); }
};

/// Keeps one list of the database's alerts and Alertmanager's, refreshed every
/// ConsoleSettings::alerts.pollSeconds, and acknowledges them (docs/investigation.md
/// "Alerts"): in the database through quota.acknowledge_alert, in Alertmanager as a silence
/// with the note as comment and the account as createdBy, ending when the alert resolves or at
/// a chosen time. Silences this console made are kept in the settings: extended while their
/// alert fires (so a silence "until resolved" never outlives an absent console by more than
/// a day) and expired once it resolves.
class AlertMonitor final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY(AlertMonitor)
public:
    AlertMonitor(Session* session, SettingsStore* settings, QObject* parent = nullptr);
    ~AlertMonitor() override;

    void start();
    void stop();
    /// Reads both sources now.
    void refresh();
    const AlertSnapshot& snapshot() const { return m_snapshot; }
    bool hasSnapshot() const { return m_snapshot.generation > 0; }

    /// Null without an Alertmanager URL in the profile.
    metrics::AlertmanagerClient* alertmanager() const { return m_alertmanager.get(); }
    ActionRunner* runner() const { return m_runner; }

    /// How long a silence "until resolved" lasts before this console extends it.
    static constexpr qint64 kUntilResolvedHours = 24;

    /// Acknowledges `item` with `note` until `until` (null: until it resolves).
    void acknowledge(const AlertItem& item, const QString& note, const QDateTime& until,
        QObject* context, std::function<void(const AlertActionOutcome&)> done);
    /// Takes an acknowledgement back: firing again in the database, its silences expired.
    void unacknowledge(const AlertItem& item, const QString& note, QObject* context,
        std::function<void(const AlertActionOutcome&)> done);

Q_SIGNALS:
    void snapshotChanged(const qc::services::AlertSnapshot& snapshot);
    /// A firing alert that was not in the previous snapshot (none for the first one).
    void alertFired(const qc::services::AlertItem& item);
    void progress(const QString& text);

private:
    struct Round;
    void onRoundComplete();
    void keepSilences(const AlertSnapshot& snapshot);
    void createSilence(const AlertItem& item, const QString& note, const QDateTime& until,
        std::function<void(const QString& silenceId, const QString& error)> done);
    void expireSilences(const QStringList& ids,
        std::function<void(const QStringList& expired, const QString& error)> done);
    void remember(const QString& silenceId, const QString& alertKey, bool untilResolved);
    void forget(const QString& silenceId);

    QPointer<Session> m_session;
    SettingsStore* m_settings;
    ActionRunner* m_runner;
    std::unique_ptr<metrics::AlertmanagerClient> m_alertmanager;
    QTimer* m_timer;
    AlertSnapshot m_snapshot;
    std::shared_ptr<Round> m_round;
    QSet<QString> m_seenFiring;
    bool m_databaseBaseline = false;
    bool m_alertmanagerBaseline = false;
    QString m_channel;
};

/// Merges the two sources into one list (exposed for tests).
QList<AlertItem> mergeAlerts(const QList<db::AlertRow>& database,
    const QList<metrics::AmAlert>& alertmanager, const QList<metrics::AmSilence>& silences);

} // namespace qc::services

Q_DECLARE_METATYPE(qc::services::AlertSnapshot)
Q_DECLARE_METATYPE(qc::services::AlertItem)
Q_DECLARE_METATYPE(qc::services::AlertActionOutcome)
