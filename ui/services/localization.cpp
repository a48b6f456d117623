#include "localization.h"

#include "services/logging.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

#include <atomic>
#include <memory>

namespace qc::services {

using namespace Qt::StringLiterals;

namespace {

// QGuiApplication turns right-to-left when its translation of this says "RTL": keep the entry
// in the console's own translations too (Qt's may be missing on a minimal system).
[[maybe_unused]] const char* const kLayoutDirection
    = QT_TRANSLATE_NOOP("QGuiApplication", "QT_LAYOUT_DIRECTION");

std::unique_ptr<QTranslator> g_console;
std::unique_ptr<QTranslator> g_qt;
QString g_language = u"en"_s;
std::atomic<bool> g_utc = false;

// Replaces `slot` by a translator of `file` for `locale` from `directory`; false if none.
bool install(std::unique_ptr<QTranslator>& slot, const QLocale& locale, const QString& file,
    const QString& directory)
{
    if (slot) {
        QCoreApplication::removeTranslator(slot.get());
        slot.reset();
    }
    auto translator = std::make_unique<QTranslator>();
    if (!translator->load(locale, file, u"_"_s, directory))
        return false;
    QCoreApplication::installTranslator(translator.get());
    slot = std::move(translator);
    return true;
}

} // namespace

QString applyLanguage(const QString& language)
{
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    QLocale::setDefault(locale);
    const bool ours = install(g_console, locale, u"quota-console"_s, u":/i18n"_s);
    install(g_qt, locale, u"qtbase"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    g_language = ours ? g_console->language().section(u'_', 0, 0) : u"en"_s;
    if (g_language.isEmpty())
        g_language = u"en"_s;
    if (!ours && !language.isEmpty() && language != u"en")
        logger()->warn(
            "no translation for the language '{}'; the console speaks English", toLog(language));
    return g_language;
}

QString currentLanguage()
{
    return g_language;
}

QString nativeLanguageName(const QString& language)
{
    const QString name = QLocale(language).nativeLanguageName();
    if (name.isEmpty())
        return language;
    return name.left(1).toUpper() + name.mid(1);
}

void setDisplayTimeZone(Preferences::TimeZone zone)
{
    g_utc = zone == Preferences::TimeZone::Utc;
}

Preferences::TimeZone displayTimeZone()
{
    return g_utc ? Preferences::TimeZone::Utc : Preferences::TimeZone::Local;
}

namespace display {

QDateTime toDisplay(const QDateTime& t)
{
    return g_utc ? t.toUTC() : t.toLocalTime();
}

QString zoneName()
{
    if (g_utc)
        return u"UTC"_s;
    return QDateTime::currentDateTime().timeZoneAbbreviation();
}

QString time(const QDateTime& t, bool withZone)
{
    if (!t.isValid())
        return {};
    const QString text = QLocale().toString(toDisplay(t).time(), u"HH:mm:ss"_s);
    return withZone && g_utc ? text + u" UTC"_s : text;
}

QString dateTime(const QDateTime& t, bool seconds, bool withZone)
{
    if (!t.isValid())
        return {};
    const QLocale locale;
    const QDateTime d = toDisplay(t);
    const QString text = locale.toString(d.date(), u"yyyy-MM-dd"_s) + u' '
        + locale.toString(d.time(), seconds ? u"HH:mm:ss"_s : u"HH:mm"_s);
    return withZone && g_utc ? text + u" UTC"_s : text;
}

QString moment(const QDateTime& t, bool seconds)
{
    if (!t.isValid())
        return {};
    const QDateTime d = toDisplay(t);
    const QDate today = toDisplay(QDateTime::currentDateTimeUtc()).date();
    if (d.date() == today)
        return QLocale().toString(d.time(), seconds ? u"HH:mm:ss"_s : u"HH:mm"_s);
    return dateTime(t, false);
}

qint64 axisMs(const QDateTime& t)
{
    const qint64 ms = t.toMSecsSinceEpoch();
    if (!g_utc)
        return ms;
    // The local wall clock that reads like the UTC one.
    return ms - qint64(QDateTime::fromMSecsSinceEpoch(ms).offsetFromUtc()) * 1000;
}

QDateTime fromAxisMs(qint64 ms)
{
    if (!g_utc)
        return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
    return QDateTime::fromMSecsSinceEpoch(
        ms + qint64(QDateTime::fromMSecsSinceEpoch(ms).offsetFromUtc()) * 1000, Qt::UTC);
}

QString number(double value, int decimals)
{
    return QLocale().toString(value, 'f', decimals);
}

QString count(qint64 value)
{
    return QLocale().toString(value);
}

QString money(double usd, int decimals)
{
    QLocale locale;
    // The C locale (LANG unset) would write "12.50$"; people read dollars the US way there.
    if (locale.language() == QLocale::C)
        locale = QLocale(QLocale::English, QLocale::UnitedStates);
    return locale.toCurrencyString(usd, u"$"_s, decimals);
}

QString percent(double percent, int decimals)
{
    const QLocale locale;
    return locale.toString(percent, 'f', decimals) + u'\u00a0' + locale.percent();
}

} // namespace display

} // namespace qc::services
