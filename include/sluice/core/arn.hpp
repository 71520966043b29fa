#pragma once
// Amazon Resource Names: arn:partition:service:region:account:resource
#include <optional>
#include <string>
#include <string_view>

namespace sluice::core {

struct Arn {
    std::string partition = "aws";
    std::string service;
    std::string region;
    std::string account;
    std::string resource;

    std::string str() const;
    static std::optional<Arn> parse(std::string_view text);
};

}  // namespace sluice::core
