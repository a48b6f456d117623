// The scenarios' sources of requests (docs/traces.md "Generator"): normal diurnal traffic, a bot
// burst from one /24, a buggy client reusing idempotency keys, a cost spike, plan upgrades and
// downgrades. Each draws from its own stream (generator_p.h).

#include "generator_p.h"

#include <queue>

namespace qc::trace::detail {

namespace {

class NormalSource final : public Source {
public:
    NormalSource(World& world, std::uint64_t seed, ef::TimeMs begin, ef::TimeMs end, double rate)
        : Source(world, seed, begin, end)
        , m_rate(rate)
    {
    }

protected:
    std::optional<ef::EncodedRequest> produce() override
    {
        if (!m_next && !m_done) {
            m_next = fresh();
            m_done = !m_next;
        }
        if (!m_retries.empty() && (!m_next || m_retries.top().first.ts <= m_next->ts)) {
            ef::EncodedRequest retry = m_retries.top().first;
            m_retries.pop();
            retry.requestId = m_world.requestId(m_rng);
            return retry;
        }
        std::optional<ef::EncodedRequest> out = m_next;
        m_next.reset();
        return out;
    }

private:
    struct Later {
        bool operator()(const std::pair<ef::EncodedRequest, std::uint64_t>& a,
            const std::pair<ef::EncodedRequest, std::uint64_t>& b) const
        {
            return a.first.ts != b.first.ts ? a.first.ts > b.first.ts : a.second > b.second;
        }
    };

    std::optional<ef::EncodedRequest> fresh()
    {
        // Thinning would be exact; stepping with the rate at the current time is close enough
        // for an hourly shape and keeps one random draw per request.
        const double rate = m_rate * m_world.diurnal(static_cast<ef::TimeMs>(m_clock));
        const auto ts = arrival(rate);
        if (!ts)
            return std::nullopt;
        ef::EncodedRequest r;
        r.ts = *ts;
        r.requestId = m_world.requestId(m_rng);
        const int endpoint = int(weighted(m_rng, kEndpointWeights));
        setEndpoint(r, endpoint);
        if (endpoint != Health && m_rng.chance(0.85)) {
            // Few users make most requests: u³ concentrates the picks on low indexes.
            const double u = m_rng.unit();
            fillUser(r, std::size_t(u * u * u * double(m_world.users.size())), true);
        } else {
            r.userAgent = m_world.userAgents[weighted(m_rng, kUserAgentWeights)];
            r.country = m_world.countries[weighted(m_rng, kCountryWeights)];
            fillAddress(r, std::uint32_t(m_rng.below(m_world.ips.size())), true);
        }
        m_world.fillWork(m_rng, r, endpoint);
        if ((endpoint == Chat || endpoint == Generate || endpoint == ItemsPost)
            && m_rng.chance(0.8)) {
            r.idempotencyKey = m_world.token(ef::Field::IdempotencyKey, "idk-", m_rng.next());
            r.requestHash = m_world.token(ef::Field::RequestHash, "sha-", m_rng.next());
            // A client that timed out sends the same request again with the same key.
            if (m_rng.chance(0.03)) {
                ef::EncodedRequest retry = r;
                retry.ts = r.ts + m_rng.between(1000, 30000);
                if (retry.ts < m_end)
                    m_retries.push({ retry, m_retrySeq++ });
            }
        }
        return r;
    }

    double m_rate;
    std::optional<ef::EncodedRequest> m_next;
    bool m_done = false;
    std::priority_queue<std::pair<ef::EncodedRequest, std::uint64_t>,
        std::vector<std::pair<ef::EncodedRequest, std::uint64_t>>, Later>
        m_retries;
    std::uint64_t m_retrySeq = 0;
};

class BotBurstSource final : public Source {
public:
    BotBurstSource(World& world, std::uint64_t seed, ef::TimeMs begin, ef::TimeMs end, double rate)
        : Source(world, seed, begin, end)
        , m_rate(rate)
    {
        m_agent = world.dict.intern(ef::Field::UserAgent, kBotAgent);
        m_country = world.dict.intern(ef::Field::Country, "NL");
        char text[32];
        for (int i = 0; i < kBotAddresses; ++i) {
            std::snprintf(text, sizeof text, "%s%d", kBotNetwork, 17 + i);
            m_ips.push_back(world.dict.intern(ef::Field::Ip, text));
        }
    }

protected:
    std::optional<ef::EncodedRequest> produce() override
    {
        const auto ts = arrival(m_rate);
        if (!ts)
            return std::nullopt;
        ef::EncodedRequest r;
        r.ts = *ts;
        r.requestId = m_world.requestId(m_rng);
        const int endpoint = m_rng.chance(0.6) ? Search : ItemsGet;
        setEndpoint(r, endpoint);
        r.ip = m_ips[m_rng.below(m_ips.size())];
        r.userAgent = m_agent;
        r.country = m_country;
        m_world.fillWork(m_rng, r, endpoint);
        return r;
    }

private:
    double m_rate;
    std::uint32_t m_agent = 0;
    std::uint32_t m_country = 0;
    std::vector<std::uint32_t> m_ips;
};

class BuggyClientSource final : public Source {
public:
    BuggyClientSource(
        World& world, std::uint64_t seed, ef::TimeMs begin, ef::TimeMs end, double rate)
        : Source(world, seed, begin, end)
        , m_rate(rate)
    {
        m_client.user = world.dict.intern(ef::Field::User, kBuggyUser);
        m_client.plan = world.plans[kBuggyPlan];
        m_client.ip = world.dict.intern(ef::Field::Ip, "198.51.100.23");
        m_agents[0] = world.dict.intern(ef::Field::UserAgent, "acme-sdk-js/3.4.0 node/18.19.0");
        m_agents[1] = world.dict.intern(ef::Field::UserAgent, "acme-sdk-js/3.4.1 node/20.10.0");
        m_client.country = world.dict.intern(ef::Field::Country, "DE");
    }

protected:
    std::optional<ef::EncodedRequest> produce() override
    {
        const auto ts = arrival(m_rate);
        if (!ts)
            return std::nullopt;
        ef::EncodedRequest r = clientRequest(*ts, Generate, m_client);
        r.userAgent = m_agents[m_rng.chance(0.9) ? 0 : 1];
        m_world.fillWork(m_rng, r, Generate);
        // The bug: the key is derived from a counter that is reset, so keys come back with new
        // bodies: right away, or from long ago (the "late" collisions).
        const double pick = m_rng.unit();
        if (m_keys.empty() || pick < 0.1) {
            m_keys.push_back(
                { r.ts, m_world.token(ef::Field::IdempotencyKey, "idk-", m_rng.next()) });
            r.idempotencyKey = m_keys.back().second;
        } else if (pick < 0.75) {
            r.idempotencyKey = m_keys.back().second;
        } else {
            r.idempotencyKey = m_keys[m_rng.below(m_keys.size())].second;
        }
        r.requestHash = m_world.token(ef::Field::RequestHash, "sha-", m_rng.next());
        return r;
    }

private:
    double m_rate;
    Client m_client;
    std::uint32_t m_agents[2] = {};
    std::vector<std::pair<ef::TimeMs, std::uint32_t>> m_keys;
};

class CostSpikeSource final : public Source {
public:
    CostSpikeSource(World& world, std::uint64_t seed, ef::TimeMs begin, ef::TimeMs end, double rate)
        : Source(world, seed, begin, end)
        , m_rate(rate)
    {
        m_client.user = world.dict.intern(ef::Field::User, kHeavyUser);
        m_client.plan = world.plans[kHeavyPlan];
        m_client.ip = world.dict.intern(ef::Field::Ip, "198.51.100.77");
        m_agent = world.dict.intern(ef::Field::UserAgent, "acme-sdk-python/2.8.0");
        m_client.country = world.dict.intern(ef::Field::Country, "US");
        m_model = world.dict.intern(ef::Field::Model, "gpt-4o");
    }

protected:
    std::optional<ef::EncodedRequest> produce() override
    {
        const auto ts = arrival(m_rate);
        if (!ts)
            return std::nullopt;
        ef::EncodedRequest r = clientRequest(*ts, Chat, m_client);
        r.userAgent = m_agent;
        r.model = m_model;
        r.tokens = m_rng.between(20000, 80000);
        r.responseMs = m_rng.between(8000, 30000);
        r.idempotencyKey = m_world.token(ef::Field::IdempotencyKey, "idk-", m_rng.next());
        r.requestHash = m_world.token(ef::Field::RequestHash, "sha-", m_rng.next());
        return r;
    }

private:
    double m_rate;
    Client m_client;
    std::uint32_t m_agent = 0;
    std::uint32_t m_model = 0;
};

class PlanChangeSource final : public Source {
public:
    PlanChangeSource(
        World& world, std::uint64_t seed, ef::TimeMs begin, ef::TimeMs end, double rate)
        : Source(world, seed, begin, end)
        , m_rate(rate)
    {
        // Upgrade in the first part of the window, downgrade back in the last part.
        const std::size_t count = std::clamp<std::size_t>(world.users.size() / 200, 5, 200);
        const double length = double(end - begin);
        for (std::size_t k = 0; k < count && m_users.size() < world.users.size(); ++k) {
            const std::size_t user = m_rng.below(world.users.size());
            if (world.schedules.count(user))
                continue;
            const std::uint8_t base = world.users[user].plan;
            const std::uint8_t other = base == 3 ? 2 : std::uint8_t(base + 1);
            const auto first = begin + ef::TimeMs(length * (0.1 + 0.3 * m_rng.unit()));
            const auto second = begin + ef::TimeMs(length * (0.6 + 0.3 * m_rng.unit()));
            world.schedules[user] = { { first, other }, { second, base } };
            m_users.push_back(user);
        }
    }

protected:
    std::optional<ef::EncodedRequest> produce() override
    {
        if (m_users.empty())
            return std::nullopt;
        const auto ts = arrival(m_rate);
        if (!ts)
            return std::nullopt;
        ef::EncodedRequest r;
        r.ts = *ts;
        r.requestId = m_world.requestId(m_rng);
        static constexpr int kEndpoints[] = { Chat, Generate, ItemsGet, Search };
        const int endpoint = kEndpoints[m_rng.below(4)];
        setEndpoint(r, endpoint);
        fillUser(r, m_users[m_rng.below(m_users.size())], false);
        m_world.fillWork(m_rng, r, endpoint);
        return r;
    }

private:
    double m_rate;
    std::vector<std::size_t> m_users;
};

} // namespace

std::unique_ptr<Source> makeScenarioSource(ScenarioKind kind, World& world, std::uint64_t seed,
    ef::TimeMs begin, ef::TimeMs end, double rate)
{
    switch (kind) {
    case ScenarioKind::Normal:
        return std::make_unique<NormalSource>(world, seed, begin, end, rate);
    case ScenarioKind::BotBurst:
        return std::make_unique<BotBurstSource>(world, seed, begin, end, rate);
    case ScenarioKind::BuggyClient:
        return std::make_unique<BuggyClientSource>(world, seed, begin, end, rate);
    case ScenarioKind::CostSpike:
        return std::make_unique<CostSpikeSource>(world, seed, begin, end, rate);
    case ScenarioKind::PlanChange:
        return std::make_unique<PlanChangeSource>(world, seed, begin, end, rate);
    }
    return nullptr;
}

} // namespace qc::trace::detail
