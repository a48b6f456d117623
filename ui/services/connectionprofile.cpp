#include "connectionprofile.h"

#include "db/connectionstring.h"

#include <QCoreApplication>
#include <QFile>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QUuid>

#include <cmath>

namespace qc::services {

using namespace Qt::StringLiterals;

namespace {

// One translation context for the file (lupdate reads Tr::tr with it).
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(qc::services::ConnectionProfile)
};

QString quoted(const QString& value)
{
    QString out = value;
    out.replace(u'\\', u"\\\\"_s);
    out.replace(u'\'', u"\\'"_s);
    return u'\'' + out + u'\'';
}

QString checkEndpoint(const HttpEndpoint& e, const QString& what)
{
    if (!e.isSet())
        return {};
    if (e.url.scheme() != u"http" && e.url.scheme() != u"https")
        return Tr::tr("%1: the URL %2 must start with http:// or https://")
            .arg(what, e.url.toDisplayString());
    if (e.url.host().isEmpty())
        return Tr::tr("%1: the URL %2 has no host").arg(what, e.url.toDisplayString());
    if (e.auth.kind == HttpAuthSettings::Kind::Basic && e.auth.user.isEmpty())
        return Tr::tr("%1: basic authentication needs a user name").arg(what);
    if (e.auth.clientCertificateFile.isEmpty() != e.auth.clientKeyFile.isEmpty())
        return Tr::tr("%1: a client certificate needs both the certificate and the key file")
            .arg(what);
    return {};
}

QList<QSslCertificate> readCertificates(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = Tr::tr("cannot read %1: %2").arg(path, file.errorString());
        return {};
    }
    const QList<QSslCertificate> certs = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    if (certs.isEmpty())
        *error = Tr::tr("%1 holds no PEM certificate").arg(path);
    return certs;
}

QSslKey readKey(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = Tr::tr("cannot read %1: %2").arg(path, file.errorString());
        return {};
    }
    const QByteArray pem = file.readAll();
    for (QSsl::KeyAlgorithm algorithm : { QSsl::Rsa, QSsl::Ec, QSsl::Dsa }) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    *error = Tr::tr("%1 holds no unencrypted PEM private key (RSA, EC or DSA)").arg(path);
    return {};
}

} // namespace

ConnectionProfile ConnectionProfile::create(const QString& name, const QString& environmentLabel)
{
    ConnectionProfile p;
    p.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    p.name = name;
    p.environmentLabel = environmentLabel;
    p.environmentColor = defaultEnvironmentColor(environmentLabel);
    return p;
}

void ConnectionProfile::setDatabaseConninfo(const QString& conninfo, QString* password)
{
    databaseConninfo = withoutPassword(conninfo, password);
}

void ConnectionProfile::setReplicaConninfo(const QString& conninfo, QString* password)
{
    replicaConninfo = withoutPassword(conninfo, password);
}

QString ConnectionProfile::validate() const
{
    if (name.trimmed().isEmpty())
        return Tr::tr("The profile needs a name.");
    const db::ConnectionString primary = db::ConnectionString::parse(databaseConninfo);
    if (!primary.isValid())
        return Tr::tr("Database: %1").arg(primary.errorString());
    if (!replicaConninfo.isEmpty()) {
        const db::ConnectionString replica = db::ConnectionString::parse(replicaConninfo);
        if (!replica.isValid())
            return Tr::tr("Read-only replica: %1").arg(replica.errorString());
    }
    for (const HttpEndpoint& e : metricsEndpoints) {
        if (!e.isSet())
            return Tr::tr("Metrics endpoint %1 has no URL.").arg(e.name);
        if (QString error = checkEndpoint(e, Tr::tr("Metrics endpoint %1").arg(e.name));
            !error.isEmpty())
            return error;
    }
    if (QString error = checkEndpoint(prometheus, Tr::tr("Prometheus")); !error.isEmpty())
        return error;
    if (QString error = checkEndpoint(alertmanager, Tr::tr("Alertmanager")); !error.isEmpty())
        return error;
    if (scrapeIntervalSeconds < 1 || scrapeIntervalSeconds > 3600)
        return Tr::tr("The scrape interval must be between 1 s and 1 h.");
    return {};
}

QList<EnvironmentPreset> environmentPresets()
{
    return {
        { u"PROD"_s, QColor(0xc6, 0x28, 0x28) },
        { u"STAGING"_s, QColor(0xef, 0x8f, 0x00) },
        { u"TEST"_s, QColor(0x15, 0x65, 0xc0) },
        { u"DEV"_s, QColor(0x2e, 0x7d, 0x32) },
        { u"DEMO"_s, QColor(0x6a, 0x1b, 0x9a) },
    };
}

QColor defaultEnvironmentColor(const QString& label)
{
    for (const EnvironmentPreset& p : environmentPresets()) {
        if (p.label.compare(label.trimmed(), Qt::CaseInsensitive) == 0)
            return p.color;
    }
    return QColor(0x54, 0x6e, 0x7a);
}

QColor readableTextColor(const QColor& background)
{
    // Relative luminance (sRGB, WCAG): dark text on light backgrounds.
    auto channel
        = [](double c) { return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); };
    const double l = 0.2126 * channel(background.redF()) + 0.7152 * channel(background.greenF())
        + 0.0722 * channel(background.blueF());
    return l > 0.4 ? QColor(Qt::black) : QColor(Qt::white);
}

namespace secretslot {
QString database()
{
    return u"database"_s;
}
QString replica()
{
    return u"replica"_s;
}
QString prometheus()
{
    return u"prometheus"_s;
}
QString alertmanager()
{
    return u"alertmanager"_s;
}
QString endpoint(const HttpEndpoint& endpoint)
{
    return u"endpoint/"_s + endpoint.id;
}
} // namespace secretslot

QStringList secretSlots(const ConnectionProfile& profile)
{
    QStringList slots { secretslot::database() };
    if (!profile.replicaConninfo.isEmpty())
        slots << secretslot::replica();
    for (const HttpEndpoint& e : profile.metricsEndpoints) {
        if (e.auth.needsSecret())
            slots << secretslot::endpoint(e);
    }
    if (profile.prometheus.isSet() && profile.prometheus.auth.needsSecret())
        slots << secretslot::prometheus();
    if (profile.alertmanager.isSet() && profile.alertmanager.auth.needsSecret())
        slots << secretslot::alertmanager();
    return slots;
}

PreparedAuth prepareAuth(const HttpEndpoint& endpoint, const QString& secret)
{
    PreparedAuth out;
    const HttpAuthSettings& a = endpoint.auth;
    switch (a.kind) {
    case HttpAuthSettings::Kind::None:
        out.auth.kind = metrics::HttpAuth::Kind::None;
        break;
    case HttpAuthSettings::Kind::Basic:
        out.auth.kind = metrics::HttpAuth::Kind::Basic;
        out.auth.user = a.user;
        out.auth.password = secret;
        break;
    case HttpAuthSettings::Kind::Bearer:
        out.auth.kind = metrics::HttpAuth::Kind::Bearer;
        out.auth.token = secret;
        break;
    }
    if (a.caFile.isEmpty() && a.clientCertificateFile.isEmpty())
        return out;

    QList<QSslCertificate> cas;
    if (!a.caFile.isEmpty()) {
        cas = readCertificates(a.caFile, &out.error);
        if (!out.error.isEmpty())
            return out;
    }
    QSslCertificate clientCert;
    QSslKey clientKey;
    if (!a.clientCertificateFile.isEmpty()) {
        const QList<QSslCertificate> chain = readCertificates(a.clientCertificateFile, &out.error);
        if (!out.error.isEmpty())
            return out;
        clientCert = chain.first();
        clientKey = readKey(a.clientKeyFile, &out.error);
        if (!out.error.isEmpty())
            return out;
    }
    out.auth.prepare = [cas, clientCert, clientKey](QNetworkRequest& request) {
        QSslConfiguration config = request.sslConfiguration();
        if (!cas.isEmpty())
            config.setCaCertificates(QSslConfiguration::systemCaCertificates() + cas);
        if (!clientCert.isNull()) {
            config.setLocalCertificate(clientCert);
            config.setPrivateKey(clientKey);
        }
        request.setSslConfiguration(config);
    };
    return out;
}

QString withoutPassword(const QString& conninfo, QString* password)
{
    const db::ConnectionString cs = db::ConnectionString::parse(conninfo);
    if (!cs.isValid() || cs.value(u"password"_s).isEmpty()) {
        if (password)
            password->clear();
        return conninfo;
    }
    if (password)
        *password = cs.value(u"password"_s);
    QStringList parts;
    for (const auto& [key, value] : cs.options()) {
        if (key != u"password")
            parts << key + u'=' + quoted(value);
    }
    return parts.join(u' ');
}

} // namespace qc::services
