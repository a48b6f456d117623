#pragma once

#include "services/preferences.h"

#include <QDateTime>
#include <QLocale>
#include <QString>

namespace qc::services {

/// Installs the console's and Qt's translations for `language` ("" follows the system's
/// languages) and makes its locale the default QLocale, so that numbers, dates and money are
/// written the language's way; with a right-to-left language (Persian) the application's
/// layout direction turns right-to-left. The translations are embedded (`:/i18n`). Returns the
/// language in use ("en" when no translation matched). Call before the first window is made;
/// later calls replace the translators (widgets made before keep their texts).
QString applyLanguage(const QString& language);
/// The language applyLanguage() chose ("en" before it ran).
QString currentLanguage();
/// The language's own name ("Deutsch", "فارسی", "English").
QString nativeLanguageName(const QString& language);

/// How times are shown; the database keeps UTC.
void setDisplayTimeZone(Preferences::TimeZone zone);
Preferences::TimeZone displayTimeZone();

/// Writing values for people, in the default locale and the display time zone. Pages, models
/// and charts use these instead of fixed formats.
namespace display {

/// `t` in the display time zone.
QDateTime toDisplay(const QDateTime& t);
/// "14:05:09" (with " UTC" when times are shown in UTC and `withZone`).
QString time(const QDateTime& t, bool withZone = false);
/// "2026-01-05 14:05" in the locale's short date format; seconds when `seconds`.
QString dateTime(const QDateTime& t, bool seconds = false, bool withZone = false);
/// The time of day when `t` is today (in the display zone), otherwise the date and time.
QString moment(const QDateTime& t, bool seconds = true);
/// "UTC" or the local zone's abbreviation ("CET").
QString zoneName();
/// A date/time axis (Qt Charts) labels points in local time: the value to put on it so that its
/// labels read the display time, and back.
qint64 axisMs(const QDateTime& t);
QDateTime fromAxisMs(qint64 ms);
/// Numbers with the locale's digits and separators.
QString number(double value, int decimals);
QString count(qint64 value);
/// US dollars in the locale's currency format ("$12.50", "12,50 $", "‏۱۲٫۵۰ $").
QString money(double usd, int decimals = 2);
/// "12.5 %" in the locale's format.
QString percent(double percent, int decimals = 1);

} // namespace display

} // namespace qc::services
