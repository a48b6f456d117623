#include "policydocument.h"

#include "policyformat.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace qc::workbench {

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(qc::workbench::PolicyDocument)
};

} // namespace

QString DocumentProblem::toString() const
{
    const QString where = path.toPolicyPath();
    if (syntax)
        return Tr::tr("%1 (line %2, column %3): %4")
            .arg(where)
            .arg(span.line)
            .arg(span.column)
            .arg(message);
    return where % u": "_s % message;
}

PolicyDocument::PolicyDocument(QObject* parent)
    : QObject(parent)
{
    analyse();
}

void PolicyDocument::setText(const QString& text, Origin origin)
{
    if (text == m_text && m_revision > 0)
        return;
    m_text = text;
    analyse();
    ++m_revision;
    Q_EMIT changed(origin);
}

bool PolicyDocument::commit(const QJsonObject& root)
{
    m_text = formatPolicyJson(root);
    analyse();
    ++m_revision;
    Q_EMIT changed(Origin::Form);
    return true;
}

bool PolicyDocument::setValue(const JsonPath& path, const QJsonValue& value)
{
    if (!m_syntaxValid)
        return false;
    QJsonObject root = m_root;
    if (!setValueAt(root, path, value))
        return false;
    if (root == m_root)
        return true;
    return commit(root);
}

bool PolicyDocument::insertItem(const JsonPath& arrayPath, int index, const QJsonValue& item)
{
    if (!m_syntaxValid)
        return false;
    const QJsonValue current = value(arrayPath);
    if (!current.isArray() && !current.isUndefined())
        return false;
    QJsonArray array = current.toArray();
    index = std::clamp(index, 0, static_cast<int>(array.size()));
    array.insert(index, item);
    QJsonObject root = m_root;
    return setValueAt(root, arrayPath, array) && commit(root);
}

bool PolicyDocument::removeItem(const JsonPath& arrayPath, int index)
{
    if (!m_syntaxValid)
        return false;
    QJsonArray array = value(arrayPath).toArray();
    if (index < 0 || index >= array.size())
        return false;
    array.removeAt(index);
    QJsonObject root = m_root;
    return setValueAt(root, arrayPath, array) && commit(root);
}

bool PolicyDocument::moveItem(const JsonPath& arrayPath, int from, int to)
{
    if (!m_syntaxValid)
        return false;
    QJsonArray array = value(arrayPath).toArray();
    if (from < 0 || from >= array.size() || to < 0 || to >= array.size())
        return false;
    if (from == to)
        return true;
    const QJsonValue item = array.at(from);
    array.removeAt(from);
    array.insert(to, item);
    QJsonObject root = m_root;
    return setValueAt(root, arrayPath, array) && commit(root);
}

QStringList PolicyDocument::problemsAt(const JsonPath& path) const
{
    QStringList messages;
    for (const DocumentProblem& p : m_problems) {
        if (!p.syntax && p.path == path)
            messages.push_back(p.message);
    }
    return messages;
}

QString PolicyDocument::problemSummary() const
{
    if (m_problems.isEmpty())
        return {};
    const QString first = m_problems.constFirst().toString();
    if (m_problems.size() == 1)
        return first;
    return Tr::tr("%1 (and %n more problem(s))", nullptr, static_cast<int>(m_problems.size() - 1))
        .arg(first);
}

void PolicyDocument::analyse()
{
    m_locator = JsonLocator(m_text);
    m_problems.clear();
    m_policy.reset();

    QJsonParseError parseError;
    const QByteArray utf8 = m_text.toUtf8();
    const QJsonDocument json = QJsonDocument::fromJson(utf8, &parseError);
    m_syntaxValid = parseError.error == QJsonParseError::NoError && json.isObject();
    if (m_syntaxValid)
        m_root = json.object();

    policy::LoadResult result = policy::parsePolicy(utf8);
    if (result.ok()) {
        m_policy = std::move(result.policy);
        return;
    }
    for (const policy::PolicyError& error : result.errors) {
        DocumentProblem problem;
        problem.path = JsonPath::parse(error.path);
        problem.message = error.message;
        problem.syntax = error.line > 0;
        if (problem.syntax) {
            problem.span = m_locator.spanAt(error.line, error.column);
        } else if (const auto entry = m_locator.find(problem.path)) {
            // A key that is wrong itself (unknown, misspelt) is shown on the key.
            const bool onKey = entry->key && problem.message.contains(u"unknown key"_s);
            problem.span = onKey ? *entry->key : entry->value;
        }
        m_problems.push_back(problem);
    }
    if (!m_syntaxValid && m_problems.isEmpty()) {
        // Valid JSON that is not an object: core/policy says so; this is a fallback only.
        DocumentProblem problem;
        problem.message = Tr::tr("the policy must be a JSON object");
        problem.syntax = true;
        m_problems.push_back(problem);
    }
}

} // namespace qc::workbench
