// Tasks: RunTask checks the request as ECS does and hands each task to the runner;
// DescribeTasks, ListTasks and StopTask read and steer them.
#include <spdlog/spdlog.h>

#include "api_support.hpp"
#include "sluice/core/ids.hpp"

namespace sluice::ecs {

namespace {

std::string hex_id() {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 2; ++i) {
        auto v = core::random_u64();
        for (int j = 0; j < 16; ++j, v >>= 4) out += digits[v & 15];
    }
    return out;
}

const Json* find_override(const Json& overrides, const std::string& container) {
    auto list = overrides.find("containerOverrides");
    if (list == overrides.end() || !list->is_array()) return nullptr;
    for (const auto& o : *list)
        if (o.is_object() && o.value("name", "") == container) return &o;
    return nullptr;
}

std::string number_text(const Json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<long long>());
    return {};
}

bool wants_tags(const Json& params) {
    for (const auto& v : params.value("include", Json::array()))
        if (v == "TAGS") return true;
    return false;
}

}  // namespace

// Checks a RunTask request and builds its tasks without starting them.
std::vector<std::shared_ptr<Task>> EcsService::prepare_tasks(const Call& call) {
    const auto& p = call.params;
    const auto& scope = call.context.scope;
    auto cluster = cluster_named(scope, api::str(p, "cluster"));
    const std::string ref = api::str(p, "taskDefinition");
    auto def = task_definition(scope, ref);
    if (!def) throw error("ClientException", "TaskDefinition not found.");
    if (def->status != "ACTIVE") throw error("InvalidParameterException", "TaskDefinition is inactive");
    const long long count = p.value("count", 1LL);
    if (count < 1 || count > 10) throw error("InvalidParameterException", "count must be between 1 and 10.");

    std::string launch_type = api::str(p, "launchType");
    if (launch_type.empty())
        launch_type = def->fargate() && !p.contains("capacityProviderStrategy") ? "FARGATE" : "EC2";
    if (launch_type == "FARGATE" &&
        !(def->network_mode() == "awsvpc" && def->registered.contains("cpu") && def->registered.contains("memory")))
        throw error("ClientException", "Task definition does not support launch_type FARGATE.");
    const std::string network_mode = def->network_mode();
    const bool has_network = p.contains("networkConfiguration");
    Json awsvpc;
    if (network_mode == "awsvpc") {
        if (!has_network)
            throw error("InvalidParameterException",
                        "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
        awsvpc = p["networkConfiguration"].value("awsvpcConfiguration", Json::object());
        if (!awsvpc.contains("subnets") || !awsvpc["subnets"].is_array() || awsvpc["subnets"].empty())
            throw error("InvalidParameterException", "subnets can not be empty.");
    } else if (has_network) {
        throw error("InvalidParameterException",
                    "Network Configuration is not valid for the given networkMode of this task definition.");
    }

    Json overrides = p.value("overrides", Json::object());
    const Json& defs = def->registered["containerDefinitions"];
    for (const auto& o : overrides.value("containerOverrides", Json::array())) {
        const std::string name = o.value("name", "");
        const bool known =
            std::any_of(defs.begin(), defs.end(), [&](const Json& c) { return c.value("name", "") == name; });
        if (!known)
            throw error("InvalidParameterException",
                        "Override for container named " + name + " is not a container in the TaskDefinition.");
    }
    if (!overrides.contains("containerOverrides")) overrides["containerOverrides"] = Json::array();
    overrides["inferenceAcceleratorOverrides"] = Json::array();

    auto tags = api::parse_tags(p.value("tags", Json::array()));
    if (api::str(p, "propagateTags") == "TASK_DEFINITION")
        for (const auto& [k, v] : definition_tags_[def->arn]) tags.try_emplace(k, v);

    std::vector<std::shared_ptr<Task>> tasks;
    for (long long n = 0; n < count; ++n) {
        auto task = std::make_shared<Task>();
        task->scope = scope;
        task->id = hex_id();
        task->arn = arn(scope, "task/" + cluster->name + "/" + task->id);
        task->cluster_arn = cluster->arn;
        task->cluster_name = cluster->name;
        task->definition = def;
        task->launch_type = launch_type;
        task->network_mode = network_mode;
        task->group = api::str(p, "group", "family:" + def->family);
        task->started_by = api::str(p, "startedBy");
        task->overrides = overrides;
        task->tags = tags;
        task->enable_execute_command = p.value("enableExecuteCommand", false);
        task->cpu = number_text(overrides.contains("cpu") ? overrides["cpu"] : def->registered.value("cpu", Json()));
        task->memory =
            number_text(overrides.contains("memory") ? overrides["memory"] : def->registered.value("memory", Json()));
        task->created_at = clock_.now();
        // Fargate tasks start out provisioning their capacity; EC2 ones are placed at once.
        task->last_status = launch_type == "FARGATE" ? "PROVISIONING" : "PENDING";
        if (network_mode == "awsvpc") {
            Json details = Json::array({{{"name", "subnetId"}, {"value", awsvpc["subnets"][0]}},
                                        {{"name", "networkInterfaceId"}, {"value", "eni-" + task->id.substr(0, 17)}},
                                        {{"name", "privateIPv4Address"}, {"value", "127.0.0.1"}}});
            task->attachments = Json::array({{{"id", core::random_uuid_string()},
                                              {"type", "ElasticNetworkInterface"},
                                              {"status", "PRECREATED"},
                                              {"details", details}}});
        }
        for (const auto& c : defs) {
            ContainerRun run;
            run.name = c.value("name", "");
            run.image = c.value("image", "");
            run.arn = arn(scope, "container/" + cluster->name + "/" + task->id + "/" + core::random_uuid_string());
            run.essential = c.value("essential", true);
            const Json* o = find_override(overrides, run.name);
            run.cpu = number_text(o && o->contains("cpu") ? (*o)["cpu"] : c.value("cpu", Json(0)));
            run.memory = number_text(o && o->contains("memory") ? (*o)["memory"] : c.value("memory", Json()));
            run.spec = runner_->container_spec(*task, c, o ? *o : Json());
            task->containers.push_back(std::move(run));
        }
        tasks.push_back(std::move(task));
    }
    return tasks;
}

void EcsService::forget_old_tasks() {
    const auto horizon = clock_.now() - std::chrono::hours(1);
    for (auto it = tasks_.begin(); it != tasks_.end();)
        it = it->second->stopped() && it->second->stopped_at && *it->second->stopped_at < horizon ? tasks_.erase(it)
                                                                                                  : std::next(it);
}

void EcsService::run_task(const Call& call, protocol::Reply reply) {
    auto tasks = lock_.run([&] {
        forget_old_tasks();
        return prepare_tasks(call);  // throws AWS's errors for a bad request
    });
    auto commit = [self = shared_from_this(), reply, tasks] {
        Json described = Json::array();
        self->lock_.run([&] {
            for (const auto& task : tasks) {
                self->tasks_[task->arn] = task;
                described.push_back(task->describe());
                self->runner_->launch(task);
            }
        });
        reply(Json{{"tasks", described}, {"failures", Json::array()}});
    };
    auto& engine = runner_->engine();
    if (engine.status().value("state", "") == "connected") return commit();
    // No engine yet (or it went away): look again before answering, so the caller hears why.
    engine.connect([commit, reply](std::optional<EngineError> e) {
        if (e) return reply(error("ServerException", "Sluice cannot run the task: " + e->message));
        commit();
    });
}

Json EcsService::describe_tasks(const Call& call) {
    const auto& p = call.params;
    auto cluster = cluster_named(call.context.scope, api::str(p, "cluster"));
    const Json& refs = p["tasks"];
    if (refs.size() > 100) throw error("InvalidParameterException", "taskIds can have at most 100 items.");
    Json tasks = Json::array(), failures = Json::array();
    for (const auto& r : refs) {
        const std::string ref = r.is_string() ? r.get<std::string>() : "";
        auto task = task_by_ref(call.context.scope, *cluster, ref);
        if (!task) {
            failures.push_back(
                {{"arn",
                  ref.rfind("arn:", 0) == 0 ? ref : arn(call.context.scope, "task/" + cluster->name + "/" + ref)},
                 {"reason", "MISSING"}});
            continue;
        }
        Json d = task->describe();
        if (wants_tags(p)) d["tags"] = api::tags_json(task->tags);
        tasks.push_back(std::move(d));
    }
    return {{"tasks", tasks}, {"failures", failures}};
}

Json EcsService::list_tasks(const Call& call) {
    const auto& p = call.params;
    auto cluster = cluster_named(call.context.scope, api::str(p, "cluster"));
    const std::string family = api::str(p, "family"), started_by = api::str(p, "startedBy"),
                      desired = api::str(p, "desiredStatus", "RUNNING"), launch_type = api::str(p, "launchType");
    std::vector<std::shared_ptr<Task>> found;
    for (const auto& [task_arn, task] : tasks_) {
        if (task->cluster_arn != cluster->arn || task->desired_status != desired) continue;
        if (!family.empty() && task->definition->family != family) continue;
        if (!started_by.empty() && task->started_by != started_by) continue;
        if (!launch_type.empty() && task->launch_type != launch_type) continue;
        found.push_back(task);
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
        return a->created_at != b->created_at ? a->created_at < b->created_at : a->arn < b->arn;
    });
    std::vector<std::string> arns;
    for (const auto& t : found) arns.push_back(t->arn);
    return api::listing(arns, p, "taskArns");
}

Json EcsService::stop_task(const Call& call) {
    const auto& p = call.params;
    auto cluster = cluster_named(call.context.scope, api::str(p, "cluster"));
    auto task = task_by_ref(call.context.scope, *cluster, api::str(p, "task"));
    if (!task) throw error("InvalidParameterException", "The referenced task was not found.");
    if (task->desired_status == "RUNNING") {
        runner_->request_stop(*task, "UserInitiated", api::str(p, "reason", "Task stopped by user"));
        runner_->advance(task);
    }
    return {{"task", task->describe()}};
}

void EcsService::wait_task_stopped(const Call& call, protocol::Reply reply) {
    lock_.run([&] {
        auto it = tasks_.find(api::str(call.params, "task"));
        if (it == tasks_.end()) throw error("InvalidParameterException", "The referenced task was not found.");
        if (it->second->stopped())
            return lock_.defer([reply, out = Json{{"task", it->second->describe()}}] { reply(out); });
        it->second->on_stopped.push_back([reply](const Task& task) { reply(Json{{"task", task.describe()}}); });
    });
}

}  // namespace sluice::ecs
