#pragma once

#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QVariantList>

#include <atomic>
#include <functional>
#include <optional>

class QIODevice;

namespace qc::db {

/// What the request log view and the investigation timeline ask of quota.request_logs. Every
/// value is sent as a bound parameter; empty fields do not filter (docs/investigation.md).
struct RequestLogFilter {
    QDateTime from; // inclusive, UTC; invalid = no lower bound
    QDateTime to; // exclusive, UTC; invalid = no upper bound
    QString ip; // the address as logged (request_logs.ip), exact
    QString network; // a CIDR such as 198.51.100.0/24 or 2001:db8:1:2::/64
    QString userId; // exact
    QString endpoint; // exact, or a glob with * and ?
    std::optional<int> status; // HTTP status
    QString decision; // "allowed" or "denied"
    QString reason; // reason code (docs/enforcement.md), exact
    QString rule; // rule id, exact
    QString requestId; // exact

    /// Sets ip, network or userId from what someone typed into one "identifier" field: an
    /// address, a CIDR, or a user id ("user:" forces a user id that looks like an address).
    void setIdentifier(const QString& text);
    /// The identifier setIdentifier() would have been given (for display).
    QString identifier() const;
    bool operator==(const RequestLogFilter&) const = default;
};

/// Empty when the filter can be used, else what is wrong with which field ("network:
/// '10.0.0.0/33' is not a network; use e.g. 198.51.100.0/24").
QString validateFilter(const RequestLogFilter& filter);

/// The position of a row in the view's order (ts, id), newest first; the page after a key
/// holds the rows strictly older than it. Times are epoch microseconds, as stored.
struct RequestLogKey {
    qint64 tsMicros = 0;
    qint64 id = 0;
    bool isNull() const { return id == 0 && tsMicros == 0; }
    bool operator==(const RequestLogKey&) const = default;
};

/// One row of quota.request_logs.
struct RequestLogRow {
    qint64 id = 0;
    qint64 tsMicros = 0;
    QDateTime ts; // UTC
    QString requestId;
    QString endpoint;
    QString method;
    QString userId;
    QString plan;
    QString ip;
    QString forwardedFor;
    QString userAgent;
    QString country;
    QString idempotencyKey;
    QString requestHash;
    std::optional<double> quotaCheckMs;
    std::optional<qint64> responseMs;
    std::optional<qint64> status;
    QString decision; // allowed | denied
    QString reason;
    QString rule;
    std::optional<double> costUsd;
    std::optional<qint64> tokens;
    QString model;
    bool failOpen = false;
    int collision = 0; // flags: 1 parameters, 2 late, 4 user agent
    QString wouldDeny;

    RequestLogKey key() const { return { tsMicros, id }; }
};

/// One page of the view: up to `limit` rows older than the key it was asked after.
struct RequestLogPage {
    QList<RequestLogRow> rows;
    bool hasMore = false; // there are older rows
    RequestLogKey next; // ask after this for the following page
    QString error;
    qint64 queryMs = 0;
    bool ok() const { return error.isEmpty(); }
};

/// SQL and parameters of a page (public for tests and the benchmark).
struct BoundQuery {
    QString sql;
    QVariantList params;
};
/// Newest first, keyset on (ts, id): `WHERE ... AND (ts, id) < after ORDER BY ts DESC, id
/// DESC LIMIT limit + 1` (one more row than asked tells whether there are more); never OFFSET.
BoundQuery requestLogPageQuery(
    const RequestLogFilter& filter, const RequestLogKey& after, int limit);

/// The WHERE conditions of `filter` over quota.request_logs (unqualified column names), their
/// parameters appended to `params` and numbered after those already there.
QStringList requestLogConditions(const RequestLogFilter& filter, QVariantList& params);

/// Reads one page (in the connection's thread).
RequestLogPage fetchRequestLogPage(QSqlDatabase database, const RequestLogFilter& filter,
    const RequestLogKey& after = {}, int limit = 200);

/// CSV export of the filtered rows, oldest first, through a server-side cursor
/// (docs/investigation.md "Export"): the columns of a trace (DESIGN §6: readTrace() reads the
/// file as a trace) followed by the decision columns and id, quota_check_ms, fail_open,
/// collision, would_deny.
struct ExportProgress {
    qint64 rows = 0;
    double fraction = 0; // 0..1, by the time reached within the range
};
struct ExportResult {
    qint64 rows = 0;
    bool cancelled = false;
    QString error;
    bool ok() const { return error.isEmpty() && !cancelled; }
};
/// `progress` is called after every batch; returning false (or `cancel` becoming true)
/// stops the export, which then reports `cancelled`. The cursor's transaction is read-only.
ExportResult exportRequestLogCsv(QSqlDatabase database, const RequestLogFilter& filter,
    QIODevice& out, const std::function<bool(const ExportProgress&)>& progress = {},
    const std::atomic_bool* cancel = nullptr, int batchRows = 5000);

/// The CSV header of exportRequestLogCsv.
QStringList requestLogCsvColumns();

} // namespace qc::db
