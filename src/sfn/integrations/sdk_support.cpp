#include "sdk_support.hpp"

#include <cctype>
#include <cmath>

#include "sluice/core/ids.hpp"

namespace sluice::sfn::integration {

Json with_sdk_metadata(Json result, const std::string& request_id, const std::string& content_type) {
    result["SdkHttpMetadata"] = {
        {"AllHttpHeaders", {{"Content-Type", {content_type}}, {"x-amzn-RequestId", {request_id}}}},
        {"HttpHeaders", {{"Content-Type", content_type}, {"x-amzn-RequestId", request_id}}},
        {"HttpStatusCode", 200}};
    result["SdkResponseMetadata"] = {{"RequestId", request_id}};
    return result;
}

SdkError sdk_v1_error(const protocol::AwsError& e, const std::string& prefix, const std::string& service) {
    std::string code = e.short_code();
    const bool modeled = e.code.find('#') == std::string::npos;
    if (!code.ends_with("Exception")) code += "Exception";
    return {prefix + "." + (modeled ? code : "Amazon" + service + "Exception"),
            e.message() + " (Service: Amazon" + service + "; Status Code: " + std::to_string(e.status) +
                "; Error Code: " + e.query_code + "; Request ID: " + core::random_uuid_string() + "; Proxy: null)"};
}

SdkError sdk_v2_error(const protocol::AwsError& e, const std::string& service) {
    std::string code = e.short_code();
    if (!code.ends_with("Exception")) code += "Exception";
    return {service + "." + code, e.message() + " (Service: " + service + ", Status Code: " + std::to_string(e.status) +
                                      ", Request ID: " + core::random_uuid_string() + ")"};
}

std::string capitalized(std::string s) {
    if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
    return s;
}

namespace {

bool same_name(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

}  // namespace

Json to_model_case(const Json& value, const protocol::Shape& shape) {
    using T = protocol::Shape::Type;
    if (shape.type == T::Structure && value.is_object()) {
        Json out = Json::object();
        for (const auto& [key, v] : value.items()) {
            const protocol::ShapeRef* ref = nullptr;
            std::string name = key;
            for (const auto& [member, r] : shape.members)
                if (same_name(member, key)) {
                    ref = &r;
                    name = member;
                    break;
                }
            out[name] = ref && ref->shape ? to_model_case(v, *ref->shape) : v;
        }
        return out;
    }
    if (shape.type == T::List && value.is_array() && shape.member.shape) {
        Json out = Json::array();
        for (const auto& v : value) out.push_back(to_model_case(v, *shape.member.shape));
        return out;
    }
    if (shape.type == T::Map && value.is_object() && shape.value.shape) {
        Json out = Json::object();
        for (const auto& [k, v] : value.items()) out[k] = to_model_case(v, *shape.value.shape);
        return out;
    }
    return value;
}

Json to_sdk_case(const Json& value, const protocol::Shape& shape) {
    using T = protocol::Shape::Type;
    if (shape.type == T::Structure && value.is_object()) {
        Json out = Json::object();
        for (const auto& [member, ref] : shape.members) {
            auto it = value.find(member);
            if (it == value.end()) {
                if (ref.shape && ref.shape->type == T::List) out[capitalized(member)] = Json::array();
                continue;
            }
            out[capitalized(member)] = ref.shape ? to_sdk_case(*it, *ref.shape) : *it;
        }
        return out;
    }
    if (shape.type == T::List && value.is_array() && shape.member.shape) {
        Json out = Json::array();
        for (const auto& v : value) out.push_back(to_sdk_case(v, *shape.member.shape));
        return out;
    }
    if (shape.type == T::Map && value.is_object() && shape.value.shape) {
        Json out = Json::object();
        for (const auto& [k, v] : value.items()) out[k] = to_sdk_case(v, *shape.value.shape);
        return out;
    }
    if (shape.type == T::Timestamp && value.is_number())
        return static_cast<long long>(std::llround(value.get<double>() * 1000));
    return value;
}

}  // namespace sluice::sfn::integration
