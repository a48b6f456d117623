#pragma once

#include "metrics/httpauth.h"

#include <QColor>
#include <QList>
#include <QMap>
#include <QString>
#include <QUrl>

namespace qc::services {

/// How the console authenticates against an HTTP endpoint (a /metrics page, Prometheus,
/// Alertmanager). The password or token itself is not here: it lives in the OS keychain
/// (SecretStore) under the endpoint's secret slot.
struct HttpAuthSettings {
    enum class Kind { None, Basic, Bearer };
    Kind kind = Kind::None;
    QString user; // basic auth
    QString caFile; // PEM file of CA certificates trusted for this endpoint (besides the system's)
    QString clientCertificateFile; // PEM, for mutual TLS
    QString clientKeyFile; // PEM, unencrypted

    bool needsSecret() const { return kind != Kind::None; }
    bool operator==(const HttpAuthSettings&) const = default;
};

/// One HTTP endpoint of a profile.
struct HttpEndpoint {
    QString id; // stable within the profile; names the secret slot
    QString name; // e.g. "gateway-1"; shown in the health table
    QUrl url;
    HttpAuthSettings auth;

    bool isSet() const { return url.isValid() && !url.isEmpty(); }
    bool operator==(const HttpEndpoint&) const = default;
};

/// A named place to connect to: one quota database (plus an optional read-only replica for the
/// dashboards, DESIGN §10), the services' metrics endpoints and optionally Prometheus and
/// Alertmanager. Stored in the settings file by ConsoleSettings; holds no secrets.
struct ConnectionProfile {
    QString id; // UUID, never shown
    QString name;
    QString environmentLabel; // "PROD", "STAGING", "DEMO", ... shown in the window header
    QColor environmentColor;
    /// libpq connection string (URI or key=value); service names, .pgpass and sslmode work as
    /// in psql. Never contains a password (setDatabaseConninfo moves it out).
    QString databaseConninfo;
    QString replicaConninfo; // optional; dashboards and investigation read from it
    QList<HttpEndpoint> metricsEndpoints;
    HttpEndpoint prometheus; // optional
    HttpEndpoint alertmanager; // optional
    int scrapeIntervalSeconds = 15;

    /// A new profile with a fresh id and the colours of `environmentLabel`.
    static ConnectionProfile create(const QString& name, const QString& environmentLabel = {});

    /// Sets the database connection string; a password written into it is removed and
    /// returned through `password` (to go to the keychain).
    void setDatabaseConninfo(const QString& conninfo, QString* password = nullptr);
    void setReplicaConninfo(const QString& conninfo, QString* password = nullptr);

    /// Empty when the profile can be used, else what to fix ("Name is empty", ...).
    QString validate() const;

    bool operator==(const ConnectionProfile&) const = default;
};

/// The environments the profile editor offers, with their colours (red for production).
struct EnvironmentPreset {
    QString label;
    QColor color;
};
QList<EnvironmentPreset> environmentPresets();
/// The preset colour of a label, or a neutral grey for labels of one's own.
QColor defaultEnvironmentColor(const QString& label);
/// Black or white, whichever reads better on `background`.
QColor readableTextColor(const QColor& background);

/// The secret slots of a profile: "database", "replica", "prometheus", "alertmanager",
/// "endpoint/<id>". The keychain key is "<profile id>/<slot>".
namespace secretslot {
QString database();
QString replica();
QString prometheus();
QString alertmanager();
QString endpoint(const HttpEndpoint& endpoint);
} // namespace secretslot

/// The slots of `profile` that may hold a secret (passwords are optional with .pgpass).
QStringList secretSlots(const ConnectionProfile& profile);

/// A profile's secrets as read from (or to be written to) the keychain: slot → secret.
/// Kept in memory only.
struct ProfileSecrets {
    QMap<QString, QString> values;

    QString value(const QString& slot) const { return values.value(slot); }
    void setValue(const QString& slot, const QString& secret) { values.insert(slot, secret); }
    bool operator==(const ProfileSecrets&) const = default;
};

/// What HttpAuth needs for `endpoint`: the header secret and, for a custom CA or a client
/// certificate, a `prepare` hook with the loaded certificates. `error` says which file could
/// not be read.
struct PreparedAuth {
    metrics::HttpAuth auth;
    QString error;
};
PreparedAuth prepareAuth(const HttpEndpoint& endpoint, const QString& secret);

/// Removes `password=...` from a libpq connection string. Returns the string unchanged when it
/// has no password; otherwise the keyword/value form without it, and the password through
/// `password`. An unparsable string is returned unchanged (validate() reports it).
QString withoutPassword(const QString& conninfo, QString* password = nullptr);

} // namespace qc::services
