#pragma once
// The ECS service: clusters, task definitions and tasks per (account, region), and the runner
// that turns a task into real containers on a Docker-compatible engine.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "sluice/core/clock.hpp"
#include "sluice/ecs/container_engine.hpp"
#include "sluice/ecs/task.hpp"
#include "sluice/protocol/service.hpp"

namespace sluice::ecs {

using protocol::Call;

const protocol::Model& model();
protocol::AwsError error(const std::string& code, const std::string& message);

// The internal op the Step Functions `.sync` integration calls: answers {"task": Task} once the
// task is STOPPED. Not in the model, so no HTTP request can reach it.
inline constexpr const char* kWaitTaskStopped = "sluice:WaitTaskStopped";

struct RunnerOptions {
    std::string network_mode = "host";  // what containers get from the engine (host: they reach Sluice on 127.0.0.1)
    bool keep_containers = false;       // leave finished containers in the engine
    std::string endpoint_url;           // handed to containers as AWS_ENDPOINT_URL
    std::string instance_id;            // the sluice.instance label
};

class EcsService final : public protocol::Service, public std::enable_shared_from_this<EcsService> {
public:
    EcsService(std::shared_ptr<ContainerEngine> engine, const core::Clock& clock, RunnerOptions options);
    ~EcsService() override;

    void set_endpoint_url(std::string url);

    std::string_view name() const override { return "ecs"; }
    const protocol::Model& model() const override;
    void invoke(Call call, protocol::Reply reply) override;
    void shutdown() override;
    Json introspect() const override;
    std::optional<Json> introspect_path(std::string_view path) const override;
    Json health() const override;

    // Removes every container this daemon started (shutdown); `done` once the engine answered.
    void remove_all_containers(std::function<void()> done);

private:
    using Handler = Json (EcsService::*)(const Call&);
    static const std::map<std::string, Handler, std::less<>>& handlers();

    // Clusters and tags (api_clusters.cpp)
    Json create_cluster(const Call&);
    Json delete_cluster(const Call&);
    Json describe_clusters(const Call&);
    Json list_clusters(const Call&);
    Json tag_resource(const Call&);
    Json untag_resource(const Call&);
    Json list_tags_for_resource(const Call&);
    // Task definitions (api_task_definitions.cpp)
    Json register_task_definition(const Call&);
    Json deregister_task_definition(const Call&);
    Json describe_task_definition(const Call&);
    Json list_task_definitions(const Call&);
    Json list_task_definition_families(const Call&);
    Json delete_task_definitions(const Call&);
    // Tasks (api_tasks.cpp)
    void run_task(const Call& call, protocol::Reply reply);
    std::vector<std::shared_ptr<Task>> prepare_tasks(const Call& call);
    Json describe_tasks(const Call&);
    Json list_tasks(const Call&);
    Json stop_task(const Call&);
    void wait_task_stopped(const Call& call, protocol::Reply reply);

    // Lookups (ecs_service.cpp)
    std::shared_ptr<Cluster> cluster_named(const core::Scope& scope, const std::string& name_or_arn);
    // Every (account, region) has a `default` cluster until it is deleted.
    void ensure_default_cluster(const core::Scope& scope);
    std::shared_ptr<const TaskDefinition> task_definition(const core::Scope& scope, const std::string& ref) const;
    std::shared_ptr<Task> task_by_ref(const core::Scope& scope, const Cluster& cluster, const std::string& ref) const;
    std::string arn(const core::Scope& scope, const std::string& resource) const;

    // Runs `body` under the mutex, then what it deferred (waiters to tell) without it.
    void with_lock(const std::function<void()>& body);

    // The runner (runner/task_lifecycle.cpp): every engine answer lands in advance().
    void launch(const std::shared_ptr<Task>& task);
    void create_container(const std::shared_ptr<Task>& task, std::size_t index, bool pulled);
    void start_container(const std::shared_ptr<Task>& task, std::size_t index);
    void container_exited(const std::shared_ptr<Task>& task, std::size_t index, const EngineResult<long long>& exit);
    void advance(const std::shared_ptr<Task>& task);
    void fail_to_start(Task& task, std::size_t index, const std::string& reason);
    void request_stop(Task& task, const std::string& code, const std::string& reason);
    void finish(const std::shared_ptr<Task>& task);
    void shutdown_step_done();
    // Stopped tasks stay describable for an hour, as on AWS, then go (with their output).
    void forget_old_tasks();
    ContainerSpec container_spec(const Task& task, const Json& definition, const Json& override_) const;

    std::shared_ptr<ContainerEngine> engine_;
    const core::Clock& clock_;
    RunnerOptions options_;
    mutable std::mutex mutex_;
    bool shutting_down_ = false;
    std::vector<std::function<void()>> deferred_;  // run by with_lock once the mutex is released
    int creates_in_flight_ = 0;
    int shutdown_pending_ = 0;               // engine answers remove_all_containers still waits for
    std::function<void()> shutdown_done_;
    std::map<std::pair<core::Scope, std::string>, std::shared_ptr<Cluster>> clusters_;
    // family → revisions (index revision-1), per scope
    std::map<std::pair<core::Scope, std::string>, std::vector<std::shared_ptr<TaskDefinition>>> definitions_;
    std::unordered_map<std::string, std::shared_ptr<Task>> tasks_;  // by ARN
    std::map<std::string, std::map<std::string, std::string>> definition_tags_;  // by task definition ARN
};

}  // namespace sluice::ecs
