#pragma once

#include "enforcement/policy.h"
#include "jsonpath.h"
#include "policy/policyjson.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>

#include <optional>

namespace qc::workbench {

/// A problem of the candidate, located for both views: the JSON path (form cells) and where it
/// is in the text (the JSON view).
struct DocumentProblem {
    JsonPath path; // empty = the document as a whole
    QString message; // core/policy's message (or the JSON parser's)
    TextSpan span; // in the text
    bool syntax = false; // the text is not JSON: the form cannot show it

    /// "policy.rules[2].window: '5x' is not a duration; …" (with line:column for syntax).
    QString toString() const;
};

/// A policy being edited in two views at once, the form and the JSON text (the Simulate page's
/// candidate). The text is what the admin wrote; the form edits the parsed document through
/// setValue() and friends, which rewrite the text (policyformat.h). Every change is validated
/// by core/policy (policy::parsePolicy, the same check `quotactl policy validate` makes) and
/// each problem is located by path and in the text, so a malformed candidate says what is
/// wrong and where, and cannot run.
class PolicyDocument final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY(PolicyDocument)
public:
    /// Which view a change came from (the other one follows).
    enum class Origin { Text, Form, Load };
    Q_ENUM(Origin)

    explicit PolicyDocument(QObject* parent = nullptr);

    /// Replaces the text (typing in the JSON view, loading a file or a version).
    void setText(const QString& text, Origin origin = Origin::Text);
    const QString& text() const { return m_text; }

    /// True when the text is a JSON object (the form can show and edit it).
    bool isSyntaxValid() const { return m_syntaxValid; }
    /// The document as last parsed; the last syntactically valid one while the text is not.
    const QJsonObject& root() const { return m_root; }
    QJsonValue value(const JsonPath& path) const { return valueAt(m_root, path); }

    /// Form edits: each rewrites the text from the document. False (nothing changes) when the
    /// text is not valid JSON or the path runs through a value of another type.
    bool setValue(const JsonPath& path, const QJsonValue& value);
    bool insertItem(const JsonPath& arrayPath, int index, const QJsonValue& item);
    bool removeItem(const JsonPath& arrayPath, int index);
    bool moveItem(const JsonPath& arrayPath, int from, int to);

    /// Every problem, in the order core/policy reports them; empty when the policy is valid.
    const QList<DocumentProblem>& problems() const { return m_problems; }
    /// The problems at `path` exactly (for one cell of the form).
    QStringList problemsAt(const JsonPath& path) const;
    /// The validated policy; nullopt while there are problems.
    const std::optional<enforcement::Policy>& policy() const { return m_policy; }
    bool isValid() const { return m_policy.has_value(); }
    /// Why the policy cannot be used ("policy.rules[0].window: …" and how many more), empty
    /// when valid.
    QString problemSummary() const;
    const JsonLocator& locator() const { return m_locator; }

    /// Bumped on every change; lets views skip updates they caused themselves.
    quint64 revision() const { return m_revision; }

Q_SIGNALS:
    /// The text changed (and with it, possibly, the document and the problems).
    void changed(qc::workbench::PolicyDocument::Origin origin);

private:
    bool commit(const QJsonObject& root);
    void analyse();

    QString m_text;
    QJsonObject m_root;
    bool m_syntaxValid = false;
    QList<DocumentProblem> m_problems;
    std::optional<enforcement::Policy> m_policy;
    JsonLocator m_locator;
    quint64 m_revision = 0;
};

} // namespace qc::workbench
