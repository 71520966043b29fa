#include "errors.hpp"

#include <cctype>

#include "sluice/sns/sns_service.hpp"

namespace sluice::sns::errors {

protocol::AwsError model_error(const std::string& code, const std::string& message) {
    return model().error(code, message);
}

protocol::AwsError invalid_parameter(const std::string& what) {
    return model_error("InvalidParameterException", "Invalid parameter: " + what);
}

protocol::AwsError not_found(const std::string& message) {
    return model_error("NotFoundException", message);
}

protocol::AwsError topic_not_found() {
    return not_found("Topic does not exist");
}

protocol::AwsError missing(const std::string& member) {
    std::string camel = member;
    if (!camel.empty()) camel[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(camel[0])));
    return protocol::AwsError("ValidationError", "1 validation error detected: Value null at '" + camel +
                                                     "' failed to satisfy constraint: Member must not be null");
}

const std::string* string_member(const protocol::Json& params, const char* name) {
    if (!params.is_object()) return nullptr;
    auto it = params.find(name);
    return it != params.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
}

const std::string& required_string(const protocol::Json& params, const char* name) {
    if (const auto* value = string_member(params, name)) return *value;
    throw missing(name);
}

}  // namespace sluice::sns::errors
