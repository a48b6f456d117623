#pragma once

// What the Simulate page's tests share (tst_simulatepage, tst_simulaterollout): the page with its
// own settings and session, generated trace sources, candidates, probes of live enforcement, and
// the seeded database each test copies (traffic played through the live function).
//
// QC_SCREENSHOT_DIR=dir saves a picture of the page at each step, for looking at it.

#include "../db/replaytraffic.h"
#include "live/loadgenerator.h"
#include "live/metricsregistry.h"
#include "policy/policyjson.h"
#include "services/databaseworker.h"
#include "services/session.h"
#include "services/settingsstore.h"
#include "simulation/workspace.h"
#include "support/sqlcall.h"
#include "support/testcluster.h"
#include "ui/baselinewidget.h"
#include "ui/candidateeditor.h"
#include "ui/policytextedit.h"
#include "ui/policyversionswidget.h"
#include "ui/rolloutdialog.h"
#include "ui/simulatepage.h"
#include "ui/simulationresultswidget.h"
#include "ui/simulationsourcewidget.h"
#include "ui/sweepwidget.h"
#include "workbench/affectedidentifiermodel.h"
#include "workbench/disagreementmodel.h"
#include "workbench/policychangemodel.h"
#include "workbench/policydocument.h"
#include "workbench/policyformat.h"
#include "workbench/policyrulesmodel.h"
#include "workbench/policyversionmodel.h"
#include "workbench/simulationrunner.h"
#include "workbench/sweeppointmodel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QJsonDocument>
#include <QLineEdit>
#include <QListWidget>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

namespace simulatepagetest {

using namespace Qt::StringLiterals;
using namespace qc;
using qc::testsupport::sqlCall;
using qc::testsupport::TestCluster;

inline constexpr qint64 kStart = 1769814000000; // 2026-01-30T23:00:00Z

// The page with its own settings and session, connected as `role`.
struct Console {
    QTemporaryDir dir;
    services::SettingsStore settings { dir.filePath(u"console.ini"_s) };
    services::Session session;
    std::unique_ptr<ui::SimulatePage> page;

    bool connect(const QString& conninfo, db::QuotaRole expected)
    {
        services::Session::Timing timing;
        timing.firstRetry = std::chrono::milliseconds(200);
        timing.maxRetry = std::chrono::milliseconds(500);
        session.setTiming(timing);
        services::ConnectionProfile profile
            = services::ConnectionProfile::create(u"Replay test"_s, u"TEST"_s);
        profile.setDatabaseConninfo(conninfo);
        session.connectTo(profile);
        page = std::make_unique<ui::SimulatePage>(ui::PageContext { &session, &settings });
        page->resize(1500, 950);
        page->show();
        if (!QTest::qWaitForWindowExposed(page.get()))
            return false;
        // Identity and versions arrive after the connection.
        return QTest::qWaitFor([&] { return session.role() == expected; }, 10000);
    }

    void shot(const QString& name) const
    {
        const QString out = qEnvironmentVariable("QC_SCREENSHOT_DIR");
        if (!out.isEmpty())
            page->grab().save(out % u'/' % name % u".png"_s);
    }
};

// A generated trace source of about `requests` requests.
inline simulation::WorkspaceSource generated(double perSecond, qint64 durationMs)
{
    simulation::WorkspaceSource s;
    s.kind = simulation::WorkspaceSource::Kind::Generated;
    s.generator.durationMs = durationMs;
    s.generator.requestsPerSecond = perSecond;
    s.generator.users = 400;
    s.generator.ips = 800;
    s.generator.requestIds = false;
    trace::Scenario normal;
    trace::Scenario bots;
    bots.kind = trace::ScenarioKind::BotBurst;
    bots.offsetMs = durationMs / 4;
    s.generator.scenarios = { normal, bots };
    return s;
}

inline QString withIpMinuteLimit(int limit)
{
    QByteArray json = replaytest::replayPolicy();
    const QByteArray replacement
        = QByteArray(R"("window": "1m", "limit": )") + QByteArray::number(limit) + "}";
    json.replace(R"("window": "1m", "limit": 12})", replacement);
    return QString::fromUtf8(json);
}

// Four anonymous requests from `ip` in one second, through the live function.
inline QStringList liveReasons(QSqlDatabase db, const QString& ip, qint64 ts)
{
    livetest::LiveEnforcer live(db);
    QStringList reasons;
    for (int i = 0; i < 4; ++i) {
        livetest::LiveRequest r;
        r.ts = ts + i;
        r.requestId = u"probe-"_s % ip % u'-' % QString::number(i);
        r.ip = ip;
        r.endpoint = u"/api/items"_s;
        const auto result = live.check(r);
        if (!result)
            return { live.lastError() };
        reasons.push_back(
            result->reason % (result->rule.isEmpty() ? QString() : u':' % result->rule));
    }
    return reasons;
}

inline qint64 activeVersion(QSqlDatabase db)
{
    return sqlCall(db, u"SELECT coalesce(max(id), 0) FROM quota.policy_versions WHERE active"_s)
        .value()
        .toLongLong();
}

inline ui::RolloutDialog* waitForDialog(QSignalSpy& opened)
{
    if (!opened.wait(10000))
        return nullptr;
    return opened.takeFirst().at(0).value<ui::RolloutDialog*>();
}

// The database the tests copy: 1,200 requests of traffic played through the live function.
class SeededDatabase {
public:
    /// Creates and fills it; an error message, or empty.
    QString seed()
    {
        m_name = TestCluster::instance().createDatabase();
        if (m_name.isEmpty())
            return TestCluster::instance().errorString();
        QString error;
        {
            QSqlDatabase db = TestCluster::instance().open(m_name, u"seed"_s);
            livetest::LiveEnforcer live(db);
            if (!live.setPolicy(replaytest::replayPolicy()))
                return live.lastError();
            replaytest::TrafficGenerator generator(live, db, 20260130, kStart);
            const auto history = generator.run(1200, &error);
            if (history)
                m_history = *history;
        }
        QSqlDatabase::database(u"seed"_s, false).close();
        return error;
    }
    /// A fresh copy (empty on failure, with a warning).
    QString copy() const
    {
        const QString name
            = TestCluster::instance().createDatabase(TestCluster::Schema::Migrated, m_name);
        if (name.isEmpty())
            qWarning("cannot copy the seeded database: %s",
                qPrintable(TestCluster::instance().errorString()));
        return name;
    }
    const replaytest::History& history() const { return m_history; }

private:
    QString m_name;
    replaytest::History m_history;
};

} // namespace simulatepagetest
