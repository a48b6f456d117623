#include "timerange.h"

#include <QCoreApplication>

namespace qc::services {

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("qc::services::TimeRange", text);
}

QDateTime floorToMinute(const QDateTime& t)
{
    const qint64 ms = t.toMSecsSinceEpoch();
    return QDateTime::fromMSecsSinceEpoch(ms - ms % 60000, Qt::UTC);
}

} // namespace

QList<RangePreset> rangePresets()
{
    return {
        { u"15m"_s, tr("15 m"), 15min },
        { u"1h"_s, tr("1 h"), 1h },
        { u"24h"_s, tr("24 h"), 24h },
        { u"7d"_s, tr("7 d"), 7 * 24h },
        { u"30d"_s, tr("30 d"), 30 * 24h },
    };
}

std::chrono::seconds presetLength(const QString& id)
{
    for (const RangePreset& p : rangePresets()) {
        if (p.id == id)
            return p.length;
    }
    return 1h;
}

db::DashboardRange TimeRange::resolve(const QDateTime& now) const
{
    db::DashboardRange r;
    if (isCustom() && from.isValid() && to.isValid() && from < to) {
        r.start = floorToMinute(from.toUTC());
        r.end = to.toUTC();
        r.step = db::defaultStep(std::chrono::seconds(r.start.secsTo(r.end)));
    } else {
        // The step of the preset, not of the range's few extra seconds.
        const std::chrono::seconds length = presetLength(preset);
        r.end = now.toUTC();
        r.start = floorToMinute(r.end.addSecs(-length.count()));
        r.step = db::defaultStep(length);
    }
    return r;
}

QString TimeRange::title() const
{
    if (!isCustom()) {
        for (const RangePreset& p : rangePresets()) {
            if (p.id == preset)
                return tr("last %1").arg(p.title);
        }
        return tr("last 1 h");
    }
    const QDateTime a = from.toLocalTime();
    const QDateTime b = to.toLocalTime();
    const QString format = a.date() == b.date() ? u"HH:mm"_s : u"yyyy-MM-dd HH:mm"_s;
    return tr("%1 – %2").arg(a.toString(u"yyyy-MM-dd HH:mm"_s), b.toString(format));
}

TimeRange TimeRange::custom(const QDateTime& from, const QDateTime& to)
{
    TimeRange r;
    r.preset = u"custom"_s;
    r.from = from.toUTC();
    r.to = to.toUTC();
    return r;
}

} // namespace qc::services
