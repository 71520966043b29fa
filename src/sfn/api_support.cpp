#include "api_support.hpp"

#include "sluice/core/encoding.hpp"

namespace sluice::sfn::api {

std::optional<StatesArn> StatesArn::parse(std::string_view text) {
    std::vector<std::string> parts;
    std::size_t pos = 0;
    while (true) {
        auto next = text.find(':', pos);
        parts.emplace_back(text.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos));
        if (next == std::string_view::npos) break;
        pos = next + 1;
    }
    if (parts.size() < 7 || parts.size() > 9 || parts[0] != "arn" || parts[2] != "states" || parts[1].empty())
        return std::nullopt;
    StatesArn arn{parts[1], parts[3], parts[4], parts[5], parts[6], ""};
    if (arn.type.empty() || arn.name.empty()) return std::nullopt;
    if (parts.size() >= 8) arn.qualifier = parts[7];
    if (parts.size() == 9) {
        if (arn.type != "express") return std::nullopt;
        arn.qualifier += ":" + parts[8];
    }
    if (parts.size() >= 8 && arn.qualifier.empty()) return std::nullopt;
    return arn;
}

protocol::AwsError invalid_arn(const std::string& text) {
    auto arn = StatesArn::parse(text);
    if (!arn) return error("InvalidArn", "Invalid Arn: 'Invalid ARN prefix: " + text + "'");
    std::string type = arn->type;
    if (type == "stateMachine" && !arn->qualifier.empty())
        type = is_version_number(arn->qualifier) ? "stateMachineVersion" : "stateMachineAlias";
    return error("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: " + type + "'");
}

bool is_version_number(const std::string& s) {
    if (s.empty() || s.size() > 18) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

bool valid_name(const std::string& name) {
    if (name.empty() || core::utf8_length(name) > 80) return false;
    for (unsigned char c : name) {
        if (c < 0x20 || c == 0x7F) return false;
        if (std::string_view(" <>{}[]?*\"#%\\^|~`$&,;:/").find(static_cast<char>(c)) != std::string_view::npos)
            return false;
    }
    return true;
}

std::string str(const Json& params, const char* name, const std::string& fallback) {
    auto it = params.find(name);
    if (it == params.end() || !it->is_string()) return fallback;
    return it->get<std::string>();
}

Page page(std::size_t count, const Json& params) {
    std::size_t max = 100;
    if (auto it = params.find("maxResults"); it != params.end() && it->is_number_integer() && it->get<long long>() > 0)
        max = static_cast<std::size_t>(std::min<long long>(it->get<long long>(), 1000));
    auto page = protocol::page_of(count, str(params, "nextToken"), max);
    if (!page) throw error("InvalidToken", "Invalid Token: 'Invalid token'");
    return *page;
}

Json history_event_json(const HistoryEvent& e, bool with_data) {
    Json event = {{"timestamp", core::epoch_seconds_fraction(e.timestamp)},
                  {"type", e.type},
                  {"id", e.id},
                  {"previousEventId", e.previous_id}};
    if (e.detail_key) {
        Json details = Json::parse(e.details);
        if (!with_data)
            for (const char* field : {"input", "output", "parameters", "inputDetails", "outputDetails"})
                details.erase(field);
        event[e.detail_key] = std::move(details);
    }
    return event;
}

}  // namespace sluice::sfn::api
