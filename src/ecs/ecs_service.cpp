#include "sluice/ecs/ecs_service.hpp"

#include <spdlog/spdlog.h>

#include "api_support.hpp"

std::string_view sluice_model_ecs();  // generated from models/ecs.json

namespace sluice::ecs {

const protocol::Model& model() {
    static const auto parsed = protocol::Model::parse(sluice_model_ecs());
    return *parsed;
}

protocol::AwsError error(const std::string& code, const std::string& message) { return model().error(code, message); }

EcsService::EcsService(std::shared_ptr<ContainerEngine> engine, const core::Clock& clock, RunnerOptions options)
    : engine_(std::move(engine)), clock_(clock), options_(std::move(options)) {}

EcsService::~EcsService() = default;

void EcsService::set_endpoint_url(std::string url) {
    std::lock_guard lock(mutex_);
    options_.endpoint_url = std::move(url);
}

const protocol::Model& EcsService::model() const { return ecs::model(); }

const std::map<std::string, EcsService::Handler, std::less<>>& EcsService::handlers() {
    static const std::map<std::string, Handler, std::less<>> table = {
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
        {"StopTask", &EcsService::stop_task},
        {"TagResource", &EcsService::tag_resource},
        {"UntagResource", &EcsService::untag_resource},
    };
    return table;
}

void EcsService::invoke(Call call, protocol::Reply reply) {
    try {
        if (const auto* op = ecs::model().operation(call.operation); op && op->input)
            api::check_constraints(call.params, *op->input);
        {
            std::lock_guard lock(mutex_);
            ensure_default_cluster(call.context.scope);
        }
        if (call.operation == "RunTask") return run_task(call, reply);  // a copy: it may throw before answering
        if (call.operation == kWaitTaskStopped) return wait_task_stopped(call, reply);
    } catch (const protocol::AwsError& e) {
        return reply(e);
    } catch (const nlohmann::json::exception& e) {
        return reply(error("InvalidParameterException", std::string("Invalid parameter: ") + e.what()));
    }
    auto it = handlers().find(call.operation);
    if (it == handlers().end()) {
        if (ecs::model().operation(call.operation))
            return reply(error("UnsupportedFeatureException", "Sluice does not implement the ECS operation " + call.operation + "."));
        return reply(protocol::common_errors::unknown_operation(call.operation));
    }
    Json result;
    try {
        with_lock([&] { result = (this->*(it->second))(call); });
    } catch (const protocol::AwsError& e) {
        return reply(e);
    } catch (const nlohmann::json::exception& e) {
        // A member of the wrong type that the codec let through (an explicit null).
        return reply(error("InvalidParameterException", std::string("Invalid parameter: ") + e.what()));
    }
    reply(std::move(result));
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
    std::string name = name_or_arn.empty() ? "default" : name_or_arn;
    if (name.rfind("arn:", 0) == 0) {
        auto slash = name.find(":cluster/");
        if (slash == std::string::npos) throw error("InvalidParameterException", "Invalid identifier: Unexpected number of separators");
        name = name.substr(slash + 9);
    }
    auto key = std::make_pair(scope, name);
    if (auto it = clusters_.find(key); it != clusters_.end() && it->second->status == "ACTIVE") return it->second;
    throw error("ClusterNotFoundException", "Cluster not found.");
}

std::shared_ptr<const TaskDefinition> EcsService::task_definition(const core::Scope& scope, const std::string& ref) const {
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
    if (it == definitions_.end() || revision < 1 || revision > static_cast<long long>(it->second.size())) return nullptr;
    const auto& def = it->second[static_cast<std::size_t>(revision - 1)];
    return def->status == "DELETE_IN_PROGRESS" ? nullptr : def;
}

std::shared_ptr<Task> EcsService::task_by_ref(const core::Scope& scope, const Cluster& cluster, const std::string& ref) const {
    std::string id = ref;
    if (ref.rfind("arn:", 0) == 0) {
        auto slash = ref.rfind('/');
        id = slash == std::string::npos ? ref : ref.substr(slash + 1);
    }
    auto it = tasks_.find(arn(scope, "task/" + cluster.name + "/" + id));
    return it == tasks_.end() ? nullptr : it->second;
}

Json EcsService::introspect() const {
    std::lock_guard lock(mutex_);
    Json tasks = Json::array();
    for (const auto& [task_arn, task] : tasks_)
        tasks.push_back({{"taskArn", task_arn}, {"lastStatus", task->last_status}, {"desiredStatus", task->desired_status}});
    return {{"engine", engine_->status()}, {"clusters", clusters_.size()}, {"tasks", tasks}};
}

std::optional<Json> EcsService::introspect_path(std::string_view path) const {
    // tasks/<id>/logs: the output of every container of the task, in definition order.
    const std::string_view prefix = "tasks/", suffix = "/logs";
    if (!path.starts_with(prefix) || !path.ends_with(suffix) || path.size() <= prefix.size() + suffix.size())
        return std::nullopt;
    const std::string id(path.substr(prefix.size(), path.size() - prefix.size() - suffix.size()));
    std::lock_guard lock(mutex_);
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
}

Json EcsService::health() const { return {{"engine", engine_->status()}}; }

void EcsService::shutdown() {
    std::lock_guard lock(mutex_);
    shutting_down_ = true;
    // Nothing waits on a task any more: the `.sync` waiters are told the daemon is going.
    for (auto& [task_arn, task] : tasks_) task->on_stopped.clear();
}

void EcsService::remove_all_containers(std::function<void()> done) {
    with_lock([&] {
        shutting_down_ = true;
        shutdown_done_ = std::move(done);
        // One step per container to remove, one per create still on its way (its container is
        // removed when it answers), and this one.
        shutdown_pending_ = 1 + creates_in_flight_;
        std::size_t removing = 0;
        for (auto& [task_arn, task] : tasks_)
            for (auto& c : task->containers) {
                // Finished containers kept on purpose (--ecs-keep-containers) stay; the rest go.
                if (c.runtime_id.empty() || c.removed || (options_.keep_containers && c.stage == ContainerStage::Exited)) continue;
                c.removed = true;
                ++shutdown_pending_;
                ++removing;
                std::weak_ptr<EcsService> weak = shared_from_this();
                engine_->remove(c.runtime_id, [weak](std::optional<EngineError>) {
                    if (auto self = weak.lock()) self->with_lock([&] { self->shutdown_step_done(); });
                });
            }
        if (removing || creates_in_flight_)
            spdlog::info("ecs: removing {} container(s) this daemon started ({} still being created)", removing, creates_in_flight_);
        shutdown_step_done();
    });
}

void EcsService::shutdown_step_done() {
    if (shutdown_pending_ == 0 || --shutdown_pending_ > 0 || !shutdown_done_) return;
    deferred_.push_back(std::exchange(shutdown_done_, nullptr));
}

}  // namespace sluice::ecs
