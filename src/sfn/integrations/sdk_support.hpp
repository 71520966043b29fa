#pragma once
// What the service integrations share: the shape Step Functions' Java SDK gives results and
// errors, and the translation between its PascalCase members and a model's own names.
#include <string>

#include "sluice/protocol/aws_error.hpp"
#include "sluice/protocol/call.hpp"
#include "sluice/protocol/model.hpp"

namespace sluice::sfn::integration {

using Json = protocol::Json;

// The metadata the Java SDK behind Step Functions adds to an optimized integration's result.
Json with_sdk_metadata(Json result, const std::string& request_id, const std::string& content_type);

// An optimized integration's error as the AWS SDK for Java v1 reports it: "<Prefix>.<Class>"
// ("SQS.QueueDoesNotExistException", "ECS.ClusterNotFoundException"; "<Prefix>.Amazon<Service>Exception"
// for codes the model lacks) and "<message> (Service: Amazon<Service>; Status Code: ...)".
struct SdkError {
    std::string error, cause;
};
SdkError sdk_v1_error(const protocol::AwsError& e, const std::string& prefix, const std::string& service);
// An `aws-sdk:*` integration's error as the AWS SDK for Java v2 reports it: "<Service>.<Code>Exception"
// and "<message> (Service: <Service>, Status Code: ..., Request ID: ...)", `service` as "Sqs", "Ecs".
SdkError sdk_v2_error(const protocol::AwsError& e, const std::string& service);

// "sendMessage" -> "SendMessage": a resource's API name as the model's operation name.
std::string capitalized(std::string s);

// Parameters as a state machine writes them ("TaskDefinition", "Overrides.ContainerOverrides")
// turned into the model's member names ("taskDefinition", "overrides.containerOverrides"),
// walking the shape so nested structures convert too and map keys stay as written.
Json to_model_case(const Json& value, const protocol::Shape& shape);
// The way back for results: PascalCase members, timestamps as epoch milliseconds, and every
// list member present (the Java SDK gives absent lists as []).
Json to_sdk_case(const Json& value, const protocol::Shape& shape);

}  // namespace sluice::sfn::integration
