#pragma once

#include <QJsonValue>
#include <QList>
#include <QString>

namespace qc::models {

/// One difference between two JSON documents (the before and after of an audit row).
struct JsonChange {
    enum class Kind { Added, Removed, Changed, Same };
    QString path; // "plan", "details.value", "tags[2]"
    Kind kind = Kind::Same;
    QJsonValue before;
    QJsonValue after;
    bool operator==(const JsonChange&) const = default;
};

/// The field-by-field difference of `before` and `after`: objects are compared key by key
/// (recursively, keys in order), arrays element by element, anything else as a value. With
/// `includeSame`, unchanged leaves are listed too (Kind::Same). A missing side (undefined or
/// null for a whole document) makes every field Added or Removed.
QList<JsonChange> diffJson(
    const QJsonValue& before, const QJsonValue& after, bool includeSame = false);

/// A JSON value as one short line: strings quoted, objects and arrays compact.
QString jsonText(const QJsonValue& value);

/// "plan: "free" → "pro"" and the like, one line per change.
QString describeChanges(const QList<JsonChange>& changes);

} // namespace qc::models
