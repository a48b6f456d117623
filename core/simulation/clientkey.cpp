#include "clientkey.h"

#include "enforcement/clientaddress.h"

namespace qc::simulation {

std::string clientKeyOf(
    std::string_view ip, std::string_view forwardedFor, const enforcement::Policy& policy)
{
    const auto address = enforcement::clientAddressOf(policy, ip, forwardedFor);
    return address ? enforcement::clientKey(*address) : std::string();
}

} // namespace qc::simulation
