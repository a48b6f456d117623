#include "ipaddress.h"

#include <array>

namespace qc::enforcement {

namespace {

constexpr std::uint64_t kMappedPrefix = 0xffffULL << 32;

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Strict dotted quad: four decimal parts 0-255, no leading zeros, no sign, nothing else.
std::optional<std::uint32_t> parseV4(std::string_view text)
{
    const char* p = text.data();
    const char* const end = p + text.size();
    std::uint32_t value = 0;
    for (int part = 0; part < 4; ++part) {
        if (part > 0) {
            if (p == end || *p != '.')
                return std::nullopt;
            ++p;
        }
        if (p == end)
            return std::nullopt;
        std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(*p) - '0');
        if (v > 9)
            return std::nullopt;
        ++p;
        // A part that starts with 0 is "0": a digit after it is a leading zero, which the
        // check for '.' (or the end) rejects. Otherwise up to two more digits; a fourth digit
        // fails that check as well.
        if (v != 0) {
            for (int k = 0; k < 2 && p != end; ++k) {
                const auto digit = static_cast<std::uint32_t>(static_cast<unsigned char>(*p) - '0');
                if (digit > 9)
                    break;
                v = v * 10 + digit;
                ++p;
            }
            if (v > 255)
                return std::nullopt;
        }
        value = (value << 8) | v;
    }
    return p == end ? std::optional<std::uint32_t>(value) : std::nullopt;
}

// RFC 4291 §2.2 text forms, including "::" and an embedded dotted-quad tail.
std::optional<std::array<std::uint16_t, 8>> parseV6(std::string_view text)
{
    std::array<std::uint16_t, 8> groups {};
    int count = 0;
    int gap = -1; // group index where "::" stands
    std::size_t i = 0;
    if (text.size() < 2)
        return std::nullopt;
    if (text[0] == ':') {
        if (text[1] != ':')
            return std::nullopt;
        gap = 0;
        i = 2;
        if (i == text.size())
            return groups; // "::"
    }
    while (i < text.size()) {
        if (count == 8)
            return std::nullopt;
        // A dotted-quad tail takes the last two groups.
        std::size_t end = i;
        while (end < text.size() && text[end] != ':')
            ++end;
        const std::string_view token = text.substr(i, end - i);
        if (token.find('.') != std::string_view::npos) {
            if (end != text.size() || count > 6)
                return std::nullopt;
            const auto v4 = parseV4(token);
            if (!v4)
                return std::nullopt;
            groups[static_cast<std::size_t>(count++)] = static_cast<std::uint16_t>(*v4 >> 16);
            groups[static_cast<std::size_t>(count++)] = static_cast<std::uint16_t>(*v4 & 0xffff);
            i = end;
            break;
        }
        if (token.empty() || token.size() > 4)
            return std::nullopt;
        std::uint32_t group = 0;
        for (char c : token) {
            const int h = hexValue(c);
            if (h < 0)
                return std::nullopt;
            group = (group << 4) | static_cast<std::uint32_t>(h);
        }
        groups[static_cast<std::size_t>(count++)] = static_cast<std::uint16_t>(group);
        i = end;
        if (i == text.size())
            break;
        ++i; // the ':'
        if (i == text.size())
            return std::nullopt; // trailing single ':'
        if (text[i] == ':') {
            if (gap >= 0)
                return std::nullopt; // a second "::"
            gap = count;
            ++i;
            if (i == text.size())
                break; // trailing "::"
        }
    }
    if (gap < 0) {
        if (count != 8)
            return std::nullopt;
        return groups;
    }
    if (count > 7)
        return std::nullopt; // "::" must stand for at least one group
    std::array<std::uint16_t, 8> out {};
    const int tail = count - gap;
    for (int k = 0; k < gap; ++k)
        out[static_cast<std::size_t>(k)] = groups[static_cast<std::size_t>(k)];
    for (int k = 0; k < tail; ++k)
        out[static_cast<std::size_t>(8 - tail + k)] = groups[static_cast<std::size_t>(gap + k)];
    return out;
}

void appendDecimal(std::string& out, std::uint64_t value)
{
    char buffer[24];
    int n = 0;
    do {
        buffer[n++] = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value != 0);
    while (n > 0)
        out.push_back(buffer[--n]);
}

void appendV4(std::string& out, std::uint32_t v4)
{
    for (int shift = 24; shift >= 0; shift -= 8) {
        appendDecimal(out, (v4 >> shift) & 0xff);
        if (shift != 0)
            out.push_back('.');
    }
}

std::optional<int> parsePrefix(std::string_view text, int max)
{
    if (text.empty() || text.size() > 3 || (text.size() > 1 && text[0] == '0'))
        return std::nullopt;
    int value = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    if (value > max)
        return std::nullopt;
    return value;
}

} // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text)
{
    if (text.empty())
        return std::nullopt;
    if (text.find(':') == std::string_view::npos) {
        const auto v4 = parseV4(text);
        if (!v4)
            return std::nullopt;
        return IpAddress { 0, kMappedPrefix | *v4 };
    }
    const auto groups = parseV6(text);
    if (!groups)
        return std::nullopt;
    IpAddress address;
    for (int k = 0; k < 4; ++k) {
        address.hi = (address.hi << 16) | (*groups)[static_cast<std::size_t>(k)];
        address.lo = (address.lo << 16) | (*groups)[static_cast<std::size_t>(k + 4)];
    }
    return address;
}

std::string IpAddress::toString() const
{
    std::string out;
    if (isV4()) {
        out.reserve(15);
        appendV4(out, static_cast<std::uint32_t>(lo));
        return out;
    }
    std::array<std::uint16_t, 8> groups {};
    for (int k = 0; k < 4; ++k) {
        groups[static_cast<std::size_t>(k)] = static_cast<std::uint16_t>(hi >> (48 - 16 * k));
        groups[static_cast<std::size_t>(k + 4)] = static_cast<std::uint16_t>(lo >> (48 - 16 * k));
    }
    // RFC 5952 §4.2: compress the longest run of two or more zero groups, the first on a tie.
    int bestStart = -1;
    int bestLength = 1;
    for (int k = 0; k < 8;) {
        if (groups[static_cast<std::size_t>(k)] != 0) {
            ++k;
            continue;
        }
        int end = k;
        while (end < 8 && groups[static_cast<std::size_t>(end)] == 0)
            ++end;
        if (end - k > bestLength) {
            bestStart = k;
            bestLength = end - k;
        }
        k = end;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    out.reserve(39);
    for (int k = 0; k < 8; ++k) {
        if (k == bestStart) {
            out += "::";
            k += bestLength - 1;
            continue;
        }
        if (k != 0 && k != bestStart + bestLength)
            out.push_back(':');
        const std::uint16_t g = groups[static_cast<std::size_t>(k)];
        bool started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            const int nibble = (g >> shift) & 0xf;
            if (nibble != 0 || started || shift == 0) {
                out.push_back(kHex[nibble]);
                started = true;
            }
        }
    }
    return out;
}

IpAddress IpAddress::masked(int prefix128) const
{
    if (prefix128 <= 0)
        return {};
    if (prefix128 >= 128)
        return *this;
    if (prefix128 <= 64) {
        const std::uint64_t mask = prefix128 == 64 ? ~0ULL : ~(~0ULL >> prefix128);
        return { hi & mask, 0 };
    }
    const std::uint64_t mask = ~(~0ULL >> (prefix128 - 64));
    return { hi, lo & mask };
}

std::optional<Cidr> Cidr::parse(std::string_view text)
{
    const std::size_t slash = text.find('/');
    const auto address = IpAddress::parse(text.substr(0, slash));
    if (!address)
        return std::nullopt;
    // An IPv4 network is written with an IPv4 prefix; "::ffff:0:0/96" is IPv6 notation.
    const bool v4Text = text.substr(0, slash).find(':') == std::string_view::npos;
    int prefix = 128;
    if (slash != std::string_view::npos) {
        const auto parsed = parsePrefix(text.substr(slash + 1), v4Text ? 32 : 128);
        if (!parsed)
            return std::nullopt;
        prefix = v4Text ? *parsed + 96 : *parsed;
    }
    return Cidr { address->masked(prefix), prefix };
}

std::string Cidr::toString() const
{
    std::string out = base.toString();
    out.push_back('/');
    // A masked base keeps the ::ffff: marker only for prefixes of /96 and longer.
    if (base.isV4() && prefix128 >= 96)
        appendDecimal(out, static_cast<std::uint64_t>(prefix128 - 96));
    else
        appendDecimal(out, static_cast<std::uint64_t>(prefix128));
    return out;
}

std::string clientKey(const IpAddress& address)
{
    if (address.isV4())
        return address.toString();
    std::string key = address.masked(64).toString();
    key += "/64";
    return key;
}

} // namespace qc::enforcement
