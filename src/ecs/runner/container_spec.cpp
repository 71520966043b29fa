// What the engine is asked to run for one container of a task: the definition's image,
// command and environment with the task's overrides over them, ECS's labels and Sluice's own,
// and what a container needs to call back into Sluice with an unmodified AWS SDK.
#include <cmath>

#include "../api_support.hpp"
#include "sluice/ecs/container_runner.hpp"

namespace sluice::ecs {

ContainerSpec ContainerRunner::container_spec(const Task& task, const Json& def, const Json& override_) const {
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
    if (override_.is_object() && override_.contains("command"))
        spec.command = strings(override_["command"]);
    else if (def.contains("command"))
        spec.command = strings(def["command"]);
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
    if (override_.is_object() && override_.contains("memory"))
        memory = override_.value("memory", 0LL);
    else
        memory = def.value("memory", 0LL);
    if (memory > 0) spec.memory_bytes = memory * 1024 * 1024;
    long long cpu =
        override_.is_object() && override_.contains("cpu") ? override_.value("cpu", 0LL) : def.value("cpu", 0LL);
    if (cpu > 0) spec.nano_cpus = cpu * 1'000'000'000LL / 1024;
    spec.network_mode = task.network_mode == "none" ? "none" : options_.network_mode;
    // The stop timeout is a duration like any other: --time-scale shortens it.
    const double stop_seconds = static_cast<double>(def.value("stopTimeout", 30LL)) * clock_.time_scale();
    spec.stop_timeout_seconds = std::max(1, static_cast<int>(std::ceil(stop_seconds)));
    return spec;
}

}  // namespace sluice::ecs
