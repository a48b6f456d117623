#pragma once

#include "types.h"

#include <cstdint>
#include <string>

namespace qc::enforcement {

/// The result of one decision: plain values, no allocation.
struct Decision {
    Reason reason = Reason::Admitted;
    std::uint16_t status = 200;
    bool allowed = true;
    std::uint8_t collision = CollisionNone; // CollisionFlag bits
    std::int16_t rule = -1; // index into Policy::rules of the denying rule (or the replayed one)
    std::int16_t wouldDeny = -1; // index of the first shadow rule that would have denied
    std::int16_t headerRule
        = -1; // rule whose limit/remaining/resetAt are reported; -1 = quota or none
    std::uint8_t incidents = 0; // incidents raised by this request (see Engine::takeIncidents)
    std::int64_t limit = -1; // -1 = no rate-limit information
    std::int64_t remaining = -1;
    TimeMs resetAt = 0;
    std::int64_t retryAfterS = 0;
    MicroUsd costMicroUsd = 0;

    friend bool operator==(const Decision&, const Decision&) = default;
};

/// A block on an address, a network or a user (docs/enforcement.md §3).
struct Block {
    BlockTarget target = BlockTarget::Ip;
    std::string value; // address, CIDR or user id
    TimeMs from = 0;
    TimeMs until = kForever;
    std::string reason;
    bool automatic = false;
    std::string pattern; // abuse pattern id for automatic blocks
};

/// An abuse incident raised by a pattern (docs/enforcement.md §8).
struct Incident {
    TimeMs ts = 0;
    int pattern = -1; // index into Policy::abuse
    AbuseScope scope = AbuseScope::Ip;
    std::string identifier; // client key or user id
    Severity severity = Severity::Low;
    AbuseAction action = AbuseAction::Log;
    TimeMs blockedUntil = 0; // 0 when the action does not block
    std::string requestId;
};

} // namespace qc::enforcement
