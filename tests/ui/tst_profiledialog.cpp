// The profile editor against the real test server: "Test connection" with a password that is
// checked (scram-sha-256), a password typed into the connection string moved to the keychain
// field, the migration offer on an empty database, and no secret in the log file.
#include "services/logging.h"
#include "services/session.h"
#include "support/testcluster.h"
#include "ui/profiledialog.h"

#include <QAbstractButton>
#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using qc::testsupport::TestCluster;

namespace {

const QString kPassword = u"Tr0ub4dor&3-unique"_s;

// Presses Yes on the next message box (the migration confirmation).
void acceptNextMessageBox()
{
    QTimer::singleShot(50, [] {
        for (QWidget* w : QApplication::topLevelWidgets()) {
            if (auto* box = qobject_cast<QMessageBox*>(w)) {
                box->button(QMessageBox::Yes)->click();
                return;
            }
        }
        acceptNextMessageBox();
    });
}

} // namespace

class tst_ProfileDialog : public QObject {
    Q_OBJECT

    QTemporaryDir m_logs;

private Q_SLOTS:
    void initTestCase()
    {
        QC_REQUIRE_CLUSTER();
        QCOMPARE(qc::services::initLogging(m_logs.path()), QString());
    }
    void cleanup() { TestCluster::instance().cleanup(); }

    void aPasswordTypedIntoTheConnectionStringGoesToTheKeychainField()
    {
        QC_TEST_DATABASE(name);
        const QString role
            = TestCluster::instance().createLoginRole(u"carol"_s, { u"quota_viewer"_s });
        QCOMPARE(TestCluster::instance().requirePassword(role, kPassword), QString());
        QNetworkAccessManager network;
        qc::ui::ProfileDialog dialog(
            qc::services::ConnectionProfile::create(u"x"_s, u"PROD"_s), {}, &network);
        dialog.show();
        dialog.findChild<QTabWidget*>()->setCurrentIndex(1); // Database
        auto* conninfo = dialog.findChild<QLineEdit*>(u"databaseConninfo"_s);
        auto* password = dialog.findChild<QLineEdit*>(u"databasePassword"_s);
        dialog.findChild<QLineEdit*>(u"profileName"_s)->setText(u"Production"_s);
        // First a wrong password: the server refuses it, and says so.
        conninfo->setText(TestCluster::instance().conninfo(name, role) + u" password=wrong"_s);
        dialog.databaseTestButton()->click();
        QVERIFY(!conninfo->text().contains(u"password"_s));
        QCOMPARE(password->text(), u"wrong"_s);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.databaseResultText().startsWith(u"✘"_s), 15000);
        QVERIFY2(dialog.databaseResultText().contains(u"rejected the login"_s),
            qPrintable(dialog.databaseResultText()));
        // Then the right one.
        password->setText(kPassword);
        dialog.databaseTestButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.databaseResultText().startsWith(u"✔"_s), 15000);
        QVERIFY2(dialog.databaseResultText().contains(u"(quota_viewer)"_s),
            qPrintable(dialog.databaseResultText()));
        QVERIFY(!dialog.migrateButton()->isVisible());

        const qc::services::ConnectionProfile p = dialog.profile();
        QVERIFY(!p.databaseConninfo.contains(kPassword));
        QCOMPARE(dialog.secrets().value(u"database"_s), kPassword);
        QCOMPARE(p.environmentLabel, u"PROD"_s);

        // Connecting with it: the password reaches libpq, never the log.
        qc::services::Session session;
        session.connectTo(p, dialog.secrets());
        QTRY_COMPARE_WITH_TIMEOUT(session.role(), qc::db::QuotaRole::Viewer, 15000);
        qc::services::flushLog();
        QFile log(qc::services::logFilePath());
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QByteArray text = log.readAll();
        QVERIFY(text.contains("connected to"));
        QVERIFY(!text.contains(kPassword.toUtf8()));
        QVERIFY(!text.contains("password=wrong"));
    }

    void anEmptyDatabaseCanBeMigratedFromTheDialog()
    {
        const QString name = TestCluster::instance().createDatabase(TestCluster::Schema::Empty);
        QVERIFY(!name.isEmpty());
        QNetworkAccessManager network;
        auto profile = qc::services::ConnectionProfile::create(u"new"_s, u"STAGING"_s);
        profile.setDatabaseConninfo(TestCluster::instance().conninfo(name));
        qc::ui::ProfileDialog dialog(profile, {}, &network);
        dialog.show();
        dialog.findChild<QTabWidget*>()->setCurrentIndex(1); // Database
        dialog.databaseTestButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.migrateButton()->isVisible(), 15000);
        QVERIFY2(dialog.databaseResultText().contains(u"no quota schema"_s),
            qPrintable(dialog.databaseResultText()));
        acceptNextMessageBox();
        dialog.migrateButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.databaseResultText().startsWith(u"✔ Connected"_s), 30000);
        QVERIFY(!dialog.migrateButton()->isVisible());
    }

    void aViewerIsNotOfferedToMigrate()
    {
        const QString name = TestCluster::instance().createDatabase(TestCluster::Schema::Empty);
        const QString viewer
            = TestCluster::instance().createLoginRole(u"dave"_s, { u"quota_viewer"_s });
        QNetworkAccessManager network;
        auto profile = qc::services::ConnectionProfile::create(u"new"_s);
        profile.setDatabaseConninfo(TestCluster::instance().conninfo(name, viewer));
        qc::ui::ProfileDialog dialog(profile, {}, &network);
        dialog.show();
        dialog.findChild<QTabWidget*>()->setCurrentIndex(1); // Database
        dialog.databaseTestButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.databaseResultText().startsWith(u"✘"_s), 15000);
        QVERIFY2(dialog.databaseResultText().contains(u"Ask the database owner"_s),
            qPrintable(dialog.databaseResultText()));
        QVERIFY(!dialog.migrateButton()->isVisible());
    }

    void anInvalidProfileCannotBeSaved()
    {
        QNetworkAccessManager network;
        qc::ui::ProfileDialog dialog(
            qc::services::ConnectionProfile::create(QString()), {}, &network);
        dialog.show();
        dialog.findChild<QTabWidget*>()->setCurrentIndex(1); // Database
        dialog.findChild<QLineEdit*>(u"databaseConninfo"_s)->setText(u"hots=db"_s);
        dialog.accept();
        QVERIFY(dialog.isVisible()); // refused: no name
        dialog.findChild<QLineEdit*>(u"profileName"_s)->setText(u"ok"_s);
        dialog.accept();
        QVERIFY(dialog.isVisible()); // refused: bad connection string
        bool shown = false;
        for (QLabel* l : dialog.findChildren<QLabel*>())
            shown |= l->isVisible() && l->text().contains(u"invalid connection option"_s);
        QVERIFY(shown);
        dialog.findChild<QLineEdit*>(u"databaseConninfo"_s)->setText(u"host=db dbname=quota"_s);
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }
};

QTEST_MAIN(tst_ProfileDialog)
#include "tst_profiledialog.moc"
