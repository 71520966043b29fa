#pragma once
// The one error type every service op throws. It carries everything each wire format needs,
// so codecs render it without knowing which service raised it.
#include <map>
#include <stdexcept>
#include <string>

namespace sluice::protocol {

struct AwsError : std::runtime_error {
private:
    std::string text_;

public:
    // The JSON __type: a model error shape name ("QueueDoesNotExist", which the codec qualifies
    // with the service's namespace) or an already qualified name ("com.amazon.coral.service#...").
    std::string code;
    std::string query_code;  // the legacy query code, e.g. "AWS.SimpleQueueService.NonExistentQueue"
    int status = 400;
    bool sender_fault = true;
    // Further string members of the error shape, for codecs whose bodies carry them
    // (Pipes' ConflictException: resourceId, resourceType).
    std::map<std::string, std::string> fields;

    AwsError(std::string code_, std::string message, int status_ = 400, bool sender_fault_ = true,
             std::string query_code_ = {})
        : std::runtime_error(message),
          text_(std::move(message)),
          code(std::move(code_)),
          query_code(query_code_.empty() ? short_code() : std::move(query_code_)),
          status(status_),
          sender_fault(sender_fault_) {}

    // The message as given: what() is a C string and would end it at a NUL, which AWS keeps
    // (its recording test_create_activity_invalid_name["\x00activity"]: "Invalid Name: '\x00activity'").
    std::string message() const { return text_; }
    // The code without a namespace: "InvalidParameterValueException".
    std::string short_code() const { return code.substr(code.find('#') + 1); }
};

// Errors every AWS protocol shares (not in any one service's model).
namespace common_errors {
AwsError missing_parameter(const std::string& name);
AwsError invalid_parameter_value(const std::string& message);
AwsError invalid_action(const std::string& action);
AwsError unknown_operation(const std::string& target);
AwsError serialization(const std::string& message);
AwsError internal_failure(const std::string& message);
}  // namespace common_errors

}  // namespace sluice::protocol
