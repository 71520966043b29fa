#pragma once
// The EventBridge Pipes service: the ten operations of the model over pipes kept per (account,
// region). What makes a RUNNING pipe move messages is the PipeRunner; the service starts and
// stops it as the pipe's state changes.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sluice/core/clock.hpp"
#include "sluice/core/scheduler.hpp"
#include "sluice/pipes/pipe.hpp"
#include "sluice/pipes/pipe_runner.hpp"
#include "sluice/protocol/local_client.hpp"
#include "sluice/protocol/operation_table.hpp"

namespace sluice::pipes {

using protocol::Call;

const protocol::Model& model();
// The model's error `code` (ValidationException, NotFoundException, ...) with AWS's message.
protocol::AwsError error(const std::string& code, const std::string& message);

class PipesService final : public protocol::TableService<PipesService>,
                           public std::enable_shared_from_this<PipesService> {
public:
    // Pipes read SQS and deliver to Step Functions, ECS and SQS through `client`; their windows
    // and retries are deadlines on `scheduler`.
    PipesService(core::Scheduler& scheduler, protocol::LocalClient& client);
    ~PipesService() override;

    std::string_view name() const override { return "pipes"; }
    const protocol::Model& model() const override;
    void shutdown() override;
    void reset() override;
    Json introspect() const override;
    std::optional<Json> introspect_path(std::string_view path) const override;

private:
    friend class protocol::TableService<PipesService>;
    static const protocol::OperationTable<PipesService>& operations();
    static const protocol::InvokeRules& invoke_rules();

    // The API (api_pipes.cpp, api_tags.cpp)
    void create_pipe(const Call& call, protocol::Reply reply);
    void update_pipe(const Call& call, protocol::Reply reply);
    // Step Functions targets that answer synchronously must be Express: ask before accepting.
    void check_state_machines(const Call& call, std::shared_ptr<const PipeSpec> spec,
                              std::function<void(std::optional<protocol::AwsError>)> done);
    Json describe_pipe(const Call&);
    Json list_pipes(const Call&);
    Json delete_pipe(const Call&);
    Json start_pipe(const Call&);
    Json stop_pipe(const Call&);
    Json tag_resource(const Call&);
    Json untag_resource(const Call&);
    Json list_tags_for_resource(const Call&);

    // Lookups (pipes_service.cpp)
    std::shared_ptr<Pipe> pipe_named(const core::Scope& scope, const std::string& name) const;
    // Both throw NotFoundException for a pipe that doesn't exist.
    std::shared_ptr<Pipe> pipe_by_arn(const std::string& arn) const;
    static Json state_json(const Pipe& pipe);  // Arn, Name, DesiredState, CurrentState, times
    Json counters_json(const Pipe& pipe) const;
    // On the scheduler, soon, under the lock: a state transition that AWS shows in between
    // (CREATING, UPDATING).
    void soon(std::function<void(PipesService&)> action);
    // A transition (STOPPING, UPDATING, DELETING) completes once nothing is in flight.
    void settle_state(const std::shared_ptr<Pipe>& pipe);

    core::Scheduler& scheduler_;
    const core::Clock& clock_;
    protocol::LocalClient& client_;
    std::shared_ptr<PipeRunner> runner_;
    std::map<std::pair<core::Scope, std::string>, std::shared_ptr<Pipe>> pipes_;  // by (scope, name)
    bool stopping_ = false;
};

}  // namespace sluice::pipes
