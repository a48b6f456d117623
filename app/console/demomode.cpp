#include "demomode.h"

#include <QMessageBox>
#include <QProgressDialog>
#include <QWidget>

namespace qc::console {

DemoMode::DemoMode(QWidget* window, QObject* parent)
    : QObject(parent)
    , m_window(window)
{
    connect(&m_launcher, &DemoLauncher::progress, this, [this](const QString& text, int percent) {
        if (!m_quitting)
            showProgress(tr("Starting the demo"), text, percent, true);
    });
    connect(&m_launcher, &DemoLauncher::ready, this, [this](const DemoConnection& connection) {
        if (m_dialog)
            m_dialog->hide();
        Q_EMIT connected(connection);
    });
    connect(&m_launcher, &DemoLauncher::failed, this, [this](const QString& message) {
        if (m_dialog)
            m_dialog->hide();
        if (!m_quitting)
            QMessageBox::critical(m_window, tr("The demo could not start"), message);
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

services::ConnectionProfile DemoMode::profile(const DemoConnection& connection)
{
    services::ConnectionProfile p
        = services::ConnectionProfile::create(tr("Demo"), QStringLiteral("DEMO"));
    p.setDatabaseConninfo(connection.conninfo);
    if (connection.metricsUrl.isValid() && !connection.metricsUrl.isEmpty()) {
        services::HttpEndpoint loadgen;
        loadgen.id = QStringLiteral("loadgen");
        loadgen.name = QStringLiteral("loadgen");
        loadgen.url = connection.metricsUrl;
        p.metricsEndpoints = { loadgen };
    }
    p.scrapeIntervalSeconds = 5;
    return p;
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
