#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace qc::enforcement {

/// An IPv4 or IPv6 address as 128 bits; IPv4 is held IPv4-mapped (::ffff:a.b.c.d).
struct IpAddress {
    std::uint64_t hi = 0;
    std::uint64_t lo = 0;

    bool isV4() const { return hi == 0 && (lo >> 32) == 0xffffULL; }
    /// Parses the forms of docs/enforcement.md §2; nullopt when not an address.
    static std::optional<IpAddress> parse(std::string_view text);
    /// Dotted quad for IPv4, RFC 5952 canonical text for IPv6.
    std::string toString() const;
    /// Keeps the first `prefix` bits (counted on the IPv6 form; IPv4 prefixes are +96).
    IpAddress masked(int prefix128) const;

    friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

/// A CIDR network such as 10.0.0.0/8 or 2001:db8::/32.
struct Cidr {
    IpAddress base; // already masked
    int prefix128 = 0; // prefix on the 128-bit form

    static std::optional<Cidr> parse(std::string_view text);
    bool contains(const IpAddress& address) const { return address.masked(prefix128) == base; }
    std::string toString() const;
    friend bool operator==(const Cidr&, const Cidr&) = default;
};

/// The identifier of IP-scoped rules: IPv4 address, or the /64 of an IPv6 address with prefix.
std::string clientKey(const IpAddress& address);

} // namespace qc::enforcement
