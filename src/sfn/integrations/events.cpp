// The EventBridge integrations: the optimized `events:putEvents` (request-response and
// .waitForTaskToken, as connect-eventbridge lists them) and every `aws-sdk:eventbridge:*` operation.
#include "integrations.hpp"
#include "sdk_support.hpp"
#include "sluice/core/ids.hpp"
#include "sluice/protocol/json_text.hpp"
#include "sluice/sfn/errors.hpp"

namespace sluice::sfn {

std::function<void()> Integrations::start_events(const TaskInvocation& task, TaskCallbacks callbacks) {
    const auto& r = task.resource;
    const bool optimized = !r.sdk;
    if (optimized && r.api != "putEvents")
        return fail_soon(callbacks, errors::kRuntime,
                         "The resource '" + r.arn +
                             "' is not a valid EventBridge integration: the optimized EventBridge integration "
                             "supports putEvents only.");
    if (r.pattern == TaskResource::Pattern::Sync || r.pattern == TaskResource::Pattern::Sync2)
        return fail_soon(callbacks, errors::kRuntime,
                         "The resource '" + r.arn + "' does not support the .sync pattern.");
    Json params = task.parameters.is_object() ? task.parameters : Json::object();
    // Step Functions serializes a JSON Detail for the optimized integration (connect-eventbridge).
    if (optimized)
        if (auto entries = params.find("Entries"); entries != params.end() && entries->is_array())
            for (auto& entry : *entries)
                if (auto detail = entry.find("Detail");
                    entry.is_object() && detail != entry.end() && !detail->is_string())
                    *detail = protocol::dump_json(*detail);
    client_.call("events", integration::capitalized(r.api), std::move(params), task.scope,
                 [callbacks, optimized](protocol::Outcome outcome) {
                     if (auto* result = std::get_if<Json>(&outcome)) {
                         // An entry EventBridge refused fails the optimized task (connect-eventbridge:
                         // "EventBridge.FailedEntry").
                         if (optimized && result->value("FailedEntryCount", 0) > 0) {
                             callbacks.failed("EventBridge.FailedEntry", protocol::dump_json(*result));
                             return;
                         }
                         callbacks.succeeded(optimized ? integration::with_sdk_metadata(std::move(*result),
                                                                                        core::random_uuid_string(),
                                                                                        "application/x-amz-json-1.1")
                                                       : std::move(*result));
                         return;
                     }
                     const auto& e = std::get<protocol::AwsError>(outcome);
                     auto sdk = optimized ? integration::sdk_v1_error(e, "EventBridge", "EventBridge")
                                          : integration::sdk_v2_error(e, "EventBridge");
                     callbacks.failed(sdk.error, sdk.cause);
                 });
    return {};
}

}  // namespace sluice::sfn
