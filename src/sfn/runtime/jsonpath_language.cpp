// The two query languages: JSONPath (the five fields that move data through a state) and
// JSONata (Arguments, Output, Assign); and the seam that picks a state's language.
#include "sluice/protocol/json_depth.hpp"
#include "sluice/protocol/json_text.hpp"
#include "sluice/sfn/choice.hpp"
#include "sluice/sfn/query_language.hpp"

namespace sluice::sfn {

namespace {

// AWS names a missing path the way Jayway prints it: $['a']['b'][0].
std::string normalized(const DataPath& path) {
    std::string out = path.root() == DataPath::Root::Context    ? "$$"
                      : path.root() == DataPath::Root::Variable ? "$" + path.variable()
                                                                : "$";
    for (const auto& seg : path.path().segments()) {
        if (seg.kind == jsonpath::Segment::Kind::Field)
            out += "['" + seg.field + "']";
        else if (seg.kind == jsonpath::Segment::Kind::Index)
            out += "[" + std::to_string(seg.index) + "]";
        else
            return path.text();
    }
    return out;
}

std::string path_cause(const DataPath& path) {
    return "Invalid path '" + path.text() + "' : No results for path: " + normalized(path);
}

Json apply_optional_path(const OptionalPath& field, const Json& value, const ContextObject& context,
                         const Json& variables) {
    if (field.is_null) return Json::object();
    if (!field.path) return value;
    EvalScope scope = context.scope(value, variables);
    auto selected = field.path->select(scope);
    if (!selected) throw StatesError(errors::kRuntime, path_cause(*field.path));
    return std::move(*selected);
}

// JSONata's name for a value's type, as AWS's QueryEvaluationError causes write it.
const char* jsonata_type_name(const Json& v) {
    if (v.is_string()) return "string";
    if (v.is_number()) return "number";
    if (v.is_boolean()) return "boolean";
    if (v.is_null()) return "null";
    return v.is_array() ? "array" : "object";
}

// Sets each member of `values` as a variable; returns `values` (the exit event lists them).
Json set_variables(Json values, Json& variables) {
    // AWS's limits: 256 KiB per variable and per Assign. Depth is Sluice's own guard (a
    // variable is never output, so nothing else would stop it nesting deeper each loop).
    constexpr std::size_t kMaxAssign = 256 * 1024;
    if (protocol::json_deeper_than(values))
        throw StatesError(errors::kRuntime, "The assigned value is nested deeper than " +
                                                std::to_string(protocol::kMaxJsonDepth) + " levels.");
    if (protocol::dump_json(values).size() > kMaxAssign)
        throw StatesError(errors::kRuntime, "The assigned variables exceed the maximum size of 262144 bytes.");
    for (const auto& [name, v] : values.items()) variables[name] = v;
    return values;
}

class JsonPathLanguage final : public QueryLanguage {
public:
    Json state_input(const State& state, const Json& raw_input, const ContextObject& context,
                     const Json& variables) const override {
        return apply_optional_path(state.input_path, raw_input, context, variables);
    }

    Json arguments(const State& state, Json effective_input, const ContextObject& context,
                   const Json& variables) const override {
        if (!state.parameters) return effective_input;
        return state.parameters->evaluate(context.scope(effective_input, variables));
    }

    Json select_result(const State& state, Json result, const ContextObject& context,
                       const Json& variables) const override {
        if (!state.result_selector) return result;
        return state.result_selector->evaluate(context.scope(result, variables));
    }

    Json state_output(const State& state, const Json& raw_input, Json result, const ResultPathField& result_path,
                      const ContextObject& context, const Json& variables, const Catcher*) const override {
        Json combined;
        if (result_path.discard) {
            combined = raw_input;
        } else if (!result_path.path || result_path.path->segments().empty()) {
            combined = std::move(result);
        } else {
            combined = raw_input;
            if (!jsonpath::assign(combined, *result_path.path, std::move(result)))
                // AWS's wording, as users have pasted it: the input as JSON text (a string in
                // quotes, an object as it is), no "An error occurred while executing the state"
                // prefix, and an error name of its own that States.ALL catches.
                throw StatesError(
                    errors::kReferencePathConflict,
                    "Unable to apply ReferencePath " + result_path.path->text() + " to input " + raw_input.dump());
        }
        return apply_optional_path(state.output_path, combined, context, variables);
    }

    bool matches(const State& state, std::size_t rule, const Json& input, const ContextObject& context,
                 const Json& variables) const override {
        return evaluate(*state.choices[rule], context.scope(input, variables));
    }

    Json assign(const State& state, const AssignSite& site, const Json&, const Json& value,
                const ContextObject& context, Json& variables) const override {
        const std::optional<Template>& assign = site.catcher  ? site.catcher->assign
                                                : site.choice ? state.choice_assigns[*site.choice]
                                                              : state.assign;
        if (!assign) return nullptr;
        // Every right-hand side sees the variables as they were before this Assign.
        Json values = assign->evaluate(context.scope(value, variables));
        return set_variables(std::move(values), variables);
    }
};

// The JSONata query language: Arguments, Output and Assign, each field a JSON value whose
// `{% %}` strings are expressions over $states and the variables (AWS's developer guide,
// "Transforming data with JSONata in Step Functions").
class JsonataLanguage final : public QueryLanguage {
public:
    // JSONata has no InputPath: the state works on its input as it came.
    Json state_input(const State&, const Json& raw_input, const ContextObject&, const Json&) const override {
        return raw_input;
    }

    Json arguments(const State& state, Json effective_input, const ContextObject& context,
                   const Json& variables) const override {
        if (!state.arguments) return effective_input;
        return state.arguments->evaluate(JsonataScope{effective_input, context, variables});
    }

    // JSONata has no ResultSelector: Output sees the result as it came.
    Json select_result(const State&, Json result, const ContextObject&, const Json&) const override { return result; }

    // Without an Output the state's output is its result (Pass, Choice, Succeed: its input; a
    // Catch: the error output).
    Json state_output(const State& state, const Json& raw_input, Json result, const ResultPathField&,
                      const ContextObject& context, const Json& variables, const Catcher* catcher) const override {
        const std::optional<JsonataField>& output = catcher ? catcher->output : state.output;
        if (!output) return result;
        JsonataScope scope{raw_input, context, variables};
        if (catcher)
            scope.error_output = &result;
        else
            scope.result = &result;
        return output->evaluate(scope);
    }

    bool matches(const State& state, std::size_t rule, const Json& input, const ContextObject& context,
                 const Json& variables) const override {
        const auto& condition = state.conditions[rule];
        if (!condition) return false;
        Json value = condition->evaluate(JsonataScope{input, context, variables});
        if (!value.is_boolean())
            throw StatesError(errors::kQueryEvaluationError,
                              "The Condition of Choices[" + std::to_string(rule) +
                                  "] returned an unexpected result type. Expected 'boolean', but was '" +
                                  jsonata_type_name(value) + "' for value: " + protocol::dump_json(value));
        return value.get<bool>();
    }

    // Every right-hand side sees the variables as they were before this Assign.
    Json assign(const State& state, const AssignSite& site, const Json& raw_input, const Json& value,
                const ContextObject& context, Json& variables) const override {
        const std::optional<JsonataField>& assign = site.catcher  ? site.catcher->jsonata_assign
                                                    : site.choice ? state.condition_assigns[*site.choice]
                                                                  : state.jsonata_assign;
        if (!assign) return nullptr;
        JsonataScope scope{raw_input, context, variables};
        if (site.catcher)
            scope.error_output = &value;
        else if (state.type == State::Type::Task || state.type == State::Type::Parallel ||
                 state.type == State::Type::Map)
            scope.result = &value;
        return set_variables(assign->evaluate(scope), variables);
    }
};

}  // namespace

const QueryLanguage& language_of(const State& state) {
    static const JsonPathLanguage jsonpath;
    static const JsonataLanguage jsonata;
    return state.query_language == QueryLanguageId::JSONata ? static_cast<const QueryLanguage&>(jsonata) : jsonpath;
}

}  // namespace sluice::sfn
