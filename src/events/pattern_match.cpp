// Event patterns, part 2: matching an event against the compiled tree.
//
// event-ruler (EventBridge's matcher) flattens an event into dotted paths with leaf values,
// remembering for each value which element of which array it came from, and accepts a rule when
// every path of the rule has a matching value and no two chosen values come from different
// elements of the same array. This walk gives those answers on the event as it is, without
// building the flat list:
// - A leaf array is tested against the leaf values at its path: the string, number, boolean or
//   null there, or every scalar of an array there (nested arrays flattened: arrays are sets).
//   An object at a leaf's path is not a leaf value, so it matches only {"exists": false}, and
//   {"exists": true} needs a leaf value (an empty array or an object does not count; null does).
// - A pattern object applied to an array must match one element as a whole, which is the array
//   consistency above. A pattern object whose conditions are all {"exists": false} must instead
//   hold for every element: event-ruler checks an absence against every value of the path, and
//   one element with the field is enough to make it present. Applied to a scalar, or to nothing,
//   a pattern object finds all its keys absent.
// - event-ruler joins keys with dots, so `{"a.b": 1}` in an event is also reached by the pattern
//   `{"a": {"b": [1]}}`, and the reverse; a dotted event key is read step by step (`rest`).
// Known differences from event-ruler (docs/research/event-patterns.md): it checks a field's
// absence against the values bound so far in lexicographic path order, so in an array of objects
// `{"b": [{"exists": false}], "c": ["x"]}` it finds `b` in any element, where this walk looks only
// in the element that has c = "x"; and an object whose `$or` mixes absence-only and other
// alternatives is applied to one element.
#include <algorithm>
#include <functional>

#include "pattern_tree.hpp"
#include "sluice/events/event_pattern.hpp"

namespace sluice::events {

namespace detail {
namespace {

// Arrays nested deeper than this inside the matched event are not looked into.
constexpr int kMaxArrayNesting = 128;

struct Position {
    const Json* value = nullptr;  // nullptr: nothing at this path
    std::string_view rest;        // steps of a dotted event key still to read (`{"a.b": 1}` read as far as `a`)
};

// One leaf value, with what the matchers ask of it worked out once.
class LeafValue {
public:
    explicit LeafValue(const Json& value) : json_(value) {
        if (value.is_string()) text_ = value.get_ref<const std::string&>();
        if (value.is_number()) number_ = value.get<double>();
    }
    const Json& json() const { return json_; }
    bool is_string() const { return json_.is_string(); }
    bool is_number() const { return json_.is_number(); }
    std::string_view text() const { return text_; }
    double number() const { return number_; }
    const std::optional<IpAddress>& address() const {
        if (!address_parsed_) {
            address_ = parse_ip(text_);
            address_parsed_ = true;
        }
        return address_;
    }

private:
    const Json& json_;
    std::string_view text_;
    double number_ = 0;
    mutable std::optional<IpAddress> address_;
    mutable bool address_parsed_ = false;
};

bool same_number(const Json& a, const Json& b) {
    if (a.is_number_integer() && b.is_number_integer()) {
        const bool a_unsigned = a.is_number_unsigned(), b_unsigned = b.is_number_unsigned();
        if (a_unsigned && b_unsigned) return a.get<std::uint64_t>() == b.get<std::uint64_t>();
        if (!a_unsigned && !b_unsigned) return a.get<std::int64_t>() == b.get<std::int64_t>();
        const Json& s = a_unsigned ? b : a;
        const Json& u = a_unsigned ? a : b;
        return s.get<std::int64_t>() >= 0 &&
               static_cast<std::uint64_t>(s.get<std::int64_t>()) == u.get<std::uint64_t>();
    }
    return a.get<double>() == b.get<double>();
}

bool excludes(const AnythingBut& anything_but, const LeafValue& value) {
    using Kind = AnythingBut::Kind;
    if (anything_but.kind == Kind::Numbers) {
        return value.is_number() && std::find(anything_but.numbers.begin(), anything_but.numbers.end(),
                                              value.number()) != anything_but.numbers.end();
    }
    if (!value.is_string()) return false;
    std::string_view text = value.text();
    switch (anything_but.kind) {
        case Kind::Strings:
            return std::binary_search(anything_but.strings.begin(), anything_but.strings.end(), text, std::less<>());
        case Kind::Prefix:
            return std::any_of(anything_but.strings.begin(), anything_but.strings.end(),
                               [&](const std::string& prefix) { return text.starts_with(prefix); });
        case Kind::Suffix:
            return std::any_of(anything_but.strings.begin(), anything_but.strings.end(),
                               [&](const std::string& suffix) { return text.ends_with(suffix); });
        case Kind::EqualsIgnoreCase:
            return std::any_of(anything_but.folded.begin(), anything_but.folded.end(),
                               [&](const std::u32string& folded) { return equals_ignore_case(text, folded); });
        case Kind::Wildcard:
            return std::any_of(anything_but.wildcards.begin(), anything_but.wildcards.end(),
                               [&](const Wildcard& wildcard) { return wildcard.matches(text); });
        case Kind::Numbers:
            break;
    }
    return false;
}

bool accepts(const Matcher& matcher, const LeafValue& value) {
    if (const auto* m = std::get_if<AnythingBut>(&matcher)) return !excludes(*m, value);
    if (const auto* m = std::get_if<Numeric>(&matcher)) return value.is_number() && m->range.contains(value.number());
    if (!value.is_string()) return false;
    std::string_view text = value.text();
    if (const auto* m = std::get_if<Prefix>(&matcher)) return text.starts_with(m->text);
    if (const auto* m = std::get_if<Suffix>(&matcher)) return text.ends_with(m->text);
    if (const auto* m = std::get_if<PrefixIgnoreCase>(&matcher)) return starts_with_ignore_case(text, m->folded);
    if (const auto* m = std::get_if<SuffixIgnoreCase>(&matcher)) return ends_with_ignore_case(text, m->folded);
    if (const auto* m = std::get_if<EqualsIgnoreCase>(&matcher)) return equals_ignore_case(text, m->folded);
    if (const auto* m = std::get_if<WildcardMatch>(&matcher)) return m->wildcard.matches(text);
    if (const auto* m = std::get_if<Cidr>(&matcher)) return value.address() && m->range.contains(*value.address());
    return false;
}

bool leaf_accepts(const LeafPattern& leaf, const Json& json) {
    if (leaf.exists) return true;
    LeafValue value(json);
    switch (json.type()) {
        case Json::value_t::string: {
            if (std::binary_search(leaf.strings.begin(), leaf.strings.end(), value.text(), std::less<>())) return true;
            if (!leaf.addresses.empty() && value.address() &&
                std::find(leaf.addresses.begin(), leaf.addresses.end(), *value.address()) != leaf.addresses.end())
                return true;
            break;
        }
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned:
        case Json::value_t::number_float:
            for (const Json& number : leaf.numbers) {
                if (same_number(number, json)) return true;
            }
            break;
        case Json::value_t::boolean:
            if (json.get<bool>() ? leaf.true_value : leaf.false_value) return true;
            break;
        case Json::value_t::null:
            if (leaf.null_value) return true;
            break;
        default:
            return false;
    }
    return std::any_of(leaf.matchers.begin(), leaf.matchers.end(),
                       [&](const Matcher& matcher) { return accepts(matcher, value); });
}

// Calls `visit` on each leaf value of `value` (itself, or the scalars of an array, nested arrays
// flattened) until it returns true; says whether it did.
template <class Visit>
bool visit_leaf_values(const Json& value, Visit& visit, int nesting) {
    if (value.is_array()) {
        if (nesting >= kMaxArrayNesting) return false;
        for (const Json& element : value) {
            if (visit_leaf_values(element, visit, nesting + 1)) return true;
        }
        return false;
    }
    if (value.is_object() || value.is_discarded() || value.is_binary()) return false;
    return visit(value);
}

// Calls `visit` on each event position that the field's key leads to from `at` until it returns
// true: the member named by the key, and members whose dotted names start with it.
template <class Visit>
void visit_candidates(const Field& field, Position at, Visit&& visit) {
    if (at.value == nullptr) return;
    if (!at.rest.empty()) {
        if (at.rest == field.key) {
            visit(Position{at.value, {}});
        } else if (at.rest.starts_with(field.key_dot)) {
            visit(Position{at.value, at.rest.substr(field.key_dot.size())});
        }
        return;
    }
    if (!at.value->is_object()) return;
    const auto& members = at.value->get_ref<const Json::object_t&>();
    if (auto it = members.find(field.key); it != members.end() && visit(Position{&it->second, {}})) return;
    for (auto it = members.lower_bound(field.key_dot);
         it != members.end() && std::string_view(it->first).starts_with(field.key_dot); ++it) {
        if (visit(Position{&it->second, std::string_view(it->first).substr(field.key_dot.size())})) return;
    }
}

bool match_object(const ObjectPattern& pattern, Position at, int nesting);

// A pattern object at a position that may hold an array.
bool apply_object(const ObjectPattern& pattern, Position at, int nesting) {
    if (at.value != nullptr && at.rest.empty() && at.value->is_array()) {
        const Json& array = *at.value;
        if (array.empty() || nesting >= kMaxArrayNesting) return match_object(pattern, Position{}, nesting);
        if (pattern.absence_only) {
            return std::all_of(array.begin(), array.end(), [&](const Json& element) {
                return apply_object(pattern, Position{&element, {}}, nesting + 1);
            });
        }
        return std::any_of(array.begin(), array.end(), [&](const Json& element) {
            return apply_object(pattern, Position{&element, {}}, nesting + 1);
        });
    }
    return match_object(pattern, at, nesting);
}

bool match_leaf(const LeafPattern& leaf, const Field& field, Position at) {
    bool seen = false, matched = false;
    auto visit_value = [&](const Json& value) {
        seen = true;
        return matched = leaf_accepts(leaf, value);
    };
    visit_candidates(field, at, [&](Position candidate) {
        // A dotted key read only part way ends deeper than this path: no value here.
        return candidate.rest.empty() && visit_leaf_values(*candidate.value, visit_value, 0);
    });
    return matched || (leaf.absent && !seen);
}

bool match_child(const ObjectPattern& child, const Field& field, Position at, int nesting) {
    bool found = false;
    bool result = child.absence_only;  // absence-only: every candidate must pass; otherwise one
    visit_candidates(field, at, [&](Position candidate) {
        found = true;
        if (apply_object(child, candidate, nesting) != child.absence_only) {
            result = !child.absence_only;
            return true;
        }
        return false;
    });
    if (!found) return match_object(child, Position{}, nesting);  // nothing there: only absences hold
    return result;
}

bool match_object(const ObjectPattern& pattern, Position at, int nesting) {
    for (const Field& field : pattern.fields) {
        if (field.leaf && !match_leaf(*field.leaf, field, at)) return false;
        if (field.object && !match_child(*field.object, field, at, nesting)) return false;
    }
    for (const auto& alternatives : pattern.any_of) {
        if (std::none_of(alternatives.begin(), alternatives.end(),
                         [&](const ObjectPattern& alternative) { return match_object(alternative, at, nesting); }))
            return false;
    }
    return true;
}

}  // namespace
}  // namespace detail

bool EventPattern::matches(const nlohmann::json& event) const {
    if (compiled_->match_all) return true;
    if (!event.is_object()) return false;  // event-ruler refuses events that are not objects
    return detail::match_object(compiled_->root, detail::Position{&event, {}}, 0);
}

}  // namespace sluice::events
