// Task definitions: families of numbered revisions, kept as registered.
#include <set>

#include "api_support.hpp"

namespace sluice::ecs {

namespace {

// The checks RegisterTaskDefinition makes beyond the model's.
void check_definition(const Json& p) {
    const Json& containers = p["containerDefinitions"];
    if (!containers.is_array() || containers.empty()) throw error("ClientException", "Container list cannot be empty.");
    const bool fargate = [&] {
        for (const auto& c : p.value("requiresCompatibilities", Json::array()))
            if (c == "FARGATE") return true;
        return false;
    }();
    const std::string network_mode = api::str(p, "networkMode", "bridge");
    if (fargate) {
        if (network_mode != "awsvpc") throw error("ClientException", "Fargate only supports network mode 'awsvpc'.");
        if (!p.contains("cpu"))
            throw error("ClientException", "Fargate requires that 'cpu' be defined at the task level.");
        if (!p.contains("memory"))
            throw error("ClientException", "Fargate requires that 'memory' be defined at the task level.");
    }
    std::set<std::string> names;
    bool essential = false;
    for (const auto& c : containers) {
        const std::string name = api::str(c, "name");
        if (name.empty()) throw error("ClientException", "Container.name should not be null or empty.");
        if (api::str(c, "image").empty())
            throw error("ClientException", "Container.image should not be null or empty.");
        if (!names.insert(name).second)
            throw error("ClientException", "Container names must be unique within a task definition.");
        if (c.value("essential", true)) essential = true;
        if (!fargate && !p.contains("memory") && !c.contains("memory") && !c.contains("memoryReservation"))
            throw error("ClientException", "Invalid setting for container '" + name +
                                               "'. At least one of 'memory' or 'memoryReservation' must be specified.");
    }
    if (!essential) throw error("ClientException", "A task definition must have at least one essential container.");
}

bool wants_tags(const Json& params) {
    for (const auto& v : params.value("include", Json::array()))
        if (v == "TAGS") return true;
    return false;
}

}  // namespace

Json EcsService::register_task_definition(const Call& call) {
    const auto& p = call.params;
    const std::string family = api::str(p, "family");
    if (!api::valid_resource_name(family))
        throw error("ClientException",
                    "Family contains invalid characters: it may contain only letters, numbers, hyphens and "
                    "underscores, up to 255.");
    check_definition(p);
    auto tags = api::parse_tags(p.value("tags", Json::array()));
    auto& revisions = definitions_[{call.context.scope, family}];
    auto def = std::make_shared<TaskDefinition>();
    def->scope = call.context.scope;
    def->family = family;
    def->revision = static_cast<long long>(revisions.size()) + 1;
    def->arn = arn(call.context.scope, "task-definition/" + family + ":" + std::to_string(def->revision));
    def->registered = p;
    def->registered.erase("tags");
    def->registered_at = clock_.now();
    revisions.push_back(def);
    definition_tags_[def->arn] = tags;
    return {{"taskDefinition", def->describe()}, {"tags", api::tags_json(tags)}};
}

Json EcsService::deregister_task_definition(const Call& call) {
    const std::string ref = api::str(call.params, "taskDefinition");
    if (ref.find(':') == std::string::npos)
        throw error("InvalidParameterException", "Invalid revision number. Number: " + ref);
    auto found = task_definition(call.context.scope, ref);
    if (!found) throw error("ClientException", "The specified task definition does not exist.");
    auto def = std::const_pointer_cast<TaskDefinition>(found);
    if (def->status == "ACTIVE") {
        def->status = "INACTIVE";
        def->deregistered_at = clock_.now();
    }
    return {{"taskDefinition", def->describe()}};
}

Json EcsService::describe_task_definition(const Call& call) {
    auto def = task_definition(call.context.scope, api::str(call.params, "taskDefinition"));
    if (!def) throw error("ClientException", "Unable to describe task definition.");
    Json out = {{"taskDefinition", def->describe()}};
    if (wants_tags(call.params)) out["tags"] = api::tags_json(definition_tags_[def->arn]);
    return out;
}

Json EcsService::list_task_definitions(const Call& call) {
    const auto& p = call.params;
    const std::string family = api::str(p, "familyPrefix"), status = api::str(p, "status", "ACTIVE");
    std::vector<std::shared_ptr<TaskDefinition>> found;
    for (const auto& [key, revisions] : definitions_) {
        if (key.first != call.context.scope || (!family.empty() && key.second != family)) continue;
        for (const auto& d : revisions)
            if (d->status == status) found.push_back(d);
    }
    // Family by family, each by revision; DESC reverses the whole list.
    if (api::str(p, "sort", "ASC") == "DESC") std::reverse(found.begin(), found.end());
    std::vector<std::string> arns;
    for (const auto& d : found) arns.push_back(d->arn);
    return api::listing(arns, p, "taskDefinitionArns");
}

Json EcsService::list_task_definition_families(const Call& call) {
    const auto& p = call.params;
    const std::string prefix = api::str(p, "familyPrefix"), status = api::str(p, "status", "ALL");
    std::vector<std::string> families;
    for (const auto& [key, revisions] : definitions_) {
        if (key.first != call.context.scope || !key.second.starts_with(prefix)) continue;
        const bool active =
            std::any_of(revisions.begin(), revisions.end(), [](const auto& d) { return d->status == "ACTIVE"; });
        if ((status == "ACTIVE" && !active) || (status == "INACTIVE" && active)) continue;
        families.push_back(key.second);
    }
    return api::listing(families, p, "families");
}

Json EcsService::delete_task_definitions(const Call& call) {
    Json deleted = Json::array(), failures = Json::array();
    for (const auto& ref : call.params.value("taskDefinitions", Json::array())) {
        const std::string text = ref.is_string() ? ref.get<std::string>() : "";
        std::shared_ptr<const TaskDefinition> found;
        try {
            found = text.find(':') == std::string::npos ? nullptr : task_definition(call.context.scope, text);
        } catch (const protocol::AwsError&) {
        }
        if (!found) {
            failures.push_back({{"arn", text}, {"reason", "The specified task definition does not exist."}});
            continue;
        }
        if (found->status == "ACTIVE") {
            failures.push_back({{"arn", found->arn},
                                {"reason",
                                 "The specified task definition is still in ACTIVE status. Please deregister the "
                                 "target and try again."}});
            continue;
        }
        auto def = std::const_pointer_cast<TaskDefinition>(found);
        def->status = "DELETE_IN_PROGRESS";
        deleted.push_back(def->describe());
    }
    return {{"taskDefinitions", deleted}, {"failures", failures}};
}

}  // namespace sluice::ecs
