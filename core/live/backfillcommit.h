#pragma once

// The one transaction that makes a staged backfill visible (docs/loadgen.md "Backfill").

#include "enforcement/decision.h"
#include "enforcement/policy.h"
#include "trace/generator.h"

#include <QString>

#include <string>
#include <vector>

namespace qc::live {

class PgSession;

/// An abuse incident of the history with the request that raised it.
struct IncidentRow {
    qc::enforcement::Incident incident;
    std::string requestId;
    std::string endpoint;
    std::string userId;
    std::string clientKey;
};

/// Everything the commit writes besides the staged tables.
struct CommitInput {
    std::vector<qc::enforcement::TimeMs> days; // starts of the staged days
    std::uint64_t minuteRows = 0; // staged rollup rows
    std::uint64_t identifierRows = 0;
    std::vector<qc::trace::GeneratedUser> users;
    qc::enforcement::TimeMs startMs = 0;
    std::vector<IncidentRow> incidents;
    std::string collisions; // text COPY of idempotency_collisions
    std::vector<qc::trace::PlanChange> planChanges;
    std::string usage; // text COPY of quota_usage
    std::string counters; // text COPY of rate_counters
    std::string ledger; // text COPY of idempotency_ledger
};

struct CommitResult {
    QString error;
    std::uint64_t blocks = 0;
    std::uint64_t planChanges = 0;
    bool rebuiltRollupIndexes = false;
};

/// Drops what an interrupted backfill left behind and creates the staging tables of the
/// rollups. Returns the error.
QString prepareStaging(PgSession& session);
/// Drops every staging table (after a failure or a cancel: nothing of the backfill stays).
void dropStaging(PgSession& session);

/// In one transaction: the users' subscriptions, the staged days attached as request_logs
/// partitions, both rollups (bulk, with their indexes rebuilt when the tables hold few rows,
/// else upserted), incidents and auto blocks, collisions, plan changes, quota usage, rate
/// counters, the idempotency ledger; then the staging tables are dropped.
CommitResult commitBackfill(PgSession& session, const qc::enforcement::Policy& policy,
    qint64 policyVersion, const CommitInput& input);

} // namespace qc::live
