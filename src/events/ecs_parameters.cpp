#include "sluice/events/ecs_parameters.hpp"

#include <cctype>
#include <string>

namespace sluice::events {

nlohmann::json ecs_run_task_input(const nlohmann::json& pascal) {
    if (pascal.is_array()) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& v : pascal) out.push_back(ecs_run_task_input(v));
        return out;
    }
    if (!pascal.is_object()) return pascal;
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, value] : pascal.items()) {
        // Two members are renamed, not just recased.
        std::string name = key == "TaskDefinitionArn" ? "taskDefinition" : key == "TaskCount" ? "count" : key;
        if (name == key && !name.empty())
            name[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[0])));
        out[name] = ecs_run_task_input(value);
    }
    return out;
}

}  // namespace sluice::events
