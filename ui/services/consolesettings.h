#pragma once

#include "services/connectionprofile.h"
#include "services/preferences.h"

#include <QByteArray>
#include <QList>
#include <QString>

class QSettings;

namespace qc::services {

/// Everything the console keeps between runs, as one typed struct: the only code that knows
/// the settings file's keys is consolesettings.cpp. Secrets are never part of it (they live
/// in the keychain, see SecretStore); save() even refuses to write a password that slipped
/// into a connection string.
struct ConsoleSettings {
    QList<ConnectionProfile> profiles;
    QString lastProfileId; // connected to on start when connectOnStart
    bool connectOnStart = true;

    struct Dashboard {
        QString range = QStringLiteral("1h"); // "15m", "1h", "24h", "7d", "30d"
        int refreshSeconds = 15;
        bool paused = false;
        bool operator==(const Dashboard&) const = default;
    } dashboard;

    /// Alerts (docs/investigation.md "Alerts"): desktop notifications, and the Alertmanager
    /// silences this console made when acknowledging, so that it can extend and end them.
    struct AckSilence {
        QString profileId;
        QString silenceId;
        QString alertKey; // "db:<id>" or "am:<fingerprint>"
        bool untilResolved = true; // else it ends at its own end time
        bool operator==(const AckSilence&) const = default;
    };
    struct Alerts {
        int pollSeconds = 30;
        QList<AckSilence> silences;
        bool operator==(const Alerts&) const = default;
    } alerts;

    QByteArray windowGeometry;
    QByteArray windowState;
    QString lastPage; // page id, e.g. "dashboard"
    Preferences preferences; // the Settings dialog's

    /// Reads from / writes to `settings` (which may be any QSettings, e.g. a test file).
    static ConsoleSettings load(QSettings& settings);
    void save(QSettings& settings) const;

    /// The file the console uses: `<AppConfigLocation>/quota-console.ini`, or
    /// $QUOTA_CONSOLE_SETTINGS when set (tests, several configurations side by side).
    static QString defaultFilePath();
    /// load()/save() on an INI file at `path`; errors (unreadable, not writable) as text.
    static ConsoleSettings loadFile(const QString& path, QString* error = nullptr);
    QString saveFile(const QString& path) const;

    const ConnectionProfile* profile(const QString& id) const;
    /// Replaces the profile with the same id, or appends it.
    void upsert(const ConnectionProfile& profile);
    void remove(const QString& id);

    bool operator==(const ConsoleSettings&) const = default;
};

} // namespace qc::services
