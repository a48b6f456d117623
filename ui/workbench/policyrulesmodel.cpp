#include "policyrulesmodel.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace qc::workbench {

namespace {

bool isTokenBucket(const QJsonObject& item)
{
    return item.value(u"algorithm"_s).toString() == u"token_bucket"_s;
}

bool isWindow(const QJsonObject& item)
{
    return !isTokenBucket(item);
}

} // namespace

PolicyRulesModel::PolicyRulesModel(PolicyDocument* document, QObject* parent)
    : PolicyTableModel(document, u"rules"_s, parent)
{
    using K = PolicyColumn::Kind;
    setColumns({
        { { PathStep::member(u"id"_s) }, tr("Rule"), K::Text, {}, {},
            tr("Unique id: letters, digits, _ . -"), {} },
        { { PathStep::member(u"scope"_s) }, tr("Scope"), K::Choice,
            { u"ip"_s, u"user"_s, u"user_endpoint"_s, u"ip_endpoint"_s, u"global"_s }, {},
            tr("What one counter counts: per client IP, per user, per user and endpoint, per IP "
               "and endpoint, or all traffic"),
            {} },
        { { PathStep::member(u"algorithm"_s) }, tr("Algorithm"), K::Choice,
            { u"fixed_window"_s, u"sliding_window"_s, u"token_bucket"_s }, {},
            tr("fixed_window and sliding_window count requests per window; token_bucket admits "
               "rate per period with bursts"),
            {} },
        { { PathStep::member(u"window"_s) }, tr("Window"), K::Duration, {}, {},
            tr("Window length, e.g. 1m, 2h, 1d"), isWindow },
        { { PathStep::member(u"limit"_s) }, tr("Limit"), K::Integer, {}, {},
            tr("Requests admitted per window"), isWindow },
        { { PathStep::member(u"rate"_s) }, tr("Rate"), K::Integer, {}, {},
            tr("Tokens added per period"), isTokenBucket },
        { { PathStep::member(u"period"_s) }, tr("Period"), K::Duration, {}, {},
            tr("Period of the rate, e.g. 1s, 1m"), isTokenBucket },
        { { PathStep::member(u"burst"_s) }, tr("Burst"), K::Integer, {}, {},
            tr("Requests admitted at once after a quiet time"), isTokenBucket },
        { { PathStep::member(u"match"_s), PathStep::member(u"endpoints"_s) }, tr("Endpoints"),
            K::List, {}, tr("all"), tr("Endpoint globs the rule applies to, e.g. /api/*"), {} },
        { { PathStep::member(u"match"_s), PathStep::member(u"methods"_s) }, tr("Methods"), K::List,
            {}, tr("all"), tr("HTTP methods the rule applies to, e.g. POST"), {} },
        { { PathStep::member(u"match"_s), PathStep::member(u"plans"_s) }, tr("Plans"), K::List, {},
            tr("all"), tr("Plans the rule applies to (anonymous requests have none)"), {} },
        { { PathStep::member(u"mode"_s) }, tr("Mode"), K::Choice, { u"enforce"_s, u"shadow"_s },
            u"enforce"_s, tr("shadow rules are evaluated and counted as would_deny, never deny"),
            {} },
    });
    refresh();
}

QJsonObject PolicyRulesModel::newItem(const QJsonArray& existing) const
{
    QStringList ids;
    for (const QJsonValue& v : existing)
        ids.push_back(v.toObject().value(u"id"_s).toString());
    QString id = u"new_rule"_s;
    for (int n = 2; ids.contains(id); ++n)
        id = u"new_rule_"_s % QString::number(n);
    return QJsonObject { { u"id"_s, id }, { u"scope"_s, u"ip"_s },
        { u"algorithm"_s, u"fixed_window"_s }, { u"window"_s, u"1m"_s }, { u"limit"_s, 60 } };
}

void PolicyRulesModel::adjust(QJsonObject& item, const JsonPath& changed) const
{
    if (!(changed == JsonPath { PathStep::member(u"algorithm"_s) }))
        return;
    if (isTokenBucket(item) && !item.contains(u"rate"_s)) {
        // limit per window → the same rate per the same period, bursts of one window's limit.
        const QJsonValue limit = item.take(u"limit"_s);
        const QJsonValue window = item.take(u"window"_s);
        item.insert(u"rate"_s, limit.isUndefined() ? QJsonValue(10) : limit);
        item.insert(u"period"_s, window.isUndefined() ? QJsonValue(u"1s"_s) : window);
        item.insert(u"burst"_s, limit.isUndefined() ? QJsonValue(10) : limit);
    } else if (isWindow(item) && !item.contains(u"window"_s)) {
        const QJsonValue rate = item.take(u"rate"_s);
        const QJsonValue period = item.take(u"period"_s);
        item.remove(u"burst"_s);
        item.insert(u"window"_s, period.isUndefined() ? QJsonValue(u"1m"_s) : period);
        item.insert(u"limit"_s, rate.isUndefined() ? QJsonValue(60) : rate);
    }
}

} // namespace qc::workbench
