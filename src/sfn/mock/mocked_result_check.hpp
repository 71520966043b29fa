#pragma once
// TestState's fieldValidationMode: a mocked result is checked against the output shape of the API the
// Task state calls, from the botocore model of that service (output_shapes.hpp).
#include <nlohmann/json.hpp>

#include "sluice/sfn/task_resource.hpp"

namespace sluice::sfn {

enum class FieldValidationMode {
    Strict,   // required members present, present members of the model's types (AWS's default)
    Present,  // present members of the model's types
    None,
};

// Throws ValidationException "Mock result schema validation error: ..." for a result the mode refuses.
// Results of resources with no API shape (Lambda function ARNs, activities, `.sync` and
// `.waitForTaskToken` calls, services the model does not know) are not checked.
void check_mocked_result(const TaskResource& resource, const nlohmann::json& result, FieldValidationMode mode);

}  // namespace sluice::sfn
