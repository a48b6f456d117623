// Runs under tests/ui/with-keyring.sh: a private D-Bus session with an unlocked gnome-keyring.
#include "services/consolesettings.h"
#include "services/secretstore.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace Qt::StringLiterals;
using qc::services::ConnectionProfile;
using qc::services::ProfileSecrets;
using qc::services::SecretStore;

namespace {

struct ReadResult {
    ProfileSecrets secrets;
    QString error;
};

std::optional<ReadResult> readBlocking(SecretStore& store, const ConnectionProfile& p)
{
    std::optional<ReadResult> result;
    QObject context;
    store.read(p, &context, [&](const ProfileSecrets& s, const QString& e) { result = { s, e }; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 15000))
        return std::nullopt;
    return result;
}

std::optional<QString> writeBlocking(
    SecretStore& store, const ConnectionProfile& p, const ProfileSecrets& s)
{
    std::optional<QString> result;
    QObject context;
    store.write(p, s, &context, [&](const QString& e) { result = e; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 15000))
        return std::nullopt;
    return result;
}

ConnectionProfile profileWithEndpoint()
{
    ConnectionProfile p = ConnectionProfile::create(u"Keychain test"_s, u"TEST"_s);
    p.setDatabaseConninfo(u"host=db.example.org dbname=quota user=alice"_s);
    qc::services::HttpEndpoint e;
    e.id = u"gw"_s;
    e.name = u"gateway"_s;
    e.url = QUrl(u"https://gw.example.org/metrics"_s);
    e.auth.kind = qc::services::HttpAuthSettings::Kind::Bearer;
    p.metricsEndpoints << e;
    return p;
}

} // namespace

class tst_SecretStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QFAIL("no D-Bus session: run this test through tests/ui/with-keyring.sh (ctest does)");
    }

    void roundTripThroughTheKeychain()
    {
        SecretStore store(u"quota-console-test"_s);
        const ConnectionProfile p = profileWithEndpoint();
        ProfileSecrets secrets;
        secrets.setValue(u"database"_s, u"db-pässword ✓"_s);
        secrets.setValue(u"endpoint/gw"_s, u"bearer-token-123"_s);
        const auto written = writeBlocking(store, p, secrets);
        QVERIFY(written.has_value());
        QCOMPARE(*written, QString());

        const auto read = readBlocking(store, p);
        QVERIFY(read.has_value());
        QCOMPARE(read->error, QString());
        QCOMPARE(read->secrets.value(u"database"_s), u"db-pässword ✓"_s);
        QCOMPARE(read->secrets.value(u"endpoint/gw"_s), u"bearer-token-123"_s);

        // Another store object (another run of the console) sees the same entries.
        SecretStore again(u"quota-console-test"_s);
        const auto reread = readBlocking(again, p);
        QVERIFY(reread.has_value());
        QCOMPARE(reread->secrets, read->secrets);

        // An empty value deletes the entry; a missing entry is not an error.
        ProfileSecrets change;
        change.setValue(u"endpoint/gw"_s, QString());
        QCOMPARE(writeBlocking(store, p, change).value_or(u"timeout"_s), QString());
        const auto after = readBlocking(store, p);
        QVERIFY(after.has_value());
        QCOMPARE(after->error, QString());
        QVERIFY(!after->secrets.values.contains(u"endpoint/gw"_s));
        QCOMPARE(after->secrets.value(u"database"_s), u"db-pässword ✓"_s);

        // Deleting the profile deletes its secrets.
        std::optional<QString> removed;
        QObject context;
        store.removeAll(p, &context, [&](const QString& e) { removed = e; });
        QTRY_VERIFY_WITH_TIMEOUT(removed.has_value(), 15000);
        QCOMPARE(*removed, QString());
        const auto gone = readBlocking(store, p);
        QVERIFY(gone.has_value());
        QVERIFY(gone->secrets.values.isEmpty());
    }

    void profilesDoNotSeeEachOthersSecrets()
    {
        SecretStore store(u"quota-console-test"_s);
        const ConnectionProfile a = profileWithEndpoint();
        const ConnectionProfile b = profileWithEndpoint();
        ProfileSecrets s;
        s.setValue(u"database"_s, u"only-for-a"_s);
        QCOMPARE(writeBlocking(store, a, s).value_or(u"timeout"_s), QString());
        const auto other = readBlocking(store, b);
        QVERIFY(other.has_value());
        QVERIFY(!other->secrets.values.contains(u"database"_s));
    }

    void secretsStayOutOfTheSettingsFile()
    {
        // The profile goes to the settings file, its secret to the keychain: the file never
        // has it, the keychain does.
        QTemporaryDir dir;
        const QString path = dir.filePath(u"console.ini"_s);
        ConnectionProfile p = profileWithEndpoint();
        QString password;
        p.setDatabaseConninfo(u"host=db user=alice password=Very-Secret-42"_s, &password);
        qc::services::ConsoleSettings settings;
        settings.profiles << p;
        QCOMPARE(settings.saveFile(path), QString());
        SecretStore store(u"quota-console-test"_s);
        ProfileSecrets s;
        s.setValue(u"database"_s, password);
        QCOMPARE(writeBlocking(store, p, s).value_or(u"timeout"_s), QString());

        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("Very-Secret-42"));
        const auto read = readBlocking(store, p);
        QVERIFY(read.has_value());
        QCOMPARE(read->secrets.value(u"database"_s), u"Very-Secret-42"_s);
    }

    void aDeadContextGetsNoCallback()
    {
        SecretStore store(u"quota-console-test"_s);
        bool called = false;
        {
            QObject context;
            store.read(profileWithEndpoint(), &context,
                [&](const ProfileSecrets&, const QString&) { called = true; });
        }
        // A second read on the same store completes after the first one.
        const auto later = readBlocking(store, profileWithEndpoint());
        QVERIFY(later.has_value());
        QTest::qWait(50);
        QVERIFY(!called);
    }
};

QTEST_MAIN(tst_SecretStore)
#include "tst_secretstore.moc"
