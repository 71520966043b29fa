#pragma once
// The ECS service: clusters, task definitions and tasks per (account, region). The
// ContainerRunner turns tasks into real containers on a Docker-compatible engine.
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "sluice/core/clock.hpp"
#include "sluice/ecs/container_engine.hpp"
#include "sluice/ecs/container_runner.hpp"
#include "sluice/ecs/task.hpp"
#include "sluice/protocol/operation_table.hpp"

namespace sluice::ecs {

using protocol::Call;

const protocol::Model& model();
protocol::AwsError error(const std::string& code, const std::string& message);

class EcsService final : public protocol::TableService<EcsService>, public std::enable_shared_from_this<EcsService> {
public:
    EcsService(std::shared_ptr<ContainerEngine> engine, const core::Clock& clock, RunnerOptions options);
    ~EcsService() override;

    void set_endpoint_url(std::string url);

    std::string_view name() const override { return "ecs"; }
    const protocol::Model& model() const override;
    void shutdown() override;
    void reset() override;
    Json introspect() const override;
    std::optional<Json> introspect_path(std::string_view path) const override;
    Json health() const override;

    // Removes every container this daemon started (shutdown); `done` once the engine answered.
    void remove_all_containers(std::function<void()> done);

private:
    friend class protocol::TableService<EcsService>;
    static const protocol::OperationTable<EcsService>& operations();
    static const protocol::InvokeRules& invoke_rules();

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
    // Stopped tasks stay describable for an hour, as on AWS, then go (with their output).
    void forget_old_tasks();

    const core::Clock& clock_;
    std::shared_ptr<ContainerRunner> runner_;
    std::map<std::pair<core::Scope, std::string>, std::shared_ptr<Cluster>> clusters_;
    // family → revisions (index revision-1), per scope
    std::map<std::pair<core::Scope, std::string>, std::vector<std::shared_ptr<TaskDefinition>>> definitions_;
    std::unordered_map<std::string, std::shared_ptr<Task>> tasks_;               // by ARN
    std::map<std::string, std::map<std::string, std::string>> definition_tags_;  // by task definition ARN
};

}  // namespace sluice::ecs
