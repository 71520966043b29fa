#include "api_support.hpp"

#include "sluice/core/encoding.hpp"
#include "sluice/protocol/paging.hpp"

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

bool valid_resource_name(const std::string& name) {
    if (name.empty() || name.size() > 255) return false;
    for (char ch : name)
        if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '_') return false;
    return true;
}

Json listing(const std::vector<std::string>& items, const Json& params, const char* key) {
    const std::size_t count = items.size();
    std::size_t max = 100;
    if (auto it = params.find("maxResults"); it != params.end() && it->is_number_integer()) {
        const long long m = it->get<long long>();
        if (m < 1 || m > 100) throw error("InvalidParameterException", "maxResults must be between 1 and 100.");
        max = static_cast<std::size_t>(m);
    }
    auto page = protocol::page_of(count, str(params, "nextToken"), max);
    if (!page) throw error("InvalidParameterException", "Invalid token");
    Json out = {{key, std::vector<std::string>(items.begin() + static_cast<long>(page->begin),
                                               items.begin() + static_cast<long>(page->end))}};
    if (page->next_token) out["nextToken"] = *page->next_token;
    return out;
}

}  // namespace sluice::ecs::api
