#pragma once
// SQS errors, with the codes, statuses and legacy query codes of the SQS model.
#include <string>

#include "sluice/protocol/aws_error.hpp"
#include "sluice/protocol/model.hpp"

namespace sluice::sqs {

// The SQS model, parsed once from models/sqs.json.
const protocol::Model& model();

protocol::AwsError error(const std::string& code, const std::string& message);
protocol::AwsError queue_does_not_exist();
protocol::AwsError invalid_parameter_value(const std::string& message);
protocol::AwsError invalid_receipt_handle(const std::string& handle);

}  // namespace sluice::sqs
