// Which integration performs a Task state, and what Step Functions adds to its parameters.
#include "integrations.hpp"

#include "sluice/sfn/errors.hpp"

namespace sluice::sfn {

Json Integrations::parameters_for(const TaskResource& r, Json parameters) const {
    // Step Functions marks the ECS tasks it waits for: ECS shows them with this startedBy, and
    // TaskScheduled shows it among the parameters (docs/research/ecs-behaviour.md §4).
    if (r.kind == TaskResource::Kind::Integration && !r.sdk && r.service == "ecs" &&
        r.pattern == TaskResource::Pattern::Sync && parameters.is_object() && !parameters.contains("StartedBy"))
        parameters["StartedBy"] = "AWS Step Functions";
    return parameters;
}

std::function<void()> Integrations::start(const TaskInvocation& task, TaskCallbacks callbacks) {
    const auto& r = task.resource;
    if (r.kind == TaskResource::Kind::Lambda)
        return fail_soon(callbacks, errors::kRuntime,
                         "Sluice does not run Lambda functions: the resource '" + r.arn + "' is not supported.");
    if (r.service == "sqs") return start_sqs(task, std::move(callbacks));
    if (r.service == "sns") return start_sns(task, std::move(callbacks));
    if (r.service == "ecs") return start_ecs(task, std::move(callbacks));
    if (r.service == "events" || (r.sdk && r.service == "eventbridge")) return start_events(task, std::move(callbacks));
    if (r.service == "states" || (r.sdk && r.service == "sfn")) return start_states(task, std::move(callbacks));
    return fail_soon(callbacks, errors::kRuntime,
                     "Sluice does not support the integration '" + r.arn + "' (service '" + r.service + "').");
}

std::function<void()> Integrations::fail_soon(const TaskCallbacks& callbacks, std::string error, std::string cause) {
    scheduler_.post(
        [callbacks, error = std::move(error), cause = std::move(cause)] { callbacks.failed(error, cause); });
    return {};
}

}  // namespace sluice::sfn
