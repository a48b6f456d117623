#include "jsondiff.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

#include <algorithm>

namespace qc::models {

using namespace Qt::StringLiterals;

namespace {

QString join(const QString& path, const QString& key)
{
    return path.isEmpty() ? key : path + u'.' + key;
}

void diff(const QString& path, const QJsonValue& a, const QJsonValue& b, bool includeSame,
    QList<JsonChange>& out)
{
    const bool hasA = !a.isUndefined();
    const bool hasB = !b.isUndefined();
    if (hasA && hasB && a.isObject() && b.isObject()) {
        const QJsonObject oa = a.toObject();
        const QJsonObject ob = b.toObject();
        QStringList keys = oa.keys();
        for (const QString& k : ob.keys())
            if (!oa.contains(k))
                keys << k;
        std::sort(keys.begin(), keys.end());
        for (const QString& k : std::as_const(keys))
            diff(join(path, k), oa.value(k), ob.value(k), includeSame, out);
        return;
    }
    if (hasA && hasB && a.isArray() && b.isArray()) {
        const QJsonArray aa = a.toArray();
        const QJsonArray ab = b.toArray();
        const qsizetype n = std::max(aa.size(), ab.size());
        for (qsizetype i = 0; i < n; ++i)
            diff(path + u'[' + QString::number(i) + u']',
                i < aa.size() ? aa.at(i) : QJsonValue(QJsonValue::Undefined),
                i < ab.size() ? ab.at(i) : QJsonValue(QJsonValue::Undefined), includeSame, out);
        return;
    }
    if (!hasA && !hasB)
        return;
    JsonChange c;
    c.path = path;
    c.before = a;
    c.after = b;
    if (!hasA)
        c.kind = JsonChange::Kind::Added;
    else if (!hasB)
        c.kind = JsonChange::Kind::Removed;
    else if (a == b)
        c.kind = JsonChange::Kind::Same;
    else
        c.kind = JsonChange::Kind::Changed;
    if (c.kind != JsonChange::Kind::Same || includeSame)
        out.append(c);
}

} // namespace

QList<JsonChange> diffJson(const QJsonValue& before, const QJsonValue& after, bool includeSame)
{
    QList<JsonChange> out;
    // A whole side that is null is absent: a creation or a deletion.
    const QJsonValue a = before.isNull() ? QJsonValue(QJsonValue::Undefined) : before;
    const QJsonValue b = after.isNull() ? QJsonValue(QJsonValue::Undefined) : after;
    if (a.isUndefined() && b.isObject()) {
        diff({}, QJsonObject(), b, includeSame, out);
        return out;
    }
    if (b.isUndefined() && a.isObject()) {
        diff({}, a, QJsonObject(), includeSame, out);
        return out;
    }
    diff({}, a, b, includeSame, out);
    return out;
}

QString jsonText(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Undefined:
        return {};
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Bool:
        return value.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Double: {
        const double d = value.toDouble();
        return d == double(qint64(d)) && qAbs(d) < 1e15 ? QString::number(qint64(d))
                                                        : QString::number(d, 'g', 15);
    }
    case QJsonValue::String:
        return u'"' + value.toString() + u'"';
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    }
    return {};
}

QString describeChanges(const QList<JsonChange>& changes)
{
    QStringList lines;
    for (const JsonChange& c : changes) {
        switch (c.kind) {
        case JsonChange::Kind::Added:
            lines << u"+ "_s + c.path + u": "_s + jsonText(c.after);
            break;
        case JsonChange::Kind::Removed:
            lines << u"− "_s + c.path + u": "_s + jsonText(c.before);
            break;
        case JsonChange::Kind::Changed:
            lines << u"~ "_s + c.path + u": "_s + jsonText(c.before) + u" → "_s + jsonText(c.after);
            break;
        case JsonChange::Kind::Same:
            lines << u"  "_s + c.path + u": "_s + jsonText(c.after);
            break;
        }
    }
    return lines.join(u'\n');
}

} // namespace qc::models
