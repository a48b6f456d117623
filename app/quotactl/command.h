#pragma once

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include <initializer_list>
#include <optional>

namespace qc::cli {

/// Exit codes of every quotactl command.
enum ExitCode : int {
    ExitOk = 0,
    ExitFailure = 1, // the command ran and found a problem (bad policy, unreadable trace, ...)
    ExitUsage = 2, // the command line itself is wrong
};

/// One top-level command of quotactl. `run` gets the arguments after the command name.
struct Command {
    const char* name;
    const char* summary;
    int (*run)(const QStringList& arguments);
};

// The commands, one file each (simulate.cpp, policy.cpp, trace.cpp, ...); the table that
// registers them is in main.cpp.
extern const Command simulateCommand;
extern const Command policyCommand;
extern const Command traceCommand;
extern const Command migrateCommand;
extern const Command scrapeCommand;
extern const Command alertsCommand;
extern const Command loadgenCommand;
extern const Command demoCommand;

/// Writes to stdout / stderr (UTF-8), without buffering surprises between the two.
void printOut(const QString& text);
void printError(const QString& text);
/// "quotactl <command>: <message>" on stderr, for errors a person can act on.
void printCommandError(const QString& command, const QString& message);

/// True when stderr is a terminal, i.e. progress indications can be shown.
bool stderrIsTerminal();

/// One subcommand of a command with subcommands (`quotactl policy validate`, ...).
struct Subcommand {
    const char16_t* name;
    int (*run)(const QStringList& arguments);
};

/// Runs the subcommand `arguments` starts with: prints `usage` for none (exit 2) or for
/// -h/--help (exit 0), and names the expected ones for an unknown one (exit 2).
int runSubcommand(const QString& command, const QString& usage,
    std::initializer_list<Subcommand> subcommands, const QStringList& arguments);

/// A command-line parser for `quotactl <command>`: adds --help, parses `arguments`, prints help
/// (exit 0) or the problem (exit 2) when due. Returns an exit code when the command must stop.
class ArgumentParser {
public:
    /// `command` is e.g. "policy validate", `synopsis` the part after it in the usage line.
    ArgumentParser(QString command, QString synopsis, QString description);

    QCommandLineParser& parser() { return m_parser; }
    void addOption(const QCommandLineOption& option) { m_parser.addOption(option); }
    void addPositional(const QString& name, const QString& description, const QString& syntax);
    /// Parses; nullopt = go on, else the exit code to return right away.
    std::optional<int> parse(const QStringList& arguments);
    QString helpText() const;
    /// Reports a usage error (exit 2) naming the command; returns ExitUsage.
    int usageError(const QString& message) const;
    const QString& command() const { return m_command; }

private:
    QString m_command;
    QString m_synopsis;
    QString m_description;
    QCommandLineParser m_parser;
    QCommandLineOption m_helpOption;
};

} // namespace qc::cli
