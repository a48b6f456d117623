// Synthetic traffic for simulation, the demo backfill and the live load generator.
//
// Reproducibility is the contract: every random choice comes from xoshiro256** seeded through
// splitmix64 and is turned into numbers by integer or plain double arithmetic we write here
// (never std::*_distribution, whose output differs between standard libraries). Each scenario
// is a source with its own generator state, and sources are merged by (ts, source index), so
// adding a scenario never changes the requests of another.

#include "generator.h"

#include "policy/policyjson.h"

#include <QStringList>
#include <queue>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

using namespace Qt::StringLiterals;
namespace ef = qc::enforcement;

namespace qc::trace {

namespace {

std::uint64_t splitmix64(std::uint64_t& state)
{
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

class Rng {
public:
    explicit Rng(std::uint64_t seed)
    {
        for (auto& word : m_s)
            word = splitmix64(seed);
    }

    std::uint64_t next()
    {
        const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
        const std::uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return result;
    }
    /// Uniform in [0, 1) with 53 random bits.
    double unit() { return double(next() >> 11) * 0x1.0p-53; }
    /// Uniform integer in [0, n) for n < 2^32 (multiply-high on 32 bits; the bias of at most
    /// n / 2^32 is irrelevant here).
    std::uint64_t below(std::uint64_t n) { return ((next() >> 32) * (n & 0xffffffffULL)) >> 32; }
    std::int64_t between(std::int64_t lo, std::int64_t hi) // inclusive
    {
        return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo + 1)));
    }
    bool chance(double p) { return unit() < p; }
    /// Exponential with mean 1.
    double exponential() { return -std::log1p(-unit()); }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t m_s[4];
};

// Index into weighted choices, weights in per-mille summing to 1000.
template<std::size_t N> std::size_t weighted(Rng& rng, const int (&weights)[N])
{
    int r = static_cast<int>(rng.below(1000));
    for (std::size_t i = 0; i < N; ++i) {
        r -= weights[i];
        if (r < 0)
            return i;
    }
    return N - 1;
}

void hex16(char* out, std::uint64_t v)
{
    static constexpr char kHex[] = "0123456789abcdef";
    for (int i = 15; i >= 0; --i) {
        out[i] = kHex[v & 0xf];
        v >>= 4;
    }
}

constexpr const char* kPlans[] = { "free", "pro", "team", "enterprise" };
constexpr int kPlanWeights[] = { 700, 180, 90, 30 };

enum Endpoint { Chat, Generate, Search, ItemsGet, ItemsPost, Health, EndpointCount };
constexpr const char* kEndpointPaths[]
    = { "/api/chat", "/api/generate", "/api/search", "/api/items", "/api/items", "/health" };
constexpr const char* kEndpointMethods[] = { "POST", "POST", "GET", "GET", "POST", "GET" };
constexpr int kEndpointWeights[] = { 180, 100, 250, 300, 70, 100 };

constexpr const char* kUserAgents[] = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.2 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Mobile/15E148",
    "python-requests/2.31.0",
    "acme-sdk-js/3.4.1 node/20.10.0",
    "acme-sdk-python/2.8.0",
    "curl/8.5.0",
};
constexpr int kUserAgentWeights[] = { 300, 170, 90, 110, 90, 120, 90, 10 };

constexpr const char* kCountries[]
    = { "US", "DE", "GB", "FR", "IN", "BR", "JP", "CA", "NL", "AU", "ES", "PL", "CN", "RU" };
constexpr int kCountryWeights[] = { 330, 110, 90, 70, 90, 60, 50, 50, 40, 30, 30, 30, 12, 8 };

constexpr const char* kModels[] = { "gpt-4o-mini", "claude-sonnet", "gpt-4o" };
constexpr int kModelWeights[] = { 600, 250, 150 };

// Hour-of-day (UTC) shape of the traffic; divided by its mean so the option's rate is the mean.
constexpr double kDiurnal[24] = { 0.45, 0.38, 0.33, 0.30, 0.30, 0.35, 0.50, 0.75, 1.05, 1.30, 1.45,
    1.50, 1.45, 1.45, 1.50, 1.50, 1.45, 1.35, 1.20, 1.05, 0.90, 0.78, 0.65, 0.55 };

constexpr const char* kBotAgent
    = "Mozilla/5.0 (compatible; ScraperBot/2.1; +https://scraper.example/bot)";
constexpr const char* kBotNetwork = "203.0.113.";
constexpr int kBotAddresses = 16;
// The accounts of the buggy and the heavy client, and the indexes of their plans in kPlans.
constexpr const char* kBuggyUser = "user-buggy-client";
constexpr std::uint8_t kBuggyPlan = 1;
constexpr const char* kHeavyUser = "user-heavy-ai";
constexpr std::uint8_t kHeavyPlan = 3;

struct UserInfo {
    std::uint32_t id = 0;
    std::uint8_t plan = 0;
    std::uint8_t userAgent = 0;
    std::uint8_t country = 0;
    std::uint32_t homeIp = 0;
};

// What every source shares: the interned vocabulary, the populations and the plan schedules.
class World {
public:
    World(const GeneratorOptions& generatorOptions, ef::Dictionary& dictionary)
        : dict(dictionary)
        , options(generatorOptions)
    {
        for (const char* plan : kPlans)
            plans.push_back(dict.intern(ef::Field::Plan, plan));
        for (int e = 0; e < EndpointCount; ++e) {
            endpoints[e] = dict.intern(ef::Field::Endpoint, kEndpointPaths[e]);
            methods[e] = dict.intern(ef::Field::Method, kEndpointMethods[e]);
        }
        for (const char* ua : kUserAgents)
            userAgents.push_back(dict.intern(ef::Field::UserAgent, ua));
        for (const char* country : kCountries)
            countries.push_back(dict.intern(ef::Field::Country, country));
        for (const char* model : kModels)
            models.push_back(dict.intern(ef::Field::Model, model));

        Rng rng(options.seed ^ 0x5eed0f0f1d5ULL);
        const int ipCount = std::max(1, options.ips);
        ips.reserve(std::size_t(ipCount));
        forwarded.assign(std::size_t(ipCount), 0);
        char text[64];
        for (int i = 0; i < ipCount; ++i) {
            if (rng.chance(0.12)) {
                // IPv6 clients: a few hundred /64s, several addresses in some of them.
                const auto net = rng.below(400);
                std::snprintf(text, sizeof text, "2001:db8:%x:%x::%x", unsigned(0x100 + net / 16),
                    unsigned(net % 16), unsigned(rng.between(1, 0xffff)));
            } else {
                int first = 0;
                do {
                    first = int(rng.between(23, 223));
                } while (first == 100 || first == 127 || first == 169 || first == 172
                    || first == 192 || first == 198 || first == 203);
                std::snprintf(text, sizeof text, "%d.%d.%d.%d", first, int(rng.below(256)),
                    int(rng.below(256)), int(rng.between(1, 254)));
            }
            ips.push_back(dict.intern(ef::Field::Ip, text));
        }
        for (int i = 0; i < 4; ++i) {
            std::snprintf(text, sizeof text, "10.0.%d.%d", i / 2, 10 + i);
            proxies.push_back(dict.intern(ef::Field::Ip, text));
        }
        const int userCount = std::max(1, options.users);
        users.reserve(std::size_t(userCount));
        for (int i = 0; i < userCount; ++i) {
            std::snprintf(text, sizeof text, "user-%06d", i + 1);
            UserInfo user;
            user.id = dict.intern(ef::Field::User, text);
            user.plan = std::uint8_t(weighted(rng, kPlanWeights));
            user.userAgent = std::uint8_t(weighted(rng, kUserAgentWeights));
            user.country = std::uint8_t(weighted(rng, kCountryWeights));
            user.homeIp = std::uint32_t(rng.below(std::uint64_t(ipCount)));
            users.push_back(user);
        }
        double sum = 0;
        for (double f : kDiurnal)
            sum += f;
        diurnalScale = 24.0 / sum;
    }

    std::uint32_t forwardedFor(std::uint32_t ipIndex)
    {
        if (forwarded[ipIndex] == 0)
            forwarded[ipIndex]
                = dict.intern(ef::Field::ForwardedFor, dict.text(ef::Field::Ip, ips[ipIndex]));
        return forwarded[ipIndex];
    }

    std::uint32_t requestId(Rng& rng)
    {
        if (!options.requestIds)
            return 0;
        char text[20] = { 'r', 'e', 'q', '-' };
        hex16(text + 4, rng.next());
        return dict.intern(ef::Field::RequestId, std::string_view(text, 20));
    }

    std::uint32_t token(ef::Field field, const char* prefix, std::uint64_t value)
    {
        char text[32];
        const std::size_t n = std::strlen(prefix);
        std::memcpy(text, prefix, n);
        hex16(text + n, value);
        return dict.intern(field, std::string_view(text, n + 16));
    }

    std::uint8_t planAt(std::size_t user, ef::TimeMs ts) const
    {
        std::uint8_t plan = users[user].plan;
        const auto found = schedules.find(user);
        if (found == schedules.end())
            return plan;
        for (const auto& [at, p] : found->second) {
            if (at <= ts)
                plan = p;
        }
        return plan;
    }

    double diurnal(ef::TimeMs ts) const
    {
        if (!options.diurnal)
            return 1;
        const ef::TimeMs inDay = ((ts % ef::kDay) + ef::kDay) % ef::kDay;
        const double hour = double(inDay) / double(ef::kHour);
        const int h = int(hour);
        const double frac = hour - h;
        return (kDiurnal[h] * (1 - frac) + kDiurnal[(h + 1) % 24] * frac) * diurnalScale;
    }

    // Response time and tokens of a request to an endpoint.
    void fillWork(Rng& rng, ef::EncodedRequest& r, int endpoint)
    {
        switch (endpoint) {
        case Chat:
            r.model = models[weighted(rng, kModelWeights)];
            r.tokens = rng.between(200, 3000);
            r.responseMs = rng.between(800, 6000);
            break;
        case Generate:
            r.model = models[weighted(rng, kModelWeights)];
            r.tokens = rng.between(100, 1500);
            r.responseMs = rng.between(500, 3000);
            break;
        case Search:
            r.responseMs = rng.between(40, 400);
            break;
        case ItemsGet:
        case ItemsPost:
            r.responseMs = rng.between(15, 200);
            break;
        default:
            r.responseMs = rng.between(1, 5);
            break;
        }
    }

    ef::Dictionary& dict;
    const GeneratorOptions& options;
    std::vector<std::uint32_t> plans;
    std::uint32_t endpoints[EndpointCount] = {};
    std::uint32_t methods[EndpointCount] = {};
    std::vector<std::uint32_t> userAgents;
    std::vector<std::uint32_t> countries;
    std::vector<std::uint32_t> models;
    std::vector<std::uint32_t> ips;
    std::vector<std::uint32_t> forwarded;
    std::vector<std::uint32_t> proxies;
    std::vector<UserInfo> users;
    std::map<std::size_t, std::vector<std::pair<ef::TimeMs, std::uint8_t>>> schedules;
    double diurnalScale = 1;
};

class Source {
public:
    Source(World& world, std::uint64_t seed, ef::TimeMs begin, ef::TimeMs end)
        : m_world(world)
        , m_rng(seed)
        , m_begin(begin)
        , m_end(end)
        , m_clock(double(begin))
    {
    }
    virtual ~Source() = default;

    /// The next request of this source, or nothing when it is done.
    const std::optional<ef::EncodedRequest>& peek()
    {
        if (!m_primed) {
            m_pending = produce();
            m_primed = true;
        }
        return m_pending;
    }
    void pop() { m_primed = false; }

protected:
    virtual std::optional<ef::EncodedRequest> produce() = 0;

    // Poisson arrivals at `rate` per second; nullopt past the end.
    std::optional<ef::TimeMs> arrival(double ratePerSecond)
    {
        if (ratePerSecond <= 0)
            return std::nullopt;
        m_clock += m_rng.exponential() * 1000.0 / ratePerSecond;
        const auto ts = static_cast<ef::TimeMs>(m_clock);
        if (ts >= m_end)
            return std::nullopt;
        return ts;
    }

    void fillUser(ef::EncodedRequest& r, std::size_t userIndex, bool allowProxy)
    {
        const UserInfo& user = m_world.users[userIndex];
        r.user = user.id;
        r.plan = m_world.plans[m_world.planAt(userIndex, r.ts)];
        r.userAgent = m_rng.chance(0.9) ? m_world.userAgents[user.userAgent]
                                        : m_world.userAgents[weighted(m_rng, kUserAgentWeights)];
        r.country = m_world.countries[user.country];
        fillAddress(r,
            m_rng.chance(0.85) ? user.homeIp : std::uint32_t(m_rng.below(m_world.ips.size())),
            allowProxy);
    }

    void fillAddress(ef::EncodedRequest& r, std::uint32_t ipIndex, bool allowProxy)
    {
        // A quarter of the traffic arrives through the load balancers (trusted proxies).
        if (allowProxy && m_rng.chance(0.25)) {
            r.ip = m_world.proxies[m_rng.below(m_world.proxies.size())];
            r.forwardedFor = m_world.forwardedFor(ipIndex);
        } else {
            r.ip = m_world.ips[ipIndex];
        }
    }

    void setEndpoint(ef::EncodedRequest& r, int endpoint)
    {
        r.endpoint = m_world.endpoints[endpoint];
        r.method = m_world.methods[endpoint];
    }

    World& m_world;
    Rng m_rng;
    ef::TimeMs m_begin;
    ef::TimeMs m_end;
    double m_clock;

private:
    std::optional<ef::EncodedRequest> m_pending;
    bool m_primed = false;
};

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
        m_user = world.dict.intern(ef::Field::User, kBuggyUser);
        m_plan = world.plans[kBuggyPlan];
        m_ip = world.dict.intern(ef::Field::Ip, "198.51.100.23");
        m_agents[0] = world.dict.intern(ef::Field::UserAgent, "acme-sdk-js/3.4.0 node/18.19.0");
        m_agents[1] = world.dict.intern(ef::Field::UserAgent, "acme-sdk-js/3.4.1 node/20.10.0");
        m_country = world.dict.intern(ef::Field::Country, "DE");
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
        setEndpoint(r, Generate);
        r.user = m_user;
        r.plan = m_plan;
        r.ip = m_ip;
        r.country = m_country;
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
    std::uint32_t m_user = 0;
    std::uint32_t m_plan = 0;
    std::uint32_t m_ip = 0;
    std::uint32_t m_agents[2] = {};
    std::uint32_t m_country = 0;
    std::vector<std::pair<ef::TimeMs, std::uint32_t>> m_keys;
};

class CostSpikeSource final : public Source {
public:
    CostSpikeSource(World& world, std::uint64_t seed, ef::TimeMs begin, ef::TimeMs end, double rate)
        : Source(world, seed, begin, end)
        , m_rate(rate)
    {
        m_user = world.dict.intern(ef::Field::User, kHeavyUser);
        m_plan = world.plans[kHeavyPlan];
        m_ip = world.dict.intern(ef::Field::Ip, "198.51.100.77");
        m_agent = world.dict.intern(ef::Field::UserAgent, "acme-sdk-python/2.8.0");
        m_country = world.dict.intern(ef::Field::Country, "US");
        m_model = world.dict.intern(ef::Field::Model, "gpt-4o");
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
        setEndpoint(r, Chat);
        r.user = m_user;
        r.plan = m_plan;
        r.ip = m_ip;
        r.userAgent = m_agent;
        r.country = m_country;
        r.model = m_model;
        r.tokens = m_rng.between(20000, 80000);
        r.responseMs = m_rng.between(8000, 30000);
        r.idempotencyKey = m_world.token(ef::Field::IdempotencyKey, "idk-", m_rng.next());
        r.requestHash = m_world.token(ef::Field::RequestHash, "sha-", m_rng.next());
        return r;
    }

private:
    double m_rate;
    std::uint32_t m_user = 0;
    std::uint32_t m_plan = 0;
    std::uint32_t m_ip = 0;
    std::uint32_t m_agent = 0;
    std::uint32_t m_country = 0;
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

struct Defaults {
    double offsetShare; // of the trace's duration
    ef::TimeMs duration; // 0 = to the end
    double rate;
};

Defaults defaultsOf(ScenarioKind kind)
{
    switch (kind) {
    case ScenarioKind::Normal:
        return { 0, 0, 0 };
    case ScenarioKind::BotBurst:
        return { 0.3, 10 * ef::kMinute, 40 };
    case ScenarioKind::BuggyClient:
        return { 0.2, 30 * ef::kMinute, 0.5 };
    case ScenarioKind::CostSpike:
        return { 0.5, 20 * ef::kMinute, 0.5 };
    case ScenarioKind::PlanChange:
        return { 0, 0, 1 };
    }
    return { 0, 0, 0 };
}

} // namespace

QString scenarioName(ScenarioKind kind)
{
    switch (kind) {
    case ScenarioKind::Normal:
        return u"normal"_s;
    case ScenarioKind::BotBurst:
        return u"bot_burst"_s;
    case ScenarioKind::BuggyClient:
        return u"buggy_client"_s;
    case ScenarioKind::CostSpike:
        return u"cost_spike"_s;
    case ScenarioKind::PlanChange:
        return u"plan_change"_s;
    }
    return {};
}

std::optional<ScenarioKind> scenarioKindFromName(QStringView name)
{
    for (ScenarioKind kind : { ScenarioKind::Normal, ScenarioKind::BotBurst,
             ScenarioKind::BuggyClient, ScenarioKind::CostSpike, ScenarioKind::PlanChange }) {
        if (name == scenarioName(kind))
            return kind;
    }
    return std::nullopt;
}

std::optional<Scenario> parseScenario(QStringView text, QString* error)
{
    const QList<QStringView> parts = text.split(u':');
    const auto fail = [error](const QString& message) -> std::optional<Scenario> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (parts.size() > 4)
        return fail(u"'"_s + text.toString()
            + u"' has too many parts; use name[:offset[:duration[:rate]]], e.g. bot_burst:30m:10m:40"_s);
    Scenario scenario;
    const auto kind = scenarioKindFromName(parts[0]);
    if (!kind)
        return fail(u"'"_s + parts[0].toString()
            + u"' is not a scenario; use normal, bot_burst, buggy_client, cost_spike or plan_change"_s);
    scenario.kind = *kind;
    if (parts.size() > 1 && !parts[1].isEmpty()) {
        scenario.offsetMs = qc::policy::parseDuration(parts[1]);
        if (!scenario.offsetMs)
            return fail(u"scenario offset '"_s + parts[1].toString()
                + u"' is not a duration; use e.g. 90s, 5m, 2h, 1d"_s);
    }
    if (parts.size() > 2 && !parts[2].isEmpty()) {
        scenario.durationMs = qc::policy::parseDuration(parts[2]);
        if (!scenario.durationMs)
            return fail(u"scenario duration '"_s + parts[2].toString()
                + u"' is not a duration; use e.g. 90s, 5m, 2h, 1d"_s);
    }
    if (parts.size() > 3 && !parts[3].isEmpty()) {
        bool ok = false;
        scenario.rate = parts[3].toDouble(&ok);
        if (!ok || scenario.rate <= 0 || scenario.rate > 1e7)
            return fail(u"scenario rate '"_s + parts[3].toString()
                + u"' is not a positive number of requests per second"_s);
    }
    return scenario;
}

struct Generator::Impl {
    GeneratorOptions options;
    std::shared_ptr<ef::Dictionary> dictionary;
    std::unique_ptr<World> world;
    std::vector<std::unique_ptr<Source>> sources;
};

Generator::Generator(const GeneratorOptions& options, std::shared_ptr<ef::Dictionary> dictionary)
    : d(std::make_unique<Impl>())
{
    d->options = options;
    d->dictionary = dictionary ? std::move(dictionary) : std::make_shared<ef::Dictionary>();
    d->world = std::make_unique<World>(d->options, *d->dictionary);
    const ef::TimeMs traceEnd = options.startMs + std::max<ef::TimeMs>(0, options.durationMs);
    // Plan schedules must exist before any source emits a user request, so PlanChange sources
    // are built first; the merge order (by source index) follows the options' list regardless.
    std::vector<std::unique_ptr<Source>> built(std::size_t(options.scenarios.size()));
    for (int pass = 0; pass < 2; ++pass) {
        for (qsizetype i = 0; i < options.scenarios.size(); ++i) {
            const Scenario& s = options.scenarios[i];
            if ((s.kind == ScenarioKind::PlanChange) != (pass == 0))
                continue;
            const Defaults defaults = defaultsOf(s.kind);
            const ef::TimeMs begin = options.startMs
                + s.offsetMs.value_or(
                    ef::TimeMs(double(options.durationMs) * defaults.offsetShare));
            const ef::TimeMs length = s.durationMs.value_or(defaults.duration);
            const ef::TimeMs end = length > 0 ? std::min(traceEnd, begin + length) : traceEnd;
            double rate = s.rate > 0 ? s.rate : defaults.rate;
            if (s.kind == ScenarioKind::Normal && s.rate <= 0)
                rate = options.requestsPerSecond;
            // Each source draws from its own stream, so scenarios do not perturb each other.
            std::uint64_t mix = options.streamSeed.value_or(options.seed)
                + 0x632be59bd9b4e019ULL * std::uint64_t(i + 1);
            const std::uint64_t seed = splitmix64(mix);
            World& world = *d->world;
            std::unique_ptr<Source> source;
            switch (s.kind) {
            case ScenarioKind::Normal:
                source = std::make_unique<NormalSource>(world, seed, begin, end, rate);
                break;
            case ScenarioKind::BotBurst:
                source = std::make_unique<BotBurstSource>(world, seed, begin, end, rate);
                break;
            case ScenarioKind::BuggyClient:
                source = std::make_unique<BuggyClientSource>(world, seed, begin, end, rate);
                break;
            case ScenarioKind::CostSpike:
                source = std::make_unique<CostSpikeSource>(world, seed, begin, end, rate);
                break;
            case ScenarioKind::PlanChange:
                source = std::make_unique<PlanChangeSource>(world, seed, begin, end, rate);
                break;
            }
            built[std::size_t(i)] = std::move(source);
        }
    }
    d->sources = std::move(built);
}

Generator::~Generator() = default;

bool Generator::next(ef::EncodedRequest& request)
{
    Source* best = nullptr;
    ef::TimeMs bestTs = 0;
    for (const auto& source : d->sources) {
        const auto& pending = source->peek();
        if (pending && (!best || pending->ts < bestTs)) {
            best = source.get();
            bestTs = pending->ts;
        }
    }
    if (!best)
        return false;
    request = *best->peek();
    best->pop();
    return true;
}

const std::shared_ptr<ef::Dictionary>& Generator::dictionary() const
{
    return d->dictionary;
}

const GeneratorOptions& Generator::options() const
{
    return d->options;
}

std::vector<PlanChange> Generator::planChanges() const
{
    const World& world = *d->world;
    std::vector<PlanChange> out;
    for (const auto& [user, schedule] : world.schedules) {
        std::uint8_t from = world.users[user].plan;
        const std::string id(world.dict.text(ef::Field::User, world.users[user].id));
        for (const auto& [at, plan] : schedule) {
            out.push_back({ at, id, kPlans[from], kPlans[plan] });
            from = plan;
        }
    }
    std::stable_sort(out.begin(), out.end(),
        [](const PlanChange& a, const PlanChange& b) { return a.ts < b.ts; });
    return out;
}

std::vector<GeneratedUser> Generator::users() const
{
    const World& world = *d->world;
    std::vector<GeneratedUser> out;
    out.reserve(world.users.size() + 2);
    for (const UserInfo& user : world.users)
        out.push_back(
            { std::string(world.dict.text(ef::Field::User, user.id)), kPlans[user.plan] });
    out.push_back({ kBuggyUser, kPlans[kBuggyPlan] });
    out.push_back({ kHeavyUser, kPlans[kHeavyPlan] });
    return out;
}

Trace generate(const GeneratorOptions& options, std::shared_ptr<ef::Dictionary> dictionary)
{
    Generator generator(options, std::move(dictionary));
    Trace trace;
    trace.dictionary = generator.dictionary();
    double expected = options.requestsPerSecond * double(options.durationMs) / 1000.0;
    trace.requests.reserve(std::size_t(std::clamp(expected * 1.1, 0.0, 2e8)));
    ef::EncodedRequest request;
    while (generator.next(request))
        trace.requests.push_back(request);
    return trace;
}

} // namespace qc::trace
