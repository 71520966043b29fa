#pragma once
// The ECS domain: clusters, task definitions (kept as registered) and tasks with their
// containers, moving PROVISIONING → PENDING → RUNNING → STOPPED as the engine reports.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/core/clock.hpp"
#include "sluice/core/scope.hpp"
#include "sluice/ecs/container_engine.hpp"

namespace sluice::ecs {

using Json = nlohmann::json;
using core::TimePoint;

struct Cluster {
    core::Scope scope;
    std::string name, arn;
    std::string status = "ACTIVE";
    Json settings = Json::array(), configuration, capacity_providers = Json::array();
    std::map<std::string, std::string> tags;
};

struct TaskDefinition {
    core::Scope scope;
    std::string family, arn;
    long long revision = 1;
    std::string status = "ACTIVE";  // ACTIVE, INACTIVE, DELETE_IN_PROGRESS
    Json registered;                // the RegisterTaskDefinition input, less tags
    TimePoint registered_at;
    std::optional<TimePoint> deregistered_at;
    std::string network_mode() const;  // "bridge" when not given (EC2's default)
    bool fargate() const;              // requiresCompatibilities names FARGATE
    Json describe() const;             // the TaskDefinition shape
};

// Where a container is on its way through the engine.
enum class ContainerStage { Creating, Created, Starting, Running, Exited, Abandoned };

struct ContainerRun {
    std::string name, image, arn;
    bool essential = true;
    std::string runtime_id;  // the engine's container id once created
    std::string last_status = "PENDING";
    std::optional<long long> exit_code;
    std::string reason;
    std::string cpu, memory;
    ContainerSpec spec;
    ContainerStage stage = ContainerStage::Creating;
    bool removed = false;  // from the engine
    std::string logs;
};

struct Task {
    core::Scope scope;
    std::string id, arn, cluster_arn, cluster_name;
    std::shared_ptr<const TaskDefinition> definition;
    std::string launch_type, group, started_by, cpu, memory, network_mode;
    std::string last_status = "PROVISIONING", desired_status = "RUNNING";
    std::string stop_code, stopped_reason;
    Json overrides, attachments = Json::array();
    std::map<std::string, std::string> tags;
    bool enable_execute_command = false;
    long long version = 1;
    TimePoint created_at;
    std::optional<TimePoint> pull_started_at, pull_stopped_at, started_at, connectivity_at, stopping_at,
        execution_stopped_at, stopped_at;
    std::vector<ContainerRun> containers;
    bool stop_sent = false;  // the running containers were asked to stop
    bool finishing = false;  // logs are being read and containers removed
    int cleanup_pending = 0;
    // Called once, when the task reaches STOPPED (the `.sync` integration waits here).
    std::vector<std::function<void(const Task&)>> on_stopped;

    bool stopped() const { return last_status == "STOPPED"; }
    // Sets lastStatus and bumps the version, as ECS does on every change.
    void set_status(const std::string& status);
    Json describe() const;  // the Task shape
};

}  // namespace sluice::ecs
