#include "thresholds.h"

#include "alerting/rule.h"

namespace qc::services::thresholds {

using namespace Qt::StringLiterals;

namespace {

const alerting::Rule& rule(const QString& name)
{
    const alerting::Rule* found = alerting::findRule(alerting::standardRules(), name);
    Q_ASSERT_X(found, "thresholds", "an alert rule the dashboard colours with is missing");
    return *found;
}

/// An Increase rule's threshold per minute, whatever its window.
double perMinute(const alerting::Rule& r)
{
    return r.windowMs > 0 ? r.threshold * 60000.0 / double(r.windowMs) : r.threshold;
}

} // namespace

double p95Ms()
{
    return rule(u"HighQuotaCheckLatency"_s).threshold * 1000.0;
}

double anyCheckMs()
{
    return rule(u"ImmediateHighLatency"_s).threshold * 1000.0;
}

double collisionRate()
{
    return rule(u"ExcessiveIdempotencyCollisions"_s).threshold;
}

double denialRate()
{
    return rule(u"HighDenialRate"_s).threshold;
}

double rateLimitHitsPerMinute()
{
    return perMinute(rule(u"RateLimitViolations"_s));
}

double dbErrorsPerMinute()
{
    return perMinute(rule(u"DatabaseConnectionIssues"_s));
}

} // namespace qc::services::thresholds
