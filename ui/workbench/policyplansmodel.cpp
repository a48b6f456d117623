#include "policyplansmodel.h"

#include "policydocument.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace qc::workbench {

namespace {

QStringList metricsOf(const QJsonObject& root)
{
    QStringList metrics;
    for (const QJsonValue& plan : root.value(u"plans"_s).toArray()) {
        for (const QString& metric : plan.toObject().value(u"quotas"_s).toObject().keys()) {
            if (!metrics.contains(metric))
                metrics.push_back(metric);
        }
    }
    for (const QJsonValue& entry : root.value(u"endpoint_metrics"_s).toArray()) {
        const QString metric = entry.toObject().value(u"metric"_s).toString();
        if (!metric.isEmpty() && !metrics.contains(metric))
            metrics.push_back(metric);
    }
    return metrics;
}

} // namespace

PolicyPlansModel::PolicyPlansModel(PolicyDocument* document, QObject* parent)
    : PolicyTableModel(document, u"plans"_s, parent)
{
    using K = PolicyColumn::Kind;
    setColumns({
        { { PathStep::member(u"name"_s) }, tr("Plan"), K::Text, {}, {}, tr("Unique plan name"),
            {} },
        { { PathStep::member(u"rank"_s) }, tr("Rank"), K::Integer, {}, tr("(position)"),
            tr("Higher is a bigger plan: moving down is a downgrade (grace applies)"), {} },
        { { PathStep::member(u"paid"_s) }, tr("Paid"), K::Bool, {}, {},
            tr("Paying customers: the report calls out what a candidate does to them (default: "
               "rank > 0)"),
            {} },
    });
    refresh();
}

QList<PolicyColumn> PolicyPlansModel::columnsFor(const QJsonObject& root) const
{
    QList<PolicyColumn> columns = PolicyTableModel::columnsFor(root);
    for (const QString& metric : metricsOf(root)) {
        columns.push_back(
            PolicyColumn { { PathStep::member(u"quotas"_s), PathStep::member(metric) }, metric,
                PolicyColumn::Kind::Integer, {}, tr("unlimited"),
                tr("Quota of %1 per billing cycle; -1 or empty = unlimited").arg(metric), {} });
    }
    return columns;
}

QStringList PolicyPlansModel::metrics() const
{
    return metricsOf(document() ? document()->root() : QJsonObject());
}

bool PolicyPlansModel::addMetric(const QString& metric)
{
    if (!document() || metric.trimmed().isEmpty() || metrics().contains(metric.trimmed())
        || rowCount() == 0)
        return false;
    return document()->setValue(
        itemPath(0) / u"quotas"_s / metric.trimmed(), QJsonValue(qint64(-1)));
}

QJsonObject PolicyPlansModel::newItem(const QJsonArray& existing) const
{
    QStringList names;
    int rank = 0;
    for (const QJsonValue& v : existing) {
        names.push_back(v.toObject().value(u"name"_s).toString());
        rank = std::max(rank, v.toObject().value(u"rank"_s).toInt() + 1);
    }
    rank = std::max(rank, static_cast<int>(existing.size()));
    QString name = u"new_plan"_s;
    for (int n = 2; names.contains(name); ++n)
        name = u"new_plan_"_s % QString::number(n);
    return QJsonObject { { u"name"_s, name }, { u"rank"_s, rank }, { u"paid"_s, true },
        { u"quotas"_s, QJsonObject() } };
}

} // namespace qc::workbench
