#include "session.h"

#include "db/connectionstring.h"
#include "metrics/prometheusclient.h"
#include "services/databaseworker.h"
#include "services/logging.h"
#include "services/metricspoller.h"
#include "services/noticeboard.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>

namespace qc::services {

using namespace Qt::StringLiterals;

namespace {

const QString kIdentityChannel = u"session/identity"_s;
const QString kRetryAction = u"retry"_s;

struct IdentityAnswer {
    db::ConnectionIdentity identity;
    QString error;
};

} // namespace

Session::Session(QObject* parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
    , m_notices(new NoticeBoard(this))
{
    qRegisterMetaType<ConnectionState>();
    connect(m_notices, &NoticeBoard::actionRequested, this, &Session::onNoticeAction);
}

Session::~Session() = default;

DatabaseWorker* Session::reader() const
{
    return m_replica ? m_replica.get() : m_primary.get();
}

std::unique_ptr<DatabaseWorker> Session::openReaderConnection(const QString& name) const
{
    if (!isActive())
        return nullptr;
    const bool replica = !m_profile.replicaConninfo.trimmed().isEmpty();
    DatabaseWorker::Options o;
    o.name = name;
    o.conninfo = replica ? m_profile.replicaConninfo : m_profile.databaseConninfo;
    o.password = m_secrets.value(replica ? secretslot::replica() : secretslot::database());
    o.firstRetry = m_timing.firstRetry;
    o.maxRetry = m_timing.maxRetry;
    o.keepAlive = std::chrono::milliseconds(0);
    // Exports run for minutes: no statement timeout (cancel ends them).
    o.setupStatements = { u"SET jit = off"_s, u"SET statement_timeout = 0"_s };
    return std::make_unique<DatabaseWorker>(o);
}

void Session::connectTo(const ConnectionProfile& profile, const ProfileSecrets& secrets)
{
    disconnectFromProfile();
    m_profile = profile;
    m_secrets = secrets;
    logger()->info("connecting to profile '{}' ({}): database {}", toLog(profile.name),
        toLog(profile.environmentLabel),
        toLog(db::ConnectionString::parse(profile.databaseConninfo).redacted()));

    DatabaseWorker::Options primary;
    primary.name = u"primary"_s;
    primary.conninfo = profile.databaseConninfo;
    primary.password = secrets.value(secretslot::database());
    primary.firstRetry = m_timing.firstRetry;
    primary.maxRetry = m_timing.maxRetry;
    primary.keepAlive = m_timing.keepAlive;
    m_primary = std::make_unique<DatabaseWorker>(primary);
    connect(m_primary.get(), &DatabaseWorker::stateChanged, this, &Session::onPrimaryState);

    if (!profile.replicaConninfo.trimmed().isEmpty()) {
        DatabaseWorker::Options replica;
        replica.name = u"replica"_s;
        replica.conninfo = profile.replicaConninfo;
        replica.password = secrets.value(secretslot::replica());
        replica.firstRetry = m_timing.firstRetry;
        replica.maxRetry = m_timing.maxRetry;
        replica.keepAlive = m_timing.keepAlive;
        m_replica = std::make_unique<DatabaseWorker>(replica);
        connect(m_replica.get(), &DatabaseWorker::stateChanged, this, &Session::onReplicaState);
    }

    if (profile.prometheus.isSet()) {
        const PreparedAuth auth
            = prepareAuth(profile.prometheus, secrets.value(secretslot::prometheus()));
        if (!auth.error.isEmpty())
            m_notices->post({ u"prometheus"_s, Notice::Severity::Warning,
                tr("Prometheus: %1").arg(auth.error), QDateTime::currentDateTimeUtc() });
        m_prometheus = std::make_unique<metrics::PrometheusClient>(
            m_network, profile.prometheus.url, auth.auth);
        m_prometheus->setTimeout(std::chrono::seconds(20));
    }
    startMetrics();

    Q_EMIT profileChanged();
    m_primary->start();
    if (m_replica)
        m_replica->start();
}

void Session::startMetrics()
{
    if (m_profile.metricsEndpoints.isEmpty())
        return;
    QList<MetricsPoller::Target> targets;
    for (const HttpEndpoint& e : std::as_const(m_profile.metricsEndpoints)) {
        const PreparedAuth auth = prepareAuth(e, m_secrets.value(secretslot::endpoint(e)));
        if (!auth.error.isEmpty())
            m_notices->post({ u"endpoint/"_s + e.id, Notice::Severity::Warning,
                tr("Metrics endpoint %1: %2").arg(e.name, auth.error),
                QDateTime::currentDateTimeUtc() });
        MetricsPoller::Target t;
        t.id = e.id;
        t.name = e.name.isEmpty() ? e.url.host() : e.name;
        t.scrape.url = e.url;
        t.scrape.auth = auth.auth;
        targets << t;
    }
    m_metrics = std::make_unique<MetricsPoller>(
        targets, std::chrono::seconds(qMax(1, m_profile.scrapeIntervalSeconds)));
    connect(m_metrics.get(), &MetricsPoller::endpointsChanged, this,
        [this](const QList<EndpointStatus>& endpoints) {
            for (const EndpointStatus& s : endpoints) {
                const QString key = u"endpoint/"_s + s.id;
                if (!s.scraped || s.health.up) {
                    m_notices->clear(key);
                    continue;
                }
                const Notice* existing = m_notices->find(key);
                Notice n;
                n.key = key;
                n.severity = Notice::Severity::Warning;
                n.text = tr("Metrics endpoint %1 is not answering: %2").arg(s.name, s.health.error);
                n.since = existing ? existing->since : s.health.lastScrape;
                m_notices->post(n);
            }
        });
    m_metrics->start();
}

void Session::disconnectFromProfile()
{
    const bool wasActive = isActive();
    m_metrics.reset();
    m_prometheus.reset();
    m_replica.reset();
    m_primary.reset();
    m_identity = {};
    m_notices->clearAll();
    if (wasActive) {
        logger()->info("disconnected from profile '{}'", toLog(m_profile.name));
        m_profile = {};
        m_secrets = {};
        Q_EMIT identityChanged(m_identity);
        Q_EMIT profileChanged();
    }
}

PreparedAuth Session::alertmanagerAuth() const
{
    return prepareAuth(m_profile.alertmanager, m_secrets.value(secretslot::alertmanager()));
}

bool Session::hasRole(db::QuotaRole needed) const
{
    return int(m_identity.role) >= int(needed);
}

QString Session::roleTitle(db::QuotaRole role)
{
    switch (role) {
    case db::QuotaRole::Admin:
        return tr("admin");
    case db::QuotaRole::Operator:
        return tr("operator");
    case db::QuotaRole::Viewer:
        return tr("viewer");
    case db::QuotaRole::None:
        break;
    }
    return tr("no quota role");
}

QString Session::roleRequirement(db::QuotaRole needed) const
{
    if (hasRole(needed))
        return {};
    if (!isActive())
        return tr("Connect to a quota database first.");
    if (m_identity.account.isEmpty())
        return tr("Needs the %1 role; the connected account is not known yet.")
            .arg(db::quotaRoleName(needed));
    return tr("Needs the %1 role; %2 is %3.")
        .arg(db::quotaRoleName(needed), m_identity.account, roleTitle(m_identity.role));
}

QDateTime Session::now() const
{
    return m_clock ? m_clock().toUTC() : QDateTime::currentDateTimeUtc();
}

void Session::setClock(std::function<QDateTime()> clock)
{
    m_clock = std::move(clock);
}

void Session::onPrimaryState(const ConnectionState& state)
{
    postDatabaseNotice(u"database/primary"_s, tr("Database"), state);
    if (state.isConnected())
        refreshIdentity();
    Q_EMIT databaseStateChanged(state);
}

void Session::onReplicaState(const ConnectionState& state)
{
    postDatabaseNotice(u"database/replica"_s, tr("Read-only replica"), state);
    Q_EMIT replicaStateChanged(state);
}

void Session::postDatabaseNotice(const QString& key, const QString& what, const ConnectionState& s)
{
    using Status = ConnectionState::Status;
    if (s.status == Status::Connected || s.status == Status::Idle
        || (s.status == Status::Connecting && s.failedAttempts == 0)) {
        m_notices->clear(key);
        return;
    }
    Notice n;
    n.key = key;
    n.severity = Notice::Severity::Error;
    n.since = s.since;
    n.retryAt = s.status == Status::Reconnecting ? s.retryAt : QDateTime();
    n.text = s.status == Status::Failed ? tr("%1 connection failed: %2").arg(what, s.error)
                                        : tr("%1 unreachable: %2").arg(what, s.error);
    n.actionText = tr("Retry now");
    n.actionId = kRetryAction;
    m_notices->post(n);
}

void Session::refreshIdentity()
{
    if (!m_primary)
        return;
    m_primary->post<IdentityAnswer>(
        kIdentityChannel, this,
        [](QSqlDatabase& db) {
            IdentityAnswer a;
            a.error = db::readIdentity(db, &a.identity);
            return a;
        },
        [this](const JobOutcome<IdentityAnswer>& o) {
            onIdentity(o.value.identity, o.ran() ? o.value.error : o.error);
        });
}

void Session::onIdentity(const db::ConnectionIdentity& identity, const QString& error)
{
    if (!error.isEmpty()) {
        if (m_primary && m_primary->state().isConnected())
            m_notices->post(
                { u"identity"_s, Notice::Severity::Error, error, QDateTime::currentDateTimeUtc() });
        return;
    }
    m_notices->clear(u"identity"_s);
    m_identity = identity;
    logger()->info("connected as {} ({}), server {}, schema {} applied / {} pending",
        toLog(identity.account), toLog(db::quotaRoleName(identity.role)),
        toLog(identity.serverVersion), identity.appliedMigrations, identity.pendingMigrations);
    const db::ConnectionCheck check = db::assessIdentity(identity);
    if (check.ok()) {
        m_notices->clear(u"schema"_s);
    } else {
        Notice n;
        n.key = u"schema"_s;
        n.severity = check.problem == db::ConnectionProblem::NoQuotaRole
            ? Notice::Severity::Error
            : Notice::Severity::Warning;
        n.text = check.message;
        n.since = QDateTime::currentDateTimeUtc();
        const bool migratable = check.problem == db::ConnectionProblem::SchemaMissing
            || check.problem == db::ConnectionProblem::SchemaTooOld;
        if (migratable && identity.canMigrate) {
            n.actionText = tr("Migrate…");
            n.actionId = u"migrate"_s;
        }
        m_notices->post(n);
    }
    Q_EMIT identityChanged(m_identity);
}

void Session::onNoticeAction(const QString& key, const QString& actionId)
{
    if (actionId != kRetryAction)
        return; // e.g. "migrate": the window asks for confirmation first
    if (key == u"database/primary" && m_primary)
        m_primary->reconnectNow();
    else if (key == u"database/replica" && m_replica)
        m_replica->reconnectNow();
}

void Session::migrate(QObject* context, std::function<void(const db::MigrationRun&)> done)
{
    if (!m_primary)
        return;
    m_primary->post<db::MigrationRun>(
        u"session/migrate"_s, context,
        [](QSqlDatabase& db) {
            db::Migrator migrator(db);
            return migrator.migrate();
        },
        [this, done](const JobOutcome<db::MigrationRun>& o) {
            db::MigrationRun run = o.value;
            if (!o.ran())
                run.error = o.error;
            logger()->info("migration: {} applied{}", run.applied.size(),
                run.ok() ? std::string() : ", error: " + toLog(run.error));
            refreshIdentity();
            if (done)
                done(run);
        });
}

} // namespace qc::services
