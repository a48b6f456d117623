#include "demomode.h"

#include "services/logging.h"
#include "services/session.h"
#include "services/settingsstore.h"

#include <QDir>
#include <QMainWindow>
#include <QMessageBox>
#include <QProgressDialog>
#include <QStatusBar>
#include <QUuid>
#include <QWidget>

#include <algorithm>

namespace qc::console {

DemoMode::DemoMode(QWidget* window, QObject* parent)
    : QObject(parent)
    , m_window(window)
{
    connect(&m_launcher, &DemoLauncher::progress, this, [this](const QString& text, int percent) {
        if (m_quitting)
            return;
        showProgress(tr("Starting the demo"), text, percent, true);
        // Also behind the dialog: the window says what it is waiting for.
        if (auto* mainWindow = qobject_cast<QMainWindow*>(m_window.data()))
            mainWindow->statusBar()->showMessage(tr("Starting the demo: %1").arg(text));
    });
    connect(&m_launcher, &DemoLauncher::ready, this, [this](const DemoConnection& connection) {
        if (m_dialog)
            m_dialog->hide();
        Q_EMIT connected(connection);
    });
    connect(&m_launcher, &DemoLauncher::failed, this, [this](const QString& message) {
        if (m_dialog)
            m_dialog->hide();
        if (auto* mainWindow = qobject_cast<QMainWindow*>(m_window.data()))
            mainWindow->statusBar()->showMessage(tr("The demo could not start."));
        if (!m_quitting) {
            // quotactl's messages start in lower case (they continue "quotactl demo: ...").
            QString sentence = message;
            if (!sentence.isEmpty())
                sentence[0] = sentence.at(0).toUpper();
            QMessageBox::critical(m_window, tr("The demo could not start"), sentence);
        }
        m_exitCode = 1;
        quit(1);
    });
    connect(&m_launcher, &DemoLauncher::stopped, this, [this] {
        if (m_dialog)
            m_dialog->hide();
        Q_EMIT finished(m_exitCode);
    });
}

DemoMode::~DemoMode() = default;

QString DemoMode::profileId(const QString& directory)
{
    // A name-based (version 5) UUID of the demo directory, in a namespace of the console's own.
    static const QUuid kNamespace(QStringLiteral("5b0e3f7c-2d1a-4c8e-9a47-3e6d1c0f9b21"));
    return QUuid::createUuidV5(kNamespace, QDir::cleanPath(directory))
        .toString(QUuid::WithoutBraces);
}

services::ConnectionProfile DemoMode::profile(
    const DemoConnection& connection, const services::ConnectionProfile* saved)
{
    services::ConnectionProfile p;
    if (saved) {
        p = *saved;
    } else {
        p = services::ConnectionProfile::create(tr("Demo"), QStringLiteral("DEMO"));
        p.scrapeIntervalSeconds = 5;
    }
    p.id = profileId(connection.directory);
    p.setDatabaseConninfo(connection.conninfo);
    p.replicaConninfo.clear();
    const QString loadgenId = QStringLiteral("loadgen");
    p.metricsEndpoints.erase(
        std::remove_if(p.metricsEndpoints.begin(), p.metricsEndpoints.end(),
            [&](const services::HttpEndpoint& e) { return e.id == loadgenId; }),
        p.metricsEndpoints.end());
    if (connection.metricsUrl.isValid() && !connection.metricsUrl.isEmpty()) {
        services::HttpEndpoint loadgen;
        loadgen.id = loadgenId;
        loadgen.name = QStringLiteral("loadgen");
        loadgen.url = connection.metricsUrl;
        p.metricsEndpoints.prepend(loadgen);
    }
    return p;
}

void DemoMode::connectConsole(services::Session* session, services::SettingsStore* settings)
{
    m_session = session;
    connect(this, &DemoMode::connected, session,
        [this, session, settings](const DemoConnection& connection) {
            const QString id = profileId(connection.directory);
            m_profileId = id;
            const services::ConnectionProfile p
                = profile(connection, settings->settings().profile(id));
            if (const QString error
                = settings->update([&](services::ConsoleSettings& s) { s.upsert(p); });
                !error.isEmpty())
                services::logger()->warn("saving the DEMO profile: {}", services::toLog(error));
            services::logger()->info(
                "connecting to the demo ({})", services::toLog(connection.directory));
            // No secrets: the demo's database trusts local connections.
            session->connectTo(p);
        });
}

void DemoMode::start()
{
    m_launcher.start();
}

void DemoMode::quit(int exitCode)
{
    if (exitCode != 0)
        m_exitCode = exitCode;
    if (m_quitting)
        return;
    m_quitting = true;
    // The console lets go of the demo's database before it stops (no outage notices, no
    // reconnects while PostgreSQL shuts down).
    if (m_session && m_session->isActive() && !m_profileId.isEmpty()
        && m_session->profile().id == m_profileId)
        m_session->disconnectFromProfile();
    if (m_launcher.ownsDemo() || m_launcher.isStarting())
        showProgress(tr("Stopping the demo"),
            tr("Stopping live traffic, the alert evaluator and PostgreSQL…"), -1, false);
    m_launcher.stop();
}

void DemoMode::showProgress(
    const QString& title, const QString& text, int percent, bool cancellable)
{
    if (!m_dialog) {
        m_dialog = new QProgressDialog(m_window);
        m_dialog->setWindowModality(Qt::WindowModal);
        m_dialog->setMinimumDuration(0);
        m_dialog->setAutoClose(false);
        m_dialog->setAutoReset(false);
        m_dialog->setMinimumWidth(420);
        connect(m_dialog, &QProgressDialog::canceled, this, [this] { quit(1); });
    }
    m_dialog->setWindowTitle(title);
    m_dialog->setLabelText(text);
    m_dialog->setCancelButtonText(cancellable ? tr("Cancel") : QString());
    if (percent < 0) {
        m_dialog->setRange(0, 0);
    } else {
        m_dialog->setRange(0, 100);
        m_dialog->setValue(percent);
    }
    m_dialog->show();
}

} // namespace qc::console
