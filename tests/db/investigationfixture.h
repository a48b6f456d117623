#pragma once

// Data for the tests of the investigation and action views (tests/db/tst_investigationqueries,
// tests/ui/tst_actionpages, tests/ui/tst_requestspage): the default policy, and request logs
// written through quota.log_requests so that the rollups are the ones the write path makes.

#include "support/sqlcall.h"
#include "support/testcluster.h"

#include <QDateTime>
#include <QFile>
#include <QString>

namespace qc::testfixture {

using namespace Qt::StringLiterals;

inline QString defaultPolicyJson()
{
    QFile f(QStringLiteral(QC_SOURCE_DIR "/resources/policies/default.json"));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

/// Makes the default policy the active one (as the superuser). Empty on success.
inline QString activateDefaultPolicy(const QString& database)
{
    auto& cluster = testsupport::TestCluster::instance();
    QString error = cluster.execAsSuperuser(database,
        u"SELECT quota.create_policy_version('fixture-policy', $json$"_s + defaultPolicyJson()
            + u"$json$::jsonb, 'test policy')"_s);
    if (!error.isEmpty())
        return error;
    return cluster.execAsSuperuser(database,
        u"SELECT quota.activate_policy_version('fixture-activate', "
        "(SELECT max(id) FROM quota.policy_versions), NULL, 'go live')"_s);
}

/// The start of the seeded requests: 2026-01-05T12:00:00Z.
inline QDateTime seedStart()
{
    return QDateTime(QDate(2026, 1, 5), QTime(12, 0), Qt::UTC);
}

/// SQL that logs rows `first` .. `first + count - 1` of the seeded traffic through
/// quota.log_requests: ten requests per second from seedStart() (so timestamps tie), four
/// endpoints, 37 users and anonymous ones, 600 addresses in three /24 networks
/// (198.51.0-2.x), every seventh request denied by ip_per_minute.
inline QString seedRequestsSql(int first, int count)
{
    return uR"(SELECT quota.log_requests(jsonb_agg(jsonb_build_object(
        'ts', to_char((timestamptz '2026-01-05 12:00:00+00' + (i / 10) * interval '1 second')
                      AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'request_id', 'r' || i,
        'endpoint', (ARRAY['/api/chat', '/api/generate', '/api/items', '/api/search'])[1 + i % 4],
        'method', CASE WHEN i % 2 = 0 THEN 'POST' ELSE 'GET' END,
        'user_id', CASE WHEN i % 5 = 0 THEN NULL ELSE 'u' || (i % 37) END,
        'plan', CASE WHEN i % 5 = 0 THEN NULL ELSE 'free' END,
        'ip', '198.51.' || (i % 3) || '.' || (i % 200),
        'user_agent', 'client/1.' || (i % 7),
        'country', 'DE',
        'status', CASE WHEN i % 7 = 0 THEN 429 ELSE 200 END,
        'decision', CASE WHEN i % 7 = 0 THEN 'denied' ELSE 'allowed' END,
        'reason', CASE WHEN i % 7 = 0 THEN 'rate_limited' ELSE 'admitted' END,
        'rule', CASE WHEN i % 7 = 0 THEN 'ip_per_minute' END,
        'cost_usd', CASE WHEN i % 7 = 0 THEN 0 ELSE 0.001 END,
        'quota_check_ms', 1.5, 'response_ms', 100) ORDER BY i))
    FROM generate_series()"_s
        + QString::number(first) + u", "_s + QString::number(first + count - 1) + u") AS i"_s;
}

} // namespace qc::testfixture
