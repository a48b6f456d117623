#pragma once

#include "demolauncher.h"
#include "services/connectionprofile.h"

#include <QObject>
#include <QPointer>

class QProgressDialog;
class QWidget;

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
    /// metrics endpoint. Not saved with the user's profiles (the demo's socket may move).
    static services::ConnectionProfile profile(const DemoConnection& connection);

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
    DemoLauncher m_launcher;
    QProgressDialog* m_dialog = nullptr;
    bool m_quitting = false;
    int m_exitCode = 0;
};

} // namespace qc::console
