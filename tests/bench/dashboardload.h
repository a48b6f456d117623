#pragma once

// A large synthetic quota database for the dashboard benchmarks (bench_dashboard,
// bench_console): N request_logs rows over 30 days ending at kNow, made by SQL
// (generate_series + a deterministic hash), loaded day by day into the partitions (indexes built
// after the load), the rollups aggregated from each day with the expressions of
// quota.log_requests (the hour tier and the minute totals by quota.add_minutes_to_rollup_tiers);
// the last rows (about one hour) go through quota.log_requests itself.

#include <chrono>
#include <libpq-fe.h>
#include <map>
#include <string>
#include <vector>

namespace qc::bench {

using Rows = std::vector<std::vector<std::string>>;

/// One libpq connection; throws std::runtime_error with the server's message on errors.
struct Connection {
    PGconn* conn = nullptr;
    explicit Connection(const std::string& conninfo);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    Rows query(const std::string& sql, const std::vector<std::string>& params = {});
    void exec(const std::string& sql) { query(sql); }
    std::string scalar(const std::string& sql, const std::vector<std::string>& params = {});
    /// A named prepared statement, as the console runs its queries (prepared once per session).
    Rows prepared(const std::string& sql, const std::vector<std::string>& params);

private:
    std::map<std::string, std::string> m_statements; // SQL -> prepared statement name
};

using Clock = std::chrono::steady_clock;
double msSince(Clock::time_point t0);

inline constexpr const char* kNow = "2026-01-15 14:00:00+00"; // the dashboard's "now" (a Thursday)
inline constexpr int kDays = 30;

struct LoadReport {
    double seconds = 0;
    long long bulkRows = 0;
    long long writePathRows = 0;
    double writePathSeconds = 0;
};

/// Loads `rows` rows (the last `tail` through quota.log_requests) with `workers` connections.
LoadReport load(const std::string& conninfo, long long rows, long long tail, int workers);

/// The bulk aggregation must equal quota.log_requests' own over the same raw hour.
bool checkBulkAggregation(Connection& c);

/// The INSERT of rollup_minute rows aggregated from `from` (a table or subquery).
std::string rollupMinuteInsert(const std::string& from);

} // namespace qc::bench
