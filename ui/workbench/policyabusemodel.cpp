#include "policyabusemodel.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace qc::workbench {

namespace {

QString kindOf(const QJsonObject& item)
{
    return item.value(u"kind"_s).toString();
}

bool windowed(const QJsonObject& item)
{
    return kindOf(item) == u"rate"_s || kindOf(item) == u"cost"_s;
}

bool isRate(const QJsonObject& item)
{
    return kindOf(item) == u"rate"_s;
}

bool isCost(const QJsonObject& item)
{
    return kindOf(item) == u"cost"_s;
}

bool isUserAgent(const QJsonObject& item)
{
    return kindOf(item) == u"user_agent"_s;
}

bool isCountry(const QJsonObject& item)
{
    return kindOf(item) == u"country"_s;
}

bool blocks(const QJsonObject& item)
{
    const QString action = item.value(u"action"_s).toString();
    return action == u"block"_s || action == u"escalate"_s;
}

} // namespace

PolicyAbuseModel::PolicyAbuseModel(PolicyDocument* document, QObject* parent)
    : PolicyTableModel(document, u"abuse"_s, parent)
{
    using K = PolicyColumn::Kind;
    setColumns({
        { { PathStep::member(u"id"_s) }, tr("Pattern"), K::Text, {}, {}, tr("Unique id"), {} },
        { { PathStep::member(u"name"_s) }, tr("Name"), K::Text, {}, tr("(the id)"),
            tr("Shown in incidents and alerts"), {} },
        { { PathStep::member(u"kind"_s) }, tr("Kind"), K::Choice,
            { u"rate"_s, u"cost"_s, u"user_agent"_s, u"country"_s }, {},
            tr("rate: requests per window; cost: dollars per window; user_agent and country: "
               "matching requests"),
            {} },
        { { PathStep::member(u"scope"_s) }, tr("Scope"), K::Choice, { u"ip"_s, u"user"_s }, {},
            tr("Watched per client IP or per user"), {} },
        { { PathStep::member(u"window"_s) }, tr("Window"), K::Duration, {}, {},
            tr("Trailing window, at most 31d"), windowed },
        { { PathStep::member(u"threshold"_s) }, tr("Threshold"), K::Integer, {}, {},
            tr("More requests than this in the window raise an incident"), isRate },
        { { PathStep::member(u"threshold_usd"_s) }, tr("Threshold $"), K::Money, {}, {},
            tr("More cost than this (dollars) in the window raises an incident"), isCost },
        { { PathStep::member(u"endpoints"_s) }, tr("Endpoints"), K::List, {}, tr("all"),
            tr("Endpoint globs counted"), isRate },
        { { PathStep::member(u"user_agent_contains"_s) }, tr("User agents"), K::List, {}, {},
            tr("Substrings of the user agent (case-insensitive)"), isUserAgent },
        { { PathStep::member(u"countries"_s) }, tr("Countries"), K::List, {}, {},
            tr("ISO country codes"), isCountry },
        { { PathStep::member(u"severity"_s) }, tr("Severity"), K::Choice,
            { u"low"_s, u"medium"_s, u"high"_s, u"critical"_s }, {}, {}, {} },
        { { PathStep::member(u"action"_s) }, tr("Action"), K::Choice,
            { u"log"_s, u"alert"_s, u"block"_s, u"escalate"_s }, {},
            tr("block and escalate block the identifier for block_for"), {} },
        { { PathStep::member(u"block_for"_s) }, tr("Block for"), K::Duration, {}, u"24h"_s,
            tr("How long a block lasts"), blocks },
    });
    refresh();
}

QJsonObject PolicyAbuseModel::newItem(const QJsonArray& existing) const
{
    QStringList ids;
    for (const QJsonValue& v : existing)
        ids.push_back(v.toObject().value(u"id"_s).toString());
    QString id = u"new_pattern"_s;
    for (int n = 2; ids.contains(id); ++n)
        id = u"new_pattern_"_s % QString::number(n);
    return QJsonObject { { u"id"_s, id }, { u"kind"_s, u"rate"_s }, { u"scope"_s, u"ip"_s },
        { u"window"_s, u"1m"_s }, { u"threshold"_s, 100 }, { u"severity"_s, u"medium"_s },
        { u"action"_s, u"alert"_s } };
}

void PolicyAbuseModel::adjust(QJsonObject& item, const JsonPath& changed) const
{
    if (changed == JsonPath { PathStep::member(u"kind"_s) }) {
        if (!windowed(item))
            item.remove(u"window"_s);
        else if (!item.contains(u"window"_s))
            item.insert(u"window"_s, isCost(item) ? u"1h"_s : u"1m"_s);
        if (!isRate(item)) {
            item.remove(u"threshold"_s);
            item.remove(u"endpoints"_s);
        } else if (!item.contains(u"threshold"_s)) {
            item.insert(u"threshold"_s, 100);
        }
        if (!isCost(item))
            item.remove(u"threshold_usd"_s);
        else if (!item.contains(u"threshold_usd"_s))
            item.insert(u"threshold_usd"_s, 1.0);
        if (!isUserAgent(item))
            item.remove(u"user_agent_contains"_s);
        else if (!item.contains(u"user_agent_contains"_s))
            item.insert(u"user_agent_contains"_s, QJsonArray { u"bot"_s });
        if (!isCountry(item))
            item.remove(u"countries"_s);
        else if (!item.contains(u"countries"_s))
            item.insert(u"countries"_s, QJsonArray()); // the admin names them; empty is an error
    } else if (changed == JsonPath { PathStep::member(u"action"_s) }) {
        if (!blocks(item))
            item.remove(u"block_for"_s);
    }
}

} // namespace qc::workbench
