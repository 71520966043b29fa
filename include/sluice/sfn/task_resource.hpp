#pragma once
// What a Task state's `Resource` names: a service integration
// (`arn:aws:states:::sqs:sendMessage`, `...:::aws-sdk:sqs:sendMessage`,
// `...:::states:startExecution.sync:2`), an activity, or a Lambda function.
#include <optional>
#include <string>
#include <string_view>

namespace sluice::sfn {

struct TaskResource {
    enum class Kind { Integration, Activity, Lambda };
    enum class Pattern { RequestResponse, Sync, Sync2, WaitForTaskToken };
    Kind kind = Kind::Integration;
    Pattern pattern = Pattern::RequestResponse;
    bool sdk = false;     // the `aws-sdk:` form
    std::string service;  // "sqs", "states", "ecs", "lambda"...
    std::string api;      // "sendMessage", "startExecution"...
    std::string arn;      // the resource as written
    // What history events name: resourceType "sqs" / "aws-sdk:sqs", resource "sendMessage.sync".
    std::string history_type() const;
    std::string history_resource() const;

    static std::optional<TaskResource> parse(std::string_view arn);
};

}  // namespace sluice::sfn
