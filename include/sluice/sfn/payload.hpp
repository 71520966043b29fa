#pragma once
// Payload templates: the JSON objects of Parameters, ItemSelector, ResultSelector and Assign,
// where a key ending in `.$` takes its value from a path (`$.a`, `$$.Execution.Id`, `$var`) or
// an intrinsic function (`States.Format(...)`). Compiled once with the definition, evaluated
// every time the state runs.
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "sluice/sfn/data_path.hpp"
#include "sluice/sfn/errors.hpp"

namespace sluice::sfn {

class Template {
public:
    // Checks every `.$` value; problems go to `out` (INVALID_JSON_PATH and friends).
    static std::optional<Template> compile(const Json& value, const std::string& location, Diagnostics& out);
    // A single dynamic value as Fail's ErrorPath/CausePath take it: a path or an intrinsic.
    static std::optional<Template> compile_dynamic(const Json& value, const std::string& location, Diagnostics& out);

    // The payload for this scope. A path that matches nothing is States.Runtime; a failing
    // intrinsic is States.Runtime too, as AWS raises it (both thrown as StatesError).
    Json evaluate(const EvalScope& scope) const;

    struct Node;

private:
    std::shared_ptr<const Node> root_;
};

}  // namespace sluice::sfn
