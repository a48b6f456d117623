#pragma once

// The policy file's validator (policyjson.cpp): walks the JSON tree, collecting every mistake
// with its JSON path. Not part of the public API of qc_policy.

#include "policyjson.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace qc::policy::detail {

// Far beyond any sensible setting, small enough that ts + duration never overflows.
constexpr enforcement::TimeMs kMaxDuration = 100LL * 366 * enforcement::kDay;
constexpr std::int64_t kMaxLimit = 1'000'000'000;
constexpr const char* kDurationHint = "use e.g. 90s, 5m, 2h, 1d";

QString typeName(const QJsonValue& value);
std::string toStd(const QString& text);

// Walks the JSON tree; every check appends to `errors` and returns nullopt instead of stopping,
// so one run reports every mistake in the file.
class Validator {
public:
    QList<PolicyError> errors;

    void error(const QString& path, const QString& message);

    bool isObject(const QJsonValue& value, const QString& path);

    // Unknown keys are errors: a misspelt key must not silently disable a limit.
    void checkKeys(const QJsonObject& object, const QString& path,
        std::initializer_list<QLatin1StringView> allowed);

    void require(const QJsonObject& object, const QString& path, QLatin1StringView key,
        const QString& why = {});

    std::optional<QString> string(
        const QJsonValue& value, const QString& path, bool allowEmpty = false);

    std::optional<bool> boolean(const QJsonValue& value, const QString& path);

    std::optional<std::int64_t> integer(
        const QJsonValue& value, const QString& path, std::int64_t min, std::int64_t max);

    std::optional<enforcement::TimeMs> duration(const QJsonValue& value, const QString& path,
        enforcement::TimeMs min, enforcement::TimeMs max = kMaxDuration);

    std::optional<enforcement::MicroUsd> money(const QJsonValue& value, const QString& path);

    std::optional<std::vector<std::string>> stringList(
        const QJsonValue& value, const QString& path, bool allowEmptyList);

    template<typename E, typename F>

    std::optional<E> enumValue(const QJsonValue& value, const QString& path, F fromString,
        std::initializer_list<const char*> names)
    {
        using namespace Qt::StringLiterals;
        QStringList quoted;
        for (const char* name : names)
            quoted.append(u"\""_s + QLatin1StringView(name) + u"\""_s);
        if (value.isString()) {
            if (auto parsed = fromString(toStd(value.toString())))
                return parsed;
            error(path, u"'"_s + value.toString() + u"' is not one of "_s + quoted.join(u", "_s));
            return std::nullopt;
        }
        error(path, u"expected one of "_s + quoted.join(u", "_s) + u", got "_s + typeName(value));
        return std::nullopt;
    }

    static QString index(qsizetype i) { return u'[' + QString::number(i) + u']'; }

    static QString numberText(double d);
};

} // namespace qc::policy::detail
