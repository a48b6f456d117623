#pragma once

#include "simulator.h"

#include <QString>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

class QIODevice;

namespace qc::simulation {

/// Writes decisions as JSON Lines (docs/simulation.md "Decisions file"), one object per
/// request: request_id, ts, allowed, status, reason, rule, limit, remaining, reset_at,
/// retry_after_s, and would_deny, collision, cost_usd, incidents when set. Formats by hand into
/// a large buffer: millions of rows per second, no per-row allocation.
class DecisionWriter final : public DecisionSink {
public:
    /// `policy` and `dictionary` must outlive the writer; `device` must be open for writing.
    DecisionWriter(const enforcement::Policy& policy, const enforcement::Dictionary& dictionary,
        QIODevice& device);
    ~DecisionWriter() override;
    DecisionWriter(const DecisionWriter&) = delete;
    DecisionWriter& operator=(const DecisionWriter&) = delete;

    void decided(std::size_t index, const enforcement::EncodedRequest& request,
        const enforcement::Decision& decision) override;
    /// Appends one row to `out` (what decided() writes), for callers with their own buffer.
    void format(std::string& out, const enforcement::EncodedRequest& request,
        const enforcement::Decision& decision) const;
    /// Writes what is buffered. False (with error()) when the device refused data.
    bool flush();
    std::uint64_t rows() const { return m_rows; }
    /// Empty, or what went wrong writing (the device's error string).
    QString error() const { return m_error; }

private:
    const enforcement::Dictionary& m_dictionary;
    QIODevice& m_device;
    std::string m_buffer;
    std::vector<std::string> m_ruleIds; // `"id"` already quoted and escaped
    std::vector<std::string> m_reasons; // `"reason"` quoted
    std::uint64_t m_rows = 0;
    QString m_error;
};

} // namespace qc::simulation
