#pragma once
// A path as ASL fields write it, with its root: `$...` reads the state's input, `$$...` the
// context object, `$name...` a variable set by `Assign`. Every field that takes a path
// (InputPath, `.$` keys, Choice's Variable, intrinsic arguments) resolves through this, so the
// three roots behave the same everywhere.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sluice/sfn/jsonpath.hpp"

namespace sluice::sfn {

using Json = nlohmann::json;

// What paths are evaluated against in one state.
struct EvalScope {
    const Json& input;                // `$`
    const Json& context;              // `$$` (or, with execution_context, its per-state part)
    const Json* variables = nullptr;  // `$name`: an object of variable name -> value
    // `$$.Execution` and `$$.StateMachine`, kept once per execution: a state's context would
    // otherwise copy the execution's whole input every time.
    const Json* execution_context = nullptr;
};

// The context object as the interpreter hands it around: the per-state members (State, Task,
// Map) and the execution's fixed ones.
struct ContextObject {
    Json state = Json::object();
    const Json* execution = nullptr;
    EvalScope scope(const Json& input, const Json& variables) const { return {input, state, &variables, execution}; }
};

class DataPath {
public:
    enum class Root { Input, Context, Variable };

    // Throws jsonpath::PathError when `text` is not a path with one of the three roots.
    static DataPath parse(std::string_view text);
    // Whether `text` looks like a path at all (starts with '$').
    static bool looks_like_path(std::string_view text) { return !text.empty() && text.front() == '$'; }

    Root root() const { return root_; }
    const std::string& variable() const { return variable_; }
    const jsonpath::Path& path() const { return path_; }
    const std::string& text() const { return text_; }
    bool definite() const { return path_.definite(); }

    // The selected value; nullopt when a definite path (or an unknown variable) matches nothing.
    std::optional<Json> select(const EvalScope& scope) const;

private:
    Root root_ = Root::Input;
    std::string variable_;
    std::string text_;
    jsonpath::Path path_;
};

}  // namespace sluice::sfn
