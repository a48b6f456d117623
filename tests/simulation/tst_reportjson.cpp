// Reports and sweeps read back from their JSON (the results a workspace keeps) are the reports
// and sweeps that were written.

#include "simulation/reportjson.h"
#include "simulationtesting.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qc;

namespace {

// The default policy with the per-minute limit halved: a candidate that changes things.
QByteArray tighterPolicy()
{
    QByteArray json = policy::defaultPolicyJson();
    json.replace(R"("window": "1m", "limit": 20)", R"("window": "1m", "limit": 8)");
    return json;
}

} // namespace

class TestReportJson : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void reportRoundTrip()
    {
        const trace::Trace trace = simtest::generatedTrace(30);
        const enforcement::Policy baseline = policy::defaultPolicy();
        const enforcement::Policy candidate = simtest::policyFrom(tighterPolicy());
        const simulation::Report report = simulation::simulate(baseline, candidate, trace);
        QVERIFY(report.newlyDenied.total > 0); // the case is not trivial
        QVERIFY(!report.timeSeries.isEmpty());

        const QJsonObject json = simulation::toJson(report);
        QString error;
        const auto back = simulation::reportFromJson(json, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(simulation::toJson(*back), json);
        QCOMPARE(back->newlyDenied.topClients, report.newlyDenied.topClients);
        QCOMPARE(back->baseline.byReason, report.baseline.byReason);
        QCOMPARE(back->costSaved, report.costSaved);
        QCOMPARE(back->timeSeries.size(), report.timeSeries.size());
    }

    void reportErrorNamesTheKey()
    {
        QJsonObject json = simulation::toJson(simulation::Report {});
        QJsonObject candidate = json.value(u"candidate"_s).toObject();
        candidate.insert(u"by_reason"_s, u"many"_s);
        json.insert(u"candidate"_s, candidate);
        QString error;
        QVERIFY(!simulation::reportFromJson(json, &error));
        QCOMPARE(error, u"candidate.by_reason: expected an object"_s);

        json.remove(u"trace"_s);
        QVERIFY(!simulation::reportFromJson(json, &error));
        QCOMPARE(error, u"trace: is missing"_s);
    }

    void sweepRoundTrip()
    {
        const trace::Trace trace = simtest::generatedTrace(20);
        const enforcement::Policy baseline = policy::defaultPolicy();
        const QByteArray candidateJson = tighterPolicy();
        const enforcement::Policy candidate = simtest::policyFrom(candidateJson);
        QString error;
        const auto spec
            = simulation::parseSweepSpec(u"ip_per_minute.limit=4:12:4", candidate, &error);
        QVERIFY2(spec, qPrintable(error));
        simulation::SweepOptions options;
        options.threads = 2;
        const simulation::SweepResult result
            = simulation::sweep(baseline, candidateJson, trace, *spec, options);
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(result.points.size(), 3);

        const QJsonObject json = simulation::toJson(result);
        const auto back = simulation::sweepFromJson(json, candidate, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(simulation::toJson(*back), json);
        QCOMPARE(back->points, result.points);
        QCOMPARE(back->parameter, result.parameter);
        QCOMPARE(back->candidateValue, 8);

        // A candidate without that rule cannot place the sweep's parameter.
        enforcement::Policy other = candidate;
        other.rules.erase(other.rules.begin());
        QVERIFY(!simulation::sweepFromJson(json, other, &error));
        QVERIFY2(error.startsWith(u"parameter: "_s), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestReportJson)
#include "tst_reportjson.moc"
