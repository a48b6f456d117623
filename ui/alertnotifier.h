#pragma once

#include "services/alertmonitor.h"
#include "ui/page.h"

#include <QObject>
#include <QPointer>

class QSystemTrayIcon;

namespace qc::ui {

class MainWindow;

/// Tells the person at the desk when a new alert fires (docs/investigation.md "Alerts"): a
/// desktop notification through the system tray, whose click opens the alert on the Alerts
/// page. Watches the connected profile's alerts in the background (its own AlertMonitor);
/// Preferences::trayNotifications turns it off; Preferences::minimumSeverity sets how
/// severe an alert must be to be shown.
class AlertNotifier final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY(AlertNotifier)
public:
    AlertNotifier(MainWindow* window, const PageContext& context);
    ~AlertNotifier() override;

    services::AlertMonitor* monitor() const { return m_monitor; }
    /// Whether a tray icon can show messages here.
    bool trayAvailable() const;
    /// Shows the alert with `key` on the Alerts page (what clicking the notification does).
    void openAlert(const QString& key);
    /// The key of the last notification.
    QString lastNotified() const { return m_lastKey; }

Q_SIGNALS:
    /// A notification was shown (or would have been, without a tray).
    void notified(const qc::services::AlertItem& item);

private:
    void onProfileChanged();
    void onFired(const services::AlertItem& item);

    QPointer<MainWindow> m_window;
    PageContext m_context;
    services::AlertMonitor* m_monitor = nullptr;
    QSystemTrayIcon* m_tray = nullptr;
    QString m_lastKey;
};

} // namespace qc::ui
