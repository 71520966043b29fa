#pragma once
// The two kinds of failure in Step Functions, kept apart because users see them differently:
// - a Diagnostic is a flaw in a definition, found before anything runs; CreateStateMachine
//   answers InvalidDefinition with all of them ("SCHEMA_VALIDATION_FAILED: ... at /States/X").
// - a StatesError is an error raised while an execution runs (`States.Runtime`, a task's own
//   error name); Retry and Catch match on its `error`, and it carries AWS's `cause` text.
#include <stdexcept>
#include <string>
#include <vector>

namespace sluice::sfn {

// The predefined error names of the Amazon States Language.
namespace errors {
inline constexpr const char* kAll = "States.ALL";
inline constexpr const char* kTaskFailed = "States.TaskFailed";
inline constexpr const char* kTimeout = "States.Timeout";
inline constexpr const char* kHeartbeatTimeout = "States.HeartbeatTimeout";
inline constexpr const char* kRuntime = "States.Runtime";
inline constexpr const char* kDataLimitExceeded = "States.DataLimitExceeded";
inline constexpr const char* kResultPathMatchFailure = "States.ResultPathMatchFailure";
inline constexpr const char* kParameterPathFailure = "States.ParameterPathFailure";
inline constexpr const char* kIntrinsicFailure = "States.IntrinsicFailure";
inline constexpr const char* kBranchFailed = "States.BranchFailed";
inline constexpr const char* kNoChoiceMatched = "States.NoChoiceMatched";
inline constexpr const char* kPermissions = "States.Permissions";
inline constexpr const char* kItemReaderFailed = "States.ItemReaderFailed";
inline constexpr const char* kExceedToleratedFailureThreshold = "States.ExceedToleratedFailureThreshold";
inline constexpr const char* kQueryEvaluationError = "States.QueryEvaluationError";
// Not in AWS's list of predefined errors, but what it reports when a ResultPath cannot be
// applied to the state's input (docs/research/sfn-behaviour.md §2c).
inline constexpr const char* kReferencePathConflict = "States.ReferencePathConflict";

// The cause of the States.Runtime a Choice with no match and no Default fails with on AWS.
inline constexpr const char* kNoChoiceMatchedCause =
    "Failed to transition out of the state. The state does not point to a next state.";
}  // namespace errors

struct StatesError : std::runtime_error {
    StatesError(std::string error_name, std::string cause_text)
        : std::runtime_error(error_name + ": " + cause_text),
          error(std::move(error_name)),
          cause(std::move(cause_text)) {}
    std::string error;
    std::string cause;

    // {"Error", "Cause"} as a Catch hands it on (key names given: events use lower case).
    // AWS leaves out an empty cause (a timeout has none) and an empty error.
    template <typename J>
    J to_json(const char* error_key = "Error", const char* cause_key = "Cause") const {
        J out = J::object();
        if (!error.empty()) out[error_key] = error;
        if (!cause.empty()) out[cause_key] = cause;
        return out;
    }
};

// One flaw in a definition. `code` is AWS's category (SCHEMA_VALIDATION_FAILED,
// MISSING_TRANSITION_TARGET, UNREACHABLE_STATE, INVALID_JSON_PATH, ...), `location` the JSON
// pointer-like place AWS names ("/States/Hello/Next").
struct Diagnostic {
    std::string code;
    std::string message;
    std::string location;
};
using Diagnostics = std::vector<Diagnostic>;

// How definition diagnostics name a JSON value's type ("... must be a STRING but was INTEGER").
template <typename J>
const char* asl_type_name(const J& v) {
    if (v.is_string()) return "STRING";
    if (v.is_boolean()) return "BOOLEAN";
    if (v.is_number_integer()) return "INTEGER";
    if (v.is_number()) return "NUMBER";
    if (v.is_array()) return "ARRAY";
    if (v.is_object()) return "OBJECT";
    return "NULL";
}

}  // namespace sluice::sfn
