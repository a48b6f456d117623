// The Requests page over 50 000 seeded request_logs rows (offscreen, against the test
// PostgreSQL): it fetches in pages as the table scrolls, its filters are bound parameters
// (a value with quotes, semicolons, unicode and 10 kB finds its rows verbatim), typing is
// debounced, and the CSV export matches the filter and can be cancelled.

#include "../db/investigationfixture.h"
#include "models/requestlogmodel.h"
#include "services/session.h"
#include "services/settingsstore.h"
#include "support/sqlcall.h"
#include "support/testcluster.h"
#include "ui/requestlogview.h"
#include "ui/requestspage.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using qc::testsupport::sqlCall;
using qc::testsupport::TestCluster;

namespace {

constexpr int kRows = 50000;

struct Console {
    QTemporaryDir dir;
    qc::services::SettingsStore settings { dir.filePath(u"console.ini"_s) };
    qc::services::Session session;
    qc::ui::PageContext context { &session, &settings };

    Console(const QString& database, const QString& role)
    {
        auto p = qc::services::ConnectionProfile::create(u"Test"_s, u"TEST"_s);
        p.setDatabaseConninfo(TestCluster::instance().conninfo(database, role));
        session.connectTo(p);
        // Requests of the seed are in January 2026; "now" is just after them.
        session.setClock([] { return qc::testfixture::seedStart().addSecs(5001); });
    }
};

qint64 count(const QString& database, const QString& where)
{
    QSqlDatabase db = TestCluster::instance().open(database);
    return sqlCall(db, u"SELECT count(*) FROM quota.request_logs WHERE "_s + where)
        .value()
        .toLongLong();
}

} // namespace

class tst_RequestsPage : public QObject {
    Q_OBJECT

private:
    QString m_seeded;
    QString m_viewer;
    QString m_nasty;

private Q_SLOTS:
    void initTestCase()
    {
        QC_REQUIRE_CLUSTER();
        TestCluster& cluster = TestCluster::instance();
        m_viewer = cluster.createLoginRole(u"vic"_s, { u"quota_viewer"_s });
        m_seeded = cluster.createDatabase();
        QCOMPARE(qc::testfixture::activateDefaultPolicy(m_seeded), QString());
        for (int first = 0; first < kRows; first += 10000)
            QCOMPARE(
                cluster.execAsSuperuser(m_seeded, qc::testfixture::seedRequestsSql(first, 10000)),
                QString());
        m_nasty = u"rule'); DELETE FROM quota.request_logs; -- \\ \" ü 規則 🚀"_s;
        while (m_nasty.size() < 10240)
            m_nasty += u"-0123456789"_s;
        QSqlDatabase db = cluster.open(m_seeded);
        for (int i = 0; i < 4; ++i)
            QVERIFY(sqlCall(db,
                u"SELECT quota.log_request(jsonb_build_object('ts', ?::text, "
                "'endpoint', '/api/chat', 'rule', ?::text, 'decision', 'denied', "
                "'reason', 'rate_limited', 'ip', '192.0.2.9'))"_s,
                { u"2026-01-05T13:00:0%1.000Z"_s.arg(i), m_nasty })
                        .ok);
        db.close(); // a template must have no connections
    }
    void cleanup() { TestCluster::instance().cleanup(); }

    void theTableFetchesPagesAsItScrolls()
    {
        const QString db
            = TestCluster::instance().createDatabase(TestCluster::Schema::Migrated, m_seeded);
        Console c(db, m_viewer);
        qc::ui::RequestsPage page(c.context);
        page.resize(1200, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        qc::ui::RequestLogView* log = page.logView();
        QAbstractItemModelTester tester(
            log->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy pages(log, &qc::ui::RequestLogView::pageLoaded);
        qc::db::RequestLogFilter f;
        f.from = qc::testfixture::seedStart();
        f.to = f.from.addSecs(6000);
        page.setFilter(f);
        QTRY_VERIFY_WITH_TIMEOUT(log->model()->rowCount() > 0, 10000);
        QVERIFY(log->model()->rowCount() < 1000); // a page, not the table
        QVERIFY(log->model()->hasMore());
        // Header sections are sized by hand: nothing measures 50 000 rows.
        QHeaderView* header = log->view()->horizontalHeader();
        for (int s = 0; s < header->count(); ++s)
            QVERIFY(header->sectionResizeMode(s) != QHeaderView::ResizeToContents);
        QCOMPARE(log->view()->verticalHeader()->sectionResizeMode(0), QHeaderView::Fixed);
        // Scrolling to the end asks for the next page, and the next.
        const int first = log->model()->rowCount();
        for (int i = 0; i < 3; ++i) {
            const int before = log->model()->rowCount();
            log->view()->scrollToBottom();
            QTRY_VERIFY_WITH_TIMEOUT(log->model()->rowCount() > before, 10000);
        }
        QVERIFY(log->model()->rowCount() >= 4 * first);
        QVERIFY(log->model()->pagesLoaded() >= 4);
        // Newest first, in keyset order.
        const auto& rows = log->model()->rows();
        for (int i = 1; i < rows.size(); ++i)
            QVERIFY(rows.at(i - 1).key().tsMicros > rows.at(i).key().tsMicros
                || (rows.at(i - 1).key().tsMicros == rows.at(i).key().tsMicros
                    && rows.at(i - 1).id > rows.at(i).id));
        QVERIFY(log->model()->rowCount() < kRows);
    }

    void filtersAreBoundAndTypingIsDebounced()
    {
        const QString db
            = TestCluster::instance().createDatabase(TestCluster::Schema::Migrated, m_seeded);
        Console c(db, m_viewer);
        qc::ui::RequestsPage page(c.context);
        page.show();
        qc::ui::RequestLogView* log = page.logView();
        QSignalSpy pages(log, &qc::ui::RequestLogView::pageLoaded);
        qc::db::RequestLogFilter f;
        f.from = qc::testfixture::seedStart();
        f.to = f.from.addSecs(6000);
        page.setFilter(f);
        QVERIFY(pages.wait(10000));

        // The rule field holds the 10 kB value with quotes and a semicolon: found verbatim.
        auto* rule = page.findChild<QLineEdit*>(u"filterRule"_s);
        rule->setText(m_nasty);
        pages.clear();
        page.applyFilter();
        QVERIFY(pages.wait(10000));
        QCOMPARE(log->model()->rowCount(), 4);
        for (const auto& r : log->model()->rows())
            QCOMPARE(r.rule, m_nasty);
        QCOMPARE(count(db, u"true"_s), qint64(kRows + 4)); // nothing was deleted
        rule->clear();

        // Typing several characters reads once, after the pause.
        auto* identifier = page.findChild<QLineEdit*>(u"filterIdentifier"_s);
        pages.clear();
        QTest::keyClicks(identifier, u"198.51.2.0/24"_s);
        QVERIFY(pages.wait(10000));
        QTest::qWait(600);
        QCOMPARE(pages.size(), 1);
        QCOMPARE(page.currentFilter().network, u"198.51.2.0/24"_s);
        for (const auto& r : log->model()->rows())
            QVERIFY(r.ip.startsWith(u"198.51.2."_s));

        // Each column filters on the server.
        auto* status = page.findChild<QLineEdit*>(u"filterStatus"_s);
        status->setText(u"429"_s);
        pages.clear();
        page.applyFilter();
        QVERIFY(pages.wait(10000));
        QVERIFY(log->model()->rowCount() > 0);
        for (const auto& r : log->model()->rows())
            QVERIFY(r.status == 429 && r.ip.startsWith(u"198.51.2."_s));

        // A filter that cannot be right is said so, and the rows stay.
        const int shown = log->model()->rowCount();
        identifier->setText(u"198.51.2.0/33"_s);
        page.applyFilter();
        QVERIFY2(page.filterProblem().contains(u"network: '198.51.2.0/33' is not a network"_s),
            qPrintable(page.filterProblem()));
        QCOMPARE(log->model()->rowCount(), shown);
    }

    void csvExportMatchesTheFilter()
    {
        const QString db
            = TestCluster::instance().createDatabase(TestCluster::Schema::Migrated, m_seeded);
        Console c(db, m_viewer);
        qc::ui::RequestsPage page(c.context);
        qc::db::RequestLogFilter f;
        f.from = qc::testfixture::seedStart();
        f.to = f.from.addSecs(6000);
        f.decision = u"denied"_s;
        f.endpoint = u"/api/chat"_s;
        page.setFilter(f);
        QTemporaryDir out;
        const QString path = out.filePath(u"denied.csv"_s);
        QSignalSpy progress(&page, &qc::ui::RequestsPage::exportProgress);
        QSignalSpy finished(&page, &qc::ui::RequestsPage::exportFinished);
        page.startExport(path);
        QVERIFY(page.isExporting());
        QVERIFY(finished.wait(20000));
        const auto result = finished.first().first().value<qc::db::ExportResult>();
        QVERIFY2(result.ok(), qPrintable(result.error));
        const qint64 expected = count(db,
            u"decision = 'denied' AND endpoint = '/api/chat' AND ts < "
            "'2026-01-05T13:40:00Z'"_s);
        QCOMPARE(result.rows, expected);
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.last().first().toLongLong(), expected);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QCOMPARE(lines.size() - 2, expected); // header, rows, the empty rest after the last \n
        for (int i = 1; i < lines.size() - 1; ++i) {
            QVERIFY(lines.at(i).contains(",/api/chat,"));
            QVERIFY(lines.at(i).contains(",denied,"));
        }
        QVERIFY(!page.isExporting());
    }

    void csvExportCanBeCancelled()
    {
        const QString db
            = TestCluster::instance().createDatabase(TestCluster::Schema::Migrated, m_seeded);
        Console c(db, m_viewer);
        qc::ui::RequestsPage page(c.context);
        qc::db::RequestLogFilter f;
        f.from = qc::testfixture::seedStart();
        f.to = f.from.addSecs(6000);
        page.setFilter(f);
        // Someone holds the day's partition: the export waits for it, and is cancelled.
        QSqlDatabase lock = TestCluster::instance().open(db);
        QSqlQuery q(lock);
        QVERIFY(q.exec(u"BEGIN"_s));
        QVERIFY(q.exec(u"LOCK TABLE quota.request_logs_p20260105 IN ACCESS EXCLUSIVE MODE"_s));
        QTemporaryDir out;
        const QString path = out.filePath(u"all.csv"_s);
        QSignalSpy finished(&page, &qc::ui::RequestsPage::exportFinished);
        page.startExport(path);
        QSqlDatabase watch = TestCluster::instance().open(db);
        // The export's own cursor is what waits.
        QTRY_VERIFY_WITH_TIMEOUT(sqlCall(watch,
                                     u"SELECT count(*) FROM pg_stat_activity WHERE query LIKE "
                                     "'DECLARE qc_request_export%' AND wait_event_type = 'Lock'"_s)
                                     .value()
                                     .toInt()
                == 1,
            10000);
        page.cancelExport();
        QVERIFY(finished.wait(10000));
        const auto result = finished.first().first().value<qc::db::ExportResult>();
        QVERIFY(result.cancelled);
        QVERIFY(!QFile::exists(path)); // nothing half-written
        QVERIFY(q.exec(u"ROLLBACK"_s));
        QVERIFY(!page.isExporting());
        // And the next one runs.
        finished.clear();
        page.startExport(path);
        QVERIFY(finished.wait(30000));
        QVERIFY(finished.first().first().value<qc::db::ExportResult>().ok());
        QVERIFY(QFile::exists(path));
    }
};

QTEST_MAIN(tst_RequestsPage)
#include "tst_requestspage.moc"
