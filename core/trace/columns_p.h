#pragma once

#include <cstdint>
#include <string_view>

namespace qc::trace {

// The trace columns of DESIGN §6; Ignored stands for any other column name.
enum class Column : std::uint8_t {
    Ignored,
    Ts,
    RequestId,
    Ip,
    ForwardedFor,
    UserId,
    Plan,
    Endpoint,
    Method,
    UserAgent,
    Country,
    IdempotencyKey,
    RequestHash,
    CostUsd,
    Tokens,
    Model,
    ResponseMs,
    Status,
    Decision,
    Reason,
    Rule,
};

struct ColumnName {
    Column column;
    std::string_view name;
};

inline constexpr ColumnName kColumnNames[] = {
    { Column::Ts, "ts" },
    { Column::RequestId, "request_id" },
    { Column::Ip, "ip" },
    { Column::ForwardedFor, "forwarded_for" },
    { Column::UserId, "user_id" },
    { Column::Plan, "plan" },
    { Column::Endpoint, "endpoint" },
    { Column::Method, "method" },
    { Column::UserAgent, "user_agent" },
    { Column::Country, "country" },
    { Column::IdempotencyKey, "idempotency_key" },
    { Column::RequestHash, "request_hash" },
    { Column::CostUsd, "cost_usd" },
    { Column::Tokens, "tokens" },
    { Column::Model, "model" },
    { Column::ResponseMs, "response_ms" },
    { Column::Status, "status" },
    { Column::Decision, "decision" },
    { Column::Reason, "reason" },
    { Column::Rule, "rule" },
};

inline Column columnFromName(std::string_view name)
{
    for (const ColumnName& c : kColumnNames) {
        if (c.name == name)
            return c.column;
    }
    return Column::Ignored;
}

} // namespace qc::trace
