#include "sluice/sfn/sfn_service.hpp"

#include <spdlog/spdlog.h>

#include "api_support.hpp"
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

SfnService::SfnService(Scheduler& scheduler, const core::Clock& clock)
    : scheduler_(scheduler), clock_(clock), interpreter_(mutex_, scheduler, clock, *this, *this) {
    // AWS keeps no record of Express executions (DescribeExecution refuses them), so neither
    // does Sluice once one ends: a client driving StartSyncExecution would otherwise grow it.
    interpreter_.on_execution_end([this](Execution& e) {
        if (e.express()) executions_.erase(e.arn);
    });
}

SfnService::~SfnService() {
    std::lock_guard lock(mutex_);
    // Runs point back at their executions: let them go so nothing outlives the service.
    for (auto& [arn, exec] : executions_) interpreter_.release(*exec);
}

const protocol::Model& SfnService::model() const { return sfn::model(); }

const std::map<std::string, SfnService::Handler, std::less<>>& SfnService::handlers() {
    static const std::map<std::string, Handler, std::less<>> table = {
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

void SfnService::invoke(Call call, protocol::Reply reply) {
    try {
        if (const auto* op = model().operation(call.operation); op && op->input)
            api::check_constraints(call.params, *op->input);
        if (call.operation == "StartSyncExecution") return start_sync_execution(call, std::move(reply));
        if (call.operation == "GetActivityTask") return get_activity_task(call, std::move(reply));
    } catch (const protocol::AwsError& e) {
        return reply(e);
    }
    auto it = handlers().find(call.operation);
    if (it == handlers().end()) return reply(protocol::common_errors::unknown_operation(call.operation));
    Json result;
    try {
        std::lock_guard lock(mutex_);
        result = (this->*(it->second))(call);
    } catch (const protocol::AwsError& e) {
        return reply(e);
    }
    reply(std::move(result));
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
    std::vector<protocol::Reply> parked;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        interpreter_.shutdown();
        for (auto& [arn, list] : activity_waiters_)
            for (auto& w : list) parked.push_back(api::take_waiter_reply(*w));
        activity_waiters_.clear();
    }
    for (auto& reply : parked)
        if (reply) reply(Json{{"input", nullptr}, {"taskToken", nullptr}});
}

Json SfnService::introspect() const {
    std::lock_guard lock(mutex_);
    std::size_t running = 0;
    for (const auto& [arn, e] : executions_)
        if (e->running()) ++running;
    return {{"state_machines", machines_.size()},
            {"executions", executions_.size()},
            {"running", running},
            {"activities", activities_.size()},
            {"timers", scheduler_.pending_timers()}};
}

}  // namespace sluice::sfn
