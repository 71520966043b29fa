#pragma once
// A state machine definition, parsed and checked once at create/update time so executions only
// walk typed structures. `parse_definition` collects every flaw as a Diagnostic, the way
// CreateStateMachine reports them all in one InvalidDefinition.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/sfn/data_path.hpp"
#include "sluice/sfn/errors.hpp"
#include "sluice/sfn/jsonata_field.hpp"
#include "sluice/sfn/payload.hpp"

namespace sluice::sfn {

struct ChoiceRule;
struct StateBlock;

// InputPath and OutputPath: absent means `$`, null means "use {}".
struct OptionalPath {
    bool is_null = false;
    std::optional<DataPath> path;  // empty (with is_null false) means `$`
};

// ResultPath: absent means `$`, null means "discard the result, keep the input".
struct ResultPathField {
    bool discard = false;
    std::optional<jsonpath::Path> path;  // empty means `$` (the result replaces the input)
};

struct Retrier {
    std::vector<std::string> error_equals;
    double interval_seconds = 1;
    int max_attempts = 3;
    double backoff_rate = 2.0;
    std::optional<double> max_delay_seconds;
    bool jitter_full = false;
};

struct Catcher {
    std::vector<std::string> error_equals;
    std::string next;
    ResultPathField result_path;
    std::optional<Template> assign;
    // JSONata mode: the Catch's Output and Assign ($states.errorOutput in scope).
    std::optional<JsonataField> output, jsonata_assign;
};

// A numeric field that may come from the input instead (TimeoutSeconds / TimeoutSecondsPath).
struct SecondsField {
    std::optional<double> seconds;
    std::optional<DataPath> path;
    bool present() const { return seconds || path; }
};

// The eight state types, and what each is called: its `Type` in a definition and the history
// events a state of the type writes when it is entered and when it is left.
enum class StateType { Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map };

struct StateTypeNames {
    const char* type;     // "Pass"
    const char* entered;  // "PassStateEntered"
    const char* exited;   // "PassStateExited"
};

inline constexpr StateTypeNames kStateTypeNames[] = {
    {"Pass", "PassStateEntered", "PassStateExited"},
    {"Task", "TaskStateEntered", "TaskStateExited"},
    {"Choice", "ChoiceStateEntered", "ChoiceStateExited"},
    {"Wait", "WaitStateEntered", "WaitStateExited"},
    {"Succeed", "SucceedStateEntered", "SucceedStateExited"},
    {"Fail", "FailStateEntered", "FailStateExited"},
    {"Parallel", "ParallelStateEntered", "ParallelStateExited"},
    {"Map", "MapStateEntered", "MapStateExited"},
};

constexpr const StateTypeNames& names_of(StateType type) {
    return kStateTypeNames[static_cast<std::size_t>(type)];
}

// The language a state's fields are written in: the state's own `QueryLanguage`, else the
// definition's. language_of() (query_language.hpp) turns it into the code that evaluates them.
enum class QueryLanguageId { JSONPath, JSONata };

struct State {
    using Type = StateType;
    Type type = Type::Pass;
    QueryLanguageId query_language = QueryLanguageId::JSONPath;
    std::string name;
    std::string comment;
    std::string next;
    bool end = false;

    // Data flow (JSONPath mode): how input becomes the state's arguments and output.
    OptionalPath input_path, output_path;
    std::optional<Template> parameters;       // Parameters (Map: ItemSelector / Parameters)
    std::optional<Template> result_selector;  // Task, Map, Parallel
    ResultPathField result_path;
    std::optional<Template> assign;
    // Data flow (JSONata mode): Arguments, Output and Assign; Choice rules' Conditions (and
    // Assigns); Fail's Error and Cause when they are expressions.
    std::optional<JsonataField> arguments, output, jsonata_assign;
    std::vector<std::optional<JsonataField>> conditions, condition_assigns;
    std::optional<JsonataField> error_expression, cause_expression;

    // Pass
    std::optional<nlohmann::json> result;
    // Task
    std::string resource;
    SecondsField timeout, heartbeat;
    nlohmann::json credentials;
    // Retry and Catch (Task, Parallel, Map)
    std::vector<Retrier> retry;
    std::vector<Catcher> catch_;
    // Choice
    std::vector<std::shared_ptr<const ChoiceRule>> choices;
    std::vector<std::optional<Template>> choice_assigns;  // each rule's Assign, compiled
    std::string default_next;
    // Wait
    std::optional<double> wait_seconds;
    std::optional<std::string> wait_timestamp;
    std::optional<DataPath> wait_seconds_path, wait_timestamp_path;
    // Fail: Error/Cause, or ErrorPath/CausePath (paths or intrinsics)
    std::optional<std::string> error, cause;
    std::optional<Template> error_path, cause_path;  // a single `.$`-style value
    // Parallel
    std::vector<std::shared_ptr<const StateBlock>> branches;
    // Map (inline)
    std::shared_ptr<const StateBlock> iterator;
    std::optional<DataPath> items_path;
    std::optional<nlohmann::json> items;  // literal Items (JSONata-era field; also in JSONPath)
    int max_concurrency = 0;              // 0: no limit
    std::optional<DataPath> max_concurrency_path;
    std::optional<double> tolerated_failure_percentage;
    std::optional<long long> tolerated_failure_count;
    std::optional<DataPath> tolerated_failure_percentage_path, tolerated_failure_count_path;

    // Whether anything in the state reads the context object (`$$`): building it costs a copy
    // of the execution's input, so states that don't read it don't get one.
    bool uses_context = true;
};

// A set of states with a start: the machine itself, a Parallel branch, a Map's processor.
struct StateBlock {
    std::string start_at;
    std::vector<std::unique_ptr<State>> states;  // in definition order
    std::map<std::string, const State*, std::less<>> by_name;

    const State* find(std::string_view name) const {
        auto it = by_name.find(name);
        return it == by_name.end() ? nullptr : it->second;
    }
};

struct Definition {
    std::shared_ptr<const StateBlock> root;
    std::string comment;
    std::optional<double> timeout_seconds;
    QueryLanguageId query_language = QueryLanguageId::JSONPath;
    // DescribeStateMachine's `variableReferences`: state name -> the variables it reads.
    nlohmann::json variable_references = nlohmann::json::object();
};

// The variables each state of a definition (JSONPath mode) reads, by state name; states that
// read none are left out (variable_references.cpp has AWS's rule).
nlohmann::json variable_references(const nlohmann::json& definition);

// Parses and checks `text` (the definition as the user sent it). On success the definition;
// otherwise every diagnostic, ready for InvalidDefinition.
struct ParseResult {
    std::shared_ptr<const Definition> definition;
    Diagnostics diagnostics;
};
ParseResult parse_definition(const std::string& text);

// AWS's InvalidDefinition message for a list of diagnostics.
std::string invalid_definition_message(const Diagnostics& diagnostics);

}  // namespace sluice::sfn
