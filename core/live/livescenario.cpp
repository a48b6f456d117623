#include "livescenario.h"

#include "policy/policyjson.h"

#include <QFile>

using namespace Qt::StringLiterals;
namespace ef = qc::enforcement;

namespace qc::live {

namespace {

constexpr LiveScenarioKind kKinds[]
    = { LiveScenarioKind::Normal, LiveScenarioKind::BotBurst, LiveScenarioKind::BuggyClient,
          LiveScenarioKind::CostSpike, LiveScenarioKind::PlanChange, LiveScenarioKind::DbHiccup };

std::optional<ef::TimeMs> parseOffset(QStringView text)
{
    if (text.startsWith(u'+'))
        text = text.mid(1);
    if (text == u"0")
        return 0;
    return qc::policy::parseDuration(text);
}

QString kindError(QStringView name)
{
    return u"'"_s + name.toString()
        + u"' is not a scenario; use normal, bot_burst, buggy_client, cost_spike, plan_change or "
          u"db_hiccup"_s;
}

// Fills duration and rate from their texts; false with `error` set when one is bad.
bool parseTail(LiveScenario& scenario, QStringView duration, QStringView rate, QString* error)
{
    if (!duration.isEmpty() && duration != u"-") {
        const auto value = qc::policy::parseDuration(duration);
        if (!value || *value <= 0) {
            if (error)
                *error = u"scenario duration '"_s + duration.toString()
                    + u"' is not a positive duration; use e.g. 90s, 5m, 2h"_s;
            return false;
        }
        scenario.durationMs = *value;
    }
    if (!rate.isEmpty() && rate != u"-") {
        bool ok = false;
        scenario.rate = rate.toDouble(&ok);
        if (!ok || scenario.rate <= 0 || scenario.rate > 1e6) {
            if (error)
                *error = u"scenario rate '"_s + rate.toString()
                    + u"' is not a positive number of requests per second"_s;
            return false;
        }
        if (scenario.kind == LiveScenarioKind::DbHiccup) {
            if (error)
                *error = u"db_hiccup takes no rate: it sends no requests of its own"_s;
            return false;
        }
    }
    return true;
}

} // namespace

std::optional<qc::trace::ScenarioKind> LiveScenario::traceKind() const
{
    switch (kind) {
    case LiveScenarioKind::Normal:
        return qc::trace::ScenarioKind::Normal;
    case LiveScenarioKind::BotBurst:
        return qc::trace::ScenarioKind::BotBurst;
    case LiveScenarioKind::BuggyClient:
        return qc::trace::ScenarioKind::BuggyClient;
    case LiveScenarioKind::CostSpike:
        return qc::trace::ScenarioKind::CostSpike;
    case LiveScenarioKind::PlanChange:
        return qc::trace::ScenarioKind::PlanChange;
    case LiveScenarioKind::DbHiccup:
        return std::nullopt;
    }
    return std::nullopt;
}

QString liveScenarioName(LiveScenarioKind kind)
{
    if (kind == LiveScenarioKind::DbHiccup)
        return u"db_hiccup"_s;
    LiveScenario s;
    s.kind = kind;
    return qc::trace::scenarioName(*s.traceKind());
}

std::optional<LiveScenarioKind> liveScenarioKindFromName(QStringView name)
{
    for (const LiveScenarioKind kind : kKinds) {
        if (name == liveScenarioName(kind))
            return kind;
    }
    return std::nullopt;
}

ef::TimeMs defaultDurationMs(LiveScenarioKind kind)
{
    switch (kind) {
    case LiveScenarioKind::Normal:
        return 0;
    case LiveScenarioKind::BotBurst:
        return 10 * ef::kMinute;
    case LiveScenarioKind::BuggyClient:
        return 30 * ef::kMinute;
    case LiveScenarioKind::CostSpike:
        return 20 * ef::kMinute;
    case LiveScenarioKind::PlanChange:
        return 10 * ef::kMinute;
    case LiveScenarioKind::DbHiccup:
        return 30 * ef::kSecond;
    }
    return 0;
}

double defaultRate(LiveScenarioKind kind)
{
    switch (kind) {
    case LiveScenarioKind::BotBurst:
        return 40;
    case LiveScenarioKind::BuggyClient:
    case LiveScenarioKind::CostSpike:
        return 0.5;
    case LiveScenarioKind::PlanChange:
        return 1;
    case LiveScenarioKind::Normal:
    case LiveScenarioKind::DbHiccup:
        return 0;
    }
    return 0;
}

std::optional<LiveScenario> parseLiveScenario(QStringView text, QString* error)
{
    const auto fail = [error](const QString& message) -> std::optional<LiveScenario> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    LiveScenario scenario;
    const qsizetype at = text.indexOf(u'@');
    if (at >= 0) {
        const QStringView name = text.left(at);
        const auto kind = liveScenarioKindFromName(name);
        if (!kind)
            return fail(kindError(name));
        scenario.kind = *kind;
        const QList<QStringView> parts = text.mid(at + 1).split(u':');
        if (parts.size() > 3)
            return fail(u"'"_s + text.toString()
                + u"' has too many parts; use NAME@OFFSET[:DURATION[:RATE]], e.g. "
                  u"bot_burst@+2m:5m:40"_s);
        const auto offset = parseOffset(parts[0]);
        if (!offset)
            return fail(u"scenario offset '"_s + parts[0].toString()
                + u"' is not a duration; use e.g. +90s, +5m, +2h"_s);
        scenario.offsetMs = *offset;
        if (!parseTail(scenario, parts.value(1), parts.value(2), error))
            return std::nullopt;
        return scenario;
    }
    const QList<QStringView> parts = text.split(u':');
    if (parts.size() > 4)
        return fail(u"'"_s + text.toString()
            + u"' has too many parts; use NAME@OFFSET[:DURATION[:RATE]], e.g. "
              u"bot_burst@+2m:5m:40"_s);
    const auto kind = liveScenarioKindFromName(parts[0]);
    if (!kind)
        return fail(kindError(parts[0]));
    scenario.kind = *kind;
    if (parts.size() > 1 && !parts[1].isEmpty()) {
        const auto offset = parseOffset(parts[1]);
        if (!offset)
            return fail(u"scenario offset '"_s + parts[1].toString()
                + u"' is not a duration; use e.g. 90s, 5m, 2h"_s);
        scenario.offsetMs = *offset;
    }
    if (!parseTail(scenario, parts.value(2), parts.value(3), error))
        return std::nullopt;
    return scenario;
}

Schedule parseSchedule(const QByteArray& text, const QString& fileName)
{
    Schedule out;
    const QList<QByteArray> lines = text.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QString line = QString::fromUtf8(lines[i]);
        const qsizetype hash = line.indexOf(u'#');
        if (hash >= 0)
            line.truncate(hash);
        const QStringList fields = line.simplified().split(u' ', Qt::SkipEmptyParts);
        if (fields.isEmpty())
            continue;
        const auto fail = [&](const QString& message) {
            out.scenarios.clear();
            out.error = fileName + u':' + QString::number(i + 1) + u": "_s + message;
            return out;
        };
        if (fields.size() < 2 || fields.size() > 4)
            return fail(u"expected OFFSET NAME [DURATION [RATE]], e.g. '+2m bot_burst 5m 40'"_s);
        LiveScenario scenario;
        const auto offset = parseOffset(fields[0]);
        if (!offset)
            return fail(u"offset '"_s + fields[0] + u"' is not a duration; use e.g. +90s, +5m"_s);
        scenario.offsetMs = *offset;
        const auto kind = liveScenarioKindFromName(fields[1]);
        if (!kind)
            return fail(kindError(fields[1]));
        scenario.kind = *kind;
        QString error;
        if (!parseTail(scenario, fields.value(2), fields.value(3), &error))
            return fail(error);
        out.scenarios.append(scenario);
    }
    return out;
}

Schedule readSchedule(const QString& fileName)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        Schedule out;
        out.error = u"cannot read schedule '"_s + fileName + u"': "_s + file.errorString();
        return out;
    }
    return parseSchedule(file.readAll(), fileName);
}

} // namespace qc::live
