#include "policyvalidator_p.h"

#include <QJsonArray>
#include <QLocale>
#include <QStringList>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace qc::policy::detail {

namespace ef = qc::enforcement;

QString typeName(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Bool:
        return u"a boolean"_s;
    case QJsonValue::Double:
        return u"a number"_s;
    case QJsonValue::String:
        return u"a string"_s;
    case QJsonValue::Array:
        return u"a list"_s;
    case QJsonValue::Object:
        return u"an object"_s;
    case QJsonValue::Undefined:
        break;
    }
    return u"nothing"_s;
}

std::string toStd(const QString& text)
{
    return text.toStdString();
}

void Validator::error(const QString& path, const QString& message)
{
    errors.append(PolicyError { path, message });
}

bool Validator::isObject(const QJsonValue& value, const QString& path)
{
    if (value.isObject())
        return true;
    error(path, u"expected an object, got "_s + typeName(value));
    return false;
}

// Unknown keys are errors: a misspelt key must not silently disable a limit.
void Validator::checkKeys(const QJsonObject& object, const QString& path,
    std::initializer_list<QLatin1StringView> allowed)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = it.key();
        bool known = false;
        QLatin1StringView best;
        int bestDistance = 3;
        for (QLatin1StringView candidate : allowed) {
            if (key == candidate) {
                known = true;
                break;
            }
            // A key that is the start of a known one ("per_1k_tokens") is most likely it.
            const QString name = QString(candidate);
            const int distance
                = key.size() >= 3 && name.startsWith(key) ? 1 : editDistance(key, name);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        if (known)
            continue;
        QString message = u"unknown key '"_s + key + u"'"_s;
        if (!best.isEmpty()) {
            message += u"; did you mean '"_s + best + u"'?"_s;
        } else {
            QStringList names;
            for (QLatin1StringView candidate : allowed)
                names.append(QString(candidate));
            message += u"; expected one of: "_s + names.join(u", "_s);
        }
        error(path + u'.' + key, message);
    }
}

void Validator::require(
    const QJsonObject& object, const QString& path, QLatin1StringView key, const QString& why)
{
    if (!object.contains(key))
        error(path + u'.' + key, u"is required"_s + (why.isEmpty() ? QString() : u" "_s + why));
}

std::optional<QString> Validator::string(
    const QJsonValue& value, const QString& path, bool allowEmpty)
{
    if (!value.isString()) {
        error(path, u"expected a string, got "_s + typeName(value));
        return std::nullopt;
    }
    if (!allowEmpty && value.toString().isEmpty()) {
        error(path, u"must not be empty"_s);
        return std::nullopt;
    }
    return value.toString();
}

std::optional<bool> Validator::boolean(const QJsonValue& value, const QString& path)
{
    if (!value.isBool()) {
        error(path, u"expected true or false, got "_s + typeName(value));
        return std::nullopt;
    }
    return value.toBool();
}

std::optional<std::int64_t> Validator::integer(
    const QJsonValue& value, const QString& path, std::int64_t min, std::int64_t max)
{
    if (!value.isDouble()) {
        error(path, u"expected an integer, got "_s + typeName(value));
        return std::nullopt;
    }
    const double d = value.toDouble();
    if (d != std::floor(d) || std::abs(d) > 9.0e15) {
        error(path, u"expected an integer, got "_s + numberText(d));
        return std::nullopt;
    }
    const auto n = static_cast<std::int64_t>(d);
    if (n < min || n > max) {
        error(path,
            numberText(d) + u" is out of range; use "_s + QString::number(min) + u" … "_s
                + QString::number(max));
        return std::nullopt;
    }
    return n;
}

std::optional<ef::TimeMs> Validator::duration(
    const QJsonValue& value, const QString& path, ef::TimeMs min, ef::TimeMs max)
{
    std::optional<ef::TimeMs> ms;
    if (value.isString()) {
        ms = parseDuration(value.toString());
        if (!ms) {
            error(path,
                u"'"_s + value.toString() + u"' is not a duration; "_s
                    + QLatin1StringView(kDurationHint));
            return std::nullopt;
        }
    } else if (value.isDouble()) {
        const double d = value.toDouble();
        if (d != std::floor(d) || d < 0 || d > static_cast<double>(kMaxDuration)) {
            error(path,
                numberText(d) + u" is not a duration; "_s + QLatin1StringView(kDurationHint)
                    + u", or whole milliseconds"_s);
            return std::nullopt;
        }
        ms = static_cast<ef::TimeMs>(d);
    } else {
        error(path, u"expected a duration such as \"1m\", got "_s + typeName(value));
        return std::nullopt;
    }
    if (*ms < min) {
        error(path, u"must be at least "_s + formatDuration(min));
        return std::nullopt;
    }
    if (*ms > max) {
        error(path, formatDuration(*ms) + u" is too long; at most "_s + formatDuration(max));
        return std::nullopt;
    }
    return ms;
}

std::optional<ef::MicroUsd> Validator::money(const QJsonValue& value, const QString& path)
{
    if (!value.isDouble()) {
        error(path, u"expected an amount of dollars such as 0.002, got "_s + typeName(value));
        return std::nullopt;
    }
    const double d = value.toDouble();
    // The shortest text that reads back as this double is the decimal the author wrote,
    // so rounding it (not the binary value) gives half-away-from-zero on the written amount.
    const QByteArray text = QByteArray::number(d, 'g', QLocale::FloatingPointShortest);
    const auto micro = parseUsd(std::string_view(text.constData(), size_t(text.size())));
    if (!micro || *micro > kMaxLimit * 1'000'000LL) {
        error(path, numberText(d) + u" is out of range"_s);
        return std::nullopt;
    }
    if (*micro < 0) {
        error(path, numberText(d) + u" is negative; amounts are at least 0"_s);
        return std::nullopt;
    }
    return micro;
}

std::optional<std::vector<std::string>> Validator::stringList(
    const QJsonValue& value, const QString& path, bool allowEmptyList)
{
    if (!value.isArray()) {
        error(path, u"expected a list of strings, got "_s + typeName(value));
        return std::nullopt;
    }
    const QJsonArray array = value.toArray();
    if (array.isEmpty() && !allowEmptyList) {
        error(path, u"must not be empty"_s);
        return std::nullopt;
    }
    std::vector<std::string> out;
    bool ok = true;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const auto item = string(array.at(i), path + index(i));
        if (item)
            out.push_back(toStd(*item));
        else
            ok = false;
    }
    if (!ok)
        return std::nullopt;
    return out;
}

QString Validator::numberText(double d)
{
    return QString::number(d, 'g', QLocale::FloatingPointShortest);
}

} // namespace qc::policy::detail

namespace qc::policy {

int editDistance(QStringView a, QStringView b)
{
    std::vector<int> row(static_cast<std::size_t>(b.size()) + 1);
    for (std::size_t j = 0; j < row.size(); ++j)
        row[j] = static_cast<int>(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        int diagonal = row[0];
        row[0] = static_cast<int>(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int above = row[static_cast<std::size_t>(j)];
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            row[static_cast<std::size_t>(j)] = std::min(
                { above + 1, row[static_cast<std::size_t>(j - 1)] + 1, diagonal + cost });
            diagonal = above;
        }
    }
    return row.back();
}

} // namespace qc::policy
