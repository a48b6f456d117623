#include "alerting/seriesstore.h"

#include "metrics/scrapemath.h"

#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace qc::alerting {

using namespace Qt::StringLiterals;

SeriesStore::SeriesStore(QStringList sampleNames, std::int64_t retentionMs)
    : m_names(std::move(sampleNames))
    , m_retentionMs(retentionMs)
{
}

size_t qHash(const SeriesStore::Key& key, size_t seed) noexcept
{
    size_t hash = qHash(key.name, seed);
    for (const auto& [name, value] : key.labels)
        hash = qHashMulti(hash, name, value);
    return hash;
}

SeriesStore::SeriesId SeriesStore::series(const QString& name, const metrics::Labels& labels)
{
    Key key { name, labels };
    const auto found = m_index.constFind(key);
    if (found != m_index.cend())
        return *found;
    const auto id = static_cast<SeriesId>(m_series.size());
    m_index.insert(std::move(key), id);
    m_series.push_back(Series { name, labels, {} });
    const auto named = std::find_if(
        m_byName.begin(), m_byName.end(), [&](const auto& entry) { return entry.first == name; });
    if (named != m_byName.end())
        named->second.push_back(id);
    else
        m_byName.emplace_back(name, std::vector<SeriesId> { id });
    return id;
}

void SeriesStore::append(SeriesId id, std::int64_t timeMs, double value)
{
    std::vector<Point>& points = m_series[id].points;
    if (!points.empty() && points.back().timeMs >= timeMs)
        return;
    points.push_back(Point { timeMs, value });
}

bool SeriesStore::keeps(const QString& sampleName) const
{
    return m_names.isEmpty() || m_names.contains(sampleName);
}

void SeriesStore::addScrape(const QString& instance, std::int64_t timeMs,
    const std::vector<metrics::MetricFamily>& families)
{
    static const QString instanceLabel = u"instance"_s;
    for (const metrics::MetricFamily& family : families) {
        bool wanted = false;
        for (const metrics::Sample& sample : family.samples) {
            if (keeps(sample.name)) {
                wanted = true;
                break;
            }
        }
        if (!wanted)
            continue;
        for (const metrics::SeriesValue& value : metrics::seriesValues(
                 family, instance.isEmpty() ? QString() : instanceLabel, instance)) {
            if (keeps(value.name))
                append(series(value.name, value.labels), timeMs, value.value);
        }
    }
}

void SeriesStore::prune(std::int64_t nowMs)
{
    const std::int64_t oldest = nowMs - m_retentionMs;
    for (Series& one : m_series) {
        const auto keep = std::find_if(one.points.begin(), one.points.end(),
            [oldest](const Point& p) { return p.timeMs >= oldest; });
        one.points.erase(one.points.begin(), keep);
    }
}

QJsonArray SeriesStore::toJson() const
{
    QJsonArray all;
    for (const Series& one : m_series) {
        if (one.points.empty())
            continue;
        QJsonObject labels;
        for (const auto& [name, value] : one.labels)
            labels.insert(name, value);
        QJsonArray points;
        for (const Point& point : one.points) {
            if (std::isfinite(point.value)) // JSON has no NaN or Inf
                points.append(QJsonArray { double(point.timeMs), point.value });
        }
        all.append(QJsonObject {
            { u"name"_s, one.name }, { u"labels"_s, labels }, { u"points"_s, points } });
    }
    return all;
}

bool SeriesStore::addJson(const QJsonArray& json)
{
    struct Parsed {
        QString name;
        metrics::Labels labels;
        std::vector<Point> points;
    };
    std::vector<Parsed> parsed;
    for (const QJsonValue& value : json) {
        const QJsonObject object = value.toObject();
        Parsed one;
        one.name = object.value(u"name"_s).toString();
        if (one.name.isEmpty() || !object.value(u"labels"_s).isObject()
            || !object.value(u"points"_s).isArray())
            return false;
        const QJsonObject labels = object.value(u"labels"_s).toObject();
        for (auto it = labels.begin(); it != labels.end(); ++it)
            one.labels.emplace_back(it.key(), it.value().toString());
        std::sort(one.labels.begin(), one.labels.end());
        for (const QJsonValue& point : object.value(u"points"_s).toArray()) {
            const QJsonArray pair = point.toArray();
            if (pair.size() != 2 || !pair.at(0).isDouble() || !pair.at(1).isDouble())
                return false;
            one.points.push_back(
                Point { static_cast<std::int64_t>(pair.at(0).toDouble()), pair.at(1).toDouble() });
        }
        parsed.push_back(std::move(one));
    }
    for (const Parsed& one : parsed) {
        if (!keeps(one.name))
            continue;
        const SeriesId id = series(one.name, one.labels);
        for (const Point& point : one.points)
            append(id, point.timeMs, point.value);
    }
    return true;
}

std::int64_t SeriesStore::newestSample(const QString& label, const QString& value) const
{
    std::int64_t newest = 0;
    for (const Series& one : m_series) {
        if (!one.points.empty() && metrics::labelValue(one.labels, label) == value)
            newest = std::max(newest, one.points.back().timeMs);
    }
    return newest;
}

const std::vector<SeriesStore::SeriesId>& SeriesStore::seriesNamed(const QString& name) const
{
    static const std::vector<SeriesId> none;
    for (const auto& [known, ids] : m_byName) {
        if (known.size() == name.size() && known == name)
            return ids;
    }
    return none;
}

bool SeriesStore::hasSamples(const QString& name, std::int64_t fromMs, std::int64_t toMs) const
{
    for (const SeriesId id : seriesNamed(name)) {
        for (auto it = m_series[id].points.rbegin(); it != m_series[id].points.rend(); ++it) {
            if (it->timeMs < fromMs)
                break;
            if (it->timeMs <= toMs)
                return true;
        }
    }
    return false;
}

std::optional<double> extrapolatedDelta(std::span<const Point> points, std::int64_t rangeStartMs,
    std::int64_t rangeEndMs, bool isCounter, bool isRate)
{
    if (points.size() < 2)
        return std::nullopt;
    double result = points.back().value - points.front().value;
    if (isCounter) {
        double last = 0;
        for (const Point& point : points) {
            if (point.value < last)
                result += last;
            last = point.value;
        }
    }
    double durationToStart = double(points.front().timeMs - rangeStartMs) / 1000;
    const double durationToEnd = double(rangeEndMs - points.back().timeMs) / 1000;
    const double sampledInterval = double(points.back().timeMs - points.front().timeMs) / 1000;
    const double averageBetweenSamples = sampledInterval / double(points.size() - 1);
    if (isCounter && result > 0 && points.front().value >= 0) {
        // A counter cannot go below zero: do not extrapolate past its zero point.
        const double durationToZero = sampledInterval * (points.front().value / result);
        if (durationToZero < durationToStart)
            durationToStart = durationToZero;
    }
    const double threshold = averageBetweenSamples * 1.1;
    double extrapolateTo = sampledInterval;
    extrapolateTo += durationToStart < threshold ? durationToStart : averageBetweenSamples / 2;
    extrapolateTo += durationToEnd < threshold ? durationToEnd : averageBetweenSamples / 2;
    result = result * (extrapolateTo / sampledInterval);
    if (isRate)
        result = result / (double(rangeEndMs - rangeStartMs) / 1000);
    return result;
}

} // namespace qc::alerting
