#include "report.h"

#include "enforcement/headers.h"
#include "policy/policyjson.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace qc::simulation {

namespace {

QString timestamp(enforcement::TimeMs ts)
{
    return QString::fromStdString(enforcement::formatTimestamp(ts));
}

QJsonValue count(std::uint64_t value)
{
    return QJsonValue(static_cast<qint64>(value));
}

QJsonArray namedCounts(const QList<NamedCount>& counts, const QString& key)
{
    QJsonArray array;
    for (const NamedCount& entry : counts)
        array.append(QJsonObject { { key, entry.name }, { u"count"_s, count(entry.count) } });
    return array;
}

QString reasonName(int reason)
{
    return QString::fromLatin1(enforcement::toString(static_cast<enforcement::Reason>(reason)));
}

double dollars(enforcement::MicroUsd value)
{
    return static_cast<double>(value) / 1e6;
}

QJsonObject totalsJson(const PolicyTotals& totals)
{
    QJsonObject byReason;
    for (int r = 0; r < enforcement::kReasonCount; ++r)
        byReason.insert(reasonName(r), count(totals.byReason[static_cast<std::size_t>(r)]));
    return QJsonObject {
        { u"name"_s, totals.name },
        { u"requests"_s, count(totals.requests) },
        { u"allowed"_s, count(totals.allowed) },
        { u"denied"_s, count(totals.denied) },
        { u"by_reason"_s, byReason },
        { u"denied_by_rule"_s, namedCounts(totals.deniedByRule, u"rule"_s) },
        { u"would_deny_by_rule"_s, namedCounts(totals.wouldDenyByRule, u"rule"_s) },
        { u"cost_admitted_usd"_s, dollars(totals.costAdmitted) },
        { u"cost_admitted_micro_usd"_s, static_cast<qint64>(totals.costAdmitted) },
        { u"idempotency_requests"_s, count(totals.idempotencyRequests) },
        { u"collisions"_s, count(totals.collisions) },
        { u"incidents"_s, count(totals.incidents) },
        { u"incidents_by_pattern"_s, namedCounts(totals.incidentsByPattern, u"pattern"_s) },
    };
}

QJsonObject changeJson(const ChangeBreakdown& change)
{
    return QJsonObject {
        { u"total"_s, count(change.total) },
        { u"by_reason"_s, namedCounts(change.byReason, u"reason"_s) },
        { u"by_rule"_s, namedCounts(change.byRule, u"rule"_s) },
        { u"by_plan"_s, namedCounts(change.byPlan, u"plan"_s) },
        { u"by_endpoint"_s, namedCounts(change.byEndpoint, u"endpoint"_s) },
        { u"top_clients"_s, namedCounts(change.topClients, u"client"_s) },
        { u"top_users"_s, namedCounts(change.topUsers, u"user"_s) },
    };
}

QJsonObject decisionJson(const DecisionText& decision)
{
    return QJsonObject {
        { u"allowed"_s, decision.allowed },
        { u"status"_s, decision.status },
        { u"reason"_s, decision.reason },
        { u"rule"_s, decision.rule },
    };
}

// 1234567 → "1,234,567": counts in a terminal are read at a glance.
QString grouped(std::uint64_t value)
{
    QString digits = QString::number(value);
    for (qsizetype i = digits.size() - 3; i > 0; i -= 3)
        digits.insert(i, u',');
    return digits;
}

QString percent(std::uint64_t part, std::uint64_t whole)
{
    if (whole == 0)
        return u"0 %"_s;
    return QString::number(100.0 * static_cast<double>(part) / static_cast<double>(whole), 'f', 2)
        % u" %"_s;
}

QString usd(enforcement::MicroUsd value)
{
    return u"$"_s % policy::formatUsd(value);
}

QString countList(const QList<NamedCount>& counts)
{
    QStringList parts;
    for (const NamedCount& entry : counts)
        parts.push_back(
            (entry.name.isEmpty() ? u"(none)"_s : entry.name) % u' ' % grouped(entry.count));
    return parts.join(u", "_s);
}

QString row(const QString& label, const QString& baseline, const QString& candidate)
{
    return u"  "_s % label.leftJustified(24) % baseline.rightJustified(18)
        % candidate.rightJustified(18) % u'\n';
}

void appendChange(QString& text, const QString& title, const ChangeBreakdown& change)
{
    text += title % u": "_s % grouped(change.total) % u'\n';
    if (change.total == 0)
        return;
    const std::pair<QString, const QList<NamedCount>*> lists[] = {
        { u"by reason"_s, &change.byReason },
        { u"by rule"_s, &change.byRule },
        { u"by plan"_s, &change.byPlan },
        { u"by endpoint"_s, &change.byEndpoint },
        { u"top clients"_s, &change.topClients },
        { u"top users"_s, &change.topUsers },
    };
    for (const auto& [label, list] : lists) {
        if (!list->isEmpty())
            text
                += u"    "_s % label.leftJustified(12) % u' ' % countList(list->mid(0, 10)) % u'\n';
    }
}

QString decisionText(const DecisionText& decision)
{
    QString text = decision.status != 0 ? QString::number(decision.status)
                                        : (decision.allowed ? u"allowed"_s : u"denied"_s);
    if (!decision.reason.isEmpty())
        text += u' ' % decision.reason;
    if (!decision.rule.isEmpty())
        text += u" ("_s % decision.rule % u')';
    return text;
}

} // namespace

QJsonObject toJson(const Report& report)
{
    QJsonArray alerts;
    for (const AlertFiring& alert : report.alerts) {
        alerts.append(QJsonObject {
            { u"rule"_s, alert.rule },
            { u"policy"_s, alert.policy },
            { u"condition"_s, alert.condition },
            { u"first_minute"_s, timestamp(alert.firstMinute) },
            { u"first_minute_ms"_s, static_cast<qint64>(alert.firstMinute) },
            { u"minutes"_s, count(alert.minutes) },
            { u"peak"_s, alert.peak },
        });
    }
    QJsonArray buckets;
    for (const TimeBucket& bucket : report.timeSeries) {
        buckets.append(QJsonObject {
            { u"start"_s, timestamp(bucket.start) },
            { u"start_ms"_s, static_cast<qint64>(bucket.start) },
            { u"requests"_s, count(bucket.requests) },
            { u"baseline_denied"_s, count(bucket.baselineDenied) },
            { u"candidate_denied"_s, count(bucket.candidateDenied) },
        });
    }
    QJsonArray disagreements;
    for (const Disagreement& d : report.fidelity.disagreements) {
        disagreements.append(QJsonObject {
            { u"index"_s, count(d.index) },
            { u"request_id"_s, d.requestId },
            { u"line"_s, static_cast<qint64>(d.line) },
            { u"recorded"_s, decisionJson(d.recorded) },
            { u"simulated"_s, decisionJson(d.simulated) },
        });
    }
    return QJsonObject {
        { u"trace"_s,
            QJsonObject {
                { u"start"_s, timestamp(report.traceStart) },
                { u"start_ms"_s, static_cast<qint64>(report.traceStart) },
                { u"end"_s, timestamp(report.traceEnd) },
                { u"end_ms"_s, static_cast<qint64>(report.traceEnd) },
                { u"requests"_s, count(report.traceRequests) },
                { u"warmup_ms"_s, static_cast<qint64>(report.warmupMs) },
                { u"warmup_requests"_s, count(report.warmupRequests) },
                { u"reported_requests"_s, count(report.reportedRequests) },
            } },
        { u"baseline"_s, totalsJson(report.baseline) },
        { u"candidate"_s, totalsJson(report.candidate) },
        { u"newly_denied"_s, changeJson(report.newlyDenied) },
        { u"newly_admitted"_s, changeJson(report.newlyAdmitted) },
        { u"paid_requests"_s, count(report.paidRequests) },
        { u"paid_newly_denied"_s, count(report.paidNewlyDenied) },
        { u"paid_denied_pct"_s, report.paidDeniedPct },
        { u"cost_saved_usd"_s, dollars(report.costSaved) },
        { u"cost_saved_micro_usd"_s, static_cast<qint64>(report.costSaved) },
        { u"alerts"_s, alerts },
        { u"time_series"_s,
            QJsonObject {
                { u"bucket"_s, report.bucketMs == enforcement::kMinute ? u"minute"_s : u"hour"_s },
                { u"bucket_ms"_s, static_cast<qint64>(report.bucketMs) },
                { u"buckets"_s, buckets },
            } },
        { u"fidelity"_s,
            QJsonObject {
                { u"available"_s, report.fidelity.available },
                { u"compared"_s, count(report.fidelity.compared) },
                { u"agreed"_s, count(report.fidelity.agreed) },
                { u"agreement_pct"_s, report.fidelity.agreementPct },
                { u"disagreements"_s, disagreements },
            } },
        { u"warnings"_s, QJsonArray::fromStringList(report.warnings) },
        { u"cancelled"_s, report.cancelled },
        { u"elapsed_s"_s, report.elapsedS },
        { u"events_per_s"_s, report.eventsPerS },
    };
}

QString toText(const Report& report)
{
    QString text;
    if (report.cancelled)
        return u"Simulation cancelled after "_s % QString::number(report.elapsedS, 'f', 2)
            % u" s; no report.\n"_s;
    text += u"Simulated "_s % grouped(report.traceRequests) % u" requests, "_s
        % timestamp(report.traceStart) % u" to "_s % timestamp(report.traceEnd) % u'\n';
    if (report.warmupRequests > 0 || report.warmupMs > 0)
        text += u"Warm-up: first "_s % policy::formatDuration(report.warmupMs) % u" ("_s
            % grouped(report.warmupRequests) % u" requests) decided, not reported\n"_s;
    text += u"Baseline:  "_s % report.baseline.name % u"\nCandidate: "_s % report.candidate.name
        % u"\n\n"_s % row(QString(), u"baseline"_s, u"candidate"_s);
    const PolicyTotals& b = report.baseline;
    const PolicyTotals& c = report.candidate;
    text += row(u"requests"_s, grouped(b.requests), grouped(c.requests));
    text += row(u"allowed"_s, grouped(b.allowed), grouped(c.allowed));
    text += row(u"denied"_s, grouped(b.denied) % u" ("_s % percent(b.denied, b.requests) % u')',
        grouped(c.denied) % u" ("_s % percent(c.denied, c.requests) % u')');
    for (int r = 0; r < enforcement::kReasonCount; ++r) {
        const auto i = static_cast<std::size_t>(r);
        if (b.byReason[i] != 0 || c.byReason[i] != 0)
            text += row(u"  "_s % reasonName(r), grouped(b.byReason[i]), grouped(c.byReason[i]));
    }
    text += row(u"cost admitted"_s, usd(b.costAdmitted), usd(c.costAdmitted));
    text += row(u"idempotency collisions"_s, grouped(b.collisions), grouped(c.collisions));
    text += row(u"abuse incidents"_s, grouped(b.incidents), grouped(c.incidents));
    text += u'\n';

    appendChange(text, u"Newly denied by the candidate"_s, report.newlyDenied);
    text += u"    paid plans: "_s % grouped(report.paidNewlyDenied) % u" of "_s
        % grouped(report.paidRequests) % u" paid requests ("_s
        % QString::number(report.paidDeniedPct, 'f', 2) % u" %)\n"_s;
    appendChange(text, u"Newly admitted by the candidate"_s, report.newlyAdmitted);
    text += u"Cost saved: "_s % usd(report.costSaved) % u'\n';

    if (report.alerts.isEmpty()) {
        text += u"Alerts that would fire: none\n"_s;
    } else {
        text += u"Alerts that would fire:\n"_s;
        for (const AlertFiring& alert : report.alerts)
            text += u"  "_s % alert.policy % u": "_s % alert.rule % u" ("_s % alert.condition
                % u"), first at "_s % timestamp(alert.firstMinute) % u", "_s
                % grouped(alert.minutes) % u" minutes, peak "_s
                % QString::number(alert.peak, 'f', 1) % u'\n';
    }

    if (report.fidelity.available) {
        const Fidelity& f = report.fidelity;
        text += u"Fidelity: the baseline agrees with "_s % QString::number(f.agreementPct, 'f', 2)
            % u" % of "_s % grouped(f.compared) % u" recorded decisions\n"_s;
        for (const Disagreement& d : f.disagreements.mid(0, 10))
            text += (d.line > 0 ? u"  line "_s % QString::number(d.line) % u" request "_s
                                : u"  request "_s)
                % d.requestId % u": recorded "_s % decisionText(d.recorded) % u", simulated "_s
                % decisionText(d.simulated) % u'\n';
        if (f.disagreements.size() > 10)
            text += u"  (more disagreements in the JSON report)\n"_s;
    }
    for (const QString& warning : report.warnings)
        text += u"Warning: "_s % warning % u'\n';
    text += u"Decided in "_s % QString::number(report.elapsedS, 'f', 2) % u" s ("_s
        % QString::number(report.eventsPerS / 1e6, 'f', 1)
        % u" M requests/s per policy, two policies in parallel)\n"_s;
    return text;
}

} // namespace qc::simulation
