#pragma once

#include "db/connectioncheck.h"
#include "db/migrator.h"
#include "services/connectionprofile.h"
#include "services/connectionstate.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>

#include <chrono>
#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace qc::metrics {
class PrometheusClient;
}

namespace qc::services {

class DatabaseWorker;
class MetricsPoller;
class NoticeBoard;

/// The connection the console works with: the current profile and its secrets (in memory
/// only), one DatabaseWorker for the primary and, when the profile names one, another for the
/// read-only replica, the network access manager, the metrics poller, the Prometheus client,
/// and who we are on the database (account and quota role). Pages get the session and ask it
/// for what they need; they never open connections of their own.
class Session final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY(Session)
public:
    explicit Session(QObject* parent = nullptr);
    ~Session() override;

    /// Connects to `profile` (dropping the current connection first). Returns at once; the
    /// state arrives through databaseStateChanged(), identity and role through
    /// identityChanged(). `secrets` are the profile's keychain entries (SecretStore::read);
    /// an empty set is fine when libpq finds the password in ~/.pgpass.
    void connectTo(const ConnectionProfile& profile, const ProfileSecrets& secrets = {});
    /// Closes everything; the window shows "Not connected".
    void disconnectFromProfile();
    bool isActive() const { return m_primary != nullptr; }

    const ConnectionProfile& profile() const { return m_profile; }

    /// The primary: admin actions, policy rollout, anything that writes.
    DatabaseWorker* primary() const { return m_primary.get(); }
    /// Where dashboards and investigation read: the replica when configured, else the primary.
    DatabaseWorker* reader() const;
    /// A connection of its own to where reader() reads (replica, else primary), for long
    /// reads that must not hold up the shared reader, e.g. a CSV export through a cursor.
    /// Not started; null when not connected. The caller owns it.
    std::unique_ptr<DatabaseWorker> openReaderConnection(const QString& name) const;
    QNetworkAccessManager* network() const { return m_network; }
    /// Null when the profile has no metrics endpoints.
    MetricsPoller* metrics() const { return m_metrics.get(); }
    /// Null when the profile has no Prometheus URL.
    metrics::PrometheusClient* prometheus() const { return m_prometheus.get(); }
    /// URL and prepared authentication of the Alertmanager (url empty when not configured).
    QUrl alertmanagerUrl() const { return m_profile.alertmanager.url; }
    PreparedAuth alertmanagerAuth() const;
    NoticeBoard* notices() const { return m_notices; }

    /// The connected account and its role; role None until the identity was read.
    const db::ConnectionIdentity& identity() const { return m_identity; }
    db::QuotaRole role() const { return m_identity.role; }
    /// Whether the connected account may do what needs `needed`.
    bool hasRole(db::QuotaRole needed) const;
    /// The tooltip of an action the account may not do: "Needs the quota_operator role; alice
    /// is a viewer." Empty when hasRole(needed).
    QString roleRequirement(db::QuotaRole needed) const;
    /// "viewer", "operator", "admin", or "no quota role", translated.
    static QString roleTitle(db::QuotaRole role);

    /// Reconnect backoff and keep-alive of the database workers made by the next connectTo()
    /// (defaults: 1 s doubling to 30 s, keep-alive 15 s). Tests shorten them.
    struct Timing {
        std::chrono::milliseconds firstRetry { 1000 };
        std::chrono::milliseconds maxRetry { 30000 };
        std::chrono::milliseconds keepAlive { 15000 };
    };
    void setTiming(const Timing& timing) { m_timing = timing; }

    /// The console's notion of now (UTC). Tests and recorded demos may fix it.
    QDateTime now() const;
    void setClock(std::function<QDateTime()> clock);

    /// Reads identity and migration state again (after a migration, a GRANT).
    void refreshIdentity();
    /// Applies the pending migrations on the primary (only offered when
    /// identity().canMigrate); `done` runs on the GUI thread unless `context` died.
    void migrate(QObject* context, std::function<void(const db::MigrationRun&)> done);

Q_SIGNALS:
    /// connectTo() or disconnectFromProfile() ran: pages drop their data and start over.
    void profileChanged();
    void identityChanged(const qc::db::ConnectionIdentity& identity);
    /// State of the primary connection.
    void databaseStateChanged(const qc::services::ConnectionState& state);
    /// State of the replica connection (only with a replica).
    void replicaStateChanged(const qc::services::ConnectionState& state);

private:
    void onPrimaryState(const ConnectionState& state);
    void onReplicaState(const ConnectionState& state);
    void postDatabaseNotice(const QString& key, const QString& what, const ConnectionState& s);
    void onIdentity(const db::ConnectionIdentity& identity, const QString& error);
    void onNoticeAction(const QString& key, const QString& actionId);
    void startMetrics();

    ConnectionProfile m_profile;
    ProfileSecrets m_secrets;
    std::unique_ptr<DatabaseWorker> m_primary;
    std::unique_ptr<DatabaseWorker> m_replica;
    std::unique_ptr<MetricsPoller> m_metrics;
    std::unique_ptr<metrics::PrometheusClient> m_prometheus;
    QNetworkAccessManager* m_network;
    NoticeBoard* m_notices;
    db::ConnectionIdentity m_identity;
    std::function<QDateTime()> m_clock;
    Timing m_timing;
};

} // namespace qc::services
