#include "api_support.hpp"

#include "sluice/core/encoding.hpp"

namespace sluice::ecs::api {

std::string str(const Json& params, const char* name, const std::string& fallback) {
    auto it = params.find(name);
    return it != params.end() && it->is_string() ? it->get<std::string>() : fallback;
}

std::map<std::string, std::string> parse_tags(const Json& tags) {
    std::map<std::string, std::string> out;
    if (!tags.is_array()) return out;
    for (const auto& t : tags) {
        const std::string key = str(t, "key");
        if (key.empty()) throw error("InvalidParameterException", "Tag key must not be empty.");
        if (key.rfind("aws:", 0) == 0)
            throw error("InvalidParameterException", "Tag keys beginning with 'aws:' are reserved for AWS use.");
        out[key] = str(t, "value");
    }
    if (out.size() > 50) throw error("InvalidParameterException", "Number of tags exceeds the limit of 50.");
    return out;
}

Json tags_json(const std::map<std::string, std::string>& tags) {
    Json out = Json::array();
    for (const auto& [k, v] : tags) out.push_back({{"key", k}, {"value", v}});
    return out;
}

Page page(std::size_t count, const Json& params, std::size_t default_max) {
    std::size_t max = default_max;
    if (auto it = params.find("maxResults"); it != params.end() && it->is_number_integer()) {
        const long long m = it->get<long long>();
        if (m < 1 || m > 100) throw error("InvalidParameterException", "maxResults must be between 1 and 100.");
        max = static_cast<std::size_t>(m);
    }
    Page out;
    if (auto token = str(params, "nextToken"); !token.empty()) {
        auto decoded = core::base64_decode(token);
        std::size_t offset = 0;
        bool ok = decoded && decoded->starts_with("sluice-page:");
        if (ok) {
            try {
                offset = std::stoul(decoded->substr(12));
            } catch (const std::exception&) {
                ok = false;
            }
        }
        if (!ok || offset > count) throw error("InvalidParameterException", "Invalid token");
        out.begin = offset;
    }
    out.end = std::min(count, out.begin + max);
    if (out.end < count) out.next_token = core::base64_encode("sluice-page:" + std::to_string(out.end));
    return out;
}

}  // namespace sluice::ecs::api
