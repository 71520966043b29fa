#pragma once
// The output shapes of every AWS API, as botocore models them (models/sdk_output_shapes.bin, written by
// scripts/gen_output_shapes.py and compiled into the binary): what TestState's fieldValidationMode
// checks a mocked result against.
#include <string_view>

#include <nlohmann/json.hpp>

namespace sluice::sfn {

// A service's {"operations": {Operation: OutputShape}, "shapes": {...}}, by the SDK's service id in
// lower case ("sfn", "eventbridge", "s3"); null for a service no model names. Each service is inflated
// and parsed once, when first asked for.
const nlohmann::json* service_output_model(std::string_view service_id);

}  // namespace sluice::sfn
