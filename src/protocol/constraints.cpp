#include "sluice/protocol/constraints.hpp"

#include "sluice/core/encoding.hpp"

namespace sluice::protocol {

namespace {

std::string number_text(double v) {
    if (v == static_cast<double>(static_cast<long long>(v))) return std::to_string(static_cast<long long>(v));
    return std::to_string(v);
}

// A value as AWS's validation messages write it: the Java text of the request object the
// service parsed it into. A structure is `ShapeName(member=value, ...)` with every member in
// model order, a list `[a, b]`, a map `{k=v}`, a string bare; AWS's recording
// (test_sfn_api_aliasing test_error_create_alias_invalid_router_configs): Value
// '[RoutingConfigurationListItem(stateMachineVersionArn=arn:...:1, weight=50), ...]'.
std::string java_text(const Json& v, const Shape* shape, int depth = 0) {
    if (v.is_null()) return "null";
    if (v.is_string()) return v.get<std::string>();
    if (!shape || depth > 32) return v.dump();
    std::string out;
    auto join = [&](auto&& each, const Json& items) {
        bool first = true;
        for (const auto& item : items) {
            if (!first) out += ", ";
            first = false;
            each(item);
        }
    };
    switch (shape->type) {
        case Shape::Type::Structure: {
            if (!v.is_object()) return v.dump();
            out = shape->name + "(";
            bool first = true;
            for (const auto& [name, ref] : shape->members) {
                if (!first) out += ", ";
                first = false;
                auto it = v.find(name);
                out += name + "=" + (it == v.end() ? std::string("null") : java_text(*it, ref.shape, depth + 1));
            }
            return out + ")";
        }
        case Shape::Type::List:
            if (!v.is_array()) return v.dump();
            out = "[";
            join([&](const Json& item) { out += java_text(item, shape->member.shape, depth + 1); }, v);
            return out + "]";
        case Shape::Type::Map: {
            if (!v.is_object()) return v.dump();
            out = "{";
            bool first = true;
            for (const auto& [key, item] : v.items()) {
                if (!first) out += ", ";
                first = false;
                out += key + "=" + java_text(item, shape->value.shape, depth + 1);
            }
            return out + "}";
        }
        default:
            return v.dump();
    }
}

std::string shown(const Json& v, const Shape& shape) {
    return "'" + java_text(v, &shape) + "'";
}

void walk(const Json& value, const Shape& shape, const std::string& path, std::vector<std::string>& out, int depth) {
    if (depth > 32) return;
    auto fail = [&](const Json& v, const std::string& what) {
        out.push_back("Value " + (v.is_null() ? std::string("null") : shown(v, shape)) + " at '" + path +
                      "' failed to satisfy constraint: Member must " + what);
    };
    switch (shape.type) {
        case Shape::Type::Structure: {
            if (!value.is_object()) return;
            for (const auto& name : shape.required) {
                auto it = value.find(name);
                if (it == value.end() || it->is_null())
                    out.push_back("Value null at '" + (path.empty() ? name : path + "." + name) +
                                  "' failed to satisfy constraint: Member must not be null");
            }
            for (const auto& [name, ref] : shape.members) {
                auto it = value.find(name);
                if (it != value.end() && !it->is_null() && ref.shape)
                    walk(*it, *ref.shape, path.empty() ? name : path + "." + name, out, depth + 1);
            }
            return;
        }
        case Shape::Type::List:
            if (!value.is_array()) return;
            if (shape.min && static_cast<double>(value.size()) < *shape.min)
                fail(value, "have length greater than or equal to " + number_text(*shape.min));
            if (shape.max && static_cast<double>(value.size()) > *shape.max)
                fail(value, "have length less than or equal to " + number_text(*shape.max));
            if (shape.member.shape)
                for (std::size_t i = 0; i < value.size(); ++i)
                    walk(value[i], *shape.member.shape, path + "." + std::to_string(i + 1) + ".member", out, depth + 1);
            return;
        case Shape::Type::Map:
            if (!value.is_object()) return;
            if (shape.max && static_cast<double>(value.size()) > *shape.max)
                fail(value, "have length less than or equal to " + number_text(*shape.max));
            return;
        case Shape::Type::String: {
            if (!value.is_string()) return;
            const auto& s = value.get_ref<const std::string&>();
            const double length = static_cast<double>(core::utf8_length(s));
            if (shape.min && length < *shape.min)
                fail(value, "have length greater than or equal to " + number_text(*shape.min));
            if (shape.max && length > *shape.max)
                fail(value, "have length less than or equal to " + number_text(*shape.max));
            if (!shape.enum_values.empty()) {
                bool known = false;
                for (const auto& e : shape.enum_values) known = known || e == s;
                if (!known) {
                    std::string set;
                    for (const auto& e : shape.enum_values) set += (set.empty() ? "" : ", ") + e;
                    fail(value, "satisfy enum value set: [" + set + "]");
                }
            }
            return;
        }
        case Shape::Type::Integer:
        case Shape::Type::Long:
        case Shape::Type::Double:
        case Shape::Type::Float: {
            if (!value.is_number()) return;
            const double v = value.get<double>();
            if (shape.min && v < *shape.min)
                fail(value, "have value greater than or equal to " + number_text(*shape.min));
            if (shape.max && v > *shape.max) fail(value, "have value less than or equal to " + number_text(*shape.max));
            return;
        }
        default:
            return;
    }
}

}  // namespace

std::vector<std::string> constraint_violations(const Json& value, const Shape& shape) {
    std::vector<std::string> out;
    walk(value, shape, "", out, 0);
    return out;
}

void check_constraints(const Json& value, const Shape& shape, const Model& model) {
    auto violations = constraint_violations(value, shape);
    if (violations.empty()) return;
    std::string message =
        std::to_string(violations.size()) + " validation error" + (violations.size() > 1 ? "s" : "") + " detected: ";
    for (std::size_t i = 0; i < violations.size(); ++i) message += (i ? "; " : "") + violations[i];
    throw model.error("ValidationException", message);
}

}  // namespace sluice::protocol
