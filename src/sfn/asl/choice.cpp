// Choice rules: checked against the Amazon States Language when the definition is created,
// evaluated against a state's input, the context object and the variables when it runs.
#include "sluice/sfn/choice.hpp"

#include <compare>
#include <string_view>

#include "sluice/sfn/timestamp.hpp"

namespace sluice::sfn {

namespace {

using Json = nlohmann::json;
using Type = Comparison::Type;
using Relation = Comparison::Relation;

// Deep enough for any hand-written rule; the limit keeps a hostile definition from
// exhausting the stack in the recursive parse and evaluation.
constexpr int kMaxNesting = 100;

struct OperatorInfo {
    std::string name;
    Type type;
    Relation relation;
    bool path;  // `...Path`: the operand is a reference path into the scope
};

const std::vector<OperatorInfo>& operator_table() {
    static const std::vector<OperatorInfo> table = [] {
        std::vector<OperatorInfo> t;
        const std::pair<const char*, Relation> orderings[] = {{"Equals", Relation::Equals},
                                                              {"LessThan", Relation::LessThan},
                                                              {"GreaterThan", Relation::GreaterThan},
                                                              {"LessThanEquals", Relation::LessThanEquals},
                                                              {"GreaterThanEquals", Relation::GreaterThanEquals}};
        for (auto [prefix, type] : {std::pair{"String", Type::String}, std::pair{"Numeric", Type::Numeric},
                                    std::pair{"Timestamp", Type::Timestamp}})
            for (auto [suffix, relation] : orderings)
                for (bool path : {false, true})
                    t.push_back({std::string(prefix) + suffix + (path ? "Path" : ""), type, relation, path});
        t.push_back({"StringMatches", Type::String, Relation::Matches, false});
        t.push_back({"BooleanEquals", Type::Boolean, Relation::Equals, false});
        t.push_back({"BooleanEqualsPath", Type::Boolean, Relation::Equals, true});
        t.push_back({"IsNull", Type::Test, Relation::IsNull, false});
        t.push_back({"IsPresent", Type::Test, Relation::IsPresent, false});
        t.push_back({"IsNumeric", Type::Test, Relation::IsNumeric, false});
        t.push_back({"IsString", Type::Test, Relation::IsString, false});
        t.push_back({"IsBoolean", Type::Test, Relation::IsBoolean, false});
        t.push_back({"IsTimestamp", Type::Test, Relation::IsTimestamp, false});
        return t;
    }();
    return table;
}

const OperatorInfo* find_operator(std::string_view name) {
    for (const auto& op : operator_table())
        if (op.name == name) return &op;
    return nullptr;
}

bool is_boolean_operator(std::string_view key) {
    return key == "And" || key == "Or" || key == "Not";
}

// A timestamp as ASL defines it: RFC 3339 with an uppercase 'T' and 'Z' (the shared parser
// also takes the lowercase forms, which ASL does not).
std::optional<core::TimePoint> instant(const Json& v) {
    if (!v.is_string()) return std::nullopt;
    const auto& text = v.get_ref<const std::string&>();
    if (text.find_first_of("tz") != std::string::npos) return std::nullopt;
    return parse_timestamp(text);
}

// StringMatches: only '*' is special; "\*" is a literal star and "\\" a literal backslash.
std::vector<std::string> glob_pieces(const std::string& pattern) {
    std::vector<std::string> pieces(1);
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '\\' && i + 1 < pattern.size() && (pattern[i + 1] == '*' || pattern[i + 1] == '\\'))
            pieces.back() += pattern[++i];
        else if (c == '*')
            pieces.emplace_back();
        else
            pieces.back() += c;
    }
    return pieces;
}

// With '*' the only wildcard, taking each middle piece at its leftmost place between the fixed
// prefix and suffix never loses a match, so no backtracking is needed.
bool glob_match(const std::vector<std::string>& pieces, std::string_view text) {
    if (pieces.size() == 1) return text == pieces.front();
    const std::string& first = pieces.front();
    const std::string& last = pieces.back();
    if (text.size() < first.size() + last.size() || !text.starts_with(first) || !text.ends_with(last)) return false;
    std::string_view middle = text.substr(first.size(), text.size() - first.size() - last.size());
    for (std::size_t i = 1; i + 1 < pieces.size(); ++i) {
        const auto at = middle.find(pieces[i]);
        if (at == std::string_view::npos) return false;
        middle.remove_prefix(at + pieces[i].size());
    }
    return true;
}

class RuleParser {
public:
    explicit RuleParser(Diagnostics& out) : out_(out) {}

    std::optional<ChoiceRule> rule(const Json& body, bool top_level, const std::string& at, int depth) {
        const std::size_t problems_before = out_.size();
        if (depth > kMaxNesting) {
            schema("The Choice Rule is nested more than " + std::to_string(kMaxNesting) + " levels deep", at);
            return std::nullopt;
        }
        if (!body.is_object()) {
            schema(std::string("A Choice Rule must be an OBJECT but was ") + asl_type_name(body), at);
            return std::nullopt;
        }
        ChoiceRule out;
        std::vector<std::string> operators;
        for (const auto& [key, value] : body.items()) {
            if (is_boolean_operator(key) || find_operator(key)) {
                operators.push_back(key);
            } else if (key == "Variable") {
                continue;  // checked with the comparison it belongs to
            } else if (key == "Comment") {
                if (!value.is_string()) wrong_type(key, "a STRING", value, at + "/" + key);
            } else if (key == "Next" || key == "Assign") {
                if (!top_level) not_supported(key, at);  // only the rules directly in Choices transition
            } else if (key == "Condition" || key == "Output") {
                schema("The QueryLanguage is set to 'JSONPath', but field '" + key +
                           "' is only supported for the 'JSONata' QueryLanguage",
                       at);
            } else {
                not_supported(key, at);
            }
        }
        if (top_level) transition(body, at, out);

        if (operators.size() != 1) {
            std::string found;
            for (const auto& name : operators) found += (found.empty() ? "" : ", ") + name;
            schema("A Choice Rule must have exactly one comparison operator or one of And, Or, Not; found " +
                       (found.empty() ? std::string("none") : "[" + found + "]"),
                   at);
        } else if (is_boolean_operator(operators.front())) {
            if (body.contains("Variable")) not_supported("Variable", at);
            combination(operators.front(), body.at(operators.front()), at, depth, out);
        } else {
            comparison(*find_operator(operators.front()), body, at, out.comparison);
        }
        if (out_.size() != problems_before) return std::nullopt;
        return out;
    }

private:
    void schema(const std::string& message, const std::string& at) {
        out_.push_back({"SCHEMA_VALIDATION_FAILED", message, at});
    }
    void not_supported(const std::string& field, const std::string& at) {
        schema("Field '" + field + "' is not supported", at);
    }
    void wrong_type(const std::string& field, const char* expected, const Json& v, const std::string& at) {
        schema("The value for the field '" + field + "' must be " + expected + " but was " + asl_type_name(v), at);
    }

    void transition(const Json& body, const std::string& at, ChoiceRule& out) {
        auto next = body.find("Next");
        if (next == body.end())
            schema("These fields are required: [Next]", at);
        else if (!next->is_string())
            wrong_type("Next", "a STRING", *next, at + "/Next");
        else
            out.next = next->get<std::string>();
        if (auto assign = body.find("Assign"); assign != body.end()) {
            if (assign->is_object())
                out.assign = *assign;
            else
                wrong_type("Assign", "an OBJECT", *assign, at + "/Assign");
        }
    }

    void combination(const std::string& op, const Json& value, const std::string& at, int depth, ChoiceRule& out) {
        const std::string where = at + "/" + op;
        if (op == "Not") {
            out.kind = ChoiceRule::Kind::Not;
            if (!value.is_object()) return wrong_type(op, "an OBJECT", value, where);
            if (auto inner = rule(value, false, where, depth + 1)) out.operands.push_back(std::move(*inner));
            return;
        }
        out.kind = op == "And" ? ChoiceRule::Kind::And : ChoiceRule::Kind::Or;
        if (!value.is_array() || value.empty())
            return schema("The value for the field '" + op + "' must be a non-empty ARRAY", where);
        for (std::size_t i = 0; i < value.size(); ++i)
            if (auto inner = rule(value[i], false, where + "/" + std::to_string(i), depth + 1))
                out.operands.push_back(std::move(*inner));
    }

    void comparison(const OperatorInfo& op, const Json& body, const std::string& at, Comparison& out) {
        out.name = op.name;
        out.type = op.type;
        out.relation = op.relation;
        if (auto variable = body.find("Variable"); variable == body.end()) {
            schema("These fields are required: [Variable]", at);
        } else if (auto path = reference_path("Variable", *variable, at + "/Variable")) {
            out.variable = std::move(*path);
        }
        const Json& value = body.at(op.name);
        const std::string where = at + "/" + op.name;
        if (op.path) {
            out.value_path = reference_path(op.name, value, where);
            return;
        }
        switch (op.type) {
            case Type::String:
                if (!value.is_string()) return wrong_type(op.name, "a STRING", value, where);
                if (op.relation == Relation::Matches) out.glob = glob_pieces(value.get<std::string>());
                break;
            case Type::Numeric:
                if (!value.is_number()) return wrong_type(op.name, "a NUMBER", value, where);
                break;
            case Type::Boolean:
            case Type::Test:
                if (!value.is_boolean()) return wrong_type(op.name, "a BOOLEAN", value, where);
                break;
            case Type::Timestamp:
                if (!value.is_string()) return wrong_type(op.name, "a STRING", value, where);
                if (!instant(value)) return schema("String does not match RFC3339 timestamp", where);
                break;
        }
        out.value = value;
    }

    // Variable and the `...Path` operands must be reference paths: one value, found by name and index.
    std::optional<DataPath> reference_path(const std::string& field, const Json& value, const std::string& at) {
        if (!value.is_string()) {
            wrong_type(field, "a STRING", value, at);
            return std::nullopt;
        }
        const auto& text = value.get_ref<const std::string&>();
        if (!DataPath::looks_like_path(text)) {
            schema("Value is not a Reference Path: Reference path didn't start with '$'", at);
            return std::nullopt;
        }
        try {
            DataPath path = DataPath::parse(text);
            if (path.definite()) return path;
            // AWS words every reference-path problem as a schema failure (ts2asl#912).
            schema("Value is not a Reference Path: '" + text +
                       "' can select more than one value (wildcard, slice, union, deep scan or filter)",
                   at);
        } catch (const jsonpath::PathError& e) {
            schema(std::string("Value is not a Reference Path: ") + e.what(), at);
        }
        return std::nullopt;
    }

    Diagnostics& out_;
};

[[noreturn]] void invalid_path(const DataPath& path) {
    throw StatesError(errors::kRuntime, "Invalid path '" + path.text() +
                                            "': The choice state's condition path references an invalid value.");
}

bool holds(Relation relation, std::partial_ordering order) {
    switch (relation) {
        case Relation::Equals:
            return order == 0;
        case Relation::LessThan:
            return order < 0;
        case Relation::GreaterThan:
            return order > 0;
        case Relation::LessThanEquals:
            return order <= 0;
        case Relation::GreaterThanEquals:
            return order >= 0;
        default:
            return false;
    }
}

bool type_test(Relation relation, const Json& value) {
    switch (relation) {
        case Relation::IsNull:
            return value.is_null();
        case Relation::IsNumeric:
            return value.is_number();
        case Relation::IsString:
            return value.is_string();
        case Relation::IsBoolean:
            return value.is_boolean();
        case Relation::IsTimestamp:
            return instant(value).has_value();
        default:
            return false;
    }
}

bool compare(const Comparison& c, const EvalScope& scope) {
    const std::optional<Json> value = c.variable.select(scope);
    if (c.relation == Relation::IsPresent) return value.has_value() == c.value.get<bool>();
    if (!value) invalid_path(c.variable);
    if (c.type == Type::Test) return type_test(c.relation, *value) == c.value.get<bool>();

    std::optional<Json> selected;
    if (c.value_path) {
        selected = c.value_path->select(scope);
        if (!selected) invalid_path(*c.value_path);
    }
    const Json& operand = selected ? *selected : c.value;

    // A value of another type than the operator compares makes the comparison false, not an error.
    switch (c.type) {
        case Type::String: {
            if (!value->is_string() || !operand.is_string()) return false;
            const auto& text = value->get_ref<const std::string&>();
            if (c.relation == Relation::Matches) return glob_match(c.glob, text);
            // std::string compares as unsigned char: byte-wise, as UTF-8 code points order.
            return holds(c.relation, text.compare(operand.get_ref<const std::string&>()) <=> 0);
        }
        case Type::Numeric:
            if (!value->is_number() || !operand.is_number()) return false;
            // Where long double has a 64-bit mantissa (x86-64, aarch64 Linux) it holds every int64,
            // uint64 and double exactly: 3 == 3.0, and ids beyond 2^53 do not round together.
            return holds(c.relation, value->get<long double>() <=> operand.get<long double>());
        case Type::Boolean:
            return value->is_boolean() && operand.is_boolean() && *value == operand;
        case Type::Timestamp: {
            const auto left = instant(*value), right = instant(operand);
            if (!left || !right) return false;
            return holds(c.relation, left->time_since_epoch().count() <=> right->time_since_epoch().count());
        }
        case Type::Test:
            break;
    }
    return false;
}

}  // namespace

std::optional<ChoiceRule> parse_choice_rule(const Json& rule, bool top_level, const std::string& location,
                                            Diagnostics& out) {
    return RuleParser(out).rule(rule, top_level, location, 0);
}

bool evaluate(const ChoiceRule& rule, const EvalScope& scope) {
    switch (rule.kind) {
        case ChoiceRule::Kind::And:
            for (const auto& operand : rule.operands)
                if (!evaluate(operand, scope)) return false;
            return true;
        case ChoiceRule::Kind::Or:
            for (const auto& operand : rule.operands)
                if (evaluate(operand, scope)) return true;
            return false;
        case ChoiceRule::Kind::Not:
            return !evaluate(rule.operands.front(), scope);
        case ChoiceRule::Kind::Comparison:
            return compare(rule.comparison, scope);
    }
    return false;
}

}  // namespace sluice::sfn
