#include "services/consolesettings.h"

#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using qc::services::ConnectionProfile;
using qc::services::ConsoleSettings;
using qc::services::HttpAuthSettings;
using qc::services::HttpEndpoint;

namespace {

ConnectionProfile fullProfile()
{
    ConnectionProfile p = ConnectionProfile::create(u"Production EU"_s, u"PROD"_s);
    QString password;
    p.setDatabaseConninfo(
        u"host=db.example.org port=5432 dbname=quota user=alice password=s3cret-db "
        "sslmode=verify-full sslrootcert=/etc/ssl/quota-ca.pem"_s,
        &password);
    p.setReplicaConninfo(
        u"postgresql://alice:s3cret-replica@replica.example.org/quota?sslmode=require"_s,
        &password);
    HttpEndpoint gw;
    gw.id = u"gw1"_s;
    gw.name = u"gateway-1"_s;
    gw.url = QUrl(u"https://gw1.example.org:9100/metrics"_s);
    gw.auth.kind = HttpAuthSettings::Kind::Basic;
    gw.auth.user = u"scraper"_s;
    gw.auth.caFile = u"/etc/ssl/private-ca.pem"_s;
    gw.auth.clientCertificateFile = u"/etc/ssl/console.pem"_s;
    gw.auth.clientKeyFile = u"/etc/ssl/console.key"_s;
    HttpEndpoint gw2;
    gw2.id = u"gw2"_s;
    gw2.name = u"gateway-2"_s;
    gw2.url = QUrl(u"http://gw2.example.org:9100/metrics"_s);
    p.metricsEndpoints = { gw, gw2 };
    p.prometheus.id = u"prometheus"_s;
    p.prometheus.url = QUrl(u"https://prometheus.example.org/"_s);
    p.prometheus.auth.kind = HttpAuthSettings::Kind::Bearer;
    p.alertmanager.id = u"alertmanager"_s;
    p.alertmanager.url = QUrl(u"http://alertmanager.example.org:9093/"_s);
    p.scrapeIntervalSeconds = 5;
    return p;
}

} // namespace

class tst_Settings : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTripsEveryField()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"console.ini"_s);
        ConsoleSettings s;
        s.profiles << fullProfile() << ConnectionProfile::create(u"Demo"_s, u"DEMO"_s);
        s.profiles[1].setDatabaseConninfo(u"service=quota-demo"_s);
        s.lastProfileId = s.profiles[0].id;
        s.connectOnStart = false;
        s.dashboard.range = u"24h"_s;
        s.dashboard.refreshSeconds = 30;
        s.dashboard.paused = true;
        s.windowGeometry = QByteArray("\x01\x02geometry", 10);
        s.lastPage = u"dashboard"_s;
        QCOMPARE(s.saveFile(path), QString());

        const ConsoleSettings back = ConsoleSettings::loadFile(path);
        QCOMPARE(back.profiles.size(), 2);
        QCOMPARE(back.profiles[0], s.profiles[0]);
        QCOMPARE(back.profiles[1], s.profiles[1]);
        QVERIFY(back == s);
        QCOMPARE(back.profiles[0].environmentColor, QColor(0xc6, 0x28, 0x28));
    }

    void theFileNeverHoldsASecret()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"console.ini"_s);
        ConsoleSettings s;
        ConnectionProfile p = fullProfile();
        // Even a password assigned directly (bypassing setDatabaseConninfo) is not written.
        p.databaseConninfo = u"host=db.example.org user=alice password=leaked-1"_s;
        p.replicaConninfo = u"postgresql://bob:leaked-2@replica/quota"_s;
        s.profiles << p;
        QCOMPARE(s.saveFile(path), QString());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        for (const char* secret : { "leaked-1", "leaked-2", "s3cret", "password" })
            QVERIFY2(!text.contains(secret), secret);
        // What is written still connects to the same place.
        const ConsoleSettings back = ConsoleSettings::loadFile(path);
        QVERIFY(back.profiles[0].databaseConninfo.contains(u"host='db.example.org'"_s));
        QVERIFY(back.profiles[0].replicaConninfo.contains(u"user='bob'"_s));
    }

    void aHandEditedPasswordIsDroppedOnLoad()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"console.ini"_s);
        {
            QSettings raw(path, QSettings::IniFormat);
            raw.beginWriteArray(u"profiles"_s, 1);
            raw.setArrayIndex(0);
            raw.setValue(u"id"_s, u"p1"_s);
            raw.setValue(u"name"_s, u"Old"_s);
            raw.setValue(u"database"_s, u"dbname=quota password=typed-in"_s);
            raw.endArray();
        }
        const ConsoleSettings s = ConsoleSettings::loadFile(path);
        QCOMPARE(s.profiles.size(), 1);
        QVERIFY(!s.profiles[0].databaseConninfo.contains(u"typed-in"_s));
        QVERIFY(s.profiles[0].databaseConninfo.contains(u"dbname='quota'"_s));
        // A label of one's own gets a neutral colour.
        QVERIFY(s.profiles[0].environmentColor.isValid());
    }

    void connectionStringsWithoutPasswordsAreKeptAsWritten()
    {
        ConnectionProfile p = ConnectionProfile::create(u"x"_s);
        QString password = u"stale"_s;
        p.setDatabaseConninfo(u"postgresql://alice@db/quota?sslmode=verify-full"_s, &password);
        QCOMPARE(p.databaseConninfo, u"postgresql://alice@db/quota?sslmode=verify-full"_s);
        QCOMPARE(password, QString());
        p.setDatabaseConninfo(u"host=db user=alice password='it\\'s'"_s, &password);
        QCOMPARE(password, u"it's"_s);
        QCOMPARE(p.databaseConninfo, u"user='alice' host='db'"_s); // libpq's keyword order
        p.setReplicaConninfo(u"postgresql://bob:pw%40x@replica:6432/quota"_s, &password);
        QCOMPARE(password, u"pw@x"_s);
        QVERIFY(!p.replicaConninfo.contains(u"pw"_s));
        QVERIFY(p.replicaConninfo.contains(u"port='6432'"_s));
    }

    void validationNamesWhatToFix_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("name") << u"name"_s << QString() << u"needs a name"_s;
        QTest::newRow("conninfo") << u"database"_s << u"hots=x"_s
                                  << u"invalid connection option \"hots\""_s;
        QTest::newRow("endpoint scheme")
            << u"endpoint"_s << u"ftp://x/metrics"_s << u"must start with http:// or https://"_s;
        QTest::newRow("prometheus") << u"prometheus"_s << u"http:///nohost"_s << u"has no host"_s;
    }
    void validationNamesWhatToFix()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, message);
        ConnectionProfile p = fullProfile();
        QCOMPARE(p.validate(), QString());
        if (field == u"name")
            p.name = value;
        else if (field == u"database")
            p.databaseConninfo = value;
        else if (field == u"endpoint")
            p.metricsEndpoints[1].url = QUrl(value);
        else
            p.prometheus.url = QUrl(value);
        QVERIFY2(p.validate().contains(message), qPrintable(p.validate()));
    }

    void secretSlotsFollowTheProfile()
    {
        const ConnectionProfile p = fullProfile();
        QCOMPARE(qc::services::secretSlots(p),
            QStringList({ u"database"_s, u"replica"_s, u"endpoint/gw1"_s, u"prometheus"_s }));
    }
};

QTEST_GUILESS_MAIN(tst_Settings)
#include "tst_settings.moc"
