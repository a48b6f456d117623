// The Alertmanager side of the Alerts page against the real /usr/bin/prometheus-alertmanager
// on 127.0.0.1 (a random free port, temporary storage; alerts posted to it through its API):
// the API v2 client (core/metrics), and acknowledging from the Alerts page — a silence with
// the note, the account as creator, ended by un-acknowledging or when the alert resolves.

#include "metrics/alertmanagerclient.h"
#include "models/alertmodel.h"
#include "services/alertmonitor.h"
#include "services/session.h"
#include "services/settingsstore.h"
#include "support/sqlcall.h"
#include "support/testcluster.h"
#include "ui/alertspage.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using qc::metrics::AlertmanagerClient;
using qc::metrics::AmAlert;
using qc::metrics::AmSilence;
using qc::testsupport::TestCluster;

namespace {

const QString kBinary = u"/usr/bin/prometheus-alertmanager"_s;

// One Alertmanager for the test process, stopped with it.
class Alertmanager {
public:
    bool start()
    {
        if (!QFile::exists(kBinary)) {
            m_error = u"%1 is missing: apt-get install prometheus-alertmanager"_s.arg(kBinary);
            return false;
        }
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0)) {
            m_error = u"no free port on 127.0.0.1"_s;
            return false;
        }
        m_port = probe.serverPort();
        probe.close();
        QFile config(m_dir.filePath(u"alertmanager.yml"_s));
        if (!config.open(QIODevice::WriteOnly))
            return false;
        config.write(
            "route:\n  receiver: nobody\n  group_wait: 1h\nreceivers:\n  - name: nobody\n");
        config.close();
        m_process.setProgram(kBinary);
        m_process.setArguments({ u"--config.file="_s + config.fileName(),
            u"--storage.path="_s + m_dir.filePath(u"data"_s),
            u"--web.listen-address=127.0.0.1:"_s + QString::number(m_port),
            u"--cluster.listen-address="_s, u"--log.level=warn"_s });
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start();
        if (!m_process.waitForStarted(5000)) {
            m_error = m_process.errorString();
            return false;
        }
        // Ready when /-/ready answers 200.
        QNetworkAccessManager network;
        for (int i = 0; i < 100; ++i) {
            QNetworkReply* reply = network.get(QNetworkRequest(url(u"-/ready"_s)));
            QSignalSpy done(reply, &QNetworkReply::finished);
            done.wait(1000);
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            reply->deleteLater();
            if (status == 200)
                return true;
            if (m_process.state() != QProcess::Running)
                break;
            QTest::qWait(100);
        }
        m_error = u"Alertmanager did not become ready: "_s + QString::fromUtf8(m_process.readAll());
        return false;
    }
    ~Alertmanager()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(5000))
                m_process.kill();
            m_process.waitForFinished(2000);
        }
    }
    QUrl url(const QString& path = {}) const
    {
        return QUrl(u"http://127.0.0.1:%1/%2"_s.arg(m_port).arg(path));
    }
    QString error() const { return m_error; }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    QString m_error;
};

Alertmanager* g_am = nullptr;
QString g_operator;

template<typename Result, typename Signal>
Result await(AlertmanagerClient& client, Signal signal, quint64 id)
{
    QSignalSpy spy(&client, signal);
    for (int i = 0; i < 50; ++i) {
        for (const QList<QVariant>& args : std::as_const(spy))
            if (args.first().value<Result>().id == id)
                return args.first().value<Result>();
        spy.wait(200);
    }
    Result r;
    r.error = u"no answer"_s;
    return r;
}

AmAlert alert(const QMap<QString, QString>& labels, const QString& summary)
{
    AmAlert a;
    a.labels = labels;
    a.annotations = { { u"summary"_s, summary } };
    a.startsAt = QDateTime::currentDateTimeUtc().addSecs(-60);
    return a;
}

QList<AmSilence> silences(AlertmanagerClient& client)
{
    return await<qc::metrics::AmSilencesResult>(
        client, &AlertmanagerClient::silencesFetched, client.fetchSilences())
        .silences;
}

const AmSilence* silenceWithId(const QList<AmSilence>& list, const QString& id)
{
    for (const AmSilence& s : list)
        if (s.id == id)
            return &s;
    return nullptr;
}

struct Console {
    QTemporaryDir dir;
    qc::services::SettingsStore settings { dir.filePath(u"console.ini"_s) };
    qc::services::Session session;
    qc::ui::PageContext context { &session, &settings };

    Console(const QString& database, const QString& role)
    {
        auto p = qc::services::ConnectionProfile::create(u"Test"_s, u"TEST"_s);
        p.setDatabaseConninfo(TestCluster::instance().conninfo(database, role));
        p.alertmanager.id = u"am"_s;
        p.alertmanager.url = g_am->url();
        session.connectTo(p);
    }
};

} // namespace

class tst_Alertmanager : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QC_REQUIRE_CLUSTER();
        g_am = new Alertmanager;
        QVERIFY2(g_am->start(), qPrintable(g_am->error()));
        g_operator = TestCluster::instance().createLoginRole(u"olga"_s, { u"quota_operator"_s });
    }
    void cleanupTestCase()
    {
        delete g_am;
        g_am = nullptr;
    }
    void cleanup() { TestCluster::instance().cleanup(); }

    void theClientListsSilencesAndExpires()
    {
        QNetworkAccessManager network;
        AlertmanagerClient client(&network, g_am->url());
        const QMap<QString, QString> labels { { u"alertname"_s, u"ClientTest"_s },
            { u"severity"_s, u"warning"_s }, { u"instance"_s, u"api-1"_s } };
        const auto posted = await<qc::metrics::AmWriteResult>(client,
            &AlertmanagerClient::alertsPosted, client.postAlerts({ alert(labels, u"x"_s) }));
        QVERIFY2(posted.ok(), qPrintable(posted.error));
        qc::metrics::AmAlertsResult alerts;
        QTRY_VERIFY_WITH_TIMEOUT((alerts = await<qc::metrics::AmAlertsResult>(client,
                                      &AlertmanagerClient::alertsFetched, client.fetchAlerts()),
                                     std::any_of(alerts.alerts.begin(), alerts.alerts.end(),
                                         [&](const AmAlert& a) { return a.labels == labels; })),
            5000);
        AmAlert listed;
        for (const AmAlert& a : alerts.alerts)
            if (a.labels == labels)
                listed = a;
        QCOMPARE(listed.state, u"active"_s);
        QCOMPARE(listed.annotations.value(u"summary"_s), u"x"_s);
        QVERIFY(!listed.fingerprint.isEmpty());
        QVERIFY(listed.startsAt.isValid());

        AmSilence s;
        s.matchers = AmSilence::matchersFor(labels);
        s.startsAt = QDateTime::currentDateTimeUtc();
        s.endsAt = s.startsAt.addSecs(3600);
        s.createdBy = u"olga"_s;
        s.comment = u"deploy in progress"_s;
        const auto made = await<qc::metrics::AmWriteResult>(
            client, &AlertmanagerClient::silenceWritten, client.createSilence(s));
        QVERIFY2(made.ok(), qPrintable(made.error));
        const QList<AmSilence> all = silences(client);
        const AmSilence* active = silenceWithId(all, made.silenceId);
        QVERIFY(active);
        QCOMPARE(active->state, u"active"_s);
        QCOMPARE(active->comment, u"deploy in progress"_s);
        QCOMPARE(active->createdBy, u"olga"_s);
        QVERIFY(active->matchesExactly(labels));
        QVERIFY(qAbs(active->endsAt.secsTo(s.endsAt)) <= 1);
        QTRY_VERIFY_WITH_TIMEOUT((alerts = await<qc::metrics::AmAlertsResult>(client,
                                      &AlertmanagerClient::alertsFetched, client.fetchAlerts()),
                                     std::any_of(alerts.alerts.begin(), alerts.alerts.end(),
                                         [&](const AmAlert& a) {
                                             return a.labels == labels
                                                 && a.silencedBy.contains(made.silenceId)
                                                 && a.state == u"suppressed";
                                         })),
            5000);

        const auto expired = await<qc::metrics::AmWriteResult>(
            client, &AlertmanagerClient::silenceWritten, client.expireSilence(made.silenceId));
        QVERIFY2(expired.ok(), qPrintable(expired.error));
        QCOMPARE(silenceWithId(silences(client), made.silenceId)->state, u"expired"_s);

        // A silence without matchers is refused, with Alertmanager's reason.
        AmSilence bad = s;
        bad.matchers.clear();
        const auto refused = await<qc::metrics::AmWriteResult>(
            client, &AlertmanagerClient::silenceWritten, client.createSilence(bad));
        QVERIFY(!refused.ok());
        QVERIFY(refused.httpStatus == 400 || refused.httpStatus == 422);
        QVERIFY2(refused.error.startsWith(u"Alertmanager: HTTP 4"_s), qPrintable(refused.error));
        QVERIFY2(refused.error.contains(u"matcher"_s), qPrintable(refused.error));
        // Nothing listens: a network error naming the server.
        AlertmanagerClient nowhere(&network, QUrl(u"http://127.0.0.1:1/"_s));
        const auto down = await<qc::metrics::AmAlertsResult>(
            nowhere, &AlertmanagerClient::alertsFetched, nowhere.fetchAlerts());
        QVERIFY(down.error.contains(u"127.0.0.1:1"_s));
    }

    void acknowledgingSilencesWithTheNoteAndUnacknowledgingExpires()
    {
        const QString db = TestCluster::instance().createDatabase();
        QVERIFY(!db.isEmpty());
        QCOMPARE(TestCluster::instance().execAsSuperuser(db,
                     u"INSERT INTO quota.alerts (rule, labels, annotations, severity, fingerprint, "
                     "starts_at) VALUES ('HighDenialRate', '{\"alertname\": \"HighDenialRate\", "
                     "\"severity\": \"warning\"}', '{\"summary\": \"27% denied\"}', 'warning', "
                     "'fpA', now())"_s),
            QString());
        // Prometheus sends the same alert to Alertmanager, with an external label.
        QNetworkAccessManager network;
        AlertmanagerClient client(&network, g_am->url());
        const QMap<QString, QString> amLabels { { u"alertname"_s, u"HighDenialRate"_s },
            { u"severity"_s, u"warning"_s }, { u"cluster"_s, u"eu"_s } };
        QVERIFY(await<qc::metrics::AmWriteResult>(client, &AlertmanagerClient::alertsPosted,
            client.postAlerts({ alert(amLabels, u"27% denied"_s) }))
                    .ok());

        Console c(db, g_operator);
        QTRY_VERIFY(c.session.role() != qc::db::QuotaRole::None);
        qc::ui::AlertsPage page(c.context);
        page.activated();
        const auto ours = [&page]() -> const qc::services::AlertItem* {
            for (const auto& i : page.model()->rows())
                if (i.name == u"HighDenialRate")
                    return &i;
            return nullptr;
        };
        QTRY_VERIFY_WITH_TIMEOUT(ours() && ours()->alertmanager.has_value(), 10000);
        const qc::services::AlertItem item = *ours();
        QCOMPARE(item.key.left(3), u"db:"_s);
        QCOMPARE(item.sources(), u"database + Alertmanager"_s);

        QSignalSpy done(&page, &qc::ui::AlertsPage::actionFinished);
        page.acknowledge(item.key, u"Bot burst from 198.51.100.0/24, blocked; watching"_s, {});
        QVERIFY(done.wait(10000));
        const auto outcome = done.first().first().value<qc::services::AlertActionOutcome>();
        QVERIFY2(outcome.ok, qPrintable(outcome.message));
        QVERIFY(!outcome.silenceId.isEmpty());
        // The silence: the note as comment, the account as creator, the alert's labels.
        const QList<AmSilence> all = silences(client);
        const AmSilence* s = silenceWithId(all, outcome.silenceId);
        QVERIFY(s);
        QCOMPARE(s->state, u"active"_s);
        QCOMPARE(s->comment, u"Bot burst from 198.51.100.0/24, blocked; watching"_s);
        QCOMPARE(s->createdBy, g_operator);
        QStringList got;
        for (const auto& m : s->matchers)
            got << m.name + u'=' + m.value;
        QVERIFY2(s->matchesExactly(item.silenceLabels()), qPrintable(got.join(u", "_s)));
        // "Until it resolves": a day, extended by the console while the alert fires.
        QVERIFY(s->endsAt > QDateTime::currentDateTimeUtc().addSecs(23 * 3600));
        QCOMPARE(c.settings.settings().alerts.silences.size(), 1);
        QCOMPARE(c.settings.settings().alerts.silences.first().silenceId, outcome.silenceId);
        QTRY_COMPARE(ours()->state, u"acknowledged"_s);
        QCOMPARE(ours()->silences.size(), 1);
        QVERIFY(ours()->alertmanager.has_value());

        done.clear();
        page.unacknowledge(item.key, u"fixed the wrong thing"_s);
        QVERIFY(done.wait(10000));
        const auto back = done.first().first().value<qc::services::AlertActionOutcome>();
        QVERIFY2(back.ok, qPrintable(back.message));
        QCOMPARE(back.expiredSilences, QStringList { outcome.silenceId });
        QCOMPARE(silenceWithId(silences(client), outcome.silenceId)->state, u"expired"_s);
        QVERIFY(c.settings.settings().alerts.silences.isEmpty());
        QTRY_COMPARE(ours()->state, u"firing"_s);
        QVERIFY(ours()->silences.isEmpty());
    }

    void aDatabaseAlertThatResolvesEndsItsSilence()
    {
        const QString db = TestCluster::instance().createDatabase();
        QCOMPARE(TestCluster::instance().execAsSuperuser(db,
                     u"INSERT INTO quota.alerts (rule, labels, severity, fingerprint, starts_at) "
                     "VALUES ('RateLimitViolations', '{\"alertname\": \"RateLimitViolations\", "
                     "\"severity\": \"warning\"}', 'warning', 'fpR', now())"_s),
            QString());
        QNetworkAccessManager network;
        AlertmanagerClient client(&network, g_am->url());
        Console c(db, g_operator);
        QTRY_VERIFY(c.session.role() != qc::db::QuotaRole::None);
        qc::ui::AlertsPage page(c.context);
        page.activated();
        QTRY_VERIFY(page.model()->rowOf(u"db:1"_s) >= 0);
        QSignalSpy done(&page, &qc::ui::AlertsPage::actionFinished);
        page.acknowledge(u"db:1"_s, u"known, raising the limit"_s, {});
        QVERIFY(done.wait(10000));
        const auto outcome = done.first().first().value<qc::services::AlertActionOutcome>();
        QVERIFY2(outcome.ok, qPrintable(outcome.message));
        QCOMPARE(silenceWithId(silences(client), outcome.silenceId)->state, u"active"_s);
        // The evaluator resolves it (quota.sync_alerts would do this).
        QCOMPARE(TestCluster::instance().execAsSuperuser(db,
                     u"UPDATE quota.alerts SET state = 'resolved', ends_at = now(), version = "
                     "version + 1"_s),
            QString());
        QTRY_VERIFY_WITH_TIMEOUT(
            (page.monitor()->refresh(),
                silenceWithId(silences(client), outcome.silenceId)->state == u"expired"),
            10000);
        QVERIFY(c.settings.settings().alerts.silences.isEmpty());
    }

    void anAlertmanagerOnlyAlertUntilAChosenTimeAndItsResolution()
    {
        const QString db = TestCluster::instance().createDatabase();
        QNetworkAccessManager network;
        AlertmanagerClient client(&network, g_am->url());
        const QMap<QString, QString> labels { { u"alertname"_s, u"DiskAlmostFull"_s },
            { u"severity"_s, u"critical"_s }, { u"instance"_s, u"db-2"_s } };
        AmAlert a = alert(labels, u"91% used"_s);
        QVERIFY(await<qc::metrics::AmWriteResult>(
            client, &AlertmanagerClient::alertsPosted, client.postAlerts({ a }))
                    .ok());
        Console c(db, g_operator);
        QTRY_VERIFY(c.session.role() != qc::db::QuotaRole::None);
        qc::ui::AlertsPage page(c.context);
        page.activated();
        QString key;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const auto& i : page.model()->rows())
                    if (i.labels == labels)
                        key = i.key;
                return !key.isEmpty();
            }(),
            10000);
        QVERIFY(key.startsWith(u"am:"_s));
        const QDateTime until = QDateTime::currentDateTimeUtc().addSecs(2 * 3600);
        QSignalSpy done(&page, &qc::ui::AlertsPage::actionFinished);
        page.acknowledge(key, u"disk being replaced"_s, until);
        QVERIFY(done.wait(10000));
        const auto outcome = done.first().first().value<qc::services::AlertActionOutcome>();
        QVERIFY2(outcome.ok, qPrintable(outcome.message));
        QVERIFY(!outcome.database); // nothing in the quota database for it
        const QList<AmSilence> all = silences(client);
        const AmSilence* s = silenceWithId(all, outcome.silenceId);
        QVERIFY(s);
        QVERIFY(qAbs(s->endsAt.secsTo(until)) <= 1);
        QVERIFY(s->matchesExactly(labels));
        QTRY_COMPARE(page.model()->rows().at(page.model()->rowOf(key)).state, u"acknowledged"_s);

        // The alert resolves: the acknowledgement (its silence) ends with it.
        a.endsAt = QDateTime::currentDateTimeUtc().addSecs(-1);
        QVERIFY(await<qc::metrics::AmWriteResult>(
            client, &AlertmanagerClient::alertsPosted, client.postAlerts({ a }))
                    .ok());
        QTRY_VERIFY_WITH_TIMEOUT(
            (page.monitor()->refresh(),
                silenceWithId(silences(client), outcome.silenceId)->state == u"expired"),
            10000);
        QVERIFY(c.settings.settings().alerts.silences.isEmpty());
    }
};

QTEST_MAIN(tst_Alertmanager)
#include "tst_alertmanager.moc"
