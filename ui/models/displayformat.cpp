#include "displayformat.h"

#include "services/localization.h"

#include <QCoreApplication>

namespace qc::models::display {

using namespace Qt::StringLiterals;

namespace {

// The texts are marked with QT_TRANSLATE_(N_)NOOP where they are used, so lupdate finds them.
QString trFormat(const char* text, int n = -1)
{
    return QCoreApplication::translate("qc::models::display", text, nullptr, n);
}

} // namespace

QString time(const QDateTime& t)
{
    return t.isValid() ? services::display::dateTime(t, true) : QString();
}

QString timeMs(const QDateTime& t)
{
    return t.isValid() ? services::display::toDisplay(t).toString(u"yyyy-MM-dd HH:mm:ss.zzz"_s)
                       : QString();
}

QString relative(const QDateTime& t, const QDateTime& now)
{
    if (!t.isValid())
        return {};
    const qint64 s = now.secsTo(t);
    const qint64 a = qAbs(s);
    QString amount;
    if (a < 60)
        amount = trFormat(QT_TRANSLATE_N_NOOP("qc::models::display", "%n s"), int(a));
    else if (a < 3600)
        amount = trFormat(QT_TRANSLATE_N_NOOP("qc::models::display", "%n min"), int(a / 60));
    else if (a < 2 * 86400)
        amount = trFormat(QT_TRANSLATE_N_NOOP("qc::models::display", "%n h"), int(a / 3600));
    else
        amount = trFormat(QT_TRANSLATE_N_NOOP("qc::models::display", "%n d"), int(a / 86400));
    return s < 0 ? trFormat(QT_TRANSLATE_NOOP("qc::models::display", "%1 ago")).arg(amount)
                 : trFormat(QT_TRANSLATE_NOOP("qc::models::display", "in %1")).arg(amount);
}

QString money(double usd)
{
    const double a = qAbs(usd);
    if (a == 0)
        return u"$0"_s;
    if (a < 0.01)
        return u"$"_s + QString::number(usd, 'f', 4);
    if (a < 100)
        return u"$"_s + QString::number(usd, 'f', 2);
    return u"$"_s + QString::number(usd, 'f', 0);
}

QString money(const std::optional<double>& usd)
{
    return usd ? money(*usd) : QString();
}

QString percent(double fraction)
{
    return QString::number(fraction * 100.0, 'f', fraction < 0.1 ? 1 : 0) + u'%';
}

QString duration(qint64 ms)
{
    if (ms % 86400000 == 0 && ms >= 86400000)
        return QString::number(ms / 86400000) + u'd';
    if (ms % 3600000 == 0 && ms >= 3600000)
        return QString::number(ms / 3600000) + u'h';
    if (ms % 60000 == 0 && ms >= 60000)
        return QString::number(ms / 60000) + u'm';
    if (ms % 1000 == 0 && ms >= 1000)
        return QString::number(ms / 1000) + u's';
    return QString::number(ms) + u"ms"_s;
}

QColor severityColor(const QString& severity)
{
    if (severity == u"critical")
        return QColor(0xc6, 0x28, 0x28);
    if (severity == u"high")
        return QColor(0xd8, 0x43, 0x15);
    if (severity == u"medium" || severity == u"warning")
        return QColor(0xb2, 0x6a, 0x00);
    return QColor(0x45, 0x5a, 0x64);
}

QColor decisionColor(const QString& decision)
{
    return decision == u"denied" ? QColor(0xc6, 0x28, 0x28) : QColor(0x2e, 0x7d, 0x32);
}

} // namespace qc::models::display
