#pragma once
// The AWS REST-JSON protocol (Pipes): the operation is the method and path (`POST
// /v1/pipes/{Name}`), members are bound to the URI, the query string, headers or the JSON body as
// the model says, errors are named by `X-Amzn-ErrorType` and the status code.
#include <map>
#include <optional>
#include <string>

#include "sluice/protocol/call.hpp"
#include "sluice/protocol/http_message.hpp"
#include "sluice/protocol/model.hpp"

namespace sluice::protocol::rest_json {

struct Route {
    const Operation* operation = nullptr;
    std::map<std::string, std::string> labels;  // URI labels, percent-decoded
};

// The operation whose method and URI template match, if any.
std::optional<Route> match(const Model& model, const std::string& method, std::string_view path);

// Builds the input from labels, query string, headers and body. Throws AwsError
// (SerializationException) for a body that is not a JSON object or values of the wrong type.
Json decode(const HttpRequest& request, const Route& route);

HttpResponse encode_result(const Json& result, const Operation& op);
HttpResponse encode_error(const AwsError& error);

}  // namespace sluice::protocol::rest_json
