// The rules and AWS's words, from LocalStack's test_field_validation_mode(_present).py, validated on AWS
// (docs/research/sfn-behaviour.md, "TestState and mocks"): a member of the wrong type is "Field 'X' must
// be a string|a number|an array"; a value outside an enum "is not an expected value"; below a minimum
// length "is smaller than the minimum length"; below/above a numeric range "is less than the minimum
// value"/"exceeds the maximum value"; STRICT adds "Required field 'X' is missing". Members the model does
// not have pass, names are case-sensitive, a field in a list is named by its own member name, and a
// timestamp must be a string. Step Functions hands results over with member names capitalized, as its
// SDK integrations write them ("ExecutionArn" for the model's "executionArn": test_strict_mode_sfn_task
// refuses {"executionArn": ...} as "Required field 'ExecutionArn' is missing").
#include "mocked_result_check.hpp"

#include <cctype>
#include <string>

#include "output_shapes.hpp"
#include "sluice/sfn/sfn_service.hpp"

namespace sluice::sfn {

namespace {

using Json = nlohmann::json;

std::string capitalized(std::string name) {
    if (!name.empty()) name.front() = static_cast<char>(std::toupper(static_cast<unsigned char>(name.front())));
    return name;
}

[[noreturn]] void refuse(const std::string& what) {
    throw error("ValidationException", "Mock result schema validation error: " + what);
}

[[noreturn]] void wrong_type(const std::string& field, const char* expected) {
    refuse("Field '" + field + "' must be " + expected);
}

struct Checker {
    const Json& shapes;
    bool strict;
    // Optimized integrations hand blobs over decoded (lambda:invoke's Payload is the function's JSON);
    // the aws-sdk form hands them over base64-encoded, as strings.
    bool blobs_are_strings;

    void check(const std::string& shape_name, const std::string& field, const Json& value) const {
        auto it = shapes.find(shape_name);
        if (it == shapes.end()) return;
        const Json& shape = *it;
        const std::string type = shape.value("type", "");
        if (type == "structure") {
            if (!value.is_object()) wrong_type(field, "an object");
            check_members(shape, value);
        } else if (type == "list") {
            if (!value.is_array()) wrong_type(field, "an array");
            for (const auto& element : value) check(shape.value("member", ""), field, element);
        } else if (type == "map") {
            if (!value.is_object()) wrong_type(field, "an object");
            for (const auto& [key, element] : value.items()) check(shape.value("value", ""), field, element);
        } else if (type == "string") {
            if (!value.is_string()) wrong_type(field, "a string");
            check_string(shape, field, value.get_ref<const std::string&>());
        } else if (type == "timestamp") {
            if (!value.is_string()) wrong_type(field, "a string");
        } else if (type == "blob") {
            if (!blobs_are_strings) return;
            if (!value.is_string()) wrong_type(field, "a string");
            check_length(shape, field, value.get_ref<const std::string&>().size());
        } else if (type == "boolean") {
            if (!value.is_boolean()) wrong_type(field, "a boolean");
        } else if (type == "integer" || type == "long" || type == "float" || type == "double") {
            if (!value.is_number()) wrong_type(field, "a number");
            check_range(shape, field, value.get<double>());
        }
        // "document" and anything newer: any JSON.
    }

    void check_members(const Json& shape, const Json& value) const {
        const Json& members = shape.contains("members") ? shape["members"] : Json::object();
        for (const auto& [member, member_shape] : members.items()) {
            const auto name = capitalized(member);
            if (auto v = value.find(name); v != value.end() && !v->is_null())
                check(member_shape.get<std::string>(), name, *v);
        }
        if (!strict) return;
        for (const auto& required : shape.value("required", Json::array())) {
            const auto name = capitalized(required.get<std::string>());
            if (auto v = value.find(name); v == value.end() || v->is_null())
                refuse("Required field '" + name + "' is missing");
        }
    }

    static void check_string(const Json& shape, const std::string& field, const std::string& text) {
        if (auto e = shape.find("enum"); e != shape.end() && e->is_array()) {
            bool known = false;
            for (const auto& option : *e) known = known || option == text;
            if (!known) refuse("Field '" + field + "' is not an expected value");
        }
        check_length(shape, field, text.size());
    }

    static void check_length(const Json& shape, const std::string& field, std::size_t length) {
        if (auto min = shape.find("min"); min != shape.end() && min->is_number() && length < min->get<double>())
            refuse("Field '" + field + "' is smaller than the minimum length");
        if (auto max = shape.find("max"); max != shape.end() && max->is_number() && length > max->get<double>())
            refuse("Field '" + field + "' is larger than the maximum length");
    }

    static void check_range(const Json& shape, const std::string& field, double number) {
        if (auto min = shape.find("min"); min != shape.end() && min->is_number() && number < min->get<double>())
            refuse("Field '" + field + "' is less than the minimum value");
        if (auto max = shape.find("max"); max != shape.end() && max->is_number() && number > max->get<double>())
            refuse("Field '" + field + "' exceeds the maximum value");
    }
};

// The SDK's service ids a Resource's service may stand for: the aws-sdk form names the id itself
// ("sfn", "eventbridge"); optimized integrations name some services otherwise.
std::vector<std::string> service_ids(const TaskResource& resource) {
    std::string id;
    for (char c : resource.service)
        if (c != '-') id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (resource.sdk) return {id};
    if (id == "states") return {"sfn"};
    if (id == "events") return {"eventbridge"};
    if (id == "bedrock") return {"bedrockruntime", "bedrock"};
    return {id};
}

}  // namespace

void check_mocked_result(const TaskResource& resource, const Json& result, FieldValidationMode mode) {
    if (mode == FieldValidationMode::None || resource.kind != TaskResource::Kind::Integration) return;
    if (resource.pattern != TaskResource::Pattern::RequestResponse || !result.is_object()) return;
    const std::string operation = capitalized(resource.api);
    for (const auto& id : service_ids(resource)) {
        const Json* model = service_output_model(id);
        if (!model) continue;
        const auto& operations = (*model)["operations"];
        auto op = operations.find(operation);
        if (op == operations.end()) continue;
        const Checker checker{(*model)["shapes"], mode == FieldValidationMode::Strict, resource.sdk};
        const Json& shapes = (*model)["shapes"];
        if (auto shape = shapes.find(op->get<std::string>()); shape != shapes.end())
            checker.check_members(*shape, result);
        return;
    }
}

}  // namespace sluice::sfn
