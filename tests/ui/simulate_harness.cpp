// Opens the console on its Simulate page over a private database whose request_logs hold a day
// of history written by loadgen's backfill under the default policy, and runs a candidate with
// a tighter per-IP limit over it: for looking at the page (screenshots). Not a test; runs until
// closed.
//
//   qc_simulate_harness [--section setup|results|identifiers|fidelity|sweep|versions]
//                       [--per-day N] [--limit N] [--size WxH]
#include "live/backfill.h"
#include "policy/policyjson.h"
#include "services/secretstore.h"
#include "services/session.h"
#include "services/settingsstore.h"
#include "support/testcluster.h"
#include "ui/baselinewidget.h"
#include "ui/mainwindow.h"
#include "ui/simulatepage.h"
#include "ui/simulationresultswidget.h"
#include "ui/simulationsourcewidget.h"
#include "ui/sweepwidget.h"
#include "workbench/policydocument.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLineEdit>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;
using qc::testsupport::TestCluster;

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    QCommandLineOption section(u"section"_s,
        u"What to show: setup, results, identifiers, fidelity, sweep, versions."_s, u"section"_s,
        u"results"_s);
    QCommandLineOption perDay(u"per-day"_s, u"Requests per day of history."_s, u"n"_s, u"60000"_s);
    QCommandLineOption limit(
        u"limit"_s, u"The candidate's ip_per_minute limit (20 live)."_s, u"n"_s, u"8"_s);
    QCommandLineOption size(u"size"_s, u"Window size WxH."_s, u"size"_s, u"1580x980"_s);
    parser.addOptions({ section, perDay, limit, size });
    parser.process(app);
    app.setStyle(QStyleFactory::create(u"Fusion"_s));

    TestCluster& cluster = TestCluster::instance();
    if (!cluster.isRunning()) {
        std::fprintf(stderr, "%s\n", qPrintable(cluster.errorString()));
        return 1;
    }
    const QString name = cluster.createDatabase();
    const QByteArray live = qc::policy::defaultPolicyJson();
    if (const QString error = cluster.execAsSuperuser(name,
            u"INSERT INTO quota.policy_versions (policy, active, reason) VALUES ('%1', true, "
            "'The limits the API started with')"_s.arg(
                QString::fromUtf8(live).replace(u"'"_s, u"''"_s)));
        !error.isEmpty()) {
        std::fprintf(stderr, "policy: %s\n", qPrintable(error));
        return 1;
    }
    qc::live::BackfillOptions backfill;
    backfill.conninfo = cluster.conninfo(name).toStdString();
    backfill.lengthMs = qc::enforcement::kDay;
    backfill.requestsPerDay = parser.value(perDay).toDouble();
    backfill.users = 800;
    backfill.ips = 2000;
    const qc::live::BackfillSummary history = qc::live::Backfill(backfill).run();
    if (!history.error.isEmpty()) {
        std::fprintf(stderr, "backfill: %s\n", qPrintable(history.error));
        return 1;
    }

    QTemporaryDir dir;
    qc::services::SettingsStore settings(dir.filePath(u"console.ini"_s));
    qc::services::SecretStore secrets(u"quota-console-harness"_s);
    qc::services::Session session;
    auto profile = qc::services::ConnectionProfile::create(u"Staging EU"_s, u"STAGING"_s);
    profile.setDatabaseConninfo(cluster.conninfo(name));
    settings.update([&](qc::services::ConsoleSettings& s) { s.upsert(profile); });

    qc::ui::MainWindow window({ &session, &settings }, &secrets);
    const QStringList wh = parser.value(size).split(u'x');
    window.resize(wh.value(0).toInt(), wh.value(1).toInt());
    window.move(0, 0);
    window.show();
    session.connectTo(profile);

    const QString show = parser.value(section);
    QByteArray candidate = live;
    candidate.replace(R"("window": "1m", "limit": 20 })",
        QByteArray(
            QByteArray(R"("window": "1m", "limit": )") + parser.value(limit).toUtf8() + " }"));
    bool prepared = false;
    bool started = false;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, [&] {
        if (started || session.role() == qc::db::QuotaRole::None || !window.showPage(u"simulate"_s))
            return;
        auto* page = qobject_cast<qc::ui::SimulatePage*>(window.page(u"simulate"_s));
        // The candidate starts as the active version once that is read: edit it after.
        if (!page || !page->baselineWidget()->state().ready())
            return;
        if (!prepared) {
            prepared = true;
            qc::simulation::WorkspaceSource source;
            source.kind = qc::simulation::WorkspaceSource::Kind::Database;
            source.fromMs = history.startMs;
            source.toMs = history.endMs;
            page->sourceWidget()->setSource(source);
            page->candidate()->setText(QString::fromUtf8(candidate));
            page->budgetEdit()->setText(u"paid_denied_pct > 0.5"_s);
        }
        if (!page->runBlocker().isEmpty())
            return;
        started = true;
        poll.stop();
        if (show == u"setup"_s)
            return;
        QObject::connect(page, &qc::ui::SimulatePage::runFinished, page, [page, show] {
            if (show == u"identifiers"_s)
                page->resultsWidget()->tabs()->setCurrentIndex(
                    qc::ui::SimulationResultsWidget::IdentifiersTab);
            else if (show == u"fidelity"_s)
                page->resultsWidget()->tabs()->setCurrentIndex(
                    qc::ui::SimulationResultsWidget::FidelityTab);
            else if (show == u"versions"_s)
                page->sections()->setCurrentIndex(qc::ui::SimulatePage::VersionsSection);
        });
        if (show == u"sweep"_s) {
            page->sweepWidget()->setSpecText(u"rules[ip_per_minute].limit=4:40:4"_s);
            page->runSweep();
        } else {
            page->run();
        }
    });
    poll.start(200);
    const int status = app.exec();
    cluster.stop();
    return status;
}
