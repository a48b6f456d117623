#pragma once

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace qc::testsupport {

/// What a finished `quotactl` run left: its exit code (-1 = it did not finish normally) and
/// its output.
struct QuotactlRun {
    int exitCode = -1;
    QString out;
    QString err;

    /// "exit N", stdout and stderr, for the message of a failed check.
    QByteArray describe() const;
};

/// The quotactl of this build tree.
QString quotactlPath();

/// Runs quotactl with `arguments` (and `environment` when not empty) to its end, as a user
/// would. The calling thread's event loop keeps running meanwhile, so a test can serve
/// HTTP endpoints the command reads.
QuotactlRun runQuotactl(const QStringList& arguments, const QProcessEnvironment& environment = {},
    int timeoutMs = 120000);

} // namespace qc::testsupport
