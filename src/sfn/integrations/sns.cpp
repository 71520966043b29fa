// The SNS integrations: the optimized `sns:publish` and every `aws-sdk:sns:*` operation.
#include "integrations.hpp"
#include "sdk_support.hpp"
#include "sluice/core/ids.hpp"
#include "sluice/protocol/json_text.hpp"
#include "sluice/sfn/errors.hpp"

namespace sluice::sfn {

std::function<void()> Integrations::start_sns(const TaskInvocation& task, TaskCallbacks callbacks) {
    const auto& r = task.resource;
    const bool optimized = !r.sdk;
    // The optimized SNS integration has one API, publish (the connect-sns page of the Step
    // Functions guide); every other operation goes through aws-sdk:sns:*.
    if (optimized && r.api != "publish")
        return fail_soon(callbacks, errors::kRuntime,
                         "The resource '" + r.arn +
                             "' is not a valid SNS integration: the optimized SNS integration supports "
                             "publish only.");
    if (r.pattern == TaskResource::Pattern::Sync || r.pattern == TaskResource::Pattern::Sync2)
        return fail_soon(callbacks, errors::kRuntime,
                         "The resource '" + r.arn + "' does not support the .sync pattern.");
    Json params = task.parameters.is_object() ? task.parameters : Json::object();
    // Step Functions serializes a JSON Message for the optimized integration, as it does SQS's
    // MessageBody (connect-sns: "Message": {"Input.$": "$.message"} arrives as text).
    if (optimized)
        if (auto message = params.find("Message"); message != params.end() && !message->is_string())
            *message = protocol::dump_json(*message);
    client_.call("sns", integration::capitalized(r.api), std::move(params), task.scope,
                 [callbacks, optimized](protocol::Outcome outcome) {
                     if (auto* result = std::get_if<Json>(&outcome)) {
                         callbacks.succeeded(optimized ? integration::with_sdk_metadata(
                                                             std::move(*result), core::random_uuid_string(), "text/xml")
                                                       : std::move(*result));
                         return;
                     }
                     const auto& e = std::get<protocol::AwsError>(outcome);
                     auto sdk =
                         optimized ? integration::sdk_v1_error(e, "SNS", "SNS") : integration::sdk_v2_error(e, "Sns");
                     callbacks.failed(sdk.error, sdk.cause);
                 });
    return {};
}

}  // namespace sluice::sfn
