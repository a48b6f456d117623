#include "logging.h"

#include <QDir>
#include <QMutex>
#include <QStandardPaths>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

namespace qc::services {

using namespace Qt::StringLiterals;

namespace {

QMutex g_mutex;
std::shared_ptr<spdlog::logger> g_logger;
QString g_file;
QString g_dataDirectory;
spdlog::level::level_enum g_level = spdlog::level::info;
bool g_handlerInstalled = false;

std::shared_ptr<spdlog::logger> stderrLogger()
{
    auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    sink->set_level(spdlog::level::warn);
    return std::make_shared<spdlog::logger>("quota-console", sink);
}

void qtMessageHandler(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    spdlog::level::level_enum level = spdlog::level::info;
    switch (type) {
    case QtDebugMsg:
        level = spdlog::level::debug;
        break;
    case QtInfoMsg:
        level = spdlog::level::info;
        break;
    case QtWarningMsg:
        level = spdlog::level::warn;
        break;
    case QtCriticalMsg:
        level = spdlog::level::err;
        break;
    case QtFatalMsg:
        level = spdlog::level::critical;
        break;
    }
    const auto log = logger();
    if (context.category && qstrcmp(context.category, "default") != 0)
        log->log(level, "[{}] {}", context.category, message.toStdString());
    else
        log->log(level, "{}", message.toStdString());
    if (type == QtFatalMsg) {
        log->flush();
        std::abort();
    }
}

} // namespace

QString dataDirectory()
{
    QMutexLocker locker(&g_mutex);
    if (!g_dataDirectory.isEmpty())
        return g_dataDirectory;
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

void setDataDirectory(const QString& directory)
{
    QMutexLocker locker(&g_mutex);
    g_dataDirectory = directory;
}

QString logDirectory()
{
    const QString env = qEnvironmentVariable("QUOTA_CONSOLE_LOG_DIR");
    if (!env.isEmpty())
        return env;
    return dataDirectory() + u"/logs"_s;
}

bool setLogLevel(const QString& level)
{
    const std::string name = level.toStdString();
    const spdlog::level::level_enum value = spdlog::level::from_str(name);
    // from_str answers "off" for names it does not know.
    if (value == spdlog::level::off && name != "off")
        return false;
    QMutexLocker locker(&g_mutex);
    g_level = value;
    if (g_logger)
        g_logger->set_level(value);
    return true;
}

QString initLogging(const QString& directory)
{
    QMutexLocker locker(&g_mutex);
    QString error;
    std::vector<spdlog::sink_ptr> sinks;
    auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    console->set_level(spdlog::level::warn);
    sinks.push_back(console);
    if (!QDir().mkpath(directory)) {
        error = u"cannot create the log directory %1"_s.arg(directory);
    } else {
        const QString file = QDir(directory).filePath(u"quota-console.log"_s);
        try {
            auto rotating = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
                file.toStdString(), 5 * 1024 * 1024, 5);
            rotating->set_level(spdlog::level::trace);
            sinks.push_back(rotating);
            g_file = file;
        } catch (const spdlog::spdlog_ex& e) {
            error = u"cannot write the log file %1: %2"_s.arg(file, QString::fromUtf8(e.what()));
        }
    }
    auto log = std::make_shared<spdlog::logger>("quota-console", sinks.begin(), sinks.end());
    log->set_level(g_level);
    log->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ [%t] %v");
    log->flush_on(spdlog::level::warn);
    g_logger = log;
    if (!g_handlerInstalled) {
        qInstallMessageHandler(qtMessageHandler);
        g_handlerInstalled = true;
    }
    return error;
}

std::shared_ptr<spdlog::logger> logger()
{
    QMutexLocker locker(&g_mutex);
    if (!g_logger)
        g_logger = stderrLogger();
    return g_logger;
}

QString logFilePath()
{
    QMutexLocker locker(&g_mutex);
    return g_file;
}

void flushLog()
{
    logger()->flush();
}

} // namespace qc::services
