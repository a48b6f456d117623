#include "displayformat.h"

#include "services/localization.h"

#include <QDateTime>
#include <QLocale>

#include <cmath>
#include <cstdlib>

using namespace Qt::StringLiterals;

namespace qc::workbench {

QString countText(std::uint64_t value)
{
    return QLocale().toString(static_cast<qulonglong>(value));
}

QString signedCountText(std::int64_t value)
{
    if (value > 0)
        return u'+' % QLocale().toString(static_cast<qlonglong>(value));
    if (value < 0)
        return u"\u2212"_s % QLocale().toString(static_cast<qlonglong>(-value));
    return u"0"_s;
}

QString moneyText(enforcement::MicroUsd value)
{
    const bool negative = value < 0;
    const double dollars = static_cast<double>(std::llabs(value)) / 1e6;
    QString text;
    if (dollars >= 1.0 || value == 0) {
        text = QLocale().toString(dollars, 'f', 2);
    } else if (dollars >= 0.0001) {
        // Cents and fractions of a cent: four decimals say enough.
        text = QLocale().toString(dollars, 'f', 4);
        while (text.endsWith(u'0') && text.size() > 4)
            text.chop(1);
    } else {
        return (negative ? u"\u2212"_s : QString()) % u"< $0.0001"_s;
    }
    return (negative ? u"\u2212$"_s : u"$"_s) % text;
}

QString percentText(double percent, int decimals)
{
    return QLocale().toString(percent, 'f', decimals) % u" %"_s;
}

QString shareText(std::uint64_t part, std::uint64_t whole)
{
    return percentText(
        whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

QString timeText(enforcement::TimeMs ms, bool seconds)
{
    return services::display::dateTime(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC), seconds, true);
}

QString durationText(double seconds)
{
    if (seconds < 1)
        return QString::number(std::lround(seconds * 1000)) % u" ms"_s;
    if (seconds < 60)
        return QLocale().toString(seconds, 'f', 1) % u" s"_s;
    const auto total = std::lround(seconds);
    if (total < 3600)
        return QString::number(total / 60) % u" min "_s % QString::number(total % 60) % u" s"_s;
    return QString::number(total / 3600) % u" h "_s % QString::number((total % 3600) / 60)
        % u" min"_s;
}

} // namespace qc::workbench
