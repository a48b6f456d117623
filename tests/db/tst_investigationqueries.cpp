// The investigation's queries (core/db/requestlog, investigation, adminviews) and
// quota.rate_limit_state (0006_investigation.sql) against the test PostgreSQL.

#include "db/adminviews.h"
#include "db/investigation.h"
#include "db/requestlog.h"
#include "investigationfixture.h"
#include "support/sqlcall.h"
#include "support/testcluster.h"
#include "trace/trace.h"

#include <QBuffer>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>

using namespace Qt::StringLiterals;
using qc::testsupport::sqlCall;
using qc::testsupport::SqlResult;
using qc::testsupport::TestCluster;

namespace {

constexpr int kRows = 50000;

#define QC_SQL_OK(call)                                                                            \
    do {                                                                                           \
        const SqlResult sqlOk_ = (call);                                                           \
        QVERIFY2(sqlOk_.ok, sqlOk_.describe().constData());                                        \
    } while (false)

qint64 scalar(QSqlDatabase db, const QString& sql, const QVariantList& params = {})
{
    const SqlResult r = sqlCall(db, sql, params);
    if (!r.ok)
        qWarning("%s", r.describe().constData());
    return r.value().toLongLong();
}

// Each row of a reference query, its columns joined by '/' ("rate_limited/12").
QStringList rowsOf(QSqlDatabase db, const QString& sql, const QVariantList& params)
{
    QSqlQuery q(db);
    q.prepare(sql);
    for (const QVariant& v : params)
        q.addBindValue(v);
    if (!q.exec())
        qWarning("%s", qPrintable(q.lastError().text()));
    QStringList rows;
    while (q.next()) {
        QStringList cells;
        for (int c = 0; c < q.record().count(); ++c)
            cells << q.value(c).toString();
        rows << cells.join(u'/');
    }
    return rows;
}

// A quota_check of one request at `ts` from `ip` (and `user`); returns reason and rule.
QString check(QSqlDatabase db, const QDateTime& ts, const QString& ip, const QString& user = {},
    const QString& endpoint = u"/api/items"_s)
{
    const SqlResult r = sqlCall(db,
        u"SELECT reason || coalesce(':' || rule, '') FROM quota.quota_check(?::timestamptz, "
        "'req', ?, NULL, ?, NULL, ?, 'GET', 'test', 'DE', NULL, NULL)"_s,
        { ts, ip, user.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(user),
            endpoint });
    return r.ok ? r.value().toString() : QString::fromUtf8(r.describe());
}

const qc::db::RateLimitState* ruleState(
    const QList<qc::db::RateLimitState>& states, const QString& rule)
{
    for (const auto& s : states)
        if (s.ruleId == rule)
            return &s;
    return nullptr;
}

QList<qc::db::RateLimitState> stateOf(
    QSqlDatabase db, const qc::db::Subject& subject, const QDateTime& now)
{
    const qc::db::InvestigationDetails d
        = qc::db::readInvestigationDetails(db, subject, now.addSecs(-60), now, now);
    return d.rateLimits;
}

} // namespace

class tst_InvestigationQueries : public QObject {
    Q_OBJECT

private:
    QString m_seeded; // kRows requests through log_requests, the default policy active

    QSqlDatabase freshDb(QString* name = nullptr)
    {
        const QString db
            = TestCluster::instance().createDatabase(TestCluster::Schema::Migrated, m_seeded);
        if (name)
            *name = db;
        return TestCluster::instance().open(db);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QC_REQUIRE_CLUSTER();
        TestCluster& cluster = TestCluster::instance();
        m_seeded = cluster.createDatabase();
        QVERIFY(!m_seeded.isEmpty());
        QCOMPARE(qc::testfixture::activateDefaultPolicy(m_seeded), QString());
        for (int first = 0; first < kRows; first += 10000)
            QCOMPARE(
                cluster.execAsSuperuser(m_seeded, qc::testfixture::seedRequestsSql(first, 10000)),
                QString());
    }
    void cleanup() { TestCluster::instance().cleanup(); }

    void pagesWalkTheWholeTableOnceInKeysetOrder()
    {
        QSqlDatabase db = freshDb();
        qc::db::RequestLogFilter f;
        qc::db::RequestLogKey after;
        QSet<qint64> seen;
        qc::db::RequestLogKey previous { std::numeric_limits<qint64>::max(), 0 };
        int pages = 0;
        for (;;) {
            const qc::db::RequestLogPage page = qc::db::fetchRequestLogPage(db, f, after, 1000);
            QVERIFY2(page.ok(), qPrintable(page.error));
            ++pages;
            for (const qc::db::RequestLogRow& r : page.rows) {
                // Newest first, ties on ts broken by id, nothing twice.
                QVERIFY(r.tsMicros < previous.tsMicros
                    || (r.tsMicros == previous.tsMicros && r.id < previous.id));
                previous = r.key();
                QVERIFY(!seen.contains(r.id));
                seen.insert(r.id);
            }
            if (!page.hasMore)
                break;
            after = page.next;
        }
        QCOMPARE(seen.size(), kRows);
        QCOMPARE(pages, kRows / 1000);
        // The page query never uses OFFSET.
        const qc::db::BoundQuery q = qc::db::requestLogPageQuery(f, { 1, 2 }, 100);
        QVERIFY(!q.sql.contains(u"OFFSET"_s, Qt::CaseInsensitive));
    }

    void filtersByEachColumn_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("where");
        QTest::newRow("ip") << "ip"
                            << "198.51.1.7"
                            << "ip = '198.51.1.7'";
        QTest::newRow("network /24") << "network"
                                     << "198.51.2.0/24"
                                     << "ip LIKE '198.51.2.%'";
        QTest::newRow("network /23") << "network"
                                     << "198.51.0.0/23"
                                     << "(ip LIKE '198.51.0.%' OR ip LIKE '198.51.1.%')";
        // Larger than the listed networks: the text prefix and the containment test.
        QTest::newRow("network /19") << "network"
                                     << "198.51.0.0/19"
                                     << "ip LIKE '198.51.%'";
        QTest::newRow("user") << "user"
                              << "u12"
                              << "user_id = 'u12'";
        QTest::newRow("endpoint") << "endpoint"
                                  << "/api/chat"
                                  << "endpoint = '/api/chat'";
        QTest::newRow("endpoint glob") << "endpoint"
                                       << "/api/*e*"
                                       << "endpoint LIKE '/api/%e%'";
        QTest::newRow("status") << "status"
                                << "429"
                                << "status = 429";
        QTest::newRow("decision") << "decision"
                                  << "denied"
                                  << "decision = 'denied'";
        QTest::newRow("reason") << "reason"
                                << "rate_limited"
                                << "reason = 'rate_limited'";
        QTest::newRow("rule") << "rule"
                              << "ip_per_minute"
                              << "rule = 'ip_per_minute'";
        QTest::newRow("request id") << "request"
                                    << "r8042"
                                    << "request_id = 'r8042'";
    }

    void filtersByEachColumn()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, where);
        QSqlDatabase db = freshDb();
        qc::db::RequestLogFilter f;
        f.from = qc::testfixture::seedStart().addSecs(600);
        f.to = qc::testfixture::seedStart().addSecs(3000);
        if (field == u"ip")
            f.ip = value;
        else if (field == u"network")
            f.network = value;
        else if (field == u"user")
            f.userId = value;
        else if (field == u"endpoint")
            f.endpoint = value;
        else if (field == u"status")
            f.status = value.toInt();
        else if (field == u"decision")
            f.decision = value;
        else if (field == u"reason")
            f.reason = value;
        else if (field == u"rule")
            f.rule = value;
        else
            f.requestId = value;
        // Every matching row once, newest first (ties by id), across pages of 300.
        const QStringList expected = rowsOf(db,
            u"SELECT id FROM quota.request_logs WHERE ts >= ?::timestamptz AND ts < "
            "?::timestamptz AND "_s
                + where + u" ORDER BY ts DESC, id DESC"_s,
            { f.from, f.to });
        QVERIFY(!expected.isEmpty());
        QStringList got;
        qc::db::RequestLogKey after;
        for (;;) {
            const auto page = qc::db::fetchRequestLogPage(db, f, after, 300);
            QVERIFY2(page.ok(), qPrintable(page.error));
            for (const auto& r : page.rows) {
                QVERIFY(r.ts >= f.from && r.ts < f.to);
                got.append(QString::number(r.id));
            }
            if (!page.hasMore)
                break;
            after = page.next;
        }
        QCOMPARE(got, expected);
    }

    void filterValuesAreBoundVerbatim()
    {
        QSqlDatabase db = freshDb();
        // Quotes, a semicolon, a comment, backslashes, unicode and 10 kB: found as is.
        QString nasty = u"x'); DROP TABLE quota.request_logs; -- \\' \" ü 名前 🚀 %_*"_s;
        while (nasty.size() < 10240)
            nasty += u"0123456789abcdef"_s;
        const QString ts = u"2026-01-05T13:00:00.000Z"_s;
        for (int i = 0; i < 3; ++i)
            QC_SQL_OK(sqlCall(db,
                u"SELECT quota.log_request(jsonb_build_object('ts', ?::text, "
                "'endpoint', ?::text, 'user_id', ?::text, 'rule', ?::text, "
                "'request_id', ?::text, 'decision', 'denied', 'ip', '192.0.2.1'))"_s,
                { ts, nasty, nasty, nasty, nasty }));
        for (const QString& field : { u"user"_s, u"endpoint"_s, u"rule"_s, u"request"_s }) {
            qc::db::RequestLogFilter f;
            if (field == u"user")
                f.userId = nasty;
            else if (field == u"endpoint")
                f.endpoint = nasty; // has * and ?: a glob, but % and _ stay literal
            else if (field == u"rule")
                f.rule = nasty;
            else
                f.requestId = nasty;
            const auto page = qc::db::fetchRequestLogPage(db, f);
            QVERIFY2(page.ok(), qPrintable(page.error));
            QCOMPARE(page.rows.size(), 3);
            for (const auto& r : page.rows) {
                QCOMPARE(r.userId, nasty);
                QCOMPARE(r.endpoint, nasty);
            }
        }
        // The classic injection finds nothing and breaks nothing.
        qc::db::RequestLogFilter f;
        f.userId = u"x' OR '1'='1"_s;
        const auto page = qc::db::fetchRequestLogPage(db, f);
        QVERIFY2(page.ok(), qPrintable(page.error));
        QCOMPARE(page.rows.size(), 0);
        QCOMPARE(scalar(db, u"SELECT count(*) FROM quota.request_logs"_s), qint64(kRows + 3));
        // The glob's % and _ are literal: "%_*" matches only strings with those characters.
        f = {};
        f.endpoint = u"*%_*"_s;
        QCOMPARE(qc::db::fetchRequestLogPage(db, f).rows.size(), 3);
    }

    void badFiltersAreRefusedWithTheField()
    {
        QSqlDatabase db = freshDb();
        qc::db::RequestLogFilter f;
        f.network = u"10.0.0.0/33"_s;
        auto page = qc::db::fetchRequestLogPage(db, f);
        QVERIFY(page.error.startsWith(u"network: '10.0.0.0/33' is not a network"_s));
        f = {};
        f.from = qc::testfixture::seedStart();
        f.to = f.from;
        QVERIFY(qc::db::fetchRequestLogPage(db, f).error.startsWith(u"time range:"_s));
        f = {};
        f.reason = u"nope"_s;
        QVERIFY(qc::db::validateFilter(f).startsWith(u"reason: 'nope' is not a reason code"_s));
        f = {};
        f.setIdentifier(u"203.0.113.0/24"_s);
        QCOMPARE(f.network, u"203.0.113.0/24"_s);
        f.setIdentifier(u"203.0.113.9"_s);
        QCOMPARE(f.ip, u"203.0.113.9"_s);
        f.setIdentifier(u"user:10.0.0.1"_s);
        QCOMPARE(f.userId, u"10.0.0.1"_s);
        QCOMPARE(f.identifier(), u"user:10.0.0.1"_s);
    }

    void csvExportIsTheFilteredRowsOldestFirstAndATrace()
    {
        QSqlDatabase db = freshDb();
        qc::db::RequestLogFilter f;
        f.decision = u"denied"_s;
        f.from = qc::testfixture::seedStart();
        f.to = qc::testfixture::seedStart().addSecs(2000);
        const qint64 expected = scalar(db,
            u"SELECT count(*) FROM quota.request_logs WHERE decision = 'denied' AND ts >= "
            "?::timestamptz AND ts < ?::timestamptz"_s,
            { f.from, f.to });
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        QList<double> fractions;
        const qc::db::ExportResult r = qc::db::exportRequestLogCsv(
            db, f, buffer,
            [&](const qc::db::ExportProgress& p) {
                fractions << p.fraction;
                return true;
            },
            nullptr, 300);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.rows, expected);
        QVERIFY(fractions.size() >= int(expected / 300));
        QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
        const QByteArray csv = buffer.data();
        QCOMPARE(csv.count('\n'), expected + 1);
        QVERIFY(csv.startsWith("ts,request_id,ip,forwarded_for,user_id,plan,endpoint,method,"));
        // It reads back as a trace (time order, the trace columns), with its decisions.
        const qc::trace::ReadResult trace
            = qc::trace::readTraceData(csv, qc::trace::Format::Csv, { true });
        QVERIFY2(trace.ok(), qPrintable(trace.fatal));
        QCOMPARE(qint64(trace.trace.size()), expected);
        QCOMPARE(trace.trace.recorded.size(), trace.trace.size());
        for (const auto& d : trace.trace.recorded)
            QVERIFY(!d.allowed);
        // The transaction of the cursor is over: the connection is usable.
        QCOMPARE(scalar(db, u"SELECT 1"_s), qint64(1));
    }

    void csvExportStopsWhenCancelled()
    {
        QSqlDatabase db = freshDb();
        qc::db::RequestLogFilter f;
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        std::atomic_bool cancel { false };
        int batches = 0;
        const qc::db::ExportResult r = qc::db::exportRequestLogCsv(
            db, f, buffer,
            [&](const qc::db::ExportProgress&) {
                if (++batches == 2)
                    cancel = true;
                return true;
            },
            &cancel, 1000);
        QVERIFY(r.cancelled);
        QVERIFY(!r.ok());
        QCOMPARE(r.rows, qint64(2000));
        QCOMPARE(scalar(db, u"SELECT 1"_s), qint64(1));
        // A progress callback saying no stops it too.
        QBuffer again;
        again.open(QIODevice::WriteOnly);
        const auto stopped = qc::db::exportRequestLogCsv(
            db, f, again, [](const qc::db::ExportProgress&) { return false; }, nullptr, 500);
        QVERIFY(stopped.cancelled);
        QCOMPARE(stopped.rows, qint64(500));
    }

    void rateLimitStateIsWhatQuotaCheckDecides()
    {
        QSqlDatabase db = freshDb();
        const QDateTime t = QDateTime(QDate(2026, 2, 1), QTime(10, 0, 5), Qt::UTC);
        const auto subject = *qc::db::Subject::parse(u"203.0.113.50"_s);
        auto state = stateOf(db, subject, t);
        QCOMPARE(state.size(), 3); // ip_per_minute, ip_per_hour, ip_per_day
        QCOMPARE(ruleState(state, u"ip_per_minute"_s)->remaining, qint64(20));
        QVERIFY(ruleState(state, u"ip_per_minute"_s)->admits);
        for (int i = 0; i < 19; ++i)
            QCOMPARE(check(db, t.addMSecs(i), u"203.0.113.50"_s), u"admitted"_s);
        state = stateOf(db, subject, t.addMSecs(100));
        const auto* minute = ruleState(state, u"ip_per_minute"_s);
        QCOMPARE(minute->used, qint64(19));
        QCOMPARE(minute->remaining, qint64(1));
        QVERIFY(minute->admits);
        QCOMPARE(minute->resetAt, QDateTime(QDate(2026, 2, 1), QTime(10, 1), Qt::UTC));
        QCOMPARE(ruleState(state, u"ip_per_hour"_s)->used, qint64(19));
        // The state said one more: quota_check agrees, then both say no.
        QCOMPARE(check(db, t.addMSecs(200), u"203.0.113.50"_s), u"admitted"_s);
        state = stateOf(db, subject, t.addMSecs(300));
        QVERIFY(!ruleState(state, u"ip_per_minute"_s)->admits);
        QCOMPARE(ruleState(state, u"ip_per_minute"_s)->remaining, qint64(0));
        QCOMPARE(check(db, t.addMSecs(400), u"203.0.113.50"_s), u"rate_limited:ip_per_minute"_s);
        // In the next minute the window is new for both.
        state = stateOf(db, subject, t.addSecs(60));
        QVERIFY(ruleState(state, u"ip_per_minute"_s)->admits);
        QCOMPARE(ruleState(state, u"ip_per_minute"_s)->used, qint64(0));
        QCOMPARE(ruleState(state, u"ip_per_hour"_s)->used, qint64(20));
        QCOMPARE(check(db, t.addSecs(60), u"203.0.113.50"_s), u"admitted"_s);

        // User rules: free_user_2h for a user on free, with the plan noted for others.
        const auto user = *qc::db::Subject::parse(u"user:ufree"_s);
        for (int i = 0; i < 20; ++i)
            QCOMPARE(
                check(db, t.addSecs(120 + i * 4), u"192.0.2."_s + QString::number(i), u"ufree"_s),
                u"admitted"_s);
        state = stateOf(db, user, t.addSecs(300));
        QCOMPARE(state.size(), 1);
        QCOMPARE(state.first().ruleId, u"free_user_2h"_s);
        QVERIFY(!state.first().admits);
        QVERIFY(state.first().note.isEmpty());
        QCOMPARE(check(db, t.addSecs(301), u"192.0.2.200"_s, u"ufree"_s),
            u"rate_limited:free_user_2h"_s);
        QC_SQL_OK(sqlCall(db, u"SELECT quota.change_plan('p1', 'upro', 'pro', 0, 'test')"_s));
        state = stateOf(db, *qc::db::Subject::parse(u"user:upro"_s), t);
        QVERIFY2(
            state.first().note.contains(u"this user is on pro"_s), qPrintable(state.first().note));

        // IPv6: IP-scoped rules count the /64; the /64 network and any address in it agree.
        const QDateTime t6 = t.addSecs(3600);
        for (int i = 0; i < 5; ++i)
            QCOMPARE(check(db, t6, u"2001:db8:1:2::"_s + QString::number(i + 1)), u"admitted"_s);
        const auto net = stateOf(db, *qc::db::Subject::parse(u"2001:db8:1:2::/64"_s), t6);
        const auto one = stateOf(db, *qc::db::Subject::parse(u"2001:db8:1:2::99"_s), t6);
        QCOMPARE(ruleState(net, u"ip_per_minute"_s)->used, qint64(5));
        QCOMPARE(ruleState(one, u"ip_per_minute"_s)->used, qint64(5));
        QCOMPARE(ruleState(one, u"ip_per_minute"_s)->identifier, u"2001:db8:1:2::/64"_s);
        // A /24 lists the counters of its addresses.
        const auto v4net = stateOf(db, *qc::db::Subject::parse(u"203.0.113.0/24"_s), t.addSecs(61));
        QVERIFY(ruleState(v4net, u"ip_per_hour"_s));
        QCOMPARE(ruleState(v4net, u"ip_per_hour"_s)->identifier, u"203.0.113.50"_s);

        // Bad input names the problem.
        const SqlResult bad
            = sqlCall(db, u"SELECT * FROM quota.rate_limit_state('ip', '300.1.1.1')"_s);
        QCOMPARE(bad.sqlState, u"22023"_s);
        QVERIFY(bad.message.contains(u"is not an IP address"_s));
    }

    // A network's totals, denials by reason and related users are those of its rows: networks
    // of up to 4,096 addresses list them (the /20 is the largest), larger ones take the
    // addresses from the rollup; over a short range (from request_logs) and a day (rollups).
    void networkAggregatesAreThoseOfItsRows_data()
    {
        QTest::addColumn<QString>("network");
        QTest::addColumn<int>("seconds");
        for (const char* net : { "198.51.1.0/24", "198.51.0.0/20", "198.51.0.0/19" }) {
            QTest::addRow("%s, 5000 s", net) << QString::fromLatin1(net) << 5000;
            QTest::addRow("%s, 1 day", net) << QString::fromLatin1(net) << 86400;
        }
    }

    void networkAggregatesAreThoseOfItsRows()
    {
        QFETCH(QString, network);
        QFETCH(int, seconds);
        QSqlDatabase db = freshDb();
        const QDateTime from = qc::testfixture::seedStart();
        const QDateTime to = from.addSecs(seconds);
        const QString rows = u" FROM quota.request_logs WHERE ts >= ?::timestamptz AND ts < "
                             "?::timestamptz AND quota.enf_parse_ip(ip) <<= ?::inet"_s;
        const QVariantList params { from, to, network };
        const auto subject = *qc::db::Subject::parse(network);
        const auto t = qc::db::readInvestigationTimeline(db, subject, from, to);
        QVERIFY2(t.ok(), qPrintable(t.error));
        QVERIFY(t.requests > 0);
        QCOMPARE(t.requests, scalar(db, u"SELECT count(*)"_s + rows, params));
        QCOMPARE(t.denials,
            scalar(db, u"SELECT count(*)"_s + rows + u" AND decision = 'denied'"_s, params));
        // The chart has every step of the range, zero where nothing happened (the fixture's
        // requests fill under two hours of the day).
        const qint64 step = t.activity.size() > 1 ? t.activity[0].t.secsTo(t.activity[1].t) : 0;
        QVERIFY(step > 0);
        QVERIFY(t.activity.first().t <= from && t.activity.first().t.addSecs(step) > from);
        QVERIFY(t.activity.last().t < to && t.activity.last().t.addSecs(step) >= to);
        qint64 sum = 0;
        int empty = 0;
        for (qsizetype i = 0; i < t.activity.size(); ++i) {
            if (i > 0)
                QCOMPARE(t.activity[i - 1].t.secsTo(t.activity[i].t), step);
            sum += t.activity[i].requests;
            empty += t.activity[i].requests == 0 ? 1 : 0;
        }
        QCOMPARE(sum, t.requests);
        if (seconds == 86400)
            QVERIFY(empty >= 20);
        const auto d = qc::db::readInvestigationDetails(db, subject, from, to, to);
        QVERIFY2(d.warnings.isEmpty(), qPrintable(d.warnings.join(u"; "_s)));
        QStringList got;
        for (const auto& r : d.denialsByReason)
            got << r.reason + u'/' + QString::number(r.count);
        QVERIFY(!got.isEmpty());
        QCOMPARE(got,
            rowsOf(db,
                u"SELECT coalesce(reason, ''), count(*)"_s + rows
                    + u" AND decision = 'denied' GROUP BY 1 ORDER BY 2 DESC, 1"_s,
                params));
        got.clear();
        for (const auto& r : d.related)
            got << r.identifier + u'/' + QString::number(r.requests) + u'/'
                    + QString::number(r.denials);
        QVERIFY(!got.isEmpty());
        QCOMPARE(got,
            rowsOf(db,
                u"SELECT user_id, count(*), count(*) FILTER (WHERE decision = 'denied')"_s + rows
                    + u" AND coalesce(user_id, '') <> '' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20"_s,
                params));
    }

    void timelineAndDetailsOfAnAddress()
    {
        QString name;
        QSqlDatabase db = freshDb(&name);
        const QDateTime from = qc::testfixture::seedStart();
        const QDateTime to = from.addSecs(5000);
        // A block, an incident with its auto-block, a collision, all on 198.51.1.7.
        QC_SQL_OK(sqlCall(db,
            u"SELECT quota.block('b1', 'ip', '198.51.1.7', 'scraping', now() + interval '1 day')"_s));
        QC_SQL_OK(sqlCall(db,
            u"INSERT INTO quota.abuse_incidents (pattern_id, scope, identifier, ts, severity, "
            "action, blocked_until, details) VALUES ('high_request_rate', 'ip', '198.51.1.7', "
            "'2026-01-05T12:30:00Z', 'high', 'block', now() + interval '1 day', "
            "'{\"pattern_name\": \"High request rate\", \"kind\": \"rate\", \"value\": 140}')"_s));
        QC_SQL_OK(sqlCall(db,
            u"INSERT INTO quota.blocked_identifiers (target, value, blocked_from, blocked_until, "
            "reason, source, incident_id) VALUES ('ip', '198.51.1.7', now(), now() + interval "
            "'1 day', 'abuse pattern high_request_rate', 'auto', (SELECT max(id) FROM "
            "quota.abuse_incidents))"_s));
        QC_SQL_OK(sqlCall(db,
            u"INSERT INTO quota.idempotency_collisions (ts, scope, key, flags, kind, "
            "different_parameters, late, different_user_agent, on_conflict, client_key, "
            "endpoint, first_seen, ms_since_first) VALUES ('2026-01-05T12:31:00Z', "
            "'ip:198.51.1.7', 'k1', 7, 'user_agent', true, true, true, 'reject', '198.51.1.7', "
            "'/api/chat', '2026-01-05T12:20:00Z', 660000)"_s));

        const auto subject = *qc::db::Subject::parse(u"198.51.1.7"_s);
        const auto t = qc::db::readInvestigationTimeline(db, subject, from, to);
        QVERIFY2(t.ok(), qPrintable(t.error));
        const qint64 expected
            = scalar(db, u"SELECT count(*) FROM quota.request_logs WHERE ip = '198.51.1.7'"_s);
        QCOMPARE(t.requests, expected);
        QCOMPARE(t.denials,
            scalar(db,
                u"SELECT count(*) FROM quota.request_logs WHERE ip = '198.51.1.7' AND "
                "decision = 'denied'"_s));
        QVERIFY(!t.activity.isEmpty());
        QCOMPARE(t.firstPage.rows.size(), qMin<qint64>(200, expected));
        for (const auto& r : t.firstPage.rows)
            QCOMPARE(r.ip, u"198.51.1.7"_s);

        const auto d = qc::db::readInvestigationDetails(db, subject, from, to, to);
        QVERIFY2(d.ok(), qPrintable(d.error));
        QVERIFY2(d.warnings.isEmpty(), qPrintable(d.warnings.join(u"; "_s)));
        QCOMPARE(d.blocks.size(), 2);
        bool sawAuto = false;
        for (const auto& b : d.blocks) {
            if (b.source == u"auto") {
                sawAuto = true;
                QVERIFY(b.incidentId.has_value());
                QCOMPARE(b.incidentPattern, u"high_request_rate"_s);
            }
        }
        QVERIFY(sawAuto);
        QCOMPARE(d.incidents.size(), 1);
        QCOMPARE(d.incidents.first().patternName, u"High request rate"_s);
        QVERIFY(d.incidents.first().blockId.has_value());
        QCOMPARE(d.collisions.size(), 1);
        QCOMPARE(d.collisions.first().kind, u"user_agent"_s);
        QCOMPARE(d.collisions.first().classification(), u"parameters, late, user agent"_s);
        QCOMPARE(d.denialsByReason.size(), 1);
        QCOMPARE(d.denialsByReason.first().reason, u"rate_limited"_s);
        QCOMPARE(d.rateLimits.size(), 3);
        QVERIFY(!d.related.isEmpty()); // users seen from the address
        for (const auto& r : d.related)
            QCOMPARE(r.kind, u"user"_s);

        // The /24 around it: many addresses, the address's blocks among the network's.
        const auto net = *subject.enclosingNetwork();
        QCOMPARE(net.value, u"198.51.1.0/24"_s);
        const auto nt = qc::db::readInvestigationTimeline(db, net, from, to);
        QVERIFY2(nt.ok(), qPrintable(nt.error));
        QCOMPARE(nt.requests,
            scalar(db, u"SELECT count(*) FROM quota.request_logs WHERE ip LIKE '198.51.1.%'"_s));
        const auto nd = qc::db::readInvestigationDetails(db, net, from, to, to);
        QVERIFY2(nd.warnings.isEmpty(), qPrintable(nd.warnings.join(u"; "_s)));
        QCOMPARE(nd.blocks.size(), 2);
        QCOMPARE(nd.incidents.size(), 1);
        QCOMPARE(nd.collisions.size(), 1);
    }

    void detailsOfAUserHavePlanUsageChangesAndTheBuggyClientCount()
    {
        QSqlDatabase db = freshDb();
        QDateTime now = QDateTime::currentDateTimeUtc();
        QC_SQL_OK(sqlCall(db, u"SELECT quota.change_plan('c1', 'u5', 'team', 0, 'sales')"_s));
        QC_SQL_OK(sqlCall(db, u"SELECT quota.change_plan('c2', 'u5', 'free', 1, 'unpaid')"_s));
        QC_SQL_OK(sqlCall(db,
            u"INSERT INTO quota.quota_usage (user_id, metric, cycle_start, used) VALUES ('u5', "
            "'ai_generations', date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', 120)"_s));
        for (int i = 0; i < 12; ++i)
            QC_SQL_OK(sqlCall(db,
                u"INSERT INTO quota.idempotency_collisions (ts, scope, key, user_id, flags, kind, "
                "different_parameters, late, different_user_agent, on_conflict, first_seen, "
                "ms_since_first) VALUES (now() - ? * interval '1 minute', 'user:u5', 'k', 'u5', "
                "1, 'parameters', true, false, false, 'reject', now() - interval '1 hour', 1000)"_s,
                { i }));
        const auto subject = *qc::db::Subject::parse(u"u5"_s);
        QCOMPARE(subject.kind, qc::db::Subject::Kind::User);
        now = QDateTime::currentDateTimeUtc().addSecs(1);
        const auto d = qc::db::readInvestigationDetails(db, subject, now.addDays(-1), now, now);
        QVERIFY2(d.warnings.isEmpty(), qPrintable(d.warnings.join(u"; "_s)));
        QVERIFY(d.plan);
        QCOMPARE(d.plan->plan, u"free"_s);
        QCOMPARE(d.plan->previousPlan, u"team"_s);
        QCOMPARE(d.planChanges.size(), 2);
        QCOMPARE(d.planChanges.first().kind, u"downgrade"_s);
        QCOMPARE(d.collisions24h, qint64(12));
        bool sawAi = false;
        for (const auto& u : d.usage) {
            if (u.metric == u"ai_generations") {
                sawAi = true;
                QCOMPARE(u.used, qint64(120));
                QCOMPARE(u.limit, qint64(5000)); // team's, during the grace
                QCOMPARE(u.limitPlan, u"team"_s);
            }
        }
        QVERIFY(sawAi);
        QString error;
        const auto buggy = qc::db::readBuggyClients(db, now.addSecs(1), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(buggy.size(), 1);
        QCOMPARE(buggy.first().userId, u"u5"_s);
        QCOMPARE(buggy.first().collisions, qint64(12));

        const auto overview = qc::db::readPlanOverview(db, u"u5"_s, now);
        QVERIFY2(overview.ok(), qPrintable(overview.error));
        QCOMPARE(overview.current.version, qint64(2));
        QCOMPARE(overview.plans.size(), 4);
        QCOMPARE(overview.downgradeGraceMs, qint64(7) * 86400000);
    }

    void subjectsAreReadFromWhatPeopleType_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("value");
        QTest::newRow("v4") << "203.0.113.7" << int(qc::db::Subject::Kind::Ip) << "203.0.113.7";
        QTest::newRow("v6") << "2001:DB8::1" << int(qc::db::Subject::Kind::Ip) << "2001:db8::1";
        QTest::newRow("/24") << "203.0.113.7/24" << int(qc::db::Subject::Kind::Network)
                             << "203.0.113.0/24";
        QTest::newRow("/64") << "2001:db8:1:2::7/64" << int(qc::db::Subject::Kind::Network)
                             << "2001:db8:1:2::/64";
        QTest::newRow("/32 is an address")
            << "203.0.113.7/32" << int(qc::db::Subject::Kind::Ip) << "203.0.113.7";
        QTest::newRow("user") << "alice" << int(qc::db::Subject::Kind::User) << "alice";
        QTest::newRow("user prefix")
            << "user:10.0.0.1" << int(qc::db::Subject::Kind::User) << "10.0.0.1";
        QTest::newRow("endpoint") << "/api/chat" << int(qc::db::Subject::Kind::Endpoint)
                                  << "/api/chat";
        QTest::newRow("bad v4") << "300.1.2.3" << -1 << "";
        QTest::newRow("bad cidr") << "10.0.0.0/40" << -1 << "";
        QTest::newRow("empty") << "  " << -1 << "";
    }

    void subjectsAreReadFromWhatPeopleType()
    {
        QFETCH(QString, text);
        QFETCH(int, kind);
        QFETCH(QString, value);
        QString error;
        const auto s = qc::db::Subject::parse(text, &error);
        if (kind < 0) {
            QVERIFY(!s);
            QVERIFY(!error.isEmpty());
            return;
        }
        QVERIFY2(s, qPrintable(error));
        QCOMPARE(int(s->kind), kind);
        QCOMPARE(s->value, value);
    }

    void auditLogPagesAndTheChainCheck()
    {
        QString name;
        QSqlDatabase db = freshDb(&name);
        for (int i = 0; i < 7; ++i)
            QC_SQL_OK(sqlCall(db, u"SELECT quota.block(?, 'user', ?, 'test')"_s,
                { QString(u"a"_s + QString::number(i)), QString(u"u"_s + QString::number(i)) }));
        qc::db::AuditFilter f;
        f.limit = 4;
        f.action = u"block"_s;
        auto page = qc::db::readAuditLog(db, f, true);
        QVERIFY2(page.ok(), qPrintable(page.error));
        QCOMPARE(page.entries.size(), 4);
        QVERIFY(page.hasMore);
        QVERIFY(page.verified);
        QVERIFY(!page.brokenAt);
        f.beforeId = page.entries.last().id;
        page = qc::db::readAuditLog(db, f, false);
        QCOMPARE(page.entries.size(), 3);
        QVERIFY(!page.hasMore);
        QVERIFY(page.entries.first().beforeIsNull);
        QCOMPARE(page.entries.first().after.value(u"target").toString(), u"user"_s);
        // An edit behind the functions' back (triggers off, as a superuser could) is found.
        QCOMPARE(
            TestCluster::instance().execAsSuperuser(name,
                u"ALTER TABLE quota.admin_audit_log DISABLE TRIGGER admin_audit_log_no_update; "
                "UPDATE quota.admin_audit_log SET reason = 'nothing to see' WHERE id = "
                "(SELECT min(id) + 3 FROM quota.admin_audit_log); "
                "ALTER TABLE quota.admin_audit_log ENABLE TRIGGER admin_audit_log_no_update"_s),
            QString());
        page = qc::db::readAuditLog(db, {}, true);
        QVERIFY(page.brokenAt.has_value());
    }
};

QTEST_GUILESS_MAIN(tst_InvestigationQueries)
#include "tst_investigationqueries.moc"
