// Measures what `quotactl simulate` depends on: generating, writing and reading large traces.
// Usage: trace_throughput [rows=10000000] [file=/tmp/qc-trace-throughput.csv]
//        trace_throughput read FILE      (only reads an existing trace)

#include "trace/generator.h"
#include "trace/trace.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <cstdio>
#include <ctime>

namespace ef = qc::enforcement;
using namespace qc::trace;

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() > 2 && args[1] == QStringLiteral("read")) {
        QElapsedTimer timer;
        timer.start();
        const std::clock_t cpu = std::clock();
        const ReadResult result = readTrace(args[2]);
        const double readS = double(timer.nsecsElapsed()) / 1e9;
        const double readCpu = double(std::clock() - cpu) / CLOCKS_PER_SEC;
        const double bytes = double(QFileInfo(args[2]).size());
        std::printf("readTrace: %zu rows, %.0f MB in %.2f s wall, %.2f s CPU (%.0f MB per CPU "
                    "second)%s\n",
            result.trace.size(), bytes / 1e6, readS, readCpu, bytes / readCpu / 1e6,
            result.ok() ? "" : " NOT OK");
        return result.ok() ? 0 : 1;
    }
    const double rows = args.size() > 1 ? args[1].toDouble() : 1e7;
    const QString path = args.size() > 2 ? args[2] : QStringLiteral("/tmp/qc-trace-throughput.csv");

    GeneratorOptions options;
    options.requestsPerSecond = 1000;
    options.durationMs = static_cast<ef::TimeMs>(rows / options.requestsPerSecond * 1000.0);
    options.users = 100000;
    options.ips = 200000;
    options.scenarios = { Scenario {}, Scenario { ScenarioKind::BotBurst },
        Scenario { ScenarioKind::BuggyClient }, Scenario { ScenarioKind::CostSpike },
        Scenario { ScenarioKind::PlanChange } };

    if (qEnvironmentVariableIsSet("QC_NO_REQUEST_IDS"))
        options.requestIds = false;
    QElapsedTimer timer;
    timer.start();
    std::clock_t cpu = std::clock();
    const Trace trace = generate(options);
    const double generateS = double(timer.nsecsElapsed()) / 1e9;
    const double generateCpu = double(std::clock() - cpu) / CLOCKS_PER_SEC;
    std::printf("generate: %zu rows in %.2f s wall, %.2f s CPU (%.1f M rows per CPU second)\n",
        trace.size(), generateS, generateCpu, double(trace.size()) / generateCpu / 1e6);

    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            std::fprintf(stderr, "cannot write %s\n", qPrintable(path));
            return 1;
        }
        timer.restart();
        writeCsv(trace, file);
        file.close();
        const double writeS = double(timer.nsecsElapsed()) / 1e9;
        std::printf("writeCsv: %.2f s (%.0f MB/s)\n", writeS,
            double(QFileInfo(path).size()) / writeS / 1e6);
    }

    const double bytes = double(QFileInfo(path).size());
    for (int round = 0; round < 2; ++round) {
        timer.restart();
        cpu = std::clock();
        const ReadResult result = readTrace(path);
        const double readS = double(timer.nsecsElapsed()) / 1e9;
        const double readCpu = double(std::clock() - cpu) / CLOCKS_PER_SEC;
        std::printf("readTrace: %zu rows, %.0f MB in %.2f s wall, %.2f s CPU (%.0f MB per CPU "
                    "second)%s\n",
            result.trace.size(), bytes / 1e6, readS, readCpu, bytes / readCpu / 1e6,
            result.ok() ? "" : " NOT OK");
    }
    return 0;
}
