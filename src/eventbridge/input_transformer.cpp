#include "sluice/eventbridge/input_transformer.hpp"

#include <cctype>

namespace sluice::eventbridge {

namespace {

bool reserved(std::string_view name) {
    return name == "aws.events.rule-arn" || name == "aws.events.rule-name" ||
           name == "aws.events.event.ingestion-time" || name == "aws.events.event" || name == "aws.events.event.json";
}

}  // namespace

InputTransformer InputTransformer::parse(const nlohmann::json& paths_map, const std::string& input_template) {
    std::map<std::string, std::string> paths;
    if (paths_map.is_object()) {
        // InputPathsMap holds at most 100 paths (API_InputTransformer).
        if (paths_map.size() > 100)
            throw std::invalid_argument("InputPathsMap has " + std::to_string(paths_map.size()) +
                                        " entries; at most 100 are allowed.");
        for (const auto& [name, path] : paths_map.items()) {
            // Names of the `aws.` family belong to EventBridge's reserved variables (eb-transform-target-input).
            std::string lower;
            for (char c : name.substr(0, 4)) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (lower == "aws.")
                throw std::invalid_argument("InputPathsMap key " + name +
                                            " is reserved: names may not start with AWS.");
            if (!path.is_string() || !events::is_json_path(path.get<std::string>()))
                throw std::invalid_argument("InputPathsMap value for " + name + " is not a valid JSON path.");
            paths.emplace(name, path.get<std::string>());
        }
    }
    auto text = events::TemplateText::parse(
        input_template, [&](std::string_view inner) { return paths.count(std::string(inner)) > 0 || reserved(inner); });
    return InputTransformer(std::move(paths), std::move(text));
}

std::string InputTransformer::render(const nlohmann::json& event, const ReservedVariables& vars) const {
    return template_.render([&](const std::string& name) -> std::optional<nlohmann::json> {
        if (auto it = paths_.find(name); it != paths_.end()) return events::resolve_path(event, it->second, false);
        if (name == "aws.events.rule-arn") return nlohmann::json(vars.rule_arn);
        if (name == "aws.events.rule-name") return nlohmann::json(vars.rule_name);
        if (name == "aws.events.event.ingestion-time") return nlohmann::json(vars.ingestion_time);
        return event;  // aws.events.event, aws.events.event.json
    });
}

}  // namespace sluice::eventbridge
