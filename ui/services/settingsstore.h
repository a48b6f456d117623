#pragma once

#include "services/consolesettings.h"

#include <QObject>

#include <functional>

namespace qc::services {

/// The console's settings in memory, shared by the window, dialogs and pages, and written back
/// to the settings file. Change them with update(); read them with settings().
class SettingsStore final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY(SettingsStore)
public:
    /// Loads `path` (ConsoleSettings::defaultFilePath() in the console). A file that cannot be
    /// read leaves the defaults and loadError() set.
    explicit SettingsStore(
        QString path = ConsoleSettings::defaultFilePath(), QObject* parent = nullptr);

    const ConsoleSettings& settings() const { return m_settings; }
    QString path() const { return m_path; }
    QString loadError() const { return m_loadError; }

    /// Applies `change`, saves the file and emits changed(). Returns the save error, if any.
    QString update(const std::function<void(ConsoleSettings&)>& change);

Q_SIGNALS:
    void changed();

private:
    QString m_path;
    ConsoleSettings m_settings;
    QString m_loadError;
};

} // namespace qc::services
