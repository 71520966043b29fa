#include "sluice/sfn/sfn_service.hpp"

#include <spdlog/spdlog.h>

#include "api_support.hpp"
#include "integrations/integrations.hpp"
#include "mock/mocked_tasks.hpp"
#include "sluice/core/arn.hpp"

std::string_view sluice_model_stepfunctions();  // generated from models/stepfunctions.json

namespace sluice::sfn {

const protocol::Model& model() {
    static const auto parsed = protocol::Model::parse(sluice_model_stepfunctions());
    return *parsed;
}

// Step Functions names its errors in the namespace of the service's implementation; SDKs take
// the part after '#', so only a client that prints __type sees the difference.
protocol::AwsError error(const std::string& code, const std::string& message) {
    auto e = model().error(code, message);
    e.code = "com.amazonaws.swf.service.v2.model#" + e.code;
    return e;
}

class SfnService::Children final : public ChildExecutions {
public:
    explicit Children(SfnService& service) : service_(service) {}
    std::shared_ptr<Execution> execution(const std::string& arn) override {
        auto it = service_.executions_.find(arn);
        return it == service_.executions_.end() ? nullptr : it->second;
    }
    void abort_child(Execution& child) override {
        service_.interpreter_.abort(child, std::nullopt, std::string("Parent execution stopped"));
    }

private:
    SfnService& service_;
};

void SfnService::set_mock_config(std::shared_ptr<const MockConfig> config) {
    lock_.run([&] { mocked_->set_config(std::move(config)); });
}

SfnService::SfnService(Scheduler& scheduler, protocol::LocalClient& client)
    : scheduler_(scheduler),
      clock_(scheduler.clock()),
      children_(std::make_unique<Children>(*this)),
      integrations_(std::make_unique<Integrations>(lock_, scheduler, client, *children_)),
      mocked_(std::make_unique<MockedTasks>(scheduler, *integrations_)),
      interpreter_(lock_, scheduler, clock_, *mocked_, *this) {
    mocked_->set_token_completion([this](const std::string& token, const Json& output) {
        lock_.run([&] { interpreter_.token_success(token, output); });
    });
    // AWS keeps no record of Express executions (DescribeExecution refuses them), so neither
    // does Sluice once one ends: a client driving StartSyncExecution would otherwise grow it.
    interpreter_.on_execution_end([this](Execution& e) {
        if (e.express()) executions_.erase(e.arn);
    });
}

SfnService::~SfnService() {
    lock_.run([&] {
        // Runs point back at their executions: let them go so nothing outlives the service.
        for (auto& [arn, exec] : executions_) interpreter_.release(*exec);
    });
}

const protocol::Model& SfnService::model() const {
    return sfn::model();
}

const protocol::OperationTable<SfnService>& SfnService::operations() {
    static const protocol::OperationTable<SfnService> table = {
        {"CreateActivity", &SfnService::create_activity},
        {"CreateStateMachine", &SfnService::create_state_machine},
        {"CreateStateMachineAlias", &SfnService::create_state_machine_alias},
        {"DeleteActivity", &SfnService::delete_activity},
        {"DeleteStateMachine", &SfnService::delete_state_machine},
        {"DeleteStateMachineAlias", &SfnService::delete_state_machine_alias},
        {"DeleteStateMachineVersion", &SfnService::delete_state_machine_version},
        {"DescribeActivity", &SfnService::describe_activity},
        {"DescribeExecution", &SfnService::describe_execution},
        {"DescribeMapRun", &SfnService::describe_map_run},
        {"DescribeStateMachine", &SfnService::describe_state_machine},
        {"DescribeStateMachineAlias", &SfnService::describe_state_machine_alias},
        {"DescribeStateMachineForExecution", &SfnService::describe_state_machine_for_execution},
        {"GetActivityTask", &SfnService::get_activity_task},
        {"GetExecutionHistory", &SfnService::get_execution_history},
        {"ListActivities", &SfnService::list_activities},
        {"ListExecutions", &SfnService::list_executions},
        {"ListMapRuns", &SfnService::list_map_runs},
        {"ListStateMachineAliases", &SfnService::list_state_machine_aliases},
        {"ListStateMachineVersions", &SfnService::list_state_machine_versions},
        {"ListStateMachines", &SfnService::list_state_machines},
        {"ListTagsForResource", &SfnService::list_tags_for_resource},
        {"PublishStateMachineVersion", &SfnService::publish_state_machine_version},
        {"RedriveExecution", &SfnService::redrive_execution},
        {"SendTaskFailure", &SfnService::send_task_failure},
        {"SendTaskHeartbeat", &SfnService::send_task_heartbeat},
        {"SendTaskSuccess", &SfnService::send_task_success},
        {"StartExecution", &SfnService::start_execution},
        {"StartSyncExecution", &SfnService::start_sync_execution},
        {"StopExecution", &SfnService::stop_execution},
        {"TagResource", &SfnService::tag_resource},
        {"TestState", &SfnService::test_state},
        {"UntagResource", &SfnService::untag_resource},
        {"UpdateMapRun", &SfnService::update_map_run},
        {"UpdateStateMachine", &SfnService::update_state_machine},
        {"UpdateStateMachineAlias", &SfnService::update_state_machine_alias},
        {"ValidateStateMachineDefinition", &SfnService::validate_state_machine_definition},
    };
    return table;
}

// The model's constraints are answered as AWS's front end does (coral's ValidationException).
const protocol::InvokeRules& SfnService::invoke_rules() {
    static const protocol::InvokeRules rules = {
        .constraint_error_code = "com.amazon.coral.validate#ValidationException",
        .type_error = [](const std::string& what) { return error("ValidationException", "Invalid request: " + what); },
    };
    return rules;
}

// ---- lookups

namespace {

// Splits an ARN of this service and checks its resource type: InvalidArn otherwise.
api::StatesArn parse_arn(const std::string& text, std::initializer_list<const char*> types) {
    auto arn = api::StatesArn::parse(text);
    if (!arn) throw error("InvalidArn", "Invalid Arn: 'Invalid ARN prefix: " + text + "'");
    for (const char* t : types)
        if (arn->type == t) return *arn;
    throw error("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: " + arn->type + "'");
}

}  // namespace

std::shared_ptr<StateMachine> SfnService::machine_by_arn(const std::string& arn) const {
    auto it = machines_.find(arn);
    return it == machines_.end() ? nullptr : it->second;
}

SfnService::Target SfnService::resolve_target(const std::string& text) const {
    auto arn = parse_arn(text, {"stateMachine"});
    Target target;
    target.machine = machine_by_arn(arn.base());
    if (!target.machine) throw error("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + text + "'");
    if (arn.qualifier.empty()) {
        target.revision = target.machine->latest;
        return target;
    }
    if (api::is_version_number(arn.qualifier)) {
        auto v = target.machine->versions.find(std::stoll(arn.qualifier));
        if (v == target.machine->versions.end())
            throw error("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + text + "'");
        target.revision = v->second;
        target.version_arn = text;
        return target;
    }
    auto a = target.machine->aliases.find(arn.qualifier);
    if (a == target.machine->aliases.end())
        throw error("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + text + "'");
    target.alias_arn = text;
    // An alias splits executions between one or two versions by weight.
    const Json& routes = a->second.routing;
    long long pick = static_cast<long long>(core::random_u64() % 100);
    for (const auto& route : routes) {
        pick -= route.value("weight", 0);
        if (pick < 0 || &route == &routes.back()) {
            target.version_arn = route.value("stateMachineVersionArn", "");
            break;
        }
    }
    auto version = api::StatesArn::parse(target.version_arn);
    auto v = version ? target.machine->versions.find(std::stoll(version->qualifier)) : target.machine->versions.end();
    if (v == target.machine->versions.end())
        throw error("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + target.version_arn + "'");
    target.revision = v->second;
    return target;
}

std::shared_ptr<Execution> SfnService::execution_by_arn(const std::string& text) const {
    parse_arn(text, {"execution", "express"});
    auto it = executions_.find(text);
    if (it == executions_.end()) throw error("ExecutionDoesNotExist", "Execution Does Not Exist: '" + text + "'");
    return it->second;
}

std::shared_ptr<Activity> SfnService::activity_by_arn(const std::string& text) const {
    parse_arn(text, {"activity"});
    auto it = activities_.find(text);
    return it == activities_.end() ? nullptr : it->second;
}

void SfnService::shutdown() {
    lock_.run([&] {
        stopping_ = true;
        interpreter_.shutdown();
        for (auto& [arn, list] : activity_waiters_)
            for (auto& w : list)
                if (auto reply = api::take_waiter_reply(*w))
                    lock_.defer([reply] { reply(Json{{"input", nullptr}, {"taskToken", nullptr}}); });
        activity_waiters_.clear();
    });
}

void SfnService::reset() {
    lock_.run([&] {
        // Running executions are aborted as StopExecution would (their tasks stop, their children
        // too, a waiting StartSyncExecution hears ABORTED), then forgotten. A copy: an Express
        // execution leaves executions_ as it ends.
        std::vector<std::shared_ptr<Execution>> all;
        for (const auto& [arn, exec] : executions_) all.push_back(exec);
        for (const auto& exec : all)
            if (exec->running()) interpreter_.abort(*exec, std::nullopt, std::string("Sluice was reset"));
        for (const auto& exec : all) interpreter_.release(*exec);
        for (auto& [arn, list] : activity_waiters_)
            for (auto& w : list) {
                if (w->timer) scheduler_.cancel(*w->timer);
                if (auto reply = api::take_waiter_reply(*w)) lock_.defer([reply] { reply(Json::object()); });
            }
        activity_waiters_.clear();
        activity_of_token_.clear();
        activities_.clear();
        executions_.clear();
        executions_by_machine_.clear();
        machines_.clear();
    });
}

}  // namespace sluice::sfn
