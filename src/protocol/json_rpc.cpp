#include "sluice/protocol/json_rpc.hpp"

#include <optional>

#include "sluice/core/encoding.hpp"
#include "sluice/protocol/json_depth.hpp"
#include "sluice/protocol/json_text.hpp"

namespace sluice::protocol::json_rpc {

namespace {
const char* type_name(Shape::Type t) {
    switch (t) {
        case Shape::Type::Structure:
            return "structure";
        case Shape::Type::List:
            return "list";
        case Shape::Type::Map:
            return "map";
        case Shape::Type::String:
            return "string";
        case Shape::Type::Integer:
            return "integer";
        case Shape::Type::Long:
            return "long";
        case Shape::Type::Boolean:
            return "boolean";
        case Shape::Type::Blob:
            return "blob";
        case Shape::Type::Timestamp:
            return "timestamp";
        case Shape::Type::Double:
            return "double";
        case Shape::Type::Float:
            return "float";
    }
    return "value";
}

bool fits(const Json& v, const Shape& shape) {
    switch (shape.type) {
        case Shape::Type::Structure:
            return v.is_object();
        case Shape::Type::Map:
            return v.is_object();
        case Shape::Type::List:
            return v.is_array();
        case Shape::Type::String:
            return v.is_string();
        case Shape::Type::Blob:
            return v.is_string() && core::base64_decode(v.get_ref<const std::string&>()).has_value();
        case Shape::Type::Integer:
        case Shape::Type::Long:
            return v.is_number_integer();
        case Shape::Type::Boolean:
            return v.is_boolean();
        case Shape::Type::Double:
        case Shape::Type::Float:
            return v.is_number();
        case Shape::Type::Timestamp:
            return v.is_number() || v.is_string();
    }
    return false;
}
}  // namespace

Json decode_body(const std::string& body) {
    if (body.empty()) return Json::object();
    Json value;
    const auto read = read_json(body, value);
    if (read == JsonRead::too_deep) {
        // Only nlohmann's parser, which does not recurse, can tell whether the rest is JSON:
        // a document that is both too deep and not JSON is answered as not JSON.
        value = Json::parse(body, nullptr, /*allow_exceptions=*/false);
    }
    if (read == JsonRead::invalid || value.is_discarded())
        throw common_errors::serialization("The request body is not valid JSON.");
    if (!value.is_object()) throw common_errors::serialization("The request body must be a JSON object.");
    if (read == JsonRead::too_deep) throw common_errors::serialization(json_depth_message());
    return value;
}

namespace {

// Where a value sits in the request, spelled out only when it is reported: a well-typed request
// builds no path strings.
struct Where {
    const Where* parent = nullptr;
    std::string_view name;             // a structure member or map key; the caller's path at the root
    std::optional<std::size_t> index;  // a list position instead

    std::string text() const {
        if (!parent) return std::string(name);
        std::string above = parent->text();
        if (index) return above + "[" + std::to_string(*index) + "]";
        return above.empty() ? std::string(name) : above + "." + std::string(name);
    }
};

void check_value(const Json& value, const Shape& shape, const Where& where) {
    if (value.is_null()) return;  // null is how some clients say "absent"
    if (!fits(value, shape)) {
        const std::string path = where.text();
        throw common_errors::serialization("Value for " + (path.empty() ? std::string("the request") : path) +
                                           " must be of type " + type_name(shape.type) + ".");
    }
    switch (shape.type) {
        case Shape::Type::Structure:
            if (value.empty()) break;
            for (const auto& [member, ref] : shape.members) {
                auto it = value.find(member);
                if (it != value.end()) check_value(*it, *ref.shape, Where{&where, member, std::nullopt});
            }
            break;
        case Shape::Type::List: {
            std::size_t i = 0;
            for (const auto& e : value) check_value(e, *shape.member.shape, Where{&where, {}, i++});
            break;
        }
        case Shape::Type::Map:
            for (const auto& [k, v] : value.items()) check_value(v, *shape.value.shape, Where{&where, k, std::nullopt});
            break;
        default:
            break;
    }
}

}  // namespace

void check_types(const Json& value, const Shape& shape, const std::string& path) {
    check_value(value, shape, Where{nullptr, path, std::nullopt});
}

HttpResponse encode_result(const Json& result, const Model& model) {
    HttpResponse response;
    response.headers.emplace_back("Content-Type", "application/x-amz-json-" + model.json_version());
    response.body = result.is_null() ? "{}" : dump_json(result);
    return response;
}

HttpResponse encode_error(const AwsError& error, const Model& model) {
    HttpResponse response;
    response.status = error.status;
    response.headers.emplace_back("Content-Type", "application/x-amz-json-" + model.json_version());
    // Services with the awsQueryCompatible trait (SQS) name errors by their namespace and also
    // hand the legacy query code over in a header, from which the SDKs take the code users see.
    std::string type = error.code;
    if (model.query_compatible()) {
        if (type.find('#') == std::string::npos) type = "com.amazonaws." + model.service() + "#" + type;
        response.headers.emplace_back("x-amzn-query-error",
                                      error.query_code + ";" + (error.sender_fault ? "Sender" : "Receiver"));
    }
    Json body = {{"__type", type}, {"message", error.message()}};
    response.body = dump_json(body);
    return response;
}

}  // namespace sluice::protocol::json_rpc
