#pragma once

// What the traffic generator (generator.cpp) and its scenario sources (scenariosources.cpp)
// share: the random number generator, the weighted tables of the population, the population
// itself (World) and the interface of a scenario's source of requests.

#include "generator.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace qc::trace::detail {

namespace ef = qc::enforcement;

inline std::uint64_t splitmix64(std::uint64_t& state)
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

inline void hex16(char* out, std::uint64_t v)
{
    static constexpr char kHex[] = "0123456789abcdef";
    for (int i = 15; i >= 0; --i) {
        out[i] = kHex[v & 0xf];
        v >>= 4;
    }
}

inline constexpr const char* kPlans[] = { "free", "pro", "team", "enterprise" };
inline constexpr int kPlanWeights[] = { 700, 180, 90, 30 };

enum Endpoint { Chat, Generate, Search, ItemsGet, ItemsPost, Health, EndpointCount };
inline constexpr const char* kEndpointPaths[]
    = { "/api/chat", "/api/generate", "/api/search", "/api/items", "/api/items", "/health" };
inline constexpr const char* kEndpointMethods[] = { "POST", "POST", "GET", "GET", "POST", "GET" };
inline constexpr int kEndpointWeights[] = { 180, 100, 250, 300, 70, 100 };

inline constexpr const char* kUserAgents[] = {
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
inline constexpr int kUserAgentWeights[] = { 300, 170, 90, 110, 90, 120, 90, 10 };

inline constexpr const char* kCountries[]
    = { "US", "DE", "GB", "FR", "IN", "BR", "JP", "CA", "NL", "AU", "ES", "PL", "CN", "RU" };
inline constexpr int kCountryWeights[]
    = { 330, 110, 90, 70, 90, 60, 50, 50, 40, 30, 30, 30, 12, 8 };

inline constexpr const char* kModels[] = { "gpt-4o-mini", "claude-sonnet", "gpt-4o" };
inline constexpr int kModelWeights[] = { 600, 250, 150 };

// Hour-of-day (UTC) shape of the traffic; divided by its mean so the option's rate is the mean.
inline constexpr double kDiurnal[24] = { 0.45, 0.38, 0.33, 0.30, 0.30, 0.35, 0.50, 0.75, 1.05, 1.30,
    1.45, 1.50, 1.45, 1.45, 1.50, 1.50, 1.45, 1.35, 1.20, 1.05, 0.90, 0.78, 0.65, 0.55 };

inline constexpr const char* kBotAgent
    = "Mozilla/5.0 (compatible; ScraperBot/2.1; +https://scraper.example/bot)";
inline constexpr const char* kBotNetwork = "203.0.113.";
inline constexpr int kBotAddresses = 16;
// The accounts of the buggy and the heavy client, and the indexes of their plans in kPlans.
inline constexpr const char* kBuggyUser = "user-buggy-client";
inline constexpr std::uint8_t kBuggyPlan = 1;
inline constexpr const char* kHeavyUser = "user-heavy-ai";
inline constexpr std::uint8_t kHeavyPlan = 3;

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

    /// One fixed client of a scenario (its own account, address and country).
    struct Client {
        std::uint32_t user = 0;
        std::uint32_t plan = 0;
        std::uint32_t ip = 0;
        std::uint32_t country = 0;
    };
    /// A request of `client` at `ts` to `endpoint`, with a new request id.
    ef::EncodedRequest clientRequest(ef::TimeMs ts, int endpoint, const Client& client)
    {
        ef::EncodedRequest r;
        r.ts = ts;
        r.requestId = m_world.requestId(m_rng);
        setEndpoint(r, endpoint);
        r.user = client.user;
        r.plan = client.plan;
        r.ip = client.ip;
        r.country = client.country;
        return r;
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

/// The source of requests of one scenario of `kind`, drawing from its own stream `seed`, for
/// [begin, end) at `rate` requests per second.
std::unique_ptr<Source> makeScenarioSource(ScenarioKind kind, World& world, std::uint64_t seed,
    ef::TimeMs begin, ef::TimeMs end, double rate);

} // namespace qc::trace::detail
