#pragma once

#include "demolauncher.h"
#include "services/connectionprofile.h"

#include <QObject>
#include <QPointer>

class QProgressDialog;
class QWidget;

namespace qc::services {
class Session;
class SettingsStore;
} // namespace qc::services

namespace qc::console {

/// `quota-console --demo`: starts the demo with a progress dialog ("Starting PostgreSQL…",
/// "Backfilling 30 days (42 %)…", cancellable), reports connected() when it runs, and when the
/// console quits stops what it started (the window stays responsive meanwhile: "Stopping the
/// demo…"), then finished().
class DemoMode final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY(DemoMode)

public:
    explicit DemoMode(QWidget* window, QObject* parent = nullptr);
    ~DemoMode() override;

    /// The DEMO connection profile of a running demo: its database as demo_admin and loadgen's
    /// metrics endpoint. `saved` is the profile of an earlier start (same id): its name,
    /// environment label and colour, scrape interval and other endpoints are kept, the
    /// database and loadgen's URL (a new port at every start) are the demo's current ones.
    static services::ConnectionProfile profile(
        const DemoConnection& connection, const services::ConnectionProfile* saved = nullptr);
    /// The id of the DEMO profile of the demo in `directory`: the same at every start, so the
    /// profile is created once and reused (and demos of different data directories differ).
    static QString profileId(const QString& directory);

    /// When the demo runs: saves its DEMO profile in `settings` (File → Connect lists it) and
    /// connects `session` to it, which opens the dashboard. Both must outlive this object.
    void connectConsole(services::Session* session, services::SettingsStore* settings);

    DemoLauncher* launcher() { return &m_launcher; }
    void start();
    /// Stops the demo if the console started it, then finished(exitCode).
    void quit(int exitCode = 0);

Q_SIGNALS:
    void connected(const qc::console::DemoConnection& connection);
    void finished(int exitCode);

private:
    void showProgress(const QString& title, const QString& text, int percent, bool cancellable);

    QPointer<QWidget> m_window;
    QPointer<services::Session> m_session;
    QString m_profileId; // of the DEMO profile the session was connected to
    DemoLauncher m_launcher;
    QProgressDialog* m_dialog = nullptr;
    bool m_quitting = false;
    int m_exitCode = 0;
};

} // namespace qc::console
