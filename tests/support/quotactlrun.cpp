#include "quotactlrun.h"

#include <QProcess>
#include <QSignalSpy>

namespace qc::testsupport {

using namespace Qt::StringLiterals;

QByteArray QuotactlRun::describe() const
{
    return (
        u"exit "_s + QString::number(exitCode) + u"\nstdout:\n"_s + out + u"\nstderr:\n"_s + err)
        .toUtf8();
}

QString quotactlPath()
{
    return QStringLiteral(QC_QUOTACTL_PATH);
}

QuotactlRun runQuotactl(
    const QStringList& arguments, const QProcessEnvironment& environment, int timeoutMs)
{
    QProcess process;
    if (!environment.isEmpty())
        process.setProcessEnvironment(environment);
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(quotactlPath(), arguments);
    QuotactlRun run;
    if (!process.waitForStarted() || !finished.wait(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        qWarning("quotactl %s did not finish", qPrintable(arguments.join(u' ')));
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

} // namespace qc::testsupport
