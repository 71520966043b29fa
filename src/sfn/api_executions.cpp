// Executions: start (async and sync), describe, stop, list, history, redrive; task tokens;
// map runs (only distributed Maps have them, and Sluice runs Maps inline).
#include <spdlog/spdlog.h>

#include "api_support.hpp"
#include "mock/mocked_tasks.hpp"
#include "sluice/protocol/json_text.hpp"

namespace sluice::sfn {

namespace {

// A JSON document a user sends (an execution's input, a task's output), or `code` saying why not.
Json user_json(const std::string& text, const char* code, const std::string& what) {
    std::string why;
    if (auto value = protocol::read_user_json(text, &why)) return std::move(*value);
    throw error(code, what + ": '" + why + "'");
}

}  // namespace

std::shared_ptr<Execution> SfnService::launch(const Call& call, bool sync) {
    const auto& p = call.params;
    // `<ARN>#<test case>` runs the execution with the mock configuration's test case, as Step
    // Functions Local does; an unknown case is refused as an unknown state machine.
    const auto arn_text = api::str(p, "stateMachineArn");
    const auto hash = arn_text.find('#');
    const std::string test_case = hash == std::string::npos ? "" : arn_text.substr(hash + 1);
    auto target = resolve_target(arn_text.substr(0, hash));
    const auto& machine = *target.machine;
    if (hash != std::string::npos) {
        const auto& mocks = mocked_->config();
        if (test_case.empty() || !mocks || !mocks->has_test_case(machine.name, test_case))
            throw error("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn_text + "'");
    }
    if (sync && machine.type != "EXPRESS")
        throw error("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine");
    auto name = api::str(p, "name");
    if (name.empty()) name = core::random_uuid_string();
    if (!api::valid_name(name)) throw error("InvalidName", "Invalid Name: '" + name + "'");
    const auto input_text = api::str(p, "input", "{}");
    if (input_text.empty())
        throw error("InvalidExecutionInput", "Invalid State Machine Execution Input: 'Invalid execution input.'");
    Json input = user_json(input_text, "InvalidExecutionInput", "Invalid State Machine Execution Input");
    const bool express = machine.type == "EXPRESS";
    // Express executions are not named uniquely: their ARN ends in a fresh id.
    std::string arn = "arn:aws:states:" + machine.scope.region + ":" + machine.scope.account;
    arn.append(express ? ":express:" : ":execution:").append(machine.name).append(":").append(name);
    if (express) arn.append(":").append(core::random_uuid_string());
    if (!express) {
        if (auto it = executions_.find(arn); it != executions_.end()) {
            // Same name and input while still running: the same execution (idempotent start).
            if (it->second->running() && it->second->input_text == input_text) return it->second;
            throw error("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
        }
    }
    auto exec = std::make_shared<Execution>();
    exec->arn = arn;
    exec->name = name;
    exec->scope = machine.scope;
    exec->machine = target.revision;
    exec->version_arn = target.version_arn;
    exec->alias_arn = target.alias_arn;
    exec->input_text = input_text;
    exec->input = std::move(input);
    exec->trace_header = api::str(p, "traceHeader");
    exec->mock_test_case = test_case;
    exec->start_date = clock_.now();
    executions_[arn] = exec;
    if (!express) executions_by_machine_[machine.arn].push_back(exec);
    spdlog::info("sfn: execution {} started", arn);
    interpreter_.start(exec);
    return exec;
}

Json SfnService::start_execution(const Call& call) {
    auto exec = launch(call, false);
    return {{"executionArn", exec->arn}, {"startDate", core::epoch_seconds_fraction(exec->start_date)}};
}

void SfnService::start_sync_execution(const Call& call, protocol::Reply reply) {
    lock_.run([&] { start_sync_execution_locked(call, std::move(reply)); });
}

void SfnService::start_sync_execution_locked(const Call& call, protocol::Reply reply) {
    auto exec = launch(call, true);
    const bool with_data = api::str(call.params, "includedData", "ALL_DATA") != "METADATA_ONLY";
    exec->on_stop.push_back([this, reply, with_data](const Execution& e) {
        Json out = {{"executionArn", e.arn},
                    {"stateMachineArn", e.machine->arn},
                    {"name", e.name},
                    {"startDate", core::epoch_seconds_fraction(e.start_date)},
                    {"stopDate", core::epoch_seconds_fraction(e.stop_date.value_or(e.start_date))},
                    {"status", e.status},
                    {"billingDetails",
                     {{"billedMemoryUsedInMB", 64},
                      {"billedDurationInMilliseconds",
                       std::max<long long>(100, (e.stop_date.value_or(e.start_date) - e.start_date).count())}}}};
        if (with_data) {
            out["input"] = e.input_text;
            out["inputDetails"] = {{"included", true}};
            // AWS sends outputDetails even when a failed execution has no output.
            if (e.output_text) out["output"] = *e.output_text;
            out["outputDetails"] = {{"included", true}};
        }
        if (e.error) out["error"] = *e.error;
        if (e.cause) out["cause"] = *e.cause;
        if (!e.trace_header.empty()) out["traceHeader"] = e.trace_header;
        // on_stop runs under the service lock: the reply goes out once it is released.
        lock_.defer([reply, out = std::move(out)]() mutable { reply(std::move(out)); });
    });
}

Json SfnService::describe_execution_json(const Execution& e, bool with_data) const {
    Json out = {{"executionArn", e.arn},
                {"stateMachineArn", e.machine->arn},
                {"name", e.name},
                {"status", e.status},
                {"startDate", core::epoch_seconds_fraction(e.start_date)},
                {"redriveCount", e.redrive_count}};
    if (e.stop_date) out["stopDate"] = core::epoch_seconds_fraction(*e.stop_date);
    if (with_data) {
        out["input"] = e.input_text;
        out["inputDetails"] = {{"included", true}};
        if (e.output_text) {
            out["output"] = *e.output_text;
            out["outputDetails"] = {{"included", true}};
        }
    }
    if (e.error) out["error"] = *e.error;
    if (e.cause) out["cause"] = *e.cause;
    if (!e.trace_header.empty()) out["traceHeader"] = e.trace_header;
    if (!e.version_arn.empty()) out["stateMachineVersionArn"] = e.version_arn;
    if (!e.alias_arn.empty()) out["stateMachineAliasArn"] = e.alias_arn;
    if (e.redrive_date) out["redriveDate"] = core::epoch_seconds_fraction(*e.redrive_date);
    if (e.status == "FAILED" || e.status == "TIMED_OUT" || e.status == "ABORTED") {
        out["redriveStatus"] = "REDRIVABLE";
    } else {
        out["redriveStatus"] = "NOT_REDRIVABLE";
        out["redriveStatusReason"] = e.status == "RUNNING" ? "Execution is RUNNING and cannot be redriven"
                                                           : "Execution is SUCCEEDED and cannot be redriven";
    }
    return out;
}

Json SfnService::describe_execution(const Call& call) {
    const auto arn = api::str(call.params, "executionArn");
    if (auto parsed = api::StatesArn::parse(arn); parsed && parsed->type == "express")
        throw error("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: express'");
    auto exec = execution_by_arn(arn);
    return describe_execution_json(*exec, api::str(call.params, "includedData", "ALL_DATA") != "METADATA_ONLY");
}

Json SfnService::stop_execution(const Call& call) {
    const auto arn = api::str(call.params, "executionArn");
    if (auto parsed = api::StatesArn::parse(arn); parsed && parsed->type == "express")
        throw error("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: express'");
    auto exec = execution_by_arn(arn);
    std::optional<std::string> err, cause;
    if (call.params.contains("error")) err = api::str(call.params, "error");
    if (call.params.contains("cause")) cause = api::str(call.params, "cause");
    if (exec->running()) interpreter_.abort(*exec, err, cause);
    return {{"stopDate", core::epoch_seconds_fraction(exec->stop_date.value_or(clock_.now()))}};
}

Json SfnService::list_executions(const Call& call) {
    const auto& p = call.params;
    const auto arn_text = api::str(p, "stateMachineArn");
    if (p.contains("mapRunArn")) {
        if (p.contains("stateMachineArn"))
            throw error("ValidationException", "Only one of stateMachineArn or mapRunArn may be specified");
        throw error("ResourceNotFound", "Resource not found: '" + api::str(p, "mapRunArn") + "'");
    }
    if (arn_text.empty()) throw error("ValidationException", "Must provide a StateMachine ARN or MapRun ARN");
    auto arn = api::StatesArn::parse(arn_text);
    if (!arn || arn->type != "stateMachine") throw api::invalid_arn(arn_text);
    auto machine = machine_by_arn(arn->base());
    if (!machine) throw error("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn_text + "'");
    if (machine->type == "EXPRESS")
        throw error("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine");
    const auto status = api::str(p, "statusFilter");
    const auto redrive = api::str(p, "redriveFilter");
    std::vector<std::shared_ptr<Execution>> selected;
    const auto& all = executions_by_machine_[machine->arn];
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
        const auto& e = *it;
        if (!status.empty() && e->status != status) continue;
        if (redrive == "REDRIVEN" && e->redrive_count == 0) continue;
        if (redrive == "NOT_REDRIVEN" && e->redrive_count > 0) continue;
        if (!arn->qualifier.empty() && e->version_arn != arn_text && e->alias_arn != arn_text) continue;
        selected.push_back(e);
    }
    auto pg = api::page(selected.size(), p);
    Json items = Json::array();
    for (std::size_t i = pg.begin; i < pg.end; ++i) {
        const auto& e = *selected[i];
        Json item = {{"executionArn", e.arn},
                     {"stateMachineArn", e.machine->arn},
                     {"name", e.name},
                     {"status", e.status},
                     {"startDate", core::epoch_seconds_fraction(e.start_date)}};
        if (e.stop_date) item["stopDate"] = core::epoch_seconds_fraction(*e.stop_date);
        if (!e.version_arn.empty()) item["stateMachineVersionArn"] = e.version_arn;
        if (!e.alias_arn.empty()) item["stateMachineAliasArn"] = e.alias_arn;
        item["redriveCount"] = e.redrive_count;
        if (e.redrive_date) item["redriveDate"] = core::epoch_seconds_fraction(*e.redrive_date);
        items.push_back(std::move(item));
    }
    Json out = {{"executions", items}};
    if (pg.next_token) out["nextToken"] = *pg.next_token;
    return out;
}

Json SfnService::get_execution_history(const Call& call) {
    const auto& p = call.params;
    const auto arn = api::str(p, "executionArn");
    if (auto parsed = api::StatesArn::parse(arn); parsed && parsed->type == "express")
        throw error("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: express'");
    auto exec = execution_by_arn(arn);
    const bool reverse = p.value("reverseOrder", false);
    const bool with_data = p.value("includeExecutionData", true);
    const auto& history = exec->history;
    auto pg = api::page(history.size(), p);
    Json events = Json::array();
    for (std::size_t i = pg.begin; i < pg.end; ++i) {
        events.push_back(api::history_event_json(history[reverse ? history.size() - 1 - i : i], with_data));
    }
    Json out = {{"events", events}};
    if (pg.next_token) out["nextToken"] = *pg.next_token;
    return out;
}

Json SfnService::redrive_execution(const Call& call) {
    auto exec = execution_by_arn(api::str(call.params, "executionArn"));
    if (exec->express())
        throw error("ExecutionNotRedrivable",
                    "Execution with arn " + exec->arn + " cannot be redriven: Express executions cannot be redriven");
    if (exec->status == "RUNNING" || exec->status == "SUCCEEDED")
        throw error("ExecutionNotRedrivable", "Execution with arn " + exec->arn + " cannot be redriven: Execution is " +
                                                  exec->status + " and cannot be redriven");
    interpreter_.redrive(exec);
    return {{"redriveDate", core::epoch_seconds_fraction(*exec->redrive_date)}};
}

// ---- task tokens

namespace {

void check_token(Interpreter& interpreter, const std::string& token) {
    switch (interpreter.token_state(token)) {
        case Interpreter::TokenState::Open:
            return;
        case Interpreter::TokenState::Finished:
            throw error("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'");
        case Interpreter::TokenState::Unknown:
            // Sluice's tokens all start "AQB" and are base64: anything else is not a token at all.
            if (!token.starts_with("AQB")) throw error("InvalidToken", "Invalid Token: 'Invalid token'");
            throw error("TaskDoesNotExist", "Task does not exist anymore");
    }
}

}  // namespace

Json SfnService::send_task_success(const Call& call) {
    const auto token = api::str(call.params, "taskToken");
    const auto output_text = api::str(call.params, "output");
    Json output = user_json(output_text, "InvalidOutput", "Invalid Output");
    check_token(interpreter_, token);
    interpreter_.token_success(token, std::move(output));
    return Json::object();
}

Json SfnService::send_task_failure(const Call& call) {
    const auto token = api::str(call.params, "taskToken");
    check_token(interpreter_, token);
    interpreter_.token_failure(token, api::str(call.params, "error"), api::str(call.params, "cause"));
    return Json::object();
}

Json SfnService::send_task_heartbeat(const Call& call) {
    const auto token = api::str(call.params, "taskToken");
    check_token(interpreter_, token);
    interpreter_.token_heartbeat(token);
    return Json::object();
}

// ---- map runs: Sluice runs every Map inline, and inline Maps have no map runs.

Json SfnService::describe_map_run(const Call& call) {
    const auto arn = api::str(call.params, "mapRunArn");
    auto parsed = api::StatesArn::parse(arn);
    if (!parsed || parsed->type != "mapRun") throw api::invalid_arn(arn);
    throw error("ResourceNotFound", "Resource not found: '" + arn + "'");
}

Json SfnService::list_map_runs(const Call& call) {
    execution_by_arn(api::str(call.params, "executionArn"));
    return {{"mapRuns", Json::array()}};
}

Json SfnService::update_map_run(const Call& call) {
    return describe_map_run(call);
}

}  // namespace sluice::sfn
