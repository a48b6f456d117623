// The Settings dialog and the preferences behind it: stored in the settings file, checked
// with errors that say what is wrong, applied at once (theme, time zone, log level).
#include "services/localization.h"
#include "services/logging.h"
#include "services/settingsstore.h"
#include "ui/appearance.h"
#include "ui/settingsdialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using qc::services::Preferences;

namespace {

template<typename T> T* field(QWidget* dialog, const QString& name)
{
    auto* w = dialog->findChild<T*>(name);
    if (!w)
        qFatal("no field %s", qPrintable(name));
    return w;
}

void choose(QComboBox* box, const QString& data)
{
    box->setCurrentIndex(box->findData(data));
}

} // namespace

class tst_SettingsDialog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_logs.isValid());
        QCOMPARE(qc::services::initLogging(m_logs.path()), QString());
    }

    void cleanup()
    {
        qc::ui::applyPreferences(Preferences {}, nullptr);
        qc::ui::applyTheme(Preferences::Theme::System);
    }

    void preferencesRoundTripThroughTheFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"console.ini"_s);
        {
            qc::services::SettingsStore store(path);
            QCOMPARE(store.settings().preferences, Preferences {});
            store.update([&](qc::services::ConsoleSettings& s) {
                s.preferences.language = u"fa"_s;
                s.preferences.theme = Preferences::Theme::Dark;
                s.preferences.timeZone = Preferences::TimeZone::Utc;
                s.preferences.metricsScrapeSeconds = 30;
                s.preferences.trayNotifications = false;
                s.preferences.minimumSeverity = Preferences::Severity::Critical;
                s.preferences.logLevel = u"debug"_s;
                s.preferences.dataDirectory = dir.filePath(u"data"_s);
                s.preferences.splitterStates.insert(u"requestsPage-details"_s, "\x01\x02");
            });
        }
        qc::services::SettingsStore again(path);
        const Preferences& p = again.settings().preferences;
        QCOMPARE(p.language, u"fa"_s);
        QCOMPARE(p.theme, Preferences::Theme::Dark);
        QCOMPARE(p.timeZone, Preferences::TimeZone::Utc);
        QCOMPARE(p.metricsScrapeSeconds, 30);
        QCOMPARE(p.trayNotifications, false);
        QCOMPARE(p.minimumSeverity, Preferences::Severity::Critical);
        QCOMPARE(p.logLevel, u"debug"_s);
        QCOMPARE(p.dataDirectory, dir.filePath(u"data"_s));
        QCOMPARE(p.splitterStates.value(u"requestsPage-details"_s), QByteArray("\x01\x02"));
    }

    void aHandEditedFileWithNonsenseGivesTheDefaults()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"console.ini"_s);
        {
            QSettings s(path, QSettings::IniFormat);
            s.setValue(u"preferences/language"_s, u"klingon"_s);
            s.setValue(u"preferences/theme"_s, u"purple"_s);
            s.setValue(u"preferences/logLevel"_s, u"loud"_s);
            s.setValue(u"preferences/metricsScrapeSeconds"_s, 99999);
            s.setValue(u"preferences/minimumSeverity"_s, u"meh"_s);
        }
        qc::services::SettingsStore store(path);
        const Preferences& p = store.settings().preferences;
        QCOMPARE(p.language, QString());
        QCOMPARE(p.theme, Preferences::Theme::System);
        QCOMPARE(p.logLevel, u"info"_s);
        QCOMPARE(p.metricsScrapeSeconds, Preferences::kMaxScrapeSeconds);
        QCOMPARE(p.minimumSeverity, Preferences::Severity::Warning);
        QVERIFY(p.validate().isEmpty());
    }

    void invalidValuesSayWhatIsWrong_data()
    {
        QTest::addColumn<QString>("setting");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("language") << u"language"_s << u"xx"_s << u"Language: 'xx'"_s;
        QTest::newRow("log level")
            << u"logLevel"_s << u"loud"_s << u"Log level: 'loud' is not a level"_s;
        QTest::newRow("scrape") << u"scrape"_s << u"-5"_s << u"Metrics scrape interval: -5 s"_s;
        QTest::newRow("relative dir") << u"dataDirectory"_s << u"data/here"_s << u"relative path"_s;
        QTest::newRow("a file") << u"dataDirectory"_s << u"FILE"_s << u"is a file"_s;
        QTest::newRow("unwritable")
            << u"dataDirectory"_s << u"/proc/quota-console"_s << u"cannot be created"_s;
    }
    void invalidValuesSayWhatIsWrong()
    {
        QFETCH(QString, setting);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        Preferences p;
        if (setting == u"language")
            p.language = value;
        else if (setting == u"logLevel")
            p.logLevel = value;
        else if (setting == u"scrape")
            p.metricsScrapeSeconds = value.toInt();
        else if (value == u"FILE") {
            p.dataDirectory = dir.filePath(u"a-file"_s);
            QFile f(p.dataDirectory);
            QVERIFY(f.open(QIODevice::WriteOnly));
        } else
            p.dataDirectory = value;
        const QStringList errors = p.validate();
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first().contains(expected), qPrintable(errors.first()));
    }

    void theDialogStoresAndAppliesAtOnce()
    {
        QTemporaryDir dir;
        qc::services::SettingsStore store(dir.filePath(u"console.ini"_s));
        qc::ui::SettingsDialog dialog(&store);
        dialog.show();
        choose(field<QComboBox>(&dialog, u"theme"_s), u"dark"_s);
        choose(field<QComboBox>(&dialog, u"timeZone"_s), u"utc"_s);
        choose(field<QComboBox>(&dialog, u"logLevel"_s), u"warn"_s);
        field<QSpinBox>(&dialog, u"dashboardRefresh"_s)->setValue(45);
        field<QSpinBox>(&dialog, u"metricsScrape"_s)->setValue(20);
        field<QCheckBox>(&dialog, u"trayNotifications"_s)->setChecked(false);
        QVERIFY(!field<QComboBox>(&dialog, u"minimumSeverity"_s)->isEnabled());
        const QString data = dir.filePath(u"data"_s);
        field<QLineEdit>(&dialog, u"dataDirectory"_s)->setText(data);

        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        const qc::services::ConsoleSettings& s = store.settings();
        QCOMPARE(s.preferences.theme, Preferences::Theme::Dark);
        QCOMPARE(s.preferences.timeZone, Preferences::TimeZone::Utc);
        QCOMPARE(s.preferences.logLevel, u"warn"_s);
        QCOMPARE(s.dashboard.refreshSeconds, 45);
        QCOMPARE(s.preferences.metricsScrapeSeconds, 20);
        QCOMPARE(s.preferences.trayNotifications, false);
        QCOMPARE(s.preferences.dataDirectory, data);
        // The file has it too.
        QCOMPARE(qc::services::ConsoleSettings::loadFile(store.path()).preferences, s.preferences);

        // Applied: the dark palette, UTC times, the log level, the log in the new directory.
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 128);
        QCOMPARE(qc::services::displayTimeZone(), Preferences::TimeZone::Utc);
        const QDateTime noon(QDate(2026, 1, 5), QTime(12, 0, 7), QTimeZone::utc());
        QCOMPARE(qc::services::display::time(noon), u"12:00:07"_s);
        QCOMPARE(qc::services::logger()->level(), spdlog::level::warn);
        QCOMPARE(qc::services::logDirectory(), data + u"/logs"_s);
        QVERIFY(QFile::exists(data + u"/logs/quota-console.log"_s));
    }

    void anInvalidValueKeepsTheDialogOpen()
    {
        QTemporaryDir dir;
        qc::services::SettingsStore store(dir.filePath(u"console.ini"_s));
        const qc::services::ConsoleSettings before = store.settings();
        qc::ui::SettingsDialog dialog(&store);
        dialog.show();
        choose(field<QComboBox>(&dialog, u"theme"_s), u"light"_s);
        field<QLineEdit>(&dialog, u"dataDirectory"_s)->setText(u"relative/dir"_s);
        dialog.accept();
        QVERIFY(dialog.isVisible());
        QVERIFY2(
            dialog.errorText().contains(u"Data directory: 'relative/dir' is a relative path"_s),
            qPrintable(dialog.errorText()));
        QVERIFY(field<QLabel>(&dialog, u"settingsError"_s)->isVisible());
        QCOMPARE(store.settings(), before);
        // Corrected, it goes through and the error disappears.
        field<QLineEdit>(&dialog, u"dataDirectory"_s)->clear();
        QVERIFY(dialog.apply().isEmpty());
        QCOMPARE(dialog.errorText(), QString());
        QCOMPARE(store.settings().preferences.theme, Preferences::Theme::Light);
    }

    void aNewLanguageSaysItAppliesAtTheNextStart()
    {
        QTemporaryDir dir;
        qc::services::SettingsStore store(dir.filePath(u"console.ini"_s));
        qc::ui::SettingsDialog dialog(&store);
        dialog.show();
        auto* note = field<QLabel>(&dialog, u"languageNote"_s);
        QVERIFY(!note->isVisible());
        auto* language = field<QComboBox>(&dialog, u"language"_s);
        QCOMPARE(language->currentData().toString(), QString()); // the system's
        choose(language, u"de"_s);
        QVERIFY(note->isVisible());
        QVERIFY(note->text().contains(u"started again"_s));
        QVERIFY(dialog.apply().isEmpty());
        QCOMPARE(store.settings().preferences.language, u"de"_s);
    }

private:
    QTemporaryDir m_logs;
};

QTEST_MAIN(tst_SettingsDialog)
#include "tst_settingsdialog.moc"
