// The ECS domain's shapes, as DescribeTaskDefinition and DescribeTasks answer them.
#include "sluice/ecs/task.hpp"

namespace sluice::ecs {

namespace {

void put_time(Json& out, const char* name, const std::optional<TimePoint>& t) {
    if (t) out[name] = core::epoch_seconds_fraction(*t);
}

}  // namespace

std::string TaskDefinition::network_mode() const {
    auto it = registered.find("networkMode");
    return it != registered.end() && it->is_string() ? it->get<std::string>() : "bridge";
}

bool TaskDefinition::fargate() const {
    auto it = registered.find("requiresCompatibilities");
    if (it == registered.end() || !it->is_array()) return false;
    for (const auto& c : *it)
        if (c == "FARGATE") return true;
    return false;
}

Json TaskDefinition::describe() const {
    Json out = registered;
    out["taskDefinitionArn"] = arn;
    out["family"] = family;
    out["revision"] = revision;
    out["status"] = status;
    out["registeredAt"] = core::epoch_seconds_fraction(registered_at);
    out["registeredBy"] = "arn:aws:iam::" + scope.account + ":root";
    if (deregistered_at) out["deregisteredAt"] = core::epoch_seconds_fraction(*deregistered_at);
    if (!out.contains("volumes")) out["volumes"] = Json::array();
    if (!out.contains("placementConstraints")) out["placementConstraints"] = Json::array();
    out["requiresAttributes"] = Json::array();
    // What the definition could run on: Fargate needs awsvpc and task-level cpu and memory.
    Json compat = Json::array({"EC2"});
    if (network_mode() == "awsvpc" && registered.contains("cpu") && registered.contains("memory"))
        compat.push_back("FARGATE");
    out["compatibilities"] = compat;
    // ECS echoes each container with its defaults filled in.
    for (auto& c : out["containerDefinitions"]) {
        if (!c.contains("cpu")) c["cpu"] = 0;
        if (!c.contains("essential")) c["essential"] = true;
        for (const char* list : {"portMappings", "environment", "mountPoints", "volumesFrom", "systemControls"})
            if (!c.contains(list)) c[list] = Json::array();
    }
    return out;
}

void Task::set_status(const std::string& status) {
    if (last_status == status) return;
    last_status = status;
    ++version;
}

Json Task::describe() const {
    Json containers_json = Json::array();
    for (const auto& c : containers) {
        Json j = {{"containerArn", c.arn},
                  {"taskArn", arn},
                  {"name", c.name},
                  {"image", c.image},
                  {"lastStatus", c.last_status},
                  {"networkInterfaces", Json::array()},
                  {"healthStatus", "UNKNOWN"},
                  {"cpu", c.cpu.empty() ? "0" : c.cpu}};
        if (!c.memory.empty()) j["memory"] = c.memory;
        if (!c.runtime_id.empty()) j["runtimeId"] = c.runtime_id;
        if (c.exit_code) j["exitCode"] = *c.exit_code;
        if (!c.reason.empty()) j["reason"] = c.reason;
        if (network_mode == "bridge" || network_mode == "host") j["networkBindings"] = Json::array();
        containers_json.push_back(std::move(j));
    }
    Json out = {{"taskArn", arn},
                {"clusterArn", cluster_arn},
                {"taskDefinitionArn", definition->arn},
                {"overrides", overrides},
                {"lastStatus", last_status},
                {"desiredStatus", desired_status},
                {"containers", containers_json},
                {"createdAt", core::epoch_seconds_fraction(created_at)},
                {"group", group},
                {"launchType", launch_type},
                {"version", version},
                {"attachments", attachments},
                {"attributes", Json::array()},
                {"availabilityZone", scope.region + "a"},
                {"enableExecuteCommand", enable_execute_command},
                {"healthStatus", "UNKNOWN"},
                {"inferenceAccelerators", Json::array()},
                {"tags", Json::array()}};
    if (!cpu.empty()) out["cpu"] = cpu;
    if (!memory.empty()) out["memory"] = memory;
    if (!started_by.empty()) out["startedBy"] = started_by;
    if (launch_type == "FARGATE") {
        out["platformVersion"] = "1.4.0";
        out["platformFamily"] = "Linux";
        out["ephemeralStorage"] = {{"sizeInGiB", 20}};
        out["fargateEphemeralStorage"] = {{"sizeInGiB", 20}};
    }
    if (connectivity_at) out["connectivity"] = "CONNECTED";
    put_time(out, "connectivityAt", connectivity_at);
    put_time(out, "pullStartedAt", pull_started_at);
    put_time(out, "pullStoppedAt", pull_stopped_at);
    put_time(out, "startedAt", started_at);
    put_time(out, "stoppingAt", stopping_at);
    put_time(out, "executionStoppedAt", execution_stopped_at);
    put_time(out, "stoppedAt", stopped_at);
    if (!stop_code.empty()) out["stopCode"] = stop_code;
    if (!stopped_reason.empty()) out["stoppedReason"] = stopped_reason;
    return out;
}

}  // namespace sluice::ecs
