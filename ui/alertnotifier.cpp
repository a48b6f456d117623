#include "alertnotifier.h"

#include "services/logging.h"
#include "services/session.h"
#include "services/settingsstore.h"
#include "ui/alertspage.h"
#include "ui/mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QSystemTrayIcon>

namespace qc::ui {

using namespace Qt::StringLiterals;

AlertNotifier::AlertNotifier(MainWindow* window, const PageContext& context)
    : QObject(window)
    , m_window(window)
    , m_context(context)
{
    qRegisterMetaType<services::AlertItem>();
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(QApplication::windowIcon(), this);
        m_tray->setToolTip(tr("Quota Console"));
        auto* menu = new QMenu(window);
        QAction* show = menu->addAction(tr("Show alerts"));
        connect(show, &QAction::triggered, this, [this] { openAlert({}); });
        QAction* notify = menu->addAction(tr("Notify me of new alerts"));
        notify->setCheckable(true);
        notify->setChecked(context.settings->settings().preferences.trayNotifications);
        connect(notify, &QAction::toggled, this, [this](bool on) {
            m_context.settings->update(
                [on](services::ConsoleSettings& s) { s.preferences.trayNotifications = on; });
        });
        connect(context.settings, &services::SettingsStore::changed, notify, [this, notify] {
            const QSignalBlocker block(notify);
            notify->setChecked(m_context.settings->settings().preferences.trayNotifications);
        });
        m_tray->setContextMenu(menu);
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] { openAlert(m_lastKey); });
        connect(
            m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason r) {
                if (r == QSystemTrayIcon::Trigger)
                    openAlert(m_lastKey);
            });
    }
    connect(context.session, &services::Session::profileChanged, this,
        &AlertNotifier::onProfileChanged);
    onProfileChanged();
}

AlertNotifier::~AlertNotifier() = default;

bool AlertNotifier::trayAvailable() const
{
    return m_tray && QSystemTrayIcon::supportsMessages();
}

void AlertNotifier::onProfileChanged()
{
    delete m_monitor;
    m_monitor = nullptr;
    if (m_tray)
        m_tray->setVisible(m_context.session->isActive());
    if (!m_context.session->isActive())
        return;
    m_monitor = new services::AlertMonitor(m_context.session, m_context.settings, this);
    connect(m_monitor, &services::AlertMonitor::alertFired, this, &AlertNotifier::onFired);
    m_monitor->start();
}

void AlertNotifier::onFired(const services::AlertItem& item)
{
    const services::Preferences& preferences = m_context.settings->settings().preferences;
    if (!preferences.trayNotifications)
        return;
    // An alert of an unknown severity is shown: better one message too many than a missed one.
    const auto severity = services::Preferences::severityFromName(item.severity);
    if (severity && int(*severity) < int(preferences.minimumSeverity))
        return;
    m_lastKey = item.key;
    services::logger()->info(
        "alert fired: {} ({})", services::toLog(item.name), services::toLog(item.key));
    if (m_tray) {
        const auto icon
            = item.severity == u"critical" ? QSystemTrayIcon::Critical : QSystemTrayIcon::Warning;
        m_tray->showMessage(tr("%1 (%2)").arg(item.name, item.severity),
            item.summary.isEmpty() ? tr("A new alert fired; click to see it.") : item.summary, icon,
            15000);
    }
    Q_EMIT notified(item);
}

void AlertNotifier::openAlert(const QString& key)
{
    if (!m_window)
        return;
    m_window->showNormal();
    m_window->raise();
    m_window->activateWindow();
    if (!m_window->showPage(u"alerts"_s))
        return;
    if (auto* page = qobject_cast<AlertsPage*>(m_window->page(u"alerts"_s)); page && !key.isEmpty())
        page->select(key);
}

} // namespace qc::ui
