#include "sluice/sfn/jsonata_field.hpp"

#include <chrono>
#include <random>
#include <vector>

#include "sluice/core/digest.hpp"
#include "sluice/core/ids.hpp"
#include "sluice/jsonata/expression.hpp"
#include "sluice/protocol/json_text.hpp"

namespace sluice::sfn {

namespace {

using jsonata::Expression;
using Args = std::vector<std::optional<Json>>;

[[noreturn]] void argument_error(const std::string& text) {
    throw jsonata::Error("T0410", text);
}

const Json& argument(const Args& args, std::size_t index, const char* function) {
    if (index >= args.size() || !args[index]) argument_error(std::string("Missing argument of ") + function);
    return *args[index];
}

// The functions Step Functions adds to JSONata (AWS's developer guide, "Transforming data with
// JSONata in Step Functions": $partition, $range, $hash, $random, $uuid, $parse).
const std::vector<jsonata::NamedFunction>& step_functions_functions() {
    static const std::vector<jsonata::NamedFunction> functions = {
        {"partition", "",
         [](const Args& args) -> std::optional<Json> {
             const Json& array = argument(args, 0, "$partition");
             const Json& size = argument(args, 1, "$partition");
             if (!array.is_array() || !size.is_number_integer() || size.get<long long>() < 1)
                 argument_error("$partition takes an array and a positive integer");
             Json out = Json::array();
             const auto chunk = static_cast<std::size_t>(size.get<long long>());
             for (std::size_t i = 0; i < array.size(); i += chunk) {
                 Json part = Json::array();
                 for (std::size_t j = i; j < std::min(array.size(), i + chunk); ++j) part.push_back(array[j]);
                 out.push_back(std::move(part));
             }
             return out;
         }},
        {"range", "",
         [](const Args& args) -> std::optional<Json> {
             const Json& start = argument(args, 0, "$range");
             const Json& end = argument(args, 1, "$range");
             const Json& step = argument(args, 2, "$range");
             if (!start.is_number_integer() || !end.is_number_integer() || !step.is_number_integer() ||
                 step.get<long long>() == 0)
                 argument_error("$range takes three integers and a step other than 0");
             const long long first = start.get<long long>(), last = end.get<long long>(), by = step.get<long long>();
             // AWS's limit for States.ArrayRange: at most 1,000 elements.
             Json out = Json::array();
             for (long long v = first; by > 0 ? v <= last : v >= last; v += by) {
                 if (out.size() >= 1000) argument_error("$range would make more than 1000 elements");
                 out.push_back(v);
             }
             // A one-element range is its element, as JSONata collapses a singleton sequence
             // (AWS's recording test_array_jsonata::test_array_range: $range(1, 1, 1) is 1).
             if (out.size() == 1) return out[0];
             return out;
         }},
        {"hash", "",
         [](const Args& args) -> std::optional<Json> {
             const Json& data = argument(args, 0, "$hash");
             const Json& algorithm = argument(args, 1, "$hash");
             if (!data.is_string() || !algorithm.is_string()) argument_error("$hash takes two strings");
             const auto& text = data.get_ref<const std::string&>();
             const auto& name = algorithm.get_ref<const std::string&>();
             if (name == "MD5") return core::md5_hex(text);
             if (name == "SHA-1") return core::sha1_hex(text);
             if (name == "SHA-256") return core::sha256_hex(text);
             if (name == "SHA-384") return core::sha384_hex(text);
             if (name == "SHA-512") return core::sha512_hex(text);
             argument_error("$hash: the algorithm must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512");
         }},
        {"random", "",
         [](const Args& args) -> std::optional<Json> {
             std::uniform_real_distribution<double> unit(0.0, 1.0);
             if (!args.empty() && args[0]) {
                 if (!args[0]->is_number_integer()) argument_error("$random takes an integer seed");
                 std::mt19937_64 seeded(static_cast<std::uint64_t>(args[0]->get<long long>()));
                 return unit(seeded);
             }
             static thread_local std::mt19937_64 engine(std::random_device{}());
             return unit(engine);
         }},
        {"uuid", "", [](const Args&) -> std::optional<Json> { return core::random_uuid_string(); }},
        {"parse", "",
         [](const Args& args) -> std::optional<Json> {
             const Json& text = argument(args, 0, "$parse");
             if (!text.is_string()) argument_error("$parse takes a string");
             std::string why;
             auto value = protocol::read_user_json(text.get_ref<const std::string&>(), &why);
             if (!value) throw jsonata::Error("D3140", "$parse: the string is not JSON: " + why);
             return std::move(*value);
         }},
        // AWS refuses $eval in Step Functions.
        {"eval", "",
         [](const Args&) -> std::optional<Json> {
             throw jsonata::Error("T1006", "The function $eval is not supported by Step Functions");
         }},
    };
    return functions;
}

// The bounds every expression a state machine evaluates gets.
const jsonata::Limits kLimits{std::chrono::milliseconds(1000), 1000};

std::string_view expression_text(const std::string& text) {
    std::string_view body(text);
    body.remove_prefix(2);
    body.remove_suffix(2);
    return body;
}

}  // namespace

struct JsonataField::Node {
    enum class Kind { Literal, Expression, Object, Array };
    Kind kind = Kind::Literal;
    Json literal;
    std::string field;   // "Output/result": where AWS says the expression is
    std::string source;  // the expression as written between {% and %}, trimmed
    std::shared_ptr<const Expression> expression;
    std::vector<std::pair<std::string, std::shared_ptr<const Node>>> members;  // Object
    std::vector<std::shared_ptr<const Node>> items;                            // Array
};

namespace {

std::string trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return "";
    const auto last = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(first, last - first + 1));
}

std::shared_ptr<const JsonataField::Node> compile_node(const Json& value, const std::string& field,
                                                       const std::string& location, Diagnostics& out, int depth) {
    auto node = std::make_shared<JsonataField::Node>();
    node->field = field;
    if (JsonataField::is_expression(value)) {
        node->kind = JsonataField::Node::Kind::Expression;
        node->source = trimmed(expression_text(value.get_ref<const std::string&>()));
        try {
            node->expression =
                std::make_shared<const Expression>(Expression::parse(node->source, step_functions_functions()));
        } catch (const jsonata::Error& e) {
            out.push_back({"SCHEMA_VALIDATION_FAILED",
                           "The JSONata expression '" + node->source + "' is not valid: " + e.code() + ": " + e.what(),
                           location});
            return nullptr;
        }
    } else if (value.is_object() && depth < 64) {
        node->kind = JsonataField::Node::Kind::Object;
        for (const auto& [key, member] : value.items()) {
            auto child = compile_node(member, field + "/" + key, location + "/" + key, out, depth + 1);
            if (!child) return nullptr;
            node->members.emplace_back(key, std::move(child));
        }
    } else if (value.is_array() && depth < 64) {
        node->kind = JsonataField::Node::Kind::Array;
        for (std::size_t i = 0; i < value.size(); ++i) {
            auto child = compile_node(value[i], field + "[" + std::to_string(i) + "]",
                                      location + "[" + std::to_string(i) + "]", out, depth + 1);
            if (!child) return nullptr;
            node->items.push_back(std::move(child));
        }
    } else {
        node->literal = value;
    }
    return node;
}

Json states_binding(const JsonataScope& scope, const std::string& source) {
    Json states = Json::object();
    states["input"] = scope.input;
    if (scope.result) states["result"] = *scope.result;
    if (scope.error_output) states["errorOutput"] = *scope.error_output;
    // The context costs a copy of the execution's input: only an expression that names it gets it.
    if (source.find("context") != std::string::npos) {
        Json context = scope.context.state.is_object() ? scope.context.state : Json::object();
        if (scope.context.execution && scope.context.execution->is_object())
            for (const auto& [key, value] : scope.context.execution->items()) context[key] = value;
        states["context"] = std::move(context);
    }
    return states;
}

Json evaluate_node(const JsonataField::Node& node, const JsonataScope& scope) {
    using Kind = JsonataField::Node::Kind;
    switch (node.kind) {
        case Kind::Literal:
            return node.literal;
        case Kind::Object: {
            Json out = Json::object();
            for (const auto& [key, child] : node.members) out[key] = evaluate_node(*child, scope);
            return out;
        }
        case Kind::Array: {
            Json out = Json::array();
            for (const auto& child : node.items) out.push_back(evaluate_node(*child, scope));
            return out;
        }
        case Kind::Expression:
            break;
    }
    const std::string prefix =
        "The JSONata expression '" + node.source + "' specified for the field '" + node.field + "' ";
    Json bindings = scope.variables.is_object() ? scope.variables : Json::object();
    bindings["states"] = states_binding(scope, node.source);
    std::optional<Json> result;
    try {
        result = node.expression->evaluate(scope.input, bindings, kLimits);
    } catch (const jsonata::Error& e) {
        // AWS's text (LocalStack's recording test_base_evaluate_expressions, $randomSeeded):
        // "... threw an error during evaluation. T1006: Attempted to invoke a non-function".
        throw StatesError(errors::kQueryEvaluationError, prefix + "threw an error during evaluation. " +
                                                             (e.code().empty() ? "" : e.code() + ": ") + e.what());
    }
    if (!result) throw StatesError(errors::kQueryEvaluationError, prefix + "returned nothing (undefined).");
    return std::move(*result);
}

}  // namespace

bool JsonataField::is_expression(const Json& value) {
    if (!value.is_string()) return false;
    const auto& text = value.get_ref<const std::string&>();
    return text.size() >= 4 && text.starts_with("{%") && text.ends_with("%}");
}

std::optional<JsonataField> JsonataField::compile(const Json& value, const std::string& field,
                                                  const std::string& location, Diagnostics& out) {
    auto root = compile_node(value, field, location, out, 0);
    if (!root) return std::nullopt;
    JsonataField compiled;
    compiled.root_ = std::move(root);
    return compiled;
}

Json JsonataField::evaluate(const JsonataScope& scope) const {
    return evaluate_node(*root_, scope);
}

}  // namespace sluice::sfn
