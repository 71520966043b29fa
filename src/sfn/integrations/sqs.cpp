// The SQS integrations: the optimized `sqs:sendMessage` and every `aws-sdk:sqs:*` operation.
#include "integrations.hpp"
#include "sdk_support.hpp"
#include "sluice/core/ids.hpp"
#include "sluice/protocol/json_text.hpp"
#include "sluice/sfn/errors.hpp"

namespace sluice::sfn {

std::function<void()> Integrations::start_sqs(const TaskInvocation& task, TaskCallbacks callbacks) {
    const auto& r = task.resource;
    const bool optimized = !r.sdk;
    if (optimized && r.api != "sendMessage")
        return fail_soon(
            callbacks, errors::kRuntime,
            "The resource '" + r.arn +
                "' is not a valid SQS integration: the optimized SQS integration supports sendMessage only.");
    if (r.pattern == TaskResource::Pattern::Sync || r.pattern == TaskResource::Pattern::Sync2)
        return fail_soon(callbacks, errors::kRuntime,
                         "The resource '" + r.arn + "' does not support the .sync pattern.");
    Json params = task.parameters.is_object() ? task.parameters : Json::object();
    // Step Functions serializes a JSON MessageBody for the optimized integration.
    if (optimized)
        if (auto body = params.find("MessageBody"); body != params.end() && !body->is_string())
            *body = protocol::dump_json(*body);
    client_.call("sqs", integration::capitalized(r.api), std::move(params), task.scope,
                 [callbacks, optimized](protocol::Outcome outcome) {
                     if (auto* result = std::get_if<Json>(&outcome)) {
                         callbacks.succeeded(optimized ? integration::with_sdk_metadata(std::move(*result),
                                                                                        core::random_uuid_string(),
                                                                                        "application/x-amz-json-1.0")
                                                       : std::move(*result));
                         return;
                     }
                     const auto& e = std::get<protocol::AwsError>(outcome);
                     // Optimized integrations report errors as the AWS SDK for Java v1 does ("SQS.<Class>",
                     // AmazonSQSException for codes without a class of their own); aws-sdk ones as v2 does.
                     auto sdk =
                         optimized ? integration::sdk_v1_error(e, "SQS", "SQS") : integration::sdk_v2_error(e, "Sqs");
                     callbacks.failed(sdk.error, sdk.cause);
                 });
    return {};
}

}  // namespace sluice::sfn
