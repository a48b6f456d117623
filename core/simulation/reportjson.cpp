// The inverse of toJson(Report) and toJson(SweepResult): a workspace keeps its results as JSON
// (workspace.h), and the console shows and exports them again from the value structs.

#include "reportjson.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace qc::simulation {

namespace {

// Reads typed members and remembers the first problem with its dotted path.
class Reader {
public:
    explicit Reader(QString* error)
        : m_error(error)
    {
    }

    bool ok() const { return m_ok; }

    void fail(const QString& path, const QString& message)
    {
        if (!m_ok)
            return;
        m_ok = false;
        if (m_error)
            *m_error = path % u": "_s % message;
    }

    QJsonValue member(const QJsonObject& o, const QString& path, const QString& key)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined())
            fail(join(path, key), u"is missing"_s);
        return v;
    }

    QJsonObject object(const QJsonObject& o, const QString& path, const QString& key)
    {
        const QJsonValue v = member(o, path, key);
        if (!v.isUndefined() && !v.isObject())
            fail(join(path, key), u"expected an object"_s);
        return v.toObject();
    }

    QJsonArray array(const QJsonObject& o, const QString& path, const QString& key)
    {
        const QJsonValue v = member(o, path, key);
        if (!v.isUndefined() && !v.isArray())
            fail(join(path, key), u"expected a list"_s);
        return v.toArray();
    }

    std::uint64_t count(const QJsonObject& o, const QString& path, const QString& key)
    {
        const QJsonValue v = member(o, path, key);
        if (v.isUndefined())
            return 0;
        if (!v.isDouble() || v.toDouble() < 0)
            fail(join(path, key), u"expected a count"_s);
        return static_cast<std::uint64_t>(v.toInteger());
    }

    qint64 integer(const QJsonObject& o, const QString& path, const QString& key)
    {
        const QJsonValue v = member(o, path, key);
        if (!v.isUndefined() && !v.isDouble())
            fail(join(path, key), u"expected a number"_s);
        return v.toInteger();
    }

    double number(const QJsonObject& o, const QString& path, const QString& key)
    {
        const QJsonValue v = member(o, path, key);
        if (!v.isUndefined() && !v.isDouble())
            fail(join(path, key), u"expected a number"_s);
        return v.toDouble();
    }

    bool boolean(const QJsonObject& o, const QString& path, const QString& key)
    {
        const QJsonValue v = member(o, path, key);
        if (!v.isUndefined() && !v.isBool())
            fail(join(path, key), u"expected true or false"_s);
        return v.toBool();
    }

    QString string(const QJsonObject& o, const QString& path, const QString& key)
    {
        const QJsonValue v = member(o, path, key);
        if (!v.isUndefined() && !v.isString())
            fail(join(path, key), u"expected a string"_s);
        return v.toString();
    }

    QList<NamedCount> namedCounts(
        const QJsonObject& o, const QString& path, const QString& key, const QString& nameKey)
    {
        QList<NamedCount> list;
        const QJsonArray array = this->array(o, path, key);
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString at = join(path, key) % u'[' % QString::number(i) % u']';
            if (!array.at(i).isObject()) {
                fail(at, u"expected an object"_s);
                break;
            }
            const QJsonObject entry = array.at(i).toObject();
            list.push_back(NamedCount { string(entry, at, nameKey), count(entry, at, u"count"_s) });
        }
        return list;
    }

    QStringList strings(const QJsonObject& o, const QString& path, const QString& key)
    {
        QStringList list;
        for (const QJsonValue& v : array(o, path, key)) {
            if (!v.isString())
                fail(join(path, key), u"expected a list of strings"_s);
            list.push_back(v.toString());
        }
        return list;
    }

    static QString join(const QString& path, const QString& key)
    {
        return path.isEmpty() ? key : path % u'.' % key;
    }

private:
    QString* m_error;
    bool m_ok = true;
};

PolicyTotals readTotals(Reader& r, const QJsonObject& o, const QString& path)
{
    PolicyTotals t;
    t.name = r.string(o, path, u"name"_s);
    t.requests = r.count(o, path, u"requests"_s);
    t.allowed = r.count(o, path, u"allowed"_s);
    t.denied = r.count(o, path, u"denied"_s);
    const QJsonObject byReason = r.object(o, path, u"by_reason"_s);
    for (auto it = byReason.begin(); it != byReason.end(); ++it) {
        const QByteArray name = it.key().toUtf8();
        const auto reason
            = enforcement::reasonFromString(std::string_view(name.constData(), name.size()));
        if (!reason) {
            r.fail(path % u".by_reason."_s % it.key(), u"is not a reason code"_s);
            continue;
        }
        t.byReason[static_cast<std::size_t>(*reason)] = r.count(byReason, path, it.key());
    }
    t.deniedByRule = r.namedCounts(o, path, u"denied_by_rule"_s, u"rule"_s);
    t.wouldDenyByRule = r.namedCounts(o, path, u"would_deny_by_rule"_s, u"rule"_s);
    t.costAdmitted = r.integer(o, path, u"cost_admitted_micro_usd"_s);
    t.idempotencyRequests = r.count(o, path, u"idempotency_requests"_s);
    t.collisions = r.count(o, path, u"collisions"_s);
    t.incidents = r.count(o, path, u"incidents"_s);
    t.incidentsByPattern = r.namedCounts(o, path, u"incidents_by_pattern"_s, u"pattern"_s);
    return t;
}

ChangeBreakdown readChange(Reader& r, const QJsonObject& o, const QString& path)
{
    ChangeBreakdown c;
    c.total = r.count(o, path, u"total"_s);
    c.byReason = r.namedCounts(o, path, u"by_reason"_s, u"reason"_s);
    c.byRule = r.namedCounts(o, path, u"by_rule"_s, u"rule"_s);
    c.byPlan = r.namedCounts(o, path, u"by_plan"_s, u"plan"_s);
    c.byEndpoint = r.namedCounts(o, path, u"by_endpoint"_s, u"endpoint"_s);
    c.topClients = r.namedCounts(o, path, u"top_clients"_s, u"client"_s);
    c.topUsers = r.namedCounts(o, path, u"top_users"_s, u"user"_s);
    return c;
}

DecisionText readDecision(Reader& r, const QJsonObject& o, const QString& path)
{
    DecisionText d;
    d.allowed = r.boolean(o, path, u"allowed"_s);
    d.status = static_cast<int>(r.integer(o, path, u"status"_s));
    d.reason = r.string(o, path, u"reason"_s);
    d.rule = r.string(o, path, u"rule"_s);
    return d;
}

SweepPoint readPoint(Reader& r, const QJsonObject& o, const QString& path)
{
    SweepPoint p;
    p.allowed = r.count(o, path, u"allowed"_s);
    p.denied = r.count(o, path, u"denied"_s);
    p.legitimateDenied = r.count(o, path, u"legitimate_denied"_s);
    p.legitimateDeniedPct = r.number(o, path, u"legitimate_denied_pct"_s);
    p.abusiveAdmitted = r.count(o, path, u"abusive_admitted"_s);
    p.abusiveAdmittedPct = r.number(o, path, u"abusive_admitted_pct"_s);
    p.newlyDenied = r.count(o, path, u"newly_denied"_s);
    p.newlyAdmitted = r.count(o, path, u"newly_admitted"_s);
    p.legitimateNewlyDenied = r.count(o, path, u"legitimate_newly_denied"_s);
    p.paidNewlyDenied = r.count(o, path, u"paid_newly_denied"_s);
    p.paidDeniedPct = r.number(o, path, u"paid_denied_pct"_s);
    p.sweptRuleDenied = r.count(o, path, u"swept_rule_denied"_s);
    p.costAdmitted = r.integer(o, path, u"cost_admitted_micro_usd"_s);
    p.abusiveCostAdmitted = r.integer(o, path, u"abusive_cost_admitted_micro_usd"_s);
    p.costSaved = r.integer(o, path, u"cost_saved_micro_usd"_s);
    p.incidents = r.count(o, path, u"incidents"_s);
    if (o.contains(u"decided"_s)) // points only
        p.decided = r.count(o, path, u"decided"_s);
    return p;
}

} // namespace

std::optional<Report> reportFromJson(const QJsonObject& json, QString* error)
{
    Reader r(error);
    Report report;
    const QJsonObject trace = r.object(json, {}, u"trace"_s);
    report.traceStart = r.integer(trace, u"trace"_s, u"start_ms"_s);
    report.traceEnd = r.integer(trace, u"trace"_s, u"end_ms"_s);
    report.traceRequests = r.count(trace, u"trace"_s, u"requests"_s);
    report.warmupMs = r.integer(trace, u"trace"_s, u"warmup_ms"_s);
    report.warmupRequests = r.count(trace, u"trace"_s, u"warmup_requests"_s);
    report.reportedRequests = r.count(trace, u"trace"_s, u"reported_requests"_s);

    report.baseline = readTotals(r, r.object(json, {}, u"baseline"_s), u"baseline"_s);
    report.candidate = readTotals(r, r.object(json, {}, u"candidate"_s), u"candidate"_s);
    report.newlyDenied = readChange(r, r.object(json, {}, u"newly_denied"_s), u"newly_denied"_s);
    report.newlyAdmitted
        = readChange(r, r.object(json, {}, u"newly_admitted"_s), u"newly_admitted"_s);
    report.paidRequests = r.count(json, {}, u"paid_requests"_s);
    report.paidNewlyDenied = r.count(json, {}, u"paid_newly_denied"_s);
    report.paidDeniedPct = r.number(json, {}, u"paid_denied_pct"_s);
    report.costSaved = r.integer(json, {}, u"cost_saved_micro_usd"_s);

    const QJsonArray alerts = r.array(json, {}, u"alerts"_s);
    for (qsizetype i = 0; i < alerts.size(); ++i) {
        const QString at = u"alerts["_s % QString::number(i) % u']';
        const QJsonObject a = alerts.at(i).toObject();
        AlertFiring firing;
        firing.rule = r.string(a, at, u"rule"_s);
        firing.policy = r.string(a, at, u"policy"_s);
        firing.condition = r.string(a, at, u"condition"_s);
        firing.firstMinute = r.integer(a, at, u"first_minute_ms"_s);
        firing.minutes = r.count(a, at, u"minutes"_s);
        firing.peak = r.number(a, at, u"peak"_s);
        report.alerts.push_back(firing);
    }

    const QJsonObject series = r.object(json, {}, u"time_series"_s);
    report.bucketMs = r.integer(series, u"time_series"_s, u"bucket_ms"_s);
    const QJsonArray buckets = r.array(series, u"time_series"_s, u"buckets"_s);
    report.timeSeries.reserve(buckets.size());
    for (qsizetype i = 0; i < buckets.size() && r.ok(); ++i) {
        const QString at = u"time_series.buckets["_s % QString::number(i) % u']';
        const QJsonObject b = buckets.at(i).toObject();
        report.timeSeries.push_back(
            TimeBucket { r.integer(b, at, u"start_ms"_s), r.count(b, at, u"requests"_s),
                r.count(b, at, u"baseline_denied"_s), r.count(b, at, u"candidate_denied"_s) });
    }

    const QJsonObject fidelity = r.object(json, {}, u"fidelity"_s);
    Fidelity& f = report.fidelity;
    f.available = r.boolean(fidelity, u"fidelity"_s, u"available"_s);
    f.compared = r.count(fidelity, u"fidelity"_s, u"compared"_s);
    f.agreed = r.count(fidelity, u"fidelity"_s, u"agreed"_s);
    f.agreementPct = r.number(fidelity, u"fidelity"_s, u"agreement_pct"_s);
    const QJsonArray disagreements = r.array(fidelity, u"fidelity"_s, u"disagreements"_s);
    for (qsizetype i = 0; i < disagreements.size() && r.ok(); ++i) {
        const QString at = u"fidelity.disagreements["_s % QString::number(i) % u']';
        const QJsonObject d = disagreements.at(i).toObject();
        Disagreement entry;
        entry.index = r.count(d, at, u"index"_s);
        entry.requestId = r.string(d, at, u"request_id"_s);
        entry.line = r.integer(d, at, u"line"_s);
        entry.recorded = readDecision(r, r.object(d, at, u"recorded"_s), at % u".recorded"_s);
        entry.simulated = readDecision(r, r.object(d, at, u"simulated"_s), at % u".simulated"_s);
        f.disagreements.push_back(entry);
    }

    report.warnings = r.strings(json, {}, u"warnings"_s);
    report.cancelled = r.boolean(json, {}, u"cancelled"_s);
    report.elapsedS = r.number(json, {}, u"elapsed_s"_s);
    report.eventsPerS = r.number(json, {}, u"events_per_s"_s);
    if (!r.ok())
        return std::nullopt;
    return report;
}

std::optional<SweepResult> sweepFromJson(
    const QJsonObject& json, const enforcement::Policy& candidate, QString* error)
{
    Reader r(error);
    SweepResult result;
    const QString path = r.string(json, {}, u"parameter"_s);
    if (!r.ok())
        return std::nullopt;
    QString why;
    const auto parameter = parseSweepParameter(path, candidate, &why);
    if (!parameter) {
        r.fail(u"parameter"_s, why);
        return std::nullopt;
    }
    result.parameter = *parameter;
    result.baselineName = r.string(json, {}, u"baseline_name"_s);
    result.candidateName = r.string(json, {}, u"candidate_name"_s);
    const QString candidateValue = r.string(json, {}, u"candidate_value"_s);
    if (const auto value = parameter->parseValue(candidateValue))
        result.candidateValue = *value;
    else
        r.fail(u"candidate_value"_s, u"'"_s % candidateValue % u"' is not a value of "_s % path);
    result.traceRequests = r.count(json, {}, u"trace_requests"_s);
    result.reportedRequests = r.count(json, {}, u"reported_requests"_s);
    result.legitimateRequests = r.count(json, {}, u"legitimate_requests"_s);
    result.abusiveRequests = r.count(json, {}, u"abusive_requests"_s);
    result.paidRequests = r.count(json, {}, u"paid_requests"_s);
    result.abusiveClients = r.count(json, {}, u"abusive_clients"_s);
    result.abusiveUsers = r.count(json, {}, u"abusive_users"_s);
    result.baseline = readPoint(r, r.object(json, {}, u"baseline"_s), u"baseline"_s);
    const QJsonArray points = r.array(json, {}, u"points"_s);
    for (qsizetype i = 0; i < points.size() && r.ok(); ++i) {
        const QString at = u"points["_s % QString::number(i) % u']';
        const QJsonObject o = points.at(i).toObject();
        SweepPoint p = readPoint(r, o, at);
        p.valueText = r.string(o, at, u"value"_s);
        p.value = r.integer(o, at, u"value_number"_s);
        result.points.push_back(p);
    }
    result.warnings = r.strings(json, {}, u"warnings"_s);
    result.cancelled = r.boolean(json, {}, u"cancelled"_s);
    // Newer keys: absent in sweeps saved before they existed.
    if (json.contains(u"shortcut"_s))
        result.shortcut = r.boolean(json, {}, u"shortcut"_s);
    if (json.contains(u"decisions"_s))
        result.decisions = r.count(json, {}, u"decisions"_s);
    result.threads = static_cast<int>(r.integer(json, {}, u"threads"_s));
    result.elapsedS = r.number(json, {}, u"elapsed_s"_s);
    result.decisionsPerS = r.number(json, {}, u"decisions_per_s"_s);
    if (!r.ok())
        return std::nullopt;
    return result;
}

} // namespace qc::simulation
