#include "sluice/sns/filter_policy.hpp"

#include <cstdlib>
#include <optional>

#include "sluice/protocol/aws_error.hpp"
#include "sluice/protocol/json_text.hpp"

namespace sluice::sns {

namespace {

using OrderedJson = nlohmann::ordered_json;

// SNS checks a policy with the same rule compiler EventBridge uses (event-ruler: its texts are
// SNS's, e.g. "Bottom must be less than top"), of an older version: the operators it lacks are
// refused here in the words SNS uses (LocalStack tests/aws/services/sns/test_sns_filter_policy.py,
// recorded on AWS; docs/research/sns-behaviour.md).
struct PolicyRefused {
    std::string reason;
};

[[noreturn]] void refuse(std::string reason) {
    throw PolicyRefused{std::move(reason)};
}

// One match expression (an object in a leaf array): the operators event-ruler knows that SNS
// does not, or knows with fewer forms.
void check_expression(const OrderedJson& expression) {
    if (expression.empty()) return;  // the engine words it
    const auto first = expression.begin();
    const std::string& op = first.key();
    const OrderedJson& value = first.value();
    if (op == "wildcard") refuse("Unrecognized match type wildcard");
    if ((op == "prefix" || op == "suffix") && !value.is_string()) refuse(op + " match pattern must be a string");
    if (op == "anything-but" && value.is_object()) {
        for (const auto& [inner, inner_value] : value.items()) {
            if (inner != "prefix") refuse("Unsupported anything-but pattern: " + inner);
            if (!inner_value.is_string()) refuse("prefix match pattern must be a string");
        }
    }
}

// Walks the policy as SNS counts it: the number of keys that hold match values on the first
// level, the nesting, and the combinations (every leaf array's length times its depth, multiplied
// across keys, summed across `$or` alternatives: SNS's subscription-filter-policy-constraints page).
struct Shape {
    bool nested = false;
    double combinations = 1;
};

double walk(const OrderedJson& object, int depth, Shape& shape) {
    double combinations = 1;
    for (const auto& [key, value] : object.items()) {
        if (value.is_object()) {
            shape.nested = true;
            combinations *= walk(value, depth + 1, shape);
        } else if (value.is_array() && key == "$or") {
            double sum = 0;
            for (const auto& alternative : value)
                if (alternative.is_object()) sum += walk(alternative, depth, shape);
            combinations *= sum;
        } else if (value.is_array()) {
            for (const auto& element : value)
                if (element.is_object()) check_expression(element);
            combinations *= static_cast<double>(value.size()) * depth;
        }
    }
    return combinations;
}

}  // namespace

FilterPolicy FilterPolicy::parse(std::string_view text, FilterPolicyScope scope, PolicyCaller caller) {
    const std::string prefix =
        caller == PolicyCaller::Subscribe ? "Invalid parameter: Attributes Reason: " : "Invalid parameter: ";
    auto invalid = [&](const std::string& reason) {
        return protocol::AwsError("InvalidParameterException", prefix + reason, 400, true, "InvalidParameter");
    };
    try {
        OrderedJson document;
        if (protocol::read_json(text, document, events::kMaxPatternDepth) == protocol::JsonRead::ok &&
            document.is_object()) {
            Shape shape;
            const double combinations = walk(document, 1, shape);
            auto pattern = events::EventPattern::parse(text);
            if (document.size() > 5) refuse("Filter policy can not have more than 5 keys");
            if (combinations > 150) refuse("Filter policy is too complex");
            if (shape.nested && scope == FilterPolicyScope::MessageAttributes)
                throw invalid("Filter policy scope MessageAttributes does not support nested filter policy");
            return FilterPolicy(std::move(pattern), scope);
        }
        return FilterPolicy(events::EventPattern::parse(text), scope);  // throws: not an object
    } catch (const PolicyRefused& refused) {
        throw invalid("FilterPolicy: " + refused.reason);
    } catch (const events::PatternError& error) {
        throw invalid(std::string("FilterPolicy: ") + error.what());
    }
}

bool FilterPolicy::matches_attributes(const nlohmann::json& attributes) const {
    if (pattern_.matches_everything()) return true;
    nlohmann::json event = nlohmann::json::object();
    if (attributes.is_object())
        for (const auto& [name, attribute] : attributes.items()) {
            if (!attribute.is_object()) continue;
            const std::string type = attribute.value("DataType", "");
            auto string_value = attribute.find("StringValue");
            if (string_value == attribute.end() || !string_value->is_string()) continue;  // Binary: not matched
            const auto& text = string_value->get_ref<const std::string&>();
            if (type.starts_with("Number")) {
                char* end = nullptr;
                const double number = std::strtod(text.c_str(), &end);
                event[name] =
                    end == text.c_str() + text.size() && !text.empty() ? nlohmann::json(number) : nlohmann::json(text);
            } else if (type.starts_with("String.Array")) {
                auto array = protocol::parse_json(text);
                event[name] = array.is_array() ? std::move(array) : nlohmann::json(text);
            } else {
                event[name] = text;
            }
        }
    return pattern_.matches(event);
}

bool FilterPolicy::matches_body(std::string_view message) const {
    if (pattern_.matches_everything()) return true;
    auto body = protocol::parse_json(message);
    return body.is_object() && pattern_.matches(body);
}

}  // namespace sluice::sns
