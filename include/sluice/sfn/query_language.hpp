#pragma once
// The one seam between the state types and the query language. A state asks it how its input
// becomes its arguments and how its result becomes its output; JSONPath (InputPath,
// Parameters, ResultSelector, ResultPath, OutputPath) is the one language today, JSONata will
// be the other without any state type changing.
#include <nlohmann/json.hpp>

#include "sluice/sfn/data_path.hpp"
#include "sluice/sfn/definition.hpp"

namespace sluice::sfn {

// Whose Assign runs: the state's own, a Catch's (catcher), or a Choice rule's (choice).
struct AssignSite {
    const Catcher* catcher = nullptr;
    std::optional<std::size_t> choice;
};

class QueryLanguage {
public:
    virtual ~QueryLanguage() = default;
    // What the state works on (InputPath).
    virtual Json state_input(const State& state, const Json& raw_input, const ContextObject& context,
                             const Json& variables) const = 0;
    // What a Task/Parallel/Map/Pass hands on: the task's parameters, the branch input (Parameters).
    virtual Json arguments(const State& state, Json effective_input, const ContextObject& context,
                           const Json& variables) const = 0;
    // A result shaped for ResultPath (ResultSelector).
    virtual Json select_result(const State& state, Json result, const ContextObject& context,
                               const Json& variables) const = 0;
    // The state's output: the result placed into the raw input (ResultPath), then OutputPath; in
    // JSONata, the Output (a Catch's own when `catcher` is set).
    virtual Json state_output(const State& state, const Json& raw_input, Json result,
                              const ResultPathField& result_path, const ContextObject& context, const Json& variables,
                              const Catcher* catcher) const = 0;
    // Assign: sets variables from `value` (the state's result, or the error output for a Catch).
    // `site` says whose Assign: the state's, a Catch's or a Choice rule's. Returns what it set
    // (name -> value), null without an Assign: the state's exit event lists it.
    virtual Json assign(const State& state, const AssignSite& site, const Json& raw_input, const Json& value,
                        const ContextObject& context, Json& variables) const = 0;
    // Whether Choice rule `rule` of `state` matches.
    virtual bool matches(const State& state, std::size_t rule, const Json& input, const ContextObject& context,
                         const Json& variables) const = 0;
};

// The language `state` is written in (its QueryLanguage, or its definition's). The one way the
// interpreter and TestState reach a language: a new one is a case here, not a change to a state type.
const QueryLanguage& language_of(const State& state);

}  // namespace sluice::sfn
