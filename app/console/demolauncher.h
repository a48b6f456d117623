#pragma once

#include <QByteArray>
#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QUrl>

class QJsonObject;

namespace qc::console {

/// Where the console finds the demo once it runs (from `quotactl demo status`).
struct DemoConnection {
    QString conninfo; // libpq string to the demo database as demo_admin (quota_admin)
    QUrl metricsUrl; // loadgen's /metrics on 127.0.0.1
    QString directory; // $XDG_DATA_HOME/quota-console/demo
    QString socket;
    bool startedHere = false; // false: it already ran (quotactl demo start); left running at exit
};

/// Runs the demo for the console as a child process — `quotactl demo start --foreground
/// --progress-fd 1 --parent-pid <console>` — so the GUI never waits: progress and the result
/// arrive as signals. The child stops everything it started when asked (stop()) and also when
/// the console dies (parent-death signal). A demo that already runs is reused, not stopped.
class DemoLauncher final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY(DemoLauncher)

public:
    explicit DemoLauncher(QObject* parent = nullptr);
    ~DemoLauncher() override;

    /// quotactl next to quota-console (installed: /usr/bin; build tree: ../quotactl/), else on
    /// PATH; $QC_QUOTACTL first. Empty with `error` set when there is none.
    static QString findQuotactl(QString* error);
    void setQuotactl(const QString& path) { m_quotactl = path; }
    /// Options for `quotactl demo start` (e.g. --backfill 1d in tests).
    void setStartArguments(const QStringList& arguments) { m_arguments = arguments; }

    void start();
    /// Stops the demo if this launcher started it; stopped() follows (at once when not).
    void stop();
    bool isStarting() const { return m_state == State::Starting; }
    bool isRunning() const { return m_state == State::Running; }
    bool ownsDemo() const;

    /// A progress event as the console shows it, translated; `overall` gets 0..100.
    static QString describe(const QString& step, int percent, const QString& detail, int* overall);

Q_SIGNALS:
    void progress(const QString& text, int overallPercent);
    void ready(const qc::console::DemoConnection& connection);
    void failed(const QString& message);
    void stopped();

private:
    enum class State { Idle, Starting, Running, Stopping, Done };
    void onOutput();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onEvent(const QByteArray& line);
    QString errorTail() const;
    void becomeReady(const QJsonObject& status, bool startedHere);
    void pollStatus();
    void onStatus();

    QString m_quotactl;
    QStringList m_arguments;
    QProcess m_process;
    QByteArray m_buffer;
    QByteArray m_errors;
    State m_state = State::Idle;
    bool m_owned = false;
    bool m_waitingForOther = false; // another process is starting the demo
    QTimer m_statusTimer;
    QProcess m_statusProcess;
};

} // namespace qc::console

Q_DECLARE_METATYPE(qc::console::DemoConnection)
