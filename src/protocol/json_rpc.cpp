#include "sluice/protocol/json_rpc.hpp"

#include "sluice/protocol/json_depth.hpp"

#include "sluice/core/encoding.hpp"

namespace sluice::protocol::json_rpc {

namespace {
const char* type_name(Shape::Type t) {
    switch (t) {
        case Shape::Type::Structure: return "structure";
        case Shape::Type::List: return "list";
        case Shape::Type::Map: return "map";
        case Shape::Type::String: return "string";
        case Shape::Type::Integer: return "integer";
        case Shape::Type::Long: return "long";
        case Shape::Type::Boolean: return "boolean";
        case Shape::Type::Blob: return "blob";
        case Shape::Type::Timestamp: return "timestamp";
        case Shape::Type::Double: return "double";
        case Shape::Type::Float: return "float";
    }
    return "value";
}

bool fits(const Json& v, const Shape& shape) {
    switch (shape.type) {
        case Shape::Type::Structure: return v.is_object();
        case Shape::Type::Map: return v.is_object();
        case Shape::Type::List: return v.is_array();
        case Shape::Type::String: return v.is_string();
        case Shape::Type::Blob: return v.is_string() && core::base64_decode(v.get_ref<const std::string&>()).has_value();
        case Shape::Type::Integer:
        case Shape::Type::Long: return v.is_number_integer();
        case Shape::Type::Boolean: return v.is_boolean();
        case Shape::Type::Double:
        case Shape::Type::Float: return v.is_number();
        case Shape::Type::Timestamp: return v.is_number() || v.is_string();
    }
    return false;
}
}  // namespace

Json decode_body(const std::string& body) {
    if (body.empty()) return Json::object();
    Json value = Json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded()) throw common_errors::serialization("The request body is not valid JSON.");
    if (!value.is_object()) throw common_errors::serialization("The request body must be a JSON object.");
    if (json_deeper_than(value)) throw common_errors::serialization(json_depth_message());
    return value;
}

void check_types(const Json& value, const Shape& shape, const std::string& path) {
    if (value.is_null()) return;  // null is how some clients say "absent"
    if (!fits(value, shape)) {
        throw common_errors::serialization("Value for " + (path.empty() ? std::string("the request") : path) +
                                           " must be of type " + type_name(shape.type) + ".");
    }
    switch (shape.type) {
        case Shape::Type::Structure:
            for (const auto& [member, ref] : shape.members) {
                auto it = value.find(member);
                if (it != value.end()) check_types(*it, *ref.shape, path.empty() ? member : path + "." + member);
            }
            break;
        case Shape::Type::List: {
            std::size_t i = 0;
            for (const auto& e : value) check_types(e, *shape.member.shape, path + "[" + std::to_string(i++) + "]");
            break;
        }
        case Shape::Type::Map:
            for (const auto& [k, v] : value.items()) check_types(v, *shape.value.shape, path + "." + k);
            break;
        default:
            break;
    }
}

HttpResponse encode_result(const Json& result, const Model& model) {
    HttpResponse response;
    response.headers.emplace_back("Content-Type", "application/x-amz-json-" + model.json_version());
    response.body = result.is_null() ? "{}" : result.dump(-1, ' ', false, Json::error_handler_t::replace);
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
    response.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
    return response;
}

}  // namespace sluice::protocol::json_rpc
