#pragma once

// Request building for the engine tests.

#include "enforcement/engine.h"

#include <QString>

#include <string>
#include <type_traits>

namespace qc::enforcement::testing {

/// 2026-01-01T00:00:00Z: a midnight, an even hour and a month start.
inline constexpr TimeMs kT0 = 1767225600000;

/// A request with fluent setters; the strings it points to are string literals or outlive it.
struct Req {
    Request r;

    Req(TimeMs ts, std::string_view ip)
    {
        r.ts = ts;
        r.ip = ip;
        r.endpoint = "/api/items";
        r.method = "GET";
    }
    Req& user(std::string_view id, std::string_view plan = {})
    {
        r.userId = id;
        r.plan = plan;
        return *this;
    }
    Req& endpoint(std::string_view e)
    {
        r.endpoint = e;
        return *this;
    }
    Req& method(std::string_view m)
    {
        r.method = m;
        return *this;
    }
    Req& forwardedFor(std::string_view chain)
    {
        r.forwardedFor = chain;
        return *this;
    }
    Req& key(std::string_view idempotencyKey, std::string_view hash)
    {
        r.idempotencyKey = idempotencyKey;
        r.requestHash = hash;
        return *this;
    }
    Req& userAgent(std::string_view agent)
    {
        r.userAgent = agent;
        return *this;
    }
    Req& country(std::string_view code)
    {
        r.country = code;
        return *this;
    }
    Req& cost(MicroUsd microUsd)
    {
        r.costMicroUsd = microUsd;
        return *this;
    }
    Req& usage(std::int64_t responseMs, std::int64_t tokens = 0, std::string_view model = {})
    {
        r.responseMs = responseMs;
        r.tokens = tokens;
        r.model = model;
        return *this;
    }
    Req& id(std::string_view requestId)
    {
        r.requestId = requestId;
        return *this;
    }
    operator const Request&() const { return r; }
};

/// Enumerations as their stable text (reason codes...), so that QCOMPARE can show them.
template<typename E>
requires std::is_enum_v<E> QString text(E value)
{
    return QString::fromLatin1(toString(value));
}

} // namespace qc::enforcement::testing
