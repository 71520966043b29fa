#include "sluice/ecs/ecs_service.hpp"

#include <spdlog/spdlog.h>

#include "api_support.hpp"
#include "sluice/protocol/internal_operations.hpp"

std::string_view sluice_model_ecs();  // generated from models/ecs.json

namespace sluice::ecs {

const protocol::Model& model() {
    static const auto parsed = protocol::Model::parse(sluice_model_ecs());
    return *parsed;
}

protocol::AwsError error(const std::string& code, const std::string& message) {
    return model().error(code, message);
}

EcsService::EcsService(std::shared_ptr<ContainerEngine> engine, const core::Clock& clock, RunnerOptions options)
    : clock_(clock), runner_(std::make_shared<ContainerRunner>(lock_, clock, std::move(engine), std::move(options))) {}

EcsService::~EcsService() = default;

void EcsService::set_endpoint_url(std::string url) {
    lock_.run([&] { runner_->set_endpoint_url(std::move(url)); });
}

const protocol::Model& EcsService::model() const {
    return ecs::model();
}

// The ECS operations Sluice runs, and the internal one Step Functions' `.sync` waits with.
const protocol::OperationTable<EcsService>& EcsService::operations() {
    static const protocol::OperationTable<EcsService> table = {
        {"CreateCluster", &EcsService::create_cluster},
        {"DeleteCluster", &EcsService::delete_cluster},
        {"DeleteTaskDefinitions", &EcsService::delete_task_definitions},
        {"DeregisterTaskDefinition", &EcsService::deregister_task_definition},
        {"DescribeClusters", &EcsService::describe_clusters},
        {"DescribeTaskDefinition", &EcsService::describe_task_definition},
        {"DescribeTasks", &EcsService::describe_tasks},
        {"ListClusters", &EcsService::list_clusters},
        {"ListTagsForResource", &EcsService::list_tags_for_resource},
        {"ListTaskDefinitionFamilies", &EcsService::list_task_definition_families},
        {"ListTaskDefinitions", &EcsService::list_task_definitions},
        {"ListTasks", &EcsService::list_tasks},
        {"RegisterTaskDefinition", &EcsService::register_task_definition},
        {"RunTask", &EcsService::run_task},
        {"StopTask", &EcsService::stop_task},
        {"TagResource", &EcsService::tag_resource},
        {"UntagResource", &EcsService::untag_resource},
        {protocol::internal::kWaitTaskStopped, &EcsService::wait_task_stopped},
    };
    return table;
}

// The rest of ECS's API (services, container instances, capacity providers...) is in the
// model but not run: UnsupportedFeatureException, ECS's own word for it.
const protocol::InvokeRules& EcsService::invoke_rules() {
    static const protocol::InvokeRules rules = {
        .type_error =
            [](const std::string& what) {
                // A member of the wrong type that the codec let through (an explicit null).
                return error("InvalidParameterException", "Invalid parameter: " + what);
            },
        .not_implemented =
            [](const std::string& operation) {
                return error("UnsupportedFeatureException",
                             "Sluice does not implement the ECS operation " + operation + ".");
            },
    };
    return rules;
}

std::string EcsService::arn(const core::Scope& scope, const std::string& resource) const {
    return "arn:aws:ecs:" + scope.region + ":" + scope.account + ":" + resource;
}

void EcsService::ensure_default_cluster(const core::Scope& scope) {
    auto& slot = clusters_[{scope, "default"}];
    if (slot) return;
    slot = std::make_shared<Cluster>();
    slot->scope = scope;
    slot->name = "default";
    slot->arn = arn(scope, "cluster/default");
}

std::shared_ptr<Cluster> EcsService::cluster_named(const core::Scope& scope, const std::string& name_or_arn) {
    ensure_default_cluster(scope);
    std::string name = name_or_arn.empty() ? "default" : name_or_arn;
    if (name.rfind("arn:", 0) == 0) {
        auto slash = name.find(":cluster/");
        if (slash == std::string::npos)
            throw error("InvalidParameterException", "Invalid identifier: Unexpected number of separators");
        name = name.substr(slash + 9);
    }
    auto key = std::make_pair(scope, name);
    if (auto it = clusters_.find(key); it != clusters_.end() && it->second->status == "ACTIVE") return it->second;
    throw error("ClusterNotFoundException", "Cluster not found.");
}

std::shared_ptr<const TaskDefinition> EcsService::task_definition(const core::Scope& scope,
                                                                  const std::string& ref) const {
    std::string family_rev = ref;
    if (ref.rfind("arn:", 0) == 0) {
        auto at = ref.find(":task-definition/");
        if (at == std::string::npos) throw error("ClientException", "Invalid revision number. Number: " + ref);
        family_rev = ref.substr(at + 17);
    }
    auto colon = family_rev.rfind(':');
    const std::string family = colon == std::string::npos ? family_rev : family_rev.substr(0, colon);
    auto it = definitions_.find({scope, family});
    if (colon == std::string::npos) {
        // A bare family: its latest ACTIVE revision.
        if (it != definitions_.end())
            for (auto r = it->second.rbegin(); r != it->second.rend(); ++r)
                if ((*r)->status == "ACTIVE") return *r;
        return nullptr;
    }
    const std::string number = family_rev.substr(colon + 1);
    if (number.empty() || number.size() > 9 || number.find_first_not_of("0123456789") != std::string::npos)
        throw error("ClientException", "Invalid revision number. Number: " + number);
    const long long revision = std::stoll(number);
    if (it == definitions_.end() || revision < 1 || revision > static_cast<long long>(it->second.size()))
        return nullptr;
    const auto& def = it->second[static_cast<std::size_t>(revision - 1)];
    return def->status == "DELETE_IN_PROGRESS" ? nullptr : def;
}

std::shared_ptr<Task> EcsService::task_by_ref(const core::Scope& scope, const Cluster& cluster,
                                              const std::string& ref) const {
    std::string id = ref;
    if (ref.rfind("arn:", 0) == 0) {
        auto slash = ref.rfind('/');
        id = slash == std::string::npos ? ref : ref.substr(slash + 1);
    }
    auto it = tasks_.find(arn(scope, "task/" + cluster.name + "/" + id));
    return it == tasks_.end() ? nullptr : it->second;
}

Json EcsService::introspect() const {
    return lock_.run([&] {
        // Each task as DescribeTasks shows it, plus where it runs and its id (for its logs).
        Json tasks = Json::array();
        for (const auto& [task_arn, task] : tasks_) {
            Json j = task->describe();
            j["id"] = task->id;
            tasks.push_back(std::move(j));
        }
        Json clusters = Json::array();
        for (const auto& [key, c] : clusters_)
            clusters.push_back({{"clusterName", c->name},
                                {"clusterArn", c->arn},
                                {"status", c->status},
                                {"account", key.first.account},
                                {"region", key.first.region}});
        return Json{{"engine", runner_->engine().status()},
                    {"clusters", clusters_.size()},
                    {"clusterList", std::move(clusters)},
                    {"tasks", tasks}};
    });
}

std::optional<Json> EcsService::introspect_path(std::string_view path) const {
    // tasks/<id>/logs: the output of every container of the task, in definition order.
    const std::string_view prefix = "tasks/", suffix = "/logs";
    if (!path.starts_with(prefix) || !path.ends_with(suffix) || path.size() <= prefix.size() + suffix.size())
        return std::nullopt;
    const std::string id(path.substr(prefix.size(), path.size() - prefix.size() - suffix.size()));
    return lock_.run([&]() -> std::optional<Json> {
        for (const auto& [task_arn, task] : tasks_) {
            if (task->id != id) continue;
            std::string text;
            for (const auto& c : task->containers) {
                if (task->containers.size() > 1) text += "==> " + c.name + " <==\n";
                text += c.logs;
                if (!c.logs.empty() && c.logs.back() != '\n') text += '\n';
            }
            return Json(text);
        }
        return std::nullopt;
    });
}

Json EcsService::health() const {
    return {{"engine", runner_->engine().status()}};
}

void EcsService::shutdown() {
    lock_.run([&] {
        runner_->stop_starting();
        // Nothing waits on a task any more: the `.sync` waiters are told the daemon is going.
        for (auto& [task_arn, task] : tasks_) task->on_stopped.clear();
    });
}

void EcsService::reset() {
    lock_.run([&] {
        // Running tasks stop as StopTask stops them, and their containers are removed when they
        // exit; the runner keeps them until then, the API forgets them now.
        for (auto& [task_arn, task] : tasks_) {
            if (task->stopped()) continue;
            runner_->request_stop(*task, "UserInitiated", "Sluice was reset");
            runner_->advance(task);
        }
        tasks_.clear();
        clusters_.clear();
        definitions_.clear();
        definition_tags_.clear();
    });
}

void EcsService::remove_all_containers(std::function<void()> done) {
    lock_.run([&] {
        std::vector<std::shared_ptr<Task>> tasks;
        for (auto& [task_arn, task] : tasks_) tasks.push_back(task);
        runner_->remove_all(tasks, std::move(done));
    });
}

}  // namespace sluice::ecs
