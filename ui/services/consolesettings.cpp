#include "consolesettings.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

namespace qc::services {

using namespace Qt::StringLiterals;

namespace {

// Version of the layout below; bump it (and convert) when a key changes meaning.
constexpr int kFormat = 1;

QString authKindName(HttpAuthSettings::Kind kind)
{
    switch (kind) {
    case HttpAuthSettings::Kind::Basic:
        return u"basic"_s;
    case HttpAuthSettings::Kind::Bearer:
        return u"bearer"_s;
    case HttpAuthSettings::Kind::None:
        break;
    }
    return u"none"_s;
}

HttpAuthSettings::Kind authKind(const QString& name)
{
    if (name == u"basic")
        return HttpAuthSettings::Kind::Basic;
    if (name == u"bearer")
        return HttpAuthSettings::Kind::Bearer;
    return HttpAuthSettings::Kind::None;
}

void saveEndpoint(QSettings& s, const HttpEndpoint& e)
{
    s.setValue(u"id"_s, e.id);
    s.setValue(u"name"_s, e.name);
    s.setValue(u"url"_s, e.url.toString());
    s.setValue(u"auth"_s, authKindName(e.auth.kind));
    s.setValue(u"user"_s, e.auth.user);
    s.setValue(u"caFile"_s, e.auth.caFile);
    s.setValue(u"clientCertificate"_s, e.auth.clientCertificateFile);
    s.setValue(u"clientKey"_s, e.auth.clientKeyFile);
}

HttpEndpoint loadEndpoint(QSettings& s)
{
    HttpEndpoint e;
    e.id = s.value(u"id"_s).toString();
    e.name = s.value(u"name"_s).toString();
    e.url = QUrl(s.value(u"url"_s).toString());
    e.auth.kind = authKind(s.value(u"auth"_s).toString());
    e.auth.user = s.value(u"user"_s).toString();
    e.auth.caFile = s.value(u"caFile"_s).toString();
    e.auth.clientCertificateFile = s.value(u"clientCertificate"_s).toString();
    e.auth.clientKeyFile = s.value(u"clientKey"_s).toString();
    return e;
}

void saveNamedEndpoint(QSettings& s, const QString& group, const HttpEndpoint& e)
{
    s.beginGroup(group);
    s.remove(QString());
    if (e.isSet())
        saveEndpoint(s, e);
    s.endGroup();
}

HttpEndpoint loadNamedEndpoint(QSettings& s, const QString& group)
{
    s.beginGroup(group);
    HttpEndpoint e = loadEndpoint(s);
    s.endGroup();
    return e;
}

} // namespace

ConsoleSettings ConsoleSettings::load(QSettings& s)
{
    ConsoleSettings c;
    const int profiles = s.beginReadArray(u"profiles"_s);
    for (int i = 0; i < profiles; ++i) {
        s.setArrayIndex(i);
        ConnectionProfile p;
        p.id = s.value(u"id"_s).toString();
        p.name = s.value(u"name"_s).toString();
        p.environmentLabel = s.value(u"environment"_s).toString();
        const QColor color(s.value(u"environmentColor"_s).toString());
        p.environmentColor = color.isValid() ? color : defaultEnvironmentColor(p.environmentLabel);
        // Passwords never belong here; a hand-edited file may still have one: drop it.
        p.setDatabaseConninfo(s.value(u"database"_s).toString());
        p.setReplicaConninfo(s.value(u"replica"_s).toString());
        p.scrapeIntervalSeconds = s.value(u"scrapeIntervalSeconds"_s, 15).toInt();
        const int endpoints = s.beginReadArray(u"metrics"_s);
        for (int j = 0; j < endpoints; ++j) {
            s.setArrayIndex(j);
            p.metricsEndpoints << loadEndpoint(s);
        }
        s.endArray();
        p.prometheus = loadNamedEndpoint(s, u"prometheus"_s);
        p.alertmanager = loadNamedEndpoint(s, u"alertmanager"_s);
        if (!p.id.isEmpty())
            c.profiles << p;
    }
    s.endArray();
    c.lastProfileId = s.value(u"connection/lastProfile"_s).toString();
    c.connectOnStart = s.value(u"connection/connectOnStart"_s, true).toBool();
    c.dashboard.range = s.value(u"dashboard/range"_s, c.dashboard.range).toString();
    c.dashboard.refreshSeconds = qBound(
        2, s.value(u"dashboard/refreshSeconds"_s, c.dashboard.refreshSeconds).toInt(), 3600);
    c.dashboard.paused = s.value(u"dashboard/paused"_s, false).toBool();
    c.alerts.pollSeconds
        = qBound(5, s.value(u"alerts/pollSeconds"_s, c.alerts.pollSeconds).toInt(), 3600);
    const int silences = s.beginReadArray(u"alertSilences"_s);
    for (int i = 0; i < silences; ++i) {
        s.setArrayIndex(i);
        AckSilence a;
        a.profileId = s.value(u"profile"_s).toString();
        a.silenceId = s.value(u"silence"_s).toString();
        a.alertKey = s.value(u"alert"_s).toString();
        a.untilResolved = s.value(u"untilResolved"_s, true).toBool();
        if (!a.silenceId.isEmpty())
            c.alerts.silences << a;
    }
    s.endArray();
    c.windowGeometry = s.value(u"window/geometry"_s).toByteArray();
    c.windowState = s.value(u"window/state"_s).toByteArray();
    c.lastPage = s.value(u"window/page"_s).toString();
    c.preferences.load(s);
    return c;
}

void ConsoleSettings::save(QSettings& s) const
{
    s.setValue(u"format"_s, kFormat);
    s.remove(u"profiles"_s);
    s.beginWriteArray(u"profiles"_s, int(profiles.size()));
    for (int i = 0; i < profiles.size(); ++i) {
        const ConnectionProfile& p = profiles.at(i);
        s.setArrayIndex(i);
        s.setValue(u"id"_s, p.id);
        s.setValue(u"name"_s, p.name);
        s.setValue(u"environment"_s, p.environmentLabel);
        s.setValue(u"environmentColor"_s, p.environmentColor.name());
        s.setValue(u"database"_s, withoutPassword(p.databaseConninfo));
        s.setValue(u"replica"_s, withoutPassword(p.replicaConninfo));
        s.setValue(u"scrapeIntervalSeconds"_s, p.scrapeIntervalSeconds);
        s.beginWriteArray(u"metrics"_s, int(p.metricsEndpoints.size()));
        for (int j = 0; j < p.metricsEndpoints.size(); ++j) {
            s.setArrayIndex(j);
            saveEndpoint(s, p.metricsEndpoints.at(j));
        }
        s.endArray();
        saveNamedEndpoint(s, u"prometheus"_s, p.prometheus);
        saveNamedEndpoint(s, u"alertmanager"_s, p.alertmanager);
    }
    s.endArray();
    s.setValue(u"connection/lastProfile"_s, lastProfileId);
    s.setValue(u"connection/connectOnStart"_s, connectOnStart);
    s.setValue(u"dashboard/range"_s, dashboard.range);
    s.setValue(u"dashboard/refreshSeconds"_s, dashboard.refreshSeconds);
    s.setValue(u"dashboard/paused"_s, dashboard.paused);
    s.setValue(u"alerts/pollSeconds"_s, alerts.pollSeconds);
    s.remove(u"alertSilences"_s);
    s.beginWriteArray(u"alertSilences"_s, int(alerts.silences.size()));
    for (int i = 0; i < alerts.silences.size(); ++i) {
        const AckSilence& a = alerts.silences.at(i);
        s.setArrayIndex(i);
        s.setValue(u"profile"_s, a.profileId);
        s.setValue(u"silence"_s, a.silenceId);
        s.setValue(u"alert"_s, a.alertKey);
        s.setValue(u"untilResolved"_s, a.untilResolved);
    }
    s.endArray();
    s.setValue(u"window/geometry"_s, windowGeometry);
    s.setValue(u"window/state"_s, windowState);
    s.setValue(u"window/page"_s, lastPage);
    preferences.save(s);
}

QString ConsoleSettings::defaultFilePath()
{
    const QString env = qEnvironmentVariable("QUOTA_CONSOLE_SETTINGS");
    if (!env.isEmpty())
        return env;
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)
        + u"/quota-console.ini"_s;
}

ConsoleSettings ConsoleSettings::loadFile(const QString& path, QString* error)
{
    QSettings s(path, QSettings::IniFormat);
    if (error) {
        error->clear();
        if (s.status() == QSettings::FormatError)
            *error = QCoreApplication::translate("qc::services::ConsoleSettings",
                "%1 is not a valid settings file; the defaults are used and the file is "
                "replaced when settings are saved")
                         .arg(path);
        else if (s.status() == QSettings::AccessError)
            *error = QCoreApplication::translate(
                "qc::services::ConsoleSettings", "cannot read the settings file %1")
                         .arg(path);
    }
    return load(s);
}

QString ConsoleSettings::saveFile(const QString& path) const
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSettings s(path, QSettings::IniFormat);
    save(s);
    s.sync();
    if (s.status() != QSettings::NoError)
        return QCoreApplication::translate(
            "qc::services::ConsoleSettings", "cannot write the settings file %1")
            .arg(path);
    return {};
}

const ConnectionProfile* ConsoleSettings::profile(const QString& id) const
{
    for (const ConnectionProfile& p : profiles) {
        if (p.id == id)
            return &p;
    }
    return nullptr;
}

void ConsoleSettings::upsert(const ConnectionProfile& profile)
{
    for (ConnectionProfile& p : profiles) {
        if (p.id == profile.id) {
            p = profile;
            return;
        }
    }
    profiles << profile;
}

void ConsoleSettings::remove(const QString& id)
{
    profiles.removeIf([&](const ConnectionProfile& p) { return p.id == id; });
}

} // namespace qc::services
