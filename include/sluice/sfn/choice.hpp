#pragma once
// Choice state rules (JSONPath mode): a tree of And / Or / Not over comparisons of a `Variable`
// path with an operator and an operand, e.g. {"Variable": "$.n", "NumericLessThan": 3}.
// Parsed and checked once with the definition, so a run only walks typed rules; every flaw
// becomes a Diagnostic, as CreateStateMachine reports all of them at once.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/sfn/data_path.hpp"
#include "sluice/sfn/errors.hpp"

namespace sluice::sfn {

// One data-test expression: `<Variable> <operator> <operand>`.
struct Comparison {
    // What the operator compares; `Test` is the Is* family, whose operand is the expected answer.
    enum class Type { String, Numeric, Boolean, Timestamp, Test };
    enum class Relation {
        Equals,
        LessThan,
        GreaterThan,
        LessThanEquals,
        GreaterThanEquals,
        Matches,
        IsNull,
        IsPresent,
        IsNumeric,
        IsString,
        IsBoolean,
        IsTimestamp
    };

    std::string name;  // the operator as written: "NumericLessThanPath"
    Type type = Type::String;
    Relation relation = Relation::Equals;
    DataPath variable;
    nlohmann::json value;                // the literal operand (Is*: true or false)
    std::optional<DataPath> value_path;  // the operand of a `...Path` operator, read at run time
    std::vector<std::string> glob;       // StringMatches: the literal pieces between unescaped '*'
};

struct ChoiceRule {
    enum class Kind { And, Or, Not, Comparison };
    Kind kind = Kind::Comparison;
    std::vector<ChoiceRule> operands;  // And, Or: one or more; Not: exactly one
    Comparison comparison;             // Kind::Comparison

    // Only on the rules directly in `Choices`:
    std::string next;
    std::optional<nlohmann::json> assign;  // the rule's `Assign` object, as written
};

// Checks `rule` (one element of `Choices` when `top_level`, else an operand of And/Or/Not).
// `location` is where it sits ("/States/Pick/Choices/0"). Every problem is appended to `out`;
// the rule comes back only when it has none.
std::optional<ChoiceRule> parse_choice_rule(const nlohmann::json& rule, bool top_level, const std::string& location,
                                            Diagnostics& out);

// Whether the rule holds for this scope. A comparison whose Variable holds a value of another
// type is simply false. A Variable or `...Path` operand that selects nothing throws
// StatesError(States.Runtime), except under IsPresent, which is then false.
bool evaluate(const ChoiceRule& rule, const EvalScope& scope);

inline const std::string& choice_next(const ChoiceRule& rule) {
    return rule.next;
}
inline const std::optional<nlohmann::json>& choice_assign(const ChoiceRule& rule) {
    return rule.assign;
}

}  // namespace sluice::sfn
