// Clusters and tags. A cluster here is a namespace for tasks: there are no container instances
// or services, so their counts stay 0.
#include "api_support.hpp"

namespace sluice::ecs {

namespace {

Json describe_cluster(const Cluster& c, long long running, long long pending, bool with_tags) {
    Json out = {{"clusterArn", c.arn},
                {"clusterName", c.name},
                {"status", c.status},
                {"registeredContainerInstancesCount", 0},
                {"runningTasksCount", running},
                {"pendingTasksCount", pending},
                {"activeServicesCount", 0},
                {"statistics", Json::array()},
                {"tags", with_tags ? api::tags_json(c.tags) : Json::array()},
                {"settings", c.settings},
                {"capacityProviders", c.capacity_providers},
                {"defaultCapacityProviderStrategy", Json::array()}};
    if (!c.configuration.is_null()) out["configuration"] = c.configuration;
    return out;
}

bool wants(const Json& params, const char* what) {
    auto it = params.find("include");
    if (it == params.end() || !it->is_array()) return false;
    for (const auto& v : *it)
        if (v == what) return true;
    return false;
}

}  // namespace

Json EcsService::create_cluster(const Call& call) {
    const auto& p = call.params;
    const std::string name = api::str(p, "clusterName", "default");
    if (!api::valid_resource_name(name))
        throw error("InvalidParameterException",
                    "Cluster name must be 1-255 characters long and may contain only letters, numbers, hyphens and "
                    "underscores.");
    const auto key = std::make_pair(call.context.scope, name);
    auto& slot = clusters_[key];
    // Creating an existing cluster answers it as it is, as AWS does.
    if (!slot || slot->status != "ACTIVE") {
        slot = std::make_shared<Cluster>();
        slot->scope = call.context.scope;
        slot->name = name;
        slot->arn = arn(call.context.scope, "cluster/" + name);
        slot->tags = api::parse_tags(p.value("tags", Json::array()));
        if (auto s = p.find("settings"); s != p.end() && s->is_array()) slot->settings = *s;
        if (auto c = p.find("configuration"); c != p.end() && c->is_object()) slot->configuration = *c;
        if (auto cp = p.find("capacityProviders"); cp != p.end() && cp->is_array()) slot->capacity_providers = *cp;
    }
    return {{"cluster", describe_cluster(*slot, 0, 0, true)}};
}

Json EcsService::delete_cluster(const Call& call) {
    auto cluster = cluster_named(call.context.scope, api::str(call.params, "cluster"));
    for (const auto& [task_arn, task] : tasks_)
        if (task->cluster_arn == cluster->arn && !task->stopped())
            throw error("ClusterContainsTasksException", "The Cluster cannot be deleted while Tasks are active.");
    cluster->status = "INACTIVE";
    return {{"cluster", describe_cluster(*cluster, 0, 0, true)}};
}

Json EcsService::describe_clusters(const Call& call) {
    const auto& scope = call.context.scope;
    Json names = call.params.value("clusters", Json::array({"default"}));
    if (names.empty()) names = Json::array({"default"});
    if (names.size() > 100) throw error("InvalidParameterException", "Too many clusters. Max 100.");
    Json clusters = Json::array(), failures = Json::array();
    for (const auto& n : names) {
        const std::string ref = n.is_string() ? n.get<std::string>() : "";
        std::shared_ptr<Cluster> cluster;
        try {
            cluster = cluster_named(scope, ref);
        } catch (const protocol::AwsError&) {
            failures.push_back(
                {{"arn", ref.rfind("arn:", 0) == 0 ? ref : arn(scope, "cluster/" + ref)}, {"reason", "MISSING"}});
            continue;
        }
        long long running = 0, pending = 0;
        for (const auto& [task_arn, task] : tasks_) {
            if (task->cluster_arn != cluster->arn || task->stopped()) continue;
            (task->last_status == "RUNNING" ? running : pending)++;
        }
        clusters.push_back(describe_cluster(*cluster, running, pending, wants(call.params, "TAGS")));
    }
    return {{"clusters", clusters}, {"failures", failures}};
}

Json EcsService::list_clusters(const Call& call) {
    ensure_default_cluster(call.context.scope);
    std::vector<std::string> arns;
    for (const auto& [key, cluster] : clusters_)
        if (key.first == call.context.scope && cluster->status == "ACTIVE") arns.push_back(cluster->arn);
    return api::listing(arns, call.params, "clusterArns");
}

// ---- tags: clusters, task definitions and tasks

namespace {

std::map<std::string, std::string>* tags_of(
    const std::string& resource_arn, std::map<std::pair<core::Scope, std::string>, std::shared_ptr<Cluster>>& clusters,
    std::unordered_map<std::string, std::shared_ptr<Task>>& tasks,
    std::map<std::string, std::map<std::string, std::string>>& definition_tags) {
    if (resource_arn.find(":cluster/") != std::string::npos) {
        for (auto& [key, c] : clusters)
            if (c->arn == resource_arn && c->status == "ACTIVE") return &c->tags;
        throw error("ClusterNotFoundException", "Cluster not found.");
    }
    if (resource_arn.find(":task/") != std::string::npos) {
        auto it = tasks.find(resource_arn);
        if (it == tasks.end()) throw error("InvalidParameterException", "The specified task is not found.");
        return &it->second->tags;
    }
    if (resource_arn.find(":task-definition/") != std::string::npos) {
        auto it = definition_tags.find(resource_arn);
        if (it == definition_tags.end()) throw error("ClientException", "Unable to describe task definition.");
        return &it->second;
    }
    throw error("InvalidParameterException", "The ARN provided is invalid.");
}

}  // namespace

Json EcsService::tag_resource(const Call& call) {
    ensure_default_cluster(call.context.scope);
    auto* tags = tags_of(api::str(call.params, "resourceArn"), clusters_, tasks_, definition_tags_);
    auto added = api::parse_tags(call.params.value("tags", Json::array()));
    auto merged = *tags;
    for (auto& [k, v] : added) merged[k] = v;
    if (merged.size() > 50) throw error("InvalidParameterException", "Number of tags exceeds the limit of 50.");
    *tags = std::move(merged);
    return Json::object();
}

Json EcsService::untag_resource(const Call& call) {
    ensure_default_cluster(call.context.scope);
    auto* tags = tags_of(api::str(call.params, "resourceArn"), clusters_, tasks_, definition_tags_);
    for (const auto& k : call.params.value("tagKeys", Json::array()))
        if (k.is_string()) tags->erase(k.get<std::string>());
    return Json::object();
}

Json EcsService::list_tags_for_resource(const Call& call) {
    ensure_default_cluster(call.context.scope);
    auto* tags = tags_of(api::str(call.params, "resourceArn"), clusters_, tasks_, definition_tags_);
    return {{"tags", api::tags_json(*tags)}};
}

}  // namespace sluice::ecs
