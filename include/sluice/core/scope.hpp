#pragma once
// Where a request's resources live: every resource belongs to one (account, region).
#include <string>

namespace sluice::core {

inline constexpr const char* kDefaultAccount = "000000000000";
inline constexpr const char* kDefaultRegion = "us-east-1";

struct Scope {
    std::string account = kDefaultAccount;
    std::string region = kDefaultRegion;
    bool operator==(const Scope&) const = default;
    bool operator<(const Scope& o) const { return account != o.account ? account < o.account : region < o.region; }
};

}  // namespace sluice::core
