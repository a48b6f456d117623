// The models of the investigation and action views (ui/models), each run through
// QAbstractItemModelTester, the proxies, the JSON difference and the alert merge.

#include "models/alertmodel.h"
#include "models/auditmodel.h"
#include "models/blockmodel.h"
#include "models/incidentmodel.h"
#include "models/investigationmodels.h"
#include "models/jsondiff.h"
#include "models/requestlogmodel.h"
#include "models/textfilterproxymodel.h"
#include "services/alertmonitor.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace qc;

namespace {

QDateTime at(int minute)
{
    return QDateTime(QDate(2026, 1, 5), QTime(14, minute), Qt::UTC);
}

db::RequestLogPage page(int first, int count, bool more)
{
    db::RequestLogPage p;
    for (int i = first; i < first + count; ++i) {
        db::RequestLogRow r;
        r.id = 100000 - i;
        r.tsMicros = (1767621900000LL - i) * 1000;
        r.ts = QDateTime::fromMSecsSinceEpoch(r.tsMicros / 1000, Qt::UTC);
        r.endpoint = u"/api/chat"_s;
        r.decision = i % 3 ? u"allowed"_s : u"denied"_s;
        r.status = i % 3 ? 200 : 429;
        r.ip = u"203.0.113."_s + QString::number(i % 250);
        r.collision = i % 8;
        if (i % 2)
            r.costUsd = 0.002;
        p.rows << r;
    }
    p.hasMore = more;
    if (!p.rows.isEmpty())
        p.next = p.rows.constLast().key();
    return p;
}

QJsonObject json(const char* text)
{
    return QJsonDocument::fromJson(text).object();
}

template<typename M> void exercise(M& model)
{
    for (int r = 0; r < model.rowCount(); ++r)
        for (int c = 0; c < model.columnCount(); ++c)
            for (int role : { int(Qt::DisplayRole), int(Qt::ToolTipRole), int(Qt::ForegroundRole),
                     int(Qt::FontRole), int(qc::models::SortRole), int(qc::models::KeyRole),
                     int(Qt::TextAlignmentRole) })
                model.index(r, c).data(role);
}

} // namespace

class tst_ActModels : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void requestLogModelPassesTheModelTester()
    {
        models::RequestLogModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy asks(&model, &models::RequestLogModel::fetchRequested);
        model.resetPage(page(0, 200, true), 1);
        // The tester, like a view, asks for more; each page it gets is appended.
        for (int i = 1; i < 5 && !asks.isEmpty(); ++i) {
            asks.clear();
            model.appendPage(page(200 * i, 200, i < 4), 1);
        }
        QCOMPARE(model.rowCount(), 1000);
        exercise(model);
        model.clear(2);
        model.resetPage(page(0, 50, false), 3);
        QCOMPARE(model.rowCount(), 50);
    }

    void requestLogModelPagesOnDemand()
    {
        models::RequestLogModel model;
        QSignalSpy asks(&model, &models::RequestLogModel::fetchRequested);
        model.resetPage(page(0, 200, true), 7);
        QCOMPARE(model.rowCount(), 200);
        QCOMPARE(model.columnCount(), int(models::RequestLogModel::ColumnCount));
        QVERIFY(model.canFetchMore({}));
        model.fetchMore({});
        QCOMPARE(asks.size(), 1);
        QCOMPARE(asks.first().at(0).value<db::RequestLogKey>(), page(0, 200, true).next);
        QCOMPARE(asks.first().at(1).toULongLong(), quint64(7));
        // One request at a time: no second ask while the first is out.
        QVERIFY(!model.canFetchMore({}));
        model.fetchMore({});
        QCOMPARE(asks.size(), 1);
        // A late answer of another filter is dropped.
        model.appendPage(page(200, 200, true), 6);
        QCOMPARE(model.rowCount(), 200);
        model.appendPage(page(200, 200, false), 7);
        QCOMPARE(model.rowCount(), 400);
        QCOMPARE(model.pagesLoaded(), 2);
        QVERIFY(!model.canFetchMore({}));
        exercise(model);
        QCOMPARE(model.index(0, models::RequestLogModel::Decision).data().toString(), u"denied"_s);
        QCOMPARE(model.index(1, models::RequestLogModel::Cost).data().toString(), u"$0.0020"_s);
        QCOMPARE(model.index(7, models::RequestLogModel::Collision).data().toString(),
            u"parameters, late, user agent"_s);
        QCOMPARE(model.index(0, 0).data(models::KeyRole).toLongLong(), qint64(100000));
        // A failed fetch can be asked again.
        model.resetPage(page(0, 10, true), 8);
        model.fetchMore({});
        model.fetchFailed(8);
        QVERIFY(model.canFetchMore({}));
        model.clear(9);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.canFetchMore({}));
    }

    void tablesOfTheInvestigation()
    {
        models::IncidentModel incidents;
        QAbstractItemModelTester t1(
            &incidents, QAbstractItemModelTester::FailureReportingMode::QtTest);
        db::IncidentRow i;
        i.id = 3;
        i.ts = at(5);
        i.patternId = u"cost_spike"_s;
        i.patternName = u"Cost spike"_s;
        i.kind = u"cost"_s;
        i.severity = u"critical"_s;
        i.details = json(R"({"value": 1250000})");
        i.blockedUntil = at(50);
        i.blockId = 9;
        incidents.resetData({ i, i });
        exercise(incidents);
        QCOMPARE(incidents.index(0, models::IncidentModel::Pattern).data().toString(),
            u"Cost spike (cost_spike)"_s);
        QCOMPARE(incidents.index(0, models::IncidentModel::Value).data().toString(), u"$1.25"_s);
        QVERIFY(incidents.index(0, models::IncidentModel::BlockedUntil)
                    .data()
                    .toString()
                    .contains(u"block 9"_s));

        models::BuggyClientModel buggy;
        QAbstractItemModelTester t2(&buggy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        buggy.resetData({ db::BuggyClient { u"u1"_s, 14, 10, 3, 1, at(1), at(9), u"k"_s } });
        exercise(buggy);

        models::BlockModel blocks;
        QAbstractItemModelTester t3(
            &blocks, QAbstractItemModelTester::FailureReportingMode::QtTest);
        db::BlockRow active;
        active.id = 1;
        active.target = u"ip"_s;
        active.value = u"203.0.113.7"_s;
        active.from = at(0);
        active.source = u"auto"_s;
        active.incidentId = 4;
        active.incidentPattern = u"high_request_rate"_s;
        db::BlockRow lifted = active;
        lifted.id = 2;
        lifted.unblockedAt = at(10);
        lifted.unblockedBy = u"olga"_s;
        db::BlockRow ended = active;
        ended.id = 3;
        ended.until = at(3);
        blocks.resetData({ active, lifted, ended }, at(20));
        exercise(blocks);
        QCOMPARE(blocks.index(0, models::BlockModel::State).data().toString(), u"active"_s);
        QCOMPARE(blocks.index(1, models::BlockModel::State).data().toString(), u"lifted"_s);
        QCOMPARE(blocks.index(2, models::BlockModel::State).data().toString(), u"ended"_s);
        QCOMPARE(blocks.index(0, models::BlockModel::Until).data().toString(), u"permanent"_s);
        QCOMPARE(blocks.index(0, models::BlockModel::Incident).data().toString(),
            u"#4 (high_request_rate)"_s);

        models::RateLimitModel limits;
        QAbstractItemModelTester t4(
            &limits, QAbstractItemModelTester::FailureReportingMode::QtTest);
        db::RateLimitState s;
        s.ruleId = u"ip_per_minute"_s;
        s.algorithm = u"fixed_window"_s;
        s.windowMs = 60000;
        s.limit = 20;
        s.used = 20;
        s.admits = false;
        s.resetAt = at(21);
        limits.resetData({ s }, at(20));
        exercise(limits);
        QCOMPARE(limits.index(0, models::RateLimitModel::Used).data().toString(), u"20 / 20"_s);
        QCOMPARE(limits.index(0, models::RateLimitModel::Admits).data().toString(), u"denied"_s);
        QCOMPARE(limits.index(0, models::RateLimitModel::Resets).data().toString(), u"in 1 min"_s);

        models::ReasonCountModel reasons;
        QAbstractItemModelTester t5(
            &reasons, QAbstractItemModelTester::FailureReportingMode::QtTest);
        reasons.resetData({ { u"rate_limited"_s, 3 }, { u"blocked"_s, 1 } });
        exercise(reasons);
        QCOMPARE(reasons.index(0, models::ReasonCountModel::Share).data().toString(), u"75%"_s);

        models::CollisionModel collisions;
        QAbstractItemModelTester t6(
            &collisions, QAbstractItemModelTester::FailureReportingMode::QtTest);
        db::CollisionRow c;
        c.kind = u"late"_s;
        c.differentParameters = true;
        c.late = true;
        c.msSinceFirst = 360000;
        collisions.resetData({ c });
        exercise(collisions);
        QCOMPARE(collisions.index(0, models::CollisionModel::Classification).data().toString(),
            u"parameters, late"_s);
        QCOMPARE(
            collisions.index(0, models::CollisionModel::SinceFirst).data().toString(), u"6m"_s);

        models::UsageModel usage;
        QAbstractItemModelTester t7(&usage, QAbstractItemModelTester::FailureReportingMode::QtTest);
        usage.resetData({ { u"ai_generations"_s, 60, 50, u"free"_s, at(0) },
            { u"api_calls"_s, 5, -1, u"enterprise"_s, at(0) } });
        exercise(usage);
        QCOMPARE(usage.index(0, models::UsageModel::Share).data().toString(), u"120%"_s);
        QCOMPARE(usage.index(1, models::UsageModel::Limit).data().toString(), u"unlimited"_s);

        models::PlanChangeModel changes;
        QAbstractItemModelTester t8(
            &changes, QAbstractItemModelTester::FailureReportingMode::QtTest);
        changes.resetData({ db::PlanChangeRow { 1, u"u1"_s, u"pro"_s, u"free"_s, u"downgrade"_s,
            at(0), u"pro"_s, at(30), u"alice"_s, u"unpaid"_s } });
        exercise(changes);

        models::RelatedModel related;
        QAbstractItemModelTester t9(
            &related, QAbstractItemModelTester::FailureReportingMode::QtTest);
        related.resetData({ { u"user"_s, u"u1"_s, 10, 2 } });
        exercise(related);

        models::SpanTopModel top(u"IP"_s);
        QAbstractItemModelTester t10(&top, QAbstractItemModelTester::FailureReportingMode::QtTest);
        db::TopRow row;
        row.identifier = u"203.0.113.7"_s;
        row.requests = 40;
        top.resetData({ row });
        exercise(top);
    }

    void textFilterKeepsRowsWithEveryWord()
    {
        models::BlockModel blocks;
        db::BlockRow a;
        a.id = 1;
        a.target = u"ip"_s;
        a.value = u"203.0.113.7"_s;
        a.reason = u"Scraping the catalogue"_s;
        a.from = at(0);
        db::BlockRow b = a;
        b.id = 2;
        b.target = u"user"_s;
        b.value = u"mallory"_s;
        b.reason = u"chargeback"_s;
        blocks.resetData({ a, b }, at(5));
        models::TextFilterProxyModel proxy;
        QAbstractItemModelTester tester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&blocks);
        QCOMPARE(proxy.rowCount(), 2);
        proxy.setText(u"SCRAPING 203.0"_s);
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, models::BlockModel::Value).data().toString(), u"203.0.113.7"_s);
        proxy.setText(u"scraping mallory"_s);
        QCOMPARE(proxy.rowCount(), 0);
        proxy.setText({});
        proxy.sort(models::BlockModel::Value, Qt::AscendingOrder);
        QCOMPARE(proxy.index(0, models::BlockModel::Value).data().toString(), u"203.0.113.7"_s);
    }

    void jsonDiffNamesEveryChangedField()
    {
        const QJsonObject before = json(R"({"plan": "free", "version": 1, "grace_end": null,
            "tags": ["a", "b"], "nested": {"x": 1, "y": 2}})");
        const QJsonObject after = json(R"({"plan": "pro", "version": 2, "grace_end": null,
            "tags": ["a"], "nested": {"x": 1, "z": 3}, "updated_by": "alice"})");
        const QList<models::JsonChange> changes = models::diffJson(before, after);
        QStringList paths;
        for (const auto& c : changes)
            paths << c.path;
        QCOMPARE(paths,
            QStringList({ u"nested.y"_s, u"nested.z"_s, u"plan"_s, u"tags[1]"_s, u"updated_by"_s,
                u"version"_s }));
        QCOMPARE(changes.at(2).kind, models::JsonChange::Kind::Changed);
        QCOMPARE(changes.at(0).kind, models::JsonChange::Kind::Removed);
        QCOMPARE(changes.at(1).kind, models::JsonChange::Kind::Added);
        const QString text = models::describeChanges(changes);
        QVERIFY2(text.contains(u"~ plan: \"free\" → \"pro\""_s), qPrintable(text));
        QVERIFY(text.contains(u"+ updated_by: \"alice\""_s));
        QVERIFY(text.contains(u"− tags[1]: \"b\""_s));
        // A creation lists every field as added; includeSame lists the unchanged ones too.
        const auto created = models::diffJson(QJsonValue(QJsonValue::Null), QJsonValue(after));
        QCOMPARE(created.size(), 6); // nested values whole
        for (const auto& c : created)
            QCOMPARE(c.kind, models::JsonChange::Kind::Added);
        QCOMPARE(models::diffJson(before, before, true).size(), 7);
        QVERIFY(models::diffJson(before, before).isEmpty());
    }

    void auditModelsPageAndShowTheDifference()
    {
        models::AuditModel tested;
        QAbstractItemModelTester tester(
            &tested, QAbstractItemModelTester::FailureReportingMode::QtTest);
        models::AuditModel audit;
        QSignalSpy asks(&audit, &models::AuditModel::fetchRequested);
        db::AuditPage p;
        for (int i = 0; i < 5; ++i) {
            db::AuditEntry e;
            e.id = 50 - i;
            e.ts = at(i);
            e.actor = u"alice"_s;
            e.action = u"change_plan"_s;
            e.target = u"user:u1"_s;
            e.beforeIsNull = false;
            e.before = json(R"({"plan": "free", "version": 1})");
            e.afterIsNull = false;
            e.after = json(R"({"plan": "pro", "version": 2})");
            p.entries << e;
        }
        p.hasMore = true;
        tested.resetPage(p, 1);
        exercise(tested);
        audit.resetPage(p, 1);
        QCOMPARE(audit.index(0, models::AuditModel::Changes).data().toString(),
            u"plan: \"free\" → \"pro\""_s);
        QVERIFY(audit.canFetchMore({}));
        audit.fetchMore({});
        QCOMPARE(asks.size(), 1);
        QCOMPARE(asks.first().at(0).toLongLong(), qint64(46));
        db::AuditPage next = p;
        for (auto& e : next.entries)
            e.id -= 5;
        next.hasMore = false;
        audit.appendPage(next, 1);
        QCOMPARE(audit.rowCount(), 10);
        QCOMPARE(audit.rowOf(41), 9);

        models::JsonDiffModel diff;
        QAbstractItemModelTester t2(&diff, QAbstractItemModelTester::FailureReportingMode::QtTest);
        diff.setEntry(p.entries.first());
        exercise(diff);
        QCOMPARE(diff.rowCount(), 2);
        QCOMPARE(diff.index(0, models::JsonDiffModel::Field).data().toString(), u"plan"_s);
        QCOMPARE(diff.index(0, models::JsonDiffModel::After).data().toString(), u"\"pro\""_s);
    }

    void alertsOfBothSourcesAreMergedIntoOneList()
    {
        db::AlertRow dbAlert;
        dbAlert.id = 7;
        dbAlert.rule = u"HighDenialRate"_s;
        dbAlert.severity = u"warning"_s;
        dbAlert.state = u"firing"_s;
        dbAlert.labels = json(R"({"alertname": "HighDenialRate", "severity": "warning"})");
        dbAlert.annotations = json(R"({"summary": "27% denied"})");
        dbAlert.startsAt = at(1);
        metrics::AmAlert same;
        same.fingerprint = u"f1"_s;
        same.labels = { { u"alertname"_s, u"HighDenialRate"_s }, { u"severity"_s, u"warning"_s },
            { u"cluster"_s, u"eu"_s } };
        same.state = u"active"_s;
        metrics::AmAlert other;
        other.fingerprint = u"f2"_s;
        other.labels = { { u"alertname"_s, u"DiskFull"_s }, { u"severity"_s, u"critical"_s } };
        other.state = u"suppressed"_s;
        other.startsAt = at(2);
        metrics::AmSilence ack;
        ack.id = u"s1"_s;
        ack.state = u"active"_s;
        ack.createdBy = u"olga"_s;
        ack.comment = u"on it"_s;
        ack.endsAt = at(59);
        ack.matchers = metrics::AmSilence::matchersFor(other.labels);
        metrics::AmSilence unrelated = ack;
        unrelated.id = u"s2"_s;
        unrelated.matchers = { { u"alertname"_s, u"DiskFull"_s, false, true } }; // not exact
        const QList<services::AlertItem> items
            = services::mergeAlerts({ dbAlert }, { same, other }, { ack, unrelated });
        QCOMPARE(items.size(), 2);
        const services::AlertItem& merged = items.at(0);
        QCOMPARE(merged.key, u"db:7"_s);
        QVERIFY(merged.database && merged.alertmanager);
        QCOMPARE(merged.state, u"firing"_s);
        QCOMPARE(merged.summary, u"27% denied"_s);
        QCOMPARE(merged.silenceLabels().size(), 2); // the database's labels
        const services::AlertItem& am = items.at(1);
        QCOMPARE(am.key, u"am:f2"_s);
        QCOMPARE(am.state, u"acknowledged"_s); // by the silence with exactly its labels
        QCOMPARE(am.acknowledgedBy, u"olga"_s);
        QCOMPARE(am.note, u"on it"_s);
        QCOMPARE(am.silences.size(), 1);

        models::AlertModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        models::AlertStateProxyModel open;
        QAbstractItemModelTester t2(&open, QAbstractItemModelTester::FailureReportingMode::QtTest);
        open.setSourceModel(&model);
        services::AlertItem resolved = merged;
        resolved.key = u"db:8"_s;
        resolved.state = u"resolved"_s;
        model.resetData(items + QList<services::AlertItem> { resolved });
        exercise(model);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(open.rowCount(), 2);
        open.setOpenOnly(false);
        QCOMPARE(open.rowCount(), 3);
        QCOMPARE(model.rowOf(u"am:f2"_s), 1);
        QCOMPARE(
            model.index(1, models::AlertModel::Acknowledged).data().toString(), u"olga: on it"_s);
    }
};

QTEST_MAIN(tst_ActModels)
#include "tst_actmodels.moc"
