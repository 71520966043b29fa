// Tasks: RunTask checks the request as ECS does and hands each task to the runner;
// DescribeTasks, ListTasks and StopTask read and steer them.
#include <spdlog/spdlog.h>

#include <cmath>

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

ContainerSpec EcsService::container_spec(const Task& task, const Json& def, const Json& override_) const {
    ContainerSpec spec;
    spec.name = "sluice-" + task.id.substr(0, 12) + "-" + def.value("name", "");
    spec.image = def.value("image", "");
    // The definition's environment, then the override's over it (same name: the override wins).
    std::vector<std::pair<std::string, std::string>> env;
    auto put = [&](const std::string& name, const std::string& value) {
        for (auto& e : env)
            if (e.first == name) return void(e.second = value);
        env.emplace_back(name, value);
    };
    for (const Json* source : {&def, &override_})
        if (source->is_object())
            for (const auto& e : source->value("environment", Json::array()))
                if (e.is_object()) put(e.value("name", ""), e.value("value", ""));
    // What a container needs to call back into Sluice with an unmodified AWS SDK.
    auto put_default = [&](const std::string& name, const std::string& value) {
        if (value.empty()) return;
        for (const auto& e : env)
            if (e.first == name) return;
        env.emplace_back(name, value);
    };
    put_default("AWS_ENDPOINT_URL", options_.endpoint_url);
    put_default("AWS_REGION", task.scope.region);
    // SDKs look for credentials before they call anything; Sluice takes any.
    put_default("AWS_ACCESS_KEY_ID", "test");
    put_default("AWS_SECRET_ACCESS_KEY", "test");
    put_default("AWS_DEFAULT_REGION", task.scope.region);
    for (const auto& [k, v] : env) spec.env.push_back(k + "=" + v);

    auto strings = [](const Json& list) {
        std::vector<std::string> out;
        for (const auto& s : list)
            if (s.is_string()) out.push_back(s);
        return out;
    };
    if (override_.is_object() && override_.contains("command")) spec.command = strings(override_["command"]);
    else if (def.contains("command")) spec.command = strings(def["command"]);
    if (def.contains("entryPoint")) spec.entry_point = strings(def["entryPoint"]);
    if (auto w = api::str(def, "workingDirectory"); !w.empty()) spec.working_directory = w;
    if (auto u = api::str(def, "user"); !u.empty()) spec.user = u;

    const Json labels = def.value("dockerLabels", Json::object());
    for (const auto& [k, v] : labels.items())
        if (v.is_string()) spec.labels[k] = v;
    // The labels the ECS agent puts on its containers, and Sluice's own for clean-up.
    spec.labels["com.amazonaws.ecs.cluster"] = task.cluster_arn;
    spec.labels["com.amazonaws.ecs.container-name"] = def.value("name", "");
    spec.labels["com.amazonaws.ecs.task-arn"] = task.arn;
    spec.labels["com.amazonaws.ecs.task-definition-family"] = task.definition->family;
    spec.labels["com.amazonaws.ecs.task-definition-version"] = std::to_string(task.definition->revision);
    spec.labels["sluice.task-arn"] = task.arn;
    spec.labels["sluice.instance"] = options_.instance_id;

    long long memory = 0;
    if (override_.is_object() && override_.contains("memory")) memory = override_.value("memory", 0LL);
    else memory = def.value("memory", 0LL);
    if (memory > 0) spec.memory_bytes = memory * 1024 * 1024;
    long long cpu = override_.is_object() && override_.contains("cpu") ? override_.value("cpu", 0LL) : def.value("cpu", 0LL);
    if (cpu > 0) spec.nano_cpus = cpu * 1'000'000'000LL / 1024;
    spec.network_mode = task.network_mode == "none" ? "none" : options_.network_mode;
    // The stop timeout is a duration like any other: --time-scale shortens it.
    const double stop_seconds = static_cast<double>(def.value("stopTimeout", 30LL)) * clock_.time_scale();
    spec.stop_timeout_seconds = std::max(1, static_cast<int>(std::ceil(stop_seconds)));
    return spec;
}

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
    if (launch_type.empty()) launch_type = def->fargate() && !p.contains("capacityProviderStrategy") ? "FARGATE" : "EC2";
    if (launch_type == "FARGATE" && !(def->network_mode() == "awsvpc" && def->registered.contains("cpu") && def->registered.contains("memory")))
        throw error("ClientException", "Task definition does not support launch_type FARGATE.");
    const std::string network_mode = def->network_mode();
    const bool has_network = p.contains("networkConfiguration");
    Json awsvpc;
    if (network_mode == "awsvpc") {
        if (!has_network)
            throw error("InvalidParameterException", "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
        awsvpc = p["networkConfiguration"].value("awsvpcConfiguration", Json::object());
        if (!awsvpc.contains("subnets") || !awsvpc["subnets"].is_array() || awsvpc["subnets"].empty())
            throw error("InvalidParameterException", "subnets can not be empty.");
    } else if (has_network) {
        throw error("InvalidParameterException", "Network Configuration is not valid for the given networkMode of this task definition.");
    }

    Json overrides = p.value("overrides", Json::object());
    const Json& defs = def->registered["containerDefinitions"];
    for (const auto& o : overrides.value("containerOverrides", Json::array())) {
        const std::string name = o.value("name", "");
        const bool known = std::any_of(defs.begin(), defs.end(), [&](const Json& c) { return c.value("name", "") == name; });
        if (!known)
            throw error("InvalidParameterException", "Override for container named " + name + " is not a container in the TaskDefinition.");
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
        task->memory = number_text(overrides.contains("memory") ? overrides["memory"] : def->registered.value("memory", Json()));
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
            run.spec = container_spec(*task, c, o ? *o : Json());
            task->containers.push_back(std::move(run));
        }
        tasks.push_back(std::move(task));
    }
    return tasks;
}

void EcsService::forget_old_tasks() {
    const auto horizon = clock_.now() - std::chrono::hours(1);
    for (auto it = tasks_.begin(); it != tasks_.end();)
        it = it->second->stopped() && it->second->stopped_at && *it->second->stopped_at < horizon ? tasks_.erase(it) : std::next(it);
}

void EcsService::run_task(const Call& call, protocol::Reply reply) {
    std::vector<std::shared_ptr<Task>> tasks;
    {
        std::lock_guard lock(mutex_);
        forget_old_tasks();
        tasks = prepare_tasks(call);  // throws AWS's errors for a bad request
    }
    auto commit = [self = shared_from_this(), reply, tasks] {
        Json described = Json::array();
        self->with_lock([&] {
            for (const auto& task : tasks) {
                self->tasks_[task->arn] = task;
                described.push_back(task->describe());
                self->launch(task);
            }
        });
        reply(Json{{"tasks", described}, {"failures", Json::array()}});
    };
    if (engine_->status().value("state", "") == "connected") return commit();
    // No engine yet (or it went away): look again before answering, so the caller hears why.
    engine_->connect([commit, reply](std::optional<EngineError> e) {
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
            failures.push_back({{"arn", ref.rfind("arn:", 0) == 0 ? ref : arn(call.context.scope, "task/" + cluster->name + "/" + ref)},
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
        request_stop(*task, "UserInitiated", api::str(p, "reason", "Task stopped by user"));
        advance(task);
    }
    return {{"task", task->describe()}};
}

void EcsService::wait_task_stopped(const Call& call, protocol::Reply reply) {
    std::unique_lock lock(mutex_);
    auto it = tasks_.find(api::str(call.params, "task"));
    if (it == tasks_.end()) {
        lock.unlock();
        return reply(error("InvalidParameterException", "The referenced task was not found."));
    }
    if (it->second->stopped()) {
        Json out = {{"task", it->second->describe()}};
        lock.unlock();
        return reply(std::move(out));
    }
    it->second->on_stopped.push_back([reply](const Task& task) { reply(Json{{"task", task.describe()}}); });
}

}  // namespace sluice::ecs
