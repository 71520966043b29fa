// Event patterns, part 1: validating a pattern and compiling it into the matcher tree.
//
// The checks and their order follow aws/event-ruler's JsonRuleCompiler, the parser behind
// EventBridge, and every error text is event-ruler's (AWS returns it after "Event pattern is not
// valid. Reason: "); docs/research/event-patterns.md lists them with their sources. event-ruler
// reads the pattern as a token stream; here the text is parsed first (keeping key order, so
// errors come in document order) and then walked, which gives the same first error except for
// duplicate keys, where the JSON parser keeps only the last value.
#include <algorithm>
#include <limits>
#include <optional>

#include "pattern_tree.hpp"
#include "sluice/events/event_pattern.hpp"

namespace sluice::events {

namespace detail {
namespace {

using OrderedJson = nlohmann::ordered_json;

[[noreturn]] void fail(const std::string& message) {
    throw PatternError(message);
}

const std::string kTooDeep = "Event pattern is nested more than " + std::to_string(kMaxPatternDepth) + " levels deep";

// Keys that event-ruler refuses inside a `$or` alternative (Constants.RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP).
// clang-format off
constexpr std::string_view kReservedInOr[] = {
    "exactly", "equals-ignore-case", "prefix", "suffix", "anything-but", "exists", "wildcard", "numeric", "cidr",
    "=", "<", "<=", ">", ">=", "regex", "not-wildcard", "not-equals-ignore-case", "date-after", "date-on-or-after",
    "date-before", "date-on-or-before", "in-date-range", "ip-address-in-range", "ip-address-not-in-range"};
// clang-format on

// EventBridge compares numbers in operators within ±5e9 (event-ruler's original ComparableNumber).
constexpr double kNumberLimit = 5e9;

// The text of the token a value starts with, as event-ruler quotes it in messages (Jackson's
// getText()); nullptr stands for the end of an array.
std::string token_text(const OrderedJson* value) {
    if (value == nullptr) return "]";
    if (value->is_object()) return "{";
    if (value->is_array()) return "[";
    if (value->is_string()) return value->get<std::string>();
    return value->dump();
}

// A number used by numeric and anything-but, within the range EventBridge compares.
double bounded_number(const OrderedJson& number) {
    double value = number.get<double>();
    if (!(value >= -kNumberLimit && value <= kNumberLimit)) fail("Value must be between -5.0E9 and 5.0E9, inclusive");
    return value;
}

Json plain_number(const OrderedJson& number) {
    if (number.is_number_unsigned()) return Json(number.get<std::uint64_t>());
    if (number.is_number_integer()) return Json(number.get<std::int64_t>());
    return Json(number.get<double>());
}

std::vector<std::string_view> split_steps(std::string_view key) {
    std::vector<std::string_view> steps;
    for (std::size_t start = 0;;) {
        std::size_t dot = key.find('.', start);
        steps.push_back(key.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
        if (dot == std::string_view::npos) return steps;
        start = dot + 1;
    }
}

// Java's Integer.parseInt: an optional sign and decimal digits that fit 32 bits.
std::optional<long long> parse_java_int(std::string_view text) {
    std::size_t i = 0;
    bool negative = false;
    if (!text.empty() && (text[0] == '+' || text[0] == '-')) negative = text[i++] == '-';
    if (i == text.size()) return std::nullopt;
    long long value = 0;
    for (; i < text.size(); ++i) {
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
        value = value * 10 + (text[i] - '0');
        if (value > 2147483648LL) return std::nullopt;
    }
    if (negative) value = -value;
    if (value > 2147483647LL) return std::nullopt;
    return value;
}

// event-ruler's CIDR.cidr, with its messages.
CidrRange parse_cidr(const std::string& text) {
    // Java's String.split("/"), which drops trailing empty parts.
    std::vector<std::string_view> parts = {std::string_view(text)};
    if (text.find('/') != std::string::npos) {
        parts.clear();
        std::string_view rest(text);
        for (std::size_t slash; (slash = rest.find('/')) != std::string_view::npos; rest.remove_prefix(slash + 1))
            parts.push_back(rest.substr(0, slash));
        parts.push_back(rest);
        while (!parts.empty() && parts.back().empty()) parts.pop_back();
    }
    if (parts.size() != 2) fail("Malformed CIDR, one '/' required");
    auto mask = parse_java_int(parts[1]);
    if (!mask) fail("Malformed CIDR, mask bits must be an integer");
    if (*mask < 0) fail("Malformed CIDR, mask bits must not be negative");
    std::string ip(parts[0]);
    if (!looks_like_ip(ip)) fail("Nonstandard IP address: " + ip);
    auto address = parse_ip(ip);
    if (!address) fail("Invalid IP address: " + ip);
    if (address->size == 4 && *mask > 31) fail("IPv4 mask bits must be < 32");
    if (address->size == 16 && *mask > 127) fail("IPv6 mask bits must be < 128");
    CidrRange range{*address, *address};
    for (int i = 0; i < address->size; ++i) {
        int fixed = std::clamp(static_cast<int>(*mask) - 8 * i, 0, 8);  // leading bits of this byte that are fixed
        auto keep = static_cast<std::uint8_t>(0xff00 >> fixed);
        range.low.bytes[i] = address->bytes[i] & keep;
        range.high.bytes[i] = address->bytes[i] | static_cast<std::uint8_t>(~keep);
    }
    return range;
}

NumericRange parse_numeric(const OrderedJson& terms) {
    auto term = [&](std::size_t i) -> const OrderedJson* { return i < terms.size() ? &terms[i] : nullptr; };
    auto numeric_term = [&](std::size_t i, const std::string& name) -> const OrderedJson& {
        const OrderedJson* value = term(i);
        if (value == nullptr || !value->is_number()) fail("Value of " + name + " must be numeric");
        return *value;
    };
    constexpr double kInfinity = std::numeric_limits<double>::infinity();
    if (terms.empty() || !terms[0].is_string()) fail("Invalid member in numeric match: " + token_text(term(0)));
    const std::string& op = terms[0].get_ref<const std::string&>();
    if (op == "=") {
        const OrderedJson& value = numeric_term(1, "equals");
        if (terms.size() > 2) fail("Too many elements in numeric expression");
        double x = bounded_number(value);
        return {x, x, false, false};
    }
    if (op == ">" || op == ">=") {
        const OrderedJson& bottom = numeric_term(1, op);
        if (terms.size() == 2) return {bounded_number(bottom), kInfinity, op == ">", false};
        if (!terms[2].is_string()) fail("Bad value in numeric range: " + token_text(&terms[2]));
        const std::string& op2 = terms[2].get_ref<const std::string&>();
        if (op2 != "<" && op2 != "<=") fail("Bad numeric range operator: " + op2);
        const OrderedJson& top = numeric_term(3, op2);
        if (terms.size() > 4) fail("Too many terms in numeric range expression");
        double low = bounded_number(bottom), high = bounded_number(top);
        if (!(low < high)) fail("Bottom must be less than top");
        return {low, high, op == ">", op2 == "<"};
    }
    if (op == "<" || op == "<=") {
        const OrderedJson& top = numeric_term(1, op);
        if (terms.size() > 2) fail("Too many elements in numeric expression");
        return {-kInfinity, bounded_number(top), false, op == "<"};
    }
    fail("Unrecognized numeric range operator: " + op);
}

// `{"equals-ignore-case": "..."}` under prefix or suffix.
std::u32string ignore_case_operand(const OrderedJson& object, const std::string& label) {
    std::string capitalized = label;
    capitalized[0] = static_cast<char>(capitalized[0] - 'a' + 'A');
    if (object.empty()) fail(capitalized + " expression name not found");
    const std::string& op = object.begin().key();
    if (op != "equals-ignore-case") fail("Unsupported " + label + " pattern: " + op);
    const OrderedJson& value = object.begin().value();
    if (!value.is_string()) fail("equals-ignore-case match pattern must be a string");
    if (object.size() > 1) fail("Only one key allowed in match expression");
    return fold_case(value.get_ref<const std::string&>());
}

AnythingBut parse_anything_but(const OrderedJson& value) {
    using Kind = AnythingBut::Kind;
    AnythingBut out;
    const OrderedJson* operand = &value;
    bool over_strings = false;  // anything-but applied to prefix, suffix, equals-ignore-case or wildcard
    if (value.is_object()) {
        if (value.empty()) fail("Anything-But expression name not found");
        const std::string& op = value.begin().key();
        if (op == "equals-ignore-case") {
            out.kind = Kind::EqualsIgnoreCase;
        } else if (op == "prefix") {
            out.kind = Kind::Prefix;
        } else if (op == "suffix") {
            out.kind = Kind::Suffix;
        } else if (op == "wildcard") {
            out.kind = Kind::Wildcard;
        } else {
            fail("Unsupported anything-but pattern: " + op);
        }
        operand = &value.begin().value();
        over_strings = true;
    }
    if (!operand->is_array() && !operand->is_string() && !operand->is_number())
        fail("Value of anything-but must be an array or single string/number value.");

    if (!over_strings) {
        bool numbers = false, strings = false;
        auto add = [&](const OrderedJson& item) {
            if (item.is_string()) {
                out.strings.push_back(item.get<std::string>());
                strings = true;
            } else if (item.is_number()) {
                out.numbers.push_back(bounded_number(item));
                numbers = true;
            } else {
                fail("Inside anything but list, start|null|boolean is not supported.");
            }
        };
        if (operand->is_array()) {
            for (const auto& item : *operand) add(item);
            if (numbers == strings)
                fail("Inside anything but list, either all values are number or string, mixed type is not supported");
        } else {
            add(*operand);
        }
        out.kind = numbers ? Kind::Numbers : Kind::Strings;
        std::sort(out.strings.begin(), out.strings.end());
        return out;
    }

    std::vector<std::string> texts;
    auto add = [&](const OrderedJson& item) {
        if (!item.is_string()) {
            if (out.kind == Kind::EqualsIgnoreCase)
                fail("Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.");
            if (out.kind == Kind::Wildcard) fail("wildcard match pattern must be a string");
            fail("prefix/suffix match pattern must be a string");
        }
        const std::string& text = item.get_ref<const std::string&>();
        if ((out.kind == Kind::Prefix || out.kind == Kind::Suffix) && text.empty())
            fail("Null prefix/suffix not allowed");
        texts.push_back(text);
    };
    if (operand->is_array()) {
        for (const auto& item : *operand) add(item);
    } else {
        add(*operand);
    }
    for (const std::string& text : texts) {
        switch (out.kind) {
            case Kind::EqualsIgnoreCase:
                out.folded.push_back(fold_case(text));
                break;
            case Kind::Wildcard:
                if (auto error = parse_wildcard(text, out.wildcards.emplace_back())) fail(*error);
                break;
            default:
                out.strings.push_back(text);
        }
    }
    if (value.size() > 1) fail("Too many elements in numeric expression");
    return out;
}

// One `{...}` in a leaf array.
void parse_match_expression(const OrderedJson& expression, LeafPattern& leaf) {
    if (expression.empty()) fail("Match expression name not found");
    const std::string& name = expression.begin().key();
    const OrderedJson& value = expression.begin().value();
    const bool single = expression.size() == 1;
    auto one_key = [&] {
        if (!single) fail("Only one key allowed in match expression");
    };
    auto string_value = [&](const char* message) -> const std::string& {
        if (!value.is_string()) fail(message);
        return value.get_ref<const std::string&>();
    };

    if (name == "prefix" || name == "suffix") {
        const bool prefix = name == "prefix";
        if (value.is_object()) {
            std::u32string folded = ignore_case_operand(value, name);
            one_key();
            if (prefix) {
                leaf.matchers.emplace_back(PrefixIgnoreCase{std::move(folded)});
            } else {
                leaf.matchers.emplace_back(SuffixIgnoreCase{std::move(folded)});
            }
            return;
        }
        const std::string& text =
            string_value(prefix ? "prefix match pattern must be a string" : "suffix match pattern must be a string");
        one_key();
        if (prefix) {
            leaf.matchers.emplace_back(Prefix{text});
        } else {
            leaf.matchers.emplace_back(Suffix{text});
        }
    } else if (name == "equals-ignore-case") {
        const std::string& text = string_value("equals-ignore-case match pattern must be a string");
        one_key();
        leaf.matchers.emplace_back(EqualsIgnoreCase{fold_case(text)});
    } else if (name == "wildcard") {
        const std::string& text = string_value("wildcard match pattern must be a string");
        WildcardMatch match;
        if (auto error = parse_wildcard(text, match.wildcard)) fail(*error);
        one_key();
        leaf.matchers.emplace_back(std::move(match));
    } else if (name == "numeric") {
        if (!value.is_array()) fail("Value of numeric must be an array.");
        NumericRange range = parse_numeric(value);
        if (!single) fail("Too many elements in numeric expression");
        leaf.matchers.emplace_back(Numeric{range});
    } else if (name == "anything-but") {
        AnythingBut anything_but = parse_anything_but(value);
        if (!single) fail("Too many elements in numeric expression");
        leaf.matchers.emplace_back(std::move(anything_but));
    } else if (name == "exists") {
        if (!value.is_boolean()) fail("exists match pattern must be either true or false.");
        one_key();
        (value.get<bool>() ? leaf.exists : leaf.absent) = true;
    } else if (name == "cidr") {
        // event-ruler's wording for a non-string cidr value.
        CidrRange range = parse_cidr(string_value("prefix match pattern must be a string"));
        one_key();
        leaf.matchers.emplace_back(Cidr{range});
    } else if (name == "exactly") {
        // Not in the AWS documentation, but event-ruler (so EventBridge) accepts it: an exact
        // string, without the IP-address reading a plain string gets.
        const std::string& text = string_value("exact match pattern must be a string");
        one_key();
        leaf.strings.push_back(text);
    } else {
        fail("Unrecognized match type " + name);
    }
}

std::unique_ptr<LeafPattern> parse_leaf(const OrderedJson& values) {
    auto leaf = std::make_unique<LeafPattern>();
    for (const auto& value : values) {
        switch (value.type()) {
            case OrderedJson::value_t::object:
                parse_match_expression(value, *leaf);
                break;
            case OrderedJson::value_t::string: {
                // A string that is an IP literal matches any spelling of that address (event-ruler
                // compiles it into a one-address range).
                const std::string& text = value.get_ref<const std::string&>();
                if (auto address = parse_ip(text)) leaf->addresses.push_back(*address);
                leaf->strings.push_back(text);
                break;
            }
            case OrderedJson::value_t::number_integer:
            case OrderedJson::value_t::number_unsigned:
            case OrderedJson::value_t::number_float:
                leaf->numbers.push_back(plain_number(value));
                break;
            case OrderedJson::value_t::null:
                leaf->null_value = true;
                break;
            case OrderedJson::value_t::boolean:
                (value.get<bool>() ? leaf->true_value : leaf->false_value) = true;
                break;
            default:
                fail("Match value must be String, number, true, false, or null");
        }
    }
    if (values.empty()) fail("Empty arrays are not allowed");
    std::sort(leaf->strings.begin(), leaf->strings.end());
    leaf->strings.erase(std::unique(leaf->strings.begin(), leaf->strings.end()), leaf->strings.end());
    return leaf;
}

// The field reached by a chain of steps from `object`, made if missing.
Field& field_at(ObjectPattern& object, const std::vector<std::string_view>& steps) {
    ObjectPattern* current = &object;
    for (std::size_t i = 0;; ++i) {
        auto it = std::find_if(current->fields.begin(), current->fields.end(),
                               [&](const Field& field) { return field.key == steps[i]; });
        if (it == current->fields.end()) {
            Field field;
            field.key = std::string(steps[i]);
            field.key_dot = field.key + '.';
            current->fields.push_back(std::move(field));
            it = current->fields.end() - 1;
        }
        if (i + 1 == steps.size()) return *it;
        if (!it->object) it->object = std::make_unique<ObjectPattern>();
        current = it->object.get();
    }
}

void parse_object(const OrderedJson& source, int depth, bool inside_or, ObjectPattern& out);

void parse_or(const OrderedJson& alternatives, int depth, ObjectPattern& out) {
    if (!alternatives.is_array()) fail("It must be an Array followed with $or.");
    std::vector<ObjectPattern> group;
    for (const auto& alternative : alternatives) {
        if (!alternative.is_object()) fail("Only JSON object is allowed in array of $or relationship.");
        parse_object(alternative, depth, true, group.emplace_back());
    }
    if (group.size() < 2) fail("There must have at least 2 Objects in $or relationship.");
    out.any_of.push_back(std::move(group));
}

// `depth` counts the steps from the pattern's root to `source`.
void parse_object(const OrderedJson& source, int depth, bool inside_or, ObjectPattern& out) {
    if (source.empty()) fail("Empty objects are not allowed");
    for (auto it = source.begin(); it != source.end(); ++it) {
        const std::string& key = it.key();
        const OrderedJson& value = it.value();
        if (key == "$or") {
            parse_or(value, depth, out);
            continue;
        }
        if (inside_or && std::find(std::begin(kReservedInOr), std::end(kReservedInOr), key) != std::end(kReservedInOr))
            fail(key + " is Ruler reserved fieldName which cannot be used inside $or.");
        if (!value.is_object() && !value.is_array()) fail("\"" + key + "\" must be an object or an array");
        // event-ruler names a field by its keys joined with dots, so `{"a.b": ...}` is `{"a": {"b": ...}}`.
        std::vector<std::string_view> steps = split_steps(key);
        int inner_depth = depth + static_cast<int>(steps.size());
        if (inner_depth > kMaxPatternDepth) fail(kTooDeep);
        Field& field = field_at(out, steps);
        if (value.is_object()) {
            if (!field.object) field.object = std::make_unique<ObjectPattern>();
            parse_object(value, inner_depth, inside_or, *field.object);
        } else {
            field.leaf = parse_leaf(value);  // a repeated path: the last one counts, as in event-ruler
        }
    }
}

bool mark_absence_only(ObjectPattern& object) {
    bool only = true;
    for (Field& field : object.fields) {
        if (field.leaf && !field.leaf->absence_only()) only = false;
        if (field.object && !mark_absence_only(*field.object)) only = false;
    }
    for (auto& group : object.any_of) {
        for (ObjectPattern& alternative : group) {
            if (!mark_absence_only(alternative)) only = false;
        }
    }
    object.absence_only = only;
    return only;
}

}  // namespace
}  // namespace detail

EventPattern::EventPattern(std::shared_ptr<const detail::CompiledPattern> compiled) : compiled_(std::move(compiled)) {}

EventPattern EventPattern::parse(std::string_view text) {
    using detail::OrderedJson;
    if (text.size() > kMaxPatternBytes)
        detail::fail("Event pattern is longer than " + std::to_string(kMaxPatternBytes) + " bytes");
    OrderedJson document;
    try {
        // The parser keeps its own stack; the callback stops documents that would nest deeper
        // than the compiler's recursion should go.
        document =
            OrderedJson::parse(text.begin(), text.end(), [](int depth, OrderedJson::parse_event_t event, OrderedJson&) {
                if ((event == OrderedJson::parse_event_t::object_start ||
                     event == OrderedJson::parse_event_t::array_start) &&
                    depth >= kMaxPatternDepth)
                    throw PatternError(detail::kTooDeep);
                return true;
            });
    } catch (const OrderedJson::exception& error) {  // a syntax error, or a number too large for a double
        // event-ruler reads one token first: nothing, or the start of an array, a string or a
        // number, is "not an object" whatever follows.
        constexpr std::string_view kValueStarts = "[\"-0123456789";
        auto first = text.find_first_not_of(" \t\r\n");
        if (first == std::string_view::npos || kValueStarts.find(text[first]) != std::string_view::npos)
            detail::fail("Filter is not an object");
        std::string message = error.what();
        if (auto end = message.find("] "); message.starts_with("[json.exception") && end != std::string::npos)
            message.erase(0, end + 2);
        detail::fail(message);
    }
    if (!document.is_object()) detail::fail("Filter is not an object");

    auto compiled = std::make_shared<detail::CompiledPattern>();
    if (document.empty()) {
        compiled->match_all = true;  // event-ruler refuses `{}`; Sluice lets it match everything
    } else {
        detail::parse_object(document, 0, false, compiled->root);
        detail::mark_absence_only(compiled->root);
    }
    return EventPattern(std::move(compiled));
}

bool EventPattern::matches_everything() const {
    return compiled_->match_all;
}

}  // namespace sluice::events
