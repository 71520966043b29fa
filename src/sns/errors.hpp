#pragma once
// SNS's errors, with the codes of its model and the texts AWS's recordings show
// (docs/research/sns-behaviour.md).
#include <string>

#include "sluice/protocol/aws_error.hpp"
#include "sluice/protocol/call.hpp"

namespace sluice::sns::errors {

protocol::AwsError invalid_parameter(const std::string& what);  // "Invalid parameter: <what>"
protocol::AwsError not_found(const std::string& message);
protocol::AwsError topic_not_found();
protocol::AwsError model_error(const std::string& code, const std::string& message);
// "1 validation error detected: Value null at '<member>' ...": a required member is missing.
protocol::AwsError missing(const std::string& member);

// The string member `name` of `params`, or nullptr.
const std::string* string_member(const protocol::Json& params, const char* name);
// The string member `name`, or ValidationError when it is missing (SNS names it in camel case).
const std::string& required_string(const protocol::Json& params, const char* name);

}  // namespace sluice::sns::errors
