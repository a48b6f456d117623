#pragma once

#include "types.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace qc::enforcement {

/// A request as text (docs/enforcement.md "Request fields"). Empty view = absent.
struct Request {
    TimeMs ts = 0;
    std::string_view requestId;
    std::string_view ip;
    std::string_view forwardedFor;
    std::string_view userId;
    std::string_view plan;
    std::string_view endpoint;
    std::string_view method;
    std::string_view userAgent;
    std::string_view country;
    std::string_view idempotencyKey;
    std::string_view requestHash;
    MicroUsd costMicroUsd = -1; // -1 = not recorded
    std::int64_t tokens = 0;
    std::string_view model;
    std::int64_t responseMs = 0;
};

/// The text fields of a request, each interned in its own id space of a Dictionary.
/// RequestId is the exception: every intern() gives a new id (request ids are unique and only
/// read back as text), so equal request ids may have different ids.
enum class Field : std::uint8_t {
    RequestId,
    Ip,
    ForwardedFor,
    User,
    Plan,
    Endpoint,
    Method,
    UserAgent,
    Country,
    IdempotencyKey,
    RequestHash,
    Model,
};
inline constexpr int kFieldCount = 12;

struct EncodedRequest;

/// The table lookups of one request's texts, computed but not yet done (Dictionary::prepare).
struct PreparedRequest {
    std::uint64_t keys[11][3];
    std::uint32_t hashes[11]; // or the id, for the texts of `known`
    std::uint32_t known; // bit per text whose id was found already
    std::uint32_t hashed; // bit per text whose keys and hash are computed
};

/// Interns strings to dense ids per field. Id 0 is always the empty string (absent).
/// One thread at a time interns (intern, find, prepare, encode, reserve); other threads may
/// meanwhile read text() and size() of the ids they were handed (a trace being read while
/// engines decide its first rows): texts never move once interned.
class Dictionary {
public:
    Dictionary();
    ~Dictionary();
    Dictionary(const Dictionary&) = delete;
    Dictionary& operator=(const Dictionary&) = delete;

    std::uint32_t intern(Field field, std::string_view text);
    /// Id of text, or UINT32_MAX when it was never interned.
    std::uint32_t find(Field field, std::string_view text) const;
    std::string_view text(Field field, std::uint32_t id) const;
    /// Makes room for `count` distinct texts of `field` so that bulk loads (a trace of millions
    /// of rows) do not grow the table step by step. Only a hint; ids are unaffected.
    void reserve(Field field, std::size_t count);
    std::uint32_t size(Field field) const;
    std::size_t memoryBytes() const;

    /// encode() in two steps, for bulk loads: prepare() hashes a request's texts and starts
    /// loading their table slots into cache; encode() with the same texts, called later
    /// (after preparing a few requests more), interns them. Same ids as encode(dictionary, r).
    void prepare(const Request& request, PreparedRequest& prepared) const;
    EncodedRequest encode(const Request& request, const PreparedRequest& prepared);
    /// The hashing half of prepare(), without reading any dictionary: any thread may call it
    /// (the threads parsing a trace hash their rows' texts while one thread interns them).
    /// Only the fields of many distinct values (ip, forwarded_for, user, idempotency_key,
    /// request_hash) are hashed: encode() finds most texts of the others (plans, endpoints,
    /// methods, user agents, countries, models) in its cache of recent texts, and hashes the
    /// rest itself. encode() with the result gives the same ids as after prepare().
    static void hash(const Request& request, PreparedRequest& prepared);
    /// Starts loading the table slots of texts hashed by hash() into cache, a few requests
    /// before their encode().
    void prefetch(const PreparedRequest& prepared) const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

/// A request with its text fields interned: what the hot decision loop consumes.
struct EncodedRequest {
    TimeMs ts = 0;
    MicroUsd costMicroUsd = -1;
    std::int64_t tokens = 0;
    std::int64_t responseMs = 0;
    std::uint32_t requestId = 0;
    std::uint32_t ip = 0;
    std::uint32_t forwardedFor = 0;
    std::uint32_t user = 0;
    std::uint32_t plan = 0;
    std::uint32_t endpoint = 0;
    std::uint32_t method = 0;
    std::uint32_t userAgent = 0;
    std::uint32_t country = 0;
    std::uint32_t idempotencyKey = 0;
    std::uint32_t requestHash = 0;
    std::uint32_t model = 0;
};

EncodedRequest encode(Dictionary& dictionary, const Request& request);
Request decode(const Dictionary& dictionary, const EncodedRequest& request);

} // namespace qc::enforcement
