// The JSONPath query language: the five fields that move data through a state; and the seam
// that picks a state's language.
#include "sluice/protocol/json_depth.hpp"
#include "sluice/protocol/json_text.hpp"
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
                      const ContextObject& context, const Json& variables) const override {
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

    Json assign(const std::optional<Template>& assign, const Json& value, const ContextObject& context,
                Json& variables) const override {
        if (!assign) return nullptr;
        // Every right-hand side sees the variables as they were before this Assign.
        Json values = assign->evaluate(context.scope(value, variables));
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
};

}  // namespace

const QueryLanguage& language_of(const State& state) {
    static const JsonPathLanguage jsonpath;
    switch (state.query_language) {
        case QueryLanguageId::JSONPath:
            return jsonpath;
        // parse_definition refuses JSONata until it is implemented, so no state gets here.
        case QueryLanguageId::JSONata:
            break;
    }
    throw StatesError(errors::kRuntime, "The QueryLanguage 'JSONata' is not supported by Sluice yet.");
}

}  // namespace sluice::sfn
