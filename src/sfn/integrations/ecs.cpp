// The ECS integrations: `ecs:runTask` (the state ends once ECS accepted the task),
// `ecs:runTask.sync` (it ends when the task stops: States.TaskFailed unless every container
// exited 0) and `ecs:runTask.waitForTaskToken`; and `aws-sdk:ecs:*`. The ECS service is called
// in process through its ops, with the state machine's PascalCase parameters converted by
// walking the ECS model, so nested overrides arrive intact.
#include <spdlog/spdlog.h>

#include "integrations.hpp"
#include "sdk_support.hpp"
#include "sluice/core/ids.hpp"
#include "sluice/protocol/internal_operations.hpp"
#include "sluice/sfn/errors.hpp"

namespace sluice::sfn {

namespace {

// `.sync` succeeds only when every container ran and exited 0, sidecars included.
bool every_container_exited_zero(const Json& task) {
    const auto& containers = task.value("containers", Json::array());
    if (containers.empty()) return false;
    for (const auto& c : containers)
        if (!c.contains("exitCode") || c["exitCode"] != 0) return false;
    return true;
}

}  // namespace

std::function<void()> Integrations::start_ecs(const TaskInvocation& task, TaskCallbacks callbacks) {
    const auto& r = task.resource;
    const protocol::Model* model = client_.model("ecs");
    if (!model) return fail_soon(callbacks, errors::kRuntime, "Sluice does not run the ECS service");
    const protocol::Model& ecs_model = *model;
    const std::string operation = integration::capitalized(r.api);
    const auto* op = ecs_model.operation(operation);
    if (!op || (!r.sdk && operation != "RunTask"))
        return fail_soon(
            callbacks, errors::kRuntime,
            "The resource '" + r.arn + "' is not a valid ECS integration: " +
                (r.sdk ? "ECS has no operation " + operation : "the optimized ECS integration supports runTask only") +
                ".");
    if (r.pattern == TaskResource::Pattern::Sync2 || (r.sdk && r.pattern != TaskResource::Pattern::RequestResponse))
        return fail_soon(callbacks, errors::kRuntime,
                         "The resource '" + r.arn + "' does not support this integration pattern.");

    const Json params = task.parameters.is_object() ? task.parameters : Json::object();
    const auto pattern = r.pattern;
    Json input = op->input ? integration::to_model_case(params, *op->input) : Json::object();
    const auto scope = task.scope;
    const bool sdk = r.sdk;

    // The started task, and whether the state was cancelled before ECS answered; under the lock.
    struct Started {
        std::string task_arn, cluster;
        bool cancelled = false;
    };
    auto started = std::make_shared<Started>();
    auto stop_task = [this, scope](const std::string& cluster, const std::string& task_arn) {
        Json stop = {{"task", task_arn}, {"reason", "Task stopped by AWS Step Functions"}};
        if (!cluster.empty()) stop["cluster"] = cluster;
        client_.call("ecs", "StopTask", std::move(stop), scope, [](protocol::Outcome) {});
    };

    client_.call(
        "ecs", operation, std::move(input), scope,
        [this, callbacks, op, scope, pattern, sdk, started, stop_task, &ecs_model](protocol::Outcome outcome) {
            if (auto* e = std::get_if<protocol::AwsError>(&outcome)) {
                auto failure = sdk ? integration::sdk_v2_error(*e, "Ecs") : integration::sdk_v1_error(*e, "ECS", "ECS");
                return callbacks.failed(failure.error, failure.cause);
            }
            Json result = std::move(std::get<Json>(outcome));
            Json response = op->output ? integration::to_sdk_case(result, *op->output) : result;
            if (sdk) return callbacks.succeeded(std::move(response));
            response = integration::with_sdk_metadata(std::move(response), core::random_uuid_string(),
                                                      "application/x-amz-json-1.1");
            if (pattern == TaskResource::Pattern::RequestResponse) return callbacks.succeeded(std::move(response));

            const auto& failures = result.value("failures", Json::array());
            const auto& tasks = result.value("tasks", Json::array());
            if (!failures.empty() || tasks.empty())
                return callbacks.failed("AmazonECS.Unknown", integration::to_sdk_case(result, *op->output).dump());
            const std::string task_arn = tasks[0].value("taskArn", ""), cluster = tasks[0].value("clusterArn", "");
            const bool cancelled = lock_.run([&] {
                started->task_arn = task_arn;
                started->cluster = cluster;
                return started->cancelled;
            });
            if (cancelled) return stop_task(cluster, task_arn);  // the state ended while RunTask was on its way
            if (pattern == TaskResource::Pattern::WaitForTaskToken) return callbacks.succeeded(std::move(response));

            // `.sync`: wait for the task to stop, then judge it by its containers' exit codes.
            callbacks.submitted(response);
            const protocol::Shape* task_shape = ecs_model.shape("Task");
            client_.call("ecs", protocol::internal::kWaitTaskStopped, Json{{"cluster", cluster}, {"task", task_arn}},
                         scope, [callbacks, task_shape](protocol::Outcome stopped) {
                             if (auto* e = std::get_if<protocol::AwsError>(&stopped))
                                 return callbacks.failed(errors::kTaskFailed, e->message());
                             const Json& described = std::get<Json>(stopped)["task"];
                             Json out = task_shape ? integration::to_sdk_case(described, *task_shape) : described;
                             // The result is built from ECS's task state-change event, which names the ENI "eni".
                             for (auto& a : out["Attachments"])
                                 if (a.value("Type", "") == "ElasticNetworkInterface") a["Type"] = "eni";
                             if (every_container_exited_zero(described)) return callbacks.succeeded(std::move(out));
                             callbacks.failed(errors::kTaskFailed, out.dump());
                         });
        });
    if (pattern == TaskResource::Pattern::RequestResponse) return {};
    // A `.sync` state that is cancelled (StopExecution, timeout, a failed sibling branch) stops
    // its task; so does a `.waitForTaskToken` one whose timeout or heartbeat ran out.
    return [started, stop_task] {
        // Called by the interpreter under the service's lock; the client sends the stop later.
        started->cancelled = true;
        if (!started->task_arn.empty()) stop_task(started->cluster, started->task_arn);
    };
}

}  // namespace sluice::sfn
