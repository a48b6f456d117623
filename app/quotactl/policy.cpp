#include "command.h"
#include "policy/policyjson.h"

using namespace Qt::StringLiterals;

namespace qc::cli {

namespace {

QString subcommandUsage()
{
    return u"Usage: quotactl policy <subcommand> [options]\n\n"
           u"Checks, compares and shows rate-limit policies (docs/policy.md).\n\n"
           u"Subcommands:\n"
           u"  validate FILE...         Checks policy files; prints every error with its JSON "
           u"path.\n"
           u"  diff BASE CANDIDATE      Lists what changes from BASE to CANDIDATE.\n"
           u"  show-default             Prints the built-in default policy.\n\n"
           u"Run 'quotactl policy <subcommand> --help' for details.\n"_s;
}

/// "file: message" lines for every error of a policy file.
void printLoadErrors(const QString& fileName, const policy::LoadResult& result)
{
    for (const policy::PolicyError& error : result.errors)
        printError(fileName % u": "_s % error.toString() % u'\n');
}

int runValidate(const QStringList& arguments)
{
    ArgumentParser args(u"policy validate"_s, u"FILE..."_s,
        u"Checks policy files against docs/policy.md. Prints every error with "
        u"its JSON path on stderr;\nexits 1 when any file is invalid."_s);
    args.addPositional(u"FILE"_s, u"Policy files (JSON) to check."_s, u"FILE..."_s);
    if (const auto exit = args.parse(arguments))
        return *exit;
    const QStringList files = args.parser().positionalArguments();
    if (files.isEmpty())
        return args.usageError(u"no policy file given"_s);

    int invalid = 0;
    for (const QString& file : files) {
        const policy::LoadResult result = policy::loadPolicyFile(file);
        if (result.ok()) {
            printOut(file % u": valid ("_s % QString::number(result.policy->rules.size())
                % u" rules, "_s % QString::number(result.policy->plans.size()) % u" plans)\n"_s);
        } else {
            ++invalid;
            printLoadErrors(file, result);
        }
    }
    if (invalid > 0) {
        printError(QString::number(invalid) % u" of "_s % QString::number(files.size())
            % u" policy files invalid\n"_s);
        return ExitFailure;
    }
    return ExitOk;
}

int runDiff(const QStringList& arguments)
{
    ArgumentParser args(u"policy diff"_s, u"BASE CANDIDATE"_s,
        u"Lists what changes from the BASE policy to the CANDIDATE policy: rules, "
        u"plans, quotas,\nabuse patterns and settings, one change per line. "
        u"Use '-' for the built-in default policy."_s);
    args.addPositional(u"BASE"_s, u"The policy in force (file, or - for the default)."_s, {});
    args.addPositional(u"CANDIDATE"_s, u"The proposed policy (file, or - for the default)."_s, {});
    if (const auto exit = args.parse(arguments))
        return *exit;
    const QStringList files = args.parser().positionalArguments();
    if (files.size() != 2)
        return args.usageError(u"expected two policy files, BASE and CANDIDATE, got "_s
            % QString::number(files.size()));

    std::optional<enforcement::Policy> policies[2];
    bool failed = false;
    for (int i = 0; i < 2; ++i) {
        if (files[i] == u"-"_s) {
            policies[i] = policy::defaultPolicy();
            continue;
        }
        policy::LoadResult result = policy::loadPolicyFile(files[i]);
        if (!result.ok()) {
            printLoadErrors(files[i], result);
            failed = true;
            continue;
        }
        policies[i] = std::move(result.policy);
    }
    if (failed)
        return ExitFailure;

    const QList<policy::PolicyChange> changes = policy::diff(*policies[0], *policies[1]);
    if (changes.isEmpty()) {
        printOut(u"no differences\n"_s);
        return ExitOk;
    }
    QString text;
    for (const policy::PolicyChange& change : changes)
        text += change.toString() % u'\n';
    printOut(text);
    return ExitOk;
}

int runShowDefault(const QStringList& arguments)
{
    ArgumentParser args(u"policy show-default"_s, {},
        u"Prints the built-in default policy (resources/policies/default.json) "
        u"as JSON on stdout,\na starting point for a candidate policy."_s);
    if (const auto exit = args.parse(arguments))
        return *exit;
    if (!args.parser().positionalArguments().isEmpty())
        return args.usageError(
            u"unexpected argument '"_s % args.parser().positionalArguments().constFirst() % u"'"_s);
    QByteArray json = policy::defaultPolicyJson();
    if (!json.endsWith('\n'))
        json.append('\n');
    printOut(QString::fromUtf8(json));
    return ExitOk;
}

int runPolicy(const QStringList& arguments)
{
    return runSubcommand(u"policy"_s, subcommandUsage(),
        { { u"validate", &runValidate }, { u"diff", &runDiff },
            { u"show-default", &runShowDefault } },
        arguments);
}

} // namespace

const Command policyCommand { "policy", "Validate, compare or show rate-limit policies",
    &runPolicy };

} // namespace qc::cli
