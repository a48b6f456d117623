#pragma once

#include <QJsonValue>
#include <QString>

/// Reads a YAML document (libyaml) into JSON values, for tests that look into YAML files:
/// mappings become objects, sequences arrays, every scalar a string; anchors and aliases are
/// resolved. On a syntax error `error` says where.
QJsonValue readYaml(const QByteArray& text, QString* error);
