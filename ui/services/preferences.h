#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

class QSettings;

namespace qc::services {

/// The choices of the Settings dialog (docs/user-guide.md "Settings"), part of ConsoleSettings.
/// Every field has a default that works; validate() says in words what is wrong with a value.
struct Preferences {
    enum class Theme { System, Light, Dark };
    enum class TimeZone { Local, Utc };
    enum class Severity { Info, Warning, Critical };

    /// "" follows the system's language; otherwise one of availableLanguages() ("en", "de", "fa").
    QString language;
    Theme theme = Theme::System;
    /// Times are stored in UTC; this is how they are shown (tables, charts, tooltips).
    TimeZone timeZone = TimeZone::Local;
    /// Seconds between scrapes of the metrics endpoints; 0 uses each profile's own interval.
    int metricsScrapeSeconds = 0;
    bool trayNotifications = true;
    Severity minimumSeverity = Severity::Warning;
    /// spdlog level name: trace, debug, info, warn, error, critical, off.
    QString logLevel = QStringLiteral("info");
    /// Logs and the demo live here; "" is the platform's (~/.local/share/quota-console).
    QString dataDirectory;
    /// QSplitter::saveState() by splitter object name (pages keep their panes' sizes).
    QHash<QString, QByteArray> splitterStates;

    static constexpr int kMaxScrapeSeconds = 3600;

    /// Problems with the values, one sentence each, naming the setting ("Log level: 'loud' is
    /// not a level; use one of trace, debug, info, warn, error, critical, off"). Empty when fine.
    /// A data directory that does not exist yet is made (to know that it can be).
    QStringList validate() const;

    void load(QSettings& settings);
    void save(QSettings& settings) const;

    static QString themeName(Theme theme);
    static std::optional<Theme> themeFromName(const QString& name);
    static QString severityName(Severity severity);
    static std::optional<Severity> severityFromName(const QString& name);
    static QStringList logLevelNames();
    /// The languages with a translation, plus the source language "en".
    static QStringList availableLanguages();

    bool operator==(const Preferences&) const = default;
};

} // namespace qc::services
