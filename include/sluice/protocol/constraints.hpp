#pragma once
// The input checks AWS's front end makes from the model before a service sees a call: required
// members present, string lengths, list sizes and numbers within min/max, enum values. JSON
// services answer ValidationException "N validation error(s) detected: Value ... at 'member'
// failed to satisfy constraint: ...".
#include <string>
#include <vector>

#include "sluice/protocol/call.hpp"
#include "sluice/protocol/model.hpp"

namespace sluice::protocol {

// Every violation in `value` against `shape`, in AWS's wording, without the count prefix.
std::vector<std::string> constraint_violations(const Json& value, const Shape& shape);

// Throws the model's ValidationException when there is any violation.
void check_constraints(const Json& value, const Shape& shape, const Model& model);

}  // namespace sluice::protocol
