#pragma once

#include "enforcement/types.h"
#include "trace/generator.h"
#include "trace/trace.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <limits>
#include <memory>
#include <stop_token>

namespace qc::simulation {

struct LoadOptions {
    /// Cancels the load when stop is requested (from any thread).
    std::stop_token stopToken;
    /// Called on the loading thread now and then with the requests read so far and the
    /// fraction done (0 … 1); returning false cancels the load.
    std::function<bool(std::uint64_t requests, double fraction)> progress;
    /// Files: the first bad row ends the load (else bad rows are skipped and counted).
    bool strict = false;
    /// Intern into this dictionary (engines deciding the requests must share it); empty = new.
    std::shared_ptr<enforcement::Dictionary> dictionary;
};

/// A trace loaded by a TraceSource, or why it could not be.
struct LoadedTrace {
    trace::Trace trace;
    QString error; // non-empty: nothing usable was loaded
    QStringList warnings; // things the admin should know about what was loaded
    QList<trace::TraceError> rowErrors; // files: bad rows (at most 100), in file order
    qint64 skippedRows = 0;
    bool cancelled = false;
    /// Requests before this time were loaded to build state only (a warm-up the source read
    /// ahead of the range asked for); min() when the whole trace is to be reported.
    enforcement::TimeMs reportFromMs = std::numeric_limits<enforcement::TimeMs>::min();
    double seconds = 0; // wall time of the load

    bool ok() const { return error.isEmpty() && !cancelled; }
    /// The Options::warmupMs that makes simulate() report from reportFromMs, added to
    /// `warmupMs` counted from the first request otherwise.
    enforcement::TimeMs warmupMs(enforcement::TimeMs requestedWarmupMs = 0) const;
};

/// Where a simulation's requests come from: a trace file, a generated scenario or the quota
/// database (qc::replay::DatabaseTraceSource). load() runs on a worker thread; it can take
/// minutes for large traces and reports progress and honours cancellation.
class TraceSource {
public:
    virtual ~TraceSource() = default;
    /// One line for reports and titles: "trace.csv", "request_logs 2026-01-05T00:00Z … on …".
    virtual QString description() const = 0;
    virtual LoadedTrace load(const LoadOptions& options) = 0;
};

/// A CSV or JSONL trace file (trace::readTrace).
class FileTraceSource final : public TraceSource {
public:
    explicit FileTraceSource(QString path, trace::Format format = trace::Format::Auto);
    QString description() const override;
    LoadedTrace load(const LoadOptions& options) override;

private:
    QString m_path;
    trace::Format m_format;
};

/// Synthetic traffic of the scenario generator (trace::Generator).
class GeneratedTraceSource final : public TraceSource {
public:
    explicit GeneratedTraceSource(trace::GeneratorOptions options);
    QString description() const override;
    LoadedTrace load(const LoadOptions& options) override;

private:
    trace::GeneratorOptions m_options;
};

} // namespace qc::simulation
