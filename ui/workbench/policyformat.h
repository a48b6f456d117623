#pragma once

#include <QJsonObject>
#include <QString>

namespace qc::workbench {

/// A policy document as text in the layout of resources/policies/default.json and
/// policy::toJson(): top-level keys one per line, list items one per line, keys in the order
/// of docs/policy.md (unknown keys after them). Unlike policy::toJson() it writes any JSON
/// object — also one that is not (yet) a valid policy — and leaves out what the document does
/// not say, so that an edit in the form changes only the field edited.
QString formatPolicyJson(const QJsonObject& policy);

} // namespace qc::workbench
