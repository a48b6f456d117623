#include "preferences.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QTemporaryFile>

namespace qc::services {

using namespace Qt::StringLiterals;

namespace {

// One translation context for the file (lupdate reads Tr::tr with it).
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(qc::services::Preferences)
};

// The nearest part of `path` that exists (a directory to be made is made there).
QFileInfo existingAncestor(const QString& path)
{
    QFileInfo info(path);
    while (!info.exists() && !info.isRoot() && info.absoluteFilePath() != info.absolutePath())
        info = QFileInfo(info.absolutePath());
    return info;
}

} // namespace

QStringList Preferences::validate() const
{
    QStringList errors;
    if (!language.isEmpty() && !availableLanguages().contains(language))
        errors << Tr::tr("Language: '%1' has no translation; choose one of %2, or the system's.")
                      .arg(language, availableLanguages().join(u", "_s));
    if (metricsScrapeSeconds < 0 || metricsScrapeSeconds > kMaxScrapeSeconds)
        errors << Tr::tr("Metrics scrape interval: %1 s is out of range; use 1 to %2 s, or 0 for "
                         "each profile's own interval.")
                      .arg(metricsScrapeSeconds)
                      .arg(kMaxScrapeSeconds);
    if (!logLevelNames().contains(logLevel))
        errors << Tr::tr("Log level: '%1' is not a level; use one of %2.")
                      .arg(logLevel, logLevelNames().join(u", "_s));
    if (!dataDirectory.isEmpty()) {
        const QFileInfo info(dataDirectory);
        if (info.isRelative()) {
            errors << Tr::tr("Data directory: '%1' is a relative path; give an absolute one, e.g. "
                             "%2.")
                          .arg(dataDirectory, QDir::homePath() + u"/quota-console"_s);
        } else if (info.exists() && !info.isDir()) {
            errors << Tr::tr("Data directory: %1 is a file, not a directory.").arg(dataDirectory);
        } else if (!QDir().mkpath(dataDirectory)) {
            // Made now rather than when the log moves there: a directory that cannot be made
            // is an error the user should see in the dialog.
            errors << Tr::tr("Data directory: %1 cannot be created; choose another directory or "
                             "check the permissions of %2.")
                          .arg(dataDirectory, existingAncestor(dataDirectory).absoluteFilePath());
        } else {
            QTemporaryFile probe(dataDirectory + u"/.write-test-XXXXXX"_s);
            if (!probe.open())
                errors << Tr::tr("Data directory: %1 cannot be written by you; choose another "
                                 "directory or change its permissions.")
                              .arg(dataDirectory);
        }
    }
    return errors;
}

void Preferences::load(QSettings& s)
{
    const Preferences defaults;
    s.beginGroup(u"preferences"_s);
    language = s.value(u"language"_s).toString();
    if (!language.isEmpty() && !availableLanguages().contains(language))
        language.clear();
    theme = themeFromName(s.value(u"theme"_s).toString()).value_or(defaults.theme);
    timeZone = s.value(u"timeZone"_s).toString() == u"utc" ? TimeZone::Utc : TimeZone::Local;
    metricsScrapeSeconds
        = qBound(0, s.value(u"metricsScrapeSeconds"_s, 0).toInt(), kMaxScrapeSeconds);
    trayNotifications = s.value(u"trayNotifications"_s, defaults.trayNotifications).toBool();
    minimumSeverity = severityFromName(s.value(u"minimumSeverity"_s).toString())
                          .value_or(defaults.minimumSeverity);
    logLevel = s.value(u"logLevel"_s, defaults.logLevel).toString();
    if (!logLevelNames().contains(logLevel))
        logLevel = defaults.logLevel;
    dataDirectory = s.value(u"dataDirectory"_s).toString();
    s.endGroup();
    splitterStates.clear();
    s.beginGroup(u"splitters"_s);
    for (const QString& key : s.childKeys())
        splitterStates.insert(key, s.value(key).toByteArray());
    s.endGroup();
}

void Preferences::save(QSettings& s) const
{
    s.beginGroup(u"preferences"_s);
    s.setValue(u"language"_s, language);
    s.setValue(u"theme"_s, themeName(theme));
    s.setValue(u"timeZone"_s, timeZone == TimeZone::Utc ? u"utc"_s : u"local"_s);
    s.setValue(u"metricsScrapeSeconds"_s, metricsScrapeSeconds);
    s.setValue(u"trayNotifications"_s, trayNotifications);
    s.setValue(u"minimumSeverity"_s, severityName(minimumSeverity));
    s.setValue(u"logLevel"_s, logLevel);
    s.setValue(u"dataDirectory"_s, dataDirectory);
    s.endGroup();
    s.remove(u"splitters"_s);
    s.beginGroup(u"splitters"_s);
    for (auto it = splitterStates.cbegin(); it != splitterStates.cend(); ++it)
        s.setValue(it.key(), it.value());
    s.endGroup();
}

QString Preferences::themeName(Theme theme)
{
    switch (theme) {
    case Theme::Light:
        return u"light"_s;
    case Theme::Dark:
        return u"dark"_s;
    case Theme::System:
        break;
    }
    return u"system"_s;
}

std::optional<Preferences::Theme> Preferences::themeFromName(const QString& name)
{
    if (name == u"system")
        return Theme::System;
    if (name == u"light")
        return Theme::Light;
    if (name == u"dark")
        return Theme::Dark;
    return std::nullopt;
}

QString Preferences::severityName(Severity severity)
{
    switch (severity) {
    case Severity::Info:
        return u"info"_s;
    case Severity::Critical:
        return u"critical"_s;
    case Severity::Warning:
        break;
    }
    return u"warning"_s;
}

std::optional<Preferences::Severity> Preferences::severityFromName(const QString& name)
{
    if (name == u"info")
        return Severity::Info;
    if (name == u"warning")
        return Severity::Warning;
    if (name == u"critical")
        return Severity::Critical;
    return std::nullopt;
}

QStringList Preferences::logLevelNames()
{
    return { u"trace"_s, u"debug"_s, u"info"_s, u"warn"_s, u"error"_s, u"critical"_s, u"off"_s };
}

QStringList Preferences::availableLanguages()
{
    return { u"en"_s, u"de"_s, u"fa"_s };
}

} // namespace qc::services
