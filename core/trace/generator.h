#pragma once

#include "trace.h"

#include <QList>
#include <QString>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace qc::trace {

/// A kind of traffic the generator can produce (DESIGN §8: the demo's scenarios).
enum class ScenarioKind {
    Normal, // diurnal traffic over many users on all plans, IPv4 and IPv6, retries with replays
    BotBurst, // a burst from one /24 (203.0.113.0/24) with a bot user agent
    BuggyClient, // one user reusing idempotency keys with different bodies
    CostSpike, // one enterprise user with heavy token use on /api/chat
    PlanChange, // users upgrading and downgrading mid-cycle (the plan column changes)
};

struct Scenario {
    ScenarioKind kind = ScenarioKind::Normal;
    /// Start, from GeneratorOptions::startMs; nullopt = the kind's default (see generator.cpp).
    std::optional<qc::enforcement::TimeMs> offsetMs;
    /// Length; nullopt = the kind's default. Clipped to the end of the trace.
    std::optional<qc::enforcement::TimeMs> durationMs;
    /// Mean requests per second of this scenario; 0 = the kind's default (Normal: the options').
    double rate = 0;
};

struct GeneratorOptions {
    qc::enforcement::TimeMs startMs = 1767571200000; // 2026-01-05T00:00:00Z, a Monday
    qc::enforcement::TimeMs durationMs = qc::enforcement::kHour;
    quint64 seed = 1;
    int users = 5000;
    int ips = 20000;
    double requestsPerSecond = 50; // mean of Normal traffic over a day (it follows the hour)
    QList<Scenario> scenarios { Scenario {} };
    /// Unique request ids cost a dictionary entry per request; large benchmark traces may do
    /// without (the row number identifies a request then).
    bool requestIds = true;
    /// Seed of the scenarios' random streams; nullopt = `seed`. The population (users, their
    /// plans, addresses) always comes from `seed`, so two generators with the same seed and
    /// different stream seeds produce different requests from the same users (the live load
    /// generator continues a backfill's population this way).
    std::optional<quint64> streamSeed;
    /// Normal traffic follows the hour of the day (UTC); false = a constant rate.
    bool diurnal = true;
};

/// A plan change made by the PlanChange scenario: from `ts` on, `userId` is on `plan`.
struct PlanChange {
    qc::enforcement::TimeMs ts = 0;
    std::string userId;
    std::string fromPlan;
    std::string plan;
};

/// A user of the generated population with the plan it starts on.
struct GeneratedUser {
    std::string userId;
    std::string plan;
};

/// "normal", "bot_burst", "buggy_client", "cost_spike", "plan_change".
QString scenarioName(ScenarioKind kind);
std::optional<ScenarioKind> scenarioKindFromName(QStringView name);
/// Parses "name[:offset[:duration[:rate]]]", e.g. "bot_burst:30m:10m:40"; durations as in
/// policies ("90s", "2h"), empty parts keep the defaults. On failure returns nullopt and sets
/// `error` to a message naming the bad part.
std::optional<Scenario> parseScenario(QStringView text, QString* error = nullptr);

/// Synthetic traffic, one request at a time in time order, reproducible: the same options give
/// the same requests (and the same bytes when written) on every machine.
class Generator {
public:
    explicit Generator(const GeneratorOptions& options,
        std::shared_ptr<qc::enforcement::Dictionary> dictionary = {});
    ~Generator();
    Generator(const Generator&) = delete;
    Generator& operator=(const Generator&) = delete;

    /// The next request in time order; false when the trace is over.
    bool next(qc::enforcement::EncodedRequest& request);
    /// The dictionary the requests are interned in (decode() them with it for text).
    const std::shared_ptr<qc::enforcement::Dictionary>& dictionary() const;
    const GeneratorOptions& options() const;
    /// Every plan change of the PlanChange scenarios, in time order.
    std::vector<PlanChange> planChanges() const;
    /// The population: every user the scenarios send requests as (the buggy and the heavy
    /// client included), with the plan each starts on.
    std::vector<GeneratedUser> users() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

/// All requests of a Generator, as a trace without recorded decisions or line numbers.
Trace generate(
    const GeneratorOptions& options, std::shared_ptr<qc::enforcement::Dictionary> dictionary = {});

} // namespace qc::trace
