#pragma once

#include <QString>

#include <memory>
#include <spdlog/spdlog.h>
#include <string>

namespace qc::services {

/// The console's data directory (logs, the demo): the one set with setDataDirectory() (the
/// Settings dialog), else `<AppDataLocation>` (e.g. ~/.local/share/quota-console).
QString dataDirectory();
/// "" returns to the platform's directory.
void setDataDirectory(const QString& directory);

/// Where the console's log files go: `<dataDirectory()>/logs`, or $QUOTA_CONSOLE_LOG_DIR when set.
QString logDirectory();

/// Sets the level of the log (trace, debug, info, warn, error, critical, off) at once; false for
/// a name that is not a level.
bool setLogLevel(const QString& level);

/// Starts logging to a rotating file (quota-console.log, 5 MiB × 5 files) in `directory` and
/// routes Qt's qDebug/qWarning/... into it. Returns the error when the directory cannot be
/// written (logging then goes to stderr only). Safe to call again (e.g. from tests).
QString initLogging(const QString& directory = logDirectory());

/// The console's logger (stderr until initLogging() ran). Never give it a secret: log
/// connection strings through db::ConnectionString::redacted() and never log HttpAuth.
std::shared_ptr<spdlog::logger> logger();

/// The path of the current log file (empty before initLogging()).
QString logFilePath();

/// Flushes the log file (tests read it; the console flushes on warnings anyway).
void flushLog();

inline std::string toLog(const QString& text)
{
    return text.toStdString();
}

} // namespace qc::services
