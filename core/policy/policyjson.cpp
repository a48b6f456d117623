#include "policyjson.h"

#include "policyvalidator_p.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QLocale>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <initializer_list>

using namespace Qt::StringLiterals;
namespace ef = qc::enforcement;

namespace qc::policy {

namespace {

constexpr ef::TimeMs kMaxSlidingWindow = 31 * ef::kDay;
using detail::kMaxDuration;
using detail::kMaxLimit;
using detail::toStd;
using detail::typeName;
using detail::Validator;

void checkUnique(Validator& v, const QString& path, const QString& what, const QString& value,
    QSet<QString>& seen)
{
    if (seen.contains(value))
        v.error(path, u"duplicate "_s + what + u" '"_s + value + u"'; each must be unique"_s);
    seen.insert(value);
}

bool validRuleId(const QString& id)
{
    return !id.isEmpty() && std::all_of(id.begin(), id.end(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
            || c == u'_' || c == u'.' || c == u'-';
    });
}

std::vector<ef::Rule> readRules(Validator& v, const QJsonValue& value, const QString& path,
    QList<QPair<QString, QString>>& planRefs)
{
    std::vector<ef::Rule> rules;
    if (!value.isArray()) {
        v.error(path, u"expected a list of rules, got "_s + typeName(value));
        return rules;
    }
    const QJsonArray array = value.toArray();
    QSet<QString> ids;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString at = path + Validator::index(i);
        if (!v.isObject(array.at(i), at))
            continue;
        const QJsonObject o = array.at(i).toObject();
        v.checkKeys(o, at,
            { "id"_L1, "scope"_L1, "algorithm"_L1, "window"_L1, "limit"_L1, "rate"_L1, "period"_L1,
                "burst"_L1, "match"_L1, "mode"_L1 });
        ef::Rule rule;
        v.require(o, at, "id"_L1);
        if (o.contains("id"_L1)) {
            if (auto id = v.string(o.value("id"_L1), at + u".id"_s)) {
                if (!validRuleId(*id))
                    v.error(at + u".id"_s,
                        u"'"_s + *id + u"' is not a valid id; use letters, digits, _ . -"_s);
                checkUnique(v, at + u".id"_s, u"rule id"_s, *id, ids);
                rule.id = toStd(*id);
            }
        }
        v.require(o, at, "scope"_L1);
        if (o.contains("scope"_L1)) {
            if (auto scope
                = v.enumValue<ef::Scope>(o.value("scope"_L1), at + u".scope"_s, ef::scopeFromString,
                    { "ip", "user", "user_endpoint", "ip_endpoint", "global" }))
                rule.scope = *scope;
        }
        v.require(o, at, "algorithm"_L1);
        std::optional<ef::Algorithm> algorithm;
        if (o.contains("algorithm"_L1)) {
            algorithm = v.enumValue<ef::Algorithm>(o.value("algorithm"_L1), at + u".algorithm"_s,
                ef::algorithmFromString, { "fixed_window", "sliding_window", "token_bucket" });
            if (algorithm)
                rule.algorithm = *algorithm;
        }
        if (algorithm == ef::Algorithm::FixedWindow || algorithm == ef::Algorithm::SlidingWindow) {
            const bool sliding = algorithm == ef::Algorithm::SlidingWindow;
            const QString name = sliding ? u"sliding_window"_s : u"fixed_window"_s;
            for (auto key : { "rate"_L1, "period"_L1, "burst"_L1 }) {
                if (o.contains(key))
                    v.error(at + u'.' + key,
                        u"applies only to token_bucket rules, not to "_s + name
                            + u"; use window and limit"_s);
            }
            v.require(o, at, "window"_L1, u"for "_s + name + u" rules"_s);
            v.require(o, at, "limit"_L1, u"for "_s + name + u" rules"_s);
            if (o.contains("window"_L1)) {
                if (auto w = v.duration(o.value("window"_L1), at + u".window"_s, 1,
                        sliding ? kMaxSlidingWindow : kMaxDuration))
                    rule.windowMs = *w;
            }
            if (o.contains("limit"_L1)) {
                if (auto l = v.integer(o.value("limit"_L1), at + u".limit"_s, 1, kMaxLimit))
                    rule.limit = *l;
            }
        } else if (algorithm == ef::Algorithm::TokenBucket) {
            for (auto key : { "window"_L1, "limit"_L1 }) {
                if (o.contains(key))
                    v.error(at + u'.' + key,
                        u"does not apply to token_bucket rules; use rate, period and burst"_s);
            }
            v.require(o, at, "rate"_L1, u"for token_bucket rules"_s);
            v.require(o, at, "period"_L1, u"for token_bucket rules"_s);
            v.require(o, at, "burst"_L1, u"for token_bucket rules"_s);
            std::optional<std::int64_t> rate;
            std::optional<ef::TimeMs> period;
            if (o.contains("rate"_L1))
                rate = v.integer(o.value("rate"_L1), at + u".rate"_s, 1, kMaxLimit);
            if (o.contains("period"_L1))
                period = v.duration(o.value("period"_L1), at + u".period"_s, 1);
            if (o.contains("burst"_L1)) {
                if (auto b = v.integer(o.value("burst"_L1), at + u".burst"_s, 1, kMaxLimit))
                    rule.burst = *b;
            }
            if (rate && period) {
                rule.rate = *rate;
                rule.periodMs = *period;
                if (*period * 1000 / *rate < 1)
                    v.error(at + u".rate"_s,
                        QString::number(*rate) + u" per "_s + formatDuration(*period)
                            + u" is faster than one request per microsecond; lower rate or "
                              u"lengthen period"_s);
            }
        }
        if (o.contains("match"_L1)) {
            const QString mp = at + u".match"_s;
            const QJsonValue m = o.value("match"_L1);
            if (v.isObject(m, mp)) {
                const QJsonObject mo = m.toObject();
                v.checkKeys(mo, mp, { "endpoints"_L1, "methods"_L1, "plans"_L1 });
                if (mo.contains("endpoints"_L1)) {
                    if (auto e = v.stringList(mo.value("endpoints"_L1), mp + u".endpoints"_s, true))
                        rule.match.endpoints = *e;
                }
                if (mo.contains("methods"_L1)) {
                    if (auto ms = v.stringList(mo.value("methods"_L1), mp + u".methods"_s, true)) {
                        for (auto& method : *ms)
                            std::transform(method.begin(), method.end(), method.begin(),
                                [](unsigned char c) { return char(std::toupper(c)); });
                        rule.match.methods = *ms;
                    }
                }
                if (mo.contains("plans"_L1)) {
                    if (auto ps = v.stringList(mo.value("plans"_L1), mp + u".plans"_s, true)) {
                        for (std::size_t k = 0; k < ps->size(); ++k)
                            planRefs.append({ mp + u".plans"_s + Validator::index(qsizetype(k)),
                                QString::fromStdString((*ps)[k]) });
                        rule.match.plans = *ps;
                    }
                }
            }
        }
        if (o.contains("mode"_L1)) {
            if (auto mode = v.enumValue<ef::Mode>(o.value("mode"_L1), at + u".mode"_s,
                    ef::modeFromString, { "enforce", "shadow" }))
                rule.mode = *mode;
        }
        rules.push_back(std::move(rule));
    }
    return rules;
}

std::vector<ef::Plan> readPlans(Validator& v, const QJsonValue& value, const QString& path)
{
    std::vector<ef::Plan> plans;
    if (!value.isArray()) {
        v.error(path, u"expected a list of plans, got "_s + typeName(value));
        return plans;
    }
    const QJsonArray array = value.toArray();
    if (array.isEmpty())
        v.error(path, u"must list at least one plan"_s);
    QSet<QString> names;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString at = path + Validator::index(i);
        if (!v.isObject(array.at(i), at))
            continue;
        const QJsonObject o = array.at(i).toObject();
        v.checkKeys(o, at, { "name"_L1, "rank"_L1, "paid"_L1, "quotas"_L1 });
        ef::Plan plan;
        plan.rank = static_cast<int>(i);
        v.require(o, at, "name"_L1);
        if (o.contains("name"_L1)) {
            if (auto name = v.string(o.value("name"_L1), at + u".name"_s)) {
                checkUnique(v, at + u".name"_s, u"plan name"_s, *name, names);
                plan.name = toStd(*name);
            }
        }
        if (o.contains("rank"_L1)) {
            if (auto rank = v.integer(o.value("rank"_L1), at + u".rank"_s, -1'000'000, 1'000'000))
                plan.rank = static_cast<int>(*rank);
        }
        plan.paid = plan.rank > 0;
        if (o.contains("paid"_L1)) {
            if (auto paid = v.boolean(o.value("paid"_L1), at + u".paid"_s))
                plan.paid = *paid;
        }
        if (o.contains("quotas"_L1)) {
            const QString qp = at + u".quotas"_s;
            if (v.isObject(o.value("quotas"_L1), qp)) {
                const QJsonObject quotas = o.value("quotas"_L1).toObject();
                for (auto it = quotas.begin(); it != quotas.end(); ++it) {
                    if (it.key().isEmpty()) {
                        v.error(qp, u"a metric name must not be empty"_s);
                        continue;
                    }
                    if (auto limit = v.integer(it.value(), qp + u'.' + it.key(), -1,
                            std::numeric_limits<std::int64_t>::max() / 2))
                        plan.quotas.push_back({ toStd(it.key()), *limit });
                }
            }
        }
        plans.push_back(std::move(plan));
    }
    return plans;
}

std::vector<ef::EndpointMetric> readEndpointMetrics(
    Validator& v, const QJsonValue& value, const QString& path)
{
    std::vector<ef::EndpointMetric> out;
    if (!value.isArray()) {
        v.error(path, u"expected a list, got "_s + typeName(value));
        return out;
    }
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString at = path + Validator::index(i);
        if (!v.isObject(array.at(i), at))
            continue;
        const QJsonObject o = array.at(i).toObject();
        v.checkKeys(o, at, { "endpoints"_L1, "metric"_L1 });
        ef::EndpointMetric entry;
        v.require(o, at, "endpoints"_L1);
        v.require(o, at, "metric"_L1);
        if (o.contains("endpoints"_L1)) {
            if (auto e = v.stringList(o.value("endpoints"_L1), at + u".endpoints"_s, false))
                entry.endpoints = *e;
        }
        if (o.contains("metric"_L1)) {
            if (auto m = v.string(o.value("metric"_L1), at + u".metric"_s))
                entry.metric = toStd(*m);
        }
        out.push_back(std::move(entry));
    }
    return out;
}

std::vector<ef::AbusePattern> readAbuse(Validator& v, const QJsonValue& value, const QString& path)
{
    std::vector<ef::AbusePattern> out;
    if (!value.isArray()) {
        v.error(path, u"expected a list of abuse patterns, got "_s + typeName(value));
        return out;
    }
    const QJsonArray array = value.toArray();
    QSet<QString> ids;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString at = path + Validator::index(i);
        if (!v.isObject(array.at(i), at))
            continue;
        const QJsonObject o = array.at(i).toObject();
        v.checkKeys(o, at,
            { "id"_L1, "name"_L1, "kind"_L1, "scope"_L1, "window"_L1, "threshold"_L1,
                "threshold_usd"_L1, "endpoints"_L1, "user_agent_contains"_L1, "countries"_L1,
                "severity"_L1, "action"_L1, "block_for"_L1, "rearm"_L1 });
        ef::AbusePattern p;
        v.require(o, at, "id"_L1);
        if (o.contains("id"_L1)) {
            if (auto id = v.string(o.value("id"_L1), at + u".id"_s)) {
                if (!validRuleId(*id))
                    v.error(at + u".id"_s,
                        u"'"_s + *id + u"' is not a valid id; use letters, digits, _ . -"_s);
                checkUnique(v, at + u".id"_s, u"pattern id"_s, *id, ids);
                p.id = toStd(*id);
            }
        }
        p.name = p.id;
        if (o.contains("name"_L1)) {
            if (auto name = v.string(o.value("name"_L1), at + u".name"_s))
                p.name = toStd(*name);
        }
        v.require(o, at, "kind"_L1);
        std::optional<ef::AbuseKind> kind;
        if (o.contains("kind"_L1)) {
            kind = v.enumValue<ef::AbuseKind>(o.value("kind"_L1), at + u".kind"_s,
                ef::abuseKindFromString, { "rate", "cost", "user_agent", "country" });
            if (kind)
                p.kind = *kind;
        }
        v.require(o, at, "scope"_L1);
        if (o.contains("scope"_L1)) {
            if (auto scope = v.enumValue<ef::AbuseScope>(o.value("scope"_L1), at + u".scope"_s,
                    ef::abuseScopeFromString, { "ip", "user" }))
                p.scope = *scope;
        }
        v.require(o, at, "severity"_L1);
        if (o.contains("severity"_L1)) {
            if (auto severity
                = v.enumValue<ef::Severity>(o.value("severity"_L1), at + u".severity"_s,
                    ef::severityFromString, { "low", "medium", "high", "critical" }))
                p.severity = *severity;
        }
        v.require(o, at, "action"_L1);
        std::optional<ef::AbuseAction> action;
        if (o.contains("action"_L1)) {
            action = v.enumValue<ef::AbuseAction>(o.value("action"_L1), at + u".action"_s,
                ef::abuseActionFromString, { "log", "alert", "block", "escalate" });
            if (action)
                p.action = *action;
        }

        // Keys that belong to another kind are mistakes worth naming: a "threshold" on a
        // country pattern would otherwise be silently ignored.
        struct KindKey {
            QLatin1StringView key;
            ef::AbuseKind a;
            ef::AbuseKind b;
        };
        if (kind) {
            const QString kindName = QString::fromUtf8(ef::toString(*kind));
            for (const KindKey& kk :
                { KindKey { "window"_L1, ef::AbuseKind::Rate, ef::AbuseKind::Cost },
                    KindKey { "threshold"_L1, ef::AbuseKind::Rate, ef::AbuseKind::Rate },
                    KindKey { "endpoints"_L1, ef::AbuseKind::Rate, ef::AbuseKind::Rate },
                    KindKey { "threshold_usd"_L1, ef::AbuseKind::Cost, ef::AbuseKind::Cost },
                    KindKey { "user_agent_contains"_L1, ef::AbuseKind::UserAgent,
                        ef::AbuseKind::UserAgent },
                    KindKey { "countries"_L1, ef::AbuseKind::Country, ef::AbuseKind::Country } }) {
                const bool applies = *kind == kk.a || *kind == kk.b;
                if (!applies && o.contains(kk.key))
                    v.error(
                        at + u'.' + kk.key, u"does not apply to "_s + kindName + u" patterns"_s);
                if (applies && !o.contains(kk.key) && kk.key != "endpoints"_L1)
                    v.require(o, at, kk.key, u"for "_s + kindName + u" patterns"_s);
            }
            if (o.contains("window"_L1)
                && (*kind == ef::AbuseKind::Rate || *kind == ef::AbuseKind::Cost)) {
                if (auto w
                    = v.duration(o.value("window"_L1), at + u".window"_s, 1, kMaxSlidingWindow))
                    p.windowMs = *w;
            }
            if (*kind == ef::AbuseKind::Rate) {
                if (o.contains("threshold"_L1)) {
                    if (auto t
                        = v.integer(o.value("threshold"_L1), at + u".threshold"_s, 0, kMaxLimit))
                        p.threshold = *t;
                }
                if (o.contains("endpoints"_L1)) {
                    if (auto e = v.stringList(o.value("endpoints"_L1), at + u".endpoints"_s, true))
                        p.endpoints = *e;
                }
            }
            if (*kind == ef::AbuseKind::Cost && o.contains("threshold_usd"_L1)) {
                if (auto t = v.money(o.value("threshold_usd"_L1), at + u".threshold_usd"_s))
                    p.thresholdMicroUsd = *t;
            }
            if (*kind == ef::AbuseKind::UserAgent && o.contains("user_agent_contains"_L1)) {
                if (auto l = v.stringList(
                        o.value("user_agent_contains"_L1), at + u".user_agent_contains"_s, false)) {
                    for (auto& s : *l)
                        std::transform(s.begin(), s.end(), s.begin(),
                            [](unsigned char c) { return char(std::tolower(c)); });
                    p.userAgentContains = *l;
                }
            }
            if (*kind == ef::AbuseKind::Country && o.contains("countries"_L1)) {
                const QString cp = at + u".countries"_s;
                if (auto l = v.stringList(o.value("countries"_L1), cp, false)) {
                    for (std::size_t k = 0; k < l->size(); ++k) {
                        auto& s = (*l)[k];
                        std::transform(s.begin(), s.end(), s.begin(),
                            [](unsigned char c) { return char(std::toupper(c)); });
                        if (s.size() != 2 || !std::isalpha(static_cast<unsigned char>(s[0]))
                            || !std::isalpha(static_cast<unsigned char>(s[1])))
                            v.error(cp + Validator::index(qsizetype(k)),
                                u"'"_s + QString::fromStdString(s)
                                    + u"' is not a two-letter ISO 3166 country code such as \"RU\""_s);
                    }
                    p.countries = *l;
                }
            }
        }
        const bool blocks = action == ef::AbuseAction::Block || action == ef::AbuseAction::Escalate;
        if (o.contains("block_for"_L1)) {
            if (action && !blocks)
                v.error(at + u".block_for"_s,
                    u"does not apply to action '"_s + QString::fromUtf8(ef::toString(*action))
                        + u"'; only block and escalate block"_s);
            else if (auto b = v.duration(o.value("block_for"_L1), at + u".block_for"_s, 1))
                p.blockForMs = *b;
        }
        // docs/enforcement.md §8: block_for for blocking actions, else the window, else 1h.
        if (blocks)
            p.rearmMs = p.blockForMs;
        else if (p.windowMs > 0)
            p.rearmMs = p.windowMs;
        else
            p.rearmMs = ef::kHour;
        if (o.contains("rearm"_L1)) {
            if (auto r = v.duration(o.value("rearm"_L1), at + u".rearm"_s, 1))
                p.rearmMs = *r;
        }
        out.push_back(std::move(p));
    }
    return out;
}

ef::CostModel readCost(Validator& v, const QJsonValue& value, const QString& path)
{
    ef::CostModel cost;
    if (!v.isObject(value, path))
        return cost;
    const QJsonObject o = value.toObject();
    v.checkKeys(o, path, { "gb_hour_usd"_L1, "default_memory_mb"_L1, "endpoints"_L1, "models"_L1 });
    if (o.contains("gb_hour_usd"_L1)) {
        if (auto m = v.money(o.value("gb_hour_usd"_L1), path + u".gb_hour_usd"_s))
            cost.gbHourMicroUsd = *m;
    }
    if (o.contains("default_memory_mb"_L1)) {
        if (auto m = v.integer(o.value("default_memory_mb"_L1), path + u".default_memory_mb"_s, 0,
                16 * 1024 * 1024))
            cost.defaultMemoryMb = *m;
    }
    if (o.contains("endpoints"_L1)) {
        const QString ep = path + u".endpoints"_s;
        const QJsonValue e = o.value("endpoints"_L1);
        if (!e.isArray()) {
            v.error(ep, u"expected a list, got "_s + typeName(e));
        } else {
            const QJsonArray array = e.toArray();
            for (qsizetype i = 0; i < array.size(); ++i) {
                const QString at = ep + Validator::index(i);
                if (!v.isObject(array.at(i), at))
                    continue;
                const QJsonObject eo = array.at(i).toObject();
                v.checkKeys(eo, at, { "endpoints"_L1, "base_usd"_L1, "memory_mb"_L1 });
                ef::CostEndpoint entry;
                entry.memoryMb = cost.defaultMemoryMb;
                v.require(eo, at, "endpoints"_L1);
                if (eo.contains("endpoints"_L1)) {
                    if (auto l
                        = v.stringList(eo.value("endpoints"_L1), at + u".endpoints"_s, false))
                        entry.endpoints = *l;
                }
                if (eo.contains("base_usd"_L1)) {
                    if (auto m = v.money(eo.value("base_usd"_L1), at + u".base_usd"_s))
                        entry.baseMicroUsd = *m;
                }
                if (eo.contains("memory_mb"_L1)) {
                    if (auto m = v.integer(
                            eo.value("memory_mb"_L1), at + u".memory_mb"_s, 0, 16 * 1024 * 1024))
                        entry.memoryMb = *m;
                }
                cost.endpoints.push_back(std::move(entry));
            }
        }
    }
    if (o.contains("models"_L1)) {
        const QString mp = path + u".models"_s;
        if (v.isObject(o.value("models"_L1), mp)) {
            const QJsonObject models = o.value("models"_L1).toObject();
            for (auto it = models.begin(); it != models.end(); ++it) {
                const QString at = mp + u'.' + it.key();
                if (!v.isObject(it.value(), at))
                    continue;
                const QJsonObject m = it.value().toObject();
                v.checkKeys(m, at, { "per_1k_tokens_usd"_L1 });
                v.require(m, at, "per_1k_tokens_usd"_L1);
                ef::ModelPrice price;
                price.model = toStd(it.key());
                if (m.contains("per_1k_tokens_usd"_L1)) {
                    if (auto usd
                        = v.money(m.value("per_1k_tokens_usd"_L1), at + u".per_1k_tokens_usd"_s))
                        price.per1kTokensMicroUsd = *usd;
                }
                cost.models.push_back(std::move(price));
            }
        }
    }
    return cost;
}

QPair<int, int> lineColumn(const QByteArray& text, qsizetype offset)
{
    int line = 1;
    int column = 1;
    offset = std::clamp<qsizetype>(offset, 0, text.size());
    for (qsizetype i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return { line, column };
}

} // namespace

QString PolicyError::toString() const
{
    if (line > 0)
        return path + u" (line "_s + QString::number(line) + u':' + QString::number(column)
            + u"): "_s + message;
    return path + u": "_s + message;
}

QString LoadResult::errorText() const
{
    QStringList lines;
    for (const PolicyError& e : errors)
        lines.append(e.toString());
    return lines.join(u'\n');
}

LoadResult parsePolicy(const QByteArray& json)
{
    LoadResult result;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const auto [line, column] = lineColumn(json, parseError.offset);
        result.errors.append(PolicyError { u"policy"_s,
            parseError.errorString() + u"; the file is not valid JSON"_s, line, column });
        return result;
    }
    if (!doc.isObject()) {
        result.errors.append(PolicyError {
            u"policy"_s, u"expected a JSON object {\"version\": 1, ...} at the top level"_s });
        return result;
    }

    Validator v;
    const QJsonObject o = doc.object();
    const QString root = u"policy"_s;
    v.checkKeys(o, root,
        { "version"_L1, "fail_mode"_L1, "trusted_proxies"_L1, "skip_endpoints"_L1,
            "default_plan"_L1, "billing_cycle"_L1, "downgrade_grace"_L1, "idempotency"_L1,
            "rules"_L1, "plans"_L1, "endpoint_metrics"_L1, "abuse"_L1, "cost"_L1 });
    ef::Policy p;

    v.require(o, root, "version"_L1, u"(\"version\": 1)"_s);
    if (o.contains("version"_L1)) {
        const QJsonValue version = o.value("version"_L1);
        if (!version.isDouble() || version.toDouble() != 1.0)
            v.error(root + u".version"_s,
                u"unsupported version "_s
                    + (version.isDouble() ? Validator::numberText(version.toDouble())
                                          : typeName(version))
                    + u"; this program reads version 1"_s);
    }
    if (o.contains("fail_mode"_L1)) {
        if (auto m = v.enumValue<ef::FailMode>(o.value("fail_mode"_L1), root + u".fail_mode"_s,
                ef::failModeFromString, { "open", "closed" }))
            p.failMode = *m;
    }
    if (o.contains("trusted_proxies"_L1)) {
        const QString at = root + u".trusted_proxies"_s;
        if (auto list = v.stringList(o.value("trusted_proxies"_L1), at, true)) {
            for (std::size_t i = 0; i < list->size(); ++i) {
                if (auto cidr = ef::Cidr::parse((*list)[i]))
                    p.trustedProxies.push_back(*cidr);
                else
                    v.error(at + Validator::index(qsizetype(i)),
                        u"'"_s + QString::fromStdString((*list)[i])
                            + u"' is not a network; use CIDR form such as 10.0.0.0/8 or fd00::/8"_s);
            }
        }
    }
    if (o.contains("skip_endpoints"_L1)) {
        if (auto list
            = v.stringList(o.value("skip_endpoints"_L1), root + u".skip_endpoints"_s, true))
            p.skipEndpoints = *list;
    }
    if (o.contains("billing_cycle"_L1)) {
        const QJsonValue bc = o.value("billing_cycle"_L1);
        if (bc.isString() && bc.toString() == "calendar_month"_L1) {
            p.billingCycleMs = 0;
        } else if (bc.isString() && !parseDuration(bc.toString())) {
            v.error(root + u".billing_cycle"_s,
                u"'"_s + bc.toString()
                    + u"' is neither \"calendar_month\" nor a duration such as \"30d\""_s);
        } else if (auto d = v.duration(bc, root + u".billing_cycle"_s, 1)) {
            p.billingCycleMs = *d;
        }
    }
    if (o.contains("downgrade_grace"_L1)) {
        if (auto d = v.duration(o.value("downgrade_grace"_L1), root + u".downgrade_grace"_s, 0))
            p.downgradeGraceMs = *d;
    }
    if (o.contains("idempotency"_L1)) {
        const QString at = root + u".idempotency"_s;
        if (v.isObject(o.value("idempotency"_L1), at)) {
            const QJsonObject io = o.value("idempotency"_L1).toObject();
            v.checkKeys(io, at, { "ttl"_L1, "on_conflict"_L1 });
            if (io.contains("ttl"_L1)) {
                if (auto d = v.duration(io.value("ttl"_L1), at + u".ttl"_s, 1))
                    p.idempotencyTtlMs = *d;
            }
            if (io.contains("on_conflict"_L1)) {
                if (auto c = v.enumValue<ef::OnConflict>(io.value("on_conflict"_L1),
                        at + u".on_conflict"_s, ef::onConflictFromString, { "reject", "process" }))
                    p.onConflict = *c;
            }
        }
    }
    QList<QPair<QString, QString>> planRefs;
    if (o.contains("rules"_L1))
        p.rules = readRules(v, o.value("rules"_L1), root + u".rules"_s, planRefs);
    v.require(o, root, "plans"_L1, u"(at least one plan, e.g. {\"name\": \"free\"})"_s);
    if (o.contains("plans"_L1))
        p.plans = readPlans(v, o.value("plans"_L1), root + u".plans"_s);
    if (o.contains("endpoint_metrics"_L1))
        p.endpointMetrics
            = readEndpointMetrics(v, o.value("endpoint_metrics"_L1), root + u".endpoint_metrics"_s);
    if (o.contains("abuse"_L1))
        p.abuse = readAbuse(v, o.value("abuse"_L1), root + u".abuse"_s);
    if (o.contains("cost"_L1))
        p.cost = readCost(v, o.value("cost"_L1), root + u".cost"_s);

    QStringList planNames;
    for (const ef::Plan& plan : p.plans)
        planNames.append(QString::fromStdString(plan.name));
    const auto knownPlan = [&](const QString& name) { return planNames.contains(name); };
    const QString planHint = planNames.isEmpty() ? u"no plans are defined"_s
                                                 : u"known plans: "_s + planNames.join(u", "_s);
    if (o.contains("default_plan"_L1)) {
        if (auto name = v.string(o.value("default_plan"_L1), root + u".default_plan"_s)) {
            if (!knownPlan(*name) && !p.plans.empty())
                v.error(root + u".default_plan"_s,
                    u"'"_s + *name + u"' is not a plan of this policy; "_s + planHint);
            p.defaultPlan = toStd(*name);
        }
    } else if (!p.plans.empty()) {
        p.defaultPlan = p.plans.front().name;
    }
    for (const auto& [path, name] : std::as_const(planRefs)) {
        if (!knownPlan(name) && !p.plans.empty())
            v.error(path, u"'"_s + name + u"' is not a plan of this policy; "_s + planHint);
    }

    result.errors = v.errors;
    if (result.errors.isEmpty())
        result.policy = std::move(p);
    return result;
}

LoadResult loadPolicyFile(const QString& fileName)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        LoadResult result;
        result.errors.append(
            PolicyError { fileName, u"cannot read the policy file: "_s + file.errorString() });
        return result;
    }
    return parsePolicy(file.readAll());
}

QByteArray defaultPolicyJson()
{
    QFile file(u":/qc/policies/default.json"_s);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

ef::Policy defaultPolicy()
{
    LoadResult result = parsePolicy(defaultPolicyJson());
    Q_ASSERT_X(
        result.policy, "qc::policy::defaultPolicy", "the embedded default policy is invalid");
    return result.policy ? std::move(*result.policy) : ef::Policy {};
}

} // namespace qc::policy
