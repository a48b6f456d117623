#include "command.h"

#include <cstdio>
#include <unistd.h>

namespace qc::cli {

using namespace Qt::StringLiterals;

namespace {
void writeTo(std::FILE* stream, const QString& text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, static_cast<std::size_t>(bytes.size()), stream);
    std::fflush(stream);
}
} // namespace

void printOut(const QString& text)
{
    writeTo(stdout, text);
}

void printError(const QString& text)
{
    writeTo(stderr, text);
}

void printCommandError(const QString& command, const QString& message)
{
    printError(u"quotactl "_s % command % u": "_s % message % u'\n');
}

int runSubcommand(const QString& command, const QString& usage,
    std::initializer_list<Subcommand> subcommands, const QStringList& arguments)
{
    if (arguments.isEmpty()) {
        printError(usage);
        return ExitUsage;
    }
    const QString& sub = arguments.constFirst();
    if (sub == u"-h"_s || sub == u"--help"_s) {
        printOut(usage);
        return ExitOk;
    }
    QStringList names;
    for (const Subcommand& subcommand : subcommands) {
        if (sub == QStringView(subcommand.name))
            return subcommand.run(arguments.mid(1));
        names.append(QString::fromUtf16(subcommand.name));
    }
    QString expected = names.value(0);
    if (names.size() > 1)
        expected = names.mid(0, names.size() - 1).join(u", "_s) % u" or "_s % names.constLast();
    printError(u"quotactl "_s % command % u": unknown subcommand '"_s % sub % u"'; expected "_s
        % expected % u".\n"_s);
    return ExitUsage;
}

bool stderrIsTerminal()
{
    return ::isatty(STDERR_FILENO) == 1;
}

ArgumentParser::ArgumentParser(QString command, QString synopsis, QString description)
    : m_command(std::move(command))
    , m_synopsis(std::move(synopsis))
    , m_description(std::move(description))
    , m_helpOption(QStringList { QStringLiteral("h"), QStringLiteral("help") },
          QStringLiteral("Shows this help."))
{
    m_parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    m_parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    m_parser.setApplicationDescription(m_description);
    m_parser.addOption(m_helpOption);
}

void ArgumentParser::addPositional(
    const QString& name, const QString& description, const QString& syntax)
{
    m_parser.addPositionalArgument(name, description, syntax);
}

std::optional<int> ArgumentParser::parse(const QStringList& arguments)
{
    // QCommandLineParser expects the program name first.
    QStringList withProgram { u"quotactl "_s % m_command };
    withProgram += arguments;
    const bool parsed = m_parser.parse(withProgram);
    // --help wins over any other mistake on the line: it is what the user asked for.
    if (m_parser.isSet(m_helpOption)) {
        printOut(helpText());
        return ExitOk;
    }
    if (!parsed)
        return usageError(m_parser.errorText());
    return std::nullopt;
}

QString ArgumentParser::helpText() const
{
    // Replace Qt's usage line (it names the executable path) with the command's own.
    QString text = m_parser.helpText();
    const qsizetype firstLineEnd = text.indexOf(u'\n');
    const QString usage = u"Usage: quotactl "_s % m_command
        % (m_synopsis.isEmpty() ? QString() : u" "_s % m_synopsis);
    if (firstLineEnd >= 0)
        text = usage % u'\n' % text.mid(firstLineEnd);
    else
        text = usage % u'\n';
    return text;
}

int ArgumentParser::usageError(const QString& message) const
{
    printError(u"quotactl "_s % m_command % u": "_s % message % u"\nRun 'quotactl "_s % m_command
        % u" --help' for usage.\n"_s);
    return ExitUsage;
}

} // namespace qc::cli
