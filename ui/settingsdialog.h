#pragma once

#include "services/preferences.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace qc::services {
class SettingsStore;
}

namespace qc::ui {

/// Edit → Settings…: language, theme, display time zone, refresh intervals, notifications, log
/// level and data directory. OK checks the values (Preferences::validate) and shows what is
/// wrong instead of closing; what it stores applies at once (applyPreferences), except the
/// language, which the dialog says applies at the next start.
class SettingsDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY(SettingsDialog)
public:
    explicit SettingsDialog(services::SettingsStore* store, QWidget* parent = nullptr);
    ~SettingsDialog() override;

    /// The values as the form shows them.
    services::Preferences preferences() const;
    int dashboardRefreshSeconds() const;
    /// Validates, stores and applies; the errors (also shown in the dialog) when it did not.
    QStringList apply();
    /// The text of the error line (empty when none).
    QString errorText() const;

    void accept() override;

private:
    void load(const services::Preferences& p, int refreshSeconds);
    void browseDataDirectory();

    services::SettingsStore* m_store;
    QComboBox* m_language;
    QLabel* m_languageNote;
    QComboBox* m_theme;
    QComboBox* m_timeZone;
    QSpinBox* m_refresh;
    QSpinBox* m_scrape;
    QCheckBox* m_tray;
    QComboBox* m_severity;
    QComboBox* m_logLevel;
    QLineEdit* m_dataDirectory;
    QLabel* m_error;
    services::Preferences m_loaded;
};

} // namespace qc::ui
