#pragma once

#include "decision.h"
#include "policy.h"
#include "request.h"

#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace qc::enforcement {

/// State of one rule for one identifier, for investigation views and tests.
struct RuleStatus {
    int rule = -1;
    std::string identifier;
    std::int64_t limit = -1;
    std::int64_t remaining = -1;
    TimeMs resetAt = 0;
};

struct EngineStats {
    std::uint64_t decisions = 0;
    std::uint64_t clients = 0; // distinct client keys with state
    std::uint64_t users = 0;
    std::uint64_t idempotencyEntries = 0;
    std::uint64_t activeBlocks = 0;
    std::size_t memoryBytes = 0; // engine state, the dictionary excluded
};

/// The decision function of docs/enforcement.md with its state, in memory.
/// One engine is used by one thread at a time. Time is always an argument.
class Engine {
public:
    /// `policy` must be valid (core/policy validates). Engines that decide EncodedRequests made
    /// elsewhere must share that Dictionary.
    explicit Engine(Policy policy, std::shared_ptr<Dictionary> dictionary = {});
    ~Engine();
    Engine(Engine&&) noexcept;
    Engine& operator=(Engine&&) noexcept;
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    const Policy& policy() const;
    Dictionary& dictionary();
    const std::shared_ptr<Dictionary>& sharedDictionary() const;

    /// Decides a request given as text (interns it first).
    Decision decide(const Request& request);
    /// Decides an encoded request. Requests must come in non-decreasing ts order.
    Decision decide(const EncodedRequest& request);
    /// Decides requests[i] into out[i] for every i, in order: the same decisions as calling
    /// decide() on each (`out` must be at least as long as `requests`), faster, because the
    /// state of the requests a little further on is fetched while earlier ones are decided.
    void decide(std::span<const EncodedRequest> requests, std::span<Decision> out);
    /// Hint: this request will be decided soon; pulls its state into cache.
    void prefetch(const EncodedRequest& request) const;

    /// Incidents raised since the last call, in order.
    std::vector<Incident> takeIncidents();
    /// Forgets the incidents raised since the last call, adding how many each pattern raised
    /// to byPattern (index = pattern; grown to the policy's patterns if shorter), and returns
    /// how many there were: takeIncidents() for counting, without spelling them out.
    std::size_t countIncidents(std::vector<std::uint64_t>& byPattern);

    void addBlock(const Block& block);
    /// Ends the active blocks on target/value at `at`; returns how many it ended.
    int unblock(BlockTarget target, std::string_view value, TimeMs at);
    /// Plan change at ts (docs/enforcement.md §6): upgrade at once, downgrade with grace.
    void changePlan(std::string_view userId, std::string_view plan, TimeMs ts);
    /// Usage of a user's metric in the cycle containing ts, and the effective limit (-1 = none).
    std::pair<std::int64_t, std::int64_t> quotaUsage(
        std::string_view userId, std::string_view metric, TimeMs ts) const;
    /// Every rule that would apply to such a request at ts, with its state, without changing it.
    std::vector<RuleStatus> ruleStatus(const Request& request) const;

    EngineStats stats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace qc::enforcement
