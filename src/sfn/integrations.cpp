// Task states that call services: SQS (optimized `sqs:sendMessage` and every `aws-sdk:sqs:*`
// op) and Step Functions itself (`states:startExecution` with `.sync`, `.sync:2`,
// `.waitForTaskToken`). They call the services' ops in process, never over HTTP.
#include <spdlog/spdlog.h>

#include "api_support.hpp"
#include "integration_support.hpp"
#include "sluice/protocol/json_rpc.hpp"
#include "sluice/protocol/json_text.hpp"

namespace sluice::sfn {

namespace {

std::string capitalized(std::string s) {
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
    return s;
}

Json with_sdk_metadata(Json result, const std::string& request_id) {
    return integration::with_sdk_metadata(std::move(result), request_id, "application/x-amz-json-1.0");
}

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

void SfnService::call_peer(const std::string& service, const std::string& operation, Json params,
                           const core::Scope& scope, protocol::Reply reply) {
    protocol::Service* peer = service == "states" ? this : nullptr;
    if (!peer)
        if (auto it = peers_.find(service); it != peers_.end()) peer = it->second;
    if (!peer) return reply(protocol::AwsError("ServiceUnavailable", "Sluice does not run the " + service + " service"));
    Call call;
    call.service = service;
    call.operation = operation;
    call.params = std::move(params);
    call.context.scope = scope;
    call.context.host = "localhost:4566";
    call.context.request_id = core::random_uuid_string();
    // Parameters get the type checks the JSON front end makes over HTTP; services may throw
    // their errors instead of replying (the router catches them for HTTP).
    try {
        if (const auto* op = peer->model().operation(operation); op && op->input)
            protocol::json_rpc::check_types(call.params, *op->input);
        peer->invoke(std::move(call), reply);
    } catch (const protocol::AwsError& e) {
        reply(e);
    } catch (const std::exception& e) {
        reply(protocol::common_errors::internal_failure(e.what()));
    }
}

Json SfnService::parameters_for(const TaskResource& r, Json parameters) const {
    // Step Functions marks the ECS tasks it waits for: ECS shows them with this startedBy, and
    // TaskScheduled shows it among the parameters (docs/research/ecs-behaviour.md §4).
    if (r.kind == TaskResource::Kind::Integration && !r.sdk && r.service == "ecs" &&
        r.pattern == TaskResource::Pattern::Sync && parameters.is_object() && !parameters.contains("StartedBy"))
        parameters["StartedBy"] = "AWS Step Functions";
    return parameters;
}

std::function<void()> SfnService::start(const TaskInvocation& task, TaskCallbacks callbacks) {
    const auto& r = task.resource;
    auto unsupported = [&](const std::string& why) {
        scheduler_.post([callbacks, why] { callbacks.failed(errors::kRuntime, why); });
        return std::function<void()>();
    };
    if (r.kind == TaskResource::Kind::Lambda)
        return unsupported("Sluice does not run Lambda functions: the resource '" + r.arn + "' is not supported.");
    if (r.service == "sqs") return start_sqs(task, std::move(callbacks));
    if (r.service == "ecs") return start_ecs(task, std::move(callbacks));
    if (r.service == "states" || (r.sdk && r.service == "sfn")) return start_states(task, std::move(callbacks));
    return unsupported("Sluice does not support the integration '" + r.arn + "' (service '" + r.service + "').");
}

std::function<void()> SfnService::start_sqs(const TaskInvocation& task, TaskCallbacks callbacks) {
    const auto& r = task.resource;
    const bool optimized = !r.sdk;
    if (optimized && r.api != "sendMessage") {
        scheduler_.post([callbacks, r] {
            callbacks.failed(errors::kRuntime, "The resource '" + r.arn + "' is not a valid SQS integration: the optimized SQS integration supports sendMessage only.");
        });
        return {};
    }
    if (r.pattern == TaskResource::Pattern::Sync || r.pattern == TaskResource::Pattern::Sync2) {
        scheduler_.post([callbacks, r] { callbacks.failed(errors::kRuntime, "The resource '" + r.arn + "' does not support the .sync pattern."); });
        return {};
    }
    Json params = task.parameters.is_object() ? task.parameters : Json::object();
    // Step Functions serializes a JSON MessageBody for the optimized integration.
    if (optimized)
        if (auto body = params.find("MessageBody"); body != params.end() && !body->is_string()) *body = protocol::dump_json(*body);
    const auto operation = capitalized(r.api);
    const auto scope = task.scope;
    scheduler_.post([this, callbacks, params = std::move(params), operation, scope, optimized]() mutable {
        call_peer("sqs", operation, std::move(params), scope, [callbacks, optimized](protocol::Outcome outcome) {
            if (auto* result = std::get_if<Json>(&outcome)) {
                callbacks.succeeded(optimized ? with_sdk_metadata(std::move(*result), core::random_uuid_string()) : std::move(*result));
                return;
            }
            const auto& e = std::get<protocol::AwsError>(outcome);
            // Optimized integrations report errors as the AWS SDK for Java v1 does ("SQS.<Class>",
            // AmazonSQSException for codes without a class of their own); aws-sdk ones as v2 does.
            if (optimized) {
                auto sdk = integration::sdk_v1_error(e, "SQS", "SQS");
                return callbacks.failed(sdk.error, sdk.cause);
            }
            std::string code = e.short_code();
            if (!code.ends_with("Exception")) code += "Exception";
            callbacks.failed("Sqs." + code, e.message() + " (Service: Sqs, Status Code: " + std::to_string(e.status) +
                                                    ", Request ID: " + core::random_uuid_string() + ")");
        });
    });
    return {};
}

std::function<void()> SfnService::start_states(const TaskInvocation& task, TaskCallbacks callbacks) {
    const auto& r = task.resource;
    if (r.api != "startExecution") {
        scheduler_.post([callbacks, r] { callbacks.failed(errors::kRuntime, "Sluice does not support the integration '" + r.arn + "'."); });
        return {};
    }
    Json params = task.parameters.is_object() ? task.parameters : Json::object();
    Json call = Json::object();
    if (auto arn = params.find("StateMachineArn"); arn != params.end() && arn->is_string()) call["stateMachineArn"] = *arn;
    if (auto in = params.find("Input"); in != params.end()) call["input"] = in->is_string() ? in->get<std::string>() : protocol::dump_json(*in);
    if (auto name = params.find("Name"); name != params.end() && name->is_string()) call["name"] = *name;
    if (auto trace = params.find("TraceHeader"); trace != params.end() && trace->is_string()) call["traceHeader"] = *trace;
    const auto pattern = r.pattern;
    const auto scope = task.scope;
    // The child's ARN once it started, and whether the parent's task was cancelled before that;
    // both read and written under mutex_.
    struct Child {
        std::string arn;
        bool cancelled = false;
    };
    auto child = std::make_shared<Child>();
    scheduler_.post([this, callbacks, call = std::move(call), pattern, scope, child]() mutable {
        call_peer("states", "StartExecution", std::move(call), scope, [this, callbacks, pattern, child](protocol::Outcome outcome) {
            if (auto* e = std::get_if<protocol::AwsError>(&outcome)) {
                std::string code = e->short_code();
                if (!code.ends_with("Exception")) code += "Exception";
                return callbacks.failed("StepFunctions." + code, e->message());
            }
            const Json& started = std::get<Json>(outcome);
            std::lock_guard lock(mutex_);
            child->arn = started.value("executionArn", "");
            if (child->cancelled) {
                // The parent's task ended while the start was on its way: the child goes too.
                if (auto it = executions_.find(child->arn); it != executions_.end() && it->second->running())
                    interpreter_.abort(*it->second, std::nullopt, std::string("Parent execution stopped"));
                return;
            }
            Json response = with_sdk_metadata({{"ExecutionArn", child->arn}, {"StartDate", static_cast<long long>(started.value("startDate", 0.0) * 1000)}},
                                              core::random_uuid_string());
            if (pattern == TaskResource::Pattern::RequestResponse || pattern == TaskResource::Pattern::WaitForTaskToken)
                return callbacks.succeeded(std::move(response));
            callbacks.submitted(response);
            // `.sync`: wait for the child to stop, then report it as DescribeExecution would.
            auto it = executions_.find(child->arn);
            if (it == executions_.end()) return callbacks.failed(errors::kTaskFailed, "The started execution is gone");
            const bool parsed = pattern == TaskResource::Pattern::Sync2;
            auto done = [callbacks, parsed](const Execution& e) {
                Json out = sync_output(e, parsed);
                if (e.status == "SUCCEEDED") callbacks.succeeded(std::move(out));
                else callbacks.failed(errors::kTaskFailed, protocol::dump_json(out));
            };
            if (!it->second->running()) done(*it->second);
            else it->second->on_stop.push_back(std::move(done));
        });
    });
    // Cancelling the parent's task (timeout, StopExecution) stops the child, as AWS does.
    return [this, child] {
        // Called by the interpreter, under mutex_.
        child->cancelled = true;
        if (child->arn.empty()) return;
        auto it = executions_.find(child->arn);
        if (it != executions_.end() && it->second->running())
            interpreter_.abort(*it->second, std::nullopt, std::string("Parent execution stopped"));
    };
}

}  // namespace sluice::sfn
