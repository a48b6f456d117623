#pragma once

#include "enforcement/request.h"

#include <cstdint>
#include <string>

namespace qc::live {

/// One synthetic request as text, owning its strings, so that it can cross threads (a
/// Dictionary is not thread-safe for writers). Empty string = absent.
struct LiveRequest {
    qc::enforcement::TimeMs at = 0; // when it is due, in traffic time (epoch ms)
    std::string requestId;
    std::string ip;
    std::string forwardedFor;
    std::string userId;
    std::string plan;
    std::string endpoint;
    std::string method;
    std::string userAgent;
    std::string country;
    std::string idempotencyKey;
    std::string requestHash;
    std::string model;
    std::int64_t tokens = 0;
    std::int64_t responseMs = 0;

    static LiveRequest fromEncoded(
        const qc::enforcement::Dictionary& dictionary, const qc::enforcement::EncodedRequest& r)
    {
        const qc::enforcement::Request text = qc::enforcement::decode(dictionary, r);
        LiveRequest out;
        out.at = r.ts;
        out.requestId = std::string(text.requestId);
        out.ip = std::string(text.ip);
        out.forwardedFor = std::string(text.forwardedFor);
        out.userId = std::string(text.userId);
        out.plan = std::string(text.plan);
        out.endpoint = std::string(text.endpoint);
        out.method = std::string(text.method);
        out.userAgent = std::string(text.userAgent);
        out.country = std::string(text.country);
        out.idempotencyKey = std::string(text.idempotencyKey);
        out.requestHash = std::string(text.requestHash);
        out.model = std::string(text.model);
        out.tokens = text.tokens;
        out.responseMs = text.responseMs;
        return out;
    }
};

} // namespace qc::live
