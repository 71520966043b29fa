#pragma once
// A field of a state written in JSONata (Arguments, Output, Assign, a Choice's Condition, Fail's
// Error and Cause): a JSON value in which every string `{% expr %}` is a JSONata expression.
// Compiled with the definition (a bad expression is a diagnostic), evaluated each time the state
// runs with `$states` (input, result, errorOutput, context) and the execution's variables bound.
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "sluice/sfn/data_path.hpp"
#include "sluice/sfn/errors.hpp"

namespace sluice::sfn {

// What a JSONata field sees when it is evaluated.
struct JsonataScope {
    const Json& input;                   // $states.input
    const ContextObject& context;        // $states.context
    const Json& variables;               // $name
    const Json* result = nullptr;        // $states.result (after the state's work)
    const Json* error_output = nullptr;  // $states.errorOutput (in a Catch)
};

class JsonataField {
public:
    // `field` names the field in errors ("Output", "Assign"); problems go to `out`.
    static std::optional<JsonataField> compile(const Json& value, const std::string& field, const std::string& location,
                                               Diagnostics& out);
    // Whether `value` is a string written as `{% ... %}`.
    static bool is_expression(const Json& value);

    // The value for this scope. An expression that fails, or gives nothing (undefined) or a
    // function, is States.QueryEvaluationError with AWS's cause.
    Json evaluate(const JsonataScope& scope) const;

    struct Node;

private:
    std::shared_ptr<const Node> root_;
};

}  // namespace sluice::sfn
