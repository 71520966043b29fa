#include "sluice/sfn/payload.hpp"

#include <variant>
#include <vector>

#include "sluice/sfn/intrinsics.hpp"

namespace sluice::sfn {

struct Template::Node {
    enum class Kind { Literal, Object, Array, Path, Intrinsic };
    Kind kind = Kind::Literal;
    Json literal;
    std::vector<std::pair<std::string, std::shared_ptr<const Node>>> members;  // Object (output names)
    std::vector<std::shared_ptr<const Node>> items;                            // Array
    std::optional<DataPath> path;
    std::shared_ptr<const intrinsics::Expression> intrinsic;
    std::string field;  // the `.$` key as written, for error messages
};

namespace {

using Node = Template::Node;

std::shared_ptr<const Node> compile_dynamic_node(const Json& value, const std::string& field,
                                                 const std::string& location, Diagnostics& out) {
    auto node = std::make_shared<Node>();
    node->field = field;
    if (!value.is_string()) {
        out.push_back({"SCHEMA_VALIDATION_FAILED",
                       "The value for the field '" + field + "' must be a STRING that contains a JSONPath but was " +
                           asl_type_name(value),
                       location});
        return nullptr;
    }
    const auto text = value.get<std::string>();
    if (intrinsics::looks_like_intrinsic(text)) {
        try {
            node->kind = Node::Kind::Intrinsic;
            node->intrinsic = intrinsics::parse(text);
        } catch (const std::exception& e) {
            out.push_back(
                {"SCHEMA_VALIDATION_FAILED",
                 "The value for the field '" + field + "' must be a valid JSONPath or a valid intrinsic function call",
                 location});
            return nullptr;
        }
        return node;
    }
    try {
        node->kind = Node::Kind::Path;
        node->path = DataPath::parse(text);
    } catch (const std::exception&) {
        // The same text as a bad intrinsic: AWS does not know which of the two was meant.
        out.push_back(
            {"SCHEMA_VALIDATION_FAILED",
             "The value for the field '" + field + "' must be a valid JSONPath or a valid intrinsic function call",
             location});
        return nullptr;
    }
    return node;
}

std::shared_ptr<const Node> compile_node(const Json& value, const std::string& location, Diagnostics& out, int depth) {
    auto node = std::make_shared<Node>();
    if (depth > 64) {
        out.push_back({"SCHEMA_VALIDATION_FAILED", "The payload template is nested too deeply", location});
        return node;
    }
    if (value.is_object()) {
        node->kind = Node::Kind::Object;
        for (const auto& [key, v] : value.items()) {
            const std::string where = location + "/" + key;
            if (key.size() > 2 && key.ends_with(".$")) {
                // A `.$` field's problem is reported at the object that holds it, as AWS does
                // ("... at /States/X/Parameters", LocalStack's recording of test_illegal_escapes).
                if (auto dyn = compile_dynamic_node(v, key, location, out))
                    node->members.emplace_back(key.substr(0, key.size() - 2), std::move(dyn));
            } else {
                node->members.emplace_back(key, compile_node(v, where, out, depth + 1));
            }
        }
    } else if (value.is_array()) {
        node->kind = Node::Kind::Array;
        for (std::size_t i = 0; i < value.size(); ++i)
            node->items.push_back(compile_node(value[i], location + "[" + std::to_string(i) + "]", out, depth + 1));
    } else {
        node->literal = value;
    }
    return node;
}

Json evaluate_node(const Node& node, const EvalScope& scope) {
    switch (node.kind) {
        case Node::Kind::Literal:
            return node.literal;
        case Node::Kind::Object: {
            Json out = Json::object();
            for (const auto& [key, member] : node.members) out[key] = evaluate_node(*member, scope);
            return out;
        }
        case Node::Kind::Array: {
            Json out = Json::array();
            for (const auto& item : node.items) out.push_back(evaluate_node(*item, scope));
            return out;
        }
        case Node::Kind::Path: {
            auto value = node.path->select(scope);
            if (!value) {
                const Json& from = node.path->root() == DataPath::Root::Context ? scope.context : scope.input;
                throw StatesError(errors::kRuntime, "The JSONPath '" + node.path->text() +
                                                        "' specified for the field '" + node.field +
                                                        "' could not be found in the input '" + from.dump() + "'");
            }
            return std::move(*value);
        }
        case Node::Kind::Intrinsic:
            return intrinsics::evaluate(*node.intrinsic, scope);
    }
    return nullptr;
}

}  // namespace

std::optional<Template> Template::compile(const Json& value, const std::string& location, Diagnostics& out) {
    const auto before = out.size();
    Template t;
    t.root_ = compile_node(value, location, out, 0);
    if (out.size() != before) return std::nullopt;
    return t;
}

std::optional<Template> Template::compile_dynamic(const Json& value, const std::string& location, Diagnostics& out) {
    auto field = location.substr(location.rfind('/') + 1);
    auto node = compile_dynamic_node(value, field, location, out);
    if (!node) return std::nullopt;
    Template t;
    t.root_ = std::move(node);
    return t;
}

Json Template::evaluate(const EvalScope& scope) const {
    return evaluate_node(*root_, scope);
}

}  // namespace sluice::sfn
