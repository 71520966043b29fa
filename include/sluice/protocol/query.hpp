#pragma once
// The AWS query protocol (SQS's legacy wire format): `Action=...&Version=...` in a form body or
// query string, flattened lists and maps (`Attribute.1.Name`), XML answers.
#include <string>
#include <utility>
#include <vector>

#include "sluice/protocol/call.hpp"
#include "sluice/protocol/model.hpp"

namespace sluice::protocol::query {

using Params = std::vector<std::pair<std::string, std::string>>;

// Parses an application/x-www-form-urlencoded string.
Params parse_form(std::string_view text);

// Turns the flat parameters of `op` into JSON shaped like its input shape. Throws AwsError
// (MissingParameter excluded: services check what they need) for values of the wrong type.
Json decode(const Params& params, const Model& model, const Operation& op);

// `<OpResponse><OpResult>...</OpResult><ResponseMetadata>...` for a successful call.
std::string encode_result(const Json& result, const Model& model, const Operation& op, const std::string& request_id);
std::string encode_error(const AwsError& error, const std::string& xml_namespace, const std::string& request_id);
// An error's message as the query front end words it (it differs from the JSON protocol's in places).
std::string query_message(const AwsError& error);

// The JSON form AWS gives a query request that sends `Accept: application/json` (the form API Gateway's
// SQS integrations and some SDKs read): `{"OpResponse": {"OpResult": {...}, "ResponseMetadata": {...}}}`
// with every member of the output shape present (null when absent), and errors as
// `{"Error": {"Code", "Message", "Type"}, "RequestId"}`. docs/research/sqs-behaviour.md, row 5d, has the evidence.
bool wants_json(std::string_view accept_header);
std::string encode_result_json(const Json& result, const Operation& op, const std::string& request_id);
std::string encode_error_json(const AwsError& error, const std::string& request_id);

}  // namespace sluice::protocol::query
