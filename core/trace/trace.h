#pragma once

#include "enforcement/decision.h"
#include "enforcement/request.h"
#include "enforcement/types.h"

#include <QList>
#include <QString>
#include <QtGlobal>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

class QIODevice;

namespace qc::trace {

class ChunkPool;

/// The decision a request got live, when the trace recorded it (columns status, decision,
/// reason, rule of DESIGN §6). The decision column reads "allowed" or "denied" (also "allow",
/// "admitted" / "deny", "rejected"); without it, `allowed` follows the status (< 400), else the
/// reason.
struct RecordedDecision {
    bool present = false; // false: the row has none of the decision columns
    std::int16_t status = 0; // 0 = not recorded
    qc::enforcement::Reason reason = qc::enforcement::Reason::Admitted;
    bool hasReason = false; // reason column filled (else `reason` is derived from status)
    bool allowed = true;
    std::uint32_t rule = 0; // index into Trace::ruleNames; 0 = none

    friend bool operator==(const RecordedDecision&, const RecordedDecision&) = default;
};

/// A change of enforcement state that is not a request: a block, an unblock or a plan change
/// made by an admin (or by live abuse detection before the trace starts). Traces read from the
/// quota database carry them (docs/simulation.md "Replaying the quota database"); a simulation
/// applies each one to every policy's engine before the first request with `ts >= event.ts`.
struct StateEvent {
    enum class Kind : std::uint8_t {
        Unblock, // ends the blocks on `block.target`/`block.value` active at ts
        Block, // adds `block` (active from block.from to block.until)
        PlanChange, // `user` moves to `plan` at ts (docs/enforcement.md §6)
    };
    Kind kind = Kind::Block;
    qc::enforcement::TimeMs ts = 0;
    qc::enforcement::Block block; // Block, Unblock (target and value)
    std::string user; // PlanChange
    std::string plan; // PlanChange
    /// PlanChange: how long the previous plan's quotas still apply if the change is a downgrade
    /// under the deciding policy's ranks; -1 = that policy's downgrade_grace.
    qc::enforcement::TimeMs graceMs = -1;
};

/// A request log in memory, in time order, with its text interned in `dictionary`.
struct Trace {
    std::shared_ptr<qc::enforcement::Dictionary> dictionary;
    std::vector<qc::enforcement::EncodedRequest> requests;
    /// Parallel to `requests`; empty when the trace has no decision columns at all.
    std::vector<RecordedDecision> recorded;
    /// Source line of each request, for messages; empty for generated traces.
    std::vector<qint64> lines;
    /// Rule ids of RecordedDecision::rule (the Dictionary has no field for them); [0] is "".
    std::vector<std::string> ruleNames { std::string() };
    /// Blocks, unblocks and plan changes between the requests, sorted by ts (ties in the order
    /// they are applied). Empty for files and generated traces. Their user and plan texts (and
    /// user-block values) are interned in `dictionary` by whoever fills this, so that engines
    /// sharing the dictionary only read it.
    std::vector<StateEvent> events;

    std::size_t size() const { return requests.size(); }
    /// The text of a recorded rule id.
    std::string_view ruleName(std::uint32_t id) const
    {
        return id < ruleNames.size() ? std::string_view(ruleNames[id]) : std::string_view();
    }
    /// Id of a rule name in ruleNames, adding it when new.
    std::uint32_t internRule(std::string_view name);
    /// Source line of request i (1-based), or i + 2 (header + 1-based) when lines are absent.
    qint64 lineOf(std::size_t i) const;
};

/// Which rows' request_id texts a reader interns (Field::RequestId). Every request id is a new
/// text (about 36 bytes of dictionary per row: 360 MB for 10 million rows) that is only ever
/// read back for output, so a reader with no per-request output can leave most of them out.
enum class RequestIdTexts : std::uint8_t {
    All,
    /// Only rows with a recorded decision keep theirs (a fidelity report names the requests it
    /// disagrees with); the others get EncodedRequest::requestId 0.
    RecordedRowsOnly,
};

struct ReadOptions {
    bool strict = false; // the first bad row is fatal
    RequestIdTexts requestIds = RequestIdTexts::All;
    int maxReportedErrors = 100; // rows beyond this are still skipped and counted
    /// CSV: threads that parse ranges of the rows while the calling thread interns them in
    /// file order (same rows, ids, errors and line numbers as one thread). 0 = one per core
    /// for files of a few MiB and more, 1 = the calling thread alone.
    int parseThreads = 0;
    /// CSV on several threads: bytes per range a parse thread takes at a time; 0 = 1 MiB.
    qint64 parseRangeBytes = 0;
    /// Called now and then with bytes done and total; returning false cancels the read.
    std::function<bool(qint64 done, qint64 total)> progress;
};

struct TraceError {
    qint64 line = 0; // 1-based source line; 0 = the file as a whole
    QString message;

    /// "line 12: ts '2026-13-01' is not a timestamp; …"
    QString toString() const;
    friend bool operator==(const TraceError&, const TraceError&) = default;
};

struct ReadResult {
    Trace trace;
    QList<TraceError> errors; // at most ReadOptions::maxReportedErrors, in file order
    qint64 skippedRows = 0; // bad rows left out (all of them, reported or not)
    bool cancelled = false; // progress returned false; `trace` holds the rows read until then
    QString fatal; // non-empty: the file could not be read as a trace (or strict mode stopped)

    bool ok() const { return fatal.isEmpty() && !cancelled; }
};

enum class Format { Auto, Csv, Jsonl };

/// Reads a CSV or JSONL trace (DESIGN §6): by extension (.csv, .jsonl, .ndjson), else sniffed
/// from the first byte. Interns into `dictionary` when given (engines that decide the requests
/// must share it), else into a new one.
///
/// CSV: a header row names the columns (any order; unknown names ignored; 'ts' required; a
/// name twice is fatal), RFC 4180 quoting (quoted cells may hold commas, "" and line breaks),
/// LF or CRLF, a UTF-8 BOM and blank lines are skipped; every row has as many cells as the
/// header. JSONL: one flat object per line with the same names; strings or numbers, null =
/// absent, nested values only under unknown names. Both: an empty cell is absent; ts is RFC 3339
/// (Z or offset) or integer epoch milliseconds; cost_usd is decimal dollars rounded half away
/// from zero to micro-dollars; tokens, response_ms are whole numbers; rows must not go back in
/// time (equal ts is fine). A bad row is reported with its line and skipped, or with
/// `strict` ends the read (`fatal`).
ReadResult readTrace(const QString& path, const ReadOptions& options = {},
    std::shared_ptr<qc::enforcement::Dictionary> dictionary = {}, Format format = Format::Auto);
/// readTrace() in pieces, for traces too big to hold: rows go to `consume` in chunks of
/// `chunkRows` (the last may be shorter), in file order, on the calling thread, each chunk a
/// Trace of its own (requests, recorded, lines parallel to each other; lines are the file's;
/// ruleNames a copy of all rule names seen so far; the dictionary shared). `consume` returning
/// false stops the read (`cancelled`). The result's own trace holds no requests. The dictionary
/// only grows on the calling thread: other threads may read the texts of the ids in the chunks
/// they were handed (Dictionary::text) while reading goes on. With a `pool`, each chunk's
/// vectors come from the pool when it has some (the consumer recycles the chunks it is done
/// with), else they are new.
ReadResult readTraceChunks(const QString& path, const ReadOptions& options,
    std::shared_ptr<qc::enforcement::Dictionary> dictionary,
    const std::function<bool(Trace&&)>& consume, std::size_t chunkRows = 65536,
    Format format = Format::Auto, ChunkPool* pool = nullptr);
/// The same from bytes in memory (tests, pasted traces, stdin).
ReadResult readTraceData(const QByteArray& data, Format format, const ReadOptions& options = {},
    std::shared_ptr<qc::enforcement::Dictionary> dictionary = {});

/// Writes the trace as CSV with a header; readTrace() reads it back to the same requests.
/// Decision columns are written when `trace.recorded` is not empty. False on a write error.
bool writeCsv(const Trace& trace, QIODevice& device);
/// The same as JSON Lines: one object per request, absent fields left out.
bool writeJsonl(const Trace& trace, QIODevice& device);

/// The column names of DESIGN §6, in the order the writers use.
const std::vector<std::string_view>& columnNames();

/// Fast RFC 3339 "YYYY-MM-DDTHH:MM:SS.mmmZ" of epoch milliseconds (the writers' form).
void appendTimestamp(std::string& out, qc::enforcement::TimeMs ts);

} // namespace qc::trace
