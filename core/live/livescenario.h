#pragma once

#include "enforcement/types.h"
#include "trace/generator.h"

#include <QList>
#include <QString>

#include <optional>

namespace qc::live {

/// What the live load generator can play (docs/loadgen.md "Scenarios"). All but DbHiccup are
/// the traffic scenarios of core/trace's Generator.
enum class LiveScenarioKind { Normal, BotBurst, BuggyClient, CostSpike, PlanChange, DbHiccup };

/// One scheduled scenario: when it starts (from the start of the run), how long it lasts and
/// its mean rate in requests per second.
struct LiveScenario {
    LiveScenarioKind kind = LiveScenarioKind::Normal;
    qc::enforcement::TimeMs offsetMs = 0;
    /// nullopt = the kind's default (defaultDurationMs); for normal: until the run ends.
    std::optional<qc::enforcement::TimeMs> durationMs;
    double rate = 0; // 0 = the kind's default (normal: --rate)

    /// The trace scenario kind; nullopt for DbHiccup.
    std::optional<qc::trace::ScenarioKind> traceKind() const;
    friend bool operator==(const LiveScenario&, const LiveScenario&) = default;
};

/// "normal", "bot_burst", "buggy_client", "cost_spike", "plan_change", "db_hiccup".
QString liveScenarioName(LiveScenarioKind kind);
std::optional<LiveScenarioKind> liveScenarioKindFromName(QStringView name);
/// Default length in live runs: bot_burst 10m, buggy_client 30m, cost_spike 20m, plan_change
/// 10m, db_hiccup 30s; normal 0 = until the end of the run.
qc::enforcement::TimeMs defaultDurationMs(LiveScenarioKind kind);
/// Default rate: the generator's (bot_burst 40/s, buggy_client 0.5/s, cost_spike 0.5/s,
/// plan_change 1/s); 0 for normal (the run's --rate) and db_hiccup (no traffic of its own).
double defaultRate(LiveScenarioKind kind);

/// Parses one `--scenario`: `NAME@[+]OFFSET[:DURATION[:RATE]]` (e.g. `bot_burst@+2m:5m:60`) or,
/// as for `quotactl trace generate`, `NAME[:OFFSET[:DURATION[:RATE]]]`. Empty parts keep the
/// defaults; durations as in policies ("90s", "5m", "2h", "1d"; "0" for no offset). On failure
/// returns nullopt and sets `error` to a message naming the bad part.
std::optional<LiveScenario> parseLiveScenario(QStringView text, QString* error = nullptr);

/// A schedule file: one scenario per line, `OFFSET NAME [DURATION [RATE]]` separated by blanks,
/// `-` for a default, `#` starts a comment. Errors name the line: "FILE:3: ...".
struct Schedule {
    QList<LiveScenario> scenarios;
    QString error; // empty when the file was read
};
Schedule parseSchedule(const QByteArray& text, const QString& fileName);
Schedule readSchedule(const QString& fileName);

} // namespace qc::live
