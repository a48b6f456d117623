#pragma once

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

namespace qc::workbench {

/// One step of a path into a JSON document: an object member or an array element.
struct PathStep {
    QString key; // object member (when index < 0)
    int index = -1; // array element

    static PathStep member(QString key) { return { std::move(key), -1 }; }
    static PathStep at(int index) { return { {}, index }; }
    bool isIndex() const { return index >= 0; }
    friend bool operator==(const PathStep&, const PathStep&) = default;
};

/// A path in the notation of core/policy's errors without the leading "policy":
/// "rules[2].window", "plans[0].quotas.api_calls", "idempotency.ttl"; empty = the root.
class JsonPath {
public:
    JsonPath() = default;
    JsonPath(std::initializer_list<PathStep> steps)
        : m_steps(steps)
    {
    }

    /// Parses "rules[2].window" (also with a leading "policy." as core/policy writes it).
    static JsonPath parse(QStringView text);

    JsonPath operator/(const QString& key) const;
    JsonPath operator/(int index) const;
    const QList<PathStep>& steps() const { return m_steps; }
    bool isEmpty() const { return m_steps.isEmpty(); }
    JsonPath parent() const;
    /// True when this path is `other` or lies inside it.
    bool startsWith(const JsonPath& other) const;
    QString toString() const;
    /// "policy.rules[2].window": the form core/policy's errors use.
    QString toPolicyPath() const;

    friend bool operator==(const JsonPath&, const JsonPath&) = default;

private:
    QList<PathStep> m_steps;
};

/// The value at `path`, undefined when absent.
QJsonValue valueAt(const QJsonObject& root, const JsonPath& path);
/// `root` with the value at `path` set (undefined removes it); missing objects on the way are
/// created, arrays are extended only by one element at their end. False when the path runs
/// through a value of another type.
bool setValueAt(QJsonObject& root, const JsonPath& path, const QJsonValue& value);

/// Where a key or value of a JSON text is, in characters of the text (QString indices).
struct TextSpan {
    int start = 0;
    int length = 0;
    int line = 1; // 1-based
    int column = 1; // 1-based
};

/// Locates every member and element of a JSON text by its path (JsonPath::toString()), so that
/// an error naming "policy.rules[2].window" can be shown on that line. Tolerant: a text with a
/// syntax error is located up to the error.
class JsonLocator {
public:
    struct Entry {
        TextSpan value; // the value (the whole object/array for containers)
        std::optional<TextSpan> key; // the member's key, absent for array elements and the root
    };

    JsonLocator() = default;
    explicit JsonLocator(const QString& text);

    /// The entry of `path`, or of the nearest ancestor the text has (a missing key is shown on
    /// the object that should hold it). nullopt only for an empty text.
    std::optional<Entry> find(const JsonPath& path) const;
    /// The span of a 1-based line:column (syntax errors), clamped to the text.
    TextSpan spanAt(int line, int column) const;
    int lineOf(int position) const;

private:
    QHash<QString, Entry> m_entries;
    QList<int> m_lineStarts { 0 };
    int m_length = 0;
};

} // namespace qc::workbench
