#pragma once

#include "enforcement/types.h"
#include "simulation/tracesource.h"

#include <QString>

#include <cstdint>

namespace qc::replay {

/// The part of request_logs to replay: requests with fromMs <= ts < toMs; the `warmupMs`
/// before fromMs are read too and decided to build state, but not reported.
struct Range {
    enforcement::TimeMs fromMs = 0;
    enforcement::TimeMs toMs = 0;
    enforcement::TimeMs warmupMs = 0;
};

/// What the last load() read and where its time went.
struct LoadStats {
    std::uint64_t rows = 0;
    std::uint64_t batches = 0;
    std::uint64_t blocks = 0; // Block events (manual blocks, auto blocks from before the range)
    std::uint64_t unblocks = 0; // Unblock events (auto blocks lifted by an admin)
    std::uint64_t planChanges = 0; // PlanChange events
    std::uint64_t failOpen = 0; // requests decided fail-open live (not compared)
    double setupSeconds = 0; // transaction, events, cursor declaration
    double waitSeconds = 0; // waiting for the server's batches
    double decodeSeconds = 0; // turning rows into encoded requests
    double totalSeconds = 0;
};

/// A time range of the quota database's request_logs as a trace, with the blocks, unblocks and
/// plan changes of blocked_identifiers and plan_change_log as state events, and the decisions
/// recorded live (status, decision, reason, rule) for fidelity (docs/simulation.md).
///
/// Everything is read in one REPEATABLE READ, READ ONLY transaction; the requests through a
/// server-side cursor in binary batches (`fetchRows` at a time), the next batch requested
/// before the current one is decoded, so the server and the decoder work at the same time.
class DatabaseTraceSource final : public simulation::TraceSource {
public:
    /// `connectionName` names an open QPSQL QSqlDatabase that belongs to the thread calling
    /// load(). `label` names the database in description() (a profile or a redacted conninfo).
    DatabaseTraceSource(QString connectionName, Range range, QString label = {});

    void setFetchRows(int rows) { m_fetchRows = rows > 0 ? rows : 1; }
    const Range& range() const { return m_range; }
    QString description() const override;
    simulation::LoadedTrace load(const simulation::LoadOptions& options) override;
    const LoadStats& stats() const { return m_stats; }

private:
    QString m_connectionName;
    Range m_range;
    QString m_label;
    int m_fetchRows = 20000;
    LoadStats m_stats;
};

} // namespace qc::replay
