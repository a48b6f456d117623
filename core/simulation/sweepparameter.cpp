#include "sweepparameter.h"

#include "policy/policyjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace qc::simulation {

using enforcement::Algorithm;
using enforcement::Policy;
using Kind = SweepParameter::Kind;
using Unit = SweepParameter::Unit;

namespace {

struct FieldName {
    Kind kind;
    QStringView name;
};

constexpr FieldName kRuleFields[] = {
    { Kind::RuleLimit, u"limit" },
    { Kind::RuleWindow, u"window" },
    { Kind::RuleRate, u"rate" },
    { Kind::RulePeriod, u"period" },
    { Kind::RuleBurst, u"burst" },
};
constexpr FieldName kAbuseFields[] = {
    { Kind::AbuseThreshold, u"threshold" },
    { Kind::AbuseThresholdUsd, u"threshold_usd" },
    { Kind::AbuseWindow, u"window" },
};

QString fieldName(Kind kind)
{
    for (const FieldName& f : kRuleFields) {
        if (f.kind == kind)
            return f.name.toString();
    }
    for (const FieldName& f : kAbuseFields) {
        if (f.kind == kind)
            return f.name.toString();
    }
    return {};
}

QString joinIds(const QStringList& ids)
{
    return ids.isEmpty() ? u"(none)"_s : ids.join(u", "_s);
}

const enforcement::Rule* findRule(const Policy& policy, const QString& id)
{
    for (const enforcement::Rule& rule : policy.rules) {
        if (QString::fromStdString(rule.id) == id)
            return &rule;
    }
    return nullptr;
}

const enforcement::AbusePattern* findPattern(const Policy& policy, const QString& id)
{
    for (const enforcement::AbusePattern& pattern : policy.abuse) {
        if (QString::fromStdString(pattern.id) == id)
            return &pattern;
    }
    return nullptr;
}

const enforcement::Plan* findPlan(const Policy& policy, const QString& name)
{
    for (const enforcement::Plan& plan : policy.plans) {
        if (QString::fromStdString(plan.name) == name)
            return &plan;
    }
    return nullptr;
}

std::optional<SweepParameter> fail(QString* error, const QString& message)
{
    if (error)
        *error = message;
    return std::nullopt;
}

// Checks that the thing named exists and uses that field.
std::optional<SweepParameter> checked(const SweepParameter& p, const Policy& policy, QString* error)
{
    switch (p.kind) {
    case Kind::RuleLimit:
    case Kind::RuleWindow:
    case Kind::RuleRate:
    case Kind::RulePeriod:
    case Kind::RuleBurst: {
        const enforcement::Rule* rule = findRule(policy, p.target);
        if (!rule) {
            QStringList ids;
            for (const enforcement::Rule& r : policy.rules)
                ids.push_back(QString::fromStdString(r.id));
            return fail(error,
                u"the candidate has no rule '"_s % p.target % u"'; its rules are "_s
                    % joinIds(ids));
        }
        const bool bucket = rule->algorithm == Algorithm::TokenBucket;
        const bool bucketField
            = p.kind == Kind::RuleRate || p.kind == Kind::RulePeriod || p.kind == Kind::RuleBurst;
        if (bucket != bucketField)
            return fail(error,
                u"rule '"_s % p.target % u"' is a "_s
                    % QString::fromLatin1(enforcement::toString(rule->algorithm))
                    % u" rule, which has no "_s % fieldName(p.kind) % u"; sweep its "_s
                    % (bucket ? u"rate, period or burst"_s : u"limit or window"_s));
        return p;
    }
    case Kind::PlanQuota: {
        if (!findPlan(policy, p.target)) {
            QStringList names;
            for (const enforcement::Plan& plan : policy.plans)
                names.push_back(QString::fromStdString(plan.name));
            return fail(error,
                u"the candidate has no plan '"_s % p.target % u"'; its plans are "_s
                    % joinIds(names));
        }
        if (p.metric.isEmpty())
            return fail(
                error, u"name the quota's metric: plans["_s % p.target % u"].quotas.METRIC"_s);
        return p;
    }
    case Kind::AbuseThreshold:
    case Kind::AbuseThresholdUsd:
    case Kind::AbuseWindow: {
        const enforcement::AbusePattern* pattern = findPattern(policy, p.target);
        if (!pattern) {
            QStringList ids;
            for (const enforcement::AbusePattern& a : policy.abuse)
                ids.push_back(QString::fromStdString(a.id));
            return fail(error,
                u"the candidate has no abuse pattern '"_s % p.target % u"'; its patterns are "_s
                    % joinIds(ids));
        }
        const auto kind = pattern->kind;
        const bool ok = (p.kind == Kind::AbuseThreshold && kind == enforcement::AbuseKind::Rate)
            || (p.kind == Kind::AbuseThresholdUsd && kind == enforcement::AbuseKind::Cost)
            || (p.kind == Kind::AbuseWindow
                && (kind == enforcement::AbuseKind::Rate || kind == enforcement::AbuseKind::Cost));
        if (!ok)
            return fail(error,
                u"abuse pattern '"_s % p.target % u"' is of kind "_s
                    % QString::fromLatin1(enforcement::toString(kind)) % u", which has no "_s
                    % fieldName(p.kind)
                    % (kind == enforcement::AbuseKind::Rate ? u"; sweep its threshold or window"_s
                            : kind == enforcement::AbuseKind::Cost
                            ? u"; sweep its threshold_usd or window"_s
                            : u"; only rate and cost patterns have numbers to sweep"_s));
        return p;
    }
    }
    return p;
}

QJsonObject* findById(
    QJsonArray& array, const QString& key, const QString& id, QJsonObject& out, qsizetype& index)
{
    for (index = 0; index < array.size(); ++index) {
        out = array.at(index).toObject();
        if (out.value(key).toString() == id)
            return &out;
    }
    return nullptr;
}

} // namespace

Unit SweepParameter::unit() const
{
    switch (kind) {
    case Kind::RuleWindow:
    case Kind::RulePeriod:
    case Kind::AbuseWindow:
        return Unit::Milliseconds;
    case Kind::AbuseThresholdUsd:
        return Unit::MicroUsd;
    default:
        return Unit::Count;
    }
}

QString SweepParameter::path() const
{
    switch (kind) {
    case Kind::PlanQuota:
        return u"plans["_s % target % u"].quotas."_s % metric;
    case Kind::AbuseThreshold:
    case Kind::AbuseThresholdUsd:
    case Kind::AbuseWindow:
        return u"abuse["_s % target % u"]."_s % fieldName(kind);
    default:
        return u"rules["_s % target % u"]."_s % fieldName(kind);
    }
}

QString SweepParameter::formatValue(std::int64_t value) const
{
    switch (unit()) {
    case Unit::Milliseconds:
        return policy::formatDuration(value);
    case Unit::MicroUsd:
        return policy::formatUsd(value);
    case Unit::Count:
        break;
    }
    return QString::number(value);
}

std::optional<std::int64_t> SweepParameter::parseValue(QStringView text) const
{
    text = text.trimmed();
    switch (unit()) {
    case Unit::Milliseconds:
        return policy::parseDuration(text);
    case Unit::MicroUsd: {
        const QByteArray utf8 = text.toUtf8();
        return policy::parseUsd(std::string_view(utf8.constData(), utf8.size()));
    }
    case Unit::Count:
        break;
    }
    bool ok = false;
    const qlonglong value = text.toLongLong(&ok);
    return ok ? std::optional<std::int64_t>(value) : std::nullopt;
}

std::optional<std::int64_t> SweepParameter::valueIn(const Policy& policy) const
{
    switch (kind) {
    case Kind::RuleLimit:
    case Kind::RuleWindow:
    case Kind::RuleRate:
    case Kind::RulePeriod:
    case Kind::RuleBurst: {
        const enforcement::Rule* rule = findRule(policy, target);
        if (!rule)
            return std::nullopt;
        switch (kind) {
        case Kind::RuleLimit:
            return rule->limit;
        case Kind::RuleWindow:
            return rule->windowMs;
        case Kind::RuleRate:
            return rule->rate;
        case Kind::RulePeriod:
            return rule->periodMs;
        default:
            return rule->burst;
        }
    }
    case Kind::PlanQuota: {
        const enforcement::Plan* plan = findPlan(policy, target);
        if (!plan)
            return std::nullopt;
        for (const enforcement::PlanQuota& quota : plan->quotas) {
            if (QString::fromStdString(quota.metric) == metric)
                return quota.limit;
        }
        return -1; // not listed: unlimited
    }
    case Kind::AbuseThreshold:
    case Kind::AbuseThresholdUsd:
    case Kind::AbuseWindow: {
        const enforcement::AbusePattern* pattern = findPattern(policy, target);
        if (!pattern)
            return std::nullopt;
        return kind == Kind::AbuseThreshold   ? pattern->threshold
            : kind == Kind::AbuseThresholdUsd ? pattern->thresholdMicroUsd
                                              : pattern->windowMs;
    }
    }
    return std::nullopt;
}

int SweepParameter::ruleIndex(const Policy& policy) const
{
    if (kind == Kind::PlanQuota || kind == Kind::AbuseThreshold || kind == Kind::AbuseThresholdUsd
        || kind == Kind::AbuseWindow)
        return -1;
    for (std::size_t i = 0; i < policy.rules.size(); ++i) {
        if (QString::fromStdString(policy.rules[i].id) == target)
            return static_cast<int>(i);
    }
    return -1;
}

std::optional<SweepParameter> parseSweepParameter(
    QStringView path, const Policy& candidate, QString* error)
{
    path = path.trimmed();
    const auto bracketed = [&](QStringView prefix, QString& inside, QStringView& rest) {
        if (!path.startsWith(prefix))
            return false;
        const qsizetype close = path.indexOf(u']', prefix.size());
        if (close < 0)
            return false;
        inside = path.mid(prefix.size(), close - prefix.size()).toString();
        rest = path.mid(close + 1);
        return true;
    };
    const QString usage = u"; use RULE.limit, rules[RULE].window, plans[PLAN].quotas.METRIC or "
                          u"abuse[PATTERN].threshold (docs/simulation.md)"_s;
    SweepParameter p;
    QString inside;
    QStringView rest;
    if (bracketed(u"rules[", inside, rest)) {
        p.target = inside;
        for (const FieldName& f : kRuleFields) {
            if (rest == QString(u'.' % f.name.toString())) {
                p.kind = f.kind;
                return checked(p, candidate, error);
            }
        }
        return fail(error,
            u"'"_s % path.toString()
                % u"': a rule's sweepable fields are limit, window, rate, period and burst"_s);
    }
    if (bracketed(u"plans[", inside, rest)) {
        p.kind = Kind::PlanQuota;
        p.target = inside;
        if (!rest.startsWith(u".quotas.") || rest.size() <= 8)
            return fail(error,
                u"'"_s % path.toString()
                    % u"': a plan's sweepable numbers are its quotas, "_s
                      u"plans["_s
                    % inside % u"].quotas.METRIC"_s);
        p.metric = rest.mid(8).toString();
        return checked(p, candidate, error);
    }
    if (bracketed(u"abuse[", inside, rest)) {
        p.target = inside;
        for (const FieldName& f : kAbuseFields) {
            if (rest == QString(u'.' % f.name.toString())) {
                p.kind = f.kind;
                return checked(p, candidate, error);
            }
        }
        return fail(error,
            u"'"_s % path.toString()
                % u"': an abuse pattern's sweepable fields are threshold, threshold_usd and "
                  u"window"_s);
    }
    // Short form RULE.FIELD: rule ids may contain dots, the field is after the last one.
    const qsizetype dot = path.lastIndexOf(u'.');
    if (dot <= 0 || dot == path.size() - 1)
        return fail(error, u"'"_s % path.toString() % u"' names no parameter"_s % usage);
    p.target = path.left(dot).toString();
    const QStringView field = path.mid(dot + 1);
    for (const FieldName& f : kRuleFields) {
        if (field == f.name) {
            p.kind = f.kind;
            return checked(p, candidate, error);
        }
    }
    return fail(error,
        u"'"_s % path.toString() % u"': '"_s % field.toString()
            % u"' is not a rule field (limit, window, rate, period, burst)"_s % usage);
}

std::optional<SweepSpec> parseSweepSpec(QStringView text, const Policy& candidate, QString* error)
{
    const auto failed = [error](const QString& message) -> std::optional<SweepSpec> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    const qsizetype equals = text.indexOf(u'=');
    if (equals < 0)
        return failed(u"'"_s % text.toString()
            % u"' is not PARAMETER=FROM:TO:STEP, e.g. ip_per_minute.limit=10:40:5"_s);
    std::optional<SweepParameter> parameter
        = parseSweepParameter(text.left(equals), candidate, error);
    if (!parameter)
        return std::nullopt;
    const QStringView range = text.mid(equals + 1).trimmed();
    const QList<QStringView> parts = range.split(u':');
    if (parts.size() != 3)
        return failed(u"'"_s % range.toString()
            % u"' is not a range FROM:TO:STEP (three values, e.g. 10:40:5 or 30s:5m:30s)"_s);
    std::int64_t bounds[3] = {};
    const char* names[3] = { "FROM", "TO", "STEP" };
    for (int i = 0; i < 3; ++i) {
        const auto value = parameter->parseValue(parts[i]);
        if (!value) {
            const QString expected = parameter->unit() == Unit::Milliseconds
                ? u"a duration such as 30s, 5m, 2h"_s
                : parameter->unit() == Unit::MicroUsd ? u"decimal dollars such as 0.25"_s
                                                      : u"an integer"_s;
            return failed(QString::fromLatin1(names[i]) % u" '"_s % parts[i].toString() % u"' of "_s
                % parameter->path() % u" is not "_s % expected);
        }
        bounds[i] = *value;
    }
    if (bounds[2] <= 0)
        return failed(u"STEP of "_s % parameter->path() % u" must be greater than 0"_s);
    if (bounds[0] > bounds[1])
        return failed(u"FROM ("_s % parts[0].toString() % u") is greater than TO ("_s
            % parts[1].toString() % u")"_s);
    const std::uint64_t count
        = static_cast<std::uint64_t>(bounds[1] - bounds[0]) / static_cast<std::uint64_t>(bounds[2])
        + 1;
    if (count > SweepSpec::kMaxValues)
        return failed(u"the range gives "_s % QString::number(count) % u" values; at most "_s
            % QString::number(SweepSpec::kMaxValues) % u" per sweep (take a larger STEP)"_s);
    SweepSpec spec;
    spec.parameter = *parameter;
    for (std::int64_t v = bounds[0]; v <= bounds[1]; v += bounds[2]) {
        spec.values.push_back(v);
        if (bounds[1] - v < bounds[2])
            break;
    }
    return spec;
}

std::optional<Policy> policyWithValue(const QByteArray& candidateJson,
    const SweepParameter& parameter, std::int64_t value, QString* error)
{
    const auto failed = [&](const QString& message) -> std::optional<Policy> {
        if (error)
            *error = parameter.path() % u" = "_s % parameter.formatValue(value) % u": "_s % message;
        return std::nullopt;
    };
    QJsonParseError parseError;
    QJsonDocument document = QJsonDocument::fromJson(candidateJson, &parseError);
    if (!document.isObject())
        return failed(u"the candidate is not a JSON object ("_s % parseError.errorString() % u')');
    QJsonObject root = document.object();
    const QJsonValue number = parameter.unit() == Unit::Milliseconds
        ? QJsonValue(policy::formatDuration(value))
        : parameter.unit() == Unit::MicroUsd ? QJsonValue(static_cast<double>(value) / 1e6)
                                             : QJsonValue(static_cast<qint64>(value));
    QJsonObject item;
    qsizetype index = 0;
    switch (parameter.kind) {
    case Kind::PlanQuota: {
        QJsonArray plans = root.value(u"plans"_s).toArray();
        if (!findById(plans, u"name"_s, parameter.target, item, index))
            return failed(u"the candidate has no plan '"_s % parameter.target % u"'"_s);
        QJsonObject quotas = item.value(u"quotas"_s).toObject();
        quotas.insert(parameter.metric, number);
        item.insert(u"quotas"_s, quotas);
        plans.replace(index, item);
        root.insert(u"plans"_s, plans);
        break;
    }
    case Kind::AbuseThreshold:
    case Kind::AbuseThresholdUsd:
    case Kind::AbuseWindow: {
        QJsonArray abuse = root.value(u"abuse"_s).toArray();
        if (!findById(abuse, u"id"_s, parameter.target, item, index))
            return failed(u"the candidate has no abuse pattern '"_s % parameter.target % u"'"_s);
        item.insert(fieldName(parameter.kind), number);
        abuse.replace(index, item);
        root.insert(u"abuse"_s, abuse);
        break;
    }
    default: {
        QJsonArray rules = root.value(u"rules"_s).toArray();
        if (!findById(rules, u"id"_s, parameter.target, item, index))
            return failed(u"the candidate has no rule '"_s % parameter.target % u"'"_s);
        item.insert(fieldName(parameter.kind), number);
        rules.replace(index, item);
        root.insert(u"rules"_s, rules);
        break;
    }
    }
    policy::LoadResult loaded = policy::parsePolicy(QJsonDocument(root).toJson());
    if (!loaded.ok()) {
        QStringList messages;
        for (const policy::PolicyError& e : loaded.errors)
            messages.push_back(e.toString());
        return failed(u"the policy is not valid with this value: "_s % messages.join(u"; "_s));
    }
    return std::move(loaded.policy);
}

} // namespace qc::simulation
