#include "tracesource.h"

#include "policy/policyjson.h"

#include <QStringList>

#include <chrono>

using namespace Qt::StringLiterals;

namespace qc::simulation {

enforcement::TimeMs LoadedTrace::warmupMs(enforcement::TimeMs requestedWarmupMs) const
{
    if (reportFromMs == std::numeric_limits<enforcement::TimeMs>::min() || trace.requests.empty())
        return requestedWarmupMs;
    return std::max<enforcement::TimeMs>(0, reportFromMs - trace.requests.front().ts);
}

namespace {

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

FileTraceSource::FileTraceSource(QString path, trace::Format format)
    : m_path(std::move(path))
    , m_format(format)
{
}

QString FileTraceSource::description() const
{
    return m_path;
}

LoadedTrace FileTraceSource::load(const LoadOptions& options)
{
    const auto started = std::chrono::steady_clock::now();
    trace::ReadOptions read;
    read.strict = options.strict;
    const std::stop_token stop = options.stopToken;
    read.progress = [&](qint64 done, qint64 total) {
        if (stop.stop_requested())
            return false;
        if (!options.progress)
            return true;
        return options.progress(
            0, total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 0.0);
    };
    trace::ReadResult result = trace::readTrace(m_path, read, options.dictionary, m_format);
    LoadedTrace out;
    out.trace = std::move(result.trace);
    out.rowErrors = std::move(result.errors);
    out.skippedRows = result.skippedRows;
    out.cancelled = result.cancelled;
    if (!result.fatal.isEmpty())
        out.error = result.fatal.contains(m_path) ? result.fatal : m_path % u": "_s % result.fatal;
    out.seconds = secondsSince(started);
    return out;
}

GeneratedTraceSource::GeneratedTraceSource(trace::GeneratorOptions options)
    : m_options(std::move(options))
{
}

QString GeneratedTraceSource::description() const
{
    QStringList scenarios;
    for (const trace::Scenario& scenario : m_options.scenarios)
        scenarios.push_back(trace::scenarioName(scenario.kind));
    return u"generated: "_s % scenarios.join(u", "_s) % u", "_s
        % policy::formatDuration(m_options.durationMs) % u", seed "_s
        % QString::number(m_options.seed);
}

LoadedTrace GeneratedTraceSource::load(const LoadOptions& options)
{
    const auto started = std::chrono::steady_clock::now();
    LoadedTrace out;
    trace::Generator generator(m_options, options.dictionary);
    out.trace.dictionary = generator.dictionary();
    enforcement::EncodedRequest request;
    const double span = static_cast<double>(std::max<enforcement::TimeMs>(1, m_options.durationMs));
    while (generator.next(request)) {
        out.trace.requests.push_back(request);
        if (out.trace.requests.size() % 65536 == 0) {
            const double fraction = static_cast<double>(request.ts - m_options.startMs) / span;
            if (options.stopToken.stop_requested()
                || (options.progress && !options.progress(out.trace.requests.size(), fraction))) {
                out.cancelled = true;
                break;
            }
        }
    }
    out.seconds = secondsSince(started);
    return out;
}

} // namespace qc::simulation
