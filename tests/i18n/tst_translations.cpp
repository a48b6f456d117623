#include "embedded.h"
#include "services/localization.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

namespace {

struct Untranslated {
    QString context;
    QString source;
    QString why;
};

// Messages of a .ts file that a user would see untranslated: unfinished, empty, or a plural
// form missing. Vanished and obsolete ones (no source any more) do not count.
QList<Untranslated> untranslated(const QString& tsFile, int* total)
{
    QList<Untranslated> out;
    QFile f(tsFile);
    if (!f.open(QIODevice::ReadOnly))
        return { { QString(), tsFile, u"cannot be read"_s } };
    QXmlStreamReader xml(&f);
    QString context;
    QString source;
    bool numerus = false;
    *total = 0;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == u"name") {
            context = xml.readElementText();
        } else if (name == u"message") {
            numerus = xml.attributes().value(u"numerus"_s) == u"yes";
        } else if (name == u"source") {
            source = xml.readElementText();
        } else if (name == u"translation") {
            const QString type = xml.attributes().value(u"type"_s).toString();
            if (type == u"vanished" || type == u"obsolete")
                continue;
            ++*total;
            QStringList forms;
            if (numerus) {
                while (xml.readNextStartElement())
                    forms << xml.readElementText();
                if (forms.isEmpty())
                    forms << QString();
            } else {
                forms << xml.readElementText();
            }
            if (type == u"unfinished")
                out.append({ context, source, u"unfinished"_s });
            else if (forms.contains(QString()))
                out.append({ context, source, u"empty"_s });
        }
    }
    if (xml.hasError())
        out.append({ QString(), tsFile, xml.errorString() });
    return out;
}

} // namespace

class tst_Translations : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everySourceStringIsTranslated_data()
    {
        QTest::addColumn<QString>("language");
        QTest::newRow("German") << u"de"_s;
        QTest::newRow("Persian") << u"fa"_s;
    }
    void everySourceStringIsTranslated()
    {
        QFETCH(QString, language);
        QTemporaryDir dir;
        const QString ts = dir.filePath(u"quota-console_"_s + language + u".ts"_s);
        QVERIFY(QFile::copy(
            QStringLiteral(QC_TS_DIR) + u"/quota-console_"_s + language + u".ts"_s, ts));
        QFile::setPermissions(ts, QFile::ReadOwner | QFile::WriteOwner);
        // The same lupdate the build runs (translations/CMakeLists.txt), over today's sources.
        QProcess lupdate;
        lupdate.setProcessChannelMode(QProcess::MergedChannels);
        lupdate.start(QStringLiteral(QC_LUPDATE),
            { u"-locations"_s, u"none"_s, u"-silent"_s, u"@"_s + QStringLiteral(QC_I18N_SOURCES),
                u"-ts"_s, ts });
        QVERIFY(lupdate.waitForFinished(90000));
        QVERIFY2(lupdate.exitCode() == 0, lupdate.readAll().constData());
        int total = 0;
        const QList<Untranslated> missing = untranslated(ts, &total);
        QStringList lines;
        for (const Untranslated& u : missing)
            lines << u"  %1 [%2]: \"%3\""_s.arg(u.why, u.context, u.source.left(100));
        QVERIFY2(missing.isEmpty(),
            qPrintable(u"%1 of %2 messages have no finished %3 translation (translate them in "
                       "translations/quota-console_%3.ts, e.g. with linguist, after `cmake "
                       "--build build --target update_translations`):\n"_s.arg(missing.size())
                           .arg(total)
                           .arg(language)
                + lines.mid(0, 40).join(u'\n')));
        QVERIFY(total > 100);
    }

    void bothLanguagesAreEmbedded()
    {
        const QStringList languages = qc::i18n::embeddedLanguages();
        QVERIFY2(languages.contains(u"de"_s), qPrintable(languages.join(u", "_s)));
        QVERIFY2(languages.contains(u"fa"_s), qPrintable(languages.join(u", "_s)));
    }

    void germanTranslatesAndFormats()
    {
        QCOMPARE(qc::services::applyLanguage(u"de"_s), u"de"_s);
        QCoreApplication::processEvents();
        QCOMPARE(QCoreApplication::translate("qc::ui::MainWindow", "&File"), u"&Datei"_s);
        QCOMPARE(QApplication::layoutDirection(), Qt::LeftToRight);
        QCOMPARE(qc::services::display::count(1234567), u"1.234.567"_s);
        QVERIFY2(qc::services::display::money(12.5).contains(u"12,50"_s),
            qPrintable(qc::services::display::money(12.5)));
        // Qt's own strings (standard buttons) come with it.
        QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), u"Abbrechen"_s);
    }

    void persianTurnsRightToLeft()
    {
        QCOMPARE(qc::services::applyLanguage(u"fa"_s), u"fa"_s);
        QCoreApplication::processEvents();
        QCOMPARE(QApplication::layoutDirection(), Qt::RightToLeft);
        QCOMPARE(QCoreApplication::translate("qc::ui::MainWindow", "&File"), u"&پرونده"_s);
        // Persian digits.
        QCOMPARE(qc::services::display::count(2026), u"۲٬۰۲۶"_s);
        QCOMPARE(qc::services::applyLanguage(u"en"_s), u"en"_s);
        QCoreApplication::processEvents();
        QCOMPARE(QApplication::layoutDirection(), Qt::LeftToRight);
    }

    void anUnknownLanguageFallsBackToEnglish()
    {
        QCOMPARE(qc::services::applyLanguage(u"xx"_s), u"en"_s);
        QCOMPARE(QCoreApplication::translate("qc::ui::MainWindow", "&File"), u"&File"_s);
    }
};

QTEST_MAIN(tst_Translations)
#include "tst_translations.moc"
