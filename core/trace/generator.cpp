// Synthetic traffic for simulation, the demo backfill and the live load generator.
//
// Reproducibility is the contract: every random choice comes from xoshiro256** seeded through
// splitmix64 and is turned into numbers by integer or plain double arithmetic we write here
// (never std::*_distribution, whose output differs between standard libraries). Each scenario
// is a source with its own generator state, and sources are merged by (ts, source index), so
// adding a scenario never changes the requests of another.

#include "generator.h"

#include "generator_p.h"
#include "policy/policyjson.h"

#include <QStringList>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

using namespace Qt::StringLiterals;
namespace ef = qc::enforcement;

namespace qc::trace {

namespace {

using namespace detail;

struct Defaults {
    double offsetShare; // of the trace's duration
    ef::TimeMs duration; // 0 = to the end
    double rate;
};

Defaults defaultsOf(ScenarioKind kind)
{
    switch (kind) {
    case ScenarioKind::Normal:
        return { 0, 0, 0 };
    case ScenarioKind::BotBurst:
        return { 0.3, 10 * ef::kMinute, 40 };
    case ScenarioKind::BuggyClient:
        return { 0.2, 30 * ef::kMinute, 0.5 };
    case ScenarioKind::CostSpike:
        return { 0.5, 20 * ef::kMinute, 0.5 };
    case ScenarioKind::PlanChange:
        return { 0, 0, 1 };
    }
    return { 0, 0, 0 };
}

} // namespace

using namespace detail;

QString scenarioName(ScenarioKind kind)
{
    switch (kind) {
    case ScenarioKind::Normal:
        return u"normal"_s;
    case ScenarioKind::BotBurst:
        return u"bot_burst"_s;
    case ScenarioKind::BuggyClient:
        return u"buggy_client"_s;
    case ScenarioKind::CostSpike:
        return u"cost_spike"_s;
    case ScenarioKind::PlanChange:
        return u"plan_change"_s;
    }
    return {};
}

std::optional<ScenarioKind> scenarioKindFromName(QStringView name)
{
    for (ScenarioKind kind : { ScenarioKind::Normal, ScenarioKind::BotBurst,
             ScenarioKind::BuggyClient, ScenarioKind::CostSpike, ScenarioKind::PlanChange }) {
        if (name == scenarioName(kind))
            return kind;
    }
    return std::nullopt;
}

std::optional<Scenario> parseScenario(QStringView text, QString* error)
{
    const QList<QStringView> parts = text.split(u':');
    const auto fail = [error](const QString& message) -> std::optional<Scenario> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (parts.size() > 4)
        return fail(u"'"_s + text.toString()
            + u"' has too many parts; use name[:offset[:duration[:rate]]], e.g. bot_burst:30m:10m:40"_s);
    Scenario scenario;
    const auto kind = scenarioKindFromName(parts[0]);
    if (!kind)
        return fail(u"'"_s + parts[0].toString()
            + u"' is not a scenario; use normal, bot_burst, buggy_client, cost_spike or plan_change"_s);
    scenario.kind = *kind;
    if (parts.size() > 1 && !parts[1].isEmpty()) {
        scenario.offsetMs = qc::policy::parseDuration(parts[1]);
        if (!scenario.offsetMs)
            return fail(u"scenario offset '"_s + parts[1].toString()
                + u"' is not a duration; use e.g. 90s, 5m, 2h, 1d"_s);
    }
    if (parts.size() > 2 && !parts[2].isEmpty()) {
        scenario.durationMs = qc::policy::parseDuration(parts[2]);
        if (!scenario.durationMs)
            return fail(u"scenario duration '"_s + parts[2].toString()
                + u"' is not a duration; use e.g. 90s, 5m, 2h, 1d"_s);
    }
    if (parts.size() > 3 && !parts[3].isEmpty()) {
        bool ok = false;
        scenario.rate = parts[3].toDouble(&ok);
        if (!ok || scenario.rate <= 0 || scenario.rate > 1e7)
            return fail(u"scenario rate '"_s + parts[3].toString()
                + u"' is not a positive number of requests per second"_s);
    }
    return scenario;
}

struct Generator::Impl {
    GeneratorOptions options;
    std::shared_ptr<ef::Dictionary> dictionary;
    std::unique_ptr<World> world;
    std::vector<std::unique_ptr<Source>> sources;
};

Generator::Generator(const GeneratorOptions& options, std::shared_ptr<ef::Dictionary> dictionary)
    : d(std::make_unique<Impl>())
{
    d->options = options;
    d->dictionary = dictionary ? std::move(dictionary) : std::make_shared<ef::Dictionary>();
    d->world = std::make_unique<World>(d->options, *d->dictionary);
    const ef::TimeMs traceEnd = options.startMs + std::max<ef::TimeMs>(0, options.durationMs);
    // Plan schedules must exist before any source emits a user request, so PlanChange sources
    // are built first; the merge order (by source index) follows the options' list regardless.
    std::vector<std::unique_ptr<Source>> built(std::size_t(options.scenarios.size()));
    for (int pass = 0; pass < 2; ++pass) {
        for (qsizetype i = 0; i < options.scenarios.size(); ++i) {
            const Scenario& s = options.scenarios[i];
            if ((s.kind == ScenarioKind::PlanChange) != (pass == 0))
                continue;
            const Defaults defaults = defaultsOf(s.kind);
            const ef::TimeMs begin = options.startMs
                + s.offsetMs.value_or(
                    ef::TimeMs(double(options.durationMs) * defaults.offsetShare));
            const ef::TimeMs length = s.durationMs.value_or(defaults.duration);
            const ef::TimeMs end = length > 0 ? std::min(traceEnd, begin + length) : traceEnd;
            double rate = s.rate > 0 ? s.rate : defaults.rate;
            if (s.kind == ScenarioKind::Normal && s.rate <= 0)
                rate = options.requestsPerSecond;
            // Each source draws from its own stream, so scenarios do not perturb each other.
            std::uint64_t mix = options.streamSeed.value_or(options.seed)
                + 0x632be59bd9b4e019ULL * std::uint64_t(i + 1);
            const std::uint64_t seed = splitmix64(mix);
            built[std::size_t(i)] = makeScenarioSource(s.kind, *d->world, seed, begin, end, rate);
        }
    }
    d->sources = std::move(built);
}

Generator::~Generator() = default;

bool Generator::next(ef::EncodedRequest& request)
{
    Source* best = nullptr;
    ef::TimeMs bestTs = 0;
    for (const auto& source : d->sources) {
        const auto& pending = source->peek();
        if (pending && (!best || pending->ts < bestTs)) {
            best = source.get();
            bestTs = pending->ts;
        }
    }
    if (!best)
        return false;
    request = *best->peek();
    best->pop();
    return true;
}

const std::shared_ptr<ef::Dictionary>& Generator::dictionary() const
{
    return d->dictionary;
}

const GeneratorOptions& Generator::options() const
{
    return d->options;
}

std::vector<PlanChange> Generator::planChanges() const
{
    const World& world = *d->world;
    std::vector<PlanChange> out;
    for (const auto& [user, schedule] : world.schedules) {
        std::uint8_t from = world.users[user].plan;
        const std::string id(world.dict.text(ef::Field::User, world.users[user].id));
        for (const auto& [at, plan] : schedule) {
            out.push_back({ at, id, kPlans[from], kPlans[plan] });
            from = plan;
        }
    }
    std::stable_sort(out.begin(), out.end(),
        [](const PlanChange& a, const PlanChange& b) { return a.ts < b.ts; });
    return out;
}

std::vector<GeneratedUser> Generator::users() const
{
    const World& world = *d->world;
    std::vector<GeneratedUser> out;
    out.reserve(world.users.size() + 2);
    for (const UserInfo& user : world.users)
        out.push_back(
            { std::string(world.dict.text(ef::Field::User, user.id)), kPlans[user.plan] });
    out.push_back({ kBuggyUser, kPlans[kBuggyPlan] });
    out.push_back({ kHeavyUser, kPlans[kHeavyPlan] });
    return out;
}

Trace generate(const GeneratorOptions& options, std::shared_ptr<ef::Dictionary> dictionary)
{
    Generator generator(options, std::move(dictionary));
    Trace trace;
    trace.dictionary = generator.dictionary();
    double expected = options.requestsPerSecond * double(options.durationMs) / 1000.0;
    trace.requests.reserve(std::size_t(std::clamp(expected * 1.1, 0.0, 2e8)));
    ef::EncodedRequest request;
    while (generator.next(request))
        trace.requests.push_back(request);
    return trace;
}

} // namespace qc::trace
