#pragma once
// The AWS JSON 1.0/1.1 protocol: `X-Amz-Target: Prefix.Operation`, the input shape as the body,
// errors as `{"__type": ..., "message": ...}`.
#include <string>

#include "sluice/protocol/call.hpp"
#include "sluice/protocol/http_message.hpp"
#include "sluice/protocol/model.hpp"

namespace sluice::protocol::json_rpc {

// Parses the body (empty means `{}`); malformed JSON or a non-object is a SerializationException.
Json decode_body(const std::string& body);

// Checks the decoded value against the input shape's member types (a string where the model
// says integer, an unknown enum-free structure nesting...), as the service's front end does.
void check_types(const Json& value, const Shape& shape, const std::string& path = {});

HttpResponse encode_result(const Json& result, const Model& model);
HttpResponse encode_error(const AwsError& error, const Model& model);

}  // namespace sluice::protocol::json_rpc
