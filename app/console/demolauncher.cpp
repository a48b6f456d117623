#include "demolauncher.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

#include <csignal>

namespace qc::console {

DemoLauncher::DemoLauncher(QObject* parent)
    : QObject(parent)
{
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &DemoLauncher::onOutput);
    connect(&m_process, &QProcess::readyReadStandardError, this, [this] {
        m_errors += m_process.readAllStandardError();
        if (m_errors.size() > 64 * 1024)
            m_errors = m_errors.right(32 * 1024);
    });
    connect(&m_process, &QProcess::finished, this, &DemoLauncher::onFinished);
    m_statusTimer.setInterval(1000);
    connect(&m_statusTimer, &QTimer::timeout, this, &DemoLauncher::pollStatus);
    connect(&m_statusProcess, &QProcess::finished, this, &DemoLauncher::onStatus);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart && m_state == State::Starting) {
            m_state = State::Done;
            Q_EMIT failed(tr("Cannot run %1: %2").arg(m_quotactl, m_process.errorString()));
        }
    });
}

DemoLauncher::~DemoLauncher()
{
    // Normally stopped before; a destroyed launcher must not leave the demo behind either.
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate();
        if (!m_process.waitForFinished(60000))
            m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString DemoLauncher::findQuotactl(QString* error)
{
    const QString fromEnvironment = qEnvironmentVariable("QC_QUOTACTL");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    const QString here = QCoreApplication::applicationDirPath();
    QStringList candidates { here + QStringLiteral("/quotactl"),
        QDir::cleanPath(here + QStringLiteral("/../quotactl/quotactl")) };
    for (const QString& candidate : std::as_const(candidates)) {
        if (QFileInfo(candidate).isExecutable())
            return candidate;
    }
    const QString onPath = QStandardPaths::findExecutable(QStringLiteral("quotactl"));
    if (!onPath.isEmpty())
        return onPath;
    if (error)
        *error = tr("quotactl, which runs the demo, was not found next to quota-console (%1) nor "
                    "on PATH; install it with the quota-console package or build it "
                    "(cmake --build build --target quotactl).")
                     .arg(here);
    return {};
}

bool DemoLauncher::ownsDemo() const
{
    return m_owned && m_process.state() != QProcess::NotRunning;
}

void DemoLauncher::start()
{
    if (m_state == State::Starting || m_state == State::Running)
        return;
    if (m_quotactl.isEmpty()) {
        QString error;
        m_quotactl = findQuotactl(&error);
        if (m_quotactl.isEmpty()) {
            m_state = State::Done;
            Q_EMIT failed(error);
            return;
        }
    }
    m_state = State::Starting;
    m_owned = false;
    m_buffer.clear();
    m_errors.clear();
    Q_EMIT progress(describe(QStringLiteral("prepare"), 0, {}, nullptr), 0);
    m_process.start(m_quotactl,
        QStringList { QStringLiteral("demo"), QStringLiteral("start"),
            QStringLiteral("--foreground"), QStringLiteral("--progress-fd"), QStringLiteral("1"),
            QStringLiteral("--parent-pid"), QString::number(QCoreApplication::applicationPid()) }
            + m_arguments);
}

void DemoLauncher::stop()
{
    m_statusTimer.stop();
    m_waitingForOther = false;
    if (m_process.state() == QProcess::NotRunning) {
        m_state = State::Done;
        Q_EMIT stopped();
        return;
    }
    if (m_state == State::Stopping)
        return;
    m_state = State::Stopping;
    // SIGTERM: the supervisor stops loadgen, the evaluator and PostgreSQL, then exits.
    m_process.terminate();
}

void DemoLauncher::onOutput()
{
    m_buffer += m_process.readAllStandardOutput();
    qsizetype newline;
    while ((newline = m_buffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_buffer.left(newline);
        m_buffer.remove(0, newline + 1);
        onEvent(line);
    }
}

void DemoLauncher::onEvent(const QByteArray& line)
{
    const QJsonObject event = QJsonDocument::fromJson(line).object();
    const QString kind = event.value(QStringLiteral("event")).toString();
    if (kind == QStringLiteral("step")) {
        int overall = 0;
        const QString text = describe(event.value(QStringLiteral("step")).toString(),
            event.value(QStringLiteral("percent")).toInt(),
            event.value(QStringLiteral("length")).toString(), &overall);
        Q_EMIT progress(text, overall);
    } else if (kind == QStringLiteral("ready")) {
        becomeReady(event.value(QStringLiteral("status")).toObject(), true);
    } else if (kind == QStringLiteral("already_running")) {
        const QJsonObject status = event.value(QStringLiteral("status")).toObject();
        if (status.value(QStringLiteral("state")).toString() == QStringLiteral("running")) {
            becomeReady(status, false);
        } else {
            // Another process (quotactl demo start) is starting it: wait until it runs.
            m_waitingForOther = true;
            Q_EMIT progress(tr("Another process is starting the demo…"), 0);
            m_statusTimer.start();
        }
    } else if (kind == QStringLiteral("error") || kind == QStringLiteral("stopped")) {
        if (m_state == State::Starting) {
            m_state = State::Done;
            Q_EMIT failed(event.value(QStringLiteral("message")).toString());
        }
    }
}

void DemoLauncher::becomeReady(const QJsonObject& status, bool startedHere)
{
    DemoConnection c;
    c.conninfo = status.value(QStringLiteral("conninfo")).toString();
    c.metricsUrl = QUrl(status.value(QStringLiteral("loadgen"))
                            .toObject()
                            .value(QStringLiteral("metrics_url"))
                            .toString());
    c.directory = status.value(QStringLiteral("directory")).toString();
    c.socket = status.value(QStringLiteral("cluster"))
                   .toObject()
                   .value(QStringLiteral("socket"))
                   .toString();
    c.startedHere = startedHere;
    m_owned = startedHere;
    m_waitingForOther = false;
    if (m_state == State::Starting) {
        m_state = State::Running;
        Q_EMIT progress(tr("Connecting…"), 100);
        Q_EMIT ready(c);
    }
}

void DemoLauncher::pollStatus()
{
    if (!m_waitingForOther || m_state != State::Starting
        || m_statusProcess.state() != QProcess::NotRunning)
        return;
    m_statusProcess.start(
        m_quotactl, { QStringLiteral("demo"), QStringLiteral("status"), QStringLiteral("--json") });
}

void DemoLauncher::onStatus()
{
    if (!m_waitingForOther || m_state != State::Starting)
        return;
    const QJsonObject status
        = QJsonDocument::fromJson(m_statusProcess.readAllStandardOutput()).object();
    const QString state = status.value(QStringLiteral("state")).toString();
    if (state == QStringLiteral("running")) {
        m_statusTimer.stop();
        becomeReady(status, false);
    } else if (state == QStringLiteral("starting")) {
        int overall = 0;
        const QString text = describe(status.value(QStringLiteral("step")).toString(), 0,
            status.value(QStringLiteral("backfill"))
                .toObject()
                .value(QStringLiteral("length"))
                .toString(),
            &overall);
        Q_EMIT progress(tr("Another process is starting the demo: %1").arg(text), overall);
    } else {
        m_statusTimer.stop();
        m_waitingForOther = false;
        m_state = State::Done;
        Q_EMIT failed(tr("The demo that another process was starting did not come up (it is %1 "
                         "now); 'quotactl demo status' and its logs in %2 say more.")
                          .arg(state.isEmpty() ? tr("unknown") : state,
                              status.value(QStringLiteral("directory")).toString()
                                  + QStringLiteral("/logs")));
    }
}

QString DemoLauncher::errorTail() const
{
    QStringList lines = QString::fromUtf8(m_errors).trimmed().split(QLatin1Char('\n'));
    return lines.mid(qMax(0, lines.size() - 12)).join(QLatin1Char('\n'));
}

void DemoLauncher::onFinished(int exitCode, QProcess::ExitStatus status)
{
    onOutput();
    const State was = m_state;
    if ((was == State::Running && !m_owned) || (was == State::Starting && m_waitingForOther))
        return; // it only found the demo running (or starting); the demo goes on
    m_state = State::Done;
    if (was == State::Starting) {
        Q_EMIT failed(tr("quotactl demo ended before the demo was ready (%1):\n%2")
                          .arg(status == QProcess::CrashExit ? tr("crashed")
                                                             : tr("exit status %1").arg(exitCode),
                              errorTail()));
    } else if (was == State::Running && m_owned) {
        // The supervisor went away while the console used the demo.
        Q_EMIT failed(tr("The demo stopped unexpectedly:\n%1").arg(errorTail()));
    }
    if (was == State::Stopping || was == State::Running)
        Q_EMIT stopped();
}

QString DemoLauncher::describe(
    const QString& step, int percent, const QString& detail, int* overall)
{
    struct Step {
        const char* id;
        int from;
        int to;
    };
    // The backfill is most of a first start.
    static const Step steps[] = { { "prepare", 0, 2 }, { "initdb", 2, 6 }, { "postgres", 6, 9 },
        { "migrate", 9, 12 }, { "seed", 12, 15 }, { "backfill", 15, 92 }, { "loadgen", 92, 96 },
        { "evaluator", 96, 99 } };
    if (overall) {
        *overall = 0;
        for (const Step& s : steps) {
            if (step == QLatin1StringView(s.id))
                *overall = s.from + (s.to - s.from) * qBound(0, percent, 100) / 100;
        }
    }
    if (step == QStringLiteral("prepare"))
        return tr("Checking PostgreSQL…");
    if (step == QStringLiteral("initdb"))
        return tr("Creating the PostgreSQL cluster…");
    if (step == QStringLiteral("postgres"))
        return tr("Starting PostgreSQL…");
    if (step == QStringLiteral("migrate"))
        return tr("Migrating…");
    if (step == QStringLiteral("seed"))
        return tr("Seeding plans and users…");
    if (step == QStringLiteral("backfill")) {
        // The bar shows the whole start; the label says how far the backfill itself is, in
        // days rather than a second percentage.
        const QString& length = detail;
        bool isDays = length.endsWith(QLatin1Char('d'));
        const int days = isDays ? length.chopped(1).toInt(&isDays) : 0;
        if (isDays && days == 1)
            return tr("Backfilling 1 day of history…");
        if (isDays && days > 1)
            return tr("Backfilling %1 days of history: %2 done…")
                .arg(days)
                .arg(days * qBound(0, percent, 100) / 100);
        return tr("Backfilling %1 of history…").arg(length);
    }
    if (step == QStringLiteral("loadgen"))
        return tr("Starting live traffic…");
    if (step == QStringLiteral("evaluator"))
        return tr("Starting the alert evaluator…");
    return step;
}

} // namespace qc::console
