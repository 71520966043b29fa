#pragma once
// A rule target's InputTransformer: InputPathsMap names values in the event (`"state":
// "$.detail.state"`), InputTemplate places them with `<state>`; the reserved `<aws.events.*>`
// variables need no path. The template language and its quoting rule are the one Pipes uses
// (events/input_template.hpp); what differs is where placeholder names come from.
#include <map>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "sluice/events/input_template.hpp"

namespace sluice::eventbridge {

// Values of the reserved variables for one delivery.
struct ReservedVariables {
    std::string rule_arn, rule_name, ingestion_time;
};

class InputTransformer {
public:
    // Throws std::invalid_argument with the reason AWS would give for a path that is not a JSON
    // path, a variable name that is reserved, or more than 100 paths.
    static InputTransformer parse(const nlohmann::json& paths_map, const std::string& input_template);

    // The text the target receives for `event`.
    std::string render(const nlohmann::json& event, const ReservedVariables& vars) const;

private:
    std::map<std::string, std::string> paths_;
    events::TemplateText template_;
    explicit InputTransformer(std::map<std::string, std::string> paths, events::TemplateText t)
        : paths_(std::move(paths)), template_(std::move(t)) {}
};

}  // namespace sluice::eventbridge
