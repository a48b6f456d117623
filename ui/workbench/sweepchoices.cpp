#include "sweepchoices.h"

#include "policy/policyjson.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace qc::workbench {

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(qc::workbench::SweepChoices)
};

QString text(const std::string& s)
{
    return QString::fromStdString(s);
}

// A round step giving about ten values between from and to.
std::int64_t roundStep(std::int64_t span, std::int64_t unit)
{
    const double raw
        = std::max<double>(1.0, static_cast<double>(span) / 10.0 / static_cast<double>(unit));
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double fraction = raw / magnitude;
    const double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
    return std::max<std::int64_t>(1, static_cast<std::int64_t>(nice * magnitude)) * unit;
}

void add(QList<SweepChoice>& out, const enforcement::Policy& policy, const QString& path,
    const QString& owner, const QString& field)
{
    QString error;
    const auto parameter = simulation::parseSweepParameter(path, policy, &error);
    if (!parameter)
        return;
    const auto current = parameter->valueIn(policy);
    if (!current)
        return;
    SweepChoice c;
    c.parameter = *parameter;
    c.current = *current;
    c.label = Tr::tr("%1: %2 (%3)").arg(owner, field, parameter->formatValue(*current));
    std::int64_t unit = 1;
    if (parameter->unit() == simulation::SweepParameter::Unit::Milliseconds)
        unit = *current % enforcement::kMinute == 0 ? enforcement::kMinute : enforcement::kSecond;
    else if (parameter->unit() == simulation::SweepParameter::Unit::MicroUsd)
        unit = 10000; // one cent
    const std::int64_t base = std::max<std::int64_t>(*current, unit);
    c.from = std::max<std::int64_t>(unit, (base / 2) / unit * unit);
    c.to = std::max<std::int64_t>(c.from + unit, base * 2 / unit * unit);
    c.step = roundStep(c.to - c.from, unit);
    // FROM must be a whole number of steps below TO to reach it.
    c.to = c.from + (c.to - c.from) / c.step * c.step;
    out.push_back(c);
}

int indexOf(const QJsonArray& array, const QString& key, const QString& value)
{
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (array.at(i).toObject().value(key).toString() == value)
            return static_cast<int>(i);
    }
    return -1;
}

QJsonValue durationValue(std::int64_t ms)
{
    if (ms % enforcement::kSecond == 0)
        return policy::formatDuration(ms);
    return static_cast<qint64>(ms);
}

} // namespace

QList<SweepChoice> sweepChoices(const enforcement::Policy& candidate)
{
    QList<SweepChoice> out;
    for (const enforcement::Rule& rule : candidate.rules) {
        const QString id = text(rule.id);
        const QString base = u"rules["_s % id % u"]."_s;
        if (rule.algorithm == enforcement::Algorithm::TokenBucket) {
            add(out, candidate, base % u"rate"_s, id, Tr::tr("rate"));
            add(out, candidate, base % u"period"_s, id, Tr::tr("period"));
            add(out, candidate, base % u"burst"_s, id, Tr::tr("burst"));
        } else {
            add(out, candidate, base % u"limit"_s, id, Tr::tr("limit"));
            add(out, candidate, base % u"window"_s, id, Tr::tr("window"));
        }
    }
    for (const enforcement::Plan& plan : candidate.plans) {
        for (const enforcement::PlanQuota& quota : plan.quotas) {
            if (quota.limit < 0)
                continue; // unlimited: nothing to vary around
            add(out, candidate, u"plans["_s % text(plan.name) % u"].quotas."_s % text(quota.metric),
                Tr::tr("plan %1").arg(text(plan.name)), text(quota.metric));
        }
    }
    for (const enforcement::AbusePattern& pattern : candidate.abuse) {
        const QString base = u"abuse["_s % text(pattern.id) % u"]."_s;
        if (pattern.kind == enforcement::AbuseKind::Rate) {
            add(out, candidate, base % u"threshold"_s, text(pattern.id), Tr::tr("threshold"));
            add(out, candidate, base % u"window"_s, text(pattern.id), Tr::tr("window"));
        } else if (pattern.kind == enforcement::AbuseKind::Cost) {
            add(out, candidate, base % u"threshold_usd"_s, text(pattern.id), Tr::tr("threshold $"));
            add(out, candidate, base % u"window"_s, text(pattern.id), Tr::tr("window"));
        }
    }
    return out;
}

std::optional<std::pair<JsonPath, QJsonValue>> sweepEdit(
    const QJsonObject& document, const simulation::SweepParameter& parameter, std::int64_t value)
{
    using Kind = simulation::SweepParameter::Kind;
    auto within = [&](const QString& list, const QString& key) -> std::optional<JsonPath> {
        const int index = indexOf(document.value(list).toArray(), key, parameter.target);
        if (index < 0)
            return std::nullopt;
        return JsonPath { PathStep::member(list), PathStep::at(index) };
    };
    switch (parameter.kind) {
    case Kind::RuleLimit:
    case Kind::RuleRate:
    case Kind::RuleBurst: {
        const auto rule = within(u"rules"_s, u"id"_s);
        if (!rule)
            return std::nullopt;
        const QString field = parameter.kind == Kind::RuleLimit ? u"limit"_s
            : parameter.kind == Kind::RuleRate                  ? u"rate"_s
                                                                : u"burst"_s;
        return std::pair { *rule / field, QJsonValue(static_cast<qint64>(value)) };
    }
    case Kind::RuleWindow:
    case Kind::RulePeriod: {
        const auto rule = within(u"rules"_s, u"id"_s);
        if (!rule)
            return std::nullopt;
        return std::pair { *rule / (parameter.kind == Kind::RuleWindow ? u"window"_s : u"period"_s),
            durationValue(value) };
    }
    case Kind::PlanQuota: {
        const auto plan = within(u"plans"_s, u"name"_s);
        if (!plan)
            return std::nullopt;
        return std::pair { *plan / u"quotas"_s / parameter.metric,
            QJsonValue(static_cast<qint64>(value)) };
    }
    case Kind::AbuseThreshold:
    case Kind::AbuseThresholdUsd:
    case Kind::AbuseWindow: {
        const auto pattern = within(u"abuse"_s, u"id"_s);
        if (!pattern)
            return std::nullopt;
        if (parameter.kind == Kind::AbuseThreshold)
            return std::pair { *pattern / u"threshold"_s, QJsonValue(static_cast<qint64>(value)) };
        if (parameter.kind == Kind::AbuseWindow)
            return std::pair { *pattern / u"window"_s, durationValue(value) };
        return std::pair { *pattern / u"threshold_usd"_s,
            QJsonValue(static_cast<double>(value) / 1e6) };
    }
    }
    return std::nullopt;
}

} // namespace qc::workbench
