// quotactl: the command-line side of Quota Console. This file only dispatches; every command
// lives in its own file of the qc_cli library (simulate.cpp, policy.cpp, trace.cpp, ...).

#include "command.h"

#include <QCoreApplication>

#include <array>
#include <cstring>

using namespace Qt::StringLiterals;

namespace {

// The command table. To add a command (e.g. `migrate`):
//   1. write app/quotactl/migrate.cpp defining `const Command migrateCommand{"migrate",
//      "<one-line summary>", &runMigrate};` in namespace qc::cli, where runMigrate gets the
//      arguments after the command name and returns an ExitCode (handle --help with
//      ArgumentParser from command.h);
//   2. declare `extern const Command migrateCommand;` in command.h;
//   3. list migrate.cpp (and any library it needs) in app/quotactl/CMakeLists.txt;
//   4. add `&qc::cli::migrateCommand,` below. --help lists the commands in this order.
const auto kCommands = std::to_array<const qc::cli::Command*>({
    &qc::cli::simulateCommand,
    &qc::cli::policyCommand,
    &qc::cli::traceCommand,
    &qc::cli::migrateCommand,
    &qc::cli::scrapeCommand,
    &qc::cli::alertsCommand,
    &qc::cli::loadgenCommand,
    &qc::cli::demoCommand,
});

QString usage()
{
    QString text = u"Usage: quotactl <command> [options]\n\n"
                   u"Administration tool for Quota Console: simulate policies over recorded "
                   u"traffic,\nvalidate and compare policies, generate traces.\n\nCommands:\n"_s;
    for (const qc::cli::Command* command : kCommands) {
        const QString name = QString::fromLatin1(command->name);
        text += u"  "_s % name.leftJustified(12) % u"  "_s % QString::fromUtf8(command->summary)
            % u'\n';
    }
    text += u"\nOptions:\n  -h, --help     Shows this help.\n  --version      Shows the version."
            u"\n\nRun 'quotactl <command> --help' for the options of a command.\n"_s;
    return text;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"quotactl"_s);
    QCoreApplication::setOrganizationName(u"Quota Console"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(QC_VERSION));

    const QStringList arguments = QCoreApplication::arguments().mid(1);
    if (arguments.isEmpty()) {
        qc::cli::printError(usage());
        return qc::cli::ExitUsage;
    }
    const QString& first = arguments.constFirst();
    if (first == u"-h"_s || first == u"--help"_s || first == u"help"_s) {
        qc::cli::printOut(usage());
        return qc::cli::ExitOk;
    }
    if (first == u"--version"_s || first == u"-v"_s) {
        qc::cli::printOut(u"quotactl "_s % QCoreApplication::applicationVersion() % u'\n');
        return qc::cli::ExitOk;
    }
    for (const qc::cli::Command* command : kCommands) {
        if (first == QLatin1StringView(command->name))
            return command->run(arguments.mid(1));
    }
    qc::cli::printError(u"quotactl: unknown command '"_s % first
        % u"'; run 'quotactl --help' for the list of commands.\n"_s);
    return qc::cli::ExitUsage;
}
