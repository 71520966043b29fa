#include "sluice/sqs/errors.hpp"

#include <string_view>

std::string_view sluice_model_sqs();  // generated from models/sqs.json

namespace sluice::sqs {

const protocol::Model& model() {
    static const auto parsed = protocol::Model::parse(sluice_model_sqs());
    return *parsed;
}

protocol::AwsError error(const std::string& code, const std::string& message) {
    return model().error(code, message);
}

protocol::AwsError queue_does_not_exist() {
    return error("QueueDoesNotExist", "The specified queue does not exist.");
}

protocol::AwsError invalid_parameter_value(const std::string& message) {
    return protocol::common_errors::invalid_parameter_value(message);
}

protocol::AwsError invalid_receipt_handle(const std::string& handle) {
    return error("ReceiptHandleIsInvalid",
                 "The input receipt handle \"" + handle + "\" is not a valid receipt handle.");
}

}  // namespace sluice::sqs
