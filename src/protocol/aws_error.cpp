#include "sluice/protocol/aws_error.hpp"

namespace sluice::protocol::common_errors {

// Errors raised by AWS's request front end rather than by a service carry the front end's own
// namespace on the JSON wire, and their classic names as query codes (SQS JSON error recordings).
namespace {
constexpr const char* kCoral = "com.amazon.coral.service#";
}

AwsError missing_parameter(const std::string& name) {
    return AwsError(std::string(kCoral) + "MissingRequiredParameterException",
                    "The request must contain the parameter " + name + ".", 400, true, "MissingParameter");
}

AwsError invalid_parameter_value(const std::string& message) {
    return AwsError(std::string(kCoral) + "InvalidParameterValueException", message, 400, true,
                    "InvalidParameterValue");
}

AwsError invalid_action(const std::string& action) {
    return AwsError(std::string(kCoral) + "UnknownOperationException",
                    "The action " + action + " is not valid for this endpoint.", 400, true, "InvalidAction");
}

AwsError unknown_operation(const std::string& target) {
    return AwsError(std::string(kCoral) + "UnknownOperationException", "Unknown operation " + target + ".", 400, true,
                    "InvalidAction");
}

AwsError serialization(const std::string& message) {
    return AwsError(std::string(kCoral) + "SerializationException", message, 400, true, "MalformedInput");
}

AwsError internal_failure(const std::string& message) {
    return AwsError(std::string(kCoral) + "InternalFailure", message, 500, false, "InternalFailure");
}

}  // namespace sluice::protocol::common_errors
