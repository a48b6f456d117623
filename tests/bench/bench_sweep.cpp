// A 20-point sweep over a 10-million-event trace file on the machine's cores (the target:
// < 20 s on 2 cores), next to what one run costs in the same process:
//   read    trace::readTrace of the file (once; the sweep shares the decoded trace)
//   single  one simulate() of the baseline and one candidate (two engines in parallel)
//   sweep   qc::simulation::sweep: the baseline once, then one engine per value
// plus the sweep's cost per run against a single engine's pass over the trace.
//
// The file is the scenario generator's (as for tests/bench/simulate_e2e.sh: 200,000 users,
// 1,000,000 addresses, every scenario; the first N requests of a day whose normal traffic
// averages N a day), written once and kept in $TMPDIR.
//
//   bench_sweep                          # 1 million events, 20 points
//   bench_sweep --full                   # 10 million events
//   bench_sweep --events=N --points=P --threads=T [--no-shortcut]
//   bench_sweep --benchmark_filter=Smoke # what CTest runs: 50,000 events, 4 points

#include "enforcement/engine.h"
#include "policy/policyjson.h"
#include "simulation/simulator.h"
#include "simulation/sweep.h"
#include "trace/generator.h"
#include "trace/trace.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <sys/resource.h>
#include <thread>

using Clock = std::chrono::steady_clock;
using namespace Qt::StringLiterals;

namespace {

double since(Clock::time_point t)
{
    return std::chrono::duration<double>(Clock::now() - t).count();
}

// CPU seconds of this process (every thread): on a shared machine wall time depends on the
// neighbours, CPU time divided by the threads is what dedicated cores would take.
double cpu()
{
    rusage u {};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
        + static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

QString traceFile(long long events)
{
    const QString dir = qEnvironmentVariable("TMPDIR", QDir::tempPath());
    const QString path = dir % u"/qc-bench-sweep-"_s % QString::number(events) % u".csv"_s;
    if (QFileInfo(path).size() > 0)
        return path;
    qc::trace::GeneratorOptions options;
    options.seed = 7;
    options.durationMs = qc::enforcement::kDay;
    options.users = 200000;
    options.ips = 1000000;
    options.scenarios.clear();
    for (const auto kind : { qc::trace::ScenarioKind::Normal, qc::trace::ScenarioKind::BotBurst,
             qc::trace::ScenarioKind::BuggyClient, qc::trace::ScenarioKind::CostSpike,
             qc::trace::ScenarioKind::PlanChange }) {
        qc::trace::Scenario scenario;
        scenario.kind = kind;
        options.scenarios.push_back(scenario);
    }
    // The normal traffic's mean rate over the day gives the events; the scenarios' bursts
    // come on top, so the day is cut after the first `events` requests.
    options.requestsPerSecond = static_cast<double>(events) / 86400.0;
    std::printf("generating %lld events into %s ...\n", events, qPrintable(path));
    std::fflush(stdout);
    const auto t = Clock::now();
    qc::trace::Trace trace = qc::trace::generate(options);
    if (trace.requests.size() > static_cast<std::size_t>(events))
        trace.requests.resize(static_cast<std::size_t>(events));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !qc::trace::writeCsv(trace, file) || !file.commit())
        throw std::runtime_error("cannot write " + path.toStdString());
    std::printf("generated %zu events in %.1f s\n", trace.size(), since(t));
    return path;
}

int usage()
{
    std::fprintf(stderr,
        "usage: bench_sweep [--full | --events=N] [--points=P] [--threads=T]\n"
        "                   [--benchmark_filter=Smoke]\n");
    return 2;
}

} // namespace

int main(int argc, char** argv)
{
    long long events = 1000000;
    int points = 20;
    int threads = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
    bool shortcut = true;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--full")
            events = 10000000;
        else if (a.rfind("--events=", 0) == 0)
            events = std::atoll(a.c_str() + 9);
        else if (a.rfind("--points=", 0) == 0)
            points = std::atoi(a.c_str() + 9);
        else if (a.rfind("--threads=", 0) == 0)
            threads = std::atoi(a.c_str() + 10);
        else if (a == "--no-shortcut")
            shortcut = false;
        else if (a.rfind("--benchmark_filter=", 0) == 0 && a.find("Smoke") != std::string::npos) {
            events = 50000;
            points = 4;
        } else
            return usage();
    }
    if (events < 1000 || points < 1 || threads < 1)
        return usage();
    try {
        const QString path = traceFile(events);
        auto t = Clock::now();
        const qc::trace::ReadResult read = qc::trace::readTrace(path);
        const double readS = since(t);
        if (!read.ok())
            throw std::runtime_error(read.fatal.toStdString());
        const qc::trace::Trace& trace = read.trace;
        std::printf("read %zu events in %.2f s\n", trace.size(), readS);

        const qc::enforcement::Policy baseline = qc::policy::defaultPolicy();
        const QByteArray candidateJson = qc::policy::defaultPolicyJson();
        const QString spec = u"ip_per_minute.limit=5:"_s % QString::number(5 * points) % u":5"_s;
        QString error;
        const auto parsed = qc::simulation::parseSweepSpec(spec, baseline, &error);
        if (!parsed)
            throw std::runtime_error(error.toStdString());

        // One engine's pass, the unit a sweep pays per value.
        double c0 = cpu();
        t = Clock::now();
        {
            qc::enforcement::Engine engine(baseline, trace.dictionary);
            for (const qc::enforcement::EncodedRequest& r : trace.requests) {
                if (engine.decide(r).incidents != 0)
                    engine.takeIncidents();
            }
        }
        const double engineS = since(t);
        const double engineCpu = cpu() - c0;

        t = Clock::now();
        const auto candidate = qc::simulation::policyWithValue(
            candidateJson, parsed->parameter, parsed->values.front(), &error);
        const qc::simulation::Report single = qc::simulation::simulate(baseline, *candidate, trace);
        const double singleS = since(t);

        qc::simulation::SweepOptions options;
        options.threads = threads;
        options.shortcut = shortcut;
        c0 = cpu();
        t = Clock::now();
        const qc::simulation::SweepResult result
            = qc::simulation::sweep(baseline, candidateJson, trace, *parsed, options);
        const double sweepS = since(t);
        const double sweepCpu = cpu() - c0;
        if (!result.ok())
            throw std::runtime_error(result.error.toStdString());
        if (result.points.constFirst().newlyDenied != single.newlyDenied.total)
            throw std::runtime_error("the sweep's first point differs from the single run");

        const double runs = static_cast<double>(points + 1);
        std::string load;
        std::ifstream("/proc/loadavg") >> load;
        std::printf("\n%zu events, %d points (%s) on %d threads; load average %s\n", trace.size(),
            points, qPrintable(spec), threads, load.c_str());
        std::printf("%-22s %9.2f s\n", "read the file", readS);
        std::printf("%-22s %9.2f s wall, %6.2f s cpu (%.1f M decisions/s of cpu)\n",
            "one engine, one pass", engineS, engineCpu,
            static_cast<double>(trace.size()) / engineCpu / 1e6);
        std::printf(
            "%-22s %9.2f s wall (baseline and candidate in parallel)\n", "one simulate()", singleS);
        std::printf("%-22s %9.2f s wall, %6.2f s cpu = %.2f s on %d dedicated cores (%.0f runs)\n",
            "sweep", sweepS, sweepCpu, sweepCpu / threads, threads, runs);
        if (events >= 10000000)
            std::printf("target < 20 s for 10 M events on 2 cores: wall %s, cpu / threads %s\n",
                sweepS < 20 ? "met" : "MISSED", sweepCpu / threads < 20 ? "met" : "MISSED");
        std::printf("ratios: sweep cpu / (runs x one pass cpu) %.2f, sweep wall / (%d simulate() "
                    "walls) %.2f\n",
            sweepCpu / (runs * engineCpu), points, sweepS / (points * singleS));
        std::printf("shortcut: %s; %llu requests decided in all (%.1f runs' worth)\n",
            result.shortcut ? "yes" : "no", static_cast<unsigned long long>(result.decisions),
            static_cast<double>(result.decisions) / static_cast<double>(trace.size()));
        std::printf("value  legitimate denied  abusive admitted  cost admitted  decided again\n");
        for (const qc::simulation::SweepPoint& p : result.points)
            std::printf("%5s  %17llu  %16llu  %13s  %13llu\n", qPrintable(p.valueText),
                static_cast<unsigned long long>(p.legitimateDenied),
                static_cast<unsigned long long>(p.abusiveAdmitted),
                qPrintable(qc::policy::formatUsd(p.costAdmitted)),
                static_cast<unsigned long long>(p.decided));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_sweep: %s\n", e.what());
        return 1;
    }
    return 0;
}
