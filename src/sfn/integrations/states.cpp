// The Step Functions integration: `states:startExecution` with `.sync`, `.sync:2` and
// `.waitForTaskToken` (and `aws-sdk:sfn:startExecution`). The child starts through the
// service's StartExecution op; `.sync` waits for it to stop and reports it as DescribeExecution
// would, in the Java SDK's PascalCase.
#include "integrations.hpp"
#include "sdk_support.hpp"
#include "sluice/core/ids.hpp"
#include "sluice/protocol/json_text.hpp"
#include "sluice/sfn/errors.hpp"

namespace sluice::sfn {

namespace {

// A describe of a finished execution the way `.sync` integrations report it (PascalCase).
Json sync_output(const Execution& e, bool parsed) {
    Json out = {{"ExecutionArn", e.arn},
                {"StateMachineArn", e.machine->arn},
                {"Name", e.name},
                {"Status", e.status},
                {"StartDate", core::epoch_millis(e.start_date)},
                {"StopDate", core::epoch_millis(e.stop_date.value_or(e.start_date))},
                {"Input", parsed ? e.input : Json(e.input_text)},
                {"InputDetails", {{"Included", true}}},
                {"RedriveCount", e.redrive_count},
                {"RedriveStatus", e.status == "SUCCEEDED" ? "NOT_REDRIVABLE" : "REDRIVABLE"}};
    if (e.status == "SUCCEEDED") out["RedriveStatusReason"] = "Execution is SUCCEEDED and cannot be redriven";
    if (e.output_text) {
        Json parsed_output = protocol::parse_json(*e.output_text);
        out["Output"] = parsed ? parsed_output : Json(*e.output_text);
        out["OutputDetails"] = {{"Included", true}};
    }
    if (e.error) out["Error"] = *e.error;
    if (e.cause) out["Cause"] = *e.cause;
    return out;
}

}  // namespace

std::function<void()> Integrations::start_states(const TaskInvocation& task, TaskCallbacks callbacks) {
    const auto& r = task.resource;
    if (r.api != "startExecution")
        return fail_soon(callbacks, errors::kRuntime, "Sluice does not support the integration '" + r.arn + "'.");
    Json params = task.parameters.is_object() ? task.parameters : Json::object();
    Json call = Json::object();
    if (auto arn = params.find("StateMachineArn"); arn != params.end() && arn->is_string())
        call["stateMachineArn"] = *arn;
    if (auto in = params.find("Input"); in != params.end())
        call["input"] = in->is_string() ? in->get<std::string>() : protocol::dump_json(*in);
    if (auto name = params.find("Name"); name != params.end() && name->is_string()) call["name"] = *name;
    if (auto trace = params.find("TraceHeader"); trace != params.end() && trace->is_string())
        call["traceHeader"] = *trace;
    const auto pattern = r.pattern;
    // The child's ARN once it started, and whether the parent's task was cancelled before that;
    // both read and written under the service's lock.
    struct Child {
        std::string arn;
        bool cancelled = false;
    };
    auto child = std::make_shared<Child>();
    client_.call("stepfunctions", "StartExecution", std::move(call), task.scope,
                 [this, callbacks, pattern, child](protocol::Outcome outcome) {
                     if (auto* e = std::get_if<protocol::AwsError>(&outcome)) {
                         std::string code = e->short_code();
                         if (!code.ends_with("Exception")) code += "Exception";
                         return callbacks.failed("StepFunctions." + code, e->message());
                     }
                     const Json& started = std::get<Json>(outcome);
                     lock_.run([&] {
                         child->arn = started.value("executionArn", "");
                         auto execution = children_.execution(child->arn);
                         if (child->cancelled) {
                             // The parent's task ended while the start was on its way: the child goes too.
                             if (execution && execution->running()) children_.abort_child(*execution);
                             return;
                         }
                         Json response = integration::with_sdk_metadata(
                             {{"ExecutionArn", child->arn},
                              {"StartDate", static_cast<long long>(started.value("startDate", 0.0) * 1000)}},
                             core::random_uuid_string(), "application/x-amz-json-1.0");
                         if (pattern == TaskResource::Pattern::RequestResponse ||
                             pattern == TaskResource::Pattern::WaitForTaskToken)
                             return callbacks.succeeded(std::move(response));
                         callbacks.submitted(response);
                         // `.sync`: wait for the child to stop, then report it as DescribeExecution would.
                         if (!execution) return callbacks.failed(errors::kTaskFailed, "The started execution is gone");
                         const bool parsed = pattern == TaskResource::Pattern::Sync2;
                         auto done = [callbacks, parsed](const Execution& e) {
                             Json out = sync_output(e, parsed);
                             if (e.status == "SUCCEEDED")
                                 callbacks.succeeded(std::move(out));
                             else
                                 callbacks.failed(errors::kTaskFailed, protocol::dump_json(out));
                         };
                         if (!execution->running())
                             done(*execution);
                         else
                             execution->on_stop.push_back(std::move(done));
                     });
                 });
    // Cancelling the parent's task (timeout, StopExecution) stops the child, as AWS does.
    return [this, child] {
        // Called by the interpreter, under the service's lock.
        child->cancelled = true;
        if (child->arn.empty()) return;
        if (auto execution = children_.execution(child->arn); execution && execution->running())
            children_.abort_child(*execution);
    };
}

}  // namespace sluice::sfn
