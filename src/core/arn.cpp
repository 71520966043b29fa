#include "sluice/core/arn.hpp"

namespace sluice::core {

std::string Arn::str() const {
    return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource;
}

std::optional<Arn> Arn::parse(std::string_view text) {
    // The resource part may itself hold ':' (arn:aws:states:...:execution:machine:name), so only
    // the first five separators split.
    Arn arn;
    std::string* parts[] = {nullptr, &arn.partition, &arn.service, &arn.region, &arn.account};
    std::size_t pos = 0;
    for (int i = 0; i < 5; ++i) {
        auto next = text.find(':', pos);
        if (next == std::string_view::npos) return std::nullopt;
        auto part = text.substr(pos, next - pos);
        if (i == 0 ? part != "arn" : false) return std::nullopt;
        if (parts[i]) *parts[i] = std::string(part);
        pos = next + 1;
    }
    arn.resource = std::string(text.substr(pos));
    if (arn.partition.empty() || arn.service.empty() || arn.resource.empty()) return std::nullopt;
    return arn;
}

}  // namespace sluice::core
