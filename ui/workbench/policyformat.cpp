#include "policyformat.h"

#include <QJsonArray>
#include <QLocale>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace qc::workbench {

namespace {

// Key order of docs/policy.md for each kind of object, named by its place in the document.
const QHash<QString, QStringList>& keyOrders()
{
    static const QHash<QString, QStringList> orders {
        { u""_s,
            { u"version"_s, u"fail_mode"_s, u"trusted_proxies"_s, u"skip_endpoints"_s,
                u"default_plan"_s, u"billing_cycle"_s, u"downgrade_grace"_s, u"idempotency"_s,
                u"rules"_s, u"plans"_s, u"endpoint_metrics"_s, u"abuse"_s, u"cost"_s } },
        { u"idempotency"_s, { u"ttl"_s, u"on_conflict"_s } },
        { u"rules[]"_s,
            { u"id"_s, u"scope"_s, u"algorithm"_s, u"window"_s, u"limit"_s, u"rate"_s, u"period"_s,
                u"burst"_s, u"match"_s, u"mode"_s } },
        { u"rules[].match"_s, { u"endpoints"_s, u"methods"_s, u"plans"_s } },
        { u"plans[]"_s, { u"name"_s, u"rank"_s, u"paid"_s, u"quotas"_s } },
        { u"endpoint_metrics[]"_s, { u"endpoints"_s, u"metric"_s } },
        { u"abuse[]"_s,
            { u"id"_s, u"name"_s, u"kind"_s, u"scope"_s, u"endpoints"_s, u"window"_s,
                u"threshold"_s, u"threshold_usd"_s, u"user_agent_contains"_s, u"countries"_s,
                u"severity"_s, u"action"_s, u"block_for"_s, u"rearm"_s } },
        { u"cost"_s, { u"gb_hour_usd"_s, u"default_memory_mb"_s, u"endpoints"_s, u"models"_s } },
        { u"cost.endpoints[]"_s, { u"endpoints"_s, u"base_usd"_s, u"memory_mb"_s } },
    };
    return orders;
}

QStringList orderedKeys(const QJsonObject& object, const QString& context)
{
    QStringList keys = object.keys(); // alphabetical
    const QStringList order = keyOrders().value(context);
    std::stable_sort(keys.begin(), keys.end(), [&order](const QString& a, const QString& b) {
        const qsizetype ia = order.indexOf(a);
        const qsizetype ib = order.indexOf(b);
        return (ia < 0 ? order.size() : ia) < (ib < 0 ? order.size() : ib);
    });
    return keys;
}

QString quoted(const QString& text)
{
    QString out = u"\""_s;
    for (const QChar c : text) {
        switch (c.unicode()) {
        case '"':
            out += u"\\\""_s;
            break;
        case '\\':
            out += u"\\\\"_s;
            break;
        case '\n':
            out += u"\\n"_s;
            break;
        case '\r':
            out += u"\\r"_s;
            break;
        case '\t':
            out += u"\\t"_s;
            break;
        default:
            if (c.unicode() < 0x20)
                out += u"\\u"_s % QString::number(c.unicode(), 16).rightJustified(4, u'0');
            else
                out += c;
        }
    }
    return out + u'"';
}

QString number(double d)
{
    if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9007199254740992.0)
        return QString::number(static_cast<qint64>(d));
    return QString::number(d, 'g', QLocale::FloatingPointShortest);
}

bool isContainer(const QJsonValue& v)
{
    return v.isObject() || v.isArray();
}

QString childContext(const QString& context, const QString& key)
{
    return context.isEmpty() ? key : context % u'.' % key;
}

QString inlineValue(const QJsonValue& value, const QString& context);

QString inlineObject(const QJsonObject& object, const QString& context)
{
    if (object.isEmpty())
        return u"{}"_s;
    QStringList parts;
    for (const QString& key : orderedKeys(object, context))
        parts.push_back(
            quoted(key) % u": "_s % inlineValue(object.value(key), childContext(context, key)));
    return u"{ "_s % parts.join(u", "_s) % u" }"_s;
}

QString inlineValue(const QJsonValue& value, const QString& context)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Bool:
        return value.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Double:
        return number(value.toDouble());
    case QJsonValue::String:
        return quoted(value.toString());
    case QJsonValue::Array: {
        QStringList parts;
        for (const QJsonValue& item : value.toArray())
            parts.push_back(inlineValue(item, context % u"[]"_s));
        return u"["_s % parts.join(u", "_s) % u"]"_s;
    }
    case QJsonValue::Object:
        return inlineObject(value.toObject(), context);
    case QJsonValue::Undefined:
        break;
    }
    return u"null"_s;
}

// Objects holding lists of objects (or objects of objects) are spread over lines; everything
// inside a list item stays on the item's line.
bool spreads(const QJsonValue& value)
{
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        return std::any_of(
            array.begin(), array.end(), [](const QJsonValue& v) { return isContainer(v); });
    }
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        return std::any_of(object.begin(), object.end(), [](const QJsonValueConstRef v) {
            return v.isObject() || (v.isArray() && spreads(v.toArray()));
        });
    }
    return false;
}

void write(QString& out, const QJsonValue& value, const QString& context, int indent, bool top)
{
    const QString pad(indent + 2, u' ');
    if (value.isObject() && (top || spreads(value))) {
        const QJsonObject object = value.toObject();
        const QStringList keys = orderedKeys(object, context);
        if (keys.isEmpty()) {
            out += u"{}"_s;
            return;
        }
        out += u"{\n"_s;
        for (qsizetype i = 0; i < keys.size(); ++i) {
            out += pad % quoted(keys.at(i)) % u": "_s;
            write(out, object.value(keys.at(i)), childContext(context, keys.at(i)), indent + 2,
                false);
            out += i + 1 < keys.size() ? u",\n"_s : u"\n"_s;
        }
        out += QString(indent, u' ') % u'}';
        return;
    }
    if (value.isArray() && spreads(value)) {
        const QJsonArray array = value.toArray();
        out += u"[\n"_s;
        for (qsizetype i = 0; i < array.size(); ++i) {
            out += pad % inlineValue(array.at(i), context % u"[]"_s);
            out += i + 1 < array.size() ? u",\n"_s : u"\n"_s;
        }
        out += QString(indent, u' ') % u']';
        return;
    }
    out += inlineValue(value, context);
}

} // namespace

QString formatPolicyJson(const QJsonObject& policy)
{
    QString out;
    write(out, policy, QString(), 0, true);
    return out + u'\n';
}

} // namespace qc::workbench
