#pragma once
// The Step Functions service: every operation of the model, over state machines, versions,
// aliases, executions and activities kept per (account, region). Executions run in the
// Interpreter; Task states reach other services through their ops, in process.
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "sluice/core/clock.hpp"
#include "sluice/core/scheduler.hpp"
#include "sluice/protocol/local_client.hpp"
#include "sluice/protocol/operation_table.hpp"
#include "sluice/sfn/execution.hpp"
#include "sluice/sfn/interpreter.hpp"

namespace sluice::sfn {

using protocol::Call;

const protocol::Model& model();
protocol::AwsError error(const std::string& code, const std::string& message);

struct StateMachine {
    core::Scope scope;
    std::string arn, name, type;
    std::shared_ptr<const MachineRevision> latest;
    TimePoint created;
    std::optional<TimePoint> updated;
    std::map<std::string, std::string> tags;
    std::map<long long, std::shared_ptr<const MachineRevision>> versions;  // by version number
    long long next_version = 1;
    struct Alias {
        std::string arn, name, description;
        Json routing;  // [{stateMachineVersionArn, weight}]
        TimePoint created, updated;
    };
    std::map<std::string, Alias> aliases;
};

struct Activity {
    core::Scope scope;
    std::string arn, name;
    TimePoint created;
    std::map<std::string, std::string> tags;
    struct Pending {
        std::string token, input;
    };
    std::deque<Pending> pending;
};

class Integrations;
class MockedTasks;
class MockConfig;

class SfnService final : public protocol::TableService<SfnService>,
                         public ActivityQueue,
                         public std::enable_shared_from_this<SfnService> {
public:
    // `scheduler` runs executions (an AsioScheduler in the daemon, a ManualScheduler in tests);
    // Task states reach other services through `client`.
    SfnService(Scheduler& scheduler, protocol::LocalClient& client);
    ~SfnService() override;

    void set_max_history_events(long n) { interpreter_.set_max_history_events(n); }
    // The mock configuration executions started as `<machine ARN>#<test case>` answer from
    // (nullptr: none). Replaced whole when the file changes; running executions see the new one.
    void set_mock_config(std::shared_ptr<const MockConfig> config);

    std::string_view name() const override { return "stepfunctions"; }
    const protocol::Model& model() const override;
    void shutdown() override;
    void reset() override;
    // What /_sluice/stepfunctions shows, and its paths state-machines[/<ARN>] and
    // executions/<ARN> (views.cpp).
    Json introspect() const override;
    std::optional<Json> introspect_path(std::string_view path) const override;

    // ActivityQueue
    void schedule(const std::string& activity_arn, const std::string& token, const std::string& input) override;
    void withdraw(const std::string& token) override;

    struct ActivityWaiter;  // a parked GetActivityTask

private:
    friend class protocol::TableService<SfnService>;
    static const protocol::OperationTable<SfnService>& operations();
    static const protocol::InvokeRules& invoke_rules();
    class Children;  // what the `states` integration may do with executions (sfn_service.cpp)

    // State machines, versions, aliases, tags (api_state_machines.cpp, api_versions.cpp)
    Json create_state_machine(const Call&);
    Json describe_state_machine(const Call&);
    Json update_state_machine(const Call&);
    Json delete_state_machine(const Call&);
    Json list_state_machines(const Call&);
    Json validate_state_machine_definition(const Call&);
    Json describe_state_machine_for_execution(const Call&);
    Json publish_state_machine_version(const Call&);
    Json list_state_machine_versions(const Call&);
    Json delete_state_machine_version(const Call&);
    Json create_state_machine_alias(const Call&);
    Json describe_state_machine_alias(const Call&);
    Json update_state_machine_alias(const Call&);
    Json delete_state_machine_alias(const Call&);
    Json list_state_machine_aliases(const Call&);
    Json tag_resource(const Call&);
    Json untag_resource(const Call&);
    Json list_tags_for_resource(const Call&);
    // Executions and task tokens (api_executions.cpp)
    Json start_execution(const Call&);
    Json describe_execution(const Call&);
    Json stop_execution(const Call&);
    Json list_executions(const Call&);
    Json get_execution_history(const Call&);
    Json redrive_execution(const Call&);
    Json send_task_success(const Call&);
    Json send_task_failure(const Call&);
    Json send_task_heartbeat(const Call&);
    Json describe_map_run(const Call&);
    Json list_map_runs(const Call&);
    Json update_map_run(const Call&);
    Json test_state(const Call&);
    Json run_test_state(const Call&);
    void start_sync_execution(const Call& call, protocol::Reply reply);
    void start_sync_execution_locked(const Call& call, protocol::Reply reply);
    // Activities (api_activities.cpp)
    Json create_activity(const Call&);
    Json describe_activity(const Call&);
    Json delete_activity(const Call&);
    Json list_activities(const Call&);
    void get_activity_task(const Call& call, protocol::Reply reply);
    void get_activity_task_locked(const Call& call, protocol::Reply reply);

    // Shared helpers (sfn_service.cpp)
    std::shared_ptr<Execution> launch(const Call& call, bool sync);
    struct Target {
        std::shared_ptr<StateMachine> machine;
        std::shared_ptr<const MachineRevision> revision;
        std::string version_arn, alias_arn;
    };
    Target resolve_target(const std::string& arn) const;  // a machine, a version or an alias
    std::shared_ptr<StateMachine> machine_by_arn(const std::string& arn) const;
    std::shared_ptr<Execution> execution_by_arn(const std::string& arn) const;
    std::shared_ptr<Activity> activity_by_arn(const std::string& arn) const;
    std::shared_ptr<const MachineRevision> make_revision(const StateMachine& machine, const Json& params,
                                                         const MachineRevision* base) const;
    Json describe_execution_json(const Execution& exec, bool with_data) const;
    // A version of the machine's latest revision: the existing one if it was published already.
    std::pair<std::string, TimePoint> publish_version(StateMachine& machine, const std::string& description);

    Scheduler& scheduler_;
    const core::Clock& clock_;
    std::unique_ptr<Children> children_;
    std::unique_ptr<Integrations> integrations_;
    std::unique_ptr<MockedTasks> mocked_;  // in front of integrations_: the mock configuration's answers
    Interpreter interpreter_;
    std::map<std::string, std::shared_ptr<StateMachine>> machines_;                         // by ARN
    std::unordered_map<std::string, std::shared_ptr<Execution>> executions_;                // by ARN
    std::map<std::string, std::vector<std::shared_ptr<Execution>>> executions_by_machine_;  // newest last
    std::map<std::string, std::shared_ptr<Activity>> activities_;                           // by ARN
    std::unordered_map<std::string, std::string> activity_of_token_;
    std::unordered_map<std::string, std::list<std::shared_ptr<ActivityWaiter>>> activity_waiters_;
    bool stopping_ = false;
};

}  // namespace sluice::sfn
